"""Sessions frame -> daily and weekly adherence to the program, and streaks.

The rules are those of ``PROGRAM.md``; every choice it leaves open is written down
in ``docs/metrics.md``. All functions work on any number of patients at once and
are vectorised: a sessions frame of a million entries takes well under a second.

Examples
--------
>>> import pandas as pd
>>> from backrx_analysis.analysis.adherence import daily_adherence
>>> from backrx_analysis.schema import sessions_dtypes
>>> rows = pd.DataFrame({
...     "patient_id": ["p1", "p1", "p1"],
...     "date": pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-04"]),
...     "exercise": ["wall_squat", "session", "walk"],
...     "reps": [10, None, None],
...     "sets": [None, None, None],
...     "side": [None, None, None],
...     "minutes": [None, 12.0, 15.0],
... })
>>> daily = daily_adherence(rows)
>>> daily[["date", "reps_wall_squat", "met_wall_squat", "minutes_status", "walk_met"]]
        date  reps_wall_squat  met_wall_squat minutes_status  walk_met
0 2026-03-02               10            True       in_range     False
1 2026-03-03                0           False           none     False
2 2026-03-04                0           False           none      True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..program import MINUTE_STATUSES, Band, Program, default_program
from ._frames import (
    TOLERANCE,
    AnalysisInputError,
    _calendar,
    _day_numbers,
    _days_to_dates,
    _grid_keys,
    _patient_codes,
    _period,
    _require,
)

__all__ = [
    "AnalysisInputError",
    "daily_adherence",
    "weekly_adherence",
    "streaks",
    "minute_status",
]

_SESSION_COLUMNS = ("patient_id", "date", "exercise", "reps", "sets", "side", "minutes")
_DAILY_COLUMNS = ("patient_id", "date", "exercise_minutes", "minutes_status", "walk_met",
                  "fully_adherent", "logged")


def minute_status(minutes: np.ndarray | pd.Series, band: Band) -> pd.Categorical:
    """``none`` / ``under`` / ``in_range`` / ``over`` of daily minutes against a band.

    0 minutes is ``none``; below ``band.low`` ``under``; ``band.low`` to ``band.high``
    inclusive ``in_range``; above ``band.high`` ``over``. Values within 1e-9 of a
    limit count as on it. NaN gives a missing status.
    """
    m = np.asarray(minutes, dtype=np.float64)
    codes = np.where(
        m <= TOLERANCE, 0,
        np.where(m < band.low - TOLERANCE, 1, np.where(m <= band.high + TOLERANCE, 2, 3)),
    )
    codes = np.where(np.isnan(m), -1, codes)
    return pd.Categorical.from_codes(codes, categories=list(MINUTE_STATUSES))


def _activity_codes(exercise: pd.Series, program: Program) -> np.ndarray:
    """Per row: index of the program exercise (0..n-1), n for walk, n+1 for session,
    -1 for anything else (an exercise the program does not prescribe, or missing)."""
    wanted = list(program.activity_ids)
    if isinstance(exercise.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in exercise.cat.categories]
        lookup = np.array([wanted.index(c) if c in wanted else -1 for c in cats] + [-1],
                          dtype=np.int64)
        return lookup[exercise.cat.codes.to_numpy()]  # code -1 (NA) -> last entry
    return pd.Categorical(exercise.astype("string"), categories=wanted).codes.astype(np.int64)


def _side_codes(side: pd.Series) -> np.ndarray:
    """0 left, 1 right, 2 both, -1 missing (or anything else)."""
    wanted = ["left", "right", "both"]
    if isinstance(side.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in side.cat.categories]
        lookup = np.array([wanted.index(c) if c in wanted else -1 for c in cats] + [-1],
                          dtype=np.int64)
        return lookup[side.cat.codes.to_numpy()]
    return pd.Categorical(side.astype("string"), categories=wanted).codes.astype(np.int64)


def _numbers(series: pd.Series, fill: float) -> np.ndarray:
    return pd.to_numeric(series).to_numpy(dtype=np.float64, na_value=fill)


# -- daily --------------------------------------------------------------------------


def daily_adherence(
    sessions: pd.DataFrame,
    *,
    program: Program | None = None,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """One row per patient and calendar day, with what was done against the program.

    Every calendar day from the patient's first to last logged day is present, days
    with nothing logged included (a day with nothing logged is a day not done). With
    ``start`` and ``end`` every day of that period is present for every patient of
    the frame, and entries outside it are left out. With only one of them, the other
    end of each patient's span is still the patient's own first / last logged day.

    Parameters
    ----------
    sessions : DataFrame
        Canonical sessions frame (:func:`backrx_analysis.schema.sessions_dtypes`).
        Needs ``patient_id``, ``date``, ``exercise``, ``reps``, ``sets``, ``side``
        and ``minutes``.
    program : Program, optional
        The prescription (default :func:`~backrx_analysis.program.default_program`).
        Entries of exercises it does not prescribe count as logged, nothing else.
    start, end : date-like, optional
        First and last calendar day of the period (inclusive).

    Returns
    -------
    DataFrame
        Sorted by ``patient_id`` and ``date``, default index:

        ``patient_id`` (string)
            The patient.
        ``date`` (datetime64[ns])
            The calendar day (midnight).
        ``reps_<id>`` (int64), one per program exercise
            Repetitions that day: reps x sets (no sets = 1 set) summed over the
            day's entries of that exercise. For a per-side exercise (straight leg
            raise) the smaller of the two sides.
        ``reps_<id>_left``, ``reps_<id>_right`` (int64), per-side exercises only
            Repetitions of each leg; an entry with side ``both`` or without a side
            counts for each leg.
        ``met_<id>`` (bool), one per program exercise
            ``reps_<id>`` reached the exercise's ``target_reps`` (per leg for a
            per-side exercise).
        ``exercises_met`` (int64)
            How many of the program's exercises were met (0 to n).
        ``exercise_minutes`` (float64)
            Minutes on the program's exercise entries plus ``session`` entries
            (missing minutes count 0; walk minutes are not exercise minutes).
        ``minutes_status`` (categorical)
            ``none`` (0), ``under`` (below the band), ``in_range`` (band limits
            included) or ``over`` the program's exercise-minute band.
        ``walk_minutes`` (float64)
            Minutes of ``walk`` entries.
        ``walk_status`` (categorical)
            The same four statuses against the program's walk band.
        ``walk_met`` (bool)
            ``walk_minutes`` reached the low end of the walk band.
        ``fully_adherent`` (bool)
            Every exercise met and ``minutes_status`` is ``in_range``.
        ``entries`` (int64)
            Number of entries that day (any activity).
        ``logged`` (bool)
            At least one entry that day.

    Examples
    --------
    >>> import backrx_analysis as bx                        # doctest: +SKIP
    >>> sessions, pain = bx.load_sample()                   # doctest: +SKIP
    >>> bx.daily_adherence(sessions).fully_adherent.mean()  # doctest: +SKIP
    """
    program = program or default_program()
    _require(sessions, _SESSION_COLUMNS, "sessions")
    start_day, end_day = _period(start, end)

    codes, patients = _patient_codes(sessions, "sessions")
    day = _day_numbers(sessions, "sessions")
    act = _activity_codes(sessions["exercise"], program)
    side = _side_codes(sessions["side"])
    reps = _numbers(sessions["reps"], 0.0) * _numbers(sessions["sets"], 1.0)
    minutes = _numbers(sessions["minutes"], 0.0)

    if start_day is not None or end_day is not None:
        keep = np.ones(len(day), dtype=bool)
        if start_day is not None:
            keep &= day >= start_day
        if end_day is not None:
            keep &= day <= end_day
        if not keep.all():
            codes, day, act, side = codes[keep], day[keep], act[keep], side[keep]
            reps, minutes = reps[keep], minutes[keep]

    cal = _calendar(codes, day, len(patients), start=start_day, end=end_day)
    n = int(cal["length"].sum())
    cell = cal["cell"]

    # Repetition channels: one per exercise, two (left, right) per per-side exercise.
    n_ex = len(program.exercises)
    channel_of: list[int] = []
    right_of: list[int] = []
    names: list[str] = []
    for ex in program.exercises:
        channel_of.append(len(names))
        if ex.per_side:
            names += [f"reps_{ex.id}_left", f"reps_{ex.id}_right"]
            right_of.append(len(names) - 1)
        else:
            names.append(f"reps_{ex.id}")
            right_of.append(-1)
    n_ch = len(names)
    ch_lookup = np.array(channel_of + [-1, -1, -1], dtype=np.int64)  # walk, session, other
    right_lookup = np.array(right_of + [-1, -1, -1], dtype=np.int64)
    ch = ch_lookup[act]
    right = right_lookup[act]
    # a per-side entry marked "right" goes to the right channel only
    ch = np.where((right >= 0) & (side == 1), right, ch)
    is_rep = ch >= 0
    # per-side entries without a side, or "both", count for the right leg as well
    twice = (right >= 0) & (side != 0) & (side != 1)
    idx = np.concatenate([cell[is_rep] * n_ch + ch[is_rep], cell[twice] * n_ch + right[twice]])
    weights = np.concatenate([reps[is_rep], reps[twice]])
    rep_table = np.bincount(idx, weights=weights, minlength=n * n_ch).reshape(n, n_ch)
    rep_table = np.rint(rep_table).astype(np.int64)

    # Minutes: channel 0 exercise (program exercises + session), 1 walk.
    min_lookup = np.array([0] * n_ex + [1, 0, -1], dtype=np.int64)  # walk=n, session=n+1
    mch = min_lookup[act]
    is_min = mch >= 0
    min_table = np.bincount(cell[is_min] * 2 + mch[is_min], weights=minutes[is_min],
                            minlength=n * 2).reshape(n, 2)
    entries = np.bincount(cell, minlength=n)

    patient_col, grid_day = _grid_keys(patients, cal)
    out: dict[str, Any] = {"patient_id": patient_col, "date": _days_to_dates(grid_day)}
    met_all = np.ones(n, dtype=bool)
    mets: dict[str, np.ndarray] = {}
    for ex in program.exercises:
        c = channel_of[program.exercise_ids.index(ex.id)]
        if ex.per_side:
            left_r, right_r = rep_table[:, c], rep_table[:, c + 1]
            out[f"reps_{ex.id}"] = np.minimum(left_r, right_r)
            out[f"reps_{ex.id}_left"] = left_r
            out[f"reps_{ex.id}_right"] = right_r
        else:
            out[f"reps_{ex.id}"] = rep_table[:, c]
        met = out[f"reps_{ex.id}"] >= ex.target_reps
        mets[f"met_{ex.id}"] = met
        met_all &= met
    out.update(mets)
    out["exercises_met"] = np.sum(list(mets.values()), axis=0, dtype=np.int64)
    ex_min = min_table[:, 0]
    walk_min = min_table[:, 1]
    out["exercise_minutes"] = ex_min
    out["minutes_status"] = minute_status(ex_min, program.exercise_minutes)
    out["walk_minutes"] = walk_min
    out["walk_status"] = minute_status(walk_min, program.walk_minutes)
    out["walk_met"] = walk_min >= program.walk_minutes.low - TOLERANCE
    in_range = np.asarray(out["minutes_status"].codes) == MINUTE_STATUSES.index("in_range")
    out["fully_adherent"] = met_all & in_range
    out["entries"] = entries.astype(np.int64)
    out["logged"] = entries > 0
    return pd.DataFrame(out)


# -- weekly -------------------------------------------------------------------------


def _exercise_ids_of(daily: pd.DataFrame) -> list[str]:
    return [c[len("met_"):] for c in daily.columns if c.startswith("met_")]


def weekly_adherence(daily: pd.DataFrame) -> pd.DataFrame:
    """Adherence per patient and ISO week (weeks start on Monday).

    Parameters
    ----------
    daily : DataFrame
        Output of :func:`daily_adherence`.

    Returns
    -------
    DataFrame
        Sorted by ``patient_id`` and ``week_start``, default index:

        ``patient_id`` (string)
        ``week_start`` (datetime64[ns])
            Monday of the week.
        ``iso_year``, ``iso_week`` (int64)
            ISO 8601 year and week number of that week.
        ``days`` (int64)
            Days of the week inside the patient's span (fewer than 7 in the first
            and last week of a span). Every percentage below is over these days.
        ``days_logged`` (int64)
            Days with at least one entry.
        ``fully_adherent_pct`` (float64)
            Percentage (0-100) of the days that were fully adherent.
        ``<id>_met_pct`` (float64), one per program exercise
            Percentage of the days on which that exercise was met.
        ``exercise_minutes_mean`` (float64)
            Mean daily exercise minutes (days with none count as 0).
        ``minutes_in_range_pct`` (float64)
            Percentage of the days with exercise minutes in the band.
        ``walk_met_pct`` (float64)
            Percentage of the days on which the walk was met.
    """
    _require(daily, _DAILY_COLUMNS, "daily adherence")
    ids = _exercise_ids_of(daily)
    day = _day_numbers(daily, "daily adherence")
    monday = day - (day + 3) % 7  # 1970-01-01 was a Thursday
    frame = pd.DataFrame({
        "patient_id": daily["patient_id"].to_numpy(),
        "week_start": _days_to_dates(monday),
        "days": 1,
        "days_logged": daily["logged"].to_numpy(dtype=bool),
        "fully_adherent_pct": daily["fully_adherent"].to_numpy(dtype=float) * 100,
        **{f"{i}_met_pct": daily[f"met_{i}"].to_numpy(dtype=float) * 100 for i in ids},
        "exercise_minutes_mean": daily["exercise_minutes"].to_numpy(dtype=float),
        "minutes_in_range_pct": (daily["minutes_status"] == "in_range").to_numpy(dtype=float)
        * 100,
        "walk_met_pct": daily["walk_met"].to_numpy(dtype=float) * 100,
    })
    means = [c for c in frame.columns if c.endswith("_pct") or c.endswith("_mean")]
    grouped = frame.groupby(["patient_id", "week_start"], sort=True)
    out = grouped[means].mean()
    out.insert(0, "days_logged", grouped["days_logged"].sum().astype(np.int64))
    out.insert(0, "days", grouped["days"].sum().astype(np.int64))
    out = out.reset_index()
    iso = out["week_start"].dt.isocalendar()
    out.insert(2, "iso_year", iso["year"].to_numpy(dtype=np.int64))
    out.insert(3, "iso_week", iso["week"].to_numpy(dtype=np.int64))
    out["patient_id"] = out["patient_id"].astype("string")
    return out


# -- streaks ------------------------------------------------------------------------


def streaks(daily: pd.DataFrame) -> pd.DataFrame:
    """Runs of consecutive fully adherent days per patient.

    A day missing from ``daily`` (a gap in the dates) ends a run, like a day that
    was not fully adherent.

    Parameters
    ----------
    daily : DataFrame
        Output of :func:`daily_adherence`.

    Returns
    -------
    DataFrame
        One row per patient, sorted by ``patient_id``, default index:

        ``patient_id`` (string)
        ``last_date`` (datetime64[ns])
            Last day of the patient's span.
        ``current_streak`` (int64)
            Fully adherent days in a row ending on ``last_date`` (0 when that day
            was not fully adherent).
        ``longest_streak`` (int64)
            Longest run of fully adherent days in the span.
    """
    _require(daily, ("patient_id", "date", "fully_adherent"), "daily adherence")
    codes, patients = _patient_codes(daily, "daily adherence")
    day = _day_numbers(daily, "daily adherence")
    order = np.lexsort((day, codes))
    codes, day = codes[order], day[order]
    ok = daily["fully_adherent"].to_numpy(dtype=bool)[order]
    n = len(ok)
    pos = np.arange(n)
    new_patient = np.ones(n, dtype=bool)
    new_patient[1:] = codes[1:] != codes[:-1]
    gap = np.ones(n, dtype=bool)
    gap[1:] = day[1:] - day[:-1] != 1
    # a run starts on a fully adherent day after a patient change, a gap or a miss
    prev_ok = np.zeros(n, dtype=bool)
    prev_ok[1:] = ok[:-1]
    run_start = ok & (new_patient | gap | ~prev_ok)
    start_pos = np.maximum.accumulate(np.where(run_start, pos, 0))
    run_len = np.where(ok, pos - start_pos + 1, 0)
    firsts = np.flatnonzero(new_patient)
    lasts = np.append(firsts[1:] - 1, n - 1) if n else firsts
    longest = np.maximum.reduceat(run_len, firsts) if n else np.zeros(0, dtype=np.int64)
    return pd.DataFrame({
        "patient_id": pd.Series(patients.take(codes[firsts]), dtype="string"),
        "last_date": _days_to_dates(day[lasts]),
        "current_streak": run_len[lasts].astype(np.int64),
        "longest_streak": np.asarray(longest, dtype=np.int64),
    })
