"""A throw-away PostgreSQL server for the store tests, which tests may stop and start again."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")
QUIET = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def free_port() -> int:
    """A loopback TCP port nobody listens on (just released by the kernel)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder (Debian's binaries, as user postgres when root), run with pg_ctl.

    ``stop``/``start`` simulate a database going away and coming back while
    the service runs; the cluster, its port and its data survive both.
    """

    def __init__(self) -> None:
        """Create the cluster (initdb), or skip the test when this machine cannot run one."""
        initdb = PG_BIN / "initdb"
        if not initdb.exists():
            pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.runner = self._runner()
        self.folder = Path(tempfile.mkdtemp(prefix="maas-pg-"))
        if self.runner:
            shutil.chown(self.folder, "postgres", "postgres")
        self.port = free_port()
        self.running = False
        if subprocess.call([*self.runner, str(initdb), "-D", str(self.folder / "db"), "-U", "postgres", "--auth=trust", "-E", "UTF8"], **QUIET) != 0:
            self.remove()
            pytest.skip("initdb failed: cannot start a PostgreSQL server here")

    @staticmethod
    def _runner() -> list[str]:
        if os.geteuid() != 0:
            return []
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no 'postgres' user to run the server as")
        return ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> int:
        return subprocess.call([*self.runner, str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "db"), *args], **QUIET)

    def start(self) -> None:
        """Start the server and wait until it accepts connections (pg_ctl -w)."""
        opts = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        if self._pg_ctl("-o", opts, "-w", "-t", "60", "-l", str(self.folder / "log"), "start") != 0:
            pytest.skip("pg_ctl start failed: cannot start a PostgreSQL server here")
        self.running = True

    def stop(self) -> None:
        """Stop the server (fast: open sessions are cut) and wait until it is down."""
        self._pg_ctl("-m", "fast", "-w", "stop")
        self.running = False

    def remove(self) -> None:
        if self.running:
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[PostgresServer]:
    """A running throw-away server, one per test module (a module may stop and start its own)."""
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="module")
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of the module's throw-away server."""
    return postgres_server.url
