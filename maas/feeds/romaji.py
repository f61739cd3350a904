"""Readable Latin names for Japanese stops: the feed's English, else its kana reading in Hepburn, else a generated one.

Real GTFS-JP feeds often give a stop only its Japanese name and a kana
reading (``ja-Hrkt``), so a visitor can neither read nor type it.  This
module turns a name and its reading into the English a Japanese operator
would print, in the style the feeds' own English uses (simplified Hepburn,
long vowels not marked)::

    新山口駅   しんやまぐちえき       → Shin-Yamaguchi Sta.
    湯田温泉通 ゆだおんせんどおり     → Yuda Onsen-dori
    山口県庁前 やまぐちけんちょうまえ → Yamaguchi Kencho-mae
    秋芳洞     あきよしどう           → Akiyoshido
    萩バスセンター                    → Hagi Bus Center

How: the name is cut into runs of one script (kanji with hiragana, katakana,
Latin); the reading is laid along them (a katakana run reads as itself, so
the kanji runs get what lies between).  Each kanji run sheds known endings
(駅 → " Sta.", 前 → "-mae", 温泉 → " Onsen" …) and beginnings (新 → "Shin-",
東 → "Higashi-" …); what remains is one word.  Katakana runs become English
where they are common loanwords (センター → Center), Latin runs stay as
written.  When nothing fits, the whole reading is one word.

When a stop has no reading, :func:`generated_reading` asks pykakasi (a
dictionary-based converter) for one; such names are marked ``generated`` in
the compiled timetable because a dictionary may read a place name wrongly.

Route names and headsigns (秋吉線, 県庁・ゆめタウン経由, 東萩) are mostly made of
names: :func:`label_english` names each part as the feed does elsewhere (a
glossary of its translations, keyed by text), romanises the rest, and puts a
fixed list of words in English (線 → Line, 経由 → via, 循環 → Loop, 急行 →
Express …): "Akiyoshi Line", "via Kencho, Yume Town", "Higashi-Hagi".

Everything here is a pure function of its text (pykakasi aside, which is
loaded once, on first need).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pykakasi

#: Where a stop's English name comes from (the compiled timetable keeps one per stop).
SOURCE_FEED = "feed"  # the feed's own translation (or its own name is already Latin)
SOURCE_READING = "reading"  # romanised from the feed's kana reading (ja-Hrkt)
SOURCE_GENERATED = "generated"  # romanised from a reading pykakasi guessed
NAME_SOURCES = (SOURCE_FEED, SOURCE_READING, SOURCE_GENERATED)

#: Language tags that hold a kana reading.
READING_LANGUAGES = ("ja-Hrkt", "ja-Hira", "ja-Kana")

# --- kana → Hepburn ------------------------------------------------------------------

_BASE = dict(
    zip(
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわゐゑをんがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽゔぁぃぅぇぉゃゅょゎ",
        "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo "
        "ya yu yo ra ri ru re ro wa i e o n ga gi gu ge go za ji zu ze zo da ji zu de do ba bi bu be bo "
        "pa pi pu pe po vu a i u e o ya yu yo wa".split(),
        strict=True,
    )
)
#: Two-kana syllables (a kana and a small one).
_DIGRAPHS = {
    **{k + s: c + v for k, c in (("き", "ky"), ("ぎ", "gy"), ("に", "ny"), ("ひ", "hy"), ("び", "by"), ("ぴ", "py"), ("み", "my"), ("り", "ry"))
       for s, v in (("ゃ", "a"), ("ゅ", "u"), ("ょ", "o"))},
    **{k + s: c + v for k, c in (("し", "sh"), ("じ", "j"), ("ち", "ch"), ("ぢ", "j")) for s, v in (("ゃ", "a"), ("ゅ", "u"), ("ょ", "o"), ("ぇ", "e"))},
    "てぃ": "ti", "でぃ": "di", "とぅ": "tu", "どぅ": "du", "でゅ": "dyu", "てゅ": "tyu",
    "ふぁ": "fa", "ふぃ": "fi", "ふぇ": "fe", "ふぉ": "fo", "ふゅ": "fyu",
    "うぃ": "wi", "うぇ": "we", "うぉ": "wo", "ゔぁ": "va", "ゔぃ": "vi", "ゔぇ": "ve", "ゔぉ": "vo",
    "つぁ": "tsa", "つぃ": "tsi", "つぇ": "tse", "つぉ": "tso", "いぇ": "ye",
}  # fmt: skip
#: After の, う followed by these begins a word (内 うち, 上 うえ, 浦 うら, 海 うみ, 牛 うし, 歌 うた …), it does not lengthen the o.
_WORDS_AFTER_NO = set("ちえらみしたわまき")
_HIRAGANA = re.compile(r"^[\u3041-\u309f\u30fc]+$")


def to_hiragana(text: str) -> str:
    """Return ``text`` with katakana turned into hiragana (ー and everything else kept)."""
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def is_kana(text: str) -> bool:
    """True when ``text`` (NFKC, spaces ignored) is kana only: a reading, not a name in kanji or Latin."""
    t = to_hiragana(unicodedata.normalize("NFKC", text)).replace(" ", "").replace("・", "")
    return bool(t) and bool(_HIRAGANA.match(t))


def _syllables(kana: str) -> list[str]:
    """Split hiragana into syllables: a kana with its small kana, ん, っ and ー on their own."""
    out: list[str] = []
    i = 0
    while i < len(kana):
        pair = kana[i : i + 2]
        if len(pair) == 2 and pair in _DIGRAPHS:
            out.append(pair)
            i += 2
        else:
            out.append(kana[i])
            i += 1
    return out


def kana_to_romaji(kana: str) -> str:
    """Return the simplified-Hepburn romaji of a kana word, lower case (しんやまぐち → shinyamaguchi).

    As Japanese signs and the feeds' English write it: long vowels are not
    marked (おう, おお, うう → o, o, u; ー is dropped), ん is m before b and p
    (げんばく → gembaku), っ doubles the next consonant (っち → tch).  A long
    vowel is only taken as long once (おおうち → ouchi), and a trailing or
    の-following お stays (のみのお → nominoo), as does a う that begins a word
    after の (いけのうえ → ikenoue, まるのうち → marunouchi; but のうぎょう → nogyo).
    Characters that are not kana pass through unchanged.
    """
    sylls = _syllables(to_hiragana(kana))
    roman: list[str] = []  # one entry per syllable (possibly "")
    long_: list[bool] = []
    for i, s in enumerate(sylls):
        nxt = sylls[i + 1] if i + 1 < len(sylls) else ""
        prev_i = next((j for j in range(len(roman) - 1, -1, -1) if roman[j]), -1)
        prev = roman[prev_i] if prev_i >= 0 else ""
        prev_vowel = prev[-1] if prev and prev[-1] in "aiueo" else ""
        prev_long = long_[prev_i] if prev_i >= 0 else True
        r = _DIGRAPHS.get(s) or _BASE.get(s)
        if s == "ー":
            r, prev_long = "", True
            if prev_i >= 0:
                long_[prev_i] = True
        elif s == "う" and prev_vowel in ("o", "u") and not prev_long and not (sylls[i - 1] == "の" and nxt and nxt[0] in _WORDS_AFTER_NO):
            r = ""
            long_[prev_i] = True
        elif s == "お" and prev_vowel == "o" and not prev_long and nxt and sylls[i - 1] != "の":
            r = ""
            long_[prev_i] = True
        elif s == "っ":
            r = "\0"  # resolved below, once the next syllable is known
        elif s == "ん":
            r = "\1"
        elif r is None:
            r = s
        roman.append(r)
        long_.append(False)
    text = "".join(roman)
    text = re.sub("\0(ch)", r"t\1", text)
    text = re.sub("\0([bcdfghjklmnpqrstvwxyz])", r"\1\1", text)
    text = text.replace("\0", "")
    text = re.sub("\1(?=[bp])", "m", text)
    return text.replace("\1", "n")


# --- name rules ------------------------------------------------------------------------

#: Endings of a station name: (kanji, reading, English); 駅前 is the stop in front of the station.
_STATION_ENDINGS = (
    ("駅新幹線口", "えきしんかんせんぐち", " Sta. Shinkansen Entrance"),
    ("駅入口", "えきいりぐち", " Sta. Entrance"),
    ("駅北口", "えききたぐち", " Sta. North Entrance"),
    ("駅南口", "えきみなみぐち", " Sta. South Entrance"),
    ("駅東口", "えきひがしぐち", " Sta. East Entrance"),
    ("駅西口", "えきにしぐち", " Sta. West Entrance"),
    ("駅前", "えきまえ", " Sta."),
    ("駅", "えき", " Sta."),
)
#: Endings written as a word of their own ("Yuda Onsen", "Akiyoshi Shogakko").
_WORD_ENDINGS = (
    "温泉:おんせん 公園:こうえん 小学校:しょうがっこう 中学校:ちゅうがっこう 高校:こうこう 高等学校:こうとうがっこう "
    "大学:だいがく 病院:びょういん 郵便局:ゆうびんきょく 公民館:こうみんかん 会館:かいかん 美術館:びじゅつかん "
    "博物館:はくぶつかん 図書館:としょかん 体育館:たいいくかん 市役所:しやくしょ 役場:やくば 県庁:けんちょう 庁舎:ちょうしゃ "
    "団地:だんち 支所:ししょ 学園:がくえん 神社:じんじゃ 温泉街:おんせんがい 市場:いちば"
)
#: Endings that have a usual English name.
_ENGLISH_ENDINGS = (("空港", "くうこう", " Airport"), ("港", "こう", " Port"))
#: Endings joined with a hyphen, lower case ("-mae", "-dori"): (kanji, readings, core length needed).
_BOUND_ENDINGS = (
    ("前", ("まえ",), 1),
    ("丁目", ("ちょうめ",), 1),
    ("入口", ("いりぐち",), 1),
    ("北口", ("きたぐち",), 1),
    ("南口", ("みなみぐち",), 1),
    ("東口", ("ひがしぐち",), 1),
    ("西口", ("にしぐち",), 1),
    ("通り", ("どおり", "とおり"), 1),
    ("通", ("どおり", "とおり"), 1),
    ("中央", ("ちゅうおう",), 2),
    ("北", ("きた",), 2),
    ("南", ("みなみ",), 2),
    ("東", ("ひがし",), 2),
    ("西", ("にし",), 2),
)
#: 口 is "-guchi" only after a word ending (温泉口 → " Onsen-guchi"); 山口, 中尾口 are names.
_MOUTH = ("口", ("ぐち", "くち"))
#: Beginnings: (kanji, reading, English, core length needed).
_PREFIXES = (
    ("道の駅", "みちのえき", "Michi-no-Eki ", 1),
    ("新", "しん", "Shin-", 2),
    ("東", "ひがし", "Higashi-", 1),
    ("西", "にし", "Nishi-", 1),
    ("南", "みなみ", "Minami-", 1),
    ("北", "きた", "Kita-", 1),
    ("上", "かみ", "Kami-", 2),
    ("下", "しも", "Shimo-", 2),
    ("中", "なか", "Naka-", 2),
    ("長門", "ながと", "Nagato ", 1),
    ("周防", "すおう", "Suo ", 1),
    ("安芸", "あき", "Aki ", 1),
    ("石見", "いわみ", "Iwami ", 1),
)
#: One-kanji cores that a direction prefix does not split off (東山 is Higashiyama, not Higashi-Yama).
_GENERIC_ONE_KANJI = set("山川田側町原口野谷浦島村条坂台丘沢浜畑方区市岡")

#: Common katakana loanwords in stop names and their English.
_LOANWORDS = {
    "センター": "Center", "バス": "Bus", "ターミナル": "Terminal", "ドーム": "Dome", "タウン": "Town",
    "スポーツ": "Sports", "ハイツ": "Heights", "ホテル": "Hotel", "ゴルフ": "Golf", "パーク": "Park",
    "プラザ": "Plaza", "ホール": "Hall", "サイエンス": "Science", "エアポート": "Airport", "キャンパス": "Campus",
    "ショッピング": "Shopping", "モール": "Mall", "ニュー": "New", "シティ": "City", "シティー": "City",
    "ステーション": "Station", "インター": "Interchange", "グラン": "Grand", "ランド": "Land", "テクノ": "Techno",
    "リサーチ": "Research", "ビル": "Bldg.", "ホーム": "Home", "マート": "Mart", "ストア": "Store", "クリニック": "Clinic",
    "ガーデン": "Garden", "ヒルズ": "Hills", "ビーチ": "Beach", "ポート": "Port", "フェリー": "Ferry", "ロード": "Road",
    "スクエア": "Square", "アリーナ": "Arena", "スタジアム": "Stadium", "ミュージアム": "Museum", "ハウス": "House",
    "ニュータウン": "New Town", "ハイランド": "Highland", "ヒル": "Hill", "ライフ": "Life", "ハーバー": "Harbor", "アルプス": "Alps",
    # Words of route names (スーパーはぎ号, エアポートリムジン, クレアライン, 青ルート).
    "スーパー": "Super", "リムジン": "Limousine", "ライン": "Line", "ルート": "Route", "ループ": "Loop", "ライナー": "Liner",
    "シャトル": "Shuttle", "エクスプレス": "Express", "コース": "Course", "ブールバール": "Boulevard", "タワー": "Tower",
}  # fmt: skip
#: A katakana run that ends in loanwords of at least this many kana after a word of its own (クレア + ライン)
#: is written as that word romanised and the loanwords in English; shorter ones (ビル, ヒル) end too many words.
_TAIL_LOANWORD_KANA = 3
#: Kana names of Latin letters, for readings of names such as ＮＴＴ山口前 (えぬてぃーてぃー…).
_LETTER_NAMES = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "えー びー しー でぃー いー えふ じー えいち あい じぇー けー える えむ えぬ おー ぴー きゅー あーる えす てぃー ゆー ぶい だぶりゅー えっくす わい ぜっと".split(),
        strict=True,
    )
)


#: Readings of the small numbers written in digits in stop names (若草4丁目 わかくさよんちょうめ), most usual first.
_NUMBER_READINGS = {
    "1": ("いっ", "いち"), "2": ("に",), "3": ("さん",), "4": ("よん", "し", "よ"), "5": ("ご",), "6": ("ろく", "ろっ"),
    "7": ("なな", "しち"), "8": ("はっ", "はち"), "9": ("きゅう", "く"), "10": ("じゅっ", "じゅう"),
}  # fmt: skip


def _script(c: str) -> str:
    """The kind of run a character belongs to: jp (kanji, hiragana), kata, latin or sep."""
    if "\u3041" <= c <= "\u309f" or "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or c in "々〆ヶヵ〇":
        return "jp"
    if "\u30a1" <= c <= "\u30ff" and c != "・":
        return "kata"
    if c.isascii() and c.isalnum():
        return "latin"
    return "sep"


def _runs(name: str) -> list[tuple[str, str]]:
    """Cut a name into (script, text) runs; one katakana character between kanji (四ノ宮, 四ツ道路) stays in the kanji run."""
    kinds = [_script(c) for c in name]
    for i, c in enumerate(name):
        if kinds[i] == "kata" and 0 < i < len(name) - 1 and kinds[i - 1] == "jp" and kinds[i + 1] == "jp" and c != "ー":
            kinds[i] = "jp"
    runs: list[tuple[str, str]] = []
    for c, k in zip(name, kinds):
        if runs and runs[-1][0] == k:
            runs[-1] = (k, runs[-1][1] + c)
        else:
            runs.append((k, c))
    return runs


def _known_readings(kind: str, text: str) -> tuple[str, ...]:
    """The readings a run may have when they can be told from its text (kana, capital letters, small numbers), else ()."""
    if kind == "kata":
        return (to_hiragana(text),)
    if kind == "jp" and _HIRAGANA.match(text):
        return (text,)
    if kind == "latin" and text.isalpha() and text.isupper():
        return ("".join(_LETTER_NAMES[c] for c in text),)
    if kind == "latin" and text in _NUMBER_READINGS:
        return _NUMBER_READINGS[text]
    return ()


def _align(runs: list[tuple[str, str]], reading: str) -> list[str] | None:
    """Give each run its part of ``reading``, or None when the reading does not fit the runs."""
    parts: list[str] = []
    pos = 0
    for i, (kind, text) in enumerate(runs):
        if kind == "sep":
            parts.append("")
            continue
        known = next((k for k in _known_readings(kind, text) if reading.startswith(k, pos)), None)
        if known is not None:
            parts.append(known)
            pos += len(known)
            continue
        if kind == "latin":  # read some other way (or not at all): give it nothing
            parts.append("")
            continue
        if kind == "kata":
            return None
        # A kanji run: up to the next run whose reading is known; when an unknown run comes
        # first (萩・明倫センター, 中国電力・ｙａｂ前), the run's dictionary reading tells where it ends.
        following = [(k, t) for k, t in runs[i + 1 :] if k != "sep"]
        if following and not _known_readings(*following[0]):
            guess = generated_reading(text)
            if guess and reading.startswith(guess, pos) and pos + len(guess) < len(reading):
                parts.append(guess)
                pos += len(guess)
                continue
        end = len(reading)
        for kind2, text2 in runs[i + 1 :]:
            known2 = _known_readings(kind2, text2)
            if kind2 == "sep" or not known2:
                continue
            found = next((f for f in (reading.find(k, pos + 1) for k in known2) if f >= 0), -1)
            if found < 0:
                if kind2 == "latin":
                    continue
                return None
            end = found
            break
        if end <= pos:
            return None
        parts.append(reading[pos:end])
        pos = end
    return parts if pos == len(reading) else None


def _cap(word: str) -> str:
    """Capitalise the first letter of a romanised word."""
    return word[:1].upper() + word[1:]


def _peel(text: str, reading: str, first: bool) -> tuple[str, str, str, str]:
    """Split a kanji run into (prefix English, core text, core reading, suffix English).

    ``first``: the run begins the name (then a core must remain; a later run,
    such as the 前 of 原爆ドーム前, may be all suffix).
    """
    suffix = ""
    while True:
        step = _peel_ending(text, reading, first)
        if step is None:
            break
        text, reading, english = step
        if english.startswith("-") and suffix.startswith(" "):  # 中央 before 図書館: "Chuo Toshokan"
            english = " " + _cap(english[1:])
        suffix = english + suffix
        if not text:
            return "", "", "", suffix
    prefix = ""
    for kanji, kana, english, need in _PREFIXES:
        core = text[len(kanji) :]
        word_prefix = english.endswith(" ")
        if text.startswith(kanji) and reading.startswith(kana) and len(core) >= need and (word_prefix or not _HIRAGANA.match(core[:1])):
            stem = core[:-1] if len(core) > 1 and core[-1] in "橋寺町駅" else core
            if need == 1 and len(stem) == 1 and stem in _GENERIC_ONE_KANJI:
                continue
            prefix, text, reading = english, core, reading[len(kana) :]
            break
    return prefix, text, reading, suffix


def _peel_ending(text: str, reading: str, first: bool) -> tuple[str, str, str] | None:
    """Remove one known ending from (text, reading): return what is left and the English for it."""
    keep = 1 if first else 0
    numeral = text[-3:-2] if text.endswith("丁目") else ""
    for kana in _NUMBER_READINGS.get(str("一二三四五六七八九十".find(numeral) + 1), ()) if numeral else ():
        if reading.endswith(kana + "ちょうめ") and len(text) - 3 >= keep:  # 春日野二丁目 → Kasugano-nichome, as the feeds write it
            return text[:-3], reading[: -len(kana) - 4], "-" + kana_to_romaji(kana + "ちょうめ")
    for kanji, kana, english in _STATION_ENDINGS:
        if text.endswith(kanji) and reading.endswith(kana) and len(text) - len(kanji) >= keep and len(reading) - len(kana) >= keep:
            return text[: -len(kanji)], reading[: -len(kana)], english
    for kanji, kanas, need in _BOUND_ENDINGS:
        for kana in kanas:
            if text.endswith(kanji) and reading.endswith(kana) and len(text) - len(kanji) >= (need if keep else 0):
                return text[: -len(kanji)], reading[: -len(kana)], "-" + kana_to_romaji(kana)
    for kanji, kana, english in _ENGLISH_ENDINGS:
        if text.endswith(kanji) and reading.endswith(kana) and len(text) - len(kanji) >= keep:
            return text[: -len(kanji)], reading[: -len(kana)], english
    for item in _WORD_ENDINGS.split():
        kanji, kana = item.split(":")
        if text.endswith(kanji) and reading.endswith(kana) and len(text) - len(kanji) >= keep:
            return text[: -len(kanji)], reading[: -len(kana)], " " + _cap(kana_to_romaji(kana))
    kanji, kanas = _MOUTH
    for kana in kanas:
        rest = text[: -len(kanji)]
        after_word = any(rest.endswith(w.split(":")[0]) for w in _WORD_ENDINGS.split()) or (not rest and not first)
        if text.endswith(kanji) and reading.endswith(kana) and after_word:
            return rest, reading[: -len(kana)], "-" + kana_to_romaji(kana)
    return None


def _katakana_english(text: str) -> str:
    """English for a katakana run made of known loanwords (バスセンター → Bus Center), else its romaji, capitalised.

    A run that ends in loanwords after a word of its own keeps that word in
    romaji (クレアライン → Kurea Line); see :data:`_TAIL_LOANWORD_KANA`.
    """
    words = _loanwords(text, 1)
    if words is not None:
        return " ".join(words)
    for cut in range(2, len(text) - _TAIL_LOANWORD_KANA + 1):
        tail = _loanwords(text[cut:], _TAIL_LOANWORD_KANA)
        if tail is not None:
            return " ".join([_cap(kana_to_romaji(text[:cut])), *tail])
    return _cap(kana_to_romaji(text))


def _loanwords(text: str, shortest: int) -> list[str] | None:
    """The English of ``text`` cut into known loanwords of ``shortest`` kana or more (longest first), else None."""
    words: list[str] = []
    i = 0
    while i < len(text):
        for j in range(len(text), i + shortest - 1, -1):
            if text[i:j] in _LOANWORDS:
                words.append(_LOANWORDS[text[i:j]])
                i = j
                break
        else:
            return None
    return words


_POLE = re.compile(r"^(.+?)\s*(\d+)\s*番?\s*(?:のりば|乗り場|乗場|ノリバ)$")
_POLE_READING = re.compile(r"(?:ばん)?のりば$")
_PARENTHESES = re.compile(r"^(.+?)\s*\((.+)\)\s*$")


def romanize(name: str, reading: str | None) -> str:
    """Return the English form of a Japanese stop name from its kana reading (see the module docstring).

    ``reading`` is hiragana or katakana; None asks pykakasi for one.  A
    pole number (川崎駅西口60番のりば) becomes " Stop 60"; a part in
    parentheses (南アルプス市役所北（南アルプス市）) is romanised on its own.
    A reading that ends in まえ for a name without 前 (a slip seen in real
    feeds) loses the まえ.
    """
    name = unicodedata.normalize("NFKC", name).strip()
    if reading is not None:
        reading = to_hiragana(unicodedata.normalize("NFKC", reading)).replace(" ", "").replace("・", "")
    pole = _POLE.match(name)
    if pole:
        main_reading = None
        if reading is not None:
            main_reading = _POLE_READING.sub("", reading)
            number = next((k for k in _NUMBER_READINGS.get(pole.group(2), ()) if main_reading.endswith(k)), "")
            main_reading = main_reading[: len(main_reading) - len(number)]
        return f"{romanize(pole.group(1), main_reading)} Stop {pole.group(2)}"
    inner = _PARENTHESES.match(name)
    if inner:
        main, aside = inner.group(1), inner.group(2)
        split = _PARENTHESES.match(reading) if reading else None
        main_reading, aside_reading = (split.group(1), split.group(2)) if split else (reading, None)
        aside_en = romanize(aside, aside_reading) if has_japanese(aside) else aside
        return f"{romanize(main, main_reading)} ({aside_en})"
    if reading is None:
        reading = generated_reading(name)
    return _romanize_plain(name, reading)


def _romanize_plain(name: str, reading: str) -> str:
    """romanize() of a name without pole number or parentheses."""
    if reading.endswith("まえ") and not name.endswith("前"):
        reading = reading[:-2]
    runs = _runs(name)
    parts = _align(runs, reading)
    if parts is None:
        runs, parts = [("jp", name)], [reading]
    out = ""
    for (kind, text), part in zip(runs, parts):
        if kind == "sep":
            out += " " if out and not out.endswith(" ") else ""
            continue
        if kind == "latin":
            word = text
        elif kind == "kata":
            word = _katakana_english(text)
        else:
            prefix, _core, core_reading, suffix = _peel(text, part, first=(out == ""))
            core = _cap(kana_to_romaji(core_reading)) if core_reading else ""
            if not prefix and not core and suffix.startswith("-") and out:
                out = out.rstrip() + suffix
                continue
            word = prefix + core + suffix
        if out and not out.endswith(" "):
            out += " "
        out += word
    return re.sub(r"\s+", " ", out).strip()


# --- readings that the feed does not give ------------------------------------------------


@lru_cache(maxsize=1)
def _kakasi() -> pykakasi.kakasi:
    """The pykakasi converter, built once on first need (its dictionaries take a moment to load)."""
    import pykakasi

    return pykakasi.kakasi()


@lru_cache(maxsize=4096)
def generated_reading(name: str) -> str:
    """Return a hiragana reading of ``name`` guessed by pykakasi (kana only: digits, Latin and signs are left out)."""
    hira = "".join(item["hira"] for item in _kakasi().convert(unicodedata.normalize("NFKC", name)))
    return "".join(c for c in hira if "\u3041" <= c <= "\u309f" or c == "ー")


def has_japanese(text: str) -> bool:
    """True when ``text`` has kana or kanji (a name that needs romanising)."""
    return any(_script(c) in ("jp", "kata") for c in unicodedata.normalize("NFKC", text))


def reading_of(names: Mapping[str, str]) -> str:
    """Return the kana reading among a stop's names (ja-Hrkt and the like), or ''."""
    for lang in READING_LANGUAGES:
        if names.get(lang):
            return names[lang]
    return ""


