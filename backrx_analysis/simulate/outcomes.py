"""Seeded function questionnaires (ODI, RMDQ, PSFS, EARS) of simulated patients,
consistent with their simulated logs.

:func:`simulate_outcomes` takes the raw logs of
:func:`backrx_analysis.simulate.simulate_logs` and gives the questionnaire sheet a
clinic would keep for those people, in the layout
:func:`backrx_analysis.io.load_outcomes` reads (docs/data-format.md, "Function
questionnaires"): a row per patient and visit, a baseline on each patient's first
day, then a visit every 2-4 weeks. The answers follow the logs:

- **ODI and RMDQ** rise with the mean pain of the week up to the visit (about 6.5 %
  ODI and 1.6 RMDQ statements a point of pain), **PSFS** falls with it (about 1.1
  points a point of pain); each person has their own level and their own harder
  sections, statements and activities, kept across visits.
- **EARS** reflects the share of days with exercises logged in the 2 weeks before the
  visit (at the baseline, the first week's: how the person starts).

Nothing here reads a log with :mod:`backrx_analysis.io` (``simulate`` stands on the
ground only): the days are the ``date`` of the sessions log and the first ten
characters of the pain log's ``timestamp`` (the day written in it).

Examples
--------
>>> from backrx_analysis.simulate import simulate_logs, simulate_outcomes
>>> sessions, pain = simulate_logs(days=28, seed=1)
>>> sheet = simulate_outcomes(sessions, pain, seed=1)
>>> list(sheet.columns[:3]), sheet["date"].iloc[0]
(['date', 'odi_1', 'odi_2'], '2026-03-02')
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..program import WALK, Program, default_program

__all__ = ["OUTCOMES_RAW_COLUMNS", "PSFS_ACTIVITIES", "simulate_outcomes"]

#: Columns of a simulated questionnaire sheet (``patient_id`` first in a caseload).
OUTCOMES_RAW_COLUMNS = (
    "date",
    *(f"odi_{k}" for k in range(1, 11)),
    *(f"rmdq_{k}" for k in range(1, 25)),
    *(c for k in range(1, 6) for c in (f"psfs_activity_{k}", f"psfs_score_{k}")),
    *(f"ears_{k}" for k in range(1, 7)),
)
#: Activities the simulated patients name on the PSFS (three each, kept across visits).
PSFS_ACTIVITIES = (
    "bending to put on socks",
    "sitting 30 minutes",
    "lifting a shopping bag",
    "getting out of the car",
    "walking the dog",
    "standing to cook",
    "vacuuming",
    "driving to work",
    "playing with the kids",
)
#: EARS items scored in reverse (4 - answer) by the scale's rules.
_EARS_REVERSED = (1, 4, 6)
_P_TWO_BOXES = 0.03  # an ODI section with two neighbouring boxes ticked
_P_ODI_BLANK = 0.01  # an ODI section left blank
_P_RMDQ_BLANK = 0.012  # an RMDQ statement left blank


def _visit_days(rng: np.random.Generator, first: dt.date, last: dt.date,
                every: tuple[int, int]) -> list[dt.date]:
    """The first day, then a visit every ``every[0]``-``every[1]`` days up to ``last``."""
    days, day = [first], first
    while True:
        day = day + dt.timedelta(days=int(rng.integers(every[0], every[1] + 1)))
        if day > last:
            return days
        days.append(day)


def _window_mean(values: pd.Series, day: dt.date, back: int) -> float:
    """Mean of the values (indexed by day) of the ``back`` days up to ``day``; when
    none, of the week after; NaN when neither has any."""
    before = values[(values.index > day - dt.timedelta(days=back)) & (values.index <= day)]
    if len(before):
        return float(before.mean())
    after = values[(values.index > day) & (values.index <= day + dt.timedelta(days=7))]
    return float(after.mean()) if len(after) else float("nan")


def _exercise_share(ex_days: set[dt.date], first: dt.date, visit: dt.date) -> float:
    """Share of days with exercises logged: the 14 before the visit, or at the first
    visit the first week."""
    if visit == first:
        span = [first + dt.timedelta(days=i) for i in range(7)]
    else:
        span = [visit - dt.timedelta(days=i) for i in range(1, 15) if
                visit - dt.timedelta(days=i) >= first]
    return sum(d in ex_days for d in span) / len(span)


def _odi(rng: np.random.Generator, pain: float, level: float, sections: np.ndarray
         ) -> list[object]:
    """Ten sections as written: digits, now and then two boxes ("3,4") or a blank."""
    index = np.clip(6.5 * pain + level + rng.normal(0, 2.5), 0, 95)
    raw = index / 20 + sections + rng.normal(0, 0.45, size=10)
    values = np.clip(np.rint(raw), 0, 5).astype(int)
    out: list[object] = []
    for v in values:
        if rng.random() < _P_ODI_BLANK:
            out.append(pd.NA)
        elif v >= 1 and rng.random() < _P_TWO_BOXES:
            out.append(f"{v - 1},{v}")  # the higher counts: the same score
        else:
            out.append(str(v))
    return out


def _rmdq(rng: np.random.Generator, pain: float, level: float, order: np.ndarray
          ) -> list[object]:
    """24 statements, yes for the person's most likely ones, a blank now and then."""
    count = int(np.clip(np.rint(1.6 * pain + level + rng.normal(0, 1.2)), 0, 24))
    key = order + rng.normal(0, 2.5, size=24)  # the same statements, give or take
    yes = np.zeros(24, dtype=bool)
    yes[np.argsort(key)[:count]] = True
    return [pd.NA if rng.random() < _P_RMDQ_BLANK else ("yes" if y else "no") for y in yes]


