"""Saved shuttle scenarios in a real database: SQLite by default, PostgreSQL by URL (SQLAlchemy).

Every write runs in one transaction after the document has been validated, so
an invalid or failed write leaves the stored scenario exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import DateTime, Integer, String, Text, create_engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from maas.errors import InputError, MaasError


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


class ScenarioStore:
    """CRUD over saved scenarios; ``validate`` checks a document before any write."""

    def __init__(self, url: str, validate: Callable[[dict], None] | None = None) -> None:
        self.url = url
        self.engine = create_engine(url, future=True, pool_pre_ping=True)
        _Base.metadata.create_all(self.engine)
        self.validate = validate or (lambda doc: None)

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
        try:
            with Session(self.engine) as s, s.begin():
                s.add(row)
                s.flush()
                return self._out(row)
        except SQLAlchemyError as exc:
            raise StoreError(f"the scenario could not be saved ({type(exc).__name__}); nothing was changed") from exc

    def get(self, scenario_id: str) -> StoredScenario | None:
        """Return a scenario, or None."""
        with Session(self.engine) as s:
            row = s.get(ScenarioRow, scenario_id)
            return self._out(row) if row else None

    def list(self) -> list[StoredScenario]:
        """Return all scenarios, newest first."""
        with Session(self.engine) as s:
            rows = s.scalars(select(ScenarioRow).order_by(ScenarioRow.updated.desc(), ScenarioRow.id)).all()
            return [self._out(r) for r in rows]

    def update(self, scenario_id: str, name: str, document: dict, expected_version: int | None = None) -> StoredScenario | None:
        """Replace a scenario (validated first); None when it does not exist.

        With ``expected_version`` the update applies only if nobody changed
        the scenario since (otherwise InputError on field ``version``).
        """
        self._check(name, document)
        try:
            with Session(self.engine) as s, s.begin():
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
        except SQLAlchemyError as exc:
            raise StoreError(f"the scenario could not be saved ({type(exc).__name__}); nothing was changed") from exc

    def delete(self, scenario_id: str) -> bool:
        """Delete a scenario; False when it does not exist."""
        try:
            with Session(self.engine) as s, s.begin():
                row = s.get(ScenarioRow, scenario_id)
                if row is None:
                    return False
                s.delete(row)
                return True
        except SQLAlchemyError as exc:
            raise StoreError(f"the scenario could not be deleted ({type(exc).__name__}); nothing was changed") from exc
