"""Turn GTFS text columns into numbers, vectorised, marking what does not parse.

Each parser returns the values and a boolean mask of entries that are present
but malformed; empty entries are reported apart so callers can tell "missing"
from "wrong".  Times are seconds after the service day's "noon minus 12 h" and
may pass 24 h; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from maas.when import date_to_day


@dataclass(frozen=True)
class Parsed:
    """Parsed values of one column.

    ``values`` holds the numbers (an undefined filler where ``empty`` or
    ``bad``); ``empty`` marks blank entries; ``bad`` marks entries that are
    present but do not parse.
    """

    values: np.ndarray
    empty: np.ndarray
    bad: np.ndarray


def _text(values: pd.Series | np.ndarray | list[str]) -> np.ndarray:
    arr = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else np.asarray(values, dtype=object)
    if len(arr) == 0:
        return np.zeros(0, dtype="U1")
    return arr.astype("U")


def parse_time(values: pd.Series | np.ndarray | list[str]) -> Parsed:
    """Parse ``H:MM:SS`` / ``HH:MM:SS`` / ``HHH:MM:SS`` into seconds (int64)."""
    text = np.strings.strip(_text(values))
    n = len(text)
    empty = np.strings.str_len(text) == 0
    if n == 0:
        return Parsed(np.zeros(0, np.int64), empty, np.zeros(0, bool))
    width = 9
    # Non-ASCII text (e.g. full-width digits) cannot be a time: blank it before the byte view.
    ascii_ok = (np.ascontiguousarray(text).view(np.uint32).reshape(n, -1) < 128).all(axis=1)
    padded = np.strings.zfill(np.where(ascii_ok, text, ""), width)
    raw = padded.astype(f"S{width}")
    lengths = np.strings.str_len(text)
    codes = raw.view(np.uint8).reshape(n, width).astype(np.int64)
    digits = codes - 48
    colon_ok = (codes[:, 3] == 58) & (codes[:, 6] == 58)
    digit_pos = [0, 1, 2, 4, 5, 7, 8]
    digits_ok = ((digits[:, digit_pos] >= 0) & (digits[:, digit_pos] <= 9)).all(axis=1)
    hours = digits[:, 0] * 100 + digits[:, 1] * 10 + digits[:, 2]
    minutes = digits[:, 4] * 10 + digits[:, 5]
    seconds = digits[:, 7] * 10 + digits[:, 8]
    ok = ascii_ok & colon_ok & digits_ok & (minutes < 60) & (seconds < 60) & (lengths >= 7) & (lengths <= width)
    secs = np.where(ok, hours * 3600 + minutes * 60 + seconds, 0)
    return Parsed(secs.astype(np.int64), empty, ~ok & ~empty)


def parse_date(values: pd.Series | np.ndarray | list[str]) -> Parsed:
    """Parse ``YYYYMMDD`` into days since 1970-01-01 (int64)."""
    text = np.strings.strip(_text(values))
    empty = np.strings.str_len(text) == 0
    out = np.zeros(len(text), np.int64)
    bad = np.zeros(len(text), bool)
    cache: dict[str, int | None] = {}
    for i, s in enumerate(text):
        if empty[i]:
            continue
        if s not in cache:
            cache[s] = _date_ordinal(s)
        v = cache[s]
        if v is None:
            bad[i] = True
        else:
            out[i] = v
    return Parsed(out, empty, bad)


def _date_ordinal(s: str) -> int | None:
    if len(s) != 8 or not s.isdigit():
        return None
    try:
        return date_to_day(dt.date(int(s[:4]), int(s[4:6]), int(s[6:])))
    except ValueError:
        return None


def parse_number(values: pd.Series | np.ndarray | list[str], integer: bool = False) -> Parsed:
    """Parse decimal (or, with ``integer``, whole) numbers into float64 / int64."""
    text = np.strings.strip(_text(values))
    empty = np.strings.str_len(text) == 0
    num = pd.to_numeric(np.where(empty, "0", text), errors="coerce")
    arr = np.asarray(num, dtype=float)
    bad = ~np.isfinite(arr) & ~empty  # 'inf', '1e400' and 'nan' are not numbers of a timetable
    if integer:
        finite = np.where(bad, 0.0, arr)
        bad |= ((finite != np.floor(finite)) | (np.abs(finite) >= 2.0**63)) & ~empty
        return Parsed(np.where(bad, 0, finite).astype(np.int64), empty, bad)
    return Parsed(np.where(bad, 0.0, np.nan_to_num(arr)), empty, bad)


def format_time(seconds: int) -> str:
    """Format service-day seconds as ``HH:MM:SS`` (hours may pass 24)."""
    seconds = int(seconds)
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
