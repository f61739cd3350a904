"""ISO 8601 times of GTFS seconds: counted from noon minus 12 h of the service day (GTFS), also across a DST change."""

from __future__ import annotations

import datetime as dt

import pytest

from maas.routing.journeys import iso_time


@pytest.mark.parametrize(
    ("date", "seconds", "zone", "expected"),
    [
        (dt.date(2026, 12, 1), 7 * 3600 + 4 * 60, "Asia/Tokyo", "2026-12-01T07:04:00+09:00"),
        (dt.date(2026, 12, 1), 24 * 3600 + 35 * 60, "Asia/Tokyo", "2026-12-02T00:35:00+09:00"),  # after midnight, same service day
        # New York's clocks go forward at 02:00 on 8 March 2026: noon (EDT) minus 12 h is 23:00 EST the day before
        (dt.date(2026, 3, 8), 0, "America/New_York", "2026-03-07T23:00:00-05:00"),
        (dt.date(2026, 3, 8), 8 * 3600, "America/New_York", "2026-03-08T08:00:00-04:00"),
        # ... and back at 02:00 on 1 November: noon (EST) minus 12 h is 01:00 EDT
        (dt.date(2026, 11, 1), 0, "America/New_York", "2026-11-01T01:00:00-04:00"),
        (dt.date(2026, 11, 1), 8 * 3600, "America/New_York", "2026-11-01T08:00:00-05:00"),
    ],
)
def test_gtfs_seconds_as_iso_times(date, seconds, zone, expected):
    assert iso_time(date, seconds, zone) == expected
    assert iso_time(date, seconds, zone) == expected  # the second time from the kept origin of the day
