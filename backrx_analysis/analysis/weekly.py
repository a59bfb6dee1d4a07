"""Daily adherence -> weekly percentages and runs of fully adherent days.

The weekly percentages are over the days of each ISO week inside the patient's span;
a day whose adherence is unknown (an entry that says the activity happened without
its reps or minutes) is left out of a percentage rather than counted as not done,
and ends a run of adherent days (docs/metrics.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._frames import _day_numbers, _days_to_dates, _patient_codes, _require

__all__ = ["weekly_adherence", "streaks", "by_version"]

_DAILY_COLUMNS = ("patient_id", "date", "exercise_minutes", "minutes_status", "walk_met",
                  "fully_adherent", "logged")


# -- weekly -------------------------------------------------------------------------


def _exercise_ids_of(daily: pd.DataFrame) -> list[str]:
    return [c[len("met_"):] for c in daily.columns if c.startswith("met_")]


def _share(flags: pd.Series) -> np.ndarray:
    """True -> 100, False -> 0, unknown (an entry without its reps or minutes) -> NaN,
    left out of the mean rather than counted as not done."""
    if flags.dtype == bool:
        return flags.to_numpy(dtype=float) * 100
    return pd.array(flags, dtype="boolean").to_numpy(dtype=float, na_value=np.nan) * 100


def _met_shares(daily: pd.DataFrame, ids: list[str]) -> dict[str, np.ndarray]:
    return {f"{i}_met_pct": _share(daily[f"met_{i}"]) for i in ids}


def _dose_means(daily: pd.DataFrame, ids: list[str]) -> dict[str, np.ndarray]:
    return {f"{i}_dose_mean": daily[f"dose_{i}"].to_numpy(dtype=float, na_value=np.nan)
            for i in ids if f"dose_{i}" in daily.columns}


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
        ``version`` (Int64), only with a prescription history
            The version in force; a week in which it changed has a row per version
            (the targets restart at the change), ``<NA>`` for days of no version.
        ``days_prescribed`` (int64)
            Days on which a version of the prescription was in force and prescribed
            something (every day of a plain program); the percentages below are over
            these days (and over the days whose value is known).
        ``<id>_dose_mean`` (float64), one per exercise
            Mean of ``dose_<id>``: reps done / reps prescribed, capped at 1.
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
    prescribed = (daily["prescribed"].to_numpy(dtype=bool) if "prescribed" in daily.columns
                  else np.ones(len(daily), dtype=bool))
    frame = pd.DataFrame({
        "patient_id": daily["patient_id"].to_numpy(),
        "week_start": _days_to_dates(monday),
        "days": 1,
        "days_logged": daily["logged"].to_numpy(dtype=bool),
        "fully_adherent_pct": _share(daily["fully_adherent"]),
        **_met_shares(daily, ids),
        # over the days prescribed (a Mon/Wed/Fri program asks nothing on a Tuesday)
        "exercise_minutes_mean": np.where(prescribed, daily["exercise_minutes"].to_numpy(
            dtype=float), np.nan),
        "minutes_in_range_pct": _share(daily["minutes_status"].eq("in_range").where(
            daily["minutes_status"].notna())),
        "walk_met_pct": _share(daily["walk_met"]),
        **_dose_means(daily, ids),
        "days_prescribed": prescribed,
    })
    means = [c for c in frame.columns if c.endswith("_pct") or c.endswith("_mean")]
    keys = ["patient_id", "week_start"]
    history = "version" in daily.columns and daily["version"].notna().any()
    if history:  # a week in which the prescription changed is a row per version
        frame["version"] = daily["version"].to_numpy(dtype=float, na_value=-1).astype(np.int64)
        keys.append("version")
    grouped = frame.groupby(keys, sort=True)
    out = grouped[means].mean()
    out.insert(0, "days_prescribed", grouped["days_prescribed"].sum().astype(np.int64))
    out.insert(0, "days_logged", grouped["days_logged"].sum().astype(np.int64))
    out.insert(0, "days", grouped["days"].sum().astype(np.int64))
    out = out.reset_index()
    iso = out["week_start"].dt.isocalendar()
    out.insert(2, "iso_year", iso["year"].to_numpy(dtype=np.int64))
    out.insert(3, "iso_week", iso["week"].to_numpy(dtype=np.int64))
    out["patient_id"] = out["patient_id"].astype("string")
    if history:
        v = out.pop("version").to_numpy()
        out.insert(4, "version", pd.arrays.IntegerArray(v, v < 0))
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
    # a day whose adherence is unknown (an entry without its reps or minutes) is not
    # counted as adherent: it ends a run
    ok = pd.array(daily["fully_adherent"], dtype="boolean").to_numpy(
        dtype=bool, na_value=False)[order]
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


def by_version(daily: pd.DataFrame) -> pd.DataFrame:
    """Adherence per patient and prescription version (``version`` of the daily
    frame; days with no version in force are left out, as are patients without a
    history).

    One row per patient and version, sorted: ``patient_id``, ``version``, ``start``,
    ``end`` (first and last day of the version inside the frame), ``days``,
    ``days_prescribed``, ``fully_adherent_pct``, ``<id>_met_pct`` and
    ``<id>_dose_mean`` per exercise, ``walk_met_pct`` (percentages over the
    prescribed days whose value is known, as in :func:`weekly_adherence`)."""
    _require(daily, ("patient_id", "date", "version", "prescribed", "fully_adherent",
                     "walk_met"), "daily adherence")
    ids = _exercise_ids_of(daily)
    has = daily["version"].notna().to_numpy()
    d = daily.loc[has]
    frame = pd.DataFrame({
        "patient_id": d["patient_id"].astype("string").to_numpy(),
        "version": d["version"].to_numpy(dtype=np.int64),
        "date": d["date"].to_numpy(),
        "days": 1,
        "days_prescribed": d["prescribed"].to_numpy(dtype=bool),
        "fully_adherent_pct": _share(d["fully_adherent"]),
        **_met_shares(d, ids),
        **_dose_means(d, ids),
        "walk_met_pct": _share(d["walk_met"]),
    })
    g = frame.groupby(["patient_id", "version"], sort=True)
    means = [c for c in frame.columns if c.endswith(("_pct", "_mean"))]
    out = g[means].mean()
    out.insert(0, "days_prescribed", g["days_prescribed"].sum().astype(np.int64))
    out.insert(0, "days", g["days"].sum().astype(np.int64))
    out.insert(0, "end", g["date"].max())
    out.insert(0, "start", g["date"].min())
    out = out.reset_index()
    out["patient_id"] = out["patient_id"].astype("string")
    return out
