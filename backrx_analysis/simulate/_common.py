"""How the simulated people write, shared by :mod:`backrx_analysis.simulate.patients`
and :mod:`backrx_analysis.simulate.rows`: spellings of the activities, notes, pain
locations, and the time zones (with summer time) of their timestamps.
"""

from __future__ import annotations

import datetime as dt

from ..program import SESSION, WALK, Program

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


# -- what they write in the notes and where it hurts ---------------------------------
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
