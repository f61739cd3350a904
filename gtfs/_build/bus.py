"""gtfs/bus: modeled bus lines useful to visitors (service_facts.md §1, §6, §8).

Every timetable here is MODELED.  Stop positions are never invented: each stop
sits at a sourced station position, a sourced POI (pois_reference.csv), the
airport reference point (places_yamaguchi.csv) or a stop of the official
ＪＲバス中国 feed (gtfs/jrbus), and stop_desc says which.

Chugoku JR Bus's own service is not modeled: its official feed (gtfs/jrbus)
carries it (防長線, 秋吉線, the Akiyoshido loop and its スーパーはぎ号 trips).
Of the jointly run スーパーはぎ号 only the share that feed does not carry is
modeled here (see build_trips).
"""

from __future__ import annotations

import datetime as dt
import itertools

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
    TRIPS_FIELDS,
    calendar_row,
    daterange,
    feed_info,
    fmt,
    hm,
    national_holidays,
    read_csv,
    shared_data_dir,
    ymd,
)
from jrbus_facts import pole_position, super_hagi_days, super_hagi_trips
from stations import load_stations

from maas.geo import haversine_m

MINE_BUS_START = dt.date(2023, 6, 30)

AGENCIES = [
    # id, name, url, official name, English name, kana
    ("bocho", "防長交通", "https://www.bochobus.co.jp/", "防長交通株式会社", "Bocho Kotsu (Bocho Bus)", "ぼうちょうこうつう"),
    ("ubecity", "宇部市交通局", "https://www.city.ube.yamaguchi.jp/", "宇部市交通局", "Ube City Transport Bureau", "うべしこうつうきょく"),
    ("jrwest", "西日本旅客鉄道", "https://www.westjr.co.jp/", "西日本旅客鉄道株式会社", "West Japan Railway Company (JR West)", "にしにほんりょかくてつどう"),
]

STATION_STOP = "position = station position (TrainLCD/StationAPI {cd}); the bus stop itself is nearby (approximate)"

# stop_id -> (name_ja, name_en, kana, kind, key)  kind: station | poi | airport | official (key = stop_name in gtfs/jrbus)
STOPS = {
    "bus_shinyamaguchi": ("新山口駅", "Shin-Yamaguchi Station", "しんやまぐちえき", "station", "新山口"),
    "bus_higashihagi_eki": ("東萩駅", "Higashi-Hagi Station", "ひがしはぎえき", "station", "東萩"),
    "bus_hagi_eki": ("萩駅", "Hagi Station", "はぎえき", "station", "萩"),
    "bus_tamae_eki": ("玉江駅", "Tamae Station", "たまええき", "station", "玉江"),
    "bus_ube_shinkawa_eki": ("宇部新川駅", "Ube-Shinkawa Station", "うべしんかわえき", "station", "宇部新川"),
    "bus_asa_eki": ("厚狭駅", "Asa Station", "あさえき", "station", "厚狭"),
    "bus_atsu_eki": ("厚保駅", "Atsu Station", "あつえき", "station", "厚保"),
    "bus_shirogahara_eki": ("四郎ケ原駅", "Shirogahara Station", "しろうがはらえき", "station", "四郎ケ原"),
    "bus_minamiomine_eki": ("南大嶺駅", "Minami-Omine Station", "みなみおおみねえき", "station", "南大嶺"),
    "bus_mine_eki": ("美祢駅", "Mine Station", "みねえき", "station", "美祢"),
    "bus_shigeyasu_eki": ("重安駅", "Shigeyasu Station", "しげやすえき", "station", "重安"),
    "bus_ofuku_eki": ("於福駅", "Ofuku Station", "おふくえき", "station", "於福"),
    "bus_shibuki_eki": ("渋木駅", "Shibuki Station", "しぶきえき", "station", "渋木"),
    "bus_nagatoyumoto_eki": ("長門湯本駅", "Nagato-Yumoto Station", "ながとゆもとえき", "station", "長門湯本"),
    "bus_itamochi_eki": ("板持駅", "Itamochi Station", "いたもちえき", "station", "板持"),
    "bus_nagatoshi_eki": ("長門市駅", "Nagatoshi Station", "ながとしえき", "station", "長門市"),
    "bus_yudaonsen": ("湯田温泉", "Yuda Onsen", "ゆだおんせん", "poi", "湯田温泉観光案内所"),
    "bus_kencho_mae": ("県庁前", "Kencho-mae (Prefectural Office)", "けんちょうまえ", "official", "山口県庁前"),
    "bus_akiyoshido": ("秋芳洞", "Akiyoshido Cave (bus terminal)", "あきよしどう", "official", "秋芳洞"),
    "bus_hagi_meirin": ("萩・明倫センター", "Hagi Meirin Center", "はぎめいりんせんたー", "official", "萩・明倫センター"),
    "bus_hagi_bus_center": ("萩バスセンター", "Hagi Bus Center", "はぎばすせんたー", "official", "萩バスセンター"),
    "bus_shoin_jinja": ("松陰神社前", "Shoin Shrine", "しょういんじんじゃまえ", "poi", "松陰神社"),
    "bus_togei_no_mura": ("陶芸の村公園", "Togei no Mura Park", "とうげいのむらこうえん", "poi", "萩・陶芸の村公園"),
    "bus_hagi_hansharo": ("萩反射炉", "Hagi Reverberatory Furnace", "はぎはんしゃろ", "poi", "萩反射炉"),
    "bus_hagi_seamart": ("萩しーまーと", "Hagi Sea Mart", "はぎしーまーと", "poi", "道の駅 萩しーまーと"),
    "bus_hagi_museum": ("萩博物館前", "Hagi Museum", "はぎはくぶつかんまえ", "poi", "萩博物館"),
    "bus_horiuchi": ("堀内（外濠公園）", "Horiuchi (Sotobori Park)", "ほりうち", "poi", "外濠公園（堀内地区）"),
    "bus_shizuki_koen": ("指月公園入口", "Shizuki Park (Hagi Castle Ruins)", "しづきこうえんいりぐち", "poi", "萩城跡指月公園"),
    "bus_tokiwa_koen": ("ときわ公園入口", "Tokiwa Park Entrance", "ときわこうえんいりぐち", "poi", "ときわ公園（正面入口）"),
    "bus_ube_airport": ("山口宇部空港", "Yamaguchi Ube Airport", "やまぐちうべくうこう", "airport", "山口宇部空港"),
}

