"""Bearable readings: what one row of the export becomes (a low-back-pain rating on
Bearable's scale, the program's activities among its factors, a reading timed in
minutes, or a count in the report), and the report of what was left out.

The rules are in :mod:`.bearable`'s docstring and docs/data-format.md, "Bearable".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from ...program import normalize_name
from ...scales import SCALES
from .base import count_phrase
from .names import ActivityNames

__all__ = ["BACK_PAIN", "PARTS", "SCALE", "Reading", "Scan", "take_pain", "take_session",
           "report", "pain_columns", "session_columns"]

#: the scale of the ratings read (``backrx_analysis.scales.SCALES``)
SCALE = "bearable"
#: the symptom names read as low-back pain (compared as normalized names)
BACK_PAIN = ("Back (lower) pain", "Lower back pain", "Low back pain", "Back pain")
_BACK = frozenset(normalize_name(n) for n in BACK_PAIN)
#: Bearable's parts of the day -> the pain rating's ``context`` (and a factor's notes)
PARTS = {"pre": "early hours (before the morning)", "am": "morning", "mid": "midday",
         "pm": "evening", "all day": "all day"}

_NAME_UNIT = re.compile(r"\A(.*\S)\s*\(([^()]*)\)\s*\Z")  # "Back (lower) pain (Mild)"
_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})\s*\Z")
#: a unit of time in a reading's detail -> minutes per unit ("m" is not one: metres)
_TIME_UNITS = {"min": 1.0, "mins": 1.0, "minute": 1.0, "minutes": 1.0,
               "h": 60.0, "hr": 60.0, "hrs": 60.0, "hour": 60.0, "hours": 60.0}
_WORDS = {w: i for i, w in enumerate(SCALES[SCALE].words, SCALES[SCALE].low)}


class Reading(NamedTuple):
    """One row of the export, its cells stripped; ``date`` as validation is given it,
    ``part`` the part of the day (``None`` for a clock time or none)."""

    line: int
    category: str
    detail: str
    amount: str
    note: str
    date: str
    part: str | None


@dataclass
class Scan:
    """What one pass keeps beside the entries: counts for the report."""

    categories: Counter = field(default_factory=Counter)  # category -> rows not read
    symptoms: Counter = field(default_factory=Counter)    # other symptom -> rows
    shown: dict = field(default_factory=dict)             # its key -> the name as written
    back_pain: int = 0
    repeated: int = 0
    headers_again: int = 0
    disagree: list = field(default_factory=list)          # (line, number, word)
    unknown_parts: Counter = field(default_factory=Counter)
    noted: int = 0


def pain_columns() -> dict[str, list]:
    return {"date": [], "pain": [], "scale": [], "context": [], "location": [], "notes": []}


def session_columns() -> dict[str, list]:
    return {"date": [], "exercise": [], "minutes": [], "reps": [], "measured": [], "notes": []}


def _split(detail: str) -> tuple[str, str | None]:
    """``"Back (lower) pain (Mild)"`` -> ``("Back (lower) pain", "Mild")``."""
    m = _NAME_UNIT.match(detail)
    if m is None:
        return detail, None
    return m[1].strip(), m[2].strip() or None


def _back_pain(scan: Scan, r: Reading) -> tuple[str, str | None] | None:
    """(symptom, severity word) of a low-back-pain Symptom row; other symptoms are
    counted and give ``None`` (as do rows of other categories)."""
    if r.category.casefold() != "symptom":
        return None
    symptom, word = _split(r.detail)
    key = normalize_name(symptom)
    if key not in _BACK:
        scan.shown.setdefault(key, symptom or "(no name)")
        scan.symptoms[key] += 1
        return None
    scan.back_pain += 1
    return symptom, word


def take_pain(scan: Scan, cols: dict, lines: list, r: Reading) -> None:
    """A low-back-pain rating into ``cols``; any other row counted."""
    is_symptom = r.category.casefold() == "symptom"
    found = _back_pain(scan, r)
    if found is None:
        if not is_symptom:
            scan.categories[r.category or "(no category)"] += 1
        return
    symptom, word = found
    _check_word(scan, r, word)
    text = f"Bearable symptom {symptom!r}" + (f" ({word})" if word else "")
    if r.note:
        scan.noted += 1
        text += f"; note: {r.note}"
    cols["date"].append(r.date)
    cols["pain"].append(r.amount)
    cols["scale"].append(SCALE)
    cols["context"].append(PARTS.get(r.part, r.part) if r.part else None)
    cols["location"].append("low back")
    cols["notes"].append(text)
    lines.append(r.line)


def take_session(scan: Scan, cols: dict, lines: list, r: Reading, names: ActivityNames) -> None:
    """The program's activities of a Factors row, or a reading timed in minutes, into
    ``cols``; any other row counted."""
    category = r.category.casefold()
    if category == "symptom":
        _back_pain(scan, r)
        return
    if category == "factors":
        done: set[str] = set()
        when = f", {PARTS.get(r.part, r.part)}" if r.part else ""
        for factor in (f.strip() for f in r.detail.split("|")):
            target = names.resolve(factor) if factor else None
            if target is None or target in done:
                continue
            done.add(target)
            _session(cols, lines, r, target, None, False,
                     f"Bearable factor {factor!r} (no duration recorded{when})")
        return
    name, unit = _split(r.detail)
    per_unit = _TIME_UNITS.get((unit or "").casefold().rstrip("."))
    target = names.resolve(name) if per_unit is not None else None
    if target is not None:
        _session(cols, lines, r, target, _minutes(r.amount, per_unit), True,
                 f"Bearable {r.category} {r.detail!r}")
        return
    scan.categories[r.category or "(no category)"] += 1


def _check_word(scan: Scan, r: Reading, word: str | None) -> None:
    """Note a rating whose number is not the point its severity word names."""
    if word is None or word.casefold() not in _WORDS:
        return
    try:
        value = float(r.amount)
    except ValueError:
        return  # validation says it is not a number
    if value != _WORDS[word.casefold()]:
        scan.disagree.append((r.line, r.amount, word))


def _minutes(amount: str, per_unit: float) -> float | str | None:
    """An amount in its unit -> minutes (``1:30`` in hours: hours:minutes, as Bearable
    writes sleep); anything else as written for validation to refuse."""
    if not amount:
        return None
    clock = _CLOCK.match(amount)
    if clock:
        return int(clock[1]) * 60.0 + int(clock[2]) if per_unit == 60.0 else amount
    try:
        value = float(amount)
    except ValueError:
        return amount
    return value * per_unit if value >= 0 else amount


def _session(cols: dict, lines: list, r: Reading, target: str, minutes, measured: bool,
             note: str) -> None:
    cols["date"].append(r.date)
    cols["exercise"].append(target)
    cols["minutes"].append(minutes)
    cols["reps"].append(None)
    cols["measured"].append(measured)
    cols["notes"].append(note)
    lines.append(r.line)


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def report(scan: Scan, kind: str, cols: dict, names: ActivityNames) -> list[str]:
    """Sentences on what was read and what was left out, with counts."""
    out = _pain_report(scan, cols) if kind == "pain" else _session_report(scan, cols, names)
    if scan.symptoms:
        total = sum(scan.symptoms.values())
        each = ", ".join(f"{n:,} {scan.shown[k]}" for k, n in
                         sorted(scan.symptoms.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(f"{count_phrase(total, 'reading')} of other symptoms {_are(total)} not "
                   f"low-back pain and {_are(total)} not read ({each})")
    if kind == "pain":
        factors = scan.categories.pop("Factors", 0)
        if factors:
            out.append(f"{count_phrase(factors, 'Factors row')} {_are(factors)} not read into "
                       "a pain log (load the file as a session log for walks)")
    for category, n in sorted(scan.categories.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"{count_phrase(n, 'reading')} of {category!r} {_are(n)} not read: the "
                   "program measures exercise, walks and pain")
    for part, n in sorted(scan.unknown_parts.items()):
        out.append(f"{count_phrase(n, 'reading')} had the time of day {part!r}, which the kit "
                   "does not know: only the date is used")
    if scan.repeated:
        out.append(f"{count_phrase(scan.repeated, 'row')} identical to an earlier row in "
                   "every column counted once")
    if scan.headers_again:
        out.append(f"{count_phrase(scan.headers_again, 'line')} repeating the header skipped "
                   "(two exports joined into one file)")
    return out


def _pain_report(scan: Scan, cols: dict) -> list[str]:
    out = [f"{count_phrase(len(cols['date']), 'low-back-pain rating')} read on Bearable's "
           "symptom scale (0 none to 4 unbearable): the 0-10 rules (baseline, change, "
           "flares) do not apply to them unless you convert them (convert_scale)"]
    for line, amount, word in scan.disagree[:5]:
        out.append(f"line {line:,}: the rating {amount} disagrees with its word {word!r}, "
                   "the number is used")
    if len(scan.disagree) > 5:
        out.append(f"{len(scan.disagree) - 5:,} more ratings disagree with their word")
    if scan.noted:
        out.append(f"{count_phrase(scan.noted, 'rating')} had a note, kept in its notes")
    return out


def _session_report(scan: Scan, cols: dict, names: ActivityNames) -> list[str]:
    out = []
    flags = cols["measured"]
    unmeasured = flags.count(False)
    if unmeasured:
        by = Counter(e for e, m in zip(cols["exercise"], flags, strict=True) if not m)
        what = ", ".join(f"{n:,} {a}" for a, n in by.items())
        out.append(f"{count_phrase(unmeasured, 'factor')} of the program read ({what}), "
                   "without minutes (Bearable records that a factor happened, not how "
                   "long): the minutes are unknown on those days")
    elif not flags:
        out.append("no factor names an activity of the program (map your factor names "
                   "in activities.toml, e.g. \"Yoga\" = \"session\")")
    if flags.count(True):
        out.append(f"{count_phrase(flags.count(True), 'timed reading')} read with its minutes")
    out += names.report("factor")
    if scan.back_pain:
        out.append(f"{count_phrase(scan.back_pain, 'low-back-pain rating')} "
                   f"{_are(scan.back_pain)} not read into a session log (load the file "
                   "as a pain log: bx.load_pain)")
    return out
