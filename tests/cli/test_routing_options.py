"""The routing option bundle: the same flags on plan, reach and matrix, one RoutingParams, bad values named."""

from __future__ import annotations

import json
import re

import pytest
import typer
from typer.testing import CliRunner

from maas.cli.main import app
from maas.cli.options import ROUTING_FLAGS, routing_options
from maas.network.walking import WalkModel
from maas.routing.params import DEFAULT_PARAMS, RoutingParams

runner = CliRunner()
TRIP = ["--from", "Shin-Yamaguchi", "--to", "Ajisu", "--date", "2026-12-01", "--depart", "07:00"]
FLAGS = ["--max-transfers", "--walk-radius", "--walk-speed", "--modes", "--min-transfer-time"]


@pytest.fixture(autouse=True)
def private_cache(cache_dir, monkeypatch):
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))


def echo_app() -> typer.Typer:
    """A one-command app whose command prints the RoutingParams it is given."""
    probe = typer.Typer()

    @probe.command()
    @routing_options
    def show(label: str = "x", params: RoutingParams = DEFAULT_PARAMS, after: int = 0) -> None:
        typer.echo(f"{label} {after} {params!r}")

    return probe


def test_the_bundle_builds_params_from_the_flags():
    """Every flag reaches its field; the command's own options stay around them."""
    r = runner.invoke(
        echo_app(),
        [
            "--label",
            "y",
            "--after",
            "3",
            "--max-transfers",
            "2",
            "--walk-radius",
            "800",
            "--walk-speed",
            "1.4",
            "--modes",
            "rail,Bus",
            "--min-transfer-time",
            "120",
        ],
    )
    assert r.exit_code == 0, r.output
    expected = RoutingParams(max_transfers=2, walk=WalkModel(speed_m_s=1.4, radius_m=800.0), modes=frozenset({"rail", "bus"}), min_transfer_s=120)
    assert r.output.strip() == f"y 3 {expected!r}"


def test_the_bundle_defaults_are_the_default_params():
    r = runner.invoke(echo_app(), [])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == f"x 0 {DEFAULT_PARAMS!r}"


def test_a_command_without_params_is_refused():
    with pytest.raises(TypeError, match="params"):
        routing_options(lambda label="x": None)


@pytest.mark.parametrize("command", ["plan", "reach", "matrix"])
def test_each_routing_command_lists_the_flags_in_order(command):
    """plan, reach and matrix show the five routing flags, in the same order, with their help."""
    r = runner.invoke(app, [command, "--help"], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    positions = [r.output.find(flag + " ") for flag in FLAGS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), r.output
    for text in ("Most changes between rides.", "Longest walk linked, in metres.", "Comma-separated modes to use", "Seconds needed to change between rides"):
        assert text in r.output


@pytest.mark.parametrize(
    "args,flag",
    [
        (["--walk-radius", "5001"], "--walk-radius"),
        (["--walk-speed", "0.05"], "--walk-speed"),
        (["--walk-speed", "6"], "--walk-speed"),
        (["--modes", "plane"], "--modes"),
        (["--modes", ","], "--modes"),
        (["--max-transfers", "21"], "--max-transfers"),
        (["--min-transfer-time", "3601"], "--min-transfer-time"),
        (["--walk-radius", "-1"], "--walk-radius"),
    ],
)
@pytest.mark.parametrize("command", ["plan", "reach", "matrix"])
def test_bad_values_exit_2_naming_the_flag(command, args, flag, tmp_path):
    """Out-of-range routing values end with exit 2 and a message naming the flag, never a traceback."""
    where = {"plan": TRIP, "reach": TRIP[:2] + TRIP[4:], "matrix": ["--origins", str(tmp_path / "o.csv"), "--destinations", str(tmp_path / "d.csv")]}[command]
    r = runner.invoke(app, [command, *where, *args])
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert re.search(re.escape(flag) + r"\b", r.output), r.output


def test_the_flags_reach_the_query():
    """maas plan --json echoes the routing parameters it planned with."""
    args = ["--max-transfers", "2", "--walk-radius", "800", "--walk-speed", "1.4", "--modes", "bus,rail", "--min-transfer-time", "120"]
    r = runner.invoke(app, ["plan", *TRIP, *args, "--json"])
    assert r.exit_code == 0, r.output
    query = json.loads(r.output)["query"]
    assert {k: query[k] for k in ("max_transfers", "walk_radius_m", "walk_speed_m_s", "modes", "min_transfer_time_s")} == {
        "max_transfers": 2,
        "walk_radius_m": 800.0,
        "walk_speed_m_s": 1.4,
        "modes": ["bus", "rail"],
        "min_transfer_time_s": 120,
    }


def test_every_field_has_a_flag():
    """Each field RoutingParams may name in an error maps to a flag of the bundle."""
    assert set(ROUTING_FLAGS.values()) == set(FLAGS)
