"""Pain frame -> daily pain, trailing mean, baseline, change, status and flares.

The rules are those of ``PROGRAM.md`` (thresholds from ``program.pain``); every
choice it leaves open is written down in ``docs/metrics.md``. A rating belongs to
the calendar day in its ``date`` column, the day as written.

Examples
--------
>>> import pandas as pd
>>> from backrx_analysis.analysis.pain import pain_trend
>>> ratings = pd.DataFrame({
...     "patient_id": ["p1"] * 4,
...     "date": pd.to_datetime(["2026-03-01", "2026-03-01", "2026-03-03", "2026-03-10"]),
...     "pain": [6.0, 4.0, 5.0, 2.0],
... })
>>> trend = pain_trend(ratings)
>>> trend[["date", "pain_mean", "rolling_mean", "baseline", "status"]].tail(3)
        date  pain_mean  rolling_mean  baseline     status
7 2026-03-08        NaN           5.0       5.0  no_change
8 2026-03-09        NaN           5.0       5.0  no_change
9 2026-03-10        2.0           2.0       5.0   improved
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..program import PainRules, Program, default_program
from ..scales import NRS
from ._frames import (
    TOLERANCE,
    _calendar,
    _day_numbers,
    _days_to_dates,
    _grid_keys,
    _patient_codes,
    _require,
)

__all__ = ["PAIN_STATUSES", "pain_daily", "pain_trend", "pain_status", "scale_daily",
           "convert_scale"]

#: Values of the ``status`` column of :func:`pain_trend`, in order.
PAIN_STATUSES = ("improved", "no_change", "worse")


def _on_nrs(pain: pd.DataFrame) -> np.ndarray:
    """Per rating: on the 0-10 NRS (every rating of a frame without a ``scale``
    column). The NRS rules (daily pain, baseline, change, flares) use these only;
    ratings on an app's own scale are in :func:`scale_daily`."""
    if "scale" not in pain.columns:
        return np.ones(len(pain), dtype=bool)
    return (pain["scale"].astype("string").fillna(NRS) == NRS).to_numpy(dtype=bool)


def scale_daily(pain: pd.DataFrame) -> pd.DataFrame:
    """Daily ratings on the apps' own scales (not the NRS), kept on their scale.

    One row per patient, scale and calendar day with a rating: ``patient_id``,
    ``scale`` (a key of :data:`backrx_analysis.scales.SCALES`), ``date``,
    ``value_mean``, ``value_min``, ``value_max`` (points of that scale),
    ``n_ratings``. Empty when every rating is on the NRS. No NRS rule applies to
    these (no baseline, no 2-point change, no flare): the kit does not know what a
    point of another scale is worth on the NRS (:func:`convert_scale` is the user's
    explicit choice)."""
    _require(pain, ("patient_id", "date", "pain"), "pain")
    other = pain.loc[~_on_nrs(pain)] if "scale" in pain.columns else pain.iloc[:0]
    other = other.loc[other["pain"].notna()]
    cols = ["patient_id", "scale", "date", "value_mean", "value_min", "value_max", "n_ratings"]
    if not len(other):
        return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in zip(cols, (
            "string", "string", "datetime64[ns]", "float64", "float64", "float64", "int64"),
            strict=True)})
    frame = pd.DataFrame({"patient_id": other["patient_id"].astype("string"),
                          "scale": other["scale"].astype("string"),
                          "date": pd.to_datetime(other["date"]).dt.normalize(),
                          "value": pd.to_numeric(other["pain"]).astype("float64")})
    g = frame.groupby(["patient_id", "scale", "date"], sort=True)["value"]
    out = g.agg(value_mean="mean", value_min="min", value_max="max", n_ratings="count")
    out = out.reset_index()
    out["n_ratings"] = out["n_ratings"].astype("int64")
    return out[cols]


def convert_scale(pain: pd.DataFrame, scale: str, to_nrs: dict) -> pd.DataFrame:
    """A copy of ``pain`` with the ratings on ``scale`` put on the 0-10 NRS by a
    mapping the user chose (``{0: 0, 1: 3, 2: 5, 3: 8}``: each point of the scale ->
    an NRS value), their notes saying so. The kit never converts on its own: a
    conversion is a clinical choice, documented by whoever makes it.

    Raises ``ValueError`` naming a point of the scale the mapping lacks, or an NRS
    value outside 0-10."""
    from ..scales import scale_of

    sc = scale_of(scale)
    bad = {k: v for k, v in to_nrs.items() if not 0 <= float(v) <= 10}
    if bad:
        raise ValueError(f"NRS values must be 0 to 10; got {bad}")
    mapping = {float(k): float(v) for k, v in to_nrs.items()}
    out = pain.copy()
    on = (out["scale"].astype("string") == scale).to_numpy(dtype=bool, na_value=False)
    values = pd.to_numeric(out.loc[on, "pain"]).astype("float64")
    missing = sorted({v for v in values.dropna() if v not in mapping})
    if missing:
        raise ValueError(f"the mapping from {sc.name} lacks the point(s) "
                         f"{', '.join(f'{v:g} ({sc.word(v)})' for v in missing)}")
    out.loc[on, "pain"] = values.map(mapping).to_numpy()
    out.loc[on, "scale"] = NRS
    note = f"converted from {sc.name} by your mapping"
    old = out.loc[on, "notes"].astype("string")
    out.loc[on, "notes"] = (old + "; " + note).fillna(note)
    return out


