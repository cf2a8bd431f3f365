// Film player: chapters, reflection stops, watched segments, transcript, keyboard control.
// Contract (Python traits): src, small_src, poster, tracks, sign_src, notice, chapters, stops, cues, allow_skip, position,
// logbook (in/out), watched (out), current_time (out), chapter (out), stop_reached (out),
// completed_once (out), media_error (out), chapters_read (out, fallback only).

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5];
const SYNC_MS = 2000;
const WEAK_MBPS = 2; // below this (or with data saving on), the smaller version plays, where the browser says
// A missing film is not a passing fault: it has not been added yet. A present one the browser cannot play is.
const MISSING = "Filmen finns inte här än. Du kan läsa texten i stället.";
const UNPLAYABLE = "Filmen går inte att spela upp här. Du kan läsa texten i stället.";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return (h ? `${h}:${String(m).padStart(2, "0")}` : `${m}`) + `:${String(r).padStart(2, "0")}`;
}

export function mergeSegments(segments) {
  const sorted = segments.map(([a, b]) => [a, b]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 0.5) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out.map(([a, b]) => [Math.round(a * 10) / 10, Math.round(b * 10) / 10]);
}

function weakConnection() {
  const connection = navigator.connection;
  return Boolean(connection && (connection.saveData || (connection.downlink && connection.downlink < WEAK_MBPS)));
}

