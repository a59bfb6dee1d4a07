"""A caseload's "needs attention" list: the patients to look at first, and why.

:func:`needs_attention` applies six documented rules (``docs/metrics.md``, "Needs
attention") to the frames the other analysis functions return (``pain_trend``,
``daily_adherence``, ``weekly_adherence``, ``outcomes_trend``, ``scale_daily``), on a
day ``as_of``, and gives one row per flag: the patient, the rule, the day and one line
of plain words with the numbers. The rules themselves (what a flare is, what is
adherent, what a worse questionnaire is) are those functions'; this module only
chooses the windows and the thresholds of the list.

Examples
--------
>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample(caseload=True)
>>> flags = bx.needs_attention(sessions, pain)
>>> list(flags.columns)
['patient_id', 'rule', 'date', 'why']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..prescriptions import Prescriptions
from ._frames import TOLERANCE, _to_day
from .adherence import daily_adherence, weekly_adherence
from .pain import scale_daily
from .patient import Analysis, as_analysis

__all__ = ["ATTENTION_COLUMNS", "ATTENTION_RULES", "needs_attention"]

#: The ``rule`` values, most urgent first (the order of the list).
ATTENTION_RULES = ("pain_high", "pain_rise", "function_worse", "not_logged",
                   "adherence_drop", "adherence_low", "too_little_data")
#: Columns of :func:`needs_attention`.
ATTENTION_COLUMNS = ("patient_id", "rule", "date", "why")
#: questionnaire -> how it is named in a line
_NAMES = {"odi": "ODI", "rmdq": "RMDQ", "psfs": "PSFS"}
_DASH = "\u2013"


def _day(d: Any) -> str:
    d = pd.Timestamp(d)
    return f"{d.day} {d:%b}"


def _days(first: Any, last: Any) -> str:
    """``3 Nov``, ``3\u20134 Nov``, ``31 Oct\u20131 Nov``."""
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    if a == b:
        return _day(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}{_DASH}{_day(b)}"
    return f"{_day(a)}{_DASH}{_day(b)}"


def _n(x: float) -> str:
    """A pain value or score as people write it: 7, 6.5 (one decimal at most)."""
    return f"{round(float(x), 1):g}"


def _flag(pid: Any, rule: str, date: Any, why: str) -> dict:
    return {"patient_id": str(pid), "rule": rule, "date": pd.Timestamp(date), "why": why}


def _as_of(a: Analysis, as_of: Any) -> pd.Timestamp | None:
    if as_of is not None:  # a bad date: AnalysisInputError naming it
        return pd.Timestamp(np.datetime64(_to_day(as_of, "as_of"), "D"))
    if a.end is not None:
        return a.end.normalize()
    days = [pd.to_datetime(f["date"]).max() for f in (a.sessions, a.pain) if len(f)]
    days = [d for d in days if not pd.isna(d)]
    return max(days).normalize() if days else None


# -- the rules ----------------------------------------------------------------------


def _pain_high(trend: pd.DataFrame, since: pd.Timestamp, level: float, days: int,
               window: int) -> list[dict]:
    """Runs of ``days`` or more calendar days in a row with daily pain >= ``level``
    (NRS), ending in the window; the latest run per patient."""
    t = trend.sort_values(["patient_id", "date"], kind="stable")
    high = (t["pain_mean"].to_numpy(dtype=float) >= level - TOLERANCE)
    pid = t["patient_id"].astype(str).to_numpy()
    same = np.r_[False, pid[1:] == pid[:-1]]
    prev_high = np.r_[False, high[:-1]]
    run = np.cumsum(high & ~(prev_high & same))
    runs = pd.DataFrame({"patient_id": pid, "date": t["date"].to_numpy(),
                         "pain": t["pain_mean"].to_numpy(dtype=float), "run": run})[high]
    out = []
    for p, part in runs.groupby("patient_id", sort=True):
        g = part.groupby("run", sort=True)
        ends = g["date"].max()
        long = g.size() >= days
        ok = ends[long & (ends >= since)]
        if not len(ok):
            continue
        last = part[part["run"] == ok.index[-1]]
        why = (f"pain {level:g} or more on {len(last)} days in a row "
               f"({', '.join(_n(v) for v in last['pain'])} on "
               f"{_days(last['date'].iloc[0], last['date'].iloc[-1])})")
        if len(ok) > 1:
            why += f"; {len(ok)} such runs in the last {window} days"
        out.append(_flag(p, "pain_high", last["date"].iloc[-1], why))
    return out


def _pain_rise(trend: pd.DataFrame, since: pd.Timestamp, before: int, window: int
               ) -> list[dict]:
    """pain_trend's flare days (daily pain ``program.pain.flare_points`` above the mean
    of the ``before`` days before it) in the window; the latest per patient. The mean
    is worked out again for the line only: the flag is pain_trend's."""
    out = []
    for p, t in trend.groupby("patient_id", sort=True):
        flares = t[t["flare"].to_numpy(dtype=bool) & (t["date"] >= since).to_numpy()]
        if not len(flares):
            continue
        day = flares.iloc[-1]
        prior = t[(t["date"] < day["date"]) & (t["date"] >= day["date"] - pd.Timedelta(
            days=before))]["pain_mean"].dropna()
        mean = float(prior.mean())
        why = (f"pain {_n(day['pain_mean'])} on {_day(day['date'])}, "
               f"{_n(day['pain_mean'] - mean)} points above the mean of the {before} days "
               f"before ({_n(mean)})")
        if len(flares) > 1:
            why += f"; {len(flares)} such days in the last {window} days"
        out.append(_flag(p, "pain_rise", day["date"], why))
    return out


