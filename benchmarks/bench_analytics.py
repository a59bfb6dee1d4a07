"""Benchmarks of the analytics (issue 3): daily adherence and the pain trend.

``run(quick=False)`` returns one dict per case with ``name``, ``seconds`` (median of
the repeats), ``baseline_name``, ``baseline_seconds``, ``ratio`` (seconds /
baseline_seconds) and ``notes``. ``quick=True`` uses 100,000 rows instead of
1,000,000. The data are simulated here, seeded, in the canonical frame dtypes.

Cases
-----
``daily_adherence``
    :func:`backrx_analysis.analysis.adherence.daily_adherence` against the same aggregation
    written as DuckDB SQL over the same pandas frame (calendar of every day per
    patient, reps per exercise with the straight-leg-raise per-side minimum,
    exercise and walk minutes, their statuses, met flags, fully adherent), fetched
    back as a pandas frame. The two results are checked to agree before timing.
``pain_trend``
    :func:`backrx_analysis.analysis.pain.pain_trend` against a plain
    ``groupby(["patient_id", "date"]).pain.mean()`` of the same frame (which does
    far less: no calendar, trailing mean, baseline, status or flares).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

try:  # run from a checkout without installing
    import backrx_analysis  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backrx_analysis.analysis.adherence import daily_adherence
from backrx_analysis.analysis.pain import pain_trend
from backrx_analysis.prescriptions import Prescriptions, Version
from backrx_analysis.program import SIDES, Band, Program, default_program
from backrx_analysis.schema import pain_dtypes, sessions_dtypes

__all__ = ["run", "simulate_sessions", "simulate_pain", "duckdb_daily"]

SEED = 20260302
N_PATIENTS = 200
N_DAYS = 730  # about two years per patient


def _timeit(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _patient_ids(n: int) -> np.ndarray:
    return np.array([f"p{i:04d}" for i in range(n)], dtype=object)


def simulate_sessions(n_rows: int, *, program: Program | None = None, seed: int = SEED,
                      n_patients: int = N_PATIENTS, n_days: int = N_DAYS) -> pd.DataFrame:
    """``n_rows`` canonical session rows: patients x days, several entries a day."""
    program = program or default_program()
    rng = np.random.default_rng(seed)
    acts = list(program.activity_ids)
    n_ex = len(program.exercise_ids)
    patient = np.sort(rng.integers(0, n_patients, n_rows))
    first_day = np.datetime64("2024-01-01", "D") + rng.integers(0, 120, n_patients)
    offset = rng.integers(0, n_days, n_rows)
    date = (first_day[patient] + offset).astype("datetime64[ns]")
    probs = np.r_[np.full(n_ex, 0.8 / n_ex), 0.1, 0.1]
    act = rng.choice(len(acts), size=n_rows, p=probs)
    is_ex = act < n_ex
    reps = np.where(is_ex, rng.choice([3, 5, 8, 10, 12], size=n_rows), 0)
    reps_na = ~is_ex | (rng.random(n_rows) < 0.02)
    sets = rng.integers(1, 4, n_rows)
    sets_na = ~is_ex | (rng.random(n_rows) < 0.5)
    per_side = np.isin(act, [acts.index(i) for i in program.per_side_ids])
    side = rng.integers(-1, 3, n_rows)  # -1 = no side
    side = np.where(per_side, side, -1)
    minutes = np.where(act == n_ex, rng.uniform(5, 25, n_rows),
                       np.where(act == n_ex + 1, rng.uniform(5, 35, n_rows),
                                rng.uniform(0.5, 8, n_rows)))
    minutes = np.round(minutes, 1)
    minutes_na = is_ex & (rng.random(n_rows) < 0.6)
    dt = sessions_dtypes(program)
    frame = pd.DataFrame({
        "patient_id": pd.array(_patient_ids(n_patients)[patient], dtype="string"),
        "date": date,
        "timestamp": pd.Series(date + np.timedelta64(18, "h")),
        "utc_offset_min": pd.array(np.full(n_rows, 60), dtype="Int32"),
        "exercise": pd.Categorical.from_codes(act, dtype=dt["exercise"]),
        "reps": pd.array(np.where(reps_na, 0, reps), dtype="Int64"),
        "sets": pd.array(sets, dtype="Int64"),
        "side": pd.Categorical.from_codes(side, categories=list(SIDES)),
        "minutes": pd.array(minutes, dtype="Float64"),
        "hold_s": pd.array(np.full(n_rows, np.nan), dtype="Float64"),
        "measured": pd.array(np.ones(n_rows, dtype=bool), dtype="boolean"),
        "notes": pd.array([None] * n_rows, dtype="string"),
        "source": pd.array(["sim.csv"] * n_rows, dtype="string"),
        "source_line": pd.array(np.arange(2, n_rows + 2), dtype="Int64"),
    })
    frame.loc[reps_na, "reps"] = pd.NA
    frame.loc[sets_na, "sets"] = pd.NA
    frame.loc[minutes_na, "minutes"] = pd.NA
    frame = frame.sort_values(["patient_id", "date"], kind="stable", ignore_index=True)
    return frame.astype(dt)


def simulate_pain(n_rows: int, *, seed: int = SEED, n_patients: int = N_PATIENTS,
                  n_days: int = N_DAYS) -> pd.DataFrame:
    """``n_rows`` canonical pain ratings (0-10 in half points)."""
    rng = np.random.default_rng(seed + 1)
    patient = np.sort(rng.integers(0, n_patients, n_rows))
    first_day = np.datetime64("2024-01-01", "D") + rng.integers(0, 120, n_patients)
    date = (first_day[patient] + rng.integers(0, n_days, n_rows)).astype("datetime64[ns]")
    pain = np.clip(np.round(rng.normal(5, 2, n_rows) * 2) / 2, 0, 10)
    frame = pd.DataFrame({
        "patient_id": pd.array(_patient_ids(n_patients)[patient], dtype="string"),
        "date": date,
        "timestamp": pd.Series(date + np.timedelta64(9, "h")),
        "utc_offset_min": pd.array(np.zeros(n_rows, dtype=int), dtype="Int32"),
        "pain": pd.array(pain, dtype="Float64"),
        "scale": pd.Categorical.from_codes(np.zeros(n_rows, dtype=np.int8),
                                           dtype=pain_dtypes()["scale"]),
        "context": pd.array([None] * n_rows, dtype="string"),
        "location": pd.array([None] * n_rows, dtype="string"),
        "notes": pd.array([None] * n_rows, dtype="string"),
        "source": pd.array(["sim.csv"] * n_rows, dtype="string"),
        "source_line": pd.array(np.arange(2, n_rows + 2), dtype="Int64"),
    })
    return frame.astype(pain_dtypes())


def _status_sql(col: str, low: float, high: float) -> str:
    return (f"CASE WHEN {col} <= 1e-9 THEN 'none' WHEN {col} < {low} - 1e-9 THEN 'under' "
            f"WHEN {col} <= {high} + 1e-9 THEN 'in_range' ELSE 'over' END")


def duckdb_daily(sessions: pd.DataFrame, program: Program | None = None) -> pd.DataFrame:
    """The daily adherence aggregation as one DuckDB query over the pandas frame."""
    import duckdb

    program = program or default_program()
    reps_cols, final_cols, met_cols = [], [], []
    for ex in program.exercises:
        if ex.per_side:
            reps_cols += [
                f"sum(r) FILTER (WHERE ex = '{ex.id}' AND (side IS NULL OR side <> 'right')) "
                f"AS {ex.id}_left",
                f"sum(r) FILTER (WHERE ex = '{ex.id}' AND (side IS NULL OR side <> 'left')) "
                f"AS {ex.id}_right",
            ]
            final_cols += [
                f"least(coalesce({ex.id}_left, 0), coalesce({ex.id}_right, 0)) "
                f"AS reps_{ex.id}",
                f"coalesce({ex.id}_left, 0) AS reps_{ex.id}_left",
                f"coalesce({ex.id}_right, 0) AS reps_{ex.id}_right",
            ]
        else:
            reps_cols.append(f"sum(r) FILTER (WHERE ex = '{ex.id}') AS {ex.id}")
            final_cols.append(f"coalesce({ex.id}, 0) AS reps_{ex.id}")
        met_cols.append(f"reps_{ex.id} >= {ex.target_reps} AS met_{ex.id}")
    ex_list = ", ".join(f"'{i}'" for i in (*program.exercise_ids, "session"))
    em, wm = program.exercise_minutes, program.walk_minutes
    met_sum = " + ".join(f"met_{i}::INT" for i in program.exercise_ids)
    met_all = " AND ".join(f"met_{i}" for i in program.exercise_ids)
    query = f"""
    WITH s AS (
        SELECT patient_id, CAST(date AS DATE) AS d, CAST(exercise AS VARCHAR) AS ex,
               CAST(side AS VARCHAR) AS side,
               coalesce(reps, 0) * coalesce(sets, 1) AS r, coalesce(minutes, 0) AS m
        FROM sessions
    ),
    span AS (SELECT patient_id, min(d) AS first, max(d) AS last FROM s GROUP BY patient_id),
    cal AS (
        SELECT patient_id,
               CAST(unnest(generate_series(first, last, INTERVAL 1 DAY)) AS DATE) AS d
        FROM span
    ),
    agg AS (
        SELECT patient_id, d, {", ".join(reps_cols)},
               sum(m) FILTER (WHERE ex IN ({ex_list})) AS ex_min,
               sum(m) FILTER (WHERE ex = 'walk') AS walk_min,
               count(*) AS entries
        FROM s GROUP BY patient_id, d
    ),
    daily AS (
        SELECT cal.patient_id, cal.d AS date, {", ".join(final_cols)},
               coalesce(ex_min, 0) AS exercise_minutes, coalesce(walk_min, 0) AS walk_minutes,
               coalesce(entries, 0) AS entries
        FROM cal LEFT JOIN agg USING (patient_id, d)
    ),
    flags AS (
        SELECT *, {", ".join(met_cols)},
               {_status_sql("exercise_minutes", em.low, em.high)} AS minutes_status,
               {_status_sql("walk_minutes", wm.low, wm.high)} AS walk_status,
               walk_minutes >= {wm.low} - 1e-9 AS walk_met,
               entries > 0 AS logged
        FROM daily
    )
    SELECT *, {met_sum} AS exercises_met,
           ({met_all}) AND minutes_status = 'in_range' AS fully_adherent
    FROM flags ORDER BY patient_id, date
    """
    con = duckdb.connect()
    try:
        con.register("sessions", sessions)
        return con.sql(query).df()
    finally:
        con.close()


def _check_agree(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    if len(ours) != len(theirs):
        raise AssertionError(f"row counts differ: pandas {len(ours)}, duckdb {len(theirs)}")
    for col in ("reps_straight_leg_raise", "reps_ankle_pumps", "exercises_met"):
        a = ours[col].to_numpy(dtype=np.int64)
        b = theirs[col].to_numpy(dtype=np.int64)
        if not np.array_equal(a, b):
            raise AssertionError(f"{col} differs between pandas and duckdb")
    for col in ("exercise_minutes", "walk_minutes"):
        if not np.allclose(ours[col].to_numpy(float), theirs[col].to_numpy(float), atol=1e-6):
            raise AssertionError(f"{col} differs between pandas and duckdb")
    for col in ("minutes_status", "walk_status"):
        if not (ours[col].astype(str).to_numpy() == theirs[col].astype(str).to_numpy()).all():
            raise AssertionError(f"{col} differs between pandas and duckdb")
    if not np.array_equal(ours["fully_adherent"].to_numpy(bool),
                          theirs["fully_adherent"].to_numpy(bool)):
        raise AssertionError("fully_adherent differs between pandas and duckdb")


def _histories(sessions: pd.DataFrame) -> Prescriptions:
    """3-5 versions per patient over its span, seeded: progressions of the targets and
    the walk band, an exercise dropped, a Mon/Wed/Fri version."""
    from dataclasses import replace

    rng = np.random.default_rng(SEED + 7)
    base = default_program()
    spans = sessions.groupby("patient_id", observed=True)["date"].agg(["min", "max"])
    out = {}
    for pid, (first, last) in spans.iterrows():
        n = int(rng.integers(3, 6))
        cuts = np.sort(rng.choice(np.arange(14, max((last - first).days, 15 * n)), n - 1,
                                  replace=False))
        starts = [first.date()] + [(first + pd.Timedelta(days=int(c))).date() for c in cuts]
        program, versions = base, []
        for k, start in enumerate(starts, start=1):
            if k > 1:
                step = k % 3
                if step == 0:
                    program = program.subset([i for i in program.exercise_ids
                                              if i != "partial_curl_up"] or program.exercise_ids)
                else:
                    program = program.with_changes(
                        exercises=tuple(replace(e, target_reps=e.target_reps + 2)
                                        for e in program.exercises),
                        walk_minutes=Band(10 + 5 * step, 20 + 5 * step))
            days = frozenset({0, 2, 4}) if k == n and k % 2 else None
            versions.append(Version(k, start, None, program, days=days))
        out[str(pid)] = tuple(versions)
    return Prescriptions(out)


def run(quick: bool = False) -> list[dict]:
    """Run both cases; ``quick`` uses 100,000 rows instead of 1,000,000."""
    n_rows = 100_000 if quick else 1_000_000
    repeats = 3 if quick else 5
    results = []

    sessions = simulate_sessions(n_rows)
    ours = daily_adherence(sessions)
    _check_agree(ours, duckdb_daily(sessions))
    t_ours = _timeit(lambda: daily_adherence(sessions), repeats)
    t_duck = _timeit(lambda: duckdb_daily(sessions), repeats)
    results.append({
        "name": f"daily_adherence ({n_rows:,} session rows)",
        "seconds": t_ours,
        "baseline_name": "DuckDB SQL of the same aggregation (fetched as pandas)",
        "baseline_seconds": t_duck,
        "ratio": t_ours / t_duck,
        "notes": f"{N_PATIENTS} patients x ~{N_DAYS} days, {len(ours):,} patient-days; "
                 f"results checked equal; median of {repeats}",
    })

    # the same rows against a prescription history: 200 patients, 3-5 versions each
    rx = _histories(sessions)
    with_rx = daily_adherence(sessions, program=rx)
    if len(with_rx) != len(ours) or with_rx["version"].isna().all():
        raise AssertionError("the history run did not measure against versions")
    t_rx = _timeit(lambda: daily_adherence(sessions, program=rx), repeats)
    n_versions = sum(len(v) for v in rx.histories.values())
    results.append({
        "name": f"daily_adherence against prescription histories ({n_rows:,} session rows)",
        "seconds": t_rx,
        "baseline_name": "daily_adherence, one program for every day (same rows)",
        "baseline_seconds": t_ours,
        "ratio": t_rx / t_ours,
        "target": "<= 1.5x",
        "notes": f"{len(rx.histories)} patients, {n_versions} versions (3-5 each: targets, "
                 f"bands, an exercise dropped, Mon/Wed/Fri); median of {repeats}",
    })

    pain = simulate_pain(n_rows)
    trend = pain_trend(pain)
    t_trend = _timeit(lambda: pain_trend(pain), repeats)
    t_group = _timeit(lambda: pain.groupby(["patient_id", "date"]).pain.mean(), repeats)
    results.append({
        "name": f"pain_trend ({n_rows:,} ratings)",
        "seconds": t_trend,
        "baseline_name": "groupby(['patient_id', 'date']).pain.mean()",
        "baseline_seconds": t_group,
        "ratio": t_trend / t_group,
        "notes": f"{len(trend):,} patient-days with trailing mean, baseline, status, "
                 f"flares; the baseline computes daily means only; median of {repeats}",
    })
    return results


if __name__ == "__main__":  # pragma: no cover
    for r in run(quick="--quick" in sys.argv):
        print(f"{r['name']}: {r['seconds']:.3f} s vs {r['baseline_name']}: "
              f"{r['baseline_seconds']:.3f} s (ratio {r['ratio']:.2f}) - {r['notes']}")
