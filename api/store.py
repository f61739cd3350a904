"""Saved shuttle scenarios in a real database: SQLite by default, PostgreSQL by URL (SQLAlchemy).

Every write runs in one transaction after the document has been validated, so
an invalid or failed write leaves the stored scenario exactly as it was.

The store degrades instead of dying: it connects lazily, and while the
database is unreachable, corrupt or refuses writes every operation raises
:class:`StoreUnavailable` (a 503 with ``Retry-After`` over HTTP) while the rest
of the service keeps answering.  The schema is (re)created, with a growing
pause between attempts, until the database answers; then the ``on_ready`` hook
(seeding the built-in scenarios) runs once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from sqlalchemy import DateTime, Integer, String, Text, create_engine, make_url, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from maas.errors import InputError, MaasError

log = logging.getLogger("maas.store")

#: Seconds before the first retry of an unreachable database, and the most the pause grows to.
RETRY_FIRST_S = 2.0
RETRY_MAX_S = 15.0
#: Seconds a PostgreSQL connection attempt may take (a silent host must not hold requests for minutes).
CONNECT_TIMEOUT_S = 5
#: SQLite result codes and PostgreSQL SQLSTATEs of a full disk (told apart from other failures: 507).
_SQLITE_FULL = 13
_PG_DISK_FULL = "53100"


class _Base(DeclarativeBase):
    pass


class ScenarioRow(_Base):
    """One saved scenario: its name, the JSON document, and a version bumped on every update."""

    __tablename__ = "scenarios"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    document: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class StoredScenario:
    """A scenario as returned to clients."""

    id: str
    name: str
    document: dict
    version: int
    created: dt.datetime
    updated: dt.datetime

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "created": self.created.isoformat(),
            "updated": self.updated.isoformat(),
            "scenario": self.document,
        }


class StoreError(MaasError):
    """The database could not complete the operation (nothing was changed)."""


class StoreUnavailable(StoreError):
    """The database cannot serve the operation now (unreachable, corrupt, read-only); nothing was changed.

    A server-side condition, not the client's fault: 503 with ``Retry-After``
    (``retry_after`` seconds) over HTTP.
    """

    status = 503

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class StoreFull(StoreUnavailable):
    """The database has no room left for the write (disk full): 507 Insufficient Storage."""

    status = 507


def _sqlite_code(orig: BaseException | None) -> int | None:
    return getattr(orig, "sqlite_errorcode", None)


def _is_disk_full(exc: SQLAlchemyError) -> bool:
    """True when the driver reports a full disk (SQLite SQLITE_FULL, PostgreSQL SQLSTATE 53100)."""
    orig = getattr(exc, "orig", None)
    code = _sqlite_code(orig)
    return (code is not None and code & 0xFF == _SQLITE_FULL) or getattr(orig, "sqlstate", None) == _PG_DISK_FULL


class ScenarioStore:
    """CRUD over saved scenarios; ``validate`` checks a document before any write.

    Nothing is opened at construction: the first operation (or :meth:`health`)
    creates the schema.  ``on_ready(store)`` runs once, the first time the
    database answers.  ``retry_first``/``retry_max`` bound the pause between
    two connection attempts while the database is down (doubling each time),
    so a dead database costs each request no more than a quick 503.
    """

    def __init__(
        self,
        url: str,
        validate: Callable[[dict], object] | None = None,  # its answer is not used
        on_ready: Callable[[ScenarioStore], None] | None = None,
        retry_first: float = RETRY_FIRST_S,
        retry_max: float = RETRY_MAX_S,
    ) -> None:
        self.url = url
        self.validate = validate or (lambda doc: None)
        self.on_ready = on_ready
        self.retry_first, self.retry_max = retry_first, retry_max
        self._ready = False
        self._seeded = False
        self._reason: str | None = None
        self._failures = 0
        self._next_attempt = 0.0
        self._attempt_lock = threading.RLock()
        self._parsed: URL | None = self._parse(url)
        self.engine: Engine | None = None
        try:
            self.engine = self._create_engine()
        except (SQLAlchemyError, ImportError) as exc:  # bad URL or missing driver: reported, retried like an outage
            self._mark_down(exc)
        after_fork = weakref.WeakMethod(self._after_fork)
        os.register_at_fork(after_in_child=lambda: (method := after_fork()) is not None and method())

    def _after_fork(self) -> None:
        """In a forked child (the heavy-work pool): fresh lock and pool, the parent's connections left alone."""
        self._attempt_lock = threading.RLock()
        if self.engine is not None:
            self.engine.dispose(close=False)

    # --- connection state ------------------------------------------------------------------------

    @staticmethod
    def _parse(url: str) -> URL | None:
        try:
            return make_url(url)
        except SQLAlchemyError:
            return None

    def _create_engine(self) -> Engine:
        """The engine (no connection yet); PostgreSQL connections time out after CONNECT_TIMEOUT_S."""
        args = {}
        if self._parsed is not None and self._parsed.get_backend_name() == "postgresql" and "connect_timeout" not in self._parsed.query:
            args["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
        return create_engine(self.url, future=True, pool_pre_ping=True, **args)

    @property
    def safe_url(self) -> str:
        """The database URL with its password masked (for messages anyone may read)."""
        if self._parsed is None:
            return "the configured database URL (not a valid URL)"
        return self._parsed.render_as_string(hide_password=True)

    @property
    def reason(self) -> str | None:
        """Why the store is unavailable (None while it works or before the first attempt)."""
        return None if self._ready else self._reason

    def _describe(self, exc: BaseException) -> str:
        """The driver's first line about ``exc``, prefixed with the masked URL; never the password."""
        orig = getattr(exc, "orig", None) or exc
        lines = str(orig).strip().splitlines()
        text = lines[0].strip() if lines else type(orig).__name__
        password = self._parsed.password if self._parsed is not None else None
        if password:
            for form in {str(password), quote(str(password), safe=""), quote_plus(str(password))}:
                text = text.replace(form, "***")
        return f"database at {self.safe_url}: {text}"

    def _mark_down(self, exc: BaseException) -> str:
        """Record an outage; the next attempt waits retry_first, doubled per failure up to retry_max."""
        reason = self._describe(exc)
        if self._ready or reason != self._reason:
            log.warning("scenario store unavailable: %s", reason)
        self._ready, self._reason = False, reason
        self._failures += 1
        delay = min(self.retry_max, self.retry_first * 2 ** (self._failures - 1))
        self._next_attempt = time.monotonic() + delay
        return reason

    def _mark_up(self) -> None:
        if self._reason is not None:
            log.warning("scenario store available again: %s", self.safe_url)
        self._ready, self._reason, self._failures = True, None, 0

    def _retry_after(self) -> int:
        return math.ceil(max(self._next_attempt - time.monotonic(), 1.0))

    def _unavailable(self, reason: str, suffix: str = "") -> StoreUnavailable:
        return StoreUnavailable(f"the scenario store is unavailable: {reason}{suffix}", self._retry_after())

    def _attempt(self) -> bool:
        """Create the engine and schema (idempotent), then run ``on_ready`` once; True when usable."""
        try:
            if self.engine is None:
                self.engine = self._create_engine()
            _Base.metadata.create_all(self.engine)
        except (SQLAlchemyError, ImportError) as exc:
            self._mark_down(exc)
            if self.engine is not None:
                self.engine.dispose()  # the next attempt opens new connections (a replaced SQLite file, a new server)
            return False
        self._mark_up()
        if self.on_ready is not None and not self._seeded:
            self._seeded = True  # set first: the hook's own operations must not run it again
            try:
                self.on_ready(self)
            except StoreError as exc:
                self._seeded = False  # the database failed meanwhile: seed on the next success
                log.warning("built-in scenarios not stored yet: %s", exc)
            except MaasError:
                log.exception("built-in scenarios could not be stored")
        return self._ready

    def _connect(self, done: str = "") -> None:
        """Make sure the schema exists; raise StoreUnavailable (message ending in ``done``) while the database is down.

        Attempts are spaced (see ``retry_first``): between two, requests get
        the last reason at once.  Only one thread attempts at a time.
        """
        if self._ready:
            return
        if time.monotonic() < self._next_attempt or not self._attempt_lock.acquire(blocking=False):
            raise self._unavailable(self._reason or f"database at {self.safe_url}: connecting", done)
        try:
            if not self._ready and not self._attempt():
                raise self._unavailable(self._reason or "", done)
        finally:
            self._attempt_lock.release()

    def _failure(self, action: str, exc: SQLAlchemyError, done: str) -> StoreUnavailable:
        """The exception for a failed operation: full disk (507), database down (503), or refused (503).

        The schema check is re-run to tell a database that is gone (every
        later request fails fast until it is back) from one that refused just
        this operation (read-only file, lock): only the first marks the store down.
        """
        if _is_disk_full(exc):
            return StoreFull(f"the scenario could not be {action}: the database is full ({self._describe(exc)}){done}", math.ceil(self.retry_max))
        if self._attempt_lock.acquire(blocking=False):
            try:
                usable = self._attempt()
            finally:
                self._attempt_lock.release()
            if not usable:
                return self._unavailable(self._reason or "", done)
        return StoreUnavailable(f"the scenario could not be {action}: {self._describe(exc)}{done}", math.ceil(self.retry_first))

    @contextmanager
    def _session(self, action: str, write: bool = False) -> Iterator[Session]:
        """A session on a usable store (one transaction when ``write``); database errors become StoreUnavailable."""
        done = "; nothing was changed" if write else ""
        self._connect(done)
        try:
            with Session(self.engine) as s:
                if write:
                    with s.begin():
                        yield s
                else:
                    yield s
        except SQLAlchemyError as exc:
            raise self._failure(action, exc, done) from exc

    def health(self) -> str | None:
        """None when the store answers a read now, else why not (never raises for a database problem)."""
        try:
            with self._session("read") as s:
                s.execute(select(ScenarioRow.id).limit(1)).all()
        except StoreError as exc:
            return self._reason or str(exc)
        return None

    # --- scenarios -------------------------------------------------------------------------------

    def _now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def _out(self, row: ScenarioRow) -> StoredScenario:
        created, updated = row.created, row.updated
        if created.tzinfo is None:  # SQLite drops the zone
            created, updated = created.replace(tzinfo=dt.UTC), updated.replace(tzinfo=dt.UTC)
        return StoredScenario(row.id, row.name, json.loads(row.document), row.version, created, updated)

    def _check(self, name: str, document: dict) -> None:
        if not isinstance(document, dict):
            raise InputError("scenario: expected a JSON object", "scenario")
        if not name or len(name) > 200:
            raise InputError("name: give a name of 1 to 200 characters", "name")
        self.validate(document)

    def create(self, name: str, document: dict) -> StoredScenario:
        """Validate and save a new scenario."""
        self._check(name, document)
        now = self._now()
        row = ScenarioRow(id=str(uuid.uuid4()), name=name, document=json.dumps(document, ensure_ascii=False), version=1, created=now, updated=now)
        with self._session("saved", write=True) as s:
            s.add(row)
            s.flush()
            return self._out(row)

    def get(self, scenario_id: str) -> StoredScenario | None:
        """Return a scenario, or None."""
        with self._session("read") as s:
            row = s.get(ScenarioRow, scenario_id)
            return self._out(row) if row else None

    def list(self) -> list[StoredScenario]:
        """Return all scenarios, newest first."""
        with self._session("read") as s:
            rows = s.scalars(select(ScenarioRow).order_by(ScenarioRow.updated.desc(), ScenarioRow.id)).all()
            return [self._out(r) for r in rows]

    def update(self, scenario_id: str, name: str, document: dict, expected_version: int | None = None) -> StoredScenario | None:
        """Replace a scenario (validated first); None when it does not exist.

        With ``expected_version`` the update applies only if nobody changed
        the scenario since (otherwise InputError on field ``version``).
        """
        self._check(name, document)
        with self._session("saved", write=True) as s:
            row = s.get(ScenarioRow, scenario_id, with_for_update=True)
            if row is None:
                return None
            if expected_version is not None and row.version != expected_version:
                raise InputError(f"version: the scenario is at version {row.version}, not {expected_version}; reload it", "version")
            row.name = name
            row.document = json.dumps(document, ensure_ascii=False)
            row.version += 1
            row.updated = self._now()
            s.flush()
            return self._out(row)

    def delete(self, scenario_id: str) -> bool:
        """Delete a scenario; False when it does not exist."""
        with self._session("deleted", write=True) as s:
            row = s.get(ScenarioRow, scenario_id)
            if row is None:
                return False
            s.delete(row)
            return True
