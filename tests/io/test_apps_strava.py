"""Strava's activities.csv (backrx_analysis.io.apps.strava, .csv_export): the real
samples of tests/io/fixtures/apps/strava (SOURCES.md there), a zip made of one, and
hand-written edge cases, checked at the level of days through the public loaders and
``to_canonical``: walk minutes per local day in two zones, the lines of rows after a
description of several lines, what the report says was left out."""

from __future__ import annotations

import csv
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backrx_analysis as bx
from backrx_analysis.errors import LogFormatError, LogValidationError
from backrx_analysis.io.apps import AppReportWarning, detect, read_app, read_app_table
from backrx_analysis.io.apps.strava import utc_start
from backrx_analysis.io.sample import sample_path
from backrx_analysis.io.validate import to_canonical
from backrx_analysis.program import default_program

PROGRAM = default_program()
HERE = Path(__file__).parent / "fixtures" / "apps"
STRAVA = HERE / "strava" / "activities.csv"
ATHLYTICS = HERE / "strava" / "athlytics_activities.csv"
HEADER = STRAVA.read_text(encoding="utf-8").split("\n", 1)[0]


def walk_days(sessions: pd.DataFrame) -> dict[str, float]:
    """Walk minutes of every day that has some, from bx.daily_adherence."""
    daily = bx.daily_adherence(sessions)
    days = daily[daily["walk_minutes"] > 0]
    return {d.strftime("%Y-%m-%d"): round(float(m), 6)
            for d, m in zip(days["date"], days["walk_minutes"], strict=True)}


def load(path, **kw) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AppReportWarning)
        return bx.load_sessions(path, **kw)


def report(path, **kw) -> list[str]:
    return read_app(path, kind="sessions", program=PROGRAM, **kw).report


def row(activity_id="1", date="Mar 1, 2024, 3:00:00 PM", kind="Walk", elapsed="1800",
        moving="1500.0", name="Afternoon Walk") -> list[str]:
    """A row of the fixture's 94 columns: Elapsed Time at 6 and 16, Moving Time at 17."""
    cells = [""] * 94
    cells[:6] = [activity_id, date, name, kind, "", elapsed]
    cells[15], cells[16] = f"{float(elapsed):.1f}" if elapsed.strip() else "", moving
    return cells


def write(tmp_path: Path, rows: list[list[str]], name="activities.csv", header=HEADER) -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


# -- the real samples -------------------------------------------------------------------

# By hand from the fixture (Activity Date in UTC, Moving Time in seconds / 60):
#  line  4 Walk Mar 22 2023 23:47:15   813 -> 13.55     line  6 Walk Apr 19 2023 00:28:24  160 -> 2.666667
#  line  8 Hike Dec 24 2023 16:16:51  7290 -> 121.5     line  9 Hike Dec 27 2023 18:45:27 2176 -> 36.266667
#  line 10 Hike Dec 28 2023 22:12:53  4134 -> 68.9      line 11 Walk Feb 18 2024 23:53:07    3 -> 0.05
#  line 12 Walk Feb 19 2024 20:19:22   933 -> 15.55     line 14 Hike Apr 18 2024 23:48:29 3489 -> 58.15
#  line 17 Walk Jul 15 2024 13:35:39  1045 -> 17.416667 line 18 Walk Jul 15 2024 21:18:27 1292 -> 21.533333
#  line 24 Walk Oct 11 2024 23:32:01  1578 -> 26.3      line 25 Walk Oct 12 2024 12:51:58 1726 -> 28.766667
#  line 28 Walk Oct 13 2024 23:26:57  1149 -> 19.15
# (the Run at line 20 has a description of 4 lines, 20-23; the walk at line 25 one of 2)
NEW_YORK = {  # UTC-4 (EDT) from 12 Mar 2023 to 5 Nov 2023 and from 10 Mar 2024, else UTC-5
    "2023-03-22": 13.55,       # 19:47 EDT
    "2023-04-18": 2.666667,    # Apr 19 00:28 UTC is 20:28 on the 18th
    "2023-12-24": 121.5, "2023-12-27": 36.266667, "2023-12-28": 68.9,
    "2024-02-18": 0.05,        # 18:53 EST
    "2024-02-19": 15.55,
    "2024-04-18": 58.15,
    "2024-07-15": 38.95,       # 09:35 and 17:18 EDT: (1045 + 1292) / 60
    "2024-10-11": 26.3, "2024-10-12": 28.766667, "2024-10-13": 19.15,
}
KOLKATA = {  # UTC+5:30: every start after 18:30 UTC moves to the next day
    "2023-03-23": 13.55,       # Mar 22 23:47 UTC is 05:17 on the 23rd
    "2023-04-19": 2.666667,
    "2023-12-24": 121.5,       # 21:46
    "2023-12-28": 36.266667,   # Dec 27 18:45 UTC is 00:15 on the 28th
    "2023-12-29": 68.9,
    "2024-02-19": 0.05, "2024-02-20": 15.55,
    "2024-04-19": 58.15,
    "2024-07-15": 17.416667,   # 19:05
    "2024-07-16": 21.533333,   # Jul 15 21:18 UTC is 02:48 on the 16th
    "2024-10-12": 55.066667,   # Oct 11 23:32 UTC (05:02) and Oct 12 12:51 UTC: (1578 + 1726) / 60
    "2024-10-14": 19.15,
}


