"""Pictures of an evaluation: time–distance (Marey) diagrams of trains and shuttles, and load per run.

:func:`diagram_data` returns plain data (times ``HH:MM``, distances km) that a
web map or any plotting tool can draw; :func:`marey_figures` and
:func:`load_figure` draw it with matplotlib (object API, Agg canvas: no
display needed, and notebooks show the returned figures), :func:`write_pngs`
saves them.

A diagram covers one *period*: the runs grouped by time of day (a gap of more
than two hours starts a new period, so usually a morning and an evening one).
It has one panel per shuttle station — the rail line through the station,
distance along the line from the station (negative towards the line's first
stop), every train of the period as a line, the shuttle's departures or
arrivals at 0 km, and each connection met drawn as a dotted wait — and a
panel of the shuttle runs themselves along the road from the stations to the
parks (line width grows with the run's load).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from maas.errors import InputError
from maas.geo import haversine_m
from maas.shuttle.meets import MET
from maas.shuttle.results import Evaluation
from maas.timetable.model import Timetable
from maas.when import format_clock, parse_clock

if TYPE_CHECKING:
    from maas.shuttle.context import ShuttleContext

#: Stations farther along the line than this are left out of a station panel, km.
LINE_KM = 8.0
#: Minutes shown before the first and after the last shuttle time of a period.
PAD_MIN = 40
#: A gap longer than this between runs starts a new period, seconds.
PERIOD_GAP_S = 2 * 3600


def _periods(ev: Evaluation) -> list[tuple[int, int, list[str]]]:
    runs = sorted(ev.runs, key=lambda r: r.run.start)
    out: list[tuple[int, int, list[str]]] = []
    for r in runs:
        if out and r.run.start - out[-1][1] <= PERIOD_GAP_S:
            lo, hi, ids = out[-1]
            out[-1] = (lo, max(hi, r.run.end), [*ids, r.run.id])
        else:
            out.append((r.run.start, r.run.end, [r.run.id]))
    return [(lo - PAD_MIN * 60, hi + PAD_MIN * 60, ids) for lo, hi, ids in out]


def _period_names(periods: list[tuple[int, int, list[str]]]) -> list[str]:
    names = ["am" if (lo + hi) / 2 < 12 * 3600 else "pm" for lo, hi, _ in periods]
    counts = Counter(names)
    seen: Counter = Counter()
    out = []
    for n in names:
        seen[n] += 1
        out.append(n if counts[n] == 1 else f"{n}{seen[n]}")
    return out


def diagram_data(ev: Evaluation) -> dict:
    """Return the time–distance (Marey) and load diagrams of an evaluation as plain data (see the module docstring).

    The same pictures as :func:`marey_figures` and :func:`load_figure`, for
    the web map.

    Parameters
    ----------
    ev
        An evaluation made by :func:`~maas.shuttle.evaluate.evaluate_scenario`.

    Returns
    -------
    dict
        ``periods[i].panels`` hold ``axis`` (stops with ``km``) and ``lines``
        (``kind`` train or shuttle, ``label``, ``points`` as ``[HH:MM, km]``);
        station panels also list ``shuttle_calls`` and ``connections`` (met
        trains: train time → shuttle time at 0 km).  ``loads`` gives each
        run's load per leg against its seats.

    Raises
    ------
    InputError
        The evaluation carries no context (it was not made by evaluating a
        scenario), so there are no trains to draw (field ``evaluation``).
    """
    ctx = ev.context
    if ctx is None:
        raise InputError("evaluation: it has no context (trains, stops); draw an evaluation made by evaluate_scenario", "evaluation")
    s = ev.scenario
    names = {st.id: st.name_en or st.name or st.id for st in s.stops}
    periods = []
    for (lo, hi, run_ids), pname in zip(_periods(ev), _period_names(_periods(ev))):
        panels = [p for st in s.station_ids() if (p := _station_panel(ev, ctx, st, lo, hi, run_ids, names)) is not None]
        panels.append(_shuttle_panel(ev, ctx, run_ids, names))
        periods.append({"name": pname, "start": format_clock(lo), "end": format_clock(hi), "runs": run_ids, "panels": panels})
    loads = []
    for r in ev.runs:
        loads.append(
            {
                "run": r.run.id,
                "label": f"{r.run.id} {format_clock(r.run.start)}",
                "seats": r.seats,
                "peak_load": round(r.peak_load, 1),
                "wanted_peak": round(r.peak_wanted, 1),
                "legs": [
                    {"from": a.stop, "to": b.stop, "load": round(r.load[k], 1), "wanted": round(r.wanted[k], 1)}
                    for k, (a, b) in enumerate(zip(r.run.calls, r.run.calls[1:]))
                ],
            }
        )
    return {"scenario": s.name, "date": ev.date.isoformat(), "periods": periods, "loads": loads}


def _station_panel(ev: Evaluation, ctx: ShuttleContext, station: str, lo: int, hi: int, run_ids: list[str], names: dict[str, str]) -> dict | None:
    """The panel of one station: the rail line through it, its trains in the period, the shuttle's calls and connections."""
    tt = ctx.timetable
    rail = set(ctx.rail_stops.get(station, []))
    calls = _shuttle_calls(ev, station, run_ids)
    if not rail or not calls:
        return None
    patterns = [p for p in range(tt.n_patterns) if tt.route_feed[tt.pattern_route[p]] in ctx.rail_feeds and rail & {int(x) for x in tt.pattern_stop_list(p)}]
    if not patterns:
        return None
    line = _Line.through(tt, rail, patterns)
    st_name = names.get(station, station)
    line_name = Counter(tt.route_name(int(tt.pattern_route[p]), "en") for p in patterns).most_common(1)[0][0]
    return {
        "id": f"station:{station}",
        "kind": "station",
        "station": station,
        "title": f"{st_name}: {line_name} (km from {st_name})",
        "axis": line.axis(tt),
        "lines": _train_lines(ev, ctx, line, rail, patterns, lo, hi),
        "shuttle_calls": calls,
        "connections": _connections(ev, station, run_ids),
    }


