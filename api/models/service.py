"""What the service has loaded: ``/healthz``, ``/v1/feeds`` and ``/v1/map-config``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.models.base import Bool, Document, Int, IsoDate

#: What a feed is: from the feed catalog (``gtfs/feeds.toml``), ``unknown`` outside one.
FeedKind = Literal["official", "modeled", "trial", "unknown"]


class Validity(Document):
    """A feed's service dates measured against today, in its time zone."""

    first: IsoDate | None
    last: IsoDate | None
    today: IsoDate
    days_left: Int | None = Field(description="0 on the last day, negative once it has ended; null without service dates.")


class FeedHealth(Document):
    name: str
    kind: FeedKind
    licence: str | None
    attribution: str | None = Field(description="Show it wherever the data is shown.")
    version: str | None
    trips: Int | None
    validity: Validity | None
    warning: str | None = Field(description="From 30 days before the feed's end, and once it has ended.")


class Parts(Document):
    timetable: Literal["ok"]
    scenario_store: Literal["ok", "unavailable"]


class ServiceDates(Document):
    first: IsoDate
    last: IsoDate


class Health(Document):
    """The answer of ``GET /healthz`` (always 200 while the service answers)."""

    status: Literal["ok", "degraded"]
    parts: Parts = Field(description="Which part is down while the status is degraded.")
    feeds: list[FeedHealth]
    warnings: list[str] = Field(description="'feed: warning' for each feed ending within 30 days or ended.")
    trips: Int
    stops: Int
    pois: Int
    service_dates: ServiceDates | None
    timezone: str


class Feed(Document):
    """A loaded feed: what the catalog says about it and what its files say."""

    name: str
    kind: FeedKind
    licence: str | None
    attribution: str | None
    url: str | None = Field(description="Where `maas feeds update` fetches it from.")
    description: str | None
    version: str | None
    publisher: str | None
    timezone: str | None
    present: Bool
    validity: Validity | None
    warning: str | None
    stops: Int | None
    routes: Int | None
    trips: Int | None


class Feeds(Document):
    """The answer of ``GET /v1/feeds``."""

    warn_days: Int = Field(description="A feed is warned about from this many days before its end.")
    feeds: list[Feed] = Field(description="In load order.")
    warnings: list[str]


class Credit(Document):
    ja: str
    en: str


class Basemap(Document):
    url: str = Field(description="The basemap's GeoJSON, relative to the map's page.")
    attribution: Credit = Field(description="The credit MLIT requires beside it.")


class MapConfig(Document):
    """The answer of ``GET /v1/map-config``."""

    basemap: Basemap
    tile_url: str | None = Field(description="MAAS_TILE_URL; null when not configured (nothing is loaded from other servers).")
    tile_attribution: str | None = Field(description="MAAS_TILE_ATTRIBUTION, plain text; null when not configured.")
