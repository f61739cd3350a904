"""Which feed a scenario's stop id comes from: the catalog's declared kinds decide the order, never folder names."""

from __future__ import annotations

from pathlib import Path

import pytest

from maas.defaults import default_catalog_path
from maas.feeds.catalog import load_catalog
from maas.shuttle.stops import StopCatalogue, default_catalogue, default_catalogue_paths, feeds_by_kind
from tests.routing.gtfs_builder import basic_tables, write_feed

#: A catalog whose trial feed has a name without "shuttle", and a modeled feed whose name has it.
CATALOG = """
[[feed]]
name = "old-shuttle-copy"
kind = "modeled"
licence = "MIT"

[[feed]]
name = "rail"
kind = "modeled"
licence = "MIT"

[[feed]]
name = "commuter"
kind = "trial"
licence = "MIT"
"""


def _world(root: Path) -> dict[str, Path]:
    """Write three feeds sharing the stop id ``x`` (at lat 1, 2, 3) and the catalog above under ``root/gtfs``."""
    gtfs = root / "gtfs"
    paths = {}
    for lat, name in enumerate(("old-shuttle-copy", "rail", "commuter"), start=1):
        paths[name] = write_feed(gtfs / name, basic_tables([("x", float(lat), 131.0), (f"only_{lat}", float(lat), 131.0)]))
    (gtfs / "feeds.toml").write_text(CATALOG, encoding="utf-8")
    return paths


def test_default_order_unchanged():
    """Default data: the trial feed (gtfs/techno-shuttle) first, then the others in the catalog's order."""
    entries = load_catalog(default_catalog_path()).entries
    present = {p.name for p in default_catalogue_paths()}
    expected = [e.name for e in entries if e.kind == "trial"] + [e.name for e in entries if e.kind != "trial"]
    assert [p.name for p in default_catalogue_paths()] == [n for n in expected if n in present]
    assert default_catalogue_paths()[0].name == "techno-shuttle"
    # ajisu is in gtfs/jr too: the shuttle's stop is the one a scenario means
    assert default_catalogue().lookup(["ajisu"])["ajisu"].feed == "techno-shuttle"


def test_order_comes_from_the_catalog_not_folder_names(tmp_path):
    """A trial feed named without "shuttle" comes first; a modeled feed named with it does not."""
    paths = _world(tmp_path)
    given = [paths["old-shuttle-copy"], paths["rail"], paths["commuter"]]
    assert [p.name for p in feeds_by_kind(given)] == ["commuter", "old-shuttle-copy", "rail"]
    assert [p.name for p in feeds_by_kind(given, first_kinds=())] == ["old-shuttle-copy", "rail", "commuter"]
    assert [p.name for p in feeds_by_kind(given, first_kinds=("modeled",))] == ["old-shuttle-copy", "rail", "commuter"]
    found = StopCatalogue(feeds_by_kind(given)).lookup(["only_2", "x", "only_1"])
    assert list(found) == ["only_2", "x", "only_1"]  # in the order asked, whatever the feeds' order
    assert (found["x"].feed, found["x"].lat) == ("commuter", 3.0)


def test_default_catalogue_follows_the_data_dirs_catalog(tmp_path, monkeypatch):
    """With MAAS_DATA_DIR pointing at another copy of the data, its catalog's kinds decide."""
    _world(tmp_path)
    monkeypatch.setenv("MAAS_DATA_DIR", str(tmp_path))
    assert [p.name for p in default_catalogue_paths()] == ["commuter", "old-shuttle-copy", "rail"]
    assert default_catalogue().lookup(["x"])["x"].feed == "commuter"


def test_feeds_without_a_catalog_keep_their_order(tmp_path):
    """No catalog beside the feeds: every kind is unknown, so the order given is kept."""
    one = write_feed(tmp_path / "a-shuttle", basic_tables([("x", 1.0, 131.0)]))
    two = write_feed(tmp_path / "b", basic_tables([("x", 2.0, 131.0)]))
    assert feeds_by_kind([two, one]) == [two, one]
    assert StopCatalogue(feeds_by_kind([two, one])).lookup(["x"])["x"].feed == "b"


@pytest.mark.parametrize("ids", [["x", "x"], []])
def test_lookup_of_repeated_or_no_ids(tmp_path, ids):
    paths = _world(tmp_path)
    found = StopCatalogue([paths["rail"]]).lookup(ids)
    assert list(found) == list(dict.fromkeys(ids))