def _shuttle_calls(ev: Evaluation, station: str, run_ids: list[str]) -> list[dict]:
    """The period's runs at the station: leaving (towards a park) or arriving, with their load."""
    parks = ev.scenario.park_ids()
    calls = []
    for r in ev.runs:
        if r.run.id not in run_ids:
            continue
        for k, c in enumerate(r.run.calls):
            if c.stop == station:
                kind = "departure" if k < len(r.run.calls) - 1 and any(x.stop in parks for x in r.run.calls[k + 1 :]) else "arrival"
                load = r.load[k] if kind == "departure" else (r.load[k - 1] if k > 0 else 0.0)
                calls.append({"run": r.run.id, "time": format_clock(c.departure if kind == "departure" else c.arrival), "kind": kind, "load": round(load, 1)})
    return calls


@dataclass(frozen=True)
class _Line:
    """The reference line of a station panel: the longest pattern through the station's platforms.

    ``pos``: km from the station along it of each stop (a platform stands for its station)
    within :data:`LINE_KM`; ``here``: the station's position in ``seq``.
    """

    seq: list[int]
    here: int
    pos: dict[int, float]
    parent: np.ndarray

    @classmethod
    def through(cls, tt: Timetable, rail: set[int], patterns: list[int]) -> _Line:
        ref = max(patterns, key=lambda p: len(tt.pattern_stop_list(p)))
        seq = [int(x) for x in tt.pattern_stop_list(ref)]
        lat, lon = tt.stop_lat[seq], tt.stop_lon[seq]
        cum = np.concatenate([[0.0], np.cumsum(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]) / 1000.0)])
        here = next(i for i, x in enumerate(seq) if x in rail)
        line = cls(seq, here, {}, tt.stop_parent)
        line.pos.update({line.key(x): float(cum[i] - cum[here]) for i, x in enumerate(seq) if abs(cum[i] - cum[here]) <= LINE_KM})
        return line

    def key(self, s: int) -> int:
        """The stop's station (itself when it has none)."""
        p = int(self.parent[s])
        return p if p >= 0 else s

    def axis(self, tt: Timetable) -> list[dict]:
        return sorted(
            ({"stop_id": tt.stop_ids[x], "name": tt.stop_name(x, "en"), "km": round(self.pos[self.key(x)], 2)} for x in self.seq if self.key(x) in self.pos),
            key=lambda a: a["km"],
        )


