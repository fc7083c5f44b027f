// sitrep's page: vanilla JS, no libraries. The map is SVG in an equirectangular
// projection (longitudes shrunk by cos of the middle latitude); the timeline is an SVG
// histogram with a drag brush; every filter change re-queries the JSON API.
"use strict";

const TYPES = ["ground_attack", "advance", "capture", "withdrawal", "encirclement", "strike", "repelled",
  "deployment", "casualties", "prisoners", "evacuation", "fortification", "aid", "diplomacy", "threat", "weapons"];
const COLOURS = {
  ground_attack: "#d1495b", advance: "#e07a1f", capture: "#8e2c8e", withdrawal: "#2a7f62", encirclement: "#b5179e",
  strike: "#c1121f", repelled: "#3a86ff", deployment: "#6c757d", casualties: "#5f0f40", prisoners: "#9c6644",
  evacuation: "#00a6a6", fortification: "#7f5539", aid: "#2b9348", diplomacy: "#4361ee", threat: "#f3722c", weapons: "#495057",
};
const SVG = "http://www.w3.org/2000/svg";
const PAGE = 50;

const state = {
  filters: { q: "", type: "", stance: "", side: "", place_id: "", place_name: "" },
  range: null, // [since, until] as YYYY-MM-DD
  offset: 0,
  features: {}, // reconciliation routes present on this server
};

const $ = (sel) => document.querySelector(sel);
function el(tag, attrs = {}, ...children) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === "class") e.setAttribute("class", v);
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "style") e.setAttribute("style", v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
const label = (t) => t.replace(/_/g, " ");

async function api(path) {
  const r = await fetch(path);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || `${r.status} ${path}`);
  return body;
}
function status(text) { $("#status").textContent = text; }

