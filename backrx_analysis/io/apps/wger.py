"""wger Workout Manager (wger.de or a self-hosted server): workout logs as its REST API
gives them -> exercise entries, one per set, and a count of what is left out.

**Getting the file.** wger has no file export of logs; its REST API gives them. Logged
in on the website, open ``https://wger.de/api/v2/workoutlog/?format=json&limit=999``
(your server's address for a self-hosted one) and save the page; or with an API token,
``curl -H "Authorization: Token <token>" "<server>/api/v2/workoutlog/?limit=999"``.
Read are:

* a page of that answer, ``{"count": .., "next": .., "previous": .., "results": [..]}``;
  when ``next`` is set the file holds one page only, and the report says how many of
  the server's ``count`` it holds (load the other pages as further files);
* the ``results`` list saved alone, or a list of such pages;
* a routine's logs, ``/api/v2/routine/<id>/logs/``: a list of
  ``{"session": {..}, "logs": [..]}`` (the session's own fields, its notes included,
  are not read).

**Each log entry is one set** (the ``sets`` column is 1): the kit sums reps x sets
over the day, so ten log entries of 10 repetitions are 100. The fields, as the wger
app reads them (``lib/features/routines/models/log.dart`` and, before 2025,
``reps`` / ``repetition_unit`` / ``exercise_base``):

* ``date`` as written: ``2025-01-06T00:00:00+01:00`` (the server's zone: wger.de
  writes Europe/Berlin) or, from servers before 2025, ``2021-05-01``. A time of
  midnight is a log written with a date only. The day is the one written, never
  moved: ``tz`` is not used;
* ``repetitions`` (``reps``) in ``repetitions_unit`` (``repetition_unit``), an id of
  the units wger ships: 1 Repetitions -> ``reps``; 3 Seconds and 4 Minutes ->
  ``minutes`` (the exercise's time; no repetitions); 2 Until Failure, 7 Max Reps,
  5 Miles, 6 Kilometers, 8 Meters and other ids are not a count of repetitions:
  those entries are left out and counted per unit. An entry with no unit is read as
  repetitions, as the wger app reads it (counted);
* ``exercise`` (``exercise_base``): an id, never a name. It maps to the program's
  activity through, in order: the user's activities mapping with the key
  ``"wger:<id>"`` or ``"<id>"`` (``"wger:345" = "wall_squat"``); the exercise's names
  in an exercise list saved beside the logs (below) through the mapping and the
  program's names; otherwise it is left out and counted per id (and name, when known);
* ``weight`` and ``weight_unit`` (kg, lb) go into the neutral notes
  (``wger log: exercise 4, 78.00 kg``); ``rir``, targets, rest and the session are
  not read.

**The exercises' names.** Any file named ``exerciseinfo*.json`` in the logs' folder
is read for names: the answer of ``/api/v2/exerciseinfo/?format=json&limit=999``
(a page, its ``results`` or one exercise, ``/api/v2/exerciseinfo/<id>/``: its
``id`` and its ``translations``' names and aliases, English first) or of
``/api/v2/exercise-translation/`` (objects with ``exercise`` and ``name``).

**The same entry twice.** Each log entry has an ``id`` on the server: entries with an
``id`` seen before (pages saved twice into one list) are counted once, the first kept.
Entries with different ids are different sets, even with equal values.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from ...errors import LogFormatError
from ...program import Program, normalize_name
from .base import AppRead, Peek, build_raw, count_phrase
from .files import load_json
from .names import ActivityNames

__all__ = ["KEY", "NAME", "KINDS", "LINE_LABEL", "sniff", "by_name", "read", "UNITS"]

KEY = "wger"
NAME = "wger"
KINDS = ("sessions",)
LINE_LABEL = "log entry"

#: ``repetitions_unit`` id -> (name, minutes per unit or None): the units a wger server
#: ships (its fixture ``wger/core/fixtures/setting_repetition_units.json``)
UNITS = {1: ("Repetitions", None), 2: ("Until Failure", None), 3: ("Seconds", 1 / 60),
         4: ("Minutes", 1.0), 5: ("Miles", None), 6: ("Kilometers", None),
         7: ("Max Reps", None), 8: ("Meters", None)}
REPETITIONS = 1
_WEIGHT_UNITS = {1: "kg", 2: "lb"}
_EXERCISE_KEYS = ("exercise", "exercise_base")
_REPS_KEYS = ("repetitions", "reps")
_UNIT_KEYS = ("repetitions_unit", "repetition_unit")
_ENGLISH = 2  # wger's language id of English
_UNIT_KEY = re.compile(r'"repetitions?_unit"\s*:')


# -- recognising the file -------------------------------------------------------------


def _is_log(obj: object) -> bool:
    return isinstance(obj, dict) and "date" in obj and any(k in obj for k in _EXERCISE_KEYS) \
        and any(k in obj for k in _REPS_KEYS) and any(k in obj for k in _UNIT_KEYS)


def sniff(p: Peek) -> bool:
    """wger logs by their content: JSON (an API page, a list, a routine's logs) whose
    first object holding a repetitions unit is a log entry (``date``, ``exercise``,
    ``repetitions`` and ``repetitions_unit``; a routine's set plan has no ``date``)."""
    if p.is_zip:
        return False
    text = p.head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not text.startswith(("{", "[")):
        return False
    m = _UNIT_KEY.search(text)
    if m is None:
        return False
    start = text.rfind("{", 0, m.start())  # a log entry is flat: its own opening brace
    try:
        obj, _ = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        return False
    return _is_log(obj)


def by_name(name: str) -> bool:
    """When the content says nothing (an empty or damaged file): the API's names."""
    n = name.casefold()
    return n.endswith(".json") and n.startswith(("workoutlog", "wger"))


# -- reading --------------------------------------------------------------------------


def _entries(doc: object, name: str) -> tuple[list, list[str]]:
    """(log entries in file order, report sentences on pagination)."""
    what = ('a wger workout log: the API\'s answer {"count": .., "results": [..]}, its '
            'results list, or a routine\'s logs [{"session": .., "logs": [..]}]')
    pages = doc if isinstance(doc, list) and doc and all(
        isinstance(d, dict) and "results" in d for d in doc) else [doc]
    out: list = []
    report = []
    for page in pages:
        if isinstance(page, dict):
            results = page.get("results")
            if not isinstance(results, list):
                raise LogFormatError(name, f"is a JSON object without a results list: not {what}")
            out.extend(results)
            count, following = page.get("count"), page.get("next")
            if following and isinstance(count, int):
                report.append(f"the file holds one page of the server's answer ({len(results):,} "
                              f"of {count:,} log entries; 'next' is set): save the other pages "
                              "(or ask for ?limit=999) and load them too")
        elif isinstance(page, list):
            for item in page:
                if isinstance(item, dict) and isinstance(item.get("logs"), list) \
                        and not _is_log(item):
                    out.extend(item["logs"])
                else:
                    out.append(item)
        else:
            raise LogFormatError(name, f"is JSON, but not {what}")
    for i, e in enumerate(out, start=1):
        missing = [" or ".join(keys) for keys in (("date",), _EXERCISE_KEYS, _REPS_KEYS)
                   if not isinstance(e, dict) or not any(k in e for k in keys)]
        if missing:
            raise LogFormatError(name, f"{LINE_LABEL} {i:,} has no {', '.join(missing)}: not a "
                                       f"wger log entry (a new API version?); accepted: {what}")
    return out, report


def _first(e: dict, keys: tuple[str, ...]) -> object:
    for k in keys:
        if k in e:
            return e[k]
    return None


def exercise_names(folder: Path) -> dict[str, list[str]]:
    """Exercise id (as text) -> its names, English first, from the ``exerciseinfo*.json``
    files in ``folder``."""
    names: dict[str, list[str]] = {}
    for path in sorted(folder.glob("exerciseinfo*.json")):
        doc = load_json(path, "a wger exercise list (/api/v2/exerciseinfo/)")
        items = doc.get("results", [doc]) if isinstance(doc, dict) else doc
        if not isinstance(items, list):
            raise LogFormatError(str(path), "is not a wger exercise list (/api/v2/exerciseinfo/)")
        for item in items:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("translations"), list):
                key, shown = item.get("id"), item["translations"]
            elif "exercise" in item and "name" in item:
                key, shown = item["exercise"], [item]
            else:
                continue
            shown = sorted((t for t in shown if isinstance(t, dict)),
                           key=lambda t: t.get("language") != _ENGLISH)
            got = names.setdefault(str(key), [])
            for t in shown:
                aliases = [a.get("alias") for a in t.get("aliases") or [] if isinstance(a, dict)]
                got.extend(n for n in (t.get("name"), *aliases) if isinstance(n, str) and n.strip())
    return names


def _activity(names: ActivityNames, exercise: object, known: dict[str, list[str]]) -> str | None:
    """The program activity of an exercise id (``None``: counted by ``names``)."""
    if exercise is None or str(exercise).strip() == "":
        return names.resolve(None)
    ex = str(exercise).strip()
    for key in (f"wger:{ex}", ex):
        if normalize_name(key) in names.user:
            return names.resolve(key)
    for n in known.get(ex, ()):
        if normalize_name(n) in names.user or names.program.resolve(n) is not None:
            return names.resolve(n)
    label = f"{known[ex][0]} (wger exercise {ex})" if known.get(ex) else f"wger exercise {ex}"
    return names.resolve(label)


def _unit_id(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _minutes(value: object, per_unit: float) -> float | str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return number * per_unit if number == number else str(value)


def _note(e: dict, exercise: object, known: dict[str, list[str]]) -> str:
    ex = str(exercise)
    note = f"wger log: exercise {ex}" + (f" ({known[ex][0]})" if known.get(ex) else "")
    weight, unit = e.get("weight"), _WEIGHT_UNITS.get(_unit_id(e.get("weight_unit")))
    try:
        heavy = weight is not None and unit is not None and float(weight) != 0
    except (TypeError, ValueError):
        heavy = False
    return note + (f", {weight} {unit}" if heavy else "")


def read(
    p: Peek,
    *,
    kind: str,
    program: Program,
    names: ActivityNames,
    tz: str | None = None,
    patient_id: str | None = None,
) -> AppRead:
    """Read wger workout logs (see the module's docstring).

    ``tz`` is not used: wger writes each date with the server's offset, or a date
    alone, and the day is the one written.

    Raises
    ------
    LogFormatError
        The file is empty, truncated, not JSON, JSON of another shape, or a log entry
        lacks the date, exercise or repetitions keys; an ``exerciseinfo*.json`` beside
        it cannot be read.
    """
    name = str(p.path)
    doc = load_json(p.path, "a wger workout log")
    entries, report = _entries(doc, name)
    known = exercise_names(p.path.parent)
    cols: dict[str, list] = {"date": [], "exercise": [], "reps": [], "sets": [], "minutes": [],
                             "notes": []}
    lines: list[int] = []
    seen: set = set()
    twice = no_unit = 0
    other_units: Counter = Counter()
    timed: Counter = Counter()
    for i, e in enumerate(entries, start=1):
        log_id = e.get("id")
        if log_id is not None:
            log_id = log_id if isinstance(log_id, int | str) else json.dumps(log_id)
            if log_id in seen:
                twice += 1
                continue
            seen.add(log_id)
        unit_value = _first(e, _UNIT_KEYS)
        unit = REPETITIONS if unit_value is None else _unit_id(unit_value)
        no_unit += unit_value is None
        spec = UNITS.get(unit) if unit is not None else None
        if spec is None or (unit != REPETITIONS and spec[1] is None):
            other_units[spec[0] if spec else f"unit {unit_value}"] += 1
            continue
        exercise = _first(e, _EXERCISE_KEYS)
        activity = _activity(names, exercise, known)
        if activity is None:
            continue
        value = _first(e, _REPS_KEYS)
        if unit == REPETITIONS:
            reps, minutes = value, None
        else:
            reps, minutes = None, _minutes(value, spec[1])
            timed[spec[0]] += 1
        cols["date"].append(e.get("date"))
        cols["exercise"].append(activity)
        cols["reps"].append(reps)
        cols["sets"].append(1)
        cols["minutes"].append(minutes)
        cols["notes"].append(_note(e, exercise, known))
        lines.append(i)
    report += names.report()
    for unit, n in sorted(other_units.items(), key=lambda kv: (-kv[1], kv[0])):
        report.append(f"{count_phrase(n, LINE_LABEL, 'log entries')} in {unit} "
                      f"{'is' if n == 1 else 'are'} left out: not a count of repetitions")
    for unit, n in sorted(timed.items()):
        report.append(f"{count_phrase(n, LINE_LABEL, 'log entries')} in {unit} read as minutes "
                      "of exercise, with no repetitions")
    if no_unit:
        report.append(f"{count_phrase(no_unit, LINE_LABEL, 'log entries')} had no repetitions "
                      "unit: read as repetitions, as the wger app reads them")
    if twice:
        report.append(f"{count_phrase(twice, LINE_LABEL, 'log entries')} written twice (the same "
                      "id) counted once")
    if patient_id is not None:
        cols["patient_id"] = [patient_id] * len(lines)
    return AppRead(build_raw(cols, lines, name, LINE_LABEL), NAME, report)
