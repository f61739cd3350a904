"""``maas matrix`` and ``maas access``: travel-time matrices over a departure window, and accessibility.

Both run one range-RAPTOR search per origin (:mod:`maas.routing.matrix`),
here or on a Dask cluster (``--workers N``, ``--scheduler tcp://HOST:PORT``:
:mod:`maas.batch.runner`), and write CSV to standard output or ``--output``
as CSV, Parquet or GeoJSON by its extension.  The output is the same bytes
however the work was split.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from tqdm.auto import tqdm

from maas.cli.common import load_planner, service_date
from maas.cli.options import FeedOpt, OsmOpt, PoisOpt, routing_options
from maas.errors import InputError
from maas.routing.params import DEFAULT_PARAMS, RoutingParams
from maas.when import date_and_time

if TYPE_CHECKING:  # imported by the commands when they run, so that `maas --help` stays quick
    from maas.batch.runner import Task
    from maas.batch.source import NetworkSource
    from maas.routing.locations import Locations
    from maas.routing.matrix import DepartureWindow
    from maas.routing.places import PlaceIndex
    from maas.routing.planner import Planner

DateOpt = Annotated[str | None, typer.Option("--date", help="Service date YYYY-MM-DD (default: today in the feeds' time zone).", show_default=False)]
DepartOpt = Annotated[str | None, typer.Option("--depart", help="First departure, HH:MM[:SS] (default: now).", show_default=False)]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file: .csv, .parquet or .geojson (default: CSV on standard output).", show_default=False),
]
WorkersOpt = Annotated[int, typer.Option("--workers", help="Processes of a local Dask cluster (1: run here, no cluster).", min=1, max=256)]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Run on an existing Dask cluster: its scheduler's address, tcp://HOST:PORT.", show_default=False),
]
BoundariesOpt = Annotated[
    Path | None, typer.Option("--boundaries", help="Municipal boundaries GeoJSON for mesh:LEVEL (default: the seven municipalities).", show_default=False)
]


def register(app: typer.Typer) -> None:
    """Add the matrix and accessibility commands to the CLI."""
    app.command("matrix")(matrix)
    app.command("access")(access)


def _numbers(text: str | None, field: str, flag: str) -> list[int] | None:
    """Return the whole numbers of a comma-separated option (None when absent); InputError naming the flag."""
    if text is None:
        return None
    try:
        return [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(f"{flag}: '{text}' is not a comma-separated list of whole numbers", field) from None


def _window(planner: Planner, date: str | None, depart: str | None, minutes: int) -> DepartureWindow:
    """Return the departures of ``--date``/``--depart``/``--window`` (one minute for a window of 0)."""
    from maas.routing.matrix import DepartureWindow

    day, t = date_and_time(date, depart, planner.network.timetable.timezone, "depart")
    return DepartureWindow(service_date(planner, day), t, max(minutes, 1))


def _origins(text: str, places: PlaceIndex, boundaries: Path | None) -> tuple[Locations, list[dict]]:
    """Return (locations, geometries) of ``--origins``: a file, or ``mesh:LEVEL`` cells inside the area."""
    from maas.network.mesh import area_polygon, mesh_cells, parse_mesh_spec
    from maas.routing.locations import points, read_locations

    level = parse_mesh_spec(text, "origins")
    if level is None:
        found = read_locations(Path(text), places, "origins")
        return found, [{"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]} for p in found.places]
    cells = mesh_cells(level, area_polygon(boundaries))
    found = points([str(c) for c in cells.codes.tolist()], cells.lat.tolist(), cells.lon.tolist())
    return found, [cells.polygon(i) for i in range(len(cells))]


def _progress(total: int, what: str) -> tqdm:
    """Return a progress bar over origins on standard error, shown only on a terminal."""
    return tqdm(total=total, desc=what, unit="origin", disable=not sys.stderr.isatty(), file=sys.stderr)


@dataclass(frozen=True)
class _Inputs:
    """What ``matrix`` and ``access`` read before searching: the places, the departures and the network's source for the tasks."""

    origins: Locations
    geometries: list[dict]  # each origin's GeoJSON geometry (a mesh cell's square, or a point)
    destinations: Locations
    window: DepartureWindow
    source: NetworkSource


