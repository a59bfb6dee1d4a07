"""Strava: the ``activities.csv`` of the account archive -> walks, and a count of what
is left out.

**The export.** strava.com > Settings > My Account > Download or Delete Your Account >
Request your archive. Strava e-mails a zip (``export_12345678.zip``) holding
``activities.csv`` beside the ``activities/`` folder of recorded tracks
(``*.fit.gz``, ``*.gpx``). Load the zip as it is or the ``activities.csv`` in it; the
tracks are not read. Strava writes the header in the account's language; English and
German headers are read (the same columns in the same places).

**What becomes an entry** (the rules are in docs/data-format.md, "Strava"):

* rows whose ``Activity Type`` is ``Walk``, or ``Hike`` (hiking is walking, as Apple
  Health's reader counts it; the report counts the hikes), or any type the user's
  ``activities.toml`` maps (``"Workout" = "session"``): see :mod:`.csv_export`.
* ``date``: ``Activity Date`` is the start in **UTC** (``Oct 6, 2022, 11:19:20 PM``;
  also ``2022-10-06 23:19:20`` and the German ``06.10.2022, 23:19:20``), and the file
  says nothing of the zone the person was in: ``tz=`` is required, and each start is
  written as the local time there with its offset (``2022-10-06T19:19:20-04:00`` in
  America/New_York), so the walk counts on the day it was walked. A start that cannot
  be read is kept as written with ``(UTC, not read)`` after it, so validation refuses
  it with its line instead of taking a UTC time for a local one.
* ``minutes``: the **Moving Time** (seconds), the time spent walking with the stops
  left out: the walk the person did, as Strava shows it on the activity. When a row
  has no Moving Time, the first ``Elapsed Time`` (start to finish, stops included) is
  used and counted in the report. A Moving Time that is written but is not a number
  stays as written, and validation refuses it with its line (it is not replaced by
  the elapsed time).
* ``notes``: ``Strava Walk activity`` (``Hike``...), and the other upload of the same
  walk. Never the ``Activity Name``, ``Activity Description`` or ``Activity Private
  Note``: free text the person typed (and often names places or people).

**Columns named twice.** The header repeats ``Elapsed Time``, ``Distance``, ``Max
Heart Rate``, ``Relative Effort`` and ``Commute``: the first block (columns 1-13) is
the activity's summary (Distance in the account's km or miles), the second the
detail (Distance in metres, Elapsed Time as a float of the same seconds). The file is
read with the ``csv`` module and columns are taken by position: the FIRST ``Elapsed
Time`` (whole seconds, in every export, also the short ones of other tools that have
only one), and ``Moving Time`` (named once). Distances, heart rates and efforts are
not read.

**Lines.** A row's locator is the line it starts on in the file (header = line 1); a
description of several lines moves the next rows down, as an editor shows them.

**The same walk twice** (the same ``Activity ID`` twice, or one walk uploaded from a
watch and a phone: times overlapping by more than half) counts once: see
:mod:`.csv_export`.

Left out, with counts in the report: every other type (``Run``, ``Ride``, ``Weight
Training``...), and ``Workout``, which is any workout rather than the program's routine
(map it in ``activities.toml`` if it is yours).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib

from ...errors import LogFormatError
from ...program import Program
from .base import AppRead, Peek, build_raw, count_phrase, local_text, zone
from .csv_export import (
    Table,
    Types,
    find_columns,
    first_cells,
    read_table,
    same_walks,
    seconds_cell,
)
from .names import ActivityNames, activity_names

__all__ = ["KEY", "NAME", "KINDS", "LINE_LABEL", "sniff", "by_name", "read", "utc_start"]

KEY = "strava"
NAME = "Strava"
KINDS = ("sessions",)
LINE_LABEL = "line"
MEMBER = "activities.csv"

#: the first header cells of activities.csv (English, German)
STARTS = (("Activity ID", "Activity Date", "Activity Name", "Activity Type"),
          ("Aktivitäts-ID", "Aktivitätsdatum", "Name der Aktivität", "Aktivitätsart"))
#: field -> its header in each language; the FIRST column of that name is read
COLUMNS = {
    "id": ("Activity ID", "Aktivitäts-ID"),
    "date": ("Activity Date", "Aktivitätsdatum"),
    "type": ("Activity Type", "Aktivitätsart"),
    "elapsed": ("Elapsed Time", "Verstrichene Zeit"),
    "moving": ("Moving Time", "Bewegungszeit"),
}
WALKS = frozenset(("walk",))
HIKES = frozenset(("hike",))
_EXPECTED = ("a Strava activities.csv starts with the header Activity ID,Activity Date,"
             "Activity Name,Activity Type,... (the archive's activities.csv)")


# -- recognising the file -------------------------------------------------------------


def _csv_members(names: list[str]) -> list[str]:
    """Members named activities.csv with an ``activities/`` folder beside them."""
    out = []
    for n in names:
        parent, _, base = n.rpartition("/")
        prefix = f"{parent}/activities/" if parent else "activities/"
        if base == MEMBER and any(m.startswith(prefix) for m in names):
            out.append(n)
    return out


def sniff(p: Peek) -> bool:
    """A Strava archive (a zip holding ``activities.csv`` and the ``activities/``
    folder; a damaged one: ``activities.csv`` among the members its first bytes name)
    or its ``activities.csv`` (the header's first cells are Strava's)."""
    if p.is_zip:
        if p.zip_problem is not None:  # a cut zip: only its first members are known
            return any(n.rpartition("/")[2] == MEMBER for n in p.members)
        return bool(_csv_members(p.members))
    return first_cells(p.head, STARTS) is not None


def by_name(name: str) -> bool:
    """When the content says nothing (an empty or damaged file): Strava's names."""
    return name == MEMBER or re.fullmatch(r"export_\d+\.zip", name) is not None