def _function_worse(trend: pd.DataFrame, since: pd.Timestamp) -> list[dict]:
    """The latest scored visit of each questionnaire, in the window, scored ``worse``."""
    out = []
    scored = trend[trend["scored"].to_numpy(dtype=bool)].sort_values("date", kind="stable")
    for (p, q), g in scored.groupby(["patient_id", "questionnaire"], sort=True):
        r = g.iloc[-1]
        if q not in _NAMES or r["date"] < since or str(r["status"]) != "worse":
            continue
        way = "below" if q == "psfs" else "above"  # PSFS: higher is better
        out.append(_flag(p, "function_worse", r["date"], (
            f"{_NAMES[q]} {_n(r['score'])} on {_day(r['date'])}, {_n(abs(r['change']))} "
            f"points {way} the first ({_n(r['baseline'])} on {_day(r['baseline_date'])}): "
            f"worse by the change that matters ({r['status_by']})")))
    return out


def _not_logged(daily: pd.DataFrame, program: Any, as_of: pd.Timestamp, gap: int
                ) -> list[dict]:
    """The prescribed days with nothing in the exercise log since the last entry, up
    to ``as_of``: ``gap`` of them, or all the prescribed days of a week when the
    version in force prescribes fewer than ``gap`` days a week."""
    out = []
    history = isinstance(program, Prescriptions)
    for p, d in daily.groupby("patient_id", sort=True):
        logged = d["logged"].to_numpy(dtype=bool)
        last = d["date"].iloc[int(np.flatnonzero(logged)[-1])] if logged.any() else None
        after = d[d["date"] > last] if last is not None else d
        silent = after[after["prescribed"].to_numpy(dtype=bool)]
        need = gap
        if history:
            v = program.in_force(str(p), as_of.date())
            week = 7 if v is None or v.days is None else len(v.days)
            need = min(gap, week)
        if need < 1 or len(silent) < need:
            continue
        which = "prescribed days" if history else "days"
        why = (f"nothing in the exercise log on the last {len(silent)} {which} "
               f"({_days(silent['date'].iloc[0], silent['date'].iloc[-1])})")
        why += f"; the last entry on {_day(last)}" if last is not None else ""
        out.append(_flag(p, "not_logged", as_of, why))
    return out


def _adherent_days(daily: pd.DataFrame, **by: np.ndarray) -> pd.DataFrame:
    """Per patient (and each extra key of ``by``): ``yes``, the fully adherent days,
    and ``known``, the days judged (something was prescribed)."""
    fa = pd.array(daily["fully_adherent"], dtype="boolean")
    frame = pd.DataFrame({"patient_id": daily["patient_id"].astype(str).to_numpy(), **by,
                          "yes": fa.fillna(False).to_numpy(dtype=bool),
                          "known": ~np.asarray(fa.isna(), dtype=bool)})
    return frame.groupby(["patient_id", *by], sort=True).sum()


def _adherence_drop(daily: pd.DataFrame, as_of: pd.Timestamp, points: float) -> list[dict]:
    """The share of fully adherent days of the last complete ISO week against the week
    before (:func:`weekly_adherence`, one row a week even when the version changed)."""
    weekly = weekly_adherence(daily.drop(columns=["version"], errors="ignore"))
    weekly = weekly[weekly["week_start"] + pd.Timedelta(days=6) <= as_of]
    monday = daily["date"] - pd.to_timedelta(daily["date"].dt.day_of_week, unit="D")
    counts = _adherent_days(daily, week=monday.to_numpy())
    out = []
    for p, w in weekly.groupby("patient_id", sort=True):
        if len(w) < 2:
            continue
        prev, last = w.iloc[-2], w.iloc[-1]
        if last["week_start"] - prev["week_start"] != pd.Timedelta(days=7):
            continue
        a, b = prev["fully_adherent_pct"], last["fully_adherent_pct"]
        if pd.isna(a) or pd.isna(b) or a - b < points - TOLERANCE:
            continue
        ca, cb = counts.loc[(str(p), prev["week_start"])], counts.loc[(str(p), last["week_start"])]
        out.append(_flag(p, "adherence_drop", last["week_start"] + pd.Timedelta(days=6), (
            f"fully adherent on {cb['yes']} of {cb['known']} days in the week of "
            f"{_day(last['week_start'])} ({b:.0f} %), {ca['yes']} of {ca['known']} "
            f"({a:.0f} %) the week before: {a - b:.0f} points down")))
    return out