@lru_cache(maxsize=8192)
def english_name(name: str, reading: str, translation: str) -> tuple[str, str]:
    """Return (English name, source) for one stop: its translation, else its romanised reading, else a generated one.

    ``source`` is one of :data:`NAME_SOURCES`.  A name that has no Japanese
    characters is its own English name (source ``feed``).
    """
    if translation:
        return translation, SOURCE_FEED
    if not name or not has_japanese(name):
        return name, SOURCE_FEED
    if reading and is_kana(reading):
        return romanize(name, reading), SOURCE_READING
    return romanize(name, None), SOURCE_GENERATED


def with_english(name: str, names: dict[str, str]) -> tuple[dict[str, str], str]:
    """Return a stop's ``{language: name}`` with an ``en`` entry added where the feed has none, and its source.

    ``names`` uses canonical language tags (see
    :func:`maas.feeds.translations.canonical_language`); it is not changed.
    """
    english, source = english_name(name, reading_of(names), names.get("en", ""))
    if english and not names.get("en"):
        names = {**names, "en": english}
    return names, source


# --- route names and headsigns -------------------------------------------------------------

#: A feed's names by their text: ``{text_key(text): {language: name}}`` (see :func:`maas.feeds.translations.glossary`).
Glossary = Mapping[str, Mapping[str, str]]

