"""The tour request: one model for the command line and the HTTP service.

JSON keys mirror the CLI options: ``start``, ``end``, ``date``, ``from``,
``until``, ``days``, ``interests``, ``must_visit``, ``avoid``, ``pace``,
``max_walk``, ``budget``.  Validation errors become :class:`InputError`
naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from maas.errors import InputError
from maas.when import parse_clock

#: Visit durations are multiplied by these factors.
PACE_FACTORS = {"relaxed": 1.3, "normal": 1.0, "brisk": 0.75}
INTERESTS = ("history", "nature", "onsen", "food", "art", "culture", "shopping", "family")
MAX_DAYS = 7
#: Request size limits (each name is resolved on its own).
MAX_MUST_VISIT = 30
MAX_AVOID = 200


class TourRequest(BaseModel):
    """What a visitor asks for: where and when, for how many days, what they like.

    The same model is the body of ``POST /v1/tours`` and is built from the
    options of ``maas tour``; its JSON keys are the CLI's option names.  Build
    one with :func:`tour_request`, which raises :class:`~maas.errors.InputError`
    naming the field; keyword construction (``TourRequest(start="Hagi",
    date=...)``) is pydantic's and raises its ``ValidationError`` (also a
    ``ValueError``) instead.

    Parameters
    ----------
    days
        Number of days, 1 to 7.
    start, end
        Where each day starts and ends (station, stop, POI, or ``lat,lon``
        such as a hotel): one place for every day, or one per day.  ``end``
        defaults to the start.
    date
        The first day.
    from_, until
        Leave the start at / be back at the end by, ``HH:MM``: one time for
        every day, or one per day; each day's window at least 30 minutes.
        ``from_`` is the ``from`` key.
    interests
        Any of ``history``, ``nature``, ``onsen``, ``food``, ``art``,
        ``culture``, ``shopping``, ``family``; matching POIs score three times
        their interest.
    must_visit, avoid
        POI ids or names to include (at most 30) or leave out (at most 200).
    pace
        ``relaxed``, ``normal`` or ``brisk``: visit lengths × 1.3, 1.0, 0.75.
    max_walk
        Longest walk in metres, 0 to 5000.
    budget
        Most yen for fares and admission fees over the whole tour, or None.
    """

    model_config = ConfigDict(
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "start": "Shin-Yamaguchi",
                    "date": "2026-12-05",
                    "from": "09:00",
                    "until": "18:00",
                    "days": 1,
                    "interests": ["history", "nature"],
                    "pace": "normal",
                    "max_walk": 800,
                    "budget": 5000,
                }
            ]
        },
    )

    # days comes first: the per-day fields below are checked against it
    days: int = Field(1, ge=1, le=MAX_DAYS, description="Number of days.")
    start: str | list[str] = Field(..., description="Start place (station, stop, POI or 'lat,lon'), or one per day.", examples=["Shin-Yamaguchi"])
    end: str | list[str] | None = Field(None, description="End place (default: the start), or one per day.")
    date: dt.date = Field(..., description="First day, YYYY-MM-DD.", examples=["2026-12-05"])
    from_: str | list[str] = Field("09:00", alias="from", description="Leave the start at HH:MM: one time for every day, or one per day.", examples=["09:00"])
    until: str | list[str] = Field("18:00", description="Be back at the end by HH:MM: one time for every day, or one per day.", examples=["18:00"])
    interests: list[str] = Field(default_factory=list, description=f"Any of {', '.join(INTERESTS)}.", examples=[["history", "nature"]])
    must_visit: list[str] = Field(
        default_factory=list, max_length=MAX_MUST_VISIT, description=f"POI ids or names that must be in the tour (at most {MAX_MUST_VISIT})."
    )
    avoid: list[str] = Field(default_factory=list, max_length=MAX_AVOID, description=f"POI ids or names to leave out (at most {MAX_AVOID}).")
    pace: Literal["relaxed", "normal", "brisk"] = Field("normal", description="Scales visit durations (1.3 / 1.0 / 0.75).")
    max_walk: float = Field(800.0, ge=0, le=5000, description="Longest walk in metres (to and from stops, and between places).")
    budget: int | None = Field(None, ge=0, description="Most yen to spend on fares and admission fees (whole tour).")

    @field_validator("interests")
    @classmethod
    def _known_interests(cls, v: list[str]) -> list[str]:
        unknown = sorted({i for i in v if i not in INTERESTS})
        if unknown:
            raise ValueError(f"unknown interest(s) {', '.join(unknown)}; use {', '.join(INTERESTS)}")
        return v

    @field_validator("start", "end", "from_", "until")
    @classmethod
    def _one_or_one_per_day(cls, v: str | list[str] | None, info: ValidationInfo) -> str | list[str] | None:
        days = info.data.get("days", 1)
        if isinstance(v, list) and len(v) not in (1, days):
            raise ValueError(f"{len(v)} values; give one, or one per day ({days})")
        if info.field_name in ("from_", "until") and v is not None:
            for text in _per_day(v):
                parse_clock(text)
        return v

    @model_validator(mode="after")
    def _window(self) -> TourRequest:
        for k, (t0, t1) in enumerate(self.day_windows()):
            if t1 - t0 < 30 * 60:
                day = f" on day {k + 1}" if self.days > 1 else ""
                raise ValueError(f"the time window from..until{day} must be at least 30 minutes")
        return self

    def day_places(self) -> list[tuple[str, str]]:
        """Return (start, end) place texts for each day."""
        starts = _per_day(self.start)
        ends = _per_day(self.end) if self.end else starts
        return [(starts[d % len(starts)], ends[d % len(ends)]) for d in range(self.days)]

    def day_windows(self) -> list[tuple[int, int]]:
        """Return (from, until) of each day, in seconds after midnight."""
        froms, untils = _per_day(self.from_), _per_day(self.until)
        return [(parse_clock(froms[d % len(froms)]), parse_clock(untils[d % len(untils)])) for d in range(self.days)]


def _per_day(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def tour_request(data: dict[str, Any]) -> TourRequest:
    """Build a tour request from plain data, as read from JSON or gathered from the command line.

    Parameters
    ----------
    data
        The request's fields by their JSON keys (``start``, ``end``, ``date``,
        ``from``, ``until``, ``days``, ``interests``, ``must_visit``,
        ``avoid``, ``pace``, ``max_walk``, ``budget``); see :class:`TourRequest`.

    Returns
    -------
    TourRequest
        The checked request.

    Raises
    ------
    InputError
        A field is missing or not understood; ``field`` names it (``from``,
        not ``from_``).

    Examples
    --------
    >>> req = tour_request({"start": "Higashi-Hagi", "date": "2026-12-05", "from": "09:00", "until": "17:00"})
    >>> req.day_windows()
    [(32400, 61200)]
    >>> tour_request({"start": "Hagi", "date": "2026-12-05", "pace": "fast"})
    Traceback (most recent call last):
    ...
    maas.errors.InputError: pace: Input should be 'relaxed', 'normal' or 'brisk'
    """
    try:
        return TourRequest.model_validate(data)
    except ValidationError as exc:
        raise _input_error(exc) from None


def _input_error(exc: ValidationError) -> InputError:
    """The first validation error as an InputError naming its field (``from``, not ``from_``)."""
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "request"
    field = "from" if field == "from_" else field
    msg = err["msg"].removeprefix("Value error, ")
    return InputError(f"{field}: {msg}", field)
