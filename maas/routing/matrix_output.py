"""Write travel-time matrices and accessibility as CSV, Parquet or GeoJSON, chosen by the file's extension.

Minutes are written with one decimal (``12.5``), unreached as an empty CSV
cell, a Parquet null or a JSON null.  The same result always gives the same
bytes: rows in origin order then destination order, no timestamps, fixed
number formatting, so outputs can be compared with ``cmp`` whatever split
the work.

- Matrix CSV: *wide* (one row per origin, one column per destination — the
  one-departure table of earlier versions) or *long* (``origin,destination,
  p5,p50,p95``: one row per pair and a column per percentile).
- Matrix Parquet: always long, minutes as float64.
- Matrix GeoJSON: one LineString per pair from origin to destination, with
  the percentiles as properties (desire lines).
- Accessibility: one row (or Feature: a mesh cell's square or the origin's
  point) per origin, a ``within_30`` column per threshold.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from maas.errors import InputError
from maas.routing.access import Accessibility
from maas.routing.matrix import UNREACHED, TravelTimeMatrix

#: Output formats by file extension.
FORMATS = {".csv": "csv", ".parquet": "parquet", ".geojson": "geojson", ".json": "geojson"}


def output_format(path: Path | None) -> str:
    """Return ``csv``, ``parquet`` or ``geojson`` for an output path (CSV for standard output); InputError otherwise."""
    if path is None:
        return "csv"
    found = FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise InputError(f"--output {path}: write .csv, .parquet or .geojson", "output")
    return found


def _minutes_text(seconds: np.ndarray) -> list[str]:
    return ["" if s == UNREACHED else f"{s / 60:.1f}" for s in seconds.tolist()]


def _minutes_values(seconds: np.ndarray) -> list[float | None]:
    return [None if s == UNREACHED else float(f"{s / 60:.1f}") for s in seconds.tolist()]


def matrix_csv(m: TravelTimeMatrix, out: IO[str], wide: bool) -> None:
    """Write the matrix as CSV: wide needs one percentile (one value per pair)."""
    w = csv.writer(out, lineterminator="\n")
    if wide:
        if len(m.percentiles) != 1:
            raise InputError("a wide table holds one value per pair: ask for one percentile", "percentiles")
        w.writerow(["origin", *m.destination_ids])
        for oid, row in zip(m.origin_ids, m.seconds[:, :, 0]):
            w.writerow([oid, *_minutes_text(row)])
        return
    w.writerow(["origin", "destination", *(f"p{p}" for p in m.percentiles)])
    for i, oid in enumerate(m.origin_ids):
        texts = [_minutes_text(m.seconds[i, :, k]) for k in range(len(m.percentiles))]
        for j, did in enumerate(m.destination_ids):
            w.writerow([oid, did, *(t[j] for t in texts)])


def matrix_parquet(m: TravelTimeMatrix, path: Path) -> None:
    """Write the matrix as a long Parquet table: ``origin``, ``destination``, then minutes per percentile."""
    import pyarrow as pa

    n_o, n_d = len(m.origin_ids), len(m.destination_ids)
    columns: dict[str, pa.Array] = {
        "origin": pa.array(np.repeat(np.array(m.origin_ids, dtype=object), n_d).tolist(), pa.string()),
        "destination": pa.array(list(m.destination_ids) * n_o, pa.string()),
    }
    for k, p in enumerate(m.percentiles):
        columns[f"p{p}"] = pa.array(_minutes_values(m.seconds[:, :, k].ravel()), pa.float64())
    _write_parquet(pa.table(columns), path)


def matrix_geojson(m: TravelTimeMatrix, origins: Sequence[tuple[float, float]], destinations: Sequence[tuple[float, float]]) -> dict[str, Any]:
    """Return the matrix as GeoJSON desire lines; ``origins`` and ``destinations`` are ``(lat, lon)``."""
    features = []
    for i, oid in enumerate(m.origin_ids):
        values = [_minutes_values(m.seconds[i, :, k]) for k in range(len(m.percentiles))]
        for j, did in enumerate(m.destination_ids):
            (la, lo), (lb, lob) = origins[i], destinations[j]
            props: dict[str, object] = {"origin": oid, "destination": did}
            props.update({f"p{p}": values[k][j] for k, p in enumerate(m.percentiles)})
            geometry = {"type": "LineString", "coordinates": [[round(lo, 6), round(la, 6)], [round(lob, 6), round(lb, 6)]]}
            features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def write_matrix(
    m: TravelTimeMatrix,
    path: Path | None,
    stdout: IO[str],
    *,
    wide: bool,
    origins: Sequence[tuple[float, float]],
    destinations: Sequence[tuple[float, float]],
) -> None:
    """Write the matrix to ``path`` in the format of its extension, or as CSV to ``stdout``."""
    kind = output_format(path)
    if kind == "parquet":
        matrix_parquet(m, path)  # type: ignore[arg-type]
    elif kind == "geojson":
        _write_text(path, json.dumps(matrix_geojson(m, origins, destinations), ensure_ascii=False, separators=(",", ":")) + "\n")  # type: ignore[arg-type]
    elif path is None:
        matrix_csv(m, stdout, wide)
    else:
        buffer = io.StringIO()
        matrix_csv(m, buffer, wide)
        _write_text(path, buffer.getvalue())


def _number(v: float) -> float | int:
    return int(v) if float(v).is_integer() else float(f"{v:.6g}")


def access_columns(a: Accessibility) -> list[str]:
    """Return the names of the threshold columns: ``within_30``, ``within_45``..."""
    return [f"within_{t}" for t in a.thresholds]


def access_csv(a: Accessibility, out: IO[str], positions: Sequence[tuple[float, float]]) -> None:
    """Write one row per origin: ``origin,lat,lon,within_30,...``."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["origin", "lat", "lon", *access_columns(a)])
    for oid, (lat, lon), row in zip(a.origin_ids, positions, a.values.tolist()):
        w.writerow([oid, f"{lat:.6f}", f"{lon:.6f}", *(_number(v) for v in row)])


