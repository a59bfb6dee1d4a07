"""Fitbit: the account's data export (fitbit.com > Settings > Data export > Export
your account archive > Request data; a Google Takeout of Fitbit holds files of the
same names) -> walks from its ``exercise-N.json`` files, and a count of what is left
out.

The archive (``MyFitbitData.zip``) holds ``<Name>/Physical Activity/exercise-0.json``,
``exercise-100.json``, ... (``Global Export Data/`` in a Google Takeout, ``user-site-export/``
in older archives): each a JSON list of exercise records, 100 a file, the number in
the name being the count of records before the file's first. One file, the zip as
it is, or several files (each read on its own) are accepted; inside a zip every
``exercise-N.json`` member is read, in the order of N.

How a record is read (docs/data-format.md, "Fitbit"):

* ``activityName`` as :class:`.csv_export.Types` maps an app's types: ``Walk`` (any
  name the program's walk names resolve) is ``walk``; the user's mapping wins and adds
  names (``"Hike" = "walk"``, ``"Outdoor Walk" = "walk"``); Fitbit's ``Workout``, any
  workout, is not taken for the program's ``session`` on its name alone (the report
  says how to map it). Names that map to nothing (Run, Bike, Swim, Sport ...) are
  counted per name in the report.
* minutes from ``activeDuration`` (milliseconds, the time active: pauses left out),
  else ``duration`` (milliseconds, the interval); the report counts the entries whose
  two differ (and by how much in all) and those without ``activeDuration``. With
  neither the minutes are unknown (validation then says the walk needs them).
* the day: ``startTime`` is ``MM/DD/YY HH:MM:SS`` (month first, 20YY) in **UTC**,
  with no zone written, so ``tz=`` (the zone the person lived in) is required and
  each start becomes local time with its offset (``03/24/20 01:34:35`` in
  America/Chicago is ``2020-03-23T20:34:35-05:00``, 23 March). How sure: in the
  public sample kept as the fixture, every exercise's ``averageHeartRate`` matches
  the mean of the ``heart_rate-*.json`` samples over its interval with no shift
  (mean error 0.3-0.9 bpm, against 5.5 bpm or more one hour off; 69 exercises over
  three years), and those heart-rate files are local days written in UTC (each runs from
  05:00 to 04:59 in summer, 06:00 to 05:59 in winter: midnight in US Central time);
  ``lastModified`` sits seconds after the end in the same frame. Fitbit's web API,
  by contrast, gives local times with an offset: the export is not the API.
  ``originalStartTime`` equals ``startTime`` in every sample record and is not read.
* the same record twice (the same ``logId``, in one file or in two members of a
  zip) is counted once: the first in member order is kept, the report counts the
  others. Records without a ``logId`` are never merged.

A row's place is its ``record`` (the list index from 1) in its file; for a zip of
several members the source is ``<zip>:<folder>/exercise-*.json`` and the record is
numbered as Fitbit numbers them (record 105 is the 5th of ``exercise-100.json``),
the notes naming the member. Left out, and said so: other activities, records seen
twice, and every other file of the archive (heart rate, sleep, steps ...).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...errors import LogFormatError
from ...program import Program
from .base import AppRead, Peek, build_raw, count_phrase, local_text, zone
from .csv_export import Types
from .files import json_document, ms_minutes, not_a_zip, zip_members
from .names import ActivityNames

__all__ = ["KEY", "NAME", "KINDS", "LINE_LABEL", "sniff", "by_name", "read"]

KEY = "fitbit"
NAME = "Fitbit"
KINDS = ("sessions",)
LINE_LABEL = "record"

_MEMBER = re.compile(r"(?:^|/)exercise-(\d+)\.json\Z", re.I)
#: the start of a JSON list whose first object holds logId and activityName
_HEAD = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\[\s*\{(?=[^{}]*"logId"\s*:)(?=[^{}]*"activityName"\s*:)')
_START = re.compile(r"(\d{2})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})\Z")
_WHAT = "a Fitbit exercise-N.json holds a JSON list of exercise records"


# -- recognising the file -------------------------------------------------------------


def exercise_members(names: list[str]) -> list[str]:
    """The ``exercise-N.json`` members of a zip, in the order of N."""
    found = [(int(m[1]), n) for n in names if (m := _MEMBER.search(n))]
    return [n for _, n in sorted(found)]


def sniff(p: Peek) -> bool:
    """A Fitbit export by its content: a JSON list whose first object holds ``logId``
    and ``activityName``, or a zip holding ``exercise-N.json`` members."""
    if p.is_zip:
        return bool(exercise_members(p.members))
    return _HEAD.match(p.head) is not None


def by_name(name: str) -> bool:
    """When the content says nothing (an empty or damaged file): Fitbit's names."""
    n = name.casefold()
    return _MEMBER.search(n) is not None or (n.startswith("myfitbitdata") and n.endswith(".zip"))


