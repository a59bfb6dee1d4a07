"""Seeded synthetic logs, written the way people really write them.

Two uses: the bundled sample data (``scripts/make_sample_data.py`` builds every file
of ``sample_data/`` from :func:`simulate_logs`) and the benchmarks, which need raw
logs of any size (:func:`simulate_sessions_rows`, :func:`simulate_pain_rows`).

The frames returned here are *raw*: the columns a person's spreadsheet or CSV would
have, with names, sides and times as people type them (``"SLR"``, ``"wall slide"``,
an empty time, a note with a comma in it). :mod:`backrx_analysis.io` turns such logs
into canonical frames; nothing here produces a canonical frame.

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
import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .program import SESSION, WALK, Program, default_program

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

# -- how people write the names ------------------------------------------------------
# activity id -> (habitual spellings, occasional variants). Every entry resolves with
# default_program().resolve(); for other programs only those that resolve are kept.
_SPELLINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ankle_pumps": (("Ankle pumps",), ("ankle pumps", "Ankle pump", "Foot pumps", "ANKLE PUMPS")),
    "abdominal_bracing": (
        ("Abdominal bracing", "Ab bracing"),
        ("ab bracing", "Core brace", "abdominal contraction", "ABDOMINAL BRACING"),
    ),
    "wall_squat": (("Wall squat",), ("wall squats", "Wall slide", "wall sit", "WALL SQUAT")),
    "straight_leg_raise": (
        ("SLR", "Straight leg raise"),
        ("straight-leg raise", "Leg raise", "slr", "straight leg raise"),
    ),
    "partial_curl_up": (
        ("Partial curl-up", "Curl-up"),
        ("curl up", "Partial crunch", "crunch", "partial curl-up"),
    ),
    WALK: (("Walk",), ("walk", "Walking", "walk outside", "Treadmill walk")),
    SESSION: (("Routine", "session"), ("Exercises", "workout", "routine")),
}

_EXERCISE_NOTES = (
    "felt stiff at first",
    "slow and careful",
    "twinge in the back on the last few, stopped",
    "easier today",
    "after work, tired",
    "left leg weaker than right",
    "knees a bit sore, went less deep",
)
_OVERLONG_NOTES = (
    "felt good, so did extra",
    "did everything twice, about 45 min",
    "long session, took my time, lots of rests",
)
_WALK_NOTES = ("with the dog", "around the park, slow", "to the shops and back", "rain, short")
_PAIN_NOTES = (
    "stiff getting out of bed",
    "sat too long at work",
    "after a long drive, 2 h",
    "slept badly, woke at 3",
    "better after the walk",
)
_FLARE_NOTES = ("sore after yesterday's long session", "worse today, took it easy")
_LOCATIONS = ("low back", "lower back", "left buttock", "low back, left side", "back of left thigh")
_LOCATION_P = (0.72, 0.08, 0.09, 0.07, 0.04)

# -- time zones: (standard offset, summer offset, rule, switch-on minute, switch-off minute)
_ZONES: dict[str, tuple[int, int, str, int, int]] = {
    "CET": (60, 120, "eu", 120, 180),
    "GMT": (0, 60, "eu", 60, 120),
    "EST": (-300, -240, "us", 120, 120),
}
_ZONE_NAMES = tuple(_ZONES)


def _nth_sunday(year: int, month: int, n: int) -> dt.date:
    """n-th Sunday of a month (n = -1: the last one)."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - 6) % 7)


def _summer_time(year: int, rule: str) -> tuple[dt.date, dt.date]:
    if rule == "eu":
        return _nth_sunday(year, 3, -1), _nth_sunday(year, 10, -1)
    return _nth_sunday(year, 3, 2), _nth_sunday(year, 11, 1)


def _offset_minutes(day: dt.date, minute_of_day: int, zone: str) -> int:
    """UTC offset (minutes) of a local wall-clock time in one of the simulated zones."""
    std, dst, rule, on_min, off_min = _ZONES[zone]
    on, off = _summer_time(day.year, rule)
    if on < day < off:
        return dst
    if day == on:
        return dst if minute_of_day >= on_min else std
    if day == off:
        return std if minute_of_day >= off_min else dst
    return std