def _adherence_low(daily: pd.DataFrame, as_of: pd.Timestamp, pct: float, weeks: int
                   ) -> list[dict]:
    """Fully adherent on fewer than ``pct`` % of the judged days (days something was
    prescribed) of the last ``weeks`` complete ISO weeks, with at least a week of
    judged days: low adherence that never dropped, which the week-over-week rule
    cannot see."""
    end = as_of - pd.Timedelta(days=(as_of.day_of_week + 1) % 7)  # the last Sunday
    start = end - pd.Timedelta(days=7 * weeks - 1)
    counts = _adherent_days(daily[(daily["date"] >= start) & (daily["date"] <= end)])
    out = []
    for p, c in counts.iterrows():
        share = 100.0 * c["yes"] / c["known"] if c["known"] else None
        if c["known"] < 7 or share is None or share >= pct - TOLERANCE:
            continue
        out.append(_flag(p, "adherence_low", end, (
            f"fully adherent on {c['yes']} of {c['known']} days in the {weeks} weeks "
            f"{_days(start, end)} ({share:.0f} %); under {pct:g} %")))
    return out


def _too_little_data(daily: pd.DataFrame, trend: pd.DataFrame, pain: pd.DataFrame,
                     as_of: pd.Timestamp, need: int, window: int) -> list[dict]:
    """Days with any entry (exercise log, pain on any scale) in the ``window`` days
    ending on ``as_of``, for patients whose first entry is at least that long ago."""
    other = scale_daily(pain)
    days = pd.concat([
        daily.loc[daily["logged"].to_numpy(dtype=bool), ["patient_id", "date"]],
        trend.loc[trend["n_ratings"].to_numpy() > 0, ["patient_id", "date"]],
        other.loc[other["date"] <= as_of, ["patient_id", "date"]],
    ]).astype({"patient_id": str}).drop_duplicates()
    start = as_of - pd.Timedelta(days=window - 1)
    out = []
    for p, d in days.groupby("patient_id", sort=True):
        if d["date"].min() > start:  # newer than the window: not judged by this rule
            continue
        n = int((d["date"] >= start).sum())
        if n >= need:
            continue
        out.append(_flag(p, "too_little_data", as_of, (
            f"entries on {n} of the last {window} days ({_days(start, as_of)}); "
            f"{need} are needed to judge (the US remote-monitoring bar)")))
    return out


# -- the list -----------------------------------------------------------------------