function render({ model, el: root }) {
  const chapters = model.get("chapters");
  const stops = [...model.get("stops")].sort((a, b) => a.at - b.at);
  const uid = Math.random().toString(36).slice(2, 8);
  let segments = mergeSegments(model.get("watched"));
  let lastTime = null;
  let lastSync = 0;
  let activeStop = null;
  let logbook = { ...model.get("logbook") };

  root.classList.add("rk-player");
  const status = el("p", { class: "rk-player-status", role: "status", "aria-live": "polite" });
  const video = el("video", { controls: true, preload: "metadata", playsinline: true, crossorigin: "anonymous",
    poster: model.get("poster") || false, "aria-label": "Film", id: `rk-video-${uid}` });
  for (const track of model.get("tracks")) {
    video.append(el("track", { kind: "subtitles", srclang: track.srclang, label: track.label, src: track.src,
      default: track.default }));
  }
  const mainSrc = weakConnection() && model.get("small_src") ? model.get("small_src") : model.get("src");
  if (mainSrc) video.src = mainSrc;

  const overlay = el("div", { class: "rk-stop", hidden: true, role: "region", "aria-label": "Reflektionsstopp",
    tabindex: "-1" });
  const stage = el("div", { class: "rk-stage" }, video, overlay);
  const standIn = model.get("notice") ? el("p", { class: "rk-standin", text: model.get("notice") }) : null;

  // Controls beside the native ones: speed, chapter loop, sign-language version, transcript.
  const speed = el("select", { id: `rk-speed-${uid}` });
  for (const s of SPEEDS) speed.append(el("option", { value: String(s), selected: s === 1, text: `${String(s).replace(".", ",")}×` }));
  speed.addEventListener("change", () => { video.playbackRate = Number(speed.value); });
  const loop = el("input", { type: "checkbox", id: `rk-loop-${uid}` });
  const transcriptToggle = el("button", { type: "button", class: "rk-button", "aria-expanded": "false",
    "aria-controls": `rk-transcript-${uid}`, text: "Visa texten till filmen" });
  const controls = el("div", { class: "rk-controls" },
    el("label", { for: speed.id, text: "Hastighet " }), speed,
    el("span", { class: "rk-check" }, loop, el("label", { for: loop.id, text: "Upprepa kapitlet" })),
    transcriptToggle);
  const signSrc = model.get("sign_src");
  let signOn = false;
  if (signSrc) {
    const sign = el("button", { type: "button", class: "rk-button", "aria-pressed": "false",
      text: "Med teckenspråkstolk" });
    sign.addEventListener("click", () => {
      const at = video.currentTime, playing = !video.paused;
      signOn = !signOn;
      sign.setAttribute("aria-pressed", String(signOn));
      video.src = signOn ? signSrc : mainSrc;
      video.addEventListener("loadedmetadata", () => { video.currentTime = at; if (playing) video.play(); }, { once: true });
    });
    controls.append(sign);
  }

  const chapterList = el("ol", { class: "rk-chapters", "aria-label": "Kapitel" });
  const chapterButtons = chapters.map((chapter, index) => {
    const button = el("button", { type: "button", class: "rk-chapter", "data-chapter": chapter.id },
      el("span", { class: "rk-chapter-time", text: clock(chapter.start) }),
      el("span", { text: `${index + 1}. ${chapter.title}` }));
    button.addEventListener("click", () => seek(chapter.start, true));
    chapterList.append(el("li", {}, button));
    return button;
  });

  const search = el("input", { type: "search", id: `rk-search-${uid}`, placeholder: "Sök i texten" });
  const cueList = el("div", { class: "rk-cues" });
  const transcript = el("section", { class: "rk-transcript", id: `rk-transcript-${uid}`, hidden: true,
    "aria-label": "Texten till filmen" },
    el("label", { for: search.id, text: "Sök i texten" }), search, cueList);
  const cueNodes = [];
  for (const chapter of chapters) {
    cueList.append(el("h4", { text: chapter.title }));
    for (const cue of model.get("cues").filter((c) => c.start >= chapter.start && c.start < chapter.end)) {
      const node = el("button", { type: "button", class: "rk-cue", "data-start": String(cue.start) },
        el("span", { class: "rk-chapter-time", text: clock(cue.start) }), el("span", { text: cue.text }));
      node.addEventListener("click", () => seek(cue.start, true));
      cueList.append(node);
      cueNodes.push(node);
    }
  }
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    let hits = 0;
    for (const node of cueNodes) {
      const show = !q || node.textContent.toLowerCase().includes(q);
      node.hidden = !show;
      hits += show ? 1 : 0;
    }
    status.textContent = q ? `${hits} träffar för ”${search.value.trim()}”` : "";
  });
  transcriptToggle.addEventListener("click", () => {
    transcript.hidden = !transcript.hidden;
    transcriptToggle.setAttribute("aria-expanded", String(!transcript.hidden));
    transcriptToggle.textContent = transcript.hidden ? "Visa texten till filmen" : "Dölj texten till filmen";
  });

  const help = el("p", { class: "rk-help", text:
    "Kortkommandon när filmen har fokus: K spela/pausa, J och L tio sekunder bakåt/framåt, " +
    "P och N föregående/nästa kapitel, T visa eller dölj texten." });

  const fallback = el("section", { class: "rk-fallback", hidden: true, "aria-label": "Kapitlen i text" });
  root.append(...(standIn ? [standIn] : []), stage, controls, status, el("div", { class: "rk-player-columns" }, chapterList, transcript), help, fallback);

  function furthest() {
    let end = 0;
    for (const [a, b] of segments) { if (a <= end + 0.5) end = Math.max(end, b); }
    return end;
  }
  function allowed(t) {
    return model.get("allow_skip") || model.get("completed_once") || t <= furthest() + 1;
  }
  function seek(t, fromUser) {
    if (fromUser && !allowed(t)) {
      status.textContent = "Du kan hoppa framåt när du har sett hela filmen en gång. Filmen fortsätter där du är.";
      return;
    }
    lastTime = null;
    video.currentTime = t;
    video.focus();
  }
  function chapterAt(t) {
    return chapters.find((c) => t >= c.start && t < c.end) || (t >= chapters[chapters.length - 1].end ? chapters[chapters.length - 1] : null);
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
    const current = chapterAt(t);
    for (const button of chapterButtons) {
      const on = current && button.dataset.chapter === current.id;
      button.classList.toggle("rk-current", Boolean(on));
      if (on) button.setAttribute("aria-current", "true"); else button.removeAttribute("aria-current");
    }
    if (current && model.get("chapter") !== current.id) { model.set("chapter", current.id); model.save_changes(); }
  }

  const fields = new Map();
  function logbookField(stop, prefix, rows) {
    const area = el("textarea", { id: `rk-${prefix}-${uid}-${stop.id}`, rows: String(rows) });
    area.value = logbook[stop.id] || "";
    area.addEventListener("input", () => {
      logbook = { ...logbook, [stop.id]: area.value };
      for (const other of fields.get(stop.id) || []) if (other !== area) other.value = area.value;
      queueLogbook();
    });
    fields.set(stop.id, [...(fields.get(stop.id) || []), area]);
    return [el("label", { for: area.id, class: "rk-prompt", text: stop.prompt }), area];
  }
  const logbookPanel = el("details", { class: "rk-logbook" },
    el("summary", { text: "Din loggbok – bara du ser den" }));
  for (const stop of stops.filter((s) => s.prompt)) {
    logbookPanel.append(el("div", { class: "rk-logbook-entry" }, ...logbookField(stop, "panel", 3)));
  }
  root.insertBefore(logbookPanel, help);

  function showStop(stop) {
    activeStop = stop;
    video.pause();
    overlay.replaceChildren();
    overlay.hidden = false;
    const heading = el("h3", { text: "Reflektionsstopp" });
    if (stop.prompt) {
      fields.set(stop.id, (fields.get(stop.id) || []).filter((area) => area.isConnected));
      const [label, area] = logbookField(stop, "stop", 4);
      overlay.append(heading, label,
        el("p", { class: "rk-hint", text: "Det du skriver här är din loggbok. Bara du ser den." }), area,
        el("button", { type: "button", class: "rk-button rk-primary", text: "Fortsätt titta", onclick: resume }));
      area.focus();
    } else {
      const left = el("p", { class: "rk-hint", role: "timer", text: `Stanna upp en stund (${stop.pause_seconds} s).` });
      overlay.append(heading, el("p", { class: "rk-prompt", text: "Ett tyst stopp: tänk efter i lugn och ro." }), left,
        el("button", { type: "button", class: "rk-button rk-primary", text: "Fortsätt titta", onclick: resume }));
      overlay.focus();
    }
    model.set("stop_reached", stop.id);
    sync(true);
  }
  let logbookTimer = null;
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

  video.addEventListener("loadedmetadata", () => {
    const position = model.get("position");
    if (position > 0 && position < video.duration - 2 && !signOn) video.currentTime = position;
    for (const track of video.textTracks) track.mode = track.language === "sv" ? "showing" : "disabled";
  });
  video.addEventListener("seeking", () => {
    if (!allowed(video.currentTime)) {
      status.textContent = "Du kan hoppa framåt när du har sett hela filmen en gång. Filmen fortsätter där du är.";
      video.currentTime = furthest();
    }
    lastTime = null;
  });
  video.addEventListener("timeupdate", () => {
    const t = video.currentTime;
    if (lastTime !== null && !video.seeking && t > lastTime && t - lastTime < 1.5) {
      segments = mergeSegments([...segments, [lastTime, t]]);
      for (const stop of stops) {
        if (!activeStop && lastTime < stop.at && t >= stop.at) { lastTime = t; showStop(stop); return; }
      }
    }
    if (loop.checked) {
      const current = chapterAt(lastTime ?? t);
      if (current && t >= current.end - 0.05) { video.currentTime = current.start; lastTime = null; return; }
    }
    lastTime = t;
    highlight(t);
    sync(false);
  });
  video.addEventListener("ended", () => {
    const end = video.duration;
    const last = stops.filter((s) => s.at >= end - 0.75 && s.id !== model.get("stop_reached"));
    if (last.length && !activeStop) showStop(last[0]);
    if (furthest() >= end - 1) { model.set("completed_once", true); }
    sync(true);
  });
  video.addEventListener("pause", () => sync(true));
  video.addEventListener("error", () => showFallback(UNPLAYABLE));
  if (!mainSrc) showFallback(MISSING);

  function showFallback(notice) {
    if (!fallback.hidden) return;
    model.set("media_error", true);
    model.save_changes();
    stage.hidden = true; controls.hidden = true; help.hidden = true; chapterList.hidden = true;
    if (standIn) standIn.hidden = true;
    transcript.hidden = true; logbookPanel.hidden = true;
    const read = new Set(model.get("chapters_read"));
    fallback.append(el("p", { class: "rk-notice", role: "alert", text: notice }),
      el("p", { text: "Läs kapitlen och vad som sägs i filmen, svara i loggboken och markera varje kapitel " +
        "du har läst. Så blir du klar med modulen." }));
    for (const chapter of chapters) {
      const box = el("input", { type: "checkbox", id: `rk-read-${uid}-${chapter.id}`, checked: read.has(chapter.id) });
      box.addEventListener("change", () => {
        if (box.checked) read.add(chapter.id); else read.delete(chapter.id);
        model.set("chapters_read", [...read]);
        model.save_changes();
      });
      const section = el("section", { class: "rk-fallback-chapter" }, el("h3", { text: chapter.title }),
        el("p", { text: chapter.summary }));
      const text = model.get("cues").filter((c) => c.start >= chapter.start && c.start < chapter.end)
        .map((c) => c.text.replace(/\n/g, " ")).join(" ");
      section.append(el("details", {}, el("summary", { text: "Läs vad som sägs i kapitlet" }), el("p", { text })));
      for (const stop of stops.filter((s) => s.chapter === chapter.id)) {
        if (!stop.prompt) { section.append(el("p", { class: "rk-hint", text: "Stanna upp en stund och tänk efter." })); continue; }
        section.append(...logbookField(stop, "fallback", 3));
      }
      section.append(el("span", { class: "rk-check" }, box, el("label", { for: box.id, text: "Jag har läst kapitlet" })));
      fallback.append(section);
    }
    fallback.hidden = false;
  }

  root.addEventListener("keydown", (event) => {
    if (event.target.closest("textarea, input, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    const t = video.currentTime;
    const index = chapters.indexOf(chapterAt(t));
    if (key === "k") { if (video.paused) video.play(); else video.pause(); }
    else if (key === "j") seek(Math.max(0, t - 10), true);
    else if (key === "l") seek(t + 10, true);
    else if (key === "n" && index < chapters.length - 1) seek(chapters[index + 1].start, true);
    else if (key === "p" && index > 0) seek(chapters[index - 1].start, true);
    else if (key === "t") transcriptToggle.click();
    else return;
    event.preventDefault();
  });
  model.on("change:logbook", () => {
    logbook = { ...model.get("logbook") };
    for (const [id, areas] of fields) {
      for (const area of areas) if (document.activeElement !== area) area.value = logbook[id] || "";
    }
  });
}

export default { render };
