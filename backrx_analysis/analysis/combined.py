"""Adherence and pain together: one time axis, a lagged association, a summary.

Everything here reads the frames of :mod:`backrx_analysis.analysis.adherence` and
:mod:`backrx_analysis.analysis.pain`; the rules are in ``docs/metrics.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..program import Program, default_program
from ._frames import TOLERANCE, _days_to_dates, _period, _require
from .adherence import _exercise_ids_of, daily_adherence, streaks
from .pain import PAIN_STATUSES, pain_daily, pain_status, pain_trend

__all__ = [
    "MIN_PAIRED_DAYS",
    "InsufficientDataError",
    "adherence_vs_pain",
    "lagged_association",
    "summarize",
    "summary_of",
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


_PAIN_NUMBERS = {"pain_baseline", "pain_last7", "pain_change", "pain_change_pct"}


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


# -- summary ------------------------------------------------------------------------


def summarize(
    sessions: pd.DataFrame,
    pain: pd.DataFrame,
    *,
    program: Program | None = None,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """One row per patient: adherence over the period and where pain stands at its end.

    The period of a patient is the span of the session log (first to last logged
    day), or ``start``/``end`` when given. A patient with pain ratings but no
    session log gets the span of the pain log (or ``start``/``end``) and missing
    adherence values; a patient without pain ratings gets missing pain values.
    The pain baseline is that of the whole pain frame given (the first 7 days of
    the patient's pain log, even before ``start``); the other pain values are
    taken at the end of the period.

    Parameters
    ----------
    sessions, pain : DataFrame
        Canonical sessions and pain frames (either may be empty).
    program : Program, optional
        The prescription (default program if omitted).
    start, end : date-like, optional
        First and last day of the report period (inclusive).

    Returns
    -------
    DataFrame
        Sorted by ``patient_id``, default index; nullable dtypes, ``<NA>`` where
        unknown:

        ``patient_id`` (string)
        ``start``, ``end`` (datetime64[ns])
            First and last day of the period.
        ``days`` (Int64)
            Calendar days of the period with a session log (every day counts).
        ``days_logged`` (Int64)
            Days with at least one entry.
        ``fully_adherent_pct`` (Float64)
            Percentage (0-100) of the days fully adherent.
        ``<id>_met_pct`` (Float64), one per program exercise
            Percentage of the days the exercise was met.
        ``exercise_minutes_mean`` (Float64)
            Mean daily exercise minutes (days with none count 0).
        ``minutes_in_range_pct`` (Float64)
            Percentage of the days with exercise minutes in the band.
        ``minutes_over_days`` (Int64)
            Days with more exercise minutes than the band's upper limit.
        ``walk_met_pct`` (Float64)
            Percentage of the days the walk was met.
        ``pain_baseline`` (Float64)
            Mean daily pain over the first 7 calendar days of the pain log.
        ``pain_last7`` (Float64)
            Mean daily pain over the last 7 calendar days of the period (the
            trailing mean on ``end``); missing when none of them has a rating.
        ``pain_change`` (Float64)
            ``pain_last7 - pain_baseline``.
        ``pain_change_pct`` (Float64)
            ``100 * pain_change / pain_baseline`` (missing when the baseline is 0).
        ``pain_status`` (categorical)
            ``improved`` / ``no_change`` / ``worse`` of ``pain_last7`` against the
            baseline (rules of :func:`~backrx_analysis.analysis.pain.pain_status`).
        ``flare_days`` (Int64)
            Flare days inside the period.
        ``current_streak``, ``longest_streak`` (Int64)
            Fully adherent days in a row ending on ``end``, and the longest run.
    """
    program = program or default_program()
    _period(start, end)  # validate early
    daily = daily_adherence(sessions, program=program, start=start, end=end)
    return summary_of(daily, pain_trend(pain, program=program), program=program, start=start,
                      end=end)


def summary_of(
    daily: pd.DataFrame,
    trend: pd.DataFrame,
    *,
    program: Program | None = None,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """:func:`summarize` from frames already computed: ``daily`` the
    :func:`~backrx_analysis.analysis.adherence.daily_adherence` frame of the period,
    ``trend`` the :func:`~backrx_analysis.analysis.pain.pain_trend` frame of the whole
    pain log (with the program's window), ``start``/``end`` the period as given there.

    Returns
    -------
    DataFrame
        The columns of :func:`summarize`.
    """
    program = program or default_program()
    ids = _exercise_ids_of(daily)

    # -- adherence per patient
    g = daily.groupby("patient_id", sort=True)
    adh = pd.DataFrame({
        "start": g["date"].min(),
        "end": g["date"].max(),
        "days": g.size(),
        "days_logged": g["logged"].sum(),
        "fully_adherent_pct": g["fully_adherent"].mean() * 100,
        **{f"{i}_met_pct": g[f"met_{i}"].mean() * 100 for i in ids},
        "exercise_minutes_mean": g["exercise_minutes"].mean(),
        "minutes_in_range_pct": (daily["minutes_status"] == "in_range")
        .groupby(daily["patient_id"], sort=True).mean() * 100,
        "minutes_over_days": (daily["minutes_status"] == "over")
        .groupby(daily["patient_id"], sort=True).sum(),
        "walk_met_pct": g["walk_met"].mean() * 100,
    })
    st = streaks(daily).set_index("patient_id")
    adh["current_streak"] = st["current_streak"]
    adh["longest_streak"] = st["longest_streak"]

    # -- pain per patient
    trend = trend.assign(patient_id=trend["patient_id"].astype("string"))
    pain_span = trend.groupby("patient_id", sort=True)["date"].agg(["min", "max"])
    baseline = trend.groupby("patient_id", sort=True)["baseline"].first()

    patients = pd.Index(sorted(set(adh.index) | set(pain_span.index)), dtype="string",
                        name="patient_id")
    out = adh.reindex(patients)
    s_day, e_day = _period(start, end)
    p_start = pain_span["min"].reindex(patients)
    p_end = pain_span["max"].reindex(patients)
    if s_day is not None:
        p_start = pd.Series(_days_to_dates(np.full(len(patients), s_day)), index=patients)
    if e_day is not None:
        p_end = pd.Series(_days_to_dates(np.full(len(patients), e_day)), index=patients)
    out["start"] = out["start"].fillna(p_start)
    out["end"] = out["end"].fillna(p_end)

    # trailing mean of the daily pain on the period's last day
    window = program.pain.window
    daily_pain = trend.loc[trend["n_ratings"] > 0, ["patient_id", "date", "pain_mean"]]
    ends = out["end"].reindex(daily_pain["patient_id"]).to_numpy()
    d = daily_pain["date"].to_numpy()
    in_last = (d <= ends) & (d > ends - np.timedelta64(window, "D"))
    last7 = daily_pain.loc[in_last].groupby("patient_id", sort=True)["pain_mean"].mean()
    in_period = (trend["date"].to_numpy() >= out["start"].reindex(trend["patient_id"]).to_numpy()
                 ) & (trend["date"].to_numpy() <= out["end"].reindex(trend["patient_id"])
                      .to_numpy())
    flare_days = trend.loc[in_period].groupby("patient_id", sort=True)["flare"].sum()

    has_pain = patients.isin(pain_span.index)
    base = baseline.reindex(patients).to_numpy(dtype=float)
    last = last7.reindex(patients).to_numpy(dtype=float)
    change = last - base
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(np.abs(base) > TOLERANCE, 100 * change / base, np.nan)
    out["pain_baseline"] = base
    out["pain_last7"] = last
    out["pain_change"] = change
    out["pain_change_pct"] = change_pct
    out["pain_status"] = pain_status(last, base, rules=program.pain)
    flares = flare_days.reindex(patients).fillna(0).to_numpy(dtype=float)
    out["flare_days"] = np.where(has_pain, flares, np.nan)

    out = out.reset_index()
    ints = ["days", "days_logged", "minutes_over_days", "flare_days", "current_streak",
            "longest_streak"]
    for col in out.columns:
        if col in ints:
            out[col] = pd.array(out[col].to_numpy(dtype=float, na_value=np.nan)).astype("Int64")
        elif col.endswith(("_pct", "_mean")) or col in _PAIN_NUMBERS:
            out[col] = pd.array(out[col].to_numpy(dtype=float, na_value=np.nan),
                                dtype="Float64")
    out["patient_id"] = out["patient_id"].astype("string")
    out["pain_status"] = pd.Categorical(out["pain_status"], categories=list(PAIN_STATUSES))
    order = ["patient_id", "start", "end", "days", "days_logged", "fully_adherent_pct",
             *[f"{i}_met_pct" for i in ids], "exercise_minutes_mean", "minutes_in_range_pct",
             "minutes_over_days", "walk_met_pct", "pain_baseline", "pain_last7", "pain_change",
             "pain_change_pct", "pain_status", "flare_days", "current_streak",
             "longest_streak"]
    return out[order]
