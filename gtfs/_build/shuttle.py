"""gtfs/techno-shuttle: the 2019-20 trial commuter shuttle of the Yamaguchi /
Ube Techno Park liaison council, as ../shared/brief/region.md gives it.

FACT: trial period 2019-12-02..2020-02-28, weekdays; station times (Ajisu 7:14,
Motoyura 7:24 / 8:01 / 17:50 / 18:50, Ajisu 18:00 / 19:00) and the loop bounds
(last park arrival 7:53 / 8:30, first park departure 17:20 / 18:20).
MODELED: the order of the parks and the stop times inside the park loop
(timepoint=0), and the park positions (district level).
"""

from __future__ import annotations

import datetime as dt

from common import (
    AGENCY_JP_FIELDS,
    CALENDAR_DATES_FIELDS,
    CALENDAR_FIELDS,
    TRANSLATIONS_FIELDS,
    TRIPS_FIELDS,
    calendar_row,
    feed_info,
    fmt,
    hm,
    national_holidays,
    translation,
    ymd,
)
from stations import load_stations

START, END = dt.date(2019, 12, 2), dt.date(2020, 2, 28)


def park_positions(stations):
    """District-level estimates, derived only from sourced station positions.

    - Yamaguchi Techno Park: Sayama, Yamaguchi City.  Both Motoyura (本由良) and
      Suo-Sayama (周防佐山) stations lie in the Sayama district; the park is put
      at the midpoint of the two station positions, rounded to 0.001 deg.
    - Yamaguchi Techno 2nd Park: no public address; placeholder 0.005 deg
      (about 550 m) north of the first park.
    - Ube Techno Park: Futamataze-Yamanaka, Ube, north of Ube near Koto (厚東)
      station; put 0.015 deg (about 1.7 km) north of Koto station, rounded.
    """
    m = stations["本由良"].positions["sanyo"]
    s = stations["周防佐山"].positions["ube"]
    k = stations["厚東"].positions["sanyo"]
    ytp = (round((m[0] + s[0]) / 2, 3), round((m[1] + s[1]) / 2, 3))
    yt2 = (round(ytp[0] + 0.005, 3), ytp[1])
    utp = (round(k[0] + 0.015, 3), round(k[1], 3))
    return ytp, yt2, utp


