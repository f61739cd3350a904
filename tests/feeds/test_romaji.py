"""Romanised stop names (maas.feeds.romaji) on real names and readings of the ＪＲバス中国 feed.

The expected English follows the feed's own English (its Hiroshima stops):
"Saijo Sta.", "Chuo Koen-mae", "Kinembashi", "Hatchobori", long vowels not marked.
"""

from __future__ import annotations

import pytest

from maas.feeds.romaji import (
    SOURCE_FEED,
    SOURCE_GENERATED,
    SOURCE_READING,
    english_name,
    is_kana,
    kana_to_romaji,
    label_english,
    romanize,
    same_text_names,
    text_key,
    with_english,
    with_label_english,
)


@pytest.mark.parametrize(
    "kana, romaji",
    [
        ("しんやまぐち", "shinyamaguchi"),
        ("あきよしどう", "akiyoshido"),  # ou → o
        ("ほうふ", "hofu"),
        ("ちゅうおう", "chuo"),  # uu and ou
        ("おおうち", "ouchi"),  # a vowel is long once: おお + う
        ("はちおうじ", "hachioji"),
        ("やくおうじ", "yakuoji"),  # u-row then お: not long
        ("のみのお", "nominoo"),  # の + お stays (the feed writes Nominoo)
        ("いけのうえ", "ikenoue"),  # 上 (うえ) after の stays
        ("こうえんじ", "koenji"),
        ("ひいらぎ", "hiiragi"),  # ii stays
        ("げんばく", "gembaku"),  # ん before b → m (the feed: Kinembashi, Sembo)
        ("しんまち", "shinmachi"),  # but not before m (the feed: Shinmachi)
        ("はっちょうぼり", "hatchobori"),  # っち → tch
        ("しょうがっこう", "shogakko"),
        ("せんたー", "senta"),  # ー dropped
        ("シンヤマグチ", "shinyamaguchi"),  # katakana too
        ("てぃー", "ti"),
        ("ちょうもんきょう", "chomonkyo"),
    ],
)
def test_kana_to_romaji(kana, romaji):
    """Simplified Hepburn as Japanese signs write it."""
    assert kana_to_romaji(kana) == romaji


