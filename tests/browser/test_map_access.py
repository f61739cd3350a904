"""The planners' accessibility layer on the web map: a choropleth of one threshold from the shipped layer."""

from __future__ import annotations

import json
from pathlib import Path

from tests.browser.test_map import open_page, pytestmark, shot, wait_until  # noqa: F401 - pytestmark: the skip mark

LAYER = Path(__file__).resolve().parents[2] / "api" / "static" / "access" / "sights-mesh4.geojson"


def cells_within(minutes: int) -> int:
    """Return how many cells of the shipped layer reach at least one sight within ``minutes``."""
    doc = json.loads(LAYER.read_text(encoding="utf-8"))
    return sum(f["properties"][f"within_{minutes}"] > 0 for f in doc["features"])


def test_access_layer_draws_one_threshold(browser, base_url):
    """Ticking the layer draws one cell per mesh cell reaching a sight within the threshold; changing it redraws."""
    with open_page(browser, base_url) as page:
        page.click("nav button[data-tab=shuttle]")
        page.check("#a-show")
        expected = cells_within(45)
        assert expected > 50
        wait_until(page, "document.querySelectorAll('path.access-cell').length === arg", expected)
        assert page.locator("#a-legend li").all_inner_texts() == ["1", "2–3", "4–7", "8–15", "16+"]
        swatches = page.evaluate("() => [...document.querySelectorAll('#a-legend .swatch')].map((s) => getComputedStyle(s).backgroundColor)")
        assert swatches[0] == "rgb(203, 201, 226)" and swatches[-1] == "rgb(63, 0, 125)"  # the lightest and darkest class
        faded = "[layers.stops, layers.pois].map((g) => g.getLayers()[0].options.fillOpacity)"
        assert page.evaluate(f"() => {faded}") == [0.2, 0.2]  # the stops and POIs fade over the cells
        shot(page, "map-access-45")
        # 500 m cells are a few pixels across the whole region: look closer where most sights are
        # reachable, as a planner would (a double click zooms in on the point clicked).
        darkest = "[...document.querySelectorAll('path.access-cell')].sort((a, b) => a.getAttribute('fill') < b.getAttribute('fill') ? -1 : 1)[0]"
        width = f"{darkest}.getBoundingClientRect().width"
        for _ in range(6):
            wait_until(page, "!document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')")  # a zoom mid-zoom is ignored
            box = page.evaluate(f"() => {{ const r = {darkest}.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2, r.width]; }}")
            if box[2] >= 25:
                break
            page.mouse.dblclick(box[0], box[1])
            wait_until(page, f"{width} > 1.5 * arg", box[2])
        shot(page, "map-access-45-zoomed")
        page.select_option("#a-minutes", "30")
        wait_until(page, "document.querySelectorAll('path.access-cell').length === arg", cells_within(30))
        page.uncheck("#a-show")
        wait_until(page, "document.querySelectorAll('path.access-cell').length === 0")
        assert page.evaluate(f"() => {faded}") == [1, 0.9]  # and come back when the layer goes
