"""Apple Health exports (backrx_analysis.io.apps, .apple_health, .apple_health_walks):
the real samples of tests/io/fixtures/apps/apple_health (SOURCES.md there), a zip made
of one, and hand-written edge cases, each checked through ``to_canonical`` (the one
place every value is validated) at the level of days: walk minutes per local day, and
what the report says was left out."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from backrx_analysis.errors import LogFormatError
from backrx_analysis.io.apps import APPS, AppRead, detect, read_app, read_app_table
from backrx_analysis.io.sample import sample_path
from backrx_analysis.io.validate import to_canonical
from backrx_analysis.program import default_program

PROGRAM = default_program()
FIXTURES = Path(__file__).parent / "fixtures" / "apps" / "apple_health"
HKSQL = FIXTURES / "healthkit-to-sqlite_export.xml"
HKSQL_ZIP = FIXTURES / "healthkit-to-sqlite_zip_export.xml"
TCX = FIXTURES / "tcx-converter_export.xml"


def canonical(path, kind="sessions", **kw) -> tuple[AppRead, pd.DataFrame, pd.DataFrame]:
    app = read_app_table(path, kind, PROGRAM, **kw)
    assert app is not None, f"{path} not recognised"
    frame, problems = to_canonical(app.raw, kind, program=PROGRAM)
    return app, frame, problems


def walk_days(frame: pd.DataFrame) -> dict[str, float]:
    walks = frame[frame["exercise"] == "walk"]
    days = walks.groupby(walks["date"].dt.strftime("%Y-%m-%d"))["minutes"].sum()
    return {k: round(float(v), 6) for k, v in days.items()}


def export(*body: str, head: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + head + '<HealthData locale="en_US">\n'
            ' <ExportDate value="2024-05-01 10:00:00 -0700"/>\n' + "".join(body)
            + "</HealthData>\n")


def workout(kind="Walking", start="2024-03-01 10:00:00 -0500", end="2024-03-01 10:30:00 -0500",
            duration: str | None = "30", unit: str | None = "min", source="Owner’s Apple Watch",
            children="") -> str:
    attrs = f'workoutActivityType="HKWorkoutActivityType{kind}"'
    if duration is not None:
        attrs += f' duration="{duration}"'
    if unit is not None:
        attrs += f' durationUnit="{unit}"'
    attrs += f' sourceName="{source}" startDate="{start}" endDate="{end}"'
    return f" <Workout {attrs}>\n{children} </Workout>\n" if children else f" <Workout {attrs}/>\n"


def back_pain(value="HKCategoryValueSeverityModerate", start="2024-03-01 08:00:00 -0500") -> str:
    return (f' <Record type="HKCategoryTypeIdentifierLowerBackPain" sourceName="Health" '
            f'startDate="{start}" endDate="{start}" value="{value}"/>\n')


def write(tmp_path: Path, text: str, name="export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the real samples -------------------------------------------------------------------


@pytest.mark.parametrize("path", [HKSQL, HKSQL_ZIP])
def test_healthkit_to_sqlite_samples(path):
    # By hand from the file: one Workout (element 1), HKWorkoutActivityTypeRunning,
    # 5.19 min on 2016-11-14 07:25:41 -0700; no walking workout, so no walk on any day.
    # Two Records (BodyMassIndex, HeartRate), two ActivitySummary elements; no back pain.
    app, frame, problems = canonical(path)
    assert detect(path) == "apple_health" and app.app == "Apple Health"
    assert frame.empty and problems.empty
    assert walk_days(frame) == {}
    assert app.report == [
        "no walking workouts (HKWorkoutActivityTypeWalking) in this export",
        "1 workout of type Running is not part of the program",
        "2 other health records are not read, the program measures walks and pain "
        "(1 BodyMassIndex, 1 HeartRate)",
        "2 ActivitySummary elements are not read",
    ]


def test_tcx_converter_sample():
    # By hand from the file: four Workouts. Element 1 Running (32.5 min, 15 Jan),
    # element 2 HKWorkoutActivityTypeWalking duration="45.0" durationUnit="min"
    # startDate="2024-01-16 13:15:00 +0000" -> 45 min of walk on 16 Jan 2024 at 13:15,
    # element 3 Cycling (10 Feb), element 4 Running from Strava (17 Jan). One HeartRate
    # Record, no ActivitySummary.
    app, frame, problems = canonical(TCX)
    assert problems.empty
    assert walk_days(frame) == {"2024-01-16": 45.0}
    row = frame.iloc[0]
    assert row["timestamp"] == pd.Timestamp("2024-01-16 13:15:00")
    assert row["utc_offset_min"] == 0 and row["source_line"] == 2
    assert row["notes"] == "Apple Health walking workout (Test User's Apple Watch)"
    assert row["source"] == TCX.name
    assert app.raw.line_label == "Workout element" and app.raw.source == str(TCX)
    assert app.report == [
        "1 walking workout read as 1 walk",
        "2 workouts of type Running are not part of the program",
        "1 workout of type Cycling is not part of the program",
        "1 other health record is not read, the program measures walks and pain (1 HeartRate)",
    ]


def test_zip_made_from_a_sample(tmp_path):
    # the tcx-converter sample as Apple ships it: export.zip holding
    # apple_health_export/export.xml (beside export_cda.xml, which is not read)
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        f.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        f.write(TCX, "apple_health_export/export.xml")
        f.writestr("apple_health_export/workout-routes/route_1.gpx", "<gpx/>")
    assert detect(z) == "apple_health"
    app, frame, problems = canonical(z)
    assert problems.empty
    assert walk_days(frame) == {"2024-01-16": 45.0}
    assert app.raw.source == f"{z}:apple_health_export/export.xml"
    assert list(app.raw.lines) == [2]
    # any other member path ending in export.xml, and the same file renamed
    other = tmp_path / "Health data.zip"
    with zipfile.ZipFile(other, "w") as f:
        f.write(TCX, "Export/Export.xml")
    assert detect(other) == "apple_health"
    assert walk_days(canonical(other)[1]) == {"2024-01-16": 45.0}


def test_recognised_by_content_not_by_name(tmp_path):
    renamed = tmp_path / "my health.txt"
    renamed.write_bytes(TCX.read_bytes())
    assert detect(renamed) == "apple_health"
    with_dtd = write(tmp_path, export(workout()).replace(
        "<HealthData", '<!DOCTYPE HealthData [\n<!ELEMENT HealthData ANY>\n]>\n<HealthData'),
        "x.dat")
    assert detect(with_dtd) == "apple_health"
    assert detect(sample_path("sessions")) is None
    assert detect(tmp_path / "missing.xml") is None
    assert detect(tmp_path) is None
    other_xml = write(tmp_path, "<?xml version='1.0'?><gpx><HealthData/></gpx>", "route.xml")
    assert detect(other_xml) is None
    assert read_app_table(sample_path("sessions"), "sessions", PROGRAM) is None
    assert read_app_table(pd.DataFrame({"date": []}), "sessions", PROGRAM) is None
    assert "apple_health" in APPS


# -- hand-written edge cases ------------------------------------------------------------


def test_duration_units(tmp_path):
    path = write(tmp_path, export(
        workout(duration="0.5", unit="hr", start="2024-03-01 10:00:00 -0500"),   # 30 min
        workout(duration="1800", unit="s", start="2024-03-02 10:00:00 -0500",
                end="2024-03-02 10:30:00 -0500"),                                   # 30 min
        workout(duration="25", unit=None, start="2024-03-03 10:00:00 -0500",
                end="2024-03-03 10:25:00 -0500"),                                   # 25 min
        workout(duration="5.19412346680959", start="2024-03-04 10:00:00 -0500",
                end="2024-03-04 10:06:00 -0500"),
    ))
    app, frame, problems = canonical(path)
    assert problems.empty
    assert walk_days(frame) == {"2024-03-01": 30.0, "2024-03-02": 30.0, "2024-03-03": 25.0,
                                "2024-03-04": 5.194123}
    assert ("1 walk had no durationUnit; the duration was read as minutes, the unit Apple's "
            "export writes") in app.report


def test_bad_values_are_problems_with_their_locator(tmp_path):
    path = write(tmp_path, export(
        workout(start="2024-03-01 10:00:00 -0500"),                                # fine
        workout(kind="Running", start="garbage"),                                  # not read
        workout(start="14/03/2024 ten", end="x"),                                  # element 3
        workout(duration="abc", start="2024-03-05 10:00:00 -0500"),                 # element 4
        workout(duration="12", unit="fortnights", start="2024-03-06 10:00:00 -0500"),  # 5
        workout(duration=None, start="2024-03-07 10:00:00 -0500"),                 # element 6
        workout(start="2024-02-30 10:00:00 -0500", end="2024-02-30 10:30:00 -0500"),  # 7
    ))
    app, frame, problems = canonical(path)
    got = {(int(r.line), r.column, r.value) for r in problems.itertuples()}
    assert got == {
        (3, "date", "14/03/2024 ten"),
        (4, "minutes", "abc"),
        (5, "minutes", "12 fortnights"),
        (7, "date", "2024-02-30T10:00:00-05:00"),
    }
    assert (problems["file"] == str(path)).all()
    # element 6 has no duration: a walk with its minutes unknown, not a problem
    six = frame.loc[frame["source_line"] == 6].iloc[0]
    assert not six["measured"] and pd.isna(six["minutes"])
    assert any("1 walk had no duration: the minutes are unknown, never 0" in s
               for s in app.report)
    assert walk_days(frame)["2024-03-01"] == 30.0


def test_nested_record_inside_a_workout(tmp_path):
    nested = ('  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
              + back_pain(start="2024-03-01 10:10:00 -0500").replace(" <", "  <", 1)
              + '  <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" '
                'startDate="2024-03-01 10:11:00 -0500" endDate="2024-03-01 10:11:00 -0500" '
                'value="90"><MetadataEntry key="k" value="1"/></Record>\n'
                '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
                'sum="1.2" unit="km"/>\n')
    path = write(tmp_path, export(
        workout(children=nested),
        back_pain(),
        workout(start="2024-03-02 09:00:00 -0500", end="2024-03-02 09:12:00 -0500",
                duration="12"),
    ))
    app, frame, problems = canonical(path)
    assert problems.empty
    assert list(frame["source_line"]) == [1, 2]  # Workout elements, nested records aside
    assert walk_days(frame) == {"2024-03-01": 30.0, "2024-03-02": 12.0}
    assert ("2 lower-back-pain symptom samples (2 moderate) are not read into a session log "
            "(load the export as a pain log: they stay on Apple Health's own severity "
            "scale)") in app.report
    # read as a pain log, the record nested in the workout is found too
    pain = canonical(path, "pain")[1]
    assert pain["pain"].tolist() == [2.0, 2.0] and pain["source_line"].tolist() == [1, 3]
    assert any(s.startswith("1 other health record is not read") for s in app.report)


def test_one_walk_from_two_sources_counted_once(tmp_path):
    path = write(tmp_path, export(
        # watch 10:00-10:30 and phone 10:05-10:32: 25 of the phone's 27 min overlap
        workout(duration="30"),
        workout(duration="27", source="Owner’s iPhone", start="2024-03-01 10:05:00 -0500",
                end="2024-03-01 10:32:00 -0500"),
        # 18:00-18:30 and 18:20-18:50: 10 of 30 min overlap, two walks
        workout(start="2024-03-01 18:00:00 -0500", end="2024-03-01 18:30:00 -0500"),
        workout(source="Owner’s iPhone", start="2024-03-01 18:20:00 -0500",
                end="2024-03-01 18:50:00 -0500"),
        # the same walk written twice by one source, and the same times in another zone
        workout(start="2024-03-02 07:00:00 -0500", end="2024-03-02 07:15:00 -0500",
                duration="15"),
        workout(start="2024-03-02 07:00:00 -0500", end="2024-03-02 07:15:00 -0500",
                duration="15"),
        workout(source="Strava", start="2024-03-02 13:00:00 +0100",
                end="2024-03-02 13:15:00 +0100", duration="15"),
    ))
    app, frame, problems = canonical(path)
    assert problems.empty
    # 1 Mar: 30 (phone copy dropped) + 30 + 30; 2 Mar: 15 once
    assert walk_days(frame) == {"2024-03-01": 90.0, "2024-03-02": 15.0}
    assert list(frame["source_line"]) == [1, 3, 4, 5]
    assert frame["notes"].iloc[0] == ("Apple Health walking workout (Owner’s Apple Watch); "
                                      "also recorded by Owner’s iPhone")
    assert frame["notes"].iloc[3].endswith("; also recorded by Strava; written twice in the export")
    assert "2 walks recorded by two sources counted once" in app.report
    assert "1 walk written twice in the export counted once" in app.report


def test_the_day_as_written(tmp_path):
    path = write(tmp_path, export(
        # crosses midnight: the day it started, all 30 minutes
        workout(start="2024-03-01 23:50:00 -0500", end="2024-03-02 00:20:00 -0500"),
        # 02:00 in India is 20:30 UTC the day before: still 2 March
        workout(start="2024-03-02 02:00:00 +0530", end="2024-03-02 02:20:00 +0530",
                duration="20"),
        # 22:00 at -0700 is 05:00 UTC the next day: still 3 March
        workout(start="2024-03-03 22:00:00 -0700", end="2024-03-03 22:10:00 -0700",
                duration="10"),
    ))
    app, frame, problems = canonical(path)
    assert problems.empty
    assert walk_days(frame) == {"2024-03-01": 30.0, "2024-03-02": 20.0, "2024-03-03": 10.0}
    assert list(frame["utc_offset_min"]) == [-300, 330, -420]
    assert list(frame["timestamp"]) == [pd.Timestamp("2024-03-01 23:50"),
                                        pd.Timestamp("2024-03-02 02:00"),
                                        pd.Timestamp("2024-03-03 22:00")]
    assert list(app.raw.frame[0]) == ["2024-03-01T23:50:00-05:00", "2024-03-02T02:00:00+05:30",
                                      "2024-03-03T22:00:00-07:00"]


def test_hikes_are_walks_other_types_are_counted(tmp_path):
    path = write(tmp_path, export(
        workout(kind="Hiking", duration="95", start="2024-03-01 09:00:00 -0500",
                end="2024-03-01 10:40:00 -0500"),
        workout(kind="Running"), workout(kind="Running"), workout(kind="Running"),
        workout(kind="Yoga"),
    ))
    app, frame, problems = canonical(path)
    assert walk_days(frame) == {"2024-03-01": 95.0}
    assert frame["notes"].iloc[0].startswith("Apple Health hiking workout")
    assert "1 hiking workout counted as a walk (hiking is walking)" in app.report
    assert "3 workouts of type Running are not part of the program" in app.report
    assert "1 workout of type Yoga is not part of the program" in app.report


def test_lower_back_pain_stays_on_apples_scale(tmp_path):
    path = write(tmp_path, export(
        back_pain("HKCategoryValueSeverityModerate"), back_pain("HKCategoryValueSeveritySevere"),
        back_pain("HKCategoryValueSeverityModerate", start="2024-03-02 23:30:00 -0500"),
        back_pain("HKCategoryValueSeverityNotPresent"),
        back_pain("HKCategoryValueSeverityUnspecified"),
        workout(),
    ))
    app, frame, problems = canonical(path, "pain")
    assert problems.empty
    assert app.raw.line_label == "Record element"
    # Record elements 1-4 read (the 5th, "present, severity not given", has no point)
    assert frame["source_line"].tolist() == [1, 2, 3, 4]
    assert frame["scale"].tolist() == ["apple_health"] * 4
    assert frame["pain"].tolist() == [2.0, 3.0, 2.0, 0.0]
    # 1 March (-05:00 as written): moderate 2, severe 3, not present 0 -> mean 5/3;
    # 2 March 23:30 -05:00 stays on 2 March: moderate 2
    from backrx_analysis.analysis.pain import pain_daily, scale_daily
    days = scale_daily(frame)
    assert days["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-01", "2024-03-02"]
    assert days["value_mean"].tolist() == pytest.approx([5 / 3, 2.0])
    assert pain_daily(frame).empty  # not 0-10 pain: no NRS rule applies
    assert app.report == [
        "4 lower-back-pain symptom samples (2 moderate, 1 not present, 1 severe) read on "
        "Apple Health's own severity scale (0 not present to 3 severe), not as 0-10 pain",
        "1 lower-back-pain sample is 'present, severity not given': no point on the scale, "
        "left out",
        "1 walking workout is not read into a pain log (they are walks)",
    ]
    sessions = canonical(path, "sessions", patient_id="ann")[1]
    assert walk_days(sessions) == {"2024-03-01": 30.0}
    assert sessions["patient_id"].eq("ann").all()


# -- files that cannot be read -----------------------------------------------------------


def refused(path, **kw) -> str:
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind="sessions", program=PROGRAM, **kw)
    err = info.value
    assert len(err.problems) == 1 and str(path) in err.problems["file"].item()
    return err.problems["problem"].item()


def test_truncated_and_joined_xml(tmp_path):
    text = export(workout(), workout(kind="Running"), workout())
    cut = write(tmp_path, text[: text.rindex("<Workout") + 30], "cut.xml")
    assert detect(cut) == "apple_health"
    msg = refused(cut)
    assert "truncated" in msg and "line 6" in msg and "after Workout element 2" in msg
    joined = write(tmp_path, text + text, "joined.xml")
    msg = refused(joined)
    assert "after the end of the export (</HealthData>)" in msg and "line 8" in msg
    broken = write(tmp_path, text.replace('durationUnit="min"', 'durationUnit="min', 1), "b.xml")
    assert "is not well-formed XML at line 4, column 105" in refused(broken)
    assert "is empty" in refused(write(tmp_path, "", "export.xml"))
    not_health = write(tmp_path, "<gpx><trk/></gpx>", "route.gpx")
    assert "not an Apple Health export: its root is <gpx>" in refused(not_health,
                                                                         source="apple_health")


def test_damaged_zips(tmp_path):
    good = tmp_path / "export.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as f:
        f.writestr("apple_health_export/export.xml",
                   export(*[workout(start=f"2024-03-{d:02d} 10:00:00 -0500",
                                    end=f"2024-03-{d:02d} 10:30:00 -0500") for d in range(1, 29)]))
    data = good.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    assert detect(cut) == "apple_health"  # from the local header's member name
    assert "damaged or incomplete zip" in refused(cut)
    # the central directory intact, the compressed bytes damaged
    flipped = bytearray(data)
    for i in range(60, 90):
        flipped[i] ^= 0xFF
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(flipped))
    msg = refused(bad)
    assert msg.startswith("cannot be unzipped (Error -3 while decompressing") and "damaged" in msg
    text = tmp_path / "export.zip"
    text.write_text("not a zip at all")
    assert detect(text) == "apple_health"  # by Apple's name, the content says nothing
    assert "is named .zip but is not a zip file" in refused(text)
    cda = tmp_path / "cda.zip"
    with zipfile.ZipFile(cda, "w") as f:
        f.writestr("apple_health_export/export_cda.xml", "<x/>")
    assert "should hold apple_health_export/export.xml; it holds none" in refused(cda)


def test_forced_source_and_wrong_arguments(tmp_path):
    unknown = write(tmp_path, "date,exercise\n2024-03-01,walk\n", "log.csv")
    assert "not an export of an app the kit reads (Apple Health, " in refused(unknown)
    with pytest.raises(ValueError, match="source must be one of 'apple_health', "):
        read_app(TCX, kind="sessions", source="runkeeper", program=PROGRAM)
    with pytest.raises(ValueError, match="kind must be"):
        read_app(TCX, kind="walks", program=PROGRAM)
    assert "file not found" in refused(tmp_path / "nothing.xml")
    forced = tmp_path / "renamed.bin"
    forced.write_bytes(TCX.read_bytes())
    assert read_app(forced, kind="sessions", source="apple_health", program=PROGRAM).raw.lines[0] == 2


def test_simulated_export_gives_the_walks_it_holds(tmp_path):
    from backrx_analysis.simulate.apple_health import write_apple_health_export

    made = write_apple_health_export(tmp_path / "export.xml", size_bytes=1_500_000, seed=3)
    app, frame, problems = canonical(made.path)
    assert problems.empty
    assert walk_days(frame) == {k: round(v, 6) for k, v in made.walk_minutes.items()}
    assert made.duplicate_walks > 0 and (
        f"{made.duplicate_walks} walk{'s' if made.duplicate_walks > 1 else ''} recorded by two "
        "sources counted once") in app.report
    assert dt.date.fromisoformat(min(walk_days(frame))) >= dt.date(2016, 1, 4)
