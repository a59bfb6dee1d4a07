"""The prescription history file (issue 12): the issue's example loads as written, in
TOML, YAML, a dict and a frame; every problem of a bad file is reported at once, with
its line; the version in force on chosen days."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.errors import LogFormatError, LogValidationError
from backrx_analysis.prescription_file import load_prescriptions
from backrx_analysis.program import Band, default_program

D = dt.date
IDS = ("ankle_pumps", "abdominal_bracing", "wall_squat", "straight_leg_raise", "partial_curl_up")

#: the issue's example, as written there
EXAMPLE_TOML = """\
[[patient]]
id = "P01"

  [[patient.version]]
  start = 2026-03-02
  why = "early recovery: the default program"

  [[patient.version]]
  start = 2026-03-16
  by = "physio"
  why = "progressed: 10 reps easy, pain stable"
  targets = { ankle_pumps = 15, abdominal_bracing = 15, wall_squat = 12, straight_leg_raise = 12, partial_curl_up = 15 }
  walk_minutes = [20, 30]

  [[patient.version]]
  start = 2026-03-30
  why = "curl-ups dropped after a flare; three days a week"
  exercises = ["ankle_pumps", "abdominal_bracing", "wall_squat", "straight_leg_raise"]
  days = ["Mon", "Wed", "Fri"]
"""

EXAMPLE_YAML = """\
patient:
  - id: P01
    version:
      - start: 2026-03-02
        why: "early recovery: the default program"
      - start: 2026-03-16
        by: physio
        why: "progressed: 10 reps easy, pain stable"
        targets: {ankle_pumps: 15, abdominal_bracing: 15, wall_squat: 12,
                  straight_leg_raise: 12, partial_curl_up: 15}
        walk_minutes: [20, 30]
      - start: 2026-03-30
        why: "curl-ups dropped after a flare; three days a week"
        exercises: [ankle_pumps, abdominal_bracing, wall_squat, straight_leg_raise]
        days: [Mon, Wed, Fri]
"""

EXAMPLE_DICT = {"patient": [{"id": "P01", "version": [
    {"start": D(2026, 3, 2), "why": "early recovery: the default program"},
    {"start": "2026-03-16", "by": "physio", "why": "progressed: 10 reps easy, pain stable",
     "targets": {"ankle_pumps": 15, "abdominal_bracing": 15, "wall_squat": 12,
                 "straight_leg_raise": 12, "partial_curl_up": 15},
     "walk_minutes": [20, 30]},
    {"start": "2026-03-30", "why": "curl-ups dropped after a flare; three days a week",
     "exercises": ["ankle_pumps", "abdominal_bracing", "wall_squat", "straight_leg_raise"],
     "days": ["Mon", "Wed", "Fri"]},
]}]}

V2_CHANGES = ("ankle pumps 10 -> 15 reps; abdominal bracing 10 -> 15 reps; wall squat 10 -> 12 "
              "reps; straight leg raise 10 -> 12 reps per leg; partial curl-up 10 -> 15 reps; "
              "walk 10-20 -> 20-30 min")


def _write(tmp_path, text, name="prescriptions.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path, text, name="prescriptions.toml"):
    with pytest.raises(LogValidationError) as info:
        load_prescriptions(_write(tmp_path, text, name))
    return info.value.problems


def _targets(version):
    return {e.id: e.target_reps for e in version.program.exercises}


def _check_example(rx):
    v1, v2, v3 = rx.versions("P01")
    default = default_program()
    assert [v.number for v in (v1, v2, v3)] == [1, 2, 3]
    assert [v.start for v in (v1, v2, v3)] == [D(2026, 3, 2), D(2026, 3, 16), D(2026, 3, 30)]
    assert v1.program == default and v1.days is None and v1.end is None
    assert v1.changes == "the default program"
    assert v1.why == "early recovery: the default program" and v1.by == ""
    assert _targets(v2) == dict(zip(IDS, (15, 15, 12, 12, 15), strict=True))
    assert v2.program.walk_minutes == Band(20, 30)
    assert v2.program.exercise_minutes == default.exercise_minutes
    assert v2.by == "physio" and v2.changes == V2_CHANGES
    assert v3.program.exercise_ids == IDS[:4]
    assert _targets(v3) == dict(zip(IDS[:4], (15, 15, 12, 12), strict=True))
    assert v3.program.walk_minutes == Band(20, 30)  # carried over from version 2
    assert v3.days == frozenset({0, 2, 4})
    assert v3.changes == "dropped: partial curl-up; Mon, Wed, Fri only"


def test_the_issues_example_loads_as_written(tmp_path):
    rx = bx.load_prescriptions(_write(tmp_path, EXAMPLE_TOML))
    assert isinstance(rx, bx.Prescriptions) and isinstance(rx.versions("P01")[0], bx.Version)
    assert rx.source.endswith("prescriptions.toml")
    _check_example(rx)
    assert rx.versions("P99") == ()  # not in the file: the default program applies


def test_the_same_in_yaml(tmp_path):
    _check_example(load_prescriptions(_write(tmp_path, EXAMPLE_YAML, "rx.yaml")))


def test_the_same_as_a_dict():
    _check_example(load_prescriptions(EXAMPLE_DICT))


def test_the_same_as_a_frame():
    frame = pd.DataFrame({
        "patient_id": ["P01", "P01", "P01"],
        "start": pd.to_datetime(["2026-03-02", "2026-03-16", "2026-03-30"]),
        "end": [None, None, pd.NaT],
        "by": [None, "physio", ""],
        "why": ["early recovery: the default program", "progressed: 10 reps easy, pain stable",
                "curl-ups dropped after a flare; three days a week"],
        "exercises": [None, None, "ankle_pumps | abdominal_bracing | wall_squat | straight_leg_raise"],
        "targets": [None, "ankle_pumps=15 | abdominal_bracing=15 | wall_squat=12 | "
                    "straight_leg_raise=12 | partial_curl_up=15", None],
        "walk_minutes": [None, "20 | 30", None],
        "days": [None, None, ["Mon", "Wed", "Fri"]],
    })
    _check_example(load_prescriptions(frame))


def test_a_frame_names_its_rows_and_columns():
    frame = pd.DataFrame({"patient_id": ["P01", None], "start": ["2026-03-02", "2026-03-09"],
                          "sets": [3, 3], "walk_minutes": ["30-20", None]})
    with pytest.raises(LogValidationError) as info:
        load_prescriptions(frame)
    p = info.value.problems
    assert p["file"].eq("<DataFrame>").all()
    assert p["column"].tolist() == ["sets", "walk_minutes", "patient_id"]
    assert p["line"].tolist()[1:] == [1, 2]
    assert "reps x sets" in p["problem"][0]
    assert "row 1, column 'walk_minutes'" in str(info.value)


def test_a_frame_without_its_start_column_says_so_once():
    with pytest.raises(LogValidationError) as info:
        load_prescriptions(pd.DataFrame({"patient_id": ["P01", "P02"], "begin": ["2026-03-02"] * 2}))
    p = info.value.problems
    assert p["column"].tolist() == ["begin", "start"]
    assert "the column 'start' is missing" in p["problem"][1]


def test_two_patients_in_one_file(tmp_path):
    text = EXAMPLE_TOML + """