#: Kinds of service in JR's English, said before the rest ("A団地経由急行" → "Express via A Danchi").
_SERVICE_WORDS = (("各駅停車", "Local"), ("特急", "Limited Express"), ("急行", "Express"), ("快速", "Rapid"), ("高速", "Highway"))
#: Service words also read at the end of a name (高速 ends too many names: 中国高速).
_TRAILING_SERVICE_WORDS = {"各駅停車", "特急", "急行", "快速"}
#: Whole words of route names: the way round a loop (as JR East writes the Yamanote Line's).
_WHOLE_WORDS = {"内回り": "Inner Loop", "外回り": "Outer Loop", "右回り": "Clockwise", "左回り": "Counterclockwise", "循環": "Loop", "新幹線": "Shinkansen"}
#: A route named by its colour: 青ルート → Blue Route.
_COLOURED = re.compile(r"^([青赤緑黄白黒紫橙桃茶金銀])(ルート|コース|ライン|線)$")
_COLOURS = dict(zip("青赤緑黄白黒紫橙桃茶金銀", "Blue Red Green Yellow White Black Purple Orange Pink Brown Gold Silver".split(), strict=True))
#: Endings of route names and their English, longest first (山陽本線 → Sanyo Main Line).
_LINE_ENDINGS = (
    ("新幹線", " Shinkansen"),
    ("循環バス", " Loop Bus"),
    ("循環線", " Loop Line"),
    ("本線", " Main Line"),
    ("支線", " Branch Line"),
    ("循環", " Loop"),
    ("線", " Line"),
)
#: Readings that a stop name adds to a word it begins with (東萩駅 ひがしはぎえき gives 東萩 ひがしはぎ).
_NAME_ENDINGS = (("駅前", "えきまえ"), ("駅", "えき"), ("前", "まえ"))
_PARENTHESES_AT_END = re.compile(r"^(.*\S)\s*[(〈《「『\[]([^()]+)[)〉》」』\]]$")
_RANGE = re.compile(r"\s*[~〜→⇔↔]\s*")
_NUMBERED = re.compile(r"^(.*?)\s*(\d+)$")


