/* dyad web page: vanilla JS over the JSON API, no libraries, no network beyond this server.
   Data from the API is only ever put in the page as text nodes or attributes, never as HTML. */
"use strict";

const $ = (sel) => document.querySelector(sel);
const SVG = "http://www.w3.org/2000/svg";
const PAGE = 50;
const COOP = "#1a9850", CONFLICT = "#d73027", ACCENT = "#2c5d9e";
const state = { offset: 0, total: 0, filters: {}, tab: "events", config: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}

function svgEl(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

function showError(message) {
  const box = $("#error");
  box.textContent = message || "";
  box.hidden = !message;
}

async function api(path, params = {}, options = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined && v !== false) qs.set(k, v);
  const url = path + (qs.toString() ? "?" + qs : "");
  const res = await fetch(url, options);
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

function who(name, country) { return name ? (country ? `${name} (${country})` : name) : "?"; }

/* ---------------------------------------------------------------- filters */

function readFilters() {
  const form = $("#filters");
  const f = {};
  for (const name of ["actor", "country", "dyad", "type", "quad", "since", "until", "text"]) {
    const v = form.elements[name].value.trim();
    if (v) f[name] = v;
  }
  if (form.elements.directed.checked) f.directed = true;
  return f;
}

function writeFilters(f) {
  const form = $("#filters");
  for (const name of ["actor", "country", "dyad", "type", "quad", "since", "until", "text"]) form.elements[name].value = f[name] || "";
  form.elements.directed.checked = !!f.directed;
}

function saveToUrl() {
  const qs = new URLSearchParams(state.filters);
  qs.set("tab", state.tab);
  history.replaceState(null, "", "?" + qs.toString());
}

function loadFromUrl() {
  const qs = new URLSearchParams(location.search);
  const f = {};
  for (const [k, v] of qs) if (k !== "tab") f[k] = v;
  if (f.directed) f.directed = f.directed === "true";
  writeFilters(f);
  return qs.get("tab") || "events";
}

async function search() {
  state.filters = readFilters();
  state.offset = 0;
  showError("");
  closeEvent();  // the open event may not match the new filters
  saveToUrl();
  await refresh();
}

async function refresh() {
  try {
    const views = { events: loadEvents, timeline: drawTimeline, network: drawNetwork, map: drawMap, quotes: loadQuotes, paste: async () => {} };
    await views[state.tab]();
  } catch (err) {
    showError(err.message);
  }
}

/* ---------------------------------------------------------------- events + detail */

async function loadEvents() {
  const data = await api("/api/events", { ...state.filters, limit: PAGE, offset: state.offset });
  state.total = data.total;
  const body = clear($("#events-table tbody"));
  for (const e of data.events) {
    const row = el("tr", { "data-id": e.id, onclick: () => openEvent(e.id, row) },
      el("td", {}, e.day || ""),
      el("td", { class: "q-" + (e.quad || "") }, e.type + (e.mode ? " · " + e.mode : "") + (e.negated ? " (negated)" : "")),
      el("td", {}, who(e.source_name, e.source_country)),
      el("td", {}, who(e.target_name, e.target_country)),
      el("td", {}, e.place_name || ""),
      el("td", { class: "evidence" }, el("div", { class: "clamp", title: e.evidence || "" }, e.evidence || "")));
    body.append(row);
  }
  const end = Math.min(state.offset + data.events.length, data.total);
  $("#events-count").textContent = data.total ? `${state.offset + 1}–${end} of ${data.total} events` : "No events match.";
  $("#prev").disabled = state.offset === 0;
  $("#next").disabled = end >= data.total;
}

/* Article text with the evidence spans wrapped in <mark>, built from text nodes. */
function highlighted(text, spans) {
  const frag = document.createDocumentFragment();
  const sorted = spans.filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start)
    .sort((a, b) => a.start - b.start);
  let pos = 0;
  for (const s of sorted) {
    if (s.start < pos) continue;  // overlapping spans: keep the first
    frag.append(document.createTextNode(text.slice(pos, s.start)));
    frag.append(el("mark", { class: "evidence" }, text.slice(s.start, s.end)));
    pos = s.end;
  }
  frag.append(document.createTextNode(text.slice(pos)));
  return frag;
}

