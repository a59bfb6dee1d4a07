"""Property-based tests of the loaders over generated files (hypothesis).

Every input — random bytes, random cells, empty and header-only files, duplicated or
missing headers, huge and non-finite numbers, UTF-8 / UTF-8 with BOM / cp1252, very
long lines, XLSX with titles, blank rows and merged cells, JSON and Parquet — must end
in a correct canonical frame or in ``LogValidationError`` / ``LogFormatError`` naming
the file, never in another exception. Generated logs (tests/strategies.py) know what
they hold, so on success every data row must be in the frame (on the line it was
written), and on failure every invalid cell must be reported with its line and
column header, and nothing else. ``check_logs`` must never raise on the same input,
and is empty exactly when ``load_*`` succeeds.

Two hypothesis profiles, chosen with the ``BACKRX_FUZZ_PROFILE`` environment
variable:

* ``ci`` (default): 10,000 generated cases over the module (see ``BUDGET``); each
  case loads a file *and* checks it, ~15-50 ms a case, so a few minutes;
* ``long``: ten times as many::

    BACKRX_FUZZ_PROFILE=long pytest tests/test_fuzz_loaders.py

``BACKRX_FUZZ_SCALE=0.1`` scales either profile down for a quick look, and
``-n 2`` (pytest-xdist) spreads the tests over two cores (the case counts are then
per worker).

The number of cases each test actually ran is printed by the last test
(``test_zz_case_counts``), with the total.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import math
import os
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import (
    HEADERS,
    LogCase,
    csv_styles,
    data_rows,
    expect,
    long_case,
    wide_case,
    write_csv,
    write_json,
    write_xlsx,
)

import backrx_analysis as bx
from backrx_analysis.io import delimited as readers_text

_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile("ci", **_COMMON)
settings.register_profile("long", **_COMMON)
PROFILE = os.environ.get("BACKRX_FUZZ_PROFILE", "ci")
if PROFILE not in ("ci", "long"):
    raise ValueError(f"BACKRX_FUZZ_PROFILE must be 'ci' or 'long', got {PROFILE!r}")
settings.load_profile(PROFILE)
_SCALE = 10 if PROFILE == "long" else 1
_SCALE *= float(os.environ.get("BACKRX_FUZZ_SCALE", "1"))  # e.g. 0.1 for a quick look

#: examples per test in the "ci" profile (x10 in "long"); they sum to >= 10,000
BUDGET = {
    "test_random_bytes": 3100,
    "test_random_text_table": 2000,
    "test_empty_and_header_only": 1000,
    "test_header_variants": 500,
    "test_long_sessions_csv": 1500,
    "test_pain_csv": 700,
    "test_wide_sessions_csv": 500,
    "test_json_and_parquet": 500,
    "test_xlsx": 200,
}
CASES: collections.Counter[str] = collections.Counter()


def budget(name: str):
    return settings(max_examples=max(1, round(BUDGET[name] * _SCALE)))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# -- the contract every input must keep -----------------------------------------------


def load(path: Path, kind: str):
    """(frame or None, error or None); anything but the kit's own errors fails."""
    loader = bx.load_sessions if kind == "sessions" else bx.load_pain
    try:
        return loader(path), None
    except bx.LogValidationError as exc:
        return None, exc


def check_contract(path: Path, kind: str):
    """Load and check ``path``; returns (frame, error, problems)."""
    frame, err = load(path, kind)
    problems = bx.check_logs(path, kind=kind)
    assert list(problems.columns) == ["file", "line", "column", "value", "problem"]
    assert (problems["file"] == str(path)).all(), problems
    if err is None:
        assert problems.empty, problems
        assert list(frame.columns) == list(
            bx.SESSIONS_COLUMNS if kind == "sessions" else bx.PAIN_COLUMNS)
        assert str(frame["source_line"].dtype) == "Int64"
        assert frame["source"].astype(str).eq(path.name).all()
    else:
        assert str(path) in str(err)
        assert len(problems) == len(err.problems) > 0
        assert (err.problems["file"] == str(path)).all()
        if isinstance(err, bx.LogFormatError):
            assert len(err.problems) == 1 and err.file == str(path)
    return frame, err, problems


