"""Run pyraptor 1.3.10 on an adapted feed (runs inside its own virtualenv; never imports maas).

    python pyraptor_runner.py prepare ADAPTED_FOLDER YYYYMMDD OUT_DIR RESULT.json
    python pyraptor_runner.py query OUT_DIR QUERIES.json RESULT.json

``prepare`` is pyraptor's own preprocessing (``read_gtfs_timetable`` +
``gtfs_to_pyraptor_timetable``, timed) and saves the result with pyraptor's
``write_timetable`` (not timed), as its ``pyraptor/gtfs/timetable.py`` does.

``query`` loads that with ``read_timetable`` (timed as ``load_s``) and runs
QUERIES.json: ``{"rounds": K, "queries": [[origin_stop, destination_stop, seconds], ...]}``
(adapter stop ids such as ``s12``).  Each query runs from *all* stops of the
origin stop's station and takes the best stop of the destination's station,
as pyraptor's ``query_raptor.run_raptor`` does.  The per-query timer covers
``RaptorAlgorithm(timetable).run(...)``, ``best_stop_at_target_station`` and
``reconstruct_journey`` for the one destination (``run_raptor`` would also
reconstruct journeys to every other station; that is left out in its favour).

pyraptor quirk worked around here: when the search settles before the
requested number of rounds, ``RaptorAlgorithm.run`` breaks out of its loop and
the remaining rounds' bags stay all-unreached, so reading ``bag[rounds]`` (as
its own ``query_raptor`` does) reports no journey at all; the runner reads the
last round actually computed.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from loguru import logger
from pyraptor.dao.timetable import read_timetable, write_timetable
from pyraptor.gtfs.timetable import gtfs_to_pyraptor_timetable, read_gtfs_timetable
from pyraptor.model.raptor import RaptorAlgorithm, best_stop_at_target_station, reconstruct_journey

logger.remove()  # pyraptor logs every round at INFO; keep the timings clean


def peak_rss_kb() -> int:
    """This process's own peak RSS (VmHWM; ru_maxrss would include the parent's size)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def prepare(folder: str, ymd: str, out_dir: str, result_file: str) -> None:
    t0 = time.perf_counter()
    gtfs = read_gtfs_timetable(folder, ymd, ["bench"])
    t1 = time.perf_counter()
    timetable = gtfs_to_pyraptor_timetable(gtfs, False)
    t2 = time.perf_counter()
    write_timetable(out_dir, timetable)
    result = {
        "read_s": t1 - t0,
        "preprocess_s": t2 - t0,
        "stations": len(timetable.stations),
        "stops": len(timetable.stops),
        "trips": len(timetable.trips),
        "routes": len(timetable.routes),
        "trip_stop_times": len(timetable.trip_stop_times),
        "vmhwm_kb": peak_rss_kb(),
    }
    with open(result_file, "w") as fh:
        json.dump(result, fh)


def query(out_dir: str, queries_file: str, result_file: str) -> None:
    spec = json.loads(Path(queries_file).read_text())
    t0 = time.perf_counter()
    timetable = read_timetable(out_dir)
    load_s = time.perf_counter() - t0
    rounds = int(spec["rounds"])
    out = []
    for origin, destination, dep in spec["queries"]:
        from_stops = timetable.stops.get(origin).station.stops
        to_stops = timetable.stops.get(destination).station.stops
        cpu0, start = time.process_time(), time.perf_counter()
        bag = RaptorAlgorithm(timetable).run(from_stops, int(dep), rounds)
        last = max(k for k in bag if bag[k][from_stops[0]].earliest_arrival_time <= int(dep))
        best = bag[last]
        dest_stop = best_stop_at_target_station(to_stops, best)
        legs, rides, arrival = [], None, None
        if dest_stop != 0:
            journey = reconstruct_journey(dest_stop, best)
            arrival = int(best[dest_stop].earliest_arrival_time)
            legs = [[leg.from_stop.id if leg.from_stop else None, leg.to_stop.id, int(leg.earliest_arrival_time)] for leg in journey.legs]
            rides = len({leg.trip.id for leg in journey.legs if leg.trip is not None})
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        out.append({"seconds": elapsed, "cpu_seconds": cpu, "arrival": arrival, "rides": rides, "rounds_run": last, "legs": legs})
    result = {"load_s": load_s, "queries": out, "vmhwm_kb": peak_rss_kb()}
    with open(result_file, "w") as fh:
        json.dump(result, fh)


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(*sys.argv[2:6])
    elif sys.argv[1] == "query":
        query(*sys.argv[2:5])
    else:
        sys.exit(__doc__)
