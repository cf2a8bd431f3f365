// An evaluation statement answered on a five-step agreement scale.
// Contract: statement, scale (the step labels, from the schema), value (in/out: 1-5, 0 for unanswered).
// Each step is one label around its radio button, so the whole box is the tap target.

function render({ model, el }) {
  const uid = Math.random().toString(36).slice(2, 8);
  const fieldset = document.createElement("fieldset");
  fieldset.className = "rk-likert";
  const legend = document.createElement("legend");
  legend.textContent = model.get("statement");
  fieldset.append(legend);
  const row = document.createElement("div");
  row.className = "rk-likert-scale";
  model.get("scale").forEach((text, index) => {
    const input = document.createElement("input");
    input.type = "radio";
    input.name = `rk-l-${uid}`;
    input.value = String(index + 1);
    input.checked = model.get("value") === index + 1;
    input.addEventListener("change", () => { model.set("value", index + 1); model.save_changes(); });
    const words = document.createElement("span");
    words.textContent = text;
    const option = document.createElement("label");
    option.className = "rk-likert-option";
    option.append(input, words);
    row.append(option);
  });
  fieldset.append(row);
  el.append(fieldset);
}

export default { render };
