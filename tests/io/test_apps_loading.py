"""App exports through the public loaders: bx.load_sessions / check_logs / read_log
recognise them by content, say what they left out in an AppReportWarning, and
``backrx validate`` names the app (tests/io/fixtures/apps: real samples, SOURCES.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import backrx_analysis as bx

APPLE = Path(__file__).parent / "fixtures" / "apps" / "apple_health"


def test_load_sessions_reads_an_apple_health_export_and_says_what_it_left_out():
    with pytest.warns(bx.AppReportWarning) as caught:
        s = bx.load_sessions(APPLE / "tcx-converter_export.xml")
    # the one walking workout: 45.0 min on 16 Jan 2024 (startDate 13:15 +0000)
    assert s["exercise"].astype(str).tolist() == ["walk"]
    assert s["date"].tolist() == [pd.Timestamp("2024-01-16")]
    assert s["minutes"].tolist() == [45.0]
    text = str(caught[0].message)
    assert "2 workouts of type Running are not part of the program" in text
    assert "1 workout of type Cycling" in text
    daily = bx.daily_adherence(s)
    assert daily[["walk_minutes", "walk_met"]].values.tolist() == [[45.0, True]]


def test_an_export_and_a_spreadsheet_in_one_call(tmp_path):
    # the walk of 16 Jan 2024 next to a spreadsheet of exercises on the same day
    sheet = tmp_path / "exercises.csv"
    sheet.write_text("date,exercise,reps,minutes\n2024-01-16,wall squat,10,4\n")
    with pytest.warns(bx.AppReportWarning):
        s = bx.load_sessions([APPLE / "tcx-converter_export.xml", sheet])
    assert sorted(s["exercise"].astype(str)) == ["walk", "wall_squat"]
    daily = bx.daily_adherence(s)
    row = daily.iloc[0]
    assert (row["walk_minutes"], row["exercise_minutes"], row["reps_wall_squat"]) == (45.0, 4.0, 10)


def test_a_zip_is_recognised_whatever_its_name(tmp_path):
    z = tmp_path / "my health data.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.write(APPLE / "tcx-converter_export.xml", "apple_health_export/export.xml")
    with pytest.warns(bx.AppReportWarning):
        s = bx.load_sessions(z)
    assert s["minutes"].tolist() == [45.0]


def test_check_logs_and_read_log_report_a_damaged_export(tmp_path):
    bad = tmp_path / "export.xml"
    bad.write_bytes((APPLE / "tcx-converter_export.xml").read_bytes()[:3000])
    problems = bx.check_logs(bad)
    assert len(problems) == 1 and "export.xml" in problems["file"].iloc[0]
    kind, frame, problems = bx.read_log(bad)
    assert kind == "sessions" and frame.empty and len(problems) == 1
    with pytest.raises(bx.LogValidationError):
        bx.load_sessions(bad)


def test_source_forces_the_app(tmp_path):
    plain = tmp_path / "data.bin"
    shutil.copy(APPLE / "tcx-converter_export.xml", plain)
    with pytest.warns(bx.AppReportWarning):
        s = bx.load_sessions(plain, source="apple_health")
    assert len(s) == 1
    with pytest.raises(ValueError, match="source must be one of 'apple_health'"):
        bx.load_sessions(plain, source="fitbit_maybe")


def test_backrx_validate_names_the_app_and_what_it_mapped():
    out = subprocess.run([sys.executable, "-m", "backrx_analysis", "validate",
                          str(APPLE / "tcx-converter_export.xml")],
                         capture_output=True, text=True, check=True).stdout
    assert "(sessions log, an export of Apple Health): OK, 1 entry on 1 day" in out
    assert "  1 walking workout read as 1 walk" in out
    assert "  2 workouts of type Running are not part of the program" in out
    # an export that feeds both logs is checked as both
    assert "(pain log, an export of Apple Health): OK, no entries" in out
    assert "  no lower-back-pain symptom samples" in out


def test_backrx_validate_a_pain_diary_and_a_mapping(tmp_path):
    mapping = tmp_path / "activities.toml"
    mapping.write_text('[activities]\n"nature / walk" = "walk"\n', encoding="utf-8")
    daylio = Path(__file__).parent / "fixtures" / "apps" / "daylio" / "daylio_sample.csv"
    out = subprocess.run([sys.executable, "-m", "backrx_analysis", "validate", str(daylio),
                          "--activities", str(mapping)],
                         capture_output=True, text=True, check=True).stdout
    assert "(sessions log, an export of Daylio): OK, 1 entry on 1 day, 2021-09-27" in out
    mapping.write_text('[activities]\n"nature / walk" = "jogging"\n', encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "backrx_analysis", "validate", str(daylio),
                          "--activities", str(mapping)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "'nature / walk' = 'jogging': not an activity of the program" in bad.stdout


def test_an_entry_from_a_zip_names_the_archive_and_its_member(tmp_path):
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.write(APPLE / "tcx-converter_export.xml", "apple_health_export/export.xml")
    with pytest.warns(bx.AppReportWarning):
        s = bx.load_sessions(z)
    assert s["source"].astype(str).tolist() == ["export.zip:apple_health_export/export.xml"]
    # the locator: the walking workout is the file's 2nd Workout element
    assert s["source_line"].tolist() == [2]


def test_the_two_source_sample_gives_the_days_of_the_one_file_sample(sample):
    """sample_data: the exercises in a spreadsheet and the walks in a phone's Apple Health
    export, loaded in one call, give exactly the days of sessions.csv."""
    sessions, _ = sample
    with pytest.warns(bx.AppReportWarning, match="walking workouts read as"):
        both = bx.load_sessions([bx.sample_path("multi_exercises"),
                                 bx.sample_path("multi_apple_health")])
    assert len(both) == len(sessions)
    assert both["source"].astype(str).unique().tolist() == [
        "multi_exercises.csv", "multi_apple_health.zip:apple_health_export/export.xml"]
    pd.testing.assert_frame_equal(bx.daily_adherence(both), bx.daily_adherence(sessions))


def test_problems_name_the_apps_own_locator(tmp_path):
    """An app export's problem says what its locator counts ("Workout element 1"),
    not "line 1" of a file that has no such line."""
    bad = tmp_path / "export.xml"
    bad.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'
                   ' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="abc" '
                   'durationUnit="min" sourceName="Watch" startDate="2024-03-01 08:00:00 -0500" '
                   'endDate="2024-03-01 08:30:00 -0500"/>\n</HealthData>\n', encoding="utf-8")
    with pytest.warns(bx.AppReportWarning), pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions(bad)
    assert f"{bad}, Workout element 1, column 'minutes': 'abc': not a number" in str(err.value)
    assert err.value.problems["line"].tolist() == [1]
    plain = tmp_path / "log.csv"
    plain.write_text("date,exercise,minutes\n2024-03-01,walk,abc\n", encoding="utf-8")
    with pytest.warns(bx.AppReportWarning), pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions([plain, bad])
    text = str(err.value)
    assert f"{plain}, line 2, column 'minutes'" in text and "Workout element 1" in text


def test_every_fixture_is_recognised_as_its_own_app_and_no_other():
    """Each real export is claimed by its own app's sniff only (the folder names the
    app); the kit's own sample logs are claimed by none."""
    from backrx_analysis.io.apps import APPS, detect

    root = Path(__file__).parent / "fixtures" / "apps"
    seen = set()
    for f in sorted(root.rglob("*")):
        if not f.is_file() or f.suffix in (".md", ".mjs") or f.name.startswith("exerciseinfo"):
            continue  # notes, the script that made a fixture, wger's exercise list
        app = f.relative_to(root).parts[0]
        assert detect(f) == app, f
        seen.add(app)
    assert seen == set(APPS)
    for name in ("sessions", "pain", "wide_sessions", "caseload_sessions", "caseload_pain",
                 "multi_exercises"):
        assert detect(bx.sample_path(name)) is None, name