function closeEvent() {
  document.querySelectorAll("#events-table tr.selected").forEach((r) => r.classList.remove("selected"));
  $("#detail").hidden = true;
  $("#tab-events .split").classList.remove("open");
}

async function openEvent(id, row) {
  try {
    const d = await api("/api/events/" + encodeURIComponent(id));
    document.querySelectorAll("#events-table tr.selected").forEach((r) => r.classList.remove("selected"));
    if (row) row.classList.add("selected");
    const e = d.event, a = d.article;
    $("#detail").hidden = false;
    $("#tab-events .split").classList.add("open");
    $("#detail-title").textContent = a.title || a.id;
    clear($("#detail-meta")).append(
      [a.source, a.published, a.lang].filter(Boolean).join(" · "), " ",
      a.url ? el("a", { href: a.url, rel: "noopener noreferrer", target: "_blank" }, "source") : "");
    clear($("#detail-event")).append(
      el("strong", { class: "q-" + (e.quad || "") }, e.type + (e.mode ? " (" + e.mode + ")" : "")), " ",
      who(e.source_name, e.source_country), " → ", who(e.target_name, e.target_country),
      e.day ? " · " + e.day : "", e.place_name ? " · " + e.place_name : "",
      e.cameo ? " · CAMEO " + e.cameo : "", e.intensity !== null ? " · intensity " + e.intensity : "",
      e.num_mentions ? ` · ${e.num_mentions} mentions in ${e.num_articles} articles from ${e.num_sources} sources` : "");
    const text = clear($("#detail-text"));
    text.append(highlighted(a.text || "", d.evidence));
    const mark = text.querySelector("mark");
    if (mark) mark.scrollIntoView({ block: "center" });
  } catch (err) {
    showError(err.message);
  }
}

/* ---------------------------------------------------------------- timeline */