[[patient]]
id = "P02"
  [[patient.version]]
  start = 2026-03-05
  exercises = ["Wall Slide", "SLR"]
  targets = { wall_squat = 8 }
  exercise_minutes = [15, 25]
  days = ["monday", "THURSDAY", "sat"]
"""
    rx = load_prescriptions(_write(tmp_path, text))
    _check_example(rx)
    (v,) = rx.versions("P02")
    assert _targets(v) == {"wall_squat": 8, "straight_leg_raise": 10}
    assert v.program.exercise_minutes == Band(15, 25) and v.days == frozenset({0, 3, 5})
    assert v.changes == ("wall squat 10 -> 8 reps; exercise 10-30 -> 15-25 min; dropped: ankle "
                         "pumps, abdominal bracing, partial curl-up; Mon, Thu, Sat only")


def test_an_exercise_dropped_earlier_comes_back_with_its_default_definition():
    rx = load_prescriptions({"patient": [{"id": "P01", "version": [
        {"start": "2026-03-02", "targets": {"wall_squat": 12, "partial_curl_up": 15}},
        {"start": "2026-03-09", "exercises": ["wall_squat"]},
        {"start": "2026-03-16", "exercises": ["partial_curl_up", "wall_squat"],
         "days": "every day"},
    ]}]})
    v1, v2, v3 = rx.versions("P01")
    assert v1.changes == "wall squat 10 -> 12 reps; partial curl-up 10 -> 15 reps"
    assert _targets(v2) == {"wall_squat": 12}
    assert _targets(v3) == {"wall_squat": 12, "partial_curl_up": 10}  # catalogue order, default
    assert v3.changes == "added: partial curl-up (10 reps)" and v3.days is None


def test_days_carry_over_until_changed_and_a_version_may_change_nothing():
    rx = load_prescriptions({"patient": [{"id": "P01", "version": [
        {"start": "2026-03-02", "days": "Mon, Wed, Fri"},
        {"start": "2026-03-09", "why": "review"},
        {"start": "2026-03-16", "days": ["every day"]},
    ]}]})
    v1, v2, v3 = rx.versions("P01")
    assert v1.days == v2.days == frozenset({0, 2, 4}) and v3.days is None
    assert (v1.changes, v2.changes, v3.changes) == ("Mon, Wed, Fri only", "no change", "every day")


def test_another_default_program_is_where_the_first_version_starts():
    base = default_program().subset(["wall_squat", "ankle_pumps"])
    rx = load_prescriptions({"patient": [{"id": "P01", "version": [{"start": "2026-03-02"}]}]},
                            default=base)
    assert rx.default is base and rx.versions("P01")[0].program == base


# -- in force ------------------------------------------------------------------------


def test_in_force_on_chosen_days(tmp_path):
    text = EXAMPLE_TOML + """
