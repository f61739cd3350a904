// The visitor map: stops, lines and POIs; journeys; day tours; the shuttle page for planners.
// Plain JavaScript over the service's own API (no build step, no internet needed). Everything from
// data or users is put into the page as text (see el below), and nothing needs inline scripts or styles.
"use strict";

const TEXT = {
  en: {
    title: "Yamaguchi route planner", tab_journey: "Journey", tab_tour: "Day tour", tab_shuttle: "Shuttle (planners)",
    pick_hint: "Type a place, or click a stop or POI on the map (first the start, then the destination).",
    from: "From", to: "To", date: "Date", time: "Time", arrive_by: "arrive by this time", plan: "Plan",
    start: "Start (station, stop, POI or hotel lat,lon)", from_time: "From", until: "Until", interests: "Interests",
    pace: "Pace", plan_tour: "Plan tour", scenario: "Scenario", evaluate: "Evaluate", load_per_run: "Load per run",
    marey: "Time–distance diagram", modeled_note: "JR bus (Chugoku JR Bus) timetables are official (CC0). JR trains and other buses are modeled from published service patterns: not official, check with the operators.",
    planning: "Planning…", none: "No journey found.", transfers: "transfers", min: "min", walk: "walk",
    visits: "visits", back: "back", left_out: "Left out", day: "Day", set_from: "From set to", set_to: "To set to",
    no_scenarios: "No shuttle scenarios available.", served: "served on time", vehicles: "vehicles", mean_wait: "mean wait",
    cost: "cost", employees: "employees", seats: "seats", yen: " yen", api_key: "API key", use_key: "Use key",
    access: "Accessibility", access_show: "show sights reachable within", access_note: "Sights reachable by public transport (median of departures 09:00–10:00, Tue 1 Dec 2026), per 500 m cell.",
    sights_within: "sights within",
  },
  ja: {
    title: "山口 経路検索", tab_journey: "経路", tab_tour: "日帰り観光", tab_shuttle: "シャトル（計画者向け）",
    pick_hint: "地名を入力するか、地図上の停留所・観光地を選んでください（出発地→目的地の順）。",
    from: "出発地", to: "目的地", date: "日付", time: "時刻", arrive_by: "この時刻までに到着", plan: "検索",
    start: "出発地（駅・停留所・観光地・ホテルの緯度,経度）", from_time: "開始", until: "終了", interests: "興味",
    pace: "ペース", plan_tour: "観光プランを作成", scenario: "シナリオ", evaluate: "評価", load_per_run: "便ごとの乗車数",
    marey: "ダイヤグラム", modeled_note: "ＪＲバス中国の時刻表は公式データ（CC0）です。JR線とその他のバスの時刻表は公表された運行パターンから作成したモデルで、公式のものではありません。",
    planning: "検索中…", none: "経路が見つかりません。", transfers: "回乗換", min: "分", walk: "徒歩",
    visits: "か所", back: "帰着", left_out: "含まれなかった観光地", day: "日目", set_from: "出発地：", set_to: "目的地：",
    no_scenarios: "シナリオがありません。", served: "定時到着", vehicles: "車両", mean_wait: "平均待ち",
    cost: "費用", employees: "従業員", seats: "座席", yen: "円", api_key: "APIキー", use_key: "キーを使用",
    access: "アクセシビリティ", access_show: "到達できる観光地を表示：", access_note: "公共交通と徒歩で到達できる観光地の数（2026年12月1日（火）9時台の出発の中央値、500mメッシュ）。",
    sights_within: "か所 到達",
  },
};
const INTERESTS = ["history", "nature", "onsen", "food", "art", "culture", "shopping", "family"];
const MODE_COLOR = { rail: "#1f6feb", bus: "#e8590c", shuttle: "#2b8a3e", walk: "#6b7785" };

const SVG_NS = "http://www.w3.org/2000/svg";
const KEY_STORAGE = "maas.apiKey";

