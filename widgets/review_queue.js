// Granska's queue: every reflection waiting, each row a button that opens it; focus then moves to it.
// Contract: summary (the count, or that nothing waits), items [{key, label, when}] (when: the hand-in's time, kept
// on one line), current (the open item's key), chosen (out: the key of the row pressed).
// The opened reflection's heading is #rk-granskas[data-key=key].

const FOCUS_WAIT_MS = 15000;

function focusWhenOpened(key) {
  // The reflection is drawn by Python after it hears `chosen`; focus its heading as soon as it is shown. A heading
  // already in the document may not be displayed yet (its box is attached hidden), and focus() then does nothing:
  // try again until it holds.
  const until = performance.now() + FOCUS_WAIT_MS;
  const look = () => {
    const heading = document.getElementById("rk-granskas");
    if (heading && heading.dataset.key === key) {
      heading.focus();
    }
    if (heading && document.activeElement === heading) {
      heading.scrollIntoView({ block: "start" });
    } else if (performance.now() < until) {
      requestAnimationFrame(look);
    }
  };
  look();
}

function render({ model, el }) {
  const summary = document.createElement("p");
  summary.id = "rk-vantar";
  summary.className = "rk-status";
  const list = document.createElement("ol");
  list.className = "rk-queue";
  list.setAttribute("aria-labelledby", "rk-vantar");
  const draw = () => {
    summary.textContent = model.get("summary");
    const items = model.get("items");
    list.hidden = items.length === 0;
    list.replaceChildren(
      ...items.map((item) => {
        const open = item.key === model.get("current");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "rk-queue-open";
        const when = document.createElement("span");
        when.className = "rk-nowrap";
        when.textContent = item.when;
        button.append(`${item.label}, inlämnad `, when);
        if (open) {
          button.setAttribute("aria-current", "true");
          const where = document.createElement("span");
          where.textContent = " (öppen nedanför)";
          button.append(where);
        }
        button.addEventListener("click", () => {
          model.set("chosen", item.key);
          model.save_changes();
          focusWhenOpened(item.key);
        });
        const row = document.createElement("li");
        row.append(button);
        return row;
      }),
    );
  };
  model.on("change:summary", draw);
  model.on("change:items", draw);
  model.on("change:current", draw);
  draw();
  el.append(summary, list);
}

export default { render };
