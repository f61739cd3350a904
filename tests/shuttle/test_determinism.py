"""The optimizer's answer does not depend on PYTHONHASHSEED: the same models, the same proposal, in any process.

With one worker and a fixed seed CP-SAT is deterministic given the same
model, so the model must be built in the same order in every process: no
iteration over a set (of parks, stops, runs) may decide the order of its
variables or constraints.  Each child process runs the optimizer on the
trial scenario (shrunk so that every step solves to OPTIMAL within the time
limit: a time limit that cuts a solve short would make the answer depend on
the machine's load, not on the hash seed) and prints a digest of every model
handed to CP-SAT and GLOP with the optimize JSON document (timings and file
paths left out).  Before the parks a run serves were listed in the scenario's
order (they came from a set), hash seeds 1 and 4 built different models and
proposed different timetables of the same score.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRIAL = ROOT / "scenarios" / "trial-2019.yaml"

#: The child: optimize the shrunk trial; print the models' digests (with CP-SAT's status) and the JSON document.
CHILD = """
import hashlib, json, sys
from pathlib import Path

import yaml

from maas.shuttle import solver
from maas.shuttle.optimize import optimize
from maas.shuttle.scenario import scenario_from_dict

seen = []
_solve, _solve_lp = solver.solve, solver.solve_lp


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def solve(model, *args, **kwargs):
    sol = _solve(model, *args, **kwargs)
    seen.append(["cp-sat", digest(str(model.backend.model.proto)), sol.status])  # the proto holds the hints too
    return sol


def solve_lp(model, *args, **kwargs):
    seen.append(["glop", digest(model.backend.solver.ExportModelAsLpFormat(False))])
    return _solve_lp(model, *args, **kwargs)


solver.solve, solver.solve_lp = solve, solve_lp
path, out = Path(sys.argv[1]), Path(sys.argv[2])
data = yaml.safe_load(path.read_text(encoding="utf-8"))
data["optimize"].update(max_stations_per_run=1, max_parks_per_run=1, candidates_per_group=3)
result = optimize(scenario_from_dict(data, str(path), path.parent), out_dir=out, time_limit_s=20, seed=0, workers=1)
doc = result.to_dict()
for key in ("solve_s", "total_s"):
    doc["solver"].pop(key)
doc.pop("files")
print(json.dumps({"models": seen, "result": doc}, ensure_ascii=False, sort_keys=True).replace(str(out), "<out>"))
"""


def _optimize_in_child(hash_seed: str, out: Path) -> dict:
    """Run :data:`CHILD` with ``PYTHONHASHSEED=hash_seed`` and return what it printed."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}  # MAAS_CACHE_DIR: the session's private cache (conftest)
    run = subprocess.run([sys.executable, "-c", CHILD, str(TRIAL), str(out)], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_same_answer_whatever_the_hash_seed(tmp_path):
    """Two processes with different PYTHONHASHSEED build the same models and propose the same timetable."""
    a = _optimize_in_child("1", tmp_path / "a")
    b = _optimize_in_child("4", tmp_path / "b")
    # every CP-SAT solve ended OPTIMAL: no time limit cut one short, so any difference is the model's order
    assert [m[2] for m in a["models"] if m[0] == "cp-sat"] == ["OPTIMAL"] * 3, a["models"]
    assert a["result"]["proposal"], "the trial has a proposal"
    assert a["models"] == b["models"]
    assert a["result"]["proposal"] == b["result"]["proposal"]
    assert a["result"] == b["result"]