async function drawTimeline() {
  const by = $("#timeline-by").value;
  const data = await api("/api/dyads", { ...state.filters, by, level: "country", limit: 500 });
  const periods = new Map();
  for (const r of data.dyads) {
    const p = periods.get(r.period) || { period: r.period, coop: 0, conflict: 0, sum: 0, n: 0 };
    p.coop += r.coop; p.conflict += r.conflict;
    if (r.mean_intensity !== null) { p.sum += r.mean_intensity * r.events; p.n += r.events; }
    periods.set(r.period, p);
  }
  const rows = [...periods.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
  const dyads = new Set(data.dyads.map((r) => r.dyad));
  $("#timeline-title").textContent = dyads.size === 1 ? "· " + [...dyads][0] : `· ${dyads.size} dyads`;
  const svg = clear($("#timeline-svg"));
  const W = 900, H = 320, L = 90, R = 40, T = 15, B = 40, mid = T + (H - T - B) / 2;
  if (!rows.length) { svg.append(svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "No dated events match.")); return; }
  // a real time axis: each bar spans its period, so gaps between periods show as gaps
  for (const r of rows) { r.t0 = utc(r.period); r.t1 = addPeriod(r.t0, by); }
  const t0 = rows[0].t0, t1 = rows[rows.length - 1].t1;
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.coop, r.conflict)));
  const half = (H - T - B) / 2;
  for (const [t, label] of timeTicks(t0, t1)) {
    svg.append(svgEl("line", { class: "tick", x1: x(t), x2: x(t), y1: T, y2: H - B }));
    svg.append(svgEl("text", { class: "tick-label", x: x(t), y: H - B + 16, "text-anchor": "middle" }, label));
  }
  svg.append(svgEl("line", { class: "axis", x1: L, x2: W - R, y1: mid, y2: mid }));
  svg.append(svgEl("line", { class: "axis", x1: L, x2: L, y1: T, y2: H - B }));
  svg.append(svgEl("text", { class: "y-label", x: L - 6, y: T + 10, "text-anchor": "end" }, `${max} cooperation`));
  svg.append(svgEl("text", { class: "y-label", x: L - 6, y: mid + 4, "text-anchor": "end" }, "0"));
  svg.append(svgEl("text", { class: "y-label", x: L - 6, y: H - B, "text-anchor": "end" }, `${max} conflict`));
  svg.append(svgEl("text", { x: W - R + 6, y: T + 10 }, "+10"));
  svg.append(svgEl("text", { x: W - R + 6, y: H - B }, "−10"));
  const points = [];
  for (const r of rows) {
    const x0 = x(r.t0), x1 = x(r.t1), bw = Math.min(40, Math.max(2, (x1 - x0) * 0.8)), bx = (x0 + x1 - bw) / 2;
    const up = (r.coop / max) * half, down = (r.conflict / max) * half;
    const g = svgEl("g", { class: "period", "data-period": r.period });
    g.append(svgEl("title", {}, `${r.period}: ${r.coop} cooperation, ${r.conflict} conflict`));
    if (r.coop) g.append(svgEl("rect", { class: "coop", x: bx, y: mid - up, width: bw, height: up, fill: COOP }));
    if (r.conflict) g.append(svgEl("rect", { class: "conflict", x: bx, y: mid, width: bw, height: down, fill: CONFLICT }));
    svg.append(g);
    if (r.n) points.push(`${bx + bw / 2},${mid - (r.sum / r.n / 10) * half}`);
  }
  if (points.length > 1) svg.append(svgEl("polyline", { points: points.join(" "), fill: "none", stroke: ACCENT, "stroke-width": 2 }));
  points.forEach((p) => { const [cx, cy] = p.split(","); svg.append(svgEl("circle", { cx, cy, r: 3, fill: ACCENT })); });
}

const DAY = 86400000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function utc(iso) { const [y, m, d] = iso.slice(0, 10).split("-").map(Number); return Date.UTC(y, m - 1, d || 1); }

