"""Match the headers people write to the canonical fields (the one synonym table).

Headers are compared without regard to case, spaces, underscores, punctuation or a
unit in brackets: ``"Reps (count)"``, ``"REPS"`` and ``"n_reps"`` all mean ``reps``.
The full list is printed in docs/data-format.md (generated from :data:`SYNONYMS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..program import SESSION, WALK, Program, normalize_name

__all__ = ["SYNONYMS", "HeaderMap", "map_headers", "normalize_header"]

#: field -> header names accepted for it (compared after :func:`normalize_header`).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "patient_id": ("patient_id", "patient", "patient id", "patient name", "pid", "client",
                   "client id", "subject", "subject id", "participant"),
    "date": ("date", "day", "timestamp", "datetime", "date time", "date and time", "when",
             "logged at", "recorded at", "entry date"),
    "time": ("time", "time of day", "clock", "hour", "at"),
    "exercise": ("exercise", "activity", "exercise name", "movement", "name", "what"),
    "reps": ("reps", "rep", "repetitions", "repetition", "n reps", "number of reps",
             "count", "reps done"),
    "sets": ("sets", "set", "n sets", "number of sets", "rounds"),
    "side": ("side", "leg", "limb", "left right"),
    "minutes": ("minutes", "minute", "mins", "min", "duration", "duration minutes",
                "time spent", "exercise time"),
    "hold_s": ("hold", "hold s", "hold sec", "hold secs", "hold seconds", "hold time",
               "seconds held"),
    "notes": ("notes", "note", "comment", "comments", "remarks", "remark", "free text"),
    "pain": ("pain", "score", "nrs", "pain score", "pain nrs", "pain level", "pain rating",
             "rating", "level", "pain 0 10"),
    "context": ("context", "situation", "moment", "when rated", "circumstance"),
    "location": ("location", "where", "site", "area", "body part", "pain location"),
}

#: Fields each kind of log accepts (the others are ignored and listed).
KIND_FIELDS = {
    "sessions": ("patient_id", "date", "time", "exercise", "reps", "sets", "side",
                 "minutes", "hold_s", "notes"),
    "pain": ("patient_id", "date", "time", "pain", "context", "location", "notes"),
}
#: Fields a log of each kind cannot do without (wide session sheets need no exercise).
REQUIRED = {"sessions": ("date", "exercise"), "pain": ("date", "pain")}

_UNIT = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")
_MINUTE_UNITS = {"min", "mins", "minute", "minutes", "m"}
_SECOND_UNITS = {"s", "sec", "secs", "second", "seconds"}
_SIDE_WORDS = {"left": "left", "l": "left", "right": "right", "r": "right", "both": "both"}


def normalize_header(text: str) -> tuple[str, str]:
    """(key, unit): ``"Duration (min)"`` -> ``("duration", "min")``."""
    text = str(text).replace("\ufeff", "").strip().lower()
    units = _UNIT.findall(text)
    base = _UNIT.sub(" ", text)
    return normalize_name(base), normalize_name(units[0]) if units else ""


_LOOKUP = {normalize_name(s): f for f, names in SYNONYMS.items() for s in names}


@dataclass
class WideColumn:
    """A column of a wide sheet: reps of one exercise (maybe one side) or minutes."""

    position: int
    activity: str
    side: str | None = None
    measure: str = "reps"  # or "minutes"


@dataclass
class HeaderMap:
    fields: dict[str, int] = field(default_factory=dict)  # field -> column position
    wide: list[WideColumn] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (header, problem)

    @property
    def is_wide(self) -> bool:
        return bool(self.wide)


def _field_for(key: str, unit: str) -> str | None:
    if key in ("time", "duration", "exercise time", "exercisetime") and unit in _MINUTE_UNITS:
        return "minutes"
    if key in ("hold", "holdtime") and unit in _SECOND_UNITS | {""}:
        return "hold_s"
    return _LOOKUP.get(key)


def _wide_column(header: str, position: int, program: Program) -> WideColumn | None:
    key, unit = normalize_header(header)
    words = re.findall(r"[a-z0-9]+", _UNIT.sub(" ", header.lower()))
    measure = "minutes" if unit in _MINUTE_UNITS else "reps"
    # trailing measure words: "walk minutes", "wall squat reps"
    while words and words[-1] in ("minutes", "minute", "mins", "min", "reps", "repetitions",
                                  "total", "count"):
        if words[-1].startswith("min"):
            measure = "minutes"
        words = words[:-1]
    side = None
    if len(words) > 1 and words[-1] in _SIDE_WORDS:
        side = _SIDE_WORDS[words[-1]]
        words = words[:-1]
    elif len(words) > 1 and words[0] in _SIDE_WORDS and words[0] != "l":
        side = _SIDE_WORDS[words[0]]
        words = words[1:]
    name = "".join(words)
    if not name:
        return None
    if name in ("exercise", "session", "routine", "workout", "exercises") and measure == "minutes":
        return WideColumn(position, SESSION, None, "minutes")
    if name in ("", "total") and measure == "minutes":
        return WideColumn(position, SESSION, None, "minutes")
    activity = program.resolve(name)
    if activity is None:
        return None
    if activity == WALK:
        return WideColumn(position, WALK, None, "minutes")
    if activity == SESSION:
        return WideColumn(position, SESSION, None, "minutes")
    if measure == "minutes":
        return WideColumn(position, activity, side, "minutes")
    return WideColumn(position, activity, side, "reps")


def map_headers(headers: list[str], kind: str, program: Program) -> HeaderMap:
    """Work out which column holds which field, for a ``"sessions"`` or ``"pain"`` log.

    A sessions sheet without an exercise column but with columns named after the
    program's exercises is *wide* (one row per day); its ``minutes`` column is routine
    minutes (the ``session`` activity) and ``walk minutes`` the walk.
    """
    hm = HeaderMap()
    allowed = KIND_FIELDS[kind]
    seen: dict[str, str] = {}
    unmatched: list[tuple[int, str]] = []
    for pos, header in enumerate(headers):
        key, unit = normalize_header(header)
        if not key:
            if header.strip():
                hm.ignored.append(header)
            continue
        f = _field_for(key, unit)
        if f == "context" and kind == "sessions":
            f = None
        if kind == "pain" and key in ("activity", "exercise"):
            f = "context"
        if f is not None and f in allowed:
            if f in seen:
                hm.problems.append(
                    (header, f"both {seen[f]!r} and {header!r} would be the {f} column; "
                             "rename or remove one of them")
                )
                continue
            seen[f] = header
            hm.fields[f] = pos
        else:
            unmatched.append((pos, header))
    if kind == "sessions" and "exercise" not in hm.fields:
        # wide sheet? exercise names as headers; a bare 'minutes' is the routine's minutes
        for pos, header in unmatched:
            wc = _wide_column(header, pos, program)
            if wc is not None:
                hm.wide.append(wc)
            else:
                hm.ignored.append(header)
        if hm.wide and "minutes" in hm.fields:
            hm.wide.append(WideColumn(hm.fields.pop("minutes"), SESSION, None, "minutes"))
        if hm.wide:
            for f in ("reps", "sets", "side", "hold_s"):
                if f in hm.fields:
                    hm.problems.append(
                        (headers[hm.fields[f]],
                         f"a {f!r} column needs an exercise column (long format); in a wide "
                         "sheet each exercise has its own column of repetitions")
                    )
    else:
        hm.ignored.extend(h for _, h in unmatched)
    required = [f for f in REQUIRED[kind] if f not in hm.fields]
    if kind == "sessions" and hm.wide:
        required = [f for f in required if f != "exercise"]
    if required:
        accepted = "; ".join(f"{f}: {', '.join(SYNONYMS[f][:6])}" for f in required)
        found = ", ".join(repr(h) for h in headers) or "none"
        hint = ""
        if kind == "sessions" and "exercise" in required:
            hint = (" (or, for a wide sheet with one row per day, one column per exercise "
                    "named like 'Ankle pumps', 'Wall squat', 'SLR')")
        hm.problems.append(
            ("", f"missing required column{'s' if len(required) > 1 else ''} "
                 f"{', '.join(required)}{hint}. Columns found: {found}. Accepted names: {accepted}")
        )
    return hm
