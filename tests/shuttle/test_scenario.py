"""Scenario files: every bad field is named, through the library and through ``maas shuttle`` (exit status 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from maas.errors import InputError
from maas.shuttle.scenario import load_scenario, scenario_from_text, scenario_json_schema
from tests.shuttle.conftest import write_scenario

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _set(data: dict, path: tuple, value) -> dict:
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


_DELETE = object()

#: (label, path in the data, new value, the field the message must name, a phrase it must contain)
BREAKAGES = [
    ("negative employees", ("demand", "parks", 0, "employees"), -5, "demand.parks[0].employees", "greater than or equal to 0"),
    ("negative seats", ("fleet", "seats"), -1, "fleet.seats", "greater than or equal to 1"),
    ("negative vehicles", ("fleet", "vehicles"), -2, "fleet.vehicles", "greater than or equal to 0"),
    ("time goes backwards", ("runs", 1, "calls", 1, "time"), "07:50", "runs[1].calls[1].time", "backwards"),
    ("depart before arrive", ("runs", 0, "calls", 1, "depart"), "07:30", "runs[0].calls[1].depart", "before it arrives"),
    ("unknown stop in a run", ("runs", 0, "calls", 2, "stop"), "p9", "runs[0].calls[2].stop", "unknown park or station 'p9'"),
    ("unknown park in demand", ("demand", "parks", 1, "stop"), "p9", "demand.parks[1].stop", "unknown park stop 'p9'"),
    ("unknown stop without position", ("stops", 2), {"id": "nowhere_at_all"}, "stops[2].id", "give name, lat and lon"),
    (
        "shift shares",
        ("demand", "parks", 0, "shifts"),
        [{"name": "a", "start": "08:00", "end": "17:00", "share": 0.5}, {"name": "b", "start": "09:00", "end": "18:00", "share": 0.4}],
        "demand.parks[0].shifts",
        "sum to 0.9",
    ),
    ("origin shares", ("demand", "origins"), [{"station": "home", "share": 0.7}], "demand.origins", "sum to 0.7"),
    ("share above 1", ("demand", "parks", 0, "rail_shuttle_share"), 1.5, "demand.parks[0].rail_shuttle_share", "less than or equal to 1"),
    ("shift ends before it starts", ("demand", "parks", 0, "shifts", 0, "end"), "07:00", "demand.parks[0].shifts[0].end", "before it starts"),
    ("not a time", ("runs", 0, "calls", 0, "time"), "7h25", "runs[0].calls[0].time", "not a time"),
    ("unknown field", ("fleet", "colour"), "red", "fleet.colour", "unknown field"),
    ("missing demand", ("demand",), _DELETE, "demand", "required"),
    ("duplicate run id", ("runs", 1, "id"), "m1", "runs[1].id", "duplicate run id"),
    ("runs and runs_feed", ("runs_feed",), "rail", "runs", "exactly one"),
    ("date without service", ("date",), "2030-01-12", "date", "does not run on Sat 2030-01-12"),
    ("unknown road stop", ("fleet", "road_times", 0, "to"), "p7", "fleet.road_times[0].to", "unknown stop 'p7'"),
]


@pytest.mark.parametrize(("label", "path", "value", "field", "phrase"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_bad_scenario_names_the_field(label, path, value, field, phrase, small_data, small_dir, tmp_path):
    """A broken scenario raises InputError naming the field, and the CLI exits 2 with that message."""
    _set(small_data, path, value)
    scen = write_scenario(small_dir, small_data, f"bad-{abs(hash(label))}.yaml")
    with pytest.raises(InputError) as err:
        load_scenario(scen)
    assert err.value.field == field
    assert field in str(err.value) and phrase in str(err.value)
    result = runner.invoke(app, ["shuttle", "evaluate", str(scen)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert field in result.output and phrase in result.output


def test_unknown_origin_station_is_named(small_data, small_dir):
    """An origin the rail feeds do not have is found when the timetable is built, and named."""
    small_data["demand"]["origins"] = [{"station": "atlantis", "share": 1.0}]
    scen = write_scenario(small_dir, small_data, "bad-origin.yaml")
    result = runner.invoke(app, ["shuttle", "evaluate", str(scen)])
    assert result.exit_code == 2
    assert "demand.origins[0].station: unknown station 'atlantis'" in result.output


def test_missing_rail_feed_is_named(small_data, small_dir):
    small_data["rail_feeds"] = ["no-such-feed"]
    scen = write_scenario(small_dir, small_data, "bad-feed.yaml")
    result = runner.invoke(app, ["shuttle", "evaluate", str(scen)])
    assert result.exit_code == 2
    assert "rail_feeds[0]: 'no-such-feed' not found" in result.output


def test_several_problems_are_listed_together(small_data, small_dir):
    small_data["fleet"]["seats"] = 0
    small_data["demand"]["parks"][0]["employees"] = -1
    with pytest.raises(InputError) as err:
        load_scenario(write_scenario(small_dir, small_data, "bad-two.yaml"))
    text = str(err.value)
    assert "fleet.seats" in text and "demand.parks[0].employees" in text and "1 more problem" in text


def test_not_a_file_and_not_yaml(tmp_path):
    result = runner.invoke(app, ["shuttle", "evaluate", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2 and "no such scenario file" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["shuttle", "evaluate", str(bad)])
    assert result.exit_code == 2 and "not valid YAML (line" in result.output
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    result = runner.invoke(app, ["shuttle", "evaluate", str(bad)])
    assert result.exit_code == 2 and "a scenario is a mapping" in result.output


def test_clock_times_stay_text_in_yaml(small_data, small_dir):
    """YAML 1.1 reads unquoted 17:50 as the base-60 number 1070; scenario files read it as 17:50."""
    text = (small_dir / "small.yaml").read_text(encoding="utf-8").replace("'17:50'", "17:50").replace("time: 07:25", "time: 7:25")
    assert "time: 17:50" in text
    assert "time: 7:25" in text
    s = scenario_from_text(text, base_dir=small_dir)
    runs = {r.id: r for r in s.runs}
    assert runs["e2"].calls[-1].time == 17 * 3600 + 50 * 60
    assert runs["m1"].calls[0].time == 7 * 3600 + 25 * 60


def test_json_scenario_and_stop_defaults(small_data, small_dir):
    """JSON works too; a stop given by id alone takes name and position from the default feeds."""
    small_data["stops"].append({"id": "motoyura"})
    path = small_dir / "with-default-stop.json"
    path.write_text(json.dumps(small_data), encoding="utf-8")
    s = load_scenario(path)
    st = s.stop("motoyura")
    assert st.name_en == "Motoyura" and abs(st.lat - 34.031997) < 1e-6
    assert s.station_ids() == ["sta", "motoyura"]


def test_demand_groups_multiply_the_shares():
    s = load_scenario(ROOT / "scenarios" / "trial-2019.yaml")
    groups = s.demand_groups()
    assert len(groups) == 3 * 3 * 7
    ytp = sum(g.riders for g in groups if g.park == "yamaguchi_techno_park")
    assert ytp == pytest.approx(2607 * 0.02)
    assert sum(g.riders for g in groups) == pytest.approx((2607 + 861 + 548) * 0.02)


def test_trial_scenario_is_the_trial():
    """scenarios/trial-2019.yaml holds the trial's facts: station times, period, employee counts."""
    s = load_scenario(ROOT / "scenarios" / "trial-2019.yaml")
    times = {r.id: [(c.stop, c.time) for c in r.calls] for r in s.runs}
    h = lambda t: int(t[:2]) * 3600 + int(t[3:]) * 60  # noqa: E731
    assert times["techno_morning1"][:2] == [("ajisu", h("07:14")), ("motoyura", h("07:24"))]
    assert times["techno_morning1"][-1][1] == h("07:53")
    assert times["techno_morning2"][0] == ("motoyura", h("08:01")) and times["techno_morning2"][-1][1] == h("08:30")
    assert times["techno_evening1"][0][1] == h("17:20") and times["techno_evening1"][-2:] == [("motoyura", h("17:50")), ("ajisu", h("18:00"))]
    assert times["techno_evening2"][0][1] == h("18:20") and times["techno_evening2"][-2:] == [("motoyura", h("18:50")), ("ajisu", h("19:00"))]
    assert {p.stop: p.employees for p in s.demand.parks} == {"yamaguchi_techno_park": 2607, "yamaguchi_techno_park_2": 861, "ube_techno_park": 548}
    assert str(s.service.start_date) == "2019-12-02" and str(s.service.end_date) == "2020-02-28"
    text = (ROOT / "scenarios" / "trial-2019.yaml").read_text(encoding="utf-8")
    assert text.count("ASSUMPTION") >= 5 and "FACT" in text and "MODELED" in text