# extra words for POI-placed stops
POI_DESC = {
    "bus_yudaonsen": "position = Yuda Onsen Tourist Information (pois_reference.csv); the Yuda Onsen bus stop is nearby (approximate)",
    "bus_shoin_jinja": "position = Shoin Shrine (Ritsushi-den hall in the grounds), pois_reference.csv; the stop is nearby (approximate)",
    "bus_togei_no_mura": "position = Hagi Togei no Mura Park, pois_reference.csv; the stop is nearby (approximate)",
    "bus_hagi_hansharo": "position = Hagi Reverberatory Furnace, pois_reference.csv; the stop is nearby (approximate)",
    "bus_hagi_seamart": "position = Michi-no-Eki Hagi Sea Mart, pois_reference.csv; the stop is nearby (approximate)",
    "bus_hagi_museum": "position = Hagi Museum (prefecture dataset; verify), pois_reference.csv; the stop is nearby (approximate)",
    "bus_horiuchi": "position = Sotobori Park in the Horiuchi samurai district, pois_reference.csv; the stop is nearby (approximate)",
    "bus_shizuki_koen": "position = evacuation point inside Shizuki Park (sources disagree by 535 m; verify), "
    "pois_reference.csv; the stop is nearby (approximate)",
    "bus_tokiwa_koen": "position = Tokiwa Park main entrance, pois_reference.csv; the Tokiwa Koen Iriguchi stop is nearby (approximate)",
    "bus_ube_airport": "position = aerodrome reference point of UBJ (OpenFlights id 2296, ODbL), not the terminal bus stop (approximate, within about 1 km)",
}

