"""OPTW / TOPTW benchmark instances (Solomon- and Cordeau-based, KU Leuven format) and best-known scores.

The format and conventions are those of ``../shared/data/optw/README.md``:

* the file is a stream of whitespace-separated tokens (c204.txt breaks its
  header line; two Cordeau files use CRLF);
* header ``k v N t`` then ``D Q`` (unused), then N+1 vertex records
  ``i x y d S f a list(a) O C`` where ``d`` is the visit duration, ``S`` the
  score and ``[O, C]`` the window for the *start* of service;
* vertex 0 is the depot: every tour starts and ends there, leaves at
  ``O0`` or later and is back by ``C0``;
* travel time = Euclidean distance, floored to 0.1 for Solomon-based files
  and to 0.01 for Cordeau-based files (``pr*``).  Times are scaled to
  integers by the same factor (×10 or ×100), so the integer model is exact.

Vertex ids are the file's ``i`` (0 = depot, 1..N customers), which are also
the node numbers of the :class:`~maas.tours.model.Orienteering` built here.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from maas.errors import InputError
from maas.tours.model import Orienteering


@dataclass(frozen=True)
class Vertex:
    i: int
    x: float
    y: float
    duration: float
    score: int
    open: float
    close: float


@dataclass(frozen=True)
class OptwInstance:
    """One benchmark file, as read (vertex 0 is the depot)."""

    name: str
    path: Path
    v: int  # tours enough to visit every vertex (Solomon-based files only; see the data README)
    vertices: tuple[Vertex, ...]
    scale: int  # integer time units per distance unit: 10 (Solomon) or 100 (Cordeau)

    @property
    def n_customers(self) -> int:
        return len(self.vertices) - 1

    @property
    def budget(self) -> float:
        """Each tour's time budget (the depot's C)."""
        return self.vertices[0].close

    @property
    def total_score(self) -> int:
        return sum(v.score for v in self.vertices)

    def travel_matrix(self) -> np.ndarray:
        """Integer travel times in 1/scale units: floor(scale · Euclidean distance)."""
        xy = np.array([(v.x, v.y) for v in self.vertices], dtype=np.float64)
        d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
        # A tiny epsilon so that distances exactly on a grid point (e.g. 5.0 from a 3-4-5
        # triangle, computed as 4.999999...) floor to the grid point, not one below.
        return np.floor(d * self.scale + 1e-7).astype(np.int64)

    def problem(self, tours: int = 1) -> Orienteering:
        """The TOPTW with ``tours`` tours, all from and to vertex 0, in integer time units."""
        if tours < 1:
            raise InputError(f"--tours must be at least 1, got {tours}", field="tours")
        s = self.scale
        vs = self.vertices

        def scaled(x: float) -> int:
            return int(round(x * s))

        depot = vs[0]
        budget_open, budget_close = scaled(depot.open), scaled(depot.close)
        return Orienteering(
            score=np.array([0] + [v.score for v in vs[1:]], dtype=np.int64),
            service=np.array([scaled(v.duration) for v in vs], dtype=np.int64),
            open=np.array([scaled(v.open) for v in vs], dtype=np.int64),
            close=np.array([scaled(v.close) for v in vs], dtype=np.int64),
            travel=self.travel_matrix(),
            starts=(0,) * tours,
            ends=(0,) * tours,
            tour_open=(budget_open,) * tours,
            tour_close=(budget_close,) * tours,
        )


def _scale_for(name: str) -> int:
    return 100 if name.lower().startswith("pr") else 10


def read_instance(path: str | Path, scale: int | None = None) -> OptwInstance:
    """Read a KU Leuven OPTW/TOPTW file as a token stream.

    ``scale`` defaults to 100 for Cordeau files (``pr*``: distances floored to
    0.01) and 10 otherwise (Solomon: floored to 0.1).  Raises
    :class:`~maas.errors.InputError` naming the file and token on bad input.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", field="file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not an instance file", field="file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})", field="file") from None
    tokens = text.split()
    pos = 0

    def take(what: str) -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise InputError(f"{path}: file ends early, expected {what} (token {pos + 1})", field="file")
        tok = tokens[pos]
        pos += 1
        return tok

    def number(what: str) -> float:
        tok = take(what)
        try:
            x = float(tok)
        except ValueError:
            raise InputError(f"{path}: token {pos} ({tok!r}) should be a number: {what}", field="file") from None
        if not math.isfinite(x):
            raise InputError(f"{path}: token {pos} ({tok!r}) should be a finite number: {what}", field="file")
        return x

    def integer(what: str) -> int:
        x = number(what)
        if x != int(x):
            raise InputError(f"{path}: token {pos} ({tokens[pos - 1]!r}) should be an integer: {what}", field="file")
        return int(x)

    integer("header k")
    v = integer("header v (number of vehicles)")
    n = integer("header N (number of customers)")
    integer("header t")
    if n < 1:
        raise InputError(f"{path}: header N = {n}, expected at least one customer", field="file")
    number("D")
    number("Q")
    vertices = []
    for expect in range(n + 1):
        i = integer(f"vertex number of record {expect}")
        if i != expect:
            raise InputError(f"{path}: vertex record {expect} is numbered {i}", field="file")
        x = number(f"x of vertex {i}")
        y = number(f"y of vertex {i}")
        d = number(f"visit duration d of vertex {i}")
        score = number(f"score S of vertex {i}")
        integer(f"frequency f of vertex {i}")
        a = integer(f"list length a of vertex {i}")
        if a < 0:
            raise InputError(f"{path}: vertex {i} has a negative list length a = {a}", field="file")
        for _ in range(a):
            number(f"list item of vertex {i}")
        o = number(f"opening time O of vertex {i}")
        c = number(f"closing time C of vertex {i}")
        if d < 0 or score < 0:
            raise InputError(f"{path}: vertex {i} has a negative duration or score", field="file")
        if score != int(score):
            raise InputError(f"{path}: vertex {i} has a non-integer score {score}", field="file")
        if o > c:
            raise InputError(f"{path}: vertex {i} opens at {o:g} after it closes at {c:g}", field="file")
        vertices.append(Vertex(i, x, y, d, int(score), o, c))
    if pos != len(tokens):
        raise InputError(f"{path}: {len(tokens) - pos} unexpected tokens after the {n + 1} vertex records", field="file")
    name = path.stem
    return OptwInstance(name=name, path=path, v=v, vertices=tuple(vertices), scale=scale or _scale_for(name))


