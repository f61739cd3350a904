"""Optional numba compilation: hot loops compile when numba is installed and run as plain Python otherwise.

``lazy_njit`` defers importing numba (about 0.2 s) and compiling to the first
call, so importing the library, and ``maas --help``, stay quick.  ``njit``
compiles at import time, for kernels that call one another inside numba.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from typing import Any, TypeVar, cast, overload

#: A function a decorator gives back with its own signature (compiled or not, it is called the same way).
F = TypeVar("F", bound=Callable[..., Any])


def numba_available() -> bool:
    """Return whether numba can be imported (without importing it)."""
    try:
        return importlib.util.find_spec("numba") is not None
    except (ImportError, ValueError):  # e.g. sys.modules["numba"] = None to force the fallback
        return False


@overload
def njit(fn: F, /) -> F: ...
@overload
def njit(**options: Any) -> Callable[[F], F]: ...
def njit(fn: F | None = None, /, **options: Any) -> F | Callable[[F], F]:
    """``numba.njit`` when numba is installed; otherwise leave the function as it is.

    Used as ``@njit`` or ``@njit(cache=True, ...)``, like numba's own.
    """
    if numba_available():
        from numba import njit as real

        return cast("F | Callable[[F], F]", real(fn, **options) if fn is not None else real(**options))
    if fn is not None:
        return fn
    return lambda f: f


def lazy_njit(**options: Any) -> Callable[[F], F]:
    """Decorate a function so it is compiled with ``numba.njit(**options)`` on its first call."""

    def decorate(fn: F) -> F:
        compiled: list[Callable[..., Any]] = []

        @functools.wraps(fn)
        def call(*args: Any) -> Any:
            if not compiled:
                compiled.append(njit(**options)(fn))
            return compiled[0](*args)

        call.python = fn  # type: ignore[attr-defined]  # the uncompiled function, for tests
        return cast(F, call)

    return decorate
