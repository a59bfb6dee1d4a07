"""Apple Health walks: what the streaming scan keeps (:class:`Scan`), the rows of
walks it gives (values as written, units turned into minutes), the rule for a walk
recorded twice, and the report of what was left out.

**The same walk twice.** A walk recorded by a watch and a phone at once is two
``Workout`` elements with different ``sourceName``. Two walks are one when their
sources differ and their times overlap by more than half of the shorter one (equal
start and end included), or when one source wrote the same start, end and duration
twice. Of the two, the one that starts first is kept (at equal starts, the first in
the file); its notes name the other source. Walks whose start or end cannot be read
are never merged (validation reports their dates).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ...program import WALK, Program
from .base import count_phrase

__all__ = ["WALKING", "HIKING", "WALK_TYPES", "LOWER_BACK_PAIN", "Walk", "Scan", "walk_rows",
           "pain_rows", "iso_timestamp", "minutes_cell"]

WALKING = "HKWorkoutActivityTypeWalking"
HIKING = "HKWorkoutActivityTypeHiking"
WALK_TYPES = frozenset((WALKING, HIKING))
LOWER_BACK_PAIN = "HKCategoryTypeIdentifierLowerBackPain"

#: ``durationUnit`` -> (multiply, divide) to minutes (HealthKit's unit strings)
UNITS = {"min": (1, 1), "s": (1, 60), "ms": (1, 60_000), "hr": (60, 1), "h": (60, 1),
         "d": (1440, 1)}
_NUMBER = re.compile(r"\s*[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?\s*\Z")
_APPLE_TS = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})\Z")
_SEVERITY = {
    "HKCategoryValueSeverityNotPresent": "not present",
    "HKCategoryValueSeverityMild": "mild",
    "HKCategoryValueSeverityModerate": "moderate",
    "HKCategoryValueSeveritySevere": "severe",
    "HKCategoryValueSeverityUnspecified": "present, severity not given",
}
_PREFIXES = ("HKWorkoutActivityType", "HKQuantityTypeIdentifier", "HKCategoryTypeIdentifier",
             "HKDataType", "HKCorrelationTypeIdentifier")


class Walk(NamedTuple):
    """A walking workout's attributes as written (``None`` when absent)."""

    element: int  # the Workout element's ordinal in the export, from 1
    kind: str
    start: str | None
    end: str | None
    duration: str | None
    unit: str | None
    source: str | None


@dataclass
class Scan:
    """What one pass over an export keeps: walks, and counts of everything else."""

    started: bool = False
    workouts: int = 0
    walks: list[Walk] = field(default_factory=list)
    other_workouts: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    back_pain: dict = field(default_factory=dict)  # severity as written -> count
    #: (Record element ordinal, startDate, value, sourceName) of each lower-back-pain sample
    pain_records: list = field(default_factory=list)
    summaries: dict = field(default_factory=dict)

    def report(self, program: Program, *, walks_loaded: bool) -> list[str]:
        """Sentences on what was left out (and, for a session log, what was read)."""
        out = []
        if not walks_loaded and self.walks:
            out.append(f"{count_phrase(len(self.walks), 'walking workout')} "
                       f"{_are(len(self.walks))} not read into a pain log (they are walks)")
        for kind, n in _by_count(self.other_workouts):
            out.append(f"{count_phrase(n, 'workout')} of type {_short(kind)} "
                       f"{_are(n)} not part of the program")
        pain = sum(self.back_pain.values())
        if pain and walks_loaded:
            levels = ", ".join(f"{n:,} {_SEVERITY.get(v, repr(v))}"
                               for v, n in _by_count(self.back_pain))
            out.append(f"{count_phrase(pain, 'lower-back-pain symptom sample')} ({levels}) "
                       f"{_are(pain)} not read into a session log (load the export as a "
                       "pain log: they stay on Apple Health's own severity scale)")
        other = [(k, n) for k, n in _by_count(self.records) if k != LOWER_BACK_PAIN]
        if other:
            total = sum(n for _, n in other)
            shown = ", ".join(f"{n:,} {_short(k)}" for k, n in other[:5])
            more = f" and {len(other) - 5:,} more types" if len(other) > 5 else ""
            out.append(f"{count_phrase(total, 'other health record')} {_are(total)} not read, "
                       f"the program measures walks and pain ({shown}{more})")
        for tag, n in _by_count(self.summaries):
            out.append(f"{count_phrase(n, tag + ' element')} {_are(n)} not read")
        return out


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def _by_count(counts: dict) -> list:
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))


