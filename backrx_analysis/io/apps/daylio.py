"""Daylio: the CSV of entries (More > Export Entries > CSV, ``daylio_export_2021_09_28.csv``)
-> the program's activities the person ticked, each an entry without minutes or reps.

Daylio is a mood diary: each entry has a date and time, a mood, the activities the
person ticked (names they chose: "nature / walk", "sport", "back exercises"...) and an
optional note. The export's columns are
``full_date,date,weekday,time,mood,activities,note_title,note``; newer versions add
``scales`` and others, so columns are found by name, never by position.

What becomes an entry (the rules are in docs/data-format.md, "Daylio"):

* every activity of an entry (``activities`` is a ``" | "``-separated list) whose name
  maps to an activity of the program (:class:`~.names.ActivityNames`: the person's
  ``activities.toml`` first, then the program's names and aliases; ``walk`` and
  ``walking`` map without a mapping, "nature / walk" needs one). Daylio records that an
  activity happened, never for how long or how many times, so each entry is written
  ``measured`` = no with no minutes and no reps: that day's walk minutes (or the
  exercise's repetitions) are unknown, never 0 and never the target.
* the day and time: ``full_date`` (``2021-09-28``) and ``time`` (``10:00 pm`` or
  ``22:00`` depending on the phone's clock setting), local time with no zone, given to
  validation as ``2021-09-28T22:00:00``. A time that is neither form is passed on as
  written (``2021-09-28 25:00``) and validation says why it cannot be read.
* the locator is the CSV line of the entry's first line as an editor shows it (header
  = line 1); a note written over several lines moves the lines after it, as in the
  editor.
* the notes of the entry are neutral: ``Daylio activity 'nature / walk' (no duration
  recorded)``.

**The same entry twice.** Daylio lists each activity of an entry once; two names that
map to the same activity in one entry ("walk" and "nature / walk") are one entry of
that activity. Two rows identical in every column (an export joined to itself, an entry
duplicated) are one entry, counted in the report. Two entries at different times with
the same activity are two entries (Daylio allows several entries a day).

Left out, with counts in the report: activities that are not part of the program (per
name), entries without activities, moods (the program measures exercise, walks and
pain), and notes. A Daylio note is diary text about the person's life, mostly unrelated
to the exercises, and it would travel into every report and export made from the
frame, so it is never read; the report counts the entries that had one.
"""

from __future__ import annotations

import csv
import io
import re

from ...errors import LogFormatError
from ...program import Program
from .base import AppRead, Peek, build_raw, count_phrase
from .files import export_text
from .names import ActivityNames

__all__ = ["KEY", "NAME", "KINDS", "LINE_LABEL", "sniff", "by_name", "read", "daylio_time"]

KEY = "daylio"
NAME = "Daylio"
KINDS = ("sessions",)
LINE_LABEL = "line"

#: the columns an entry cannot be read without
REQUIRED = ("full_date", "time", "activities")
#: the header of every Daylio export (the columns found by name beside these are ignored)
HEADER = ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note")
_SEP = "|"
_H12 = re.compile(r"\s*(\d{1,2}):(\d{2})\s*([ap])\.?\s*m\.?\s*\Z", re.I)
_H24 = re.compile(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*\Z")
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})\s*\Z")


# -- recognising the file -------------------------------------------------------------


def _header_names(head: bytes) -> list[str]:
    """The first CSV line of ``head`` as lower-case names ([] when it is not text)."""
    line = head.split(b"\n", 1)[0].split(b"\r", 1)[0]
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    try:
        row = next(csv.reader([text]), [])
    except csv.Error:
        return []
    return [c.strip().casefold() for c in row]


def sniff(p: Peek) -> bool:
    """A Daylio export by its header: ``full_date``, ``time``, ``mood`` and
    ``activities`` among the columns of the first line."""
    if p.is_zip:
        return False
    names = set(_header_names(p.head))
    return {"full_date", "time", "mood", "activities"} <= names


def by_name(name: str) -> bool:
    """Daylio's own file names, ``daylio_export_2021_09_28.csv``."""
    n = name.casefold()
    return n.startswith("daylio_export") and n.endswith(".csv")


# -- reading --------------------------------------------------------------------------


def daylio_time(day: str, time: str) -> str:
    """``("2021-09-28", "10:00 pm")`` -> ``"2021-09-28T22:00:00"`` (also ``"22:00"``);
    anything else as written, day and time joined, for validation to read or refuse."""
    d = _ISO_DAY.match(day or "")
    m12, m24 = _H12.match(time or ""), _H24.match(time or "")
    if d is None or (m12 is None and m24 is None):
        return f"{(day or '').strip()} {(time or '').strip()}".strip()
    if m12 is not None:
        hour, minute = int(m12[1]), int(m12[2])
        if not 1 <= hour <= 12:
            return f"{day.strip()} {time.strip()}"
        hour = hour % 12 + (12 if m12[3].lower() == "p" else 0)
        second = 0
    else:
        hour, minute, second = int(m24[1]), int(m24[2]), int(m24[3] or 0)
    return f"{d[1]}T{hour:02d}:{minute:02d}:{second:02d}"


def _text(p: Peek) -> str:
    return export_text(p, "a Daylio export starts with the header " + ",".join(HEADER))


