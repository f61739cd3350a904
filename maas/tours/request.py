"""The tour request: one model for the command line and the HTTP service.

JSON keys mirror the CLI options: ``start``, ``end``, ``date``, ``from``,
``until``, ``days``, ``interests``, ``must_visit``, ``avoid``, ``pace``,
``max_walk``, ``budget``.  Validation errors become :class:`InputError`
naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from maas.errors import InputError
from maas.when import parse_clock

#: Visit durations are multiplied by these factors.
PACE_FACTORS = {"relaxed": 1.3, "normal": 1.0, "brisk": 0.75}
INTERESTS = ("history", "nature", "onsen", "food", "art", "culture", "shopping", "family")
MAX_DAYS = 7


class TourRequest(BaseModel):
    """What a visitor asks for: where and when, for how many days, what they like."""

    model_config = ConfigDict(
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {"start": "Shin-Yamaguchi", "date": "2026-12-05", "from": "09:00", "until": "18:00", "days": 1, "interests": ["history", "nature"], "pace": "normal", "max_walk": 800, "budget": 5000}
            ]
        },
    )

    start: str | list[str] = Field(..., description="Start place (station, stop, POI or 'lat,lon'), or one per day.", examples=["Shin-Yamaguchi"])
    end: str | list[str] | None = Field(None, description="End place (default: the start), or one per day.")
    date: dt.date = Field(..., description="First day, YYYY-MM-DD.", examples=["2026-12-05"])
    from_: str = Field("09:00", alias="from", description="Leave the start at HH:MM (each day).", examples=["09:00"])
    until: str = Field("18:00", description="Be back at the end by HH:MM (each day).", examples=["18:00"])
    days: int = Field(1, ge=1, le=MAX_DAYS, description="Number of days.")
    interests: list[str] = Field(default_factory=list, description=f"Any of {', '.join(INTERESTS)}.", examples=[["history", "nature"]])
    must_visit: list[str] = Field(default_factory=list, description="POI ids or names that must be in the tour.")
    avoid: list[str] = Field(default_factory=list, description="POI ids or names to leave out.")
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

    @field_validator("from_", "until")
    @classmethod
    def _clock(cls, v: str) -> str:
        parse_clock(v)
        return v

    @model_validator(mode="after")
    def _window(self) -> TourRequest:
        if parse_clock(self.until) - parse_clock(self.from_) < 30 * 60:
            raise ValueError("the time window from..until must be at least 30 minutes")
        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, list) and len(value) not in (1, self.days):
                raise ValueError(f"{name} lists {len(value)} places; give one, or one per day ({self.days})")
        return self

    def day_places(self) -> list[tuple[str, str]]:
        """Return (start, end) place texts for each day."""
        starts = self.start if isinstance(self.start, list) else [self.start]
        ends = self.end if isinstance(self.end, list) else ([self.end] if self.end else starts)
        return [(starts[d % len(starts)], ends[d % len(ends)]) for d in range(self.days)]

    def window_s(self) -> tuple[int, int]:
        """Return (from, until) as seconds after midnight."""
        return parse_clock(self.from_), parse_clock(self.until)


def tour_request(data: dict) -> TourRequest:
    """Build a TourRequest, turning validation errors into InputError naming the field."""
    try:
        return TourRequest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "request"
        field = "from" if field == "from_" else field
        msg = err["msg"].removeprefix("Value error, ")
        raise InputError(f"{field}: {msg}", field) from None