def access_geojson(a: Accessibility, geometries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Return one Feature per origin (its cell or point) with a property per threshold, and the study's settings."""
    names = access_columns(a)
    features = [
        {"type": "Feature", "geometry": g, "properties": {"id": oid, **{n: _number(v) for n, v in zip(names, row)}}}
        for oid, g, row in zip(a.origin_ids, geometries, a.values.tolist())
    ]
    meta = {
        "date": a.window.date.isoformat(),
        "depart_s": a.window.start,
        "window_min": a.window.minutes,
        "percentile": a.percentile,
        "thresholds": list(a.thresholds),
    }
    return {"type": "FeatureCollection", "maas_access": meta, "features": features}


def access_parquet(a: Accessibility, path: Path, positions: Sequence[tuple[float, float]]) -> None:
    """Write one row per origin: ``origin``, ``lat``, ``lon`` and a float64 column per threshold."""
    import pyarrow as pa

    columns: dict[str, pa.Array] = {
        "origin": pa.array(list(a.origin_ids), pa.string()),
        "lat": pa.array([p[0] for p in positions], pa.float64()),
        "lon": pa.array([p[1] for p in positions], pa.float64()),
    }
    for k, name in enumerate(access_columns(a)):
        columns[name] = pa.array(a.values[:, k].tolist(), pa.float64())
    _write_parquet(pa.table(columns), path)


def write_access(
    a: Accessibility, path: Path | None, stdout: IO[str], *, positions: Sequence[tuple[float, float]], geometries: Sequence[dict[str, Any]]
) -> None:
    """Write accessibility to ``path`` in the format of its extension, or as CSV to ``stdout``."""
    kind = output_format(path)
    if kind == "parquet":
        access_parquet(a, path, positions)  # type: ignore[arg-type]
    elif kind == "geojson":
        _write_text(path, json.dumps(access_geojson(a, geometries), ensure_ascii=False, separators=(",", ":")) + "\n")  # type: ignore[arg-type]
    elif path is None:
        access_csv(a, stdout, positions)
    else:
        buffer = io.StringIO()
        access_csv(a, buffer, positions)
        _write_text(path, buffer.getvalue())


def _write_parquet(table: object, path: Path) -> None:
    """Write a pyarrow table as zstd-compressed Parquet; InputError naming ``--output`` when the file cannot be written."""
    import pyarrow.parquet as pq

    try:
        pq.write_table(table, path, compression="zstd")
    except OSError as exc:
        raise InputError(f"--output {path}: cannot write ({exc})", "output") from exc


def _write_text(path: Path, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--output {path}: cannot write ({exc.strerror})", "output") from exc