function addPeriod(t, by) {
  const d = new Date(t);
  if (by === "year") return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  if (by === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return t + (by === "week" ? 7 : 1) * DAY;
}

/* Ticks at round dates between t0 and t1 (years, quarters, months, weeks or days), at most ~10. */
function timeTicks(t0, t1) {
  const days = (t1 - t0) / DAY, out = [];
  const start = new Date(t0);
  if (days > 3 * 365 || days > 100) {
    const monthsStep = days > 3 * 365 ? 12 * Math.ceil(days / 365 / 10) : [1, 2, 3, 6].find((k) => days / 30 / k <= 10) || 12;
    let y = start.getUTCFullYear(), m = start.getUTCMonth();
    m = Math.ceil(m / monthsStep) * monthsStep;
    for (let t = Date.UTC(y, m, 1); t <= t1; m += monthsStep, t = Date.UTC(y, m, 1)) {
      if (t < t0) continue;
      const d = new Date(t);
      out.push([t, monthsStep >= 12 || d.getUTCMonth() === 0 ? String(d.getUTCFullYear()) : `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`]);
    }
  } else {
    const step = [1, 2, 7, 14].find((k) => days / k <= 10) || 28;
    for (let t = t0; t <= t1; t += step * DAY) { const d = new Date(t); out.push([t, `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`]); }
  }
  return out;
}

/* ---------------------------------------------------------------- network (own force layout) */

function layout(nodes, edges, W, H) {
  const byId = new Map(nodes.map((n, i) => {
    const a = (2 * Math.PI * i) / nodes.length;
    n.x = W / 2 + (W / 3) * Math.cos(a); n.y = H / 2 + (H / 3) * Math.sin(a); n.vx = 0; n.vy = 0;
    return [n.id, n];
  }));
  const links = edges.map((e) => [byId.get(e.source), byId.get(e.target), e]).filter(([s, t]) => s && t);
  const k = Math.sqrt((W * H) / Math.max(1, nodes.length)) * 0.6;
  for (let it = 0; it < 300; it++) {
    const cool = 1 - it / 300;
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        let dx = a.x - b.x, dy = a.y - b.y; const d2 = Math.max(dx * dx + dy * dy, 1);
        const f = (k * k) / d2; a.vx += dx * f * 0.05; a.vy += dy * f * 0.05;
      }
    }
    for (const [s, t] of links) {
      if (s === t) continue;
      const dx = t.x - s.x, dy = t.y - s.y, d = Math.max(Math.hypot(dx, dy), 1);
      const f = (d - k) / d * 0.05;
      s.vx += dx * f; s.vy += dy * f; t.vx -= dx * f; t.vy -= dy * f;
    }
    for (const n of nodes) {
      n.vx += (W / 2 - n.x) * 0.005; n.vy += (H / 2 - n.y) * 0.005;
      const v = Math.hypot(n.vx, n.vy), lim = 20 * cool + 1;
      if (v > lim) { n.vx *= lim / v; n.vy *= lim / v; }
      n.x = Math.min(W - 60, Math.max(60, n.x + n.vx)); n.y = Math.min(H - 36, Math.max(30, n.y + n.vy));
      n.vx *= 0.6; n.vy *= 0.6;
    }
  }
  // nodes pushed against the same border can end on top of each other: keep them apart
  for (let it = 0; it < 100; it++) {
    let moved = false;
    for (const a of nodes) for (const b of nodes) {
      if (a === b) continue;
      const dx = a.x - b.x, dy = a.y - b.y, d = Math.hypot(dx, dy), min = 80;
      if (d >= min) continue;
      const ux = d ? dx / d : 1, uy = d ? dy / d : 0, push = (min - d) / 2;
      a.x = Math.min(W - 60, Math.max(60, a.x + ux * push)); a.y = Math.min(H - 36, Math.max(30, a.y + uy * push));
      b.x = Math.min(W - 60, Math.max(60, b.x - ux * push)); b.y = Math.min(H - 36, Math.max(30, b.y - uy * push));
      moved = true;
    }
    if (!moved) break;
  }
  return links;
}

async function drawNetwork() {
  const data = await api("/api/network", { ...state.filters, limit: 150 });
  const svg = clear($("#network-svg"));
  const W = 900, H = 560;
  if (!data.nodes.length) { svg.append(svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "No actor pairs match.")); return; }
  const links = layout(data.nodes, data.edges, W, H);
  const maxE = Math.max(...data.edges.map((e) => e.events));
  for (const [s, t, e] of links) {
    const line = svgEl("line", { class: "edge", x1: s.x, y1: s.y, x2: t.x, y2: t.y,
      stroke: (e.mean_intensity ?? 0) >= 0 ? COOP : CONFLICT,
      "stroke-width": 1 + (4 * e.events) / maxE, "stroke-opacity": 0.7 });
    line.append(svgEl("title", {}, `${s.name} → ${t.name}: ${e.events} events (${e.coop} coop, ${e.conflict} conflict)`));
    svg.append(line);
  }
  const maxM = Math.max(...data.nodes.map((n) => n.n_mentions || 1));
  for (const n of data.nodes) {
    n.r = 5 + 10 * Math.sqrt((n.n_mentions || 1) / maxM);
    const g = svgEl("g", { class: "node", transform: `translate(${n.x},${n.y})` });
    g.append(svgEl("circle", { r: n.r,
      fill: n.kind === "state" ? "#8aa9d6" : n.kind === "org" ? "#c9a0dc" : "#f2b26b", stroke: "#fff" }));
    n.label = svgEl("text", { x: 0, y: -n.r - 4, "text-anchor": "middle" }, who(n.name, n.country));
    g.append(n.label);
    g.append(svgEl("title", {}, `${n.name} — click to filter`));
    g.addEventListener("click", () => { $("#filters").elements.actor.value = n.name; switchTab("events"); search(); });
    svg.append(g);
  }
  placeLabels(data.nodes, W, H);
}