function query(extra = {}, withRange = true) {
  const p = new URLSearchParams();
  const f = state.filters;
  for (const k of ["q", "type", "stance", "side", "place_id"]) if (f[k]) p.set(k, f[k]);
  if (withRange && state.range) { p.set("since", state.range[0]); p.set("until", state.range[1]); }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

// ---- map --------------------------------------------------------------------------

const map = { bbox: null, k: 1, kx: 1 };
function project(lon, lat) {
  const [w, , , n] = map.bbox;
  return [(lon - w) * map.kx, (n - lat) * map.k];
}
function pathOf(rings) {
  let d = "";
  for (const ring of rings) {
    ring.forEach(([lon, lat], i) => {
      const [x, y] = project(lon, lat);
      d += (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
    });
    d += "Z";
  }
  return d;
}

async function drawBasemap() {
  const base = await (await fetch("/assets/basemap.json")).json();
  map.bbox = base.bbox;
  const [w, s, e, n] = base.bbox;
  const mid = ((s + n) / 2) * Math.PI / 180;
  map.k = 10;
  map.kx = 10 * Math.cos(mid);
  const svg = $("#map");
  const width = (e - w) * map.kx, height = (n - s) * map.k;
  // Frame Ukraine and the border regions; the rest of the box is context.
  const [x0, y0] = project(21.5, 53.8), [x1, y1] = project(41.5, 44.0);
  svg.setAttribute("viewBox", `${x0} ${y0} ${x1 - x0} ${y1 - y0}`);
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  const g = el("svg:g", { id: "basemap" });
  g.append(el("svg:rect", { x: 0, y: 0, width, height, fill: "none" }));
  for (const c of base.countries) g.append(el("svg:path", { class: "country", d: pathOf(c.rings) }, el("svg:title", { text: c.name })));
  for (const a of base.areas) g.append(el("svg:path", { class: `area ${a.country}`, d: pathOf(a.rings), "data-iso": a.iso }, el("svg:title", { text: a.name })));
  svg.append(g, el("svg:g", { id: "markers" }));
}

/// Screen pixels per SVG unit (the viewBox is fitted with "meet").
function pxPerUnit() {
  const svg = $("#map");
  const vb = svg.viewBox.baseVal;
  const b = svg.getBoundingClientRect();
  return Math.max(0.1, Math.min(b.width / vb.width, b.height / vb.height));
}

async function drawMarkers() {
  const { places } = await api("/api/places?" + query());
  const g = $("#markers");
  g.replaceChildren();
  const unit = pxPerUnit();
  const seen = new Set();
  const labels = el("svg:g", { class: "labels" });
  // Largest first so small markers stay clickable on top.
  for (const p of [...places].sort((a, b) => b.claims - a.claims)) {
    const [x, y] = project(p.lon, p.lat);
    const top = Object.entries(p.types).sort((a, b) => b[1] - a[1])[0][0];
    seen.add(top);
    const size = p.corroboration ?? p.claims;
    const r = (4 + 3 * Math.sqrt(size)) / unit; // 7 px for one claim, 13 px for four
    // Label the largest places, skipping any that would sit on a label already drawn.
    // Boxes in screen pixels: the label starts right of the marker, ~6.5 px a letter.
    const bx = (x + r) * unit, by = y * unit, bw = 6.5 * p.name.length + 4;
    const free = [...labels.children].every((t) =>
      Math.abs(t.by - by) > 13 || bx + bw < t.bx - 4 || t.bx + t.bw < bx - 4);
    if (labels.children.length < 12 && free) {
      const t = el("svg:text", { class: "label", x: (x + r + 2 / unit).toFixed(2), y: (y + 4 / unit).toFixed(2), "font-size": (11 / unit).toFixed(2), text: p.name });
      Object.assign(t, { x0: x, y0: y, bx, by, bw });
      labels.append(t);
    }
    const summary = Object.entries(p.types).map(([t, n]) => `${label(t)} ${n}`).join(", ");
    const c = el("svg:circle", {
      class: "marker" + (state.filters.place_id === (p.place_id || "") && p.place_id ? " selected" : ""),
      cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), fill: COLOURS[top] || "#999",
      "data-place": p.name, "data-claims": p.claims,
      onclick: () => selectPlace(p),
    }, el("svg:title", { text: `${p.name}: ${p.claims} claim(s): ${summary}` }));
    g.append(c);
  }
  g.append(labels);
  drawLegend(seen);
}

/// The colours of the types on the map now (each marker takes its most frequent type).
function drawLegend(types) {
  const legend = $("#legend");
  const shown = TYPES.filter((t) => types.has(t));
  legend.replaceChildren(...shown.map((t) => el("span", { style: `--c:${COLOURS[t]}`, text: label(t) })),
    el("span", { class: "meta", text: state.features.events ? "size: corroboration" : "size: claims at the place" }));
}

function selectPlace(p) {
  if (state.filters.place_id === p.place_id) clearPlace();
  else {
    state.filters.place_id = p.place_id || "";
    state.filters.place_name = p.name;
    const box = $("#place-filter");
    box.hidden = false;
    box.replaceChildren(`Place: ${p.name}`, el("button", { type: "button", text: "×", "aria-label": "Any place", onclick: clearPlace }));
    if (state.features.control) {
      $("#control-form [name=place]").value = p.name;
      if (state.view === "control") loadControl().catch((e) => status(e.message));
    }
  }
  refresh();
}
function clearPlace() {
  state.filters.place_id = "";
  state.filters.place_name = "";
  $("#place-filter").hidden = true;
  refresh();
}

// ---- timeline ---------------------------------------------------------------------

const tl = { days: [], start: 0, end: 0, width: 600, height: 90 };
const DAY = 86400000;
const toDay = (s) => Date.parse(s + "T00:00:00Z");
const fromDay = (t) => new Date(t).toISOString().slice(0, 10);

async function drawTimeline() {
  const { days, undated } = await api("/api/timeline?" + query({}, false));
  tl.days = days;
  const svg = $("#timeline");
  svg.replaceChildren();
  tl.width = svg.clientWidth || 600;
  svg.setAttribute("viewBox", `0 0 ${tl.width} ${tl.height}`);
  if (!days.length) {
    svg.append(el("svg:text", { x: 8, y: 40, class: "axis", text: `no dated claims (${undated} undated)` }));
    return;
  }
  tl.start = toDay(days[0].day) - DAY;
  tl.end = toDay(days[days.length - 1].day) + 2 * DAY;
  const max = Math.max(...days.map((d) => d.claims));
  const plotH = tl.height - 18;
  const bw = Math.max(2, (tl.width * DAY) / (tl.end - tl.start) - 1);
  for (const d of days) {
    const x = xOf(toDay(d.day));
    const h = Math.max(2, (plotH - 4) * d.claims / max);
    const inRange = state.range && d.day >= state.range[0] && d.day <= state.range[1];
    svg.append(el("svg:rect", { class: "bar" + (inRange ? " in" : ""), x: x.toFixed(1), y: (plotH - h).toFixed(1), width: bw.toFixed(1), height: h.toFixed(1) },
      el("svg:title", { text: `${d.day}: ${d.claims}` })));
  }
  // Month ticks, thinned to fit.
  const ticks = [];
  const t0 = new Date(tl.start);
  for (let t = Date.UTC(t0.getUTCFullYear(), t0.getUTCMonth(), 1); t <= tl.end; ) {
    if (t >= tl.start) ticks.push(t);
    const d = new Date(t);
    t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const every = Math.max(1, Math.ceil(ticks.length / Math.max(1, Math.floor(tl.width / 70))));
  ticks.forEach((t, i) => {
    if (i % every) return;
    const x = xOf(t);
    if (x > tl.width - 40) return; // no label cut at the right edge
    svg.append(el("svg:text", { class: "axis", x: x.toFixed(1), y: tl.height - 4, text: fromDay(t).slice(0, 7) }));
  });
  svg.append(el("svg:text", { class: "axis", x: tl.width - 4, y: 10, "text-anchor": "end", text: undated ? `+ ${undated} undated` : "" }));
  if (state.range) {
    const a = xOf(toDay(state.range[0])), b = xOf(toDay(state.range[1]) + DAY);
    svg.append(el("svg:rect", { class: "brush", x: a, y: 0, width: Math.max(1, b - a), height: plotH }));
  }
}
const xOf = (t) => ((t - tl.start) / (tl.end - tl.start)) * tl.width;
const tOf = (x) => tl.start + (x / tl.width) * (tl.end - tl.start);

function setupBrush() {
  const svg = $("#timeline");
  let from = null, rect = null;
  const xAt = (ev) => {
    const b = svg.getBoundingClientRect();
    return Math.min(tl.width, Math.max(0, ((ev.clientX - b.left) / b.width) * tl.width));
  };
  svg.addEventListener("pointerdown", (ev) => {
    if (!tl.days.length) return;
    from = xAt(ev);
    svg.setPointerCapture(ev.pointerId);
    rect = el("svg:rect", { class: "brush", x: from, y: 0, width: 1, height: tl.height - 18 });
    svg.append(rect);
  });
  svg.addEventListener("pointermove", (ev) => {
    if (from === null) return;
    const x = xAt(ev);
    rect.setAttribute("x", Math.min(from, x));
    rect.setAttribute("width", Math.max(1, Math.abs(x - from)));
  });
  svg.addEventListener("pointerup", (ev) => {
    if (from === null) return;
    const x = xAt(ev);
    const [a, b] = [Math.min(from, x), Math.max(from, x)];
    from = null;
    if (b - a < 3) setRange(null);
    else setRange([fromDay(tOf(a)), fromDay(tOf(b))]);
  });
}

function setRange(range) {
  state.range = range;
  const box = $("#range");
  box.replaceChildren();
  if (range) box.append(`${range[0]} – ${range[1]}`, el("button", { type: "button", text: "×", "aria-label": "All dates", onclick: () => setRange(null) }));
  refresh();
}

// ---- claims -----------------------------------------------------------------------

/// The sentence with the claim's parts highlighted: `detail` holds character spans
/// into the article; the sentence starts at `span[0]`.
function highlighted(c) {
  const chars = Array.from(c.sentence);
  const base = c.span[0];
  const parts = [];
  for (const part of ["trigger", "place", "when", "quantity", "source", "quote"]) {
    const s = c.detail && c.detail[part];
    if (Array.isArray(s)) parts.push([s[0] - base, s[1] - base, part]);
  }
  parts.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out = el("p", { class: "sentence" });
  let at = 0;
  for (const [a, b, part] of parts) {
    if (a < at || a < 0 || b > chars.length || b <= a) continue; // overlapping or outside: skip
    if (a > at) out.append(chars.slice(at, a).join(""));
    out.append(el("mark", { class: part, title: part, text: chars.slice(a, b).join("") }));
    at = b;
  }
  out.append(chars.slice(at).join(""));
  return out;
}

function when(c) {
  if (!c.when) return null;
  return c.when.start === c.when.end || !c.when.end ? c.when.start : `${c.when.start} – ${c.when.end}`;
}

function claimCard(c) {
  const src = c.source || {};
  const head = el("div", { class: "card-head" },
    el("span", { class: "badge", text: label(c.type) }),
    el("span", { class: `stance ${c.stance}`, text: c.stance }),
    c.place ? el("span", { class: "place-name", text: c.place.name }) : null,
    when(c) ? el("span", { text: when(c) }) : null,
    c.quantity && c.quantity.text ? el("span", { text: `# ${c.quantity.text}` }) : null);
  const source = src.kind === "outlet" ? `${c.outlet || "the outlet"} (own reporting)` : `${src.name} (${label(src.kind || "")}${src.side ? ", " + src.side : ""})`;
  const meta = el("div", { class: "meta", text: `Source: ${source} · ${c.outlet || "unknown outlet"}, ${c.published || "undated"}${c.published_inferred ? " (inferred)" : ""}` });
  const links = el("div", { class: "links" },
    el("a", { onclick: () => openDocument(c.doc_id, c.claim_id), text: "article" }));
  const l = c.links;
  if (l && l.event && l.event.claims > 1) {
    links.append(el("a", { class: "corro", onclick: () => showEvent(l.event.id), text: `${l.event.claims - 1} corroborating claim(s) (${l.event.sources} source(s), ${l.event.outlets} outlet(s))` }));
  }
  for (const x of (l && l.contradictions) || []) {
    links.append(el("a", { class: "contra", title: x.summary || "", onclick: () => showClaim(x.claim_id), text: `contradicted by ${x.source || x.outlet || "another claim"}` }));
  }
  return el("li", { class: "claim-card", id: "claim-" + c.claim_id, style: `--c:${COLOURS[c.type] || "#999"}`, "data-claim": c.claim_id },
    head, highlighted(c), meta, links);
}

let claimsToken = 0;
async function loadClaims(append = false) {
  const mine = ++claimsToken;
  if (!append) state.offset = 0;
  const extra = { limit: PAGE, offset: state.offset, total: "true" };
  if (state.features.events) extra.links = "true";
  const page = await api("/api/claims?" + query(extra));
  if (mine !== claimsToken) return; // a newer request superseded this one
  const list = $("#claims");
  if (!append) list.replaceChildren();
  for (const c of page.claims) list.append(claimCard(c));
  state.offset = page.next_offset ?? state.offset + page.claims.length;
  $("#more").hidden = page.next_offset === null;
  const shown = list.children.length;
  $("#count").textContent = `${page.total} claim(s)${shown < page.total ? `, ${shown} shown` : ""}`;
}

async function showClaim(id) {
  const c = await api("/api/claims/" + encodeURIComponent(id));
  const list = $("#claims");
  showView("claims");
  let card = document.getElementById("claim-" + c.claim_id);
  if (!card) { card = claimCard(c); list.prepend(card); }
  document.querySelectorAll(".claim-card.target").forEach((e) => e.classList.remove("target"));
  card.classList.add("target");
  card.scrollIntoView({ block: "nearest" });
}

// ---- one document -----------------------------------------------------------------

async function openDocument(id, claimId) {
  const d = await api("/api/documents/" + encodeURIComponent(id));
  const doc = d.document;
  $("#doc-title").textContent = doc.title || doc.origin;
  $("#doc-meta").textContent = [doc.outlet, doc.published, doc.url, `${d.claims.length} claim(s)`].filter(Boolean).join(" · ");
  const chars = Array.from(doc.text);
  // Highlights: the chosen claim's parts over the article's mentions.
  const spans = d.mentions.map((m) => [m.start, m.end, m.kind === "time" ? "when" : m.kind]);
  const chosen = d.claims.find((c) => c.claim_id === claimId);
  if (chosen) for (const part of ["trigger", "source"]) {
    const s = chosen.detail[part];
    if (Array.isArray(s)) spans.push([s[0], s[1], part]);
  }
  for (const c of d.claims) if (c !== chosen) spans.push([c.detail.trigger[0], c.detail.trigger[1], "trigger"]);
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const box = $("#doc-text");
  box.replaceChildren();
  let at = 0;
  for (const [a, b, kind] of spans) {
    if (a < at || b <= a) continue;
    box.append(chars.slice(at, a).join(""), el("mark", { class: kind, title: kind, text: chars.slice(a, b).join("") }));
    at = b;
  }
  box.append(chars.slice(at).join(""));
  showView("doc");
}

// ---- views and reconciliation ------------------------------------------------------

function showView(name, load = true) {
  state.view = name;
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== "view-" + name;
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.view === name);
  if (!load) return;
  const done = (p) => Promise.resolve(p).catch((e) => status(e.message));
  if (name === "control") done(loadControl());
  if (name === "report") done(loadReport());
  if (name === "events") done(loadEvents());
}

function corroborationText(co) {
  if (!co) return "";
  const sides = Object.entries(co.by_side || {}).map(([k, n]) => `${label(k)} ${n}`).join(", ");
  return `${co.sources} source(s), ${co.outlets} outlet(s)${sides ? " · " + sides : ""}`;
}

function eventCard(e) {
  const stances = Object.entries(e.stances || {}).map(([k, n]) => `${k} ${n}`).join(", ");
  const card = el("li", { class: "event-card", id: "event-" + e.id, style: `--c:${COLOURS[e.type] || "#999"}` },
    el("div", { class: "card-head" },
      el("span", { class: "badge", text: label(e.type) }),
      e.place ? el("span", { class: "place-name", text: e.place.name }) : el("span", { text: e.area }),
      e.start ? el("span", { text: e.start === e.end || !e.end ? e.start : `${e.start} – ${e.end}` }) : null,
      e.agent ? el("span", { text: e.agent }) : null),
    el("p", { class: "meta", text: `${e.claims.length} claim(s): ${stances} · ${corroborationText(e.corroboration)}` }));
  const links = el("div", { class: "links" });
  const box = el("ol", { class: "event-claims", hidden: "" });
  links.append(el("a", { text: "claims", onclick: async () => {
    if (!box.hidden) { box.hidden = true; return; }
    const d = await api("/api/events/" + encodeURIComponent(e.id));
    box.replaceChildren(...d.claims.map(claimCard));
    box.hidden = false;
  } }));
  if (e.contradictions && e.contradictions.length) links.append(el("span", { class: "contra", text: `${e.contradictions.length} contradiction(s)` }));
  card.append(links, box);
  return card;
}

let eventsOffset = 0;
async function loadEvents(append = false) {
  if (!append) eventsOffset = 0;
  const p = new URLSearchParams({ limit: PAGE, offset: eventsOffset });
  if (state.filters.type) p.set("type", state.filters.type);
  if (state.filters.place_name) p.set("place", state.filters.place_name);
  if (state.range) { p.set("since", state.range[0]); p.set("until", state.range[1]); }
  const page = await api("/api/events?" + p);
  const list = $("#events");
  if (!append) list.replaceChildren();
  for (const e of page.events) list.append(eventCard(e));
  eventsOffset = page.next_offset ?? eventsOffset;
  $("#events-more").hidden = page.next_offset === null;
}

/// From a claim card: the event's other claims, in the Events view.
async function showEvent(eventId) {
  const d = await api("/api/events/" + encodeURIComponent(eventId));
  showView("events", false);
  const card = eventCard(d.event);
  const box = card.querySelector(".event-claims");
  box.replaceChildren(...d.claims.map(claimCard));
  box.hidden = false;
  $("#events").replaceChildren(card);
  $("#events-more").hidden = true;
}

function refsText(refs) {
  return (refs || []).map((r) => (r.source.kind === "outlet" ? r.outlet || "outlet" : r.source.name) + (r.when ? ` (${r.when})` : "")).join("; ");
}

async function loadControl() {
  const place = $("#control-form [name=place]").value.trim();
  const { control } = await api("/api/control" + (place ? "?place=" + encodeURIComponent(place) : ""));
  const box = $("#control");
  box.replaceChildren();
  if (!control.length) { box.append(el("p", { class: "meta", text: "No control claims" + (place ? ` for “${place}”` : "") + "." })); return; }
  for (const l of control) {
    box.append(el("h3", { text: `${l.place.name} (${l.area}): ${l.current ? "held by " + l.current : "unclear"}` }));
    const table = el("table", { class: "ledger" },
      el("thead", {}, el("tr", {}, ...["since", "controller", "via", "claimed by", "denied by", "unconfirmed by", "corroboration"].map((h) => el("th", { text: h })))));
    const body = el("tbody");
    for (const e of l.entries) {
      body.append(el("tr", {},
        el("td", { text: e.since + (e.date_basis === "published" ? " (by publication)" : "") }),
        el("td", { text: e.controller }),
        el("td", { text: e.via }),
        el("td", { text: refsText(e.claimed_by) }),
        el("td", { text: refsText(e.denied_by) }),
        el("td", { text: refsText(e.unconfirmed_by) }),
        el("td", { class: "meta", text: corroborationText(e.corroboration) })));
    }
    table.append(body);
    box.append(el("div", { class: "table-wrap" }, table));
  }
}

function loadReport() {
  const p = new URLSearchParams({ format: "html" });
  if (state.range) { p.set("since", state.range[0]); p.set("until", state.range[1]); }
  const src = "/api/report?" + p;
  const box = $("#report");
  const frame = box.querySelector("iframe");
  if (frame && frame.getAttribute("src") === src) return;
  box.replaceChildren(el("p", { class: "meta" }, "The situation report of the date range picked on the timeline (all dates when none). ",
    el("a", { href: "/api/report?" + new URLSearchParams({ ...Object.fromEntries(p), format: "md" }), text: "Markdown" })),
    el("iframe", { src, title: "Situation report" }));
}

async function detectReconciliation() {
  try {
    await api("/api/events?limit=1");
    state.features.events = state.features.control = state.features.report = true;
    for (const b of document.querySelectorAll("#tabs button")) b.hidden = false;
  } catch (e) { /* a server without reconciliation: claims only */ }
}

// ---- wiring -----------------------------------------------------------------------

let refreshTimer = null;
function refresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    try {
      const extra = state.view === "events" ? loadEvents() : state.view === "report" ? loadReport() : null;
      await Promise.all([loadClaims(), drawMarkers(), drawTimeline(), extra]);
      status(state.summary || "");
    } catch (e) { status(e.message); }
  }, 60);
}

