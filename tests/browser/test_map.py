"""The web map in a real browser (Playwright driving Debian's headless Chromium).

Screenshots are saved to ``test-artifacts/``.  Skips with a reason when
Chromium is missing (``python3 dev.py test`` installs it where it can).
Every page must end without JavaScript errors, without Content-Security-Policy
violations (the server forbids inline scripts and styles) and without a request
leaving this machine (the map works offline; tiles only from a configured server).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from api.main import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Runs before the page's own scripts: keeps every CSP violation the page causes.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""
PLANNER_KEY = "test-key-123"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium); browser tests skipped")


@contextmanager
def serve(state):
    """Serve the app on ``state`` on a free loopback port in a background thread; yield its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(state=state), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the test server did not start on port {port} within 5 s")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def base_url(service_state):
    """The service as on a laptop: no planners' keys, so scenarios answer loopback clients without one."""
    with serve(service_state) as url:
        yield url


@pytest.fixture(scope="module")
def keyed_url(service_state):
    """The service with a planners' key configured: scenario requests need ``Authorization: Bearer``."""
    settings = dataclasses.replace(service_state.settings, api_keys=(PLANNER_KEY,))
    with serve(dataclasses.replace(service_state, settings=settings)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def is_this_machine(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def open_page(browser, url: str, **context_options):
    """Open the map at ``url`` in a fresh context; fail afterwards on JavaScript errors, CSP violations or any
    request for another machine (each is refused and recorded: the map must draw offline)."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, "locale": "en-US", **context_options})
    off_machine: list[str] = []

    def only_this_machine(route) -> None:
        if is_this_machine(route.request.url):
            route.continue_()
        else:
            off_machine.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_machine)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(url + "/")
    try:
        yield pg
        violations = pg.evaluate("window.__cspViolations")
    finally:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not violations, f"Content-Security-Policy violations: {violations}"
    assert not off_machine, f"requests that would leave this machine: {off_machine}"


@pytest.fixture
def page(browser, base_url):
    with open_page(browser, base_url) as pg:
        yield pg


def wait_until(pg, condition: str, arg=None, **options) -> None:
    """Wait until the JavaScript expression ``condition`` (which may use ``arg``) is true.

    Playwright evaluates a plain expression with eval() on every poll, which the map's CSP refuses
    (no 'unsafe-eval'); wrapped in an arrow function it is evaluated once and then only called.
    """
    pg.wait_for_function(f"(arg) => ({condition})", arg=arg, **options)


def shot(pg, name: str) -> None:
    """Save a screenshot once the map has finished any zoom or pan animation."""
    ARTIFACTS.mkdir(exist_ok=True)
    wait_until(pg, "!document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')")
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_map_draws_network_offline(page):
    """Stops, lines and POIs are drawn from the service alone (no tiles)."""
    wait_until(page, "document.querySelectorAll('.leaflet-overlay-pane path, .leaflet-overlay-pane canvas').length > 0")
    assert page.locator("#places option").count() > 50
    shot(page, "map-network")


def plan_journey(page, origin: str, destination: str, date: str, clock: str) -> str:
    """Fill the journey form, plan, and return the text of the results once legs are listed."""
    page.fill("#j-from", origin)
    page.fill("#j-to", destination)
    page.fill("#j-date", date)
    page.fill("#j-time", clock)
    page.click("#j-plan")
    page.wait_for_selector("#j-results li .legs li", timeout=20_000)
    return page.inner_text("#j-results")


def test_plan_a_journey(page):
    """Picking two places plans a journey; legs appear in the list and on the map."""
    text = plan_journey(page, "Shin-Yamaguchi", "Ajisu", "2026-12-01", "07:00")
    assert "07:24" in text and "Ajisu" in text
    shot(page, "map-journey")


def test_journey_shows_a_known_fare(page):
    """A journey whose fare the data gives shows it (Shin-Yamaguchi → Yamaguchi, 240 yen)."""
    assert "240 yen" in plan_journey(page, "Shin-Yamaguchi", "Yamaguchi", "2026-12-01", "09:00")


def test_pick_places_on_the_map(page):
    """Clicking a stop on the map fills From, then To (markers are drawn on a canvas, so click their pixels)."""
    wait_until(page, "typeof state !== 'undefined' && state.stops !== null")
    xy = """(id) => {
        const f = state.stops.features.find((f) => f.properties.id === id);
        const [lon, lat] = f.geometry.coordinates;
        map.setView([lat, lon], 15, {animate: false});
        const p = map.latLngToContainerPoint([lat, lon]);
        const r = document.getElementById('map').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }"""
    x, y = page.evaluate(xy, "st_ajisu")
    page.mouse.click(x, y)
    wait_until(page, "document.getElementById('j-from').value !== ''")
    x, y = page.evaluate(xy, "st_kusae")
    page.mouse.click(x, y)
    wait_until(page, "document.getElementById('j-to').value !== ''")
    assert page.input_value("#j-from") != page.input_value("#j-to")


def test_plan_a_tour(page):
    """A day tour shows a timeline of visits and draws the tour."""
    page.click("nav button[data-tab=tour]")
    page.fill("#t-start", "Yamaguchi")
    page.fill("#t-date", "2026-12-05")
    page.fill("#t-from", "10:00")
    page.fill("#t-until", "15:00")
    page.click("#t-plan")
    page.wait_for_selector("#t-result .item.visit", timeout=60_000)
    assert page.locator("#t-result .item.visit").count() >= 2
    shot(page, "map-tour")


def test_language_toggle(page):
    """The ja/en button switches labels and names."""
    page.click("#lang")
    page.wait_for_timeout(300)
    assert page.inner_text("nav button[data-tab=journey]") in ("経路", "Journey")
    before = page.inner_text("nav button[data-tab=journey]")
    page.click("#lang")
    page.wait_for_timeout(300)
    assert page.inner_text("nav button[data-tab=journey]") != before


def test_shuttle_page_opens(page):
    """The planners' shuttle page opens and lists scenarios (or says there are none)."""
    page.click("nav button[data-tab=shuttle]")
    page.wait_for_timeout(1000)
    assert page.is_visible("#tab-shuttle")
    shot(page, "map-shuttle")


def test_phone_layout(browser, base_url):
    """On a phone-sized screen the panel sits below the map and the map stays visible."""
    with open_page(browser, base_url, viewport={"width": 390, "height": 844}, is_mobile=True, locale=None) as pg:
        pg.wait_for_timeout(1000)
        map_box = pg.locator("#map").bounding_box()
        panel_box = pg.locator("#panel").bounding_box()
        assert map_box["height"] > 300 and panel_box["y"] >= map_box["y"] + map_box["height"] - 1
        shot(pg, "map-phone")


# --- text stays text ---------------------------------------------------------------------------------

#: Names with markup that would run script if the page treated them as HTML.
IMG_MARKUP = """<img src=x onerror="window.__xss=1;document.title='X'">"""
SVG_MARKUP = """<svg onload="window.__xss=2;document.title='X'">"""


@pytest.fixture
def hostile_scenario(base_url):
    """The seeded scenario saved again with markup in its name, run names and station names; deleted afterwards."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        seeded = http.get("/v1/scenarios").json()["scenarios"][-1]
        doc = http.get(f"/v1/scenarios/{seeded['id']}").json()["scenario"]
        for run in doc["runs"]:
            run["name"], run["name_en"] = f"{SVG_MARKUP} {run['id']}", f"{IMG_MARKUP} {run['id']}"
        for stop in doc["stops"]:
            stop["name"], stop["name_en"] = f"{SVG_MARKUP} {stop['id']}", f"{IMG_MARKUP} {stop['id']}"
        saved = http.post("/v1/scenarios", json={"name": IMG_MARKUP + SVG_MARKUP, "scenario": doc})
        saved.raise_for_status()
        try:
            yield saved.json()
        finally:
            http.delete(f"/v1/scenarios/{saved.json()['id']}").raise_for_status()


def text_of(page, selector: str) -> str:
    return page.evaluate("(s) => document.querySelector(s).textContent", selector)


def test_names_from_data_stay_text(page, hostile_scenario):
    """A scenario named with markup shows the markup as text on every tab and runs no script."""
    title = page.title()
    for tab in ("journey", "tour", "shuttle"):
        page.click(f"nav button[data-tab={tab}]")
    page.wait_for_selector("#s-kpis .kpi", timeout=30_000)  # the first evaluation, started by opening the tab
    wait_until(page, "document.getElementById('s-status').textContent === ''", timeout=30_000)
    page.select_option("#s-scenario", hostile_scenario["id"])
    page.click("#s-evaluate")
    wait_until(page, "document.getElementById('s-status').textContent === ''", timeout=30_000)
    assert page.evaluate("document.getElementById('s-scenario').selectedOptions[0].textContent") == IMG_MARKUP + SVG_MARKUP
    assert "<img src=x" in text_of(page, "#s-load .bar .label")
    assert "<img src=x" in text_of(page, "#s-marey")  # station names in the diagram's titles and axes
    assert page.locator("#s-marey svg").count() >= 2
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.title() == title
    assert page.locator("[onerror], [onload]").count() == 0
    shot(page, "xss-shuttle")


# --- planners' key -------------------------------------------------------------------------------------


def test_shuttle_asks_for_the_planners_key(browser, keyed_url):
    """With keys on the server the shuttle tab asks for one, says when it is wrong, and keeps it for the session only."""
    refused = httpx.get(keyed_url + "/v1/scenarios", headers={"Authorization": "Bearer wrong-key"})
    assert refused.status_code == 401
    with open_page(browser, keyed_url) as pg:
        pg.click("nav button[data-tab=shuttle]")
        pg.wait_for_selector("#s-key", state="visible")
        pg.fill("#s-key", "wrong-key")
        pg.click("#s-key-save")
        pg.wait_for_selector("#s-key", state="visible")
        wait_until(pg, "document.getElementById('s-status').textContent === arg", refused.json()["error"]["message"])
        assert pg.evaluate("sessionStorage.getItem('maas.apiKey')") is None
        shot(pg, "shuttle-key-wrong")
        pg.fill("#s-key", PLANNER_KEY)
        pg.press("#s-key", "Enter")
        pg.wait_for_selector("#s-kpis .kpi", timeout=30_000)
        assert pg.is_hidden("#s-auth")
        assert pg.locator("#s-scenario option").count() >= 1
        assert pg.evaluate("sessionStorage.getItem('maas.apiKey')") == PLANNER_KEY
        assert pg.evaluate("localStorage.length") == 0
        assert pg.context.cookies() == []
        shot(pg, "shuttle-key")


# --- geography: the offline basemap, names, credits, optional tiles -------------------------------------

#: The seven municipalities of the area as the map names them, by page language.
TOWNS = {
    "en": ["Yamaguchi", "Ube", "Hagi", "Hofu", "Mine", "Sanyo-Onoda", "Tsuwano"],
    "ja": ["山口市", "宇部市", "萩市", "防府市", "美祢市", "山陽小野田市", "津和野町"],
}
MLIT_CREDIT = {
    "en": "Source: MLIT National Land Numerical Information (administrative areas), processed",
    "ja": "出典：国土交通省国土数値情報（行政区域データ）を加工して作成",
}
LOCALES = {"en": "en-US", "ja": "ja-JP"}
YAMAGUCHI_STATION = (34.1735, 131.4795)


def wait_for_basemap(pg) -> None:
    """Wait until the land is drawn and the stops (whose stations get names) are loaded."""
    wait_until(pg, "state.stops !== null && document.querySelectorAll('.leaflet-land-pane path.land').length > 0", timeout=20_000)


def texts(pg, selector: str) -> list[str]:
    return pg.evaluate("(s) => [...document.querySelectorAll(s)].map((n) => n.textContent)", selector)


def go_to(pg, lat: float, lon: float, zoom: int) -> None:
    pg.evaluate("([lat, lon, zoom]) => { map.setView([lat, lon], zoom, {animate: false}); }", [lat, lon, zoom])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_basemap_at_region_zoom(browser, base_url, lang):
    """Land over a sea-blue background, the seven municipalities named in the page's language, the MLIT credit."""
    with open_page(browser, base_url, locale=LOCALES[lang]) as pg:
        wait_for_basemap(pg)
        assert pg.locator(".leaflet-land-pane path.land").count() == 22  # Yamaguchi's 19 and three of Shimane
        assert pg.locator(".leaflet-borders-pane path.border").count() == 22
        assert pg.locator(".leaflet-tile").count() == 0  # no tiles unless the deployer sets MAAS_TILE_URL
        names = texts(pg, ".town-name.area")
        assert sorted(names) == sorted(TOWNS[lang])
        assert pg.locator(".station-name").count() == 0  # station names wait for city zoom
        assert MLIT_CREDIT[lang] in pg.inner_text(".leaflet-control-attribution")
        sea = pg.evaluate("getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor")
        assert sea == "rgb(183, 211, 230)"
        shot(pg, f"map-region-{lang}")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_basemap_at_city_zoom(browser, base_url, lang):
    """In Yamaguchi's centre at zoom 13 stations are named (in the page's language) and municipalities are not."""
    with open_page(browser, base_url, locale=LOCALES[lang]) as pg:
        wait_for_basemap(pg)
        go_to(pg, *YAMAGUCHI_STATION, 13)
        wait_until(pg, "document.querySelectorAll('.town-name').length === 0")
        stations = texts(pg, ".station-name")
        expected = {"en": ["Yamaguchi", "Yuda Onsen", "Kami-Yamaguchi"], "ja": ["山口", "湯田温泉", "上山口"]}[lang]
        assert set(expected) <= set(stations), stations
        # Lines and stops are drawn above the land (overlay pane over the land and border panes).
        panes = ["land", "tilePane", "borders", "townLabels", "overlayPane", "stationLabels", "markerPane"]
        z = pg.evaluate("(panes) => panes.map((p) => +getComputedStyle(map.getPane(p)).zIndex)", panes)
        assert z == sorted(z), z
        shot(pg, f"map-city-{lang}")


def test_language_switch_renames_the_map(page):
    """The ja/en button renames municipalities, stations and the credit on the map."""
    wait_for_basemap(page)
    page.click("#lang")  # en-US locale: to Japanese
    wait_until(page, "[...document.querySelectorAll('.town-name.area')].some((n) => n.textContent === '山口市')")
    assert MLIT_CREDIT["ja"] in page.inner_text(".leaflet-control-attribution")
    assert MLIT_CREDIT["en"] not in page.inner_text(".leaflet-control-attribution")
    go_to(page, *YAMAGUCHI_STATION, 13)
    wait_until(page, "[...document.querySelectorAll('.station-name')].some((n) => n.textContent === '湯田温泉')")


# A solid 256×256 tile (PNG), so that a screenshot shows where tiles were drawn.
def solid_png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@contextmanager
def tile_server():
    """A loopback HTTP server answering every GET with one tile; yields (base URL, list of requested paths)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    tile = solid_png((214, 228, 200))
    requested: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()


def test_tiles_from_the_configured_server(browser, service_state):
    """With MAAS_TILE_URL set the map draws that server's tiles, which the CSP allows, and credits them as text."""
    attribution = "Test tiles <b>bold?</b> & co"
    with tile_server() as (tiles_url, requested):
        settings = dataclasses.replace(service_state.settings, tile_url=tiles_url + "/tiles/{z}/{x}/{y}.png", tile_attribution=attribution)
        with serve(dataclasses.replace(service_state, settings=settings)) as url:
            csp = httpx.get(url + "/").headers["content-security-policy"]
            assert f"img-src 'self' data: blob: {tiles_url};" in csp
            with open_page(browser, url) as pg:
                wait_for_basemap(pg)
                wait_until(pg, "document.querySelectorAll('.leaflet-tile-loaded').length > 0", timeout=20_000)
                credit = pg.inner_text(".leaflet-control-attribution")
                assert attribution in credit and MLIT_CREDIT["en"] in credit
                assert pg.locator(".leaflet-control-attribution b").count() == 0
                shot(pg, "map-tiles")
        assert requested and all(p.startswith("/tiles/10/") and p.endswith(".png") for p in requested), requested
