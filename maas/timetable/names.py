"""Route names and headsigns in every language: the feed's translations, else the English of :func:`~maas.feeds.romaji.label_english`.

Stops get their English in :func:`~maas.feeds.romaji.with_english`; a route
name or a headsign is rather made of names (秋吉線, 県庁・ゆめタウン経由,
東萩), so it is named from the feed's translations of the same text or of
its parts (:func:`~maas.feeds.translations.glossary`) and romanised where
the feed names nothing.

Headsigns are kept once per distinct (text, translations) of a feed in a
:class:`HeadsignTable`; trips and stop times point into it, -1 for none.
Trip short names (こだま, 各駅停車, 朝1便) are kept the same way by
:func:`trip_short_names`, with the feed's translations only: romanising a
train's name guesses badly where the feed names nothing (朝1便 would lose
its number), and the feed's own text is the fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from maas.feeds.reader import Feed
from maas.feeds.romaji import Glossary, label_english, same_text_names, with_label_english
from maas.feeds.translations import stop_headsign_translations, translated_names


@dataclass
class HeadsignTable:
    """The distinct headsigns of one feed: each one's own text and ``{language: text}`` with an ``en`` entry."""

    own_lang: str
    glossary: Glossary
    texts: list[str] = field(default_factory=list)
    names: list[dict[str, str]] = field(default_factory=list)
    _index: dict[tuple[str, tuple[tuple[str, str], ...]], int] = field(default_factory=dict, repr=False)

    def add(self, text: str, translations: Mapping[str, str]) -> int:
        """Return the index of ``text`` with its record's ``translations`` (-1 for an empty text), adding it when new."""
        if not text:
            return -1
        translations = {lang: name for lang, name in translations.items() if not (lang == self.own_lang and name == text)}
        key = (text, tuple(sorted(translations.items())))
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = len(self.texts)
            self.texts.append(text)
            self.names.append(with_label_english(text, {self.own_lang: text, **translations}, self.glossary))
        return index


def route_names(feed: Feed, routes: pd.DataFrame, own_lang: str, glossary: Glossary) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Return each route's ``{language: name}`` (short name preferred) and ``{language: long name}`` (empty where there is none).

    ``routes`` has the columns ``route_id``, ``short`` and ``long`` (a long
    name may come from routes_jp.txt: then it has no translations of its
    own).  The shown name takes the feed's names of the short name over
    those of the long one, language by language; an English name the feed
    does not give is the short name's (a Latin one such as ``30-15`` is its
    own), else the long name's (:func:`~maas.feeds.romaji.label_english`).
    """
    short_i18n = translated_names(feed, "routes.txt", "route_id", "route_short_name")
    long_i18n = translated_names(feed, "routes.txt", "route_id", "route_long_name")
    shown, longs = [], []
    for rid, short, long in zip(routes["route_id"], routes["short"], routes["long"]):
        short_names = same_text_names(short, short_i18n.get(rid) or {own_lang: short}, glossary) if short else {}
        long_names = same_text_names(long, long_i18n.get(rid) or {own_lang: long}, glossary) if long else {}
        names = {**long_names, **{k: v for k, v in short_names.items() if v}}
        if (short or long) and not names.get("en"):
            names["en"] = label_english(short or long, glossary)
        shown.append(names)
        longs.append(with_label_english(long, long_names, glossary) if long else {})
    return shown, longs


def trip_headsigns(feed: Feed, trips: pd.DataFrame, table: HeadsignTable) -> np.ndarray:
    """Return each trip's index in ``table`` (int32, -1 without headsign); ``trips`` has ``trip_id`` and ``headsign``."""
    translations = translated_names(feed, "trips.txt", "trip_id", "trip_headsign")
    refs = [table.add(text, translations.get(tid, {})) for tid, text in zip(trips["trip_id"], trips["headsign"])]
    return np.array(refs, np.int32)


def stop_time_headsigns(feed: Feed, stop_times: pd.DataFrame, table: HeadsignTable) -> np.ndarray:
    """Return each stop time's index in ``table`` (int32, -1: the trip's headsign); ``stop_times`` has ``trip_id``, ``seq``, ``headsign``.

    Each distinct text is named once (stop_times.txt has a row per call).
    """
    by_value, by_record = stop_headsign_translations(feed)
    codes, texts = pd.factorize(stop_times["headsign"].to_numpy(), sort=False)
    lookup = np.array([table.add(str(text), by_value.get(str(text), {})) for text in texts] + [-1], np.int32)
    refs = lookup[codes]  # a code of -1 (no value) picks the last entry: -1
    if by_record:
        position = {key: row for row, key in enumerate(zip(stop_times["trip_id"], stop_times["seq"].tolist()))}
        for key, names in by_record.items():
            row = position.get(key)
            text = str(stop_times["headsign"].iat[row]) if row is not None else ""
            if text:
                refs[row] = table.add(text, {**by_value.get(text, {}), **names})
    out: np.ndarray = refs.astype(np.int32)
    return out


def trip_short_names(feed: Feed, trips: pd.DataFrame) -> tuple[np.ndarray, list[dict[str, str]]]:
    """Return each trip's index in the list of distinct short names (int32, -1 without one) and that list.

    ``trips`` has ``trip_id`` and ``short``.  Each entry is ``{language: text}``:
    the feed's own text under its language and the feed's translations of
    ``trips.trip_short_name`` (by ``record_id`` or by ``field_value``, or the
    GTFS-JP legacy table; :func:`~maas.feeds.translations.translated_names`).
    A feed's trips share one entry per distinct (text, translations), as
    headsigns do: hundreds of trips are each 各駅停車.
    """
    translations = translated_names(feed, "trips.txt", "trip_id", "trip_short_name")
    names: list[dict[str, str]] = []
    index: dict[tuple[tuple[str, str], ...], int] = {}
    refs = []
    for tid, text in zip(trips["trip_id"], trips["short"]):
        if not text:
            refs.append(-1)
            continue
        entry = translations.get(str(tid)) or {}
        key = (("", str(text)), *sorted(entry.items()))  # the text itself first: a record without its own language still differs
        if key not in index:
            index[key] = len(names)
            names.append(dict(entry))
        refs.append(index[key])
    return np.array(refs, np.int32), names
