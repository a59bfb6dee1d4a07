"""Garmin Connect's Activities.csv (backrx_analysis.io.apps.garmin, .csv_export): the
real samples of tests/io/fixtures/apps/garmin (SOURCES.md there: a spreadsheet-resaved
export with walks, two exports of runs, a Swedish one), and hand-written edge cases,
checked at the level of days through the public loaders and ``to_canonical``."""

from __future__ import annotations

import csv
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backrx_analysis as bx
from backrx_analysis.errors import LogFormatError, LogValidationError
from backrx_analysis.io.apps import AppReportWarning, detect, read_app, read_app_table
from backrx_analysis.io.apps.garmin import minutes_cell
from backrx_analysis.io.sample import sample_path
from backrx_analysis.io.validate import to_canonical
from backrx_analysis.program import default_program

PROGRAM = default_program()
HERE = Path(__file__).parent / "fixtures" / "apps"
RESAVED = HERE / "garmin" / "Activities.csv"
RUNS = HERE / "garmin" / "jakebowen_Activities.csv"
LARGER = HERE / "garmin" / "jakebowen_Larger_Activities.csv"
SWEDISH = HERE / "garmin" / "swedish_Activities.csv"
HEADER = RUNS.read_text(encoding="utf-8").splitlines()[0]


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


def types_in(path: Path) -> Counter:
    """An independent count of the file's activity types (the csv module, by name)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        return Counter(r[0] for r in rows)


def write(tmp_path: Path, rows: list[str], name="Activities.csv", header=HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def garmin_row(kind="Walking", date="2025-03-01 10:00:00", time="00:30:00") -> str:
    """A row of the Jake Bowen header's 33 columns (Time is the 7th)."""
    cells = [kind, date, "false", "Walk", "1.50", "120", time] + ["--"] * 26
    return ",".join(f'"{c}"' if i > 2 else c for i, c in enumerate(cells))


# -- the real samples -------------------------------------------------------------------

# By hand from the resaved sample (Date m/d/yyyy h:mm as written; Time -> minutes):
#  2025-05-02: 0:11:51 + 0:12:27 -> 11.85 + 12.45 = 24.3                           (lines 2, 3)
#  2025-05-01: 0:15:15 + 0:10:24 + 09:29.9 + 09:24.4 -> 15.25 + 10.4 + 9.498333 + 9.406667 = 44.555
#  2025-04-30: 0:10:24 + 07:57.6 -> 10.4 + 7.96 = 18.36
#  2025-04-29: 0:10:59 + 09:20.7 -> 10.983333 + 9.345 = 20.328333
#  2025-04-28: 07:59.6 + 09:35.8 + 0:20:43 + 0:10:45 + 0:11:54
#              -> 7.993333 + 9.596667 + 20.716667 + 10.75 + 11.9 = 60.956667       (lines 12-16)
#  2025-04-26: 0:20:35 + 08:24.6 -> 20.583333 + 8.41 = 28.993333
#  2025-04-25: 0:20:06 -> 20.1        2025-04-24: 09:14.8 -> 9.246667
#  2024-12-03: 0:20:23 -> 20.383333 (line 26: its later cells shifted, Time still the 7th)
#  2024-10-05: 05:31.3 at 22:46 + 0:14:09 at 22:28 -> 5.521667 + 14.15 = 19.671667
#  2024-04-25: 07:41.9 from 23:59 -> 7.698333, all on the day it started
RESAVED_DAYS = {
    "2024-04-25": 7.698333, "2024-10-05": 19.671667, "2024-12-03": 20.383333,
    "2025-04-24": 9.246667, "2025-04-25": 20.1, "2025-04-26": 28.993333,
    "2025-04-28": 60.956667, "2025-04-29": 20.328333, "2025-04-30": 18.36,
    "2025-05-01": 44.555, "2025-05-02": 24.3,
}