# -- reading --------------------------------------------------------------------------


def _data(p: Peek) -> tuple[bytes, str]:
    """(the bytes of activities.csv, its name for problems)."""
    name = str(p.path)
    if not p.is_zip:
        if p.path.suffix.lower() == ".zip":
            raise LogFormatError(name, "is named .zip but is not a zip file: copy or download "
                                       "the Strava archive again")
        try:
            return p.path.read_bytes(), name
        except OSError as exc:
            raise LogFormatError(name, f"cannot be read ({exc})") from None
    if p.zip_problem is not None:
        raise LogFormatError(name, f"is a damaged or incomplete zip ({p.zip_problem}); download "
                                   f"the Strava archive again, or unzip it and load {MEMBER}")
    found = _csv_members(p.members) or [n for n in p.members if n.rpartition("/")[2] == MEMBER]
    if len(found) != 1:
        what = f"several ({', '.join(found)})" if found else "none"
        raise LogFormatError(name, f"is a zip but not one Strava archive: it should hold one "
                                   f"{MEMBER} beside an activities/ folder; it holds {what}")
    member = found[0]
    try:
        with zipfile.ZipFile(p.path) as z:
            return z.read(member), f"{name}:{member}"
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, OSError) as exc:
        raise LogFormatError(f"{name}:{member}", f"cannot be unzipped ({exc or type(exc).__name__}):"
                                                 " the zip is damaged or incomplete; download "
                                                 "the archive again") from None


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ENGLISH = re.compile(r"\s*([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),\s*(\d{4}),?\s+(\d{1,2}):(\d{2}):(\d{2})"
                      r"\s*([AaPp])\.?[Mm]\.?\s*\Z")
_ISO = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:Z|\s*UTC|\+00:?00)?\s*\Z")
_DOTTED = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4}),?\s+(\d{1,2}):(\d{2}):(\d{2})\s*\Z")


def utc_start(text: str | None) -> dt.datetime | None:
    """``Activity Date`` as the UTC instant Strava means, or ``None`` when it is not
    one of Strava's forms (``Oct 6, 2022, 11:19:20 PM``, ``2022-10-06 23:19:20``,
    ``06.10.2022, 23:19:20``) or not a real time."""
    if not text:
        return None
    try:
        if m := _ENGLISH.match(text):
            month = _MONTHS.get(m[1].casefold())
            if month is None or not 1 <= int(m[4]) <= 12:
                return None
            hour = int(m[4]) % 12 + (12 if m[7] in "Pp" else 0)
            return dt.datetime(int(m[3]), month, int(m[2]), hour, int(m[5]), int(m[6]),
                               tzinfo=dt.UTC)
        if m := _ISO.match(text):
            y, mo, d, h, mi, s = map(int, m.groups())
        elif m := _DOTTED.match(text):
            d, mo, y, h, mi, s = map(int, m.groups())
        else:
            return None
        return dt.datetime(y, mo, d, h, mi, s, tzinfo=dt.UTC)
    except ValueError:  # 30 February, 25 o'clock
        return None


def _plain_seconds(text: str) -> float | None:
    minutes = seconds_cell(text)
    return minutes * 60 if isinstance(minutes, float) else None


def _cell(cells: list[str], pos: int | None) -> str:
    return cells[pos] if pos is not None and pos < len(cells) else ""