def _train_lines(ev: Evaluation, ctx: ShuttleContext, line: _Line, rail: set[int], patterns: list[int], lo: int, hi: int) -> list[dict]:
    """Every train of the period on the patterns through the station, as (time, km) points along the line."""
    tt = ctx.timetable
    running = tt.services_on(ev.date)
    lines = []
    for p in patterns:
        stops = [int(x) for x in tt.pattern_stop_list(p)]
        for t in tt.pattern_trips[tt.pattern_trip_offsets[p] : tt.pattern_trip_offsets[p + 1]]:
            if not running[tt.trip_service[t]]:
                continue
            pts = _train_points(tt, int(t), stops, line, rail)
            if not pts or max(x for x, _ in pts) < lo or min(x for x, _ in pts) > hi:
                continue
            head = tt.trip_headsigns[t]
            label = tt.route_name(int(tt.trip_route[t]), "en") + (f" for {ctx.english(head)}" if head else "")
            lines.append({"kind": "train", "trip_id": tt.trip_ids[t], "label": label, "points": [[format_clock(x), round(y, 2)] for x, y in pts]})
    return lines


def _train_points(tt: Timetable, t: int, stops: list[int], line: _Line, rail: set[int]) -> list[tuple[int, float]]:
    """A train's (time, km) at the line's stops: arrival, and departure when it waits."""
    arr, dep = tt.trip_times(t)
    pts = []
    for i, s in enumerate(stops):
        k = line.key(s) if s not in rail else line.key(line.seq[line.here])
        if k not in line.pos:
            continue
        pts.append((int(arr[i]), line.pos[k]))
        if dep[i] != arr[i]:
            pts.append((int(dep[i]), line.pos[k]))
    return pts


def _connections(ev: Evaluation, station: str, run_ids: list[str]) -> list[dict]:
    """The trains met at the station: train time → shuttle time."""
    out = []
    for r in ev.runs:
        if r.run.id not in run_ids:
            continue
        call = next((c for c in r.run.calls if c.stop == station), None)
        if call is None:
            continue
        for m in r.meets:
            if m.station == station and m.status == MET:
                t_shuttle = call.departure if m.kind == "arrival" else call.arrival
                out.append(
                    {
                        "run": r.run.id,
                        "train": m.train,
                        "trip_id": m.trip_id,
                        "train_time": format_clock(m.time),
                        "shuttle_time": format_clock(t_shuttle),
                        "kind": m.kind,
                    }
                )
    return out