def test_resaved_sample_with_walks():
    assert detect(RESAVED) == "garmin"
    with pytest.warns(AppReportWarning) as caught:
        s = bx.load_sessions(RESAVED)
    # month first, decided by validation from dates such as 4/30/2025
    assert walk_days(s) == RESAVED_DAYS
    assert len(s) == 23 == types_in(RESAVED)["Walking"]
    assert s["source_line"].tolist() == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                         19, 20, 23, 24, 26, 28, 29, 30]
    assert s["timestamp"].iloc[-1] == pd.Timestamp("2024-04-25 23:59")
    assert s["utc_offset_min"].isna().all()  # local time, no zone written
    assert set(s["notes"]) == {"Garmin Connect Walking activity"}  # never the Title
    text = str(caught[0].message)
    assert "Activities.csv (Garmin Connect)" in text
    assert report(RESAVED) == [
        "23 activities read as walks (23 Walking)",
        "2 entries of 'Strength Training' are not part of the program",
        "2 entries of 'Treadmill Running' are not part of the program",
        "1 entry of 'Indoor Cycling' is not part of the program",
        "1 entry of 'Running' is not part of the program",
        "10 activities had a Time written as minutes:seconds.tenths (a spreadsheet resaved the "
        "export), read as such: a spreadsheet drops the hours of these times, so export again "
        "from Garmin Connect if a walk was an hour or longer",
    ]


def test_tz_is_not_needed_nor_used():
    assert walk_days(load(RESAVED, tz="Asia/Kolkata")) == RESAVED_DAYS


def test_only_ambiguous_dates_ask(tmp_path):
    # lines 2-3 of the sample alone: 5/2/2025 is 2 May or 5 February
    head, *rows = RESAVED.read_text(encoding="utf-8").splitlines()
    path = write(tmp_path, rows[:2], header=head)
    with pytest.raises(LogValidationError, match="dayfirst"), pytest.warns(AppReportWarning):
        bx.load_sessions(path)
    assert walk_days(load(path, dayfirst=False)) == {"2025-05-02": 24.3}
    assert walk_days(load(path, dayfirst=True)) == {"2025-02-05": 24.3}


