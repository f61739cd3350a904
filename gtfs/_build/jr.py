"""gtfs/jr: JR West lines of the Yamaguchi central area.

Stations and positions: FACT (stations_yamaguchi.csv).  Every timetable here
is MODELED from the figures in service_facts.md; the section numbers in the
comments point there.
"""

from __future__ import annotations

import datetime as dt

from common import (
    AGENCY_FIELDS,
    AGENCY_JP_FIELDS,
    CALENDAR_DATES_FIELDS,
    CALENDAR_FIELDS,
    FARE_ATTRIBUTES_FIELDS,
    FARE_RULES_FIELDS,
    FEED_END,
    FEED_INFO_FIELDS,
    FEED_START,
    ROUTES_FIELDS,
    STOP_TIMES_FIELDS,
    TRANSLATIONS_FIELDS,
    TRIPS_FIELDS,
    calendar_row,
    daterange,
    feed_info,
    fmt,
    hm,
    is_holiday,
    national_holidays,
    translation,
    weekday_holiday_exceptions,
    ymd,
)
from stations import Station, cumulative_km, load_stations
from timetable import Profile, Trip, lay_out

FEED_VERSION = "modeled-2026.1 (not an official timetable)"

HEADSIGN_EN = {
    "新山口": "Shin-Yamaguchi",
    "下関": "Shimonoseki",
    "岩国": "Iwakuni",
    "徳山": "Tokuyama",
    "柳井": "Yanai",
    "下松": "Kudamatsu",
    "宇部新川": "Ube-Shinkawa",
    "宇部": "Ube",
    "山口": "Yamaguchi",
    "宮野": "Miyano",
    "津和野": "Tsuwano",
    "益田": "Masuda",
    "米子": "Yonago",
    "鳥取": "Tottori",
    "長門市": "Nagatoshi",
    "東萩": "Higashi-Hagi",
    "厚狭": "Asa",
    "仙崎": "Senzaki",
    "小野田": "Onoda",
    "長門本山": "Nagato-Motoyama",
    "雀田": "Suzumeda",
    "博多": "Hakata",
    "新大阪": "Shin-Osaka",
    "広島": "Hiroshima",
    "岡山": "Okayama",
    "東京": "Tokyo",
    "鹿児島中央": "Kagoshima-Chuo",
}
TYPE_EN = {
    "各駅停車": "Local",
    "こだま": "Kodama",
    "のぞみ": "Nozomi",
    "さくら": "Sakura",
    "みずほ": "Mizuho",
    "特急スーパーおき": "Limited Express Super Oki",
    "SLやまぐち号": "SL Yamaguchi",
}

ROUTES = [
    # route_id, short, long, long_en, short_en, color, text_color
    (
        "sanyo_shinkansen",
        "山陽新幹線",
        "山陽新幹線（広島〜徳山〜新山口〜厚狭〜新下関〜小倉）",
        "Sanyo Shinkansen (Hiroshima - Tokuyama - Shin-Yamaguchi - Asa - Shin-Shimonoseki - Kokura)",
        "Sanyo Shinkansen",
        "1E50A2",
        "FFFFFF",
    ),
    ("sanyo", "山陽本線", "山陽本線（徳山〜厚狭）", "Sanyo Main Line (Tokuyama - Asa)", "Sanyo Line", "0072BC", "FFFFFF"),
    ("ube", "宇部線", "宇部線（新山口〜宇部新川〜宇部）", "Ube Line (Shin-Yamaguchi - Ube-Shinkawa - Ube)", "Ube Line", "E95295", "FFFFFF"),
    ("yamaguchi", "山口線", "山口線（新山口〜山口〜津和野）", "Yamaguchi Line (Shin-Yamaguchi - Yamaguchi - Tsuwano)", "Yamaguchi Line", "F08300", "FFFFFF"),
    (
        "super_oki",
        "スーパーおき",
        "特急スーパーおき（新山口〜津和野〜米子・鳥取）",
        "Limited Express Super Oki (Shin-Yamaguchi - Tsuwano - Yonago/Tottori)",
        "Super Oki",
        "C1272D",
        "FFFFFF",
    ),
    (
        "sl_yamaguchi",
        "SLやまぐち号",
        "SLやまぐち号（新山口〜津和野）",
        "SL Yamaguchi steam train (Shin-Yamaguchi - Tsuwano)",
        "SL Yamaguchi",
        "231815",
        "FFFFFF",
    ),
    (
        "mine",
        "美祢線",
        "美祢線（厚狭〜長門市・仙崎）2023年6月30日から運休",
        "Mine Line (Asa - Nagatoshi - Senzaki), suspended since 2023-06-30",
        "Mine Line",
        "6AB42D",
        "FFFFFF",
    ),
    (
        "onoda",
        "小野田線",
        "小野田線（宇部新川〜小野田・雀田〜長門本山）",
        "Onoda Line (Ube-Shinkawa - Onoda; Suzumeda - Nagato-Motoyama)",
        "Onoda Line",
        "8B5EA4",
        "FFFFFF",
    ),
    ("sanin", "山陰本線", "山陰本線（東萩・萩・玉江）", "San'in Main Line (Higashi-Hagi, Hagi, Tamae)", "San'in Line", "00A1E9", "FFFFFF"),
]


# --- stops --------------------------------------------------------------------


def platform_ids(stations: dict[str, Station]) -> dict[tuple[str, str], str]:
    """(name_ja, line group) -> platform stop_id.  One platform per distinct
    position of a station; the conventional-line position keeps the plain slug."""
    out = {}
    for st in stations.values():
        groups = sorted(st.positions, key=lambda g: (g == "shinkansen", g))
        first = st.positions[groups[0]][:2]
        for g in groups:
            if st.positions[g][:2] == first:
                out[(st.name_ja, g)] = st.slug
            else:
                out[(st.name_ja, g)] = f"{st.slug}_{g}"
    return out