def _psfs(rng: np.random.Generator, pain: float, level: float, offsets: np.ndarray
          ) -> list[int]:
    raw = 10 - 1.1 * pain + level + offsets + rng.normal(0, 0.7, size=len(offsets))
    return [int(v) for v in np.clip(np.rint(raw), 0, 10)]


def _ears(rng: np.random.Generator, share: float, level: float) -> list[int]:
    """Six items as ticked (1, 4 and 6 worded the other way round)."""
    mean = np.clip(0.4 + 3.4 * share + level, 0, 4)
    good = np.clip(np.rint(mean + rng.normal(0, 0.5, size=6)), 0, 4).astype(int)
    return [int(4 - g) if k in _EARS_REVERSED else int(g) for k, g in enumerate(good, start=1)]


def _one_patient(rng: np.random.Generator, sessions: pd.DataFrame, pain: pd.DataFrame,
                 every: tuple[int, int], program: Program) -> list[dict]:
    s_days = pd.to_datetime(sessions["date"].astype("string"), errors="coerce").dt.date
    p_days = pd.to_datetime(pain["timestamp"].astype("string").str[:10],
                            errors="coerce").dt.date
    known = [d for d in (*s_days.dropna(), *p_days.dropna())]
    if not known:
        return []
    first, last = min(known), max(known)
    is_exercise = [program.resolve(str(x)) not in (WALK, None) for x in sessions["exercise"]]
    ex_days = set(s_days[np.array(is_exercise, dtype=bool) & s_days.notna().to_numpy()])
    ratings = pd.Series(pd.to_numeric(pain["pain"], errors="coerce").to_numpy(),
                        index=p_days.to_numpy()).dropna()
    ratings = ratings[pd.notna(ratings.index)]
    daily = ratings.groupby(level=0).mean()
    usual = float(daily.mean()) if len(daily) else 5.0
    # who this person is on paper, kept across visits
    odi_level, rmdq_level = rng.normal(0, 4.0), rng.normal(0, 1.2)
    sections = rng.normal(0, 0.5, size=10)
    order = rng.permutation(24).astype(float)
    activities = [PSFS_ACTIVITIES[i] for i in rng.choice(len(PSFS_ACTIVITIES), 3, replace=False)]
    psfs_level, psfs_offsets = rng.normal(0, 0.6), rng.normal(0, 0.8, size=3)
    ears_level = rng.normal(0, 0.3)
    rows = []
    for day in _visit_days(rng, first, last, every):
        p = _window_mean(daily, day, 7)
        p = usual if np.isnan(p) else p
        row: dict[str, object] = {"date": day.isoformat()}
        row.update(zip((f"odi_{k}" for k in range(1, 11)), _odi(rng, p, odi_level, sections),
                       strict=True))
        row.update(zip((f"rmdq_{k}" for k in range(1, 25)), _rmdq(rng, p, rmdq_level, order),
                       strict=True))
        for k, (name, score) in enumerate(zip(activities, _psfs(rng, p, psfs_level,
                                                                psfs_offsets), strict=True), 1):
            row[f"psfs_activity_{k}"], row[f"psfs_score_{k}"] = name, score
        share = _exercise_share(ex_days, first, day)
        row.update(zip((f"ears_{k}" for k in range(1, 7)), _ears(rng, share, ears_level),
                       strict=True))
        rows.append(row)
    return rows


