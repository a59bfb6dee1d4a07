"""Entries that say an activity happened without its reps or minutes (an app such as
Daylio): unknown in the daily frame, never 0 and never the target; weekly
percentages leave those days out; a streak does not count them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import make_sessions

import backrx_analysis as bx
from backrx_analysis.analysis.adherence import daily_adherence, streaks, weekly_adherence
from backrx_analysis.errors import LogValidationError

FULL = [{"exercise": e, "reps": 10} for e in
        ("ankle_pumps", "abdominal_bracing", "wall_squat", "partial_curl_up")] + [
    {"exercise": "straight_leg_raise", "reps": 10, "side": "both"},
    {"exercise": "session", "minutes": 15.0}]


def day(rows, date="2026-03-02"):
    return [{"date": date, **r} for r in rows]


def test_an_unmeasured_walk_is_unknown_not_zero():
    d = daily_adherence(make_sessions(day([{"exercise": "walk", "measured": False}])))
    row = d.iloc[0]
    assert np.isnan(row["walk_minutes"])  # never 0
    assert row["walk_met"] is pd.NA  # never the target either
    assert pd.isna(row["walk_status"])
    assert row["unmeasured_entries"] == 1 and row["logged"]


def test_a_measured_walk_that_reaches_the_band_decides_it():
    # 12 known minutes reach 10: met, whatever the unmeasured walk was; the day's
    # total is still unknown (12 + an unknown walk)
    d = daily_adherence(make_sessions(day([{"exercise": "walk", "minutes": 12.0},
                                           {"exercise": "walk", "measured": False}])))
    assert bool(d.iloc[0]["walk_met"]) is True
    assert np.isnan(d.iloc[0]["walk_minutes"])
    # 6 known minutes and an unmeasured walk: it may or may not reach 10
    d = daily_adherence(make_sessions(day([{"exercise": "walk", "minutes": 6.0},
                                           {"exercise": "walk", "measured": False}])))
    assert d.iloc[0]["walk_met"] is pd.NA


def test_an_unmeasured_exercise_leaves_its_reps_and_the_day_unknown():
    rows = [r for r in FULL if r["exercise"] != "wall_squat"]
    rows.append({"exercise": "wall_squat", "measured": False})
    d = daily_adherence(make_sessions(day(rows))).iloc[0]
    assert d["reps_wall_squat"] is pd.NA and d["met_wall_squat"] is pd.NA
    assert bool(d["met_ankle_pumps"]) is True
    assert d["exercises_met"] == 4  # met for sure
    assert d["fully_adherent"] is pd.NA  # four met, one unknown, minutes in range
    # known to fall short elsewhere: not adherent, whatever the unknown was
    rows[0] = {"exercise": "ankle_pumps", "reps": 3}
    d = daily_adherence(make_sessions(day(rows))).iloc[0]
    assert bool(d["fully_adherent"]) is False


def test_an_unmeasured_routine_leaves_the_minutes_unknown():
    rows = [r for r in FULL if r["exercise"] != "session"] + [
        {"exercise": "session", "measured": False}]
    d = daily_adherence(make_sessions(day(rows))).iloc[0]
    assert np.isnan(d["exercise_minutes"]) and pd.isna(d["minutes_status"])
    assert d["fully_adherent"] is pd.NA


def test_known_days_keep_plain_dtypes():
    d = daily_adherence(make_sessions(day(FULL)))
    assert d["walk_met"].dtype == bool and d["fully_adherent"].dtype == bool
    assert (d["unmeasured_entries"] == 0).all()


def test_weekly_percentages_leave_unknown_days_out():
    # Mon 2 March: full dose and a 15-minute walk; Tue: an unmeasured walk only;
    # Wed: nothing. Walk met: Mon yes, Tue unknown, Wed no -> 1 of 2 known days = 50 %.
    rows = day(FULL + [{"exercise": "walk", "minutes": 15.0}]) + day(
        [{"exercise": "walk", "measured": False}], "2026-03-03") + day(
        [{"exercise": "walk", "minutes": 3.0}], "2026-03-04")
    daily = daily_adherence(make_sessions(rows))
    week = weekly_adherence(daily).iloc[0]
    assert week["days"] == 3
    assert week["walk_met_pct"] == pytest.approx(50.0)
    # fully adherent: Mon yes, Tue no (nothing done, minutes none: known), Wed no
    assert week["fully_adherent_pct"] == pytest.approx(100 / 3)
    s = streaks(daily).iloc[0]
    assert s["longest_streak"] == 1


def test_a_csv_entry_marked_not_measured_loads(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("date,exercise,minutes,measured\n2026-03-02,walk,,no\n2026-03-02,walk,12,\n"
                 "2026-03-03,walk,,yes\n2026-03-04,walk,,perhaps\n", encoding="utf-8")
    with pytest.raises(LogValidationError) as err:
        bx.load_sessions(p)
    probs = err.value.problems
    # line 4: measured yes (the default) and no minutes: a walk needs its minutes;
    # line 5: "perhaps" is not yes or no (and the walk then needs minutes too)
    assert sorted(probs["line"].tolist()) == [4, 5, 5]
    assert "not yes or no" in " ".join(probs["problem"])
    p.write_text("date,exercise,minutes,measured\n2026-03-02,walk,,no\n2026-03-02,walk,12,\n",
                 encoding="utf-8")
    s = bx.load_sessions(p)
    assert s["measured"].tolist() == [False, True]
    assert bool(bx.daily_adherence(s).iloc[0]["walk_met"]) is True
