"""A planned tour: visits per day, the journeys between them, totals, and what was left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from maas.pois import Poi
from maas.routing.journeys import Journey, iso_time
from maas.routing.places import Place
from maas.when import format_clock

#: :attr:`Itinerary.status` when every day goes from its start to its end within its hours.
OK = "ok"
#: :attr:`Itinerary.status` when some day cannot even go from its start to its end within its hours.
INFEASIBLE = "infeasible"


@dataclass(frozen=True)
class Visit:
    """A stop of the tour: arrive, (wait,) visit from ``start`` to ``end`` (seconds of the day)."""

    poi: Poi
    arrival: int
    start: int
    end: int


@dataclass(frozen=True)
class DayPlan:
    """One day: where it starts and ends, the visits, and ``legs[i]`` leading to visit ``i`` (the last leg returns)."""

    index: int
    date: dt.date
    timezone: str
    start: Place
    end: Place
    visits: list[Visit]
    legs: list[Journey]

    @property
    def departure(self) -> int:
        return self.legs[0].departure if self.legs else 0

    @property
    def back(self) -> int:
        return self.legs[-1].arrival if self.legs else 0


@dataclass(frozen=True)
class LeftOut:
    """A wanted POI that is not in the tour, and why (``closed``, ``too far``, ``no time``, ``budget``, ``avoided``)."""

    poi: Poi
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class SearchSummary:
    """How good a tour is, as far as the search knows: its score, the work done, and how the search ended.

    ``score`` is the planner's objective of the tour returned (POI interest, ×3 when it
    matches the visitor's interests); ``stopped`` is ``"patience"`` (no better tour in the
    last ``steps_since_best`` steps: the search's own evidence that it is good),
    ``"time limit"`` or ``"nothing to choose"``.
    """

    score: int
    candidates: int
    steps: int
    starts: int
    restarts: int
    steps_since_best: int
    stopped: str
    time_s: float

    def note(self) -> str:
        """One sentence for the visitor: score, search time, and how the search ended."""
        starts = f"{self.starts} starts in different parts of the region, " if self.starts > 1 else ""
        how = (
            f"no better tour found in the last {self.steps_since_best:,} of {self.steps:,} search steps ({starts}{self.restarts} restarts)"
            if self.stopped != "time limit"
            else f"the search used its whole time limit ({self.steps:,} steps, {starts}{self.restarts} restarts)"
        )
        return f"Search: score {self.score:,} over {self.candidates} candidate POIs in {self.time_s:.2f} s; {how}."

    def to_dict(self) -> dict:
        """The ``search`` object of the itinerary's JSON."""
        return {
            "score": self.score,
            "candidates": self.candidates,
            "steps": self.steps,
            "starts": self.starts,
            "restarts": self.restarts,
            "steps_since_best": self.steps_since_best,
            "stopped": self.stopped,
            "time_s": round(self.time_s, 3),
        }


