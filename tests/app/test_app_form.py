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
    form.time.value = "08:00"
    for w in form.reps.values():
        w.value = 0
    form.rate_pain.value = False
    form.save.click()
    assert "Nothing to save" in form.result.value
    assert not s_path.exists()
