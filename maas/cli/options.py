"""Options shared by several commands, declared once; the routing options as one bundle."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from maas.errors import InputError
from maas.routing.params import DEFAULT_PARAMS, MAX_MIN_TRANSFER_S, MAX_TRANSFERS_LIMIT, RoutingParams

FeedOpt = Annotated[
    list[Path] | None,
    typer.Option("--feed", help="A feed folder or zip (repeatable); replaces the region's default data.", show_default=False),
]
PoisOpt = Annotated[Path | None, typer.Option("--pois", help="POI GeoJSON (default: the region's pois/pois.geojson).", show_default=False)]
OsmOpt = Annotated[
    Path | None,
    typer.Option("--osm", help="An OSM XML extract (.osm or .osm.bz2) to walk along streets instead of straight lines.", show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")]
WalkRadiusOpt = Annotated[float, typer.Option("--walk-radius", help="Longest walk linked, in metres.", min=0)]
WalkSpeedOpt = Annotated[float, typer.Option("--walk-speed", help="Walking speed along straight lines, metres per second.", min=0.01)]
MaxTransfersOpt = Annotated[int, typer.Option("--max-transfers", help="Most changes between rides.", min=0, max=MAX_TRANSFERS_LIMIT)]
ModesOpt = Annotated[str | None, typer.Option("--modes", help="Comma-separated modes to use: rail,bus,shuttle (default: all).", show_default=False)]
MinTransferOpt = Annotated[
    int,
    typer.Option(
        "--min-transfer-time", help="Seconds needed to change between rides (added to every boarding after the first).", min=0, max=MAX_MIN_TRANSFER_S
    ),
]

#: The routing options in the order commands list them: parameter name, type with its option, default.
ROUTING_OPTIONS: tuple[tuple[str, Any, object], ...] = (
    ("max_transfers", MaxTransfersOpt, DEFAULT_PARAMS.max_transfers),
    ("walk_radius", WalkRadiusOpt, DEFAULT_PARAMS.walk.radius_m),
    ("walk_speed", WalkSpeedOpt, DEFAULT_PARAMS.walk.speed_m_s),
    ("modes", ModesOpt, None),
    ("min_transfer_time", MinTransferOpt, DEFAULT_PARAMS.min_transfer_s),
)
#: The flag of each routing option, by the field an InputError names.
ROUTING_FLAGS = {
    "max_transfers": "--max-transfers",
    "walk_radius": "--walk-radius",
    "walk_speed": "--walk-speed",
    "modes": "--modes",
    "min_transfer_time": "--min-transfer-time",
}

R = TypeVar("R")


def routing_params(
    max_transfers: int = DEFAULT_PARAMS.max_transfers,
    walk_radius: float = DEFAULT_PARAMS.walk.radius_m,
    walk_speed: float = DEFAULT_PARAMS.walk.speed_m_s,
    modes: str | None = None,
    min_transfer_time: int = DEFAULT_PARAMS.min_transfer_s,
) -> RoutingParams:
    """Return the routing parameters of the options' values; InputError naming the flag (exit 2) when one is refused."""
    try:
        return RoutingParams.from_options(
            max_transfers=max_transfers, walk_radius=walk_radius, walk_speed=walk_speed, modes=modes, min_transfer_time=min_transfer_time
        )
    except InputError as exc:
        flag = ROUTING_FLAGS.get(exc.field or "", exc.field)
        raise InputError(f"{flag}: {exc}", flag) from None


def routing_options(command: Callable[..., R]) -> Callable[..., R]:
    """Give a command the routing options in place of its ``params: RoutingParams`` parameter.

    Typer reads a command's options from its signature, so the returned
    command's signature is ``command``'s with ``params`` replaced, where it
    stands, by ``--max-transfers``, ``--walk-radius``, ``--walk-speed``,
    ``--modes`` and ``--min-transfer-time`` (:data:`ROUTING_OPTIONS`); it
    builds the :class:`RoutingParams` of their values (:func:`routing_params`)
    and calls ``command`` with it.  Every command that routes thus declares,
    validates and documents these options the same way.
    """
    signature = inspect.signature(command, eval_str=True)
    if "params" not in signature.parameters:
        raise TypeError(f"{command.__name__} has no 'params' parameter to replace with the routing options")
    parameters: list[inspect.Parameter] = []
    for p in signature.parameters.values():
        if p.name == "params":
            parameters.extend(inspect.Parameter(name, p.kind, default=default, annotation=annotation) for name, annotation, default in ROUTING_OPTIONS)
        else:
            parameters.append(p)

    @functools.wraps(command)
    def with_params(*args: Any, **kwargs: Any) -> R:
        values = {name: kwargs.pop(name) for name, _, _ in ROUTING_OPTIONS if name in kwargs}
        return command(*args, params=routing_params(**values), **kwargs)

    with_params.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_params.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": signature.return_annotation}
    return with_params
