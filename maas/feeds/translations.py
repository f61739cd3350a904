"""Names in several languages from ``translations.txt``, in either of its two forms.

GTFS-JP v1/v2 used a table keyed by the Japanese text itself::

    trans_id,lang,translation          阿知須駅,en,Ajisu Station

GTFS (and GTFS-JP v3) uses::

    table_name,field_name,language,translation,record_id,record_sub_id,field_value

where a row names one record (``record_id``) or every record whose field has
``field_value``.  :func:`translated_names` hides the difference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import pandas as pd

from maas.feeds.reader import Feed
from maas.feeds.romaji import text_key

#: Which table each GTFS file name corresponds to in ``table_name``.
_TABLE_OF_FILE = {"stops.txt": "stops", "routes.txt": "routes", "trips.txt": "trips", "agency.txt": "agency"}


#: Chinese regions and the script their names are written in (feeds say zh-cn / zh-tw; we serve zh-Hans / zh-Hant).
_CHINESE_SCRIPT_OF_REGION = {"CN": "Hans", "SG": "Hans", "MY": "Hans", "TW": "Hant", "HK": "Hant", "MO": "Hant"}
#: Scripts of kana readings: a reading is never served as a name in place of the Japanese one.
_READING_SCRIPTS = {"Hrkt", "Hira", "Kana"}


def canonical_language(tag: str) -> str:
    """Return a language tag in its BCP 47 casing, Chinese by script rather than region.

    ``EN`` → ``en``, ``ja-hrkt`` → ``ja-Hrkt``, ``en_gb`` → ``en-GB``;
    ``zh-cn``/``zh-SG`` → ``zh-Hans`` and ``zh-tw``/``zh-HK`` → ``zh-Hant`` (what
    a reader needs is the script, and that is how the service is asked:
    ``lang=zh-Hans``).  Other subtags are dropped.
    """
    parts = [p for p in str(tag).strip().replace("_", "-").split("-") if p]
    if not parts:
        return ""
    lang = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
    region = next((p.upper() for p in parts[1:] if (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit())), "")
    if lang == "zh":
        script = script or _CHINESE_SCRIPT_OF_REGION.get(region, "")
        return f"zh-{script}" if script else "zh"
    return "-".join(x for x in (lang, script, region) if x)


def _language_parts(tag: str) -> tuple[str, str]:
    """(language, script) of a canonical tag."""
    parts = tag.split("-")
    return parts[0], next((p for p in parts[1:] if len(p) == 4), "")


def _in_language(names: Mapping[str, str], lang: str) -> str:
    """The name in ``lang`` exactly, else in a tag of the same language and script (en for en-GB), else ''."""
    want = canonical_language(lang)
    if names.get(want):
        return names[want]
    base, script = _language_parts(want)
    for key, value in names.items():
        kbase, kscript = _language_parts(canonical_language(key))
        if value and kbase == base and (kscript == script or not kscript) and kscript not in _READING_SCRIPTS:
            return value
    if not script:  # "en-GB" asked, only "en-US" known: still English
        for key, value in names.items():
            kbase, kscript = _language_parts(canonical_language(key))
            if value and kbase == base and kscript not in _READING_SCRIPTS:
                return value
    return ""


def pick_name(names: Mapping[str, str], lang: str | None, own: str) -> str:
    """Return the name to show in ``lang``: that language's, else English, else ``own`` (the feed's own name).

    ``lang`` None gives the own name.  A kana reading (ja-Hrkt) is given only
    when asked for by name; zh-Hans and zh-Hant do not stand in for each other.
    """
    if not lang:
        return own
    return _in_language(names, lang) or _in_language(names, "en") or own


def translation_form(feed: Feed) -> str | None:
    """Return ``"gtfs"``, ``"gtfs-jp-legacy"`` or None (no usable translations.txt)."""
    t = feed.tables.get("translations.txt")
    if t is None or len(t) == 0:
        return None
    cols = set(t.columns)
    if {"table_name", "field_name", "language", "translation"} <= cols:
        return "gtfs"
    if {"trans_id", "lang", "translation"} <= cols:
        return "gtfs-jp-legacy"
    return None


def feed_language(feed: Feed) -> str:
    """Return the language the feed's own names are written in (``feed_lang``, else agency_lang, else ``ja``)."""
    for filename, col in (("feed_info.txt", "feed_lang"), ("agency.txt", "agency_lang")):
        values = [v for v in feed.column(filename, col) if v]
        if values:
            return str(values[0]).lower()
    return "ja"


