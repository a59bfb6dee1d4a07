"""The one writer of log files: validate, then append under a lock, then fsync.

Used by ``bx.append_sessions`` / ``bx.append_pain`` (re-exported from
:mod:`backrx_analysis.io`), by the daily-log form and by ``backrx log``; its core
(:func:`file_layout`, :func:`encoded_rows`, :func:`append_durably`) also appends
questionnaire answers (:mod:`.outcome_writer`). A user's
file is only ever *appended to*: never rewritten, never truncated. An entry is
acknowledged (the function returns) only after its bytes are on disk.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from filelock import FileLock

from ..errors import LogFormatError, raise_problems
from ..prescriptions import names_program
from ..program import Program
from ..scales import NRS
from .delimited import sniff_delimiter
from .headers import map_headers
from .readers import read_table
from .validate import to_canonical

__all__ = ["append_entries", "validate_entries", "file_layout", "encoded_rows", "append_durably",
           "SESSIONS_HEADER", "PAIN_HEADER"]

#: Header of a session log the kit creates (the sample's long format).
SESSIONS_HEADER = ("date", "time", "exercise", "reps", "sets", "side", "minutes", "notes")
#: Header of a pain log the kit creates.
PAIN_HEADER = ("timestamp", "pain", "context", "location", "notes")

_LOCK_TIMEOUT_S = 30


Entries = pd.DataFrame | Sequence[Mapping[str, object]]


def _entries_frame(entries: Entries) -> pd.DataFrame:
    frame = pd.DataFrame(list(entries)) if not isinstance(entries, pd.DataFrame) else entries.copy()
    if frame.empty:
        raise ValueError("no entries to write")
    frame = frame.reset_index(drop=True)
    if "utc_offset_min" in frame.columns and "timestamp" in frame.columns:
        # a canonical frame: its clock times are local with the offset apart; write
        # them back as the ISO text they were read from (the offset kept)
        frame["timestamp"] = _with_offsets(frame["timestamp"], frame["utc_offset_min"])
    frame = frame.drop(columns=["utc_offset_min"], errors="ignore")
    if "timestamp" in frame.columns:
        # one "when" column: the timestamp where given, else the day
        when = frame["timestamp"].astype(object)
        if "date" in frame.columns:
            when = when.where(frame["timestamp"].notna(), frame["date"].astype(object))
            frame = frame.drop(columns=["date"])
        frame = frame.drop(columns=["timestamp"]).assign(date=when)
    for col in ("source", "source_line"):
        if col in frame.columns:
            frame = frame.drop(columns=[col])
    return frame


def _iso_time(t, minutes) -> str:
    """A local clock time and its UTC offset in minutes (or NA) as ISO text:
    ``2026-03-02T07:21:00+01:00`` (``2026-03-02T07:21:00`` without an offset)."""
    s = pd.Timestamp(t).strftime("%Y-%m-%dT%H:%M:%S")
    if pd.notna(minutes):
        m = int(minutes)
        s += f"{'-' if m < 0 else '+'}{abs(m) // 60:02d}:{abs(m) % 60:02d}"
    return s


def _with_offsets(timestamps: pd.Series, offsets: pd.Series) -> pd.Series:
    """Local clock times and their UTC offsets (minutes) -> ISO text with the offset;
    a time without an offset stays as it was."""
    out = timestamps.astype(object).copy()
    for i, (t, m) in enumerate(zip(timestamps, offsets, strict=True)):
        if not (pd.isna(t) or pd.isna(m) or isinstance(t, str)):
            out.iloc[i] = _iso_time(t, m)
    return out


def _iso_day(v) -> str:
    return pd.Timestamp(v).strftime("%Y-%m-%d")


def _written_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical entries -> the cells as they will stand in the file (text)."""
    out = pd.DataFrame(index=frame.index)
    ts = frame["timestamp"] if "timestamp" in frame else pd.Series(pd.NaT, index=frame.index)
    ts = pd.to_datetime(ts)
    date = frame["date"] if "date" in frame else ts
    offs = frame.get("utc_offset_min")

    def stamp(i: int) -> str:
        t = ts.iloc[i]
        if pd.isna(t):
            return _iso_day(date.iloc[i])
        return _iso_time(t, offs.iloc[i] if offs is not None else pd.NA)

    def clock(i: int) -> str:
        t = ts.iloc[i]
        return "" if pd.isna(t) else pd.Timestamp(t).strftime("%H:%M")

    n = len(frame)
    out["date"] = [_iso_day(date.iloc[i]) for i in range(n)]
    out["timestamp"] = [stamp(i) for i in range(n)]
    out["time"] = [clock(i) for i in range(n)]
    for col in frame.columns:
        if col in ("date", "timestamp", "utc_offset_min"):
            continue
        out[col] = ["" if pd.isna(v) else _cell(v) for v in frame[col].astype(object)]
    return out


