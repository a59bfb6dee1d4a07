"""Which prescription is in force on each row of a daily grid: its version, whether
the day is prescribed, each exercise's target and the minute bands (PROGRAM.md, "The
prescription in force"; docs/metrics.md, "The prescription in force").

A plain :class:`~backrx_analysis.program.Program` is one version in force on every
day; a :class:`~backrx_analysis.prescriptions.Prescriptions` gives each patient's
history (patients without one get its default program). Everything is laid out as
arrays over the grid's rows, so the daily rules stay vectorised whatever the number of
patients and versions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..prescriptions import Prescriptions
from ..program import Program

__all__ = ["InForce", "in_force", "catalogue_of"]

_EPOCH = np.datetime64("1970-01-01", "D")


def catalogue_of(program: Program | Prescriptions) -> Program:
    """The program whose exercises are the daily frame's columns."""
    return program.catalogue if isinstance(program, Prescriptions) else program


@dataclass
class InForce:
    """Per grid row: ``version`` (the version's number, 0 for a patient without a
    history, -1 where nothing is in force), ``prescribed`` (a version is in force and
    the day is one of its weekdays), ``target`` (rows x catalogue exercises: the
    day's target reps, 0 where the exercise is not prescribed that day) and the bands
    (``ex_low``, ``ex_high``, ``walk_low``, ``walk_high``; NaN on days not prescribed)."""

    version: np.ndarray
    prescribed: np.ndarray
    target: np.ndarray
    ex_low: np.ndarray
    ex_high: np.ndarray
    walk_low: np.ndarray
    walk_high: np.ndarray
    history: bool  # any patient has a history (the frame then says which version)


def _rows(program: Program, catalogue: Program) -> tuple[np.ndarray, tuple[float, ...]]:
    targets = {e.id: e.target_reps for e in program.exercises}
    row = np.array([targets.get(i, 0) for i in catalogue.exercise_ids], dtype=np.int64)
    bands = (program.exercise_minutes.low, program.exercise_minutes.high,
             program.walk_minutes.low, program.walk_minutes.high)
    return row, bands


def in_force(program: Program | Prescriptions, patients: pd.Index, row_patient: np.ndarray,
             day: np.ndarray) -> InForce:
    """The prescription in force on every row of a daily grid (``row_patient``: the
    patient code of each row, ``day``: its day number since 1970-01-01)."""
    catalogue = catalogue_of(program)
    n = len(day)
    if not isinstance(program, Prescriptions):
        row, bands = _rows(program, catalogue)
        return InForce(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool),
                       np.broadcast_to(row, (n, len(row))),
                       *(np.full(n, b) for b in bands), history=False)
    programs = [program.default]
    number = np.zeros(n, dtype=np.int64)
    g = np.zeros(n, dtype=np.int64)  # index into programs; -1: nothing in force
    weekday_ok = np.ones(n, dtype=bool)
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday (3); Monday = 0
    # the rows of each patient are consecutive in a daily grid
    bounds = np.flatnonzero(np.diff(row_patient)) + 1
    starts = np.concatenate([[0], bounds]) if n else np.zeros(0, dtype=np.int64)
    ends = np.concatenate([bounds, [n]]) if n else np.zeros(0, dtype=np.int64)
    for a, b in zip(starts, ends, strict=True):
        versions = program.versions(patients[row_patient[a]])
        if not versions:
            continue
        days = day[a:b]
        first = np.array([(np.datetime64(v.start, "D") - _EPOCH).astype(np.int64)
                          for v in versions])
        last = np.array([np.iinfo(np.int64).max if v.end is None else
                         (np.datetime64(v.end, "D") - _EPOCH).astype(np.int64)
                         for v in versions])
        k = np.searchsorted(first, days, side="right") - 1
        inside = (k >= 0) & (days <= last[np.maximum(k, 0)])
        base = len(programs)
        programs.extend(v.program for v in versions)
        g[a:b] = np.where(inside, base + k, -1)
        number[a:b] = np.where(inside, np.array([v.number for v in versions])[np.maximum(k, 0)],
                               -1)
        allowed = np.array([[d in v.days if v.days is not None else True for d in range(7)]
                            for v in versions])
        weekday_ok[a:b] = np.where(inside, allowed[np.maximum(k, 0), weekday[a:b]], False)
    table = [_rows(p, catalogue) for p in programs]
    targets = np.stack([t for t, _ in table])
    bands = np.array([b for _, b in table], dtype=float)
    on = g >= 0
    prescribed = on & weekday_ok
    gi = np.maximum(g, 0)
    target = np.where(prescribed[:, None], targets[gi], 0)
    band = np.where(prescribed[:, None], bands[gi], np.nan)
    return InForce(number, prescribed, target, band[:, 0], band[:, 1], band[:, 2], band[:, 3],
                   history=True)
