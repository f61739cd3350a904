"""Evaluations as people and machines read them: the JSON document, the compact text report, and comparisons.

JSON conventions: times of day ``"HH:MM"`` (hours may pass 24), durations in
minutes to 0.1 (keys end in ``_min``), riders to 0.1 (expected numbers),
distances km, money yen.
"""

from __future__ import annotations

from maas.shuttle.evaluate import HOME, TO_WORK, Evaluation, minutes
from maas.when import format_clock

#: What "riders" means, printed with every report.
RIDERS_NOTE = (
    "riders are expected numbers: employees × rail_shuttle_share × shift share × origin share; "
    "shares, shifts and origins are scenario assumptions, not observations"
)


def _r1(x: float | None) -> float | None:
    return None if x is None else round(float(x), 1)


def _clock(t: int | None) -> str | None:
    return None if t is None else format_clock(t)


def evaluation_dict(ev: Evaluation) -> dict:
    """Return the ``maas shuttle evaluate --json`` document."""
    s = ev.scenario
    names = {st.id: st.name_en or st.name or st.id for st in s.stops}
    t = ev.totals
    parks = []
    for park in s.demand.parks:
        shifts = []
        for sh in (x for x in ev.shifts if x.park == park.stop):
            shifts.append(
                {
                    "shift": sh.shift,
                    "start": _clock(sh.start),
                    "end": _clock(sh.end),
                    "riders": _r1(sh.riders),
                    "to_work": {
                        "on_time": _r1(sh.to_work_reached),
                        "seated": _r1(sh.to_work_seated),
                        "mean_wait_min": minutes(sh.mean_wait_s),
                        "mean_early_min": minutes(sh.mean_early_s),
                        "mean_door_to_door_min": minutes(sh.mean_door_to_door_s),
                    },
                    "home": {
                        "reached": _r1(sh.home_reached),
                        "seated": _r1(sh.home_seated),
                        "mean_park_wait_min": minutes(sh.mean_home_park_wait_s),
                        "mean_station_wait_min": minutes(sh.mean_home_wait_s),
                        "mean_door_to_door_min": minutes(sh.mean_home_door_to_door_s),
                    },
                }
            )
        parks.append(
            {
                "park": park.stop,
                "name": s.park_label(park.stop),
                "employees": park.employees,
                "rail_shuttle_share": park.rail_shuttle_share,
                "riders": _r1(sum(x["riders"] or 0 for x in shifts)),
                "shifts": shifts,
            }
        )
    groups = []
    for g in ev.groups:
        groups.append(
            {
                "direction": g.direction,
                "park": g.group.park,
                "shift": g.group.shift,
                "origin": g.group.origin,
                "riders": _r1(g.riders),
                "seated": _r1(g.seated),
                "unseated": _r1(g.unseated) if g.options else None,
                "options": [
                    {
                        "run": o.run,
                        "board": o.board,
                        "alight": o.alight,
                        "departure": _clock(o.departure),
                        "arrival": _clock(o.arrival),
                        "shuttle_departure": _clock(o.shuttle_departure),
                        "shuttle_arrival": _clock(o.shuttle_arrival),
                        "train": o.train or None,
                        "train_time": _clock(o.train_time),
                        "wait_min": minutes(o.wait_s),
                        **({"early_min": minutes(o.early_s)} if g.direction == TO_WORK else {"park_wait_min": minutes(o.park_wait_s)}),
                        "door_to_door_min": minutes(o.door_to_door_s),
                        "rides": o.rides,
                        "riders": _r1(a),
                    }
                    for o, a in zip(g.options, g.allocation)
                ],
                "journey": g.planner_check or None,
            }
        )
    runs = []
    for r in ev.runs:
        calls = []
        for k, c in enumerate(r.run.calls):
            calls.append(
                {
                    "stop": c.stop,
                    "name": names.get(c.stop, c.stop),
                    "arrival": _clock(c.arrival),
                    "departure": _clock(c.departure),
                    "load_after": _r1(r.load[k]) if k < len(r.run.calls) - 1 else None,
                }
            )
        runs.append(
            {
                "id": r.run.id,
                "name": r.run.name or None,
                "name_en": r.run.name_en or None,
                "direction": r.direction,
                "start": _clock(r.run.start),
                "end": _clock(r.run.end),
                "minutes": round((r.run.end - r.run.start) / 60, 1),
                "km": round(r.km, 2),
                "seats": r.seats,
                "peak_load": _r1(r.peak_load),
                "wanted_peak": _r1(r.peak_wanted),
                "riders": _r1(r.riders),
                "mean_wait_min": minutes(r.mean_wait_s),
                "boarding": {k: _r1(v) for k, v in r.boarding.items()},
                "alighting": {k: _r1(v) for k, v in r.alighting.items()},
                "calls": calls,
                "trains_met": [
                    {"station": m.station, "kind": m.kind, "time": _clock(m.time), "train": m.train, "trip_id": m.trip_id, "wait_min": minutes(m.gap_s)}
                    for m in r.meets
                    if m.status == "met"
                ],
                "missed": [
                    {"station": m.station, "kind": m.kind, "time": _clock(m.time), "train": m.train, "trip_id": m.trip_id, "short_by_min": minutes(m.gap_s)}
                    for m in r.meets
                    if m.status == "missed"
                ],
            }
        )
    f = ev.fleet
    rules = s.rules
    return {
        "scenario": {
            "name": s.name,
            "description": s.description,
            "source": s.source,
            "date": ev.date.isoformat(),
            "weekday": f"{ev.date:%a}",
            "rail_feeds": list(s.rail_feeds),
            "runs_feed": s.runs_feed,
        },
        "rules": {
            "margin_min": rules.margin_minutes,
            "max_early_min": rules.max_early_minutes,
            "transfer_min": rules.transfer_minutes,
            "max_wait_home_min": rules.max_wait_home_minutes,
            "meet_window_min": rules.meet_window_minutes,
            "missed_window_min": rules.missed_window_minutes,
            "seats": s.fleet.seats,
        },
        "note": RIDERS_NOTE,
        "totals": {
            "riders": _r1(t["riders"]),
            "to_work_on_time": _r1(t["to_work_reached"]),
            "to_work_seated": _r1(t["to_work_seated"]),
            "home_reached": _r1(t["home_reached"]),
            "home_seated": _r1(t["home_seated"]),
            "served_share": None if t["served_share"] is None else round(t["served_share"], 3),
            "mean_wait_min": minutes(t["mean_wait_s"]),
            "mean_wait_to_work_min": minutes(t["mean_wait_to_work_s"]),
            "mean_wait_home_min": minutes(t["mean_wait_home_s"]),
            "mean_door_to_door_min": minutes(t["mean_door_to_door_s"]),
            "runs": t["runs"],
            "runs_over_seats": t["runs_over_seats"],
            "max_load": _r1(t["max_load"]),
            "max_wanted": _r1(t["max_wanted"]),
            "vehicles": t["vehicles"],
            "vehicle_hours": round(t["vehicle_hours"], 2),
            "vehicle_km": round(t["vehicle_km"], 1),
            "cost_yen": round(t["cost_yen"]),
            "cost_per_seated_trip_yen": None if t["cost_per_seated_trip_yen"] is None else round(t["cost_per_seated_trip_yen"]),
        },
        "parks": parks,
        "runs": runs,
        "fleet": {
            "vehicles_needed": f.vehicles_needed,
            "vehicles_available": f.vehicles_available,
            "enough_vehicles": f.enough_vehicles,
            "vehicle_hours": round(f.vehicle_hours, 2),
            "vehicle_km": round(f.vehicle_km, 1),
            "deadhead_km": round(f.deadhead_km, 1),
            "cost_yen": round(f.cost_yen),
            "duties": [
                {
                    "runs": list(d.runs),
                    "start": _clock(d.start),
                    "end": _clock(d.end),
                    "paid_hours": round(d.paid_s / 3600, 2),
                    "km": round(d.service_km + d.deadhead_km, 1),
                    "deadhead_km": round(d.deadhead_km, 1),
                }
                for d in f.duties
            ],
        },
        "groups": groups,
        "warnings": list(ev.warnings),
    }


