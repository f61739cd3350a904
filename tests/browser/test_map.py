"""The web map in a real browser (Playwright driving Debian's headless Chromium).

Screenshots are saved to ``test-artifacts/``.  Skips with a reason when
Chromium is missing (``python3 dev.py test`` installs it where it can).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from api.main import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium); browser tests skipped")


@pytest.fixture(scope="module")
def base_url(service_state):
    """Serve the app on a free loopback port in a background thread."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(state=service_state), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    # Stay offline: tiles from the internet are refused; the map must draw without them.
    context.route("http*://tile.openstreetmap.org/**", lambda route: route.abort())
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(base_url + "/")
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def shot(pg, name: str) -> None:
    """Save a screenshot once the map has finished any zoom or pan animation."""
    ARTIFACTS.mkdir(exist_ok=True)
    pg.wait_for_function("!document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')")
    pg.wait_for_timeout(300)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_map_draws_network_offline(page):
    """Stops, lines and POIs are drawn from the service alone (no tiles)."""
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path, .leaflet-overlay-pane canvas').length > 0")
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
    page.wait_for_function("typeof state !== 'undefined' && state.stops !== null")
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
    page.wait_for_function("document.getElementById('j-from').value !== ''")
    x, y = page.evaluate(xy, "st_kusae")
    page.mouse.click(x, y)
    page.wait_for_function("document.getElementById('j-to').value !== ''")
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
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.route("http*://tile.openstreetmap.org/**", lambda route: route.abort())
    pg = context.new_page()
    pg.goto(base_url + "/")
    pg.wait_for_timeout(1000)
    map_box = pg.locator("#map").bounding_box()
    panel_box = pg.locator("#panel").bounding_box()
    assert map_box["height"] > 300 and panel_box["y"] >= map_box["y"] + map_box["height"] - 1
    shot(pg, "map-phone")
    context.close()
