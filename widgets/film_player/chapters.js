// Chapters {id, start, end}, cues {start, text} and stops {id, at, chapter, prompt}: which one is where.

// The chapter playing at `t`; past the last chapter's end, the last chapter.
export function chapterAt(chapters, t) {
  const last = chapters[chapters.length - 1];
  return chapters.find((c) => t >= c.start && t < c.end) || (last && t >= last.end ? last : null);
}

// Where the previous (-1) or next (+1) chapter from `t` starts, or null at either end.
export function neighbourStart(chapters, t, step) {
  const other = chapters[chapters.indexOf(chapterAt(chapters, t)) + step];
  return other ? other.start : null;
}

export function cuesIn(cues, chapter) {
  return cues.filter((c) => c.start >= chapter.start && c.start < chapter.end);
}

// A chapter's spoken text as one paragraph.
export function chapterText(cues, chapter) {
  return cuesIn(cues, chapter).map((c) => c.text.replace(/\n/g, " ")).join(" ");
}

// The first stop passed when playback moves from `from` to `to`.
export function stopCrossed(stops, from, to) {
  return stops.find((stop) => from < stop.at && to >= stop.at) || null;
}

// A stop at the very end that `ended` must show because no timeupdate reached it.
export function stopAtEnd(stops, duration, reached) {
  return stops.find((stop) => stop.at >= duration - 0.75 && stop.id !== reached) || null;
}

export function byTime(stops) {
  return [...stops].sort((a, b) => a.at - b.at);
}

// Which cue texts match a search (case aside); an empty query matches all.
export function matches(text, query) {
  const q = query.trim().toLowerCase();
  return !q || text.toLowerCase().includes(q);
}
