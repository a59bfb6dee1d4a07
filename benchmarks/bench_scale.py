"""Benchmark of the registry scale (issue 16): the cohort summary on Dask, in bounded
memory, against DuckDB and against pandas on the whole frame.

``run(quick=False)`` returns one dict per case (the contract of ``benchmarks/run.py``).
The cohort is simulated with the kit's own generators (``simulate_sessions_rows``,
``simulate_pain_rows``: people's spellings, sides, times and UTC offsets), loaded by
``bx.load_sessions`` / ``bx.load_pain`` a block of patients at a time and written
with ``scale.write_cohort(..., append=True)`` as a partitioned Parquet dataset of
1,000 patients per part (250 when quick). Full size: 65,815 patients x 90 days (the size of the Dutch
registry of issue 16), about 41 M rows; simulated once into
``/tmp/backrx-bench-scale/`` and reused by later runs. ``quick=True``: 2,000
patients, written afresh, well under a minute.

Cases
-----
``scale.summarize`` on a 2-worker ``LocalCluster``
    ``scale.summarize(*scale.read_cohort(path))`` with a ``distributed.Client`` of
    two worker processes (one thread each, 1.5 GiB memory limit each), against DuckDB
    SQL doing the summary's core aggregation on the same Parquet files (per patient:
    days, days logged, fully adherent and walk-met shares, mean daily pain), with
    DuckDB's numbers checked equal to the kit's first. Rows per second of each.
peak memory
    The resident memory of the client (with the scheduler) and of the cluster's
    processes (nannies and workers), summed and sampled every 50 ms while the summary
    runs: the target is under 4 GiB.
pandas on the whole frame
    ``bx.summarize`` of the whole cohort read into pandas, in a subprocess whose peak
    resident memory is measured (and which is stopped if it would pass 12 GiB or
    leave the machine under 3 GiB free: then the figure is "more than" that).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

try:  # run from a checkout without installing
    import backrx_analysis  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

import backrx_analysis as bx
from backrx_analysis.simulate import simulate_pain_rows, simulate_sessions_rows

__all__ = ["run", "make_cohort", "duckdb_summary", "CACHE"]

SEED = 16_2026
CACHE = Path("/tmp/backrx-bench-scale")
N_FULL, N_QUICK = 65_815, 2_000
SESSION_ROWS, PAIN_ROWS = 455, 170  # per patient: 90 days of the simulated habits
BLOCK = 2_000  # patients simulated and loaded at a time
PER_PART, QUICK_PER_PART = 1_000, 250
WORKER_LIMIT = "1.5GiB"
PANDAS_CAP = 12 * 2**30
GiB = 2**30


# -- the cohort ------------------------------------------------------------------------


def _block(first: int, n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical frames of patients ``first`` .. ``first + n - 1`` (ids R000001 ...)."""
    raw_s = simulate_sessions_rows(SESSION_ROWS * n, seed=seed, n_patients=n)
    raw_p = simulate_pain_rows(PAIN_ROWS * n, seed=seed + 1, n_patients=n)
    ids = {f"P{i + 1:04d}": f"R{first + i + 1:06d}" for i in range(n)}
    for raw in (raw_s, raw_p):
        raw["patient_id"] = raw["patient_id"].map(ids)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the simulated writers' quirks, reported
        return bx.load_sessions(raw_s), bx.load_pain(raw_p)


