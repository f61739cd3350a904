"""Response models of the HTTP service: the schema of every answer, checked on every answer.

One module per resource, like :mod:`api.routers`; :mod:`api.models.base`
says how the models keep the documents unchanged (the documents themselves
are built by the library: ``to_dict``, ``to_geojson``), and
:mod:`api.models.errors` holds the error document of every 4xx and 5xx.
"""

from api.models.base import unchecked_json
from api.models.catalog import DeparturesBoard, PoiCollection, RouteCollection, StopCollection
from api.models.errors import ALL_ERRORS, ErrorDocument, error_responses
from api.models.journeys import JourneysDocument, ReachCollection
from api.models.service import Feeds, Health, MapConfig
from api.models.shuttle import EvaluationDocument, OptimizeDocument, ScenarioList, StoredScenario
from api.models.tours import TourDocument

__all__ = [
    "ALL_ERRORS",
    "DeparturesBoard",
    "ErrorDocument",
    "EvaluationDocument",
    "Feeds",
    "Health",
    "JourneysDocument",
    "MapConfig",
    "OptimizeDocument",
    "PoiCollection",
    "ReachCollection",
    "RouteCollection",
    "ScenarioList",
    "StopCollection",
    "StoredScenario",
    "TourDocument",
    "error_responses",
    "unchecked_json",
]
