"""Google Fit: Google Takeout (takeout.google.com > select Fit > Create export) ->
walks from ``Takeout/Fit/All Sessions/*.json``, or the phone's daily walking from
``Takeout/Fit/Daily activity metrics/Daily activity metrics.csv``, and a count of what
is left out.

Accepted: one session file, several (each read on its own), the Takeout zip as it is
(its ``Fit/All Sessions/*.json``, in name order), or ``Daily activity metrics.csv``
alone. The rules are in docs/data-format.md, "Google Fit".

**Sessions** (one JSON object a file, named ``<local start>_<ACTIVITY>.json``):

* ``fitnessActivity``: ``walking`` and Google's walking kinds (``walking.fitness``,
  ``walking.treadmill``, ``walking.nordic``, ``walking.stroller``) and ``hiking`` are
  ``walk`` (the report counts each kind); the user's mapping wins and adds kinds
  (``"yoga" = "session"``); the rest is counted per kind (:class:`.csv_export.Types`).
* minutes from ``duration`` (``"974.582s"``): the walking time, the sum of the
  session's segments, shorter than ``endTime - startTime`` when the walk paused (in
  the public sample, 19 of 45 sessions; 2,198.007 s against 2,800.683 s). A session
  without ``duration`` has unknown minutes, never the interval.
* the day as lived: ``startTime`` is UTC (``2025-01-29T14:53:54.103Z``); the file's
  name holds the local start with its offset (``2025-01-29T20_23_54.103+05_30_WALKING.json``),
  so the start becomes ``2025-01-29T20:23:54.103+05:30``, the name's time checked to be
  that instant. A name with no offset (renamed), or another time, needs ``tz=``; a
  ``tz`` given never overrides a name's offset.
* the same session twice (the same kind, start and end: a copied file) is counted
  once, the first by name kept.

**Daily activity metrics.csv** (one row a day): its ``Walking duration (ms)`` is all
the walking the phone detected that day, deliberate walks or not, and the sessions'
walks are part of it (on 2025-02-12 of the sample: 72.5 min against 52.3 min of
sessions). Loaded on its own, each day with a walking duration is one ``walk`` entry
of that many minutes, its notes and the report saying what it is; it is never read
from the zip, where the sessions are read (both would count the same walks twice),
and it should not be loaded beside session files. The per-day CSVs (15-minute rows
with no date) are refused with what to load instead.

Left out, and said so: other activities, sessions seen twice, the zip's other files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...errors import LogFormatError
from ...program import WALK, Program, normalize_name
from .base import AppRead, Peek, build_raw, count_phrase, local_text, zone
from .csv_export import Types
from .files import json_document, ms_minutes, not_a_zip, zip_members
from .names import ActivityNames

__all__ = ["KEY", "NAME", "KINDS", "LINE_LABEL", "WALK_KINDS", "sniff", "by_name", "read"]

KEY = "google_fit"
NAME = "Google Fit"
KINDS = ("sessions",)
LINE_LABEL = "session"

#: Google Fit's activity kinds that are walking
WALK_KINDS = frozenset(("walking", "walking.fitness", "walking.treadmill", "walking.nordic",
                        "walking.stroller", "hiking"))
DAILY = "Daily activity metrics.csv"
WALKING_MS = "Walking duration (ms)"

_SESSION_MEMBER = re.compile(r"(?:^|/)Fit/All Sessions/[^/]+\.json\Z")
_HEAD = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{(?=[^{}\[\]]*"fitnessActivity"\s*:)'
                   rb'(?=[^{}\[\]]*"startTime"\s*:)')
_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2})_(\d{2})_(\d{2})(?:\.(\d{1,9}))?"
                   r"(Z|[+-]\d{2}_\d{2})_.+\.json\Z", re.I)
_SECONDS = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?)s\s*\Z")
_BARE = re.compile(r"\s*-?[0-9.]+(?:[eE][+-]?[0-9]+)?\s*\Z")
_BY_TZ = object()  # a session placed in its day by tz=
_WHAT = "a Google Fit session file holds one JSON object (fitnessActivity, startTime ...)"


# -- recognising the file -------------------------------------------------------------


def _csv_kind(head: bytes) -> str | None:
    """``"daily"`` for Daily activity metrics.csv, ``"day"`` for a per-day CSV."""
    line = head.decode("utf-8-sig", "replace").splitlines()[:1]
    try:
        cells = [c.strip() for c in next(csv.reader(line), [])]
    except csv.Error:
        return None
    if "Move Minutes count" not in cells and WALKING_MS not in cells:
        return None
    if cells[:1] == ["Date"]:
        return "daily"
    return "day" if cells[:2] == ["Start time", "End time"] else None


def sniff(p: Peek) -> bool:
    """Google Fit by its content: a zip with ``Takeout/Fit/`` members, a JSON object
    starting with ``fitnessActivity`` and ``startTime``, or the daily CSVs' header."""
    if p.is_zip:
        return any(n.startswith("Takeout/Fit/") or _SESSION_MEMBER.search(n) for n in p.members)
    return _HEAD.match(p.head) is not None or _csv_kind(p.head) is not None


