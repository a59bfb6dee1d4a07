"""One patient's (or a caseload's) analysis for a period, each frame computed once.

:func:`analyze` returns an :class:`Analysis`: the canonical frames, the program and
the period, with the frames every consumer needs (daily and weekly adherence, the
pain trend, streaks, the summary, the exercise / next-day pain association) computed
on first use and kept. The report's pages, the charts' figure-level functions, the
dashboard and the CLI take one and read what they need from it, so nothing is
computed twice for one output. The frame-in, frame-out functions of
:mod:`.adherence`, :mod:`.pain` and :mod:`.combined` stay the way to compute any of
these alone.

Examples
--------
>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample()
>>> a = bx.analyze(sessions, pain)
>>> a.daily is a.daily                     # computed once, then kept
True
>>> a.patient_ids
['sample']
>>> round(float(a.summary["fully_adherent_pct"].iloc[0]), 1) == round(
...     float(bx.summarize(sessions, pain)["fully_adherent_pct"].iloc[0]), 1)
True
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import pandas as pd

from ..program import Program, default_program
from ._frames import _period
from .adherence import daily_adherence, streaks, weekly_adherence
from .association import dose_pain_association
from .combined import (
    MIN_PAIRED_DAYS,
    InsufficientDataError,
    adherence_vs_pain,
    lagged_association,
)
from .outcomes import outcomes_trend, with_outcomes
from .pain import pain_trend
from .summary import summary_of
from .weekly import by_version

__all__ = ["Analysis", "analysis_and_target", "analyze", "as_analysis", "select_patient", "span_of"]


def select_patient(sessions: pd.DataFrame, pain: pd.DataFrame, patient_id: str | None
                   ) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """The one patient to draw or report, and that patient's rows of both frames.

    With several patients in the frames ``patient_id`` is required; the error lists
    the ids there are.
    """
    ids = _ids(sessions, pain)
    if patient_id is None:
        if len(ids) > 1:
            raise ValueError(
                f"the logs hold {len(ids)} patients ({', '.join(ids)}); pass patient_id= "
                f"one of them"
            )
        if not ids:
            raise ValueError("the sessions and pain frames are both empty: nothing to draw")
        patient_id = ids[0]
    elif str(patient_id) not in ids:
        raise ValueError(f"patient_id {patient_id!r} is not in the logs; they hold: "
                         f"{', '.join(ids) or 'no patient'}")
    pid = str(patient_id)
    s = sessions.loc[sessions["patient_id"] == pid] if len(ids) > 1 else sessions
    p = pain.loc[pain["patient_id"] == pid] if len(ids) > 1 else pain
    return pid, s, p


def span_of(daily: pd.DataFrame, trend: pd.DataFrame, start: Any, end: Any
            ) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last day shown: ``start``/``end``, else the adherence span, else the
    pain span (pain ratings outside the session log do not stretch it)."""
    first = pd.Timestamp(start) if start is not None else None
    last = pd.Timestamp(end) if end is not None else None
    for frame in (daily, trend):
        if len(frame):
            first = first if first is not None else frame["date"].min()
            last = last if last is not None else frame["date"].max()
    return first, last


def _ids(sessions: pd.DataFrame, pain: pd.DataFrame) -> list[str]:
    return sorted({str(i) for f in (sessions, pain) for i in pd.unique(f["patient_id"].dropna())})