def _shuttle_panel(ev: Evaluation, ctx: ShuttleContext, run_ids: list[str], names: dict[str, str]) -> dict:
    s = ev.scenario
    runs = [r for r in ev.runs if r.run.id in run_ids]
    order: list[str] = []
    parks = set(s.park_ids())
    first = sorted(runs, key=lambda r: (r.direction != "to_work", r.run.start))
    for r in first:
        stops = list(r.run.stops) if r.direction != "home" else list(reversed(r.run.stops))
        for st in stops:
            if st not in order:
                order.append(st)
    # stations in order of first use, then the parks nearest-first from the last station
    stations = [st for st in order if st not in parks]
    anchor = stations[-1] if stations else None
    park_list = [st for st in order if st in parks]
    if anchor is not None:
        park_list.sort(key=lambda st: ctx.road.distance_km(anchor, st))
    order = stations + park_list
    km = {order[0]: 0.0} if order else {}
    for a, b in itertools.pairwise(order):
        km[b] = km[a] + ctx.road.distance_km(a, b)
    lines = []
    for r in runs:
        pts = []
        for c in r.run.calls:
            pts.append([format_clock(c.arrival), round(km[c.stop], 2)])
            if c.departure != c.arrival:
                pts.append([format_clock(c.departure), round(km[c.stop], 2)])
        lines.append(
            {
                "kind": "shuttle",
                "run": r.run.id,
                "label": f"{r.run.id} ({r.peak_load:.0f}/{r.seats})",
                "load": round(r.peak_load, 1),
                "seats": r.seats,
                "points": pts,
            }
        )
    return {
        "id": "shuttle",
        "kind": "shuttle",
        "title": "Shuttle runs (road km from the first station; line width = load)",
        "axis": [{"stop_id": st, "name": names.get(st, st), "km": round(km[st], 2)} for st in order],
        "lines": lines,
    }


# --- drawing ------------------------------------------------------------------------------------------


def _hours(text: str) -> float:
    return parse_clock(text) / 3600.0


def _time_axis(ax, lo: float, hi: float) -> None:
    ax.set_xlim(lo, hi)
    step = 0.25 if hi - lo <= 4 else 0.5
    ticks = np.arange(np.ceil(lo / step) * step, hi + 1e-9, step)
    ax.set_xticks(ticks)
    ax.set_xticklabels([format_clock(int(round(t * 3600))) for t in ticks], fontsize=7)
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.5)


