"""Exceptions raised by maas, each also the builtin a caller would expect.

Every error carries a message written for the person who gave the input: it
names the file, row and field (or the request field) and what is wrong.
"""

from __future__ import annotations


class MaasError(Exception):
    """Root of all errors maas raises on purpose."""


class FeedError(MaasError, ValueError):
    """A feed cannot be used; ``problems`` lists every reason."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class InputError(MaasError, ValueError):
    """A request or command-line value is not understood.

    ``field`` names the request field or option at fault.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PlaceNotFoundError(InputError):
    """A place name or id matched nothing or more than one place.

    ``candidates`` holds the closest matches, best first, for the message.
    """

    def __init__(self, message: str, field: str | None = None, candidates: list[str] | None = None) -> None:
        super().__init__(message, field)
        self.candidates = candidates or []