def simulate_outcomes(
    sessions: pd.DataFrame,
    pain: pd.DataFrame,
    *,
    seed: int,
    every: tuple[int, int] = (14, 28),
    program: Program | None = None,
) -> pd.DataFrame:
    """Function questionnaires of simulated patients, as a clinic's sheet holds them.

    Parameters
    ----------
    sessions, pain : DataFrame
        Raw logs of :func:`backrx_analysis.simulate.simulate_logs` (long sessions;
        with ``patient_id`` for a caseload).
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed and logs give identical
        frames.
    every : (int, int)
        Days between visits, drawn from ``every[0]`` to ``every[1]`` (default 2-4
        weeks); the baseline is each patient's first day in the logs.
    program : Program, optional
        Resolves the exercise names (a walk is not an exercise day for the EARS).

    Returns
    -------
    DataFrame
        A row per patient and visit, sorted so: ``patient_id`` (caseload only),
        ``date`` (``YYYY-MM-DD``), ``odi_1`` .. ``odi_10`` (text: ``"2"``, now and
        then two boxes ``"3,4"`` or a blank), ``rmdq_1`` .. ``rmdq_24`` (``"yes"`` /
        ``"no"``, now and then a blank), ``psfs_activity_1`` .. ``_5`` with
        ``psfs_score_1`` .. ``_5`` (three activities named by the patient, the same
        at every visit, scored 0-10; slots 4 and 5 empty), ``ears_1`` .. ``ears_6``
        (0-4 as ticked). Text columns are pandas strings, scores nullable ``Int64``.

    Examples
    --------
    >>> from backrx_analysis.simulate import simulate_logs
    >>> sessions, pain = simulate_logs(n_patients=2, days=56, seed=4)
    >>> sheet = simulate_outcomes(sessions, pain, seed=4)
    >>> sorted(sheet["patient_id"].unique()), bool(sheet.groupby("patient_id").size().min() >= 2)
    (['P01', 'P02'], True)
    """
    lo, hi = (int(x) for x in every)
    if not 1 <= lo <= hi:
        raise ValueError(f"every must be (shortest, longest) days between visits with "
                         f"1 <= shortest <= longest, got {every!r}")
    program = program or default_program()
    multi = "patient_id" in sessions.columns
    if multi:
        ids = list(dict.fromkeys([*sessions["patient_id"].dropna().astype(str),
                                  *pain.get("patient_id", pd.Series([], dtype=str)).dropna()
                                  .astype(str)]))
    else:
        ids = [None]
    rows = []
    for pid, rng in zip(ids, np.random.default_rng(seed).spawn(len(ids)), strict=True):
        if multi:
            s = sessions.loc[sessions["patient_id"].astype("string") == pid]
            p = pain.loc[pain["patient_id"].astype("string") == pid] if "patient_id" in pain \
                else pain.iloc[:0]
        else:
            s, p = sessions, pain
        for r in _one_patient(rng, s, p, (lo, hi), program):
            rows.append({"patient_id": pid, **r} if multi else r)
    cols = (["patient_id"] if multi else []) + list(OUTCOMES_RAW_COLUMNS)
    df = pd.DataFrame(rows, columns=cols)
    for c in cols:
        if c.startswith(("psfs_score", "ears")):
            df[c] = pd.array(df[c].tolist(), dtype="Int64")
        else:
            df[c] = pd.array(df[c].tolist(), dtype="string")
    return df