ROUTES = [
    # route_id, agency, short, long, long_en, color
    ("bocho_akiyoshido", "bocho", "秋芳洞線", "新山口駅〜秋芳洞", "Shin-Yamaguchi Station - Akiyoshido Cave", "8C6E3F"),
    (
        "bocho_superhagi",
        "bocho",
        "スーパーはぎ号",
        "スーパーはぎ号（新山口駅〜萩・明倫センター〜萩バスセンター〜東萩駅）",
        "Super Hagi express bus (Shin-Yamaguchi - Hagi Meirin Center - Hagi Bus Center - Higashi-Hagi)",
        "1B7F3B",
    ),
    ("ubecity_airport_sy", "ubecity", "空港連絡バス", "新山口駅〜山口宇部空港", "Airport bus Shin-Yamaguchi - Yamaguchi Ube Airport", "005BAC"),
    ("ubecity_airport_shinkawa", "ubecity", "空港線", "宇部新川駅〜山口宇部空港", "Airport bus Ube-Shinkawa - Yamaguchi Ube Airport", "3A8FD8"),
    ("ubecity_tokiwa", "ubecity", "ときわ公園線", "宇部新川駅〜ときわ公園入口", "Ube-Shinkawa - Tokiwa Park", "00A497"),
    ("bocho_yuda", "bocho", "湯田温泉線", "新山口駅〜湯田温泉〜県庁前", "Shin-Yamaguchi - Yuda Onsen - Kencho-mae", "D7003A"),
    ("hagi_maaru_east", "bocho", "まぁーるバス東回り", "萩循環まぁーるバス 東回り（松陰先生）", "Hagi Maaru loop bus, East loop (Shoin-sensei)", "F39800"),
    ("hagi_maaru_west", "bocho", "まぁーるバス西回り", "萩循環まぁーるバス 西回り（晋作くん）", "Hagi Maaru loop bus, West loop (Shinsaku-kun)", "6E2C8C"),
    (
        "jrwest_mine_bus",
        "jrwest",
        "美祢線代行バス",
        "美祢線 代行バス（厚狭駅〜美祢駅〜長門市駅）",
        "Mine Line replacement bus (Asa - Mine - Nagatoshi)",
        "6AB42D",
    ),
]

HEADSIGN_EN = {name: en for name, en, *_ in STOPS.values()}
HEADSIGN_EN.update({"東回り（松陰先生）": "East loop (Shoin-sensei)", "西回り（晋作くん）": "West loop (Shinsaku-kun)"})
HEADSIGN_KANA = {"東回り（松陰先生）": "ひがしまわり（しょういんせんせい）", "西回り（晋作くん）": "にしまわり（しんさくくん）"}


def load_positions():
    stations, lines = load_stations()
    pois = {r["name_ja"]: r for r in read_csv(shared_data_dir() / "pois_reference.csv")}
    places = {r["name_ja"]: r for r in read_csv(shared_data_dir() / "places_yamaguchi.csv")}
    out = {}
    for sid, (_name, _en, _kana, kind, key) in STOPS.items():
        if kind == "station":
            st = stations[key]
            g = sorted(st.positions, key=lambda g: (g == "shinkansen", g))[0]
            lat, lon, src = st.positions[g]
            desc = STATION_STOP.format(cd=src.split()[-1])
        elif kind == "poi":
            r = pois[key]
            lat, lon = float(r["lat"]), float(r["lon"])
            desc = POI_DESC[sid]
        elif kind == "official":
            lat, lon, desc = pole_position(key)
        else:
            r = places[key]
            lat, lon = float(r["lat"]), float(r["lon"])
            desc = POI_DESC[sid]
        out[sid] = (lat, lon, desc)
    return out, stations, lines


class Trips:
    def __init__(self):
        self.trips = []  # (trip dict, [(stop_id, arr, dep)])

    def add(self, route, service, direction, headsign, pattern, t0, suffix=""):
        """pattern: [(stop_id, offset_min)]"""
        stops = [(sid, t0 + off, t0 + off) for sid, off in pattern]
        tid = f"{route}_{service}_{direction}_{fmt(t0)[:5].replace(':', '')}{suffix}"
        assert tid not in {t["trip_id"] for t, _ in self.trips}, tid
        self.trips.append(
            (
                {"route_id": route, "service_id": service, "trip_id": tid, "trip_headsign": headsign, "trip_short_name": "", "direction_id": str(direction)},
                stops,
            )
        )


def distance_pattern(pos, stop_ids, total):
    d = [0.0]
    for a, b in itertools.pairwise(stop_ids):
        d.append(d[-1] + float(haversine_m(pos[a][0], pos[a][1], pos[b][0], pos[b][1])))
    return [(s, round(total * x / d[-1])) for s, x in zip(stop_ids, d, strict=False)]


