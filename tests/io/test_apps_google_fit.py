"""Google Fit Takeout (backrx_analysis.io.apps.google_fit): the real session files and
daily CSVs of tests/io/fixtures/apps/google_fit (SOURCES.md there), a Takeout zip made of
them, and hand-written sessions, checked through the public loaders and
``to_canonical`` at the level of days: walk minutes per local day (the offset from each
file's name), and what the report says was left out."""

from __future__ import annotations

import csv
import json
import shutil
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backrx_analysis as bx
from backrx_analysis.errors import LogFormatError
from backrx_analysis.io.apps import AppRead, detect, fitbit, google_fit, read_app, read_app_table
from backrx_analysis.io.apps.base import peek
from backrx_analysis.io.sample import sample_path
from backrx_analysis.io.validate import to_canonical

PROGRAM = bx.default_program()
FIXTURES = Path(__file__).parent / "fixtures" / "apps" / "google_fit"
SESSIONS = sorted((FIXTURES / "All Sessions").glob("*.json"))
DAILY = FIXTURES / "Daily activity metrics" / "Daily activity metrics.csv"
ONE_DAY = FIXTURES / "Daily activity metrics" / "2025-01-29.csv"
FIRST = FIXTURES / "All Sessions" / "2025-01-29T20_23_54.103+05_30_WALKING.json"


def canonical(path, **kw) -> tuple[AppRead, pd.DataFrame, pd.DataFrame]:
    app = read_app_table(path, "sessions", PROGRAM, **kw)
    assert app is not None, f"{path} not recognised"
    frame, problems = to_canonical(app.raw, "sessions", program=PROGRAM)
    return app, frame, problems


def walk_days(frame: pd.DataFrame) -> dict[str, float]:
    walks = frame[(frame["exercise"] == "walk") & frame["minutes"].notna()]
    days = walks.groupby(walks["date"].dt.strftime("%Y-%m-%d"))["minutes"].sum()
    return {k: round(float(v), 6) for k, v in days.items()}


def session(activity="walking", start="2025-03-01T10:00:00.000Z", end="2025-03-01T10:20:00.000Z",
            duration: object = "1200.000s") -> dict:
    doc = {"fitnessActivity": activity, "startTime": start, "endTime": end, "duration": duration,
           "segment": [{"fitnessActivity": activity, "startTime": start, "endTime": end}]}
    if duration is None:
        del doc["duration"]
    return doc


def write(folder: Path, doc, name="2025-03-01T15_30_00.000+05_30_WALKING.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(doc, indent=2) if not isinstance(doc, str) else doc,
                    encoding="utf-8")
    return path


def takeout(tmp_path: Path, extra: dict[str, bytes] | None = None, name="takeout-001.zip") -> Path:
    """A Takeout zip laid out as Google writes it, from the kept files."""
    z = tmp_path / name
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        f.writestr("Takeout/archive_browser.html", "<html></html>")
        for p in SESSIONS:
            f.write(p, f"Takeout/Fit/All Sessions/{p.name}")
        for p in (DAILY, ONE_DAY):
            f.write(p, f"Takeout/Fit/Daily activity metrics/{p.name}")
        f.writestr("Takeout/Fit/Activities/2025-01-29T20_23_54.103+05_30_PT16M14.582S_Walking.tcx",
                   "<TrainingCenterDatabase/>")
        for member, data in (extra or {}).items():
            f.writestr(member, data)
    return z


# By hand from the nine session files, minutes = duration (s) / 60, the day from the
# local start in each name (+05:30):
#   2025-01-29: 974.582 + 2198.007 = 3172.589 s -> 52.876483 min
#   2025-01-30: 660 s -> 11.0              2025-02-08: 1163.096 s -> 19.384933
#   2025-02-09: 940.267 s -> 15.671117     2025-02-11: 3137.638 s -> 52.293967
#   2025-02-12: 22:30.349 + 18:17.451 + 11:32.970 = 3140.770 s -> 52.346167
SESSION_DAYS = {"2025-01-29": 52.876483, "2025-01-30": 11.0, "2025-02-08": 19.384933,
                "2025-02-09": 15.671117, "2025-02-11": 52.293967, "2025-02-12": 52.346167}


# -- the real samples -------------------------------------------------------------------


