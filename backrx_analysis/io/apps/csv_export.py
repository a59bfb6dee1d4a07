"""What the apps' CSV exports share (Strava's ``activities.csv``, Garmin Connect's
``Activities.csv``): the rows with the line an editor shows for each, the columns
found by their header (the first of two columns with one name), the app's activity
type of each row mapped to a program activity and counted, durations, and the rule
for one walk written twice.

**Lines.** The header is line 1. A row's line is the line it starts on: a quoted
cell holding line breaks (a Strava description of three paragraphs) makes the rows
after it start further down, as an editor shows them (``csv.reader.line_num``).

**Activity types.** A type the app calls walking (``Walk``, ``Walking``, ``Gång``),
hiking (``Hike``, ``Hiking``, ``Vandring``: hiking is walking, as Apple Health's reader
counts it) or one the program's walk names resolve (``walking``, ``treadmill walk``,
the names abroad) is a ``walk``. The user's mapping (``activities.toml``) wins over
both, so ``"Workout" = "session"`` reads the app's workouts as whole-routine minutes.
Every other type is left out and counted per type; a type whose name happens to be a
program name (Strava's ``Workout``: any workout, not the program's routine) is not
taken on its name alone, and the report says how to map it.

**The same walk twice.** Two walks are one when the app's id is the same (Strava's
``Activity ID``), or when their times overlap by more than half of the shorter one
(or start and end together): one person does not walk twice at once, so it is one
walk recorded twice (a watch and a phone both uploading it). The walk that starts
first is kept (at equal starts, the first in the file). Walks whose start cannot be
read are compared by their text only (the same start and duration as written).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from ...errors import LogFormatError
from ...program import WALK, normalize_name
from .base import count_phrase
from .files import decode_text
from .names import ActivityNames

__all__ = ["Table", "first_cells", "read_table", "find_columns", "Types", "seconds_cell",
           "same_walks"]

_DELIMITERS = (",", ";")


def first_cells(head: bytes, starts: tuple[tuple[str, ...], ...]) -> tuple[list[str], str] | None:
    """The header cells (stripped) and the delimiter when the first line of ``head``
    begins with one of ``starts`` (cells compared exactly after stripping spaces and
    quotes), else ``None``."""
    text = head.decode("utf-8-sig", "replace")
    line = text.split("\n", 1)[0].rstrip("\r")
    for delimiter in _DELIMITERS:
        if delimiter not in line:
            continue
        try:
            cells = [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]
        except csv.Error:  # a stray carriage return or NUL: not this app's header
            continue
        for start in starts:
            if tuple(cells[: len(start)]) == start:
                return cells, delimiter
    return None


@dataclass
class Table:
    """A CSV export read: its header, and ``(line, cells)`` of every row with cells."""

    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    cut: bool = False  # the last row ends early (no newline at the end, cells missing)


def read_table(data: bytes, source: str, app: str, starts: tuple[tuple[str, ...], ...],
               expected: str) -> Table:
    """Rows of a CSV export. Raises :class:`LogFormatError` naming ``source`` for an
    empty file, a header that is not the app's (``expected`` says what would be), a
    NUL byte or a line the CSV module cannot split."""
    text = decode_text(data)
    if not text.strip():
        raise LogFormatError(source, f"is empty: {expected}")
    found = first_cells(data[:65536], starts)
    if found is None:
        first = text.lstrip("\r\n").split("\n", 1)[0].strip()[:120]
        raise LogFormatError(source, f"is not a {app} export: {expected}; its first line is "
                                     f"{first!r}")
    delimiter = found[1]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise LogFormatError(source, f"holds a NUL byte at line {line:,}: not a text file as "
                                     f"{app} writes it, or a damaged copy")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        header = [c.strip() for c in next(reader)]
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise LogFormatError(source, f"cannot be read as CSV at line {start:,} ({exc})") from None
    cut = bool(rows) and not text.endswith(("\n", "\r")) and len(rows[-1][1]) < len(header)
    return Table(source, header, rows, cut)


def find_columns(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """``{field: position}`` of the FIRST header cell matching one of a field's names
    (case and spaces aside); fields not found are left out."""
    keys = [h.strip().casefold() for h in header]
    out = {}
    for f, names in wanted.items():
        for name in names:
            if name.casefold() in keys:
                out[f] = keys.index(name.casefold())
                break
    return out


@dataclass
class Types:
    """Maps an app's activity types to the program's activities and counts them."""

    app: str
    names: ActivityNames
    walks: frozenset[str]  # normalized app types that are walking
    hikes: frozenset[str]  # normalized app types that are hiking (read as walks)
    read: Counter = field(default_factory=Counter)  # (activity, type as written) -> rows read
    hiked: int = 0
    loose: Counter = field(default_factory=Counter)  # a program name, not taken on it alone
    _loose_as: dict = field(default_factory=dict, repr=False)  # its program activity

    def activity(self, kind: str | None) -> str | None:
        """The program activity of a row of type ``kind``, or ``None`` (counted)."""
        text = (kind or "").strip()
        key = normalize_name(text)
        if key and key in self.names.user:
            target = self.names.resolve(text)  # the user's mapping wins
        elif key in self.walks or key in self.hikes or (
                key and self.names.program.resolve(text) == WALK):
            target = WALK
        elif key and self.names.program.resolve(text) is not None:
            self.loose[text] += 1
            self._loose_as[text] = self.names.program.resolve(text)
            return None
        else:
            return self.names.resolve(text)  # None, counted per name
        if target is not None:
            self.read[target, text] += 1
            self.hiked += target == WALK and key in self.hikes
        return target

    def report(self) -> list[str]:
        out = []
        for target in sorted({a for a, _ in self.read}, key=lambda a: a != WALK):
            counts = Counter({t: k for (a, t), k in self.read.items() if a == target})
            n = sum(counts.values())
            kinds = ", ".join(f"{k:,} {t}" for t, k in _by_count(counts))
            what = ("as walks" if n > 1 else "as a walk") if target == WALK else f"as {target!r}"
            out.append(f"{count_phrase(n, 'activity', 'activities')} read {what} ({kinds})")
        if not any(a == WALK for a, _ in self.read):
            out.append(f"no walking activities in this {self.app} export")
        if self.hiked:
            out.append(f"{count_phrase(self.hiked, 'hike')} counted as "
                       f"{'a walk' if self.hiked == 1 else 'walks'} (hiking is walking)")
        out += self.names.report()
        for t, k in _by_count(self.loose):
            target = self._loose_as[t]
            out.append(f"{count_phrase(k, 'entry', 'entries')} of {t!r} {'is' if k == 1 else 'are'} "
                       f"not read on the name alone: {self.app}'s {t!r} is any such activity, not "
                       f"necessarily the program's {target!r} (map it in activities.toml, "
                       f"\"{t}\" = \"{target}\", if yours are)")
        return out


def _by_count(counts: Counter) -> list:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


_PLAIN = re.compile(r"\s*\d+(?:\.\d*)?\s*\Z")


def seconds_cell(text: str | None) -> float | str | None:
    """Minutes of a duration in seconds written as a plain number (``"979"``,
    ``"813.0"``); ``None`` when empty; any other text as written, for validation to
    refuse with its line."""
    if text is None or not text.strip():
        return None
    if _PLAIN.match(text):
        return float(text) / 60
    return text


def same_walks(keys: list[object], spans: list[tuple[float, float] | None]) -> dict[int, int]:
    """Position of each walk that repeats another -> the position of the one kept.

    ``keys[i]`` the app's id of walk ``i`` (``None`` when it has none: the start and
    duration as written stand in); ``spans[i]`` its (start, end) in seconds, ``None``
    when its start cannot be read."""
    out: dict[int, int] = {}
    first: dict[object, int] = {}
    for i, k in enumerate(keys):
        if k is not None:
            if k in first:
                out[i] = first[k]
            else:
                first[k] = i
    timed = sorted((s[0], i, s[1]) for i, s in enumerate(spans) if s is not None and i not in out)
    active: list[tuple[float, float, int]] = []  # walks kept, not ended yet: (start, end, i)
    for s, i, e in timed:
        active = [a for a in active if a[1] >= s]
        for ks, ke, j in active:
            shorter = min(ke - ks, e - s)
            both = (ks, ke) == (s, e)
            if both or (shorter > 0 and min(ke, e) - max(ks, s) > shorter / 2):
                out[i] = j
                break
        else:
            active.append((s, e, i))
    return out
