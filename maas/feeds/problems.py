"""A problem found in a feed: what, where (file, line, field) and how bad."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding of the checker, phrased for a transport planner.

    Parameters
    ----------
    severity
        ``error`` (the feed cannot be used) or ``warning``.
    code
        A stable machine-readable name, e.g. ``dangling_reference``.
    message
        What is wrong, for people.
    feed
        The feed's short name.
    file
        The file, or None for the feed as a whole.
    row
        The line number as a text editor shows it (the header is line 1), or
        None when the problem concerns a whole file.
    field
        The column at fault, or None.
    """

    severity: Severity
    code: str
    message: str
    feed: str = ""
    file: str | None = None
    row: int | None = None
    field: str | None = None

    def where(self) -> str:
        """Return ``feed/file:row [field]`` for people."""
        parts = []
        loc = "/".join(p for p in (self.feed, self.file or "") if p)
        if loc:
            parts.append(loc + (f":{self.row}" if self.row is not None else ""))
        if self.field:
            parts.append(f"[{self.field}]")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


def has_errors(problems: list[Problem]) -> bool:
    """Return True when any problem is an error (the feed is not usable)."""
    return any(p.severity == "error" for p in problems)
