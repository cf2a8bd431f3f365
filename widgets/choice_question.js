// One knowledge-check question: single choice (radio) or multiple choice (checkboxes).
// Contract: number, question, kind, options [{text}], selected (out), check (out: a counter the learner bumps),
// feedback (in: [{chosen, correct, explanation}]), verdict (in: Swedish summary), attempts (in).

function render({ model, el }) {
  const uid = Math.random().toString(36).slice(2, 8);
  el.classList.add("rk-question");
  const fieldset = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.textContent = `${model.get("number")}. ${model.get("question")}`;
  fieldset.append(legend);
  if (model.get("kind") === "multiple") {
    const hint = document.createElement("p");
    hint.className = "rk-answer-hint";
    hint.textContent = "Välj alla svar som stämmer.";
    fieldset.append(hint);
  }
  const type = model.get("kind") === "single" ? "radio" : "checkbox";
  const inputs = model.get("options").map((option, index) => {
    const input = document.createElement("input");
    input.type = type;
    input.name = `rk-q-${uid}`;
    input.id = `rk-q-${uid}-${index}`;
    input.value = String(index);
    input.checked = model.get("selected").includes(index);
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = option.text;
    const explanation = document.createElement("p");
    explanation.className = "rk-explanation";
    explanation.hidden = true;
    const row = document.createElement("div");
    row.className = "rk-option";
    row.append(input, label, explanation);
    fieldset.append(row);
    return { input, row, explanation };
  });
  const button = document.createElement("button");
  button.type = "button";
  button.className = "rk-button";
  button.textContent = "Kontrollera svaret";
  const verdict = document.createElement("p");
  verdict.className = "rk-verdict";
  verdict.setAttribute("role", "status");
  fieldset.append(button, verdict);
  el.append(fieldset);

  button.addEventListener("click", () => {
    const selected = inputs.flatMap(({ input }, index) => (input.checked ? [index] : []));
    if (!selected.length) { verdict.textContent = "Välj ett svar först."; return; }
    model.set("selected", selected);
    model.set("check", model.get("check") + 1);
    model.save_changes();
  });
  function show() {
    const feedback = model.get("feedback");
    inputs.forEach(({ row, explanation }, index) => {
      const item = feedback[index];
      explanation.hidden = !item;
      row.classList.toggle("rk-right", Boolean(item && item.chosen && item.correct));
      row.classList.toggle("rk-wrong", Boolean(item && item.chosen && !item.correct));
      if (item) {
        const mark = item.chosen ? (item.correct ? "Rätt." : "Inte rätt.") : (item.correct ? "Det här är också rätt." : "");
        explanation.textContent = `${mark} ${item.explanation}`.trim();
      }
    });
    const attempts = model.get("attempts");
    verdict.textContent = model.get("verdict") + (attempts ? ` (försök: ${attempts})` : "");
    if (feedback.length) button.textContent = "Kontrollera igen";
  }
  model.on("change:feedback", show);
  model.on("change:verdict", show);
  show();
}

export default { render };