def text_key(text: str) -> str:
    """Return ``text`` as names are compared across a feed's files: NFKC, outer spaces removed (Ａ団地 and A団地 are one)."""
    return unicodedata.normalize("NFKC", str(text)).strip()


def label_english(name: str, glossary: Glossary | None = None) -> str:
    """Return the English of a route name or headsign, made of the feed's names for its parts where it has them.

    A name the glossary knows is its English, else its reading romanised.
    Otherwise the name is taken apart and each part named the same way, or
    romanised (:func:`romanize`; pykakasi guesses a reading the feed does
    not give)::

        秋吉線                        → Akiyoshi Line
        東萩                          → Higashi-Hagi (東萩駅 ひがしはぎえき gives the reading)
        県庁・ゆめタウン経由          → via Kencho, Yume Town
        A団地経由急行                 → Express via A Danchi
        東萩行き                      → Higashi-Hagi (a headsign names where the ride goes)
        新山口駅～東萩駅線（スーパーはぎ号） → Shin-Yamaguchi Sta. - Higashi-Hagi Sta. Line (Super Hagi)
        のんバス 青ルート（内回り）   → Non Bus Blue Route (Inner Loop)
        山陽本線                      → Sanyo Main Line

    Only words of a fixed list are translated (線, 本線, 循環, 内回り, 急行,
    経由, colours, common loanwords); names are romanised, never guessed
    into English.  Text without kana or kanji is its own English.
    """
    return re.sub(r"\s+", " ", _label(text_key(name), glossary or {})).strip()


