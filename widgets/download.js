// A button that asks Python for a file and saves what comes back; the file is made only when asked for.
// Contract: label, busy (out); messages: {event: "make"} to Python, {filename, mime, data (base64)} back.

function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "rk-button rk-download";
  const status = document.createElement("span");
  status.className = "rk-download-status";
  status.setAttribute("role", "status");
  const update = () => {
    button.textContent = model.get("label");
    button.disabled = model.get("busy");
    status.textContent = model.get("busy") ? "Filen skapas …" : "";
  };
  button.addEventListener("click", () => model.send({ event: "make" }));
  model.on("change:label", update);
  model.on("change:busy", update);
  model.on("msg:custom", (message) => {
    if (!message.filename) {
      status.textContent = message.error || "";
      return;
    }
    const bytes = Uint8Array.from(atob(message.data), (character) => character.charCodeAt(0));
    const blob = new Blob([bytes], { type: message.mime });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = message.filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  });
  update();
  el.append(button, status);
}

export default { render };
