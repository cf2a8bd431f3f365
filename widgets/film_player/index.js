// Film player: chapters, reflection stops, watched segments, transcript, keyboard control.
// Contract (Python traits, resurskurs.ui.widgets.FilmPlayer): src, small_src, poster, tracks, sign_src, notice,
// chapters, stops, cues, allow_skip, position (in); logbook (in/out); watched, current_time, completed_once,
// chapters_read (out, the last one in the text-only fallback).
// The other files here are plain ES modules; the Python side inlines them as data: URLs when it loads this one.

import { byTime, chapterAt, chapterText, cuesIn, matches, neighbourStart, stopAtEnd, stopCrossed } from "./chapters.js";
import { el, idMaker, weakConnection } from "./dom.js";
import { furthest, isPlayedStep, mayJumpTo, mergeSegments } from "./segments.js";
import { clock, speedLabel } from "./time.js";

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5];
const SYNC_MS = 2000;
// A missing film is not a passing fault: it has not been added yet. A present one the browser cannot play is.
const MISSING = "Filmen finns inte här än. Du kan läsa texten i stället.";
const UNPLAYABLE = "Filmen går inte att spela upp här. Du kan läsa texten i stället.";
const HELD_BACK = "Du kan hoppa framåt när du har sett hela filmen en gång. Filmen fortsätter där du är.";

