"""Match the headers people write to the canonical fields (the one synonym table).

Headers are compared without regard to case, accents, spaces, underscores,
punctuation or a unit in brackets: ``"Reps (count)"``, ``"REPS"`` and ``"n_reps"`` all
mean ``reps``. The table knows English and, from :mod:`.header_words`, German, French,
Spanish, Dutch and Italian (``"Wiederholungen"``, ``"répétitions"``, ``"herhalingen"``).
The full list is printed in docs/data-format.md (checked against :data:`SYNONYMS` by
tests/io/test_headers.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..program import SESSION, WALK, Program, normalize_name
from . import header_words as hw

__all__ = ["ENGLISH", "LANGUAGES", "SYNONYMS", "HeaderMap", "map_headers", "normalize_header"]

#: field -> the English header names accepted for it.
ENGLISH: dict[str, tuple[str, ...]] = {
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
    "scale": ("scale", "pain scale", "rating scale"),
    "measured": ("measured", "amount known"),
}
#: The languages of the synonym table.
LANGUAGES = {"en": "English", **hw.LANGUAGES}
#: field -> header names accepted for it in every language of :data:`LANGUAGES`, English
#: first (compared after :func:`normalize_header`): the one synonym table.
SYNONYMS: dict[str, tuple[str, ...]] = {
    f: tuple(dict.fromkeys((*names, *(n for ns in hw.HEADERS.get(f, {}).values() for n in ns))))
    for f, names in ENGLISH.items()
}

#: Fields each kind of log accepts (the others are ignored and listed).
KIND_FIELDS = {
    "sessions": ("patient_id", "date", "time", "exercise", "reps", "sets", "side",
                 "minutes", "hold_s", "measured", "notes"),
    "pain": ("patient_id", "date", "time", "pain", "scale", "context", "location", "notes"),
}
#: Fields a log of each kind cannot do without (wide session sheets need no exercise).
REQUIRED = {"sessions": ("date", "exercise"), "pain": ("date", "pain")}

_UNIT = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")
_MINUTE_UNITS = {"min", "mins", "minute", "minutes", "m", *hw.MINUTE_UNITS}
_SECOND_UNITS = {"s", "sec", "secs", "second", "seconds", *hw.SECOND_UNITS}
_HOUR_UNITS = {"h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden", "heure", "heures",
               "hora", "horas", "uur", "ore"}
_MS_UNITS = {"ms", "msec", "millisecond", "milliseconds"}
#: (field, unit words) -> the factor that brings a value to the field's own unit
_SCALES = {"minutes": ((_SECOND_UNITS, 1 / 60), (_HOUR_UNITS, 60.0), (_MS_UNITS, 1 / 60_000)),
           "hold_s": ((_MINUTE_UNITS - {"m"}, 60.0), (_MS_UNITS, 1 / 1000))}
_DURATION_KEYS = {"time", "duration", "exercisetime", *hw.DURATION_WORDS}
#: a wide sheet's side words ("SLR left", "SLR links", "EPR derecha"), normalised
_SIDE_WORDS = {"left": "left", "l": "left", "right": "right", "r": "right", "both": "both",
               **{normalize_name(w): s for words in hw.SIDE_WORDS.values() for w, s in words.items()}}
_MEASURES = {"minutes": {"minutes", "minute", "mins", "min", *hw.MEASURE_WORDS["minutes"]},
             "reps": {"reps", "repetitions", "total", "count", *hw.MEASURE_WORDS["reps"]}}
_ROUTINE = {"exercise", "session", "routine", "workout", "exercises", "total", *hw.ROUTINE_WORDS}
_PAIN_CONTEXT = {"activity", "exercise", *map(normalize_name, hw.PAIN_CONTEXT)}


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
    #: field -> factor from the unit its header names to the field's own unit
    #: (``Duration (s)``: minutes = value / 60); fields in their own unit are absent
    scale: dict[str, float] = field(default_factory=dict)

    @property
    def is_wide(self) -> bool:
        return bool(self.wide)


def _field_for(key: str, unit: str) -> str | None:
    if key in _DURATION_KEYS and unit in _MINUTE_UNITS:
        return "minutes"
    if key in ("hold", "holdtime") and unit in _SECOND_UNITS | {""}:
        return "hold_s"
    return _LOOKUP.get(key)


def _wide_column(header: str, position: int, program: Program) -> WideColumn | None:
    key, unit = normalize_header(header)
    words = [w for w in map(normalize_name, re.split(r"[\W_]+", _UNIT.sub(" ", header))) if w]
    measure = "minutes" if unit in _MINUTE_UNITS else "reps"
    # measure words after the name ("walk minutes", "wall squat reps") or before it,
    # maybe with a "de" ("Minuten Spaziergang", "minutos de caminata")
    lead = 0
    while lead < len(words) - 1 and any(words[lead] in m for m in _MEASURES.values()):
        measure = "minutes" if words[lead] in _MEASURES["minutes"] else measure
        lead += 1
    if lead:
        while lead < len(words) - 1 and words[lead] in hw.LINK_WORDS:
            lead += 1
    words = words[lead:]
    while words and any(words[-1] in m for m in _MEASURES.values()):
        if words[-1] in _MEASURES["minutes"]:
            measure = "minutes"
        words = words[:-1]
    side = None
    if len(words) > 2 and words[-2] + words[-1] in _SIDE_WORDS:  # "SLR jambe gauche"
        side = _SIDE_WORDS[words[-2] + words[-1]]
        words = words[:-2]
    elif len(words) > 1 and words[-1] in _SIDE_WORDS:
        side = _SIDE_WORDS[words[-1]]
        words = words[:-1]
    elif len(words) > 1 and words[0] in _SIDE_WORDS and (len(words[0]) > 3 or words[0] == "r"):
        side = _SIDE_WORDS[words[0]]
        words = words[1:]
    name = "".join(words)
    if not name:
        return None
    if name in _ROUTINE and measure == "minutes":
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
        if kind == "pain" and key in _PAIN_CONTEXT:
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
            factor = next((k for units, k in _SCALES.get(f, ()) if unit in units), None)
            if factor is not None:
                hm.scale[f] = factor
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
        accepted = "; ".join(
            f"{f}: {', '.join(ENGLISH[f][:6])}; "
            + ", ".join(f"{hw.HEADERS[f][lang][0]} ({lang})" for lang in hw.LANGUAGES)
            for f in required)
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
