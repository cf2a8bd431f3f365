// Watched segments [start, end] in seconds: what the learner has seen, and how far they may skip.

const GAP = 0.5; // segments closer than this count as one viewing

export function mergeSegments(segments) {
  const sorted = segments.map(([a, b]) => [a, b]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + GAP) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out.map(([a, b]) => [Math.round(a * 10) / 10, Math.round(b * 10) / 10]);
}

// The end of the viewing that runs unbroken from the start.
export function furthest(segments) {
  let end = 0;
  for (const [a, b] of segments) if (a <= end + GAP) end = Math.max(end, b);
  return end;
}

// Whether a jump to `t` is allowed: anywhere once skipping is allowed, otherwise up to just past the furthest point.
export function mayJumpTo(t, segments, skipAllowed) {
  return skipAllowed || t <= furthest(segments) + 1;
}

// A step of playback from `from` to `to` counts as watched when it moves forward by less than a jump.
export function isPlayedStep(from, to) {
  return from !== null && to > from && to - from < 1.5;
}