def build():
    stations, _ = load_stations()
    aj = stations["阿知須"].positions["ube"]
    mo = stations["本由良"].positions["sanyo"]
    ytp, yt2, utp = park_positions(stations)
    stn_desc = "position = station position (TrainLCD/StationAPI {}); the shuttle stop is at or near the station"
    stops = [
        {"stop_id": "ajisu", "stop_name": "阿知須駅", "stop_desc": stn_desc.format(aj[2].split()[-1]), "stop_lat": f"{aj[0]:.6f}", "stop_lon": f"{aj[1]:.6f}"},
        {
            "stop_id": "motoyura",
            "stop_name": "本由良駅",
            "stop_desc": stn_desc.format(mo[2].split()[-1]),
            "stop_lat": f"{mo[0]:.6f}",
            "stop_lon": f"{mo[1]:.6f}",
        },
        {
            "stop_id": "yamaguchi_techno_park",
            "stop_name": "山口テクノパーク",
            "stop_desc": "position approximate, district level (Sayama, Yamaguchi City, 754-0894): midpoint of Motoyura "
            "and Suo-Sayama stations, both in Sayama; not a surveyed stop position",
            "stop_lat": f"{ytp[0]:.3f}",
            "stop_lon": f"{ytp[1]:.3f}",
        },
        {
            "stop_id": "yamaguchi_techno_park_2",
            "stop_name": "山口テクノ第2団地",
            "stop_desc": "position is a placeholder near the first park (no public address found); position approximate, district level at best",
            "stop_lat": f"{yt2[0]:.3f}",
            "stop_lon": f"{yt2[1]:.3f}",
        },
        {
            "stop_id": "ube_techno_park",
            "stop_name": "宇部テクノパーク",
            "stop_desc": "position approximate, district level (Futamataze-Yamanaka, Ube City): a little north of Koto station; not a surveyed stop position",
            "stop_lat": f"{utp[0]:.3f}",
            "stop_lon": f"{utp[1]:.3f}",
        },
    ]
    for s in stops:
        s.update({"location_type": "0", "parent_station": ""})
    names_en = {
        "ajisu": "Ajisu",
        "motoyura": "Motoyura",
        "yamaguchi_techno_park": "Yamaguchi Techno Park",
        "yamaguchi_techno_park_2": "Yamaguchi Techno 2nd Park",
        "ube_techno_park": "Ube Techno Park",
    }
    kana = {
        "ajisu": "あじすえき",
        "motoyura": "もとゆらえき",
        "yamaguchi_techno_park": "やまぐちてくのぱーく",
        "yamaguchi_techno_park_2": "やまぐちてくのだいにだんち",
        "ube_techno_park": "うべてくのぱーく",
    }
    trans = []
    for s in stops:
        trans.append(translation("stops", "stop_name", names_en[s["stop_id"]], record_id=s["stop_id"]))
        trans.append(translation("stops", "stop_name", kana[s["stop_id"]], language="ja-Hrkt", record_id=s["stop_id"]))
    # (stop, time, sourced?)  park order and in-loop times are modeled
    P1, P2, P3 = "yamaguchi_techno_park", "yamaguchi_techno_park_2", "ube_techno_park"
    runs = [
        ("morning1", 0, "宇部テクノパーク", [("ajisu", "07:14", 1), ("motoyura", "07:24", 1), (P1, "07:32", 0), (P2, "07:37", 0), (P3, "07:53", 0)]),
        ("morning2", 0, "宇部テクノパーク", [("motoyura", "08:01", 1), (P1, "08:09", 0), (P2, "08:14", 0), (P3, "08:30", 0)]),
        ("evening1", 1, "阿知須駅", [(P3, "17:20", 0), (P2, "17:36", 0), (P1, "17:41", 0), ("motoyura", "17:50", 1), ("ajisu", "18:00", 1)]),
        ("evening2", 1, "阿知須駅", [(P3, "18:20", 0), (P2, "18:36", 0), (P1, "18:41", 0), ("motoyura", "18:50", 1), ("ajisu", "19:00", 1)]),
    ]
    trips, stop_times = [], []
    for name, direction, headsign, st in runs:
        tid = f"techno_{name}"
        trips.append(
            {
                "route_id": "techno_shuttle",
                "service_id": "trial_weekday",
                "trip_id": tid,
                "trip_headsign": headsign,
                "trip_short_name": {"morning1": "朝1便", "morning2": "朝2便", "evening1": "夕1便", "evening2": "夕2便"}[name],
                "direction_id": str(direction),
            }
        )
        for seq, (sid, t, src) in enumerate(st, start=1):
            stop_times.append(
                {"trip_id": tid, "arrival_time": fmt(hm(t)), "departure_time": fmt(hm(t)), "stop_id": sid, "stop_sequence": str(seq), "timepoint": str(src)}
            )
    for hs, en in (("宇部テクノパーク", "Ube Techno Park"), ("阿知須駅", "Ajisu Station")):
        trans.append(translation("trips", "trip_headsign", en, field_value=hs))
    for sn, en in (("朝1便", "Morning run 1"), ("朝2便", "Morning run 2"), ("夕1便", "Evening run 1"), ("夕2便", "Evening run 2")):
        trans.append(translation("trips", "trip_short_name", en, field_value=sn))
    agency_name = "山口・宇部テクノパーク連絡協議会"
    trans.append(translation("agency", "agency_name", "Yamaguchi / Ube Techno Park Liaison Council", record_id="techno_council"))
    trans.append(translation("routes", "route_long_name", "Techno Park commuter shuttle (trial 2019-12-02 to 2020-02-28)", record_id="techno_shuttle"))
    trans.append(translation("routes", "route_short_name", "Techno Park shuttle (trial)", record_id="techno_shuttle"))
    cal = [calendar_row("trial_weekday", "1111100", START, END)]
    cd = [{"service_id": "trial_weekday", "date": ymd(d), "exception_type": "2"} for d in national_holidays(START, END) if d.weekday() < 5]
    return {
        "agency.txt": (
            ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
            [
                {
                    "agency_id": "techno_council",
                    "agency_name": agency_name,
                    "agency_url": "https://example.invalid/techno-park-council",
                    "agency_timezone": "Asia/Tokyo",
                    "agency_lang": "ja",
                }
            ],
        ),
        "agency_jp.txt": (
            AGENCY_JP_FIELDS,
            [
                {
                    "agency_id": "techno_council",
                    "agency_official_name": agency_name,
                    "agency_zip_number": "",
                    "agency_address": "",
                    "agency_president_pos": "",
                    "agency_president_name": "",
                }
            ],
        ),
        "stops.txt": (["stop_id", "stop_name", "stop_desc", "stop_lat", "stop_lon", "location_type", "parent_station"], stops),
        "routes.txt": (
            ["route_id", "agency_id", "route_short_name", "route_long_name", "route_desc", "route_type"],
            [
                {
                    "route_id": "techno_shuttle",
                    "agency_id": "techno_council",
                    "route_short_name": "テクノパーク通勤シャトル（試行）",
                    "route_long_name": "テクノパーク通勤シャトル 試行運行（2019年12月2日〜2020年2月28日）",
                    "route_desc": "trial; station times from the council's trial report; park order and park stop times modeled (timepoint=0)",
                    "route_type": "711",  # extended route type "Shuttle Bus": maas gives it mode shuttle
                }
            ],
        ),
        "trips.txt": (TRIPS_FIELDS, trips),
        "stop_times.txt": (["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "timepoint"], stop_times),
        "calendar.txt": (CALENDAR_FIELDS, cal),
        "calendar_dates.txt": (CALENDAR_DATES_FIELDS, cd),
        "feed_info.txt": (
            ["feed_publisher_name", "feed_publisher_url", "feed_lang", "default_lang", "feed_start_date", "feed_end_date", "feed_version"],
            feed_info(
                "maas project (from the liaison council's trial report; park stop times modeled)",
                "trial timetable 2019-12-02..2020-02-28 from the council's report; park stop times modeled",
                START,
                END,
            ),
        ),
        "translations.txt": (TRANSLATIONS_FIELDS, trans),
    }
