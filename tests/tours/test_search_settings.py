"""The fixed-travel-time LNS takes one frozen, validated settings object; a bad option names itself."""

from __future__ import annotations

import dataclasses

import pytest

from maas.errors import InputError
from maas.tours.solver import LnsSettings


def test_defaults_and_overrides():
    s = LnsSettings.from_config({"qfrac": 0.3, "ops": [0, 2]})
    assert s.qfrac == 0.3 and s.ops == (0, 2) and s.noise == LnsSettings().noise
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.qfrac = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(
    "bad, named",
    [
        ({"bogus": 1}, "bogus"),
        ({"qfrac": 3}, "qfrac"),
        ({"dp_k": -1}, "dp_k"),
        ({"ops": (9,)}, "ops"),
        ({"qpow": 0}, "qpow"),
        ({"qcap": -1}, "qcap"),
        ({"qcap": 2.5}, "qcap"),
    ],
)
def test_bad_options_are_named(bad, named):
    with pytest.raises(InputError) as e:
        LnsSettings.from_config(bad)
    assert e.value.field == "config" and named in str(e.value)