@pytest.mark.parametrize(
    "name, reading, english",
    [
        # Stops of the Yamaguchi routes (防長線, スーパーはぎ号, 秋吉線), which have only ja and ja-Hrkt.
        ("新山口駅", "しんやまぐちえき", "Shin-Yamaguchi Sta."),
        ("山口駅", "やまぐちえき", "Yamaguchi Sta."),
        ("防府駅", "ほうふえき", "Hofu Sta."),
        ("萩駅", "はぎえき", "Hagi Sta."),
        ("宮野駅前", "みやのえきまえ", "Miyano Sta."),  # 駅前 as the feed writes 呉駅前: "Kure Sta."
        ("湯田温泉駅入口", "ゆだおんせんえきいりぐち", "Yuda Onsen Sta. Entrance"),
        ("湯田温泉通", "ゆだおんせんどおり", "Yuda Onsen-dori"),
        ("秋芳洞", "あきよしどう", "Akiyoshido"),
        ("秋吉台", "あきよしだい", "Akiyoshidai"),
        ("秋吉小学校前", "あきよししょうがっこうまえ", "Akiyoshi Shogakko-mae"),
        ("山口県庁前", "やまぐちけんちょうまえ", "Yamaguchi Kencho-mae"),
        ("山口大学", "やまぐちだいがく", "Yamaguchi Daigaku"),
        ("大内中学校前", "おおうちちゅうがっこうまえ", "Ouchi Chugakko-mae"),
        ("吉敷郵便局前", "よしきゆうびんきょくまえ", "Yoshiki Yubinkyoku-mae"),
        ("萩バスセンター", "はぎばすせんたー", "Hagi Bus Center"),
        ("萩・明倫センター", "はぎめいりんせんたー", "Hagi Meirin Center"),
        ("ゆめタウン山口", "ゆめたうんやまぐち", "Yume Town Yamaguchi"),
        ("ＮＴＴ山口前", "えぬてぃーてぃーやまぐちまえ", "NTT Yamaguchi-mae"),
        ("長門大石", "ながとおおいし", "Nagato Oishi"),
        ("長門峡北口", "ちょうもんきょうきたぐち", "Chomonkyo-kitaguchi"),
        ("上勝坂", "かみかっさか", "Kami-Kassaka"),
        ("下田", "しもだ", "Shimoda"),  # one kanji after 下: a name, not 下 + 田
        ("大田中央", "おおだちゅうおう", "Oda-chuo"),
        ("奥湯田温泉口", "おくゆだおんせんぐち", "Okuyuda Onsen-guchi"),
        ("中尾口", "なかおぐち", "Naka-Oguchi"),
        ("道の駅あさひ", "みちのえきあさひ", "Michi-no-Eki Asahi"),
        ("原爆ドーム前", "げんばくどーむまえ", "Gembaku Dome-mae"),
        ("八重ヶ原", "やえがはら", "Yaegahara"),
        ("四ノ宮前", "しのみやまえ", "Shinomiya-mae"),
        ("薬王寺", "やくおうじ", "Yakuoji"),
        ("総合医療センター", "そうごういりょうせんたーまえ", "Sogoiryo Center"),  # the feed's reading adds まえ; the name has no 前
        # Hiroshima stops, where the feed's own English shows the style.
        ("西条駅", "さいじょうえき", "Saijo Sta."),
        ("中央公園前", "ちゅうおうこうえんまえ", "Chuo Koen-mae"),
        ("西条駅北口", "さいじょうえききたぐち", "Saijo Sta. North Entrance"),
        ("広島駅新幹線口", "ひろしまえきしんかんせんぐち", "Hiroshima Sta. Shinkansen Entrance"),
        ("記念橋", "きねんばし", "Kinembashi"),
        ("八丁堀", "はっちょうぼり", "Hatchobori"),
        ("大坪通", "おおつぼどおり", "Otsubo-dori"),
        ("鏡山公園入口", "かがみやまこうえんいりぐち", "Kagamiyama Koen-iriguchi"),
        ("広島バスセンター", "ひろしまばすせんたー", "Hiroshima Bus Center"),
        ("東広島駅", "ひがしひろしまえき", "Higashi-Hiroshima Sta."),
        ("江熊西", "えぐまにし", "Eguma-nishi"),
        ("乃美尾", "のみのお", "Nominoo"),
    ],
)
def test_romanize_real_stop_names(name, reading, english):
    """Real stop names with the feed's ja-Hrkt reading become the English the feed's own translations would use."""
    assert romanize(name, reading) == english


@pytest.mark.parametrize(
    "name, reading, english",
    [
        ("若草4丁目", "わかくさよんちょうめ", "Wakakusa 4-chome"),  # jp_donanbus
        ("春日野二丁目", "かすがのにちょうめ", "Kasugano-nichome"),  # as the JR bus feed writes it
        ("3号通", "さんごうどおり", "3 Go-dori"),
        ("宮野駅前1番のりば", "みやのえきまえいちばんのりば", "Miyano Sta. Stop 1"),
        ("丸の内", "まるのうち", "Marunouchi"),
        ("農業", "のうぎょう", "Nogyo"),
    ],
)
def test_numbers_poles_and_words_after_no(name, reading, english):
    """Street blocks, pole numbers and の + a word beginning with う."""
    assert romanize(name, reading) == english


def test_parts_in_parentheses_and_generated_readings():
    """A part in parentheses is romanised on its own; None as reading asks pykakasi (jp_yamanashi_busmaps names)."""
    assert romanize("甲西道路入口（身延町）", None) == "Kosaidoro-iriguchi (Minobumachi)"
    assert romanize("川崎駅西口60番のりば", None) == "Kawasaki Sta. West Entrance Stop 60"


def test_romanize_accepts_katakana_and_full_width_readings():
    """A reading in katakana, or with spaces, reads the same."""
    assert romanize("新山口駅", "シンヤマグチエキ") == "Shin-Yamaguchi Sta."
    assert romanize("新山口駅", "しんやまぐち えき") == "Shin-Yamaguchi Sta."


def test_reading_that_does_not_fit_the_name_is_one_word():
    """A reading that cannot be laid along the name's scripts still gives a readable word (never an error)."""
    assert romanize("ゆめタウン山口", "いおんもーる") == "Ionmoru"


