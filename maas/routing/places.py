"""Turn what a person types into a place: a stop id, a station or stop name, a POI, or ``lat,lon``.

Names match in any language the data carries (Japanese, English, kana
readings, the romanised names of :mod:`maas.feeds.romaji`), forgivingly:
case, full-width letters, spaces, hyphens, long vowels (ō/ou/oo/o), Hepburn
variants (m/n before b and p, tch/cch), a trailing "Sta." / "Station" / "駅" /
"駅前" / "eki", and kana for romaji do not matter ("shin yamaguchi",
"Shin-Yamaguchi", "Shinyamaguchi", "新山口", "新山口駅" and "しんやまぐち" are
the same).  Stops of any feed whose names agree that way and that lie close
together (a station's platforms, the bus stops in front of it, each with
several poles) form one place, and the planner uses all of its stops.  An
unknown name, or one naming places far apart, raises
:class:`PlaceNotFoundError` listing the closest candidates with their modes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from maas.errors import InputError, PlaceNotFoundError
from maas.feeds.romaji import is_kana, kana_to_romaji
from maas.feeds.translations import pick_name
from maas.geo import haversine_m
from maas.network.network import Network

#: Stops sharing a name are one place when each lies within this distance of another one of them.
CLUSTER_M = 400.0

_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
#: Endings that say "the station" (or "the stop in front of it") and not which one.
_JA_SUFFIXES = ("駅前", "駅", "えきまえ", "えき", "エキマエ", "エキ", "停留所", "バス停", "ていりゅうじょ", "ばすてい")
_LATIN_SUFFIX = re.compile(r"[\s\-.]+(?:station|sta|stn|eki|ekimae|bus\s*stop)\.?$")
_MACRONS = str.maketrans({c: b for b, cs in (("a", "āâÂĀ"), ("i", "īîÎĪ"), ("u", "ūûÛŪ"), ("e", "ēêÊĒ"), ("o", "ōôÔŌ")) for c in cs})
#: Hepburn variants written either way: ん as m before b/p, っち as tch or cch.
_VARIANTS = (("mb", "nb"), ("mp", "np"), ("cch", "tch"))


@dataclass(frozen=True)
class Place:
    """A resolved origin or destination, as :meth:`PlaceIndex.resolve` returns it.

    Parameters
    ----------
    kind
        ``stop``, ``station``, ``poi`` or ``point``.
    id
        The stop id (``FEED:stop_id`` when ids clash), the POI id, or ``lat,lon``.
    name
        The name as the data writes it (its own language).
    lat, lon
        Position, WGS84 degrees.
    stops
        The stop indices that *are* the place (reached without walking): a
        station's platforms and the same-named stops around it; empty for a
        position or POI, which are reached on foot from nearby stops.
    names
        ``{language: name}`` (``ja``, ``en``, ``ko``, ``zh-Hans``, ...).
    """

    kind: str
    id: str
    name: str
    lat: float
    lon: float
    stops: tuple[int, ...] = ()
    names: dict[str, str] = field(default_factory=dict)

    def display(self, lang: str | None = None) -> str:
        """Return the name in ``lang``, else in English, else the own name (``lang`` None: the own name)."""
        return pick_name(self.names, lang, self.name)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Return ``{"id", "name", "lat", "lon"}`` plus the kind and names."""
        return {
            "id": self.id,
            "name": self.display(lang),
            "lat": round(self.lat, 7),
            "lon": round(self.lon, 7),
            "kind": self.kind,
            "names": self.names,
        }


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """Return the comparable form of a name (see module docstring); used on the data and on what is typed alike."""
    t = unicodedata.normalize("NFKC", text).translate(_MACRONS).lower().strip()
    t = re.sub(r"\(.*?\)", " ", t).strip()
    t = _LATIN_SUFFIX.sub("", t) or t
    for suffix in _JA_SUFFIXES:
        if t.endswith(suffix) and len(t) > len(suffix):
            t = t[: -len(suffix)].rstrip()
            break
    if is_kana(t):
        t = kana_to_romaji(t.replace(" ", "").replace("・", ""))
    t = re.sub(r"[\s\-‐–—_'’.,・/]+", "", t)
    t = t.replace("ou", "o").replace("oo", "o").replace("uu", "u")
    for variant, usual in _VARIANTS:
        t = t.replace(variant, usual)
    return t


def _stop_modes(network: Network) -> list[set[str]]:
    """The modes serving each stop (a station: its platforms'), so that candidates that share a name can be told apart."""
    tt = network.timetable
    modes: list[set[str]] = [set() for _ in range(tt.n_stops)]
    for p in range(len(tt.pattern_route)):
        mode = tt.route_modes[tt.pattern_route[p]]
        for s in tt.pattern_stops[tt.pattern_stop_offsets[p] : tt.pattern_stop_offsets[p + 1]]:
            modes[s].add(mode)
            if tt.stop_parent[s] >= 0:
                modes[tt.stop_parent[s]].add(mode)
    return modes


