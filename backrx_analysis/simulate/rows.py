"""Raw logs of any number of rows, vectorised: the benchmarks' inputs.

:func:`simulate_sessions_rows` and :func:`simulate_pain_rows` (public from
:mod:`backrx_analysis.simulate`) build a log of exactly ``n_rows`` rows without a
Python object per row: a million rows take well under a second or two. The people
write as those of :func:`backrx_analysis.simulate.simulate_logs` do (same
spellings, notes, locations and time zones), with simpler habits.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from ..program import SESSION, WALK, default_program
from ._common import (
    _EXERCISE_NOTES,
    _LOCATION_P,
    _LOCATIONS,
    _PAIN_NOTES,
    _WALK_NOTES,
    _ZONE_NAMES,
    _ZONES,
    _format_offset,
    _hhmm,
    _spellings,
    _summer_time,
)

__all__ = ["simulate_sessions_rows", "simulate_pain_rows"]


def _take(pool: object, codes: np.ndarray, missing: np.ndarray | None = None):
    """Arrow string array ``pool[codes]``, null where ``missing``."""
    import pyarrow as pa

    values = pa.array([str(v) for v in pool], pa.large_string())
    return values.take(pa.array(np.asarray(codes, dtype="int64"), mask=missing))


def _coded(pool: object, codes: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """Text column ``pool[codes]`` (missing where ``missing``), built without a Python
    object per row: a million rows in milliseconds."""
    return pd.Series(_take(pool, codes, missing), dtype="str")


def _ints(values: np.ndarray, missing: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype("int64"), missing.astype(bool))


def _check_rows(n_rows: int, n_patients: int | None, per_patient: int) -> tuple[int, int]:
    n_rows = int(n_rows)
    if n_rows < 0:
        raise ValueError(f"n_rows must be >= 0, got {n_rows}")
    if n_patients is None:
        n_patients = max(1, round(n_rows / per_patient))
    n_patients = int(n_patients)
    if n_patients < 1:
        raise ValueError(f"n_patients must be at least 1, got {n_patients}")
    if n_rows / n_patients > 80_000:
        raise ValueError(
            f"{n_rows} rows for {n_patients} patient(s) would span more than a century of "
            "days per patient; pass more patients (at most 80,000 rows each)"
        )
    return n_rows, n_patients


_HHMM = np.array([_hhmm(m) for m in range(24 * 60)])


def _calendar(start: dt.date, n_days: int) -> np.ndarray:
    return np.datetime_as_string(np.datetime64(start, "D") + np.arange(n_days), unit="D")


def _patient_days(rng: np.random.Generator, n_days: int, n_patients: int):
    """Interleaved patient-days: index d is patient d % n, day d // n."""
    d = np.arange(n_days)
    patient = d % n_patients
    day = d // n_patients
    days_pp = max(int(day.max(initial=0)) + 1, 2)
    t = day / (days_pp - 1)
    return patient, day, t, days_pp


