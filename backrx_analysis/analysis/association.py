"""The day's program and later pain, each day against its own week: what the kit may say.

Pain and adherence both drift over weeks (people exercise less as they feel better,
pain eases whatever is done), and two drifting series correlate whether or not one
affects the other. :func:`dose_pain_association` therefore compares days **within the
same calendar week only**: on the days after the program was done in full, was pain
different from the other days of that week? The week's own level is taken out, so a
trend over the weeks cannot make an effect; the 95 % interval comes from a bootstrap
that resamples whole weeks (days within a week are not independent), and a patient
with too few days of either kind gets "too little data", not a number.
``docs/metrics.md`` ("Adherence and pain together") states the rules and the
known-truth checks.

Examples
--------
>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample()
>>> out = bx.dose_pain_association(bx.daily_adherence(sessions), pain)
>>> out[["lag_label", "n_days", "n_done", "finding"]]
        lag_label  n_days  n_done              finding
0        same day      82      25  no clear difference
1        next day      82      26  no clear difference
2  two days later      81      26  no clear difference
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..scales import NRS
from ._frames import _require
from .pain import pain_daily

__all__ = ["FINDINGS", "LAG_LABELS", "MIN_DAYS", "MIN_EACH", "dose_pain_association"]

#: Fewest paired days (a dose day and a rating ``lag`` days later) per patient and lag.
MIN_DAYS = 14
#: Fewest paired days with the program done, and without it (as Bearable asks).
MIN_EACH = 3
#: Fewest weeks holding days of both kinds: the comparison is made inside weeks.
MIN_WEEKS = 2
#: Values of the ``finding`` column.
FINDINGS = ("lower", "higher", "no clear difference", "too little data")
#: How each lag is said.
LAG_LABELS = {0: "same day", 1: "next day", 2: "two days later"}

_DAILY = ("patient_id", "date", "exercises_met", "exercises_prescribed")


def _lag_label(lag: int) -> str:
    return LAG_LABELS.get(lag, f"{lag} days later")


def _doses(daily: pd.DataFrame) -> pd.DataFrame:
    """Dose days: ``done`` when every exercise prescribed that day was met. Days
    prescribing nothing are not dose days; a day whose reps are unknown (an entry
    without them) and not met for sure is left out (neither done nor not done)."""
    met = daily["exercises_met"].to_numpy(dtype=np.int64, na_value=0)
    pres = daily["exercises_prescribed"].to_numpy(dtype=np.int64, na_value=0)
    dose_day = pres > 0
    if "prescribed" in daily.columns:
        dose_day &= daily["prescribed"].to_numpy(dtype=bool, na_value=False)
    done = dose_day & (met >= pres)
    if "unmeasured_entries" in daily.columns:
        unknown = daily["unmeasured_entries"].to_numpy(dtype=np.int64, na_value=0) > 0
        dose_day &= done | ~unknown
    return pd.DataFrame({"patient_id": daily["patient_id"].astype("string").to_numpy()[dose_day],
                         "date": pd.to_datetime(daily["date"]).to_numpy()[dose_day],
                         "done": done[dose_day]})


def _daily_pain(pain: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """NRS daily pain per patient and day, and per patient the ratings on another
    scale that were left out."""
    if "pain_mean" in pain.columns:
        p = pain.loc[pain["pain_mean"].notna(), ["patient_id", "date", "pain_mean"]]
        other = pd.Series(dtype="int64")
    else:
        _require(pain, ("patient_id", "date", "pain"), "pain")
        p = pain_daily(pain)[["patient_id", "date", "pain_mean"]]
        if "scale" in pain.columns:
            off = pain["pain"].notna() & (pain["scale"].astype("string").fillna(NRS) != NRS)
            other = pain.loc[off, "patient_id"].astype("string").value_counts()
        else:
            other = pd.Series(dtype="int64")
    return p.assign(patient_id=p["patient_id"].astype("string")), other


def _seed_of(seed: int, patient: str, lag: int) -> np.random.Generator:
    """A generator per patient and lag: a patient's interval does not change when
    other patients are in the frame, and the same data give the same interval."""
    return np.random.default_rng([int(seed), zlib.crc32(str(patient).encode()), int(lag)])


def _t_quantile(df: int) -> float:
    from scipy import stats  # on first use: scipy costs ~1 s of import time

    return float(stats.t.ppf(0.975, df))


def dose_pain_association(
    daily: pd.DataFrame,
    pain: pd.DataFrame,
    *,
    lags: Sequence[int] = (0, 1, 2),
    n_boot: int = 2000,
    seed: int = 0,
    min_days: int = MIN_DAYS,
    min_each: int = MIN_EACH,
) -> pd.DataFrame:
    """Pain after days the program was done in full, against the other days of that week.

    Each dose day (a day on which the prescription in force asks for exercises) is
    paired with the daily pain ``lag`` calendar days later; days whose partner has
    no rating are left out. A day is **done** when every exercise prescribed that
    day was met (``exercises_met == exercises_prescribed`` of
    :func:`~backrx_analysis.analysis.adherence.daily_adherence`; the minutes do not
    enter). Days prescribing nothing are not dose days; a day whose repetitions are
    unknown (an entry without them) and not met for sure is left out.

    The **effect** is the within-week difference: inside each calendar week (Monday
    to Sunday, the week of the pain day) the mean pain of the days after a done day
    minus that of the other days, averaged over the weeks with days of both kinds,
    each weighted by ``k (n - k) / n`` (``n`` paired days, ``k`` done). This is the
    least-squares slope of pain on "done" with a level of its own for every week (a
    fixed-effects, within-person comparison): each day's pain is taken against its
    week's level, so a trend over the weeks, in pain or in adherence, cannot make an
    effect. The **95 % interval** is ``effect +- t * se``: ``se`` is the standard
    deviation of ``n_boot`` week-block bootstrap replicates (the ``G`` weeks with
    days of both kinds resampled with replacement, so days that hang together stay
    together; seeded per patient and lag), times ``sqrt(G / (G - 1))``, and ``t`` the
    97.5 % point of Student's t with ``G - 1`` degrees of freedom: with about ten
    weeks a plain percentile interval covers the truth only about 88 % of the time,
    this one about 95 % (``docs/metrics.md``).

    This is **association, not cause**.

    Parameters
    ----------
    daily : DataFrame
        Output of :func:`~backrx_analysis.analysis.adherence.daily_adherence`.
    pain : DataFrame
        A canonical pain frame (ratings on another scale than the 0-10 NRS are left
        out, and ``why`` says so when nothing is left), or a frame with
        ``pain_mean`` per ``patient_id`` and ``date`` (``pain_daily``, ``pain_trend``).
    lags : sequence of int
        Days from the program to the pain (0 the same day, 1 the next day, ...).
    n_boot : int
        Bootstrap replicates.
    seed : int
        Seed of the bootstrap (each patient and lag draws from its own stream).
    min_days, min_each : int
        The minimum-data rules: at least ``min_days`` (14) paired days, and at least
        ``min_each`` (3) with the program done and ``min_each`` without it, of which at
        least 2 weeks hold days of both kinds. Below any of them: ``too little data``,
        no effect and no interval (never an error).

    Returns
    -------
    DataFrame
        One row per patient (of either frame) and lag, sorted by ``patient_id`` then
        in the order of ``lags``, default index:

        ``patient_id`` (string)
        ``lag`` (int64)
            Days from the program to the pain.
        ``lag_label`` (string)
            ``same day``, ``next day``, ``two days later`` (``<k> days later``).
        ``effect`` (float64)
            Pain points: after days done in full minus other days, within weeks
            (negative: less pain). NaN when there is too little data.
        ``ci_low``, ``ci_high`` (float64)
            The 95 % week-block bootstrap interval (NaN with too little data).
        ``n_days`` (int64)
            Paired days.
        ``n_done``, ``n_not_done`` (int64)
            Paired days with the program done in full, and the others.
        ``n_weeks`` (int64)
            Weeks holding paired days of both kinds (what the comparison is made of).
        ``finding`` (string)
            ``lower`` / ``higher`` when the interval lies wholly below / above 0,
            ``no clear difference`` when it spans 0, ``too little data`` below the
            minimum.
        ``why`` (string)
            With too little data, which rule was not met; otherwise ``<NA>``.
        ``unadjusted_effect`` (float64)
            Mean pain after done days minus other days, **not** against the week's
            level (what two drifting series give; for comparison only).

    Examples
    --------
    >>> import backrx_analysis as bx
    >>> s, p = bx.load_sample()
    >>> a = bx.dose_pain_association(bx.daily_adherence(s), p, lags=(1,))
    >>> a["finding"].iloc[0] in bx.analysis.association.FINDINGS
    True
    """
    _require(daily, _DAILY, "daily adherence")
    lag_list = [int(x) for x in lags]
    bad = [x for x in lags if int(x) != x or int(x) < 0]
    if bad or not lag_list or int(n_boot) < 1:
        raise ValueError(f"dose_pain_association: lags must be whole days >= 0 (got "
                         f"{list(lags)!r}) and n_boot >= 1 (got {n_boot!r})")
    doses = _doses(daily)
    rated, other = _daily_pain(pain)
    patients = sorted(set(daily["patient_id"].dropna().astype(str))
                      | set(rated["patient_id"].dropna()) | set(other.index))
    pairs = []
    for lag in lag_list:
        later = rated.assign(date=rated["date"] - pd.Timedelta(days=lag))
        m = doses.merge(later, on=["patient_id", "date"], how="inner")
        pain_day = m["date"] + pd.Timedelta(days=lag)
        pairs.append(m.assign(lag=lag, week=(pain_day - pd.to_timedelta(
            pain_day.dt.day_of_week, unit="D")).to_numpy()))
    pairs = pd.concat(pairs, ignore_index=True)
    pairs["y_done"] = pairs["pain_mean"].where(pairs["done"], 0.0)

    # per patient, lag and week: days, done days, sums -> the within-week sums
    wk = pairs.groupby(["patient_id", "lag", "week"], sort=True).agg(
        n=("done", "size"), k=("done", "sum"), sy=("pain_mean", "sum"),
        sy_done=("y_done", "sum")).reset_index()
    n, k = wk["n"].to_numpy(float), wk["k"].to_numpy(float)
    wk["sxx"] = k * (n - k) / n
    wk["sxy"] = wk["sy_done"].to_numpy() - k * wk["sy"].to_numpy() / n
    wk["mixed"] = (k > 0) & (k < n)

    per = pairs.groupby(["patient_id", "lag"], sort=True).agg(
        n_days=("done", "size"), n_done=("done", "sum"), sy=("pain_mean", "sum"),
        sy_done=("y_done", "sum"))
    per["n_weeks"] = wk.groupby(["patient_id", "lag"])["mixed"].sum()
    index = pd.MultiIndex.from_product([pd.Index(patients, dtype="string"), lag_list],
                                       names=["patient_id", "lag"])
    out = per.reindex(index).fillna(0).reset_index()
    for col in ("n_days", "n_done", "n_weeks"):
        out[col] = out[col].astype(np.int64)
    out["n_not_done"] = out["n_days"] - out["n_done"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["unadjusted_effect"] = (out["sy_done"] / out["n_done"]
                                    - (out["sy"] - out["sy_done"]) / out["n_not_done"])
    out["why"] = _why(out, other, min_days, min_each)

    effect = np.full(len(out), np.nan)
    low, high = effect.copy(), effect.copy()
    groups = {key: g for key, g in wk[wk["mixed"]].groupby(["patient_id", "lag"], sort=False)}
    for i, (pid, lag, why) in enumerate(zip(out["patient_id"], out["lag"], out["why"],
                                            strict=True)):
        if not pd.isna(why):
            continue
        g = groups[(pid, lag)]
        sxy, sxx = g["sxy"].to_numpy(), g["sxx"].to_numpy()
        effect[i] = sxy.sum() / sxx.sum()
        weeks = len(g)
        draw = _seed_of(seed, pid, lag).integers(0, weeks, size=(int(n_boot), weeks))
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = sxy[draw].sum(axis=1) / sxx[draw].sum(axis=1)
        # a replicate of only weeks of one kind has no comparison: left out
        se = np.nanstd(boot, ddof=1) * np.sqrt(weeks / (weeks - 1))
        half = _t_quantile(weeks - 1) * se
        low[i], high[i] = effect[i] - half, effect[i] + half
    out["effect"], out["ci_low"], out["ci_high"] = effect, low, high
    finding = np.where(high < 0, "lower", np.where(low > 0, "higher", "no clear difference"))
    out["finding"] = pd.array(np.where(out["why"].isna(), finding, "too little data"),
                              dtype="string")
    out["lag_label"] = pd.array([_lag_label(x) for x in out["lag"]], dtype="string")
    out["patient_id"] = out["patient_id"].astype("string")
    out["lag"] = out["lag"].astype(np.int64)
    order = {lag: i for i, lag in enumerate(lag_list)}
    out = out.sort_values(["patient_id", "lag"], key=lambda s: s.map(order) if s.name == "lag"
                          else s, kind="stable")
    return out[["patient_id", "lag", "lag_label", "effect", "ci_low", "ci_high", "n_days",
                "n_done", "n_not_done", "n_weeks", "finding", "why",
                "unadjusted_effect"]].reset_index(drop=True)


def _why(out: pd.DataFrame, other: pd.Series, min_days: int, min_each: int) -> pd.Series:
    """The first minimum-data rule each patient and lag does not meet, in words."""
    whys = []
    for r in out.itertuples(index=False):
        gap = {0: " that day", 1: " the next day"}.get(r.lag, f" {_lag_label(r.lag)}")
        days = f"{r.n_days} paired day{'' if r.n_days == 1 else 's'}"
        if r.n_days == 0 and other.get(r.patient_id, 0):
            whys.append(f"no 0-10 pain ratings ({int(other[r.patient_id])} on another scale "
                        f"left out: their points are not NRS points)")
        elif r.n_days < min_days:
            whys.append(f"{days} (a day with exercises prescribed and a pain rating{gap}); "
                        f"at least {min_days} are needed")
        elif r.n_done < min_each or r.n_not_done < min_each:
            whys.append(f"{r.n_done} days with the program done in full and {r.n_not_done} "
                        f"without; at least {min_each} of each are needed")
        elif r.n_weeks < MIN_WEEKS:
            whys.append(f"{r.n_weeks} week(s) with days both with and without the program; "
                        f"at least {MIN_WEEKS} are needed")
        else:
            whys.append(None)
    return pd.Series(pd.array(whys, dtype="string"), index=out.index)