@pytest.mark.parametrize("path", [RUNS, LARGER])
def test_samples_of_runs_hold_no_walk(path):
    assert detect(path) == "garmin"
    assert load(path).empty
    counts = types_in(path)
    assert "Walking" not in counts and sum(counts.values()) in (20, 22)
    expected = ["no walking activities in this Garmin Connect export"] + [
        f"{n} {'entry' if n == 1 else 'entries'} of {t!r} {'is' if n == 1 else 'are'} not part "
        "of the program" for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    assert report(path) == expected


def test_swedish_sample():
    # By hand: Vandring 2026-01-04 00:47:23 -> 47.383333; Vandring 2026-01-01 00:59:34 -> 59.566667;
    # Gång 2025-11-01 01:55:43 -> 115.716667; 2025-08-05 01:27:00 -> 87.0;
    # 2025-08-01 00:29:02 + 00:40:22 -> 29.033333 + 40.366667 = 69.4;
    # 2024-07-29 00:41:51 + 00:41:26 -> 41.85 + 41.433333 = 83.283333
    assert detect(SWEDISH) == "garmin"
    s = load(SWEDISH)
    assert walk_days(s) == {"2024-07-29": 83.283333, "2025-08-01": 69.4, "2025-08-05": 87.0,
                            "2025-11-01": 115.716667, "2026-01-01": 59.566667,
                            "2026-01-04": 47.383333}
    counts = types_in(SWEDISH)
    assert len(s) == counts["Gång"] + counts["Vandring"] == 8
    assert set(s["notes"]) == {"Garmin Connect Gång activity", "Garmin Connect Vandring activity"}
    assert report(SWEDISH) == [
        "8 activities read as walks (6 Gång, 2 Vandring)",
        "2 hikes counted as walks (hiking is walking)",
        "6 entries of 'Styrketräning' are not part of the program",
        "5 entries of 'Löpband' are not part of the program",
        "5 entries of 'Löpning' are not part of the program",
        "2 entries of 'Konditionspass' are not part of the program",
        "2 entries of 'Tennis' are not part of the program",
    ]


def test_not_claimed():
    for p in (sample_path("sessions"), sample_path("pain")):
        assert detect(p) != "garmin"
    others = [p for p in HERE.rglob("*") if p.is_file() and p.parent.name != "garmin"
              and p.suffix != ".md"]
    assert others and all(detect(p) != "garmin" for p in others)
    assert all(detect(p) == "garmin" for p in (RESAVED, RUNS, LARGER, SWEDISH))
    assert read_app_table(sample_path("sessions"), "sessions", PROGRAM) is None


# -- hand-written edge cases ------------------------------------------------------------


def test_time_forms():
    assert minutes_cell("01:14:14") == (74 + 14 / 60, "hms")
    assert minutes_cell("0:11:51") == (11.85, "hms")
    assert minutes_cell("00:04:45.9") == (4 + 45.9 / 60, "hms")
    assert minutes_cell("00:43:12,5") == (43 + 12.5 / 60, "hms")
    assert minutes_cell("09:29.9") == (9 + 29.9 / 60, "tenths")
    assert minutes_cell("--") == (None, "none") and minutes_cell("") == (None, "none")
    assert minutes_cell("1:33") == ("1:33", "two")
    assert minutes_cell("an hour") == ("an hour", "other")


def test_bad_and_missing_times(tmp_path):
    path = write(tmp_path, [
        garmin_row(date="2025-03-01 10:00:00", time="00:30:00"),  # line 2: 30 min
        garmin_row(date="2025-03-02 10:00:00", time="1:33"),      # line 3: refused
        garmin_row(date="2025-03-03 10:00:00", time="--"),        # line 4: no minutes
        garmin_row(date="2025-03-04 10:00:00", time="lots"),      # line 5: refused
        garmin_row(kind="Running", time="??"),                   # left out, not checked
    ])
    app = read_app_table(path, "sessions", PROGRAM)
    frame, problems = to_canonical(app.raw, "sessions", program=PROGRAM)
    got = {(int(r.line), r.column, r.value) for r in problems.itertuples()}
    assert got == {(3, "minutes", "1:33"), (4, "minutes", ""), (5, "minutes", "lots")}
    assert "needs its minutes" in problems.loc[problems["line"] == 4, "problem"].item()
    assert any(r.startswith("1 activity had a Time like '1:33'") for r in app.report)
    assert "1 activity had no Time ('--'): the minutes are unknown" in app.report


def test_a_resaved_walk_with_hours_and_minutes_only(tmp_path):
    # the larger sample's first run as a walk: Time "1:33" lost its seconds in a spreadsheet
    head, first, *_ = LARGER.read_text(encoding="utf-8").splitlines()
    path = write(tmp_path, [first.replace("Running", "Walking", 1)], header=head)
    with pytest.raises(LogValidationError) as info, pytest.warns(AppReportWarning):
        bx.load_sessions(path)
    assert "line 2" in str(info.value) and "1:33" in str(info.value)


def test_the_same_walk_twice(tmp_path):
    path = write(tmp_path, [
        garmin_row(date="2025-03-01 10:00:00", time="00:30:00"),  # kept
        garmin_row(date="2025-03-01 10:00:00", time="00:30:00"),  # the same row again
        garmin_row(date="2025-03-01 10:04:00", time="00:25:00"),  # a second device: 25 of 25
        garmin_row(date="2025-03-01 18:00:00", time="00:30:00"),  # 18:00-18:30
        garmin_row(date="2025-03-01 18:20:00", time="00:30:00"),  # 10 of 30 min overlap: kept
        garmin_row(date="3/2/2025 9:00", time="0:20:00"),          # not ISO: by text only
        garmin_row(date="3/2/2025 9:00", time="0:20:00"),
    ])
    app = read_app(path, kind="sessions", program=PROGRAM)
    s = load(path, dayfirst=False)
    assert walk_days(s) == {"2025-03-01": 90.0, "2025-03-02": 20.0}
    assert s["source_line"].tolist() == [2, 5, 6, 7]
    assert s["notes"].iloc[0] == ("Garmin Connect Walking activity; written twice in the export; "
                                  "also recorded at 2025-03-01 10:04:00")
    assert "2 activities written twice in the export counted once" in app.report
    assert "1 walk recorded twice (times overlapping by more than half) counted once" in app.report


def test_other_walking_types_and_your_mapping(tmp_path):
    path = write(tmp_path, [garmin_row("Hiking", "2025-03-01 09:00:00", "01:30:00"),
                            garmin_row("Casual Walking", "2025-03-02 09:00:00", "00:15:00"),
                            garmin_row("Treadmill Walking", "2025-03-03 09:00:00", "00:20:00"),
                            garmin_row("Strength Training", "2025-03-04 09:00:00", "00:40:00")])
    assert walk_days(load(path)) == {"2025-03-01": 90.0, "2025-03-02": 15.0}
    assert "1 entry of 'Treadmill Walking' is not part of the program" in report(path)
    mapped = load(path, activities={"Treadmill Walking": "walk", "Strength Training": "session"})
    assert walk_days(mapped) == {"2025-03-01": 90.0, "2025-03-02": 15.0, "2025-03-03": 20.0}
    assert bx.daily_adherence(mapped).set_index("date").loc["2025-03-04", "exercise_minutes"] == 40


def test_semicolons_of_a_european_spreadsheet(tmp_path):
    path = tmp_path / "Activities.csv"
    path.write_text("Activity Type;Date;Favorite;Title;Distance;Calories;Time\n"
                    "Walking;01.03.2025 10:00;FALSE;Walk;1,50;120;0:30:00\n"
                    "Running;02.03.2025 10:00;FALSE;Run;5,00;400;0:30:00\n", encoding="cp1252")
    assert detect(path) == "garmin"
    assert walk_days(load(path)) == {"2025-03-01": 30.0}  # dotted dates are day first


# -- files that cannot be read -----------------------------------------------------------


def refused(path, **kw) -> str:
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind="sessions", program=PROGRAM, **kw)
    err = info.value
    assert len(err.problems) == 1 and str(path) in err.problems["file"].item()
    return err.problems["problem"].item()


