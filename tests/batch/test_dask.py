"""Batch work on Dask: the same bytes as in one process, retried chunks, and a worker killed mid-run.

A local cluster of 2 worker processes (loopback only) stands in for a real
one; the CLI reaches it with ``--scheduler`` exactly as it would reach
``dask scheduler`` / ``dask worker`` processes on other machines.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path

import dask
import numpy as np
import pytest
from typer.testing import CliRunner

from maas.batch.runner import QUIET_DASK, DaskRunner, InProcess, local_cluster, split
from maas.batch.runner import runner as batch_runner
from maas.batch.source import network_source
from maas.batch.tasks import MatrixJob, matrix_chunk
from maas.cli.main import app
from maas.routing.matrix import DepartureWindow
from maas.routing.params import RoutingParams
from tests.cli.matrix_kit import DAY, matrix_args

pytestmark = pytest.mark.slow
runner = CliRunner()
STATIONS = [
    "Shin-Yamaguchi", "Yamaguchi", "Higashi-Hagi", "Hagi", "Ube-Shinkawa", "Ube", "Hofu", "Mine", "st_yudaonsen", "Tsuwano",
    "Ajisu", "Kotoshiba", "Asa", "Nagatomo", "Miyano", "Nihoe", "Ogori", "Onoda", "Motoyura", "Akiyoshido_cave",
]  # fmt: skip


@pytest.fixture(autouse=True)
def private_cache(cache_dir, monkeypatch):
    monkeypatch.setenv("MAAS_CACHE_DIR", str(cache_dir))


@pytest.fixture(scope="module")
def cluster(cache_dir):
    """Two worker processes on loopback, shared by the tests of this module."""
    os.environ["MAAS_CACHE_DIR"] = str(cache_dir)  # the workers inherit it
    with local_cluster(2) as c:
        yield c


@pytest.fixture()
def files(tmp_path, default_places) -> Path:
    """Origins, weighted destinations and batch journeys among the stations the default data knows."""
    places = [p for p in STATIONS if _resolves(default_places, p)]
    assert len(places) >= 12
    (tmp_path / "o.csv").write_text("place\n" + "\n".join(places) + "\n", encoding="utf-8")
    (tmp_path / "d.csv").write_text(
        "place,weight\n" + "\n".join(f"{p},{i % 3 + 1}" for i, p in enumerate(places)) + '\n"34.1598,131.4601",5\n', encoding="utf-8"
    )
    (tmp_path / "q.csv").write_text(
        "from,to,date,depart\n" + "".join(f"{a},{b},{DAY},0{7 + i % 3}:1{i % 6}\n" for i, (a, b) in enumerate(zip(places, reversed(places)))),
        encoding="utf-8",
    )
    return tmp_path


def _resolves(places, text: str) -> bool:
    try:
        places.resolve(text)
        return True
    except Exception:  # noqa: BLE001 - a name the data may not carry
        return False


def run(*args: str) -> str:
    """Run the CLI; its standard output (exit status 0 is asserted)."""
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.output


def test_matrix_on_a_cluster_is_byte_identical(files, cluster):
    """maas matrix --scheduler gives the single-process CSV, Parquet and GeoJSON bytes."""
    base = matrix_args(files, "07:30", "--window", "30", "--percentiles", "5,50,95")
    here = run(*base)
    there = run(*base, "--scheduler", cluster.scheduler_address)
    assert here == there and here.count("\n") > 200
    for ext in ("parquet", "geojson"):
        run(*base, "--output", str(files / f"here.{ext}"))
        run(*base, "--scheduler", cluster.scheduler_address, "--output", str(files / f"there.{ext}"))
        assert (files / f"here.{ext}").read_bytes() == (files / f"there.{ext}").read_bytes()


def test_access_and_plan_batch_on_a_cluster(files, cluster):
    """maas access (mesh origins) and maas plan --batch give the same output on the cluster as here."""
    access = [
        "access",
        "--origins",
        "mesh:3",
        "--destinations",
        str(files / "d.csv"),
        "--date",
        DAY,
        "--depart",
        "08:00",
        "--window",
        "20",
        "--minutes",
        "30,60",
    ]
    assert run(*access) == run(*access, "--scheduler", cluster.scheduler_address)
    batch = ["plan", "--batch", str(files / "q.csv"), "--json"]
    here = run(*batch)
    assert here == run(*batch, "--scheduler", cluster.scheduler_address)
    assert [line.startswith('{"row": ') for line in here.splitlines()].count(True) == len(here.splitlines()) >= 12


def test_local_cluster_from_the_command_line(files):
    """--workers 2 starts a local cluster of two processes and writes the same bytes as one process."""
    base = matrix_args(files, "08:00")
    assert run(*base) == run(*base, "--workers", "2")


def _worker_settings() -> tuple[dict, str | None]:
    return {key: dask.config.get(key) for key in QUIET_DASK}, os.environ.get("MALLOC_TRIM_THRESHOLD_")


def test_a_local_cluster_runs_with_dask_monitoring_turned_down(monkeypatch):
    """The workers of ``runner(2)`` run with QUIET_DASK (no profiler, slower monitors; glibc's own malloc settings), not Dask's defaults."""
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)  # one set in this environment would reach the workers
    with batch_runner(2) as way:
        assert isinstance(way, DaskRunner) and way.workers == 2
        seen = way.client.run(_worker_settings)
        assert list(seen.values()) == [(QUIET_DASK, None), (QUIET_DASK, None)]
        assert all(env == "1" for env in way.client.run(os.environ.get, "OMP_NUM_THREADS").values())  # Dask's other variables stay
    assert dask.config.get("distributed.worker.profile.enabled") is True  # the caller's settings are back


def flaky_matrix_chunk(source, job, origins):
    """matrix_chunk that fails the first time it sees each chunk (a marker file per chunk in the job's folder)."""
    marker = Path(job.token) / f"seen-{origins[0].id}"
    if not marker.exists():
        marker.write_text("failed once", encoding="utf-8")
        raise OSError("a transient failure of this chunk")
    return matrix_chunk(source, job, origins)


def test_failed_chunks_are_retried(files, cluster, default_planner, default_places, tmp_path):
    """Every chunk fails once; the run retries each and gives the in-process answer."""
    from distributed import Client

    origins = tuple(default_places.resolve(p) for p in (files / "o.csv").read_text(encoding="utf-8").splitlines()[1:])
    destinations = origins[::-1]
    source = network_source(None, None, None)
    job = MatrixJob(str(tmp_path), destinations, DepartureWindow(dt.date(2026, 12, 1), 8 * 3600, 20), RoutingParams(), (50,))
    expected = np.concatenate(InProcess().map(matrix_chunk, source, job, split(origins, 1)))
    with Client(cluster) as client:
        got = np.concatenate(DaskRunner(client).map(flaky_matrix_chunk, source, job, split(origins, 2)))
    assert np.array_equal(got, expected)
    assert len(list(tmp_path.glob("seen-*"))) == len(split(origins, 2))


def test_a_killed_worker_loses_no_results(files, default_places, tmp_path):
    """A worker killed (SIGKILL) after the first chunk came back: its chunks run again elsewhere; the answer is complete and the same."""
    from distributed import Client

    stations = tuple(default_places.resolve(p) for p in (files / "o.csv").read_text(encoding="utf-8").splitlines()[1:])
    origins = stations * 4  # enough chunks that some are still to run when the worker dies
    source = network_source(None, None, None)
    job = MatrixJob("killed", stations, DepartureWindow(dt.date(2026, 12, 1), 7 * 3600, 120), RoutingParams(), (5, 50, 95))
    expected = np.concatenate(InProcess().map(matrix_chunk, source, job, split(origins, 2)))
    killed: list[int] = []
    with local_cluster(2) as c, Client(c) as client:
        pids = client.run(os.getpid)

        def kill_one(_: int) -> None:
            if not killed:
                pid = next(iter(pids.values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        got = np.concatenate(DaskRunner(client).map(matrix_chunk, source, job, split(origins, 2), kill_one))
    assert killed
    assert np.array_equal(got, expected)


def test_a_scheduler_address_that_is_not_one_exits_2(files):
    """--scheduler with an address Dask cannot use: exit status 2 naming the option, no traceback."""
    r = runner.invoke(app, matrix_args(files, "08:00", "--scheduler", "nonsense"))
    assert r.exit_code == 2 and "--scheduler nonsense" in r.output


def test_workers_without_a_batch_exits_2():
    """--workers / --scheduler only make sense with --batch: said, exit status 2."""
    r = runner.invoke(app, ["plan", "--from", "Yamaguchi", "--to", "Ajisu", "--date", DAY, "--depart", "08:00", "--workers", "2"])
    assert r.exit_code == 2 and "--batch" in r.output
