"""A small bounded cache: the least recently used entry goes first.

The shuttle keeps compiled timetables and the default stop catalogue in such
caches, held by whoever needs them (a command, the service), never in a
hidden module-wide dictionary that grows without bound.  A cache may be
shared by threads: a value is made once, under the cache's lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    """At most ``max_entries`` values by key; :meth:`get` makes a missing one and may drop the oldest."""

    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: K) -> bool:
        return key in self._items

    def get(self, key: K, make: Callable[[], V]) -> V:
        """Return the value of ``key``, made by ``make()`` (and kept) when it is not here."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            value = make()
            self.put(key, value)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key`` as the most recent entry, dropping the oldest beyond the bound."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)


__all__ = ["Lru"]