def _py(v):
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.generic):
        return v.item()
    return v


def check_expected(frame, err, exp, kind: str):
    """The frame holds exactly the expected entries, or the error exactly the problems."""
    if exp.problems:
        assert err is not None and not isinstance(err, bx.LogFormatError), (
            f"expected problems {sorted(exp.problems)}, got {err!r} / frame {frame}")
        got = {(int(r.line), r.column) for r in err.problems.itertuples()}
        assert got == exp.problems
        # a refused cell is shown as written (only missing cells have no value)
        p = err.problems
        cells = p[~p["problem"].str.contains("^missing|no repetitions|needs its minutes")]
        assert cells["value"].astype(str).str.len().gt(0).all(), cells
        return
    assert err is None, f"expected a frame, got {err}"
    got = frame.astype(object).to_dict("records")
    assert [int(r["source_line"]) for r in got] == [e["source_line"] for e in exp.entries]
    assert len(got) == len(exp.entries)
    for g, e in zip(got, exp.entries, strict=True):
        g = {k: _py(v) for k, v in g.items()}
        assert g["date"] == dt.datetime.combine(e["date"], dt.time()), (g, e)
        assert g["timestamp"] == e["timestamp"], (g, e)
        assert g["utc_offset_min"] == e["utc_offset_min"], (g, e)
        assert g["patient_id"] == e["patient_id"]
        assert g["notes"] == e["notes"], (g["notes"][:80] if g["notes"] else g["notes"],)
        if kind == "pain":
            assert g["pain"] == e["pain"]
            assert g["context"] == e["context"] and g["location"] == e["location"]
        else:
            assert g["exercise"] == e["exercise"], (g, e)
            for f in ("reps", "sets", "minutes", "hold_s", "side"):
                assert g[f] == e.get(f), (f, g, e)


# -- 1. random bytes ------------------------------------------------------------------

_SUFFIXES = [".csv", ".tsv", ".txt", "", ".json", ".xlsx", ".parquet", ".xlsm", ".pq", ".dat"]
_PREFIXES = [b"", b"date,exercise,reps\n", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04",
             b"PAR1", b"[", b'{"a": [', b"date;pain\n2026-03-02;"]


@budget("test_random_bytes")
@given(prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=200),
       suffix=st.sampled_from(_SUFFIXES), kind=st.sampled_from(["sessions", "pain"]))
def test_random_bytes(workdir, prefix, body, suffix, kind):
    CASES["test_random_bytes"] += 1
    path = workdir / f"random{suffix}"
    path.write_bytes(prefix + body)
    frame, err, _ = check_contract(path, kind)
    if frame is not None:  # rare: the bytes happen to be a log
        n_lines = (prefix + body).count(b"\n") + 1
        assert frame["source_line"].between(1, n_lines).all()


# -- 2. random text tables: random headers, random cells -------------------------------

_ALL_HEADERS = sorted({h for hs in HEADERS.values() for h in hs}) + [
    "", "Ankle pumps", "SLR left", "Walk minutes", "reps", "Date", "x\ny", '"q"']
_CELL = st.one_of(
    st.sampled_from(["", " ", "2026-03-02", "2026-02-30", "2026-03-02T23:45:00-05:00", "SLR",
                     "walk", "planks", "10", "-3", "ten", "1e308", "inf", "-inf", "nan", "NaN",
                     "1e999", "2,5", "11", "left", "NA", "null", '"', '""', "02/03/2026",
                     "13/14/2026", "8:15 pm", "café – ok"]),
    st.text(max_size=8),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
)