def test_session_files_walk_minutes_per_local_day():
    with pytest.warns(bx.AppReportWarning) as caught:
        s = bx.load_sessions(SESSIONS)
    assert len(caught) == len(SESSIONS) == 9
    daily = bx.daily_adherence(s)
    walked = daily[daily["walk_minutes"] > 0]
    got = {d.strftime("%Y-%m-%d"): round(float(m), 6)
           for d, m in zip(walked["date"], walked["walk_minutes"], strict=True)}
    assert got == SESSION_DAYS
    assert daily.loc[daily["date"] == pd.Timestamp("2025-02-12"), "walk_status"].item() == "over"
    assert set(s["utc_offset_min"]) == {330} and set(s["source_line"]) == {1}
    # startTime 2025-01-29T14:53:54.103Z, the name's 20_23_54.103+05_30: 20:23:54.103 local
    assert s["timestamp"].iloc[0] == pd.Timestamp("2025-01-29 20:23:54.103")
    assert s["source"].iloc[0] == FIRST.name and s["notes"].iloc[0] == "Google Fit walking session"


def test_a_session_file_and_its_report():
    app, frame, problems = canonical(FIRST)
    assert problems.empty and detect(FIRST) == "google_fit"
    assert app.raw.frame[0][0] == "2025-01-29T20:23:54.103000+05:30"
    assert app.raw.line_label == "session" and list(app.raw.lines) == [1]
    assert app.report == ["1 activity read as a walk (1 walking)"]
    paused = FIXTURES / "All Sessions" / "2025-01-29T21_31_50.034+05_30_WALKING.json"
    app, frame, _ = canonical(paused)
    # 21:31:50.034 to 22:18:30.717 is 2800.683 s; duration (the segments) 2198.007 s
    assert frame["minutes"].item() == pytest.approx(2198.007 / 60)
    assert ("1 session paused: duration (the time moving) used, 10.0 min less in total than "
            "end minus start") in app.report


def test_the_takeout_zip(tmp_path):
    z = takeout(tmp_path)
    assert detect(z) == "google_fit"
    app, frame, problems = canonical(z)
    assert problems.empty
    assert walk_days(frame) == SESSION_DAYS
    assert app.raw.source == f"{z}:Takeout/Fit/All Sessions/"
    assert list(frame["source_line"]) == list(range(1, 10))  # the files in name order
    assert frame["notes"].iloc[5] == ("Google Fit walking session "
                                      "(2025-02-11T17_24_05.16+05_30_WALKING.json)")
    assert set(frame["source"]) == {"takeout-001.zip:Takeout/Fit/All Sessions/"}
    # pauses: 602.676 + 1365.958 + 655.057 + 297.560 = 2921.251 s = 48.69 min
    assert app.report == [
        "9 activities read as walks (9 walking)",
        "4 sessions paused: duration (the time moving) used, 48.7 min less in total than end "
        "minus start",
        "1 file in Takeout/Fit/Activities not read (the same sessions, as routes)",
        "2 files in Takeout/Fit/Daily activity metrics not read (all the walking the phone "
        "detected, the sessions included: load Daily activity metrics.csv on its own to read it)",
        "1 other file of the Takeout (not Google Fit) not read",
    ]