def by_name(name: str) -> bool:
    """When the content says nothing (an empty or damaged file): Takeout's names."""
    n = name.casefold()
    return (_NAME.match(name) is not None or n == DAILY.casefold()
            or (n.startswith("takeout-") and n.endswith(".zip")))


# -- sessions -------------------------------------------------------------------------


@dataclass
class _Session:
    """A session file's fields as written; ``place`` is 1, or its number in the zip."""

    file: str
    place: int
    activity: object
    start: object
    end: object
    duration: object


def _instant(text: object) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        t = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)  # Google writes UTC


def _named_start(file: str) -> tuple[dt.datetime, float] | None:
    """The local start a session file's name holds, and how close it must match."""
    m = _NAME.match(file)
    if m is None:
        return None
    y, mo, d, hh, mi, ss = (int(g) for g in m.groups()[:6])
    frac, off = m[7] or "", m[8].upper()
    shift = dt.timedelta(hours=int(off[1:3]), minutes=int(off[4:6])) if off != "Z" else None
    tz = dt.UTC if shift is None else dt.timezone(-shift if off[0] == "-" else shift)
    try:
        t = dt.datetime(y, mo, d, hh, mi, ss, tzinfo=tz)
    except ValueError:
        return None
    return t + dt.timedelta(seconds=float("0." + frac) if frac else 0), (0.002 if frac else 1.0)


def _session(doc: object, name: str, file: str, place: int) -> _Session:
    if not isinstance(doc, dict):
        kind = "a list" if isinstance(doc, list) else f"a {type(doc).__name__}"
        raise LogFormatError(name, f"is JSON, but {kind}, not a session: {_WHAT}")
    g = doc.get
    return _Session(file, place, g("fitnessActivity"), g("startTime"), g("endTime"),
                    g("duration"))


def _minutes(duration: object) -> float | str | None:
    """Minutes of Google's ``"974.582s"``; a number with no unit, or anything else, as
    text validation refuses (a bare number is never taken as minutes)."""
    if duration is None:
        return None
    if not isinstance(duration, str):
        duration = str(duration)
    m = _SECONDS.match(duration)
    if m:
        return float(m[1]) / 60
    return f"{duration} (no unit)" if _BARE.match(duration) else duration


def _sessions(p: Peek) -> tuple[list[_Session], str, list[str]]:
    """(sessions, source name, report lines about the files) of a file or a zip."""
    name = str(p.path)
    if not p.is_zip:
        doc = json_document(p.path.read_bytes(), name, _WHAT)
        return [_session(doc, name, p.path.name, 1)], name, []
    members = sorted(n for n in p.members if _SESSION_MEMBER.search(n))
    out = []
    for i, (member, data) in enumerate(
            zip_members(p, members, "load the files of Takeout/Fit/All Sessions"), 1):
        doc = json_document(data, f"{name}:{member}", _WHAT)
        out.append(_session(doc, f"{name}:{member}", PurePosixPath(member).name, i))
    folders = sorted({str(PurePosixPath(m).parent) for m in members})
    folder = folders[0] + "/" if len(folders) == 1 else "Takeout/Fit/All Sessions/"
    return out, f"{name}:{folder}", _zip_report(p.members, set(members))


