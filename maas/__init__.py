"""maas: open multimodal route planning for the Yamaguchi central area.

The names below are the library's public API; everything else is internal
and may change.  A program or notebook needs nothing else::

    import datetime as dt
    import maas

    network = maas.load_network()                  # the default data; or feeds=[...], pois=..., osm=...
    places, planner = maas.PlaceIndex(network), maas.Planner(network)
    query = maas.JourneyQuery(places.resolve("Shin-Yamaguchi"), places.resolve("Ajisu"),
                              dt.date(2026, 12, 1), maas.parse_clock("07:00"))
    for journey in planner.plan(query):
        print(maas.format_clock(journey.departure), maas.format_clock(journey.arrival), journey.rides)

Loading
    :func:`load_network`, :func:`load_timetable`, :func:`load_pois`,
    :func:`read_feed`, :func:`validate_feed`; :class:`Network`,
    :class:`Timetable`, :class:`Poi`, :class:`Problem`, :class:`WalkModel`.
Journeys
    :class:`Planner`, :class:`JourneyQuery`, :class:`RoutingParams`,
    :class:`PlaceIndex`, :class:`Place`, :class:`Journey`, :class:`Leg`,
    :func:`journeys_document`, :func:`parse_clock`, :func:`format_clock`.
Reach and matrices
    :func:`reach` (:class:`Reach`), :func:`travel_minutes` (one departure),
    :func:`travel_time_matrix` (percentiles over a :class:`DepartureWindow`,
    a :class:`TravelTimeMatrix`); origins and destinations from a file
    (:func:`read_locations`) or positions (:func:`points`, e.g. the cells of
    :func:`mesh_cells` inside :func:`area_polygon`); :func:`accessibility`.
Tours
    :class:`TourPlanner`, :class:`TourRequest`, :func:`tour_request`,
    :class:`Itinerary`, :func:`render_itinerary`.
Shuttle
    :func:`load_scenario`, :func:`scenario_from_dict`, :class:`Scenario`,
    :func:`evaluate_scenario` (:class:`Evaluation`), :func:`optimize`
    (:class:`OptimizeResult`), :func:`render_evaluation`,
    :func:`comparison_dict`, :func:`render_comparison`,
    :func:`marey_figures`, :func:`load_figure`, :func:`diagram_data`.
Errors
    :class:`MaasError` and its kinds: :class:`InputError`,
    :class:`PlaceNotFoundError`, :class:`NotFoundError`, :class:`FeedError`,
    :class:`CatalogError`.  No feasible tour or shuttle timetable is a result
    with ``status`` ``"infeasible"``, not an error.

``import maas`` is cheap: each name is imported from its module on first use
(PEP 562), so the solvers (OR-Tools), the compiled kernels (numba) and the
geometry stack load only when used.

Layers, each importing only the ones before it (see README, "Architecture"):
``maas.feeds`` (read and check GTFS), ``maas.timetable`` (compile to arrays,
cached), ``maas.network`` (stops, POIs, walking), ``maas.routing`` (RAPTOR
journeys, reach, matrices), ``maas.tours`` and ``maas.shuttle``, then the
``maas`` command (``maas.cli``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Re-exported (the redundant aliases say so to linters and type checkers).
from maas.errors import CatalogError as CatalogError
from maas.errors import FeedError as FeedError
from maas.errors import InputError as InputError
from maas.errors import MaasError as MaasError
from maas.errors import NotFoundError as NotFoundError
from maas.errors import PlaceNotFoundError as PlaceNotFoundError

__version__ = "0.1.0"

#: Each lazily loaded public name and the module that defines it.
_LAZY: dict[str, str] = {
    # loading
    "load_network": "maas.network.load",
    "load_timetable": "maas.timetable.cache",
    "load_pois": "maas.pois",
    "read_feed": "maas.feeds.reader",
    "validate_feed": "maas.feeds.validate",
    "Network": "maas.network.network",
    "Timetable": "maas.timetable.model",
    "Poi": "maas.pois",
    "Problem": "maas.feeds.problems",
    "WalkModel": "maas.network.walking",
    # journeys
    "Planner": "maas.routing.planner",
    "JourneyQuery": "maas.routing.planner",
    "RoutingParams": "maas.routing.params",
    "PlaceIndex": "maas.routing.places",
    "Place": "maas.routing.places",
    "Journey": "maas.routing.journeys",
    "Leg": "maas.routing.journeys",
    "journeys_document": "maas.routing.answer",
    "parse_clock": "maas.when",
    "format_clock": "maas.when",
    # reach and matrices
    "reach": "maas.routing.reach",
    "Reach": "maas.routing.reach",
    "travel_minutes": "maas.routing.reach",
    "travel_time_matrix": "maas.routing.matrix",
    "DepartureWindow": "maas.routing.matrix",
    "TravelTimeMatrix": "maas.routing.matrix",
    "accessibility": "maas.routing.access",
    "Accessibility": "maas.routing.access",
    "read_locations": "maas.routing.locations",
    "points": "maas.routing.locations",
    "Locations": "maas.routing.locations",
    "mesh_cells": "maas.network.mesh",
    "MeshCells": "maas.network.mesh",
    "area_polygon": "maas.network.mesh",
    # tours
    "TourPlanner": "maas.tours.planner",
    "TourRequest": "maas.tours.request",
    "tour_request": "maas.tours.request",
    "Itinerary": "maas.tours.itinerary",
    "render_itinerary": "maas.tours.report",
    # shuttle
    "load_scenario": "maas.shuttle.scenario",
    "scenario_from_dict": "maas.shuttle.scenario",
    "Scenario": "maas.shuttle.scenario",
    "evaluate_scenario": "maas.shuttle.evaluate",
    "Evaluation": "maas.shuttle.results",
    "optimize": "maas.shuttle.optimize",
    "OptimizeResult": "maas.shuttle.optimize",
    "render_evaluation": "maas.shuttle.report",
    "comparison_dict": "maas.shuttle.report",
    "render_comparison": "maas.shuttle.report",
    "marey_figures": "maas.shuttle.diagram",
    "load_figure": "maas.shuttle.diagram",
    "diagram_data": "maas.shuttle.diagram",
}

_ERRORS = ["CatalogError", "FeedError", "InputError", "MaasError", "NotFoundError", "PlaceNotFoundError"]

__all__ = sorted([*_LAZY, *_ERRORS, "__version__"])


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562) and keep it here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'maas' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (loaded or not) with the module's own attributes."""
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # what type checkers and editors see: the same names, imported eagerly (re-exported: `as` the same name)
    from maas.feeds.problems import Problem as Problem
    from maas.feeds.reader import read_feed as read_feed
    from maas.feeds.validate import validate_feed as validate_feed
    from maas.network.load import load_network as load_network
    from maas.network.mesh import MeshCells as MeshCells
    from maas.network.mesh import area_polygon as area_polygon
    from maas.network.mesh import mesh_cells as mesh_cells
    from maas.network.network import Network as Network
    from maas.network.walking import WalkModel as WalkModel
    from maas.pois import Poi as Poi
    from maas.pois import load_pois as load_pois
    from maas.routing.access import Accessibility as Accessibility
    from maas.routing.access import accessibility as accessibility
    from maas.routing.answer import journeys_document as journeys_document
    from maas.routing.journeys import Journey as Journey
    from maas.routing.journeys import Leg as Leg
    from maas.routing.locations import Locations as Locations
    from maas.routing.locations import points as points
    from maas.routing.locations import read_locations as read_locations
    from maas.routing.matrix import DepartureWindow as DepartureWindow
    from maas.routing.matrix import TravelTimeMatrix as TravelTimeMatrix
    from maas.routing.matrix import travel_time_matrix as travel_time_matrix
    from maas.routing.params import RoutingParams as RoutingParams
    from maas.routing.places import Place as Place
    from maas.routing.places import PlaceIndex as PlaceIndex
    from maas.routing.planner import JourneyQuery as JourneyQuery
    from maas.routing.planner import Planner as Planner
    from maas.routing.reach import Reach as Reach
    from maas.routing.reach import reach as reach
    from maas.routing.reach import travel_minutes as travel_minutes
    from maas.shuttle.diagram import diagram_data as diagram_data
    from maas.shuttle.diagram import load_figure as load_figure
    from maas.shuttle.diagram import marey_figures as marey_figures
    from maas.shuttle.evaluate import evaluate_scenario as evaluate_scenario
    from maas.shuttle.optimize import OptimizeResult as OptimizeResult
    from maas.shuttle.optimize import optimize as optimize
    from maas.shuttle.report import comparison_dict as comparison_dict
    from maas.shuttle.report import render_comparison as render_comparison
    from maas.shuttle.report import render_evaluation as render_evaluation
    from maas.shuttle.results import Evaluation as Evaluation
    from maas.shuttle.scenario import Scenario as Scenario
    from maas.shuttle.scenario import load_scenario as load_scenario
    from maas.shuttle.scenario import scenario_from_dict as scenario_from_dict
    from maas.timetable.cache import load_timetable as load_timetable
    from maas.timetable.model import Timetable as Timetable
    from maas.tours.itinerary import Itinerary as Itinerary
    from maas.tours.planner import TourPlanner as TourPlanner
    from maas.tours.report import render_itinerary as render_itinerary
    from maas.tours.request import TourRequest as TourRequest
    from maas.tours.request import tour_request as tour_request
    from maas.when import format_clock as format_clock
    from maas.when import parse_clock as parse_clock