/* Each label goes above, below, right or left of its node: the first place that overlaps no label
   placed before it (bigger nodes first) and no node; else the place that overlaps least. */
function placeLabels(nodes, W, H) {
  const boxes = nodes.map((n) => ({ x0: n.x - n.r, y0: n.y - n.r, x1: n.x + n.r, y1: n.y + n.r }));
  const overlap = (a, b) => Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) *
    Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
  const placed = [];
  for (const n of [...nodes].sort((a, b) => b.r - a.r)) {
    const bb = n.label.getBBox(), w = bb.width + 4, h = bb.height || 12;
    const spots = [
      { x: 0, y: -n.r - 4, anchor: "middle", box: { x0: n.x - w / 2, y0: n.y - n.r - 4 - h, x1: n.x + w / 2, y1: n.y - n.r - 4 } },
      { x: 0, y: n.r + h, anchor: "middle", box: { x0: n.x - w / 2, y0: n.y + n.r, x1: n.x + w / 2, y1: n.y + n.r + h + 2 } },
      { x: n.r + 4, y: 4, anchor: "start", box: { x0: n.x + n.r + 2, y0: n.y - h / 2 - 2, x1: n.x + n.r + 4 + w, y1: n.y + h / 2 + 2 } },
      { x: -n.r - 4, y: 4, anchor: "end", box: { x0: n.x - n.r - 4 - w, y0: n.y - h / 2 - 2, x1: n.x - n.r - 2, y1: n.y + h / 2 + 2 } },
    ];
    for (const [dy, y0] of [[-n.r - 4, n.y - n.r - 4 - h], [n.r + h, n.y + n.r]]) {  // above or below, shifted sideways
      spots.push({ x: -n.r, y: dy, anchor: "start", box: { x0: n.x - n.r, y0, x1: n.x - n.r + w, y1: y0 + h + 2 } });
      spots.push({ x: n.r, y: dy, anchor: "end", box: { x0: n.x + n.r - w, y0, x1: n.x + n.r, y1: y0 + h + 2 } });
    }
    let best = null, bestCost = Infinity;
    for (const s of spots) {
      const out = Math.max(0, -s.box.x0) + Math.max(0, s.box.x1 - W) + Math.max(0, -s.box.y0) + Math.max(0, s.box.y1 - H);
      const cost = placed.reduce((c, p) => c + overlap(s.box, p), 0) +
        boxes.reduce((c, b, i) => c + (nodes[i] === n ? 0 : overlap(s.box, b)), 0) + out * h;
      if (cost < bestCost) { best = s; bestCost = cost; }
      if (cost === 0) break;
    }
    n.label.setAttribute("x", best.x); n.label.setAttribute("y", best.y); n.label.setAttribute("text-anchor", best.anchor);
    placed.push(best.box);
  }
}

/* ---------------------------------------------------------------- map (equirectangular, bundled outline) */

async function drawMap() {
  const data = await api("/api/places", { ...state.filters, limit: 500 });
  const svg = clear($("#map-svg"));
  svg.append(svgEl("path", { class: "land", d: window.DYAD_WORLD || "" }));
  const max = Math.max(1, ...data.places.map((p) => p.events));
  for (const p of data.places) {
    const share = p.events ? p.coop / p.events : 0.5;
    const c = svgEl("circle", { class: "place", cx: (p.lon + 180).toFixed(2), cy: (90 - p.lat).toFixed(2),
      r: (1 + 4 * Math.sqrt(p.events / max)).toFixed(2),
      fill: share >= 0.5 ? COOP : CONFLICT });
    c.append(svgEl("title", {}, `${p.name}${p.country ? " (" + p.country + ")" : ""}: ${p.events} events, ${p.coop} coop, ${p.conflict} conflict`));
    svg.append(c);
  }
}

/* ---------------------------------------------------------------- quotes */