def _format_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _hhmm(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


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


def _spellings(program: Program) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Spellings per activity that resolve to it under ``program``."""
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    names = {e.id: (e.name, e.aliases) for e in program.exercises}
    names[WALK] = ("Walk", program.walk_aliases)
    names[SESSION] = ("Routine", program.session_aliases)
    for activity, (name, aliases) in names.items():
        habitual, variants = _SPELLINGS.get(activity, ((name,), (*aliases, name.lower())))
        habitual = tuple(s for s in habitual if program.resolve(s) == activity)
        variants = tuple(s for s in variants if program.resolve(s) == activity)
        fallback = name if program.resolve(name) == activity else activity
        out[activity] = (habitual or (fallback,), variants or habitual or (fallback,))
    return out


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


# -- any number of rows, vectorised (benchmarks) ---------------------------------------


def _take(pool: object, codes: np.ndarray, missing: np.ndarray | None = None):
    """Arrow string array ``pool[codes]``, null where ``missing``."""
    import pyarrow as pa

    values = pa.array([str(v) for v in pool], pa.large_string())
    return values.take(pa.array(np.asarray(codes, dtype="int64"), mask=missing))


def _coded(pool: object, codes: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """Text column ``pool[codes]`` (missing where ``missing``), built without a Python
    object per row: a million rows in milliseconds."""
    return pd.Series(_take(pool, codes, missing), dtype="str")


def _ints(values: np.ndarray, missing: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype("int64"), missing.astype(bool))


def _check_rows(n_rows: int, n_patients: int | None, per_patient: int) -> tuple[int, int]:
    n_rows = int(n_rows)
    if n_rows < 0:
        raise ValueError(f"n_rows must be >= 0, got {n_rows}")
    if n_patients is None:
        n_patients = max(1, round(n_rows / per_patient))
    n_patients = int(n_patients)
    if n_patients < 1:
        raise ValueError(f"n_patients must be at least 1, got {n_patients}")
    if n_rows / n_patients > 80_000:
        raise ValueError(
            f"{n_rows} rows for {n_patients} patient(s) would span more than a century of "
            "days per patient; pass more patients (at most 80,000 rows each)"
        )
    return n_rows, n_patients


_HHMM = np.array([_hhmm(m) for m in range(24 * 60)])


def _calendar(start: dt.date, n_days: int) -> np.ndarray:
    return np.datetime_as_string(np.datetime64(start, "D") + np.arange(n_days), unit="D")


def _patient_days(rng: np.random.Generator, n_days: int, n_patients: int):
    """Interleaved patient-days: index d is patient d % n, day d // n."""
    d = np.arange(n_days)
    patient = d % n_patients
    day = d // n_patients
    days_pp = max(int(day.max(initial=0)) + 1, 2)
    t = day / (days_pp - 1)
    return patient, day, t, days_pp


def simulate_sessions_rows(
    n_rows: int, *, seed: int = 0, n_patients: int | None = None
) -> pd.DataFrame:
    """A raw long-format sessions log of exactly ``n_rows`` rows (vectorised).

    Same columns as :func:`simulate_logs` in long format, with ``patient_id`` always
    present; rows grouped by patient, in date order. Each patient exercises on most
    days at first and less later, skips more at weekends, logs straight leg raise per
    side (or once, ``both``/no side), walks most days, now and then a ``Routine``
    row. Meant for benchmarks: a million rows take well under a second or two.

    Parameters
    ----------
    n_rows : int
        Rows wanted; the log is cut to exactly this many.
    seed : int
        Seed of ``numpy.random.default_rng``.
    n_patients : int, optional
        Patients ``P0001``, ...; default about one per 450 rows (12 weeks each).

    Examples
    --------
    >>> df = simulate_sessions_rows(1000, seed=2)
    >>> len(df), list(df.columns)[:3]
    (1000, ['patient_id', 'date', 'time'])
    """
    n_rows, n_patients = _check_rows(n_rows, n_patients, 450)
    program = default_program()
    spell = _spellings(program)
    # slot -> (activity id, kind); kind: "ex", "left", "right", "walk", "session"
    slots: list[tuple[str, str]] = []
    for e in program.exercises:
        slots += [(e.id, "left"), (e.id, "right")] if e.per_side else [(e.id, "ex")]
    slots += [(WALK, "walk"), (WALK, "walk"), (SESSION, "session")]
    n_slots = len(slots)
    kinds = np.array([k for _, k in slots])
    ex_slot = np.isin(kinds, ["ex", "left", "right"])

    factor = 1.0
    while True:
        rng = np.random.default_rng(seed)
        n_days = math.ceil(n_rows / 4.2 * factor) + n_patients
        p_start = rng.uniform(0.8, 0.97, n_patients)
        p_end = rng.uniform(0.3, 0.9, n_patients)
        short_end = rng.uniform(0.05, 0.4, n_patients)
        patient, day, t, days_pp = _patient_days(rng, n_days, n_patients)
        if n_rows and days_pp > 36_600:
            raise ValueError(f"too many days per patient ({days_pp}); pass more patients")
        weekday = (np.datetime64("2026-03-02", "D") + day).astype("int64") % 7  # 0 = Thursday
        weekend = (weekday == 2) | (weekday == 3)
        p_do = p_start[patient] + (p_end[patient] - p_start[patient]) * t - 0.15 * weekend
        done = rng.random(n_days) < p_do
        pair = rng.random(n_days) < 0.75
        include = np.zeros((n_days, n_slots), dtype=bool)
        include[:, ex_slot] = done[:, None] & (rng.random((n_days, int(ex_slot.sum()))) > 0.05)
        include[:, kinds == "right"] &= pair[:, None]
        walk1 = rng.random(n_days) < np.where(done, 0.85, 0.6)
        walk_cols = np.flatnonzero(kinds == "walk")
        include[:, walk_cols[0]] = walk1
        include[:, walk_cols[1]] = walk1 & (rng.random(n_days) < 0.25)
        include[:, kinds == "session"] = (done & (rng.random(n_days) < 0.06))[:, None]
        flat = np.flatnonzero(include.ravel())
        if len(flat) >= n_rows:
            break
        factor *= 1.3
    flat = flat[:n_rows]
    r_day = flat // n_slots
    r_slot = flat % n_slots
    order = np.argsort(patient[r_day], kind="stable")
    r_day, r_slot = r_day[order], r_slot[order]
    n = n_rows
    r_kind = kinds[r_slot]
    r_pat = patient[r_day]
    r_t = t[r_day]

    # exercise names, as written: codes into one pool of every spelling
    activity = np.array([a for a, _ in slots])[r_slot]
    pool: list[str] = []
    exercise = np.zeros(n, dtype="int64")
    for a, (habitual, variants) in spell.items():
        m = activity == a
        p = np.r_[
            np.full(len(habitual), 0.88 / len(habitual)),
            np.full(len(variants), 0.12 / len(variants)),
        ]
        exercise[m] = len(pool) + rng.choice(len(p), size=int(m.sum()), p=p / p.sum())
        pool += [*habitual, *variants]

    is_ex = ex_slot[r_slot]
    short = rng.random(n) < 0.03 + (short_end[r_pat] - 0.03) * r_t
    reps = np.where(short, rng.integers(5, 10, n), 10)
    reps = np.where(rng.random(n) > 0.96, rng.choice([12, 15], n), reps)
    u = rng.random(n)
    two_sets = is_ex & (u < 0.1)
    reps = np.where(two_sets, np.ceil(reps / 2), reps)
    sets = np.where(two_sets, 2, 1)
    sets_missing = ~is_ex | ((u >= 0.1) & (u < 0.25))

    # side: 0 left, 1 right, 2 both; a single SLR row is "both" or has no side
    pair_r = pair[r_day]
    side = np.where(r_kind == "right", 1, np.where(pair_r, 0, 2))
    single = (r_kind == "left") & ~pair_r
    side_missing = ~np.isin(r_kind, ["left", "right"]) | (single & (rng.random(n) < 0.4))

    minutes = rng.integers(2, 7, n)
    minutes = np.where(np.isin(r_kind, ["left", "right"]), rng.integers(1, 4, n), minutes)
    minutes = np.where(r_kind == "walk", np.clip(np.rint(rng.normal(15, 5, n)), 5, 30), minutes)
    minutes = np.where(r_kind == "session", rng.integers(10, 36, n), minutes)
    minutes_missing = is_ex & (rng.random(n) < 0.05)

    # one time per session and per walk, left empty now and then
    session_minute = np.where(
        rng.random(n_days) < 0.65, rng.integers(390, 570, n_days), rng.integers(1050, 1260, n_days)
    )
    walk_minute = rng.integers(660, 1080, n_days)
    session_no_time = rng.random(n_days) < 0.08
    walk_no_time = rng.random(n_days) < 0.08
    is_walk = r_kind == "walk"
    minute = np.where(is_walk, walk_minute[r_day], session_minute[r_day])
    time_missing = np.where(is_walk, walk_no_time[r_day], session_no_time[r_day])

    notes_pool = [*_EXERCISE_NOTES, *_WALK_NOTES]
    notes = rng.integers(0, len(notes_pool), n)
    notes_missing = rng.random(n) >= 0.03

    calendar = _calendar(dt.date(2026, 3, 2), days_pp)
    pids = [f"P{i + 1:04d}" for i in range(n_patients)]
    return pd.DataFrame(
        {
            "patient_id": _coded(pids, r_pat),
            "date": _coded(calendar, day[r_day]),
            "time": _coded(_HHMM, minute, time_missing),
            "exercise": _coded(pool, exercise),
            "reps": _ints(reps, ~is_ex),
            "sets": _ints(sets, sets_missing),
            "side": _coded(("left", "right", "both"), side, side_missing),
            "minutes": _ints(minutes, minutes_missing),
            "notes": _coded(notes_pool, notes, notes_missing),
        }
    )


def simulate_pain_rows(
    n_rows: int, *, seed: int = 0, n_patients: int | None = None
) -> pd.DataFrame:
    """A raw pain log of exactly ``n_rows`` rows (vectorised).

    Same columns as the pain frame of :func:`simulate_logs`, with ``patient_id``
    always present; rows grouped by patient, in time order. 0-3 ratings a day
    (morning, after exercise, evening; a quarter of evening ratings at 23:xx), pain
    drifting from about 6 to about 3 with day-to-day noise and occasional flares,
    timestamps with the UTC offset of each patient's zone (CET, GMT or US Eastern,
    summer time included).

    Parameters
    ----------
    n_rows : int
        Rows wanted; the log is cut to exactly this many.
    seed : int
        Seed of ``numpy.random.default_rng``.
    n_patients : int, optional
        Patients ``P0001``, ...; default about one per 160 rows (12 weeks each).

    Examples
    --------
    >>> df = simulate_pain_rows(500, seed=2)
    >>> len(df), bool(df["pain"].between(0, 10).all())
    (500, True)
    """
    n_rows, n_patients = _check_rows(n_rows, n_patients, 160)
    factor = 1.0
    while True:
        rng = np.random.default_rng(seed)
        n_days = math.ceil(n_rows / 1.8 * factor) + n_patients
        pain_start = rng.uniform(5.0, 7.0, n_patients)
        pain_end = rng.uniform(2.0, 4.0, n_patients)
        zone = rng.choice(len(_ZONE_NAMES), n_patients, p=[0.6, 0.15, 0.25])
        patient, day, t, days_pp = _patient_days(rng, n_days, n_patients)
        if n_rows and days_pp > 36_600:
            raise ValueError(f"too many days per patient ({days_pp}); pass more patients")
        k = rng.choice(4, n_days, p=[0.03, 0.30, 0.45, 0.22])
        if int(k.sum()) >= n_rows:
            break
        factor *= 1.3
    variant = rng.random(n_days) < 0.5
    level = (
        pain_end[patient]
        + (pain_start - pain_end)[patient] * (1 - t) ** 1.3
        + rng.normal(0, 0.6, n_days)
        + np.where(rng.random(n_days) < 0.02, 3.0, 0.0)
    )
    r_day = np.repeat(np.arange(n_days), k)[:n_rows]
    first = np.cumsum(k) - k
    j = np.arange(len(r_day)) - first[r_day]
    order = np.argsort(patient[r_day], kind="stable")
    r_day, j = r_day[order], j[order]
    n = n_rows
    r_k = k[r_day]

    # context per (ratings that day, variant, position): 0 morning, 1 after exercise, 2 evening
    table = np.array(
        [
            [[0, 0, 0], [0, 0, 0]],
            [[0, 0, 0], [2, 2, 2]],
            [[0, 2, 2], [0, 1, 1]],
            [[0, 1, 2], [0, 1, 2]],
        ]
    )
    context = table[r_k, variant[r_day].astype(int), j]
    late = rng.random(n) < 0.25
    minute = np.select(
        [context == 0, context == 1],
        [rng.integers(375, 570, n), rng.integers(600, 1200, n)],
        np.where(late, rng.integers(1380, 1440, n), rng.integers(1230, 1380, n)),
    )
    adjust = np.array([0.6, -0.4, 0.2])[context]
    value = np.clip(level[r_day] + adjust + rng.normal(0, 0.45, n), 0, 10)
    halves = rng.random(n) < 0.1
    value = np.where(halves, np.rint(value * 2) / 2, np.rint(value))

    # UTC offsets: per zone and calendar day, with the time of day on switch days
    import pyarrow as pa
    import pyarrow.compute as pc

    calendar_dates = np.datetime64("2026-03-02", "D") + np.arange(days_pp)
    calendar = np.datetime_as_string(calendar_dates, unit="D")
    as_date = calendar_dates.astype(dt.date)
    r_zone = zone[patient[r_day]]
    r_date = day[r_day]
    offset_values = sorted({o for z in _ZONES.values() for o in z[:2]})
    offsets = np.empty(n, dtype="int64")
    for z, zname in enumerate(_ZONE_NAMES):
        std, dst, rule, on_min, off_min = _ZONES[zname]
        bounds = {y: _summer_time(y, rule) for y in {d.year for d in as_date}}
        on = np.array([np.datetime64(bounds[d.year][0]) for d in as_date])
        off = np.array([np.datetime64(bounds[d.year][1]) for d in as_date])
        m = r_zone == z
        cd, mm = calendar_dates[r_date[m]], minute[m]
        on_r, off_r = on[r_date[m]], off[r_date[m]]
        summer = (
            ((cd > on_r) & (cd < off_r))
            | ((cd == on_r) & (mm >= on_min))
            | ((cd == off_r) & (mm < off_min))
        )
        offsets[m] = np.where(summer, dst, std)
    offset_idx = np.searchsorted(np.array(offset_values), offsets)

    def lit(text: str):
        return pa.scalar(text, pa.large_string())

    stamp = pc.binary_join_element_wise(
        _take(calendar, r_date),
        lit("T"),
        _take(_HHMM, minute),
        lit(":00"),
        _take([_format_offset(o) for o in offset_values], offset_idx),
        lit(""),
    )

    pids = [f"P{i + 1:04d}" for i in range(n_patients)]
    return pd.DataFrame(
        {
            "patient_id": _coded(pids, patient[r_day]),
            "timestamp": pd.Series(stamp, dtype="str"),
            "pain": value.astype("float64"),
            "context": _coded(("morning", "after exercise", "evening"), context),
            "location": _coded(_LOCATIONS, rng.choice(len(_LOCATIONS), n, p=_LOCATION_P)),
            "notes": _coded(
                _PAIN_NOTES, rng.integers(0, len(_PAIN_NOTES), n), rng.random(n) >= 0.04
            ),
        }
    )


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
