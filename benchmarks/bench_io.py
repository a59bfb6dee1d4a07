"""Loader benchmark: ``bx.load_sessions`` on a 1 M-row CSV against the bare
``pd.read_csv(engine="pyarrow")`` of the same file, measured in the same run.

The loader does everything the bare read does not: finds the delimiter and the
line of every row, matches headers and exercise names, parses dates as written,
and validates every cell. Target: at most 1.5x the bare read.

How it keeps up (backrx_analysis.io.arrow_csv and readers): the file is memory-mapped;
Arrow reads ISO dates, HH:MM times and plain numbers typed (falling back to text
when a value is anything else), names as dictionaries (each distinct name parsed
once), ids and notes as strings without a copy; empty lines are kept as rows, so a
row's line number is its position (no newline scan); the per-column checks run on
two threads. The frame is compared with the careful reader's in
tests/test_arrow_csv.py.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

import backrx_analysis as bx
from backrx_analysis.simulate import simulate_sessions_rows


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def run(quick: bool = False) -> list[dict]:
    n = 100_000 if quick else 1_000_000
    repeats = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sessions.csv"
        simulate_sessions_rows(n, seed=7).to_csv(path, index=False)
        size_mb = path.stat().st_size / 1e6
        # warm both (page cache, imports), then alternate so noise hits both alike
        pd.read_csv(path, engine="pyarrow")
        loaded = bx.load_sessions(path)
        assert len(loaded) == n, f"loader returned {len(loaded)} of {n} rows"
        base, ours = [], []
        for _ in range(repeats):
            base.append(_timed(lambda: pd.read_csv(path, engine="pyarrow")))
            ours.append(_timed(lambda: bx.load_sessions(path)))
    b, o = statistics.median(base), statistics.median(ours)
    ratios = sorted(x / y for x, y in zip(ours, base, strict=True))
    return [
        {
            "name": f"load_sessions, {n:,} rows CSV ({size_mb:.0f} MB)",
            "seconds": o,
            "baseline_name": 'pd.read_csv(engine="pyarrow")',
            "baseline_seconds": b,
            "ratio": o / b,
            "target": "<= 1.5x",
            "notes": f"median of {repeats} alternating runs; per-pair ratios "
            f"{ratios[0]:.2f}-{ratios[-1]:.2f}",
        }
    ]


if __name__ == "__main__":
    for r in run():
        print(r)
