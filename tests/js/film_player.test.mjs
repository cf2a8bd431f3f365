// The film player's pure parts, run with node's built-in test runner: `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  byTime, chapterAt, chapterText, cuesIn, matches, neighbourStart, stopAtEnd, stopCrossed,
} from "../../widgets/film_player/chapters.js";
import { idMaker, weakConnection } from "../../widgets/film_player/dom.js";
import { furthest, isPlayedStep, mayJumpTo, mergeSegments } from "../../widgets/film_player/segments.js";
import { clock, speedLabel } from "../../widgets/film_player/time.js";

const CHAPTERS = [
  { id: "k1", start: 0, end: 60 },
  { id: "k2", start: 60, end: 130 },
  { id: "k3", start: 130, end: 200 },
];
const CUES = [
  { start: 1, text: "Välkomna till\nfilmen." },
  { start: 59.9, text: "Nu en paus." },
  { start: 60, text: "Trygg bas." },
  { start: 199, text: "Tack för i dag." },
];
const STOPS = [
  { id: "s2", at: 130, chapter: "k2", prompt: "Vad såg du?" },
  { id: "s1", at: 60, chapter: "k1", prompt: "" },
  { id: "s3", at: 199.5, chapter: "k3", prompt: "Vad tar du med dig?" },
];

describe("clock", () => {
  it("shows minutes and two-digit seconds, hours only when there are any", () => {
    assert.equal(clock(0), "0:00");
    assert.equal(clock(7.9), "0:07");
    assert.equal(clock(754), "12:34");
    assert.equal(clock(3723), "1:02:03");
  });

  it("never shows a negative time", () => {
    assert.equal(clock(-3), "0:00");
  });
});

describe("speedLabel", () => {
  it("writes the speed with a decimal comma", () => {
    assert.deepEqual([0.5, 1, 1.25].map(speedLabel), ["0,5×", "1×", "1,25×"]);
  });
});

describe("mergeSegments", () => {
  it("joins overlapping and nearly touching segments and sorts them", () => {
    assert.deepEqual(mergeSegments([[10, 20], [0, 5], [5.4, 8], [19, 25]]), [[0, 8], [10, 25]]);
  });

  it("drops empty or backward segments and rounds to tenths", () => {
    assert.deepEqual(mergeSegments([[3, 3], [9, 2], [1.04, 2.06]]), [[1, 2.1]]);
  });

  it("leaves its input unchanged", () => {
    const input = [[0, 5], [4, 9]];
    mergeSegments(input);
    assert.deepEqual(input, [[0, 5], [4, 9]]);
  });
});

describe("furthest and mayJumpTo", () => {
  it("counts only the viewing that runs unbroken from the start", () => {
    assert.equal(furthest([[0, 30], [30.4, 40], [90, 120]]), 40);
    assert.equal(furthest([[10, 20]]), 0);
    assert.equal(furthest([]), 0);
  });

  it("allows a jump up to a second past the furthest point, or anywhere once skipping is allowed", () => {
    const seen = [[0, 40]];
    assert.equal(mayJumpTo(41, seen, false), true);
    assert.equal(mayJumpTo(41.5, seen, false), false);
    assert.equal(mayJumpTo(150, seen, true), true);
  });
});

describe("isPlayedStep", () => {
  it("counts small forward steps as watched, not jumps, rewinds or a first sample", () => {
    assert.equal(isPlayedStep(10, 10.3), true);
    assert.equal(isPlayedStep(10, 11.5), false);
    assert.equal(isPlayedStep(10, 9), false);
    assert.equal(isPlayedStep(null, 0.2), false);
  });
});

describe("chapterAt and neighbourStart", () => {
  it("finds the chapter playing at a time, the last one past the end, none before the first", () => {
    assert.equal(chapterAt(CHAPTERS, 0).id, "k1");
    assert.equal(chapterAt(CHAPTERS, 60).id, "k2");
    assert.equal(chapterAt(CHAPTERS, 250).id, "k3");
    assert.equal(chapterAt([{ id: "k", start: 5, end: 9 }], 1), null);
    assert.equal(chapterAt([], 1), null);
  });

  it("gives the start of the previous and next chapter, or null at either end", () => {
    assert.equal(neighbourStart(CHAPTERS, 70, 1), 130);
    assert.equal(neighbourStart(CHAPTERS, 70, -1), 0);
    assert.equal(neighbourStart(CHAPTERS, 10, -1), null);
    assert.equal(neighbourStart(CHAPTERS, 150, 1), null);
  });
});

describe("cues of a chapter", () => {
  it("takes the cues that start inside the chapter", () => {
    assert.deepEqual(cuesIn(CUES, CHAPTERS[0]).map((c) => c.start), [1, 59.9]);
    assert.deepEqual(cuesIn(CUES, CHAPTERS[1]).map((c) => c.start), [60]);
  });

  it("reads a chapter's cues as one paragraph", () => {
    assert.equal(chapterText(CUES, CHAPTERS[0]), "Välkomna till filmen. Nu en paus.");
  });

  it("matches a search regardless of case and surrounding spaces, everything for an empty one", () => {
    assert.equal(matches("Trygg bas.", "  TRYGG "), true);
    assert.equal(matches("Trygg bas.", "lek"), false);
    assert.equal(matches("Trygg bas.", "   "), true);
  });
});

describe("stops", () => {
  it("orders stops by time without changing the list it was given", () => {
    assert.deepEqual(byTime(STOPS).map((s) => s.id), ["s1", "s2", "s3"]);
    assert.equal(STOPS[0].id, "s2");
  });

  it("finds the first stop passed between two times, exclusive at the start", () => {
    const stops = byTime(STOPS);
    assert.equal(stopCrossed(stops, 59.8, 60.1).id, "s1");
    assert.equal(stopCrossed(stops, 60, 60.3), null);
    assert.equal(stopCrossed(stops, 59, 131).id, "s1");
  });

  it("shows a stop at the very end when playback ended before reaching it, once", () => {
    const stops = byTime(STOPS);
    assert.equal(stopAtEnd(stops, 200, "").id, "s3");
    assert.equal(stopAtEnd(stops, 200, "s3"), null);
    assert.equal(stopAtEnd(stops, 300, ""), null);
  });
});

describe("idMaker", () => {
  it("makes ids unique to one player, with optional parts after its own mark", () => {
    const id = idMaker(() => 0.123456789);
    const mark = (0.123456789).toString(36).slice(2, 8);
    assert.equal(id("speed"), `rk-speed-${mark}`);
    assert.equal(id("read", "k1"), `rk-read-${mark}-k1`);
    assert.notEqual(idMaker()("speed"), idMaker()("speed"));
  });
});

describe("weakConnection", () => {
  it("is weak when data saving is on or the reported speed is under 2 Mbit/s, not when unknown", () => {
    assert.equal(weakConnection({ saveData: true, downlink: 10 }), true);
    assert.equal(weakConnection({ downlink: 1.5 }), true);
    assert.equal(weakConnection({ downlink: 10 }), false);
    assert.equal(weakConnection({ downlink: 0 }), false);
    assert.equal(weakConnection(undefined), false);
  });
});