@dataclass(frozen=True)
class Bks:
    instance: str
    set: str
    n_customers: int
    m: int
    score: int
    status: str
    total_score: int
    v_header: int


def read_bks(path: str | Path) -> list[Bks]:
    """The rows of the data's ``bks.csv``, in file order."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc})", field="bks") from None
    out = []
    for line, r in enumerate(rows, start=2):
        try:
            out.append(
                Bks(
                    instance=r["instance"],
                    set=r["set"],
                    n_customers=int(r["n_customers"]),
                    m=int(r["m"]),
                    score=int(r["bks_score"]),
                    status=r["status"],
                    total_score=int(r["total_score"]),
                    v_header=int(r["v_header"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}: line {line}: bad row ({exc})", field="bks") from None
    return out


def find_bks(instance_path: str | Path, m: int, bks_path: str | Path | None = None) -> Bks | None:
    """The bks.csv row for this file and ``m``, looking for ``bks.csv`` beside ``instances/`` when not given."""
    instance_path = Path(instance_path).resolve()
    if bks_path is None:
        for parent in instance_path.parents:
            cand = parent / "bks.csv"
            if cand.is_file():
                bks_path = cand
                break
        else:
            return None
    bks_path = Path(bks_path)
    if not bks_path.is_file():
        return None
    set_name = instance_path.parent.name
    for row in read_bks(bks_path):
        if row.instance == instance_path.stem and row.m == m and row.set == set_name:
            return row
    return None


def instance_path(data_dir: str | Path, row: Bks) -> Path:
    """Where the file of a bks.csv row lives under the data folder (``instances/<set>/<instance>.txt``)."""
    return Path(data_dir) / "instances" / row.set / f"{row.instance}.txt"