@budget("test_random_text_table")
@given(
    headers=st.lists(st.sampled_from(_ALL_HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(_CELL, min_size=0, max_size=7), max_size=5),
    delim=st.sampled_from([",", ";", "\t", "|"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    kind=st.sampled_from(["sessions", "pain"]),
    raw_join=st.booleans(),
)
def test_random_text_table(workdir, headers, rows, delim, newline, encoding, kind, raw_join):
    CASES["test_random_text_table"] += 1

    def line(cells):
        if raw_join:  # no quoting at all: ragged rows, stray quotes, broken lines
            return delim.join(cells)
        return delim.join('"' + c.replace('"', '""') + '"' if any(
            x in c for x in (delim, '"', "\n", "\r")) else c for c in cells)

    text = newline.join([line(headers)] + [line(r) for r in rows])
    path = workdir / "table.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    frame, err, _ = check_contract(path, kind)
    if frame is not None:
        n_lines = text.count("\n") + 1
        assert frame["source_line"].between(2, n_lines).all()
        if kind == "pain":  # one rating per data line, in file order
            assert frame["source_line"].is_unique and frame["source_line"].is_monotonic_increasing


# -- 3. empty and header-only files -----------------------------------------------------

_EMPTY_BODIES = ["", "\n", "\n\n\n", "   \n\t\n", ",,,\n", "\ufeff", "\ufeff\n", ";;;;\n\n"]


@budget("test_empty_and_header_only")
@given(
    case=st.one_of(long_case("sessions"), long_case("pain"), wide_case()),
    body=st.sampled_from(_EMPTY_BODIES),  # (with a header: "\ufeff" is not blank)
    header_only=st.booleans(),
    fmt=st.sampled_from(["csv", "csv", "csv", "json", "xlsx"]),
    data=st.data(),
)
def test_empty_and_header_only(workdir, case, body, header_only, fmt, data):
    CASES["test_empty_and_header_only"] += 1
    if header_only:
        body = body.replace("\ufeff", "")
    if fmt == "csv":
        path = workdir / "empty.csv"
        if header_only:
            style = data.draw(csv_styles(0, len(case.headers)))
            head, *_ = write_csv(LogCase(case.kind, case.wide, case.headers, case.fields, []),
                                 style)
            path.write_bytes(head + body.replace(",", style.delim).replace(";", style.delim).encode())
        else:
            path.write_bytes(body.encode("utf-8"))
    elif fmt == "json":
        path = workdir / "empty.json"
        path.write_text(data.draw(st.sampled_from(["", "[]", "{}", '{"entries": []}', "[{}]",
                                                   '[{"date": null}]', "null", "3"])))
    else:
        import openpyxl

        path = workdir / "empty.xlsx"
        wb = openpyxl.Workbook()
        if header_only:
            ws = wb.active
            for c, h in enumerate(case.headers, 1):
                ws.cell(2, c, h)
            ws.cell(4, 1, " ")
        wb.save(path)
    frame, err, _ = check_contract(path, case.kind)
    assert isinstance(err, bx.LogFormatError), (frame, err)


# -- 4. long session logs as CSV ----------------------------------------------------------


def run_csv(workdir, case: LogCase, style, mapped: bool, name: str = "log.csv"):
    """Write the case as CSV and load it, over the mapped fast path (big files)
    when ``mapped``, else the general one."""
    raw = case
    data, lines, _, header_line = write_csv(raw, style)
    case, keep = data_rows(raw)
    assume(case.rows)  # every row blank: that is a header-only file (tested above)
    path = workdir / name
    path.write_bytes(data)
    exp = expect(case, [lines[i] for i in keep], decimal_comma=style.delim == ";")
    with mock.patch.object(readers_text, "MAPPED_MIN_BYTES", 0 if mapped else readers_text.MAPPED_MIN_BYTES):
        frame, err, _ = check_contract(path, case.kind)
    return frame, err, exp, header_line


@budget("test_long_sessions_csv")
@given(case=long_case("sessions"), data=st.data())
def test_long_sessions_csv(workdir, case, data):
    CASES["test_long_sessions_csv"] += 1
    style = data.draw(csv_styles(len(case.rows), len(case.headers)))
    frame, err, exp, _ = run_csv(workdir, case, style, data.draw(st.booleans(), "mapped"))
    check_expected(frame, err, exp, "sessions")


@budget("test_pain_csv")
@given(case=long_case("pain"), data=st.data())
def test_pain_csv(workdir, case, data):
    CASES["test_pain_csv"] += 1
    style = data.draw(csv_styles(len(case.rows), len(case.headers)))
    frame, err, exp, _ = run_csv(workdir, case, style, data.draw(st.booleans(), "mapped"))
    check_expected(frame, err, exp, "pain")


@budget("test_wide_sessions_csv")
@given(case=wide_case(), data=st.data())
def test_wide_sessions_csv(workdir, case, data):
    CASES["test_wide_sessions_csv"] += 1
    style = data.draw(csv_styles(len(case.rows), len(case.headers)))
    frame, err, exp, _ = run_csv(workdir, case, style, data.draw(st.booleans(), "mapped"))
    check_expected(frame, err, exp, "sessions")


# -- 5. duplicated and missing headers --------------------------------------------------


@budget("test_header_variants")
@given(kind=st.sampled_from(["sessions", "pain"]), data=st.data())
def test_header_variants(workdir, kind, data):
    CASES["test_header_variants"] += 1
    case = data.draw(long_case(kind))
    mutation = data.draw(st.sampled_from(["duplicate", "missing"]))
    headers, fields = list(case.headers), list(case.fields)
    rows = [list(r) for r in case.rows]
    if mutation == "duplicate":
        src = data.draw(st.integers(0, len(fields) - 1))
        f = fields[src]
        assume(not f.startswith("ignored"))
        at = data.draw(st.integers(0, len(fields)))
        new_header = data.draw(st.sampled_from(HEADERS[f]))
        twin = data.draw(long_case(kind))  # cells for the twin column, same field
        extra = [r[twin.fields.index(f)] if f in twin.fields else (" ", None)
                 for r in (twin.rows * len(rows))[: len(rows)]]
        headers.insert(at, new_header)
        fields.insert(at, f)
        for r, c in zip(rows, extra, strict=True):
            r.insert(at, c)
        first, second = sorted(i for i, x in enumerate(fields) if x == f)
        fields[second] = "ignored#dup"
    else:
        required = ["date", "exercise"] if kind == "sessions" else ["date", "pain"]
        drop = fields.index(data.draw(st.sampled_from(required)))
        del headers[drop], fields[drop]
        for r in rows:
            del r[drop]
    case = LogCase(kind, False, headers, fields, rows)
    style = data.draw(csv_styles(len(rows), len(headers)))
    raw_data, lines, _, header_line = write_csv(case, style)
    kept, keep = data_rows(case)
    assume(kept.rows)
    path = workdir / "headers.csv"
    path.write_bytes(raw_data)
    frame, err, _ = check_contract(path, kind)
    assert err is not None and not isinstance(err, bx.LogFormatError), err
    header_problems = {(int(r.line), r.column) for r in err.problems.itertuples()
                       if r.line == header_line}
    if mutation == "missing":
        assert len(err.problems) == 1
        assert header_problems == {(header_line, "")}
        assert "missing required column" in err.problems["problem"].iloc[0]
    else:
        exp = expect(kept, [lines[i] for i in keep], decimal_comma=style.delim == ";")
        dup = (header_line, headers[second].strip())
        got = {(int(r.line), r.column) for r in err.problems.itertuples()}
        assert got == exp.problems | {dup}


# -- 6. JSON records and Parquet ----------------------------------------------------------


@budget("test_json_and_parquet")
@given(case=st.one_of(long_case("sessions", bad=6), long_case("pain", bad=6), wide_case(bad=6)),
       fmt=st.sampled_from(["json", "parquet", "frame"]), data=st.data())
def test_json_and_parquet(workdir, case, fmt, data):
    CASES["test_json_and_parquet"] += 1
    assume(len({h.strip() for h in case.headers}) == len(case.headers))
    kept, keep = data_rows(case)
    assume(kept.rows)
    if fmt == "json":
        path = workdir / "log.json"
        typed = [data.draw(st.booleans()) for _ in case.rows]
        nums = write_json(case, path, typed)
        # a number written as a JSON number: non-finite ones too (NaN is JSON's "missing")
        if data.draw(st.integers(0, 3)) == 0:
            records = json.loads(path.read_text())
            rec = data.draw(st.integers(0, len(records) - 1))
            key = data.draw(st.sampled_from(sorted(records[rec])))
            value = data.draw(st.sampled_from([1e308, math.inf, -math.inf, 10**30, -1, True]))
            records[rec][key] = value
            path.write_text(json.dumps(records))
            frame, err, _ = check_contract(path, case.kind)
            return  # the contract only: the oracle knows text cells, not this one
    else:
        frame_in = pd.DataFrame([[t for t, _ in r] for r in case.rows], columns=case.headers)
        nums = list(range(1, len(case.rows) + 1))
        if fmt == "parquet":
            path = workdir / "log.parquet"
            frame_in.to_parquet(path)
        else:
            path = None
    exp = expect(kept, [nums[i] for i in keep], decimal_comma=False)
    if path is None:
        try:
            frame, err = (bx.load_sessions if case.kind == "sessions" else bx.load_pain)(
                frame_in), None
        except bx.LogValidationError as exc:
            frame, err = None, exc
        problems = bx.check_logs(frame_in, kind=case.kind)
        assert problems.empty == (err is None)
        assert (problems["file"] == "<DataFrame>").all()
    else:
        frame, err, _ = check_contract(path, case.kind)
    check_expected(frame, err, exp, case.kind)


# -- 7. XLSX: title, blank rows on top and in between, merged cells, typed cells ----------


@budget("test_xlsx")
@given(case=st.one_of(long_case("sessions", max_rows=4), long_case("pain", max_rows=4),
                      wide_case(max_rows=4)), data=st.data())
def test_xlsx(workdir, case, data):
    CASES["test_xlsx"] += 1
    assume(not any(len(t) > 1000 for r in case.rows for t, _ in r))  # Excel's cell limit
    path = workdir / "log.xlsx"
    rows_at = write_xlsx(case, path, data.draw)
    kept, keep = data_rows(case)
    assume(kept.rows)
    exp = expect(kept, [rows_at[i] for i in keep], decimal_comma=False)
    frame, err, _ = check_contract(path, case.kind)
    check_expected(frame, err, exp, case.kind)


# -- regression tests for bugs the properties found (hand-written) -------------------------


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def _problems(path, kind="sessions"):
    return [(int(r.line), r.column, r.value) for r in bx.check_logs(path, kind=kind).itertuples()]


def test_regression_na_like_cells_are_written_values(tmp_path):
    """pyarrow's default null strings made 'NaN', 'NA', 'null' empty cells: a 'NaN'
    repetition count was accepted as blank, a row of 'NA' vanished, a note 'null' was
    lost and a pain of 'NaN' was reported with no value."""
    p = _write(tmp_path, "s.csv", "date,exercise,reps,minutes,notes\n"
               "2026-03-02,SLR,NaN,5,x\nNA,NA,NA,NA,NA\n2026-03-03,SLR,3,5,null\n")
    assert _problems(p) == [
        (2, "reps", "NaN"), (3, "date", "NA"), (3, "exercise", "NA"), (3, "reps", "NA"),
        (3, "minutes", "NA")]
    ok = _write(tmp_path, "ok.csv", "date,exercise,reps,notes\n2026-03-03,SLR,3,null\n")
    assert bx.load_sessions(ok)["notes"].tolist() == ["null"]
    pain = _write(tmp_path, "p.csv", "date,pain\n2026-03-02,NaN\n2026-03-03,inf\n")
    assert _problems(pain, "pain") == [(2, "pain", "NaN"), (3, "pain", "inf")]


def test_regression_whitespace_cells_are_empty(tmp_path):
    """Whitespace-only cells in pyarrow's string/categorical columns counted as
    filled: a line of blanks was a data row, a day with a ' ' note was not a template
    day, and an exercise of ' ' gave an entry with no exercise and no problem."""
    p = _write(tmp_path, "s.csv", "date,time,exercise,reps,notes\n"
               "2026-03-02, ,SLR,3,x\n  ,  ,  ,  ,  \n2026-03-03,,,, \n")
    s = bx.load_sessions(p)
    assert s["source_line"].tolist() == [2]
    bad = _write(tmp_path, "b.csv", "date,exercise,reps\n2026-03-02, ,3\n2026-03-03,SLR,3\n")
    assert [(line, col) for line, col, _ in _problems(bad)] == [(2, "exercise")]


def test_regression_quoted_line_break_and_a_line_of_spaces(tmp_path):
    """A quoted line break (one more line than rows) and a line of spaces and tabs
    (one more row than non-blank lines) made the counts agree by chance, and every
    line number after the line break was one too small."""
    p = _write(tmp_path, "s.csv", "date\texercise\treps\tnotes\n"
               '2026-03-02\tSLR\t-3\t"line one\nline two"\n'
               "2026-03-03\tSLR\t-3\t\n2026-03-04\tSLR\t-3\t\n \t\t\t")
    assert [line for line, _, _ in _problems(p)] == [2, 4, 5]


def test_regression_delimiter_only_line_above_header(tmp_path):
    """A ',,,,' line above the header (Excel's export of an empty first row) was taken
    as the header."""
    p = _write(tmp_path, "s.csv", ",,,\n;;\ndate,exercise,reps\n2026-03-02,SLR,3\n")
    assert bx.load_sessions(p)["source_line"].tolist() == [4]


def test_regression_xlsx_title_above_table(tmp_path):
    """docs: 'a title above the table is fine'; the title row was taken as the header."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "My exercise log"
    ws.merge_cells("A1:C1")
    ws.append([])
    ws.append(["date", "exercise", "reps"])
    ws.append(["2026-03-02", "SLR", 3])
    wb.save(tmp_path / "s.xlsx")
    s = bx.load_sessions(tmp_path / "s.xlsx")
    assert s["source_line"].tolist() == [4] and s["reps"].tolist() == [3]


def test_regression_huge_number_shown_readably(tmp_path):
    """1e308 was shown as a 309-digit integer in the problems table."""
    p = _write(tmp_path, "s.csv", "date,exercise,reps\n2026-03-02,SLR,1e308\n")
    [(line, col, value)] = _problems(p)
    assert (line, col) == (2, "reps") and len(value) < 30


def test_regression_blank_date_in_records_is_missing(tmp_path):
    """An empty-string date in JSON/Parquet/DataFrame records was 'not a date' with
    an empty value, instead of a missing date."""
    frame = pd.DataFrame({"date": ["", " "], "exercise": ["SLR", "SLR"], "reps": ["3", "4"]})
    probs = bx.check_logs(frame)
    assert probs["line"].tolist() == [1, 2]
    assert probs["problem"].str.startswith("missing date").all()


# -- the count of generated cases -----------------------------------------------------------


def test_zz_case_counts(capsys):
    """Report how many cases each property ran (and check the profile's volume when the
    whole module ran in this process)."""
    total = sum(CASES.values())
    lines = [f"hypothesis profile {PROFILE!r}: generated cases per test"]
    lines += [f"  {name:30s} {CASES[name]:7d}" for name in BUDGET]
    lines.append(f"  {'total':30s} {total:7d}")
    report = "\n".join(lines)
    with capsys.disabled():
        print("\n" + report)
    if all(CASES[name] for name in BUDGET):
        assert total >= sum(BUDGET.values()) * _SCALE * 0.95, report
