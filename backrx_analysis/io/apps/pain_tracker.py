"""Pain Tracker (CrisisCore Systems, paintracker.ca, open source): its CSV and JSON
exports -> a pain log of 0-10 ratings.

**Export.** In the app: Export (from the dashboard or settings) > CSV or JSON > a date
range > Export; the file is ``pain-data-<date>.csv`` / ``.json`` (the dashboard's and
settings' buttons write ``pain-tracker-export-<date>.csv`` / ``.json``). The export
window offers a "minimal" redaction (its default) and a "full" one; both are read.
What each writes (``src/utils/pain-tracker/export.ts``, ``exportToCSV`` /
``exportToJSON``):

* CSV, full: ``Date,Time,Pain Level,Locations,Symptoms,Limited Activities,Sleep
  Quality,Mood Impact,Missed Work Days,Notes``; minimal: ``Date,Time,Pain Level,
  Symptoms,Medication Log``. The app joins its rows with the two characters ``\\n``
  (a backslash and an n), not a line break, so the whole file is one line; both that
  and real line breaks are read. The locator is then the entry's number (the first
  row after the header is entry 1); in a file with line breaks, the line.
* JSON, full: the stored entries as they are, ``[{"id", "timestamp",
  "baselineData": {"pain", "locations", "symptoms"}, ..., "notes"}]``; minimal:
  ``[{"id", "timestamp", "painLevel", "symptoms", "medications"}]``. The locator is
  the entry's position in the list, from 1.

**What is read.**

* ``pain`` <- ``baselineData.pain`` / ``painLevel`` / ``Pain Level``: the app's 0-10
  slider, the kit's own scale;
* ``date`` <- ``timestamp``, which the app writes in UTC (``toISOString()``,
  ``2025-10-02T07:45:00.000Z``); the CSV keeps its UTC date and ``HH:mm``. The local
  day needs the zone the person lived in: ``tz=`` is required (never the machine's
  zone) and each time is written in it with its offset. A timestamp the file writes
  with an offset is kept as written; one with no zone at all as local time;
* ``location`` <- ``baselineData.locations`` / ``Locations``, joined with ``"; "`` as
  the app's CSV joins them; ``notes`` <- the entry's own ``notes`` / ``Notes``;
* there is no ``context`` (when the rating was made) in the app's entries.

Not read (not a pain rating): symptoms, medications, limited activities, sleep
quality, mood, work impact, treatments. The clinician exports (another CSV layout,
a FHIR bundle) and the WorkSafeBC report are other files, not read here.

**The same entry twice.** Each JSON entry has an ``id``: an entry whose ``id`` was
seen before in the file is counted once (the first kept). The CSV has no id; equal
rows are the person's own ratings and are all kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator

from ...errors import LogFormatError
from ...program import Program
from .base import AppRead, Peek, build_raw, count_phrase, local_text, zone
from .files import load_json
from .names import ActivityNames

__all__ = ["KEY", "NAME", "KINDS", "LINE_LABEL", "sniff", "by_name", "read"]

KEY = "pain_tracker"
NAME = "Pain Tracker (CrisisCore)"
KINDS = ("pain",)
LINE_LABEL = "entry"

FULL = ("Date", "Time", "Pain Level", "Locations", "Symptoms", "Limited Activities",
        "Sleep Quality", "Mood Impact", "Missed Work Days", "Notes")
MINIMAL = ("Date", "Time", "Pain Level", "Symptoms", "Medication Log")
_NEEDED = ("Date", "Time", "Pain Level")
_HEADERS = tuple(",".join(h).encode() for h in (FULL, MINIMAL))
_ROW_END = re.compile(rb"(?:\\n|\r?\n|\r|\Z)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_TIME = re.compile(r"\d{2}:\d{2}\Z")
_UTC = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)Z\Z")
_WHAT_JSON = ('Pain Tracker\'s JSON export: a list of entries with "timestamp" and '
              '"baselineData": {"pain": ..} (full) or "painLevel" (minimal)')


# -- recognising the file -------------------------------------------------------------


def _is_entry(obj: object) -> bool:
    if not isinstance(obj, dict) or "timestamp" not in obj:
        return False
    base = obj.get("baselineData")
    return (isinstance(base, dict) and "pain" in base) or (
        "painLevel" in obj and "symptoms" in obj and "medications" in obj)


def sniff(p: Peek) -> bool:
    """Pain Tracker's exports by their content: a CSV whose header is exactly one of
    the app's two, or a JSON list whose first element is one of its entries."""
    if p.is_zip:
        return False
    head = p.head.removeprefix(b"\xef\xbb\xbf")
    for header in _HEADERS:
        if head.startswith(header) and _ROW_END.match(head, len(header)):
            return True
    text = head.decode("utf-8", "replace").lstrip(" \t\r\n")
    if not text.startswith("["):
        return False
    start = text.find("{")
    if start < 0 or text[1:start].strip():
        return False
    try:
        first, _ = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:  # an entry longer than the look: its keys tell
        window = text[start:start + 4000]
        return '"timestamp"' in window and ('"baselineData"' in window or '"painLevel"' in window)
    return _is_entry(first)