const state = {
  lang: (navigator.language || "ja").startsWith("en") ? "en" : "ja", pick: "from", stops: null, pois: null, routes: null, afterKey: null,
  mapConfig: null, basemap: null, credits: [],
};
const $ = (id) => document.getElementById(id);
const t = (key) => (TEXT[state.lang] || TEXT.en)[key] || key;

// --- building the page ----------------------------------------------------------------------
// Names, messages and labels come from data and from users, so they reach the page only as text
// nodes and attribute values, never as markup: no innerHTML anywhere.

// Children as append() takes them: nested lists flattened, null and false left out (strings become text nodes).
const nodes = (children) => children.flat(Infinity).filter((c) => c != null && c !== false);

// Set attributes (true → present, false/null → absent) and append the children.
function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value != null && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...nodes(children));
  return node;
}

// el("li", { class: "selected" }, "text", childNode, [more, nodes]) → an HTML element.
const el = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
// The same for the SVG of the time–distance diagram.
const svgEl = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);
// Replace what an element of the page shows (children as for el).
const show = (id, ...children) => $(id).replaceChildren(...nodes(children));
// Leaflet shows a string as HTML but a node as it is: tooltips and popups get nodes.
const textLabel = (text) => el("span", {}, text);

// --- map ----------------------------------------------------------------------------
// The region view frames the seven municipalities, from the Ube coast to Hagi and Tsuwano.
const map = L.map("map", { zoomControl: true, preferCanvas: true, minZoom: 8, maxZoom: 18 }).setView([34.3, 131.5], 10);
// Geography under the network, bottom to top: the sea (the map's background colour, style.css), the
// land of the offline basemap, the deployer's raster tiles if configured (opaque: they cover the land
// fill, which still shows wherever a tile fails), municipal borders, municipality names (under the
// network, so they never hide a stop), the network (overlay pane, 400), then station names (above
// the lines, under markers and tooltips).
map.createPane("land").style.zIndex = 150;
map.createPane("access").style.zIndex = 240;  // the planners' accessibility cells: over the land, under borders and names
map.createPane("borders").style.zIndex = 250;
map.createPane("townLabels").style.zIndex = 350;
map.createPane("stationLabels").style.zIndex = 450;
const layers = {
  routes: L.layerGroup().addTo(map), stops: L.layerGroup().addTo(map), pois: L.layerGroup().addTo(map), plan: L.layerGroup().addTo(map),
  townNames: L.layerGroup(), stationNames: L.layerGroup(), access: L.layerGroup().addTo(map),
};
// Municipality names at region zoom, station names from this zoom on (and not both: they would crowd).
const CITY_ZOOM = 12;
const LAND = { area: "#f7f3e6", other: "#e9ebe6", border: "#9a8f78", otherBorder: "#b9bdb6" };
// A 1×1 transparent GIF for tiles that fail: the land underneath shows instead of a broken image.
const NO_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

// --- the service's API ------------------------------------------------------------------------
// The planners' key lives in sessionStorage only: it goes when the tab closes and, unlike a cookie,
// is sent only where this code sends it (the scenario endpoints).
const storedKey = () => sessionStorage.getItem(KEY_STORAGE);