def test_the_sample_in_two_zones():
    assert detect(STRAVA) == "strava"
    with pytest.warns(AppReportWarning) as caught:
        ny = bx.load_sessions(STRAVA, tz="America/New_York")
    assert walk_days(ny) == NEW_YORK
    assert walk_days(load(STRAVA, tz="Asia/Kolkata")) == KOLKATA
    # the same instant: 23:47:15 UTC
    first = ny.iloc[0]
    assert (first["timestamp"], first["utc_offset_min"]) == (pd.Timestamp("2023-03-22 19:47:15"), -240)
    text = str(caught[0].message)
    assert "activities.csv (Strava)" in text and "6 entries of 'Run' are not part of the program" in text


def test_lines_after_descriptions_of_several_lines():
    s = load(STRAVA, tz="UTC")
    assert s["source_line"].tolist() == [4, 6, 8, 9, 10, 11, 12, 14, 17, 18, 24, 25, 28]
    assert set(s["source"]) == {"activities.csv"}


def test_moving_time_not_elapsed_and_neutral_notes():
    s = load(STRAVA, tz="UTC")
    hike = s[s["source_line"] == 8].iloc[0]
    assert hike["minutes"] == 121.5  # Moving Time 7290 s, not the Elapsed Time 10413 s
    assert hike["notes"] == "Strava Hike activity"
    assert set(s["notes"]) == {"Strava Walk activity", "Strava Hike activity"}
    assert not s["notes"].str.contains("dog|Office|Evening").any()  # names and descriptions left out


def test_report_counts_what_is_left_out():
    got = report(STRAVA, tz="Europe/Amsterdam")
    assert got == [
        "13 activities read as walks (9 Walk, 4 Hike)",
        "4 hikes counted as walks (hiking is walking)",
        "6 entries of 'Run' are not part of the program",
        "2 entries of 'Weight Training' are not part of the program",
        "4 entries of 'Workout' are not read on the name alone: Strava's 'Workout' is any such "
        "activity, not necessarily the program's 'session' (map it in activities.toml, "
        "\"Workout\" = \"session\", if yours are)",
        "the local day of each start (Activity Date, in UTC) is taken in Europe/Amsterdam",
    ]
    # an independent count from the file
    with STRAVA.open(encoding="utf-8", newline="") as f:
        types = Counter(r["Activity Type"] for r in csv.DictReader(f))
    assert types == {"Walk": 9, "Hike": 4, "Run": 6, "Workout": 4, "Weight Training": 2}


def test_second_sample_holds_no_walk():
    # Athlytics' example: 18 quoted columns (one Elapsed Time, one Distance), 75 rows
    assert detect(ATHLYTICS) == "strava"
    s = load(ATHLYTICS, tz="UTC")
    assert s.empty
    with ATHLYTICS.open(encoding="utf-8", newline="") as f:
        types = Counter(r["Activity Type"] for r in csv.DictReader(f))
    assert types == {"Run": 56, "Ride": 19}
    assert report(ATHLYTICS, tz="UTC") == [
        "no walking activities in this Strava export",
        "56 entries of 'Run' are not part of the program",
        "19 entries of 'Ride' are not part of the program",
    ]


def test_the_archive_zip(tmp_path):
    z = tmp_path / "export_12345678.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        f.writestr("profile.csv", "Athlete ID\n1\n")
        f.write(STRAVA, "activities.csv")
        f.writestr("activities/8798301847.fit.gz", b"\x1f\x8b")
    assert detect(z) == "strava"
    assert walk_days(load(z, tz="America/New_York")) == NEW_YORK
    app = read_app(z, kind="sessions", program=PROGRAM, tz="UTC")
    assert app.raw.source == f"{z}:activities.csv" and app.app == "Strava"
    renamed = tmp_path / "my strava.zip"  # recognised by its members, not its name
    renamed.write_bytes(z.read_bytes())
    assert detect(renamed) == "strava"