def _read_inputs(
    origins: str,
    destinations: Path,
    boundaries: Path | None,
    date: str | None,
    depart: str | None,
    window: int,
    feed: Sequence[Path] | None,
    pois: Path | None,
    osm: Path | None,
) -> _Inputs:
    """Load the network and read the origins, destinations and departure window of the command line.

    The network loaded here is remembered as the tasks' source, so that
    chunks run in this process (no cluster) do not load it again.
    """
    from maas.batch.source import network_source, remember
    from maas.routing.locations import read_locations

    planner, places = load_planner(feed, pois, osm)
    o_found, geometries = _origins(origins, places, boundaries)
    d_found = read_locations(destinations, places, "destinations")
    win = _window(planner, date, depart, window)
    source = network_source(feed, pois, osm)
    remember(source, planner.network, planner, places)
    return _Inputs(o_found, geometries, d_found, win, source)


def _run_chunks(task: Task[Any], inputs: _Inputs, job: object, workers: int, scheduler: str | None, what: str) -> list[Any]:
    """Run ``task`` over the origins in chunks, here or on a Dask cluster, with a progress bar; the chunks' answers in order."""
    from maas.batch.runner import runner, split

    with runner(workers, scheduler) as run, _progress(len(inputs.origins), what) as bar:
        return run.map(task, inputs.source, job, split(inputs.origins.places, run.workers), bar.update)


@routing_options
def matrix(
    origins: Annotated[
        str, typer.Option("--origins", help="Origins: a CSV ('place' or 'lat','lon'; optional 'id') or GeoJSON points file, or mesh:LEVEL.", show_default=False)
    ],
    destinations: Annotated[Path, typer.Option("--destinations", help="Destinations: a CSV or GeoJSON file, same columns.", show_default=False)],
    date: DateOpt = None,
    depart: DepartOpt = None,
    window: Annotated[
        int, typer.Option("--window", help="Minutes of departures from --depart, one search per origin (0: the one departure).", min=0, max=1440)
    ] = 0,
    percentiles: Annotated[
        str | None, typer.Option("--percentiles", help="Travel-time percentiles over the window, e.g. 5,50,95 (default: 50).", show_default=False)
    ] = None,
    output: OutputOpt = None,
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    params: RoutingParams = DEFAULT_PARAMS,
    boundaries: BoundariesOpt = None,
    feed: FeedOpt = None,
    pois: PoisOpt = None,
    osm: OsmOpt = None,
) -> None:
    """Write travel minutes from every origin to every destination, over a window of departures.

    Without --window and --percentiles: one departure, one row per origin and
    a column per destination (empty = unreachable).  With them: one row per
    pair and a column per percentile of the window's minute-by-minute travel
    times (nearest rank, as R5).  Examples:

      maas matrix --origins o.csv --destinations d.csv --depart 08:00 > minutes.csv

      maas matrix --origins o.csv --destinations d.csv --depart 08:00 --window 60 --percentiles 5,50,95 --output m.parquet --workers 2
    """
    from maas.batch.tasks import MatrixJob, matrix_chunk
    from maas.routing.matrix import DEFAULT_PERCENTILES, TravelTimeMatrix, check_percentiles
    from maas.routing.matrix_output import output_format, write_matrix

    output_format(output)  # refuse an unknown extension before any work
    pcts = check_percentiles(_numbers(percentiles, "percentiles", "--percentiles") or list(DEFAULT_PERCENTILES))
    inputs = _read_inputs(origins, destinations, boundaries, date, depart, window, feed, pois, osm)
    o_found, d_found, win = inputs.origins, inputs.destinations, inputs.window
    job = MatrixJob(uuid.uuid4().hex, d_found.places, win, params, pcts)
    parts = _run_chunks(matrix_chunk, inputs, job, workers, scheduler, "matrix")
    import numpy as np

    seconds = np.concatenate(parts) if parts else np.zeros((0, len(d_found), len(pcts)), np.int32)
    result = TravelTimeMatrix(o_found.ids, d_found.ids, win, pcts, seconds)
    write_matrix(
        result,
        output,
        sys.stdout,
        wide=window == 0 and percentiles is None,
        origins=[(p.lat, p.lon) for p in o_found.places],
        destinations=[(p.lat, p.lon) for p in d_found.places],
    )