def _cell(v: object) -> str:
    if isinstance(v, float | np.floating):
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    return str(v)


def file_layout(path: Path) -> dict | None:
    """How an existing file is written: header cells, delimiter, encoding, line ends,
    whether it ends with a newline, number of lines; ``None`` when there is no file
    (or it is empty)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        encoding = "cp1252"
    first = next((line for line in text.splitlines() if line.strip()), "")
    sample = [line for line in text.splitlines()[:50] if line.strip()]
    delim = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(sample, False)
    return {
        "headers": [h.strip() for h in next(csv.reader([first], delimiter=delim))],
        "delimiter": delim,
        "encoding": encoding,
        "newline_at_end": data.endswith(b"\n"),
        "crlf": b"\r\n" in data[:4096],
        "lines": text.count("\n") + (0 if data.endswith(b"\n") else 1),
    }


def _read_target(path: Path, kind: str, program: Program):
    """The layout of an existing log (:func:`file_layout`) with where each field is
    (``fields``) and the unit scale of its columns; ``None`` when there is no file."""
    layout = file_layout(path)
    if layout is None:
        return None
    hm = map_headers(layout["headers"], kind, program)
    if hm.is_wide:
        raise LogFormatError(
            str(path),
            "is a wide sheet (one row per day); the kit appends only to long logs (one row "
            "per entry). Keep logging in the sheet by hand, or start a new long log file",
        )
    problems = [p for _, p in hm.problems]
    if problems:
        raise LogFormatError(str(path), "; ".join(problems))
    return dict(layout, fields=hm.fields, scale=hm.scale)


def append_entries(
    path: str | os.PathLike,
    entries: Entries,
    kind: str,
    *,
    program: Program | None = None,
) -> pd.DataFrame:
    """Validate ``entries`` and append them to the log at ``path`` (created with a
    header when missing). Returns the canonical frame of what was written, with
    the ``source_line`` each entry now has in the file.

    Raises
    ------
    LogValidationError
        When any entry would not load back; nothing is written then.
    LogFormatError
        When the file is not a long CSV/TSV log this writer can append to, or has no
        column for a field an entry carries (writing it would lose that value).
    """
    program = names_program(program)
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        raise LogFormatError(str(path), "the kit appends only to CSV or TSV logs")
    frame = _entries_frame(entries)
    # 1. validate exactly as the loaders will read it back
    canonical = _validate(frame, kind, program)
    cells = _written_cells(canonical)
    lock = FileLock(str(path) + ".lock", timeout=_LOCK_TIMEOUT_S)
    with lock:
        target = _read_target(path, kind, program)
        if target is None:
            header = _default_header(kind, canonical)
            delim, lines_before = ",", 1
            fields = dict(map_headers(header, kind, program).fields)
            scale: dict[str, float] = {}
            prefix = ",".join(header) + "\n"
        else:
            header, delim = target["headers"], target["delimiter"]
            fields = dict(target["fields"])
            scale = target["scale"]
            lines_before = target["lines"]
            prefix = ""
        rows = _rows_for(cells, canonical, header, fields, path, delim, program, scale)
        data = encoded_rows(path, rows, target, prefix)
        append_durably(path, data)
    first_line = lines_before + 1 if target is not None else 2
    written = canonical.copy()
    written["source"] = pd.Categorical([path.name] * len(written))
    written["source_line"] = pd.array(np.arange(first_line, first_line + len(written)), dtype="Int64")
    return written


def encoded_rows(path: Path, rows: list[list[str]], layout: dict | None, prefix: str = ""
                 ) -> bytes:
    """The bytes that append ``rows`` to the file of ``layout`` (:func:`file_layout`;
    ``None``: a new file, which ``prefix``, its header line, starts) in the file's own
    delimiter, encoding and line ends."""
    delim, encoding, crlf = ((layout["delimiter"], layout["encoding"], layout["crlf"])
                             if layout else (",", "utf-8", False))
    buf = io.StringIO()
    csv.writer(buf, delimiter=delim, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    need_newline = layout is not None and not layout["newline_at_end"]
    body = ("\r\n" if crlf else "\n") * need_newline + prefix + buf.getvalue()
    try:
        return body.encode(encoding)
    except UnicodeEncodeError as exc:
        raise LogFormatError(
            str(path), f"is a {encoding} file and cannot hold {exc.object[exc.start:exc.end]!r}"
        ) from exc


def validate_entries(entries: Entries, kind: str, *, program: Program | None = None) -> pd.DataFrame:
    """The canonical frame of ``entries``, or :class:`LogValidationError` listing every
    problem (nothing is written)."""
    return _validate(_entries_frame(entries), kind, names_program(program))


def _validate(frame: pd.DataFrame, kind: str, program: Program) -> pd.DataFrame:
    raw = read_table(frame)
    raw.source = "<entries>"
    canonical, problems = to_canonical(raw, kind, program=program, patient_id=None)
    raise_problems(problems)
    return canonical


def _default_header(kind: str, canonical: pd.DataFrame) -> list[str]:
    header = list(SESSIONS_HEADER if kind == "sessions" else PAIN_HEADER)
    if kind == "pain" and "scale" in canonical.columns and (
            canonical["scale"].astype(str) != NRS).any():
        header.insert(header.index("pain") + 1, "scale")
    if kind == "sessions" and "measured" in canonical.columns and (
            ~canonical["measured"].fillna(True).astype(bool)).any():
        header.insert(header.index("minutes") + 1, "measured")
    ids = canonical["patient_id"].dropna().unique().tolist()
    if ids and ids != ["patient"]:
        header.insert(0, "patient_id")
    return header


def _rows_for(cells, canonical, header, fields, path, delim, program,
              scale: dict[str, float] | None = None) -> list[list[str]]:
    """The rows to append; a column whose header names another unit (``Duration (s)``)
    gets the value in that unit, as the loader reads it back."""
    width = len(header)
    rows = [[""] * width for _ in range(len(cells))]
    has_time_col = "time" in fields
    lost = []
    for f, values in _cells_by_field(cells, canonical, has_time_col, program).items():
        if f not in fields:
            if any(v != "" for v in values) and not (f == "patient_id" and set(values) == {"patient"}):
                lost.append(f)
            continue
        pos = fields[f]
        factor = (scale or {}).get(f)
        for r, v in zip(rows, values, strict=True):
            r[pos] = f"{float(v) / factor:.10g}" if factor and v != "" else v
    if lost:
        raise LogFormatError(
            str(path),
            f"has no column for {', '.join(lost)}; add the column to the file's header "
            f"(accepted names in docs/data-format.md) or leave those fields empty",
        )
    if delim == ";":
        for f in ("minutes", "hold_s", "pain"):
            if f in fields:
                for r in rows:
                    r[fields[f]] = r[fields[f]].replace(".", ",")
    return rows


def _cells_by_field(cells, canonical, has_time_col, program) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if has_time_col:
        # date + time columns; an entry with a UTC offset keeps it in a full ISO
        # timestamp in the date column (which the loader reads first)
        offset = canonical["utc_offset_min"].notna().to_numpy()
        out["date"] = [t if o else d for d, t, o in
                       zip(cells["date"], cells["timestamp"], offset, strict=True)]
        out["time"] = ["" if o else t for t, o in zip(cells["time"], offset, strict=True)]
    else:
        out["date"] = cells["timestamp"].tolist()
    names = {e.id: e.name for e in program.exercises}
    for f in ("patient_id", "reps", "sets", "side", "minutes", "hold_s", "measured", "notes",
              "pain", "scale", "context", "location", "exercise"):
        if f not in canonical.columns:
            continue
        col = canonical[f]
        if f == "exercise":
            vals = [names.get(str(v), str(v)) if pd.notna(v) else "" for v in col]
        elif f == "scale":  # the 0-10 NRS is what a log without a scale column means
            vals = ["" if pd.isna(v) or str(v) == NRS else str(v) for v in col]
        elif f == "measured":  # yes is what a log without a measured column means
            vals = ["no" if v is False or (pd.notna(v) and not bool(v)) else "" for v in col]
        else:
            vals = ["" if pd.isna(v) else _cell(v) for v in col.astype(object)]
        out[f] = vals
    return out


def append_durably(path: Path, data: bytes) -> None:
    """One O_APPEND write of the whole block, then fsync of the file (and of the
    folder when the file is new)."""
    new = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)
    if new:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