def test_not_claimed():
    assert detect(sample_path("sessions")) != "strava"
    assert detect(sample_path("pain")) != "strava"
    others = [p for p in HERE.rglob("*") if p.is_file() and p.parent.name != "strava"
              and p.suffix != ".md"]
    assert others and all(detect(p) != "strava" for p in others)
    assert read_app_table(sample_path("sessions"), "sessions", PROGRAM) is None


# -- hand-written edge cases ------------------------------------------------------------


def test_tz_is_required_and_checked():
    with pytest.raises(LogFormatError, match="writes its times in UTC only") as info:
        bx.load_sessions(STRAVA)
    assert str(STRAVA) in info.value.problems["file"].item()
    with pytest.raises(LogFormatError, match="is not a time zone name"):
        bx.load_sessions(STRAVA, tz="Mars/Olympus")


def test_date_forms():
    assert utc_start("Oct 6, 2022, 11:19:20 PM").isoformat() == "2022-10-06T23:19:20+00:00"
    assert utc_start("Oct 01, 2024, 12:05:00 AM").isoformat() == "2024-10-01T00:05:00+00:00"
    assert utc_start("Jul 15, 2024, 12:35:39 PM").hour == 12
    assert utc_start("Oct 6, 2022, 11:19:20\u202fPM").hour == 23
    assert utc_start("2018-09-12 15:02:23").isoformat() == "2018-09-12T15:02:23+00:00"
    assert utc_start("09.12.2022, 15:24:49").isoformat() == "2022-12-09T15:24:49+00:00"
    for bad in ("Feb 30, 2024, 1:00:00 PM", "Foo 6, 2022, 11:19:20 PM", "13:00 tomorrow", "",
                "Oct 6, 2022, 13:19:20 PM"):
        assert utc_start(bad) is None


def test_minutes_fallback_and_bad_values(tmp_path):
    path = write(tmp_path, [
        row("1", "Mar 1, 2024, 3:00:00 PM", moving="1500.0"),            # line 2: 25 min
        row("2", "Mar 2, 2024, 3:00:00 PM", elapsed="1200", moving=""),  # line 3: elapsed 20 min
        row("3", "Mar 3, 2024, 3:00:00 PM", moving="abc"),               # line 4: refused
        row("4", "Foo 4, 2024, 3:00:00 PM"),                             # line 5: refused
        row("5", "Mar 5, 2024, 3:00:00 PM", kind="Run"),                 # left out
    ])
    app = read_app_table(path, "sessions", PROGRAM, tz="UTC")
    frame, problems = to_canonical(app.raw, "sessions", program=PROGRAM)
    got = {(int(r.line), r.column, r.value) for r in problems.itertuples()}
    assert got == {(4, "minutes", "abc"), (5, "date", "Foo 4, 2024, 3:00:00 PM (UTC, not read)")}
    minutes = dict(zip(frame["source_line"], frame["minutes"], strict=True))
    assert (minutes[2], minutes[3]) == (25.0, 20.0)
    assert "1 activity had no Moving Time: the Elapsed Time (stops included) was used" in app.report
    assert ("1 Activity Date could not be read as Strava's UTC time (refused with their lines)"
            in app.report)
    with pytest.raises(LogValidationError) as info, pytest.warns(AppReportWarning):
        bx.load_sessions(path, tz="UTC")
    assert "line 4" in str(info.value) and "line 5" in str(info.value)


def test_the_same_walk_twice(tmp_path):
    path = write(tmp_path, [
        row("10", "Mar 1, 2024, 3:00:00 PM", elapsed="1800", moving="1700.0"),  # kept
        row("10", "Mar 1, 2024, 3:00:00 PM", elapsed="1800", moving="1700.0"),  # same id
        # phone 15:05-15:31 against watch 15:00-15:30: 25 of its 26 min overlap
        row("11", "Mar 1, 2024, 3:05:00 PM", elapsed="1560", moving="1500.0"),
        # 18:00-18:30 and 18:20-18:50: 10 of 30 min overlap, two walks
        row("12", "Mar 1, 2024, 6:00:00 PM", elapsed="1800", moving="1800.0"),
        row("13", "Mar 1, 2024, 6:20:00 PM", elapsed="1800", moving="1800.0"),
    ])
    app = read_app(path, kind="sessions", program=PROGRAM, tz="UTC")
    s = load(path, tz="UTC")
    assert walk_days(s) == {"2024-03-01": round((1700 + 1800 + 1800) / 60, 6)}
    assert s["source_line"].tolist() == [2, 5, 6]
    assert s["notes"].iloc[0] == ("Strava Walk activity; written twice in the export; "
                                  "also uploaded as activity 11")
    assert "1 activity written twice in the export (the same Activity ID) counted once" in app.report
    assert "1 walk recorded twice (times overlapping by more than half) counted once" in app.report