# --- text ----------------------------------------------------------------------------------------------


def _f(x: float | None, nd: int = 1, width: int = 6) -> str:
    return f"{'–':>{width}}" if x is None else f"{x:>{width}.{nd}f}"


def _m(seconds: float | None, width: int = 5) -> str:
    return _f(None if seconds is None else seconds / 60.0, 0, width)


def render_evaluation(ev: Evaluation) -> str:
    """Return the compact text report of ``maas shuttle evaluate``."""
    s = ev.scenario
    r = s.rules
    t = ev.totals
    names = {st.id: st.name_en or st.name or st.id for st in s.stops}
    lines = [
        f"Shuttle scenario {s.name} — {ev.date:%a %Y-%m-%d}: {len(ev.runs)} runs, {t['vehicles']} vehicles; rail: {', '.join(s.rail_feeds)}",
        f"Rules: at the park ≥ {r.margin_minutes:g} min before the shift (≤ {r.max_early_minutes:g} min early); "
        f"train ↔ shuttle ≥ {r.transfer_minutes:g} min; home within {r.max_wait_home_minutes:g} min of the shift end; {s.fleet.seats} seats a run.",
        f"Note: {RIDERS_NOTE}.",
        "",
        f"{'PER PARK AND SHIFT':<50}to work: riders  on time  seated  wait  early  d2d │ home: reached  seated  park wait  stn wait",
    ]
    for sh in ev.shifts:
        label = f"{s.park_label(sh.park)[:26]:<26} {sh.shift[:12]:<12} {format_clock(sh.start)}-{format_clock(sh.end)}"
        lines.append(
            f"  {label:<50}{_f(sh.riders)} {_f(sh.to_work_reached, width=8)} {_f(sh.to_work_seated, width=7)} {_m(sh.mean_wait_s)} {_m(sh.mean_early_s, 6)} {_m(sh.mean_door_to_door_s, 4)} │"
            f" {_f(sh.home_reached, width=13)} {_f(sh.home_seated, width=7)} {_m(sh.mean_home_park_wait_s, 10)} {_m(sh.mean_home_wait_s, 9)}"
        )
    lines.append(
        f"  {'total':<50}{_f(t['riders'])} {_f(t['to_work_reached'], width=8)} {_f(t['to_work_seated'], width=7)} {_m(t['mean_wait_to_work_s'])} {'':>6} {_m(t['mean_door_to_door_s'], 4)} │"
        f" {_f(t['home_reached'], width=13)} {_f(t['home_seated'], width=7)}"
    )
    lines.append("  (minutes; wait = train ↔ shuttle at the station; d2d = origin station to park)")
    lines += ["", "RUNS"]
    for rr in ev.runs:
        calls = " · ".join(f"{format_clock(c.departure if k == 0 else c.arrival)} {names.get(c.stop, c.stop)}" for k, c in enumerate(rr.run.calls))
        over = f"  OVER SEATS: {rr.peak_wanted:.1f} want it" if rr.peak_wanted > rr.seats + 1e-9 else ""
        lines.append(f"  {rr.run.id}  [{rr.direction}]  {calls}")
        lines.append(
            f"      {rr.km:.1f} km, load {rr.peak_load:.1f}/{rr.seats} seats, {rr.riders:.1f} riders, mean wait {_m(rr.mean_wait_s, 0).strip()} min{over}"
        )
        met = [m for m in rr.meets if m.status == "met"]
        missed = [m for m in rr.meets if m.status == "missed"]
        if met:
            lines.append("      meets:  " + "; ".join(_meet_text(m, names) + f" ({m.gap_s // 60} min)" for m in met))
        if missed:
            lines.append("      misses: " + "; ".join(_meet_text(m, names) + f" ({-(-m.gap_s // 60)} min short)" for m in missed))
        if not met and any(c.stop not in s.park_ids() for c in rr.run.calls):
            lines.append("      meets no train within the meet window")
    f = ev.fleet
    avail = "no limit" if f.vehicles_available is None else f"{f.vehicles_available} available"
    lines += [
        "",
        f"FLEET  {f.vehicles_needed} vehicles needed ({avail}); {f.vehicle_hours:.1f} paid vehicle-hours, {f.vehicle_km:.1f} vehicle-km "
        f"(deadhead {f.deadhead_km:.1f}), {f.cost_yen:,.0f} yen a day",
    ]
    for i, d in enumerate(f.duties, start=1):
        lines.append(f"  vehicle {i}: {' → '.join(d.runs)}  ({format_clock(d.start)}–{format_clock(d.end)}, {d.paid_s / 3600:.1f} h paid)")
    if ev.warnings:
        lines += ["", "WARNINGS"] + [f"  {w}" for w in ev.warnings]
    return "\n".join(lines)