@pytest.mark.parametrize(
    "name, reading, translation, english, source",
    [
        ("西条駅", "さいじょうえき", "Saijo Sta.", "Saijo Sta.", SOURCE_FEED),
        ("新山口駅", "しんやまぐちえき", "", "Shin-Yamaguchi Sta.", SOURCE_READING),
        ("東萩", "", "", "Higashi-Hagi", SOURCE_GENERATED),  # the feed gives 東萩 no reading
        ("西楢原", "", "", "Nishi-Narahara", SOURCE_GENERATED),
        ("テクノパーク", "", "", "Techno Park", SOURCE_GENERATED),
        ("Ajisu", "", "", "Ajisu", SOURCE_FEED),  # already Latin
        ("Caltrain Depot", "", "", "Caltrain Depot", SOURCE_FEED),
    ],
)
def test_english_name_and_its_source(name, reading, translation, english, source):
    """The feed's English wins; else the reading romanised; else a generated reading, marked as such."""
    assert english_name(name, reading, translation) == (english, source)


def test_with_english_adds_en_and_keeps_the_rest():
    """with_english adds 'en' only where missing and does not change the dict it is given."""
    names = {"ja": "新山口駅", "ja-Hrkt": "しんやまぐちえき"}
    out, source = with_english("新山口駅", names)
    assert out == {**names, "en": "Shin-Yamaguchi Sta."} and source == SOURCE_READING
    assert "en" not in names
    kept, source = with_english("西条駅", {"ja": "西条駅", "en": "Saijo Sta.", "ko": "사이조 역"})
    assert kept["en"] == "Saijo Sta." and source == SOURCE_FEED


def test_is_kana():
    assert is_kana("しんやまぐち") and is_kana("シンヤマグチ") and is_kana("ｼﾝﾔﾏｸﾞﾁ")
    assert not is_kana("新山口") and not is_kana("Shin-Yamaguchi") and not is_kana("")


def test_katakana_ending_in_loanwords_keeps_its_own_word():
    """A katakana word before known loanwords of 3 kana or more stays romaji (クレア + ライン); short ones (ビル) end no word."""
    assert romanize("クレアライン", None) == "Kurea Line"
    assert romanize("コモアプラザ", None) == "Komoa Plaza"
    assert romanize("イオンモール甲府昭和", "いおんもーるこうふしょうわ") == "Ion Mall Kofushowa"
    assert romanize("モビル", None) == "Mobiru"
    assert romanize("西条エアポートリムジン", "さいじょうえあぽーとりむじん") == "Saijo Airport Limousine"


#: Names of the ＪＲバス中国 feed as its translations.txt gives them (legacy form: keyed by text), in text_key form.
JRBUS_GLOSSARY = {
    "新山口駅": {"ja": "新山口駅", "ja-Hrkt": "しんやまぐちえき"},
    "東萩駅": {"ja": "東萩駅", "ja-Hrkt": "ひがしはぎえき"},
    "山口駅": {"ja": "山口駅", "ja-Hrkt": "やまぐちえき"},
    "秋吉": {"ja": "秋吉", "ja-Hrkt": "あきよし"},
    "秋芳洞": {"ja": "秋芳洞", "ja-Hrkt": "あきよしどう"},
    "萩・明倫センター": {"ja": "萩・明倫センター", "ja-Hrkt": "はぎめいりんせんたー"},
    "総合医療センター": {"ja": "総合医療センター", "ja-Hrkt": "そうごういりょうせんたーまえ"},
    "美東病院": {"ja": "美東病院", "ja-Hrkt": "みとうびょういん"},
    "高陽車庫": {"ja": "高陽車庫", "ja-Hrkt": "こうようしゃこ", "en": "Koyo Shako (Koyo Depot)", "ko": "고요 차고", "zh-Hans": "高阳车库"},
    "西条駅": {"ja": "西条駅", "ja-Hrkt": "さいじょうえき", "en": "Saijo Sta.", "ko": "사이조 역"},
}


