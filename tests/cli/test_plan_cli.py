"""``maas plan`` / ``reach`` / ``matrix`` as a user runs them: the JSON contract and clear errors."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from maas.cli.main import app

runner = CliRunner()
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$")


@pytest.fixture(autouse=True)
def private_cache(cache_dir, monkeypatch):
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_plan_json_contract():
    """--json gives journeys with the contract's fields, ISO times with +09:00 and consistent transfers."""
    r = invoke("plan", "--from", "Shin-Yamaguchi", "--to", "Ajisu", "--date", "2026-12-01", "--depart", "07:00", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["journeys"]
    for j in doc["journeys"]:
        assert {"departure", "arrival", "transfers", "duration_s", "legs"} <= set(j)
        assert ISO.match(j["departure"]) and ISO.match(j["arrival"])
        rides = [leg for leg in j["legs"] if leg["mode"] != "walk"]
        assert j["transfers"] == max(len(rides) - 1, 0)
        for leg in j["legs"]:
            assert leg["mode"] in {"walk", "rail", "bus", "shuttle"}
            assert {"from", "to", "departure", "arrival", "route", "trip_id", "headsign"} <= set(leg)
            assert {"id", "name", "lat", "lon"} <= set(leg["from"])
    first = doc["journeys"][0]
    assert first["legs"][0]["from"]["name"] and first["legs"][-1]["to"]["name"]


def test_sourced_fare_is_priced():
    """Shin-Yamaguchi → Yamaguchi by the Yamaguchi Line costs the sourced 240 yen (a zone-pair fare rule of gtfs/jr)."""
    r = invoke("plan", "--from", "Shin-Yamaguchi", "--to", "Yamaguchi", "--date", "2026-12-01", "--depart", "09:00", "--modes", "rail", "--json")
    assert r.exit_code == 0, r.output
    direct = [j for j in json.loads(r.output)["journeys"] if j["rides"] == 1]
    assert direct and all(j["fare_yen"] == 240 for j in direct)
    assert all(leg["fare_yen"] == 240 for j in direct for leg in j["legs"] if leg["mode"] != "walk")


def test_plan_text_output():
    """Text output names both places and lists legs with times."""
    r = invoke("plan", "--from", "阿知須", "--to", "Yamaguchi Techno Park", "--date", "2019-12-10", "--depart", "06:30")
    assert r.exit_code == 0, r.output
    assert "07:14" in r.output and "Yamaguchi Techno Park" in r.output and "shuttle" in r.output


def test_unknown_place_lists_candidates():
    """An unknown name exits 2 with the closest matches, no traceback."""
    r = invoke("plan", "--from", "Shin-Yamagucci", "--to", "Ajisu", "--date", "2026-12-01", "--depart", "07:00")
    assert r.exit_code == 2
    assert "Closest matches" in r.output and "Shin-Yamaguchi" in r.output
    assert "Traceback" not in r.output


def test_ambiguous_name_tells_candidates_apart():
    """A name shared by places far apart (Yuda Onsen station and bus stop) lists each with its id and modes."""
    r = invoke("plan", "--from", "Yuda Onsen", "--to", "Yamaguchi", "--date", "2026-12-01", "--depart", "09:00")
    assert r.exit_code == 2
    assert "far apart" in r.output
    assert "(st_yudaonsen; rail)" in r.output and "(bus_yudaonsen; bus)" in r.output


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--date", "2026-13-01"], "date"),
        (["--depart", "7h"], "depart"),
        (["--date", "2031-01-01"], "no timetable for 2031-01-01: "),
        (["--modes", "plane"], "mode"),
    ],
)
def test_bad_options_name_the_problem(args, needle):
    """Bad dates, times, modes and dates without service exit 2 with a message naming them."""
    r = invoke("plan", "--from", "Shin-Yamaguchi", "--to", "Ajisu", "--date", "2026-12-01", "--depart", "07:00", *args)
    assert r.exit_code == 2, r.output
    assert needle in r.output


def test_window_returns_several_departures():
    """--window 120 lists journeys leaving at different times, all inside the window."""
    r = invoke("plan", "--from", "Shin-Yamaguchi", "--to", "Yamaguchi", "--date", "2026-12-01", "--depart", "07:00", "--window", "120", "--json")
    doc = json.loads(r.output)
    deps = [j["departure"][11:16] for j in doc["journeys"]]
    assert len(set(deps)) >= 3 and all("07:00" <= d <= "09:00" for d in deps)


def test_arrive_by():
    """--arrive-by gives journeys arriving by that time."""
    r = invoke("plan", "--from", "Shin-Yamaguchi", "--to", "Yamaguchi", "--date", "2026-12-01", "--arrive-by", "09:00", "--json")
    doc = json.loads(r.output)
    assert doc["journeys"] and all(j["arrival"][11:16] <= "09:00" for j in doc["journeys"])


def test_batch_jsonl_in_row_order(tmp_path):
    """--batch prints one JSON object per row, in order, with errors reported per row."""
    csv = tmp_path / "q.csv"
    csv.write_text(
        "from,to,date,depart\nShin-Yamaguchi,Ajisu,2026-12-01,07:00\nNowhere,Ajisu,2026-12-01,07:00\nYamaguchi,Tsuwano,2026-12-01,09:00\n", encoding="utf-8"
    )
    r = invoke("plan", "--batch", str(csv), "--json")
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.output.strip().splitlines()]
    assert [x["row"] for x in lines] == [2, 3, 4]
    assert lines[0]["journeys"] and lines[2]["journeys"]
    assert lines[1]["error"]["field"] == "from"


def test_reach_geojson():
    """maas reach --geojson gives an isochrone polygon and the stops reached."""
    r = invoke("reach", "--from", "Shin-Yamaguchi", "--date", "2026-12-01", "--depart", "08:00", "--minutes", "60", "--geojson")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds[0] == "isochrone" and doc["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert kinds.count("stop") > 5


def test_matrix_csv(tmp_path):
    """maas matrix prints minutes per origin row and destination column."""
    (tmp_path / "o.csv").write_text("place\nShin-Yamaguchi\nYamaguchi\n", encoding="utf-8")
    (tmp_path / "d.csv").write_text('id,place\najisu,Ajisu\nyuda,"34.1598,131.4601"\n', encoding="utf-8")
    r = invoke("matrix", "--origins", str(tmp_path / "o.csv"), "--destinations", str(tmp_path / "d.csv"), "--date", "2026-12-01", "--depart", "08:00")
    assert r.exit_code == 0, r.output
    rows = [line.split(",") for line in r.output.strip().splitlines()]
    assert rows[0] == ["origin", "ajisu", "yuda"]
    assert len(rows) == 3 and all(float(v) > 0 for v in rows[1][1:] if v)


def test_plan_text_names_the_train_in_the_language_asked():
    """The shinkansen's short name (こだま) reads Kodama in English and Korean (English fallback), こだま in Japanese."""
    args = ("plan", "--from", "Tokuyama", "--to", "Asa", "--date", "2026-12-01", "--depart", "06:35")
    for lang, name in (("en", "Kodama"), ("ko", "Kodama"), ("ja", "こだま")):
        r = invoke(*args, "--lang", lang)
        assert r.exit_code == 0, r.output
        assert f" {name} " in r.output.splitlines()[3], r.output