def _short(kind: str | None) -> str:
    if kind is None:
        return "(none given)"
    for p in _PREFIXES:
        if kind.startswith(p) and len(kind) > len(p):
            return kind[len(p):]
    return kind


def iso_timestamp(text: str | None) -> str | None:
    """Apple's ``2016-11-14 07:25:41 -0700`` -> ``2016-11-14T07:25:41-07:00``; any other
    text as written (validation reads it or says why not)."""
    if text is None:
        return None
    m = _APPLE_TS.match(text)
    return f"{m[1]}T{m[2]}{m[3]}:{m[4]}" if m else text


def _instant(text: str | None) -> float | None:
    """Seconds since the epoch of a timestamp written Apple's way, else ``None``."""
    iso = iso_timestamp(text)
    if iso is None or iso is text:
        return None
    try:
        return dt.datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return None


def minutes_cell(duration: str | None, unit: str | None) -> float | str | None:
    """Minutes of a ``duration`` in ``unit``; a duration that is not a plain number of 0
    or more, or an unknown unit, as text for validation to refuse; ``None`` when there
    is no duration (never a number made up)."""
    if duration is None:
        return None
    if not _NUMBER.match(duration):
        return duration
    if unit is None:
        return float(duration)  # Apple writes minutes (see the module docstring)
    factor = UNITS.get(unit.strip())
    if factor is None:
        return f"{duration} {unit}"
    return float(duration) * factor[0] / factor[1]


def _same(a: Walk, b: Walk, sa: float, ea: float, sb: float, eb: float) -> str | None:
    """Why ``b`` is ``a`` again (``"sources"``, ``"twice"``), or ``None``."""
    if a.source == b.source:
        same = (sa, ea, a.duration, a.unit) == (sb, eb, b.duration, b.unit)
        return "twice" if same else None
    shorter = min(ea - sa, eb - sb)
    if shorter <= 0:
        return "sources" if (sa, ea) == (sb, eb) else None
    return "sources" if min(ea, eb) - max(sa, sb) > shorter / 2 else None


def duplicates(walks: list[Walk]) -> dict[int, tuple[int, str]]:
    """Position of each walk that repeats another -> (position of the one kept, why)."""
    timed = []
    for i, w in enumerate(walks):
        s, e = _instant(w.start), _instant(w.end)
        if s is not None and e is not None and e >= s:
            timed.append((s, i, e))
    timed.sort()
    out: dict[int, tuple[int, str]] = {}
    active: list[tuple[float, float, int]] = []  # kept walks not yet ended: (start, end, i)
    for s, i, e in timed:
        active = [k for k in active if k[1] >= s]
        for ks, ke, j in active:
            why = _same(walks[j], walks[i], ks, ke, s, e)
            if why is not None:
                out[i] = (j, why)
                break
        else:
            active.append((s, e, i))
    return out


#: Apple's severity -> its point on the ``apple_health`` scale (backrx_analysis.scales)
SEVERITY_POINTS = {"HKCategoryValueSeverityNotPresent": 0, "HKCategoryValueSeverityMild": 1,
                   "HKCategoryValueSeverityModerate": 2, "HKCategoryValueSeveritySevere": 3}
UNSPECIFIED = "HKCategoryValueSeverityUnspecified"