async function loadQuotes() {
  const form = $("#quote-filters");
  const params = { speaker: form.elements.speaker.value.trim(), text: form.elements.qtext.value.trim(),
    country: state.filters.country, since: state.filters.since, until: state.filters.until, limit: 100 };
  const data = await api("/api/quotes", params);
  const body = clear($("#quotes-table tbody"));
  for (const q of data.quotes) {
    body.append(el("tr", {},
      el("td", {}, q.published || ""),
      el("td", {}, el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); form.elements.speaker.value = q.speaker_name || ""; loadQuotes(); } },
        who(q.speaker_name, q.speaker_country))),
      el("td", {}, q.cue || ""),
      el("td", {}, (q.direct ? "“" : "") + q.text + (q.direct ? "”" : ""))));
  }
  if (!data.quotes.length) body.append(el("tr", {}, el("td", { colspan: 4 }, "No quotes match.")));
}

/* ---------------------------------------------------------------- paste an article */

async function pasteArticle(ev) {
  ev.preventDefault();
  const form = ev.target, out = clear($("#paste-result"));
  const payload = { text: form.elements.text.value, store: form.elements.store.checked };
  if (form.elements.lang.value) payload.lang = form.elements.lang.value;
  if (form.elements.published.value) payload.published = form.elements.published.value;
  out.append(el("p", { class: "muted" }, "extracting…"));
  try {
    const art = await api("/api/extract", {}, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
    clear(out).append(el("p", {}, `${art.events.length} events, ${art.quotes.length} quotes (language ${art.lang || "?"})` +
      (art.stored ? " — added to the database" : "")));
    if (art.stored) showStats(await api("/api/stats"));  // the header counts the database
    const list = el("ul");
    for (const e of art.events) {
      list.append(el("li", {}, el("strong", { class: "q-" + (e.quad || "") }, e.type), " ",
        who(e.source?.name, e.source?.country), " → ", who(e.target?.name, e.target?.country),
        e.date ? " · " + e.date : "", e.evidence?.length ? " — " + e.evidence[0].text : ""));
    }
    out.append(list);
  } catch (err) {
    clear(out).append(el("p", { class: "error" }, err.message));
  }
}

/* ---------------------------------------------------------------- wiring */

function showStats(stats) {
  const c = stats.counts;
  $("#stats").textContent = `${c.events} events · ${c.actors} actors · ${c.quotes} quotes · ${c.articles} articles` +
    (stats.first_day ? ` · ${stats.first_day} – ${stats.last_day}` : "");
}

function switchTab(tab) {
  state.tab = tab;
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === tab));
  document.querySelectorAll("section.tab").forEach((s) => { s.hidden = s.id !== "tab-" + tab; });
  saveToUrl();
}

async function init() {
  try {
    const [config, stats] = await Promise.all([api("/api/config"), api("/api/stats")]);
    state.config = config;
    const select = $("#filters").elements.type;
    for (const t of config.types) select.append(el("option", { value: t }, t));
    $("#paste-tab").hidden = !config.allow_ingest;
    showStats(stats);
  } catch (err) {
    showError(err.message);
  }
  const tab = loadFromUrl();
  state.filters = readFilters();
  $("#filters").addEventListener("submit", (ev) => { ev.preventDefault(); search(); });
  $("#reset").addEventListener("click", () => { writeFilters({}); search(); });
  $("#prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadEvents().catch((e) => showError(e.message)); });
  $("#next").addEventListener("click", () => { state.offset += PAGE; loadEvents().catch((e) => showError(e.message)); });
  $("#timeline-by").addEventListener("change", () => refresh());
  $("#quote-filters").addEventListener("submit", (ev) => { ev.preventDefault(); loadQuotes().catch((e) => showError(e.message)); });
  $("#paste-form").addEventListener("submit", pasteArticle);
  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => { switchTab(b.dataset.tab); refresh(); }));
  switchTab(state.config && !state.config.allow_ingest && tab === "paste" ? "events" : tab);
  await refresh();
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", init);
