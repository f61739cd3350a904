"""How people may travel: the routing parameters every query shares, and their limits.

A journey, a reach isochrone, a travel-time matrix, a tour's travel times and
the rail part of a shuttle trip all ask the same question of the timetable —
"how far can one get, riding and walking like this?" — so they take the same
:class:`RoutingParams`: the most transfers, the walking model (speed, detour
and the longest walk linked), the modes allowed and the minimum time to
change between rides.  What differs per query (the places, the date and the
time, arrive-by, a departure window, a time budget) is not a routing
parameter and stays with each query.

The limits below are the only place the bounds live: :class:`RoutingParams`
refuses anything outside them (an :class:`~maas.errors.InputError` naming the
field), the command line's options and the HTTP service's query parameters
are declared from them.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass, field

from maas.errors import InputError
from maas.network.walking import WalkModel

#: Modes a query may be limited to (a route's mode comes from its data).
MODES = frozenset({"rail", "bus", "shuttle", "ferry", "other"})
#: Most changes between rides a query may allow.
MAX_TRANSFERS_LIMIT = 20
#: Longest minimum transfer time, seconds.
MAX_MIN_TRANSFER_S = 3600
#: Longest walk a query may link, metres: the widest any entry accepts (a tour's ``max_walk``).
MAX_WALK_RADIUS_M = 5000
#: Longest walk the HTTP service's journeys and reach endpoints accept, metres: a public
#: query should not make the service build walking links much wider than a station's area.
SERVICE_MAX_WALK_RADIUS_M = 3000
#: Walking speed must be more than this, metres per second.
MIN_WALK_SPEED_M_S = 0.1
#: Fastest walking speed, metres per second.
MAX_WALK_SPEED_M_S = 5


def parse_modes(text: str | None) -> frozenset[str] | None:
    """Return the modes of a comma-separated list, lower-cased (None for an empty text: all modes).

    Unknown modes are kept, so that :class:`RoutingParams` can name them.
    """
    return frozenset(m.strip().lower() for m in text.split(",") if m.strip()) if text else None


@dataclass(frozen=True)
class RoutingParams:
    """How people may travel: shared by journeys, reach, matrices, tours and the shuttle's rail legs.

    Parameters
    ----------
    max_transfers
        Most changes between rides (0 to :data:`MAX_TRANSFERS_LIMIT`); a
        journey has at most ``max_transfers + 1`` rides.
    walk
        Walking speed, detour factor and the longest walk linked (radius up
        to :data:`MAX_WALK_RADIUS_M` metres, speed above
        :data:`MIN_WALK_SPEED_M_S` and up to :data:`MAX_WALK_SPEED_M_S`).
    modes
        The modes one may ride (a subset of :data:`MODES`), None for all; any
        iterable is kept as a frozenset.
    min_transfer_s
        Seconds needed to change between rides, added to every boarding
        after the first (0 to :data:`MAX_MIN_TRANSFER_S`).

    Raises
    ------
    InputError
        When a value is outside its limits; ``field`` names it as the command
        line and the HTTP service do (``max_transfers``, ``walk_radius``,
        ``walk_speed``, ``modes``, ``min_transfer_time``).
    """

    max_transfers: int = 8
    walk: WalkModel = field(default_factory=WalkModel)
    modes: frozenset[str] | None = None
    min_transfer_s: int = 0

    def __post_init__(self) -> None:
        if self.modes is not None and not isinstance(self.modes, frozenset):
            object.__setattr__(self, "modes", frozenset(self.modes))  # a frozenset keeps the params hashable
        _check(self)
        object.__setattr__(self, "max_transfers", int(self.max_transfers))  # plain ints (a numpy integer is accepted)
        object.__setattr__(self, "min_transfer_s", int(self.min_transfer_s))

    @classmethod
    def from_options(
        cls,
        *,
        max_transfers: int = 8,
        walk_radius: float = 500.0,
        walk_speed: float = 1.2,
        modes: str | Iterable[str] | None = None,
        min_transfer_time: int = 0,
    ) -> RoutingParams:
        """Return the parameters of the command line's options or the HTTP query's parameters (same names).

        ``modes`` may be comma-separated text (``"rail,bus"``); metres,
        metres per second and seconds as everywhere.
        """
        chosen = parse_modes(modes) if isinstance(modes, str) else (frozenset(modes) if modes is not None else None)
        return cls(
            max_transfers=max_transfers,
            walk=_walk_model(walk_speed, walk_radius),
            modes=chosen,
            min_transfer_s=min_transfer_time,
        )


def _walk_model(speed: float, radius: float) -> WalkModel:
    """Return the straight-line walking model, refusing a speed or radius outside the limits first."""
    if not (isinstance(speed, numbers.Real) and math.isfinite(speed) and MIN_WALK_SPEED_M_S < speed <= MAX_WALK_SPEED_M_S):
        raise InputError(_speed_message(speed), "walk_speed")
    if not (isinstance(radius, numbers.Real) and math.isfinite(radius) and 0 <= radius <= MAX_WALK_RADIUS_M):
        raise InputError(_radius_message(radius), "walk_radius")
    return WalkModel(speed_m_s=float(speed), radius_m=float(radius))


def _speed_message(speed: object) -> str:
    return f"walk speed must be more than {MIN_WALK_SPEED_M_S} and at most {MAX_WALK_SPEED_M_S} metres per second, not {speed}"


def _radius_message(radius: object) -> str:
    return f"walk radius must be 0 to {MAX_WALK_RADIUS_M} metres, not {radius}"


def _whole(value: object, low: int, high: int) -> bool:
    """Return whether ``value`` is a whole number (not a bool) from ``low`` to ``high``."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and low <= int(value) <= high


def _check(p: RoutingParams) -> None:
    """Raise an InputError naming the first value outside its limits, in the order of the fields."""
    if not _whole(p.max_transfers, 0, MAX_TRANSFERS_LIMIT):
        raise InputError(f"max transfers must be 0 to {MAX_TRANSFERS_LIMIT}, not {p.max_transfers}", "max_transfers")
    if not isinstance(p.walk, WalkModel):
        raise InputError(f"walk must be a WalkModel, not {type(p.walk).__name__}", "walk")
    if not MIN_WALK_SPEED_M_S < p.walk.speed_m_s <= MAX_WALK_SPEED_M_S:
        raise InputError(_speed_message(p.walk.speed_m_s), "walk_speed")
    if not p.walk.radius_m <= MAX_WALK_RADIUS_M:
        raise InputError(_radius_message(p.walk.radius_m), "walk_radius")
    if p.modes is not None:
        unknown = set(p.modes) - MODES
        if unknown:
            raise InputError(f"unknown mode(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(MODES))}", "modes")
        if not p.modes:
            raise InputError("at least one mode is needed", "modes")
    if not _whole(p.min_transfer_s, 0, MAX_MIN_TRANSFER_S):
        raise InputError(f"min transfer time must be 0 to {MAX_MIN_TRANSFER_S} seconds, not {p.min_transfer_s}", "min_transfer_time")


#: The parameters of a query that sets none: 8 transfers, 500 m at 1.2 m/s, every mode, no transfer time.
DEFAULT_PARAMS = RoutingParams()