def by_name(name: str) -> bool:
    """When the content says nothing (an empty or damaged file): the app's names."""
    n = name.casefold()
    return n.endswith((".csv", ".json")) and n.startswith(("pain-data-", "pain-tracker-export-"))


# -- reading --------------------------------------------------------------------------


class _Times:
    """The entries' times as the kit reads them: a UTC time in the zone ``tz`` asks
    for, the zone asked for only when the file has a UTC time."""

    def __init__(self, tz: str | None, source: str) -> None:
        self.tz, self.source, self._zone = tz, source, None

    def utc(self, text: str) -> str | None:
        """A UTC time -> local text with offset; ``None`` when it is no real time."""
        if self._zone is None:
            self._zone = zone(self.tz, self.source, NAME)  # raises when tz is missing
        try:
            instant = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        except ValueError:  # 2025-02-30, 25:00: validation says why
            return None
        return local_text(instant, self._zone)

    def timestamp(self, value: object) -> object:
        """A JSON ``timestamp``: ``...Z`` -> local text with offset; anything else as
        written (validation reads it or says why not)."""
        if isinstance(value, str):
            m = _UTC.match(value.strip())
            if m:
                return self.utc(m[1]) or value
        return value

    def csv(self, date: str, time: str) -> str:
        """The CSV's UTC ``Date`` and ``Time`` -> local text with offset."""
        date, time = date.strip(), time.strip()
        local = self.utc(f"{date}T{time}") if _DATE.match(date) and _TIME.match(time) else None
        return local or f"{date} {time}".strip()


_TOKEN = re.compile(rb'"|\\n|\r\n|\n|\r')


def _rows(data: bytes, source: str) -> Iterator[tuple[int, int, bytes]]:
    """(line of the row's start, entry number, the row's bytes) of a CSV whose rows
    end with a line break or with the app's literal ``\\n``, quotes respected."""
    line, start, start_line, number, quoted = 1, 0, 1, 0, False
    for m in _TOKEN.finditer(data):
        token = m[0]
        if token == b'"':
            quoted = not quoted
            continue
        if token != b"\\n":
            line += 1
        if quoted:
            continue  # a line break (or a written \\n) inside a quoted note
        if m.start() > start:
            yield start_line, number, data[start:m.start()]
        start, start_line, number = m.end(), line, number + 1
    if quoted:
        raise LogFormatError(source, f"ends inside a quoted value (the row starting at line "
                                     f"{start_line:,}, entry {number:,}): the file is "
                                     "truncated, or a value holds an odd number of double quotes")
    if len(data) > start:
        yield start_line, number, data[start:]


