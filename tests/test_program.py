"""The prescription as data: defaults from PROGRAM.md, custom programs, program files."""

from __future__ import annotations

import pytest

import backrx_analysis as bx
from backrx_analysis.program import SESSION, WALK, Band, Exercise, Program, ProgramError


def test_default_program_matches_the_contract():
    p = bx.default_program()
    assert p.exercise_ids == ("ankle_pumps", "abdominal_bracing", "wall_squat",
                              "straight_leg_raise", "partial_curl_up")
    assert [e.target_reps for e in p.exercises] == [10] * 5
    assert [e.hold_s for e in p.exercises] == [None, 5, 5, 5, 1]
    assert p.per_side_ids == ("straight_leg_raise",)
    assert (p.exercise_minutes.low, p.exercise_minutes.high) == (10, 30)
    assert (p.walk_minutes.low, p.walk_minutes.high) == (10, 20)
    assert p.activity_ids[-2:] == (WALK, SESSION)
    assert p.pain.mcid_points == 2 and p.pain.mcid_fraction == pytest.approx(0.30)
    assert p.pain.baseline_days == 7 and p.pain.window == 7 and p.pain.flare_points == 2


@pytest.mark.parametrize(
    ("written", "expected"),
    [("SLR", "straight_leg_raise"), ("straight-leg raise", "straight_leg_raise"),
     ("Wall Sit", "wall_squat"), ("curl_up", "partial_curl_up"), ("CORE BRACE", "abdominal_bracing"),
     ("foot pumps", "ankle_pumps"), ("Treadmill walk", WALK), ("workout", SESSION),
     ("Abdominal Bracing", "abdominal_bracing"), ("jumping jacks", None)],
)
def test_resolve_aliases(written, expected):
    assert bx.default_program().resolve(written) == expected


def test_suggest_closest_human_names():
    assert bx.default_program().suggest("wal squat")[0] == "wall squat"
    assert bx.default_program().suggest("zzzz") == []


def test_custom_program_subset_and_changes():
    p = bx.default_program().subset(["wall_squat", "ankle_pumps"])
    assert p.exercise_ids == ("wall_squat", "ankle_pumps")
    q = p.with_changes(exercise_minutes=Band(15, 25))
    assert q.exercise_minutes.low == 15 and p.exercise_minutes.low == 10
    with pytest.raises(ProgramError, match="unknown exercise ids"):
        bx.default_program().subset(["planks"])


@pytest.mark.parametrize(
    "bad",
    [lambda: Exercise("Bad Id", "x"), lambda: Exercise("walk", "x"), lambda: Exercise("a", "x", target_reps=0),
     lambda: Band(30, 10), lambda: Program(exercises=()),
     lambda: Program(exercises=(Exercise("a", "A"), Exercise("a", "B"))),
     lambda: Program(exercises=(Exercise("a", "A", aliases=("x",)), Exercise("b", "B", aliases=("X",))))],
)
def test_invalid_programs_are_refused(bad):
    with pytest.raises(ProgramError):
        bad()


def test_names_fold_accents_and_the_names_abroad_resolve():
    from backrx_analysis.program import NAMES_ABROAD, default_program, normalize_name

    assert normalize_name("Übung") == "ubung" and normalize_name("Fußpumpe") == "fusspumpe"
    assert normalize_name("Élévation de la jambe tendue") == "elevationdelajambetendue"
    assert normalize_name("Straight-Leg Raise") == "straightlegraise"  # English as before
    prog = default_program()
    assert set(NAMES_ABROAD) <= set(prog.activity_ids)
    for activity, by_lang in NAMES_ABROAD.items():
        assert set(by_lang) <= {"de", "fr", "es", "nl", "it"}
        for names in by_lang.values():
            for name in names:
                assert prog.resolve(name) == activity, name
                assert prog.resolve(name.upper()) == activity, name
