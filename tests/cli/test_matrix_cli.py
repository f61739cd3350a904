"""``maas matrix`` as a planner runs it: the one-departure table, windows with percentiles, and each output format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from maas.routing.params import RoutingParams
from maas.routing.reach import travel_minutes
from tests.cli.matrix_kit import matrix_args

runner = CliRunner()


@pytest.fixture(autouse=True)
def private_cache(cache_dir, monkeypatch):
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))


@pytest.fixture()
def files(tmp_path):
    """Origins (two stations and a position) and destinations (a station, a position, a POI, a station)."""
    (tmp_path / "o.csv").write_text('place\nShin-Yamaguchi\nYamaguchi\n"34.1598,131.4601"\n', encoding="utf-8")
    (tmp_path / "d.csv").write_text('id,place\najisu,Ajisu\nyuda,"34.1598,131.4601"\ncave,akiyoshido_cave\nhagi,Higashi-Hagi\n', encoding="utf-8")
    return tmp_path


def invoke(*args: str):
    return runner.invoke(app, list(args))


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_one_departure_table_is_unchanged(files, default_planner, default_places):
    """Without --window: one row per origin, a column per destination, the one-departure minutes as before."""
    r = invoke(*matrix_args(files, "08:00"))
    assert r.exit_code == 0, r.output
    rows = rows_of(r.output)
    assert rows[0] == ["origin", "ajisu", "yuda", "cave", "hagi"]
    origins = [default_places.resolve(t) for t in ("Shin-Yamaguchi", "Yamaguchi", "34.1598,131.4601")]
    destinations = [default_places.resolve(t) for t in ("Ajisu", "34.1598,131.4601", "akiyoshido_cave", "Higashi-Hagi")]
    expected = travel_minutes(default_planner, origins, destinations, dt.date(2026, 12, 1), 8 * 3600, params=RoutingParams())
    got = np.array([[float(v) if v else np.nan for v in row[1:]] for row in rows[1:]])
    assert np.allclose(got, np.round(expected, 1), equal_nan=True)
    assert np.isfinite(got).sum() >= 8


def test_window_percentiles_long_table(files):
    """--window 60 --percentiles 5,50,95: one row per pair, percentiles never decreasing."""
    r = invoke(*matrix_args(files, "08:00", "--window", "60", "--percentiles", "95,5,50"))
    assert r.exit_code == 0, r.output
    rows = rows_of(r.output)
    assert rows[0] == ["origin", "destination", "p5", "p50", "p95"]
    assert len(rows) == 1 + 3 * 4
    spread = 0
    for row in rows[1:]:
        values = [float(v) if v else float("inf") for v in row[2:]]
        assert values == sorted(values)
        spread += values[2] > values[0]
    assert spread > 3  # waiting for the next train makes the window's percentiles differ


def test_outputs_by_extension_agree(files):
    """CSV, Parquet and GeoJSON outputs carry the same minutes; the same run twice gives the same bytes."""
    import pyarrow.parquet as pq

    base = matrix_args(files, "07:30", "--window", "30", "--percentiles", "5,50")
    for name in ("m.csv", "m.parquet", "m.geojson", "again.parquet"):
        r = invoke(*base, "--output", str(files / name))
        assert r.exit_code == 0, r.output
        assert r.output == ""
    rows = rows_of((files / "m.csv").read_text(encoding="utf-8"))[1:]
    table = pq.read_table(files / "m.parquet").to_pylist()
    features = json.loads((files / "m.geojson").read_text(encoding="utf-8"))["features"]
    assert len(rows) == len(table) == len(features) == 12
    for row, rec, feat in zip(rows, table, features):
        assert [row[0], row[1]] == [rec["origin"], rec["destination"]] == [feat["properties"]["origin"], feat["properties"]["destination"]]
        for k, p in enumerate(("p5", "p50")):
            assert (float(row[2 + k]) if row[2 + k] else None) == rec[p] == feat["properties"][p]
        assert feat["geometry"]["type"] == "LineString"
    assert (files / "m.parquet").read_bytes() == (files / "again.parquet").read_bytes()


def test_geojson_origins(files):
    """Origins may be GeoJSON points with an id property."""
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [131.4601, 34.1598]}, "properties": {"id": "yuda-onsen"}}],
    }
    (files / "o.geojson").write_text(json.dumps(doc), encoding="utf-8")
    r = invoke(*matrix_args(files, "08:00", origins="o.geojson"))
    assert r.exit_code == 0, r.output
    assert rows_of(r.output)[1][0] == "yuda-onsen"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--output", "m.xlsx"], "--output"),
        (["--output", "/nonexistent-folder/m.parquet"], "cannot write"),
        (["--output", "/nonexistent-folder/m.csv"], "cannot write"),
        (["--percentiles", "5,150"], "percentiles"),
        (["--percentiles", "five"], "--percentiles"),
        (["--max-transfers", "-1"], "max-transfers"),
        (["--date", "2031-01-01"], "no timetable for 2031-01-01"),
    ],
)
def test_bad_input_exits_2_naming_it(files, extra, message):
    """Bad options end with exit status 2 and a message naming the option, never a traceback."""
    r = invoke(*matrix_args(files, "08:00", *extra))
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output


def test_unknown_place_names_file_and_line(files):
    """An unknown place stops the run naming the file and its line."""
    (files / "bad.csv").write_text("place\nShin-Yamaguchi\nNowhere-at-all-xyz\n", encoding="utf-8")
    r = invoke(*matrix_args(files, "08:00", origins="bad.csv"))
    assert r.exit_code == 2
    assert "bad.csv:3" in r.output