def test_daily_activity_metrics_alone():
    # By hand: Walking duration (ms) / 60000; 2025-01-29: 3172589 ms = 52.876483 min (all
    # of it the two sessions of that day); 2025-02-12: 4351282 ms = 72.521367 min, against
    # 52.346167 min of sessions: the phone counts every walk it detected.
    with open(DAILY, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    walked = [r for r in rows if r["Walking duration (ms)"].strip()]
    with pytest.warns(bx.AppReportWarning) as caught:
        s = bx.load_sessions(DAILY)
    assert len(s) == len(walked) == 25
    days = walk_days(s)
    assert days["2025-01-29"] == 52.876483 == SESSION_DAYS["2025-01-29"]
    assert days["2025-02-12"] == 72.521367
    assert sum(days.values()) == pytest.approx(
        sum(int(r["Walking duration (ms)"]) for r in walked) / 60000)
    assert s["timestamp"].isna().all() and list(s["source_line"])[:2] == [2, 3]
    assert s["notes"].iloc[0] == ("Google Fit walking the phone detected that day (all walking, "
                                  "not only walks)")
    assert "do not load them with this file" in str(caught[0].message)


def test_a_per_day_csv_is_refused_with_what_to_load():
    assert detect(ONE_DAY) == "google_fit"
    msg = refused(ONE_DAY)
    assert "15-minute rows" in msg and "Daily activity metrics.csv" in msg


# -- the day as lived -------------------------------------------------------------------


def test_a_renamed_file_needs_tz(tmp_path):
    renamed = tmp_path / "walk.json"
    shutil.copy(FIRST, renamed)
    assert detect(renamed) == "google_fit"  # by content
    msg = refused(renamed)
    assert "walk.json" in msg and "give tz=" in msg and "UTC only" in msg
    app, frame, _ = canonical(renamed, tz="Asia/Kolkata")
    assert frame["timestamp"].item() == pd.Timestamp("2025-01-29 20:23:54.103")
    assert "1 session placed in the day by tz= (the file name holds no offset that matches the " \
           "start)" in app.report
    assert "is not a time zone name" in refused(renamed, tz="India")


def test_the_name_gives_the_day_near_midnight(tmp_path):
    # 2025-03-01T20:15:00Z is 01:45 on 2 March at +05:30, and 15:15 on 1 March at -05:00
    doc = session(start="2025-03-01T20:15:00.000Z", end="2025-03-01T20:45:00.000Z",
                  duration="1800.000s")
    india = write(tmp_path, doc, "2025-03-02T01_45_00.000+05_30_WALKING.json")
    york = write(tmp_path, doc, "2025-03-01T15_15_00.000-05_00_WALKING.json")
    assert walk_days(canonical(india)[1]) == {"2025-03-02": 30.0}
    assert walk_days(canonical(york, tz="Asia/Tokyo")[1]) == {"2025-03-01": 30.0}  # name wins
    wrong = write(tmp_path, doc, "2025-03-02T01_45_00.000+01_00_WALKING.json")  # not that instant
    assert "give tz=" in refused(wrong)
    assert walk_days(canonical(wrong, tz="Asia/Tokyo")[1]) == {"2025-03-02": 30.0}  # 05:15+09:00


# -- hand-written sessions --------------------------------------------------------------


def test_kinds_of_walking_and_other_activities(tmp_path):
    names = []
    for i, kind in enumerate(("walking.treadmill", "walking.nordic", "hiking", "running",
                              "running", "yoga")):
        start = f"2025-03-0{i + 1}T10:00:00.000Z"
        doc = session(kind, start=start, end=start.replace("10:00", "10:20"))
        names.append(write(tmp_path, doc, f"2025-03-0{i + 1}T15_30_00.000+05_30_X.json"))
    z = tmp_path / "takeout-2.zip"
    with zipfile.ZipFile(z, "w") as f:
        for p in names:
            f.write(p, f"Takeout/Fit/All Sessions/{p.name}")
    app, frame, _ = canonical(z)
    assert walk_days(frame) == {"2025-03-01": 20.0, "2025-03-02": 20.0, "2025-03-03": 20.0}
    assert app.report == [
        "3 activities read as walks (1 hiking, 1 walking.nordic, 1 walking.treadmill)",
        "1 hike counted as a walk (hiking is walking)",
        "2 entries of 'running' are not part of the program",
        "1 entry of 'yoga' is not part of the program",
    ]
    app, frame, _ = canonical(z, activities={"yoga": "session", "hiking": "none"})
    assert frame["exercise"].astype(str).tolist() == ["walk", "walk", "session"]
    assert "1 activity read as 'session' (1 yoga)" in app.report
    assert ("1 entry of 'hiking' is not part of the program (your activities mapping)"
            in app.report)


def test_the_same_session_twice_counted_once(tmp_path):
    z = takeout(tmp_path, {f"Takeout/Fit/All Sessions/{FIRST.stem}(1).json": FIRST.read_bytes()})
    app, frame, _ = canonical(z)
    assert walk_days(frame) == SESSION_DAYS  # 2025-01-29 still 52.876483
    assert "1 session found twice (same kind, start and end) counted once" in app.report


def test_durations(tmp_path):
    rows = [("1200.000s", None), ("abc", "abc"), (974.582, "974.582 (no unit)"),
            ("974.582", "974.582 (no unit)"), (None, "")]
    for i, (duration, bad) in enumerate(rows):
        path = write(tmp_path, session(duration=duration), f"s{i}.json")
        app, frame, problems = canonical(path, tz="UTC")
        if bad is None:
            assert problems.empty and frame["minutes"].item() == 20.0
        else:
            assert problems[["line", "column", "value"]].values.tolist() == [[1, "minutes", bad]]
            assert (problems["file"] == str(path)).all()
    assert any("needs its minutes" in s for s in
               canonical(tmp_path / "s4.json", tz="UTC")[2]["problem"])
    assert "1 session had no duration: the minutes are unknown (end minus start would count " \
           "the pauses too)" in canonical(tmp_path / "s4.json", tz="UTC")[0].report
    bad_date = write(tmp_path, session(start="yesterday"), "s5.json")
    problems = canonical(bad_date, tz="UTC")[2]
    assert problems[["line", "column", "value"]].values.tolist() == [
        [1, "date", "yesterday (UTC, not read)"]]
    no_date = session()
    del no_date["startTime"]
    problems = canonical(write(tmp_path, no_date, "s6.json"), source="google_fit")[2]
    assert problems[["line", "column", "value"]].values.tolist() == [[1, "date", ""]]


def test_recognised_by_content_and_claims_no_other_file(tmp_path):
    others = [sample_path("sessions"), sample_path("pain"), *sorted(
        p for p in FIXTURES.parent.rglob("*") if p.is_file() and FIXTURES not in p.parents)]
    assert len(others) > 10
    claimed = [p for p in others if (k := peek(p)) is not None and google_fit.sniff(k)]
    assert claimed == []
    ours = [*SESSIONS, DAILY, ONE_DAY]
    assert not [p for p in ours if fitbit.sniff(peek(p))]
    assert detect(write(tmp_path, {"fitnessActivity": "walking"}, "x.json")) is None
    plain = tmp_path / "log.csv"
    plain.write_text("Date,exercise,minutes\n2025-03-01,walk,20\n")
    assert detect(plain) is None
    assert google_fit.by_name("Daily activity metrics.csv") and google_fit.by_name(FIRST.name)


# -- files that cannot be read -----------------------------------------------------------


def refused(path, **kw) -> str:
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind="sessions", program=PROGRAM, **kw)
    err = info.value
    assert len(err.problems) == 1 and str(path) in err.problems["file"].item()
    return err.problems["problem"].item()


