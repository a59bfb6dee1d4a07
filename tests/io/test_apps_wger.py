"""wger workout logs (backrx_analysis.io.apps.wger): the real API answer of the wger
Flutter app's tests (tests/io/fixtures/apps/wger, SOURCES.md there), a page of the
paginated ``/api/v2/workoutlog/`` answer assembled from its rows, and hand-written
cases, checked through the public loaders at the level of days: repetitions per
exercise per day, and what the report says was left out."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backrx_analysis as bx
from backrx_analysis.errors import LogFormatError, LogValidationError
from backrx_analysis.io.apps import AppReportWarning, detect, read_app, wger
from backrx_analysis.io.apps.base import peek
from backrx_analysis.io.sample import sample_path
from backrx_analysis.io.validate import to_canonical

PROGRAM = bx.default_program()
FIXTURES = Path(__file__).parent / "fixtures" / "apps" / "wger"
ROUTINE_LOGS = FIXTURES / "routine_logs.json"
PAGE = FIXTURES / "workoutlog_page1.json"
EXERCISEINFO = FIXTURES / "exerciseinfo_response.json"
MAPPING = {"wger:4": "wall_squat"}


def load(path, *, warns: bool = False, **kw) -> pd.DataFrame:
    """``bx.load_sessions``; ``warns``: the report is not empty (an AppReportWarning)."""
    with pytest.warns(AppReportWarning) if warns else contextlib.nullcontext():
        return bx.load_sessions(path, **kw)


def reps_by_day(sessions: pd.DataFrame, exercise: str = "wall_squat") -> dict[str, int]:
    days = bx.daily_adherence(sessions, program=PROGRAM)
    days = days[days[f"reps_{exercise}"] > 0]
    return {d.strftime("%Y-%m-%d"): int(r) for d, r in zip(days["date"], days[f"reps_{exercise}"],
                                                           strict=True)}


def report(path, **kw) -> list[str]:
    return read_app(path, kind="sessions", program=PROGRAM, **kw).report


def log(i=1, date="2025-01-06T18:00:00+01:00", exercise=4, reps="10.00", unit=1, **more) -> dict:
    entry = {"id": i, "date": date, "session": 5, "routine": 2, "exercise": exercise,
             "repetitions_unit": unit, "repetitions": reps, "weight_unit": 1, "weight": "0.00",
             "rir": None}
    entry.update(more)
    return entry


def write(folder: Path, doc, name="logs.json") -> Path:
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


# -- the real sample ------------------------------------------------------------------


def test_routine_logs_reps_per_day():
    # By hand from routine_logs.json: 12 log entries, all exercise 4, repetitions unit 1,
    # one set each; dates 2025-01-0xT00:00:00+01:00 (dates logged without a time):
    # 2025-01-06 (ids 4, 2, 1, 3): 11 + 12 + 12 + 12 -> 47
    # 2025-01-08 (ids 7, 8, 5, 6): 10 + 11 + 11 + 12 -> 44
    # 2025-01-13 (ids 11, 10, 12, 9): 9 + 10 + 10 + 12 -> 41
    assert detect(ROUTINE_LOGS) == "wger"
    sessions = load(ROUTINE_LOGS, activities=MAPPING)
    assert reps_by_day(sessions) == {"2025-01-06": 47, "2025-01-08": 44, "2025-01-13": 41}
    assert len(sessions) == 12 and sessions["sets"].eq(1).all()
    assert sessions["utc_offset_min"].eq(60).all()
    assert list(sessions["source_line"]) == list(range(1, 13))
    assert sessions["notes"].iloc[0] == "wger log: exercise 4, 78.00 kg"
    days = bx.daily_adherence(sessions, program=PROGRAM).set_index("date")
    assert bool(days.loc["2025-01-06", "met_wall_squat"]) and days.loc["2025-01-07", "reps_wall_squat"] == 0
    # the plain id works as a key too
    assert reps_by_day(load(ROUTINE_LOGS, activities={"4": "wall_squat"}))["2025-01-13"] == 41
    assert report(ROUTINE_LOGS, activities=MAPPING) == []


def test_unmapped_ids_are_counted_per_id():
    assert report(ROUTINE_LOGS) == ["12 entries of 'wger exercise 4' are not part of the program"]
    assert report(ROUTINE_LOGS, activities={"wger:4": "none"}) == [
        "12 entries of 'wger:4' are not part of the program (your activities mapping)"]
    with pytest.warns(AppReportWarning, match="wger exercise 4"):
        assert bx.load_sessions(ROUTINE_LOGS).empty


def test_assembled_page_of_the_paginated_answer():
    # workoutlog_page1.json: the first 5 of those 12 rows in an API page (count 12, next
    # set): 2025-01-06: 11 + 12 + 12 + 12 -> 47; 2025-01-08: id 7, 10 -> 10.
    doc = json.loads(PAGE.read_text(encoding="utf-8"))
    assert detect(PAGE) == "wger"
    with pytest.warns(AppReportWarning, match="one page"):
        sessions = bx.load_sessions(PAGE, activities=MAPPING)
    assert len(sessions) == len(doc["results"]) == 5
    assert reps_by_day(sessions) == {"2025-01-06": 47, "2025-01-08": 10}
    assert report(PAGE, activities=MAPPING) == [
        "the file holds one page of the server's answer (5 of 12 log entries; 'next' is set): "
        "save the other pages (or ask for ?limit=999) and load them too"]


def test_results_list_and_pages_in_a_list(tmp_path):
    page = json.loads(PAGE.read_text(encoding="utf-8"))
    alone = write(tmp_path, page["results"], "results.json")
    assert reps_by_day(load(alone, activities=MAPPING)) == {"2025-01-06": 47, "2025-01-08": 10}
    # the same page twice in one list: every id seen before counted once
    twice = write(tmp_path, [page, page], "pages.json")
    rep = report(twice, activities=MAPPING)
    assert "5 log entries written twice (the same id) counted once" in rep
    assert reps_by_day(load(twice, activities=MAPPING, warns=True))["2025-01-06"] == 47


# -- names from the exercise list beside the logs ----------------------------------------


def test_exerciseinfo_beside_the_logs(tmp_path):
    # exerciseinfo_response.json is exercise 9: "2 Handed Kettlebell Swing" (English),
    # aliases "double handed kettlebell", "Kettlebell russian style"
    shutil.copy(EXERCISEINFO, tmp_path / "exerciseinfo.json")
    path = write(tmp_path, [log(1, exercise=9), log(2, exercise=9, reps="12.00"),
                            log(3, exercise=4)])
    assert report(path) == [
        "2 entries of '2 Handed Kettlebell Swing (wger exercise 9)' are not part of the program",
        "1 entry of 'wger exercise 4' is not part of the program"]
    sessions = load(path, activities={"Kettlebell russian style": "partial_curl_up"}, warns=True)
    assert reps_by_day(sessions, "partial_curl_up") == {"2025-01-06": 22}
    assert sessions["notes"].iloc[0] == "wger log: exercise 9 (2 Handed Kettlebell Swing)"
    # a name the program knows maps with no mapping at all ("Wall sit": wall_squat)
    (tmp_path / "exerciseinfo_more.json").write_text(json.dumps({"count": 1, "results": [
        {"id": 4, "translations": [{"name": "Wandsitzen", "language": 1},
                                   {"name": "Wall sit", "language": 2}]}]}), encoding="utf-8")
    assert reps_by_day(load(path, activities={"wger:9": "none"}, warns=True)) == {"2025-01-06": 10}


def test_a_broken_exerciseinfo_is_named(tmp_path):
    path = write(tmp_path, [log()])
    (tmp_path / "exerciseinfo.json").write_text('{"results": [', encoding="utf-8")
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind="sessions", program=PROGRAM)
    assert str(tmp_path / "exerciseinfo.json") in info.value.problems["file"].item()
    assert "truncated" in info.value.problems["problem"].item()


# -- hand-written edge cases ------------------------------------------------------------


def test_units(tmp_path):
    path = write(tmp_path, [
        log(1, reps="10.00"),                       # 10 reps
        log(2, reps="90.00", unit=3),               # 90 s -> 1.5 min
        log(3, reps="2", unit=4),                   # 2 min
        log(4, reps="12", unit=2),                  # until failure: left out
        log(5, reps="1.5", unit=6),                 # km: left out
        log(6, reps="8", unit=7),                   # max reps: left out
        log(7, reps="8", unit=99),                  # not a wger unit: left out
        log(8, reps="5", unit=None),                # no unit: repetitions, as the app
        log(9, reps="400", unit=8),                 # meters: left out
    ])
    sessions = load(path, activities=MAPPING, warns=True)
    assert reps_by_day(sessions) == {"2025-01-06": 15}
    day = bx.daily_adherence(sessions, program=PROGRAM).iloc[0]
    assert day["exercise_minutes"] == pytest.approx(3.5)
    assert list(sessions["source_line"]) == [1, 2, 3, 8]
    assert report(path, activities=MAPPING) == [
        "1 log entry in Kilometers is left out: not a count of repetitions",
        "1 log entry in Max Reps is left out: not a count of repetitions",
        "1 log entry in Meters is left out: not a count of repetitions",
        "1 log entry in Until Failure is left out: not a count of repetitions",
        "1 log entry in unit 99 is left out: not a count of repetitions",
        "1 log entry in Minutes read as minutes of exercise, with no repetitions",
        "1 log entry in Seconds read as minutes of exercise, with no repetitions",
        "1 log entry had no repetitions unit: read as repetitions, as the wger app reads them",
    ]


def test_older_api_keys_and_dates(tmp_path):
    # before 2025: reps (a number), repetition_unit, exercise_base, a date alone
    path = write(tmp_path, {"count": 2, "next": None, "previous": None, "results": [
        {"id": 1, "reps": 10, "weight": "0.00", "date": "2021-05-01", "exercise_base": 345,
         "workout": 3, "repetition_unit": 1, "weight_unit": 1, "rir": "2"},
        {"id": 2, "reps": 10, "weight": "0.00", "date": "2021-05-02", "exercise_base": 345,
         "workout": 3, "repetition_unit": 1, "weight_unit": 1, "rir": None}]}, "workoutlog.json")
    assert detect(path) == "wger"
    sessions = load(path, activities={"345": "ankle_pumps"})
    assert reps_by_day(sessions, "ankle_pumps") == {"2021-05-01": 10, "2021-05-02": 10}
    assert sessions["utc_offset_min"].isna().all()


def test_the_day_as_written(tmp_path):
    # 23:30 at +01:00 is 22:30 UTC: still 6 January; a tz given moves nothing
    path = write(tmp_path, [log(1, date="2025-01-06T23:30:00+01:00"),
                            log(2, date="2025-01-07T00:10:00+01:00", reps="12.00")])
    for tz in (None, "America/New_York"):
        assert reps_by_day(load(path, activities=MAPPING, tz=tz)) == {"2025-01-06": 10,
                                                                      "2025-01-07": 12}


def test_bad_values_are_problems_with_their_log_entry(tmp_path):
    path = write(tmp_path, [log(1), log(2, reps="abc"), log(3, date="06/01/2025 x"),
                            log(4, reps=None), log(5, reps="10.5"), log(6, reps="x", unit=3)])
    with pytest.raises(LogValidationError) as info, pytest.warns(AppReportWarning):
        bx.load_sessions(path, activities=MAPPING)
    got = {(int(r.line), r.column) for r in info.value.problems.itertuples()}
    assert got == {(2, "reps"), (3, "date"), (4, "reps"), (5, "reps"), (6, "minutes")}
    assert (info.value.problems["file"] == str(path)).all()


# -- recognising the file, and files that cannot be read --------------------------------------


def test_sniff_claims_no_other_file(tmp_path):
    others = [sample_path("sessions"), sample_path("pain"), EXERCISEINFO]
    others += [p for p in (FIXTURES.parent).rglob("*") if p.is_file() and FIXTURES not in p.parents]
    for path in others:
        p = peek(path)
        assert p is not None and not wger.sniff(p), path
    # a routine's plan holds repetitions units too, but no date: not a log
    plan = write(tmp_path, {"results": [{"slot_entry_id": 2, "exercise": 76, "sets": 4,
                                         "weight_unit": 1, "repetitions": "10.00",
                                         "repetitions_unit": 1}]}, "plan.json")
    assert not wger.sniff(peek(plan))
    renamed = tmp_path / "my logs.txt"
    renamed.write_bytes(ROUTINE_LOGS.read_bytes())
    assert detect(renamed) == "wger"


def refused(path, **kw) -> str:
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind="sessions", program=PROGRAM, **kw)
    err = info.value
    assert len(err.problems) == 1 and str(path) in err.problems["file"].item()
    return err.problems["problem"].item()


def test_files_that_cannot_be_read(tmp_path):
    text = ROUTINE_LOGS.read_text(encoding="utf-8")
    cut = write(tmp_path, text[: len(text) // 2], "cut.json")
    assert detect(cut) == "wger"
    assert "ends before the JSON does" in refused(cut) and "truncated" in refused(cut)
    joined = write(tmp_path, text + text, "joined.json")
    # the file has 287 lines and no line break at its end: the copy starts at column 2
    assert "content after the end of the JSON at line 287, column 2" in refused(joined)
    empty = write(tmp_path, "", "workoutlog.json")
    assert detect(empty) == "wger" and "is empty" in refused(empty)
    renamed = write(tmp_path, text.replace('"repetitions"', '"reps_done"'), "new.json")
    msg = refused(renamed, source="wger")
    assert msg.startswith("log entry 1 has no repetitions or reps: not a wger log entry")
    other = write(tmp_path, {"count": 1, "results": None}, "other.json")
    assert "without a results list" in refused(other, source="wger")
    assert "not a wger workout log" in refused(write(tmp_path, "7", "seven.json"), source="wger")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'[{"date": "\xe9"}]')
    assert "is not UTF-8 text" in refused(latin, source="wger")
    # damaged inside: not recognised by content any more, by the API's name it is
    junk = write(tmp_path, text.replace('"11.00"', '"11.00" x', 1), "workoutlog (2).json")
    assert detect(junk) == "wger"
    assert "is not well-formed JSON at line 25, column 32 (Expecting ',' delimiter)" in refused(junk)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sets=st.lists(st.tuples(st.integers(1, 9), st.integers(0, 40), st.sampled_from([1, 2, 3])),
                     min_size=1, max_size=12))
def test_reps_per_day_property(tmp_path, sets):
    """Any set of logs: reps per day = the sum of that day's repetitions in unit 1."""
    logs = [log(i, date=f"2025-02-0{day}T10:00:00+01:00", reps=f"{reps}.00", unit=unit)
            for i, (day, reps, unit) in enumerate(sets, start=1)]
    path = write(tmp_path, logs)
    expected: dict[str, int] = {}
    for day, reps, unit in sets:
        if unit == 1 and reps:
            key = f"2025-02-0{day}"
            expected[key] = expected.get(key, 0) + reps
    app = read_app(path, kind="sessions", program=PROGRAM, activities=MAPPING)
    frame, problems = to_canonical(app.raw, "sessions", program=PROGRAM)
    assert problems.empty
    got = frame[frame["reps"] > 0].groupby(frame["date"].dt.strftime("%Y-%m-%d"))["reps"].sum()
    assert {k: int(v) for k, v in got.items()} == expected