def read(
    p: Peek,
    *,
    kind: str,
    program: Program,
    names: ActivityNames | None = None,
    tz: str | None = None,
    patient_id: str | None = None,
) -> AppRead:
    """Read a Strava archive or its ``activities.csv`` (see the module's docstring).

    Raises
    ------
    LogFormatError
        The file cannot be read (empty, a damaged zip, not Strava's header, a header
        without ``Activity Date``, ``Activity Type`` or any time column, cut short),
        or ``tz`` is missing or not a zone name.
    """
    data, source = _data(p)
    table = read_table(data, source, NAME, STARTS, _EXPECTED)
    pos = find_columns(table.header, COLUMNS)
    missing = [COLUMNS[f][0] for f in ("date", "type") if f not in pos]
    if "elapsed" not in pos and "moving" not in pos:
        missing.append("Moving Time or Elapsed Time")
    if missing:
        raise LogFormatError(source, f"has no {' and no '.join(missing)} column: a header Strava "
                                     f"changed, or not its activities.csv ({_EXPECTED})")
    if table.cut:
        raise LogFormatError(source, f"ends in the middle of line {table.rows[-1][0]:,}: the file "
                                     "is truncated; unzip or download the archive again")
    where = zone(tz, source, NAME)
    types = Types(NAME, names or activity_names(None, program), WALKS, HIKES)
    return _rows(table, pos, types, where, patient_id)


def _rows(table: Table, pos: dict[str, int], types: Types, where: dt.tzinfo,
          patient_id: str | None) -> AppRead:
    picked = []  # (line, activity, type, date cell, minutes, id, span)
    unread_dates = from_elapsed = 0
    for line, cells in table.rows:
        kind = _cell(cells, pos["type"])
        activity = types.activity(kind)
        if activity is None:
            continue
        written = _cell(cells, pos["date"])
        start = utc_start(written)
        if start is None:
            unread_dates += 1
            date = f"{written} (UTC, not read)" if written.strip() else None
        else:
            date = local_text(start, where)
        moving, elapsed = _cell(cells, pos.get("moving")), _cell(cells, pos.get("elapsed"))
        minutes = seconds_cell(moving)
        if minutes is None:
            minutes = seconds_cell(elapsed)
            from_elapsed += minutes is not None
        length = _plain_seconds(elapsed) or _plain_seconds(moving) or 0.0
        span = None if start is None else (start.timestamp(), start.timestamp() + length)
        key = _cell(cells, pos.get("id")).strip() or None
        picked.append((line, activity, kind.strip(), date, minutes, key, span))
    dups = same_walks([r[5] for r in picked], [r[6] if r[1] == "walk" else None for r in picked])
    also: dict[int, list[str]] = {}
    for i, j in dups.items():
        same_id = picked[i][5] is not None and picked[i][5] == picked[j][5]
        also.setdefault(j, []).append("written twice in the export" if same_id else
                                      f"also uploaded as activity {picked[i][5] or '(no id)'}")
    cols: dict[str, list] = {"date": [], "exercise": [], "minutes": [], "notes": []}
    lines = []
    for i, (line, activity, kind, date, minutes, _, _) in enumerate(picked):
        if i in dups:
            continue
        cols["date"].append(date)
        cols["exercise"].append(activity)
        cols["minutes"].append(minutes)
        cols["notes"].append("; ".join([f"{NAME} {kind} activity",
                                        *dict.fromkeys(also.get(i, []))]))
        lines.append(line)
    if patient_id is not None:
        cols["patient_id"] = [patient_id] * len(lines)
    report = types.report()
    if picked:
        report.append(f"the local day of each start (Activity Date, in UTC) is taken in {where}")
    if "moving" not in pos:
        report.append("this export has no Moving Time column: the minutes are the Elapsed Time "
                      "(start to finish, stops included)")
    elif from_elapsed:
        report.append(f"{count_phrase(from_elapsed, 'activity', 'activities')} had no Moving Time: "
                      "the Elapsed Time (stops included) was used")
    if unread_dates:
        report.append(f"{count_phrase(unread_dates, 'Activity Date')} could not be read as "
                      "Strava's UTC time (refused with their lines)")
    twice = sum(1 for i, j in dups.items() if picked[i][5] is not None and picked[i][5] == picked[j][5])
    if twice:
        report.append(f"{count_phrase(twice, 'activity', 'activities')} written twice in the export "
                      "(the same Activity ID) counted once")
    if len(dups) - twice:
        report.append(f"{count_phrase(len(dups) - twice, 'walk')} recorded twice (times "
                      "overlapping by more than half) counted once")
    return AppRead(build_raw(cols, lines, table.source, LINE_LABEL), NAME, report)