def simulate_sessions_rows(
    n_rows: int, *, seed: int = 0, n_patients: int | None = None
) -> pd.DataFrame:
    """A raw long-format sessions log of exactly ``n_rows`` rows (vectorised).

    Same columns as :func:`simulate_logs` in long format, with ``patient_id`` always
    present; rows grouped by patient, in date order. Each patient exercises on most
    days at first and less later, skips more at weekends, logs straight leg raise per
    side (or once, ``both``/no side), walks most days, now and then a ``Routine``
    row. Meant for benchmarks: a million rows take well under a second or two.

    Parameters
    ----------
    n_rows : int
        Rows wanted; the log is cut to exactly this many.
    seed : int
        Seed of ``numpy.random.default_rng``.
    n_patients : int, optional
        Patients ``P0001``, ...; default about one per 450 rows (12 weeks each).

    Examples
    --------
    >>> df = simulate_sessions_rows(1000, seed=2)
    >>> len(df), list(df.columns)[:3]
    (1000, ['patient_id', 'date', 'time'])
    """
    n_rows, n_patients = _check_rows(n_rows, n_patients, 450)
    program = default_program()
    spell = _spellings(program)
    # slot -> (activity id, kind); kind: "ex", "left", "right", "walk", "session"
    slots: list[tuple[str, str]] = []
    for e in program.exercises:
        slots += [(e.id, "left"), (e.id, "right")] if e.per_side else [(e.id, "ex")]
    slots += [(WALK, "walk"), (WALK, "walk"), (SESSION, "session")]
    n_slots = len(slots)
    kinds = np.array([k for _, k in slots])
    ex_slot = np.isin(kinds, ["ex", "left", "right"])

    factor = 1.0
    while True:
        rng = np.random.default_rng(seed)
        n_days = math.ceil(n_rows / 4.2 * factor) + n_patients
        p_start = rng.uniform(0.8, 0.97, n_patients)
        p_end = rng.uniform(0.3, 0.9, n_patients)
        short_end = rng.uniform(0.05, 0.4, n_patients)
        patient, day, t, days_pp = _patient_days(rng, n_days, n_patients)
        if n_rows and days_pp > 36_600:
            raise ValueError(f"too many days per patient ({days_pp}); pass more patients")
        weekday = (np.datetime64("2026-03-02", "D") + day).astype("int64") % 7  # 0 = Thursday
        weekend = (weekday == 2) | (weekday == 3)
        p_do = p_start[patient] + (p_end[patient] - p_start[patient]) * t - 0.15 * weekend
        done = rng.random(n_days) < p_do
        pair = rng.random(n_days) < 0.75
        include = np.zeros((n_days, n_slots), dtype=bool)
        include[:, ex_slot] = done[:, None] & (rng.random((n_days, int(ex_slot.sum()))) > 0.05)
        include[:, kinds == "right"] &= pair[:, None]
        walk1 = rng.random(n_days) < np.where(done, 0.85, 0.6)
        walk_cols = np.flatnonzero(kinds == "walk")
        include[:, walk_cols[0]] = walk1
        include[:, walk_cols[1]] = walk1 & (rng.random(n_days) < 0.25)
        include[:, kinds == "session"] = (done & (rng.random(n_days) < 0.06))[:, None]
        flat = np.flatnonzero(include.ravel())
        if len(flat) >= n_rows:
            break
        factor *= 1.3
    flat = flat[:n_rows]
    r_day = flat // n_slots
    r_slot = flat % n_slots
    order = np.argsort(patient[r_day], kind="stable")
    r_day, r_slot = r_day[order], r_slot[order]
    n = n_rows
    r_kind = kinds[r_slot]
    r_pat = patient[r_day]
    r_t = t[r_day]

    # exercise names, as written: codes into one pool of every spelling
    activity = np.array([a for a, _ in slots])[r_slot]
    pool: list[str] = []
    exercise = np.zeros(n, dtype="int64")
    for a, (habitual, variants) in spell.items():
        m = activity == a
        p = np.r_[
            np.full(len(habitual), 0.88 / len(habitual)),
            np.full(len(variants), 0.12 / len(variants)),
        ]
        exercise[m] = len(pool) + rng.choice(len(p), size=int(m.sum()), p=p / p.sum())
        pool += [*habitual, *variants]

    is_ex = ex_slot[r_slot]
    short = rng.random(n) < 0.03 + (short_end[r_pat] - 0.03) * r_t
    reps = np.where(short, rng.integers(5, 10, n), 10)
    reps = np.where(rng.random(n) > 0.96, rng.choice([12, 15], n), reps)
    u = rng.random(n)
    two_sets = is_ex & (u < 0.1)
    reps = np.where(two_sets, np.ceil(reps / 2), reps)
    sets = np.where(two_sets, 2, 1)
    sets_missing = ~is_ex | ((u >= 0.1) & (u < 0.25))

    # side: 0 left, 1 right, 2 both; a single SLR row is "both" or has no side
    pair_r = pair[r_day]
    side = np.where(r_kind == "right", 1, np.where(pair_r, 0, 2))
    single = (r_kind == "left") & ~pair_r
    side_missing = ~np.isin(r_kind, ["left", "right"]) | (single & (rng.random(n) < 0.4))

    minutes = rng.integers(2, 7, n)
    minutes = np.where(np.isin(r_kind, ["left", "right"]), rng.integers(1, 4, n), minutes)
    minutes = np.where(r_kind == "walk", np.clip(np.rint(rng.normal(15, 5, n)), 5, 30), minutes)
    minutes = np.where(r_kind == "session", rng.integers(10, 36, n), minutes)
    minutes_missing = is_ex & (rng.random(n) < 0.05)

    # one time per session and per walk, left empty now and then
    session_minute = np.where(
        rng.random(n_days) < 0.65, rng.integers(390, 570, n_days), rng.integers(1050, 1260, n_days)
    )
    walk_minute = rng.integers(660, 1080, n_days)
    session_no_time = rng.random(n_days) < 0.08
    walk_no_time = rng.random(n_days) < 0.08
    is_walk = r_kind == "walk"
    minute = np.where(is_walk, walk_minute[r_day], session_minute[r_day])
    time_missing = np.where(is_walk, walk_no_time[r_day], session_no_time[r_day])

    notes_pool = [*_EXERCISE_NOTES, *_WALK_NOTES]
    notes = rng.integers(0, len(notes_pool), n)
    notes_missing = rng.random(n) >= 0.03

    calendar = _calendar(dt.date(2026, 3, 2), days_pp)
    pids = [f"P{i + 1:04d}" for i in range(n_patients)]
    return pd.DataFrame(
        {
            "patient_id": _coded(pids, r_pat),
            "date": _coded(calendar, day[r_day]),
            "time": _coded(_HHMM, minute, time_missing),
            "exercise": _coded(pool, exercise),
            "reps": _ints(reps, ~is_ex),
            "sets": _ints(sets, sets_missing),
            "side": _coded(("left", "right", "both"), side, side_missing),
            "minutes": _ints(minutes, minutes_missing),
            "notes": _coded(notes_pool, notes, notes_missing),
        }
    )


