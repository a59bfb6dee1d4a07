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

from ..prescriptions import Prescriptions
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
from .in_force import catalogue_of, in_force
from .weekly import streaks, weekly_adherence  # made from the daily frame

__all__ = [
    "AnalysisInputError",
    "daily_adherence",
    "weekly_adherence",
    "streaks",
    "minute_status",
]

_SESSION_COLUMNS = ("patient_id", "date", "exercise", "reps", "sets", "side", "minutes")


def _status(m: np.ndarray, low: np.ndarray, high: np.ndarray) -> pd.Categorical:
    """:func:`minute_status` against each row's own band (NaN band: no status)."""
    m = np.asarray(m, dtype=np.float64)
    codes = np.where(m <= TOLERANCE, 0, np.where(m < low - TOLERANCE, 1,
                                                  np.where(m <= high + TOLERANCE, 2, 3)))
    codes = np.where(np.isnan(m) | np.isnan(low), -1, codes)
    return pd.Categorical.from_codes(codes, categories=list(MINUTE_STATUSES))


def minute_status(minutes: np.ndarray | pd.Series, band: Band) -> pd.Categorical:
    """``none`` / ``under`` / ``in_range`` / ``over`` of daily minutes against a band.

    0 minutes is ``none``; below ``band.low`` ``under``; ``band.low`` to ``band.high``
    inclusive ``in_range``; above ``band.high`` ``over``. Values within 1e-9 of a
    limit count as on it. NaN gives a missing status.
    """
    m = np.asarray(minutes, dtype=np.float64)
    return _status(m, np.full(m.shape, band.low), np.full(m.shape, band.high))


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


def _unmeasured(sessions: pd.DataFrame) -> np.ndarray | None:
    """Per row: the entry says its activity happened without its reps or minutes
    (``measured`` False: an app such as Daylio); ``None`` when every entry is measured
    (a frame without the column included)."""
    if "measured" not in sessions.columns:
        return None
    um = ~sessions["measured"].to_numpy(dtype=bool, na_value=True)
    return um if um.any() else None


# -- daily --------------------------------------------------------------------------


