// The visitor map: stops, lines and POIs; journeys; day tours; the shuttle page for planners.
// Plain JavaScript over the service's own API (no build step, no internet needed).
"use strict";

const TEXT = {
  en: {
    title: "Yamaguchi route planner", tab_journey: "Journey", tab_tour: "Day tour", tab_shuttle: "Shuttle (planners)",
    pick_hint: "Type a place, or click a stop or POI on the map (first the start, then the destination).",
    from: "From", to: "To", date: "Date", time: "Time", arrive_by: "arrive by this time", plan: "Plan",
    start: "Start (station, stop, POI or hotel lat,lon)", from_time: "From", until: "Until", interests: "Interests",
    pace: "Pace", plan_tour: "Plan tour", scenario: "Scenario", evaluate: "Evaluate", load_per_run: "Load per run",
    marey: "Time–distance diagram", modeled_note: "Timetables are modeled from published service patterns, not official.",
    planning: "Planning…", none: "No journey found.", transfers: "transfers", min: "min", walk: "walk",
    visits: "visits", back: "back", left_out: "Left out", day: "Day", set_from: "From set to", set_to: "To set to",
    no_scenarios: "No shuttle scenarios available.", served: "served on time", vehicles: "vehicles", mean_wait: "mean wait",
    cost: "cost", employees: "employees", seats: "seats", yen: " yen",
  },
  ja: {
    title: "山口 経路検索", tab_journey: "経路", tab_tour: "日帰り観光", tab_shuttle: "シャトル（計画者向け）",
    pick_hint: "地名を入力するか、地図上の停留所・観光地を選んでください（出発地→目的地の順）。",
    from: "出発地", to: "目的地", date: "日付", time: "時刻", arrive_by: "この時刻までに到着", plan: "検索",
    start: "出発地（駅・停留所・観光地・ホテルの緯度,経度）", from_time: "開始", until: "終了", interests: "興味",
    pace: "ペース", plan_tour: "観光プランを作成", scenario: "シナリオ", evaluate: "評価", load_per_run: "便ごとの乗車数",
    marey: "ダイヤグラム", modeled_note: "時刻表は公表された運行パターンから作成したモデルで、公式のものではありません。",
    planning: "検索中…", none: "経路が見つかりません。", transfers: "回乗換", min: "分", walk: "徒歩",
    visits: "か所", back: "帰着", left_out: "含まれなかった観光地", day: "日目", set_from: "出発地：", set_to: "目的地：",
    no_scenarios: "シナリオがありません。", served: "定時到着", vehicles: "車両", mean_wait: "平均待ち",
    cost: "費用", employees: "従業員", seats: "座席", yen: "円",
  },
};
const INTERESTS = ["history", "nature", "onsen", "food", "art", "culture", "shopping", "family"];
const MODE_COLOR = { rail: "#1f6feb", bus: "#e8590c", shuttle: "#2b8a3e", walk: "#6b7785" };

const state = { lang: (navigator.language || "ja").startsWith("en") ? "en" : "ja", pick: "from", stops: null, pois: null, routes: null };
const $ = (id) => document.getElementById(id);
const t = (key) => (TEXT[state.lang] || TEXT.en)[key] || key;

// --- map ----------------------------------------------------------------------------
const map = L.map("map", { zoomControl: true, preferCanvas: true }).setView([34.15, 131.4], 10);
// Tiles when online; offline the plain background stays and the data layers still draw.
L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
  maxZoom: 18, attribution: "© OpenStreetMap contributors", errorTileUrl: "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
}).addTo(map);
const layers = {
  routes: L.layerGroup().addTo(map), stops: L.layerGroup().addTo(map), pois: L.layerGroup().addTo(map), plan: L.layerGroup().addTo(map),
};

function api(path, options) {
  const sep = path.includes("?") ? "&" : "?";
  return fetch(`${path}${sep}lang=${state.lang}`, options).then(async (r) => {
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((body.error && body.error.message) || `HTTP ${r.status}`);
    return body;
  });
}