def test_unreadable_files(tmp_path):
    text = FIRST.read_text(encoding="utf-8")
    cut = write(tmp_path, text[:300], FIRST.name)
    assert detect(cut) == "google_fit"
    assert "ends before the JSON does" in refused(cut)
    joined = write(tmp_path, text + "\n" + text, "2025-03-01T15_30_00.000+05_30_B.json")
    second = text.count("\n") + 2  # the file ends "}" with no newline; one added between
    assert f"has content after the end of the JSON at line {second}, column 1" in refused(joined)
    empty = write(tmp_path, "", "2025-03-01T15_30_00.000+05_30_C.json")
    assert refused(empty).startswith("is empty")
    listed = write(tmp_path, [session()], "2025-03-01T15_30_00.000+05_30_D.json")
    assert "is JSON, but a list, not a session" in refused(listed, source="google_fit")
    header = DAILY.read_text(encoding="utf-8").splitlines()
    renamed = tmp_path / "Daily activity metrics.csv"
    renamed.write_text("\n".join([header[0].replace("Walking duration (ms)", "Gehdauer (ms)"),
                                  *header[1:]]) + "\n", encoding="utf-8")
    msg = refused(renamed)
    assert "has no 'Walking duration (ms)' column" in msg and "Date, Move Minutes count" in msg
    renamed.write_text("")
    assert refused(renamed).startswith("is empty")


def test_damaged_zips(tmp_path):
    data = takeout(tmp_path).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    assert detect(cut) == "google_fit"
    assert "damaged or incomplete zip" in refused(cut)
    fake = tmp_path / "takeout-20250222T000000Z-001.zip"
    fake.write_text("not a zip")
    assert "is named .zip but is not a zip file" in refused(fake)
    empty = tmp_path / "takeout-3.zip"
    with zipfile.ZipFile(empty, "w") as f:
        f.writestr("Takeout/Fit/All Data/raw_com.google.weight.json", "{}")
    app = read_app(empty, kind="sessions", program=PROGRAM)
    assert len(app.raw.lines) == 0
    assert app.report[0] == "the zip holds no session files (Takeout/Fit/All Sessions/*.json)"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 1000), junk=st.binary(max_size=6), at=st.integers(0, 1000))
def test_damaged_text_is_refused_or_read(tmp_path, cut, junk, at):
    data = FIRST.read_bytes()
    for mangled in (data[:cut], data[:at] + junk + data[at:]):
        path = tmp_path / FIRST.name
        path.write_bytes(mangled)
        try:
            with warnings.catch_warnings():
                app = read_app(path, kind="sessions", program=PROGRAM, source="google_fit")
        except LogFormatError as exc:
            assert exc.problems["file"].tolist() == [str(path)]
            continue
        frame, problems = to_canonical(app.raw, "sessions", program=PROGRAM)
        assert set(app.raw.lines) <= {1}
        assert len(frame) == len(app.raw.lines)
