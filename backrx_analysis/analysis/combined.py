"""Adherence and pain together: one time axis and a lagged association (the summary is
in :mod:`backrx_analysis.analysis.summary`).

Everything here reads the frames of :mod:`backrx_analysis.analysis.adherence` and
:mod:`backrx_analysis.analysis.pain`; the rules are in ``docs/metrics.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..program import Program
from ._frames import TOLERANCE, _require
from .pain import pain_daily, pain_trend

__all__ = [
    "MIN_PAIRED_DAYS",
    "InsufficientDataError",
    "adherence_vs_pain",
    "lagged_association",
]

#: Fewest paired days :func:`lagged_association` accepts per patient.
MIN_PAIRED_DAYS = 14

#: Dose columns of :func:`lagged_association`, in output order.
DOSES = ("exercise_minutes", "exercises_met")


class InsufficientDataError(ValueError):
    """Too few days of data for the statistic asked for."""


def _nullable(frame: pd.DataFrame) -> pd.DataFrame:
    """bool -> boolean and int -> Int64, so rows missing on one side stay honest."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if s.dtype == bool:
            out[col] = s.astype("boolean")
        elif isinstance(s.dtype, np.dtype) and s.dtype.kind in "iu":
            out[col] = s.astype("Int64")
        else:
            out[col] = s
    return pd.DataFrame(out)




def _as_trend(pain: pd.DataFrame, program: Program | None, window: int | None) -> pd.DataFrame:
    if "rolling_mean" in pain.columns and "baseline" in pain.columns:
        return pain
    return pain_trend(pain, window=window, program=program)


def adherence_vs_pain(
    daily: pd.DataFrame,
    pain: pd.DataFrame,
    *,
    program: Program | None = None,
    window: int | None = None,
) -> pd.DataFrame:
    """Daily adherence and the pain trend side by side, one row per patient and day.

    Parameters
    ----------
    daily : DataFrame
        Output of :func:`~backrx_analysis.analysis.adherence.daily_adherence`.
    pain : DataFrame
        A canonical pain frame, or the output of
        :func:`~backrx_analysis.analysis.pain.pain_trend` (used as is).
    program, window
        Passed to :func:`~backrx_analysis.analysis.pain.pain_trend` for a canonical frame.

    Returns
    -------
    DataFrame
        Outer join on ``patient_id`` and ``date``, sorted by both, default index:
        every column of ``daily`` and every column of the pain trend, plus

        ``in_adherence_span`` (bool)
            The day is inside the patient's session-log span. Pain days outside
            it carry missing adherence values (they do not stretch the span).
        ``in_pain_span`` (bool)
            The day is inside the patient's pain-log span.

        Whole-number columns become ``Int64`` and yes/no columns ``boolean`` so a
        day present on one side only shows ``<NA>`` on the other.
    """
    _require(daily, ("patient_id", "date"), "daily adherence")
    trend = _as_trend(pain, program, window)
    left = _nullable(daily.assign(patient_id=daily["patient_id"].astype("string")))
    right = _nullable(trend.assign(patient_id=trend["patient_id"].astype("string")))
    out = left.merge(right, on=["patient_id", "date"], how="outer", sort=True,
                     indicator=True)
    side = out.pop("_merge")
    out["in_adherence_span"] = (side != "right_only").to_numpy(dtype=bool)
    out["in_pain_span"] = (side != "left_only").to_numpy(dtype=bool)
    return out.reset_index(drop=True)


def _daily_pain_of(pain: pd.DataFrame) -> pd.DataFrame:
    if "pain_mean" in pain.columns:
        p = pain.loc[pain["pain_mean"].notna(), ["patient_id", "date", "pain_mean"]]
    else:
        p = pain_daily(pain)[["patient_id", "date", "pain_mean"]]
    return p.assign(patient_id=p["patient_id"].astype("string"))


