"""Parsing GTFS times, dates and numbers: what parses, what is empty, what is bad."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maas.feeds.parse import format_time, parse_date, parse_number, parse_time
from maas.when import date_to_day, day_to_date


def _one(parsed):
    assert len(parsed.values) == len(parsed.empty) == len(parsed.bad) == 1
    return int(parsed.values[0]) if not isinstance(parsed.values[0], float) else float(parsed.values[0]), bool(parsed.empty[0]), bool(parsed.bad[0])


# --- times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("00:00:00", 0),
        ("07:05:09", 7 * 3600 + 5 * 60 + 9),
        ("7:05:09", 7 * 3600 + 5 * 60 + 9),
        ("23:59:59", 86399),
        ("24:00:00", 86400),
        ("25:30:00", 91800),
        ("47:59:59", 47 * 3600 + 3599),
        ("100:00:00", 360000),
        (" 08:15:00 ", 29700),
    ],
)
def test_parse_time_valid(text, seconds):
    """H:MM:SS and HH:MM:SS parse to seconds after the service day's start, hours past 24 included."""
    assert _one(parse_time([text])) == (seconds, False, False)


@pytest.mark.parametrize(
    "text",
    ["7:5:00", "07:60:00", "07:00:60", "07:00", "0700", "07-00-00", "7h05", "abc", "-01:00:00", "07:00:00:00",
     "1000:00:00", "07:0a:00", "０７:００:００", "07:00:00é", "７:05:00", "07 :00:00"],
)  # fmt: skip
def test_parse_time_bad(text):
    """Malformed times (wrong shape, minutes or seconds >= 60, non-ASCII digits, signs) are bad, not empty."""
    _, empty, bad = _one(parse_time([text]))
    assert (empty, bad) == (False, True)


@pytest.mark.parametrize("text", ["", "   "])
def test_parse_time_empty(text):
    """Blank times are empty, not bad (a stop without times is interpolated)."""
    assert _one(parse_time([text]))[1:] == (True, False)


def test_parse_time_vectorised_mixture():
    """A column mixing good, bad, empty and non-ASCII values is parsed element by element."""
    p = parse_time(["06:00:00", "", "x", "25:00:00", "０６:００:００", "6:00:00"])
    assert p.values[[0, 3, 5]].tolist() == [21600, 90000, 21600]
    assert p.empty.tolist() == [False, True, False, False, False, False]
    assert p.bad.tolist() == [False, False, True, False, True, False]


def test_parse_time_accepts_series_and_empty_input():
    """A pandas Series works like a list, and an empty column gives empty arrays."""
    import pandas as pd

    assert parse_time(pd.Series(["01:02:03"], dtype=object)).values.tolist() == [3723]
    p = parse_time([])
    assert len(p.values) == len(p.bad) == len(p.empty) == 0


@given(st.integers(0, 48 * 3600))
def test_format_then_parse_time_round_trips(seconds):
    """format_time gives HH:MM:SS that parse_time reads back to the same seconds (0..48 h)."""
    text = format_time(seconds)
    assert len(text) == 8 and text[2] == text[5] == ":"
    assert _one(parse_time([text])) == (seconds, False, False)


@given(st.integers(0, 99), st.integers(0, 59), st.integers(0, 59))
def test_single_digit_hours_equal_two_digit_hours(h, m, s):
    """'7:05:09' and '07:05:09' are the same time; format_time always writes two-digit hours."""
    padded = f"{h:02d}:{m:02d}:{s:02d}"
    short = f"{h}:{m:02d}:{s:02d}"
    assert parse_time([padded]).values[0] == parse_time([short]).values[0] == h * 3600 + m * 60 + s
    assert format_time(h * 3600 + m * 60 + s) == padded


@settings(max_examples=300)
@given(st.text(max_size=12))
def test_parse_time_never_raises(text):
    """Any text parses without raising; when it is accepted it reads back through format_time."""
    value, empty, bad = _one(parse_time([text]))
    assert not (empty and bad)
    if not empty and not bad:
        assert value >= 0
        assert parse_time([format_time(value)]).values[0] == value


def test_format_time_negative():
    """format_time writes negative durations with a sign (used in messages)."""
    assert format_time(-90) == "-00:01:30"


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, date", [("20260101", dt.date(2026, 1, 1)), ("20240229", dt.date(2024, 2, 29)), ("19700101", dt.date(1970, 1, 1))])
def test_parse_date_valid(text, date):
    """YYYYMMDD parses to the day number of that date."""
    assert _one(parse_date([text])) == (date_to_day(date), False, False)


@pytest.mark.parametrize("text", ["2026-01-01", "20260230", "20250229", "2026011", "202601011", "abcdefgh", "20261301", "2026/1/1"])
def test_parse_date_bad(text):
    """Dates not written YYYYMMDD, or not existing (30 February), are bad."""
    assert _one(parse_date([text]))[1:] == (False, True)


def test_parse_date_empty():
    """A blank date is empty, not bad."""
    assert _one(parse_date(["  "]))[1:] == (True, False)


@given(st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)))
def test_date_round_trip(date):
    """A date written YYYYMMDD parses to its day number, and day_to_date gives the date back."""
    day = parse_date([date.strftime("%Y%m%d")]).values[0]
    assert day == date_to_day(date) == (date - dt.date(1970, 1, 1)).days
    assert day_to_date(day) == date


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, integer, value",
    [("3", True, 3), (" 3 ", True, 3), ("-2", True, -2), ("3.0", True, 3), ("34.0123", False, 34.0123), ("-0.5", False, -0.5), ("1e3", False, 1000.0)],
)
def test_parse_number_valid(text, integer, value):
    """Whole and decimal numbers parse; '3.0' is a whole number."""
    v, empty, bad = _one(parse_number([text], integer=integer))
    assert (v, empty, bad) == (value, False, False)


@pytest.mark.parametrize(
    "text, integer",
    [("abc", False), ("bus", True), ("2.5", True), ("1,5", False), ("３", True), ("inf", False), ("inf", True),
     ("-inf", True), ("nan", True), ("NaN", False), ("1e400", True), ("1e400", False), ("1e30", True)],
)  # fmt: skip
def test_parse_number_bad(text, integer):
    """Words, decimal commas, fractions where a whole number is needed, inf, nan and overflows are bad."""
    v, empty, bad = _one(parse_number([text], integer=integer))
    assert (empty, bad) == (False, True)
    assert v == 0


def test_parse_number_empty():
    """A blank number is empty, not bad."""
    p = parse_number(["", " "], integer=True)
    assert p.empty.tolist() == [True, True] and p.bad.tolist() == [False, False]


@given(st.integers(-(2**53), 2**53))
def test_whole_numbers_round_trip(n):
    """Any whole number written in decimal parses back to itself as an integer."""
    p = parse_number([str(n)], integer=True)
    assert p.values.dtype == np.int64
    assert (int(p.values[0]), bool(p.bad[0])) == (n, False)


@given(st.floats(-180, 180, allow_nan=False))
def test_decimal_numbers_round_trip(x):
    """Any coordinate written by repr() parses back to the same float."""
    p = parse_number([repr(x)])
    assert (float(p.values[0]), bool(p.bad[0])) == (x, False)
