// A date typed the Swedish way, year first (2026-12-10), whatever language the browser runs in: a native date input
// shows the browser's own order (12/10/2026 in an English browser), which staff read wrong.
// Contract: label, hint, value (in/out: what is typed, sent on every keystroke so a button pressed next sees it),
// said (in: the day in words, or why the date needs a second look), warn (in: whether `said` is a warning).

function render({ model, el }) {
  const id = `rk-date-${Math.random().toString(36).slice(2, 8)}`;
  el.classList.add("rk-date-field");
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "rk-answer-label";
  label.textContent = model.get("label");
  const hint = document.createElement("p");
  hint.className = "rk-answer-hint";
  hint.id = `${id}-hint`;
  hint.textContent = model.get("hint");
  const input = document.createElement("input");
  input.type = "text";
  input.id = id;
  input.inputMode = "numeric";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.maxLength = 10;
  input.size = 12;
  input.lang = "sv";
  input.value = model.get("value");
  input.setAttribute("aria-describedby", `${id}-hint ${id}-said`);
  const said = document.createElement("p");
  said.id = `${id}-said`;
  said.className = "rk-date-said";
  said.setAttribute("aria-live", "polite");
  const show = () => {
    said.textContent = model.get("said");
    said.classList.toggle("rk-problem", model.get("warn"));
  };
  input.addEventListener("input", () => {
    model.set("value", input.value);
    model.save_changes();
  });
  model.on("change:value", () => {
    if (input.value !== model.get("value")) input.value = model.get("value");
  });
  model.on("change:said", show);
  model.on("change:warn", show);
  show();
  el.append(label, hint, input, said);
}

export default { render };
