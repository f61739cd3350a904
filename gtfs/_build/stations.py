"""Station facts: positions from the shared station CSV, names and readings.

Positions come only from stations_yamaguchi.csv (TrainLCD/StationAPI).  The
English names follow the project brief where it differs from the dataset's
romaji; the kana readings are the standard readings of these JR station names.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from common import read_csv, shared_data_dir

from maas.geo import haversine_m

# name_ja -> (stop_id slug, English name used by the project, kana reading)
NAMES: dict[str, tuple[str, str, str]] = {
    "徳山": ("tokuyama", "Tokuyama", "とくやま"),
    "新山口": ("shinyamaguchi", "Shin-Yamaguchi", "しんやまぐち"),
    "厚狭": ("asa", "Asa", "あさ"),
    "新下関": ("shinshimonoseki", "Shin-Shimonoseki", "しんしものせき"),
    "新南陽": ("shinnanyo", "Shin-Nanyo", "しんなんよう"),
    "福川": ("fukugawa", "Fukugawa", "ふくがわ"),
    "戸田": ("heta", "Heta", "へた"),
    "富海": ("tonomi", "Tonomi", "とのみ"),
    "防府": ("hofu", "Hofu", "ほうふ"),
    "大道": ("daido", "Daido", "だいどう"),
    "四辻": ("yotsutsuji", "Yotsutsuji", "よつつじ"),
    "嘉川": ("kagawa", "Kagawa", "かがわ"),
    "本由良": ("motoyura", "Motoyura", "もとゆら"),
    "厚東": ("koto", "Koto", "ことう"),
    "宇部": ("ube", "Ube", "うべ"),
    "小野田": ("onoda", "Onoda", "おのだ"),
    "上嘉川": ("kamikagawa", "Kami-Kagawa", "かみかがわ"),
    "深溝": ("fukamizo", "Fukamizo", "ふかみぞ"),
    "周防佐山": ("suosayama", "Suo-Sayama", "すおうさやま"),
    "岩倉": ("iwakura", "Iwakura", "いわくら"),
    "阿知須": ("ajisu", "Ajisu", "あじす"),
    "岐波": ("kiwa", "Kiwa", "きわ"),
    "丸尾": ("maruo", "Maruo", "まるお"),
    "床波": ("tokonami", "Tokonami", "とこなみ"),
    "常盤": ("tokiwa", "Tokiwa", "ときわ"),
    "草江": ("kusae", "Kusae", "くさえ"),
    "宇部岬": ("ubemisaki", "Ube-Misaki", "うべみさき"),
    "東新川": ("higashishinkawa", "Higashi-Shinkawa", "ひがししんかわ"),
    "琴芝": ("kotoshiba", "Kotoshiba", "ことしば"),
    "宇部新川": ("ube_shinkawa", "Ube-Shinkawa", "うべしんかわ"),
    "居能": ("ino", "Ino", "いのう"),
    "岩鼻": ("iwahana", "Iwahana", "いわはな"),
    "周防下郷": ("suoshimogo", "Suo-Shimogo", "すおうしもごう"),
    "上郷": ("kamigo", "Kamigo", "かみごう"),
    "仁保津": ("nihozu", "Nihozu", "にほづ"),
    "大歳": ("otoshi", "Otoshi", "おおとし"),
    "矢原": ("yabara", "Yabara", "やばら"),
    "湯田温泉": ("yudaonsen", "Yuda Onsen", "ゆだおんせん"),
    "山口": ("yamaguchi", "Yamaguchi", "やまぐち"),
    "上山口": ("kamiyamaguchi", "Kami-Yamaguchi", "かみやまぐち"),
    "宮野": ("miyano", "Miyano", "みやの"),
    "仁保": ("niho", "Niho", "にほ"),
    "篠目": ("shinome", "Shinome", "しのめ"),
    "長門峡": ("chomonkyo", "Chomonkyo", "ちょうもんきょう"),
    "渡川": ("watarigawa", "Watarigawa", "わたりがわ"),
    "三谷": ("mitani", "Mitani", "みたに"),
    "名草": ("nagusa", "Nagusa", "なぐさ"),
    "地福": ("jifuku", "Jifuku", "じふく"),
    "鍋倉": ("nabekura", "Nabekura", "なべくら"),
    "徳佐": ("tokusa", "Tokusa", "とくさ"),
    "船平山": ("funahirayama", "Funahirayama", "ふなひらやま"),
    "津和野": ("tsuwano", "Tsuwano", "つわの"),
    "湯ノ峠": ("yunoto", "Yunoto", "ゆのとう"),
    "厚保": ("atsu", "Atsu", "あつ"),
    "四郎ケ原": ("shirogahara", "Shirogahara", "しろうがはら"),
    "南大嶺": ("minamiomine", "Minami-Omine", "みなみおおみね"),
    "美祢": ("mine", "Mine", "みね"),
    "重安": ("shigeyasu", "Shigeyasu", "しげやす"),
    "於福": ("ofuku", "Ofuku", "おふく"),
    "渋木": ("shibuki", "Shibuki", "しぶき"),
    "長門湯本": ("nagatoyumoto", "Nagato-Yumoto", "ながとゆもと"),
    "板持": ("itamochi", "Itamochi", "いたもち"),
    "長門市": ("nagatoshi", "Nagatoshi", "ながとし"),
    "仙崎": ("senzaki", "Senzaki", "せんざき"),
    "妻崎": ("tsumazaki", "Tsumazaki", "つまさき"),
    "長門長沢": ("nagatonagasawa", "Nagato-Nagasawa", "ながとながさわ"),
    "雀田": ("suzumeda", "Suzumeda", "すずめだ"),
    "小野田港": ("onodako", "Onoda-Ko", "おのだこう"),
    "南小野田": ("minamionoda", "Minami-Onoda", "みなみおのだ"),
    "南中川": ("minaminakagawa", "Minami-Nakagawa", "みなみなかがわ"),
    "目出": ("mede", "Mede", "めで"),
    "浜河内": ("hamagochi", "Hamagochi", "はまごうち"),
    "長門本山": ("nagatomotoyama", "Nagato-Motoyama", "ながともとやま"),
    "東萩": ("higashihagi", "Higashi-Hagi", "ひがしはぎ"),
    "萩": ("hagi", "Hagi", "はぎ"),
    "玉江": ("tamae", "Tamae", "たまえ"),
}

# dataset line label -> our line-group key
LINE_KEYS = {
    "JR Sanyo Shinkansen": "shinkansen",
    "JR Sanyo Main Line": "sanyo",
    "JR Ube Line": "ube",
    "JR Yamaguchi Line": "yamaguchi",
    "JR Mine Line": "mine",
    "JR Onoda Line": "onoda",
    "JR San'in Main Line": "sanin",
}


@dataclass
class Station:
    name_ja: str
    slug: str
    name_en: str
    kana: str
    dataset_en: str
    # line key -> (lat, lon, source)
    positions: dict[str, tuple[float, float, str]] = field(default_factory=dict)


def load_stations():
    """Return (stations by name_ja, ordered station names per line key)."""
    rows = read_csv(shared_data_dir() / "stations_yamaguchi.csv")
    stations: dict[str, Station] = {}
    order: dict[str, list[str]] = {}
    for r in rows:
        key = LINE_KEYS[r["line"]]
        slug, en, kana = NAMES[r["name_ja"]]
        st = stations.setdefault(r["name_ja"], Station(r["name_ja"], slug, en, kana, r["name_en"]))
        st.positions[key] = (float(r["lat"]), float(r["lon"]), r["source"])
        order.setdefault(key, []).append(r["name_ja"])
    # line geometry helpers
    lines = {
        "shinkansen": order["shinkansen"],
        "sanyo": order["sanyo"],
        "ube": order["ube"],
        "yamaguchi": order["yamaguchi"],
        "mine": order["mine"][:12],  # Asa .. Nagatoshi
        "mine_senzaki": ["長門市", "仙崎"],
        "onoda": order["onoda"][:10],  # Ube-Shinkawa .. Onoda
        "onoda_motoyama": ["雀田", "浜河内", "長門本山"],
        # San'in, east (Masuda side) to west (Nagatoshi side)
        "sanin": order["sanin"],
    }
    assert order["onoda"][10:] == ["浜河内", "長門本山"], order["onoda"]
    assert order["mine"][-1] == "仙崎"
    return stations, lines


def cumulative_km(stations: dict[str, Station], line_key: str, names: list[str]) -> list[float]:
    """Cumulative great-circle distance between consecutive stations (km, maas.geo)."""
    group = line_key.split("_")[0]
    out = [0.0]
    for a, b in itertools.pairwise(names):
        pa = stations[a].positions.get(group) or next(iter(stations[a].positions.values()))
        pb = stations[b].positions.get(group) or next(iter(stations[b].positions.values()))
        out.append(out[-1] + float(haversine_m(pa[0], pa[1], pb[0], pb[1])) / 1000.0)
    return out