@routing_options
def access(
    origins: Annotated[
        str,
        typer.Option(
            "--origins",
            help="Origins: a CSV or GeoJSON points file, or mesh:LEVEL (JIS X 0410: 3 = 1 km, 4 = 500 m) inside the seven municipalities.",
            show_default=False,
        ),
    ],
    destinations: Annotated[
        Path,
        typer.Option(
            "--destinations", help="Destinations: CSV or GeoJSON; an optional 'weight' (jobs, beds...) is summed instead of counting.", show_default=False
        ),
    ],
    minutes: Annotated[str, typer.Option("--minutes", help="Thresholds in minutes, e.g. 30,45,60.")] = "30,45,60",
    date: DateOpt = None,
    depart: DepartOpt = None,
    window: Annotated[
        int, typer.Option("--window", help="Minutes of departures from --depart; the travel time used is the window's median.", min=1, max=1440)
    ] = 60,
    percentile: Annotated[int, typer.Option("--percentile", help="Travel-time percentile over the window (50: the median).", min=0, max=100)] = 50,
    output: OutputOpt = None,
    reached_only: Annotated[
        bool, typer.Option("--reached-only", help="Leave out origins that reach nothing within the largest threshold (smaller map layers).")
    ] = False,
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    params: RoutingParams = DEFAULT_PARAMS,
    boundaries: BoundariesOpt = None,
    feed: FeedOpt = None,
    pois: PoisOpt = None,
    osm: OsmOpt = None,
) -> None:
    """Write, for each origin, how many destinations (or how much of their weight) it reaches within each threshold.

    A destination counts for a threshold when the chosen percentile (the
    median) of its travel times over the window is under it.  GeoJSON output
    has one Feature per origin (a mesh cell's square, or a point) with a
    'within_30'... property per threshold.  Example:

      maas access --origins mesh:3 --destinations hospitals.csv --depart 08:00 --window 60 --minutes 30,45,60 --output access.geojson
    """
    from maas.batch.tasks import AccessJob, MatrixJob, access_chunk
    from maas.routing.access import Accessibility, check_thresholds
    from maas.routing.matrix_output import output_format, write_access

    output_format(output)
    thresholds = check_thresholds(_numbers(minutes, "minutes", "--minutes") or [])
    inputs = _read_inputs(origins, destinations, boundaries, date, depart, window, feed, pois, osm)
    o_found, d_found, win, geometries = inputs.origins, inputs.destinations, inputs.window, inputs.geometries
    job = AccessJob(MatrixJob(uuid.uuid4().hex, d_found.places, win, params, (percentile,)), d_found.weights, thresholds, percentile)
    parts = _run_chunks(access_chunk, inputs, job, workers, scheduler, "access")
    import numpy as np

    values = np.concatenate(parts) if parts else np.zeros((0, len(thresholds)))
    keep = np.flatnonzero(values[:, -1] > 0) if reached_only else np.arange(len(o_found))
    result = Accessibility(tuple(o_found.ids[i] for i in keep), win, percentile, thresholds, values[keep])
    positions = [(o_found.places[i].lat, o_found.places[i].lon) for i in keep]
    write_access(result, output, sys.stdout, positions=positions, geometries=[geometries[i] for i in keep])
