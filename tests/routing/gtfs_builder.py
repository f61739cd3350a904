"""Write small GTFS feeds from Python data, for tests."""

from __future__ import annotations

import csv
from pathlib import Path


def fmt(seconds: int) -> str:
    """Format seconds as H:MM:SS (hours may pass 24)."""
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def write_feed(folder: Path, tables: dict[str, list[dict]]) -> Path:
    """Write each table as ``<name>.txt`` with the union of its rows' keys as header."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        header: list[str] = []
        for row in rows:
            for key in row:
                if key not in header:
                    header.append(key)
        with (folder / f"{name}.txt").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
    return folder


def basic_tables(stops: list[tuple[str, float, float]]) -> dict[str, list[dict]]:
    """Return agency and stops tables for a test feed in Asia/Tokyo."""
    return {
        "agency": [{"agency_id": "A", "agency_name": "Test", "agency_url": "https://example.invalid", "agency_timezone": "Asia/Tokyo", "agency_lang": "ja"}],
        "stops": [{"stop_id": sid, "stop_name": sid, "stop_lat": f"{lat:.6f}", "stop_lon": f"{lon:.6f}"} for sid, lat, lon in stops],
    }


DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def calendar_row(service_id: str, days: str, start: str, end: str) -> dict:
    """A ``calendar.txt`` row: ``days`` is seven 0/1 flags from Monday ("1111100": weekdays)."""
    return {"service_id": service_id, **{d: int(f) for d, f in zip(DAYS, days, strict=True)}, "start_date": start, "end_date": end}
