"""``maas validate`` and ``maas info``: check feeds and describe what they hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from maas.cli.common import echo_json, load_feeds_or_default
from maas.errors import FeedError

PathsArg = Annotated[list[Path], typer.Argument(help="Feed folders or zip files.", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]


def register(app: typer.Typer) -> None:
    """Add the feed commands to the CLI."""
    app.command("validate")(validate)
    app.command("info")(info)


def validate(paths: PathsArg, as_json: JsonOpt = False) -> None:
    """Check GTFS / GTFS-JP feeds and report every problem with file, line and field.

    Exit status 0 when every feed is usable (warnings allowed), 2 when not.
    """
    from maas.feeds.problems import Problem, has_errors
    from maas.feeds.reader import feed_name_for, read_feed
    from maas.feeds.validate import summarize, validate_feed

    reports = []
    for path in paths:
        try:
            feed = read_feed(path)
            problems = validate_feed(feed)
            name = feed.name
        except FeedError as exc:
            name = feed_name_for(path)
            problems = [Problem("error", "unreadable", str(exc), name)]
        reports.append((name, path, problems))
    usable = not any(has_errors(p) for _, _, p in reports)
    if as_json:
        echo_json(
            {
                "usable": usable,
                "feeds": [
                    {
                        "name": name,
                        "path": str(path),
                        "usable": not has_errors(problems),
                        **summarize(problems),
                        "problems": [p.to_dict() for p in problems],
                    }
                    for name, path, problems in reports
                ],
            }
        )
    else:
        for name, path, problems in reports:
            counts = summarize(problems)
            verdict = "NOT usable" if has_errors(problems) else "usable"
            typer.echo(f"{name} ({path}): {verdict}: {counts['errors']} error(s), {counts['warnings']} warning(s)")
            for p in sorted(problems, key=lambda p: (p.severity != "error", p.file or "", p.row or 0)):
                typer.echo(f"  {p.severity:<7}  {p.where()}  {p.message}")
    raise typer.Exit(0 if usable else 2)


def info(
    paths: Annotated[list[Path] | None, typer.Argument(help="Feed folders or zips (default: the region's data).", show_default=False)] = None,
    as_json: JsonOpt = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompile instead of using the cached timetable.")] = False,
) -> None:
    """Summarise feeds: agencies, routes by mode, stops, trips, stop times, dates of service, bounding box."""
    from maas.timetable.summary import summarize as summarize_timetable

    tt = load_feeds_or_default(paths, use_cache=not no_cache)
    s = summarize_timetable(tt)
    if as_json:
        echo_json(s)
        return
    for f in s["feeds"]:
        typer.echo(f"feed {f['name']}  ({f['source']})")
        if f["publisher"] or f["version"]:
            typer.echo(f"  publisher: {f['publisher']}  version: {f['version']}")
        typer.echo(f"  agencies: {', '.join(f['agencies'])}")
        if f["agencies_official"]:
            typer.echo(f"  registered names (agency_jp): {', '.join(f['agencies_official'])}")
        if f["offices"]:
            typer.echo(f"  offices (office_jp): {', '.join(f['offices'])}")
        typer.echo(f"  {f['stops']} stops, {f['routes']} routes, {f['trips']} trips, {f['warnings']} warning(s) when checked")
    typer.echo("")
    typer.echo(f"routes by mode: {json.dumps(s['routes_by_mode'], ensure_ascii=False)}")
    typer.echo(f"stops: {s['stops']} (+ {s['stations']} stations)   trips: {s['trips']}   stop times: {s['stop_times']}   patterns: {s['patterns']}")
    if s["service_dates"]:
        typer.echo(f"dates of service: {s['service_dates']['first']} .. {s['service_dates']['last']}  ({s['timezone']})")
    if s["bbox"]:
        b = s["bbox"]
        typer.echo(f"bounding box: lon {b['min_lon']:.5f} .. {b['max_lon']:.5f}, lat {b['min_lat']:.5f} .. {b['max_lat']:.5f}")
