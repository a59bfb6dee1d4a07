"""The pandas analysis per partition: daily and weekly adherence, the pain trend, the
summary, on Dask frames partitioned by patient.

Each function checks (or finds) that every patient is in one partition
(:func:`~backrx_analysis.scale.partitions.indexed_by_patient`) and calls the pandas
function of :mod:`backrx_analysis.analysis` on each partition with
``map_partitions``; the frames it returns are indexed by ``patient_id`` on the
input's divisions, and ``frame.compute().reset_index()`` is the pandas function's
frame on the whole data. Nothing here computes a number itself.

Examples
--------
>>> import dask.dataframe as dd
>>> import backrx_analysis as bx
>>> from backrx_analysis import scale
>>> sessions, pain = bx.load_sample()
>>> s = dd.from_pandas(sessions.set_index("patient_id"), npartitions=1)
>>> p = dd.from_pandas(pain.set_index("patient_id"), npartitions=1)
>>> daily = scale.daily_adherence(s)
>>> daily.compute().reset_index().equals(bx.daily_adherence(sessions))
True
>>> scale.summarize(s, p).equals(bx.summarize(sessions, pain))
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dask.dataframe as dd
import pandas as pd

from ..analysis import adherence, summary
from ..analysis import pain as pain_analysis
from ..analysis.outcomes import outcomes_trend, with_outcomes
from ..prescriptions import Prescriptions
from ..program import Program, default_program
from .partitions import PATIENT, aligned, indexed_by_patient, pandas_meta

__all__ = ["daily_adherence", "weekly_adherence", "pain_trend", "summarize"]

#: names of the daily frames made here with one program for every day (no version)
_PLAIN_DAILY: set[str] = set()


class _PerPartition:
    """A pandas function with its options, called on one partition (``patient_id`` a
    column, as the pandas functions take it); the result indexed by patient. An object
    rather than a closure so it pickles to a cluster's workers, and Dask does not look
    inside the options (a Prescriptions) for collections."""

    def __init__(self, func: Callable[..., pd.DataFrame], options: dict[str, Any],
                 columns: list[str] | None = None) -> None:
        self.func, self.options, self.columns = func, options, columns

    def __call__(self, part: pd.DataFrame) -> pd.DataFrame:
        out = self.func(part.reset_index(), **self.options)
        if self.columns is not None and list(out.columns) != self.columns:
            # weekly_adherence without a history in this partition, where another has
            # one: the version column the whole frame's call gives these weeks (<NA>)
            out = out.reindex(columns=self.columns)
            out["version"] = out["version"].astype("Int64")
        return out.set_index(PATIENT)


def _per_partition(func: Callable[..., pd.DataFrame], frame: dd.DataFrame, what: str,
                   options: dict[str, Any], *, columns: list[str] | None = None
                   ) -> dd.DataFrame:
    by_patient = indexed_by_patient(frame, what)
    empty = pandas_meta(frame)
    call = _PerPartition(func, options, columns)
    meta = call(empty.set_index(PATIENT))  # the options checked here, before any work
    if by_patient is None:
        return dd.from_pandas(meta, npartitions=1)
    return by_patient.map_partitions(call, meta=meta)


def daily_adherence(
    sessions: dd.DataFrame,
    *,
    program: Program | Prescriptions | None = None,
    start: Any = None,
    end: Any = None,
) -> dd.DataFrame:
    """:func:`backrx_analysis.analysis.adherence.daily_adherence` per partition.

    Parameters
    ----------
    sessions : dask.dataframe.DataFrame
        A canonical sessions frame partitioned by patient: indexed by ``patient_id``
        with known divisions (:func:`~backrx_analysis.scale.read_cohort`,
        ``dd.from_pandas(frame.set_index("patient_id"), ...)``), or with a
        ``patient_id`` column whose partitions hold ranges of patients that do not
        overlap (checked in one pass over that column; a patient in two partitions is
        a :class:`~backrx_analysis.scale.PatientPartitionError`).
    program, start, end
        As for the pandas function.

    Returns
    -------
    dask.dataframe.DataFrame
        Indexed by ``patient_id`` (known divisions); the other columns those of the
        pandas function (every one is listed in its docstring: ``date``,
        ``reps_<id>``, ``met_<id>``, ``exercises_met``, ``exercise_minutes``,
        ``minutes_status``, ``walk_minutes``, ``walk_status``, ``walk_met``,
        ``fully_adherent``, ``entries``, ``logged``, ``version``, ``prescribed``,
        ``target_<id>``, ``dose_<id>`` ...). ``.compute().reset_index()`` is the
        pandas function's frame.
    """
    out = _per_partition(adherence.daily_adherence, sessions, "sessions",
                         {"program": program, "start": start, "end": end})
    if not isinstance(program, Prescriptions):
        _PLAIN_DAILY.add(out._name)
    return out


def weekly_adherence(daily: dd.DataFrame) -> dd.DataFrame:
    """:func:`backrx_analysis.analysis.weekly.weekly_adherence` per partition.

    Parameters
    ----------
    daily : dask.dataframe.DataFrame
        The frame of :func:`daily_adherence` (or any daily adherence frame partitioned
        by patient, as for :func:`daily_adherence`'s ``sessions``).

    Returns
    -------
    dask.dataframe.DataFrame
        Indexed by ``patient_id``; ``week_start``, ``iso_year``, ``iso_week``,
        ``days``, ``version`` (with a prescription history only), ``days_prescribed``,
        ``days_logged``, ``fully_adherent_pct``, ``<id>_met_pct``,
        ``exercise_minutes_mean``, ``minutes_in_range_pct``, ``walk_met_pct``,
        ``<id>_dose_mean``, as the pandas function gives them.

    Notes
    -----
    The pandas function adds the ``version`` column when any day of its input has a
    version in force. For a daily frame made here with one program, that is known
    without looking; otherwise (a prescription history, a daily frame from
    elsewhere) it is found first, in one pass over the ``version`` column (which
    computes the daily frame once more: ``daily.persist()`` first if it is reused).
    """
    columns = None
    if daily._name not in _PLAIN_DAILY and "version" in daily.columns:
        # a real day with a version, if any: the weekly columns of the whole frame
        with_version = daily[daily["version"].notnull()].head(1, npartitions=-1)
        if len(with_version):
            probe = with_version.reset_index() if with_version.index.name == PATIENT \
                else with_version
            columns = list(adherence.weekly_adherence(probe).columns)
    return _per_partition(adherence.weekly_adherence, daily, "daily adherence", {},
                          columns=columns)


def pain_trend(
    pain: dd.DataFrame,
    *,
    window: int | None = None,
    program: Program | None = None,
) -> dd.DataFrame:
    """:func:`backrx_analysis.analysis.pain.pain_trend` per partition.

    Parameters
    ----------
    pain : dask.dataframe.DataFrame
        A canonical pain frame partitioned by patient (as :func:`daily_adherence`'s
        ``sessions``).
    window, program
        As for the pandas function.

    Returns
    -------
    dask.dataframe.DataFrame
        Indexed by ``patient_id``; ``date``, ``pain_mean``, ``pain_min``,
        ``pain_max``, ``n_ratings``, ``rolling_mean``, ``rolling_days``,
        ``baseline``, ``change``, ``change_pct``, ``status``, ``flare``, as the pandas
        function gives them.
    """
    return _per_partition(pain_analysis.pain_trend, pain, "pain",
                          {"window": window, "program": program})


class _Summarize:
    """:func:`backrx_analysis.analysis.summary.summarize` of one partition's sessions
    and pain (either may be the empty frame given once for all)."""

    def __init__(self, options: dict[str, Any], sessions: pd.DataFrame | None = None,
                 pain: pd.DataFrame | None = None) -> None:
        self.options, self.sessions, self.pain = options, sessions, pain

    def __call__(self, first: pd.DataFrame, second: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
        parts = iter([first, second])
        sessions = self.sessions if self.sessions is not None else next(parts).reset_index()
        pain = self.pain if self.pain is not None else next(parts).reset_index()
        return summary.summarize(sessions, pain, **self.options)


def summarize(
    sessions: dd.DataFrame,
    pain: dd.DataFrame,
    *,
    program: Program | Prescriptions | None = None,
    start: Any = None,
    end: Any = None,
    outcomes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The pandas frame :func:`backrx_analysis.analysis.summary.summarize` gives on the
    same data: one row per patient, computed a partition of patients at a time.

    Parameters
    ----------
    sessions, pain : dask.dataframe.DataFrame
        Canonical frames partitioned by patient (as :func:`daily_adherence`'s
        ``sessions``); their partitions need not match: both are put on the union of
        their divisions, so each part's sessions and pain are the same patients'.
    program, start, end
        As for the pandas function.
    outcomes : pandas.DataFrame, optional
        The questionnaires (small: a pandas frame), joined on the summary as the
        pandas function does.

    Returns
    -------
    pandas.DataFrame
        The columns of the pandas function (sorted by ``patient_id``, default index):
        ``patient_id``, ``start``, ``end``, ``days``, ``days_logged``,
        ``days_prescribed``, ``fully_adherent_pct``, ``<id>_met_pct``,
        ``exercise_minutes_mean``, ``minutes_in_range_pct``, ``minutes_over_days``,
        ``walk_met_pct``, ``pain_baseline``, ``pain_last7``, ``pain_change``,
        ``pain_change_pct``, ``pain_status``, ``flare_days``, ``current_streak``,
        ``longest_streak`` (and, with ``outcomes``, the questionnaires' columns).
    """
    options = {"program": program, "start": start, "end": end}
    s = indexed_by_patient(sessions, "sessions")
    p = indexed_by_patient(pain, "pain")
    empty_s, empty_p = pandas_meta(sessions), pandas_meta(pain)
    meta = summary.summarize(empty_s, empty_p, **options)  # the options checked here
    if s is None and p is None:
        out = meta
    else:
        if s is None:
            parts = p.map_partitions(_Summarize(options, sessions=empty_s), meta=meta,
                                     clear_divisions=True)
        elif p is None:
            parts = s.map_partitions(_Summarize(options, pain=empty_p), meta=meta,
                                     clear_divisions=True)
        else:
            s, p = aligned(s, p)
            parts = dd.map_partitions(_Summarize(options), s, p, meta=meta,
                                      align_dataframes=False, clear_divisions=True)
        out = parts.compute().reset_index(drop=True)
    if outcomes is None:
        return out
    return with_outcomes(out, outcomes_trend(outcomes, program=program or default_program()),
                         end=end)