function render({ model, el: root }) {
  const chapters = model.get("chapters");
  const stops = byTime(model.get("stops"));
  const cues = model.get("cues");
  const id = idMaker();
  const listening = new AbortController();
  const on = (target, type, handler, options = {}) =>
    target.addEventListener(type, handler, { ...options, signal: listening.signal });
  let segments = mergeSegments(model.get("watched"));
  let lastTime = null;
  let lastSync = 0;
  let activeStop = null;
  let reachedStop = "";
  let logbook = { ...model.get("logbook") };
  let logbookTimer = null;

  root.classList.add("rk-player");
  const status = el("p", { class: "rk-player-status", role: "status", "aria-live": "polite" });
  const video = el("video", { controls: true, preload: "metadata", playsinline: true, crossorigin: "anonymous",
    poster: model.get("poster") || false, "aria-label": "Film", id: id("video") });
  for (const track of model.get("tracks")) {
    video.append(el("track", { kind: "subtitles", srclang: track.srclang, label: track.label, src: track.src,
      default: track.default }));
  }
  const mainSrc = weakConnection(navigator.connection) && model.get("small_src") ? model.get("small_src") : model.get("src");
  if (mainSrc) video.src = mainSrc;

  const overlay = el("div", { class: "rk-stop", hidden: true, role: "region", "aria-label": "Reflektionsstopp",
    tabindex: "-1" });
  const stage = el("div", { class: "rk-stage" }, video, overlay);
  const standIn = model.get("notice") ? el("p", { class: "rk-standin", text: model.get("notice") }) : null;

  // Controls beside the native ones: speed, chapter loop, sign-language version, transcript.
  const speed = el("select", { id: id("speed") });
  for (const s of SPEEDS) speed.append(el("option", { value: String(s), selected: s === 1, text: speedLabel(s) }));
  on(speed, "change", () => { video.playbackRate = Number(speed.value); });
  const loop = el("input", { type: "checkbox", id: id("loop") });
  const transcriptToggle = el("button", { type: "button", class: "rk-button", "aria-expanded": "false",
    "aria-controls": id("transcript"), text: "Visa texten till filmen" });
  const controls = el("div", { class: "rk-controls" },
    el("label", { for: speed.id, text: "Hastighet " }), speed,
    el("span", { class: "rk-check" }, loop, el("label", { for: loop.id, text: "Upprepa kapitlet" })),
    transcriptToggle);
  const signSrc = model.get("sign_src");
  let signOn = false;
  if (signSrc) {
    const sign = el("button", { type: "button", class: "rk-button", "aria-pressed": "false",
      text: "Med teckenspråkstolk" });
    on(sign, "click", () => {
      const at = video.currentTime, playing = !video.paused;
      signOn = !signOn;
      sign.setAttribute("aria-pressed", String(signOn));
      video.src = signOn ? signSrc : mainSrc;
      on(video, "loadedmetadata", () => { video.currentTime = at; if (playing) video.play(); }, { once: true });
    });
    controls.append(sign);
  }

  const chapterList = el("ol", { class: "rk-chapters", "aria-label": "Kapitel" });
  const chapterButtons = chapters.map((chapter, index) => {
    const button = el("button", { type: "button", class: "rk-chapter", "data-chapter": chapter.id },
      el("span", { class: "rk-chapter-time", text: clock(chapter.start) }),
      el("span", { text: `${index + 1}. ${chapter.title}` }));
    on(button, "click", () => seek(chapter.start, true));
    chapterList.append(el("li", {}, button));
    return button;
  });

  const search = el("input", { type: "search", id: id("search"), placeholder: "Sök i texten" });
  const cueList = el("div", { class: "rk-cues" });
  const transcript = el("section", { class: "rk-transcript", id: id("transcript"), hidden: true,
    "aria-label": "Texten till filmen" },
    el("label", { for: search.id, text: "Sök i texten" }), search, cueList);
  const cueNodes = [];
  for (const chapter of chapters) {
    cueList.append(el("h4", { text: chapter.title }));
    for (const cue of cuesIn(cues, chapter)) {
      const node = el("button", { type: "button", class: "rk-cue", "data-start": String(cue.start) },
        el("span", { class: "rk-chapter-time", text: clock(cue.start) }), el("span", { text: cue.text }));
      on(node, "click", () => seek(cue.start, true));
      cueList.append(node);
      cueNodes.push(node);
    }
  }
  on(search, "input", () => {
    let hits = 0;
    for (const node of cueNodes) {
      node.hidden = !matches(node.textContent, search.value);
      hits += node.hidden ? 0 : 1;
    }
    status.textContent = search.value.trim() ? `${hits} träffar för ”${search.value.trim()}”` : "";
  });
  on(transcriptToggle, "click", () => {
    transcript.hidden = !transcript.hidden;
    transcriptToggle.setAttribute("aria-expanded", String(!transcript.hidden));
    transcriptToggle.textContent = transcript.hidden ? "Visa texten till filmen" : "Dölj texten till filmen";
  });

  const help = el("p", { class: "rk-help", text:
    "Kortkommandon när filmen har fokus: K spela/pausa, J och L tio sekunder bakåt/framåt, " +
    "P och N föregående/nästa kapitel, T visa eller dölj texten." });

  const fallback = el("section", { class: "rk-fallback", hidden: true, "aria-label": "Kapitlen i text" });
  root.append(...(standIn ? [standIn] : []), stage, controls, status, el("div", { class: "rk-player-columns" }, chapterList, transcript), help, fallback);

  function allowed(t) {
    return mayJumpTo(t, segments, model.get("allow_skip") || model.get("completed_once"));
  }
  function seek(t, fromUser) {
    if (fromUser && !allowed(t)) {
      status.textContent = HELD_BACK;
      return;
    }
    lastTime = null;
    video.currentTime = t;
    video.focus();
  }
  function sync(force) {
    const now = Date.now();
    if (!force && now - lastSync < SYNC_MS) return;
    lastSync = now;
    model.set("watched", segments);
    model.set("current_time", Math.round(video.currentTime * 10) / 10);
    model.save_changes();
  }
  function highlight(t) {
    const current = chapterAt(chapters, t);
    for (const button of chapterButtons) {
      const here = Boolean(current) && button.dataset.chapter === current.id;
      button.classList.toggle("rk-current", here);
      if (here) button.setAttribute("aria-current", "true"); else button.removeAttribute("aria-current");
    }
  }

  const fields = new Map();
  function logbookField(stop, place, rows) {
    const area = el("textarea", { id: id(place, stop.id), rows: String(rows) });
    area.value = logbook[stop.id] || "";
    on(area, "input", () => {
      logbook = { ...logbook, [stop.id]: area.value };
      for (const other of fields.get(stop.id) || []) if (other !== area) other.value = area.value;
      queueLogbook();
    });
    fields.set(stop.id, [...(fields.get(stop.id) || []), area]);
    return [el("label", { for: area.id, class: "rk-prompt", text: stop.prompt }), area];
  }
  const logbookPanel = el("details", { class: "rk-logbook rk-disclosure" },
    el("summary", { text: "Din loggbok – bara du ser den" }));
  for (const stop of stops.filter((s) => s.prompt)) {
    logbookPanel.append(el("div", { class: "rk-logbook-entry" }, ...logbookField(stop, "panel", 3)));
  }
  root.insertBefore(logbookPanel, help);

  function continueButton() {
    const button = el("button", { type: "button", class: "rk-button rk-primary", text: "Fortsätt titta" });
    on(button, "click", resume);
    return button;
  }
  // The stop in view, then the box (or the stop itself) focused: over the film on a wide screen, below it as its
  // own panel on a phone, where focusing the box alone would scroll the question out of view.
  function bringIntoView(target) {
    overlay.scrollIntoView({ block: "nearest" });
    target.focus({ preventScroll: true });
  }
  function showStop(stop) {
    activeStop = stop;
    reachedStop = stop.id;
    video.pause();
    overlay.replaceChildren();
    overlay.hidden = false;
    const heading = el("h3", { text: "Reflektionsstopp" });
    if (stop.prompt) {
      fields.set(stop.id, (fields.get(stop.id) || []).filter((area) => area.isConnected));
      const [label, area] = logbookField(stop, "stop", 4);
      overlay.append(heading, label,
        el("p", { class: "rk-hint", text: "Det du skriver här är din loggbok. Bara du ser den." }), area,
        continueButton());
      bringIntoView(area);
    } else {
      const left = el("p", { class: "rk-hint", role: "timer", text: `Stanna upp en stund (${stop.pause_seconds} s).` });
      overlay.append(heading, el("p", { class: "rk-prompt", text: "Ett tyst stopp: tänk efter i lugn och ro." }), left,
        continueButton());
      bringIntoView(overlay);
    }
    sync(true);
  }
  function queueLogbook() {
    clearTimeout(logbookTimer);
    logbookTimer = setTimeout(() => { model.set("logbook", logbook); model.save_changes(); }, 400);
  }
  function resume() {
    clearTimeout(logbookTimer);
    model.set("logbook", logbook);
    model.save_changes();
    overlay.hidden = true;
    activeStop = null;
    video.focus();
    video.play();
  }

  on(video, "loadedmetadata", () => {
    const position = model.get("position");
    if (position > 0 && position < video.duration - 2 && !signOn) video.currentTime = position;
    for (const track of video.textTracks) track.mode = track.language === "sv" ? "showing" : "disabled";
  });
  on(video, "seeking", () => {
    if (!allowed(video.currentTime)) {
      status.textContent = HELD_BACK;
      video.currentTime = furthest(segments);
    }
    lastTime = null;
  });
  on(video, "timeupdate", () => {
    const t = video.currentTime;
    if (!video.seeking && isPlayedStep(lastTime, t)) {
      segments = mergeSegments([...segments, [lastTime, t]]);
      const stop = activeStop ? null : stopCrossed(stops, lastTime, t);
      if (stop) { lastTime = t; showStop(stop); return; }
    }
    if (loop.checked) {
      const current = chapterAt(chapters, lastTime ?? t);
      if (current && t >= current.end - 0.05) { video.currentTime = current.start; lastTime = null; return; }
    }
    lastTime = t;
    highlight(t);
    sync(false);
  });
  on(video, "ended", () => {
    const end = video.duration;
    const last = stopAtEnd(stops, end, reachedStop);
    if (last && !activeStop) showStop(last);
    if (furthest(segments) >= end - 1) model.set("completed_once", true);
    sync(true);
  });
  on(video, "pause", () => sync(true));
  on(video, "error", () => showFallback(UNPLAYABLE));
  if (!mainSrc) showFallback(MISSING);

  function showFallback(notice) {
    if (!fallback.hidden) return;
    stage.hidden = true; controls.hidden = true; help.hidden = true; chapterList.hidden = true;
    if (standIn) standIn.hidden = true;
    transcript.hidden = true; logbookPanel.hidden = true;
    const read = new Set(model.get("chapters_read"));
    fallback.append(el("p", { class: "rk-notice", role: "alert", text: notice }),
      el("p", { text: "Läs kapitlen och vad som sägs i filmen, svara i loggboken och markera varje kapitel " +
        "du har läst. Så blir du klar med modulen." }));
    for (const chapter of chapters) {
      const box = el("input", { type: "checkbox", id: id("read", chapter.id), checked: read.has(chapter.id) });
      on(box, "change", () => {
        if (box.checked) read.add(chapter.id); else read.delete(chapter.id);
        model.set("chapters_read", [...read]);
        model.save_changes();
      });
      const section = el("section", { class: "rk-fallback-chapter" }, el("h3", { text: chapter.title }),
        el("p", { text: chapter.summary }));
      section.append(el("details", {}, el("summary", { text: "Läs vad som sägs i kapitlet" }),
        el("p", { text: chapterText(cues, chapter) })));
      for (const stop of stops.filter((s) => s.chapter === chapter.id)) {
        if (!stop.prompt) { section.append(el("p", { class: "rk-hint", text: "Stanna upp en stund och tänk efter." })); continue; }
        section.append(...logbookField(stop, "fallback", 3));
      }
      section.append(el("span", { class: "rk-check" }, box, el("label", { for: box.id, text: "Jag har läst kapitlet" })));
      fallback.append(section);
    }
    fallback.hidden = false;
  }

  on(root, "keydown", (event) => {
    if (event.target.closest("textarea, input, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    const t = video.currentTime;
    const jump = { p: neighbourStart(chapters, t, -1), n: neighbourStart(chapters, t, 1) }[key];
    if (key === "k") { if (video.paused) video.play(); else video.pause(); }
    else if (key === "j") seek(Math.max(0, t - 10), true);
    else if (key === "l") seek(t + 10, true);
    else if (jump != null) seek(jump, true);
    else if (key === "t") transcriptToggle.click();
    else return;
    event.preventDefault();
  });
  function logbookChanged() {
    logbook = { ...model.get("logbook") };
    for (const [stopId, areas] of fields) {
      for (const area of areas) if (document.activeElement !== area) area.value = logbook[stopId] || "";
    }
  }
  model.on("change:logbook", logbookChanged);

  return () => {
    listening.abort();
    model.off("change:logbook", logbookChanged);
    clearTimeout(logbookTimer);
    video.pause();
  };
}

export default { render };