#: Places one :class:`PlaceIndex` keeps by what was typed (and the field it came from).
RESOLVED_CACHE = 4096


class PlaceIndex:
    """All names of a network's stops and POIs, for turning what people type into places.

    See the module docstring for how forgiving the match is and how stops of
    the same name become one place.

    Parameters
    ----------
    network
        The network whose stops (every feed) and POIs are indexed.

    Examples
    --------
    >>> places = maas.PlaceIndex(network)  # doctest: +SKIP
    >>> places.resolve("shin yamaguchi").kind  # doctest: +SKIP
    'station'
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        tt = network.timetable
        self._keys: list[str] = []
        self._targets: list[tuple[str, int]] = []  # ("stop", index) or ("poi", index)
        self._labels: list[str] = []
        self._modes = _stop_modes(network)
        for s in range(tt.n_stops):
            if tt.stop_location_type[s] == 0 and tt.stop_parent[s] >= 0:
                continue  # platforms are found through their station
            names = {tt.stop_names[s], *tt.stop_names_i18n[s].values()}
            for n in names:
                if n:
                    self._add(n, ("stop", s), self._stop_label(s))
        for i, p in enumerate(network.pois):
            for n in (p.name_ja, p.name_en, *(p.extra.get("aliases") or [])):
                if n:
                    self._add(n, ("poi", i), f"{p.name_en} / {p.name_ja} (POI {p.id})")
        self._by_key: dict[str, list[int]] = {}
        for i, k in enumerate(self._keys):
            self._by_key.setdefault(k, []).append(i)
        # What people type repeats (station names, POI ids): a found place is kept, so that a busy
        # service does not match names and group same-named stops again for every request.
        self._resolve_cached = lru_cache(maxsize=RESOLVED_CACHE)(self._resolve)

    def _add(self, name: str, target: tuple[str, int], label: str) -> None:
        key = normalize(name)
        if key:
            self._keys.append(key)
            self._targets.append(target)
            self._labels.append(label)

    def _stop_label(self, s: int) -> str:
        tt = self.network.timetable
        en = tt.stop_name(s, "en")
        name = tt.stop_names[s] if en == tt.stop_names[s] else f"{en} / {tt.stop_names[s]}"
        modes = ", ".join(sorted(self._modes[s]))
        return f"{name} ({stop_ref(self.network, s)}{'; ' + modes if modes else ''})"

    def resolve(self, text: str, field_name: str = "place") -> Place:
        """Return the place ``text`` names: a stop id, a stop or station name, a POI id or name, or ``lat,lon``.

        Parameters
        ----------
        text
            What was typed (any language the data carries, forgivingly).
        field_name
            The request field or option it came from, named in errors.

        Returns
        -------
        Place
            The place, with the stops that are it.

        Raises
        ------
        PlaceNotFoundError
            Nothing matches, or the name fits places far apart; ``candidates``
            lists the closest matches with their modes.
        InputError
            An empty text, or a ``lat,lon`` outside the globe.
        """
        return self._resolve_cached((text or "").strip(), field_name)

    def _resolve(self, text: str, field_name: str) -> Place:
        """:meth:`resolve` without its cache (``text`` stripped)."""
        if not text:
            raise InputError(f"{field_name}: no place given", field_name)
        m = _LATLON.match(text)
        if m:
            lat, lon = float(m.group(1)), float(m.group(2))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise InputError(f"{field_name}: {text} is not a latitude,longitude pair", field_name)
            return Place("point", f"{lat:.6f},{lon:.6f}", text, lat, lon)
        by_id = self._by_id(text, field_name)
        if by_id is not None:
            return by_id
        key = normalize(text)
        hits = self._by_key.get(key, [])
        if hits:
            return self._from_hits(text, hits, field_name)
        return self._fuzzy(text, key, field_name)

    def _by_id(self, text: str, field_name: str) -> Place | None:
        tt = self.network.timetable
        stops = tt.stops_with_id(text)
        if len(stops) == 1:
            return self._stop_place(stops[0])
        if len(stops) > 1:
            refs = [f"{tt.feeds[tt.stop_feed[s]].name}:{tt.stop_ids[s]}  {tt.stop_names[s]}" for s in stops]
            raise PlaceNotFoundError(
                f"{field_name}: stop id '{text}' exists in several feeds; write FEED:stop_id, one of: " + "; ".join(refs),
                field_name,
                refs,
            )
        for p in self.network.pois:
            if p.id == text or f"poi:{p.id}" == text:
                return Place("poi", p.id, p.name_ja, p.lat, p.lon, (), {"ja": p.name_ja, "en": p.name_en})
        return None

    def _stop_place(self, s: int) -> Place:
        tt = self.network.timetable
        if tt.stop_location_type[s] == 1:
            children = tuple(int(c) for c in np.flatnonzero(tt.stop_parent == s))
            return Place(
                "station",
                stop_ref(self.network, s),
                tt.stop_names[s],
                float(tt.stop_lat[s]),
                float(tt.stop_lon[s]),
                children or (s,),
                dict(tt.stop_names_i18n[s]),
            )
        return Place("stop", stop_ref(self.network, s), tt.stop_names[s], float(tt.stop_lat[s]), float(tt.stop_lon[s]), (s,), dict(tt.stop_names_i18n[s]))

    def _from_hits(self, text: str, hits: list[int], field_name: str) -> Place:
        targets = list(dict.fromkeys(self._targets[i] for i in hits))
        stops = [t[1] for t in targets if t[0] == "stop"]
        pois = [t[1] for t in targets if t[0] == "poi"]
        if stops:
            clusters = self._clusters(stops)
            if len(clusters) == 1:
                return self._cluster_place(clusters[0])
            labels = [self._stop_label(c[0]) for c in clusters]
            raise PlaceNotFoundError(
                f"{field_name}: '{text}' names {len(clusters)} places far apart; give a stop id instead, one of: " + "; ".join(labels),
                field_name,
                labels,
            )
        if len(pois) == 1:
            p = self.network.pois[pois[0]]
            return Place("poi", p.id, p.name_ja, p.lat, p.lon, (), {"ja": p.name_ja, "en": p.name_en})
        labels = [self._labels[i] for i in hits]
        raise PlaceNotFoundError(f"{field_name}: '{text}' matches several POIs: " + "; ".join(labels), field_name, labels)

    def _clusters(self, stops: list[int]) -> list[list[int]]:
        """Group stops that share a name into places: each within CLUSTER_M of another of its group (single link)."""
        tt = self.network.timetable
        lat, lon = tt.stop_lat[stops], tt.stop_lon[stops]
        group = list(range(len(stops)))

        def root(i: int) -> int:
            while group[i] != i:
                group[i] = group[group[i]]
                i = group[i]
            return i

        for i in range(len(stops)):
            near = np.flatnonzero(haversine_m(lat[i], lon[i], lat, lon) <= CLUSTER_M)
            for j in near:
                group[root(int(j))] = root(i)
        clusters: dict[int, list[int]] = {}
        for i, s in enumerate(stops):
            clusters.setdefault(root(i), []).append(s)
        return list(clusters.values())

    def _cluster_place(self, cluster: list[int]) -> Place:
        """One place for a group of stops: named and placed after its station (else its first stop), with every stop of all of them."""
        tt = self.network.timetable
        members: list[int] = []
        for s in cluster:
            members.extend(self._stop_place(s).stops)
        head = min(cluster, key=lambda s: (tt.stop_location_type[s] != 1, s))
        base = self._stop_place(head)
        names = dict(base.names)
        for s in cluster:  # a language the head lacks (a bus feed's Korean, say) comes from another member
            for lang, name in tt.stop_names_i18n[s].items():
                names.setdefault(lang, name)
        return Place(base.kind, base.id, base.name, base.lat, base.lon, tuple(dict.fromkeys(members)), names)

    def _fuzzy(self, text: str, key: str, field_name: str) -> Place:
        if not self._keys:
            raise PlaceNotFoundError(f"{field_name}: no place called '{text}' (the network has no named places)", field_name)
        # A name that begins exactly one place's name ("Akiyoshido" for "Akiyoshido Cave").
        if len(key) >= 4:
            prefixed = [i for i, k in enumerate(self._keys) if k.startswith(key)]
            if prefixed and len({self._targets[i] for i in prefixed}) >= 1:
                try:
                    return self._from_hits(text, prefixed, field_name)
                except PlaceNotFoundError:
                    pass
        found = process.extract(key, self._keys, scorer=fuzz.WRatio, limit=12)
        labels = list(dict.fromkeys(self._labels[i] for _, _, i in found))[:5]
        raise PlaceNotFoundError(
            f"{field_name}: no place called '{text}'. Closest matches: " + "; ".join(labels),
            field_name,
            labels,
        )


def stop_ref(network: Network, s: int) -> str:
    """Return the stop's id, as ``FEED:stop_id`` when another feed uses the same id."""
    tt = network.timetable
    sid = tt.stop_ids[s]
    if len(tt.stops_with_id(sid)) > 1:
        return f"{tt.feeds[tt.stop_feed[s]].name}:{sid}"
    return sid