def build_stops(stations, pids):
    rows, trans = [], []
    for st in sorted(stations.values(), key=lambda s: s.slug):
        groups = sorted(st.positions, key=lambda g: (g == "shinkansen", g))
        lat, lon, src = st.positions[groups[0]]
        parent = f"st_{st.slug}"
        lines_ja = "・".join(sorted({LINE_JA[g] for g in groups}))
        rows.append(
            {
                "stop_id": parent,
                "stop_name": st.name_ja,
                "stop_desc": f"駅（{lines_ja}）. position: TrainLCD/StationAPI {src.split()[-1]} (MIT); see gtfs/README.md",
                "stop_lat": f"{lat:.6f}",
                "stop_lon": f"{lon:.6f}",
                "location_type": "1",
                "parent_station": "",
            }
        )
        trans += stop_translations(parent, st.name_en, st.kana)
        done = set()
        for g in groups:
            pid = pids[(st.name_ja, g)]
            if pid in done:
                continue
            done.add(pid)
            plat, plon, psrc = st.positions[g]
            same = [x for x in groups if pids[(st.name_ja, x)] == pid]
            name = st.name_ja + ("（新幹線）" if pid.endswith("_shinkansen") else "")
            en = st.name_en + (" (Shinkansen)" if pid.endswith("_shinkansen") else "")
            rows.append(
                {
                    "stop_id": pid,
                    "stop_name": name,
                    "stop_desc": "のりば: " + "・".join(LINE_JA[x] for x in same) + f". position: TrainLCD/StationAPI {psrc.split()[-1]}",
                    "stop_lat": f"{plat:.6f}",
                    "stop_lon": f"{plon:.6f}",
                    "location_type": "0",
                    "parent_station": parent,
                }
            )
            trans += stop_translations(pid, en, st.kana + ("（しんかんせん）" if pid.endswith("_shinkansen") else ""))
    return rows, trans


LINE_JA = {
    "shinkansen": "山陽新幹線",
    "sanyo": "山陽本線",
    "ube": "宇部線",
    "yamaguchi": "山口線",
    "mine": "美祢線",
    "onoda": "小野田線",
    "sanin": "山陰本線",
}


def stop_translations(stop_id, en, kana):
    out = [translation("stops", "stop_name", en, record_id=stop_id)]
    if kana:
        out.append(translation("stops", "stop_name", kana, language="ja-Hrkt", record_id=stop_id))
    return out


# Stations outside the area, each the next stop of the fast Shinkansen trains (Nozomi, Sakura, Mizuho) beyond
# Shin-Yamaguchi, which within the area call at Shin-Yamaguchi only: without a second stop such a trip could
# not be planned.  Positions: TrainLCD/StationAPI (MIT), data/3!stations.csv at commit
# 031ff42b7486b7b0c88ce2c6a9c9ebda39a81ead (the same dataset as stations_yamaguchi.csv, a later commit).
GATEWAYS = {
    # platform stop_id: (name_ja, name_en, kana, lat, lon, station_cd)
    "hiroshima": ("広島", "Hiroshima", "ひろしま", 34.39823447, 132.4758267, "100312"),
    "kokura": ("小倉", "Kokura", "こくら", 33.887108, 130.882466, "100318"),
}


def gateway_stops():
    rows, trans = [], []
    for pid, (name, en, kana, lat, lon, cd) in sorted(GATEWAYS.items()):
        src = (
            f"position: TrainLCD/StationAPI station_cd={cd} (MIT, commit 031ff42b); outside the area: only the "
            "fast Shinkansen trains' next stop beyond Shin-Yamaguchi; see gtfs/README.md"
        )
        rows.append(
            {
                "stop_id": f"st_{pid}",
                "stop_name": name,
                "stop_desc": f"駅（山陽新幹線）. {src}",
                "stop_lat": f"{lat:.6f}",
                "stop_lon": f"{lon:.6f}",
                "location_type": "1",
                "parent_station": "",
            }
        )
        rows.append(
            {
                "stop_id": pid,
                "stop_name": name,
                "stop_desc": f"のりば: 山陽新幹線. {src}",
                "stop_lat": f"{lat:.6f}",
                "stop_lon": f"{lon:.6f}",
                "location_type": "0",
                "parent_station": f"st_{pid}",
            }
        )
        trans += stop_translations(f"st_{pid}", en, kana) + stop_translations(pid, en, kana)
    return rows, trans


# --- calendars ------------------------------------------------------------------

MINE_CUT = dt.date(2022, 3, 12)  # 10 -> 9 round trips (service_facts §6)
MINE_LAST = dt.date(2023, 6, 29)  # last day before the suspension (§1)


def sl_yamaguchi_dates() -> list[dt.date]:
    """Run days of SL Yamaguchi.  2024: exact dates from §5 (Sat/Sun/holidays
    5/3-5/26 and 7/13-11/24, not 5/6, plus 8/1-8/2).  2025: Sat/Sun/holidays
    5/3-9/28 except June (§5), autumn modeled to 11/24.  Other years: modeled
    on the 2024 pattern."""

    def offday(d: dt.date) -> bool:
        return d.weekday() >= 5 or is_holiday(d)

    out = []
    for y in range(2020, 2027):
        if y == 2025:
            spans = [(dt.date(y, 5, 3), dt.date(y, 5, 31)), (dt.date(y, 7, 1), dt.date(y, 9, 28)), (dt.date(y, 10, 1), dt.date(y, 11, 24))]
        else:
            spans = [(dt.date(y, 5, 3), dt.date(y, 5, 26)), (dt.date(y, 7, 13), dt.date(y, 11, 24))]
        for a, b in spans:
            for d in daterange(a, b):
                if d.month == 6:
                    continue
                if offday(d) and not (y == 2024 and d == dt.date(2024, 5, 6)):
                    out.append(d)
        if y == 2024:
            out += [dt.date(2024, 8, 1), dt.date(2024, 8, 2)]
    return sorted({d for d in out if FEED_START <= d <= FEED_END})


