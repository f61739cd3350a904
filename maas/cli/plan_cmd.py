"""``maas plan`` and ``maas reach``: journeys and isochrones (matrices: :mod:`maas.cli.matrix_cmd`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Annotated

import typer
from tqdm.auto import tqdm

from maas.cli.common import echo_json, load_planner, service_date
from maas.cli.options import FeedOpt, JsonOpt, OsmOpt, PoisOpt, routing_options
from maas.errors import InputError
from maas.feeds.translations import pick_name
from maas.routing.answer import journeys_document
from maas.routing.journeys import Journey
from maas.routing.params import DEFAULT_PARAMS, RoutingParams
from maas.routing.places import Place, PlaceIndex
from maas.routing.planner import JourneyQuery, Planner
from maas.routing.reach import reach as reach_query
from maas.when import date_and_time, format_clock

DateOpt = Annotated[str | None, typer.Option("--date", help="Service date YYYY-MM-DD (default: today in the feeds' time zone).", show_default=False)]
DepartOpt = Annotated[str | None, typer.Option("--depart", help="Leave at or after HH:MM[:SS] (default: now).", show_default=False)]
LangOpt = Annotated[
    str,
    typer.Option("--lang", help="Language of names: en, ja, ko, zh-Hans or zh-Hant (a name missing in it is given in English; text output adds the Japanese)."),
]


def register(app: typer.Typer) -> None:
    """Add the journey commands to the CLI."""
    app.command("plan")(plan)
    app.command("reach")(reach)


def _when(planner: Planner, date: str | None, clock: str | None, field: str = "depart") -> tuple[dt.date, int]:
    day, t = date_and_time(date, clock, planner.network.timetable.timezone, field)
    return service_date(planner, day), t


@routing_options
def plan(
    origin: Annotated[
        str | None, typer.Option("--from", help="Where from: stop id, station or stop name (ja/en), POI id or name, or lat,lon.", show_default=False)
    ] = None,
    destination: Annotated[str | None, typer.Option("--to", help="Where to (same forms as --from).", show_default=False)] = None,
    date: DateOpt = None,
    depart: DepartOpt = None,
    arrive_by: Annotated[str | None, typer.Option("--arrive-by", help="Arrive by HH:MM[:SS] instead of leaving at --depart.", show_default=False)] = None,
    window: Annotated[int, typer.Option("--window", help="List every good journey leaving within this many minutes (range query).", min=0, max=1440)] = 0,
    params: RoutingParams = DEFAULT_PARAMS,
    batch: Annotated[Path | None, typer.Option("--batch", help="CSV with columns from,to,date,depart: one JSON line per row.", show_default=False)] = None,
    workers: Annotated[int, typer.Option("--workers", help="With --batch: processes of a local Dask cluster (1: run here).", min=1, max=256)] = 1,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="With --batch: an existing Dask cluster's scheduler, tcp://HOST:PORT.", show_default=False)
    ] = None,
    feed: FeedOpt = None,
    pois: PoisOpt = None,
    osm: OsmOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Plan journeys: the Pareto-optimal ones by arrival time and number of transfers.

    Each journey leaves as late as possible for its arrival.  Examples:

      maas plan --from Shin-Yamaguchi --to Ajisu --date 2026-12-01 --depart 07:00

      maas plan --from 阿知須 --to "Yamaguchi Techno Park" --date 2019-12-10 --depart 06:30 --json
    """
    if depart and arrive_by:
        raise InputError("give either --depart or --arrive-by, not both", "arrive_by")
    if batch is None and (workers != 1 or scheduler):
        raise InputError("--workers and --scheduler apply to --batch FILE", "workers" if workers != 1 else "scheduler")
    planner, places = load_planner(feed, pois, osm)
    if batch is not None:
        _batch(planner, places, batch, params, lang, (feed, pois, osm), workers, scheduler)
        return
    if not origin or not destination:
        raise InputError("--from and --to are needed (or --batch FILE)", "from" if not origin else "to")
    o = places.resolve(origin, "from")
    d = places.resolve(destination, "to")
    day, t = _when(planner, date, arrive_by or depart, "arrive_by" if arrive_by else "depart")
    q = JourneyQuery(o, d, day, t, arrive_by=bool(arrive_by), window_s=window * 60, params=params)
    journeys = planner.plan(q)
    if as_json:
        echo_json(journeys_document(q, journeys, lang))
    else:
        typer.echo(_render(q, journeys, lang))


