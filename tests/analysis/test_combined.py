"""Adherence and pain together: the joined frame, the lagged association, the summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import make_pain, make_sessions
from scipy import stats

from backrx_analysis.analysis.adherence import daily_adherence
from backrx_analysis.analysis.combined import (
    MIN_PAIRED_DAYS,
    InsufficientDataError,
    adherence_vs_pain,
    lagged_association,
)
from backrx_analysis.analysis.pain import pain_daily, pain_trend
from backrx_analysis.analysis.summary import summarize
from backrx_analysis.program import default_program

IDS = default_program().exercise_ids


def full_dose(date, minutes=15.0, patient="a"):
    rows = [{"patient_id": patient, "date": date, "exercise": i, "reps": 10} for i in IDS]
    rows.append({"patient_id": patient, "date": date, "exercise": "session",
                 "minutes": minutes})
    return rows


def pain_rows(pairs, patient="a"):
    return [{"patient_id": patient, "date": d, "pain": v} for d, v in pairs]


SESSIONS = make_sessions([
    *full_dose("2026-03-01"),  # fully adherent
    *full_dose("2026-03-02", minutes=35.0),  # every exercise met, minutes over
    # 3 March: nothing logged
    {"patient_id": "a", "date": "2026-03-04", "exercise": "walk", "minutes": 12.0},
    {"patient_id": "b", "date": "2026-03-01", "exercise": "walk", "minutes": 10.0},
])
PAIN = make_pain([
    # a: baseline over 20-26 Feb = (6 + 8) / 2 = 7; 10 March is after the session log
    *pain_rows([("2026-02-20", 6.0), ("2026-02-22", 8.0), ("2026-03-02", 4.0),
                ("2026-03-04", 5.0), ("2026-03-10", 9.0)]),
    # c: pain only; 5.1 is a flare on 6 March (2.1 above 3.0)
    *pain_rows([("2026-03-05", 3.0), ("2026-03-06", 5.1)], patient="c"),
])


# -- adherence_vs_pain ---------------------------------------------------------------


def test_adherence_vs_pain_outer_join_on_one_time_axis():
    daily = daily_adherence(SESSIONS)
    both = adherence_vs_pain(daily, PAIN)
    a = both[both["patient_id"] == "a"]
    assert a["date"].min() == pd.Timestamp("2026-02-20")
    assert a["date"].max() == pd.Timestamp("2026-03-10")
    assert len(a) == 19
    assert a["in_adherence_span"].sum() == 4
    assert a["in_pain_span"].all()
    inside = a[a["in_adherence_span"]]
    assert inside["fully_adherent"].tolist() == [True, False, False, False]
    outside = a[~a["in_adherence_span"]]
    assert outside["fully_adherent"].isna().all()  # not "not adherent": unknown
    assert outside["reps_wall_squat"].isna().all()
    assert both["fully_adherent"].dtype == "boolean"
    assert both["reps_wall_squat"].dtype == "Int64"
    assert a.set_index("date").loc["2026-03-04", "rolling_mean"] == 4.5
    b = both[both["patient_id"] == "b"]
    assert b["in_adherence_span"].tolist() == [True]
    assert b["in_pain_span"].tolist() == [False]
    assert b["pain_mean"].isna().all()
    assert both["patient_id"].tolist() == sorted(both["patient_id"])
    assert not both.duplicated(["patient_id", "date"]).any()


def test_adherence_vs_pain_accepts_a_pain_trend():
    daily = daily_adherence(SESSIONS)
    trend = pain_trend(PAIN, window=3)
    both = adherence_vs_pain(daily, trend)
    a = both[both["patient_id"] == "a"].set_index("date")
    assert a.loc["2026-03-04", "rolling_mean"] == 4.5  # 2-4 March
    assert np.isnan(a.loc["2026-03-07", "rolling_mean"])  # 5-7 March: no rating
    assert a.loc["2026-03-10", "rolling_mean"] == 9.0


# -- lagged association ----------------------------------------------------------


def _dose_and_pain(patient, n_days, minutes, met, pain, lag_days=1):
    """Sessions with given exercise minutes and number of exercises met per day, and
    a pain rating ``lag_days`` after each day."""
    start = pd.Timestamp("2026-03-01")
    rows, prows = [], []
    for i in range(n_days):
        d = start + pd.Timedelta(days=i)
        rows.append({"patient_id": patient, "date": d, "exercise": "session",
                     "minutes": float(minutes[i])})
        rows += [{"patient_id": patient, "date": d, "exercise": ex, "reps": 10}
                 for ex in IDS[: met[i]]]
        prows.append({"patient_id": patient, "date": d + pd.Timedelta(days=lag_days),
                      "pain": float(pain[i])})
    return rows, prows


def test_lagged_association_matches_scipy():
    rng = np.random.default_rng(7)
    minutes = rng.integers(0, 40, 20)
    met = rng.integers(0, 6, 20)
    pain = rng.integers(0, 11, 20)
    rows, prows = _dose_and_pain("x", 20, minutes, met, pain)
    # y: pain falls as minutes rise; met count does not change
    rows_y, prows_y = _dose_and_pain("y", 15, np.arange(15), [5] * 15, 9 - np.arange(15) * 0.5)
    daily = daily_adherence(make_sessions(rows + rows_y))
    got = lagged_association(daily, make_pain(prows + prows_y), lag=1)
    assert got["patient_id"].tolist() == ["x", "x", "y", "y"]
    assert got["dose"].tolist() == ["exercise_minutes", "exercises_met"] * 2
    assert got["lag"].tolist() == [1] * 4
    # x: the session log spans 20 days, pain is on days 2-21 -> 20 pairs
    assert got["n"].tolist() == [20, 20, 15, 15]
    for i, dose in enumerate((minutes, met)):
        ref = stats.spearmanr(dose, pain)
        assert got.loc[i, "rho"] == pytest.approx(ref.statistic, abs=1e-12)
        assert got.loc[i, "p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert got.loc[2, "rho"] == pytest.approx(-1.0)
    assert got.loc[2, "p_value"] == pytest.approx(0.0, abs=1e-12)
    assert np.isnan(got.loc[3, "rho"]) and np.isnan(got.loc[3, "p_value"])  # constant dose


def test_lag_is_in_calendar_days():
    rows, prows = _dose_and_pain("x", 20, np.arange(20), [1] * 20, np.arange(20), lag_days=2)
    daily = daily_adherence(make_sessions(rows))
    pain = make_pain(prows)
    two = lagged_association(daily, pain, lag=2)
    assert two["n"].tolist() == [20, 20]
    assert two.loc[0, "rho"] == pytest.approx(1.0)
    # pain is on days 3-22: with lag 1, dose days 2-20 have pain the next day
    one = lagged_association(daily, pain_daily(pain), lag=1)
    assert one["n"].tolist() == [19, 19]
    assert one.loc[0, "rho"] == pytest.approx(1.0)  # pain is still dose + 1 ranks


def test_too_few_paired_days_is_a_clear_error():
    rows, prows = _dose_and_pain("short", 13, np.arange(13), [1] * 13, np.arange(13))
    rows2, prows2 = _dose_and_pain("long", 20, np.arange(20), [1] * 20, np.arange(20))
    daily = daily_adherence(make_sessions(rows + rows2))
    with pytest.raises(InsufficientDataError) as err:
        lagged_association(daily, make_pain(prows + prows2))
    msg = str(err.value)
    assert "at least 14 paired days" in msg
    assert "patient 'short' has 13" in msg
    assert "long" not in msg
    assert isinstance(err.value, ValueError)
    assert MIN_PAIRED_DAYS == 14


def test_exactly_fourteen_paired_days_is_enough():
    rows, prows = _dose_and_pain("p", 14, np.arange(14), [2] * 14, np.arange(14)[::-1])
    got = lagged_association(daily_adherence(make_sessions(rows)), make_pain(prows))
    assert got["n"].tolist() == [14, 14]
    assert got.loc[0, "rho"] == pytest.approx(-1.0)


def test_docstring_says_association_not_cause():
    assert "association, not cause" in lagged_association.__doc__


# -- summarize -----------------------------------------------------------------------


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
        "patient_id", "start", "end", "days", "days_logged", "fully_adherent_pct",
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
