"""Build pois/pois.geojson and pois/pois.csv from the shared POI reference.

Usage (from the repository root, with the project's environment):

    .venv/bin/python pois/_build/build_pois.py             # writes pois/pois.geojson and pois/pois.csv
    .venv/bin/python pois/_build/build_pois.py --out DIR   # writes them into DIR

Positions, names and sources are copied from ../shared/data/pois_reference.csv
(or $MAAS_SHARED_DATA/pois_reference.csv) exactly.  visit_minutes,
opening_hours, fee_yen and interest are MODELED (see pois/README.md).
Deterministic: the same input gives byte-identical output
(tests/data/test_rebuild.py rebuilds and compares).  Before writing, the
GeoJSON is read back by maas's own POI reader and every opening_hours by the
tour planner's parser, so the product accepts what the build writes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "pois"
sys.path.insert(0, str(REPO))

from maas.errors import InputError  # noqa: E402
from maas.pois import load_pois  # noqa: E402
from maas.tours.hours import check_opening_hours  # noqa: E402


def shared_data_dir() -> Path:
    env = os.environ.get("MAAS_SHARED_DATA")
    return Path(env) if env else (REPO / ".." / "shared" / "data").resolve()


# reference category -> our category (vocabulary documented in pois/README.md)
CATEGORY = {
    "temple": "religion",
    "shrine": "religion",
    "church": "religion",
    "castle_ruins": "history",
    "heritage_district": "history",
    "historic_site": "history",
    "historic_building": "history",
    "museum": "museum",
    "arts_centre": "art",
    "garden": "garden",
    "park": "park",
    "zoo": "park",
    "beach": "nature",
    "nature": "nature",
    "cave": "nature",
    "spring": "nature",
    "onsen": "onsen",
    "roadside_station": "shopping",
    "tourist_info": "info",
    "hall": "venue",
}
VOCAB = ["history", "religion", "museum", "art", "garden", "park", "nature", "onsen", "shopping", "info", "venue"]
INTEREST_TAGS = ["history", "nature", "onsen", "food", "art", "culture", "shopping", "family"]

# defaults per our category: (interests, visit_minutes, opening_hours, fee_yen, interest score)
DEFAULTS = {
    "religion": (["history", "culture"], 30, "24/7", 0, 50),
    "history": (["history", "culture"], 45, "Mo-Su 09:00-17:00", 0, 55),
    "museum": (["history", "culture"], 60, "Tu-Su 09:00-17:00; Mo off", 300, 55),
    "art": (["art", "culture"], 60, "Mo,We-Su 10:00-19:00; Tu off", 0, 60),
    "garden": (["history", "nature", "culture"], 40, "Mo-Su 09:00-17:00", 300, 60),
    "park": (["nature", "family"], 60, "24/7", 0, 45),
    "nature": (["nature"], 45, "24/7", 0, 55),
    "onsen": (["onsen"], 60, "Mo-Su 10:00-21:00", 400, 55),
    "shopping": (["food", "shopping"], 30, "Mo-Su 09:00-18:00", 0, 40),
    "info": ([], 15, "Mo-Su 09:00-18:00", 0, 20),
    "venue": (["culture"], 30, "Mo-Su 09:00-21:00", 0, 25),
}

# name_ja -> overrides.  id: stable ascii slug.  Values other than id are MODELED.
# (region.md "named sights" get the highest interest scores.)
OVERRIDES = {
    # Yamaguchi
    "国宝瑠璃光寺五重塔": {"id": "rurikoji_pagoda", "interest": 92, "visit": 45},
    "常栄寺雪舟庭": {"id": "joeiji_sesshu_garden", "category": "garden", "hours": "Mo-Su 08:00-17:00", "fee": 300, "interest": 75},
    "山口情報芸術センター［YCAM］": {"id": "ycam", "interest": 85, "visit": 60},
    "湯田温泉 狐の足あと（足湯）": {
        "id": "yuda_onsen_footbath",
        "hours": "Mo-Su 09:00-21:00",
        "fee": 0,
        "visit": 20,
        "interests": ["onsen", "food"],
        "interest": 70,
    },
    "湯田温泉観光案内所": {"id": "yuda_onsen_tourist_info"},
    "中原中也記念館": {"id": "nakahara_chuya_museum", "fee": 330, "interests": ["culture", "history"], "interest": 65},
    "KDDI維新ホール": {"id": "kddi_ishin_hall", "interest": 45},
    "山口サビエル記念聖堂": {"id": "yamaguchi_xavier_church", "hours": "Mo-Su 09:00-17:00", "interest": 70},
    "亀山公園": {"id": "kameyama_park"},
    "龍福寺（大内氏館跡）": {"id": "ryufukuji_temple", "interest": 60},
    "八坂神社（山口）": {"id": "yasaka_shrine_yamaguchi"},
    "野田神社": {"id": "noda_shrine"},
    "洞春寺": {"id": "toshunji_temple"},
    "山口大神宮": {"id": "yamaguchi_daijingu"},
    "今八幡宮": {"id": "ima_hachimangu"},
    "山口市菜香亭": {"id": "saikotei", "fee": 100, "interest": 55},
    "山口ふるさと伝承総合センター": {"id": "furusato_densho_center", "fee": 0, "interests": ["culture", "art"]},
    "十朋亭維新館": {"id": "jippotei_ishinkan", "fee": 0, "interest": 55},
    "山口市歴史民俗資料館": {"id": "yamaguchi_history_folklore_museum", "fee": 0},
    "香山公園前観光案内所": {"id": "kozan_park_tourist_info"},
    "山口観光案内所（JR山口駅）": {"id": "yamaguchi_station_tourist_info"},
    "新山口駅観光交流センター": {"id": "shinyamaguchi_tourist_center"},
    "維新百年記念公園": {"id": "ishin_hyakunen_park"},
    "十種ヶ峰ウッドパーク": {"id": "tokusagamine_wood_park", "visit": 120},
    "ふれあいパーク大原湖": {"id": "fureai_park_oharako"},
    "阿知須いぐらの館（旧中川家住宅）": {"id": "ajisu_igura_no_yakata", "hours": "Mo,We-Su 09:00-17:00; Tu off", "fee": 0},
    "嘉村礒多生家 帰郷庵": {"id": "kamura_isota_birthplace", "fee": 0, "interests": ["culture", "history"]},
    "道の駅 あいお": {"id": "michinoeki_aio"},
    "道の駅 きらら あじす": {"id": "michinoeki_kirara_ajisu"},
    "道の駅 仁保の郷": {"id": "michinoeki_niho_no_sato"},
    "道の駅 長門峡": {"id": "michinoeki_chomonkyo", "interests": ["food", "shopping", "nature"]},
    "道の駅 願成就温泉": {"id": "michinoeki_ganjoju_onsen", "interests": ["onsen", "food", "shopping"], "hours": "Mo-Su 10:00-21:00", "visit": 60},
    # Ube
    "ときわ公園（正面入口）": {"id": "tokiwa_park", "visit": 120, "interests": ["nature", "art", "family"], "interest": 85},
    "ときわ動物園": {"id": "tokiwa_zoo", "hours": "Mo,We-Su 09:30-17:00; Tu off", "fee": 500, "visit": 90, "interest": 70},
    "ときわミュージアム": {"id": "tokiwa_museum", "interests": ["art", "nature"], "interest": 60},
    "石炭記念館": {"id": "ube_coal_museum", "fee": 0, "interests": ["history", "family"]},
    "ときわ湖水ホール": {"id": "tokiwa_kosui_hall"},
    "渡辺翁記念会館": {"id": "watanabe_memorial_hall", "interests": ["culture", "history"], "interest": 65},
    "旧宇部銀行館（ヒストリア宇部）": {"id": "historia_ube", "interest": 50},
    "宗隣寺（庭園）": {"id": "sorinji_temple_garden", "category": "garden", "fee": 300, "interest": 55},
    "福原史跡公園": {"id": "fukuhara_historic_park", "interests": ["history", "nature"]},
    "琴崎八幡宮": {"id": "kotosaki_hachimangu"},
    "宇部護国神社": {"id": "ube_gokoku_shrine"},
    "道の駅 楠こもれびの郷": {"id": "michinoeki_kusunoki_komorebi"},
    "アクトビレッジおの": {"id": "act_village_ono"},
    "キワ・ラ・ビーチ": {"id": "kiwa_la_beach", "interests": ["nature", "family"]},
    "霜降山": {"id": "mt_shimofuri", "visit": 150},
    "持世寺温泉 上の湯": {"id": "jiseji_onsen"},
    "岡崎八幡宮": {"id": "okazaki_hachimangu"},
    # Hagi
    "萩城跡指月公園": {"id": "hagi_castle_ruins", "hours": "Mo-Su 08:30-16:30", "fee": 220, "visit": 60, "interests": ["history", "nature"], "interest": 85},
    "萩城城下町": {"id": "hagi_castle_town", "hours": "24/7", "visit": 120, "interests": ["history", "culture", "shopping"], "interest": 95},
    "松陰神社": {"id": "shoin_shrine", "visit": 45, "interest": 90},
    "萩反射炉": {"id": "hagi_reverberatory_furnace", "hours": "24/7", "interest": 70},
    "萩博物館": {"id": "hagi_museum", "fee": 520, "interest": 70},
    "萩・陶芸の村公園": {"id": "hagi_togei_no_mura_park", "interests": ["art", "nature"], "interest": 50},
    "外濠公園（堀内地区）": {
        "id": "hagi_horiuchi_sotobori_park",
        "category": "history",
        "hours": "24/7",
        "visit": 60,
        "interests": ["history", "culture"],
        "interest": 80,
    },
    "道の駅 萩しーまーと": {"id": "michinoeki_hagi_sea_mart", "interest": 55},
    "道の駅 萩往還": {"id": "michinoeki_hagi_okan"},
    "道の駅 萩・さんさん三見": {"id": "michinoeki_hagi_sansan_sanmi"},
    "道の駅 あさひ": {"id": "michinoeki_asahi"},
    "道の駅 ハピネスふくえ": {"id": "michinoeki_happiness_fukue"},
    "道の駅 ゆとりパークたまがわ": {"id": "michinoeki_yutori_park_tamagawa"},
    "道の駅 うり坊の郷katamata": {"id": "michinoeki_uribo_no_sato_katamata"},
    # Hofu
    "防府天満宮": {"id": "hofu_tenmangu", "visit": 45, "interest": 85},
    "毛利氏庭園・毛利博物館（旧毛利家本邸）": {
        "id": "mori_garden_museum",
        "hours": "Mo-Su 09:00-17:00",
        "fee": 1000,
        "visit": 75,
        "interests": ["history", "art", "culture"],
        "interest": 80,
    },
    "防府市まちの駅 うめてらす": {"id": "hofu_umeterasu", "interests": ["food", "shopping"], "interest": 30},
    "道の駅 潮彩市場防府": {"id": "michinoeki_chosai_ichiba_hofu"},
    "防府市観光案内所（JR防府駅）": {"id": "hofu_station_tourist_info"},
    "三田尻塩田記念産業公園": {"id": "mitajiri_salt_field_park", "fee": 200, "interests": ["history", "family"]},
    "三田尻御茶屋（英雲荘）": {"id": "mitajiri_ochaya_eiunso", "fee": 0},
    "周防国分寺": {"id": "suo_kokubunji"},
    # Mine
    "秋芳洞（正面入口）": {"id": "akiyoshido_cave", "hours": "Mo-Su 08:30-16:30", "fee": 1300, "visit": 90, "interests": ["nature", "family"], "interest": 100},
    "秋吉台観光交流センター（秋芳洞バスターミナル）": {"id": "akiyoshidai_tourism_center"},
    "秋吉台家族旅行村": {"id": "akiyoshidai_family_village"},
    "別府弁天池": {"id": "beppu_benten_pond", "visit": 30, "interest": 80},
    "景清洞": {"id": "kagekiyodo_cave", "hours": "Mo-Su 08:30-16:30", "fee": 1000, "visit": 60, "interests": ["nature", "family"], "interest": 60},
    "大正洞": {"id": "taishodo_cave", "hours": "Mo-Su 08:30-16:30", "fee": 1000, "visit": 45, "interests": ["nature", "family"], "interest": 55},
    "道の駅 みとう": {"id": "michinoeki_mito"},
    "道の駅 おふく": {"id": "michinoeki_ofuku", "interests": ["onsen", "food", "shopping"]},
    # Sanyo-Onoda
    "江汐公園": {"id": "ejio_park"},
    "竜王山公園": {"id": "ryuozan_park"},
    "須恵健康公園": {"id": "sue_kenko_park"},
    "山陽小野田市きらら交流館（焼野海岸）": {
        "id": "kirara_koryukan_yakeno",
        "category": "nature",
        "hours": "24/7",
        "fee": 0,
        "visit": 60,
        "interests": ["nature", "onsen", "family"],
        "interest": 70,
    },
    "山陽小野田市歴史民俗資料館": {"id": "sanyo_onoda_history_museum", "fee": 0},
    "山陽小野田市文化会館": {"id": "sanyo_onoda_cultural_hall"},
    # Tsuwano
    "津和野城跡": {"id": "tsuwano_castle_ruins", "hours": "24/7", "fee": 0, "visit": 60, "interests": ["history", "nature"], "interest": 75},
    "太皷谷稲成神社": {"id": "taikodani_inari_shrine", "visit": 45, "interest": 85},
    "旧津和野藩家老多胡家表門・藩校養老館": {"id": "tsuwano_tonomachi_yorokan", "fee": 100, "visit": 45, "interest": 80},
    "弥栄神社（津和野）": {"id": "yasaka_shrine_tsuwano"},
    "覚皇山永明寺": {"id": "yomeiji_temple", "hours": "Mo-Su 08:00-17:00", "fee": 500, "interest": 65},
    "鷲原八幡宮": {"id": "washibara_hachimangu", "interest": 55},
    "道の駅 津和野温泉なごみの里": {
        "id": "michinoeki_tsuwano_nagomi_no_sato",
        "interests": ["onsen", "food", "shopping"],
        "hours": "Mo-Su 10:00-21:00",
        "visit": 60,
    },
    "道の駅 シルクウェイにちはら": {"id": "michinoeki_silkway_nichihara"},
}

MODELED = ["visit_minutes", "opening_hours", "fee_yen", "interest", "interests"]

FIELDS = [
    "id",
    "name_ja",
    "name_en",
    "category",
    "interests",
    "municipality",
    "lat",
    "lon",
    "visit_minutes",
    "opening_hours",
    "opening_hours_source",
    "fee_yen",
    "fee_source",
    "interest",
    "position_quality",
    "source",
    "modeled_fields",
]


def position_quality(row: dict) -> str:
    d = row["second_source_distance_m"].strip()
    src = row["source"]
    if d:
        n = int(float(d))
        return f"two sources agree within {n} m" if n <= 150 else f"sources disagree by {n} m; verify"
    if "Yamaguchi Prefecture dataset" in src:
        return "single source: prefecture dataset; verify"
    return "single source"


def build() -> list[dict]:
    with open(shared_data_dir() / "pois_reference.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    ids = set()
    for r in rows:
        o = OVERRIDES.get(r["name_ja"])
        if o is None:
            raise SystemExit(f"no id for {r['name_ja']}: add it to OVERRIDES")
        cat = o.get("category", CATEGORY[r["category"]])
        interests, visit, hours, fee, score = DEFAULTS[cat]
        interests = o.get("interests", interests)
        assert all(t in INTEREST_TAGS for t in interests), interests
        assert cat in VOCAB
        pid = o["id"]
        assert re.fullmatch(r"[a-z0-9_]+", pid) and pid not in ids, pid
        ids.add(pid)
        out.append(
            {
                "id": pid,
                "name_ja": r["name_ja"],
                "name_en": r["name_en"],
                "category": cat,
                "interests": list(interests),
                "municipality": r["municipality"],
                "lat": r["lat"],
                "lon": r["lon"],
                "visit_minutes": int(o.get("visit", visit)),
                "opening_hours": o.get("hours", hours),
                "opening_hours_source": "modeled",
                "fee_yen": int(o.get("fee", fee)),
                "fee_source": "modeled",
                "interest": int(o.get("interest", score)),
                "position_quality": position_quality(r),
                "source": r["source"],
                "modeled_fields": list(MODELED),
                "reference_category": r["category"],
            }
        )
    unused = set(OVERRIDES) - {r["name_ja"] for r in rows}
    assert not unused, unused
    out.sort(key=lambda p: (p["municipality"], p["id"]))
    return out


def check(pois: list[dict]) -> None:
    assert len(pois) >= 60, len(pois)
    munis = {p["municipality"] for p in pois}
    assert munis == {"Yamaguchi", "Ube", "Hagi", "Hofu", "Mine", "Sanyo-Onoda", "Tsuwano"}, munis
    for p in pois:
        lat, lon = float(p["lat"]), float(p["lon"])
        assert 33.8 < lat < 34.7 and 130.9 < lon < 132.0, p
        assert 1 <= p["interest"] <= 100 and p["visit_minutes"] > 0 and p["fee_yen"] >= 0
        assert p["opening_hours"]


def geojson_text(pois: list[dict]) -> str:
    feats = []
    for p in pois:
        props = {k: v for k, v in p.items() if k not in ("lat", "lon")}
        feats.append({"type": "Feature", "id": p["id"], "geometry": {"type": "Point", "coordinates": [float(p["lon"]), float(p["lat"])]}, "properties": props})
    fc = {
        "type": "FeatureCollection",
        "name": "maas default POIs, Yamaguchi central area",
        "note": "positions copied from pois_reference.csv (see pois/README.md); visit_minutes, opening_hours, fee_yen, interest and interests are modeled",
        "features": feats,
    }
    # one feature per line: valid GeoJSON that still diffs well
    head = json.dumps({k: v for k, v in fc.items() if k != "features"}, ensure_ascii=False)[:-1]
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in feats]
    return head + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def csv_text(pois: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=[*FIELDS, "reference_category"], lineterminator="\n")
    w.writeheader()
    for p in pois:
        row = dict(p)
        row["interests"] = ";".join(p["interests"])
        row["modeled_fields"] = ";".join(p["modeled_fields"])
        w.writerow(row)
    return buf.getvalue()


def check_with_maas(geojson: str, pois: list[dict]) -> None:
    """Read ``geojson`` with maas's POI reader and each opening_hours with the tour planner's parser.

    Raises InputError (naming the feature and property) when the product would
    refuse what the build is about to write, or SystemExit when it reads
    something else than was built.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pois.geojson"
        path.write_text(geojson, encoding="utf-8")
        loaded = load_pois(path)
    if [p.id for p in loaded] != [p["id"] for p in pois]:
        raise SystemExit("maas reads other POIs than were built")
    for p in loaded:
        check_opening_hours(p.opening_hours, f"POI {p.id}: opening_hours")


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help="folder to write pois.geojson and pois.csv into (default: pois/)")
    args = ap.parse_args(argv)
    pois = build()
    check(pois)
    geojson = geojson_text(pois)
    try:
        check_with_maas(geojson, pois)
    except InputError as exc:
        print(f"maas refuses the built POIs, nothing written: {exc}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out / "pois.geojson", geojson)
    write_atomic(args.out / "pois.csv", csv_text(pois))
    counts: dict[str, int] = {}
    for p in pois:
        counts[p["municipality"]] = counts.get(p["municipality"], 0) + 1
    print(f"pois: {len(pois)} " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