@pytest.mark.parametrize(
    "name, english",
    [
        # Route names (routes.txt route_long_name) of the feed's Yamaguchi routes.
        ("秋吉線", "Akiyoshi Line"),  # 秋吉 is a stop: its reading
        ("防長線", "Bocho Line"),  # a reading pykakasi gives
        ("新山口駅～東萩駅線（スーパーはぎ号）", "Shin-Yamaguchi Sta. - Higashi-Hagi Sta. Line (Super Hagi)"),
        ("秋芳洞循環バス", "Akiyoshido Loop Bus"),
        # Headsigns: stop_headsign (where the bus goes) and trip_headsign (which way).
        ("東萩", "Higashi-Hagi"),  # its reading from 東萩駅 (ひがしはぎえき)
        ("新山口駅", "Shin-Yamaguchi Sta."),
        ("高陽車庫", "Koyo Shako (Koyo Depot)"),  # the feed's own English for the stop of that name
        ("県庁・萩・明倫センター経由", "via Kencho, Hagi Meirin Center"),  # 萩・明倫センター is one stop
        ("総合医療センター・ゆめタウン・山口駅・県庁経由", "via Sogoiryo Center, Yume Town, Yamaguchi Sta., Kencho"),
        ("美東病院経由", "via Mito Byoin"),
        ("A団地経由急行", "Express via A Danchi"),
        ("急行", "Express"),
        # The feed's Hiroshima routes.
        ("のんバス 青ルート（内回り）", "Non Bus Blue Route (Inner Loop)"),
        ("西条エアポートリムジン", "Saijo Airport Limousine"),
        ("高速：クレアライン", "Highway: Kurea Line"),
        ("めいぷる～ぷ（新天地経由）", "Meipurupu (via Shin-Tenchi)"),  # ～ beside one kana is a long vowel
        ("30-15", "30-15"),
    ],
)
def test_label_english_of_the_jr_bus_routes_and_headsigns(name, english):
    """Route names and headsigns are named from the feed's names of their parts, romanised where it has none."""
    assert label_english(name, JRBUS_GLOSSARY) == english


@pytest.mark.parametrize(
    "name, english",
    [
        ("山陽本線", "Sanyo Main Line"),
        ("山陽新幹線", "Sanyo Shinkansen"),
        ("特急スーパーおき", "Limited Express Super Oki"),
        ("東萩行き", "Higashi-Hagi"),  # a headsign names where it goes: the "for" is the reader's
        ("東萩駅行", "Higashi-Hagi Sta."),
        ("山口銀行", "Yamaguchiginko"),  # 行 after anything but a known name or 駅 is not "bound for" (a bank)
        ("はぎ1号", "Hagi No. 1"),
        ("市街地循環線（外回り）", "Shigaichi Loop Line (Outer Loop)"),
        ("赤線", "Red Line"),
    ],
)
def test_label_english_words_of_route_names(name, english):
    """線, 本線, 新幹線, 特急, 行き, 号, 循環, 外回り and colours, with or without a glossary."""
    assert label_english(name, JRBUS_GLOSSARY) == english


def test_label_english_compares_text_as_nfkc():
    """Full-width letters and brackets are the same text (Ａ団地 / A団地, （ / ()."""
    assert text_key(" Ａ団地（Ｂ） ") == "A団地(B)"
    assert label_english("Ａ団地経由", {"A団地": {"en": "A Housing Estate"}}) == "via A Housing Estate"


def test_with_label_english_keeps_the_record_names_and_adds_the_same_texts():
    """The record's own names win, the glossary's names of the same text come next, then the English made here."""
    names = {"ja": "高陽車庫"}
    out = with_label_english("高陽車庫", names, JRBUS_GLOSSARY)
    assert out == {"ja": "高陽車庫", "ja-Hrkt": "こうようしゃこ", "en": "Koyo Shako (Koyo Depot)", "ko": "고요 차고", "zh-Hans": "高阳车库"}
    assert names == {"ja": "高陽車庫"}
    assert with_label_english("高陽車庫", {"ja": "高陽車庫", "en": "Koyo Garage"}, JRBUS_GLOSSARY)["en"] == "Koyo Garage"
    assert with_label_english("秋吉線", {"ja": "秋吉線"}) == {"ja": "秋吉線", "en": "Akiyoshi Line"}
    assert with_label_english("", {}) == {}
    assert same_text_names("秋吉線", {"ja": "秋吉線"}, JRBUS_GLOSSARY) == {"ja": "秋吉線"}  # nothing made up
