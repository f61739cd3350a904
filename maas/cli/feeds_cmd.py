"""``maas validate``, ``maas info`` and ``maas feeds list|update``: check feeds, describe them, keep them fresh."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from maas.cli.common import echo_json, load_feeds_or_default
from maas.defaults import default_catalog_path, default_feed_paths
from maas.errors import FeedError

if TYPE_CHECKING:
    from maas.feeds.catalog import Catalog, FeedStatus

PathsArg = Annotated[list[Path], typer.Argument(help="Feed folders or zip files.", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]
CatalogOpt = Annotated[
    Path | None,
    typer.Option("--catalog", help="The feed catalog (TOML, one [[feed]] per feed; default: the region's gtfs/feeds.toml).", show_default=False),
]

feeds_app = typer.Typer(
    help="The feed catalog: what each feed is and how long it runs (list), and fetching fresh official feeds (update).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the feed commands to the CLI."""
    app.command("validate")(validate)
    app.command("info")(info)
    app.add_typer(feeds_app, name="feeds")


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
    """Summarise feeds: agencies, routes by mode, stops, trips, stop times, dates of service, bounding box.

    Each feed also shows what its catalog says (kind, licence, attribution;
    kind "unknown" for a feed no catalog beside it names), its service dates
    and days left, with a warning from 30 days before its end.
    """
    from maas.timetable.summary import feed_statuses
    from maas.timetable.summary import summarize as summarize_timetable

    tt = load_feeds_or_default(paths, use_cache=not no_cache)
    s = summarize_timetable(tt)
    statuses = feed_statuses(tt, list(paths) if paths else default_feed_paths())
    for f, st in zip(s["feeds"], statuses):
        f.update({k: v for k, v in st.to_dict().items() if k not in f})
    s["warnings"] = [f"{st.name}: {st.warning}" for st in statuses if st.warning]
    if as_json:
        echo_json(s)
        return
    for f, st in zip(s["feeds"], statuses):
        typer.echo(f"feed {f['name']}  ({f['source']})")
        typer.echo(f"  kind: {st.kind}  licence: {st.licence or '-'}" + (f"  attribution: {st.attribution}" if st.attribution else ""))
        if f["publisher"] or f["version"]:
            typer.echo(f"  publisher: {f['publisher']}  version: {f['version']}")
        typer.echo(f"  service: {_span_text(st)}")
        if st.warning:
            typer.echo(f"  WARNING: {st.warning}")
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


def _span_text(st: FeedStatus) -> str:
    """``2026-08-13 .. 2027-02-13 (75 days left)``, or why there are no dates."""
    v = st.validity
    if not st.present:
        return "no data yet"
    if v is None or v.first is None or v.days_left is None:
        return "no service dates"
    left = v.days_left
    when = f"{left} day{'s' if left != 1 else ''} left" if left >= 0 else f"ended {-left} day{'s' if left != -1 else ''} ago"
    return f"{v.first} .. {v.last} ({when})"


def _short(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` characters, marking the cut with '…'."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _catalog(path: Path | None) -> Catalog:
    from maas.feeds.catalog import load_catalog

    return load_catalog(path or default_catalog_path())


@feeds_app.command("list")
def feeds_list(catalog: CatalogOpt = None, as_json: JsonOpt = False) -> None:
    """List the catalog's feeds: kind, version, first and last service date, days left.

    Dates come from each feed's calendar.txt and calendar_dates.txt (services
    some trip uses); days are counted from today in the feed's time zone.  A
    feed whose service ends within 30 days, has ended, or whose folder is
    still empty gets a WARNING.  Exit status 0 (2 when the catalog is wrong).
    """
    from maas.feeds.catalog import WARN_DAYS, folder_status

    cat = _catalog(catalog)
    statuses = [folder_status(cat, e) for e in cat.entries]
    if as_json:
        echo_json(
            {
                "catalog": str(cat.path),
                "warn_days": WARN_DAYS,
                "feeds": [{**st.to_dict(), "path": str(cat.feed_path(st_entry))} for st, st_entry in zip(statuses, cat.entries)],
            }
        )
        return
    typer.echo(f"catalog {cat.path}")
    width = max([len(e.name) for e in cat.entries] + [4])
    typer.echo(f"  {'name':<{width}}  {'kind':<8}  {'version':<16}  service")
    for st in statuses:
        typer.echo(f"  {st.name:<{width}}  {st.kind:<8}  {_short(st.version or '-', 16):<16}  {_span_text(st)}")
        if st.warning:
            typer.echo(f"  {'':<{width}}  WARNING: {st.warning}")


@feeds_app.command("update")
def feeds_update(
    names: Annotated[list[str] | None, typer.Argument(help="Feeds to update (default: every catalog entry).", show_default=False)] = None,
    catalog: CatalogOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Download each feed that has a url (http, https, file), validate it, and swap it in atomically.

    The new feed is unpacked beside the old one (<catalog folder>/<name>/),
    checked with the same rules as `maas validate`, and renamed into place;
    the old folder is removed only after the swap.  A download that fails,
    does not validate, or whose service has already ended leaves the previous
    feed exactly as it was: the feed and the reason are printed and the exit
    status is 2.  Content identical to what is there changes nothing.  Entries
    without a url are kept as they are.  A running `maas serve` keeps the
    timetable it loaded until restarted.
    """
    from maas.feeds.update import update_feeds

    cat = _catalog(catalog)
    results = update_feeds(cat, names, progress=sys.stderr.isatty() and not as_json)
    failed = [r for r in results if not r.ok]
    if as_json:
        echo_json({"catalog": str(cat.path), "ok": not failed, "feeds": [r.to_dict() for r in results]})
    else:
        for r in results:
            if r.ok:
                typer.echo(f"{r.name}: {r.message}")
            else:
                typer.echo(f"maas: {r.name}: update failed: {r.message}", err=True)
    raise typer.Exit(2 if failed else 0)