def with_label_english(name: str, names: Mapping[str, str], glossary: Glossary | None = None) -> dict[str, str]:
    """Return a route name's or headsign's ``{language: text}`` with the feed's names of the same text and an ``en`` entry added.

    ``names`` (the record's own translations, canonical language tags) win;
    then the glossary's names of the same text (:func:`same_text_names`);
    then :func:`label_english`.  ``names`` is not changed.
    """
    out = same_text_names(name, names, glossary)
    if name and not out.get("en"):
        out["en"] = label_english(name, glossary)
    return out


def same_text_names(name: str, names: Mapping[str, str], glossary: Glossary | None = None) -> dict[str, str]:
    """Return ``names`` with the glossary's names of the same text added where missing.

    A headsign that is a stop's name (高陽車庫) takes that stop's English,
    Korean, Chinese and reading: the feed's own translations of that text.
    ``names`` is not changed.
    """
    out = dict(names)
    for lang, text in (glossary or {}).get(text_key(name), {}).items() if name else ():
        if text:
            out.setdefault(lang, text)
    return out


def _label(text: str, glossary: Glossary) -> str:
    """label_english() of a text in :func:`text_key` form."""
    text = text.strip()
    if not has_japanese(text):
        return text
    known = _known_english(text, glossary)
    if known:
        return known
    for rule in (_parts_in_parentheses, _parts_around_colon, _words, _range, _service, _whole_word, _coloured, _via, _bound_for, _line, _numbered):
        english = rule(text, glossary)
        if english is not None:
            return english
    return romanize(text, _derived_reading(text, glossary))


