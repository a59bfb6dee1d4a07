"""The patients of :func:`backrx_analysis.simulate.simulate_logs`: five kinds of
patient (profiles), each person's habits, and one patient's logs day by day.

Rows come out as lists of dicts; :mod:`backrx_analysis.simulate` turns them into
the raw frames.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import numpy as np

from ..program import SESSION, WALK, Program
from ._common import (
    _EXERCISE_NOTES,
    _FLARE_NOTES,
    _LOCATION_P,
    _LOCATIONS,
    _OVERLONG_NOTES,
    _PAIN_NOTES,
    _WALK_NOTES,
    _format_offset,
    _hhmm,
    _offset_minutes,
    _spellings,
)

# -- patient profiles ------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    label: str
    p_start: float  # chance of exercising on a weekday, first day
    p_end: float  # ... last day
    weekend_drop: float  # subtracted on Saturdays and Sundays
    short_start: float  # chance an exercise stops short of its target, first day
    short_end: float
    skip_start: float  # chance an exercise is left out of a session
    skip_end: float
    overlong: float  # chance a session runs over the minute band
    min_overlong: int  # at least this many over-long sessions (12 weeks or more)
    walk_start: float
    walk_end: float
    pain_start: float
    pain_end: float
    minutes_scale: float = 1.0


_PROFILES = {
    "steady": _Profile(
        "steady", 0.96, 0.9, 0.08, 0.02, 0.04, 0.01, 0.03, 0.02, 1, 0.9, 0.85, 6.0, 2.5
    ),
    "sagging": _Profile(
        "sagging", 0.97, 0.5, 0.20, 0.03, 0.22, 0.02, 0.10, 0.04, 2, 0.9, 0.65, 6.2, 3.2
    ),
    "weekend gaps": _Profile(
        "weekend gaps", 0.92, 0.82, 0.60, 0.04, 0.10, 0.03, 0.06, 0.02, 1, 0.85, 0.75, 5.6, 3.4
    ),
    "under-dosed": _Profile(
        "under-dosed", 0.85, 0.70, 0.15, 0.45, 0.60, 0.10, 0.20, 0.00, 0, 0.7, 0.55, 6.5, 5.0, 0.6
    ),
    "over-doer": _Profile(
        "over-doer", 0.93, 0.85, 0.05, 0.03, 0.05, 0.02, 0.03, 0.10, 3, 0.9, 0.9, 5.2, 3.5, 1.3
    ),
}
#: Caseload order: P01 steady, P02 sagging, P03 weekend gaps, P04 under-dosed, P05 over-doer.
_CASELOAD = ("steady", "sagging", "weekend gaps", "under-dosed", "over-doer")
_CASELOAD_ZONES = ("CET", "CET", "EST", "GMT", "EST")


@dataclass(frozen=True)
class _Patient:
    pid: str | None
    profile: _Profile
    zone: str
    habits: dict[str, str]  # activity id -> the spelling this person usually writes
    variants: dict[str, tuple[str, ...]]
    p_variant: float  # chance of writing another spelling
    p_morning: float  # chance the session is in the morning
    p_no_time: float  # chance the time is left empty
    p_routine: float  # chance minutes are logged once for the routine
    p_no_sets: float  # chance the sets cell is left empty
    slr_pair: float  # chance SLR is logged as a left and a right row



def _make_patient(rng: np.random.Generator, i: int, n: int, program: Program) -> _Patient:
    if n == 1:
        profile, zone = _PROFILES["sagging"], "CET"
    else:
        profile = _PROFILES[_CASELOAD[i % len(_CASELOAD)]]
        zone = _CASELOAD_ZONES[i % len(_CASELOAD_ZONES)]
        if i >= len(_CASELOAD):  # later patients: the same five kinds, each a little different
            j = rng.uniform(0.9, 1.05, size=4)
            profile = replace(
                profile,
                p_start=min(0.99, profile.p_start * j[0]),
                p_end=min(0.99, profile.p_end * j[1]),
                pain_start=min(9.0, profile.pain_start * j[2]),
                pain_end=profile.pain_end * j[3],
            )
    spell = _spellings(program)
    habits = {a: str(rng.choice(h)) for a, (h, _) in spell.items()}
    return _Patient(
        pid=None if n == 1 else f"P{i + 1:02d}",
        profile=profile,
        zone=zone,
        habits=habits,
        variants={a: v for a, (_, v) in spell.items()},
        p_variant=float(rng.uniform(0.04, 0.15)),
        p_morning=float(rng.choice([0.25, 0.7, 0.85])),
        p_no_time=float(rng.uniform(0.03, 0.15)),
        p_routine=float(rng.uniform(0.03, 0.10)),
        p_no_sets=float(rng.choice([0.05, 0.3])),
        slr_pair=float(rng.uniform(0.7, 0.85)),
    )


# -- one patient, day by day -----------------------------------------------------------


def _lerp(a: float, b: float, t: np.ndarray | float) -> np.ndarray | float:
    return a + (b - a) * t


def _simulate_patient(
    rng: np.random.Generator, pat: _Patient, days: int, start: dt.date, program: Program
) -> tuple[list[dict], list[dict], list[dict]]:
    """Raw sessions rows, pain rows and wide rows of one patient."""
    prof = pat.profile
    exercises = program.exercises
    band = program.exercise_minutes
    n_ex = len(exercises)
    lo = max(1, int(band.low // n_ex))
    hi = max(lo + 1, int(band.high // n_ex))
    walk_mid = (program.walk_minutes.low + program.walk_minutes.high) / 2

    idx = np.arange(days)
    t = idx / max(days - 1, 1)
    dates = [start + dt.timedelta(days=int(d)) for d in idx]
    weekend = np.array([d.weekday() >= 5 for d in dates])
    p_do = np.clip(_lerp(prof.p_start, prof.p_end, t) - prof.weekend_drop * weekend, 0.02, 0.99)
    done = rng.random(days) < p_do
    done[0] = True
    overlong = done & (rng.random(days) < prof.overlong)
    overlong[-1] = False
    if days >= 28:
        need = prof.min_overlong - int(overlong.sum())
        cand = np.flatnonzero(done & ~overlong & (idx >= 7) & (idx < days - 3))
        if need > 0 and len(cand):
            overlong[rng.choice(cand, size=min(need, len(cand)), replace=False)] = True
    p_walk = np.clip(_lerp(prof.walk_start, prof.walk_end, t) - 0.2 * ~done, 0.05, 0.98)

    def name(activity: str) -> str:
        if rng.random() < pat.p_variant:
            return str(rng.choice(pat.variants[activity]))
        return pat.habits[activity]

    sessions: list[dict] = []
    wide: list[dict] = []
    session_time = np.full(days, -1)
    session_minutes = np.zeros(days)
    for d in idx:
        iso = dates[d].isoformat()
        rows: list[dict] = []
        reps_total: dict[str, float] = {}
        ex_minutes = 0
        t_d = float(t[d])
        if done[d]:
            if rng.random() < pat.p_morning:
                minute = int(rng.integers(6 * 60 + 30, 9 * 60 + 30))
            else:
                minute = int(rng.integers(17 * 60 + 30, 21 * 60))
            session_time[d] = minute
            time = "" if rng.random() < pat.p_no_time else _hhmm(minute)
            short_p = _lerp(prof.short_start, prof.short_end, t_d)
            skip_p = _lerp(prof.skip_start, prof.skip_end, t_d)
            routine = rng.random() < pat.p_routine
            keep = rng.random(n_ex) >= skip_p
            if overlong[d]:  # feeling good: everything, and then some
                keep[:] = True
            if not keep.any():
                keep[rng.integers(n_ex)] = True

            def reps_for(target: int, short_p: float = short_p) -> int:
                u = rng.random()
                if u < short_p:
                    return int(rng.integers(max(1, target // 2), target))
                if u > 0.96:
                    return target + int(rng.choice([2, 5]))
                return target

            def minutes_for(long: bool = bool(overlong[d])) -> int:
                if long:
                    return int(rng.integers(hi + 1, hi + 5))
                m = rng.integers(lo, hi + 1) * prof.minutes_scale
                return max(1, round(float(m)))

            for e, k in zip(exercises, keep, strict=True):
                if not k:
                    continue
                reps = reps_for(e.target_reps)
                minutes = None if routine else minutes_for()
                if minutes is not None and not overlong[d] and rng.random() < 0.04:
                    minutes = None
                ex_minutes += minutes or 0
                u = rng.random()
                sets: int | None = 1
                if u < 0.1 and reps >= 6:
                    sets, reps = 2, math.ceil(reps / 2)
                elif u < 0.1 + pat.p_no_sets:
                    sets = None
                total = reps * (sets or 1)
                base = {"date": iso, "time": time, "reps": reps, "sets": sets, "notes": ""}
                if e.per_side and rng.random() < pat.slr_pair:
                    right = reps if rng.random() < 0.8 else reps_for(e.target_reps)
                    m_left = None if minutes is None else max(1, math.ceil(minutes / 2))
                    m_right = None if minutes is None else max(1, minutes // 2)
                    ex_name = name(e.id)
                    rows.append({**base, "exercise": ex_name, "side": "left", "minutes": m_left})
                    rows.append(
                        {
                            **base,
                            "exercise": ex_name,
                            "reps": right,
                            "side": "right",
                            "minutes": m_right,
                        }
                    )
                    total = min(total, right * (sets or 1))
                else:
                    side = ("both" if rng.random() < 0.6 else "") if e.per_side else ""
                    rows.append({**base, "exercise": name(e.id), "side": side, "minutes": minutes})
                reps_total[e.id] = total
            if routine:
                total_min = minutes_for() * n_ex
                ex_minutes += total_min
                rows.insert(
                    0,
                    {"date": iso, "time": time, "exercise": name(SESSION), "reps": None,
                     "sets": None, "side": "", "minutes": total_min, "notes": ""},
                )  # fmt: skip
            if overlong[d]:
                rows[-1]["notes"] = str(rng.choice(_OVERLONG_NOTES))
            elif rng.random() < 0.07:
                rows[int(rng.integers(len(rows)))]["notes"] = str(rng.choice(_EXERCISE_NOTES))
            for r in rows:
                r["_key"] = minute
            session_minutes[d] = ex_minutes
        walk_total = 0
        if rng.random() < p_walk[d]:
            n_walks = 2 if rng.random() < 0.25 else 1
            w_minute = int(rng.integers(11 * 60, 15 * 60))
            for _ in range(n_walks):
                w = int(np.clip(round(rng.normal(walk_mid, 5)), 5, 30))
                walk_total += w
                note = str(rng.choice(_WALK_NOTES)) if rng.random() < 0.06 else ""
                rows.append(
                    {"date": iso, "time": "" if rng.random() < pat.p_no_time else _hhmm(w_minute),
                     "exercise": name(WALK), "reps": None, "sets": None, "side": "",
                     "minutes": w, "notes": note, "_key": w_minute},
                )  # fmt: skip
                w_minute = min(23 * 60, w_minute + w + int(rng.integers(90, 240)))
        rows.sort(key=lambda r: r["_key"])
        sessions.extend(rows)

        w_row: dict = {"date": iso}
        for e in exercises:
            if e.id in reps_total:
                w_row[e.id] = reps_total[e.id]
            else:
                w_row[e.id] = 0 if (done[d] and rng.random() < 0.5) else None
        w_row["exercise minutes"] = ex_minutes if done[d] and ex_minutes else None
        w_row["walk minutes"] = walk_total or None
        w_row["notes"] = "; ".join(r["notes"] for r in rows if r["notes"])
        wide.append(w_row)

    pain = _simulate_pain(rng, pat, dates, t, done, overlong, session_time, session_minutes)
    return sessions, pain, wide


def _simulate_pain(
    rng: np.random.Generator,
    pat: _Patient,
    dates: list[dt.date],
    t: np.ndarray,
    done: np.ndarray,
    overlong: np.ndarray,
    session_time: np.ndarray,
    session_minutes: np.ndarray,
) -> list[dict]:
    prof = pat.profile
    days = len(dates)
    base = prof.pain_end + (prof.pain_start - prof.pain_end) * (1 - t) ** 1.3
    noise = np.zeros(days)
    shocks = rng.normal(0, 0.45, size=days)
    for d in range(days):
        noise[d] = (0.6 * noise[d - 1] if d else 0.0) + shocks[d]
    flare = np.zeros(days)
    for d in np.flatnonzero(overlong):
        for lag, bump in ((1, 3.2), (2, 2.0), (3, 0.8)):
            if d + lag < days:
                flare[d + lag] += bump
    level = base + noise + flare
    adjust = {"night": 1.0, "morning": 0.6, "after exercise": -0.4, "afternoon": 0.0,
              "after walk": -0.3, "evening": 0.2}  # fmt: skip

    rows: list[dict] = []
    for d in range(days):
        k = int(rng.choice([0, 1, 2, 3], p=[0.03, 0.30, 0.45, 0.22])) if d else 2
        contexts: list[tuple[str, int]] = []
        if rng.random() < 0.03:
            contexts.append(("night", int(rng.integers(5, 56))))
        if k:
            morning = ("morning", int(rng.integers(6 * 60 + 15, 9 * 60 + 30)))
            if session_time[d] >= 0:
                m = int(session_time[d] + session_minutes[d] + rng.integers(5, 25))
                middle = ("after exercise", min(m, 22 * 60))
                if morning[1] > session_time[d] - 5:  # rated on waking, before a morning session
                    morning = (
                        "morning",
                        max(5 * 60 + 45, int(session_time[d] - rng.integers(10, 40))),
                    )
            else:
                middle = (
                    str(rng.choice(["afternoon", "after walk"])),
                    int(rng.integers(780, 1020)),
                )
            if rng.random() < 0.3:
                evening = ("evening", int(rng.integers(23 * 60, 23 * 60 + 60)))
            else:
                evening = ("evening", int(rng.integers(20 * 60 + 30, 23 * 60)))
            if k == 1:
                contexts.append(morning if rng.random() < 0.5 else evening)
            elif k == 2:
                contexts += [morning, evening] if rng.random() < 0.6 else [morning, middle]
            else:
                contexts += [morning, middle, evening]
        contexts.sort(key=lambda c: c[1])
        location = str(rng.choice(_LOCATIONS, p=_LOCATION_P))
        for context, minute in contexts:
            value = float(np.clip(level[d] + adjust[context] + rng.normal(0, 0.45), 0, 10))
            value = round(value * 2) / 2 if rng.random() < 0.1 else float(round(value))
            offset = _offset_minutes(dates[d], minute, pat.zone)
            note = ""
            if flare[d] >= 2 and context == "morning" and rng.random() < 0.5:
                note = str(rng.choice(_FLARE_NOTES))
            elif rng.random() < 0.05:
                note = str(rng.choice(_PAIN_NOTES))
            if rng.random() < 0.1:
                location = str(rng.choice(_LOCATIONS, p=_LOCATION_P))
            rows.append(
                {
                    "timestamp": f"{dates[d].isoformat()}T{_hhmm(minute)}:00{_format_offset(offset)}",
                    "pain": value,
                    "context": context,
                    "location": location,
                    "notes": note,
                }
            )
    return rows
