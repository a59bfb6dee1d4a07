"""One row per patient: the summary by hand, its columns and dtypes, a period, empty logs,
a custom program."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_helpers import IDS, PAIN, SESSIONS
from factories import make_pain, make_sessions

from backrx_analysis.analysis.summary import summarize
from backrx_analysis.program import default_program


def test_summarize_by_hand():
    s = summarize(SESSIONS, PAIN).set_index("patient_id")
    assert s.index.tolist() == ["a", "b", "c"]
    a, b, c = s.loc["a"], s.loc["b"], s.loc["c"]
    # a: 1-4 March; pain ratings before and after do not stretch the span
    assert (a["start"], a["end"]) == (pd.Timestamp("2026-03-01"), pd.Timestamp("2026-03-04"))
    assert a["days"] == 4 and a["days_logged"] == 3
    assert a["fully_adherent_pct"] == 25.0
    assert a["wall_squat_met_pct"] == 50.0
    assert a["straight_leg_raise_met_pct"] == 50.0
    assert a["exercise_minutes_mean"] == 12.5  # (15 + 35) / 4
    assert a["minutes_in_range_pct"] == 25.0
    assert a["minutes_over_days"] == 1
    assert a["walk_met_pct"] == 25.0
    assert a["pain_baseline"] == 7.0
    assert a["pain_last7"] == 4.5  # 26 Feb - 4 March: 4 and 5
    assert a["pain_change"] == -2.5
    assert a["pain_change_pct"] == pytest.approx(-250 / 7)
    assert a["pain_status"] == "improved"
    assert a["flare_days"] == 0  # the flare of 10 March is outside the period
    assert a["longest_streak"] == 1 and a["current_streak"] == 0
    # b: sessions, no pain
    assert b["days"] == 1 and b["walk_met_pct"] == 100.0
    assert pd.isna(b["pain_baseline"]) and pd.isna(b["pain_status"])
    assert pd.isna(b["flare_days"])
    # c: pain, no sessions
    assert (c["start"], c["end"]) == (pd.Timestamp("2026-03-05"), pd.Timestamp("2026-03-06"))
    assert pd.isna(c["days"]) and pd.isna(c["fully_adherent_pct"])
    assert pd.isna(c["longest_streak"])
    assert c["pain_baseline"] == pytest.approx(4.05)
    assert c["pain_last7"] == pytest.approx(4.05)
    assert c["pain_status"] == "no_change"
    assert c["flare_days"] == 1


def test_summarize_columns_and_dtypes():
    s = summarize(SESSIONS, PAIN)
    assert list(s.columns) == [
        "patient_id", "start", "end", "days", "days_logged", "days_prescribed",
        "fully_adherent_pct",
        *[f"{i}_met_pct" for i in IDS], "exercise_minutes_mean", "minutes_in_range_pct",
        "minutes_over_days", "walk_met_pct", "pain_baseline", "pain_last7", "pain_change",
        "pain_change_pct", "pain_status", "flare_days", "current_streak", "longest_streak"]
    assert s["days"].dtype == "Int64"
    assert s["fully_adherent_pct"].dtype == "Float64"
    assert s["pain_status"].dtype == "category"
    assert s["start"].dtype == "datetime64[ns]"


def test_summarize_over_a_period():
    s = summarize(SESSIONS, PAIN, start="2026-03-02", end="2026-03-08").set_index("patient_id")
    assert (s["start"] == pd.Timestamp("2026-03-02")).all()
    assert (s["end"] == pd.Timestamp("2026-03-08")).all()
    assert s.loc["a", "days"] == 7 and s.loc["a", "days_logged"] == 2
    assert s.loc["a", "fully_adherent_pct"] == 0.0
    assert s.loc["a", "minutes_over_days"] == 1
    assert s.loc["b", "days"] == 7 and s.loc["b", "days_logged"] == 0  # 1 March is before
    assert s.loc["a", "pain_baseline"] == 7.0  # baseline of the whole pain log
    assert s.loc["a", "pain_last7"] == 4.5  # 2-8 March: 4 and 5
    assert s.loc["c", "pain_last7"] == pytest.approx(4.05)
    assert pd.isna(s.loc["c", "days"])


def test_summarize_with_empty_pain_or_sessions():
    s = summarize(SESSIONS, make_pain([]))
    assert s["patient_id"].tolist() == ["a", "b"]
    assert s["pain_baseline"].isna().all()
    s = summarize(make_sessions([]), PAIN)
    assert s["patient_id"].tolist() == ["a", "c"]
    assert s["days"].isna().all()
    a = s.set_index("patient_id").loc["a"]
    assert (a["start"], a["end"]) == (pd.Timestamp("2026-02-20"), pd.Timestamp("2026-03-10"))
    assert a["pain_last7"] == 7.0  # 4-10 March: 5 and 9
    assert a["flare_days"] == 2  # 22 Feb (8 against 6) and 10 March (9 against 4.5)


def test_summarize_with_a_custom_program():
    prog = default_program().subset(["wall_squat", "ankle_pumps"])
    s = summarize(SESSIONS, PAIN, program=prog).set_index("patient_id")
    assert [c for c in s.columns if c.endswith("_met_pct")] == [
        "wall_squat_met_pct", "ankle_pumps_met_pct", "walk_met_pct"]
    assert s.loc["a", "fully_adherent_pct"] == 25.0  # only 1 March has minutes in range