def _known_english(text: str, glossary: Glossary) -> str:
    """The glossary's English of ``text``, else its reading romanised, else ''."""
    names = glossary.get(text, {})
    if names.get("en"):
        return names["en"]
    reading = reading_of(names)
    return romanize(text, reading) if reading and is_kana(reading) else ""


def _derived_reading(text: str, glossary: Glossary) -> str | None:
    """The reading of a word that begins a stop name the glossary reads (東萩 from 東萩駅 ひがしはぎえき), else None."""
    for ending, kana in _NAME_ENDINGS:
        reading = reading_of(glossary.get(text + ending, {}))
        if reading and is_kana(reading):
            hira = to_hiragana(unicodedata.normalize("NFKC", reading)).replace(" ", "")
            if hira.endswith(kana) and len(hira) > len(kana):
                return hira[: -len(kana)]
    return None


def _parts_in_parentheses(text: str, glossary: Glossary) -> str | None:
    """X（Y）, X〈Y〉 → "X (Y)"."""
    match = _PARENTHESES_AT_END.match(text)
    if not match:
        return None
    return f"{_label(match.group(1), glossary)} ({_label(match.group(2), glossary)})"


def _parts_around_colon(text: str, glossary: Glossary) -> str | None:
    """高速：クレアライン → "Highway: Kurea Line"."""
    if ":" not in text:
        return None
    head, tail = text.split(":", 1)
    return f"{_label(head, glossary)}: {_label(tail, glossary)}" if head.strip() and tail.strip() else None


