// Building the player's elements, and the listeners a widget must remove again.

// An element with attributes (false/null left out, true as an empty attribute, `text` as its text) and children.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

// Ids unique on the page, so two players never share a label's target: id("speed"), id("read", "k1").
export function idMaker(random = Math.random) {
  const uid = random().toString(36).slice(2, 8);
  return (...parts) => ["rk", ...parts.slice(0, 1), uid, ...parts.slice(1)].join("-");
}

// The smaller version where the browser reports a weak connection or data saving.
export function weakConnection(connection, weakMbps = 2) {
  return Boolean(connection && (connection.saveData || (connection.downlink && connection.downlink < weakMbps)));
}
