"""The errors maas raises, each also the builtin a caller would expect.

Every error the library raises on purpose is a :class:`MaasError`; each one
also derives from the builtin exception a caller would catch without knowing
maas (``ValueError`` for bad values, ``KeyError`` for an unknown id), so code
written against the builtins keeps working.  Every message is written for the
person who gave the input: it names the file, row and field (or the request
field) and what is wrong.  The command line turns a :class:`MaasError` into
one line and exit status 2; the service into a 4xx answer with the ``field``.

Outcomes that are answers rather than mistakes are results, not errors: no
journey found is an empty list, and a tour or a shuttle optimisation that
finds no feasible plan returns its result with ``status`` ``"infeasible"``
and the reason.
"""

from __future__ import annotations

from typing import Any


class MaasError(Exception):
    """Root of every error maas raises on purpose.

    Examples
    --------
    >>> import maas
    >>> try:
    ...     maas.parse_clock("7 o'clock")
    ... except maas.MaasError as exc:
    ...     print(exc)
    time: '7 o'clock' is not a time like 07:30 or 07:30:15
    """


class FeedError(MaasError, ValueError):
    """A GTFS feed cannot be used (unreadable, or with errors).

    Parameters
    ----------
    message
        What is wrong, naming the feed (and the first problems).
    problems
        Every problem found (:class:`maas.Problem`: severity, code, file,
        line, field, message); empty when the feed could not be read at all.
    """

    def __init__(self, message: str, problems: list[Any] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class CatalogError(MaasError, ValueError):
    """A feed catalog (``gtfs/feeds.toml``) cannot be used.

    The message names the file, the entry (index and name) and the key at
    fault, or the feed name that the catalog does not list.
    """


class InputError(MaasError, ValueError):
    """A request, file or command-line value is not understood.

    Parameters
    ----------
    message
        What is wrong and where (file, row, field).
    field
        The request field, option or file property at fault (``"date"``,
        ``"walk_speed"``, ``"runs[2].calls[0].time"``), or None.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(InputError, KeyError):
    """An id names nothing (for example a run id an evaluation does not hold).

    Also a ``KeyError``, so ``except KeyError`` keeps working; unlike a plain
    ``KeyError`` its text is the whole message, not the quoted key.

    Parameters
    ----------
    message
        Which id was looked for, where, and what exists instead.
    field
        The field or argument that carried the id.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class PlaceNotFoundError(InputError):
    """A place name or id matched nothing, or places too far apart to be one.

    Parameters
    ----------
    message
        The text looked for and the closest matches with their modes.
    field
        The request field that named the place (``"from"``, ``"to"``, ...).
    candidates
        The closest matches, best first.
    """

    def __init__(self, message: str, field: str | None = None, candidates: list[str] | None = None) -> None:
        super().__init__(message, field)
        self.candidates = candidates or []


__all__ = ["CatalogError", "FeedError", "InputError", "MaasError", "NotFoundError", "PlaceNotFoundError"]
