"""RoutingParams: every limit refused with its field named, values normalised, and queries that carry it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from maas.errors import InputError
from maas.network.walking import WalkModel
from maas.routing.params import (
    DEFAULT_PARAMS,
    MAX_MIN_TRANSFER_S,
    MAX_TRANSFERS_LIMIT,
    MAX_WALK_RADIUS_M,
    MAX_WALK_SPEED_M_S,
    MIN_WALK_SPEED_M_S,
    MODES,
    RoutingParams,
    parse_modes,
)
from maas.routing.places import Place
from maas.routing.planner import JourneyQuery

A = Place("point", "a", "a", 34.0, 131.0, ())
B = Place("point", "b", "b", 34.1, 131.1, ())
DATE = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    "kwargs,field",
    [
        (dict(max_transfers=-1), "max_transfers"),
        (dict(max_transfers=MAX_TRANSFERS_LIMIT + 1), "max_transfers"),
        (dict(max_transfers=2.5), "max_transfers"),
        (dict(max_transfers=True), "max_transfers"),
        (dict(min_transfer_s=-1), "min_transfer_time"),
        (dict(min_transfer_s=MAX_MIN_TRANSFER_S + 1), "min_transfer_time"),
        (dict(walk=WalkModel(speed_m_s=MIN_WALK_SPEED_M_S)), "walk_speed"),
        (dict(walk=WalkModel(speed_m_s=MAX_WALK_SPEED_M_S + 0.01)), "walk_speed"),
        (dict(walk=WalkModel(radius_m=MAX_WALK_RADIUS_M + 1)), "walk_radius"),
        (dict(walk=500.0), "walk"),
        (dict(modes=frozenset({"plane"})), "modes"),
        (dict(modes=frozenset()), "modes"),
    ],
)
def test_each_limit_is_refused_naming_its_field(kwargs, field):
    """A value just outside a limit is an InputError whose field is the option's name."""
    with pytest.raises(InputError) as err:
        RoutingParams(**kwargs)
    assert err.value.field == field


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(max_transfers=0),
        dict(max_transfers=MAX_TRANSFERS_LIMIT),
        dict(min_transfer_s=0),
        dict(min_transfer_s=MAX_MIN_TRANSFER_S),
        dict(walk=WalkModel(speed_m_s=MAX_WALK_SPEED_M_S, radius_m=MAX_WALK_RADIUS_M)),
        dict(walk=WalkModel(speed_m_s=MIN_WALK_SPEED_M_S + 0.001, radius_m=0)),
        dict(modes=MODES),
    ],
)
def test_values_on_the_limits_are_accepted(kwargs):
    """The limits themselves are allowed (the bounds are inclusive except the lowest speed)."""
    p = RoutingParams(**kwargs)
    for name, value in kwargs.items():
        assert getattr(p, name) == value


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(walk_speed=0.05), "walk_speed", "0.05"),
        (dict(walk_speed=float("inf")), "walk_speed", "inf"),
        (dict(walk_radius=-1.0), "walk_radius", "-1.0"),
        (dict(walk_radius=float("nan")), "walk_radius", "nan"),
        (dict(modes="rail,plane"), "modes", "plane"),
        (dict(modes=" , "), "modes", "at least one mode"),
        (dict(max_transfers=21), "max_transfers", "21"),
        (dict(min_transfer_time=4000), "min_transfer_time", "4000"),
    ],
)
def test_from_options_names_the_option_and_the_value(kwargs, field, needle):
    """The edges' flat values: a refused one is named with the value given (a list of no modes too)."""
    with pytest.raises(InputError) as err:
        RoutingParams.from_options(**kwargs)
    assert err.value.field == field and needle in str(err.value)


def test_from_options_builds_the_same_params_as_the_fields():
    """The flat options give the walking model, the parsed modes and the transfer time of the fields."""
    p = RoutingParams.from_options(max_transfers=3, walk_radius=800, walk_speed=1.4, modes="Rail, bus", min_transfer_time=120)
    assert p == RoutingParams(max_transfers=3, walk=WalkModel(speed_m_s=1.4, radius_m=800.0), modes=frozenset({"rail", "bus"}), min_transfer_s=120)
    assert isinstance(p.walk.radius_m, float) and isinstance(p.walk.speed_m_s, float)
    assert RoutingParams.from_options() == DEFAULT_PARAMS == RoutingParams() == RoutingParams.from_options(modes="")


def test_values_are_normalised_and_hashable():
    """Modes become a frozenset, numpy integers plain ints: the params key caches and print as JSON."""
    p = RoutingParams(max_transfers=np.int64(3), modes=["rail"], min_transfer_s=np.int32(60))
    assert p.modes == frozenset({"rail"}) and type(p.max_transfers) is int and type(p.min_transfer_s) is int
    assert hash(p) == hash(RoutingParams(max_transfers=3, modes=frozenset({"rail"}), min_transfer_s=60))
    with pytest.raises(AttributeError):
        p.max_transfers = 4  # type: ignore[misc]


def test_parse_modes():
    """Comma-separated, trimmed, lower-cased; empty means all (None)."""
    assert parse_modes(" Rail,BUS ,") == frozenset({"rail", "bus"})
    assert parse_modes("") is None and parse_modes(None) is None


def test_journey_query_reads_its_params():
    """A JourneyQuery carries one RoutingParams and reads its fields from it."""
    params = RoutingParams(max_transfers=2, modes=frozenset({"bus"}), min_transfer_s=90, walk=WalkModel(radius_m=300))
    q = JourneyQuery(A, B, DATE, 8 * 3600, params=params)
    assert q.params is params
    assert (q.max_transfers, q.modes, q.min_transfer_s, q.walk) == (2, frozenset({"bus"}), 90, WalkModel(radius_m=300))
    assert JourneyQuery(A, B, DATE, 8 * 3600).params == DEFAULT_PARAMS


def test_journey_query_takes_routing_values_only_as_params():
    """The routing values live in ``params`` alone: loose keywords or another type are programming errors."""
    with pytest.raises(TypeError):
        JourneyQuery(A, B, DATE, 8 * 3600, max_transfers=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="RoutingParams"):
        JourneyQuery(A, B, DATE, 8 * 3600, params=WalkModel())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs,field",
    [
        (dict(time=-1), "depart"),
        (dict(time=48 * 3600 + 1), "depart"),
        (dict(window_s=24 * 3600 + 60), "window"),
        (dict(window_s=600, arrive_by=True), "window"),
    ],
)
def test_journey_query_still_checks_its_own_fields(kwargs, field):
    """Time and window are the query's own, checked there."""
    values = dict(time=8 * 3600) | kwargs
    with pytest.raises(InputError) as err:
        JourneyQuery(A, B, DATE, **values)
    assert err.value.field == field
