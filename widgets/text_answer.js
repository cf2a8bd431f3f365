// A labelled free-text answer that saves as you type.
// Contract: label, hint, value (in/out, debounced), min_words, saved (in: a Swedish "saved" note from Python),
// rows, error (in: a Swedish message when saving failed).

const DEBOUNCE_MS = 500;

function words(text) {
  return (text.trim().match(/\S+/g) || []).length;
}

function render({ model, el }) {
  const id = `rk-text-${Math.random().toString(36).slice(2, 8)}`;
  el.classList.add("rk-answer");
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "rk-answer-label";
  label.textContent = model.get("label");
  const hint = document.createElement("p");
  hint.className = "rk-answer-hint";
  hint.id = `${id}-hint`;
  hint.textContent = model.get("hint");
  hint.hidden = !model.get("hint");
  const area = document.createElement("textarea");
  area.id = id;
  area.rows = model.get("rows");
  area.value = model.get("value");
  area.setAttribute("aria-describedby", `${id}-hint ${id}-status`);
  const status = document.createElement("p");
  status.className = "rk-answer-status";
  status.id = `${id}-status`;
  status.setAttribute("aria-live", "polite");
  el.append(label, hint, area, status);

  function counted() {
    const min = model.get("min_words");
    const n = words(area.value);
    return min ? `${n} av minst ${min} ord` : `${n} ord`;
  }
  function show() {
    const error = model.get("error");
    status.classList.toggle("rk-answer-error", Boolean(error));
    status.textContent = error || [counted(), model.get("saved")].filter(Boolean).join(" · ");
  }
  let timer = null;
  let pending = false;
  function flush() {
    clearTimeout(timer);
    if (!pending) return;
    pending = false;
    model.set("value", area.value);
    model.save_changes();
  }
  area.addEventListener("input", () => {
    pending = true;
    status.textContent = `${counted()} · Sparar …`;
    clearTimeout(timer);
    timer = setTimeout(flush, DEBOUNCE_MS);
  });
  area.addEventListener("blur", flush);
  window.addEventListener("pagehide", flush);
  model.on("change:value", () => { if (!pending && area.value !== model.get("value")) area.value = model.get("value"); show(); });
  model.on("change:saved", show);
  model.on("change:error", show);
  show();
}

export default { render };
