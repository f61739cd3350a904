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

import pandas as pd

from maas.feeds.reader import Feed

#: Which table each GTFS file name corresponds to in ``table_name``.
_TABLE_OF_FILE = {"stops.txt": "stops", "routes.txt": "routes", "trips.txt": "trips", "agency.txt": "agency"}


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
    are lower-case BCP 47 tags as the feed gives them (``en``, ``ja-Hrkt``…).
    """
    table = feed.table(filename)
    own_lang = feed_language(feed)
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
                by_text[str(text)][str(lang)] = str(translation)
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
        if rid:
            if str(rid) in names:
                names[str(rid)][str(lang)] = str(translation)
        elif fv:
            by_value[str(fv)][str(lang)] = str(translation)
    if by_value:
        for rid, value in zip(table[id_col], values):
            for lang, translation in by_value.get(str(value), {}).items():
                names[str(rid)].setdefault(lang, translation)
    return names
