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
    romanize,
    with_english,
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