def every(start, end, step):
    t = hm(start)
    out = []
    while t <= hm(end):
        out.append(t)
        t += step
    return out


def build_trips(pos):
    T = Trips()
    SY = "bus_shinyamaguchi"
    # Akiyoshido (§8): ~1/h out, ~every 2 h back, 37-45 min; daily
    for t in every("07:45", "17:45", 60):
        T.add("bocho_akiyoshido", "bus_daily", 0, "秋芳洞", [(SY, 0), ("bus_akiyoshido", 40)], t)
    for tok in ("09:40", "11:40", "13:40", "15:40", "17:10", "18:40"):
        T.add("bocho_akiyoshido", "bus_daily", 1, "新山口駅", [("bus_akiyoshido", 0), (SY, 42)], hm(tok))
    # Super Hagi (§8): 6 express round trips a day, run jointly by Bocho Kotsu and Chugoku JR Bus; 60 / 67 / 70 min.
    # Chugoku JR Bus's trips are in its official feed (gtfs/jrbus): 2 round trips on the days that feed gives
    # (Saturdays, and some summer weekdays).  Modeled here: the rest.  Of our 6 modeled departures each way, the
    # one nearest in time to each official departure runs only on days without official Super Hagi trips
    # (service superhagi_no_jrbus); the other 4 run daily.  Running times between the stops: the official trips'.
    official = super_hagi_trips()
    out_calls = next(t.calls for t in official if t.first == "新山口駅")
    back_calls = next(t.calls for t in official if t.first == "東萩")
    ids = {"新山口駅": SY, "萩・明倫センター": "bus_hagi_meirin", "萩バスセンター": "bus_hagi_bus_center", "東萩": "bus_higashihagi_eki"}
    out_pattern = [(ids[n], m - out_calls[0][1]) for n, m in out_calls]
    back_pattern = [(ids[n], m - back_calls[0][1]) for n, m in back_calls]
    for direction, head, pattern, first, toks in (
        (0, "東萩駅", out_pattern, "新山口駅", ("07:30", "09:30", "11:30", "13:30", "16:00", "18:30")),
        (1, "新山口駅", back_pattern, "東萩", ("06:30", "08:30", "10:30", "13:00", "15:30", "17:30")),
    ):
        mine = [hm(t) for t in toks]
        theirs = sorted({t.start for t in official if t.first == first})
        yield_to_official = {min(mine, key=lambda m, o=o: (abs(m - o), m)) for o in theirs}
        assert len(yield_to_official) == len(theirs), (theirs, yield_to_official)
        for t in mine:
            T.add("bocho_superhagi", "superhagi_no_jrbus" if t in yield_to_official else "bus_daily", direction, head, pattern, t)
    # Airport - SY (§8 and the 2026 airport timetable noted in feeds/PROVENANCE.md): 9 each way, 30-32 min
    A = "bus_ube_airport"
    for tok in ["06:25", "08:15", "09:05", "11:20", "13:30", "14:00", "16:45", "17:35", "18:40"]:
        T.add("ubecity_airport_sy", "bus_daily", 0, "山口宇部空港", [(SY, 0), (A, 30)], hm(tok))
    for tok in ["09:15", "10:05", "12:30", "14:40", "14:55", "17:50", "18:45", "19:40", "21:05"]:
        T.add("ubecity_airport_sy", "bus_daily", 1, "新山口駅", [(A, 0), (SY, 32)], hm(tok))
    # Airport - Ube-Shinkawa: 18 trips a day (9 each way), 16-17 min
    U = "bus_ube_shinkawa_eki"
    for tok in ["06:40", "08:35", "09:25", "11:40", "13:45", "14:15", "17:00", "17:55", "18:55"]:
        T.add("ubecity_airport_shinkawa", "bus_daily", 0, "山口宇部空港", [(U, 0), (A, 16)], hm(tok))
    for tok in ["09:15", "10:05", "12:30", "14:40", "14:55", "17:50", "18:45", "19:40", "21:05"]:
        T.add("ubecity_airport_shinkawa", "bus_daily", 1, "宇部新川駅", [(A, 0), (U, 17)], hm(tok))
    # Ube-Shinkawa - Tokiwa Park (§8): 15 min; frequency not found -> 2/h weekdays, 1/h otherwise (modeled)
    for svc, step, a, b in (("bus_weekday", 30, "07:00", "19:30"), ("bus_saturday", 60, "08:00", "19:00"), ("bus_sunday_holiday", 60, "08:00", "19:00")):
        for t in every(a, b, step):
            T.add("ubecity_tokiwa", svc, 0, "ときわ公園入口", [(U, 0), ("bus_tokiwa_koen", 15)], t)
            T.add("ubecity_tokiwa", svc, 1, "宇部新川駅", [("bus_tokiwa_koen", 0), (U, 15)], t + 20)
    # SY - Yuda Onsen - Kencho-mae (§8): every 20-30 min, 45 min, 670 yen
    K, Yd = "bus_kencho_mae", "bus_yudaonsen"
    for svc, step in (("bus_weekday", 30), ("bus_saturday", 60), ("bus_sunday_holiday", 60)):
        for t in every("07:00", "20:00", step):
            T.add("bocho_yuda", svc, 0, "県庁前", [(SY, 0), (Yd, 30), (K, 45)], t)
        for t in every("06:30", "19:30", step):
            T.add("bocho_yuda", svc, 1, "新山口駅", [(K, 0), (Yd, 15), (SY, 45)], t)
    # Hagi Maaru loops (§8): every 30 min 07:00-18:00, ~60 min a loop, start/end at the Meirin/City Hall stop
    east = ["bus_hagi_meirin", "bus_higashihagi_eki", "bus_shoin_jinja", "bus_togei_no_mura", "bus_hagi_hansharo", "bus_hagi_seamart", "bus_hagi_meirin"]
    west = ["bus_hagi_meirin", "bus_horiuchi", "bus_hagi_museum", "bus_shizuki_koen", "bus_tamae_eki", "bus_hagi_eki", "bus_hagi_meirin"]
    # Hagi City Hall (the loops' start and end) has no sourced position, so the loop is timed over the whole
    # circuit from the City Hall area (the Meirin proxy point) but that stop is left out of the trips.
    pe, pw = distance_pattern(pos, east, 60)[1:-1], distance_pattern(pos, west, 60)[1:-1]
    for t in every("07:00", "17:00", 30):
        for route, hs, pat in (("hagi_maaru_east", "東回り（松陰先生）", pe), ("hagi_maaru_west", "西回り（晋作くん）", pw)):
            first = pat[0][1]
            T.add(route, "bus_daily", 0, hs, [(s, off - first) for s, off in pat], t + first)
    # Mine Line replacement bus (§1, §6): from 2023-06-30, 19 runs a weekday (both directions together),
    # 15-20 min slower than the 65-min train -> 83 min; Yunoto not served (taxi)
    mine = [
        "bus_asa_eki",
        "bus_atsu_eki",
        "bus_shirogahara_eki",
        "bus_minamiomine_eki",
        "bus_mine_eki",
        "bus_shigeyasu_eki",
        "bus_ofuku_eki",
        "bus_shibuki_eki",
        "bus_nagatoyumoto_eki",
        "bus_itamochi_eki",
        "bus_nagatoshi_eki",
    ]
    pm, pr = distance_pattern(pos, mine, 83), distance_pattern(pos, mine[::-1], 83)
    down = ["06:00", "07:10", "08:40", "10:30", "12:30", "14:20", "15:50", "17:10", "18:40", "20:20"]
    up = ["05:40", "06:50", "08:10", "10:00", "12:00", "14:00", "16:00", "17:40", "19:20"]
    for svc in ("minebus_weekday", "minebus_weekend_holiday"):
        for tok in down:
            if svc == "minebus_weekend_holiday" and tok in ("07:10", "17:10"):
                continue
            T.add("jrwest_mine_bus", svc, 0, "長門市駅", pm, hm(tok))
        for tok in up:
            if svc == "minebus_weekend_holiday" and tok == "06:50":
                continue
            T.add("jrwest_mine_bus", svc, 1, "厚狭駅", pr, hm(tok))
    return T


