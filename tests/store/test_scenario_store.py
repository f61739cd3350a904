"""Saved scenarios in SQLite and in a real PostgreSQL server: CRUD, and failed writes change nothing."""

from __future__ import annotations

import pytest

from api.store import ScenarioStore
from maas.errors import InputError


def _validate(doc: dict) -> None:
    """A stand-in validator: documents need a non-negative 'vehicles'."""
    if doc.get("vehicles", 0) < 0:
        raise InputError("fleet.vehicles: must not be negative", "fleet.vehicles")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 's.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    s = ScenarioStore(url, validate=_validate)
    yield s
    for item in s.list():
        s.delete(item.id)
    s.engine.dispose()


def test_create_get_list_update_delete(store):
    """The full life of a scenario; every update bumps the version."""
    a = store.create("trial", {"vehicles": 2, "name": "鉄道＋シャトル"})
    assert store.get(a.id).document == {"vehicles": 2, "name": "鉄道＋シャトル"}
    b = store.create("variant", {"vehicles": 3})
    assert {x.id for x in store.list()} == {a.id, b.id}
    updated = store.update(a.id, "trial v2", {"vehicles": 1})
    assert updated.version == 2 and store.get(a.id).name == "trial v2"
    assert store.delete(b.id) and store.get(b.id) is None
    assert store.delete(b.id) is False
    assert store.update("no-such-id", "x", {"vehicles": 1}) is None


def test_invalid_write_leaves_scenario_unchanged(store):
    """An update that fails validation changes nothing, not even the version."""
    a = store.create("trial", {"vehicles": 2})
    with pytest.raises(InputError, match=r"fleet\.vehicles"):
        store.update(a.id, "broken", {"vehicles": -1})
    again = store.get(a.id)
    assert again.document == {"vehicles": 2} and again.version == 1 and again.name == "trial"
    with pytest.raises(InputError):
        store.create("broken", {"vehicles": -5})
    assert len(store.list()) == 1


def test_stale_version_is_refused(store):
    """An update naming an old version is refused and leaves the newer one in place."""
    a = store.create("trial", {"vehicles": 2})
    store.update(a.id, "trial", {"vehicles": 3})
    with pytest.raises(InputError, match="version"):
        store.update(a.id, "trial", {"vehicles": 9}, expected_version=1)
    assert store.get(a.id).document == {"vehicles": 3}


def test_failed_database_write_rolls_back(store, monkeypatch):
    """A database error in the middle of an update rolls back: the stored scenario stays as it was."""
    from sqlalchemy.orm import Session

    from api.store import StoreError

    a = store.create("trial", {"vehicles": 2})
    real_flush = Session.flush

    def broken_flush(self, *args, **kwargs):
        from sqlalchemy.exc import OperationalError

        raise OperationalError("UPDATE scenarios", {}, Exception("disk full"))

    monkeypatch.setattr(Session, "flush", broken_flush)
    with pytest.raises(StoreError, match="nothing was changed"):
        store.update(a.id, "half", {"vehicles": 7})
    monkeypatch.setattr(Session, "flush", real_flush)
    kept = store.get(a.id)
    assert kept.document == {"vehicles": 2} and kept.version == 1
