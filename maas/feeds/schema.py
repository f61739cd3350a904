"""What GTFS and GTFS-JP files and columns we know, and what each column holds.

The reader keeps every column as text; this table says how the checker and the
compiler interpret it.  Kinds:

``id``       a non-empty identifier (text)
``text``     free text
``time``     ``H:MM:SS`` or ``HH:MM:SS``, hours may pass 24 (service-day time)
``date``     ``YYYYMMDD``
``int``      a whole number
``float``    a decimal number
``lat``      latitude in degrees, -90..90
``lon``      longitude in degrees, -180..180
``enum:a,b`` one of the listed whole numbers
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSpec:
    """One GTFS file: whether it is required, its columns and their kinds."""

    name: str
    required: bool
    columns: dict[str, str]
    required_columns: tuple[str, ...]
    primary_key: tuple[str, ...] = ()


GTFS_FILES: dict[str, FileSpec] = {
    spec.name: spec
    for spec in [
        FileSpec(
            "agency.txt",
            True,
            {
                "agency_id": "id",
                "agency_name": "text",
                "agency_url": "text",
                "agency_timezone": "text",
                "agency_lang": "text",
                "agency_phone": "text",
                "agency_fare_url": "text",
                "agency_email": "text",
            },
            ("agency_name", "agency_url", "agency_timezone"),
            ("agency_id",),
        ),
        FileSpec(
            "stops.txt",
            True,
            {
                "stop_id": "id",
                "stop_code": "text",
                "stop_name": "text",
                "stop_desc": "text",
                "stop_lat": "lat",
                "stop_lon": "lon",
                "zone_id": "text",
                "stop_url": "text",
                "location_type": "enum:0,1,2,3,4",
                "parent_station": "text",
                "stop_timezone": "text",
                "wheelchair_boarding": "enum:0,1,2",
                "platform_code": "text",
            },
            ("stop_id",),
            ("stop_id",),
        ),
        FileSpec(
            "routes.txt",
            True,
            {
                "route_id": "id",
                "agency_id": "text",
                "route_short_name": "text",
                "route_long_name": "text",
                "route_desc": "text",
                "route_type": "int",
                "route_url": "text",
                "route_color": "text",
                "route_text_color": "text",
                "route_sort_order": "int",
            },
            ("route_id", "route_type"),
            ("route_id",),
        ),
        FileSpec(
            "trips.txt",
            True,
            {
                "route_id": "id",
                "service_id": "id",
                "trip_id": "id",
                "trip_headsign": "text",
                "trip_short_name": "text",
                "direction_id": "enum:0,1",
                "block_id": "text",
                "shape_id": "text",
            },
            ("route_id", "service_id", "trip_id"),
            ("trip_id",),
        ),
        FileSpec(
            "stop_times.txt",
            True,
            {
                "trip_id": "id",
                "arrival_time": "time",
                "departure_time": "time",
                "stop_id": "id",
                "stop_sequence": "int",
                "stop_headsign": "text",
                "pickup_type": "enum:0,1,2,3",
                "drop_off_type": "enum:0,1,2,3",
                "shape_dist_traveled": "float",
                "timepoint": "enum:0,1",
            },
            ("trip_id", "stop_id", "stop_sequence"),
            ("trip_id", "stop_sequence"),
        ),
        FileSpec(
            "calendar.txt",
            False,
            {
                "service_id": "id",
                "monday": "enum:0,1",
                "tuesday": "enum:0,1",
                "wednesday": "enum:0,1",
                "thursday": "enum:0,1",
                "friday": "enum:0,1",
                "saturday": "enum:0,1",
                "sunday": "enum:0,1",
                "start_date": "date",
                "end_date": "date",
            },
            (
                "service_id",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "start_date",
                "end_date",
            ),
            ("service_id",),
        ),
        FileSpec(
            "calendar_dates.txt",
            False,
            {"service_id": "id", "date": "date", "exception_type": "enum:1,2"},
            ("service_id", "date", "exception_type"),
            ("service_id", "date"),
        ),
        FileSpec(
            "frequencies.txt",
            False,
            {
                "trip_id": "id",
                "start_time": "time",
                "end_time": "time",
                "headway_secs": "int",
                "exact_times": "enum:0,1",
            },
            ("trip_id", "start_time", "end_time", "headway_secs"),
            ("trip_id", "start_time"),
        ),
        FileSpec(
            "transfers.txt",
            False,
            {
                "from_stop_id": "text",
                "to_stop_id": "text",
                "transfer_type": "enum:0,1,2,3,4,5",
                "min_transfer_time": "int",
            },
            ("transfer_type",),
        ),
        FileSpec(
            "feed_info.txt",
            False,
            {
                "feed_publisher_name": "text",
                "feed_publisher_url": "text",
                "feed_lang": "text",
                "feed_start_date": "date",
                "feed_end_date": "date",
                "feed_version": "text",
            },
            ("feed_publisher_name",),
        ),
        FileSpec(
            "fare_attributes.txt",
            False,
            {
                "fare_id": "id",
                "price": "float",
                "currency_type": "text",
                "payment_method": "enum:0,1",
                "transfers": "text",
                "agency_id": "text",
                "transfer_duration": "int",
            },
            ("fare_id", "price", "currency_type"),
            ("fare_id",),
        ),
        FileSpec(
            "fare_rules.txt",
            False,
            {
                "fare_id": "id",
                "route_id": "text",
                "origin_id": "text",
                "destination_id": "text",
                "contains_id": "text",
            },
            ("fare_id",),
        ),
        FileSpec(
            "translations.txt",
            False,
            {
                # Either the GTFS standard form or the GTFS-JP v2 form
                # (trans_id, lang, translation); see maas.feeds.translations.
                "table_name": "text",
                "field_name": "text",
                "language": "text",
                "translation": "text",
                "record_id": "text",
                "record_sub_id": "text",
                "field_value": "text",
                "trans_id": "text",
                "lang": "text",
            },
            ("translation",),
        ),
        # GTFS-JP extension files.
        FileSpec(
            "agency_jp.txt",
            False,
            {
                "agency_id": "id",
                "agency_official_name": "text",
                "agency_zip_number": "text",
                "agency_address": "text",
                "agency_president_pos": "text",
                "agency_president_name": "text",
            },
            ("agency_id",),
            ("agency_id",),
        ),
        FileSpec(
            "office_jp.txt",
            False,
            {"office_id": "id", "office_name": "text", "office_url": "text", "office_phone": "text"},
            ("office_id", "office_name"),
            ("office_id",),
        ),
        FileSpec(
            "routes_jp.txt",
            False,
            {
                "route_id": "id",
                "route_update_date": "date",
                "origin_stop": "text",
                "via_stop": "text",
                "destination_stop": "text",
            },
            ("route_id",),
        ),
        FileSpec(
            "pattern_jp.txt",
            False,
            {
                "jp_pattern_id": "id",
                "route_update_date": "date",
                "origin_stop": "text",
                "via_stop": "text",
                "destination_stop": "text",
            },
            ("jp_pattern_id",),
            ("jp_pattern_id",),
        ),
    ]
}

#: Files a usable feed must have (calendar.txt or calendar_dates.txt is checked apart).
REQUIRED_FILES = tuple(name for name, spec in GTFS_FILES.items() if spec.required)

#: Every file the GTFS reference and GTFS-JP (標準的なバス情報フォーマット) define, checked or not.  Anything
#: else in a feed (vendor files such as ``*_mobustation.txt``, a README, a file-sanitising receipt) is
#: reported as "unknown file, ignored" and never read.  ``fare_rider_categories.txt`` is the older
#: GTFS fares proposal some Japanese feeds carry.
KNOWN_FILES = frozenset(GTFS_FILES) | {
    "shapes.txt",
    "levels.txt",
    "pathways.txt",
    "attributions.txt",
    "timeframes.txt",
    "rider_categories.txt",
    "fare_rider_categories.txt",
    "fare_media.txt",
    "fare_products.txt",
    "fare_leg_rules.txt",
    "fare_leg_join_rules.txt",
    "fare_transfer_rules.txt",
    "areas.txt",
    "stop_areas.txt",
    "networks.txt",
    "route_networks.txt",
    "location_groups.txt",
    "location_group_stops.txt",
    "locations.geojson",
    "booking_rules.txt",
}

#: GTFS route_type → our travel mode.  Extended route types (100-1799) map by range.
RAIL_ROUTE_TYPES = {0, 1, 2, 5, 7, 12}
BUS_ROUTE_TYPES = {3, 11}
FERRY_ROUTE_TYPES = {4}
GONDOLA_ROUTE_TYPES = {6}
#: Extended route type 711, "Shuttle Bus": a commuter or park shuttle (the techno-park shuttle, scenario runs).
SHUTTLE_ROUTE_TYPE = 711


def mode_of_route_type(route_type: int) -> str:
    """Return ``rail``, ``bus``, ``shuttle``, ``ferry`` or ``other`` for a GTFS route_type.

    The mode comes from the data alone: ``shuttle`` is extended route type 711
    ("Shuttle Bus"); a feed's file name plays no part.
    """
    if route_type == SHUTTLE_ROUTE_TYPE:
        return "shuttle"
    if route_type in RAIL_ROUTE_TYPES or 100 <= route_type < 200 or 400 <= route_type < 500 or 900 <= route_type < 1000:
        return "rail"
    if route_type in BUS_ROUTE_TYPES or 200 <= route_type < 300 or 700 <= route_type < 900:
        return "bus"
    if route_type in FERRY_ROUTE_TYPES or 1000 <= route_type < 1300:
        return "ferry"
    return "other"
