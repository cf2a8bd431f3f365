// Clock times as the player shows them: 0:07, 12:34, 1:02:03.

export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return (h ? `${h}:${String(m).padStart(2, "0")}` : `${m}`) + `:${String(r).padStart(2, "0")}`;
}

// A playback speed as a Swedish label: 1.25 → "1,25×".
export function speedLabel(speed) {
  return `${String(speed).replace(".", ",")}×`;
}
