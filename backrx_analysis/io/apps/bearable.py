"""Bearable: the CSV export (Settings > Export data > CSV) -> low-back-pain ratings on
Bearable's own 0-4 severity scale, and the program's activities among the factors.

The export has one row per reading, many a day, of every kind the app tracks::

    date,weekday,time of day,category,rating/amount,detail,notes
    "9th Dec 2020","Wednesday","mid","Symptom","1","Back (lower) pain (Mild)",""
    "22nd Nov 2020","Sunday","all day","Factors","","Home | Walk | Shopping",""

Columns are found by name, never by position. ``category`` is ``Symptom``, ``Factors``,
``Mood``, ``Energy``, ``Meds/Supplements``, ``Sleep``, ``Gratitudes``, ``Food Diary``...

**The day.** ``date`` is written ``22nd Sep 2020`` (an English ordinal day, an
abbreviated month) and given to validation as ``2020-09-22``. ``time of day`` is either
a clock time (``03:00``, ``3:04``, ``14:08``: local time, no zone), kept as the
entry's time, or a part of the day: ``pre``, ``am``, ``mid``, ``pm`` (Bearable's blocks
of the day for symptoms and factors; the export does not give their hours) or ``all
day``. A part of the day gives the date only (the time is unknown) and, on a pain
rating, its ``context`` in words (:data:`~.bearable_readings.PARTS`). A date or time
that is not in these forms is passed on as written and validation says why it cannot
be read.

**Pain log** (``kind="pain"``). ``Symptom`` rows whose symptom is low-back pain: the
``detail`` is the symptom's name and its severity in brackets (``Back (lower) pain
(Mild)`` -> ``Back (lower) pain``, ``Mild``), and the name is one of
:data:`~.bearable_readings.BACK_PAIN`
(compared as program names are: case, spaces and punctuation do not matter). This list
is fixed, not the activities mapping: Bearable's built-in symptom is "Back (lower)
pain"; "Back (upper) pain", "Neck pain" and every other symptom are counted per name in
the report and never loaded. ``pain`` is ``rating/amount`` as written, on the scale
``bearable`` (0 none, 1 mild, 2 moderate, 3 severe, 4 unbearable: Bearable's symptom
scale); validation checks its range. The kit never turns it into 0-10 pain on its
own: ``convert_scale`` is the user's explicit choice. A number that disagrees with its
word (``3`` with ``Mild``) keeps the number, and the report names the lines. The
row's own ``notes`` (a note on that reading) is kept in the entry's notes, after
``Bearable symptom 'Back (lower) pain' (Mild)``; ``location`` is ``low back``.

**Sessions log** (``kind="sessions"``). ``Factors`` rows list what happened in that
part of the day (``Home | Walk | Shopping``); each factor that maps to an activity of
the program (:class:`~.names.ActivityNames`: the person's ``activities.toml`` first,
then the program's names, so ``Walk`` is a walk) is an entry with ``measured`` = no and
no minutes or reps: Bearable records that it happened, not for how long, so the day's
walk minutes are unknown (never 0, never the target). A reading in any category whose
``detail`` names a unit of time (``Walk (mins)``, ``Walking (minutes)``, ``Exercise
(hours)``) and whose name maps is read with its minutes (measured); no export seen so
far holds one, so this rule is written from the ``Name (unit)`` form of the export's
amounts (``Ibuprofen (mg)``); ``m`` is not read as minutes (it may be metres).

**The same reading twice.** Bearable writes a symptom once per part of the day it was
rated in: "Mild" at ``mid`` and "Moderate" at ``pm`` are two ratings of that day, and
both count in its mean. Rows identical in every column (an export joined to itself)
are one reading, counted in the report. One factor named twice in a row, or two
factors mapping to the same activity in one row, are one entry.

What each row becomes, and the report, are in :mod:`.bearable_readings`.

Left out, with counts in the report: every other category (moods, energy, sleep,
medication, food, gratitudes ...: the program measures exercise, walks and pain),
other symptoms, factors that are not part of the program (per name), and the
``notes`` of rows other than the low-back-pain ratings (diary text).
"""

from __future__ import annotations

import csv
import io
import re

from ...errors import LogFormatError
from ...program import Program
from .base import AppRead, Peek, build_raw
from .bearable_readings import (
    BACK_PAIN,
    PARTS,
    Reading,
    Scan,
    pain_columns,
    report,
    session_columns,
    take_pain,
    take_session,
)
from .files import export_text
from .names import ActivityNames

__all__ = ["KEY", "NAME", "KINDS", "LINE_LABEL", "BACK_PAIN", "PARTS", "sniff", "by_name",
           "read", "bearable_day"]

KEY = "bearable"
NAME = "Bearable"
KINDS = ("sessions", "pain")
LINE_LABEL = "line"

HEADER = ("date", "weekday", "time of day", "category", "rating/amount", "detail", "notes")
REQUIRED = ("date", "time of day", "category", "rating/amount", "detail")

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
#: English month names and abbreviations (Bearable writes "Sep"; "Sept" and the full
#: names are read too) -> number
_MONTHS = {**{m: i for i, m in enumerate(_MONTH_NAMES, 1)},
           **{m[:3]: i for i, m in enumerate(_MONTH_NAMES, 1)}, "sept": 9}