def pain_rows(scan: Scan, program: Program) -> tuple[dict[str, list], list[int], list[str]]:
    """(columns, Record element of each row, report) of the lower-back-pain samples,
    each on Apple's own scale (never 0-10): see the module docstring of
    :mod:`.apple_health`. A value Apple does not define stays as written, for
    validation to refuse with its Record element."""
    cols: dict[str, list] = {"date": [], "pain": [], "scale": [], "notes": []}
    lines: list[int] = []
    unspecified = 0
    for element, start, value, source in scan.pain_records:
        if value == UNSPECIFIED:
            unspecified += 1
            continue
        point = SEVERITY_POINTS.get(value)
        cols["date"].append(iso_timestamp(start))
        cols["pain"].append(point if point is not None else value)
        cols["scale"].append("apple_health")
        cols["notes"].append(f"Apple Health lower back pain: {_SEVERITY.get(value, value)} "
                             f"({source or 'no source named'})")
        lines.append(element)
    report = []
    if lines:
        levels = ", ".join(f"{n:,} {_SEVERITY.get(v, repr(v))}"
                           for v, n in _by_count(scan.back_pain) if v != UNSPECIFIED)
        report.append(f"{count_phrase(len(lines), 'lower-back-pain symptom sample')} "
                      f"({levels}) read on Apple Health's own severity scale (0 not present "
                      "to 3 severe), not as 0-10 pain")
    else:
        report.append("no lower-back-pain symptom samples "
                      "(HKCategoryTypeIdentifierLowerBackPain) in this export")
    if unspecified:
        report.append(f"{count_phrase(unspecified, 'lower-back-pain sample')} "
                      f"{_are(unspecified)} 'present, severity not given': no point on the "
                      "scale, left out")
    return cols, lines, report + scan.report(program, walks_loaded=False)


def walk_rows(scan: Scan, program: Program) -> tuple[dict[str, list], list[int], list[str]]:
    """(columns by canonical header, Workout element of each row, report) of the walks."""
    walks = scan.walks
    dups = duplicates(walks)
    also: dict[int, list[str]] = {}
    twice: set[int] = set()
    for i, (j, why) in sorted(dups.items()):
        if why == "twice":
            twice.add(j)
        else:
            also.setdefault(j, []).append(walks[i].source or "an unnamed source")
    cols: dict[str, list] = {"date": [], "exercise": [], "minutes": [], "measured": [],
                             "notes": []}
    lines = []
    for i, w in enumerate(walks):
        if i in dups:
            continue
        label = "Hiking" if w.kind == HIKING else "Walking"
        note = f"Apple Health {label.lower()} workout ({w.source or 'no source named'})"
        if i in also:
            note += f"; also recorded by {', '.join(dict.fromkeys(also[i]))}"
        if i in twice:
            note += "; written twice in the export"
        cols["date"].append(iso_timestamp(w.start))
        cols["exercise"].append(WALK)
        cols["minutes"].append(minutes_cell(w.duration, w.unit))
        cols["measured"].append(w.duration is not None)  # no duration: minutes unknown
        cols["notes"].append(note)
        lines.append(w.element)
    report = []
    if walks:
        report.append(f"{count_phrase(len(lines), 'walking workout')} read as "
                      f"{count_phrase(len(lines), 'walk')}")
    else:
        report.append("no walking workouts (HKWorkoutActivityTypeWalking) in this export")
    hikes = sum(w.kind == HIKING for w in walks)
    if hikes:
        report.append(f"{count_phrase(hikes, 'hiking workout')} counted as "
                      f"{'a walk' if hikes == 1 else 'walks'} (hiking is walking)")
    kept = [w for i, w in enumerate(walks) if i not in dups]
    no_unit = sum(w.unit is None and w.duration is not None for w in kept)
    if no_unit:
        report.append(f"{count_phrase(no_unit, 'walk')} had no durationUnit; the duration was "
                      "read as minutes, the unit Apple's export writes")
    no_duration = sum(w.duration is None for w in kept)
    if no_duration:
        report.append(f"{count_phrase(no_duration, 'walk')} had no duration: the minutes are "
                      "unknown, never 0 (the end minus the start would count the pauses too)")
    for why, text in (("sources", "recorded by two sources counted once"),
                      ("twice", "written twice in the export counted once")):
        n = sum(1 for _, w in dups.values() if w == why)
        if n:
            report.append(f"{count_phrase(n, 'walk')} {text}")
    return cols, lines, report + scan.report(program, walks_loaded=True)