def needs_attention(
    sessions: pd.DataFrame | Analysis,
    pain: pd.DataFrame | None = None,
    *,
    as_of: Any = None,
    program: Any = None,
    outcomes: pd.DataFrame | None = None,
    high_pain: float = 7.0,
    high_pain_days: int = 2,
    pain_window: int = 14,
    gap_days: int = 3,
    drop_points: float = 20.0,
    low_pct: float = 10.0,
    low_weeks: int = 2,
    min_days: int = 16,
    data_window: int = 30,
    outcome_window: int = 42,
) -> pd.DataFrame:
    """The patients of a caseload to look at first: one row per flag, most urgent first.

    Parameters
    ----------
    sessions, pain : DataFrame
        Canonical frames of the caseload, or one :class:`~.patient.Analysis` in place
        of both (then ``program`` and ``outcomes`` are the analysis's).
    as_of : date-like, optional
        The day the list is for; entries after it are not looked at. Default: the
        analysis's ``end`` when it has one, else the last day in the caseload's
        session and pain logs (one day for every patient, so a patient who stopped
        logging is seen to have stopped).
    program : Program or Prescriptions, optional
        What each day is measured against (default program). Its ``pain`` rules give
        the rise that is a flare (``flare_points``, 2, over ``flare_window``, 7 days)
        and its ``outcomes`` rules the questionnaires' change that matters.
    outcomes : DataFrame, optional
        Function questionnaires (:func:`~backrx_analysis.load_outcomes`).
    high_pain, high_pain_days : float, int
        ``pain_high``: daily NRS pain of ``high_pain`` (7) or more on ``high_pain_days``
        (2) calendar days in a row.
    pain_window : int
        ``pain_high`` and ``pain_rise`` look at the ``pain_window`` (14) days ending on
        ``as_of`` (a run or flare day ending in them).
    gap_days : int
        ``not_logged``: nothing in the exercise log on ``gap_days`` (3) prescribed days
        since the last entry (all the prescribed days of a week when the version in
        force prescribes fewer).
    drop_points : float
        ``adherence_drop``: fully adherent days down ``drop_points`` (20) percentage
        points from the week before to the last complete ISO week.
    low_pct, low_weeks : float, int
        ``adherence_low``: fully adherent on fewer than ``low_pct`` (10) % of the days
        something was prescribed in the last ``low_weeks`` (2) complete ISO weeks (at
        least 7 such days): adherence that stays low never drops.
    min_days, data_window : int
        ``too_little_data``: fewer than ``min_days`` (16) days with any entry in the
        ``data_window`` (30) days ending on ``as_of``.
    outcome_window : int
        ``function_worse`` looks at each questionnaire's latest scored visit when it is
        within the ``outcome_window`` (42) days ending on ``as_of``.

    Returns
    -------
    DataFrame
        One row per flag (at most one per patient and rule, and for ``function_worse``
        one per questionnaire), the patients ordered by
        their most urgent rule (the order of :data:`ATTENTION_RULES`), then by how
        many flags they have (more first), then by id; a patient's flags most urgent
        first. Default index:

        ``patient_id`` (string)
        ``rule`` (categorical, the categories :data:`ATTENTION_RULES`)
            ``pain_high``, ``pain_rise``, ``function_worse``, ``not_logged``,
            ``adherence_drop``, ``adherence_low``, ``too_little_data``.
        ``date`` (datetime64[ns])
            The latest day of what the flag rests on: the last day of the run of high
            pain, the flare day, the visit, ``as_of`` for a gap and for too little
            data, the Sunday of the week whose adherence dropped.
        ``why`` (string)
            One line of plain words with the numbers, e.g. "pain 7 or more on 2 days
            in a row (7, 8 on 3\u20134 Nov)".

        ``attrs["as_of"]`` is the day the list is for (a Timestamp; ``None`` when the
        logs are empty).

    Raises
    ------
    AnalysisInputError
        ``as_of`` is not a date.

    Examples
    --------
    >>> import backrx_analysis as bx
    >>> sessions, pain = bx.load_sample(caseload=True)
    >>> flags = bx.needs_attention(sessions, pain, as_of="2026-04-10")
    >>> flags.iloc[0].tolist()[:2], flags.iloc[0]["why"]
    (['P02', 'pain_high'], 'pain 7 or more on 2 days in a row (8.5, 7 on 1\u20132 Apr)')
    """
    a = as_analysis(sessions, pain, program=program, outcomes=outcomes)
    program = a.program
    day = _as_of(a, as_of)
    flags: list[dict] = []
    if day is not None:
        trend = a.trend[a.trend["date"] <= day]
        pain_since = day - pd.Timedelta(days=pain_window - 1)
        flags += _pain_high(trend, pain_since, high_pain, high_pain_days, pain_window)
        flags += _pain_rise(trend, pain_since, program.pain.flare_window, pain_window)
        if a.outcomes is not None:
            ot = a.outcomes_trend
            flags += _function_worse(ot[ot["date"] <= day],
                                     day - pd.Timedelta(days=outcome_window - 1))
        daily = (a.daily if a.start is None and a.end is not None and a.end == day
                 else daily_adherence(a.sessions, program=program, end=day))
        flags += _not_logged(daily, program, day, gap_days)
        flags += _adherence_drop(daily, day, drop_points)
        flags += _adherence_low(daily, day, low_pct, low_weeks)
        p = a.pain[pd.to_datetime(a.pain["date"]) <= day]
        flags += _too_little_data(daily, trend, p, day, min_days, data_window)
    out = _ordered(flags)
    out.attrs["as_of"] = day
    return out


def _ordered(flags: list[dict]) -> pd.DataFrame:
    f = pd.DataFrame(flags, columns=list(ATTENTION_COLUMNS))
    rank = f["rule"].map({r: i for i, r in enumerate(ATTENTION_RULES)}).astype("int64")
    f["_rank"] = rank
    f["_first"] = rank.groupby(f["patient_id"]).transform("min")
    f["_n"] = -rank.groupby(f["patient_id"]).transform("size")
    f = f.sort_values(["_first", "_n", "patient_id", "_rank"], kind="stable").reset_index(
        drop=True)
    return pd.DataFrame({
        "patient_id": pd.array(f["patient_id"], dtype="string"),
        "rule": pd.Categorical(f["rule"], categories=list(ATTENTION_RULES)),
        "date": pd.to_datetime(f["date"]).to_numpy(dtype="datetime64[ns]"),
        "why": pd.array(f["why"], dtype="string"),
    })