# -- reading --------------------------------------------------------------------------


@dataclass
class _Record:
    member: str | None  # the zip member, None for a file read on its own
    place: int          # record number (in the file, or Fitbit's number in the export)
    index: int          # the list index from 1 in its file
    data: dict


def _records(doc: object, name: str, member: str | None, first: int) -> list[_Record]:
    if not isinstance(doc, list):
        kind = "an object" if isinstance(doc, dict) else f"a {type(doc).__name__}"
        raise LogFormatError(name, f"is JSON, but its top level is {kind}, not a list: {_WHAT}")
    out = []
    for i, rec in enumerate(doc, 1):
        if not isinstance(rec, dict):
            raise LogFormatError(name, f"{LINE_LABEL} {i:,} is not an exercise record (a JSON "
                                       f"{type(rec).__name__}): Fitbit writes one object per "
                                       "exercise; the file was edited or damaged")
        out.append(_Record(member, first + i, i, rec))
    return out


def _load(p: Peek) -> tuple[list[_Record], str, list[str]]:
    """(records, the source name, report lines about the files)."""
    name = str(p.path)
    not_a_zip(p)
    if not p.is_zip:
        doc = json_document(p.path.read_bytes(), name, _WHAT)
        return _records(doc, name, None, 0), name, []
    members = exercise_members(p.members)
    if not members and p.zip_problem is None:
        raise LogFormatError(name, "is a zip but not a Fitbit export: it holds no "
                                   "exercise-N.json (Physical Activity/exercise-0.json ...)")
    records: list[_Record] = []
    starts = []
    for member, data in zip_members(p, members, "load its exercise-N.json files"):
        doc = json_document(data, f"{name}:{member}", _WHAT)
        starts.append(int(_MEMBER.search(member)[1]))
        records += _records(doc, f"{name}:{member}", member, 0)
    report = []
    if len(members) == 1:
        return records, f"{name}:{members[0]}", _others(p, members)
    sizes = Counter(r.member for r in records)
    # Fitbit's numbering (exercise-100.json starts at record 101) when the files agree
    fits = all(s + sizes[m] <= nxt for s, m, nxt in zip(starts, members, starts[1:], strict=False))
    offset = dict(zip(members, starts, strict=True))
    running = 0
    for r in records:
        running += 1
        r.place = offset[r.member] + r.index if fits else running
    if not fits:
        report.append("the exercise-N.json files overlap in their numbering (renamed files?); "
                      "records are numbered one after the other in the order of N")
    folders = {str(PurePosixPath(m).parent) for m in members}
    folder = folders.pop() + "/" if len(folders) == 1 else ""
    return records, f"{name}:{folder.lstrip('./')}exercise-*.json", report + _others(p, members)


def _others(p: Peek, members: list[str]) -> list[str]:
    out = []
    other = len(p.members) - len(members) - sum(n.endswith("/") for n in p.members)
    if other:
        out.append(f"{count_phrase(other, 'other file')} of the archive (heart rate, sleep, "
                   f"steps ...) {'is' if other == 1 else 'are'} not read: the program "
                   "measures walks")
    if any(n.startswith("Takeout/Fit/") for n in p.members):
        out.append("this Takeout also holds Google Fit (Takeout/Fit/), not read here: load "
                   "the zip again with source=\"google_fit\"")
    return out