[[patient]]
id = "P02"
  [[patient.version]]
  start = 2026-03-05
  end = 2026-03-20
"""
    rx = load_prescriptions(_write(tmp_path, text))
    assert rx.in_force("P01", D(2026, 3, 1)) is None  # the day before version 1
    assert rx.in_force("P01", D(2026, 3, 2)).number == 1
    assert rx.in_force("P01", D(2026, 3, 29)).number == 2  # version 2's last day
    assert rx.in_force("P01", D(2026, 3, 30)).number == 3
    assert rx.in_force("P01", D(2027, 1, 1)).number == 3  # no end: for good
    assert rx.in_force("P02", D(2026, 3, 20)).number == 1
    assert rx.in_force("P02", D(2026, 3, 21)) is None  # after its end, no next version


# -- problems: one test per kind, then all of a bad file at once ---------------------

HEAD = '[[patient]]\nid = "P01"\n  [[patient.version]]\n  start = 2026-03-02\n'


@pytest.mark.parametrize(
    ("body", "line", "column", "value", "words"),
    [
        # versions out of order
        ('  [[patient.version]]\n  start = 2026-02-20\n', 6, "start", "2026-02-20",
         "starts before version 1"),
        # two versions with the same start
        ('  [[patient.version]]\n  start = 2026-03-02\n', 6, "start", "2026-03-02",
         "same day as version 1"),
        # an end on or after the next start: the earlier version's end is named
        ('  end = 2026-03-09\n  [[patient.version]]\n  start = 2026-03-09\n', 5, "end",
         "2026-03-09", "on or after version 2 starts"),
        ('  end = 2026-03-01\n', 5, "end", "2026-03-01", "before it starts"),
        # an exercise no one knows, with close names
        ('  exercises = ["ankle_pumps", "wal squat"]\n', 5, "exercises", "wal squat",
         "did you mean wall squat?"),
        ('  exercises = ["walking"]\n', 5, "exercises", "walking", "set with walk_minutes"),
        # targets for an exercise not in the version
        ('  exercises = ["wall_squat"]\n  targets = { ankle_pumps = 12 }\n', 6, "targets",
         "ankle_pumps", "does not prescribe it; prescribed: wall_squat"),
        ('  targets = { planks = 12 }\n', 5, "targets", "planks", "no exercise is called"),
        # a target that is not a whole number >= 1
        ('  targets = { wall_squat = 12.5 }\n', 5, "targets", "12.5", "whole number"),
        ('  [patient.version.targets]\n  ankle_pumps = 10\n  wall_squat = 0\n', 7, "targets", "0",
         "1 or more"),
        ('  targets = { wall_squat = "ten" }\n', 5, "targets", "ten", "whole number"),
        # a band with low > high, or not two numbers
        ('  walk_minutes = [30, 20]\n', 5, "walk_minutes", "[30, 20]", "low 30 above high 20"),
        ('  exercise_minutes = [10]\n', 5, "exercise_minutes", "[10]", "two numbers"),
        ('  exercise_minutes = "10-30"\n', 5, "exercise_minutes", "10-30", "[low, high]"),
        # an unknown weekday
        ('  days = ["Mon", "Wdn"]\n', 5, "days", "Wdn", "unknown weekday"),
        ('  days = []\n', 5, "days", "[]", "list of weekdays"),
        # a version with no exercises left
        ('  exercises = []\n', 5, "exercises", "[]", "no exercises left"),
        # unknown keys, with the accepted ones
        ('  sets = 3\n', 5, "sets", "3", "reps x sets"),
        ('  walk_minute = [20, 30]\n', 5, "walk_minute", "[20, 30]", "did you mean 'walk_minutes'"),
        # a start that is not a date
        ('  [[patient.version]]\n  start = "2026-13-01"\n', 6, "start", "2026-13-01", "YYYY-MM-DD"),
    ],
)
def test_each_problem_names_line_column_value_and_what_is_accepted(
        tmp_path, body, line, column, value, words):
    p = _problems(tmp_path, HEAD + body)
    assert len(p) == 1, p.to_string()
    row = p.iloc[0]
    assert (row["line"], row["column"], row["value"]) == (line, column, value)
    assert words in row["problem"]


def test_unknown_keys_list_the_accepted_ones(tmp_path):
    (problem,) = _problems(tmp_path, HEAD + "  sets = 3\n")["problem"]
    assert problem.endswith("accepted: start, end, by, why, exercises, targets, exercise_minutes, "
                            "walk_minutes, days, name")


def test_a_patient_listed_twice(tmp_path):
    p = _problems(tmp_path, HEAD + "\n" + HEAD)
    assert p[["line", "column", "value"]].values.tolist() == [[7, "id", "P01"]]
    assert "listed twice (first at line 2)" in p["problem"][0]


def test_a_missing_id_or_start(tmp_path):
    p = _problems(tmp_path, '[[patient]]\n  [[patient.version]]\n  why = "x"\n')
    assert p[["line", "column"]].values.tolist() == [[1, "id"], [2, "start"]]
    assert "has no id" in p["problem"][0] and "has no start" in p["problem"][1]


def test_a_patient_without_versions_and_keys_in_the_wrong_place(tmp_path):
    p = _problems(tmp_path, '[[patient]]\nid = "P01"\nstart = 2026-03-02\n')
    assert p[["line", "column"]].values.tolist() == [[1, "version"], [3, "start"]]
    assert "belongs to a version" in p["problem"][1]


def test_every_problem_of_a_bad_file_at_once_with_its_line(tmp_path):
    text = """\