FARES = [
    # fare_id, price, agency, rules [(route, origin, destination)] (origin/destination None = any)
    ("akiyoshido_1170", 1170, "bocho", [("bocho_akiyoshido", None, None)]),
    (
        "superhagi_2090",
        2090,
        "bocho",
        [
            ("bocho_superhagi", "bus_shinyamaguchi", "bus_hagi_meirin"),
            ("bocho_superhagi", "bus_shinyamaguchi", "bus_hagi_bus_center"),
            ("bocho_superhagi", "bus_shinyamaguchi", "bus_higashihagi_eki"),
            ("bocho_superhagi", "bus_hagi_meirin", "bus_shinyamaguchi"),
            ("bocho_superhagi", "bus_hagi_bus_center", "bus_shinyamaguchi"),
            ("bocho_superhagi", "bus_higashihagi_eki", "bus_shinyamaguchi"),
        ],
    ),
    ("airport_sy_890", 890, "ubecity", [("ubecity_airport_sy", None, None)]),
    ("airport_shinkawa_310", 310, "ubecity", [("ubecity_airport_shinkawa", None, None)]),
    ("tokiwa_260", 260, "ubecity", [("ubecity_tokiwa", None, None)]),
    ("yuda_sy_kencho_670", 670, "bocho", [("bocho_yuda", "bus_shinyamaguchi", "bus_kencho_mae"), ("bocho_yuda", "bus_kencho_mae", "bus_shinyamaguchi")]),
    ("hagi_maaru_100", 100, "bocho", [("hagi_maaru_east", None, None), ("hagi_maaru_west", None, None)]),
]