def _words(text: str, glossary: Glossary) -> str | None:
    """Words apart (のんバス 青ルート) are named one by one."""
    words = text.split()
    return " ".join(_label(w, glossary) for w in words) if len(words) > 1 else None


def _range(text: str, glossary: Glossary) -> str | None:
    """新山口駅～東萩駅 → "Shin-Yamaguchi Sta. - Higashi-Hagi Sta."; a ～ with one kana beside it is a long vowel (めいぷる～ぷ)."""
    parts = _RANGE.split(text)
    if len(parts) < 2:
        return None
    if any(len(p) < 2 for p in parts):
        if not re.search("[~〜]", text):
            return None
        long_vowel = re.sub("[~〜]", "ー", text)
        return _cap(kana_to_romaji(long_vowel)) if is_kana(long_vowel) else _label(long_vowel, glossary)
    return " - ".join(_label(p, glossary) for p in parts)


def _service(text: str, glossary: Glossary) -> str | None:
    """急行 → Express; 特急スーパーおき → "Limited Express Super Oki"; A団地経由急行 → "Express via A Danchi"."""
    for word, english in _SERVICE_WORDS:
        if text == word:
            return english
        if text.startswith(word):
            return f"{english} {_label(text[len(word) :], glossary)}"
        if text.endswith(word) and word in _TRAILING_SERVICE_WORDS:
            return f"{english} {_label(text[: -len(word)], glossary)}"
    return None