def _meet_text(m, names: dict[str, str]) -> str:
    arrow = "←" if m.kind == "arrival" else "→"
    return f"{names.get(m.station, m.station)} {arrow} {format_clock(m.time)} {m.train}"


# --- comparison ------------------------------------------------------------------------------------------

_ROWS = [
    ("riders", "riders (expected)", 1),
    ("to_work_on_time", "to work on time (seats ignored)", 1),
    ("to_work_seated", "to work on time, seated", 1),
    ("home_reached", "home within the max wait", 1),
    ("home_seated", "home, seated", 1),
    ("mean_wait_to_work_min", "mean wait train → shuttle, min", 1),
    ("mean_wait_home_min", "mean wait home (park + station), min", 1),
    ("mean_door_to_door_min", "mean door-to-door to work, min", 1),
    ("runs", "runs", 0),
    ("runs_over_seats", "runs over seats", 0),
    ("vehicles", "vehicles", 0),
    ("vehicle_hours", "paid vehicle-hours", 1),
    ("vehicle_km", "vehicle-km", 1),
    ("cost_yen", "cost, yen a day", 0),
    ("cost_per_seated_trip_yen", "cost per seated trip, yen", 0),
]


def comparison_dict(a: Evaluation, b: Evaluation) -> dict:
    """Return the side-by-side comparison of two evaluations (totals, per park, change b − a)."""
    da, db = a.to_dict(), b.to_dict()
    ta, tb = da["totals"], db["totals"]
    change = {}
    for key, _, _ in _ROWS:
        x, y = ta.get(key), tb.get(key)
        change[key] = None if x is None or y is None else round(y - x, 3)
    parks = []
    for pa in da["parks"]:
        pb = next((p for p in db["parks"] if p["park"] == pa["park"]), None)
        parks.append(
            {
                "park": pa["park"],
                "name": pa["name"],
                "a_to_work_seated": _r1(sum(sh["to_work"]["seated"] or 0 for sh in pa["shifts"])),
                "b_to_work_seated": _r1(sum(sh["to_work"]["seated"] or 0 for sh in pb["shifts"])) if pb else None,
                "a_home_seated": _r1(sum(sh["home"]["seated"] or 0 for sh in pa["shifts"])),
                "b_home_seated": _r1(sum(sh["home"]["seated"] or 0 for sh in pb["shifts"])) if pb else None,
            }
        )
    return {
        "a": {"scenario": da["scenario"], "totals": ta, "runs": [_run_brief(r) for r in da["runs"]], "warnings": da["warnings"]},
        "b": {"scenario": db["scenario"], "totals": tb, "runs": [_run_brief(r) for r in db["runs"]], "warnings": db["warnings"]},
        "change": change,
        "parks": parks,
        "note": RIDERS_NOTE,
    }


