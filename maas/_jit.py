"""Optional numba compilation: hot loops compile when numba is installed and run as plain Python otherwise.

``lazy_njit`` defers importing numba (about 0.2 s) and compiling to the first
call, so importing the library, and ``maas --help``, stay quick.  ``njit``
compiles at import time, for kernels that call one another inside numba.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable


def numba_available() -> bool:
    """Return whether numba can be imported (without importing it)."""
    try:
        return importlib.util.find_spec("numba") is not None
    except (ImportError, ValueError):  # e.g. sys.modules["numba"] = None to force the fallback
        return False


def njit(*args, **kwargs):  # noqa: ANN201 - mirrors numba.njit
    """``numba.njit`` when numba is installed; otherwise leave the function as it is."""
    if numba_available():
        from numba import njit as real

        return real(*args, **kwargs)
    if args and callable(args[0]):
        return args[0]
    return lambda f: f


def lazy_njit(**options) -> Callable[[Callable], Callable]:
    """Decorate a function so it is compiled with ``numba.njit(**options)`` on its first call."""

    def decorate(fn: Callable) -> Callable:
        compiled: list[Callable] = []

        @functools.wraps(fn)
        def call(*args):  # noqa: ANN202
            if not compiled:
                compiled.append(njit(**options)(fn))
            return compiled[0](*args)

        call.python = fn  # type: ignore[attr-defined]  # the uncompiled function, for tests
        return call

    return decorate
