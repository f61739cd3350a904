"""The web map draws a journey's rides along their shapes (``legs[].geometry``), not stop to stop."""

from __future__ import annotations

import pytest

from tests.browser.test_map import CHROMIUM, plan_journey, shot

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium); browser tests skipped")

#: Per drawn line of the journey on the map: its number of points.
LINE_POINTS = """() => {
  const out = [];
  const walk = (layer) => (layer instanceof L.Polyline ? out.push(layer.getLatLngs().length) : layer.eachLayer && layer.eachLayer(walk));
  layers.plan.eachLayer(walk);
  return out;
}"""


def test_journey_rides_follow_the_road(page, client):
    """Yamaguchi → Akiyoshido by the JR bus 秋吉線: the map's line has the geometry's points, hundreds of them."""
    r = client.get("/v1/journeys", params={"from": "Yamaguchi", "to": "Akiyoshido", "date": "2026-12-01", "depart": "08:00", "lang": "en"})
    assert r.status_code == 200, r.text
    first = r.json()["journeys"][0]
    expected = [len(leg["geometry"]["coordinates"]) for leg in first["legs"]]
    if max(expected) < 50:
        pytest.skip("the default data has no shapes.txt for this journey's rides")
    plan_journey(page, "Yamaguchi", "Akiyoshido", "2026-12-01", "08:00")
    drawn = page.evaluate(LINE_POINTS)
    assert drawn == expected
    shot(page, "map-journey-along-the-road")
