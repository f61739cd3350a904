#!/usr/bin/env python3
"""One entry point for a fresh machine: set up, then serve, test or benchmark.

    python3 dev.py serve    # the service with its web map on the default data
    python3 dev.py test     # the whole test suite
    python3 dev.py bench    # the benchmarks (results go to bench/RESULTS.md by hand)

Each command creates ``.venv`` (Python 3.11+) and installs the project into it
when ``pyproject.toml`` changed since the last install; nothing installed by
hand is needed.  Extra arguments are passed on (``dev.py test -k raptor``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".maas-install-stamp"
EXTRAS = "test,fast"


def ensure_env() -> None:
    """Create the virtual environment and install the project when needed."""
    if sys.version_info < (3, 11):
        sys.exit(f"maas needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + EXTRAS.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == want:
        return
    print("installing maas and its dependencies into .venv (first run only)", flush=True)
    run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(PY), "-m", "pip", "install", "--quiet", "-e", f".[{EXTRAS}]"])
    STAMP.write_text(want)


def ensure_browser() -> None:
    """Install Debian's Chromium and a Japanese font for the browser tests when missing and we may (root, apt).

    Best effort: without Chromium the browser tests skip and say why; without the font the
    screenshots show boxes for Japanese text.
    """
    import shutil

    if os.environ.get("MAAS_NO_BROWSER_INSTALL"):
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    wanted = [] if shutil.which("chromium") else ["chromium"]
    has_ja_font = shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True).stdout.strip()
    if not has_ja_font:
        wanted.append("fonts-ipafont-gothic")
    if not wanted:
        return
    print(f"installing {' and '.join(wanted)} from Debian for the browser tests (set MAAS_NO_BROWSER_INSTALL=1 to skip)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    subprocess.call(["apt-get", "update", "-qq"], **quiet)
    if subprocess.call(["apt-get", "install", "-y", "-qq", *wanted], **quiet) != 0:
        print(f"could not install {' and '.join(wanted)}; without chromium the browser tests are skipped", flush=True)


def run(cmd: list[str]) -> None:
    code = subprocess.call(cmd, cwd=ROOT)
    if code:
        sys.exit(code)


def main() -> None:
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return
    command, rest = args[0], args[1:]
    ensure_env()
    if command == "serve":
        os.execv(str(BIN / "maas"), [str(BIN / "maas"), "serve", *rest])
    elif command == "test":
        ensure_browser()
        os.execv(str(PY), [str(PY), "-m", "pytest", *rest])
    elif command == "bench":
        os.execv(str(PY), [str(PY), str(ROOT / "bench" / "run.py"), *rest])
    else:
        sys.exit(f"unknown command {command!r}: use serve, test or bench")


if __name__ == "__main__":
    main()