def daily_adherence(
    sessions: pd.DataFrame,
    *,
    program: Program | Prescriptions | None = None,
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
    rx = program or default_program()
    program = catalogue_of(rx)  # the exercises of any version: the frame's columns
    _require(sessions, _SESSION_COLUMNS, "sessions")
    start_day, end_day = _period(start, end)

    codes, patients = _patient_codes(sessions, "sessions")
    day = _day_numbers(sessions, "sessions")
    act = _activity_codes(sessions["exercise"], program)
    side = _side_codes(sessions["side"])
    reps = _numbers(sessions["reps"], 0.0) * _numbers(sessions["sets"], 1.0)
    minutes = _numbers(sessions["minutes"], 0.0)
    unmeasured = _unmeasured(sessions)

    if start_day is not None or end_day is not None:
        keep = np.ones(len(day), dtype=bool)
        if start_day is not None:
            keep &= day >= start_day
        if end_day is not None:
            keep &= day <= end_day
        if not keep.all():
            codes, day, act, side = codes[keep], day[keep], act[keep], side[keep]
            reps, minutes = reps[keep], minutes[keep]
            unmeasured = unmeasured[keep] if unmeasured is not None else None

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

    # Entries that say an activity happened without its reps or minutes: which
    # day's channels they leave unknown (never counted as 0, never as the target).
    if unmeasured is not None and unmeasured.any():
        um = unmeasured
        rep_unknown = np.bincount(
            np.concatenate([cell[is_rep & um] * n_ch + ch[is_rep & um],
                            cell[twice & um] * n_ch + right[twice & um]]),
            minlength=n * n_ch).reshape(n, n_ch) > 0
        min_unknown = np.bincount(cell[is_min & um] * 2 + mch[is_min & um],
                                  minlength=n * 2).reshape(n, 2) > 0
        n_unmeasured = np.bincount(cell[um], minlength=n)
    else:
        rep_unknown = min_unknown = None
        n_unmeasured = np.zeros(n, dtype=np.int64)

    patient_col, grid_day = _grid_keys(patients, cal)
    force = in_force(rx, patients, np.repeat(np.arange(len(patients)), cal["length"]),
                     grid_day)
    pres = force.prescribed
    out: dict[str, Any] = {"patient_id": patient_col, "date": _days_to_dates(grid_day),
                           "version": pd.arrays.IntegerArray(force.version.copy(),
                                                             force.version <= 0),
                           "prescribed": pres.copy()}
    mets: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    met_all: Any = np.ones(n, dtype=bool)
    n_prescribed = np.zeros(n, dtype=np.int64)
    for j, ex in enumerate(program.exercises):
        c = channel_of[j]
        tgt = force.target[:, j]
        on = tgt > 0  # the version in force prescribes it that day
        n_prescribed += on
        if ex.per_side:
            left_r, right_r = rep_table[:, c], rep_table[:, c + 1]
            reps_day = np.minimum(left_r, right_r)
            out[f"reps_{ex.id}"] = reps_day
            out[f"reps_{ex.id}_left"] = left_r
            out[f"reps_{ex.id}_right"] = right_r
        else:
            reps_day = rep_table[:, c]
            out[f"reps_{ex.id}"] = reps_day
        met = on & (reps_day >= tgt)
        unknown = np.zeros(n, dtype=bool)
        if rep_unknown is not None:
            cols = [c, c + 1] if ex.per_side else [c]
            unknown = rep_unknown[:, cols].any(axis=1)
            if ex.per_side:  # a leg known to reach the target is met whatever the other's
                left_ok = (rep_table[:, c] >= tgt) | rep_unknown[:, c]
                right_ok = (rep_table[:, c + 1] >= tgt) | rep_unknown[:, c + 1]
                unknown &= left_ok & right_ok
            unknown &= ~met
            if unknown.any():
                for col in ([f"reps_{ex.id}", f"reps_{ex.id}_left", f"reps_{ex.id}_right"]
                            if ex.per_side else [f"reps_{ex.id}"]):
                    out[col] = pd.arrays.IntegerArray(np.asarray(out[col]), unknown.copy())
        # not prescribed that day: neither met nor missed (<NA>); unknown reps: <NA>
        missing = unknown | ~on
        mets[f"met_{ex.id}"] = pd.arrays.BooleanArray(met, missing) if missing.any() else met
        # for the whole day, an exercise not prescribed asks nothing (True)
        day_ok = np.where(on, met, True)
        met_all = met_all & (pd.arrays.BooleanArray(day_ok, unknown & on)
                             if (unknown & on).any() else day_ok)
        extra[f"target_{ex.id}"] = (tgt.copy() if on.all() else
                                    pd.arrays.IntegerArray(tgt.copy(), ~on))
        with np.errstate(divide="ignore", invalid="ignore"):
            dose = np.where(on, np.minimum(reps_day / np.where(on, tgt, 1), 1.0), np.nan)
        dose[unknown] = np.nan  # done, how much unknown
        extra[f"dose_{ex.id}"] = dose
    out.update(mets)
    out["exercises_met"] = np.sum([np.asarray(m, dtype=bool) if isinstance(m, np.ndarray)
                                   else m.to_numpy(dtype=bool, na_value=False)
                                   for m in mets.values()], axis=0, dtype=np.int64)
    out["exercises_prescribed"] = n_prescribed
    ex_min = min_table[:, 0].copy()
    walk_min = min_table[:, 1].copy()
    walk_met: Any = pres & (walk_min >= force.walk_low - TOLERANCE)
    walk_na = ~pres
    if min_unknown is not None:
        ex_min[min_unknown[:, 0]] = np.nan
        walk_na = walk_na | (min_unknown[:, 1] & ~walk_met)
        walk_min[min_unknown[:, 1]] = np.nan
    if walk_na.any():
        walk_met = pd.arrays.BooleanArray(walk_met, walk_na)
    out["exercise_minutes"] = ex_min
    out["minutes_status"] = _status(ex_min, force.ex_low, force.ex_high)
    out["walk_minutes"] = walk_min
    out["walk_status"] = _status(walk_min, force.walk_low, force.walk_high)
    out["walk_met"] = walk_met
    status = np.asarray(out["minutes_status"].codes)
    in_range: Any = status == MINUTE_STATUSES.index("in_range")
    if (status < 0).any():  # exercise minutes unknown, or no band in force that day
        in_range = pd.arrays.BooleanArray(in_range, status < 0)
    out["fully_adherent"] = met_all & in_range
    out["entries"] = entries.astype(np.int64)
    out["unmeasured_entries"] = n_unmeasured.astype(np.int64)
    out["logged"] = entries > 0
    out.update(extra)
    return pd.DataFrame(out)
