"""Property-based tests of the Apple Health reader (hypothesis), in the style of
tests/io/test_fuzz_loaders.py.

A real sample (tests/io/fixtures/apps/apple_health) truncated anywhere, with junk
inserted or appended, zipped and truncated, or with its workouts' attributes replaced
by random or tricky values, must end in walks (every Workout element read either an
entry or a problem at its element number, never a walk of made-up minutes) or in one
``LogFormatError`` naming the file, never in another exception.

Profiles as in the loaders' fuzz suite: ``BACKRX_FUZZ_PROFILE=ci`` (default, about
2,000 cases, ~12 s) or ``long`` (ten times as many); ``BACKRX_FUZZ_SCALE=0.1`` scales
either down.
"""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backrx_analysis.errors import PROBLEM_COLUMNS, LogFormatError
from backrx_analysis.io.apps import read_app
from backrx_analysis.io.validate import to_canonical
from backrx_analysis.program import default_program

PROGRAM = default_program()
FIXTURES = Path(__file__).parent / "fixtures" / "apps" / "apple_health"
SAMPLES = sorted(FIXTURES.glob("*.xml"))
TEXTS = {p.name: p.read_bytes() for p in SAMPLES}

PROFILE = os.environ.get("BACKRX_FUZZ_PROFILE", "ci")
if PROFILE not in ("ci", "long"):
    raise ValueError(f"BACKRX_FUZZ_PROFILE must be 'ci' or 'long', got {PROFILE!r}")
_SCALE = (10 if PROFILE == "long" else 1) * float(os.environ.get("BACKRX_FUZZ_SCALE", "1"))
BUDGET = {"test_truncated": 500, "test_junk": 400, "test_zip_truncated": 300,
          "test_mutated_workouts": 450, "test_random_bytes_after_root": 300}