async function main() {
  const typeSelect = $("#filters [name=type]");
  for (const t of TYPES) typeSelect.append(el("option", { value: t, text: label(t) }));
  setupBrush();
  const form = $("#filters");
  form.addEventListener("input", (ev) => {
    const f = new FormData(form);
    for (const k of ["q", "type", "stance", "side"]) state.filters[k] = (f.get(k) || "").trim();
    if (state.filters.side.length && state.filters.side.length !== 3) state.filters.side = "";
    refresh();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => { Object.assign(state.filters, { q: "", type: "", stance: "", side: "" }); clearPlace(); setRange(null); }, 0);
  });
  form.addEventListener("submit", (ev) => ev.preventDefault());
  $("#more").addEventListener("click", () => loadClaims(true).catch((e) => status(e.message)));
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showView(b.dataset.view));
  document.querySelector("#view-doc .back").addEventListener("click", () => showView("claims"));
  $("#events-more").addEventListener("click", () => loadEvents(true).catch((e) => status(e.message)));
  $("#control-form").addEventListener("submit", (ev) => { ev.preventDefault(); loadControl().catch((e) => status(e.message)); });
  $("#control-form").addEventListener("input", () => { clearTimeout(state.controlTimer); state.controlTimer = setTimeout(() => loadControl().catch((e) => status(e.message)), 200); });
  window.addEventListener("resize", () => Promise.all([drawTimeline(), drawMarkers()]).catch(() => {}));
  try {
    const health = await api("/api/health");
    state.summary = `${health.articles} article(s), ${health.claims} claim(s)`;
    status(state.summary);
    await Promise.all([drawBasemap(), detectReconciliation()]);
    await Promise.all([loadClaims(), drawMarkers(), drawTimeline()]);
    document.body.dataset.ready = "true";
  } catch (e) {
    status(e.message);
  }
}
main();
