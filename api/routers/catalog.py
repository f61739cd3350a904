"""Stops, routes and POIs as GeoJSON, and departures from a stop."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import APIRouter, HTTPException, Query, Response

from api.deps import Lang, State
from api.models import DeparturesBoard, PoiCollection, RouteCollection, StopCollection, error_responses, unchecked_json
from maas.routing.departures import departures as departures_from
from maas.routing.places import normalize, stop_ref
from maas.timetable.shapes import pattern_line
from maas.when import date_and_time, format_clock

router = APIRouter(prefix="/v1", tags=["catalog"])


def _stop_features(state, lang: str) -> list[dict]:
    tt = state.network.timetable
    served: dict[int, set[str]] = {}
    for p in range(tt.n_patterns):
        mode = tt.route_modes[tt.pattern_route[p]]
        for s in tt.pattern_stop_list(p):
            served.setdefault(int(s), set()).add(mode)
            parent = int(tt.stop_parent[s])
            if parent >= 0:
                served.setdefault(parent, set()).add(mode)
    out = []
    for s in range(tt.n_stops):
        out.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(tt.stop_lon[s]), float(tt.stop_lat[s])]},
                "properties": {
                    "id": stop_ref(state.network, s),
                    "name": tt.stop_name(s, lang),
                    "names": tt.stop_names_i18n[s],
                    "name_source": tt.stop_name_source[s],
                    "kind": "station" if tt.stop_location_type[s] == 1 else "stop",
                    "parent": stop_ref(state.network, int(tt.stop_parent[s])) if tt.stop_parent[s] >= 0 else None,
                    "feed": tt.feeds[tt.stop_feed[s]].name,
                    "modes": sorted(served.get(s, ())),
                },
            }
        )
    return out


@router.get("/stops", response_model=StopCollection, responses=error_responses(422), summary="Stops and stations (GeoJSON)")
def stops(
    state: State,
    lang: Lang,
    q: Annotated[
        str | None,
        Query(
            description="Text to look for in any of the names (as the place search compares them: Shin-Yamaguchi, shin yamaguchi and 新山口駅 all match).",
            max_length=100,
        ),
    ] = None,
    kind: Annotated[str | None, Query(description="stop or station.", pattern="^(stop|station)$")] = None,
) -> Response:
    """Every stop and station with its names, feed and the modes serving it."""
    features = _stop_features(state, lang)
    if kind:
        features = [f for f in features if f["properties"]["kind"] == kind]
    if q:
        needle, key = q.lower(), normalize(q)
        features = [
            f
            for f in features
            if any(needle in str(n).lower() or (key and key in normalize(str(n))) for n in (f["properties"]["id"], *f["properties"]["names"].values()))
        ]
    return unchecked_json({"type": "FeatureCollection", "features": features})  # checked by the tests: see api.models.base


@router.get("/routes", response_model=RouteCollection, responses=error_responses(422), summary="Routes as lines (GeoJSON)")
def routes(state: State, lang: Lang) -> Response:
    """Each route as a MultiLineString along its patterns (the feed's shapes where it has them, else stop to stop), with mode and colour."""
    tt = state.network.timetable
    lines: dict[int, set[tuple]] = {}
    trips: dict[int, int] = {}
    for p in range(tt.n_patterns):
        r = int(tt.pattern_route[p])
        line = np.round(pattern_line(tt, p), 5)  # 5 decimals: about 1 m, plenty for a network overview
        lines.setdefault(r, set()).add(tuple(map(tuple, line.tolist())))
        trips[r] = trips.get(r, 0) + int(tt.pattern_trip_offsets[p + 1] - tt.pattern_trip_offsets[p])
    features = []
    for r, shapes in sorted(lines.items()):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": [list(map(list, shape)) for shape in sorted(shapes)]},
                "properties": {
                    "id": tt.route_ids[r],
                    "feed": tt.feeds[tt.route_feed[r]].name,
                    "name": tt.route_name(r, lang),
                    "names": tt.route_names_i18n[r],
                    "long_name": tt.route_long_name(r, lang),
                    "long_names": tt.route_long_names_i18n[r],
                    "mode": tt.route_modes[r],
                    "color": ("#" + tt.route_colors[r]) if tt.route_colors[r] else None,
                    "agency": tt.route_agency[r],
                    "trips": trips.get(r, 0),
                },
            }
        )
    return unchecked_json({"type": "FeatureCollection", "features": features})  # checked by the tests: see api.models.base


