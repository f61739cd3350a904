"""``maas serve`` knows the service only by name: uvicorn loads ``api.main:app``; the CLI never imports ``api``.

It still loads the service before anything else, so a wrong ``MAAS_*``
setting is one clear error (exit 2, the variable named, no traceback) before a
timetable is compiled or a worker starts.  Run as a process: the service's
module must be imported fresh, with the environment of the test.
"""

from __future__ import annotations

import os
import subprocess
import sys

from fastapi import FastAPI
from uvicorn.importer import import_from_string

from maas.cli.serve_cmd import SERVICE


def test_the_service_name_is_the_fastapi_app():
    assert isinstance(import_from_string(SERVICE), FastAPI)


def test_a_wrong_setting_stops_serve_with_its_name(tmp_path):
    env = {**os.environ, "MAAS_CACHE_DIR": str(tmp_path / "cache"), "MAAS_API_KEYS": "short"}
    done = subprocess.run([sys.executable, "-m", "maas", "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "MAAS_API_KEYS" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "cache").exists()  # stopped before compiling anything