def _zip_report(names: list[str], read: set[str]) -> list[str]:
    out = []
    if not read:
        out.append("the zip holds no session files (Takeout/Fit/All Sessions/*.json)")
    folders: Counter = Counter()
    others = 0
    for n in names:
        if n in read or n.endswith("/"):
            continue
        if n.startswith("Takeout/Fit/") or "/Fit/" in n:
            folders[str(PurePosixPath(n).parent)] += 1
        else:
            others += 1
    why = {"Daily activity metrics": f"all the walking the phone detected, the sessions "
                                     f"included: load {DAILY} on its own to read it",
           "Activities": "the same sessions, as routes"}
    for folder, n in sorted(folders.items()):
        out.append(f"{count_phrase(n, 'file')} in {folder} not read ("
                   f"{why.get(PurePosixPath(folder).name, 'the program measures walks')})")
    if others:
        out.append(f"{count_phrase(others, 'other file')} of the Takeout (not Google Fit) not read")
    return out


def _read_sessions(p: Peek, names: ActivityNames, tz: str | None,
                   patient_id: str | None) -> AppRead:
    sessions, source, file_report = _sessions(p)
    seen: set[tuple] = set()
    kept, twice = [], 0
    for s in sessions:
        start, end = _instant(s.start), _instant(s.end)
        if start is not None and end is not None:
            key = (str(s.activity), start, end)
            if key in seen:
                twice += 1
                continue
            seen.add(key)
        kept.append(s)
    rows, unnamed = [], []
    paused, less = 0, 0.0
    types = Types(NAME, names, frozenset(normalize_name(k) for k in WALK_KINDS - {"hiking"}),
                  frozenset(("hiking",)))
    for s in kept:
        target = types.activity(s.activity if isinstance(s.activity, str) else None)
        if target is None:
            continue
        instant, named = _instant(s.start), _named_start(s.file)
        if instant is None:
            date = None if s.start is None else f"{s.start} (UTC, not read)"
        elif named is not None and abs((named[0] - instant).total_seconds()) < named[1]:
            date = local_text(instant, named[0].tzinfo)
        else:
            date = _BY_TZ
            unnamed.append(s.file)
        minutes = _minutes(s.duration)
        end = _instant(s.end)
        if isinstance(minutes, float) and instant is not None and end is not None:
            gap = (end - instant).total_seconds() / 60 - minutes
            if gap > 1 / 60:
                paused += 1
                less += gap
        rows.append((s, target, date, instant, minutes))
    where = None  # the zone of tz=, for the sessions whose names say nothing
    if unnamed:
        if tz is None:
            n = len(unnamed)
            raise LogFormatError(source, (
                f"the name of {count_phrase(n, 'session file')} ({unnamed[0]}"
                f"{', ...' if n > 1 else ''}) holds no local start with its offset that is the "
                "session's (Takeout writes 2025-01-29T20_23_54.103+05_30_WALKING.json), and "
                "Google Fit writes times in UTC only: give tz= (the zone you lived in, e.g. "
                "tz=\"Asia/Kolkata\", or --tz), or load the files as Takeout named them"))
        where = zone(tz, source, NAME)
    cols: dict[str, list] = {"date": [], "exercise": [], "minutes": [], "notes": []}
    lines = []
    for s, target, date, instant, minutes in rows:
        kind = s.activity if isinstance(s.activity, str) else "unnamed"
        cols["date"].append(local_text(instant, where) if date is _BY_TZ else date)
        cols["exercise"].append(target)
        cols["minutes"].append(minutes)
        cols["notes"].append(f"Google Fit {kind} session" + (f" ({s.file})" if p.is_zip else ""))
        lines.append(s.place)
    if patient_id is not None:
        cols["patient_id"] = [patient_id] * len(lines)
    report = _session_report(sessions, types, paused, less, twice, len(unnamed),
                             sum(r[4] is None for r in rows))
    return AppRead(build_raw(cols, lines, source, LINE_LABEL), NAME, report + file_report)


