"""Program files (program_file.load_program): TOML and YAML, the exercises and their
targets, the minute bands, and a clinic's own thresholds in [pain] and [outcomes]."""

from __future__ import annotations

import pytest

import backrx_analysis as bx
from backrx_analysis.analysis.outcomes import outcomes_trend
from backrx_analysis.program import Band, ProgramError


def test_program_from_toml_and_yaml(tmp_path):
    t = tmp_path / "p.toml"
    t.write_text('exercise_minutes = [15, 30]\nexercises = ["ankle_pumps", "wall_squat"]\n'
                 "[targets]\nwall_squat = 8\n")
    p = bx.load_program(t)
    assert p.exercise_ids == ("ankle_pumps", "wall_squat")
    assert p.exercise("wall_squat").target_reps == 8
    assert p.exercise_minutes == Band(15, 30)
    y = tmp_path / "p.yaml"
    y.write_text("walk_minutes: [20, 40]\ntargets:\n  straight_leg_raise: 12\n")
    q = bx.load_program(y)
    assert q.walk_minutes == Band(20, 40) and q.exercise("straight_leg_raise").target_reps == 12


@pytest.mark.parametrize(
    ("text", "match"),
    [("colour = 1\n", "unknown settings"), ("[targets]\nplank = 3\n", "unknown exercises"),
     ("exercise_minutes = 5\n", "must be \\[low, high\\]"), ("exercise_minutes = [\n", "cannot read")],
)
def test_bad_program_files_say_what_is_wrong(tmp_path, text, match):
    t = tmp_path / "p.toml"
    t.write_text(text)
    with pytest.raises(ProgramError, match=match):
        bx.load_program(t)


def test_a_clinics_own_thresholds(tmp_path):
    t = tmp_path / "clinic.toml"
    t.write_text("[pain]\nmcid_points = 1.5\nwindow = 5\n"
                 "[outcomes]\nodi_points = 8\nrmdq_fraction = 0.25\nodi_max_missing = 2\n")
    p = bx.load_program(t)
    assert (p.pain.mcid_points, p.pain.window, p.pain.mcid_fraction) == (1.5, 5, 0.30)
    assert isinstance(p.pain.window, int)
    assert (p.outcomes.odi_points, p.outcomes.rmdq_fraction, p.outcomes.odi_max_missing,
            p.outcomes.rmdq_points) == (8.0, 0.25, 2, 5.0)
    y = tmp_path / "clinic.yaml"
    y.write_text("outcomes:\n  psfs_points: 3\n")
    assert bx.load_program(y).outcomes.psfs_points == 3.0


def test_the_thresholds_are_the_ones_the_scores_use(tmp_path):
    """ODI 56 -> 50 is 6 points (10.7 %): no change by the default 10 points or 30 %,
    improved by a clinic's 6 points."""
    sheet = tmp_path / "odi.csv"
    cols = ",".join(f"odi_{i}" for i in range(1, 11))
    sheet.write_text(f"date,{cols}\n2026-03-02,3,3,3,3,3,3,2,3,3,2\n"  # 28/50 = 56 %
                     f"2026-03-30,3,3,3,3,3,3,2,3,3,\n")  # 26/45 = 57.8 %: not a change
    sheet.write_text(sheet.read_text() + "2026-04-20,3,3,2,2,3,3,2,2,2,3\n")  # 25/50 = 50 %
    outcomes = bx.load_outcomes(sheet)
    default = outcomes_trend(outcomes)
    assert default["status"].astype("string").fillna("").tolist() == ["", "no_change",
                                                                      "no_change"]
    t = tmp_path / "clinic.toml"
    t.write_text("[outcomes]\nodi_points = 6\n")
    clinic = outcomes_trend(outcomes, program=bx.load_program(t))
    assert clinic["status"].astype("string").fillna("").tolist() == ["", "no_change",
                                                                     "improved"]


@pytest.mark.parametrize(
    ("text", "match"),
    [("[pain]\nfoo = 1\n", "unknown pain setting 'foo'; accepted: baseline_days"),
     ("[pain]\nwindow = 2.5\n", "pain.window = 2.5: must be a whole number >= 1"),
     ("[pain]\nwindow = 0\n", "pain.window = 0: must be a whole number >= 1"),
     ("[pain]\nscale_min = 10\n", "scale_min \\(10\\) must be below"),
     ("[outcomes]\nodi_fraction = 30\n", "odi_fraction = 30: must be a fraction"),
     ("[outcomes]\nodi_points = 'ten'\n", "odi_points = 'ten': must be a number"),
     ("[outcomes]\nodi_points = true\n", "must be a number"),
     ("outcomes = 3\n", "outcomes must be a table")],
)
def test_bad_thresholds_say_what_is_wrong(tmp_path, text, match):
    t = tmp_path / "p.toml"
    t.write_text(text)
    with pytest.raises(ProgramError, match=match):
        bx.load_program(t)


def test_every_threshold_problem_at_once(tmp_path):
    t = tmp_path / "p.toml"
    t.write_text("[pain]\nwindow = 2.5\nfoo = 1\n[outcomes]\nodi_fraction = 30\n"
                 "odi_max_missing = 0\n")
    with pytest.raises(ProgramError) as err:
        bx.load_program(t)
    text = str(err.value)
    assert "foo" in text and "pain.window" in text and "odi_fraction" in text
    assert "odi_max_missing" not in text  # 0 sections missing allowed is a rule too