def build_calendars():
    cal = [
        calendar_row("weekday", "1111100", FEED_START, FEED_END),
        calendar_row("weekend_holiday", "0000011", FEED_START, FEED_END),
        calendar_row("daily", "1111111", FEED_START, FEED_END),
        calendar_row("mine_2019", "1111111", FEED_START, MINE_CUT - dt.timedelta(days=1)),
        calendar_row("mine_2022", "1111111", MINE_CUT, MINE_LAST),
        calendar_row("sl_yamaguchi", "0000000", FEED_START, FEED_END),
    ]
    hol = national_holidays()
    cd = weekday_holiday_exceptions("weekday", "weekend_holiday", hol, FEED_START, FEED_END)
    cd += [{"service_id": "sl_yamaguchi", "date": ymd(d), "exception_type": "1"} for d in sl_yamaguchi_dates()]
    cd.sort(key=lambda r: (r["service_id"], r["date"]))
    return cal, cd


# --- trips ----------------------------------------------------------------------


class Builder:
    def __init__(self):
        self.stations, self.lines = load_stations()
        self.pids = platform_ids(self.stations)
        self.trips: list[Trip] = []

    def profile(self, line_key, keys, reverse=False):
        names = list(self.lines[line_key])
        if reverse:
            names = names[::-1]
        km = cumulative_km(self.stations, line_key, names)
        return Profile(names, km, keys)

    def add(self, route, service, direction, headsign, kind, group, laid, suffix=""):
        t0 = laid[0][2]
        base = f"{route}_{service}_{'d' if direction == 0 else 'u'}_{fmt(t0)[:5].replace(':', '')}"
        tid = base + suffix
        n = 2
        existing = {t.trip_id for t in self.trips}
        while tid in existing:
            tid = f"{base}{suffix}_{n}"
            n += 1
        stops = [(self.pids[(name, group)], a, d) for name, a, d in laid]
        self.trips.append(Trip(tid, route, service, headsign, kind, direction, stops))


def peak(t: int, spans) -> bool:
    return any(hm(a) <= t <= hm(b) for a, b in spans)


def build_sanyo(b: Builder):
    """§2: Tokuyama westbound departures (weekday list), Shimonoseki eastbound
    departures (daily list) clipped to our area, run times Tokuyama-SY 43,
    SY-Ube 23, Ube-Asa 10, Asa-Shimonoseki 34."""
    line = b.lines["sanyo"]
    west = b.profile("sanyo", {"徳山": 0, "新山口": 43, "宇部": 66, "厚狭": 76})
    east = b.profile("sanyo", {"厚狭": 0, "宇部": 10, "新山口": 33, "徳山": 76}, reverse=True)
    dwell_w = {"防府": 1, "新山口": 2, "宇部": 1}
    dwell_e = {"宇部": 1, "新山口": 3, "防府": 1}
    tokuyama_west = [
        "05:35",
        "06:31",
        "07:02",
        "07:27S",
        "07:43S",
        "08:06",
        "08:52",
        "09:59",
        "10:58",
        "11:57",
        "12:57",
        "13:57",
        "14:57",
        "15:55",
        "16:23",
        "16:50",
        "17:27",
        "17:57",
        "18:32",
        "19:03",
        "19:33S",
        "20:00S",
        "20:27",
        "20:55S",
        "21:56",
        "23:16S",
    ]
    holiday_drop = {"07:27S", "07:43S"}  # modeled: weekday peak extras terminating at SY
    for svc in ("weekday", "weekend_holiday"):
        for tok in tokuyama_west:
            if svc == "weekend_holiday" and tok in holiday_drop:
                continue
            t = hm(tok[:5])
            if tok.endswith("S"):
                calls = line[: line.index("新山口") + 1]
                end = hm("24:02") if tok == "23:16S" else None  # §2: Iwakuni 21:47 -> SY 00:02
                laid = lay_out(west, calls, t, dwell_w, end_time=end)
                b.add("sanyo", svc, 0, "新山口", "各駅停車", "sanyo", laid)
            else:
                laid = lay_out(west, line, t, dwell_w)
                b.add("sanyo", svc, 0, "下関", "各駅停車", "sanyo", laid)
        # SY-origin westbound locals (§2: SY 7:03 -> Ube 7:27, towards Shimonoseki)
        for tok in ("05:40", "07:03"):
            calls = line[line.index("新山口") :]
            laid = lay_out(west, calls, hm(tok), dwell_w)
            b.add("sanyo", svc, 0, "下関", "各駅停車", "sanyo", laid)
    # eastbound: Shimonoseki departures + 34 min = Asa
    shimo = [
        "05:36",
        "05:55",
        "06:22",
        "06:54",
        "07:15",
        "07:39",
        "08:11",
        "08:51",
        "09:30",
        "10:30",
        "11:36",
        "12:31",
        "13:25",
        "14:25",
        "15:32",
        "16:08",
        "16:40",
        "17:20",
        "17:53",
        "18:32",
        "19:02",
        "19:35",
        "20:17",
        "21:33",
        "22:13",
    ]
    dests = [
        "徳山",
        "岩国",
        "岩国",
        "徳山",
        "岩国",
        "柳井",
        "岩国",
        "岩国",
        "岩国",
        "岩国",
        "岩国",
        "岩国",
        "岩国",
        "岩国",
        "岩国",
        "徳山",
        "岩国",
        "岩国",
        "下松",
        "岩国",
        "徳山",
        "岩国",
        "岩国",
        "徳山",
        "新山口",
    ]
    long_dwell = {"10:30": 33, "12:31": 12, "14:25": 10}  # 10:30: fact (2021); others modeled (§2 "10-33 min")
    rev = line[::-1]
    for tok, dest in zip(shimo, dests, strict=False):
        t = hm(tok) + 34
        dw = dict(dwell_e)
        if tok in long_dwell:
            dw["新山口"] = long_dwell[tok]
        calls = rev if dest != "新山口" else rev[: rev.index("新山口") + 1]
        laid = lay_out(east, calls, t, dw)
        b.add("sanyo", "daily", 1, dest, "各駅停車", "sanyo", laid)
    # SY-origin eastbound (§2: first train SY 05:03 towards Iwakuni; others modeled)
    for tok, dest in (("05:03", "岩国"), ("06:12", "徳山"), ("22:40", "徳山")):
        calls = rev[rev.index("新山口") :]
        laid = lay_out(east, calls, hm(tok), dwell_e)
        b.add("sanyo", "daily", 1, dest, "各駅停車", "sanyo", laid)


