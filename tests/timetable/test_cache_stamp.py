"""The verification stamp: later loads skip the array digests, yet any change to a file is still caught.

A stamp is written only by a load that checked every digest, and only for
files older than the margin; the tests move the cache's clock on instead of
waiting, then change a file the way an attacker or a broken disk writer would.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

import maas.timetable.cache as cache_mod
from maas.timetable.cache import STAMP, load_timetable, read_entry
from tests.timetable.test_cache import _entry, _flip_last_byte, _rewrite, compiles, feed  # noqa: F401 - fixtures

LATER = 3 * cache_mod.STAMP_MARGIN_NS


@pytest.fixture
def digests(monkeypatch) -> dict:
    """Count the array digests computed."""
    counted = {"n": 0}
    real = cache_mod._array_sha256

    def counting(array):
        counted["n"] += 1
        return real(array)

    monkeypatch.setattr(cache_mod, "_array_sha256", counting)
    return counted


def _later(monkeypatch) -> None:
    """Move the cache's clock past the margin, as if the entry had been written a while ago."""
    monkeypatch.setattr(cache_mod, "_clock_ns", lambda: time.time_ns() + LATER)


def _key(folder) -> str:
    return folder.name.split("-", 1)[1]


def test_fresh_entry_is_not_stamped_and_checked_in_full(feed, tmp_path, digests):  # noqa: F811
    """Right after writing, files are within the margin: no stamp, every load hashes every array."""
    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, progress=False)
    first = digests["n"]
    load_timetable([feed], cache_dir=cache, progress=False)
    assert digests["n"] - first == len(cache_mod._field_kinds()[0])  # every array, again
    assert not (_entry(cache) / STAMP).exists()


def test_stamped_entry_opens_without_digests(feed, tmp_path, digests, monkeypatch):  # noqa: F811
    """A full check after the margin writes the stamp; the next loads hash nothing and give the same timetable."""
    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, progress=False)
    _later(monkeypatch)
    checked = load_timetable([feed], cache_dir=cache, progress=False)
    assert (_entry(cache) / STAMP).exists()
    before = digests["n"]
    trusted = read_entry(_entry(cache), _key(_entry(cache)))
    assert digests["n"] == before
    assert np.array_equal(trusted.stop_time_dep, checked.stop_time_dep) and trusted.stop_names == checked.stop_names


@pytest.mark.parametrize("keep_mtime", [False, True], ids=["plain write", "mtime put back"])
def test_change_after_the_stamp_is_caught(keep_mtime, feed, tmp_path, compiles, monkeypatch):  # noqa: F811
    """One value changed in place after the stamp (same size, even with its mtime put back) is found: rebuilt."""
    cache = tmp_path / "cache"
    good = load_timetable([feed], cache_dir=cache, progress=False)
    expected = np.array(good.stop_time_dep)
    _later(monkeypatch)
    load_timetable([feed], cache_dir=cache, progress=False)
    target = _entry(cache) / "stop_time_dep.npy"
    assert (_entry(cache) / STAMP).exists()
    info = os.stat(target)
    time.sleep(0.02)  # a clock tick passes between the check and the attack, as it would in life
    _rewrite(target, _flip_last_byte(target.read_bytes()))
    if keep_mtime:
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    with pytest.raises(cache_mod.CacheEntryError, match="digest mismatch"):
        read_entry(_entry(cache), _key(_entry(cache)))
    assert np.array_equal(load_timetable([feed], cache_dir=cache, progress=False).stop_time_dep, expected)
    assert compiles["calls"] == 2


def test_replaced_file_is_not_vouched_for(feed, tmp_path, monkeypatch, digests):  # noqa: F811
    """A file replaced by a copy (new inode) is checked in full again, then stamped anew."""
    cache = tmp_path / "cache"
    load_timetable([feed], cache_dir=cache, progress=False)
    _later(monkeypatch)
    load_timetable([feed], cache_dir=cache, progress=False)
    target = _entry(cache) / "stop_lat.npy"
    copy = target.with_name("copy.tmp")
    copy.write_bytes(target.read_bytes())
    os.replace(copy, target)
    before = digests["n"]
    read_entry(_entry(cache), _key(_entry(cache)))
    assert digests["n"] - before == len(cache_mod._field_kinds()[0])  # every array hashed: the stamp no longer matches
