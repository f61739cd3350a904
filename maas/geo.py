"""Great-circle distances on the WGS84 mean sphere, vectorised."""

from __future__ import annotations

import numpy as np

#: Mean Earth radius in metres (IUGG), as the journey semantics specify.
EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Return the great-circle distance in metres between points given in degrees."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def metres_to_degrees_lat(metres: float) -> float:
    """Return the latitude span of ``metres`` (an upper bound helper for spatial look-ups)."""
    return metres / (EARTH_RADIUS_M * np.pi / 180.0)