_DAY = re.compile(r"\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\s*\Z", re.I)
_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})\s*\Z")


# -- recognising the file -------------------------------------------------------------


def sniff(p: Peek) -> bool:
    """A Bearable export by its header: ``time of day``, ``category``,
    ``rating/amount`` and ``detail`` among the columns of the first line."""
    if p.is_zip:
        return False
    line = p.head.split(b"\n", 1)[0].split(b"\r", 1)[0]
    try:
        row = next(csv.reader([line.decode("utf-8-sig")]), [])
    except (UnicodeDecodeError, csv.Error):
        return False
    return {"time of day", "category", "rating/amount", "detail"} <= {
        c.strip().casefold() for c in row}


def by_name(name: str) -> bool:
    """Bearable's file names (``Bearable_Export_20210728.csv``)."""
    n = name.casefold()
    return n.startswith("bearable") and n.endswith(".csv")


# -- reading --------------------------------------------------------------------------


def bearable_day(date: str, time: str) -> tuple[str, str | None]:
    """(date text for validation, part of the day or ``None``): ``("22nd Sep 2020",
    "3:04")`` -> ``("2020-09-22T03:04:00", None)``; ``("9th Dec 2020", "mid")`` ->
    ``("2020-12-09", "mid")``. A date or clock not in Bearable's forms is returned as
    written (validation reads it or says why not)."""
    m = _DAY.match(date or "")
    month = _MONTHS.get(m[2].casefold()) if m else None
    if m is None or month is None:
        day = (date or "").strip()
    else:
        day = f"{m[3]}-{month:02d}-{int(m[1]):02d}"
    t = (time or "").strip()
    clock = _CLOCK.match(t)
    if clock:
        return (f"{day}T{int(clock[1]):02d}:{clock[2]}:00" if m and month else f"{day} {t}"), None
    part = t.casefold()
    if not part:
        return day, None
    return day, part


def _text(p: Peek) -> str:
    return export_text(p, "a Bearable export starts with the header " + ",".join(HEADER))


def _rows(p: Peek) -> tuple[dict[str, int], int, list[tuple[int, list[str]]]]:
    """(column -> position, number of columns, [(first line of the record, cells)])."""
    name = str(p.path)
    reader = csv.reader(io.StringIO(_text(p), newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip().casefold() for c in cells]
            else:
                rows.append((start, cells))
    except csv.Error as exc:
        raise LogFormatError(name, f"is not a readable CSV at line {reader.line_num:,} ({exc}): "
                                   "export the data from Bearable again") from None
    header = header or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LogFormatError(
            name, f"is not a Bearable export this kit can read: the columns "
                  f"{', '.join(missing)} are missing (found: {', '.join(header) or 'none'}); "
                  f"a Bearable CSV has the columns {','.join(HEADER)}")
    col = {h: i for i, h in reversed(list(enumerate(header)))}
    short = [line for line, cells in rows if len(cells) < len(header)]
    if short:
        shown = ", ".join(f"{n:,}" for n in short[:5]) + (" ..." if len(short) > 5 else "")
        raise LogFormatError(
            name, f"ends early or is damaged: line {shown} {'has' if len(short) == 1 else 'have'} "
                  f"fewer cells than the header's {len(header)} (Bearable writes every column "
                  "of every reading); export the data from Bearable again")
    return col, len(header), rows


def read(
    p: Peek,
    *,
    kind: str,
    program: Program,
    names: ActivityNames,
    tz: str | None = None,
    patient_id: str | None = None,
) -> AppRead:
    """Read a Bearable export (see the module's docstring).

    ``tz`` is not used: Bearable writes local dates and times, and the day is the one
    written.

    Raises
    ------
    LogFormatError
        The file is empty, is not CSV, lacks a column a reading needs (``date``, ``time
        of day``, ``category``, ``rating/amount``, ``detail``), or a row has fewer cells
        than the header (a truncated or damaged file).
    """
    col, width, rows = _rows(p)
    scan = Scan()
    cols = pain_columns() if kind == "pain" else session_columns()
    lines: list[int] = []
    seen: set[tuple[str, ...]] = set()
    header_row = sorted(col, key=col.__getitem__)
    i_note = col.get("notes")
    for line, cells in rows:
        if [c.strip().casefold() for c in cells[:width]] == header_row:
            scan.headers_again += 1
            continue
        key = tuple(cells)
        if key in seen:
            scan.repeated += 1
            continue
        seen.add(key)
        date, part = bearable_day(cells[col["date"]], cells[col["time of day"]])
        if part is not None and part not in PARTS:
            scan.unknown_parts[part] += 1
        r = Reading(line, cells[col["category"]].strip(), cells[col["detail"]].strip(),
                    cells[col["rating/amount"]].strip(),
                    cells[i_note].strip() if i_note is not None else "", date, part)
        if kind == "pain":
            take_pain(scan, cols, lines, r)
        else:
            take_session(scan, cols, lines, r, names)
    if patient_id is not None:
        cols["patient_id"] = [patient_id] * len(lines)
    return AppRead(build_raw(cols, lines, str(p.path), LINE_LABEL), NAME,
                   report(scan, kind, cols, names))
