"""Seeded prescription histories, as a physiotherapist writes them over a course of care.

:func:`simulate_prescriptions` gives, per patient, a history in the dict form that
:func:`~backrx_analysis.prescription_file.load_prescriptions` reads (the shape of the
TOML file of ``docs/prescriptions.md``). Each patient's story is one of three, drawn
with the seed:

- **progressed**: version 1 is the default program; after 2-3 weeks the physio raises
  the targets (10 -> 12 or 15 reps, sometimes the walk band 10-20 -> 20-30 minutes);
  sometimes a second progression some weeks later.
- **added**: version 1 leaves wall squats out (core control first); in week 3 the
  wall squat is added at 10 reps and the other targets go up.
- **flare**: progressed after 2-3 weeks, then curl-ups dropped after a flare
  (sometimes three days a week, Mon/Wed/Fri); sometimes, once the flare has settled,
  curl-ups come back and every day again.

So each patient has 2 to 4 versions over 12 weeks, in date order, each stating only
what changes. A version that would start after the period (a short ``days``) is left
out. Nothing here writes the logs: :func:`~backrx_analysis.simulate.simulate_logs`
simulates people doing the default program whatever the history says.

Examples
--------
>>> import backrx_analysis as bx
>>> from backrx_analysis.simulate import simulate_prescriptions
>>> notes = simulate_prescriptions(["P01", "P02"], "2026-03-02", seed=1)
>>> rx = bx.load_prescriptions(notes)
>>> [len(rx.versions(p)) >= 2 for p in ("P01", "P02")]
[True, True]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np

from ..program import default_program

__all__ = ["simulate_prescriptions", "STORIES"]

#: the kinds of history a simulated patient gets
STORIES = ("progressed", "added", "flare")

_EXERCISES = default_program().exercise_ids  # the five, in the program's order
_ADDED = "wall_squat"
_DROPPED = "partial_curl_up"
_MWF = ["Mon", "Wed", "Fri"]

_PROGRESS_WHY = (
    "progressed: 10 reps easy, pain stable",
    "progressed at review: all exercises done with good form",
    "progressed: reps comfortable, pain settling",
)
_WALK_WHY = "walks going well: longer walks"
_SECOND_WHY = "progressed again: targets reached most days"
_ADDED_WHY = "core control good: wall squats added, targets up"
_FLARE_WHY = "curl-ups dropped after a flare"
_BACK_WHY = "flare settled: curl-ups back"


def simulate_prescriptions(
    patient_ids: Sequence[str],
    start: str | dt.date | Mapping[str, str | dt.date],
    *,
    seed: int,
    days: int = 84,
) -> dict:
    """Each patient's prescription history, in the form ``load_prescriptions`` reads.

    Parameters
    ----------
    patient_ids : sequence of str
        The patients, in order (the seed draws their stories in this order).
    start : date, ``YYYY-MM-DD`` text, or a mapping patient id -> date
        The day each patient's version 1 starts (their first day in the log).
    seed : int
        The same seed, ids and starts give the same histories.
    days : int, default 84
        The length of the period; no version starts on or after ``start + days``.

    Returns
    -------
    dict
        ``{"patient": [{"id": ..., "version": [{"start": date, "by": ..., "why": ...,
        ...}, ...]}, ...]}``: dates as :class:`datetime.date`, targets as
        ``{exercise id: reps}``, bands as ``[low, high]``, ``days`` as weekday names or
        ``"every day"``; each version after the first states only what changes.

    Examples
    --------
    >>> notes = simulate_prescriptions(["P01"], "2026-03-02", seed=0)
    >>> first = notes["patient"][0]["version"][0]
    >>> first["start"], first["by"]
    (datetime.date(2026, 3, 2), 'physio')
    """
    rng = np.random.default_rng(seed)
    patients = []
    for pid in patient_ids:
        first = _day(start[pid] if isinstance(start, Mapping) else start)
        story = STORIES[int(rng.integers(len(STORIES)))]
        versions = _STORY[story](rng, first)
        last = first + dt.timedelta(days=days - 1)
        versions = [v for v in versions if v["start"] <= last]
        patients.append({"id": str(pid), "version": versions})
    return {"patient": patients}


# -- the stories ---------------------------------------------------------------------


def _progressed(rng: np.random.Generator, first: dt.date) -> list[dict]:
    v1 = _first(first, "early recovery: the default program")
    day = first + dt.timedelta(days=int(rng.integers(14, 22)))  # after 2-3 weeks
    v2 = _progression(rng, day, _EXERCISES, 10)
    versions = [v1, v2]
    if rng.random() < 0.5:  # a second progression 4-6 weeks later
        later = day + dt.timedelta(days=int(rng.integers(28, 43)))
        targets = {e: _step(rng, reps) for e, reps in v2["targets"].items()}
        versions.append({"start": later, "by": "physio", "why": _SECOND_WHY,
                         "targets": targets})
    return versions


def _added(rng: np.random.Generator, first: dt.date) -> list[dict]:
    without = [e for e in _EXERCISES if e != _ADDED]
    v1 = _first(first, "early recovery: wall squats once core control is good")
    v1["exercises"] = without
    day = first + dt.timedelta(days=int(rng.integers(14, 21)))  # week 3
    v2 = _progression(rng, day, without, 10)
    v2["why"] = _ADDED_WHY
    v2["exercises"] = list(_EXERCISES)
    v2["targets"] = {e: v2["targets"].get(e, 10) for e in _EXERCISES}  # the wall squat at 10
    versions = [v1, v2]
    if rng.random() < 0.4:
        later = day + dt.timedelta(days=int(rng.integers(28, 43)))
        versions.append({"start": later, "by": "physio", "why": _SECOND_WHY,
                         "targets": {_ADDED: _step(rng, 10)}})
    return versions


def _flare(rng: np.random.Generator, first: dt.date) -> list[dict]:
    v1 = _first(first, "early recovery: the default program")
    day = first + dt.timedelta(days=int(rng.integers(14, 22)))
    v2 = _progression(rng, day, _EXERCISES, 10)
    flare = day + dt.timedelta(days=int(rng.integers(10, 29)))
    v3 = {"start": flare, "by": "physio", "why": _FLARE_WHY,
          "exercises": [e for e in _EXERCISES if e != _DROPPED]}
    if rng.random() < 0.5:
        v3["why"] = f"{_FLARE_WHY}; three days a week"
        v3["days"] = list(_MWF)
    versions = [v1, v2, v3]
    if rng.random() < 0.5:  # the flare settles two to three weeks later
        back = flare + dt.timedelta(days=int(rng.integers(14, 22)))
        v4 = {"start": back, "by": "physio", "why": _BACK_WHY,
              "exercises": list(_EXERCISES), "targets": {_DROPPED: 10}}
        if "days" in v3:
            v4["days"] = "every day"
            v4["why"] += ", every day"
        versions.append(v4)
    return versions


_STORY = {"progressed": _progressed, "added": _added, "flare": _flare}


# -- versions ------------------------------------------------------------------------


def _first(day: dt.date, why: str) -> dict:
    return {"start": day, "by": "physio", "why": why}


def _progression(rng: np.random.Generator, day: dt.date, exercises: Sequence[str],
                 reps: int) -> dict:
    """Targets up from ``reps`` (to 12 or 15, one step for all or per exercise);
    sometimes the walk band 10-20 -> 20-30 minutes."""
    if rng.random() < 0.5:
        step = _step(rng, reps)
        targets = {e: step for e in exercises}
    else:
        targets = {e: _step(rng, reps) for e in exercises}
    version = {"start": day, "by": "physio",
               "why": _PROGRESS_WHY[int(rng.integers(len(_PROGRESS_WHY)))],
               "targets": targets}
    if rng.random() < 0.5:
        version["walk_minutes"] = [20, 30]
        version["why"] += f"; {_WALK_WHY}"
    return version


def _step(rng: np.random.Generator, reps: int) -> int:
    """The next target after ``reps``: +2 or +5 repetitions."""
    return int(reps + (2 if rng.random() < 0.5 else 5))


def _day(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