def _run_brief(r: dict) -> dict:
    return {
        "id": r["id"],
        "direction": r["direction"],
        "calls": [f"{c['arrival'] if k else c['departure']} {c['stop']}" for k, c in enumerate(r["calls"])],
        "peak_load": r["peak_load"],
        "wanted_peak": r["wanted_peak"],
        "seats": r["seats"],
    }


def render_comparison(doc: dict) -> str:
    """Return the text of ``maas shuttle compare`` from :func:`comparison_dict`'s document."""
    a, b = doc["a"], doc["b"]
    na, nb = a["scenario"]["name"], b["scenario"]["name"]
    w = max(14, len(na) + 2, len(nb) + 2) + 2
    lines = [f"{'':<38}{('A ' + na):>{w}}{('B ' + nb):>{w}}{'B − A':>10}"]
    for key, label, nd in _ROWS:
        x, y, d = a["totals"].get(key), b["totals"].get(key), doc["change"].get(key)
        lines.append(f"{label:<38}{_cell(x, nd):>{w}}{_cell(y, nd):>{w}}{_cell(d, nd, sign=True):>10}")
    lines.append("")
    lines.append(f"{'to work seated / home seated per park':<38}")
    for p in doc["parks"]:
        lines.append(
            f"  {p['name'][:34]:<36}{_cell(p['a_to_work_seated'], 1) + ' / ' + _cell(p['a_home_seated'], 1):>{w}}"
            f"{_cell(p['b_to_work_seated'], 1) + ' / ' + _cell(p['b_home_seated'], 1):>{w}}"
        )
    for tag, side in (("A", a), ("B", b)):
        lines.append("")
        lines.append(f"{tag} runs ({side['scenario']['name']}):")
        for r in side["runs"]:
            flag = "  over seats" if (r["wanted_peak"] or 0) > r["seats"] + 1e-9 else ""
            lines.append(f"  {r['id']:<18} {' · '.join(r['calls'])}   load {r['peak_load']}/{r['seats']}{flag}")
    lines.append("")
    lines.append(f"Note: {doc['note']}.")
    return "\n".join(lines)


def _cell(x, nd: int, sign: bool = False) -> str:
    if x is None:
        return "–"
    if nd == 0:
        return f"{x:+,.0f}" if sign else f"{x:,.0f}"
    return f"{x:+,.{nd}f}" if sign else f"{x:,.{nd}f}"


__all__ = ["HOME", "TO_WORK", "comparison_dict", "evaluation_dict", "render_comparison", "render_evaluation"]