def start_text(value: object, tz: dt.tzinfo) -> object:
    """Fitbit's UTC ``MM/DD/YY HH:MM:SS`` -> local time with its offset in ``tz``; an
    impossible date of that shape as ISO text, anything else with ``(UTC, not read)``
    after it: validation refuses both, never taking a UTC time for a local one."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value)
    m = _START.match(text.strip())
    if m is None:
        return f"{text} (UTC, not read)"
    mo, d, y, hh, mi, ss = (int(g) for g in m.groups())
    try:
        instant = dt.datetime(2000 + y, mo, d, hh, mi, ss, tzinfo=dt.UTC)
    except ValueError:
        return f"20{m[3]}-{m[1]}-{m[2]}T{m[4]}:{m[5]}:{m[6]}Z"
    return local_text(instant, tz)


def _minutes(rec: dict) -> tuple[object, str]:
    """(minutes cell, which field gave it: "active", "duration" or "none")."""
    if rec.get("activeDuration") is not None:
        return ms_minutes(rec["activeDuration"]), "active"
    if rec.get("duration") is not None:
        return ms_minutes(rec["duration"]), "duration"
    return None, "none"


def read(
    p: Peek,
    *,
    kind: str,
    program: Program,
    names: ActivityNames,
    tz: str | None = None,
    patient_id: str | None = None,
) -> AppRead:
    """Read a Fitbit export's exercise records (see the module's docstring).

    Raises
    ------
    LogFormatError
        The file cannot be read (empty, truncated, content after the JSON, not a list
        of records, a damaged zip or one without ``exercise-N.json``), or ``tz`` is
        missing (Fitbit writes UTC times only) or is not a zone.
    """
    records, source, file_report = _load(p)
    where = zone(tz, source, NAME)
    seen: dict[object, _Record] = {}
    kept = []
    twice = 0
    for r in records:
        log_id = r.data.get("logId")
        if log_id is not None and not isinstance(log_id, dict | list):
            if log_id in seen:
                twice += 1
                continue
            seen[log_id] = r
        kept.append(r)
    several = len({r.member for r in records}) > 1
    cols: dict[str, list] = {"date": [], "exercise": [], "minutes": [], "notes": []}
    lines: list[int] = []
    types = Types(NAME, names, frozenset(), frozenset())  # Walk, and the user's mapping
    used: Counter = Counter()
    shorter = 0.0
    for r in kept:
        rec = r.data
        activity = rec.get("activityName")
        target = types.activity(activity if isinstance(activity, str) else None)
        if target is None:
            continue
        minutes, field = _minutes(rec)
        used[field] += 1
        total = ms_minutes(rec.get("duration"))
        if field == "active" and isinstance(minutes, float) and isinstance(total, float) \
                and total != minutes:
            used["differs"] += 1
            shorter += total - minutes
        where_note = f"; {PurePosixPath(r.member).name}, record {r.index}" if several else ""
        log_type = rec.get("logType")
        how = f" ({log_type}{where_note})" if isinstance(log_type, str) else (
            f" ({where_note[2:]})" if where_note else "")
        cols["date"].append(start_text(rec.get("startTime"), where))
        cols["exercise"].append(target)
        cols["minutes"].append(minutes)
        cols["notes"].append(f"Fitbit {activity}{how}")
        lines.append(r.place)
    if patient_id is not None:
        cols["patient_id"] = [patient_id] * len(lines)
    report = _report(records, types, used, shorter, twice) + file_report
    return AppRead(build_raw(cols, lines, source, LINE_LABEL), NAME, report)


def _report(records, types: Types, used: Counter, shorter: float, twice: int) -> list[str]:
    out = types.report() if records else ["no exercise records in this export"]
    if used["differs"]:
        out.append(f"{count_phrase(used['differs'], 'entry', 'entries')}: activeDuration (the "
                   f"time active, pauses left out) used, {shorter:.1f} min less in total than "
                   "duration (the whole interval)")
    if used["duration"]:
        out.append(f"{count_phrase(used['duration'], 'entry', 'entries')} had no "
                   "activeDuration: duration (the whole interval, pauses included) used")
    if used["none"]:
        out.append(f"{count_phrase(used['none'], 'entry', 'entries')} had neither "
                   "activeDuration nor duration: the minutes are unknown")
    if twice:
        out.append(f"{count_phrase(twice, 'exercise record')} found twice (the same logId) "
                   "counted once")
    return out