def _rows(p: Peek) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header names, [(first line of the record, cells)]) with blank lines skipped."""
    name = str(p.path)
    reader = csv.reader(io.StringIO(_text(p), newline=""))
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip().casefold() for c in cells]
                header[0] = header[0].lstrip("\ufeff")
            else:
                rows.append((start, cells))
    except csv.Error as exc:
        raise LogFormatError(name, f"is not a readable CSV at line {reader.line_num:,} ({exc}): "
                                   "export the entries from Daylio again") from None
    missing = [c for c in REQUIRED if c not in (header or [])]
    if missing:
        found = ", ".join(header or []) or "none"
        raise LogFormatError(
            name, f"is not a Daylio export this kit can read: the columns {', '.join(missing)} "
                  f"are missing (found: {found}); a Daylio CSV has the columns "
                  f"{','.join(HEADER)}")
    return header, rows


def read(
    p: Peek,
    *,
    kind: str,
    program: Program,
    names: ActivityNames,
    tz: str | None = None,
    patient_id: str | None = None,
) -> AppRead:
    """Read a Daylio export (see the module's docstring).

    ``tz`` is not used: Daylio writes the local time the entry was made, and the day is
    the one written.

    Raises
    ------
    LogFormatError
        The file is empty, is not CSV, lacks a column an entry needs (``full_date``,
        ``time``, ``activities``), or a row has fewer cells than those columns need
        (a truncated or damaged file).
    """
    name = str(p.path)
    header, rows = _rows(p)
    col = {h: i for i, h in reversed(list(enumerate(header)))}  # the first of a name
    i_day, i_time, i_act = col["full_date"], col["time"], col["activities"]
    short = [line for line, cells in rows if len(cells) < len(header)]
    if short:
        shown = ", ".join(f"{n:,}" for n in short[:5]) + (" ..." if len(short) > 5 else "")
        raise LogFormatError(
            name, f"ends early or is damaged: line {shown} {'has' if len(short) == 1 else 'have'} "
                  f"fewer cells than the header's {len(header)} (Daylio writes every column "
                  "of every entry); export the entries from Daylio again")
    cols: dict[str, list] = {"date": [], "exercise": [], "minutes": [], "reps": [],
                             "measured": [], "notes": []}
    lines: list[int] = []
    seen: set[tuple[str, ...]] = set()
    repeated = headers_again = no_activity = moods = noted = scales = 0
    kept = 0
    header_row = [h.casefold() for h in header]
    for line, cells in rows:
        if [c.strip().casefold() for c in cells] == header_row:
            headers_again += 1
            continue
        key = tuple(cells)
        if key in seen:
            repeated += 1
            continue
        seen.add(key)
        kept += 1
        cell = _getter(cells)
        if cell(col.get("mood")).strip():
            moods += 1
        if cell(col.get("note")).strip() or cell(col.get("note_title")).strip():
            noted += 1
        if cell(col.get("scales")).strip():
            scales += 1
        ticked = [a.strip() for a in cells[i_act].split(_SEP) if a.strip()]
        if not ticked:
            no_activity += 1
            continue
        when = daylio_time(cells[i_day], cells[i_time])
        done: set[str] = set()
        for activity in ticked:
            target = names.resolve(activity)
            if target is None or target in done:
                continue
            done.add(target)
            cols["date"].append(when)
            cols["exercise"].append(target)
            cols["minutes"].append(None)
            cols["reps"].append(None)
            cols["measured"].append(False)
            cols["notes"].append(f"Daylio activity {activity!r} (no duration recorded)")
            lines.append(line)
    if patient_id is not None:
        cols["patient_id"] = [patient_id] * len(lines)
    report = _report(kept, cols["exercise"], names, repeated=repeated,
                     headers_again=headers_again, no_activity=no_activity, moods=moods,
                     noted=noted, scales=scales)
    return AppRead(build_raw(cols, lines, name, LINE_LABEL), NAME, report)


def _getter(cells: list[str]):
    def cell(i: int | None) -> str:
        return cells[i] if i is not None and i < len(cells) else ""
    return cell


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def _report(entries: int, read: list[str], names: ActivityNames, *, repeated: int,
            headers_again: int, no_activity: int, moods: int, noted: int,
            scales: int) -> list[str]:
    out = []
    if read:
        by = {a: read.count(a) for a in dict.fromkeys(read)}
        what = ", ".join(f"{n:,} {a}" for a, n in by.items())
        out.append(f"{count_phrase(entries, 'Daylio entry', 'Daylio entries')} read: "
                   f"{count_phrase(len(read), 'activity', 'activities')} of the program "
                   f"({what}), without minutes or repetitions (Daylio records that an "
                   "activity happened, not how long): they are unknown on those days")
    elif not entries:
        out.append("the export holds no entries (only its header)")
    else:
        out.append(f"{count_phrase(entries, 'Daylio entry', 'Daylio entries')} read: none "
                   "names an activity of the program (map your activity names in "
                   "activities.toml, e.g. \"nature / walk\" = \"walk\")")
    out += names.report()
    if no_activity:
        out.append(f"{count_phrase(no_activity, 'entry', 'entries')} had no activities")
    if moods:
        out.append(f"{count_phrase(moods, 'mood rating')} {_are(moods)} not read: the "
                   "program measures exercise, walks and pain")
    if noted:
        out.append(f"{count_phrase(noted, 'entry', 'entries')} had a note: Daylio notes are "
                   "diary text and are not read")
    if scales:
        out.append(f"{count_phrase(scales, 'entry', 'entries')} had scales (Daylio's own "
                   "ratings): they are not read")
    if repeated:
        out.append(f"{count_phrase(repeated, 'row')} identical to an earlier row in every "
                   "column counted once")
    if headers_again:
        out.append(f"{count_phrase(headers_again, 'line')} repeating the header skipped "
                   "(two exports joined into one file)")
    return out
