"""What the service holds in memory: the network and the planners built on it (read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.scenario_docs import scenario_of, seed
from api.settings import Settings
from api.store import ScenarioStore
from maas.network.network import Network
from maas.network.osm import StreetNetwork
from maas.pois import load_pois
from maas.routing.places import PlaceIndex
from maas.routing.planner import Planner
from maas.timetable.cache import load_timetable

if TYPE_CHECKING:  # imported at run time only when first used (OR-Tools loads with the tour planner)
    from maas.shuttle.timetable import Timetables
    from maas.tours.planner import TourPlanner


def open_store(settings: Settings) -> ScenarioStore:
    """The scenario store, connected and seeded now if the database answers; never fails for the database.

    A broken or unreachable database leaves the store unavailable (its
    endpoints answer 503, /healthz says degraded) while journeys, tours and
    the map are served; it connects, and seeds the built-in scenarios once,
    as soon as the database answers.
    """
    store = ScenarioStore(settings.database(), validate=scenario_of, on_ready=seed)
    store.health()  # the first attempt now, so a healthy database is seeded at start-up
    return store


@dataclass
class ServiceState:
    """The loaded network and planners; built once at start-up (the lifespan)."""

    settings: Settings
    network: Network
    planner: Planner
    places: PlaceIndex
    store: ScenarioStore
    _tours: TourPlanner | None = None
    _shuttle_timetables: Timetables | None = None

    @classmethod
    def load(cls, settings: Settings) -> ServiceState:
        """Compile (or load from the cache) the feeds, POIs and streets of ``settings``."""
        tt = load_timetable(list(settings.feeds), progress=False)
        pois = load_pois(settings.pois) if settings.pois and settings.pois.exists() else []
        streets = StreetNetwork.from_file(settings.osm) if settings.osm else None
        network = Network(tt, pois, streets)
        planner = Planner(network)
        return cls(settings, network, planner, PlaceIndex(network), open_store(settings))

    @property
    def tours(self) -> TourPlanner:
        """The tour planner (built on first use)."""
        if self._tours is None:
            from maas.tours.planner import TourPlanner

            self._tours = TourPlanner(self.planner, self.places)
        return self._tours

    @property
    def shuttle_timetables(self) -> Timetables:
        """The compiled rail timetables shuttle evaluations use, kept between requests of this process (bounded).

        The service's own timetable is among them when it is exactly what a
        scenario's rail feeds compile to (the service runs on rail feeds only).
        """
        if self._shuttle_timetables is None:
            from maas.shuttle.timetable import Timetables

            timetables = Timetables()
            timetables.hold(list(self.settings.feeds), self.network.timetable)
            self._shuttle_timetables = timetables
        return self._shuttle_timetables