class Analysis:
    """The analysis of the given logs under a program for a period, computed lazily, once.

    Make one with :func:`analyze`. Every attribute below is computed on first use
    and kept; the frames are those of the library's functions, unchanged.

    Attributes
    ----------
    sessions, pain : DataFrame
        The canonical frames analysed (all their patients).
    program : Program
        The prescription measured.
    start, end : Timestamp or None
        The period asked for (``None``: the span of the logs).
    daily : DataFrame
        :func:`~backrx_analysis.analysis.adherence.daily_adherence` of the period.
    weekly : DataFrame
        :func:`~backrx_analysis.analysis.adherence.weekly_adherence` of ``daily``.
    streaks : DataFrame
        :func:`~backrx_analysis.analysis.adherence.streaks` of ``daily``.
    trend : DataFrame
        :func:`~backrx_analysis.analysis.pain.pain_trend` of the whole pain log (the
        baseline is always that of the whole log), with the program's window.
    summary : DataFrame
        :func:`~backrx_analysis.analysis.combined.summarize` of the period, one row per
        patient.
    together : DataFrame
        :func:`~backrx_analysis.analysis.combined.adherence_vs_pain` of ``daily`` and
        ``trend``, cut to the period.
    association : DataFrame or None
        :func:`~backrx_analysis.analysis.combined.lagged_association` (exercise dose and
        next-day pain), or ``None`` when there are too few paired days; then
        ``association_problem`` says why in a sentence (the raw, unadjusted correlation).
    dose_association : DataFrame
        :func:`~backrx_analysis.analysis.association.dose_pain_association` of ``daily``
        and the pain log, lags 0-2: what the report says about exercise and pain.
    patient_ids : list of str
        The patients in either frame.
    first, last : Timestamp or None
        The days shown: ``start``/``end``, else the adherence span, else the pain span.
    """

    def __init__(self, sessions: pd.DataFrame, pain: pd.DataFrame, *,
                 program: Program | None = None, start: Any = None, end: Any = None,
                 outcomes: pd.DataFrame | None = None):
        _period(start, end)  # a bad date or an end before the start fails here, once
        self.sessions = sessions
        self.pain = pain
        self.outcomes = outcomes  # questionnaires (bx.load_outcomes), or None
        self.program = program or default_program()
        self.start = pd.Timestamp(start) if start is not None else None
        self.end = pd.Timestamp(end) if end is not None else None
        self._patients: dict[str, Analysis] = {}
        self._trends: dict[int, pd.DataFrame] = {}
        self._periods: dict[tuple, Analysis] = {}  # (start, end, program) -> its analysis
        self._programs: dict[int, Analysis] = {}  # id(program) -> the whole span under it

    def __repr__(self) -> str:
        period = "the logs' span" if self.start is None and self.end is None else (
            f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}" if self.start is not None
            and self.end is not None else f"start={self.start}, end={self.end}")
        return (f"<Analysis of {len(self.patient_ids)} patient(s), {len(self.sessions)} entries, "
                f"{len(self.pain)} ratings, {period}>")

    # -- the frames ------------------------------------------------------------------
    @cached_property
    def daily(self) -> pd.DataFrame:
        return daily_adherence(self.sessions, program=self.program, start=self.start,
                               end=self.end)

    @cached_property
    def weekly(self) -> pd.DataFrame:
        return weekly_adherence(self.daily)

    @cached_property
    def streaks(self) -> pd.DataFrame:
        return streaks(self.daily)

    @cached_property
    def by_version(self) -> pd.DataFrame:
        """Adherence per prescription version (:func:`~.weekly.by_version`; empty for a
        plain program)."""
        return by_version(self.daily)

    @cached_property
    def trend(self) -> pd.DataFrame:
        return self.trend_for(None)

    def trend_for(self, window: int | None) -> pd.DataFrame:
        """The pain trend with another trailing window (the dashboard's slider); kept
        per window. ``None`` is the program's window."""
        key = int(window or self.program.pain.window)
        if key not in self._trends:
            self._trends[key] = pain_trend(self.pain, window=key, program=self.program)
        return self._trends[key]

    @cached_property
    def summary(self) -> pd.DataFrame:
        out = summary_of(self.daily, self.trend, program=self.program, start=self.start,
                         end=self.end)
        if self.outcomes is None:
            return out
        # the latest score and status of each questionnaire, on or before the period's end
        return with_outcomes(out, self.outcomes_trend, end=self.end)

    @cached_property
    def outcomes_trend(self) -> pd.DataFrame:
        """:func:`~backrx_analysis.analysis.outcomes.outcomes_trend` of the questionnaires
        (empty without them)."""
        if self.outcomes is None:
            return outcomes_trend(self._outcomes_empty(), program=self.program)
        return outcomes_trend(self.outcomes, program=self.program)

    @staticmethod
    def _outcomes_empty() -> pd.DataFrame:
        from ..io.outcomes import OUTCOMES_COLUMNS, outcomes_dtypes

        d = outcomes_dtypes()
        return pd.DataFrame({c: pd.Series([], dtype=d[c]) for c in OUTCOMES_COLUMNS})

    @cached_property
    def together(self) -> pd.DataFrame:
        """Daily adherence and the pain trend side by side
        (:func:`~backrx_analysis.analysis.combined.adherence_vs_pain`), cut to the period
        when one was asked for (pain days outside it are left out)."""
        frame = adherence_vs_pain(self.daily, self.trend, program=self.program)
        if self.start is not None or self.end is not None:
            lo = self.start if self.start is not None else frame["date"].min()
            hi = self.end if self.end is not None else frame["date"].max()
            frame = frame[frame["date"].between(lo, hi)].reset_index(drop=True)
        return frame

    @cached_property
    def _association(self) -> tuple[pd.DataFrame | None, str | None]:
        try:
            return lagged_association(self.daily, self.pain, lag=1), None
        except InsufficientDataError:
            return None, (f"Too few paired days to look at exercise and next-day pain together "
                          f"(at least {MIN_PAIRED_DAYS} days with exercise logged and a pain "
                          f"rating the next day are needed).")

    @cached_property
    def dose_association(self) -> pd.DataFrame:
        return dose_pain_association(self.daily, self.pain)

    @property
    def association(self) -> pd.DataFrame | None:
        return self._association[0]

    @property
    def association_problem(self) -> str | None:
        return self._association[1]

    # -- who and when ----------------------------------------------------------------
    @cached_property
    def patient_ids(self) -> list[str]:
        return _ids(self.sessions, self.pain)

    @cached_property
    def _span(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        return span_of(self.daily, self.trend, self.start, self.end)

    @property
    def first(self) -> pd.Timestamp | None:
        return self._span[0]

    @property
    def last(self) -> pd.Timestamp | None:
        return self._span[1]

    # -- parts -----------------------------------------------------------------------
    def patient(self, patient_id: str | None = None) -> Analysis:
        """The analysis of one patient (same program and period), kept per patient.

        ``patient_id`` may be left out when the logs hold one patient; otherwise a
        ``ValueError`` lists the ids there are.
        """
        pid, s, p = select_patient(self.sessions, self.pain, patient_id)
        if len(self.patient_ids) == 1:
            return self
        if pid not in self._patients:
            o = self.outcomes
            if o is not None:
                o = o.loc[o["patient_id"].astype(str) == str(pid)].reset_index(drop=True)
            self._patients[pid] = Analysis(s, p, program=self.program, start=self.start,
                                           end=self.end, outcomes=o)
        return self._patients[pid]

    def between(self, start: Any, end: Any, *, program: Program | None = None) -> Analysis:
        """The same logs over another period (and, optionally, another program, such
        as the program restricted to some exercises), kept per choice.

        Inside the span already computed, ``daily`` is cut from this analysis's
        whole-span daily frame of that program instead of being computed again (the
        days are the same: each day's adherence depends on that day's entries only);
        the pain trend is shared (its baseline is that of the whole log).
        """
        program = program or self.program
        start, end = pd.Timestamp(start), pd.Timestamp(end)
        key = (start, end, tuple(program.exercise_ids), id(program))
        if key in self._periods:
            return self._periods[key]
        whole = self if program is self.program else self._with_program(program)
        part = Analysis(self.sessions, self.pain, program=program, start=start, end=end,
                        outcomes=self.outcomes)
        if program.pain == self.program.pain:
            part._trends = self._trends
        if whole.start is None and whole.end is None and len(whole.daily):
            days = whole.daily["date"]
            if start >= days.min() and end <= days.max() and len(whole.patient_ids) == 1:
                part.daily = whole.daily[days.between(start, end)].reset_index(drop=True)
        if len(self._periods) > 64:  # a session of many date changes: keep the latest
            self._periods.pop(next(iter(self._periods)))
        self._periods[key] = part
        return part

    def _with_program(self, program: Program) -> Analysis:
        key = id(program)  # the program is kept alive by the analysis stored with it
        if key not in self._programs:
            other = Analysis(self.sessions, self.pain, program=program, start=self.start,
                             end=self.end, outcomes=self.outcomes)
            if program.pain == self.program.pain:
                other._trends = self._trends
            self._programs[key] = other
        return self._programs[key]


def as_analysis(data: pd.DataFrame | Analysis, pain: pd.DataFrame | None = None, *,
                program: Program | None = None, start: Any = None, end: Any = None,
                outcomes: pd.DataFrame | None = None) -> Analysis:
    """The :class:`Analysis` a consumer works from: ``data`` itself when it is one
    (then ``pain``, ``program``, ``start`` and ``end`` must be left out or agree with
    it: the analysis already fixed them), else :func:`analyze` of the two frames."""
    if isinstance(data, Analysis):
        clash = [name for name, given, held in (
            ("pain", pain, None), ("outcomes", outcomes, None), ("program", program, data.program),
            ("start", start, data.start), ("end", end, data.end))
            if given is not None and not (name not in ("pain", "outcomes")
                                          and _same(given, held))]
        if clash:
            raise ValueError(f"an Analysis already fixes its logs, program and period: leave out "
                             f"{', '.join(clash)} (or pass them to bx.analyze)")
        return data
    if pain is None:
        raise TypeError("pass the sessions and pain frames, or one Analysis (bx.analyze)")
    return Analysis(data, pain, program=program, start=start, end=end, outcomes=outcomes)


def analysis_and_target(data: pd.DataFrame | Analysis, pain: Any, target: Any, *, what: str,
                        program: Program | None = None, start: Any = None, end: Any = None,
                        outcomes: pd.DataFrame | None = None) -> tuple[Analysis, Any]:
    """For a writer called as ``f(sessions, pain, target)`` or ``f(analysis, target)``:
    the :class:`Analysis` (:func:`as_analysis`) and the file or folder to write."""
    if isinstance(data, Analysis) and target is None and pain is not None:
        pain, target = None, pain
    if target is None:
        raise TypeError(f"{what} is required: f(sessions, pain, {what}) or f(analysis, {what})")
    return as_analysis(data, pain, program=program, start=start, end=end,
                       outcomes=outcomes), target


def _same(given: Any, held: Any) -> bool:
    if isinstance(held, Program) or held is None:
        return given is held or given == held
    return pd.Timestamp(given) == held


def analyze(sessions: pd.DataFrame, pain: pd.DataFrame, *, program: Program | None = None,
            start: Any = None, end: Any = None, outcomes: pd.DataFrame | None = None
            ) -> Analysis:
    """The analysis of a patient's (or a caseload's) logs for a period, computed once.

    Parameters
    ----------
    sessions, pain : DataFrame
        Canonical frames (:func:`~backrx_analysis.load_sessions`,
        :func:`~backrx_analysis.load_pain`); either may be empty.
    program : Program, optional
        The prescription (default program when omitted).
    start, end : date-like, optional
        The period (default: the span of the session log).
    outcomes : DataFrame, optional
        Function questionnaires (:func:`~backrx_analysis.load_outcomes`): then
        ``outcomes_trend`` holds their scores and the summary their latest score and
        status.

    Returns
    -------
    Analysis
        Its frames (``daily``, ``weekly``, ``streaks``, ``trend``, ``summary``,
        ``association``) are computed on first use and kept.

    Examples
    --------
    >>> import backrx_analysis as bx
    >>> sessions, pain = bx.load_sample(caseload=True)
    >>> a = bx.analyze(sessions, pain)
    >>> len(a.summary) == len(a.patient_ids)
    True
    >>> a.patient("P05").daily["patient_id"].unique().tolist()
    ['P05']
    """
    return Analysis(sessions, pain, program=program, start=start, end=end, outcomes=outcomes)