def test_your_activities_mapping(tmp_path):
    # Workouts read as whole-routine minutes when the user says so; walks declined
    s = load(STRAVA, tz="UTC", activities={"Workout": "session", "Walk": "none"})
    assert Counter(s["exercise"].astype(str)) == {"session": 4, "walk": 4}  # the 4 hikes
    got = report(STRAVA, tz="UTC", activities={"Workout": "session", "Walk": "none"})
    assert "4 activities read as walks (4 Hike)" in got
    assert "4 activities read as 'session' (4 Workout)" in got
    assert "9 entries of 'Walk' are not part of the program (your activities mapping)" in got
    assert set(s.loc[s["exercise"] == "session", "notes"]) == {"Strava Workout activity"}


def test_german_header(tmp_path):
    # the header Strava writes for a German account (geo-activity-playground issue #191)
    german = HEADER.replace("Activity ID,Activity Date,Activity Name,Activity Type",
                            "Aktivitäts-ID,Aktivitätsdatum,Name der Aktivität,Aktivitätsart")
    german = german.replace("Elapsed Time", "Verstrichene Zeit").replace("Moving Time",
                                                                        "Bewegungszeit")
    path = write(tmp_path, [row("1", "09.12.2022, 23:24:49", kind="Walk", moving="600.0"),
                            row("2", "10.12.2022, 10:00:00", kind="Radfahrt")], header=german)
    assert detect(path) == "strava"
    s = load(path, tz="Europe/Berlin")  # 23:24:49 UTC is 00:24:49 on the 10th in Berlin
    assert walk_days(s) == {"2022-12-10": 10.0}
    assert "1 entry of 'Radfahrt' is not part of the program" in report(path, tz="UTC")


# -- files that cannot be read -----------------------------------------------------------


def refused(path, **kw) -> str:
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind="sessions", program=PROGRAM, **kw)
    err = info.value
    assert len(err.problems) == 1 and str(path) in err.problems["file"].item()
    return err.problems["problem"].item()


def test_files_that_cannot_be_read(tmp_path):
    empty = tmp_path / "activities.csv"
    empty.write_text("")
    assert detect(empty) == "strava"  # by Strava's name: the content says nothing
    assert refused(empty, tz="UTC").startswith("is empty: a Strava activities.csv starts with")
    # a new app version without any time column; a changed fourth column, forced
    no_time = write(tmp_path, [row()], "b.csv", header=HEADER.replace("Elapsed Time", "E").replace(
        "Moving Time", "M"))
    assert detect(no_time) == "strava"
    assert "has no Moving Time or Elapsed Time column" in refused(no_time, tz="UTC")
    strange = write(tmp_path, [row()], "c.csv", header="Activity ID,Activity Date,Activity Name,"
                                                        "Sport Type,Elapsed Time")
    assert detect(strange) is None
    assert refused(strange, source="strava", tz="UTC").startswith(
        "is not a Strava export: a Strava activities.csv starts with the header Activity ID,")
    # cut inside the description of several lines at line 20
    data = STRAVA.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[: data.index(b"Being hurt sucks!") + 30])
    assert "ends in the middle of line 20" in refused(cut, tz="UTC")
    nul = tmp_path / "nul.csv"
    nul.write_bytes(data[:3000] + b"\x00" + data[3000:])
    assert "NUL byte at line" in refused(nul, tz="UTC")
    assert "is not a Strava export" in refused(sample_path("sessions"), source="strava", tz="UTC")


def test_damaged_zips(tmp_path):
    good = tmp_path / "export_1.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as f:
        f.write(STRAVA, "activities.csv")
        f.writestr("activities/1.fit.gz", b"x" * 5000)
    data = good.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    assert detect(cut) == "strava"
    assert "damaged or incomplete zip" in refused(cut, tz="UTC")
    flipped = bytearray(data)
    for i in range(80, 120):
        flipped[i] ^= 0xFF
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(flipped))
    assert "cannot be unzipped" in refused(bad, source="strava", tz="UTC")
    none = tmp_path / "other.zip"
    with zipfile.ZipFile(none, "w") as f:
        f.writestr("profile.csv", "x")
    assert "it holds none" in refused(none, source="strava", tz="UTC")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=1, max_value=len(STRAVA.read_bytes()) - 1),
       junk=st.binary(max_size=40))
def test_any_cut_or_junk_is_a_clear_error_or_loads(tmp_path, cut, junk):
    path = tmp_path / "activities.csv"
    path.write_bytes(STRAVA.read_bytes()[:cut] + junk)
    try:
        load(path, tz="UTC")
    except (LogFormatError, LogValidationError) as exc:
        assert "activities.csv" in str(exc)