def build_shinkansen(b: Builder):
    """Sanyo Shinkansen calls at Shin-Yamaguchi: 67 a weekday, both directions together, the first at 06:36
    and the last at 23:06 (§10: JR West's timetable of 2026-04-04).  Modeled as every day.

    Kodama (§7): hourly each way, all stopping; 20 westbound pass Tokuyama (daytime :42), the last one
    terminating at SY; 19 eastbound leave Tokuyama (daytime :03).  Tokuyama-SY 15 min, SY-Asa 15-16 min,
    Kokura 06:39 -> SY 07:15 via Shin-Shimonoseki and Asa.  §7 gives the terminating train as Tokuyama 23:12
    (a 2026-06 departure board): that would call at SY at 23:27, after §10's last call, so it leaves
    Tokuyama 22:51 and ends at SY 23:06 here.  The first call at SY (06:36) is an eastbound Kodama starting
    there (the set stabled overnight).

    Fast trains: 67 - 39 Kodama calls = 28 (14 each way), split between Nozomi, Sakura and Mizuho about as §7
    counts them (Nozomi 14 down / 15 up, Sakura 7 / 7, Mizuho 1 down; those counts add up to more than §10's
    total, so only their ratio is used).  Their next stops are out of the area (Hiroshima east, Kokura west;
    see GATEWAYS).  SY-Hiroshima 35 min (§7, fastest train); SY-Kokura 15 min (§7: SY-Hakata about 30 min,
    Hakata-Kokura 15 min).  Their times at SY are ours.
    """
    g = "shinkansen"
    P = lambda n: b.pids[(n, g)]  # noqa: E731
    # Kodama, westbound: times = Tokuyama departure
    west = [f"{h:02d}:42" for h in range(6, 23)] + ["07:12", "18:12"]
    for tok in sorted(west):
        t = hm(tok)
        stops = [(P("徳山"), t - 1, t), (P("新山口"), t + 15, t + 18), (P("厚狭"), t + 34, t + 35), (P("新下関"), t + 44, t + 45)]
        b.trips.append(Trip(f"shinkansen_daily_d_{tok.replace(':', '')}", "sanyo_shinkansen", "daily", "博多", "こだま", 0, stops))
    t = hm("22:51")  # the last call at SY: arrives 23:06 and ends there (§10)
    b.trips.append(Trip("shinkansen_daily_d_2251", "sanyo_shinkansen", "daily", "新山口", "こだま", 0, [(P("徳山"), t - 1, t), (P("新山口"), t + 15, t + 15)]))
    # Kodama, eastbound: times = Tokuyama departure
    dests = ["広島", "新大阪", "岡山"]
    east = [f"{h:02d}:03" for h in range(8, 24)] + ["17:33"]
    for i, tok in enumerate(sorted(east)):
        t = hm(tok)
        stops = [(P("新下関"), t - 46, t - 45), (P("厚狭"), t - 36, t - 35), (P("新山口"), t - 19, t - 16), (P("徳山"), t - 1, t)]
        b.trips.append(Trip(f"shinkansen_daily_u_{tok.replace(':', '')}", "sanyo_shinkansen", "daily", dests[i % 3], "こだま", 1, stops))
    # the first call at SY (§10: 06:36) starts there
    t = hm("06:36")
    b.trips.append(Trip("shinkansen_daily_u_0636", "sanyo_shinkansen", "daily", "広島", "こだま", 1, [(P("新山口"), t, t), (P("徳山"), t + 15, t + 16)]))
    # §7 fact: Kokura 06:39 -> Shin-Shimonoseki -> Asa -> SY 07:15
    b.trips.append(
        Trip(
            "shinkansen_daily_u_0733",
            "sanyo_shinkansen",
            "daily",
            "新大阪",
            "こだま",
            1,
            [
                (P("新下関"), hm("06:47"), hm("06:48")),
                (P("厚狭"), hm("06:58"), hm("06:59")),
                (P("新山口"), hm("07:15"), hm("07:17")),
                (P("徳山"), hm("07:32"), hm("07:33")),
            ],
        )
    )
    # fast trains: (departure at SY, type); 1 min at SY
    fast_west = [
        ("07:16", "のぞみ"),
        ("08:16", "みずほ"),
        ("09:26", "さくら"),
        ("10:54", "のぞみ"),
        ("12:03", "さくら"),
        ("12:54", "のぞみ"),
        ("13:26", "さくら"),
        ("14:54", "のぞみ"),
        ("16:03", "さくら"),
        ("17:16", "のぞみ"),
        ("18:54", "のぞみ"),
        ("20:03", "さくら"),
        ("21:16", "のぞみ"),
        ("22:16", "のぞみ"),
    ]
    fast_east = [
        ("07:02", "のぞみ"),
        ("08:20", "さくら"),
        ("09:05", "のぞみ"),
        ("10:35", "さくら"),
        ("11:40", "のぞみ"),
        ("12:40", "さくら"),
        ("13:40", "のぞみ"),
        ("14:40", "のぞみ"),
        ("15:35", "さくら"),
        ("16:45", "のぞみ"),
        ("17:55", "のぞみ"),
        ("18:40", "さくら"),
        ("19:50", "のぞみ"),
        ("21:10", "のぞみ"),
    ]
    kind_id = {"のぞみ": "nozomi", "さくら": "sakura", "みずほ": "mizuho"}
    for tok, kind in fast_west:
        t = hm(tok)
        stops = [("hiroshima", t - 36, t - 36), (P("新山口"), t - 1, t), ("kokura", t + 15, t + 15)]
        b.trips.append(
            Trip(
                f"shinkansen_daily_d_{kind_id[kind]}_{tok.replace(':', '')}",
                "sanyo_shinkansen",
                "daily",
                "博多" if kind == "のぞみ" else "鹿児島中央",
                kind,
                0,
                stops,
            )
        )
    for tok, kind in fast_east:
        t = hm(tok)
        stops = [("kokura", t - 16, t - 16), (P("新山口"), t - 1, t), ("hiroshima", t + 35, t + 35)]
        b.trips.append(
            Trip(
                f"shinkansen_daily_u_{kind_id[kind]}_{tok.replace(':', '')}",
                "sanyo_shinkansen",
                "daily",
                "東京" if kind == "のぞみ" else "新大阪",
                kind,
                1,
                stops,
            )
        )


