"""The plain-text itinerary: what ``maas tour`` prints and a notebook shows.

The only tours module that formats text for people; the JSON and GeoJSON
forms are :meth:`maas.tours.itinerary.Itinerary.to_dict` and
:meth:`~maas.tours.itinerary.Itinerary.to_geojson`.
"""

from __future__ import annotations

from maas.routing.journeys import Journey
from maas.tours.itinerary import DayPlan, Itinerary
from maas.when import format_clock


def render_itinerary(itinerary: Itinerary, lang: str = "en") -> str:
    """Return an itinerary as text: per day the visits and the rides between them, then the totals.

    One line per leg (departure → arrival, the rides with their routes and
    departure times, or "walk") and one per visit (its hours, the wait
    before it, interest and fee); then the totals, the wanted places left
    out and why, and the notes.  An infeasible tour (``itinerary.status``
    ``"infeasible"``) starts with that status and its reason.

    Parameters
    ----------
    itinerary
        A tour planned by :meth:`maas.TourPlanner.plan`.
    lang
        Language of place and route names: ``en`` (default), ``ja``, ``ko``,
        ``zh-Hans`` or ``zh-Hant``; a name missing in that language is given
        in English.

    Returns
    -------
    str
        The itinerary, lines separated by ``\\n`` (no trailing newline).

    Examples
    --------
    >>> print(maas.render_itinerary(tour))  # doctest: +SKIP
    Day 1  Sat 2026-12-05  from Higashi-Hagi Sta.
      09:04 → 09:27  bus ... to Shokasonjuku Academy
    ...
    """
    lines = [] if itinerary.status == "ok" else [f"{itinerary.status.upper()}: {itinerary.reason}", ""]
    for day in itinerary.days:
        lines.extend(_day_lines(day, lang))
    fares, unknown = itinerary.fares_yen()
    lines.append("")
    lines.append(
        f"{len(itinerary.visits)} visits, interest {itinerary.interest}, walking {itinerary.walk_m / 1000:.1f} km, "
        f"fees {itinerary.fees_yen} yen, fares {fares:.0f} yen"
        + (f" (not counting {unknown} ride{'s' if unknown > 1 else ''} whose fare the data does not give)" if unknown else "")
    )
    lines.extend(f"left out: {x.poi.name(lang)} — {x.reason}: {x.detail}" for x in itinerary.left_out)
    lines.extend(f"note: {n}" for n in itinerary.notes)
    return "\n".join(lines)


def _day_lines(day: DayPlan, lang: str) -> list[str]:
    """One day: its header, each leg and the visit it leads to, and the time back."""
    lines = [f"Day {day.index + 1}  {day.date:%a %Y-%m-%d}  from {day.start.display(lang)}"]
    if not day.legs:
        return [*lines, "  no journey fits this day"]
    for k, leg in enumerate(day.legs):
        target = day.visits[k].poi.name(lang) if k < len(day.visits) else day.end.display(lang)
        lines.append(f"  {format_clock(leg.departure)} → {format_clock(leg.arrival)}  {_how(leg, lang)} to {target}")
        if k < len(day.visits):
            v = day.visits[k]
            wait = f" (wait {(v.start - v.arrival) // 60} min)" if v.start > v.arrival else ""
            lines.append(
                f"     visit {format_clock(v.start)}–{format_clock(v.end)}{wait}  {v.poi.name(lang)}  [interest {v.poi.interest}, {v.poi.fee_yen} yen]"
            )
    lines.append(f"  back {format_clock(day.back)}")
    return lines


def _how(journey: Journey, lang: str) -> str:
    """The rides of a leg of the tour (``bus 防長線 09:04, rail 山口線 10:12``), or ``walk``."""
    rides = [x for x in journey.legs if x.is_ride]
    return ", ".join(f"{x.mode} {x.route_names.get('en', x.route) if lang != 'ja' else x.route} {format_clock(x.departure)}" for x in rides) or "walk"
