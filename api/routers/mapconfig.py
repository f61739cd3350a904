"""What the web map draws under the network: the offline basemap and its credit, and the deployer's tiles if any."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import State
from api.models import MapConfig

router = APIRouter(prefix="/v1", tags=["map"])

#: The credit MLIT requires wherever the N03 boundaries are shown (api/static/basemap/README.md).
BASEMAP_CREDIT = {
    "ja": "出典：国土交通省国土数値情報（行政区域データ）を加工して作成",
    "en": "Source: MLIT National Land Numerical Information (administrative areas), processed",
}
#: The basemap's file, relative to the map's page.
BASEMAP_URL = "basemap/municipalities.geojson"


@router.get("/map-config", response_model=MapConfig, summary="The map's basemap, its credit, and the deployer's raster tiles")
def map_config(state: State) -> dict:
    """How the web map draws geography.

    `basemap` is the offline land (MLIT N03 municipal boundaries, GeoJSON) with
    the credit to show beside it, in Japanese and English.  `tile_url` and
    `tile_attribution` are the raster tiles the deployer configured
    (`MAAS_TILE_URL`, `MAAS_TILE_ATTRIBUTION`), `null` when none: then the map
    loads nothing from any other server.  The attribution is plain text.
    """
    settings = state.settings
    return {
        "basemap": {"url": BASEMAP_URL, "attribution": BASEMAP_CREDIT},
        "tile_url": settings.tile_url or None,
        "tile_attribution": settings.tile_attribution or None,
    }
