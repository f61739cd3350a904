"""How long walking takes, from straight lines or from a street network.

Without a street network, a walk between two points takes
``ceil(haversine distance × detour_factor / speed)`` seconds.  The defaults
(1.2 m/s, detour factor 1.0) are those of the journey planner's exact
semantics: 1.2 m/s along the straight line is slower than a typical walking
pace (about 1.35 m/s), which stands in for the detours of real streets (it is
the same as walking 1.35 m/s on paths 1.12 times longer than the straight
line).  With an OSM extract (:mod:`maas.network.osm`), distances are measured
along its footways and streets instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from maas.errors import InputError


@dataclass(frozen=True)
class WalkModel:
    """How people walk: speed, detour factor and the longest walk linked.

    A straight-line walk of ``d`` metres takes ``ceil(d × detour_factor /
    speed_m_s)`` seconds; along an OSM extract's streets the street distance
    is used instead.  The defaults are the journey planner's (see the module
    docstring).

    Parameters
    ----------
    speed_m_s
        Walking speed, metres per second (more than 0).
    detour_factor
        Straight-line distances are multiplied by this (1 or more).
    radius_m
        The longest walk linked, metres (to and from stops, and between them).

    Raises
    ------
    InputError
        A value out of range; ``field`` is ``walk_speed``,
        ``detour_factor`` or ``walk_radius``.
    """

    speed_m_s: float = 1.2
    detour_factor: float = 1.0
    radius_m: float = 500.0

    def __post_init__(self) -> None:
        if not (self.speed_m_s > 0 and math.isfinite(self.speed_m_s)):
            raise InputError(f"walk speed must be a positive number of metres per second, not {self.speed_m_s}", "walk_speed")
        if not (self.detour_factor >= 1.0 and math.isfinite(self.detour_factor)):
            raise InputError(f"detour factor must be 1 or more, not {self.detour_factor}", "detour_factor")
        if not (self.radius_m >= 0 and math.isfinite(self.radius_m)):
            raise InputError(f"walk radius must be 0 or more metres, not {self.radius_m}", "walk_radius")

    def seconds(self, distance_m: np.ndarray | float) -> np.ndarray:
        """Return whole seconds (rounded up) to walk straight-line distances."""
        return np.ceil(np.asarray(distance_m, dtype=float) * self.detour_factor / self.speed_m_s - 1e-9).astype(np.int64)
