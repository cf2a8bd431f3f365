// TAKK flashcards with Leitner boxes. Python picks the card; the learner says whether they knew the sign.
// Contract: card ({word, category, example, clip, box}, or {} when nothing is due), due (in: cards left today), answer (out: counter
// bumped with known set), known (out), summary (in: Swedish text about the boxes).

function render({ model, el }) {
  el.classList.add("rk-flashcards");
  const card = document.createElement("section");
  card.className = "rk-card";
  card.setAttribute("aria-live", "polite");
  const summary = document.createElement("p");
  summary.className = "rk-answer-hint";
  el.append(card, summary);

  function answer(known) {
    model.set("known", known);
    model.set("answer", model.get("answer") + 1);
    model.save_changes();
  }
  function show() {
    const current = model.get("card");
    card.replaceChildren();
    summary.textContent = model.get("summary");
    if (!current || !current.word) {
      const done = document.createElement("p");
      done.textContent = "Inga fler tecken att öva på i dag. Bra jobbat! Korten kommer tillbaka när det är dags.";
      card.append(done);
      return;
    }
    const word = document.createElement("h3");
    word.textContent = current.word;
    const meta = document.createElement("p");
    meta.className = "rk-answer-hint";
    meta.textContent = `${current.category} · låda ${current.box} av 5 · ${model.get("due")} kort kvar i dag`;
    card.append(word, meta);
    if (current.clip) {
      const video = document.createElement("video");
      video.src = current.clip;
      video.controls = true;
      video.loop = true;
      video.setAttribute("aria-label", `Tecknet för ${current.word}`);
      video.addEventListener("error", () => {
        video.replaceWith(Object.assign(document.createElement("p"), {
          className: "rk-answer-hint", textContent: "Filmen med tecknet finns inte här ännu. Titta i TAKK-filmen." }));
      });
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
  show();
}

export default { render };