def _grid(pain: pd.DataFrame) -> dict[str, Any]:
    """Daily pain on every calendar day from each patient's first to last rating."""
    _require(pain, ("patient_id", "date", "pain"), "pain")
    values = pd.to_numeric(pain["pain"]).to_numpy(dtype=np.float64, na_value=np.nan)
    rated = ~np.isnan(values) & _on_nrs(pain)
    frame = pain if rated.all() else pain.loc[rated]
    values = values[rated]
    codes, patients = _patient_codes(frame, "pain")
    day = _day_numbers(frame, "pain")
    cal = _calendar(codes, day, len(patients))
    n = int(cal["length"].sum())
    cell = cal["cell"]
    count = np.bincount(cell, minlength=n)
    total = np.bincount(cell, weights=values, minlength=n)
    low = np.full(n, np.inf)
    high = np.full(n, -np.inf)
    np.minimum.at(low, cell, values)
    np.maximum.at(high, cell, values)
    has = count > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(has, total / count, np.nan)
    patient_col, grid_day = _grid_keys(patients, cal)
    row_patient = np.repeat(np.arange(len(patients)), cal["length"])
    return {
        "patients": patients,
        "cal": cal,
        "row_patient": row_patient,
        "patient_id": patient_col,
        "day": grid_day,
        "pain_mean": mean,
        "pain_min": np.where(has, low, np.nan),
        "pain_max": np.where(has, high, np.nan),
        "n_ratings": count.astype(np.int64),
        "has": has,
    }


def pain_daily(pain: pd.DataFrame) -> pd.DataFrame:
    """Daily pain: one row per patient and calendar day that has a rating.

    Parameters
    ----------
    pain : DataFrame
        Canonical pain frame (:func:`backrx_analysis.schema.pain_dtypes`); needs
        ``patient_id``, ``date`` and ``pain``. Rows without a pain value are left out,
        and so are ratings on another scale than the NRS (see :func:`scale_daily`).

    Returns
    -------
    DataFrame
        Sorted by ``patient_id`` and ``date``, default index:

        ``patient_id`` (string)
        ``date`` (datetime64[ns])
            The calendar day of the ratings, as written.
        ``pain_mean`` (float64)
            The daily pain: mean of that day's ratings (0-10).
        ``pain_min``, ``pain_max`` (float64)
            Lowest and highest rating of the day.
        ``n_ratings`` (int64)
            Number of ratings that day.
    """
    g = _grid(pain)
    has = g["has"]
    return pd.DataFrame({
        "patient_id": g["patient_id"][has].reset_index(drop=True),
        "date": _days_to_dates(g["day"][has]),
        "pain_mean": g["pain_mean"][has],
        "pain_min": g["pain_min"][has],
        "pain_max": g["pain_max"][has],
        "n_ratings": g["n_ratings"][has],
    })


def _trailing(values: np.ndarray, row_patient: np.ndarray, days: int, *,
              include_today: bool) -> tuple[np.ndarray, np.ndarray]:
    """Mean and count of the non-missing values over a window of calendar days.

    ``values`` holds one value per calendar day, every patient's days consecutive.
    The window is time based (``"<days>D"``) on a time axis where each patient's
    days are separated from the next patient's by ``days`` empty days, so one
    rolling pass never mixes patients. ``include_today`` gives the window of the day
    and the ``days - 1`` before it, otherwise the ``days`` days before it.
    """
    n = len(values)
    axis = np.arange(n, dtype=np.int64) + row_patient * days
    index = pd.DatetimeIndex(axis.astype("datetime64[D]").astype("datetime64[s]"))
    roll = pd.Series(values, index=index).rolling(
        f"{days}D", min_periods=1, closed="right" if include_today else "left"
    )
    mean = roll.mean().to_numpy(dtype=np.float64) if n else np.zeros(0)
    count = roll.count().to_numpy(dtype=np.float64) if n else np.zeros(0)
    return mean, np.nan_to_num(count).astype(np.int64)


