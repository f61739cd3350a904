"""``maas access``: reachable destinations (or weight) per origin and threshold, mesh origins, the map's layer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from maas.network.mesh import area_polygon, mesh_cells
from maas.routing.kernel import INF
from maas.routing.params import RoutingParams
from maas.routing.reach import arrival_times

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
LAYER = REPO / "api" / "static" / "access" / "sights-mesh4.geojson"


@pytest.fixture(autouse=True)
def private_cache(cache_dir, monkeypatch):
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))


@pytest.fixture()
def stations(tmp_path) -> Path:
    """Eight stations as weighted destinations (weights as jobs would be)."""
    names = ["Shin-Yamaguchi", "Yamaguchi", "Higashi-Hagi", "Ube-Shinkawa", "Hofu", "Mine", "st_yudaonsen", "Tsuwano"]
    path = tmp_path / "stations.csv"
    path.write_text("place,weight\n" + "".join(f"{n},{10 * (i + 1)}\n" for i, n in enumerate(names)), encoding="utf-8")
    return path


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_mesh_counts_equal_a_median_of_fresh_searches(stations, default_planner, default_places):
    """For mesh cells that reach something, the weight within each threshold is that of a median over fresh one-minute searches."""
    r = invoke(
        "access", "--origins", "mesh:3", "--destinations", str(stations), "--date", "2026-12-01", "--depart", "08:00", "--window", "9", "--minutes", "30,60"
    )
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    cells = mesh_cells(3, area_polygon())
    assert [row["origin"] for row in rows] == [str(c) for c in cells.codes.tolist()]
    reached = [row for row in rows if float(row["within_60"]) > 0]
    assert len(reached) > 20
    destinations = [default_places.resolve(line.split(",")[0]) for line in stations.read_text(encoding="utf-8").splitlines()[1:]]
    weights = np.array([10.0 * (i + 1) for i in range(len(destinations))])
    params = RoutingParams()
    egress = [default_planner.access(d, params.walk, reverse=True) for d in destinations]
    for row in reached[:: max(1, len(reached) // 6)]:
        origin = default_places.resolve(f"{row['lat']},{row['lon']}")
        per_minute = []
        for minute in range(9):
            t = 8 * 3600 + 60 * minute
            a = arrival_times(default_planner, origin, destinations, egress, dt.date(2026, 12, 1), t, params=params)
            per_minute.append(np.where(a < INF, a - t, np.iinfo(np.int64).max))
        median = np.sort(np.array(per_minute), axis=0)[4]  # nearest rank: ceil(0.5 × 9) - 1
        for minutes in (30, 60):
            assert float(row[f"within_{minutes}"]) == pytest.approx(float(weights[median < minutes * 60].sum())), (row["origin"], minutes)
        assert float(row["within_30"]) <= float(row["within_60"])


def test_geojson_cells_with_a_property_per_threshold(stations, tmp_path):
    """GeoJSON output: one square per mesh cell, a within_N property per threshold, the study's settings."""
    out = tmp_path / "access.geojson"
    r = invoke(
        "access",
        "--origins",
        "mesh:3",
        "--destinations",
        str(stations),
        "--date",
        "2026-12-01",
        "--depart",
        "08:00",
        "--window",
        "5",
        "--minutes",
        "45,30",
        "--reached-only",
        "--output",
        str(out),
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["maas_access"]["thresholds"] == [30, 45] and doc["maas_access"]["window_min"] == 5
    assert doc["features"] and all(f["properties"]["within_45"] > 0 for f in doc["features"])
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert abs((ring[1][0] - ring[0][0]) - 0.0125) < 1e-6 and abs((ring[2][1] - ring[1][1]) - 1 / 120) < 1e-6  # 45" × 30": a 1 km cell


def test_the_maps_layer_is_the_commands_output(tmp_path):
    """api/static/access/sights-mesh4.geojson is exactly what its README's command writes today."""
    out = tmp_path / "layer.geojson"
    r = invoke(
        "access", "--origins", "mesh:4", "--destinations", str(REPO / "pois" / "pois.geojson"), "--date", "2026-12-01", "--depart", "09:00",
        "--window", "60", "--minutes", "30,45,60", "--reached-only", "--output", str(out),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == LAYER.read_bytes(), "rebuild the layer with the command in api/static/access/README.md"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--origins", "mesh:9"], "mesh:9"),
        (["--minutes", "0,30"], "thresholds"),
        (["--minutes", "half an hour"], "--minutes"),
        (["--output", "a.shp"], "--output"),
    ],
)
def test_bad_input_exits_2(stations, args, message):
    """A mesh level, threshold or output that cannot be used ends with exit status 2 naming it."""
    base = {"--origins": "mesh:3", "--minutes": "30", "--output": None}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    cmd = ["access", "--destinations", str(stations), "--date", "2026-12-01", "--depart", "08:00"]
    for flag, value in base.items():
        if value is not None:
            cmd += [flag, value]
    r = invoke(*cmd)
    assert r.exit_code == 2, r.output
    assert message in r.output