def _whole_word(text: str, _glossary: Glossary) -> str | None:
    """内回り → Inner Loop, 循環 → Loop, 新幹線 → Shinkansen."""
    return _WHOLE_WORDS.get(text)


def _coloured(text: str, _glossary: Glossary) -> str | None:
    """青ルート → Blue Route, 赤線 → Red Line."""
    match = _COLOURED.match(text)
    if not match:
        return None
    kind = match.group(2)
    return f"{_COLOURS[match.group(1)]} {'Line' if kind == '線' else _katakana_english(kind)}"


def _via(text: str, glossary: Glossary) -> str | None:
    """県庁・ゆめタウン経由 → "via Kencho, Yume Town" (a list the glossary knows whole, 萩・明倫センター, stays one)."""
    if not text.endswith("経由") or len(text) <= 2:
        return None
    parts = [p for p in re.split("[・、,]", text[:-2]) if p.strip()]
    names: list[str] = []
    i = 0
    while i < len(parts):
        j = next(j for j in range(len(parts), i, -1) if j == i + 1 or "・".join(parts[i:j]) in glossary)
        names.append(_label("・".join(parts[i:j]), glossary))
        i = j
    return "via " + ", ".join(names)


def _bound_for(text: str, glossary: Glossary) -> str | None:
    """東萩行き → "Higashi-Hagi": the headsign names where it goes (行 alone only after a known name or 駅: 銀行 is a bank)."""
    for ending in ("行き", "ゆき", "行"):
        rest = text[: -len(ending)]
        if text.endswith(ending) and rest and (ending != "行" or rest in glossary or rest.endswith("駅")):
            return _label(rest, glossary)
    return None


def _line(text: str, glossary: Glossary) -> str | None:
    """秋吉線 → Akiyoshi Line, 山陽本線 → Sanyo Main Line, 秋芳洞循環バス → Akiyoshido Loop Bus."""
    for ending, english in _LINE_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending):
            return _label(text[: -len(ending)], glossary) + english
    return None


def _numbered(text: str, glossary: Glossary) -> str | None:
    """スーパーはぎ号 → "Super Hagi" (号 names a service, it is not said in English); はぎ1号 → "Hagi No. 1"."""
    if not text.endswith("号") or len(text) < 2:
        return None
    rest = text[:-1]
    match = _NUMBERED.match(rest)
    if match:
        return f"{_label(match.group(1), glossary)} No. {match.group(2)}".strip()
    return _label(rest, glossary)