def build_ube(b: Builder):
    """§3: 18 SY departures (2025 hand-entered list, last 22:02), SY-Ajisu 19
    (peak 23), SY-Kusae 39 (peak 45), SY-Ube-Shinkawa 53 (peak 61),
    Ube-Shinkawa-Ube 14; first up train Ube-Shinkawa 05:22."""
    line = b.lines["ube"]
    down = b.profile("ube", {"新山口": 0, "阿知須": 19, "草江": 38, "宇部新川": 51, "宇部": 65})
    down_pk = b.profile("ube", {"新山口": 0, "阿知須": 23, "草江": 44, "宇部新川": 59, "宇部": 73})
    up = b.profile("ube", {"宇部": 0, "宇部新川": 14, "草江": 25, "阿知須": 44, "新山口": 64}, reverse=True)
    up_pk = b.profile("ube", {"宇部": 0, "宇部新川": 14, "草江": 27, "阿知須": 49, "新山口": 73}, reverse=True)
    dw = {"阿知須": 1, "草江": 1, "宇部新川": 2}
    sy = [
        "05:55",
        "06:29",
        "06:53",
        "07:24",
        "08:28",
        "09:24",
        "10:19",
        "12:02",
        "13:18",
        "14:40",
        "15:27",
        "16:21",
        "17:11",
        "18:26",
        "19:07",
        "19:57",
        "20:54",
        "22:02",
    ]
    to_ube = {"06:29", "08:28", "15:27", "19:07"}  # modeled: some trains run on to Ube
    hol_drop_down = {"06:53", "17:11"}
    shinkawa_up = [
        "05:22",
        "06:05",
        "06:45",
        "07:15",
        "07:45",
        "08:40",
        "09:50",
        "11:05",
        "12:20",
        "13:40",
        "14:45",
        "15:40",
        "16:35",
        "17:30",
        "18:30",
        "19:25",
        "20:25",
        "21:35",
    ]
    from_ube = {"06:45", "09:50", "16:35", "20:25"}
    hol_drop_up = {"07:15", "17:30"}
    pk_spans = [("06:20", "08:30"), ("16:30", "18:30")]
    rev = line[::-1]
    for svc in ("weekday", "weekend_holiday"):
        for tok in sy:
            if svc == "weekend_holiday" and tok in hol_drop_down:
                continue
            t = hm(tok)
            prof = down_pk if svc == "weekday" and peak(t, pk_spans) else down
            dest = "宇部" if tok in to_ube else "宇部新川"
            calls = line if dest == "宇部" else line[: line.index("宇部新川") + 1]
            b.add("ube", svc, 0, dest, "各駅停車", "ube", lay_out(prof, calls, t, dw))
        for tok in shinkawa_up:
            if svc == "weekend_holiday" and tok in hol_drop_up:
                continue
            t = hm(tok)
            prof = up_pk if svc == "weekday" and peak(t, [("06:30", "08:00"), ("16:30", "18:00")]) else up
            if tok in from_ube:
                calls = rev
                t0 = t - 16  # Ube -> Ube-Shinkawa 14 + 2 min dwell
            else:
                calls = rev[rev.index("宇部新川") :]
                t0 = t
            b.add("ube", svc, 1, "新山口", "各駅停車", "ube", lay_out(prof, calls, t0, dw))
        # short runs Ube-Shinkawa <-> Ube (§3 "short runs Ube-Shinkawa-Ube"; times modeled)
        shorts_d = ["06:40", "07:35", "12:10", "16:40", "17:50", "20:10"]
        shorts_u = ["07:05", "08:00", "12:40", "17:10", "18:20", "20:40"]
        if svc == "weekend_holiday":
            shorts_d = [x for x in shorts_d if x not in ("07:35", "17:50")]
            shorts_u = [x for x in shorts_u if x not in ("08:00", "18:20")]
        for tok in shorts_d:
            b.add("ube", svc, 0, "宇部", "各駅停車", "ube", lay_out(down, line[line.index("宇部新川") :], hm(tok)))
        for tok in shorts_u:
            b.add("ube", svc, 1, "宇部新川", "各駅停車", "ube", lay_out(up, rev[: rev.index("宇部新川") + 1], hm(tok)))


