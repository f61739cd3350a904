"""The loaded feeds: what each is (catalog), its licence and attribution, and how long its timetable runs."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import State
from api.models import Feeds
from api.state import ServiceState
from maas.feeds.catalog import WARN_DAYS
from maas.timetable.summary import feed_statuses, summarize

router = APIRouter(prefix="/v1", tags=["feeds"])


def loaded_feeds(state: ServiceState) -> list[dict]:
    """Each loaded feed: catalog facts, version, validity and warning, with its stop, route and trip counts.

    The catalog beside each feed folder (``gtfs/feeds.toml``) names its kind,
    licence and attribution; feeds given by ``MAAS_FEEDS`` that no catalog
    names are kind ``unknown``.
    """
    tt = state.network.timetable
    counts = {f["name"]: f for f in summarize(tt)["feeds"]}
    out = []
    for st in feed_statuses(tt, state.settings.feeds):
        c = counts.get(st.name, {})
        out.append({**st.to_dict(), "stops": c.get("stops"), "routes": c.get("routes"), "trips": c.get("trips")})
    return out


@router.get("/feeds", response_model=Feeds, summary="The loaded feeds: kind, licence, attribution, version, validity")
def feeds(state: State) -> dict:
    """Every feed the service has loaded, in load order.

    `kind` is `official`, `modeled`, `trial` (from the feed catalog) or
    `unknown`; `validity` gives the first and last service date and the days
    left (counted in the feed's time zone); `warning` is set from
    `warn_days` (30) days before the end, and once it has ended.  Show each
    `attribution` wherever the data is shown.
    """
    listed = loaded_feeds(state)
    return {"warn_days": WARN_DAYS, "feeds": listed, "warnings": [f"{f['name']}: {f['warning']}" for f in listed if f["warning"]]}
