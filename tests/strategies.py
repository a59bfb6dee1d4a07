"""Hypothesis strategies for generated log files, with what loading them must give.

Each generated log is a :class:`LogCase`: the cells of a table as a person would
write them (drawn from pools of valid and invalid values whose meaning is known),
turned into file bytes by one of the writers below (CSV with any delimiter,
encoding, line ending, quoting and blank lines; XLSX with title, blank rows and
merged cells; JSON records; Parquet). :func:`expect` is an oracle written from
docs/data-format.md, independent of the loader: the canonical entries each data
row must give and the (line, column header) of every problem it must report.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from backrx_analysis.program import default_program

PROGRAM = default_program()

BAD = "BAD"  # a cell that must be reported
BLANKS = ("", " ", "  ")

# -- header pools: field -> header texts that must map to it --------------------------

HEADERS = {
    "patient_id": ["patient_id", "Patient", "PID", "Client ID", "Subject", "participant"],
    "date": ["date", "Date", "DAY", "Timestamp", "date time", "Date and time", "When",
             "logged_at", "Entry Date"],
    "time": ["time", "Time of day", "clock", "At"],
    "exercise": ["exercise", "Activity", "Exercise name", "movement", "What"],
    "reps": ["reps", "Reps (count)", "REPS", "n_reps", "Repetitions", "Number of reps",
             "count", "Reps done"],
    "sets": ["sets", "Set", "n sets", "Rounds"],
    "side": ["side", "Leg", "limb", "Left/Right"],
    "minutes": ["minutes", "Mins", "Duration (min)", "Time (min)", "duration [min]",
                "Time spent", "Exercise time"],
    "hold_s": ["hold", "Hold (s)", "hold secs", "Hold time", "Seconds held"],
    "notes": ["notes", "Note", "Comments", "remarks", "Free text"],
    "pain": ["pain", "Score", "NRS", "Pain (0-10)", "pain level", "Rating"],
    "context": ["context", "situation", "moment", "When rated"],
    "location": ["location", "where", "site", "Body part"],
    "ignored": ["Mood", "Weather", "Extra"],
}
SESSION_FIELDS = ["patient_id", "time", "reps", "sets", "side", "minutes", "hold_s", "notes",
                  "ignored"]
PAIN_FIELDS = ["patient_id", "time", "context", "location", "notes", "ignored"]

#: wide-sheet headers -> (activity, side, measure)
WIDE_HEADERS = {
    "Ankle pumps": ("ankle_pumps", None, "reps"),
    "Ab bracing": ("abdominal_bracing", None, "reps"),
    "Wall squat reps": ("wall_squat", None, "reps"),
    "Wall sit": ("wall_squat", None, "reps"),
    "SLR": ("straight_leg_raise", None, "reps"),
    "SLR left": ("straight_leg_raise", "left", "reps"),
    "SLR Right": ("straight_leg_raise", "right", "reps"),
    "Curl-up": ("partial_curl_up", None, "reps"),
    "Crunch": ("partial_curl_up", None, "reps"),
    "Exercise minutes": ("session", None, "minutes"),
    "Walk minutes": ("walk", None, "minutes"),
    "Walk (min)": ("walk", None, "minutes"),
    "Minutes": ("session", None, "minutes"),
}

ALIASES = [(n, a) for n, a in [
    *((name, e.id) for e in PROGRAM.exercises for name in (e.id, e.name, *e.aliases)),
    *((name, "walk") for name in PROGRAM.walk_aliases),
    *((name, "session") for name in PROGRAM.session_aliases),
]]


@st.composite
def header_text(draw, base: str) -> str:
    """Random case and spacing: 'Reps (count)' -> ' reps_(COUNT)'."""
    text = draw(st.sampled_from([base, base.lower(), base.upper(), base.title()]))
    sep = draw(st.sampled_from([" ", "_", "  "]))
    text = text.replace(" ", sep)
    return draw(st.sampled_from(["", " "])) + text + draw(st.sampled_from(["", " ", "  "]))


def name_variant(draw, name: str) -> str:
    text = draw(st.sampled_from([name, name.lower(), name.upper(), name.title()]))
    sep = draw(st.sampled_from([" ", "-", "_", " "]))
    return draw(st.sampled_from(["", " "])) + text.replace(" ", sep)


# -- cell pools: (text as written, meaning) ---------------------------------------------


@dataclass
class DateValue:
    text: str
    date: dt.date | None  # None: BAD
    ts: dt.datetime | None = None
    offset: int | None = None
    excel: object = None  # a datetime to write as an Excel date (XLSX only)


@st.composite
def dates(draw) -> DateValue:
    kind = draw(st.integers(0, 12))
    if kind == 12:
        return DateValue(draw(st.sampled_from(
            ["2026-02-30", "2026-13-01", "2026-02-29", "1899-12-31", "yesterday",
             "2026-03-02T24:00", "2026-3", "02.03.2026x", "tomorrow 8am"])), None)
    d = draw(st.dates(dt.date(2001, 1, 1), dt.date(2199, 12, 31)))
    iso = d.isoformat()
    if kind <= 2:
        return DateValue(iso, d, excel=dt.datetime(d.year, d.month, d.day))
    hh, mi, ss = draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    t = dt.datetime(d.year, d.month, d.day, hh, mi)
    if kind <= 4:
        return DateValue(f"{iso} {hh:02d}:{mi:02d}", d, t, excel=t)
    if kind <= 7:
        oh, om = draw(st.integers(0, 14)), draw(st.sampled_from([0, 30, 45]))
        sign = draw(st.sampled_from([-1, 1]))
        tz = f"{'-' if sign < 0 else '+'}{oh:02d}:{om:02d}"
        if kind == 7:
            tz = tz.replace(":", "")
        return DateValue(f"{iso}T{hh:02d}:{mi:02d}:{ss:02d}{tz}", d, t.replace(second=ss),
                         sign * (oh * 60 + om))
    if kind == 8:
        return DateValue(f"{iso}T{hh:02d}:{mi:02d}:{ss:02d}Z", d, t.replace(second=ss), 0)
    if kind == 9:
        return DateValue(f"{d.day} {d.strftime('%B')} {d.year}", d)
    if kind == 10:
        return DateValue(f"{d.strftime('%b')} {d.day}, {d.year} {hh}:{mi:02d}", d, t)
    # year first with slashes, or day == month (never ambiguous)
    if draw(st.booleans()):
        return DateValue(f"{d.year}/{d.month:02d}/{d.day:02d}", d)
    dd = dt.date(d.year, d.month, d.month)
    return DateValue(f"{dd.day:02d}/{dd.month:02d}/{dd.year}", dd)


TIMES = [("08:15", dt.timedelta(hours=8, minutes=15)), ("8:15 pm", dt.timedelta(hours=20, minutes=15)),
         ("20:15:30", dt.timedelta(hours=20, minutes=15, seconds=30)), ("25:00", BAD), ("noon", BAD)]
NONFINITE = ["1e308", "inf", "-inf", "nan", "NaN", "1e999", "Infinity"]
REPS = [("10", 10), ("0", 0), ("1000", 1000), (" 7 ", 7), ("12.0", 12), ("-3", BAD),
        ("ten", BAD), ("2.5", BAD), ("1001", BAD), ("NA", BAD), ("null", BAD),
        *((v, BAD) for v in NONFINITE)]
SETS = [("1", 1), ("3", 3), ("100", 100), ("0", BAD), ("101", BAD), ("two", BAD)]
MINUTES = [("15", 15.0), ("0", 0.0), ("1440", 1440.0), ("2.5", 2.5), ("2,5", ("COMMA", 2.5)),
           ("-1", BAD), ("1441", BAD), ("x", BAD), *((v, BAD) for v in NONFINITE)]
HOLDS = [("5", 5.0), ("600", 600.0), ("601", BAD), ("-1", BAD), ("nan", BAD)]
SIDES = [("left", "left"), ("L", "left"), ("rt", "right"), (" R ", "right"), ("Both", "both"),
         ("bilateral", "both"), ("middle", BAD)]
PAIN = [(str(i), float(i)) for i in range(11)] + [
    ("7.5", 7.5), ("7,5", ("COMMA", 7.5)), ("11", BAD), ("-1", BAD), ("ten", BAD),
    *((v, BAD) for v in NONFINITE)]
PATIENTS = [("p1", "p1"), ("  Ann ", "Ann"), ("P-0007", "P-0007")]
NOTE_SPECIALS = ["café – ok", "a, b; c|d\te", 'she said "fine"', "line one\nline two",
                 "NA", "null", "nan", "N/A", "0", "x" * 100_000]

_NOTE_ALPHABET = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))


@st.composite
def notes(draw, long_ok: bool = True) -> str:
    if draw(st.integers(0, 3)) == 0:
        pool = NOTE_SPECIALS if long_ok else NOTE_SPECIALS[:-1]
        return draw(st.sampled_from(pool))
    return draw(st.text(_NOTE_ALPHABET, max_size=12))


def pick(draw, pool, p_blank: int = 3):
    """(text, meaning) from ``pool``, or a blank cell (meaning None) one time in ``p_blank``."""
    if draw(st.integers(0, p_blank - 1)) == 0:
        return draw(st.sampled_from(BLANKS)), None
    return draw(st.sampled_from(pool))


# -- the generated table ----------------------------------------------------------------


@dataclass
class LogCase:
    kind: str  # "sessions" | "pain"
    wide: bool
    headers: list[str]  # as written
    fields: list[str]  # field per column ("wide:<header>" for wide columns)
    rows: list[list[tuple[str, object]]]  # per data row, per column: (text, meaning)
    typed: list[list[object]] = field(default_factory=list)  # per row, per column: value to
    # write when a format keeps types (XLSX, JSON); None means the text


@st.composite
def long_case(draw, kind: str = "sessions", bad: int = 12, max_rows: int = 6) -> LogCase:
    """A long log: a random subset and order of the accepted columns, random cells.

    ``bad``: a cell is drawn from the invalid values about one time in ``bad``.
    """
    optional = SESSION_FIELDS if kind == "sessions" else PAIN_FIELDS
    chosen = draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)))
    required = ["date", "exercise"] if kind == "sessions" else ["date", "pain"]
    fields = draw(st.permutations(required + chosen))
    headers = [draw(header_text(draw(st.sampled_from(HEADERS[f])))) for f in fields]
    n = draw(st.integers(1, max_rows))
    rows, typed = [], []
    for _ in range(n):
        row, trow = [], []
        for f in fields:
            text, meaning, tv = _cell(draw, f, kind, bad)
            row.append((text, meaning))
            trow.append(tv)
        rows.append(row)
        typed.append(trow)
    return LogCase(kind, False, headers, list(fields), rows, typed)


def _maybe_bad(draw, pool, bad):
    good = [p for p in pool if p[1] is not BAD]
    bads = [p for p in pool if p[1] is BAD]
    if bads and draw(st.integers(0, bad - 1)) == 0:
        return draw(st.sampled_from(bads))
    return pick(draw, good)


def _cell(draw, f: str, kind: str, bad: int):
    """(text, meaning, typed value or None) of one cell of field ``f``."""
    if f == "date":
        if draw(st.integers(0, 15)) == 0:
            return draw(st.sampled_from(BLANKS)), None, None
        d = draw(dates())
        if d.date is None and draw(st.integers(0, max(bad // 4, 1))) != 0:
            d = draw(dates().filter(lambda v: v.date is not None))
        return d.text, d, (d.excel if d.excel is not None and draw(st.booleans()) else None)
    if f == "time":
        text, m = _maybe_bad(draw, TIMES, bad)
        return text, m, None
    if f == "exercise":
        k = draw(st.integers(0, bad))
        if k == 0:
            return "planks", BAD, None
        if k == 1:
            return draw(st.sampled_from(BLANKS)), None, None
        name, act = draw(st.sampled_from(ALIASES))
        return name_variant(draw, name), act, None
    pool = {"reps": REPS, "sets": SETS, "minutes": MINUTES, "hold_s": HOLDS, "side": SIDES,
            "pain": PAIN, "patient_id": PATIENTS}.get(f)
    if pool is not None:
        text, m = _maybe_bad(draw, pool, bad)
        if f == "pain" and m is None and draw(st.integers(0, bad)) != 0:
            text, m = draw(st.sampled_from(PAIN[:12]))  # a pain log rarely lacks the rating
        tv = None
        if isinstance(m, int | float) and not isinstance(m, bool) and text.strip() == str(m):
            tv = m  # a number a spreadsheet would store as a number
        return text, m, tv
    if f in ("notes", "context", "location", "ignored"):
        if draw(st.integers(0, 2)) == 0:
            return draw(st.sampled_from(BLANKS)), None, None
        text = draw(notes())
        return text, text, None
    raise AssertionError(f)


@st.composite
def wide_case(draw, bad: int = 12, max_rows: int = 6) -> LogCase:
    cols = draw(st.lists(st.sampled_from(sorted(WIDE_HEADERS)), unique=True, min_size=1,
                         max_size=5).filter(lambda c: c != ["Minutes"]))
    # (a bare "Minutes" column is the minutes field: not a wide sheet without exercises)
    extra = draw(st.lists(st.sampled_from(["notes", "patient_id", "ignored"]), unique=True))
    fields = draw(st.permutations(["date", *(f"wide:{c}" for c in cols), *extra]))
    headers = []
    for f in fields:
        if f.startswith("wide:"):
            headers.append(draw(header_text(f[5:])))
        else:
            headers.append(draw(header_text(draw(st.sampled_from(HEADERS[f])))))
    rows, typed = [], []
    for _ in range(draw(st.integers(1, max_rows))):
        row, trow = [], []
        for f in fields:
            if f.startswith("wide:"):
                pool = REPS if WIDE_HEADERS[f[5:]][2] == "reps" else MINUTES
                text, m = _maybe_bad(draw, pool, bad)
                tv = m if isinstance(m, int | float) and text.strip() == str(m) else None
                row.append((text, m))
                trow.append(tv)
            else:
                text, m, tv = _cell(draw, f, "sessions", bad)
                row.append((text, m))
                trow.append(tv)
        rows.append(row)
        typed.append(trow)
    return LogCase("sessions", True, headers, list(fields), rows, typed)


# -- the oracle ---------------------------------------------------------------------------


def is_blank(text: str) -> bool:
    return not str(text).strip()


def _number(meaning, decimal_comma: bool):
    """Resolve a pool meaning to a value, BAD, or None (blank)."""
    if isinstance(meaning, tuple):  # ("COMMA", value): a decimal comma
        return meaning[1] if decimal_comma else BAD
    return meaning


@dataclass
class Expected:
    entries: list[dict]  # canonical rows (a subset of columns), in order
    problems: set[tuple[int, str]]  # (line, column header)
    n_data_rows: int


def expect(case: LogCase, lines: list[int], *, decimal_comma: bool) -> Expected:
    """What loading ``case`` must give, its data rows being on ``lines``."""
    entries, problems = [], set()
    pos = {f: i for i, f in enumerate(case.fields)}
    hdr = case.headers
    for row, line in zip(case.rows, lines, strict=True):
        cell = {f: row[i] for i, f in enumerate(case.fields)}

        def problem(f, _line=line):
            problems.add((_line, hdr[pos[f]].strip()))

        # date, time, patient: checked on every data row
        dtext, dval = cell["date"]
        if dval is None or dval.date is None:
            problem("date")
        tval = cell.get("time", ("", None))[1]
        if tval is BAD:
            problem("time")
        if "patient_id" in cell and cell["patient_id"][1] is None:
            problem("patient_id")
        base = {
            "source_line": line,
            "date": dval.date if dval is not None else None,
            "timestamp": _timestamp(dval, tval),
            "utc_offset_min": dval.offset if dval is not None else None,
            "patient_id": cell["patient_id"][1] if "patient_id" in cell else "patient",
        }
        note = cell.get("notes", ("", None))[0]
        note = note.strip() or None
        if case.kind == "pain":
            p = _number(cell["pain"][1], decimal_comma)
            if p is None or p is BAD:
                problem("pain")
            base["pain"] = p
            for f in ("context", "location"):
                base[f] = cell[f][0].strip() or None if f in cell else None
            base["notes"] = note
            entries.append(base)
        elif case.wide:
            row_entries = []
            for f, (_text, m) in cell.items():
                if not f.startswith("wide:"):
                    continue
                act, side, measure = WIDE_HEADERS[f[5:]]
                v = _number(m, decimal_comma)
                if v is BAD:
                    problem(f)
                elif v is not None:
                    row_entries.append({**base, "exercise": act, "side": side,
                                        "reps": v if measure == "reps" else None,
                                        "minutes": v if measure == "minutes" else None,
                                        "notes": None})
            if row_entries:
                row_entries[0]["notes"] = note
            elif note is not None:
                row_entries.append({**base, "exercise": "session", "side": None, "reps": None,
                                    "minutes": None, "notes": note})
            entries.extend(row_entries)
        else:
            keep = {"date", "time", "patient_id"}
            if all(is_blank(t) for f, (t, _) in cell.items() if f not in keep):
                continue  # a template day left empty
            ex = cell["exercise"][1]
            if ex is None or ex is BAD:
                problem("exercise")
            vals = {}
            for f in ("reps", "sets", "minutes", "hold_s", "side"):
                m = cell[f][1] if f in cell else None
                v = _number(m, decimal_comma)
                if v is BAD:
                    problem(f)
                vals[f] = None if v is BAD else v
            written = {f: f in cell and not is_blank(cell[f][0]) for f in ("reps", "minutes")}
            if ex in ("walk", "session") and not written["minutes"]:
                problem("minutes" if "minutes" in pos else "exercise")
            elif ex not in (None, BAD, "walk", "session") and not (
                written["reps"] or written["minutes"]
            ):
                problem("reps" if "reps" in pos else "exercise")
            entries.append({**base, "exercise": ex, **vals, "notes": note})
    return Expected(entries, problems, len(lines))


def _timestamp(dval: DateValue | None, tval) -> dt.datetime | None:
    if dval is None or dval.date is None:
        return None
    if dval.ts is not None:
        return dval.ts
    if isinstance(tval, dt.timedelta):
        return dt.datetime(dval.date.year, dval.date.month, dval.date.day) + tval
    return None


# -- writers ------------------------------------------------------------------------------


@dataclass
class CsvStyle:
    delim: str
    newline: str
    encoding: str  # "utf-8", "utf-8-sig", "cp1252"
    quote_all: bool
    final_newline: bool
    leading_blank: list[str]
    blank_after: list[list[str]]  # per data row: blank lines written after it


@st.composite
def csv_styles(draw, n_rows: int, width: int) -> CsvStyle:
    delim = draw(st.sampled_from([",", ";", "\t", "|"]))
    blank_line = st.sampled_from(["", " ", "  \t", delim * width, delim * (width + 2),
                                  " " + delim * max(width - 1, 1)])
    return CsvStyle(
        delim=delim,
        newline=draw(st.sampled_from(["\n", "\r\n"])),
        encoding=draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
        quote_all=draw(st.integers(0, 4)) == 0,
        final_newline=draw(st.integers(0, 5)) != 0,
        leading_blank=draw(st.lists(blank_line, max_size=2)),
        blank_after=[draw(st.lists(blank_line, max_size=2)) for _ in range(n_rows)]
        if draw(st.booleans()) else [[] for _ in range(n_rows)],
    )


def quote(cell: str, delim: str, always: bool) -> str:
    if always or any(c in cell for c in (delim, '"', "\n", "\r")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_csv(case: LogCase, style: CsvStyle) -> tuple[bytes, list[int], str, int]:
    """(file bytes, line of every row, encoding used, header line). Rows whose cells
    are all blank are written as they are (they are blank lines, not data rows)."""
    out, lines = [], []
    line = 1

    def emit(text: str):
        nonlocal line
        out.append(text)
        line += text.count("\n")

    for b in style.leading_blank:
        emit(b + style.newline)
    header_line = line
    emit(style.delim.join(quote(h, style.delim, style.quote_all) for h in case.headers)
         + style.newline)
    for i, row in enumerate(case.rows):
        lines.append(line)
        emit(style.delim.join(quote(t, style.delim, style.quote_all) for t, _ in row)
             + style.newline)
        for b in style.blank_after[i]:
            emit(b + style.newline)
    text = "".join(out)
    if not style.final_newline:
        text = text[: -len(style.newline)]
    encoding = style.encoding
    if encoding == "cp1252":
        try:
            data = text.encode("cp1252")
        except UnicodeEncodeError:
            encoding = "utf-8"
            data = text.encode("utf-8")
        if _is_utf8(data) and data != text.encode("utf-8"):
            # cp1252 bytes that happen to be valid UTF-8 are read as UTF-8 (as documented)
            encoding = "utf-8"
            data = text.encode("utf-8")
    else:
        data = text.encode(encoding)
    return data, lines, encoding, header_line


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def data_rows(case: LogCase) -> tuple[LogCase, list[int]]:
    """Drop rows whose cells are all blank: they are blank lines. Returns the case and
    the indices kept."""
    keep = [i for i, r in enumerate(case.rows) if not all(is_blank(t) for t, _ in r)]
    rows = [case.rows[i] for i in keep]
    typed = [case.typed[i] for i in keep] if case.typed else []
    return LogCase(case.kind, case.wide, case.headers, case.fields, rows, typed), keep


def write_json(case: LogCase, path: Path, typed: list[bool]) -> list[int]:
    """JSON records; returns the record number of every data row."""
    records = []
    for row, trow, use in zip(case.rows, case.typed, typed, strict=True):
        records.append({h: (tv if use and isinstance(tv, int | float) else t)
                        for h, (t, _), tv in zip(case.headers, row, trow, strict=True)})
    path.write_text(json.dumps(records, default=str), encoding="utf-8")
    return list(range(1, len(records) + 1))


def write_xlsx(case: LogCase, path: Path, draw) -> list[int]:
    """XLSX with blank rows on top and in between, a title merged across the columns
    (sometimes), typed cells, and merged blank cells; returns the row of every data row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    r = 1 + draw(st.integers(0, 2))  # blank rows on top
    width = len(case.headers)
    if draw(st.booleans()):
        ws.cell(r, 1, "My exercise log")
        if width > 1 and draw(st.booleans()):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1 + draw(st.integers(0, 1))
    for c, h in enumerate(case.headers, 1):
        ws.cell(r, c, h)
    r += 1
    rows_at = []
    for row, trow in zip(case.rows, case.typed, strict=True):
        rows_at.append(r)
        for c, ((t, _), tv) in enumerate(zip(row, trow, strict=True), 1):
            if tv is not None and draw(st.booleans()):
                ws.cell(r, c, tv)
            elif t != "":
                ws.cell(r, c, t)
        r += 1 + draw(st.integers(0, 1)) * draw(st.integers(0, 2))  # blank rows between
    # merge blank cells of data rows (across rows or columns): they stay blank
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(case.rows) - 1))
        c = draw(st.integers(1, width))
        if c < width and case.rows[i][c][0] == "":  # the covered cell is empty
            ws.merge_cells(start_row=rows_at[i], start_column=c, end_row=rows_at[i],
                           end_column=c + 1)
    # a value merged down over blank cells below it (only the top cell keeps it)
    if draw(st.booleans()) and len(case.rows) > 1:
        for i in range(len(case.rows) - 1):
            c = draw(st.integers(1, width))
            if case.rows[i + 1][c - 1][0] == "" and rows_at[i + 1] == rows_at[i] + 1:
                ws.merge_cells(start_row=rows_at[i], start_column=c, end_row=rows_at[i + 1],
                               end_column=c)
                break
    wb.save(path)
    return rows_at


def finite(x: float) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)