def build_yamaguchi(b: Builder):
    """§5: ~28 round trips SY-Yamaguchi (2022 midday pattern), SY-Yamaguchi 22
    min, Yamaguchi-Tsuwano 68-76 min, SY 18:55 -> Tsuwano 20:48, Tsuwano 5:29
    -> Yamaguchi 6:38 -> SY 7:06, last Yamaguchi->Tsuwano 21:18, last
    Tsuwano->Yamaguchi 20:00, 3-4 h gaps Miyano-Tsuwano; Super Oki 3 round
    trips (66 min Tsuwano-SY, SY 8:53, Tsuwano 9:10 and 13:15); SL Yamaguchi
    (2024 times and stops)."""
    line = b.lines["yamaguchi"]
    rev = line[::-1]
    down = b.profile("yamaguchi", {"新山口": 0, "山口": 22, "宮野": 29, "津和野": 92})
    up = b.profile("yamaguchi", {"津和野": 0, "宮野": 63, "山口": 69, "新山口": 92}, reverse=True)
    dw = {"山口": 2, "宮野": 1, "徳佐": 1, "地福": 1, "長門峡": 1}
    Y, M, T = "山口", "宮野", "津和野"
    sy_down = [
        ("05:55", Y),
        ("06:30", M),
        ("07:00", Y),
        ("07:25", Y),
        ("07:50", M),
        ("08:20", Y),
        ("09:10", Y),
        ("09:40", T),
        ("10:30", M),
        ("11:14", Y),
        ("12:12", M),
        ("13:12", Y),
        ("13:52", T),
        ("14:42", Y),
        ("15:12", M),
        ("15:42", Y),
        ("16:12", Y),
        ("16:42", T),
        ("17:15", Y),
        ("17:45", M),
        ("18:15", Y),
        ("18:55", T),
        ("19:30", M),
        ("20:00", Y),
        ("20:52", T),
        ("21:30", Y),
        ("22:15", Y),
        ("23:00", Y),
    ]
    hol_drop_down = {"07:25", "17:15"}
    yam_up = [
        ("05:40", Y),
        ("06:10", M),
        ("06:41", T),
        ("07:05", Y),
        ("07:30", M),
        ("07:55", Y),
        ("08:25", Y),
        ("09:08", T),
        ("09:45", M),
        ("10:40", Y),
        ("11:30", Y),
        ("12:30", M),
        ("12:55", T),
        ("13:40", Y),
        ("14:10", Y),
        ("14:45", Y),
        ("15:20", M),
        ("15:50", Y),
        ("16:50", T),
        ("17:20", Y),
        ("17:50", Y),
        ("18:20", M),
        ("18:50", Y),
        ("19:25", T),
        ("20:10", Y),
        ("20:45", Y),
        ("21:55", Y),
        ("22:40", Y),
    ]
    hol_drop_up = {"07:05", "17:50"}
    tsuwano_up = {"06:41": "05:29", "09:08": "07:55", "12:55": "11:40", "16:50": "15:35", "19:25": "18:10"}
    for svc in ("weekday", "weekend_holiday"):
        for tok, dest in sy_down:
            if svc == "weekend_holiday" and tok in hol_drop_down:
                continue
            end_idx = line.index(dest)
            calls = line[: end_idx + 1]
            d = dict(dw)
            if tok == "18:55":
                d["山口"] = 18  # §5: SY 18:55 -> Tsuwano 20:48 (1 h 53 min)
            if tok == "20:52":
                d["山口"] = 4  # §5: last Yamaguchi -> Tsuwano 21:18
            end = hm("20:48") if tok == "18:55" else None
            b.add("yamaguchi", svc, 0, dest, "各駅停車", "yamaguchi", lay_out(down, calls, hm(tok), d, end_time=end))
        # Yamaguchi-origin early train to Tsuwano (modeled)
        calls = line[line.index(Y) :]
        b.add("yamaguchi", svc, 0, T, "各駅停車", "yamaguchi", lay_out(down, calls, hm("06:30"), dw))
        for tok, orig in yam_up:
            if svc == "weekend_holiday" and tok in hol_drop_up:
                continue
            t = hm(tok)
            if orig == T:
                calls = rev
                t0 = hm(tsuwano_up[tok])
                fixed = {Y: t - 3}  # arrive Yamaguchi 3 min before the listed departure
                d = dict(dw)
                d[Y] = 3
                end = hm("07:06") if tok == "06:41" else None  # §5 (2026): Yamaguchi 6:41 -> SY 7:06
                laid = lay_out(up, calls, t0, d, fixed=fixed, end_time=end)
            elif orig == M:
                calls = rev[rev.index(M) :]
                laid = lay_out(up, calls, t - 7, dw)
            else:
                calls = rev[rev.index(Y) :]
                laid = lay_out(up, calls, t, dw)
            b.add("yamaguchi", svc, 1, "新山口", "各駅停車", "yamaguchi", laid)
        # last Tsuwano -> Yamaguchi 20:00 (§5), terminates at Yamaguchi
        calls = rev[: rev.index(Y) + 1]
        b.add("yamaguchi", svc, 1, Y, "各駅停車", "yamaguchi", lay_out(up, calls, hm("20:00"), dw))

    # Super Oki: SY, Yuda Onsen, Yamaguchi, Tokusa, Tsuwano (stops modeled), 66 min
    calls_d = ["新山口", "湯田温泉", "山口", "徳佐", "津和野"]
    so_dw = {"湯田温泉": 1, "山口": 2, "徳佐": 1}
    for tok, dest in (("08:53", "米子"), ("13:05", "鳥取"), ("18:10", "米子")):
        t = hm(tok)
        b.add("super_oki", "daily", 0, dest, "特急スーパーおき", "yamaguchi", lay_out(down, calls_d, t, so_dw, end_time=t + 66))
    for tok, dur in (("09:10", 63), ("13:15", 66), ("19:00", 66)):
        t = hm(tok)
        b.add("super_oki", "daily", 1, "新山口", "特急スーパーおき", "yamaguchi", lay_out(up, calls_d[::-1], t, so_dw, end_time=t + dur))

    # SL Yamaguchi (2024 times and stops, §5)
    sl_d = ["新山口", "湯田温泉", "山口", "仁保", "篠目", "長門峡", "地福", "鍋倉", "徳佐", "津和野"]
    sl_dw = {"湯田温泉": 2, "山口": 4, "仁保": 2, "篠目": 2, "長門峡": 2, "地福": 13, "鍋倉": 1, "徳佐": 3}
    b.add("sl_yamaguchi", "sl_yamaguchi", 0, "津和野", "SLやまぐち号", "yamaguchi", lay_out(down, sl_d, hm("10:54"), sl_dw, end_time=hm("13:07")))
    sl_u = ["津和野", "徳佐", "鍋倉", "長門峡", "篠目", "山口", "湯田温泉", "新山口"]
    sl_uw = {"徳佐": 3, "鍋倉": 1, "長門峡": 2, "篠目": 2, "山口": 4, "湯田温泉": 2}
    b.add("sl_yamaguchi", "sl_yamaguchi", 1, "新山口", "SLやまぐち号", "yamaguchi", lay_out(up, sl_u, hm("16:12"), sl_uw, end_time=hm("18:00")))