def test_schema_file_is_current():
    """scenarios/scenario.schema.json is what the model generates (regenerate: maas shuttle schema --out ...)."""
    on_disk = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(scenario_json_schema()))
    result = runner.invoke(app, ["shuttle", "schema"])
    assert result.exit_code == 0 and json.loads(result.output)["title"] == "maas shuttle scenario"


def test_stop_catalogue_first_feed_wins(tmp_path):
    """A stop id in two feeds comes from the first; English names from translations.txt; a station (location_type 1) is no stop."""
    from maas.shuttle.stops import StopCatalogue
    from tests.routing.gtfs_builder import basic_tables, write_feed

    first = basic_tables([("x", 34.0, 131.0)])
    first["translations"] = [{"table_name": "stops", "field_name": "stop_name", "language": "en", "translation": "Ex", "record_id": "x"}]
    second = basic_tables([("x", 35.0, 132.0), ("y", 35.5, 132.5)])
    second["stops"].append({"stop_id": "st", "stop_name": "Station", "stop_lat": "35.0", "stop_lon": "132.0", "location_type": "1"})
    catalogue = StopCatalogue([write_feed(tmp_path / "one", first), write_feed(tmp_path / "two", second)])
    found = catalogue.lookup(["x", "y", "st", "z"])
    assert sorted(found) == ["x", "y"]
    assert (found["x"].lat, found["x"].name_en, found["x"].feed) == (34.0, "Ex", "one")
    assert (found["y"].lat, found["y"].name_en, found["y"].feed) == (35.5, None, "two")
    assert catalogue.describe() == "gtfs/one, gtfs/two"
