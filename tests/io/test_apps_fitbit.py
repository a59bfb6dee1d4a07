"""Fitbit exports (backrx_analysis.io.apps.fitbit): the real excerpts of
tests/io/fixtures/apps/fitbit (SOURCES.md there), zips made of them, and hand-written
records, checked through the public loaders and ``to_canonical`` at the level of days:
walk minutes per local day (Fitbit writes UTC, so the day needs tz=), and what the
report says was left out."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backrx_analysis as bx
from backrx_analysis.errors import LogFormatError
from backrx_analysis.io.apps import AppRead, detect, fitbit, read_app, read_app_table
from backrx_analysis.io.apps.base import peek
from backrx_analysis.io.sample import sample_path
from backrx_analysis.io.validate import to_canonical

PROGRAM = bx.default_program()
FIXTURES = Path(__file__).parent / "fixtures" / "apps" / "fitbit"
EX0 = FIXTURES / "exercise-0.json"
EX200 = FIXTURES / "exercise-200.json"
CHICAGO = "America/Chicago"  # the sample's zone: its heart-rate files are Central days


def canonical(path, **kw) -> tuple[AppRead, pd.DataFrame, pd.DataFrame]:
    app = read_app_table(path, "sessions", PROGRAM, **kw)
    assert app is not None, f"{path} not recognised"
    frame, problems = to_canonical(app.raw, "sessions", program=PROGRAM)
    return app, frame, problems


def walk_days(frame: pd.DataFrame) -> dict[str, float]:
    walks = frame[(frame["exercise"] == "walk") & frame["minutes"].notna()]  # problems aside
    days = walks.groupby(walks["date"].dt.strftime("%Y-%m-%d"))["minutes"].sum()
    return {k: round(float(v), 6) for k, v in days.items()}


def records(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def record(name="Walk", start="03/01/24 15:00:00", duration: object = 1_200_000,
           active: object = 1_200_000, log_id: object = 1, **more) -> dict:
    rec = {"logId": log_id, "activityName": name, "activityTypeId": 90013, "logType":
           "auto_detected", "duration": duration, "activeDuration": active, "startTime": start}
    if active is None:
        del rec["activeDuration"]
    if duration is None:
        del rec["duration"]
    return {**rec, **more}


def write(tmp_path: Path, recs, name="exercise-0.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(recs, indent=2), encoding="utf-8")
    return path


# -- the real samples -------------------------------------------------------------------


def test_exercise_0_walk_minutes_per_local_day():
    # By hand from the file (startTime is UTC; America/Chicago is -05:00 in summer,
    # -06:00 in winter), the six 'Walk' records, minutes = activeDuration / 60000:
    #   record 3  05/02/20 23:52:12 -> 2020-05-02 18:52:12-05:00, 1946000 ms = 32.433333
    #   record 4  07/12/20 02:57:47 -> 2020-07-11 21:57:47-05:00, 1485000 ms = 24.75
    #             (12 July in UTC, 11 July as lived)
    #   record 7  12/23/20 04:40:54 -> 2020-12-22 22:40:54-06:00, 1126000 ms = 18.766667
    #   record 8  12/23/20 19:30:08 -> 2020-12-23 13:30:08-06:00, 1076000 ms = 17.933333
    #   record 9  12/23/20 20:07:43 -> 2020-12-23 14:07:43-06:00, 1280000 ms = 21.333333
    #             2020-12-23: 17.933333 + 21.333333 = 39.266667 (UTC would put 58.03 there)
    #   record 10 01/02/21 05:30:12 -> 2021-01-01 23:30:12-06:00, 1791000 ms = 29.85
    with pytest.warns(bx.AppReportWarning) as caught:
        s = bx.load_sessions(EX0, tz=CHICAGO)
    daily = bx.daily_adherence(s)
    walked = daily[daily["walk_minutes"] > 0]
    got = {d.strftime("%Y-%m-%d"): round(float(m), 6)
           for d, m in zip(walked["date"], walked["walk_minutes"], strict=True)}
    assert got == {"2020-05-02": 32.433333, "2020-07-11": 24.75, "2020-12-22": 18.766667,
                   "2020-12-23": 39.266667, "2021-01-01": 29.85}
    assert daily.loc[daily["date"] == pd.Timestamp("2020-07-11"), "walk_met"].item()
    assert list(s["utc_offset_min"]) == [-300, -300, -360, -360, -360, -360]
    assert list(s["source_line"]) == [3, 4, 7, 8, 9, 10]
    assert s["timestamp"].iloc[-1] == pd.Timestamp("2021-01-01 23:30:12")
    assert set(s["notes"]) == {"Fitbit Walk (auto_detected)"}
    assert set(s["source"]) == {"exercise-0.json"}
    text = str(caught[0].message)
    assert text.startswith(f"{EX0} (Fitbit): 6 activities read as walks (6 Walk)")
    app = read_app(EX0, kind="sessions", program=PROGRAM, tz=CHICAGO)
    assert app.report == [
        "6 activities read as walks (6 Walk)",
        "1 entry of 'Bike' is not part of the program",
        "1 entry of 'Elliptical' is not part of the program",
        "1 entry of 'Meditating' is not part of the program",
        "1 entry of 'Run' is not part of the program",
        "1 entry of 'Swim' is not part of the program",
    ]
    assert app.raw.line_label == "record" and app.raw.frame[0][0] == "2020-05-02T18:52:12-05:00"


def test_the_zone_decides_the_day():
    # The same UTC times in India (+05:30): record 7, 12/23/20 04:40:54 UTC, is 10:10:54
    # on 23 Dec (22 Dec in Chicago); records 8 and 9, 19:30:08 and 20:07:43 UTC, are
    # 01:00:08 and 01:37:43 on 24 Dec (23 Dec in Chicago).
    _, frame, _ = canonical(EX0, tz="Asia/Kolkata")
    days = walk_days(frame)
    assert days["2020-12-23"] == 18.766667 and days["2020-12-24"] == 39.266667
    assert "2020-12-22" not in days
    assert set(frame["utc_offset_min"]) == {330}


def test_second_sample_walks_counted_independently():
    recs = records(EX200)
    walks = [r for r in recs if r["activityName"] == "Walk"]
    assert len(walks) == 5 and len(recs) == 9
    app, frame, problems = canonical(EX200, tz=CHICAGO)
    assert problems.empty and len(frame) == len(walks)
    assert frame["minutes"].sum() == pytest.approx(sum(r["activeDuration"] for r in walks) / 60000)
    # record 4: 11/01/21 02:24:44 UTC is 31 Oct 2021, 21:24:44-05:00: 1074000 ms = 17.9 min
    assert walk_days(frame)["2021-10-31"] == 17.9
    assert "2 entries of 'Aerobic Workout' are not part of the program" in app.report
    assert "1 entry of 'Sport' is not part of the program" in app.report


def test_tz_is_required_and_checked():
    with pytest.raises(LogFormatError) as info:
        read_app(EX0, kind="sessions", program=PROGRAM)
    msg = info.value.problems["problem"].item()
    assert info.value.problems["file"].item() == str(EX0)
    assert msg.startswith("Fitbit writes its times in UTC only") and "tz=" in msg
    with pytest.raises(LogFormatError, match="is not a time zone name"):
        read_app(EX0, kind="sessions", program=PROGRAM, tz="Chicago")
    problems = bx.check_logs(EX0)
    assert len(problems) == 1 and "UTC only" in problems["problem"].iloc[0]


# -- zips -------------------------------------------------------------------------------


def make_zip(tmp_path: Path, members: dict[str, bytes | Path], name="MyFitbitData.zip") -> Path:
    z = tmp_path / name
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        for member, data in members.items():
            f.writestr(member, data.read_bytes() if isinstance(data, Path) else data)
    return z


def test_the_export_zip(tmp_path):
    folder = "MyFitbitData/Person/Physical Activity/"
    z = make_zip(tmp_path, {folder + "exercise-200.json": EX200, folder + "exercise-0.json": EX0,
                            "MyFitbitData/Person/Sleep/sleep-2020-05-02.json": b"[]",
                            folder + "heart_rate-2020-05-02.json": b"[]"}, "my data.zip")
    assert detect(z) == "fitbit"
    app, frame, problems = canonical(z, tz=CHICAGO)
    assert problems.empty
    assert app.raw.source == f"{z}:{folder}exercise-*.json"
    # Fitbit's numbering: exercise-0.json's records 3.. then exercise-200.json's from 201
    assert list(frame["source_line"]) == [3, 4, 7, 8, 9, 10, 201, 202, 204, 205, 207]
    assert frame["notes"].iloc[6] == "Fitbit Walk (auto_detected; exercise-200.json, record 1)"
    assert set(frame["source"]) == {f"my data.zip:{folder}exercise-*.json"}
    days = walk_days(frame)
    assert days["2020-12-23"] == 39.266667 and days["2021-10-31"] == 17.9
    assert "11 activities read as walks (11 Walk)" in app.report
    assert ("2 other files of the archive (heart rate, sleep, steps ...) are not read: the "
            "program measures walks") in app.report
    one = make_zip(tmp_path, {"Takeout/Fitbit/Global Export Data/exercise-0.json": EX0,
                              "Takeout/Fit/All Sessions/x.json": b"{}"}, "takeout.zip")
    app = read_app(one, kind="sessions", program=PROGRAM, tz=CHICAGO)
    assert app.raw.source == f"{one}:Takeout/Fitbit/Global Export Data/exercise-0.json"
    assert list(app.raw.lines) == [3, 4, 7, 8, 9, 10]
    assert any('source="google_fit"' in s for s in app.report)


def test_the_same_record_twice_counted_once(tmp_path):
    recs = records(EX0)
    again = [recs[2], record(start="01/10/21 18:00:00", log_id=99, active=600_000)]
    z = make_zip(tmp_path, {"P/Physical Activity/exercise-0.json": EX0,
                            "P/Physical Activity/exercise-100.json": json.dumps(again)})
    app, frame, problems = canonical(z, tz=CHICAGO)
    assert problems.empty
    # 2020-05-02 once (32.433333, not twice that); 2021-01-10: 600000 ms = 10 min at 12:00-06:00
    days = walk_days(frame)
    assert days["2020-05-02"] == 32.433333 and days["2021-01-10"] == 10.0
    assert list(frame["source_line"])[-1] == 102
    assert "1 exercise record found twice (the same logId) counted once" in app.report
    one = write(tmp_path, [record(), record(), record(log_id=None), record(log_id=None)])
    app, frame, _ = canonical(one, tz="UTC")
    assert list(frame["source_line"]) == [1, 3, 4]  # records without a logId never merged


# -- hand-written records ---------------------------------------------------------------


def test_minutes_active_or_whole_or_unknown(tmp_path):
    path = write(tmp_path, [
        record(duration=1_800_000, active=1_500_000, log_id=1),                # 25 of 30 min
        record(start="03/02/24 15:00:00", duration=900_000, active=None, log_id=2),  # 15 min
        record(start="03/03/24 15:00:00", duration=None, active=None, log_id=3),     # unknown
        record(start="03/04/24 15:00:00", active="abc", log_id=4),
        record(start="03/05/24 15:00:00", active=True, log_id=5),
        record(start="03/06/24 15:00:00", active="720000", log_id=6),               # 12 min
    ])
    app, frame, problems = canonical(path, tz="UTC")
    assert walk_days(frame) == {"2024-03-01": 25.0, "2024-03-02": 15.0, "2024-03-06": 12.0}
    got = {(int(r.line), r.column, r.value) for r in problems.itertuples()}
    assert got == {(3, "minutes", ""), (4, "minutes", "abc"), (5, "minutes", "true")}
    assert (problems["file"] == str(path)).all()
    assert "needs its minutes" in problems.loc[problems["line"] == 3, "problem"].item()
    # record 1: 30 - 25 = 5 min; record 6: 20 - 12 = 8 min
    assert ("2 entries: activeDuration (the time active, pauses left out) used, 13.0 min less "
            "in total than duration (the whole interval)") in app.report
    assert ("1 entry had no activeDuration: duration (the whole interval, pauses included) "
            "used") in app.report
    assert "1 entry had neither activeDuration nor duration: the minutes are unknown" in app.report


def test_dates_as_fitbit_writes_them(tmp_path):
    path = write(tmp_path, [
        record(start="11/01/20 04:30:00", log_id=1),   # 23:30-05:00 on 31 Oct (CDT)
        record(start="11/01/20 07:30:00", log_id=2),   # 01:30-06:00 on 1 Nov (CST, after DST)
        record(start="13/45/20 10:00:00", log_id=3),   # impossible: refused
        record(start="yesterday", log_id=4),
        record(start=None, log_id=5),
    ])
    app, frame, problems = canonical(path, tz=CHICAGO)
    assert walk_days(frame) == {"2020-10-31": 20.0, "2020-11-01": 20.0}
    assert list(frame["utc_offset_min"].dropna()) == [-300, -360]
    got = {(int(r.line), r.column, r.value) for r in problems.itertuples()}
    assert got == {(3, "date", "2020-13-45T10:00:00Z"), (4, "date", "yesterday (UTC, not read)"), (5, "date", "")}


def test_names_through_the_users_mapping(tmp_path):
    path = write(tmp_path, [
        record(name="Hike", log_id=1), record(name="Outdoor Walk", log_id=2),
        record(name="Run", log_id=3), record(name="Run", log_id=4),
        record(name="Workout", log_id=5), record(name=None, log_id=6),
    ])
    app, frame, _ = canonical(path, tz="UTC")
    assert frame.empty
    assert app.report == [
        "no walking activities in this Fitbit export",
        "2 entries of 'Run' are not part of the program",
        "1 entry of '(no name)' is not part of the program",
        "1 entry of 'Hike' is not part of the program",
        "1 entry of 'Outdoor Walk' is not part of the program",
        "1 entry of 'Workout' is not read on the name alone: Fitbit's 'Workout' is any such "
        "activity, not necessarily the program's 'session' (map it in activities.toml, "
        '"Workout" = "session", if yours are)',
    ]
    mapping = {"Hike": "walk", "Outdoor Walk": "walk", "Run": "none", "Workout": "session"}
    app, frame, _ = canonical(path, tz="UTC", activities=mapping)
    assert walk_days(frame) == {"2024-03-01": 40.0}
    assert frame["exercise"].astype(str).tolist() == ["walk", "walk", "session"]
    assert "2 activities read as walks (1 Hike, 1 Outdoor Walk)" in app.report
    assert "1 activity read as 'session' (1 Workout)" in app.report
    assert ("2 entries of 'Run' are not part of the program (your activities mapping)"
            in app.report)


def test_recognised_by_content_and_claims_no_other_file(tmp_path):
    renamed = tmp_path / "activities.txt"
    renamed.write_bytes(EX0.read_bytes())
    assert detect(renamed) == "fitbit"
    others = [sample_path("sessions"), sample_path("pain"), *sorted(
        p for p in (FIXTURES.parent).rglob("*") if p.is_file() and FIXTURES not in p.parents)]
    assert len(others) > 10
    claimed = [p for p in others if (k := peek(p)) is not None and fitbit.sniff(k)]
    assert claimed == []
    assert detect(write(tmp_path, [{"id": 1, "activityName": "Walk"}], "x.json")) is None
    assert detect(write(tmp_path, [], "exercise-300.json")) == "fitbit"  # by its name
    assert fitbit.by_name("MyFitbitData.zip") and not fitbit.by_name("export.zip")


# -- files that cannot be read -----------------------------------------------------------


def refused(path, **kw) -> str:
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind="sessions", program=PROGRAM, tz="UTC", **kw)
    err = info.value
    assert len(err.problems) == 1 and str(path) in err.problems["file"].item()
    return err.problems["problem"].item()


def test_unreadable_files(tmp_path):
    text = EX0.read_text(encoding="utf-8")
    cut = tmp_path / "exercise-0.json"
    cut.write_text(text[:5000], encoding="utf-8")
    assert detect(cut) == "fitbit"
    assert "ends before the JSON does at line" in refused(cut) and "truncated" in refused(cut)
    joined = tmp_path / "exercise-100.json"
    joined.write_text(text + text, encoding="utf-8")
    last = text.count("\n") + 1  # the file ends "}]" with no newline: the copy starts there
    assert f"has content after the end of the JSON at line {last}, column 3" in refused(joined)
    empty = tmp_path / "exercise-200.json"
    empty.write_bytes(b"")
    assert refused(empty).startswith("is empty")
    obj = write(tmp_path, {"logId": 1, "activityName": "Walk"}, "exercise-300.json")
    assert "top level is an object, not a list" in refused(obj)
    bad = write(tmp_path, [record(), 5], "exercise-400.json")
    assert "record 2 is not an exercise record (a JSON int)" in refused(bad)
    latin = tmp_path / "exercise-500.json"
    latin.write_bytes(b'[{"logId": 1, "activityName": "Caf\xe9"}]')
    assert "is not UTF-8 text (byte 34" in refused(latin)
    broken = tmp_path / "exercise-600.json"
    broken.write_text(text.replace('"logId" : 29868776170,', '"logId" 29868776170,', 1))
    assert "is not well-formed JSON at line 2, column 11" in refused(broken)


def test_damaged_zips(tmp_path):
    good = make_zip(tmp_path, {f"P/Physical Activity/exercise-{n}.json": EX0
                               for n in (0, 100, 200, 300)})
    data = good.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    assert detect(cut) == "fitbit"
    assert "damaged or incomplete zip" in refused(cut)
    flipped = bytearray(data)
    for i in range(80, 120):
        flipped[i] ^= 0xFF
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(flipped))
    assert refused(bad).startswith("cannot be unzipped")
    fake = tmp_path / "MyFitbitData.zip"
    fake.write_text("not a zip")
    assert "is named .zip but is not a zip file" in refused(fake)
    other = make_zip(tmp_path, {"P/Sleep/sleep-1.json": b"[]"}, "other.zip")
    assert "holds no exercise-N.json" in refused(other, source="fitbit")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 13_000), junk=st.binary(max_size=8), at=st.integers(0, 13_000))
def test_damaged_text_is_refused_or_read(tmp_path, cut, junk, at):
    data = EX0.read_bytes()
    for i, mangled in enumerate((data[:cut], data[:at] + junk + data[at:])):
        path = tmp_path / f"exercise-{i}.json"
        path.write_bytes(mangled)
        try:
            app = read_app(path, kind="sessions", program=PROGRAM, tz="UTC", source="fitbit")
        except LogFormatError as exc:
            assert exc.problems["file"].tolist() == [str(path)]
            continue
        frame, problems = to_canonical(app.raw, "sessions", program=PROGRAM)
        # every walk read is an entry or a problem at its record, never dropped silently
        assert set(app.raw.lines) <= set(frame["source_line"]) | set(problems["line"].dropna())
        assert set(app.raw.lines) <= set(range(1, 12))  # the excerpt's 11 records