@router.get("/pois", response_model=PoiCollection, responses=error_responses(422), summary="Points of interest (GeoJSON)")
def pois(
    state: State,
    lang: Lang,
    municipality: Annotated[str | None, Query(description="e.g. Hagi, Yamaguchi, Ube, Hofu, Mine, Sanyo-Onoda, Tsuwano.", max_length=50)] = None,
    category: Annotated[str | None, Query(description="POI category, e.g. history, nature.", max_length=50)] = None,
    interest: Annotated[str | None, Query(description="Interest tag, e.g. history, nature, onsen.", max_length=50)] = None,
    q: Annotated[str | None, Query(description="Text to look for in the names.", max_length=100)] = None,
) -> Response:
    """The tourism POIs with their opening hours, fees, visit times and sources (modeled fields are listed)."""
    out = []
    for p in state.network.pois:
        if municipality and p.municipality.lower() != municipality.lower():
            continue
        if category and p.category.lower() != category.lower():
            continue
        if interest and interest.lower() not in p.interests:
            continue
        if q and q.lower() not in f"{p.id} {p.name_ja} {p.name_en}".lower():
            continue
        out.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "id": p.id,
                    "name": p.name(lang),
                    "names": {"ja": p.name_ja, "en": p.name_en},
                    "category": p.category,
                    "interests": list(p.interests),
                    "municipality": p.municipality,
                    "visit_minutes": p.visit_minutes,
                    "opening_hours": p.opening_hours,
                    "fee_yen": p.fee_yen,
                    "interest": p.interest,
                    "position_quality": p.position_quality,
                    "modeled_fields": list(p.modeled_fields),
                },
            }
        )
    return unchecked_json({"type": "FeatureCollection", "features": out})  # checked by the tests: see api.models.base


@router.get(
    "/stops/{stop_id}/departures",
    response_model=DeparturesBoard,
    responses=error_responses(400, 404, 409, 422),
    summary="Next departures from a stop",
)
def departures(
    stop_id: str,
    state: State,
    lang: Lang,
    date: Annotated[str | None, Query(description="Service date YYYY-MM-DD (default today).")] = None,
    time: Annotated[str | None, Query(description="From HH:MM (default now).")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Most departures listed.")] = 20,
) -> dict:
    """Trips leaving the stop (or any platform of the station) at or after the time."""
    tt = state.network.timetable
    found = tt.stops_with_id(stop_id)
    if not found:
        raise HTTPException(404, f"stop_id: no stop '{stop_id}'")
    if len(found) > 1:
        raise HTTPException(409, f"stop_id: '{stop_id}' exists in several feeds; use FEED:{stop_id}")
    s = found[0]
    day, t = date_and_time(date, time, tt.timezone, "time")
    board = departures_from(state.planner, s, day, t, limit)
    return {
        "stop": {"id": stop_ref(state.network, s), "name": tt.stop_name(s, lang)},
        "date": day.isoformat(),
        "departures": [
            {
                "time": format_clock(d.time),
                "route": tt.route_name(d.route, lang),
                "route_id": tt.route_ids[d.route],
                "mode": tt.route_modes[d.route],
                "headsign": tt.headsign(d.trip, d.position, lang),
                "trip_id": tt.trip_ids[d.trip],
                "platform_stop": stop_ref(state.network, d.stop),
            }
            for d in board.departures
        ],
    }