[[patient]]
id = "P01"
  [[patient.version]]
  start = 2026-03-02
  end = 2026-03-20
  sets = 3
  walk_minutes = [30, 20]
  [[patient.version]]
  start = 2026-03-16
  exercises = ["ankle_pumps", "wal squat"]
  targets = { ankle_pumps = 12.5 }
  days = ["Mon", "Wdn"]
  [[patient.version]]
  start = 2026-03-10
  exercises = []

[[patient]]
id = "P01"
  [[patient.version]]
  why = "no start"
"""
    p = _problems(tmp_path, text)
    assert p["line"].tolist() == [5, 6, 7, 10, 11, 12, 14, 15, 18, 19]
    assert p["column"].tolist() == ["end", "sets", "walk_minutes", "exercises", "targets", "days",
                                    "start", "exercises", "id", "start"]
    assert p["file"].str.endswith("prescriptions.toml").all()


def test_yaml_problems_name_their_lines(tmp_path):
    text = EXAMPLE_YAML + """\
  - id: P02
    version:
      - start: 2026-03-02
        targets:
          wall_squat: 0
        days: [Mon, Sonday]
  - id: P01
    version:
      - start: 2026-03-02
"""
    p = _problems(tmp_path, text, "rx.yml")
    assert p[["line", "column", "value"]].values.tolist() == [
        [20, "targets", "0"], [21, "days", "Sonday"], [22, "id", "P01"]]


def test_a_dict_problem_has_no_line():
    with pytest.raises(LogValidationError) as info:
        load_prescriptions({"patient": [{"id": "P01", "version": [{"start": "2026-03-02",
                                                                   "days": ["Funday"]}]}]})
    p = info.value.problems
    assert p["file"].tolist() == ["<dict>"] and p["line"].isna().all()
    assert "P01 version 1: unknown weekday 'Funday'" in str(info.value)


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [("rx.toml", '[[patient]]\nid = "P01\n', "not valid TOML"),
     ("rx.yaml", "patient:\n  - id: P01\n    version: [\n", "not valid YAML at line 4"),
     ("rx.toml", "", "no [[patient]] table"),
     ("rx.yaml", "", "got an empty file"),
     ("rx.json", "{}", "ends in .toml, .yaml or .yml")],
)
def test_a_file_that_cannot_be_read_is_a_format_error(tmp_path, name, text, words):
    with pytest.raises(LogFormatError) as info:
        load_prescriptions(_write(tmp_path, text, name))
    assert words in str(info.value)


def test_a_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(LogFormatError, match="file not found"):
        load_prescriptions(tmp_path / "nope.toml")


def test_the_docs_examples_load_as_shown(tmp_path):
    """docs/prescriptions.md: its first TOML block is the issue's example; its bad file is
    refused with the lines the page shows."""

    page = (Path(__file__).resolve().parents[1] / "docs" / "prescriptions.md").read_text("utf-8")
    good, bad = re.findall(r"```toml\n(.*?)```", page, flags=re.S)
    assert good == EXAMPLE_TOML
    _check_example(load_prescriptions(_write(tmp_path, good)))
    shown = re.search(r"is refused with\n\n```\n(.*?)```", page, flags=re.S).group(1)
    with pytest.raises(LogValidationError) as info:
        load_prescriptions(_write(tmp_path, bad))
    assert str(info.value).replace(f"{tmp_path}/", "").strip() == shown.strip()
