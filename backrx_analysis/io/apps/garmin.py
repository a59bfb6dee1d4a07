"""Garmin Connect: the ``Activities.csv`` of the activity list -> walks, and a count of
what is left out.

**The export.** connect.garmin.com > Activities > All Activities > Export CSV (top
right; scroll the list to its end first: only the activities loaded on the page are
exported). The file is ``Activities.csv``, one row per activity, in the language of
the account: English and Swedish headers are read (``Activity Type,Date,Favorite,
Title,...,Time,...`` / ``Aktivitetstyp,Datum,Favorit,Namn,...,Tid,...``).

**What becomes an entry** (the rules are in docs/data-format.md, "Garmin Connect"):

* rows whose ``Activity Type`` is ``Walking``, ``Casual Walking``, ``Speed Walking``,
  ``Hiking`` (hiking is walking, as Apple Health's reader counts it; the report counts
  the hikes), in Swedish ``Gång`` and ``Vandring``, or any type the user's
  ``activities.toml`` maps: see :mod:`.csv_export`.
* ``date``: ``Date`` as written (``2025-09-28 23:07:55``). Garmin writes the local
  time of the start with no zone: the day is the one written, and ``tz`` is not
  needed (a ``tz`` given is not used). A walk crossing midnight belongs to the day it
  started.
* ``minutes``: ``Time`` (``01:14:14``, ``00:04:45.9``), the activity's timer time:
  what the watch recorded, the pauses the person made left out, as Garmin shows the
  activity's time. ``--`` (Garmin's "no value") leaves the minutes unknown, and
  validation says the walk needs them. ``Moving Time`` and ``Elapsed Time`` are not
  read (older exports have neither; in a spreadsheet-resaved one they may have
  shifted columns).
* ``notes``: ``Garmin Connect Walking activity`` (the type as written). Never the
  ``Title``: Garmin names it after the place (``Fullerton Running``) and people
  rename it.

**Files a spreadsheet resaved.** Opened and saved again in Excel, the export keeps its
columns but rewrites values: ``FALSE`` for ``false``, dates as ``5/2/2025 16:42``
(read by validation's rules for slashed dates: month or day first is decided by the
file's dates, or asked with ``dayfirst=``), times as ``0:11:51`` (read), times with
tenths as ``09:29.9`` (minutes:seconds.tenths: read, and counted in the report, since
a spreadsheet drops the hours of such a time, so a walk of an hour or more would read
short), and some as ``1:33`` (hours:minutes or minutes:seconds, the seconds gone: kept
as written, and validation refuses it with its line). Exporting again from Garmin
Connect gives the exact file.

**The same walk twice** (the same type, start and time written twice, or two devices'
walks overlapping by more than half) counts once: see :mod:`.csv_export`.

Left out, with counts in the report: every other type (``Running``, ``Strength
Training``, ``Treadmill Running``, ``Löpning``...).
"""

from __future__ import annotations

import datetime as dt
import re

from ...errors import LogFormatError
from ...program import Program
from .base import AppRead, Peek, build_raw, count_phrase
from .csv_export import Table, Types, find_columns, first_cells, read_table, same_walks
from .names import ActivityNames, activity_names

__all__ = ["KEY", "NAME", "KINDS", "LINE_LABEL", "sniff", "by_name", "read", "minutes_cell"]

KEY = "garmin"
NAME = "Garmin Connect"
KINDS = ("sessions",)
LINE_LABEL = "line"

#: the first header cells of Activities.csv (English, Swedish)
STARTS = (("Activity Type", "Date", "Favorite", "Title"),
          ("Aktivitetstyp", "Datum", "Favorit", "Namn"))
COLUMNS = {
    "type": ("Activity Type", "Aktivitetstyp"),
    "date": ("Date", "Datum"),
    "time": ("Time", "Tid"),
}
WALKS = frozenset(("walking", "casualwalking", "speedwalking", "gang"))  # normalized
HIKES = frozenset(("hiking", "vandring"))
_EXPECTED = ("a Garmin Connect Activities.csv starts with the header Activity Type,Date,"
             "Favorite,Title,... (Activities > All Activities > Export CSV)")


def sniff(p: Peek) -> bool:
    """Garmin Connect's ``Activities.csv`` by its header's first cells."""
    return not p.is_zip and first_cells(p.head, STARTS) is not None


def by_name(name: str) -> bool:
    """When the content says nothing (an empty or damaged file): Garmin's names
    (``Activities.csv``, ``Activities (1).csv``), with its capital A."""
    return re.fullmatch(r"Activities\b.*\.csv", name) is not None


_HMS = re.compile(r"\s*(\d+):(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)\s*\Z")
_MS_TENTHS = re.compile(r"\s*(\d{1,2}):(\d{1,2}[.,]\d+)\s*\Z")
_TWO = re.compile(r"\s*\d+:\d{2}\s*\Z")
_NONE = ("", "--", "--:--:--", "--:--")


def minutes_cell(text: str | None) -> tuple[float | str | None, str]:
    """(minutes, form) of a ``Time`` cell: ``hh:mm:ss`` with optional fraction
    (``"hms"``), a spreadsheet's ``mm:ss.f`` (``"tenths"``), ``None`` for an empty or
    ``--`` cell (``"none"``); ``h:mm`` or ``m:ss`` (``"two"``) and anything else
    (``"other"``) as written, for validation to refuse with its line."""
    t = (text or "").strip()
    if t in _NONE:
        return None, "none"
    if m := _HMS.match(t):
        return int(m[1]) * 60 + int(m[2]) + float(m[3].replace(",", ".")) / 60, "hms"
    if m := _MS_TENTHS.match(t):
        return int(m[1]) + float(m[2].replace(",", ".")) / 60, "tenths"
    return t, "two" if _TWO.match(t) else "other"


