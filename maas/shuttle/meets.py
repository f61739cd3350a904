"""Trains a run meets at its stations, and the connections it just misses.

At a station where riders board a run to the parks, a train arriving up to
``meet_window`` before the run leaves, early enough to walk over and change
(``transfer``), is *met* (with the wait); one arriving too late, up to
``missed_window`` after the run has left, is *missed* (by how much).  Where
riders leave a run from the parks, a train leaving up to ``meet_window``
after the run arrives, late enough to make, is met; one leaving just before
riders can make it (up to ``missed_window`` before the run arrives) is missed.
"""

from __future__ import annotations

from dataclasses import dataclass

from maas.geo import haversine_m
from maas.shuttle.context import ShuttleContext
from maas.shuttle.model import Call, Run
from maas.shuttle.units import whole_seconds

MET = "met"
MISSED = "missed"


@dataclass(frozen=True)
class TrainMeet:
    """A train at a run's station: met (riders can change) or missed (just too late / too early)."""

    station: str
    kind: str  # "arrival" (to work) or "departure" (home)
    time: int
    train: str
    trip_id: str
    gap_s: int  # met: the wait; missed: how much the connection falls short
    status: str  # "met" or "missed"


@dataclass(frozen=True)
class RailEvent:
    """A train at a platform near a station: arrival and departure (None where it does not set down / pick up)."""

    stop: int
    arrival: int | None
    departure: int | None
    trip_id: str
    label: str


@dataclass(frozen=True)
class _Windows:
    """The rules of meeting, in seconds."""

    transfer: int
    meet: int
    missed: int


def rail_events(ctx: ShuttleContext, station: str) -> list[RailEvent]:
    """Return the trains calling at the platforms near a shuttle station on the scenario's date (kept on ``ctx``)."""
    if station not in ctx.rail_events:
        ctx.rail_events[station] = _rail_events(ctx, station)
    return ctx.rail_events[station]


def _rail_events(ctx: ShuttleContext, station: str) -> list[RailEvent]:
    tt = ctx.timetable
    stops = set(ctx.rail_stops.get(station, []))
    running = tt.services_on(ctx.date)
    out: list[RailEvent] = []
    if not stops:
        return out
    for p in range(tt.n_patterns):
        seq = tt.pattern_stop_list(p)
        hit = [i for i, s in enumerate(seq) if int(s) in stops]
        if not hit or tt.route_feed[tt.pattern_route[p]] not in ctx.rail_feeds:
            continue
        po = tt.pattern_stop_offsets[p]
        for t in tt.pattern_trips[tt.pattern_trip_offsets[p] : tt.pattern_trip_offsets[p + 1]]:
            if not running[tt.trip_service[t]]:
                continue
            arr, dep = tt.trip_times(int(t))
            head = tt.trip_headsigns[t]
            label = tt.route_name(int(tt.trip_route[t]), "en") + (f" for {ctx.english(head)}" if head else "")
            for i in hit:
                a = int(arr[i]) if i > 0 and tt.pattern_dropoff[po + i] else None
                d = int(dep[i]) if i < len(seq) - 1 and tt.pattern_pickup[po + i] else None
                out.append(RailEvent(int(seq[i]), a, d, tt.trip_ids[t], label))
    return out


def train_meets(ctx: ShuttleContext, run: Run) -> list[TrainMeet]:
    """Return the trains each station call of ``run`` meets and misses, one line per train (see the module docstring)."""
    r = ctx.scenario.rules
    parks = set(ctx.scenario.park_ids())
    windows = _Windows(whole_seconds(r.transfer_minutes), whole_seconds(r.meet_window_minutes), whole_seconds(r.missed_window_minutes))
    out: list[TrainMeet] = []
    for k, call in enumerate(run.calls):
        if call.stop in parks:
            continue
        boards = any(c.stop in parks for c in run.calls[k + 1 :])
        alights = any(c.stop in parks for c in run.calls[:k])
        out += _station_meets(ctx, call, boards, alights, windows)
    out.sort(key=lambda m: (m.station, m.time, m.trip_id))
    # one line per train (a train may call at two platforms of the same station)
    seen = set()
    unique = []
    for m in out:
        key = (m.station, m.kind, m.trip_id, m.status)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique


def _station_meets(ctx: ShuttleContext, call: Call, boards: bool, alights: bool, w: _Windows) -> list[TrainMeet]:
    """Trains met and missed at one station call: arrivals when riders board there, departures when they alight."""
    st = ctx.scenario.stop(call.stop)
    tt = ctx.timetable
    out = []
    for ev in rail_events(ctx, call.stop):
        walk = int(ctx.walk.seconds(float(haversine_m(st.lat, st.lon, tt.stop_lat[ev.stop], tt.stop_lon[ev.stop]))))
        if boards and ev.arrival is not None:
            meet = _arrival_meet(call, ev, ev.arrival, walk, w)
            if meet is not None:
                out.append(meet)
        if alights and ev.departure is not None:
            meet = _departure_meet(call, ev, ev.departure, walk, w)
            if meet is not None:
                out.append(meet)
    return out


def _arrival_meet(call: Call, ev: RailEvent, arrival: int, walk: int, w: _Windows) -> TrainMeet | None:
    """A train arriving before the run leaves the station: met, missed, or neither."""
    ready = arrival + walk + w.transfer
    if ready <= call.departure and arrival >= call.departure - w.meet:
        return TrainMeet(call.stop, "arrival", arrival, ev.label, ev.trip_id, call.departure - arrival, MET)
    if ready > call.departure and arrival <= call.departure + w.missed:
        return TrainMeet(call.stop, "arrival", arrival, ev.label, ev.trip_id, ready - call.departure, MISSED)
    return None


def _departure_meet(call: Call, ev: RailEvent, departure: int, walk: int, w: _Windows) -> TrainMeet | None:
    """A train leaving after the run reaches the station: met, missed, or neither."""
    ready = call.arrival + walk + w.transfer
    if departure >= ready and departure <= call.arrival + w.meet:
        return TrainMeet(call.stop, "departure", departure, ev.label, ev.trip_id, departure - call.arrival, MET)
    if departure < ready and departure >= call.arrival - w.missed:
        return TrainMeet(call.stop, "departure", departure, ev.label, ev.trip_id, ready - departure, MISSED)
    return None


__all__ = ["MET", "MISSED", "RailEvent", "TrainMeet", "rail_events", "train_meets"]