function setStatus(id, text, error = false) {
  const el = $(id);
  el.textContent = text || "";
  el.classList.toggle("error", !!error);
}

function hhmm(iso) { return iso ? iso.slice(11, 16) : ""; }

function pickPlace(name) {
  const target = state.pick === "from" ? $("j-from") : $("j-to");
  target.value = name;
  setStatus("j-status", `${state.pick === "from" ? t("set_from") : t("set_to")} ${name}`);
  state.pick = state.pick === "from" ? "to" : "from";
  if ($("j-from").value && $("j-to").value && state.pick === "from") planJourney();
}

function drawNetwork() {
  layers.routes.clearLayers(); layers.stops.clearLayers(); layers.pois.clearLayers();
  for (const f of state.routes.features) {
    const p = f.properties;
    const colour = p.color || MODE_COLOR[p.mode] || "#555";
    L.geoJSON(f, { style: { color: colour, weight: p.mode === "rail" ? 3 : 2, opacity: 0.6 } })
      .bindTooltip(`${p.name} (${p.mode})`).addTo(layers.routes);
  }
  const names = new Set();
  for (const f of state.stops.features) {
    const p = f.properties;
    if (p.kind === "stop" && p.parent) continue;
    const [lon, lat] = f.geometry.coordinates;
    names.add(p.names.en || p.name); names.add(p.names.ja || p.name);
    L.circleMarker([lat, lon], { radius: p.kind === "station" ? 5 : 4, color: "#22303c", weight: 1, fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(p.name, { className: "stop-label" })
      .on("click", () => pickPlace(p.id))
      .addTo(layers.stops);
  }
  for (const f of state.pois.features) {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    names.add(p.names.en); names.add(p.names.ja);
    L.circleMarker([lat, lon], { radius: 5, color: "#c2255c", weight: 1, fillColor: "#f783ac", fillOpacity: 0.9 })
      .bindTooltip(`${p.name} · ${p.category}`)
      .bindPopup(`<b>${p.name}</b><br>${p.opening_hours || ""}<br>${p.fee_yen} yen · ${p.visit_minutes} min`)
      .on("click", () => pickPlace(p.id))
      .addTo(layers.pois);
  }
  $("places").innerHTML = [...names].filter(Boolean).sort().map((n) => `<option value="${n.replace(/"/g, "&quot;")}">`).join("");
}

async function loadNetwork() {
  const [stops, routes, pois] = await Promise.all([api("v1/stops"), api("v1/routes"), api("v1/pois")]);
  Object.assign(state, { stops, routes, pois });
  drawNetwork();
}

// --- journeys -------------------------------------------------------------------------
function legLine(leg) {
  const pts = [[leg.from.lat, leg.from.lon]];
  for (const s of (leg.stops || []).slice(1, -1)) pts.push([s.lat, s.lon]);
  pts.push([leg.to.lat, leg.to.lon]);
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

async function planJourney() {
  const from = $("j-from").value.trim(), to = $("j-to").value.trim();
  if (!from || !to) return;
  setStatus("j-status", t("planning"));
  $("j-results").innerHTML = "";
  const when = $("j-arrive").checked ? `arrive_by=${$("j-time").value}` : `depart=${$("j-time").value}`;
  try {
    const doc = await api(`v1/journeys?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&date=${$("j-date").value}&${when}`);
    setStatus("j-status", doc.journeys.length ? `${doc.query.from.name} → ${doc.query.to.name}` : t("none"));
    doc.journeys.forEach((j, i) => {
      const li = document.createElement("li");
      li.innerHTML = `<div class="summary"><span>${hhmm(j.departure)} → ${hhmm(j.arrival)}</span><span>${Math.round(j.duration_s / 60)} ${t("min")} · ${j.transfers} ${t("transfers")}${j.fare_yen != null ? ` · ${Math.round(j.fare_yen)}${t("yen")}` : ""}</span></div>`;
      const legs = document.createElement("ul");
      legs.className = "legs";
      for (const leg of j.legs) {
        const item = document.createElement("li");
        item.className = `mode-${leg.mode}`;
        item.textContent = legText(leg);
        legs.appendChild(item);
      }
      li.appendChild(legs);
      li.addEventListener("click", () => {
        document.querySelectorAll("#j-results li.selected").forEach((x) => x.classList.remove("selected"));
        li.classList.add("selected");
        showJourney(j);
      });
      $("j-results").appendChild(li);
      if (i === 0) li.click();
    });
  } catch (e) {
    setStatus("j-status", e.message, true);
  }
}

// --- tours ------------------------------------------------------------------------------
function interestBoxes() {
  $("t-interests").innerHTML = `<legend>${t("interests")}</legend>` + INTERESTS.map(
    (i) => `<label><input type="checkbox" value="${i}" ${i === "history" ? "checked" : ""}> ${i}</label>`).join("");
}

async function planTour() {
  setStatus("t-status", t("planning"));
  $("t-result").innerHTML = "";
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

function showTour(doc) {
  const it = doc.itinerary;
  layers.plan.clearLayers();
  const geo = L.geoJSON(doc.geojson, {
    style: (f) => ({ color: MODE_COLOR[f.properties.mode] || "#333", weight: 4, dashArray: f.properties.mode === "walk" ? "6 6" : null }),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 9, color: "#c2255c", fillColor: "#c2255c", fillOpacity: 0.9 })
      .bindTooltip(`${f.properties.day}.${f.properties.order} ${f.properties.name}`, { permanent: true, direction: "right", className: "stop-label" }),
  }).addTo(layers.plan);
  if (geo.getLayers().length) map.fitBounds(geo.getBounds(), { padding: [40, 40], maxZoom: 15 });
  const out = $("t-result");
  for (const day of it.days) {
    const div = document.createElement("div");
    div.className = "day";
    const heading = state.lang === "ja" ? `${day.day}${t("day")}` : `${t("day")} ${day.day}`;
    let html = `<h3>${heading} · ${day.date}</h3>`;
    day.legs.forEach((leg, k) => {
      const rides = leg.legs.filter((x) => x.mode !== "walk").map((x) => (x.route_names && x.route_names[state.lang]) || x.route);
      html += `<div class="item"><span class="time">${hhmm(leg.departure)}–${hhmm(leg.arrival)}</span><span>${rides.length ? rides.join(" → ") : t("walk")}</span></div>`;
      const v = day.visits[k];
      if (v) html += `<div class="item visit"><span class="time">${hhmm(v.visit_start)}–${hhmm(v.visit_end)}</span><span>${v.name}</span></div>`;
    });
    html += `<div class="item"><span class="time">${hhmm(day.back)}</span><span>${t("back")}: ${day.end.name}</span></div>`;
    div.innerHTML = html;
    out.appendChild(div);
  }
  const tot = it.totals;
  out.insertAdjacentHTML("beforeend", `<div class="totals">${tot.visits} ${t("visits")} · ${(tot.walk_m / 1000).toFixed(1)} km ${t("walk")} · ${tot.cost_yen}${t("yen")}</div>`);
  if (it.left_out.length) {
    out.insertAdjacentHTML("beforeend", `<div class="left-out"><b>${t("left_out")}:</b> ${it.left_out.slice(0, 6).map((x) => `${x.name} (${x.reason})`).join(", ")}</div>`);
  }
}

// --- shuttle (planners) ---------------------------------------------------------------------
async function loadScenarios() {
  const select = $("s-scenario");
  try {
    const list = await api("v1/scenarios");
    select.innerHTML = list.scenarios.map((s) => `<option value="${s.id}">${s.name}</option>`).join("");
    if (!list.scenarios.length) setStatus("s-status", t("no_scenarios"));
    else if (!$("s-kpis").innerHTML) evaluateScenario();
  } catch (e) {
    setStatus("s-status", e.message, true);
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
    setStatus("s-status", e.message, true);
  }
}

function showEvaluation(doc) {
  const ev = doc.evaluation || {};
  const k = ev.totals || {};
  $("s-kpis").innerHTML = [
    [t("served"), `${k.to_work_on_time ?? "–"} / ${k.riders ?? "–"}`],
    [t("mean_wait"), `${k.mean_wait_min ?? "–"} ${t("min")}`],
    [t("vehicles"), k.vehicles ?? "–"],
    [t("cost"), k.cost_yen != null ? `${Math.round(k.cost_yen)} yen` : "–"],
  ].map(([label, value]) => `<div class="kpi">${label}<b>${value}</b></div>`).join("");
  const runs = ev.runs || [];
  const most = Math.max(1, ...runs.map((r) => Math.max(r.wanted_peak || 0, r.seats || 0)));
  $("s-load").innerHTML = runs.map((r) => {
    const width = Math.round(100 * (r.peak_load || 0) / most);
    const over = (r.wanted_peak || 0) > (r.seats || 0);
    const name = state.lang === "en" ? (r.name_en || r.id) : (r.name || r.id);
    return `<div class="bar"><span class="label">${name}</span><span class="track"><span class="fill ${over ? "over" : ""}" style="width:${width}%;display:block"></span></span><span>${(r.peak_load || 0).toFixed(0)}/${r.seats ?? "?"}${over ? " (" + (r.wanted_peak || 0).toFixed(0) + ")" : ""}</span></div>`;
  }).join("");
  const panels = (doc.diagram && doc.diagram.periods || []).flatMap((p) => p.panels || []);
  $("s-marey").innerHTML = panels.map(mareyPanel).join("");
}

function minutesOf(hhmm) { const [h, m] = hhmm.split(":").map(Number); return h * 60 + m; }

function mareyPanel(panel) {
  const lines = panel.lines || [];
  const pts = lines.flatMap((l) => l.points || []);
  if (!pts.length) return "";
  const W = 340, H = 200, left = 70, bottom = 18;
  const xs = pts.map((p) => minutesOf(p[0])), ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const sx = (v) => left + (W - left - 6) * (v - x0) / Math.max(1, x1 - x0);
  const sy = (v) => 6 + (H - bottom - 12) * (v - y0) / Math.max(1e-9, y1 - y0);
  let svg = `<svg viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg"><text x="4" y="${H - 4}" font-size="8">${panel.title || ""}</text>`;
  for (const a of panel.axis || []) {
    const y = sy(a.km);
    svg += `<line x1="${left}" x2="${W - 6}" y1="${y}" y2="${y}" stroke="#e3e7eb"/><text x="2" y="${y + 3}" font-size="7">${a.name}</text>`;
  }
  for (const l of lines) {
    const d = (l.points || []).map((p, i) => `${i ? "L" : "M"}${sx(minutesOf(p[0])).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(" ");
    const colour = l.kind === "shuttle" ? MODE_COLOR.shuttle : MODE_COLOR.rail;
    svg += `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${l.kind === "shuttle" ? 2.2 : 1.2}"><title>${l.label || ""}</title></path>`;
  }
  for (let m = Math.ceil(x0 / 30) * 30; m <= x1; m += 30) {
    svg += `<text x="${sx(m) - 10}" y="${H - bottom + 8}" font-size="7">${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}</text>`;
  }
  return svg + "</svg>";
}

// --- page -------------------------------------------------------------------------------------
function translate() {
  document.documentElement.lang = state.lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
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
  $("lang").addEventListener("click", () => { state.lang = state.lang === "ja" ? "en" : "ja"; translate(); loadNetwork(); });
  $("collapse").addEventListener("click", () => { $("panel").classList.toggle("collapsed"); $("map").classList.toggle("expanded"); map.invalidateSize(); });
  loadNetwork().catch((e) => setStatus("j-status", e.message, true));
}

init();
