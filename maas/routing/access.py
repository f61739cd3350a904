"""Cumulative accessibility: how much of the destinations each origin reaches within time thresholds.

For each origin, the destinations (or the sum of their weights: jobs, beds,
population) whose travel time at the chosen percentile of the departure
window — the median by default — is under each threshold.  "Under" follows
R5 (Conway et al. 2018): a trip counts for a 30-minute threshold when it takes
less than 30 minutes (29 min 59 s counts, 30 min 0 s does not), so the counts
agree with R5's travel-time surfaces truncated to whole minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from maas.errors import InputError
from maas.routing.matrix import DepartureWindow, TravelTimeMatrix

#: Longest threshold, minutes (a day).
MAX_THRESHOLD_MIN = 1440


@dataclass(frozen=True)
class Accessibility:
    """Reachable weight from each origin within each threshold.

    Parameters
    ----------
    origin_ids
        The ids of the rows (the matrix's origins).
    window
        The departures the travel times were taken over.
    percentile
        The percentile of the window's travel times used.
    thresholds
        The thresholds, minutes, ascending.
    values
        ``values[i, t]`` is the summed weight of the destinations that origin
        ``i`` reaches in less than ``thresholds[t]`` minutes (a count when
        every weight is 1).
    """

    origin_ids: tuple[str, ...]
    window: DepartureWindow
    percentile: int
    thresholds: tuple[int, ...]
    values: np.ndarray


def check_thresholds(minutes: Sequence[int]) -> tuple[int, ...]:
    """Return the thresholds in increasing order without repeats; InputError unless each is 1 to 1440 minutes."""
    bad = [m for m in minutes if not 1 <= m <= MAX_THRESHOLD_MIN]
    if bad or not minutes:
        raise InputError(f"thresholds must be 1 to {MAX_THRESHOLD_MIN} minutes, not {', '.join(map(str, bad)) or 'none'}", "minutes")
    return tuple(sorted({int(m) for m in minutes}))


def reachable(seconds: np.ndarray, weights: Sequence[float], thresholds: Sequence[int]) -> np.ndarray:
    """Return ``[origins, thresholds]`` sums of the weights of destinations reached in less than each threshold.

    ``seconds`` is ``[origins, destinations]`` travel times (the chosen
    percentile); weights are summed in destination order, so a result does
    not depend on how the origins were split into chunks.
    """
    w = np.asarray(weights, np.float64)
    out = np.empty((seconds.shape[0], len(thresholds)), np.float64)
    for t, minutes in enumerate(thresholds):
        out[:, t] = (seconds < minutes * 60) @ w
    return out


def accessibility(matrix: TravelTimeMatrix, weights: Sequence[float], thresholds: Sequence[int], percentile: int = 50) -> Accessibility:
    """Return the cumulative accessibility of a travel-time matrix (see the module docstring).

    Parameters
    ----------
    matrix
        Travel times from :func:`~maas.routing.matrix.travel_time_matrix`.
    weights
        What each destination counts for (jobs, beds, population; 1 to count them).
    thresholds
        Time limits, minutes (1 to 1,440); a trip counts when it takes less.
    percentile
        Which of the matrix's percentiles to use (the median by default).

    Returns
    -------
    Accessibility
        ``values[origin, threshold]``, the reachable weight.

    Raises
    ------
    InputError
        A percentile the matrix does not have (field ``percentile``), a
        weight count that is not the destinations' (``destinations``), or a
        threshold out of range (``minutes``).
    """
    if percentile not in matrix.percentiles:
        raise InputError(f"the matrix has percentiles {', '.join(map(str, matrix.percentiles))}, not {percentile}", "percentile")
    if len(weights) != len(matrix.destination_ids):
        raise InputError(f"{len(weights)} weights for {len(matrix.destination_ids)} destinations", "destinations")
    limits = check_thresholds(thresholds)
    seconds = matrix.seconds[:, :, matrix.percentiles.index(percentile)]
    return Accessibility(matrix.origin_ids, matrix.window, percentile, limits, reachable(seconds, weights, limits))
