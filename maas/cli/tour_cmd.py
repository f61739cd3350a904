"""``maas tour``: sightseeing circuits, and the orienteering benchmark solver."""

from __future__ import annotations

from typing import Annotated

import typer

from maas.cli import optw_cmd
from maas.cli.common import EXIT_INFEASIBLE, echo_json, load_planner
from maas.cli.options import FeedOpt, JsonOpt, OsmOpt, PoisOpt
from maas.tours.request import INTERESTS, tour_request

tour_app = typer.Typer(
    help="Sightseeing tours over the real timetables (maas tour --start ...), and the OPTW/TOPTW benchmark solver (maas tour solve-optw).",
    invoke_without_command=True,
)
optw_cmd.register(tour_app)


def register(app: typer.Typer) -> None:
    """Add ``maas tour`` to the CLI."""
    app.add_typer(tour_app, name="tour")


def _split(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


@tour_app.callback()
def tour(
    ctx: typer.Context,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="Where each day starts: station, stop, POI or lat,lon (a hotel). Several, comma-separated, give one per day.", show_default=False
        ),
    ] = None,
    end: Annotated[str | None, typer.Option("--end", help="Where each day ends (default: the start).", show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", help="First day, YYYY-MM-DD.", show_default=False)] = None,
    from_: Annotated[str, typer.Option("--from", help="Leave the start at HH:MM (or one time per day: 09:00,08:30).")] = "09:00",
    until: Annotated[str, typer.Option("--until", help="Be back by HH:MM (or one time per day: 18:00,16:00).")] = "18:00",
    days: Annotated[int, typer.Option("--days", help="Number of days (each with the same hours).")] = 1,
    interests: Annotated[str | None, typer.Option("--interests", help=f"Comma-separated: {','.join(INTERESTS)}.", show_default=False)] = None,
    must_visit: Annotated[
        str | None, typer.Option("--must-visit", help="POI ids or names that must be included (comma-separated).", show_default=False)
    ] = None,
    avoid: Annotated[str | None, typer.Option("--avoid", help="POI ids or names to leave out (comma-separated).", show_default=False)] = None,
    pace: Annotated[str, typer.Option("--pace", help="relaxed, normal or brisk (scales visit durations).")] = "normal",
    max_walk: Annotated[float, typer.Option("--max-walk", help="Longest walk in metres.")] = 800.0,
    budget: Annotated[int | None, typer.Option("--budget", help="Most yen for fares and admission fees.", show_default=False)] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds the optimiser may search.", min=0.1, max=60)] = 2.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the search.")] = 0,
    geojson: Annotated[bool, typer.Option("--geojson", help="Print the tour as GeoJSON.")] = False,
    feed: FeedOpt = None,
    pois: PoisOpt = None,
    osm: OsmOpt = None,
    as_json: JsonOpt = False,
    lang: Annotated[str, typer.Option("--lang", help="Language of names: en, ja, ko, zh-Hans or zh-Hant (else English).")] = "en",
) -> None:
    """Plan a sightseeing tour: which POIs, in what order, on which buses and trains.

    Exit status 3 when the tour is infeasible (a day cannot even go from its
    start to its end within its hours); the itinerary is printed all the same.

    Example: maas tour --start Shin-Yamaguchi --date 2026-12-05 --from 09:00 --until 18:00 --interests history,nature
    """
    if ctx.invoked_subcommand is not None:
        return
    if start is None and date is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    data = {
        "start": _split(start) if start and "," in start and not _looks_like_latlon(start) else start,
        "end": (_split(end) if end and "," in end and not _looks_like_latlon(end) else end),
        "date": date,
        "from": _split(from_) if "," in from_ else from_,
        "until": _split(until) if "," in until else until,
        "days": days,
        "interests": _split(interests),
        "must_visit": _split(must_visit),
        "avoid": _split(avoid),
        "pace": pace,
        "max_walk": max_walk,
        "budget": budget,
    }
    from maas.tours.planner import TourPlanner  # imports OR-Tools: only when planning
    from maas.tours.report import render_itinerary

    req = tour_request({k: v for k, v in data.items() if v is not None})
    planner, places = load_planner(feed, pois, osm)
    itinerary = TourPlanner(planner, places).plan(req, time_limit_s=time_limit, seed=seed)
    if geojson:
        echo_json(itinerary.to_geojson(lang))
    elif as_json:
        echo_json(itinerary.to_dict(lang))
    else:
        typer.echo(render_itinerary(itinerary, lang))
    if itinerary.status != "ok":
        raise typer.Exit(EXIT_INFEASIBLE)


def _looks_like_latlon(text: str) -> bool:
    parts = text.split(",")
    try:
        return len(parts) == 2 and all(float(p) == float(p) for p in parts)
    except ValueError:
        return False
