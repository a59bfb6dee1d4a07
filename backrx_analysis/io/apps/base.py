"""What every app reader shares: the result (:class:`AppRead`), a look at a file's
first bytes and zip member names (:class:`Peek`), and the raw table built from
extracted values.

An app module extracts values as the app wrote them (converting only what the app's
own format fixes, such as a unit); every check of a date, a number or a name is left
to :func:`backrx_analysis.io.validate.to_canonical`, one place for each rule.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from ...errors import LogFormatError
from ..raw_table import RawTable

__all__ = ["AppReportWarning", "AppRead", "Peek", "peek", "build_raw", "count_phrase", "HEAD_BYTES",
           "zone", "local_text"]

#: bytes of a file looked at to recognise it (Apple's DTD sits in the first ~10 KB)
HEAD_BYTES = 1 << 16
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_LOCAL_HEADER = re.compile(rb"PK\x03\x04")


class AppReportWarning(UserWarning):
    """What an app export held that was left out, and why (other workouts, other pain
    scales, the same walk from two sources), with counts: never left out silently."""


@dataclass
class AppRead:
    """One app export, read.

    Attributes
    ----------
    raw : RawTable
        Canonical long-format headers (``date``, ``exercise``, ``minutes``, ``notes``,
        ``pain`` ...) holding the values as extracted; ``lines`` the locator of every
        row in the export (``line_label`` says what it counts), ``source`` the file
        (``export.zip:apple_health_export/export.xml`` for a zip member).
    app : str
        The app's name, as a person knows it (``"Apple Health"``).
    report : list of str
        Plain sentences of what was left out and why, with counts.
    """

    raw: RawTable
    app: str
    report: list[str] = field(default_factory=list)


@dataclass
class Peek:
    """A file's first bytes and, for a zip, its member names.

    ``members`` is ``None`` when the file is not a zip; for a damaged zip (no central
    directory: truncated) it holds the names of the local headers found in ``head``
    and ``zip_problem`` says what is wrong."""

    path: Path
    head: bytes
    members: list[str] | None = None
    zip_problem: str | None = None

    @property
    def is_zip(self) -> bool:
        return self.members is not None


def peek(path: str | Path) -> Peek | None:
    """Look at ``path`` without reading it whole; ``None`` when it is not a file."""
    path = Path(path)
    try:
        if not path.is_file():
            return None
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return None  # the reader that opens it says why
    if not head.startswith(_ZIP_MAGIC):
        return Peek(path, head)
    try:
        with zipfile.ZipFile(path) as z:
            return Peek(path, head, z.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        return Peek(path, head, _local_names(head), str(exc) or type(exc).__name__)


def _local_names(head: bytes) -> list[str]:
    """Member names of the local file headers in ``head`` (a zip whose central
    directory is missing still starts with its first members)."""
    names = []
    for m in _LOCAL_HEADER.finditer(head):
        at = m.start()
        if at + 30 > len(head):
            break
        n = int.from_bytes(head[at + 26 : at + 28], "little")
        name = head[at + 30 : at + 30 + n]
        if len(name) == n and n:
            names.append(name.decode("utf-8", "replace"))
    return names


def build_raw(
    columns: dict[str, list],
    lines: list[int],
    source: str,
    line_label: str,
) -> RawTable:
    """A :class:`RawTable` of object columns named by canonical headers. An export
    has no header line: a problem of a whole column has no line (``header_line=None``)."""
    headers = list(columns)
    frame = pd.DataFrame(
        {i: pd.Series(columns[h], dtype=object) for i, h in enumerate(headers)},
        index=pd.RangeIndex(len(lines)),
    )
    return RawTable(frame, np.asarray(lines, dtype=np.int64), source, headers, line_label,
                    header_line=None)


def count_phrase(n: int, one: str, many: str | None = None) -> str:
    """``count_phrase(1, "walk")`` -> ``"1 walk"``; ``(3, "walk")`` -> ``"3 walks"``."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def zone(tz: str | None, source: str, app: str) -> ZoneInfo:
    """The zone ``tz`` names, for an app whose file gives only UTC times.

    Raises :class:`LogFormatError` naming ``source`` when ``tz`` is missing (the day
    as lived cannot be known from UTC alone, and the machine's zone is not the
    person's) or is not a zone name."""
    if tz is None:
        raise LogFormatError(
            source, f"{app} writes its times in UTC only, so the local day of each entry "
                    "needs the zone you lived in: give tz= (for example tz=\"Europe/Amsterdam\", "
                    "or --tz on the command line); the machine's zone is never assumed")
    try:
        return ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError):
        raise LogFormatError(source, f"tz={tz!r} is not a time zone name; accepted: an IANA "
                                     "name such as \"Europe/Berlin\" or \"America/New_York\"") from None


def local_text(instant: dt.datetime, tz: dt.tzinfo) -> str:
    """An aware instant as the local time in ``tz`` with its offset
    (``2019-06-04T15:15:32+02:00``): validation then takes the day as written."""
    return instant.astimezone(tz).isoformat()