def _session_report(sessions, types: Types, paused: int, less: float, twice: int,
                    by_tz: int, no_duration: int) -> list[str]:
    out = types.report() if sessions else []
    if paused:
        out.append(f"{count_phrase(paused, 'session')} paused: duration (the time moving) "
                   f"used, {less:.1f} min less in total than end minus start")
    if no_duration:
        out.append(f"{count_phrase(no_duration, 'session')} had no duration: the minutes are "
                   "unknown (end minus start would count the pauses too)")
    if by_tz:
        out.append(f"{count_phrase(by_tz, 'session')} placed in the day by tz= (the file "
                   "name holds no offset that matches the start)")
    if twice:
        out.append(f"{count_phrase(twice, 'session')} found twice (same kind, start and end) "
                   "counted once")
    return out


# -- Daily activity metrics.csv --------------------------------------------------------


def _read_daily(p: Peek, patient_id: str | None) -> AppRead:
    name = str(p.path)
    try:
        text = p.path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LogFormatError(name, f"is not UTF-8 text (byte {exc.start:,} cannot be read): "
                                   f"not the {DAILY} Takeout writes") from None
    if not text.strip():
        raise LogFormatError(name, f"is empty: {DAILY} holds a header (Date, ..., "
                                   f"{WALKING_MS}) and a row a day")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [c.strip() for c in next(reader, [])]
    missing = [c for c in ("Date", WALKING_MS) if c not in header]
    if missing:
        raise LogFormatError(name, (
            f"has no {' or '.join(repr(c) for c in missing)} column (its header: "
            f"{', '.join(header[:6]) or 'none'}{' ...' if len(header) > 6 else ''}): the "
            f"walk minutes of {DAILY} are read from Date and {WALKING_MS}; a Takeout in "
            "another language or a new version names them differently"))
    at_date, at_walk = header.index("Date"), header.index(WALKING_MS)
    cols: dict[str, list] = {"date": [], "exercise": [], "minutes": [], "notes": []}
    lines = []
    none = 0
    try:
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            cell = row[at_walk].strip() if at_walk < len(row) else ""
            if not cell:
                none += 1
                continue
            cols["date"].append(row[at_date] if at_date < len(row) else None)
            cols["exercise"].append(WALK)
            cols["minutes"].append(ms_minutes(cell))
            cols["notes"].append("Google Fit walking the phone detected that day (all walking, "
                                 "not only walks)")
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise LogFormatError(name, f"cannot be read as CSV at line {reader.line_num:,} "
                                   f"({exc})") from None
    if patient_id is not None:
        cols["patient_id"] = [patient_id] * len(lines)
    n = len(lines)
    report = [f"{count_phrase(n, 'day')} of walking the phone detected ({WALKING_MS}) read as "
              "one walk entry a day: Google Fit counts all the walking it detected, not only "
              "the walks set out on; the sessions (Takeout/Fit/All Sessions) are part of it, "
              "so do not load them with this file; its other columns (running, steps ...) are "
              "not read"]
    if none:
        report.append(f"{count_phrase(none, 'day')} with no walking duration (none detected) "
                      f"{'has' if none == 1 else 'have'} no entry")
    return AppRead(build_raw(cols, lines, name, "line"), NAME, report)


# -- reading --------------------------------------------------------------------------


def read(
    p: Peek,
    *,
    kind: str,
    program: Program,
    names: ActivityNames,
    tz: str | None = None,
    patient_id: str | None = None,
) -> AppRead:
    """Read a Google Fit Takeout file or zip (see the module's docstring).

    ``tz`` is needed only for a session whose file name holds no offset that matches
    its start; it never overrides one that does.

    Raises
    ------
    LogFormatError
        The file cannot be read (empty, truncated, not a session, a damaged zip, a
        daily CSV without Date or its walking column, a per-day CSV), or ``tz`` is needed.
    """
    not_a_zip(p)
    if not p.is_zip:
        csv_kind = _csv_kind(p.head)
        if csv_kind == "day":
            raise LogFormatError(str(p.path), (
                "is one day of Google Fit's Daily activity metrics in 15-minute rows, with no "
                f"date in its rows: load {DAILY} (one row a day) or the session files of "
                "Takeout/Fit/All Sessions"))
        if csv_kind == "daily" or p.path.name.casefold() == DAILY.casefold():
            return _read_daily(p, patient_id)
    return _read_sessions(p, names, tz, patient_id)