def simulate_pain_rows(
    n_rows: int, *, seed: int = 0, n_patients: int | None = None
) -> pd.DataFrame:
    """A raw pain log of exactly ``n_rows`` rows (vectorised).

    Same columns as the pain frame of :func:`simulate_logs`, with ``patient_id``
    always present; rows grouped by patient, in time order. 0-3 ratings a day
    (morning, after exercise, evening; a quarter of evening ratings at 23:xx), pain
    drifting from about 6 to about 3 with day-to-day noise and occasional flares,
    timestamps with the UTC offset of each patient's zone (CET, GMT or US Eastern,
    summer time included).

    Parameters
    ----------
    n_rows : int
        Rows wanted; the log is cut to exactly this many.
    seed : int
        Seed of ``numpy.random.default_rng``.
    n_patients : int, optional
        Patients ``P0001``, ...; default about one per 160 rows (12 weeks each).

    Examples
    --------
    >>> df = simulate_pain_rows(500, seed=2)
    >>> len(df), bool(df["pain"].between(0, 10).all())
    (500, True)
    """
    n_rows, n_patients = _check_rows(n_rows, n_patients, 160)
    factor = 1.0
    while True:
        rng = np.random.default_rng(seed)
        n_days = math.ceil(n_rows / 1.8 * factor) + n_patients
        pain_start = rng.uniform(5.0, 7.0, n_patients)
        pain_end = rng.uniform(2.0, 4.0, n_patients)
        zone = rng.choice(len(_ZONE_NAMES), n_patients, p=[0.6, 0.15, 0.25])
        patient, day, t, days_pp = _patient_days(rng, n_days, n_patients)
        if n_rows and days_pp > 36_600:
            raise ValueError(f"too many days per patient ({days_pp}); pass more patients")
        k = rng.choice(4, n_days, p=[0.03, 0.30, 0.45, 0.22])
        if int(k.sum()) >= n_rows:
            break
        factor *= 1.3
    variant = rng.random(n_days) < 0.5
    level = (
        pain_end[patient]
        + (pain_start - pain_end)[patient] * (1 - t) ** 1.3
        + rng.normal(0, 0.6, n_days)
        + np.where(rng.random(n_days) < 0.02, 3.0, 0.0)
    )
    r_day = np.repeat(np.arange(n_days), k)[:n_rows]
    first = np.cumsum(k) - k
    j = np.arange(len(r_day)) - first[r_day]
    order = np.argsort(patient[r_day], kind="stable")
    r_day, j = r_day[order], j[order]
    n = n_rows
    r_k = k[r_day]

    # context per (ratings that day, variant, position): 0 morning, 1 after exercise, 2 evening
    table = np.array(
        [
            [[0, 0, 0], [0, 0, 0]],
            [[0, 0, 0], [2, 2, 2]],
            [[0, 2, 2], [0, 1, 1]],
            [[0, 1, 2], [0, 1, 2]],
        ]
    )
    context = table[r_k, variant[r_day].astype(int), j]
    late = rng.random(n) < 0.25
    minute = np.select(
        [context == 0, context == 1],
        [rng.integers(375, 570, n), rng.integers(600, 1200, n)],
        np.where(late, rng.integers(1380, 1440, n), rng.integers(1230, 1380, n)),
    )
    adjust = np.array([0.6, -0.4, 0.2])[context]
    value = np.clip(level[r_day] + adjust + rng.normal(0, 0.45, n), 0, 10)
    halves = rng.random(n) < 0.1
    value = np.where(halves, np.rint(value * 2) / 2, np.rint(value))

    # UTC offsets: per zone and calendar day, with the time of day on switch days
    import pyarrow as pa
    import pyarrow.compute as pc

    calendar_dates = np.datetime64("2026-03-02", "D") + np.arange(days_pp)
    calendar = np.datetime_as_string(calendar_dates, unit="D")
    as_date = calendar_dates.astype(dt.date)
    r_zone = zone[patient[r_day]]
    r_date = day[r_day]
    offset_values = sorted({o for z in _ZONES.values() for o in z[:2]})
    offsets = np.empty(n, dtype="int64")
    for z, zname in enumerate(_ZONE_NAMES):
        std, dst, rule, on_min, off_min = _ZONES[zname]
        bounds = {y: _summer_time(y, rule) for y in {d.year for d in as_date}}
        on = np.array([np.datetime64(bounds[d.year][0]) for d in as_date])
        off = np.array([np.datetime64(bounds[d.year][1]) for d in as_date])
        m = r_zone == z
        cd, mm = calendar_dates[r_date[m]], minute[m]
        on_r, off_r = on[r_date[m]], off[r_date[m]]
        summer = (
            ((cd > on_r) & (cd < off_r))
            | ((cd == on_r) & (mm >= on_min))
            | ((cd == off_r) & (mm < off_min))
        )
        offsets[m] = np.where(summer, dst, std)
    offset_idx = np.searchsorted(np.array(offset_values), offsets)

    def lit(text: str):
        return pa.scalar(text, pa.large_string())

    stamp = pc.binary_join_element_wise(
        _take(calendar, r_date),
        lit("T"),
        _take(_HHMM, minute),
        lit(":00"),
        _take([_format_offset(o) for o in offset_values], offset_idx),
        lit(""),
    )

    pids = [f"P{i + 1:04d}" for i in range(n_patients)]
    return pd.DataFrame(
        {
            "patient_id": _coded(pids, patient[r_day]),
            "timestamp": pd.Series(stamp, dtype="str"),
            "pain": value.astype("float64"),
            "context": _coded(("morning", "after exercise", "evening"), context),
            "location": _coded(_LOCATIONS, rng.choice(len(_LOCATIONS), n, p=_LOCATION_P)),
            "notes": _coded(
                _PAIN_NOTES, rng.integers(0, len(_PAIN_NOTES), n), rng.random(n) >= 0.04
            ),
        }
    )
