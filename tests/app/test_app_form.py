"""The LogForm driven as a person would: set ``.value``, click save, then check what
was written."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import backrx_analysis as bx
from backrx_analysis.app import LogForm


def test_logform_appends_what_was_entered(tmp_path):
    s_path, p_path = tmp_path / "sessions.csv", tmp_path / "pain.csv"
    form = LogForm(s_path, p_path, today=dt.date(2026, 3, 2))
    form.time.value = "23:45"
    form.reps["wall_squat"].value = 8
    form.sets["wall_squat"].value = 2
    form.reps["partial_curl_up"].value = 0  # not done today
    form.side.value = "left"
    form.minutes.value = 18
    form.walk.value = 15
    form.pain.value = 4
    form.context.value = "evening"
    form.note.value = "stiff, better after the walk"
    form.save.click()
    assert "Saved to" in form.result.value, form.result.value
    s = bx.load_sessions(s_path)
    assert (s["date"] == pd.Timestamp("2026-03-02")).all()
    assert s["timestamp"].dt.strftime("%H:%M").unique().tolist() == ["23:45"]
    by_ex = s.set_index(s["exercise"].astype(str))
    assert by_ex.loc["wall_squat", "reps"] == 8 and by_ex.loc["wall_squat", "sets"] == 2
    assert "partial_curl_up" not in by_ex.index
    assert by_ex.loc["straight_leg_raise", "side"] == "left"
    assert by_ex.loc["session", "minutes"] == 18 and by_ex.loc["walk", "minutes"] == 15
    assert s["notes"].dropna().tolist() == ["stiff, better after the walk"]
    p = bx.load_pain(p_path)
    assert p["pain"].tolist() == [4.0] and p["context"].tolist() == ["evening"]
    # a second save appends; nothing before it changes
    before = s_path.read_bytes()
    form.save.click()
    assert s_path.read_bytes().startswith(before)
    assert len(bx.load_sessions(s_path)) == 2 * len(s)


def test_logform_refuses_bad_input_and_writes_nothing(tmp_path):
    s_path, p_path = tmp_path / "sessions.csv", tmp_path / "pain.csv"
    form = LogForm(s_path, p_path, today=dt.date(2026, 3, 2))
    form.time.value = "25:99"
    form.save.click()
    assert "Nothing was saved" in form.result.value
    assert not s_path.exists() and not p_path.exists()
    # said once, next to the Time box (every entry of the day carried it)
    assert form.time_problem.value.count("impossible date (hour must be in 0..23)") == 1
    assert "impossible date" not in form.result.value
    form.time.value = "08:00"
    for w in form.reps.values():
        w.value = 0
    form.rate_pain.value = False
    form.save.click()
    assert "Nothing to save" in form.result.value
    assert not s_path.exists()


# -- with a prescription history: the form proposes the day's version ---------------


def _rx() -> bx.Prescriptions:
    return bx.load_prescriptions(bx.sample_path("caseload_prescriptions"))


def _targets(form: LogForm) -> dict[str, int]:
    return {k: w.value for k, w in form.reps.items()}


def test_logform_proposes_the_patients_version_of_the_day_and_follows_the_day(tmp_path):
    rx = _rx()  # P04: v1 without wall squats, v2 (17 Mar) wall squats added, 12 reps
    form = LogForm(tmp_path / "s.csv", tmp_path / "p.csv", program=rx, patient_id="P04",
                   today=dt.date(2026, 3, 3))
    assert _targets(form) == {"ankle_pumps": 10, "abdominal_bracing": 10,
                              "straight_leg_raise": 10, "partial_curl_up": 10}
    assert "P04: prescription version 1, since 2 Mar 2026" in form.prescription.value
    assert form.walk.description == "Walk minutes (10\u201320 min)"
    form.day.value = dt.date(2026, 3, 20)
    assert _targets(form) == {"ankle_pumps": 12, "abdominal_bracing": 12, "wall_squat": 10,
                              "straight_leg_raise": 12, "partial_curl_up": 12}
    assert "version 2, since 17 Mar 2026" in form.prescription.value
    assert "wall squats added" in form.prescription.value
    assert form.walk.description == "Walk minutes (20\u201330 min)"
    labels = [row.children[0].value for row in form.exercises.children[1:]]
    assert labels[2] == "Wall squat (target 10, hold 5 s)"
    # what it proposes, saved as is, meets that day's version
    form.save.click()
    assert "Saved to" in form.result.value, form.result.value
    sessions = bx.load_sessions(tmp_path / "s.csv")
    assert set(sessions["patient_id"].astype(str)) == {"P04"}
    daily = bx.daily_adherence(sessions, program=rx)
    day = daily.set_index("date").loc[pd.Timestamp("2026-03-20")]
    assert day["version"] == 2 and day["exercises_met"] == day["exercises_prescribed"] == 5


def test_logform_on_a_day_outside_the_versions_weekdays(tmp_path):
    # P05 v3 (27 Mar): curl-ups dropped after a flare, Mon/Wed/Fri; 31 Mar is a Tuesday
    form = LogForm(tmp_path / "s.csv", tmp_path / "p.csv", program=_rx(), patient_id="P05",
                   today=dt.date(2026, 3, 31))
    assert "partial_curl_up" not in form.reps
    assert set(_targets(form).values()) == {15}
    text = form.prescription.value
    assert "version 3" in text and "Mon, Wed, Fri only" in text
    assert "nothing prescribed on Tues" in text and "after a flare" in text
    form.day.value = dt.date(2026, 4, 1)  # the Wednesday: the same version, no rebuild
    widget = form.reps["wall_squat"]
    form.day.value = dt.date(2026, 4, 3)
    assert form.reps["wall_squat"] is widget
    assert "nothing prescribed" not in form.prescription.value


def test_logform_without_the_patients_history_or_without_a_patient(tmp_path):
    rx = _rx()
    other = LogForm(tmp_path / "s.csv", tmp_path / "p.csv", program=rx, patient_id="P09",
                    today=dt.date(2026, 4, 1))
    assert _targets(other) == {e.id: e.target_reps for e in rx.default.exercises}
    assert "the default program" in other.prescription.value
    anyone = LogForm(tmp_path / "s.csv", tmp_path / "p.csv", program=rx,
                     today=dt.date(2026, 4, 1))
    assert list(anyone.reps) == list(rx.catalogue.exercise_ids)
    assert "patient_id=" in anyone.prescription.value
    plain = LogForm(tmp_path / "s.csv", tmp_path / "p.csv", today=dt.date(2026, 4, 1))
    assert plain.prescription.value == "" and len(plain.reps) == 5


def test_logform_before_the_first_version_says_so(tmp_path):
    rx = bx.load_prescriptions({"patient": [{"id": "A", "version": [
        {"start": "2026-03-09"}, {"start": "2026-03-23", "targets": {"ankle_pumps": 20}}]}]})
    form = LogForm(tmp_path / "s.csv", tmp_path / "p.csv", program=rx, patient_id="A",
                   today=dt.date(2026, 3, 2))
    assert "nothing prescribed before 9 Mar 2026" in form.prescription.value
    assert form.reps["ankle_pumps"].value == 20  # the latest version, as shown()
