"""From the written notes to validated histories: each version starts from the one
before it (the first from the default program) and states only what changes, as a
progression note does; every problem is collected with where it is written.

The readers of :mod:`.prescription_file` give the notes as one shape, ``{"patient":
[{"id": ..., "version": [{...}, ...]}]}``, and a map of where each key is written;
:func:`build_histories` checks them and builds each :class:`~.prescriptions.Version`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .errors import PROBLEM_COLUMNS
from .prescriptions import WEEKDAYS, Version
from .program import SESSION, WALK, Band, Program, ProgramError

__all__ = ["Problems", "build_histories", "close_to", "VERSION_KEYS", "PATIENT_KEYS"]

#: keys of a ``[[patient.version]]`` table
VERSION_KEYS = ("start", "end", "by", "why", "exercises", "targets", "exercise_minutes",
                "walk_minutes", "days", "name")
#: keys of a ``[[patient]]`` table
PATIENT_KEYS = ("id", "version")

_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EVERY_DAY = {"everyday", "daily", "all", "alldays"}
_DAY_NAMES = tuple(d.capitalize() for d in WEEKDAYS)
_ACCEPTED_DAYS = f"{', '.join(_DAY_NAMES)} (or the full names), or \"every day\""
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")

Where = tuple[int | None, int | None]  # (patient index, version index) in the notes


# -- the problems table --------------------------------------------------------------


class Problems:
    """The problems table being collected; ``lines`` maps (patient, version, key) to the
    line where it is written (``key`` ``None``: the table's header)."""

    def __init__(self, file: str, lines: dict, columns: Mapping[str, str] | None = None):
        self.file, self.lines, self.rows = file, lines, []
        self.columns = dict(columns or {})  # key -> the column as the user wrote it

    def line(self, where: Where, key: str | None) -> int | None:
        p, v = where
        for k in (key, key.split(".")[0] if key else None, None):
            if (p, v, k) in self.lines:
                return self.lines[(p, v, k)]
        if v is not None:
            return self.line((p, None), None)
        return None

    def add(self, where: Where, key: str, value: Any, problem: str) -> None:
        self.rows.append({"file": self.file, "line": self.line(where, key or None),
                          "column": self.columns.get(key, key.split(".")[0]),
                          "value": _written(value),
                          "problem": problem})

    def frame(self) -> Any:
        import pandas as pd

        out = pd.DataFrame(self.rows, columns=list(PROBLEM_COLUMNS))
        out["line"] = pd.array(out["line"], dtype="Int64")
        return out.sort_values("line", kind="stable", na_position="first").reset_index(drop=True)


def _written(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return "[" + ", ".join(f'"{x}"' if isinstance(x, str) else _written(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{k} = {_written(x)}" for k, x in v.items()) + "}"
    return "" if v is None else str(v)


def close_to(word: str, accepted: tuple[str, ...]) -> str:
    """`` (did you mean 'walk_minutes'?)`` for a key written wrong, or ``""``."""
    if word == "sets":
        return " (targets are the day's repetitions: reps x sets, write the total)"
    near = difflib.get_close_matches(str(word), accepted, n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


# -- building the histories ----------------------------------------------------------


def build_histories(data: Any, default: Program, prob: Problems) -> dict[str, tuple[Version, ...]]:
    """Each patient's versions, numbered from 1; problems go to ``prob``."""
    top = (None, None)
    if not isinstance(data, Mapping):
        got = "an empty file" if data is None else f"a {type(data).__name__}"
        prob.add(top, "", "", f"expected [[patient]] tables (a patient: list in YAML), got {got}")
        return {}
    for key in data:
        if key != "patient":
            prob.add(top, str(key), "", f"unknown key {key!r}{close_to(key, ('patient',))} at the "
                     "top of the file; "
                     "accepted: patient (a [[patient]] table per patient)")
    patients = data.get("patient")
    if not isinstance(patients, list) or not patients:
        prob.add(top, "", "", "no [[patient]] table: each patient is a [[patient]] with "
                 "an id and [[patient.version]] tables")
        return {}
    out: dict[str, tuple[Version, ...]] = {}
    first_line: dict[str, int | None] = {}
    for p, patient in enumerate(patients):
        label = f"patient {p + 1}"
        if not isinstance(patient, Mapping):
            prob.add((p, None), "", patient, f"{label} must be a table with id and version")
            continue
        for key in patient:
            if key not in PATIENT_KEYS:
                where = (" belongs to a version: write it under [[patient.version]]"
                         if key in VERSION_KEYS else close_to(str(key), PATIENT_KEYS))
                prob.add((p, None), str(key), patient[key], f"{label}: unknown key {key!r}"
                         f"{where}; a [[patient]] has id and [[patient.version]] tables")
        pid = patient.get("id")
        pid = str(pid).strip() if isinstance(pid, str | int) and not isinstance(pid, bool) else ""
        if not pid:
            prob.add((p, None), "id", patient.get("id"), f"{label} has no id: write id = \"...\" "
                     "as in the logs' patient_id")
        elif pid in first_line:
            at = f" (first at line {first_line[pid]})" if first_line[pid] else ""
            prob.add((p, None), "id", pid, f"patient {pid} is listed twice{at}; write all of a "
                     "patient's versions under one [[patient]]")
        else:
            first_line[pid] = prob.line((p, None), "id")
        versions = patient.get("version")
        if not isinstance(versions, list) or not versions:
            prob.add((p, None), "version", "", f"{pid or label} has no [[patient.version]]; each "
                     "version needs at least a start date")
            continue
        history = _history(p, pid or label, versions, default, prob)
        if pid and pid not in out:
            out[pid] = history
    return out


def _history(p: int, pid: str, versions: list, default: Program,
             prob: Problems) -> tuple[Version, ...]:
    out: list[Version] = []
    prev, days = default, None
    before: tuple[int, dt.date, dt.date | None] | None = None  # index, start, end
    for j, raw in enumerate(versions):
        w, label = (p, j), f"{pid} version {j + 1}"
        if not isinstance(raw, Mapping):
            prob.add(w, "", raw, f"{label} must be a table of keys ({', '.join(VERSION_KEYS)})")
            continue
        n_before = len(prob.rows)
        for key in raw:
            if key not in VERSION_KEYS:
                hint = close_to(str(key), VERSION_KEYS)
                prob.add(w, str(key), raw[key], f"{label}: unknown key {key!r}{hint}; accepted: "
                         f"{', '.join(VERSION_KEYS)}")
        start = _date(raw, "start", w, label, prob)
        end = _date(raw, "end", w, label, prob)
        if start and end and end < start:
            prob.add(w, "end", end, f"{label} ends on {end}, before it starts ({start}); end is "
                     "the last day in force")
        if start and before:
            k, b_start, b_end = before
            if start == b_start:
                prob.add(w, "start", start, f"{label} starts on the same day as version {k + 1}; "
                         "one version per start date")
            elif start < b_start:
                prob.add(w, "start", start, f"{label} starts before version {k + 1} "
                         f"({b_start}) above it; write the versions in date order, each states "
                         "what changes from the one before")
            elif b_end and b_end >= start:
                prob.add((p, k), "end", b_end, f"{pid} version {k + 1} ends on {b_end}, on or "
                         f"after version {j + 1} starts ({start}); a version holds until the "
                         "next starts, leave end out or end it the day before")
        program = _program(raw, prev, default, w, label, prob)
        new_days = _days(raw, days, w, label, prob)
        if start and len(prob.rows) == n_before:
            out.append(Version(j + 1, start, end, program, new_days,
                               by=_text(raw.get("by")), why=_text(raw.get("why")),
                               changes=_describe(prev, program, days, new_days, first=j == 0)))
        prev, days = program, new_days
        if start:
            before = (j, start, end)
    return tuple(out)


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _date(raw: Mapping, key: str, w: Where, label: str, prob: Problems) -> dt.date | None:
    if raw.get(key) is None:
        if key == "start":
            prob.add(w, "start", "", f"{label} has no start: write start = YYYY-MM-DD, the "
                     "first day it is in force")
        return None
    v = raw[key]
    if isinstance(v, dt.datetime):
        if v.time() == dt.time(0) and v.tzinfo is None:
            return v.date()
    elif isinstance(v, dt.date):
        return v
    elif isinstance(v, str) and _ISO.fullmatch(v.strip()):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            pass
    prob.add(w, key, v, f"{label}: {key} must be a date written YYYY-MM-DD (e.g. 2026-03-02)")
    return None


def _exercise(name: Any, default: Program, w: Where, key: str, label: str,
              prob: Problems) -> str | None:
    found = default.resolve(name) if isinstance(name, str) else None
    if found in default.exercise_ids:
        return found
    if found in (WALK, SESSION):
        band = "walk_minutes" if found == WALK else "exercise_minutes"
        msg = f"{label}: {name!r} is not an exercise; its minutes are set with {band}"
    else:
        close = [c for c in default.suggest(str(name)) if c not in (WALK, SESSION)]
        msg = (f"{label}: no exercise is called {name!r}"
               + (f" (did you mean {' or '.join(close)}?)" if close else "")
               + f"; known: {', '.join(default.exercise_ids)}")
    prob.add(w, key, name, msg)
    return None


def _program(raw: Mapping, prev: Program, default: Program, w: Where, label: str,
             prob: Problems) -> Program:
    """``prev`` with this version's exercises, targets, bands and name."""
    ids = list(prev.exercise_ids)
    if "exercises" in raw:
        names = raw["exercises"]
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list | tuple):
            prob.add(w, "exercises", names, f"{label}: exercises is a list of exercise ids or "
                     "names, e.g. [\"ankle_pumps\", \"wall_squat\"]")
        elif not names:
            prob.add(w, "exercises", names, f"{label} has no exercises left; list at least one "
                     f"of {', '.join(default.exercise_ids)}")
        else:
            wanted = [_exercise(n, default, w, "exercises", label, prob) for n in names]
            if all(wanted):
                ids = [i for i in default.exercise_ids if i in wanted]  # the catalogue's order
    known = {e.id: e for e in default.exercises} | {e.id: e for e in prev.exercises}
    exercises = {i: known[i] for i in ids}
    targets = raw.get("targets")
    if targets is not None and not isinstance(targets, Mapping):
        prob.add(w, "targets", targets, f"{label}: targets is a table of exercise id = daily "
                 "repetitions, e.g. { wall_squat = 12 }")
    for name, reps in (targets.items() if isinstance(targets, Mapping) else ()):
        key = f"targets.{name}"
        i = _exercise(name, default, w, key, label, prob)
        if i is None:
            continue
        if i not in exercises:
            prob.add(w, key, name, f"{label} sets a target for {i} but does not prescribe it; "
                     f"prescribed: {', '.join(exercises)} (add it to exercises)")
            continue
        whole = (isinstance(reps, int) and not isinstance(reps, bool)
                 or isinstance(reps, float) and reps.is_integer())
        if not whole or reps < 1:
            prob.add(w, key, reps, f"{label}: the target of {i} must be a whole number of "
                     "repetitions a day, 1 or more")
            continue
        exercises[i] = replace(exercises[i], target_reps=int(reps))
    changes: dict[str, Any] = {"exercises": tuple(exercises.values())}
    for key in ("exercise_minutes", "walk_minutes"):
        if key in raw:
            band = _band(raw[key], w, key, label, prob)
            if band is not None:
                changes[key] = band
    if raw.get("name") is not None:
        changes["name"] = str(raw["name"])
    try:
        return prev.with_changes(**changes)
    except ProgramError as exc:  # e.g. a name given to two exercises
        prob.add(w, "", "", f"{label}: {exc}")
        return prev


def _band(value: Any, w: Where, key: str, label: str, prob: Problems) -> Band | None:
    pair = list(value) if isinstance(value, list | tuple) else []
    numbers = [x for x in pair if isinstance(x, int | float) and not isinstance(x, bool)
               and math.isfinite(x)]
    example = "[20, 30]" if key == "walk_minutes" else "[10, 30]"
    accepted = f"write {key} = [low, high] minutes a day, e.g. {example}"
    if len(pair) != 2 or len(numbers) != 2:
        prob.add(w, key, value, f"{label}: {key} must be two numbers; {accepted}")
    elif numbers[0] > numbers[1]:
        prob.add(w, key, value, f"{label}: {key} has low {_written(numbers[0])} above high "
                 f"{_written(numbers[1])}; {accepted}")
    elif numbers[0] < 0:
        prob.add(w, key, value, f"{label}: {key} cannot be negative; {accepted}")
    else:
        return Band(*numbers)
    return None


def _weekday(name: Any) -> int | None:
    s = str(name).strip().lower().rstrip(".")
    if s in WEEKDAYS:
        return WEEKDAYS[s]
    for i, full in enumerate(_FULL_DAYS):
        if len(s) >= 3 and full.startswith(s):
            return i
    return None


def _days(raw: Mapping, days: frozenset[int] | None, w: Where, label: str,
          prob: Problems) -> frozenset[int] | None:
    """The version's weekdays (``None``: every day); left out, the previous version's."""
    if "days" not in raw:
        return days
    value = raw["days"]
    names = re.split(r"[|,]", value) if isinstance(value, str) else value
    names = [n for n in names if str(n).strip()] if isinstance(names, list | tuple) else None
    if names and all(re.sub(r"\W", "", str(n).lower()) in _EVERY_DAY for n in names):
        return None
    if not names:
        prob.add(w, "days", value, f"{label}: days is a list of weekdays, {_ACCEPTED_DAYS}")
        return days
    found = [_weekday(n) for n in names]
    for n, d in zip(names, found, strict=True):
        if d is None:
            prob.add(w, "days", n, f"{label}: unknown weekday {str(n)!r}; write {_ACCEPTED_DAYS}")
    if None in found:
        return days
    return None if len(set(found)) == 7 else frozenset(found)


# -- what a version changed, in words ------------------------------------------------


def _span(band: Band) -> str:
    return f"{band.low:g}-{band.high:g}"


def _describe(before: Program, after: Program, days_before: frozenset[int] | None,
              days_after: frozenset[int] | None, *, first: bool) -> str:
    """``"wall squat 10 -> 12 reps; walk 10-20 -> 20-30 min; dropped: partial curl-up;
    Mon, Wed, Fri only"``; ``"the default program"`` for a first version that changes
    nothing, ``"no change"`` for a later one."""
    old = {e.id: e for e in before.exercises}
    parts = []
    for e in after.exercises:
        if e.id in old and old[e.id].target_reps != e.target_reps:
            per = " per leg" if e.per_side else ""
            parts.append(f"{e.name.lower()} {old[e.id].target_reps} -> {e.target_reps} reps{per}")
    if before.exercise_minutes != after.exercise_minutes:
        parts.append(f"exercise {_span(before.exercise_minutes)} -> "
                     f"{_span(after.exercise_minutes)} min")
    if before.walk_minutes != after.walk_minutes:
        parts.append(f"walk {_span(before.walk_minutes)} -> {_span(after.walk_minutes)} min")
    added = [f"{e.name.lower()} ({e.target_reps} reps{' per leg' if e.per_side else ''})"
             for e in after.exercises if e.id not in old]
    if added:
        parts.append(f"added: {', '.join(added)}")
    dropped = [e.name.lower() for e in before.exercises if e.id not in after.exercise_ids]
    if dropped:
        parts.append(f"dropped: {', '.join(dropped)}")
    if days_before != days_after:
        parts.append("every day" if days_after is None
                     else f"{', '.join(_DAY_NAMES[d] for d in sorted(days_after))} only")
    if before.name != after.name:
        parts.append(f"named {after.name!r}")
    return "; ".join(parts) or ("the default program" if first else "no change")
