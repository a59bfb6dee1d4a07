"""Seeded synthetic logs, written the way people really write them.

Two uses: the bundled sample data (``scripts/make_sample_data.py`` builds every file
of ``sample_data/`` from :func:`simulate_logs`) and the benchmarks, which need raw
logs of any size (:func:`simulate_sessions_rows`, :func:`simulate_pain_rows`).

The frames returned here are *raw*: the columns a person's spreadsheet or CSV would
have, with names, sides and times as people type them (``"SLR"``, ``"wall slide"``,
an empty time, a note with a comma in it). :mod:`backrx_analysis.io` turns such logs
into canonical frames; nothing here produces a canonical frame.

The patients of :func:`simulate_logs` live in :mod:`backrx_analysis.simulate.patients`,
the vectorised generators in :mod:`backrx_analysis.simulate.rows`, and what both
write (spellings, notes, time zones) in ``backrx_analysis.simulate._common``.

Dtypes of the raw frames: text columns are pandas strings with missing values for
empty cells; ``reps``, ``sets`` and ``minutes`` are nullable ``Int64``; ``pain`` is
``float64`` (whole numbers mostly, an occasional ``.5``). :func:`write_csv` writes a
frame as a person's CSV would look (``6`` rather than ``6.0``).

What the simulated patients do
------------------------------
- Exercise on most days at first; adherence sags over the weeks, more days are
  missed at weekends, and later sessions more often stop short of 10 repetitions or
  leave an exercise out. A day with nothing logged has no rows at all.
- Straight leg raise is mostly logged as a ``left`` and a ``right`` row, sometimes as
  one row with side ``both`` or no side.
- Walks (5-30 minutes) on most days, sometimes two.
- Now and then a session runs far over 30 minutes; pain flares on the next days.
- Pain (0-10) is rated 1-3 times a day, drifting from about 6 down to about 3, with
  timestamps carrying the writer's UTC offset (summer time included), some of them
  late in the evening (23:xx) and a few just after midnight.

Examples
--------
>>> from backrx_analysis.simulate import simulate_logs
>>> sessions, pain = simulate_logs(days=14, seed=1)
>>> list(sessions.columns)
['date', 'time', 'exercise', 'reps', 'sets', 'side', 'minutes', 'notes']
>>> list(pain.columns)
['timestamp', 'pain', 'context', 'location', 'notes']
>>> bool(pain["pain"].between(0, 10).all())
True
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..program import Program, default_program
from .patients import _make_patient, _simulate_patient
from .rows import simulate_pain_rows, simulate_sessions_rows

__all__ = [
    "SESSIONS_RAW_COLUMNS",
    "PAIN_RAW_COLUMNS",
    "WIDE_HEADERS",
    "simulate_logs",
    "simulate_sessions_rows",
    "simulate_pain_rows",
    "write_csv",
]

#: Columns of a raw long-format sessions log (``patient_id`` first in a caseload).
SESSIONS_RAW_COLUMNS = ("date", "time", "exercise", "reps", "sets", "side", "minutes", "notes")
#: Columns of a raw pain log (``patient_id`` first in a caseload).
PAIN_RAW_COLUMNS = ("timestamp", "pain", "context", "location", "notes")
#: Column headers people give the five exercises in a wide (one row a day) sheet.
WIDE_HEADERS = {
    "ankle_pumps": "Ankle pumps",
    "abdominal_bracing": "Ab bracing",
    "wall_squat": "Wall squat",
    "straight_leg_raise": "SLR",
    "partial_curl_up": "Curl-up",
}

# -- frames ------------------------------------------------------------------------------


def _text(values: object) -> pd.Series:
    """Text column with missing values for empty cells."""
    s = pd.Series(values, dtype="str")
    return s.mask(s == "")


def _finish_sessions(rows: list[dict], with_patient: bool) -> pd.DataFrame:
    cols = (("patient_id",) if with_patient else ()) + SESSIONS_RAW_COLUMNS
    df = pd.DataFrame(rows, columns=list(cols))
    for c in ("reps", "sets", "minutes"):
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    for c in ("patient_id", "date", "time", "exercise", "side", "notes"):
        if c in df:
            df[c] = _text(df[c].fillna("").tolist())
    return df


def _finish_pain(rows: list[dict], with_patient: bool) -> pd.DataFrame:
    cols = (("patient_id",) if with_patient else ()) + PAIN_RAW_COLUMNS
    df = pd.DataFrame(rows, columns=list(cols))
    df["pain"] = df["pain"].astype("float64")
    for c in ("patient_id", "timestamp", "context", "location", "notes"):
        if c in df:
            df[c] = _text(df[c].tolist())
    return df


def _finish_wide(rows: list[dict], with_patient: bool, program: Program) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    headers = {e.id: WIDE_HEADERS.get(e.id, e.name) for e in program.exercises}
    df = df.rename(columns=headers)
    for c in [*headers.values(), "exercise minutes", "walk minutes"]:
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    df["date"] = _text(df["date"].tolist())
    df["notes"] = _text(df["notes"].tolist())
    if with_patient:
        df["patient_id"] = _text(df["patient_id"].tolist())
        df = df[["patient_id", *[c for c in df.columns if c != "patient_id"]]]
    return df


def simulate_logs(
    n_patients: int = 1,
    days: int = 84,
    *,
    seed: int = 0,
    start: str | dt.date = "2026-03-02",
    program: Program | None = None,
    wide: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw sessions and pain logs of simulated patients, as people write them.

    Parameters
    ----------
    n_patients : int
        Number of patients. With 1 (the default) the logs have no ``patient_id``
        column and the patient's adherence sags over the weeks. With more, patients
        are ``P01``, ``P02``, ... with different habits: P01 steady, P02 sagging,
        P03 missing weekends, P04 under-dosed (short sets, few minutes), P05 an
        over-doer (long sessions, flares); then the same five kinds again, varied.
    days : int
        Calendar days from ``start``.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives identical frames.
    start : str or datetime.date
        First day (ISO date).
    program : Program, optional
        Prescription whose exercises, targets and minute bands are simulated
        (default: :func:`~backrx_analysis.program.default_program`).
    wide : bool
        Return the sessions log in wide format (one row a day) instead of long.

    Returns
    -------
    sessions : pandas.DataFrame
        Long format (``wide=False``), one row per entry, days with nothing done
        absent: ``patient_id`` (caseload only), ``date`` (``YYYY-MM-DD``), ``time``
        (``HH:MM`` or missing), ``exercise`` (as written: ``"SLR"``, ``"wall slide"``,
        ``"Walk"``, ``"Routine"``...), ``reps``, ``sets`` (``Int64``, missing for walks
        and routine rows, sometimes left empty), ``side`` (``left``/``right``/``both``
        or missing; straight leg raise only), ``minutes`` (``Int64``), ``notes``.
        Wide format (``wide=True``), one row per calendar day: ``patient_id``
        (caseload only), ``date``, one column of total repetitions per exercise headed
        as people write it (``Ankle pumps``, ``Ab bracing``, ``Wall squat``, ``SLR``
        (repetitions per leg), ``Curl-up``; missing or 0 when not done),
        ``exercise minutes``, ``walk minutes``, ``notes``.
    pain : pandas.DataFrame
        ``patient_id`` (caseload only), ``timestamp`` (ISO 8601 with the writer's
        UTC offset, e.g. ``2026-03-02T23:45:00+01:00``), ``pain`` (0-10, float),
        ``context`` (``morning``, ``after exercise``, ``evening``...), ``location``,
        ``notes``.

    Examples
    --------
    >>> sessions, pain = simulate_logs(n_patients=2, days=7, seed=3)
    >>> sorted(sessions["patient_id"].unique())
    ['P01', 'P02']
    >>> wide, _ = simulate_logs(days=7, wide=True)
    >>> len(wide), list(wide.columns)[:3]
    (7, ['date', 'Ankle pumps', 'Ab bracing'])
    """
    if int(n_patients) < 1:
        raise ValueError(f"n_patients must be at least 1, got {n_patients!r}")
    if int(days) < 1:
        raise ValueError(f"days must be at least 1, got {days!r}")
    program = program or default_program()
    if isinstance(start, dt.datetime):  # also pandas.Timestamp
        start_date = start.date()
    elif isinstance(start, dt.date):
        start_date = start
    else:
        start_date = dt.date.fromisoformat(str(start))
    rngs = np.random.default_rng(seed).spawn(int(n_patients))
    multi = n_patients > 1
    all_sessions: list[dict] = []
    all_pain: list[dict] = []
    all_wide: list[dict] = []
    for i, rng in enumerate(rngs):
        pat = _make_patient(rng, i, int(n_patients), program)
        sessions, pain, wide_rows = _simulate_patient(rng, pat, int(days), start_date, program)
        if multi:
            for r in (*sessions, *pain, *wide_rows):
                r["patient_id"] = pat.pid
        all_sessions += sessions
        all_pain += pain
        all_wide += wide_rows
    pain_df = _finish_pain(all_pain, multi)
    if wide:
        return _finish_wide(all_wide, multi, program), pain_df
    return _finish_sessions(all_sessions, multi), pain_df


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a raw frame as a person's CSV: UTF-8, comma-delimited, header, ``\\n`` line
    ends, no index, numbers as typed (``6``, ``5.5``), empty cells for missing values.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> _, pain = simulate_logs(days=3)
    >>> p = write_csv(pain, pathlib.Path(tempfile.mkdtemp()) / "pain.csv")
    >>> p.read_text(encoding="utf-8").splitlines()[0]
    'timestamp,pain,context,location,notes'
    """
    path = Path(path)
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%g")
    return path