def build_calendars():
    hol = set(national_holidays())
    yearend = {d for d in daterange(FEED_START, FEED_END) if (d.month == 12 and d.day == 31) or (d.month == 1 and d.day <= 3)}
    off = hol | yearend  # modeled: buses run the Sunday/holiday timetable on 12/31-1/3
    cal = [
        calendar_row("bus_weekday", "1111100", FEED_START, FEED_END),
        calendar_row("bus_saturday", "0000010", FEED_START, FEED_END),
        calendar_row("bus_sunday_holiday", "0000001", FEED_START, FEED_END),
        calendar_row("bus_daily", "1111111", FEED_START, FEED_END),
        calendar_row("minebus_weekday", "1111100", MINE_BUS_START, FEED_END),
        calendar_row("minebus_weekend_holiday", "0000011", MINE_BUS_START, FEED_END),
        calendar_row("superhagi_no_jrbus", "1111111", FEED_START, FEED_END),
    ]
    cd = []
    for d in sorted(off):
        wd = d.weekday()
        if wd == 6:
            continue
        cd.append({"service_id": "bus_saturday" if wd == 5 else "bus_weekday", "date": ymd(d), "exception_type": "2"})
        cd.append({"service_id": "bus_sunday_holiday", "date": ymd(d), "exception_type": "1"})
    for d in sorted(hol):
        if d >= MINE_BUS_START and d.weekday() < 5:
            cd.append({"service_id": "minebus_weekday", "date": ymd(d), "exception_type": "2"})
            cd.append({"service_id": "minebus_weekend_holiday", "date": ymd(d), "exception_type": "1"})
    for d in sorted(super_hagi_days()):  # the official Super Hagi trips run: the modeled share steps aside
        if FEED_START <= d <= FEED_END:
            cd.append({"service_id": "superhagi_no_jrbus", "date": ymd(d), "exception_type": "2"})
    cd.sort(key=lambda r: (r["service_id"], r["date"]))
    return cal, cd


