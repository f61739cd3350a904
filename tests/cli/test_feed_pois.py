"""POIs stay available when ``--feed`` replaces the default feeds (issue 11: a tour with --feed lost akiyoshido_cave)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from maas.cli.common import load_network
from maas.cli.main import app
from tests.conftest import shared_path

runner = CliRunner()
JRBUS = "jp_jrbus_chugoku_20260813.zip"


@pytest.fixture(autouse=True)
def private_cache(cache_dir, monkeypatch):
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))


@pytest.mark.shared_data
def test_network_of_other_feeds_keeps_the_region_pois():
    """load_network with feeds (the --feed path) still loads pois/pois.geojson."""
    network = load_network([shared_path("feeds", JRBUS)])
    assert "akiyoshido_cave" in {p.id for p in network.pois}


@pytest.mark.shared_data
def test_plan_from_a_poi_id_with_feed():
    """`maas plan --feed JRBUS --from akiyoshido_cave --to "Yamaguchi Sta"` finds the POI and rides the real 秋吉線 (its stop is 620 m away)."""
    r = runner.invoke(
        app,
        ["plan", "--feed", str(shared_path("feeds", JRBUS)), "--from", "akiyoshido_cave", "--to", "Yamaguchi Sta",
         "--date", "2026-12-01", "--depart", "12:00", "--walk-radius", "1000", "--json"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["query"]["from"]["kind"] == "poi" and doc["journeys"]
    assert any(leg["mode"] == "bus" for leg in doc["journeys"][0]["legs"])


@pytest.mark.shared_data
def test_pois_option_still_replaces_them(tmp_path):
    """--pois FILE loads that file instead of the region's POIs."""
    mine = tmp_path / "pois.geojson"
    mine.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    network = load_network([shared_path("feeds", JRBUS)], pois=mine)
    assert network.pois == []


@pytest.mark.shared_data
def test_plan_text_in_korean_falls_back_to_english():
    """--lang ko names Hiroshima stops in Korean (the feed has it) and Yamaguchi ones in English, the Japanese beside."""
    feed = str(shared_path("feeds", JRBUS))
    r = runner.invoke(app, ["plan", "--feed", feed, "--from", "広島駅", "--to", "西条駅", "--date", "2026-12-01", "--depart", "09:00", "--lang", "ko"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("히로시마 역 (広島駅) → 사이조 역 (西条駅)")
    r = runner.invoke(app, ["plan", "--feed", feed, "--from", "山口駅", "--to", "秋芳洞", "--date", "2026-12-01", "--depart", "09:00", "--lang", "ko"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Yamaguchi Sta. (山口駅) → Akiyoshido (秋芳洞)")