def lagged_association(daily: pd.DataFrame, pain: pd.DataFrame, *, lag: int = 1
                       ) -> pd.DataFrame:
    """Spearman correlation between a day's exercise dose and pain ``lag`` days later.

    This measures **association, not cause**: days with more exercise may be
    followed by less (or more) pain for many reasons (patients exercise more on
    good days, pain eases over weeks whatever is done). Read it as a question to
    discuss, never as proof that the exercises help or harm.

    Each day of a patient's adherence span is paired with the daily pain of the
    calendar day ``lag`` days later (``lag=0``: the same day); days whose partner
    has no rating are left out.

    Parameters
    ----------
    daily : DataFrame
        Output of :func:`~backrx_analysis.analysis.adherence.daily_adherence`.
    pain : DataFrame
        A canonical pain frame, or a frame with ``pain_mean`` per ``patient_id``
        and ``date`` (:func:`~backrx_analysis.analysis.pain.pain_daily`,
        :func:`~backrx_analysis.analysis.pain.pain_trend`).
    lag : int
        Calendar days from the dose to the pain (default 1: the next day).

    Returns
    -------
    DataFrame
        Two rows per patient (``dose`` ``exercise_minutes`` then ``exercises_met``),
        sorted by ``patient_id``, default index:

        ``patient_id`` (string)
        ``dose`` (string)
            The daily adherence column correlated.
        ``lag`` (int64)
            Days from dose to pain.
        ``n`` (int64)
            Paired days.
        ``rho`` (float64)
            Spearman's rank correlation (NaN when either side never varies).
        ``p_value`` (float64)
            Two-sided p-value, as :func:`scipy.stats.spearmanr` computes it.

    Raises
    ------
    InsufficientDataError
        When any patient has fewer than 14 paired days; the message lists every
        such patient and how many paired days each has.
    """
    _require(daily, ("patient_id", "date", *DOSES), "daily adherence")
    if int(lag) != lag:
        raise ValueError(f"lag must be a whole number of days, got {lag!r}")
    lag = int(lag)
    dose = daily[["patient_id", "date", *DOSES]]
    dose = dose.assign(patient_id=dose["patient_id"].astype("string"))
    later = _daily_pain_of(pain)
    later = later.assign(date=later["date"] - pd.Timedelta(days=lag))
    pairs = dose.merge(later, on=["patient_id", "date"], how="inner")

    patients = pd.Index(
        sorted(set(dose["patient_id"].dropna()) | set(later["patient_id"].dropna())),
        dtype="string",
    )
    n = pairs.groupby("patient_id").size().reindex(patients, fill_value=0)
    short = n[n < MIN_PAIRED_DAYS]
    if len(short):
        detail = "; ".join(f"patient {p!r} has {int(k)}" for p, k in short.items())
        raise InsufficientDataError(
            f"lagged_association needs at least {MIN_PAIRED_DAYS} paired days per patient "
            f"(a day in the adherence span and a pain rating {lag} day(s) later): {detail}. "
            f"Log more days, or pass only the patients with enough days."
        )

    key = pairs["patient_id"]
    pain_rank = pairs.groupby(key)["pain_mean"].rank(method="average").to_numpy()
    rows = []
    for col in DOSES:  # two doses; every patient at once
        dose_rank = pairs.groupby(key)[col].rank(method="average").to_numpy()
        rho = _grouped_pearson(key, dose_rank, pain_rank)
        rows.append(pd.DataFrame({"patient_id": rho.index, "dose": col, "rho": rho.to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    out["n"] = n.reindex(out["patient_id"]).to_numpy(dtype=np.int64)
    out["lag"] = np.int64(lag)
    dof = out["n"].to_numpy(dtype=float) - 2
    r = out["rho"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r * np.sqrt((dof / ((r + 1.0) * (1.0 - r))).clip(0))
    from scipy import stats  # on first use: scipy costs ~1 s of import time

    out["p_value"] = np.where(np.isnan(r), np.nan, 2 * stats.t.sf(np.abs(t), dof))
    out["patient_id"] = out["patient_id"].astype("string")
    out["dose"] = out["dose"].astype("string")
    out = out.sort_values(["patient_id", "dose"], key=_dose_order, kind="stable")
    return out[["patient_id", "dose", "lag", "n", "rho", "p_value"]].reset_index(drop=True)


def _dose_order(s: pd.Series) -> pd.Series:
    return s.map({d: i for i, d in enumerate(DOSES)}) if s.name == "dose" else s


def _grouped_pearson(key: pd.Series, x: np.ndarray, y: np.ndarray) -> pd.Series:
    """Pearson correlation of x and y within each group of ``key``."""
    frame = pd.DataFrame({"k": key.to_numpy(), "x": x, "y": y})
    g = frame.groupby("k", sort=True)
    frame["dx"] = x - g["x"].transform("mean").to_numpy()
    frame["dy"] = y - g["y"].transform("mean").to_numpy()
    frame["xy"] = frame["dx"] * frame["dy"]
    frame["xx"] = frame["dx"] ** 2
    frame["yy"] = frame["dy"] ** 2
    sums = frame.groupby("k", sort=True)[["xy", "xx", "yy"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = np.sqrt(sums["xx"] * sums["yy"])
        r = sums["xy"] / denom
    r[denom <= TOLERANCE] = np.nan
    return r.clip(-1.0, 1.0)