def build():
    pos, _stations, _lines = load_positions()
    T = build_trips(pos)
    used = {s for _, st in T.trips for s, _, _ in st}
    assert used == set(STOPS), set(STOPS) ^ used
    stops, trans = [], []

    def tr(ja, en, kana=""):
        if kana:
            trans.append({"trans_id": ja, "lang": "ja-Hrkt", "translation": kana})
        trans.append({"trans_id": ja, "lang": "en", "translation": en})

    for sid in sorted(STOPS):
        name, en, kana, _kind, _key = STOPS[sid]
        lat, lon, desc = pos[sid]
        stops.append(
            {
                "stop_id": sid,
                "stop_code": "",
                "stop_name": name,
                "stop_desc": desc,
                "stop_lat": f"{lat:.6f}",
                "stop_lon": f"{lon:.6f}",
                "zone_id": sid,
                "stop_url": "",
                "location_type": "0",
                "parent_station": "",
                "platform_code": "",
            }
        )
    seen = set()
    for sid in sorted(STOPS):
        name, en, kana, *_ = STOPS[sid]
        if name not in seen:
            seen.add(name)
            tr(name, en, kana)
    agency, agency_jp = [], []
    for aid, name, url, official, en, kana in AGENCIES:
        agency.append(
            {
                "agency_id": aid,
                "agency_name": name,
                "agency_url": url,
                "agency_timezone": "Asia/Tokyo",
                "agency_lang": "ja",
                "agency_phone": "",
                "agency_fare_url": "",
            }
        )
        agency_jp.append(
            {
                "agency_id": aid,
                "agency_official_name": official,
                "agency_zip_number": "",
                "agency_address": "",
                "agency_president_pos": "",
                "agency_president_name": "",
            }
        )
        tr(name, en, kana)
    routes = []
    for rid, aid, short, long, long_en, color in ROUTES:
        routes.append(
            {
                "route_id": rid,
                "agency_id": aid,
                "route_short_name": short,
                "route_long_name": long,
                "route_desc": "modeled timetable (not official)",
                "route_type": "3",
                "route_url": "",
                "route_color": color,
                "route_text_color": "FFFFFF",
                "jp_parent_route_id": "",
            }
        )
        tr(long, long_en)
    short_en = {
        "秋芳洞線": "Akiyoshido Line",
        "スーパーはぎ号": "Super Hagi",
        "空港連絡バス": "Airport Bus",
        "空港線": "Airport Line",
        "ときわ公園線": "Tokiwa Park Line",
        "湯田温泉線": "Yuda Onsen Line",
        "まぁーるバス東回り": "Maaru Bus East loop",
        "まぁーるバス西回り": "Maaru Bus West loop",
        "美祢線代行バス": "Mine Line replacement bus",
    }
    for _, _, short, *_ in ROUTES:
        tr(short, short_en[short])
    trips, stop_times = [], []
    for trip, st in sorted(T.trips, key=lambda x: x[0]["trip_id"]):
        trips.append(trip)
        for seq, (sid, a, d) in enumerate(st, start=1):
            stop_times.append(
                {
                    "trip_id": trip["trip_id"],
                    "arrival_time": fmt(a),
                    "departure_time": fmt(d),
                    "stop_id": sid,
                    "stop_sequence": str(seq),
                    "stop_headsign": "",
                    "pickup_type": "",
                    "drop_off_type": "",
                }
            )
    for hs in sorted({t["trip_headsign"] for t in trips}):
        if hs not in seen:
            seen.add(hs)
            tr(hs, HEADSIGN_EN[hs], HEADSIGN_KANA.get(hs, ""))
    fare_attr, fare_rules = [], []
    for fid, price, aid, rules in FARES:
        fare_attr.append(
            {"fare_id": fid, "price": str(price), "currency_type": "JPY", "payment_method": "0", "transfers": "0", "agency_id": aid, "transfer_duration": ""}
        )
        for route, o, d in rules:
            fare_rules.append({"fare_id": fid, "route_id": route, "origin_id": o or "", "destination_id": d or "", "contains_id": ""})
    cal, cd = build_calendars()
    return {
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
                "platform_code",
            ],
            stops,
        ),
        "routes.txt": (ROUTES_FIELDS, routes),
        "trips.txt": (TRIPS_FIELDS, trips),
        "stop_times.txt": (STOP_TIMES_FIELDS, stop_times),
        "calendar.txt": (CALENDAR_FIELDS, cal),
        "calendar_dates.txt": (CALENDAR_DATES_FIELDS, cd),
        "fare_attributes.txt": (FARE_ATTRIBUTES_FIELDS, fare_attr),
        "fare_rules.txt": (FARE_RULES_FIELDS, fare_rules),
        "feed_info.txt": (
            FEED_INFO_FIELDS,
            feed_info("maas project: MODELED bus timetables, not official timetables of any operator", "modeled-2026.1 (not an official timetable)"),
        ),
        "translations.txt": (["trans_id", "lang", "translation"], trans),
    }
