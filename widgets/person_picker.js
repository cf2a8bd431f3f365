// Demo mode: choose who you are from the fictional roster; the choice is a cookie the server reads.
// Contract: people [{id, label}], cookie (the cookie's name), current (id or "").

function render({ model, el }) {
  const id = `rk-person-${Math.random().toString(36).slice(2, 8)}`;
  const form = document.createElement("form");
  form.className = "rk-picker";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = "Vem är du? (demoläge – påhittade personer)";
  const select = document.createElement("select");
  select.id = id;
  for (const person of model.get("people")) {
    const option = document.createElement("option");
    option.value = person.id;
    option.textContent = person.label;
    option.selected = person.id === model.get("current");
    select.append(option);
  }
  const button = document.createElement("button");
  button.type = "submit";
  button.className = "rk-button rk-primary";
  button.textContent = "Fortsätt";
  form.append(label, select, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    document.cookie = `${model.get("cookie")}=${encodeURIComponent(select.value)}; path=/; SameSite=Strict`;
    window.location.reload();
  });
  el.append(form);
}

export default { render };