def build_onoda(b: Builder):
    """§4: 9 round trips, all through to/from Ube-Shinkawa; Ube-Shinkawa-Suzumeda
    14 min, Suzumeda-Onoda 16 min (sources say 19, and Ino-Onoda 25: compromise);
    Motoyama branch 3 round trips (2 around 7h, Suzumeda 18:12), 5 min."""
    line = b.lines["onoda"]
    down = b.profile("onoda", {"宇部新川": 0, "雀田": 14, "小野田": 30})
    up = b.profile("onoda", {"小野田": 0, "雀田": 16, "宇部新川": 30}, reverse=True)
    dw = {"雀田": 1}
    for tok in ["06:10", "07:05", "08:15", "10:20", "12:40", "15:10", "16:40", "17:50", "20:40"]:
        b.add("onoda", "daily", 0, "小野田", "各駅停車", "onoda", lay_out(down, line, hm(tok), dw))
    for tok in ["06:00", "06:55", "07:55", "09:20", "11:30", "14:00", "16:10", "18:00", "19:45"]:
        b.add("onoda", "daily", 1, "宇部新川", "各駅停車", "onoda", lay_out(up, line[::-1], hm(tok), dw))
    br = b.lines["onoda_motoyama"]
    bd = b.profile("onoda_motoyama", {"雀田": 0, "長門本山": 5})
    bu = b.profile("onoda_motoyama", {"長門本山": 0, "雀田": 5}, reverse=True)
    for tok in ("06:30", "07:25", "18:12"):
        b.add("onoda", "daily", 0, "長門本山", "各駅停車", "onoda", lay_out(bd, br, hm(tok)))
    for tok in ("06:45", "07:40", "18:25"):
        b.add("onoda", "daily", 1, "雀田", "各駅停車", "onoda", lay_out(bu, br[::-1], hm(tok)))


def build_sanin(b: Builder):
    """§6: 7 per direction; Masuda departures 05:56 06:30 07:50 09:31 (to
    Higashi-Hagi) 13:11 17:47 19:11; Masuda->Higashi-Hagi 70, ->Hagi 78; the
    09:31 waits at Higashi-Hagi (§6 "waiting 2-4 h"); only our 3 stations."""
    line = b.lines["sanin"]  # 東萩, 萩, 玉江 (east to west)
    west = b.profile("sanin", {"東萩": 0, "萩": 6, "玉江": 10})
    east = b.profile("sanin", {"玉江": 0, "萩": 4, "東萩": 10}, reverse=True)
    for tok in ("05:56", "06:30", "07:50", "13:11", "17:47", "19:11"):
        t = hm(tok) + 70  # arrival at Higashi-Hagi
        laid = lay_out(west, line, t + 2, {"萩": 1})
        laid[0] = (laid[0][0], t, t + 2)
        b.add("sanin", "daily", 0, "長門市", "各駅停車", "sanin", laid)
    b.add("sanin", "daily", 0, "長門市", "各駅停車", "sanin", lay_out(west, line, hm("12:45"), {"萩": 1}))
    for tok, dest in (("05:45", "東萩"), ("06:55", "益田"), ("08:10", "益田"), ("11:20", "益田"), ("15:05", "益田"), ("17:20", "東萩"), ("19:05", "益田")):
        b.add("sanin", "daily", 1, dest, "各駅停車", "sanin", lay_out(east, line[::-1], hm(tok), {"萩": 1}))


def build_mine(b: Builder):
    """§6: before the suspension, 10 round trips (cut to 9 on 2022-03-12),
    Asa-Nagatoshi about 65 min; rail service ends 2023-06-29 (§1)."""
    line = b.lines["mine"]
    down = b.profile("mine", {"厚狭": 0, "美祢": 30, "長門市": 64})
    up = b.profile("mine", {"長門市": 0, "美祢": 34, "厚狭": 64}, reverse=True)
    dw = {"美祢": 1}
    asa = ["05:58", "07:05", "08:30", "10:20", "12:20", "14:15", "16:00", "17:30", "19:00", "20:45"]
    nag = ["05:35", "06:40", "07:50", "09:45", "11:50", "13:45", "15:35", "17:10", "18:45", "20:30"]
    for svc in ("mine_2019", "mine_2022"):
        for tok in asa:
            if svc == "mine_2022" and tok == "12:20":
                continue
            b.add("mine", svc, 0, "長門市", "各駅停車", "mine", lay_out(down, line, hm(tok), dw))
        for tok in nag:
            if svc == "mine_2022" and tok == "11:50":
                continue
            b.add("mine", svc, 1, "厚狭", "各駅停車", "mine", lay_out(up, line[::-1], hm(tok), dw))
        sz = b.lines["mine_senzaki"]
        sd = b.profile("mine_senzaki", {"長門市": 0, "仙崎": 4})
        su = b.profile("mine_senzaki", {"仙崎": 0, "長門市": 4}, reverse=True)
        for tok in ("06:20", "08:05", "12:40", "17:55"):
            b.add("mine", svc, 0, "仙崎", "各駅停車", "mine", lay_out(sd, sz, hm(tok)))
        for tok in ("06:30", "08:15", "12:50", "18:05"):
            b.add("mine", svc, 1, "長門市", "各駅停車", "mine", lay_out(su, sz[::-1], hm(tok)))