def marey_figures(ev: Evaluation, data: dict | None = None) -> list[tuple[str, Figure]]:
    """Return one time–distance (Marey) figure per period of the day.

    Each figure stacks a panel per station (its rail line, the trains of the
    period, the shuttle's departures and the riders waiting for it) over the
    shuttle's road panel (line width = load).

    Parameters
    ----------
    ev
        An evaluation made by :func:`~maas.shuttle.evaluate.evaluate_scenario`.
    data
        Its :func:`diagram_data`, when already computed.

    Returns
    -------
    list of (str, matplotlib.figure.Figure)
        ``(name, figure)`` per period, named ``am`` / ``pm`` ….

    Raises
    ------
    InputError
        The evaluation carries no context (see :func:`diagram_data`).
    """
    data = data or diagram_data(ev)
    out = []
    for period in data["periods"]:
        panels = period["panels"]
        fig = Figure(figsize=(11, 2.6 * len(panels) + 0.6), layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        lo, hi = _hours(period["start"]), _hours(period["end"])
        colors = {}
        palette = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
        for i, rid in enumerate(period["runs"]):
            colors[rid] = palette[i % len(palette)]
        for ax, panel in zip(axes, panels):
            _time_axis(ax, lo, hi)
            ax.set_title(panel["title"], fontsize=9, loc="left")
            ys = [a["km"] for a in panel["axis"]]
            ax.set_yticks(ys)
            ax.set_yticklabels(
                [f"{a['name']}  {a['km']:+.1f}" if panel["kind"] == "station" else f"{a['name']}  {a['km']:.1f}" for a in panel["axis"]], fontsize=7
            )
            if panel["kind"] == "station":
                _draw_station_panel(ax, panel, colors, ys)
            else:
                _draw_shuttle_panel(ax, panel, colors)
        axes[-1].set_xlabel(f"{data['scenario']} — {data['date']} (times of day)", fontsize=8)
        out.append((period["name"], fig))
    return out


def _draw_station_panel(ax: Axes, panel: dict, colors: dict[str, str], ys: list[float]) -> None:
    """Trains through a station, the shuttle's calls there (▲ leaving, ▼ arriving) and the connections met (dotted)."""
    for line in panel["lines"]:
        xs = [_hours(t) for t, _ in line["points"]]
        yv = [y for _, y in line["points"]]
        if len(xs) == 1:
            ax.plot(xs, yv, marker="o", markersize=3, color="#555555")
        else:
            ax.plot(xs, yv, color="#555555", linewidth=0.9)
    for c in panel["connections"]:
        ax.plot([_hours(c["train_time"]), _hours(c["shuttle_time"])], [0, 0], linestyle=":", color=colors.get(c["run"], "k"), linewidth=2)
    for k, c in enumerate(sorted(panel["shuttle_calls"], key=lambda c: c["time"])):
        x = _hours(c["time"])
        marker = "^" if c["kind"] == "departure" else "v"
        ax.plot([x], [0], marker=marker, markersize=9, color=colors.get(c["run"], "k"), zorder=5)
        # labels of calls close in time are stacked, not overprinted
        ax.annotate(f"{c['run']} {c['time']}", (x, 0), xytext=(3, 6 + 10 * (k % 3)), textcoords="offset points", fontsize=7, color=colors.get(c["run"], "k"))
    ax.axhline(0, color="#bbbbbb", linewidth=0.6, zorder=0)
    span = max([abs(y) for y in ys] + [1.0])
    ax.set_ylim(-span * 1.1, span * 1.1)


def _draw_shuttle_panel(ax: Axes, panel: dict, colors: dict[str, str]) -> None:
    """The runs along the road from the stations to the parks; line width grows with the load."""
    for line in panel["lines"]:
        xs = [_hours(t) for t, _ in line["points"]]
        yv = [y for _, y in line["points"]]
        width = 1.0 + 5.0 * min(line["load"] / max(line["seats"], 1), 1.5)
        ax.plot(xs, yv, color=colors.get(line["run"], "k"), linewidth=width, solid_capstyle="round", label=line["label"])
    ax.invert_yaxis()
    if panel["lines"]:
        ax.legend(fontsize=7, loc="upper right")


def load_figure(ev: Evaluation, data: dict | None = None) -> Figure:
    """Return a bar chart of each run's peak load (seated and wanted) against its seats.

    Parameters
    ----------
    ev
        An evaluation made by :func:`~maas.shuttle.evaluate.evaluate_scenario`.
    data
        Its :func:`diagram_data`, when already computed.

    Returns
    -------
    matplotlib.figure.Figure
        One bar pair per run, a line at its seats.

    Raises
    ------
    InputError
        The evaluation carries no context (see :func:`diagram_data`).
    """
    data = data or diagram_data(ev)
    loads = data["loads"]
    fig = Figure(figsize=(max(5.0, 1.1 * len(loads) + 2), 3.6), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    x = np.arange(len(loads))
    ax.bar(x, [r["wanted_peak"] for r in loads], color="#f4b6b6", label="want the run (best option)")
    ax.bar(x, [r["peak_load"] for r in loads], color="#1f77b4", width=0.6, label="seated (peak leg)")
    for i, r in enumerate(loads):
        ax.hlines(r["seats"], i - 0.45, i + 0.45, color="k", linewidth=1.5)
    ax.plot([], [], color="k", label="seats")
    ax.set_xticks(x)
    ax.set_xticklabels([r["label"] for r in loads], rotation=30, ha="right", fontsize=7)
    ax.set_ylabel("riders (expected)")
    ax.set_title(f"Load per run — {data['scenario']} {data['date']}", fontsize=9, loc="left")
    ax.legend(fontsize=7)
    return fig


def write_pngs(ev: Evaluation, out_dir: str | Path, prefix: str = "") -> list[Path]:
    """Write ``marey-<period>.png`` for each period and ``loads.png`` (and ``diagram.json``) into ``out_dir``."""
    import json

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = diagram_data(ev)
    written = []
    for name, fig in marey_figures(ev, data):
        path = out / f"{prefix}marey-{name}.png"
        fig.savefig(path, dpi=110)
        written.append(path)
    path = out / f"{prefix}loads.png"
    load_figure(ev, data).savefig(path, dpi=110)
    written.append(path)
    path = out / f"{prefix}diagram.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    written.append(path)
    return written