def test_files_that_cannot_be_read(tmp_path):
    empty = tmp_path / "Activities.csv"
    empty.write_bytes(b"\xef\xbb\xbf\r\n")
    assert detect(empty) == "garmin"  # by Garmin's name: the content says nothing
    assert refused(empty).startswith("is empty: a Garmin Connect Activities.csv starts with")
    no_time = write(tmp_path, [garmin_row()], "a.csv", header=HEADER.replace("Time,", "Duration,", 1))
    assert detect(no_time) == "garmin"
    assert "has no Time column" in refused(no_time)
    data = RUNS.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[: data.index(b"2025-09-27") + 40])
    assert "ends in the middle of line 3" in refused(cut)
    assert "is not a Garmin Connect export" in refused(sample_path("sessions"), source="garmin")
    z = tmp_path / "Activities.zip"
    import zipfile

    with zipfile.ZipFile(z, "w") as f:
        f.write(RUNS, "Activities.csv")
    assert detect(z) is None
    assert "is a zip" in refused(z, source="garmin")
    assert "holds no pain log" in (
        pytest.raises(LogFormatError, read_app, RUNS, kind="pain", program=PROGRAM)
        .value.problems["problem"].item())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=1, max_value=len(RESAVED.read_bytes()) - 1),
       junk=st.binary(max_size=40))
def test_any_cut_or_junk_is_a_clear_error_or_loads(tmp_path, cut, junk):
    path = tmp_path / "Activities.csv"
    path.write_bytes(RESAVED.read_bytes()[:cut] + junk)
    try:
        load(path)
    except (LogFormatError, LogValidationError) as exc:
        assert "Activities.csv" in str(exc)
