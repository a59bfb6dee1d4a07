"""One row per patient: adherence over the period and where pain stands at its end.

:func:`summarize` from the canonical frames, :func:`summary_of` from the daily
adherence and pain trend frames already computed (what
:class:`~backrx_analysis.analysis.patient.Analysis` does). The rules are in
``docs/metrics.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..program import Program, default_program
from ._frames import TOLERANCE, _days_to_dates, _period
from .adherence import daily_adherence
from .outcomes import outcomes_trend, with_outcomes
from .pain import PAIN_STATUSES, pain_status, pain_trend
from .weekly import _exercise_ids_of, streaks

__all__ = ["summarize", "summary_of"]

_PAIN_NUMBERS = {"pain_baseline", "pain_last7", "pain_change", "pain_change_pct"}


def summarize(
    sessions: pd.DataFrame,
    pain: pd.DataFrame,
    *,
    program: Program | None = None,
    start: Any = None,
    end: Any = None,
    outcomes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per patient: adherence over the period and where pain stands at its end
    (and, with ``outcomes``, the latest score and status of each questionnaire:
    ``odi_score``, ``odi_status``, ... ``ears_score``).

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
        ``days_prescribed`` (Int64)
            Days a prescription version was in force and prescribed something (every
            day of a plain program): the percentages are over these days.
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
    out = summary_of(daily, pain_trend(pain, program=program), program=program, start=start,
                     end=end)
    if outcomes is None:
        return out
    return with_outcomes(out, outcomes_trend(outcomes, program=program), end=end)


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
        "days_prescribed": (g["prescribed"].sum() if "prescribed" in daily.columns
                            else g.size()),
        "fully_adherent_pct": g["fully_adherent"].mean() * 100,
        **{f"{i}_met_pct": g[f"met_{i}"].mean() * 100 for i in ids},
        # over the prescribed days (every day of a plain program)
        "exercise_minutes_mean": (daily["exercise_minutes"].where(daily["prescribed"])
                                  if "prescribed" in daily.columns
                                  else daily["exercise_minutes"]).groupby(
            daily["patient_id"], sort=True).mean(),
        # a day whose minutes are unknown is left out, as in weekly_adherence
        "minutes_in_range_pct": (daily["minutes_status"] == "in_range")
        .where(daily["minutes_status"].notna()).astype(float)
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
    ints = ["days", "days_logged", "days_prescribed", "minutes_over_days", "flare_days",
            "current_streak",
            "longest_streak"]
    for col in out.columns:
        if col in ints:
            out[col] = pd.array(out[col].to_numpy(dtype=float, na_value=np.nan)).astype("Int64")
        elif col.endswith(("_pct", "_mean")) or col in _PAIN_NUMBERS:
            out[col] = pd.array(out[col].to_numpy(dtype=float, na_value=np.nan),
                                dtype="Float64")
    out["patient_id"] = out["patient_id"].astype("string")
    out["pain_status"] = pd.Categorical(out["pain_status"], categories=list(PAIN_STATUSES))
    order = ["patient_id", "start", "end", "days", "days_logged", "days_prescribed",
             "fully_adherent_pct",
             *[f"{i}_met_pct" for i in ids], "exercise_minutes_mean", "minutes_in_range_pct",
             "minutes_over_days", "walk_met_pct", "pain_baseline", "pain_last7", "pain_change",
             "pain_change_pct", "pain_status", "flare_days", "current_streak",
             "longest_streak"]
    return out[order]
