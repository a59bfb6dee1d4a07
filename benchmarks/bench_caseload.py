"""Benchmark of a clinic's caseload reports in parallel (issue 16).

``run(quick=False)`` returns one dict per case (keys of ``benchmarks/run.py``):

``export_caseload, --jobs 2``
    :func:`backrx_analysis.report.export_caseload` for 200 simulated patients x 90
    days (``simulate_logs(200, days=90)``, loaded with ``bx.load_sessions`` /
    ``bx.load_pain``, one ``bx.analyze``) in 2 worker processes, against the same
    call with ``jobs=1`` (one after the other, in this process) in the same run:
    target <= 0.6x on this 2-core machine. The notes give the time per patient.
``export_caseload, 1,000 patients`` (only with ``BACKRX_BENCH_1000=1``: about 10
minutes here)
    The same with 1,000 patients and the default jobs: a caseload that does not fit
    one folder comfortably still works; an absolute figure, with the time per patient.

One timing each (a caseload run is long enough to be its own median); ``quick``: 20
patients.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

try:  # run from a checkout without installing
    import backrx_analysis  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import backrx_analysis as bx
from backrx_analysis.report import export_caseload
from backrx_analysis.report.parallel import default_jobs
from backrx_analysis.simulate import simulate_logs

__all__ = ["run"]

SEED = 20261201
DAYS = 90
TARGET = 0.6


def _caseload(n: int):
    raw_s, raw_p = simulate_logs(n, days=DAYS, seed=SEED)
    return bx.analyze(bx.load_sessions(raw_s), bx.load_pain(raw_p))


def _timed(analysis, jobs: int, tmp: Path) -> float:
    out = tmp / f"jobs{jobs}"
    t0 = time.perf_counter()
    written = export_caseload(analysis, out, jobs=jobs)
    seconds = time.perf_counter() - t0
    assert len(written) == len(analysis.patient_ids) + 1
    shutil.rmtree(out)
    return seconds


def run(quick: bool = False) -> list[dict]:
    n = 20 if quick else 200
    tmp = Path(tempfile.mkdtemp(prefix="backrx_bench_caseload_"))
    analysis = _caseload(n)
    export_caseload(analysis.patient(analysis.patient_ids[0]), tmp / "warm", jobs=1)
    serial = _timed(analysis, 1, tmp)
    parallel = _timed(analysis, 2, tmp)
    ratio = parallel / serial
    rows = [{
        "name": f"export_caseload, {n} patients x {DAYS} days, --jobs 2",
        "seconds": parallel,
        "baseline_name": "the same, --jobs 1 (one after the other)",
        "baseline_seconds": serial,
        "ratio": ratio,
        "target": f"<= {TARGET:g}x",
        "notes": f"{parallel / n:.3f} s per patient with 2 workers, {serial / n:.3f} s "
                 f"serial; {n} PDFs + the overview; one run each",
        **({} if ratio <= TARGET else {"gap": "2 workers on a 2-core machine shared with "
                                              "other work: see the per-patient times"}),
    }]
    if not quick and os.environ.get("BACKRX_BENCH_1000") == "1":
        big = _caseload(1000)
        jobs = default_jobs()
        seconds = _timed(big, jobs, tmp)
        rows.append({
            "name": f"export_caseload, 1,000 patients x {DAYS} days, --jobs {jobs}",
            "seconds": seconds, "baseline_name": None, "baseline_seconds": None,
            "notes": f"{seconds / 1000:.3f} s per patient; 1,000 PDFs + the overview "
                     f"({jobs} workers)",
        })
    shutil.rmtree(tmp, ignore_errors=True)
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run(quick="--quick" in sys.argv):
        print(row)