def _read_csv(p: Peek, tz: str | None) -> tuple[dict[str, list], list[int], str, list[str]]:
    name = str(p.path)
    data = p.path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LogFormatError(name, f"is not UTF-8 text (byte {exc.start:,})") from None
    rows = list(_rows(data, name))
    if not rows:
        raise LogFormatError(name, "is empty: Pain Tracker's CSV export starts with the header "
                                   + ",".join(FULL))
    header = next(csv.reader([rows[0][2].decode()]))
    missing = [h for h in _NEEDED if h not in header]
    if missing:
        raise LogFormatError(name, f"the header has no {', '.join(missing)}: not Pain Tracker's "
                                   f"CSV export (a new version?); accepted headers: "
                                   f"{','.join(FULL)} or {','.join(MINIMAL)}")
    at = {h: header.index(h) for h in ("Date", "Time", "Pain Level", "Locations", "Notes")
          if h in header}
    literal = b"\\n" in data and len(rows) > 1 and rows[1][0] == 1
    label = LINE_LABEL if literal else "line"
    times = _Times(tz, name)
    cols: dict[str, list] = {"date": [], "pain": [], "location": [], "notes": []}
    lines, ragged = [], 0
    for line, number, raw in rows[1:]:
        cells = next(csv.reader([raw.decode()]), [])
        ragged += len(cells) != len(header)
        got = {h: cells[pos] if pos < len(cells) else None for h, pos in at.items()}
        if "Notes" in at and at["Notes"] == len(header) - 1 and len(cells) > len(header):
            got["Notes"] = cells[-1]  # the note is the last cell, whatever came before
        cols["date"].append(times.csv(got["Date"] or "", got["Time"] or ""))
        cols["pain"].append(got["Pain Level"])
        cols["location"].append(got.get("Locations"))
        cols["notes"].append(got.get("Notes"))
        lines.append(number if literal else line)
    report = []
    if ragged:
        report.append(f"{count_phrase(ragged, 'row')} of the CSV had another number of cells "
                      f"than its header ({len(header)}): a location or a symptom holding a "
                      "double quote, which the app does not escape; the rating and date are "
                      "read from the first cells, the notes from the last")
    return cols, lines, label, report


def _read_json(p: Peek, tz: str | None) -> tuple[dict[str, list], list[int], str, list[str]]:
    name = str(p.path)
    doc = load_json(p.path, "Pain Tracker's JSON export")
    if not isinstance(doc, list):
        raise LogFormatError(name, f"is JSON, but not {_WHAT_JSON}")
    times = _Times(tz, name)
    cols: dict[str, list] = {"date": [], "pain": [], "location": [], "notes": []}
    lines, seen, twice = [], set(), 0
    for i, e in enumerate(doc, start=1):
        if not isinstance(e, dict) or "timestamp" not in e or not (
                isinstance(e.get("baselineData"), dict) or "painLevel" in e):
            raise LogFormatError(name, f"{LINE_LABEL} {i:,} has no timestamp and pain: not "
                                       f"{_WHAT_JSON} (a new version?)")
        key = e.get("id")
        if key is not None:
            key = json.dumps(key)
            if key in seen:
                twice += 1
                continue
            seen.add(key)
        base = e.get("baselineData")
        if isinstance(base, dict):
            pain, places = base.get("pain"), base.get("locations")
        else:
            pain, places = e.get("painLevel"), None
        if isinstance(places, list):
            places = "; ".join(str(x) for x in places) or None
        notes = e.get("notes") if isinstance(base, dict) else None
        cols["date"].append(times.timestamp(e["timestamp"]))
        cols["pain"].append(pain)
        cols["location"].append(places)
        cols["notes"].append(notes if notes is None or isinstance(notes, str) else str(notes))
        lines.append(i)
    report = [f"{count_phrase(twice, 'entry', 'entries')} written twice (the same id) counted "
              "once"] if twice else []
    if not doc:
        report.append("the export holds no entries")
    return cols, lines, LINE_LABEL, report


def read(
    p: Peek,
    *,
    kind: str,
    program: Program,
    names: ActivityNames | None = None,
    tz: str | None = None,
    patient_id: str | None = None,
) -> AppRead:
    """Read a Pain Tracker CSV or JSON export (see the module's docstring).

    ``tz`` (required when the file has UTC times, as the app writes them): the zone
    the person lived in, which decides each rating's local day. ``names`` is not used.

    Raises
    ------
    LogFormatError
        The file is empty, truncated or not JSON / CSV of the app's shape; its header
        lacks Date, Time or Pain Level; ``tz`` is missing or not a zone.
    """
    name = str(p.path)
    first = p.head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if first in (b"[", b"{"):
        cols, lines, label, report = _read_json(p, tz)
    elif not first:
        raise LogFormatError(name, "is empty: Pain Tracker's exports are a CSV starting with "
                                   f"{','.join(MINIMAL)} (or the full header) or a JSON list")
    else:
        cols, lines, label, report = _read_csv(p, tz)
    if patient_id is not None:
        cols["patient_id"] = [patient_id] * len(lines)
    return AppRead(build_raw(cols, lines, name, label), NAME, report)