# --- assemble -------------------------------------------------------------------


def build():
    b = Builder()
    build_shinkansen(b)
    build_sanyo(b)
    build_ube(b)
    build_yamaguchi(b)
    build_onoda(b)
    build_sanin(b)
    build_mine(b)

    stops, trans = build_stops(b.stations, b.pids)
    extra_stops, extra_trans = gateway_stops()
    stops += extra_stops
    trans += extra_trans
    # fares (§3, busmagazine in §8): two sourced OD fares only; zones on those stops
    zones = {"shinyamaguchi": "z_shinyamaguchi", "kusae": "z_kusae", "yamaguchi": "z_yamaguchi"}
    for r in stops:
        r["zone_id"] = zones.get(r["stop_id"], "")
        r["platform_code"] = ""
    fare_attr = [
        {
            "fare_id": "jr_sy_kusae",
            "price": "420",
            "currency_type": "JPY",
            "payment_method": "1",
            "transfers": "0",
            "agency_id": "jrwest",
            "transfer_duration": "",
        },
        {
            "fare_id": "jr_sy_yamaguchi",
            "price": "240",
            "currency_type": "JPY",
            "payment_method": "1",
            "transfers": "0",
            "agency_id": "jrwest",
            "transfer_duration": "",
        },
    ]
    fare_rules = []
    for fid, route, a, z in (("jr_sy_kusae", "ube", "z_shinyamaguchi", "z_kusae"), ("jr_sy_yamaguchi", "yamaguchi", "z_shinyamaguchi", "z_yamaguchi")):
        fare_rules.append({"fare_id": fid, "route_id": route, "origin_id": a, "destination_id": z, "contains_id": ""})
        fare_rules.append({"fare_id": fid, "route_id": route, "origin_id": z, "destination_id": a, "contains_id": ""})

    agency = [
        {
            "agency_id": "jrwest",
            "agency_name": "西日本旅客鉄道",
            "agency_url": "https://www.westjr.co.jp/",
            "agency_timezone": "Asia/Tokyo",
            "agency_lang": "ja",
            "agency_phone": "",
            "agency_fare_url": "",
        }
    ]
    agency_jp = [
        {
            "agency_id": "jrwest",
            "agency_official_name": "西日本旅客鉄道株式会社",
            "agency_zip_number": "",
            "agency_address": "",
            "agency_president_pos": "",
            "agency_president_name": "",
        }
    ]
    trans.append(translation("agency", "agency_name", "West Japan Railway Company (JR West)", record_id="jrwest"))
    routes = []
    for rid, short, long, long_en, short_en, color, tcolor in ROUTES:
        routes.append(
            {
                "route_id": rid,
                "agency_id": "jrwest",
                "route_short_name": short,
                "route_long_name": long,
                "route_desc": "modeled timetable (not official)",
                "route_type": "2",
                "route_url": "",
                "route_color": color,
                "route_text_color": tcolor,
                "jp_parent_route_id": "",
            }
        )
        trans.append(translation("routes", "route_long_name", long_en, record_id=rid))
        trans.append(translation("routes", "route_short_name", short_en, record_id=rid))
    trips, stop_times = [], []
    for t in sorted(b.trips, key=lambda t: t.trip_id):
        trips.append(
            {
                "route_id": t.route_id,
                "service_id": t.service_id,
                "trip_id": t.trip_id,
                "trip_headsign": t.headsign,
                "trip_short_name": t.short_name,
                "direction_id": str(t.direction_id),
                "block_id": "",
                "shape_id": "",
                "wheelchair_accessible": "",
                "bikes_allowed": "",
            }
        )
        for seq, (sid, a, d) in enumerate(t.stops, start=1):
            stop_times.append(
                {
                    "trip_id": t.trip_id,
                    "arrival_time": fmt(a),
                    "departure_time": fmt(d),
                    "stop_id": sid,
                    "stop_sequence": str(seq),
                    "stop_headsign": "",
                    "pickup_type": "",
                    "drop_off_type": "",
                }
            )
    for hs in sorted({t.headsign for t in b.trips}):
        trans.append(translation("trips", "trip_headsign", HEADSIGN_EN[hs], field_value=hs))
    for kind in sorted({t.short_name for t in b.trips}):
        trans.append(translation("trips", "trip_short_name", TYPE_EN[kind], field_value=kind))
    cal, cd = build_calendars()
    T = {
        "agency.txt": (AGENCY_FIELDS, agency),
        "agency_jp.txt": (AGENCY_JP_FIELDS, agency_jp),
        "stops.txt": (
            [
                "stop_id",
                "stop_code",
                "stop_name",
                "stop_desc",
                "stop_lat",
                "stop_lon",
                "zone_id",
                "stop_url",
                "location_type",
                "parent_station",
                "stop_timezone",
                "wheelchair_boarding",
                "platform_code",
            ],
            stops,
        ),
        "routes.txt": (ROUTES_FIELDS, routes),
        "trips.txt": ([*TRIPS_FIELDS, "block_id", "shape_id", "wheelchair_accessible", "bikes_allowed"], trips),
        "stop_times.txt": (STOP_TIMES_FIELDS, stop_times),
        "calendar.txt": (CALENDAR_FIELDS, cal),
        "calendar_dates.txt": (CALENDAR_DATES_FIELDS, cd),
        "fare_attributes.txt": (FARE_ATTRIBUTES_FIELDS, fare_attr),
        "fare_rules.txt": (FARE_RULES_FIELDS, fare_rules),
        "feed_info.txt": (FEED_INFO_FIELDS, feed_info("maas project: MODELED timetable, not an official JR West timetable", FEED_VERSION)),
        "translations.txt": (TRANSLATIONS_FIELDS, trans),
    }
    return T