def budget(name: str):
    return settings(max_examples=max(1, round(BUDGET[name] * _SCALE)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                    print_blob=True)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz_apple_health")


def contract(path: Path, kind: str = "sessions"):
    """(AppRead, frame, problems), or None when the file was refused as a whole."""
    try:
        app = read_app(path, kind=kind, source="apple_health", program=PROGRAM)
    except LogFormatError as err:
        assert len(err.problems) == 1 and str(path) in err.problems["file"].item()
        assert err.problems["problem"].item()
        return None
    assert all(isinstance(s, str) and s for s in app.report)
    frame, problems = to_canonical(app.raw, kind, program=PROGRAM)
    assert list(problems.columns) == list(PROBLEM_COLUMNS)
    assert problems["file"].astype(str).str.startswith(str(path)).all()
    lines = set(app.raw.lines.tolist())
    assert set(problems["line"].dropna().astype(int)) <= lines
    assert set(frame["source_line"].astype(int)) <= lines
    if problems["line"].notna().all():  # no problem of a whole column (say, dayfirst)
        ok = frame[~frame["source_line"].isin(problems["line"])]
        # minutes known, or said unknown (a walk without a duration): never made up
        known = ok["minutes"].notna() | ~ok["measured"].astype(bool)
        assert known.all() and ok["date"].notna().all()
        assert ok.loc[~ok["measured"].astype(bool), "minutes"].isna().all()
        assert (ok["minutes"] >= 0).all()
    return app, frame, problems


# -- damaged files ----------------------------------------------------------------------


@budget("test_truncated")
@given(name=st.sampled_from(sorted(TEXTS)), cut=st.floats(0, 1))
def test_truncated(workdir, name, cut):
    data = TEXTS[name]
    at = int(len(data) * cut)
    path = workdir / "truncated.xml"
    path.write_bytes(data[:at])
    out = contract(path)
    if at < data.rindex(b"</HealthData>") + len(b"</HealthData>"):
        assert out is None, "a truncated export must be refused"


@budget("test_junk")
@given(name=st.sampled_from(sorted(TEXTS)), junk=st.binary(min_size=1, max_size=40),
       where=st.floats(0, 1), append=st.booleans())
def test_junk(workdir, name, junk, where, append):
    data = TEXTS[name]
    at = len(data) if append else int(len(data) * where)
    path = workdir / "junk.xml"
    path.write_bytes(data[:at] + junk + data[at:])
    out = contract(path)
    if append and junk.strip(b" \t\r\n"):
        assert out is None, "content after </HealthData> must be refused"


@budget("test_zip_truncated")
@given(name=st.sampled_from(sorted(TEXTS)), cut=st.floats(0, 1),
       method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
def test_zip_truncated(workdir, name, cut, method):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("apple_health_export/export.xml", TEXTS[name])
    data = buf.getvalue()
    path = workdir / "export.zip"
    path.write_bytes(data[: int(len(data) * cut)])
    assert contract(path) is None or cut == 1


@budget("test_random_bytes_after_root")
@given(body=st.binary(max_size=200))
def test_random_bytes_after_root(workdir, body):
    path = workdir / "export.xml"
    path.write_bytes(b'<HealthData locale="en_US">\n' + body)
    contract(path)


# -- workouts with random attributes ------------------------------------------------------

STAMPS = ["2024-03-01 10:00:00 -0500", "2024-03-01 23:50:00 -0500", "2024-03-02 02:00:00 +0530",
          "2024-03-02 10:10:00 -0500", "2024-02-30 10:00:00 -0500", "2024-03-01T10:00:00Z",
          "2024-03-01 10:00:00", "03/01/2024 10:00", "yesterday", "", "2024-03-01 25:00:00 -0500",
          "2024-03-01 10:00:00 -2500"]
DURATIONS = ["30", "0.5", "1800", "45.0", "5.19412346680959", "", "abc", "-5", "1e3", "nan",
             "inf", " 12 ", "4419.876", "1,5", "0", "100000"]
UNITS = ["min", "s", "hr", "h", "ms", "d", None, "fortnights", "", "MIN"]
FACTORS = {"min": 1, "s": 1 / 60, "hr": 60, "h": 60, "ms": 1 / 60_000, "d": 1440, None: 1}
KINDS = ["Walking", "Hiking", "Running", "Yoga", ""]
SOURCES = ["Owner’s Apple Watch", "Owner’s iPhone", "Strava", None]
_APPLE = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\Z")


def value(pool):
    return st.one_of(st.sampled_from(pool), st.text(max_size=12))


@st.composite
def workouts(draw):
    w = {"workoutActivityType": "HKWorkoutActivityType" + draw(st.sampled_from(KINDS)),
         "duration": draw(st.one_of(st.none(), value(DURATIONS))),
         "durationUnit": draw(st.one_of(st.none(), st.sampled_from(UNITS))),
         "sourceName": draw(st.one_of(st.none(), st.sampled_from(SOURCES))),
         "startDate": draw(st.one_of(st.none(), value(STAMPS))),
         "endDate": draw(st.one_of(st.none(), value(STAMPS)))}
    return {k: v for k, v in w.items() if v is not None}


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff"
                   and not 0xD800 <= ord(c) <= 0xDFFF)


def expected_minutes(w: dict) -> float | None:
    """Minutes of a walk whose duration and unit are plain, else None (not checked)."""
    d, unit = w.get("duration"), w.get("durationUnit")
    if d is None or not re.fullmatch(r"\s*[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?\s*", d):
        return None
    if unit not in FACTORS:
        return None
    return float(d) * FACTORS[unit]


@budget("test_mutated_workouts")
@given(ws=st.lists(workouts(), max_size=6), nested=st.booleans())
def test_mutated_workouts(workdir, ws, nested):
    ws = [{k: _clean(v) for k, v in w.items()} for w in ws]
    child = ('  <Record type="HKCategoryTypeIdentifierLowerBackPain" sourceName="Health" '
             'startDate="2024-03-01 08:00:00 -0500" endDate="2024-03-01 08:00:00 -0500" '
             'value="HKCategoryValueSeverityMild"/>\n') if nested else ""
    body = "".join(
        f" <Workout {' '.join(f'{k}={quoteattr(v)}' for k, v in w.items())}>\n{child} </Workout>\n"
        for w in ws)
    text = TEXTS["tcx-converter_export.xml"].decode("utf-8")
    text = text.replace("</HealthData>", body + "</HealthData>")
    path = workdir / "export.xml"
    path.write_text(text, encoding="utf-8")
    out = contract(path)
    assert out is not None, "well-formed XML with odd attributes is read, never refused whole"
    app, frame, problems = out
    # the sample's own four workouts come first: element 2 is its 45-minute walk
    assert 2 in set(frame["source_line"]) and frame.loc[frame["source_line"] == 2, "minutes"
                                                          ].item() == 45.0
    walking = {"HKWorkoutActivityTypeWalking", "HKWorkoutActivityTypeHiking"}
    loaded = set(app.raw.lines.tolist())
    bad = set(problems["line"].dropna().astype(int))
    for i, w in enumerate(ws, start=5):
        if w["workoutActivityType"] not in walking:
            assert i not in loaded
            continue
        rows = frame[frame["source_line"] == i]
        if i not in loaded or i in bad:
            continue  # counted once with another walk, or refused with a problem
        minutes = expected_minutes(w)
        if minutes is not None:
            assert math.isclose(rows["minutes"].item(), minutes, rel_tol=1e-12), (w, rows)
        m = _APPLE.match(w.get("startDate", ""))
        if m:
            assert rows["date"].item() == pd.Timestamp(f"{m[1]}-{m[2]}-{m[3]}"), (w, rows)
    if nested and ws:
        assert any("lower-back-pain" in s for s in app.report)
