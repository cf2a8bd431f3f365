// TAKK flashcards. Python picks the card; the learner says whether they knew the sign.
// Contract: card ({word, category, example, clip, unplayable}, or {} when nothing is due; clip "" when the word has
// no film, which the section says once above the cards), due (in: cards left today),
// answer (out: counter bumped with known set), known (out), summary (in: how far the learner has come, in words),
// said (in: what became of the last card).

function render({ model, el }) {
  el.classList.add("rk-flashcards");
  const said = document.createElement("p");
  said.className = "rk-said";
  said.setAttribute("role", "status");
  const card = document.createElement("section");
  card.className = "rk-card";
  card.setAttribute("aria-label", "Tecken att öva");
  const summary = document.createElement("p");
  summary.className = "rk-answer-hint";
  el.append(said, card, summary);

  function answer(known) {
    model.set("known", known);
    model.set("answer", model.get("answer") + 1);
    model.save_changes();
  }
  function show() {
    const current = model.get("card");
    card.replaceChildren();
    said.textContent = model.get("said");
    summary.textContent = model.get("summary");
    if (!current || !current.word) {
      const done = document.createElement("p");
      done.textContent = "Inga fler tecken att öva på i dag. Bra jobbat! Korten kommer tillbaka när det är dags.";
      card.append(done);
      return;
    }
    const word = document.createElement("h4");
    word.className = "rk-card-word";
    word.textContent = current.word;
    const meta = document.createElement("p");
    meta.className = "rk-answer-hint";
    const due = model.get("due");
    meta.textContent = `${current.category} · ${due} kort kvar i dag`;
    card.append(word, meta);
    const unplayable = () =>
      Object.assign(document.createElement("p"), { className: "rk-clip-missing", textContent: current.unplayable });
    if (current.clip) {
      const video = document.createElement("video");
      video.src = current.clip;
      video.controls = true;
      video.loop = true;
      video.setAttribute("aria-label", `Tecknet för ${current.word}`);
      video.addEventListener("error", () => video.replaceWith(unplayable()));
      card.append(video);
    }
    const example = document.createElement("p");
    example.textContent = `Exempel: ${current.example}`;
    const buttons = document.createElement("div");
    buttons.className = "rk-controls";
    for (const [text, known] of [["Jag kunde tecknet", true], ["Öva mer", false]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = known ? "rk-button rk-primary" : "rk-button";
      button.textContent = text;
      button.addEventListener("click", () => answer(known));
      buttons.append(button);
    }
    card.append(example, buttons);
  }
  model.on("change:card", show);
  model.on("change:summary", show);
  model.on("change:said", show);
  show();
}

export default { render };