def _start(text: str) -> float | None:
    """Seconds of a ``YYYY-MM-DD HH:MM:SS`` start, to compare walks; ``None`` for any
    other form (those are compared by their text)."""
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S").replace(
            tzinfo=dt.UTC).timestamp()
    except ValueError:
        return None


def _cell(cells: list[str], pos: int) -> str:
    return cells[pos] if pos < len(cells) else ""


def read(
    p: Peek,
    *,
    kind: str,
    program: Program,
    names: ActivityNames | None = None,
    tz: str | None = None,
    patient_id: str | None = None,
) -> AppRead:
    """Read a Garmin Connect ``Activities.csv`` (see the module's docstring). ``tz``
    is not used: Garmin writes each start in the local time it was recorded in.

    Raises
    ------
    LogFormatError
        The file cannot be read: empty, a zip, not Garmin's header, a header without
        ``Activity Type``, ``Date`` or ``Time``, cut short.
    """
    source = str(p.path)
    if p.is_zip:
        raise LogFormatError(source, "is a zip: Garmin Connect's export is the Activities.csv "
                                     "itself (Activities > All Activities > Export CSV)")
    try:
        data = p.path.read_bytes()
    except OSError as exc:
        raise LogFormatError(source, f"cannot be read ({exc})") from None
    table = read_table(data, source, NAME, STARTS, _EXPECTED)
    pos = find_columns(table.header, COLUMNS)
    missing = [COLUMNS[f][0] for f in COLUMNS if f not in pos]
    if missing:
        raise LogFormatError(source, f"has no {' and no '.join(missing)} column: a header Garmin "
                                     f"changed, or not its Activities.csv ({_EXPECTED})")
    if table.cut:
        raise LogFormatError(source, f"ends in the middle of line {table.rows[-1][0]:,}: the file "
                                     "is truncated; export it again")
    types = Types(NAME, names or activity_names(None, program), WALKS, HIKES)
    return _rows(table, pos, types, patient_id)


def _rows(table: Table, pos: dict[str, int], types: Types, patient_id: str | None) -> AppRead:
    picked = []  # (line, activity, type, date, minutes, form)
    for line, cells in table.rows:
        kind = _cell(cells, pos["type"])
        activity = types.activity(kind)
        if activity is None:
            continue
        minutes, form = minutes_cell(_cell(cells, pos["time"]))
        date = _cell(cells, pos["date"]).strip()
        picked.append((line, activity, kind.strip(), date, minutes, form))
    keys, spans = [], []
    for _, activity, kind, date, minutes, _ in picked:
        keys.append((kind, date, minutes))
        start = _start(date) if activity == "walk" else None
        length = minutes * 60 if isinstance(minutes, float) else 0.0
        spans.append(None if start is None else (start, start + length))
    dups = same_walks(keys, spans)
    twice = sum(1 for i, j in dups.items() if keys[i] == keys[j])
    also: dict[int, list[str]] = {}
    for i, j in dups.items():
        also.setdefault(j, []).append("written twice in the export" if keys[i] == keys[j] else
                                      f"also recorded at {picked[i][3]}")
    cols: dict[str, list] = {"date": [], "exercise": [], "minutes": [], "notes": []}
    lines = []
    for i, (line, activity, kind, date, minutes, _) in enumerate(picked):
        if i in dups:
            continue
        cols["date"].append(date or None)
        cols["exercise"].append(activity)
        cols["minutes"].append(minutes)
        cols["notes"].append("; ".join([f"{NAME} {kind} activity",
                                        *dict.fromkeys(also.get(i, []))]))
        lines.append(line)
    if patient_id is not None:
        cols["patient_id"] = [patient_id] * len(lines)
    report = types.report()
    forms = [picked[i][5] for i in range(len(picked)) if i not in dups]
    if tenths := forms.count("tenths"):
        report.append(f"{count_phrase(tenths, 'activity', 'activities')} had a Time written as "
                      "minutes:seconds.tenths (a spreadsheet resaved the export), read as such: "
                      "a spreadsheet drops the hours of these times, so export again from Garmin "
                      "Connect if a walk was an hour or longer")
    if two := forms.count("two"):
        report.append(f"{count_phrase(two, 'activity', 'activities')} had a Time like '1:33' "
                      "(hours:minutes or minutes:seconds? a spreadsheet resaved the export and "
                      "dropped the seconds), refused with their lines: export again from Garmin "
                      "Connect")
    if none := forms.count("none"):
        report.append(f"{count_phrase(none, 'activity', 'activities')} had no Time ('--'): the "
                      "minutes are unknown")
    if twice:
        report.append(f"{count_phrase(twice, 'activity', 'activities')} written twice in the export "
                      "counted once")
    if len(dups) - twice:
        report.append(f"{count_phrase(len(dups) - twice, 'walk')} recorded twice (times "
                      "overlapping by more than half) counted once")
    return AppRead(build_raw(cols, lines, table.source, LINE_LABEL), NAME, report)