def translated_names(feed: Feed, filename: str, id_col: str, field: str) -> dict[str, dict[str, str]]:
    """Return ``{record_id: {language: text}}`` for one name field of one file.

    The record's own value is included under the feed's language.  Languages
    are BCP 47 tags in :func:`canonical_language` form (``en``, ``ja-Hrkt``,
    ``zh-Hans`` for the feed's ``zh-cn``…).
    """
    table = feed.table(filename)
    own_lang = canonical_language(feed_language(feed))
    names: dict[str, dict[str, str]] = {}
    if id_col not in table.columns:
        return names
    values = feed.column(filename, field)
    for rid, value in zip(table[id_col], values):
        names[str(rid)] = {own_lang: str(value)} if value else {}
    form = translation_form(feed)
    if form is None:
        return names
    tr = feed.table("translations.txt")
    if form == "gtfs-jp-legacy":
        by_text: dict[str, dict[str, str]] = defaultdict(dict)
        for text, lang, translation in zip(tr["trans_id"], tr["lang"], tr["translation"]):
            if text and lang and translation:
                by_text[str(text)][canonical_language(lang)] = str(translation)
        for rid, value in zip(table[id_col], values):
            for lang, translation in by_text.get(str(value), {}).items():
                names[str(rid)].setdefault(lang, translation)
        return names
    table_name = _TABLE_OF_FILE.get(filename, filename.removesuffix(".txt"))
    rows = tr[(tr["table_name"] == table_name) & (tr["field_name"] == field)]
    record_ids = rows["record_id"] if "record_id" in rows.columns else pd.Series([""] * len(rows), index=rows.index)
    field_values = rows["field_value"] if "field_value" in rows.columns else pd.Series([""] * len(rows), index=rows.index)
    by_value: dict[str, dict[str, str]] = defaultdict(dict)
    for rid, fv, lang, translation in zip(record_ids, field_values, rows["language"], rows["translation"]):
        if not (lang and translation):
            continue
        lang = canonical_language(lang)
        if rid:
            if str(rid) in names:
                names[str(rid)][lang] = str(translation)
        elif fv:
            by_value[str(fv)][lang] = str(translation)
    if by_value:
        for rid, value in zip(table[id_col], values):
            for lang, translation in by_value.get(str(value), {}).items():
                names[str(rid)].setdefault(lang, translation)
    return names


#: The id column of each table a GTFS-form translation may name by record (stop_times is named by trip and sequence).
_ID_COLUMN = {"stops": ("stops.txt", "stop_id"), "routes": ("routes.txt", "route_id"), "trips": ("trips.txt", "trip_id"), "agency": ("agency.txt", "agency_id")}


def glossary(feed: Feed) -> dict[str, dict[str, str]]:
    """Return ``{text: {language: translation}}``: every translation of the feed keyed by the text it translates.

    Route names and headsigns are mostly made of names the feed translates
    elsewhere (a headsign is a stop's name; 萩・明倫センター is a stop before
    it is part of 県庁・萩・明倫センター経由), so they are named from this.
    The legacy form is keyed by text already; in the GTFS form a
    ``field_value`` row names its value, and a ``record_id`` row of stops,
    routes, trips or agency the record's text in that field.  Keys are in
    :func:`~maas.feeds.romaji.text_key` form; the first translation of a text
    into a language wins.
    """
    out: dict[str, dict[str, str]] = defaultdict(dict)
    form = translation_form(feed)
    if form is None:
        return {}
    tr = feed.table("translations.txt")
    if form == "gtfs-jp-legacy":
        for text, lang, translation in zip(tr["trans_id"], tr["lang"], tr["translation"]):
            if text and lang and translation:
                out[text_key(text)].setdefault(canonical_language(lang), str(translation))
        return dict(out)
    columns = {name: feed.column("translations.txt", name).astype(str).tolist() for name in ("table_name", "field_name", "record_id", "field_value")}
    texts: dict[tuple[str, str], dict[str, str]] = {}
    for i, (lang, translation) in enumerate(zip(tr["language"], tr["translation"])):
        if not (lang and translation):
            continue
        text = columns["field_value"][i]
        table, field, record = columns["table_name"][i], columns["field_name"][i], columns["record_id"][i]
        if not text and record and table in _ID_COLUMN:
            if (table, field) not in texts:
                filename, id_col = _ID_COLUMN[table]
                texts[table, field] = dict(zip(feed.column(filename, id_col).astype(str), feed.column(filename, field).astype(str)))
            text = texts[table, field].get(record, "")
        if text:
            out[text_key(text)].setdefault(canonical_language(lang), str(translation))
    return dict(out)


def stop_headsign_translations(feed: Feed) -> tuple[dict[str, dict[str, str]], dict[tuple[str, int], dict[str, str]]]:
    """Return the GTFS-form translations of ``stop_times.stop_headsign``: by the text, and by (trip_id, stop_sequence).

    A ``field_value`` row translates every stop time with that headsign; a
    ``record_id`` (trip) with ``record_sub_id`` (stop sequence) row one stop
    time.  The legacy form is keyed by text only: see :func:`glossary`.
    """
    by_value: dict[str, dict[str, str]] = defaultdict(dict)
    by_record: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    if translation_form(feed) != "gtfs":
        return {}, {}
    tr = feed.table("translations.txt")
    rows = tr[(tr["table_name"] == "stop_times") & (tr["field_name"] == "stop_headsign")]
    for i, (lang, translation) in enumerate(zip(rows["language"], rows["translation"])):
        if not (lang and translation):
            continue
        record, sub, value = (str(rows[c].iat[i]) if c in rows.columns else "" for c in ("record_id", "record_sub_id", "field_value"))
        if record and sub.strip().isdigit():
            by_record[record, int(sub)][canonical_language(lang)] = str(translation)
        elif value:
            by_value[value][canonical_language(lang)] = str(translation)
    return dict(by_value), dict(by_record)
