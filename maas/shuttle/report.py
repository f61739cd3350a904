"""Evaluations, comparisons and optimisations as people read them: the shuttle's only text formatter.

The JSON documents come from the results themselves
(:meth:`maas.shuttle.results.Evaluation.to_dict`, :meth:`maas.shuttle.proposal.OptimizeResult.to_dict`);
:func:`comparison_dict` is the comparison of two evaluations, which
:func:`render_comparison` prints.  Minutes are whole in the text; riders to 0.1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from maas.shuttle.kpis import RIDERS_NOTE
from maas.shuttle.meets import MET, MISSED, TrainMeet
from maas.shuttle.objective import OBJECTIVE_TEXT
from maas.shuttle.results import Evaluation
from maas.shuttle.units import r1
from maas.when import format_clock

if TYPE_CHECKING:  # for the annotation only: proposal.py renders itself with this module
    from maas.shuttle.proposal import OptimizeResult

# --- text ----------------------------------------------------------------------------------------------


def _f(x: float | None, nd: int = 1, width: int = 6) -> str:
    return f"{'–':>{width}}" if x is None else f"{x:>{width}.{nd}f}"


def _m(seconds: float | None, width: int = 5) -> str:
    return _f(None if seconds is None else seconds / 60.0, 0, width)


def render_evaluation(ev: Evaluation) -> str:
    """Return the text report of ``maas shuttle evaluate``: who gets to work and home, runs, trains, fleet.

    Parameters
    ----------
    ev
        An evaluation made by :func:`~maas.shuttle.evaluate.evaluate_scenario`.

    Returns
    -------
    str
        The report (totals, per park and shift, per run with trains met and
        missed, vehicles and cost, warnings).
    """
    s = ev.scenario
    r = s.rules
    t = ev.totals
    names = {st.id: st.name_en or st.name or st.id for st in s.stops}
    lines = [
        f"Shuttle scenario {s.name} — {ev.date:%a %Y-%m-%d}: {len(ev.runs)} runs, {t.vehicles} vehicles; rail: {', '.join(s.rail_feeds)}",
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
        f"  {'total':<50}{_f(t.riders)} {_f(t.to_work_reached, width=8)} {_f(t.to_work_seated, width=7)} {_m(t.mean_wait_to_work_s)} {'':>6} {_m(t.mean_door_to_door_s, 4)} │"
        f" {_f(t.home_reached, width=13)} {_f(t.home_seated, width=7)}"
    )
    lines.append("  (minutes; wait = train ↔ shuttle at the station; d2d = origin station to park)")
    lines += ["", "RUNS"]
    for rr in ev.runs:
        calls = " · ".join(f"{format_clock(c.departure if k == 0 else c.arrival)} {names.get(c.stop, c.stop)}" for k, c in enumerate(rr.run.calls))
        over = f"  OVER SEATS: {rr.peak_wanted:.1f} want it" if rr.over_seats else ""
        lines.append(f"  {rr.run.id}  [{rr.direction}]  {calls}")
        lines.append(
            f"      {rr.km:.1f} km, load {rr.peak_load:.1f}/{rr.seats} seats, {rr.riders:.1f} riders, mean wait {_m(rr.mean_wait_s, 0).strip()} min{over}"
        )
        met = [m for m in rr.meets if m.status == MET]
        missed = [m for m in rr.meets if m.status == MISSED]
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


def _meet_text(m: TrainMeet, names: dict[str, str]) -> str:
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
    """Return the side-by-side comparison of two evaluations: totals, per park, and the change b − a.

    Parameters
    ----------
    a, b
        Two evaluations (the baseline first), e.g. of a scenario and a variant.

    Returns
    -------
    dict
        JSON-ready ``{"a", "b", "change", "parks", "note"}``; print it with
        :func:`render_comparison`.
    """
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
                "a_to_work_seated": r1(sum(sh["to_work"]["seated"] or 0 for sh in pa["shifts"])),
                "b_to_work_seated": r1(sum(sh["to_work"]["seated"] or 0 for sh in pb["shifts"])) if pb else None,
                "a_home_seated": r1(sum(sh["home"]["seated"] or 0 for sh in pa["shifts"])),
                "b_home_seated": r1(sum(sh["home"]["seated"] or 0 for sh in pb["shifts"])) if pb else None,
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
    """Return the text of ``maas shuttle compare``: the two scenarios' totals side by side with the change.

    Parameters
    ----------
    doc
        A :func:`comparison_dict` document.

    Returns
    -------
    str
        One line per figure (a, b, b − a), then per park.
    """
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


def _cell(x: float | None, nd: int, sign: bool = False) -> str:
    if x is None:
        return "–"
    if nd == 0:
        return f"{x:+,.0f}" if sign else f"{x:,.0f}"
    return f"{x:+,.{nd}f}" if sign else f"{x:,.{nd}f}"


# --- optimisation --------------------------------------------------------------------------------------


def render_optimization(result: OptimizeResult) -> str:
    """Return the text summary of ``maas shuttle optimize``."""
    w = result.weights
    mi, mp = result.model_input, result.model_proposal
    lines = [
        f"Shuttle optimizer (CP-SAT) on {result.scenario.name}, {result.scenario.date:%a %Y-%m-%d}: {result.status}, "
        f"{result.candidates} candidate runs, solved in {result.solve_s:.1f} s of {result.time_limit_s:.0f} s ({result.total_s:.1f} s in all)",
        f"Objective: {OBJECTIVE_TEXT}",
        f"Weights: served {w.served:g}, wait_minute {w.wait_minute:g}, early_minute {w.early_minute:g}, vehicle {w.vehicle:g}, run {w.run:g}, cost_per_1000_yen {w.cost_per_1000_yen:g}",
    ]
    if mp is None:
        return "\n".join([*lines, "", f"INFEASIBLE: {result.reason}"])
    lines += [
        f"Model score: input {mi.objective:,.0f} → proposal {mp.objective:,.0f} (bound {result.best_bound:,.0f})"
        if mi
        else f"Model score: proposal {mp.objective:,.0f} (bound {result.best_bound:,.0f}); the input is infeasible under the model",
        "",
        "Proposed runs:",
    ]
    for r in result.runs:
        calls = " · ".join(f"{format_clock(c.departure if k == 0 else c.arrival)} {c.stop}" for k, c in enumerate(r.calls))
        lines.append(f"  {r.id:<18} {calls}")
    if result.comparison:
        lines += ["", "Re-evaluated end to end (written feed, journey planner):", render_comparison(result.comparison)]
    if result.files:
        lines += ["", "Files:"] + [f"  {k}: {v}" for k, v in result.files.items()]
    return "\n".join(lines)


__all__ = ["RIDERS_NOTE", "comparison_dict", "render_comparison", "render_evaluation", "render_optimization"]