def pain_status(rolling_mean: Any, baseline: Any, *, rules: PainRules | None = None
                ) -> pd.Categorical:
    """``improved`` / ``no_change`` / ``worse`` of a trailing mean against a baseline.

    ``improved`` when the trailing mean is at least ``rules.mcid_points`` (2) below
    the baseline or at least ``rules.mcid_fraction`` (30 %) of the baseline below it;
    ``worse`` when it is at least ``rules.worse_points`` (2) above; ``no_change``
    otherwise. Values within 1e-9 of a threshold count as reaching it. Missing when
    either value is missing.
    """
    rules = rules or PainRules()
    r = np.asarray(rolling_mean, dtype=np.float64)
    b = np.asarray(baseline, dtype=np.float64)
    drop = b - r
    with np.errstate(invalid="ignore"):
        improved = (drop >= rules.mcid_points - TOLERANCE) | (
            (b > TOLERANCE) & (drop >= rules.mcid_fraction * b - TOLERANCE)
        )
        worse = -drop >= rules.worse_points - TOLERANCE
    codes = np.where(improved, 0, np.where(worse, 2, 1))
    codes = np.where(np.isnan(r) | np.isnan(b), -1, codes)
    return pd.Categorical.from_codes(codes, categories=list(PAIN_STATUSES))


def pain_trend(
    pain: pd.DataFrame,
    *,
    window: int | None = None,
    program: Program | None = None,
) -> pd.DataFrame:
    """Pain on every calendar day with its trailing mean, baseline, status and flares.

    Parameters
    ----------
    pain : DataFrame
        Canonical pain frame; needs ``patient_id``, ``date`` and ``pain``.
    window : int, optional
        Days of the trailing mean (default ``program.pain.window``, 7): the day and
        the ``window - 1`` calendar days before it.
    program : Program, optional
        Supplies the pain thresholds (``program.pain``); default program if omitted.

    Returns
    -------
    DataFrame
        One row per patient and calendar day from the patient's first to last
        rating, sorted by ``patient_id`` and ``date``, default index:

        ``patient_id`` (string), ``date`` (datetime64[ns])
        ``pain_mean``, ``pain_min``, ``pain_max`` (float64)
            Daily pain (mean of the day's ratings), lowest and highest rating;
            NaN on days without a rating.
        ``n_ratings`` (int64)
            Ratings that day (0 on days without one).
        ``rolling_mean`` (float64)
            Mean of the daily pain over the day and the ``window - 1`` calendar
            days before it, days without a rating left out; NaN when none of those
            days has a rating.
        ``rolling_days`` (int64)
            Days with a rating inside that window.
        ``baseline`` (float64)
            Mean of the daily pain over the first ``program.pain.baseline_days``
            (7) calendar days of the patient's pain log, days without a rating left
            out. The same on every row of a patient.
        ``change`` (float64)
            ``rolling_mean - baseline`` (negative = less pain).
        ``change_pct`` (float64)
            ``100 * change / baseline``; NaN when the baseline is 0.
        ``status`` (categorical)
            ``improved`` (trailing mean at least 2 points or 30 % of the baseline
            below it), ``worse`` (at least 2 points above), ``no_change``; NaN when
            ``rolling_mean`` is NaN. See :func:`pain_status`.
        ``flare`` (bool)
            The daily pain is at least 2 points above the mean daily pain of the 7
            calendar days before it. False on a day without a rating and when none
            of the 7 days before has one.
    """
    program = program or default_program()
    rules = program.pain
    window = rules.window if window is None else window
    if int(window) != window or window < 1:
        raise ValueError(f"window must be a whole number of days >= 1, got {window!r}")
    window = int(window)

    g = _grid(pain)
    mean = g["pain_mean"]
    row_patient = g["row_patient"]
    cal = g["cal"]
    rolling, rolling_days = _trailing(mean, row_patient, window, include_today=True)

    # baseline: daily pain over the first `baseline_days` calendar days of the log
    n = len(mean)
    day_in_log = np.arange(n) - cal["offset"][row_patient]
    first_days = g["has"] & (day_in_log < rules.baseline_days)
    n_patients = len(g["patients"])
    base_sum = np.bincount(row_patient[first_days], weights=mean[first_days],
                           minlength=n_patients)
    base_n = np.bincount(row_patient[first_days], minlength=n_patients)
    with np.errstate(invalid="ignore", divide="ignore"):
        baseline_p = np.where(base_n > 0, base_sum / base_n, np.nan)
        baseline = baseline_p[row_patient]
        change = rolling - baseline
        change_pct = np.where(np.abs(baseline) > TOLERANCE, 100 * change / baseline, np.nan)

    before, before_days = _trailing(mean, row_patient, rules.flare_window, include_today=False)
    with np.errstate(invalid="ignore"):
        flare = g["has"] & (before_days > 0) & (mean - before >= rules.flare_points - TOLERANCE)

    return pd.DataFrame({
        "patient_id": g["patient_id"],
        "date": _days_to_dates(g["day"]),
        "pain_mean": mean,
        "pain_min": g["pain_min"],
        "pain_max": g["pain_max"],
        "n_ratings": g["n_ratings"],
        "rolling_mean": rolling,
        "rolling_days": rolling_days,
        "baseline": baseline,
        "change": change,
        "change_pct": change_pct,
        "status": pain_status(rolling, baseline, rules=rules),
        "flare": np.asarray(flare, dtype=bool),
    })
