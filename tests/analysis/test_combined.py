"""Adherence and pain together: the joined frame, the lagged association."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from analysis_helpers import IDS, PAIN, SESSIONS
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