def make_cohort(root: Path, n_patients: int, *, per_part: int = PER_PART) -> Path:
    """Simulate ``n_patients`` x 90 days and write them as a cohort at ``root``, a
    block of patients at a time (bounded memory); written to ``root.partial`` first,
    so a cohort folder that exists is complete."""
    from backrx_analysis import scale

    partial = root.with_name(root.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    for k, first in enumerate(range(0, n_patients, BLOCK)):
        sessions, pain = _block(first, min(BLOCK, n_patients - first), SEED + 2 * k)
        scale.write_cohort(sessions, pain, partial, patients_per_part=per_part, append=k > 0)
        del sessions, pain
    shutil.rmtree(root, ignore_errors=True)
    partial.rename(root)
    return root


def _cohort(n_patients: int, quick: bool) -> tuple[Path, str]:
    root = CACHE / f"cohort-{n_patients}x90-v1"
    if quick or not (root / "cohort.json").is_file():
        t0 = time.perf_counter()
        make_cohort(root, n_patients, per_part=QUICK_PER_PART if quick else PER_PART)
        how = f"simulated and written in {time.perf_counter() - t0:.0f} s"
        return root, how + ("" if quick else f", kept in {root} for later runs")
    return root, f"simulated once into {root} and reused"


# -- DuckDB ----------------------------------------------------------------------------


def duckdb_summary(root: Path, *, threads: int = 2) -> pd.DataFrame:
    """The summary's core aggregation as DuckDB SQL over the cohort's Parquet files."""
    import duckdb

    program = bx.default_program()
    reps, met = [], []
    for ex in program.exercises:
        if ex.per_side:
            for leg, other in (("left", "right"), ("right", "left")):
                reps.append(f"sum(r) FILTER (WHERE ex = '{ex.id}' AND (side IS NULL OR "
                            f"side <> '{other}')) AS {ex.id}_{leg}")
            met.append(f"least(coalesce({ex.id}_left, 0), coalesce({ex.id}_right, 0)) "
                       f">= {ex.target_reps}")
        else:
            reps.append(f"sum(r) FILTER (WHERE ex = '{ex.id}') AS {ex.id}")
            met.append(f"coalesce({ex.id}, 0) >= {ex.target_reps}")
    ex_list = ", ".join(f"'{i}'" for i in (*program.exercise_ids, "session"))
    band, walk = program.exercise_minutes, program.walk_minutes
    query = f"""
    WITH s AS (
        SELECT patient_id, CAST(date AS DATE) AS d, CAST(exercise AS VARCHAR) AS ex,
               CAST(side AS VARCHAR) AS side,
               coalesce(reps, 0) * coalesce(sets, 1) AS r, coalesce(minutes, 0) AS m
        FROM read_parquet('{root}/sessions/*.parquet')
    ),
    day AS (
        SELECT patient_id, d, {", ".join(reps)},
               coalesce(sum(m) FILTER (WHERE ex IN ({ex_list})), 0) AS ex_min,
               coalesce(sum(m) FILTER (WHERE ex = 'walk'), 0) AS walk_min
        FROM s GROUP BY patient_id, d
    ),
    flags AS (
        SELECT patient_id, d,
               {" AND ".join(met)} AND ex_min >= {band.low} - 1e-9
                   AND ex_min <= {band.high} + 1e-9 AS adherent,
               walk_min >= {walk.low} - 1e-9 AS walked
        FROM day
    ),
    adherence AS (
        SELECT patient_id, date_diff('day', min(d), max(d)) + 1 AS days,
               count(*) AS days_logged,
               100.0 * count(*) FILTER (WHERE adherent) / (date_diff('day', min(d), max(d)) + 1)
                   AS fully_adherent_pct,
               100.0 * count(*) FILTER (WHERE walked) / (date_diff('day', min(d), max(d)) + 1)
                   AS walk_met_pct
        FROM flags GROUP BY patient_id
    ),
    daily_pain AS (
        SELECT patient_id, CAST(date AS DATE) AS d, avg(pain) AS p
        FROM read_parquet('{root}/pain/*.parquet')
        WHERE scale IS NULL OR CAST(scale AS VARCHAR) = 'nrs'
        GROUP BY patient_id, d
    ),
    pain AS (SELECT patient_id, avg(p) AS pain_mean FROM daily_pain GROUP BY patient_id)
    SELECT * FROM adherence FULL JOIN pain USING (patient_id) ORDER BY patient_id
    """
    con = duckdb.connect()
    try:
        con.execute(f"SET threads = {int(threads)}")
        return con.sql(query).df()
    finally:
        con.close()


def _check_agree(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    if ours["patient_id"].tolist() != theirs["patient_id"].tolist():
        raise AssertionError("the patients differ between the kit and DuckDB")
    for col in ("days", "days_logged", "fully_adherent_pct", "walk_met_pct"):
        a = ours[col].to_numpy(dtype=float)
        b = theirs[col].to_numpy(dtype=float)
        if not np.allclose(a, b, atol=1e-9):
            raise AssertionError(f"{col} differs between the kit and DuckDB")


# -- memory ----------------------------------------------------------------------------


class _Peak:
    """The summed resident memory of this process and all its children, sampled."""

    def __init__(self, every: float = 0.05) -> None:
        import psutil

        self._me, self._every = psutil.Process(), every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _rss(self) -> int:
        import psutil

        total = 0
        for p in [self._me, *self._me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:  # a process that ended meanwhile
                pass
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            self._stop.wait(self._every)

    def __enter__(self) -> _Peak:
        self.peak = self._rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


_PANDAS_CHILD = """
import json, resource, sys, time, warnings
import backrx_analysis as bx
from backrx_analysis import scale
t0 = time.perf_counter()
s, p = scale.read_cohort(sys.argv[1])
sessions = s.compute(scheduler="sync").reset_index()
pain = p.compute(scheduler="sync").reset_index()
size = int(sessions.memory_usage(deep=True).sum() + pain.memory_usage(deep=True).sum())
print(json.dumps({"frame_bytes": size, "rows": len(sessions) + len(pain)}), flush=True)
t1 = time.perf_counter()
out = bx.summarize(sessions, pain)
t2 = time.perf_counter()
print(json.dumps({"read_s": t1 - t0, "summarize_s": t2 - t1, "patients": len(out),
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}),
      flush=True)
"""


def _pandas_whole(root: Path) -> dict:
    """``bx.summarize`` of the whole cohort in pandas, in a watched subprocess."""
    import psutil

    cap = min(PANDAS_CAP, psutil.virtual_memory().available - 3 * GiB)
    proc = subprocess.Popen([sys.executable, "-c", _PANDAS_CHILD, str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    child, peak, stopped = psutil.Process(proc.pid), 0, False
    while proc.poll() is None:
        try:
            peak = max(peak, child.memory_info().rss)
        except psutil.Error:
            break
        if peak > cap or psutil.virtual_memory().available < 2 * GiB:
            proc.kill()
            stopped = True
            break
        time.sleep(0.05)
    out, err = proc.communicate()
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    info = {k: v for line in lines for k, v in line.items()}
    if not stopped and proc.returncode != 0:
        raise RuntimeError(f"the pandas run failed: {err[-2000:]}")
    info["peak"] = max(peak, info.get("peak", 0))
    info["stopped"], info["cap"] = stopped, cap
    return info


# -- the run ---------------------------------------------------------------------------


def run(quick: bool = False) -> list[dict]:
    """Simulate (or reuse) the cohort, then time and measure the three cases."""
    import distributed

    from backrx_analysis import scale

    n_patients = N_QUICK if quick else N_FULL
    repeats = 3 if quick else 2
    root, how = _cohort(n_patients, quick)
    manifest = json.loads((root / scale.COHORT_FILE).read_text(encoding="utf-8"))
    n_rows = sum(p["sessions_rows"] + p["pain_rows"] for p in manifest["parts"])
    n_parts = len(manifest["parts"])

    t_duck = []
    theirs = duckdb_summary(root)  # also warms the file cache for both
    for _ in range(repeats):
        t0 = time.perf_counter()
        duckdb_summary(root)
        t_duck.append(time.perf_counter() - t0)

    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # distributed's notes on a 2-core machine
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      memory_limit=WORKER_LIMIT, dashboard_address=None
                                      ) as cluster, distributed.Client(cluster):
            s, p = scale.read_cohort(root)
            scale.summarize(s.partitions[:1], p.partitions[:1])  # the workers' imports
            with _Peak() as peak:
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    ours = scale.summarize(*scale.read_cohort(root))
                    times.append(time.perf_counter() - t0)
    _check_agree(ours, theirs)
    t_dask, t_sql = statistics.median(times), statistics.median(t_duck)
    whole = _pandas_whole(root)

    size = f"{n_rows / 1e6:.1f} M rows, {n_patients:,} patients x 90 days"
    rate = f"{n_rows / t_dask / 1e6:.2f} M rows/s against DuckDB's {n_rows / t_sql / 1e6:.2f} M"
    results = [{
        "name": f"scale.summarize on a 2-worker LocalCluster ({size})",
        "seconds": t_dask,
        "baseline_name": "DuckDB SQL of the summary's core aggregation (days, days logged, "
                         "fully adherent %, walk %, mean daily pain), same Parquet, 2 threads",
        "baseline_seconds": t_sql,
        "notes": f"{rate}; DuckDB's numbers checked equal to the kit's; {n_parts} parts of "
                 f"{manifest['parts'][0]['patients']:,} patients; the kit computes every column of bx.summarize "
                 f"(streaks, trailing pain, flares), DuckDB five; median of {repeats}; "
                 f"cohort {how}",
    }]
    peak_gib = peak.peak / GiB
    memory = {
        "name": f"peak memory of that summary, client + 2 workers: {peak_gib:.2f} GiB",
        "seconds": None,
        "baseline_name": None,
        "baseline_seconds": None,
        "target": "< 4 GiB",
        "notes": f"summed RSS of the client (with the scheduler), 2 nannies and 2 workers "
                 f"(memory_limit {WORKER_LIMIT} each), sampled every 50 ms over "
                 f"{repeats} runs; Python with pandas, Dask and the kit is part of it",
    }
    if peak_gib >= 4:
        memory["gap"] = f"the peak was {peak_gib:.2f} GiB"
    results.append(memory)
    frame_gib = whole.get("frame_bytes", 0) / GiB
    if whole["stopped"]:
        pandas_row = {
            "name": f"bx.summarize in pandas on the whole frame ({size}): stopped at "
                    f"{whole['peak'] / GiB:.1f} GiB",
            "seconds": None,
            "notes": f"needs more than {whole['cap'] / GiB:.1f} GiB (the cap this machine "
                     f"allows); the frames alone are {frame_gib:.2f} GiB in memory"
                     if frame_gib else f"needs more than {whole['cap'] / GiB:.1f} GiB",
        }
    else:
        pandas_row = {
            "name": f"bx.summarize in pandas on the whole frame ({size}): peak "
                    f"{whole['peak'] / GiB:.2f} GiB",
            "seconds": whole["read_s"] + whole["summarize_s"],
            "baseline_name": "scale.summarize on the cluster (first row; reading included "
                             "in both)",
            "baseline_seconds": t_dask,
            "notes": f"peak resident memory of the process {whole['peak'] / GiB:.2f} GiB "
                     f"(ru_maxrss), the frames {frame_gib:.2f} GiB in memory; "
                     f"{whole['read_s']:.1f} s reading the Parquet into pandas, "
                     f"{whole['summarize_s']:.1f} s bx.summarize; one run, one core",
        }
    results.append(pandas_row)
    return results


if __name__ == "__main__":  # pragma: no cover
    for r in run(quick="--quick" in sys.argv):
        print(r)