def _batch(
    planner: Planner,
    places: PlaceIndex,
    path: Path,
    params: RoutingParams,
    lang: str,
    data: tuple[list[Path] | None, Path | None, Path | None],
    workers: int,
    scheduler: str | None,
) -> None:
    """Plan every row of a batch file, here or on a Dask cluster; one JSON line per row, in file order."""
    from maas.batch.runner import runner, split
    from maas.batch.source import network_source, remember
    from maas.batch.tasks import PlanJob, plan_chunk

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the batch file ({exc.strerror})", "batch") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: the batch file is not UTF-8", "batch") from exc
    rows = list(csv.DictReader(io.StringIO(text)))
    missing = {"from", "to"} - set(rows[0].keys() if rows else [])
    if missing:
        raise InputError(f"{path}: the batch file needs columns from,to,date,depart; missing {', '.join(sorted(missing))}", "batch")
    source = network_source(*data)
    remember(source, planner.network, planner, places)
    numbered = [(line, dict(row)) for line, row in enumerate(rows, start=2)]
    with runner(workers, scheduler) as run, tqdm(total=len(rows), desc="planning", unit="query", disable=not sys.stderr.isatty()) as bar:
        for lines in run.map(plan_chunk, source, PlanJob(params, lang), split(numbered, run.workers), bar.update):
            sys.stdout.write("".join(line + "\n" for line in lines))


def _in(lang: str, names: dict[str, str], own: str) -> str:
    """A ride's name (route, headsign, train) in ``lang``, else English, else ``own``; ``own`` as the feed writes it for ja."""
    return own if lang == "ja" else pick_name(names, lang, own)


def _name(place: Place, lang: str) -> str:
    """The place in ``lang`` followed by its own (Japanese) name when they differ; just the own name for ja."""
    if lang == "ja":
        return place.name
    shown = place.display(lang)
    return f"{shown} ({place.name})" if shown != place.name else place.name


def _render(q: JourneyQuery, journeys: list[Journey], lang: str) -> str:
    when = ("arrive by " if q.arrive_by else "leave at or after ") + format_clock(q.time)
    head = f"{_name(q.origin, lang)} → {_name(q.destination, lang)}   {q.date:%a %Y-%m-%d}, {when}"
    if q.window_s:
        head += f" (window {q.window_s // 60} min)"
    lines = [head]
    if not journeys:
        lines.append("  no journey found (try a later time, a wider --walk-radius, or more --max-transfers)")
        return "\n".join(lines)
    for n, j in enumerate(journeys, start=1):
        lines.append("")
        lines.append(
            f"{n}) {format_clock(j.departure)} → {format_clock(j.arrival)}   {j.duration_s // 60} min, "
            f"{j.transfers} transfer{'s' if j.transfers != 1 else ''}, {int(j.walk_m)} m walk"
        )
        for leg in j.legs:
            if leg.mode == "walk":
                lines.append(
                    f"   {format_clock(leg.departure)}  walk {int(leg.distance_m)} m ({(leg.arrival - leg.departure + 59) // 60} min) to {_name(leg.destination, lang)}"
                )
            else:
                route = _in(lang, leg.route_names, leg.route)
                headsign = _in(lang, leg.headsign_names, leg.headsign)
                short = _in(lang, leg.trip_short_names, leg.trip_short_name)
                what = f"{leg.mode} {route}" + (f" {short}" if short else "") + (f" for {headsign}" if headsign else "")
                lines.append(f"   {format_clock(leg.departure)}  {_name(leg.origin, lang)}: {what}")
                lines.append(f"   {format_clock(leg.arrival)}  {_name(leg.destination, lang)}  ({len(leg.stops) - 1} stops)")
    return "\n".join(lines)


@routing_options
def reach(
    origin: Annotated[str, typer.Option("--from", help="Where from (stop, name, POI or lat,lon).", show_default=False)],
    minutes: Annotated[int, typer.Option("--minutes", help="Time budget in minutes.", min=1, max=1440)] = 60,
    date: DateOpt = None,
    depart: DepartOpt = None,
    params: RoutingParams = DEFAULT_PARAMS,
    geojson: Annotated[bool, typer.Option("--geojson", help="Print the isochrone and stops as GeoJSON.")] = False,
    feed: FeedOpt = None,
    pois: PoisOpt = None,
    osm: OsmOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show every stop reachable within a time budget, and the isochrone polygon."""
    planner, places = load_planner(feed, pois, osm)
    o = places.resolve(origin, "from")
    day, t = _when(planner, date, depart)
    r = reach_query(planner, o, day, t, minutes, params=params)
    if geojson:
        echo_json(r.to_geojson())
    elif as_json:
        echo_json(
            {
                "origin": o.to_dict(),
                "date": day.isoformat(),
                "depart": format_clock(t),
                "minutes": minutes,
                "stops": [
                    {"id": s.id, "name": s.name, "lat": s.lat, "lon": s.lon, "arrival": format_clock(s.arrival), "minutes": round(s.minutes, 1)}
                    for s in r.stops
                ],
                "isochrone_area_km2": round(r.area_km2(), 3),
            }
        )
    else:
        typer.echo(
            f"From {_name(o, 'en')} at {format_clock(t)} on {day}: {len(r.stops)} stops within {minutes} min, isochrone {round(r.area_km2(), 3):.2f} km²"
        )
        for s in r.stops:
            typer.echo(f"  {format_clock(s.arrival)}  {s.minutes:5.1f} min  {s.name} [{s.id}]")
