"""Service days from calendar.txt weekday flags and date ranges, with calendar_dates.txt exceptions."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maas.feeds.calendar import service_days
from maas.feeds.reader import read_feed
from maas.feeds.validate import validate_feed
from maas.when import date_to_day, day_to_date

CAL_HEADER = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
CD_HEADER = "service_id,date,exception_type\n"


def _dates(days) -> list[str]:
    return [day_to_date(int(d)).strftime("%Y%m%d") for d in days]


def _service_days(feed_text, write_feed, calendar: str | None, calendar_dates: str | None, name="feed"):
    if calendar is None:
        feed_text.remove("calendar.txt")
    else:
        feed_text.set("calendar.txt", CAL_HEADER + calendar)
    if calendar_dates is not None:
        feed_text.set("calendar_dates.txt", CD_HEADER + calendar_dates)
    feed = read_feed(write_feed(feed_text, name))
    return feed, service_days(feed)


def test_weekday_flags_over_the_date_range(feed_text, write_feed):
    """Each service runs on its flagged weekdays between start_date and end_date, both included."""
    _, days = _service_days(
        feed_text,
        write_feed,
        "WD,1,1,1,1,1,0,0,20260105,20260116\n"  # Mon 5 Jan .. Fri 16 Jan 2026
        "SA,0,0,0,0,0,1,0,20260101,20260117\n"
        "SU,0,0,0,0,0,0,1,20260104,20260111\n"
        "WE,0,0,1,0,0,0,0,20260107,20260107\n",
        None,
    )
    assert _dates(days["WD"]) == [
        "20260105", "20260106", "20260107", "20260108", "20260109",
        "20260112", "20260113", "20260114", "20260115", "20260116",
    ]  # fmt: skip
    assert _dates(days["SA"]) == ["20260103", "20260110", "20260117"]
    assert _dates(days["SU"]) == ["20260104", "20260111"]
    assert _dates(days["WE"]) == ["20260107"]


def test_exceptions_add_and_remove_dates(feed_text, write_feed):
    """exception_type 1 adds a date (even outside the range), 2 removes one; removing a non-day changes nothing."""
    _, days = _service_days(
        feed_text,
        write_feed,
        "WD,1,1,1,1,1,0,0,20260105,20260109\n",
        "WD,20260107,2\n"  # a Wednesday off
        "WD,20260110,1\n"  # a Saturday on
        "WD,20260201,1\n"  # after the range
        "WD,20260111,2\n",  # a Sunday it does not run anyway
    )
    assert _dates(days["WD"]) == ["20260105", "20260106", "20260108", "20260109", "20260110", "20260201"]


def test_service_only_in_calendar_dates(feed_text, write_feed):
    """A service defined only by calendar_dates.txt runs exactly on its added dates; the feed is usable."""
    feed, days = _service_days(feed_text, write_feed, None, "WD,20260429,1\nWD,20260503,1\nWD,20260504,1\nWD,20260505,2\n")
    assert _dates(days["WD"]) == ["20260429", "20260503", "20260504"]
    assert validate_feed(feed) == []


def test_service_removed_on_its_only_day_never_runs(feed_text, write_feed):
    """A one-day service whose day is removed by calendar_dates never runs: an error for the only service."""
    feed, days = _service_days(feed_text, write_feed, "WD,1,1,1,1,1,1,1,20260105,20260105\n", "WD,20260105,2\n")
    assert len(days["WD"]) == 0
    errors = [(p.code, p.file) for p in validate_feed(feed) if p.severity == "error"]
    assert errors == [("service_never_runs", "calendar.txt")]


def test_never_running_calendar_dates_service_is_named_on_its_line(feed_text, write_feed):
    """A calendar_dates-only service that only removes dates is warned about on its calendar_dates.txt line."""
    feed, days = _service_days(feed_text, write_feed, "WD,1,1,1,1,1,0,0,20260105,20260327\n", "WD,20260106,2\nX,20260107,2\n")
    assert len(days["X"]) == 0
    warnings = [(p.code, p.file, p.row, p.field) for p in validate_feed(feed)]
    assert warnings == [("service_never_runs", "calendar_dates.txt", 3, "service_id")]


def test_open_ended_calendar_runs_today(feed_text, write_feed):
    """A calendar written as running 20000101..20991231 (open-ended) runs on its weekdays in 2026 and is usable."""
    feed, days = _service_days(feed_text, write_feed, "WD,1,1,1,1,1,0,0,20000101,20991231\n", None)
    assert date_to_day(dt.date(2026, 6, 1)) in set(days["WD"].tolist())  # a Monday
    assert date_to_day(dt.date(2026, 6, 6)) not in set(days["WD"].tolist())  # a Saturday
    assert validate_feed(feed) == []


def test_far_future_end_date_still_runs_from_the_start(feed_text, write_feed):
    """An end_date of 99991231 ('forever') still gives the service its days from start_date on."""
    feed, days = _service_days(feed_text, write_feed, "WD,1,1,1,1,1,1,1,20240401,99991231\n", None)
    assert _dates(days["WD"][:2]) == ["20240401", "20240402"]
    assert date_to_day(dt.date(2030, 1, 1)) in set(days["WD"].tolist())
    assert [p for p in validate_feed(feed) if p.severity == "error"] == []


def test_unknown_exception_type_is_a_warning(feed_text, write_feed):
    """exception_type 3 is neither add nor remove: a warning on its line, and the date is left alone."""
    feed, days = _service_days(feed_text, write_feed, "WD,1,1,1,1,1,0,0,20260105,20260109\n", "WD,20260107,3\n")
    assert "20260107" in _dates(days["WD"])
    problems = validate_feed(feed)
    assert [(p.severity, p.code, p.file, p.row, p.field) for p in problems] == [("warning", "bad_value", "calendar_dates.txt", 2, "exception_type")]


# --- property: service_days agrees with a day-by-day reading of the spec ---------------------

_FLAGS = st.lists(st.booleans(), min_size=7, max_size=7)


@st.composite
def _calendars(draw):
    services = []
    for i in range(draw(st.integers(1, 3))):
        start = draw(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)))
        end = start + dt.timedelta(days=draw(st.integers(0, 70)))
        flags = draw(_FLAGS)
        exceptions = draw(st.dictionaries(st.dates(start - dt.timedelta(days=10), end + dt.timedelta(days=10)), st.sampled_from([1, 2]), max_size=6))
        services.append((f"S{i}", flags, start, end, exceptions))
    return services


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(services=_calendars())
def test_service_days_match_the_spec_day_by_day(services, feed_text, tmp_path):
    """For random calendars and exceptions, service_days equals a day-by-day evaluation of GTFS semantics."""
    cal = "".join(f"{sid},{','.join('1' if f else '0' for f in flags)},{s:%Y%m%d},{e:%Y%m%d}\n" for sid, flags, s, e, _ in services)
    cd = "".join(f"{sid},{d:%Y%m%d},{k}\n" for sid, _, _, _, exc in services for d, k in exc.items())
    feed_text.set("calendar.txt", CAL_HEADER + cal)
    feed_text.set("calendar_dates.txt", CD_HEADER + cd)
    path = feed_text.write(tmp_path / f"cal{abs(hash(cal + cd))}")
    days = service_days(read_feed(path))
    for sid, flags, start, end, exc in services:
        expected = []
        d = start - dt.timedelta(days=10)
        while d <= end + dt.timedelta(days=10):
            runs = start <= d <= end and flags[d.weekday()]
            if exc.get(d) == 1:
                runs = True
            elif exc.get(d) == 2:
                runs = False
            if runs:
                expected.append(d.strftime("%Y%m%d"))
            d += dt.timedelta(days=1)
        assert _dates(days[sid]) == expected, sid