@dataclass(frozen=True)
class Itinerary:
    """The answer to a tour request: each day's visits and journeys, what was left out, and why.

    Every leg is a journey planned on the real timetable, so the itinerary
    can be followed as it stands.  A tour that cannot be done is a result, not
    an error: :attr:`status` is ``"infeasible"`` when some day cannot even go
    from its start to its end within its hours (that day has no legs), and
    :attr:`reason` says which; the other days are still planned.

    Parameters
    ----------
    days
        One :class:`DayPlan` per day, in order.
    left_out
        Wanted POIs (must-visit, or matching the interests) not in the tour,
        each with the reason (``closed``, ``too far``, ``no time``, ``budget``).
    notes
        Sentences for the visitor (data caveats, must-visit POIs that cannot fit).
    timings
        Seconds spent preparing, solving and re-timing (``total`` included).
    search
        How good the tour is and how the search ended (:class:`SearchSummary`);
        None when no search ran.

    Examples
    --------
    >>> tour = maas.TourPlanner(planner, places).plan(maas.tour_request({...}))  # doctest: +SKIP
    >>> tour.status, [v.poi.id for v in tour.visits]  # doctest: +SKIP
    ('ok', ['shokasonjuku', 'hagi_castle_ruins', ...])
    """

    days: list[DayPlan]
    left_out: list[LeftOut]
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: How good the tour is and how the search ended; None when no search ran.
    search: SearchSummary | None = field(default=None, compare=False, repr=False)

    @property
    def status(self) -> str:
        """``"ok"``, or ``"infeasible"`` when some day cannot go from its start to its end in time."""
        return INFEASIBLE if any(not d.legs for d in self.days) else OK

    @property
    def reason(self) -> str | None:
        """Why the tour is infeasible (naming each such day and its places), or None when it is not."""
        stuck = [d for d in self.days if not d.legs]
        if not stuck:
            return None
        return "; ".join(
            f"day {d.index + 1} ({d.date.isoformat()}): no journey links {d.start.display('en')} and {d.end.display('en')} within the day's hours"
            for d in stuck
        )

    @property
    def visits(self) -> list[Visit]:
        """Every visit of the tour, day by day."""
        return [v for d in self.days for v in d.visits]

    @property
    def interest(self) -> int:
        """The summed interest score (1–100 each) of the visited POIs."""
        return sum(v.poi.interest for v in self.visits)

    @property
    def walk_m(self) -> float:
        """Metres walked over the whole tour."""
        return sum(j.walk_m for d in self.days for j in d.legs)

    @property
    def fees_yen(self) -> int:
        """Adult admission fees of the visits, in yen."""
        return sum(v.poi.fee_yen for v in self.visits)

    def fares_yen(self) -> tuple[float, int]:
        """Return (known fares, number of rides whose fare is unknown)."""
        known, unknown = 0.0, 0
        for d in self.days:
            for j in d.legs:
                for leg in j.legs:
                    if leg.is_ride:
                        if leg.fare_yen is None:
                            unknown += 1
                        else:
                            known += leg.fare_yen
        return known, unknown

    def to_dict(self, lang: str | None = None) -> dict:
        """Return the itinerary as JSON-ready data: the ``maas tour --json`` document and ``POST /v1/tours``'s ``itinerary``.

        Times are ISO 8601 with the feed's UTC offset; ``status`` and
        ``reason`` come first (see the class docstring).
        """
        fares, unknown = self.fares_yen()
        days = []
        for d in self.days:

            def iso(s: int, d: DayPlan = d) -> str:
                return iso_time(d.date, s, d.timezone)

            days.append(
                {
                    "day": d.index + 1,
                    "date": d.date.isoformat(),
                    "start": d.start.to_dict(lang),
                    "end": d.end.to_dict(lang),
                    "departure": iso(d.departure),
                    "back": iso(d.back),
                    "visits": [
                        {
                            "poi": v.poi.id,
                            "name": v.poi.name(lang),
                            "names": {"ja": v.poi.name_ja, "en": v.poi.name_en},
                            "category": v.poi.category,
                            "lat": v.poi.lat,
                            "lon": v.poi.lon,
                            "arrival": iso(v.arrival),
                            "visit_start": iso(v.start),
                            "visit_end": iso(v.end),
                            "interest": v.poi.interest,
                            "fee_yen": v.poi.fee_yen,
                            "opening_hours": v.poi.opening_hours,
                        }
                        for v in d.visits
                    ],
                    "legs": [j.to_dict(lang) for j in d.legs],
                }
            )
        return {
            "status": self.status,
            "reason": self.reason,
            "days": days,
            "totals": {
                "visits": len(self.visits),
                "interest": self.interest,
                "walk_m": round(self.walk_m, 1),
                "fares_yen": fares,
                "rides_with_unknown_fare": unknown,
                "fees_yen": self.fees_yen,
                "cost_yen": fares + self.fees_yen,
            },
            "left_out": [{"poi": x.poi.id, "name": x.poi.name(lang), "reason": x.reason, "detail": x.detail} for x in self.left_out],
            "notes": self.notes,
            "search": self.search.to_dict() if self.search else None,
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }

    def to_geojson(self, lang: str | None = None) -> dict:
        """Return the whole tour as GeoJSON: visits as Points, each leg as a LineString.

        A ride's line follows its trip's shape where the feed has shapes.txt
        (else it runs stop to stop); a walk is a straight line.
        """
        features = []
        for d in self.days:
            for n, v in enumerate(d.visits, start=1):
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [v.poi.lon, v.poi.lat]},
                        "properties": {
                            "kind": "visit",
                            "day": d.index + 1,
                            "order": n,
                            "poi": v.poi.id,
                            "name": v.poi.name(lang),
                            "arrival": format_clock(v.arrival),
                            "visit_start": format_clock(v.start),
                            "visit_end": format_clock(v.end),
                        },
                    }
                )
            for j in d.legs:
                for leg in j.legs:
                    features.append(
                        {
                            "type": "Feature",
                            "geometry": {"type": "LineString", "coordinates": leg.line()},
                            "properties": {
                                "kind": "leg",
                                "day": d.index + 1,
                                "mode": leg.mode,
                                "route": leg.route,
                                "from": leg.origin.display(lang),
                                "to": leg.destination.display(lang),
                                "departure": format_clock(leg.departure),
                                "arrival": format_clock(leg.arrival),
                            },
                        }
                    )
        return {"type": "FeatureCollection", "features": features}
