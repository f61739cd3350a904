"""A found place is kept by what was typed; what is not found is looked up (and refused) every time."""

from __future__ import annotations

import pytest

from maas.errors import InputError, PlaceNotFoundError
from maas.routing.places import PlaceIndex


def test_a_typed_name_resolves_once_and_then_comes_from_the_cache(default_network):
    places = PlaceIndex(default_network)  # its own index: the cache counts start at zero
    first = places.resolve("Shin-Yamaguchi", "from")
    assert places.resolve("  Shin-Yamaguchi ", "from") is first  # the same text, stripped: the kept place
    info = places._resolve_cached.cache_info()
    assert (info.hits, info.misses) == (1, 1)
    assert places.resolve("新山口", "from").stops == first.stops  # another spelling: looked up, the same stops


def test_errors_are_not_kept_and_name_their_field_each_time(default_network):
    places = PlaceIndex(default_network)
    for field in ("from", "to"):
        with pytest.raises(PlaceNotFoundError) as err:
            places.resolve("Atlantis", field)
        assert err.value.field == field
        with pytest.raises(InputError) as bad:
            places.resolve("95,200", field)
        assert bad.value.field == field
    assert places._resolve_cached.cache_info().currsize == 0
