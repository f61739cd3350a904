"""What the optimizer maximises, in points (weights from the scenario's ``optimize.weights``).

  served × riders carried (to work and home)
− wait_minute × rider-minutes waiting (train ↔ shuttle; home: also at the park after the shift)
− early_minute × rider-minutes at work before shift start − margin
− vehicle × vehicles − run × runs
− cost_per_1000_yen × running cost of the runs (run hours × hourly rate + run km × km rate) / 1000
"""

from __future__ import annotations

from maas.shuttle.model import RoadModel, Run
from maas.shuttle.options import Option
from maas.shuttle.schema import FleetSpec, WeightsSpec

#: Model units per rider (riders are carried in tenths).
SCALE = 10
#: Objective points are multiplied by this and rounded to integers.
POINTS = 100

OBJECTIVE_TEXT = (
    "maximise served × riders carried on time (to work and home, seated) "
    "− wait_minute × rider-minutes waiting (train ↔ shuttle; home also at the park) "
    "− early_minute × rider-minutes at work before shift start − margin "
    "− vehicle × vehicles − run × runs − cost_per_1000_yen × running cost of the runs / 1000"
)


def value_per_rider(opt: Option, w: WeightsSpec, margin_s: int) -> float:
    """Points per rider carried with ``opt`` (before scaling)."""
    wait_min = (opt.wait_s + opt.park_wait_s) / 60.0
    early_min = (opt.early_s - margin_s if opt.early_s > margin_s else 0) / 60.0
    return w.served - w.wait_minute * wait_min - w.early_minute * early_min


def run_cost_yen(fleet: FleetSpec, road: RoadModel, run: Run) -> float:
    """Running cost of one run: its hours at the hourly rate plus its km at the km rate (no deadhead, no layover)."""
    return (run.end - run.start) / 3600.0 * fleet.cost_per_vehicle_hour_yen + road.run_km(run) * fleet.cost_per_km_yen


__all__ = ["OBJECTIVE_TEXT", "POINTS", "SCALE", "run_cost_yen", "value_per_rider"]
