// One knowledge-check question: single choice (radio) or multiple choice (checkboxes).
// Contract: number, question, kind, points, options [{text}], selected (out), check (out: a counter the learner bumps),
// reveal (out: a counter bumped by "Visa rätt svar"), feedback (in: per option {chosen, correct, explanation} or null
// for an option not explained yet), verdict (in: one Swedish line), attempts (in).

function render({ model, el }) {
  const uid = Math.random().toString(36).slice(2, 8);
  el.classList.add("rk-question");
  const fieldset = document.createElement("fieldset");
  const legend = document.createElement("legend");
  const points = model.get("points");
  legend.textContent = `${model.get("number")}. ${model.get("question")}`;
  const worth = document.createElement("span");
  worth.className = "rk-points";
  worth.textContent = ` (${points} poäng)`;
  legend.append(worth);
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
    const mark = document.createElement("span");
    mark.className = "rk-mark";
    const explanation = document.createElement("p");
    explanation.className = "rk-explanation";
    explanation.hidden = true;
    const row = document.createElement("div");
    row.className = "rk-option";
    row.append(input, label, explanation);
    fieldset.append(row);
    return { input, row, mark, explanation };
  });
  const buttons = document.createElement("div");
  buttons.className = "rk-controls";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "rk-button";
  button.textContent = "Kontrollera svaret";
  const show = document.createElement("button");
  show.type = "button";
  show.className = "rk-button rk-quiet";
  show.textContent = "Visa rätt svar";
  show.hidden = true;
  buttons.append(button, show);
  const verdict = document.createElement("p");
  verdict.className = "rk-verdict";
  verdict.setAttribute("role", "status");
  fieldset.append(buttons, verdict);
  el.append(fieldset);

  function bump(name) {
    model.set(name, model.get(name) + 1);
    model.save_changes();
  }
  button.addEventListener("click", () => {
    const selected = inputs.flatMap(({ input }, index) => (input.checked ? [index] : []));
    if (!selected.length) { verdict.textContent = "Välj ett svar först."; return; }
    model.set("selected", selected);
    bump("check");
  });
  show.addEventListener("click", () => bump("reveal"));
  function draw() {
    const feedback = model.get("feedback");
    let hidden = 0;
    inputs.forEach(({ row, mark, explanation }, index) => {
      const item = feedback[index];
      if (feedback.length && !item) hidden += 1;
      explanation.hidden = !item;
      row.classList.toggle("rk-right", Boolean(item && item.correct));
      row.classList.toggle("rk-wrong", Boolean(item && item.chosen && !item.correct));
      if (item) {
        // The verdict line says right or wrong once; each option says only what it is and why.
        mark.textContent = item.chosen ? (item.correct ? "Ditt val – stämmer. " : "Ditt val – stämmer inte. ")
          : (item.correct ? "Rätt svar. " : "");
        explanation.replaceChildren(mark, document.createTextNode(item.explanation));
      }
    });
    verdict.textContent = model.get("verdict");
    show.hidden = !hidden;
    if (feedback.length) button.textContent = "Kontrollera igen";
  }
  model.on("change:feedback", draw);
  model.on("change:verdict", draw);
  draw();
}

export default { render };