function authHeaders(path) {
  const key = path.startsWith("v1/scenarios") && storedKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

// Fetch JSON; a failed request throws an Error with the server's message and the HTTP status.
function api(path, options = {}) {
  const sep = path.includes("?") ? "&" : "?";
  const headers = { ...options.headers, ...authHeaders(path) };
  return fetch(`${path}${sep}lang=${state.lang}`, { ...options, headers }).then(async (r) => {
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw Object.assign(new Error((body.error && body.error.message) || `HTTP ${r.status}`), { status: r.status });
    return body;
  });
}

function setStatus(id, text, error = false) {
  const node = $(id);
  node.textContent = text || "";
  node.classList.toggle("error", !!error);
}

function hhmm(iso) { return iso ? iso.slice(11, 16) : ""; }

function pickPlace(name) {
  const target = state.pick === "from" ? $("j-from") : $("j-to");
  target.value = name;
  setStatus("j-status", `${state.pick === "from" ? t("set_from") : t("set_to")} ${name}`);
  state.pick = state.pick === "from" ? "to" : "from";
  if ($("j-from").value && $("j-to").value && state.pick === "from") planJourney();
}

function poiPopup(p) {
  return el("div", {}, el("b", {}, p.name), el("br"), p.opening_hours || "", el("br"), `${p.fee_yen} yen · ${p.visit_minutes} min`);
}

function drawNetwork() {
  layers.routes.clearLayers(); layers.stops.clearLayers(); layers.pois.clearLayers();
  for (const f of state.routes.features) {
    const p = f.properties;
    const colour = p.color || MODE_COLOR[p.mode] || "#555";
    L.geoJSON(f, { style: { color: colour, weight: p.mode === "rail" ? 3 : 2, opacity: 0.6 } })
      .bindTooltip(textLabel(`${p.name} (${p.mode})`)).addTo(layers.routes);
  }
  const names = new Set();
  for (const f of state.stops.features) {
    const p = f.properties;
    if (p.kind === "stop" && p.parent) continue;
    const [lon, lat] = f.geometry.coordinates;
    names.add(p.names.en || p.name); names.add(p.names.ja || p.name);
    L.circleMarker([lat, lon], { radius: p.kind === "station" ? 5 : 4, color: "#22303c", weight: 1, fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(textLabel(p.name), { className: "stop-label" })
      .on("click", () => pickPlace(p.id))
      .addTo(layers.stops);
  }
  for (const f of state.pois.features) {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    names.add(p.names.en); names.add(p.names.ja);
    L.circleMarker([lat, lon], { radius: 5, color: "#c2255c", weight: 1, fillColor: "#f783ac", fillOpacity: 0.9 })
      .bindTooltip(textLabel(`${p.name} · ${p.category}`))
      .bindPopup(poiPopup(p))
      .on("click", () => pickPlace(p.id))
      .addTo(layers.pois);
  }
  show("places", [...names].filter(Boolean).sort().map((n) => el("option", { value: n })));
  fadeMarkers($("a-show").checked);  // redrawn (another language) while the accessibility layer is on
}

// Station names at city zoom, in the page's language (the stops come from the API in that language).
function drawStationNames() {
  layers.stationNames.clearLayers();
  for (const f of state.stops.features) {
    if (f.properties.kind !== "station") continue;
    const [lon, lat] = f.geometry.coordinates;
    placeName([lat, lon], f.properties.name, "station-name", "stationLabels").addTo(layers.stationNames);
  }
}

async function loadNetwork() {
  const [stops, routes, pois] = await Promise.all([api("v1/stops"), api("v1/routes"), api("v1/pois")]);
  Object.assign(state, { stops, routes, pois });
  drawNetwork();
  drawStationNames();
}

// --- geography: offline basemap, optional tiles, place names, credits ----------------------------
// Leaflet's attribution control shows HTML: credits (ours, and the deployer's text from the server)
// go in escaped, so they show as the text they are.
const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeText = (text) => String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

// A name written on the map (not interactive: clicks go through to the stops and lines below).
function placeName(latlng, text, className, pane) {
  const icon = L.divIcon({ className: `place-name ${className}`, html: el("span", {}, text), iconSize: null });
  return L.marker(latlng, { icon, pane, interactive: false, keyboard: false });
}

function drawLand(basemap) {
  const svg = (pane) => L.svg({ pane, padding: 0.5 });
  L.geoJSON(basemap, {
    pane: "land", renderer: svg("land"), interactive: false,
    style: (f) => ({ stroke: false, fillColor: f.properties.area ? LAND.area : LAND.other, fillOpacity: 1, className: "land" }),
  }).addTo(map);
  L.geoJSON(basemap, {
    pane: "borders", renderer: svg("borders"), interactive: false,
    style: (f) => ({ fill: false, color: f.properties.area ? LAND.border : LAND.otherBorder, weight: f.properties.area ? 1.2 : 0.8, className: "border" }),
  }).addTo(map);
}

// Municipality names in the page's language: the seven of the area in bold, their neighbours lighter.
function drawTownNames() {
  layers.townNames.clearLayers();
  for (const f of (state.basemap && state.basemap.features) || []) {
    const p = f.properties;
    const [lon, lat] = p.label;
    placeName([lat, lon], state.lang === "ja" ? p.name_ja : p.name_en, p.area ? "town-name area" : "town-name", "townLabels")
      .addTo(layers.townNames);
  }
}

function showNamesForZoom() {
  const city = map.getZoom() >= CITY_ZOOM;
  const toggle = (layer, on) => (on ? map.addLayer(layer) : map.removeLayer(layer));
  toggle(layers.townNames, !city);
  toggle(layers.stationNames, city);
}

// The credits in the attribution control, in the page's language (replacing those of the other one).
function showCredits() {
  const cfg = state.mapConfig;
  if (!cfg) return;
  for (const credit of state.credits || []) map.attributionControl.removeAttribution(credit);
  state.credits = [escapeText(cfg.basemap.attribution[state.lang] || cfg.basemap.attribution.en)];
  for (const credit of state.credits) map.attributionControl.addAttribution(credit);
}

// Raster tiles only when the deployer configured them (MAAS_TILE_URL): by default nothing is loaded
// from any other server. strict-origin: providers such as OpenStreetMap want to know the site, and
// the origin alone tells them (the page's own policy sends no referrer at all).
function addTiles(cfg) {
  if (!cfg.tile_url) return;
  L.tileLayer(cfg.tile_url, {
    maxZoom: 18, attribution: escapeText(cfg.tile_attribution || ""), errorTileUrl: NO_TILE, referrerPolicy: "strict-origin",
  }).addTo(map);
}

async function loadGeography() {
  const cfg = await api("v1/map-config");
  state.mapConfig = cfg;
  addTiles(cfg);
  showCredits();
  const r = await fetch(cfg.basemap.url);
  if (!r.ok) throw new Error(`${cfg.basemap.url}: HTTP ${r.status}`);
  state.basemap = await r.json();
  drawLand(state.basemap);
  drawTownNames();
}

// --- accessibility (planners) ------------------------------------------------------------
// A precomputed layer (api/static/access/README.md, made by `maas access`): 500 m mesh cells shaded
// by how many sights they reach within the chosen threshold; cells reaching none are not in the file.
const ACCESS_URL = "access/sights-mesh4.geojson";
// Purples (ColorBrewer): they stand out on the beige land and from the lines' reds and oranges.
const ACCESS_CLASSES = [[1, "#cbc9e2"], [2, "#9e9ac8"], [4, "#807dba"], [8, "#6a51a3"], [16, "#3f007d"]];
const accessColour = (n) => ACCESS_CLASSES.filter(([low]) => n >= low).map(([, c]) => c).pop();
// A legend square in a class's colour (set through the DOM: the page's CSP allows no style attributes).
const swatch = (colour) => { const s = el("span", { class: "swatch" }); s.style.background = colour; return s; };

// The cells reaching sights lie along the lines, under the stops and POIs (4-5 px each at region zoom):
// those fade while the layer is on, and come back when it goes.
function fadeMarkers(on) {
  for (const group of [layers.stops, layers.pois]) {
    group.eachLayer((m) => {
      m.options.solid ??= m.options.fillOpacity;
      m.setStyle({ opacity: on ? 0.3 : 1, fillOpacity: on ? 0.2 : m.options.solid });
    });
  }
}

async function showAccess(frame = false) {
  layers.access.clearLayers();
  const minutes = $("a-minutes").value;
  fadeMarkers($("a-show").checked);
  if (!$("a-show").checked) { show("a-legend"); return; }
  if (!state.access) {
    const r = await fetch(ACCESS_URL);
    if (!r.ok) throw new Error(`${ACCESS_URL}: HTTP ${r.status}`);
    state.access = await r.json();
  }
  const key = `within_${minutes}`;
  L.geoJSON(state.access, {
    pane: "access", renderer: L.svg({ pane: "access" }),
    filter: (f) => f.properties[key] > 0,
    style: (f) => ({ stroke: false, fillColor: accessColour(f.properties[key]), fillOpacity: 0.85, className: "access-cell" }),
    onEachFeature: (f, layer) => layer.bindTooltip(textLabel(`${f.properties[key]} ${t("sights_within")} ${minutes} ${t("min")}`)),
  }).addTo(layers.access);
  if (frame && layers.access.getLayers()[0].getLayers().length) map.fitBounds(layers.access.getLayers()[0].getBounds(), { maxZoom: 12 });
  const range = (low, high) => (low === high ? `${low}` : `${low}–${high}`);
  const bounds = ACCESS_CLASSES.map(([low], i) => (i + 1 < ACCESS_CLASSES.length ? range(low, ACCESS_CLASSES[i + 1][0] - 1) : `${low}+`));
  show("a-legend", ACCESS_CLASSES.map(([, colour], i) => el("li", {}, swatch(colour), bounds[i])));
}

// --- journeys -------------------------------------------------------------------------
// A leg's line: its GeoJSON geometry ([lon, lat], along the route's shape where the feed has one),
// else stop to stop through the stops passed.
function legLine(leg) {
  let pts;
  if (leg.geometry && leg.geometry.coordinates && leg.geometry.coordinates.length >= 2) {
    pts = leg.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
  } else {
    pts = [[leg.from.lat, leg.from.lon]];
    for (const s of (leg.stops || []).slice(1, -1)) pts.push([s.lat, s.lon]);
    pts.push([leg.to.lat, leg.to.lon]);
  }
  return L.polyline(pts, { color: MODE_COLOR[leg.mode] || "#333", weight: 5, dashArray: leg.mode === "walk" ? "6 6" : null });
}

function showJourney(journey) {
  layers.plan.clearLayers();
  const group = L.featureGroup(journey.legs.map(legLine)).addTo(layers.plan);
  const first = journey.legs[0], last = journey.legs[journey.legs.length - 1];
  L.circleMarker([first.from.lat, first.from.lon], { radius: 8, color: "#1f6feb" }).addTo(layers.plan);
  L.circleMarker([last.to.lat, last.to.lon], { radius: 8, color: "#b42318" }).addTo(layers.plan);
  map.fitBounds(group.getBounds(), { padding: [40, 40], maxZoom: 15 });
}

function legText(leg) {
  if (leg.mode === "walk") return `${hhmm(leg.departure)} ${t("walk")} ${Math.round(leg.distance_m)} m → ${leg.to.name}`;
  const name = (leg.route_names && leg.route_names[state.lang]) || leg.route;
  return `${hhmm(leg.departure)} ${leg.from.name} — ${name}${leg.headsign ? " (" + leg.headsign + ")" : ""} → ${hhmm(leg.arrival)} ${leg.to.name}`;
}

function journeyItem(j) {
  const fare = j.fare_yen != null ? ` · ${Math.round(j.fare_yen)}${t("yen")}` : "";
  const li = el("li", {},
    el("div", { class: "summary" },
      el("span", {}, `${hhmm(j.departure)} → ${hhmm(j.arrival)}`),
      el("span", {}, `${Math.round(j.duration_s / 60)} ${t("min")} · ${j.transfers} ${t("transfers")}${fare}`)),
    el("ul", { class: "legs" }, j.legs.map((leg) => el("li", { class: `mode-${leg.mode}` }, legText(leg)))));
  li.addEventListener("click", () => {
    document.querySelectorAll("#j-results li.selected").forEach((x) => x.classList.remove("selected"));
    li.classList.add("selected");
    showJourney(j);
  });
  return li;
}

async function planJourney() {
  const from = $("j-from").value.trim(), to = $("j-to").value.trim();
  if (!from || !to) return;
  setStatus("j-status", t("planning"));
  show("j-results");
  const when = $("j-arrive").checked ? `arrive_by=${$("j-time").value}` : `depart=${$("j-time").value}`;
  try {
    const doc = await api(`v1/journeys?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&date=${$("j-date").value}&${when}`);
    setStatus("j-status", doc.journeys.length ? `${doc.query.from.name} → ${doc.query.to.name}` : t("none"));
    const items = doc.journeys.map(journeyItem);
    show("j-results", items);
    if (items.length) items[0].click();
  } catch (e) {
    setStatus("j-status", e.message, true);
  }
}

// --- tours ------------------------------------------------------------------------------
function interestBoxes() {
  show("t-interests", el("legend", {}, t("interests")), INTERESTS.map(
    (i) => el("label", {}, el("input", { type: "checkbox", value: i, checked: i === "history" }), ` ${i}`)));
}

async function planTour() {
  setStatus("t-status", t("planning"));
  show("t-result");
  $("t-plan").disabled = true;
  const interests = [...document.querySelectorAll("#t-interests input:checked")].map((x) => x.value);
  const body = { start: $("t-start").value.trim(), date: $("t-date").value, from: $("t-from").value, until: $("t-until").value, interests, pace: $("t-pace").value };
  try {
    const doc = await api("v1/tours", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    setStatus("t-status", "");
    showTour(doc);
  } catch (e) {
    setStatus("t-status", e.message, true);
  } finally {
    $("t-plan").disabled = false;
  }
}

function timelineItem(time, text, extraClass) {
  return el("div", { class: extraClass ? `item ${extraClass}` : "item" }, el("span", { class: "time" }, time), el("span", {}, text));
}

function tourDay(day) {
  const heading = state.lang === "ja" ? `${day.day}${t("day")}` : `${t("day")} ${day.day}`;
  const items = day.legs.flatMap((leg, k) => {
    const rides = leg.legs.filter((x) => x.mode !== "walk").map((x) => (x.route_names && x.route_names[state.lang]) || x.route);
    const v = day.visits[k];
    return [
      timelineItem(`${hhmm(leg.departure)}–${hhmm(leg.arrival)}`, rides.length ? rides.join(" → ") : t("walk")),
      v && timelineItem(`${hhmm(v.visit_start)}–${hhmm(v.visit_end)}`, v.name, "visit"),
    ];
  });
  return el("div", { class: "day" },
    el("h3", {}, `${heading} · ${day.date}`), items, timelineItem(hhmm(day.back), `${t("back")}: ${day.end.name}`));
}

function showTour(doc) {
  const it = doc.itinerary;
  layers.plan.clearLayers();
  const geo = L.geoJSON(doc.geojson, {
    style: (f) => ({ color: MODE_COLOR[f.properties.mode] || "#333", weight: 4, dashArray: f.properties.mode === "walk" ? "6 6" : null }),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 9, color: "#c2255c", fillColor: "#c2255c", fillOpacity: 0.9 })
      .bindTooltip(textLabel(`${f.properties.day}.${f.properties.order} ${f.properties.name}`), { permanent: true, direction: "right", className: "stop-label" }),
  }).addTo(layers.plan);
  if (geo.getLayers().length) map.fitBounds(geo.getBounds(), { padding: [40, 40], maxZoom: 15 });
  const tot = it.totals;
  show("t-result",
    it.days.map(tourDay),
    el("div", { class: "totals" }, `${tot.visits} ${t("visits")} · ${(tot.walk_m / 1000).toFixed(1)} km ${t("walk")} · ${tot.cost_yen}${t("yen")}`),
    it.left_out.length > 0 && el("div", { class: "left-out" },
      el("b", {}, `${t("left_out")}:`), ` ${it.left_out.slice(0, 6).map((x) => `${x.name} (${x.reason})`).join(", ")}`));
}

// --- shuttle (planners) ---------------------------------------------------------------------
async function loadScenarios() {
  try {
    const list = await api("v1/scenarios");
    show("s-scenario", list.scenarios.map((s) => el("option", { value: s.id }, s.name)));
    if (!list.scenarios.length) setStatus("s-status", t("no_scenarios"));
    else if (!$("s-kpis").hasChildNodes()) evaluateScenario();
  } catch (e) {
    shuttleFailed(e, loadScenarios);
  }
}

async function evaluateScenario() {
  const id = $("s-scenario").value;
  if (!id) return;
  setStatus("s-status", t("planning"));
  try {
    const doc = await api(`v1/scenarios/${encodeURIComponent(id)}/evaluation`);
    setStatus("s-status", "");
    showEvaluation(doc);
  } catch (e) {
    shuttleFailed(e, evaluateScenario);
  }
}

// A 401 means the server wants a planner's key: a stored one was refused, so forget it and ask again.
// Any other failure (403 when the server has no keys and we are not on its machine, …) is only shown.
function shuttleFailed(e, retry) {
  if (e.status === 401) {
    sessionStorage.removeItem(KEY_STORAGE);
    askForKey(retry);
  }
  setStatus("s-status", e.message, true);
}

function askForKey(retry) {
  state.afterKey = retry;
  $("s-auth").hidden = false;
  $("s-key").focus();
}

function useKey() {
  const key = $("s-key").value.trim();
  if (!key) return;
  sessionStorage.setItem(KEY_STORAGE, key);
  $("s-key").value = "";  // the key stays in sessionStorage only, not in the page
  $("s-auth").hidden = true;
  setStatus("s-status", t("planning"));
  const retry = state.afterKey || loadScenarios;
  state.afterKey = null;
  retry();
}

function kpi(label, value) { return el("div", { class: "kpi" }, label, el("b", {}, value)); }

function loadBar(r, most) {
  const over = (r.wanted_peak || 0) > (r.seats || 0);
  const name = state.lang === "en" ? (r.name_en || r.id) : (r.name || r.id);
  const fill = el("span", { class: over ? "fill over" : "fill" });
  fill.style.width = `${Math.round(100 * (r.peak_load || 0) / most)}%`;  // CSSOM, which the page's CSP allows (inline style attributes it may not)
  return el("div", { class: "bar" },
    el("span", { class: "label" }, name),
    el("span", { class: "track" }, fill),
    el("span", {}, `${(r.peak_load || 0).toFixed(0)}/${r.seats ?? "?"}${over ? " (" + (r.wanted_peak || 0).toFixed(0) + ")" : ""}`));
}

function showEvaluation(doc) {
  const ev = doc.evaluation || {};
  const k = ev.totals || {};
  show("s-kpis",
    kpi(t("served"), `${k.to_work_on_time ?? "–"} / ${k.riders ?? "–"}`),
    kpi(t("mean_wait"), `${k.mean_wait_min ?? "–"} ${t("min")}`),
    kpi(t("vehicles"), k.vehicles ?? "–"),
    kpi(t("cost"), k.cost_yen != null ? `${Math.round(k.cost_yen)} yen` : "–"));
  const runs = ev.runs || [];
  const most = Math.max(1, ...runs.map((r) => Math.max(r.wanted_peak || 0, r.seats || 0)));
  show("s-load", runs.map((r) => loadBar(r, most)));
  const panels = (doc.diagram && doc.diagram.periods || []).flatMap((p) => p.panels || []);
  show("s-marey", panels.map(mareyPanel));
}

function minutesOf(clock) { const [h, m] = clock.split(":").map(Number); return h * 60 + m; }

function clockOf(minutes) { return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`; }

function mareyPanel(panel) {
  const lines = panel.lines || [];
  const pts = lines.flatMap((l) => l.points || []);
  if (!pts.length) return null;
  const W = 340, H = 200, left = 70, bottom = 18;
  const xs = pts.map((p) => minutesOf(p[0])), ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const sx = (v) => left + (W - left - 6) * (v - x0) / Math.max(1, x1 - x0);
  const sy = (v) => 6 + (H - bottom - 12) * (v - y0) / Math.max(1e-9, y1 - y0);
  const axis = (panel.axis || []).map((a) => {
    const y = sy(a.km);
    return [
      svgEl("line", { x1: left, x2: W - 6, y1: y, y2: y, stroke: "#e3e7eb" }),
      svgEl("text", { x: 2, y: y + 3, "font-size": 7 }, a.name),
    ];
  });
  const paths = lines.map((l) => {
    const d = (l.points || []).map((p, i) => `${i ? "L" : "M"}${sx(minutesOf(p[0])).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ");
    const shuttle = l.kind === "shuttle";
    return svgEl("path", { d, fill: "none", stroke: shuttle ? MODE_COLOR.shuttle : MODE_COLOR.rail, "stroke-width": shuttle ? 2.2 : 1.2 },
      svgEl("title", {}, l.label || ""));
  });
  const ticks = [];
  for (let m = Math.ceil(x0 / 30) * 30; m <= x1; m += 30) {
    ticks.push(svgEl("text", { x: sx(m) - 10, y: H - bottom + 8, "font-size": 7 }, clockOf(m)));
  }
  return svgEl("svg", { viewBox: `0 0 ${W} ${H}` },
    svgEl("text", { x: 4, y: H - 4, "font-size": 8 }, panel.title || ""), axis, paths, ticks);
}

// --- page -------------------------------------------------------------------------------------
function translate() {
  document.documentElement.lang = state.lang;
  document.querySelectorAll("[data-i18n]").forEach((node) => { node.textContent = t(node.dataset.i18n); });
  $("lang").textContent = state.lang === "ja" ? "English" : "日本語";
  interestBoxes();
}

function switchTab(name) {
  document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll(".tab").forEach((s) => s.classList.toggle("active", s.id === `tab-${name}`));
  if (name === "shuttle") loadScenarios();
}

function init() {
  const today = new Date();
  const iso = new Date(today.getTime() - today.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  $("j-date").value = iso;
  $("t-date").value = iso;
  translate();
  document.querySelectorAll("nav button").forEach((b) => b.addEventListener("click", () => switchTab(b.dataset.tab)));
  $("j-plan").addEventListener("click", planJourney);
  $("t-plan").addEventListener("click", planTour);
  $("s-evaluate").addEventListener("click", evaluateScenario);
  $("a-show").addEventListener("change", () => showAccess(true).catch((e) => show("a-legend", String(e.message || e))));
  $("a-minutes").addEventListener("change", () => showAccess().catch((e) => show("a-legend", String(e.message || e))));
  $("s-key-save").addEventListener("click", useKey);
  $("s-key").addEventListener("keydown", (e) => { if (e.key === "Enter") useKey(); });
  $("lang").addEventListener("click", () => { state.lang = state.lang === "ja" ? "en" : "ja"; translate(); loadNetwork(); drawTownNames(); showCredits(); });
  $("collapse").addEventListener("click", () => { $("panel").classList.toggle("collapsed"); $("map").classList.toggle("expanded"); map.invalidateSize(); });
  map.on("zoomend", showNamesForZoom);
  showNamesForZoom();
  loadGeography().catch((e) => setStatus("j-status", e.message, true));
  loadNetwork().catch((e) => setStatus("j-status", e.message, true));
}

init();
