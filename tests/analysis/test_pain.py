"""Daily pain, trailing mean, baseline, status and flares: hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import make_pain
from hypothesis import given, settings
from hypothesis import strategies as st

from backrx_analysis.analysis.adherence import AnalysisInputError
from backrx_analysis.analysis.pain import PAIN_STATUSES, pain_daily, pain_status, pain_trend
from backrx_analysis.program import PainRules

DAY1 = pd.Timestamp("2026-03-01")


def day(n: int) -> pd.Timestamp:
    """Calendar day n of the tests (day 1 = 1 March 2026)."""
    return DAY1 + pd.Timedelta(days=n - 1)


def ratings(pairs, patient="p1"):
    """Rows of (day number, pain)."""
    return [{"patient_id": patient, "date": day(d), "pain": v} for d, v in pairs]


def on(trend: pd.DataFrame, n: int, patient: str = "p1") -> pd.Series:
    row = trend[(trend["patient_id"] == patient) & (trend["date"] == day(n))]
    assert len(row) == 1
    return row.iloc[0]


# -- daily pain --------------------------------------------------------------------


def test_pain_daily_mean_min_max_count():
    pain = make_pain([*ratings([(1, 2.0), (1, 6.0), (1, 7.0), (3, 5.0)]),
                      *ratings([(2, 1.0)], patient="a"),
                      {"patient_id": "a", "date": day(2), "pain": None}])
    daily = pain_daily(pain)
    assert daily["patient_id"].tolist() == ["a", "p1", "p1"]
    assert daily["date"].tolist() == [day(2), day(1), day(3)]
    assert daily["pain_mean"].tolist() == [1.0, 5.0, 5.0]
    assert daily["pain_min"].tolist() == [1.0, 2.0, 5.0]
    assert daily["pain_max"].tolist() == [1.0, 7.0, 5.0]
    assert daily["n_ratings"].tolist() == [1, 3, 1]


def test_pain_daily_of_an_empty_frame():
    daily = pain_daily(make_pain([]))
    assert len(daily) == 0
    assert list(daily.columns) == ["patient_id", "date", "pain_mean", "pain_min", "pain_max",
                                   "n_ratings"]


# -- trailing mean -----------------------------------------------------------------


def test_trailing_mean_is_over_calendar_days_not_rows():
    trend = pain_trend(make_pain(ratings([(1, 4.0), (3, 6.0), (9, 2.0)])))
    assert trend["date"].tolist() == [day(n) for n in range(1, 10)]
    assert trend["n_ratings"].tolist() == [1, 0, 1, 0, 0, 0, 0, 0, 1]
    assert np.isnan(on(trend, 2)["pain_mean"])
    assert on(trend, 2)["rolling_mean"] == 4.0  # days without a rating keep the mean
    assert on(trend, 7)["rolling_mean"] == 5.0  # days 1-7
    assert on(trend, 7)["rolling_days"] == 2
    assert on(trend, 8)["rolling_mean"] == 6.0  # days 2-8: day 1 has left the window
    assert on(trend, 9)["rolling_mean"] == 4.0  # days 3-9
    assert on(trend, 9)["rolling_days"] == 2


def test_rolling_mean_is_nan_without_ratings_in_the_window_and_status_too():
    trend = pain_trend(make_pain(ratings([(1, 5.0), (12, 5.0)])))
    assert on(trend, 7)["rolling_mean"] == 5.0
    for n in range(8, 12):
        row = on(trend, n)
        assert np.isnan(row["rolling_mean"]) and row["rolling_days"] == 0
        assert pd.isna(row["status"]) and np.isnan(row["change"])
    assert on(trend, 12)["status"] == "no_change"


def test_window_option():
    trend = pain_trend(make_pain(ratings([(1, 4.0), (3, 6.0), (9, 2.0)])), window=3)
    assert [on(trend, n)["rolling_mean"] for n in (3, 4, 5)] == [5.0, 6.0, 6.0]
    assert np.isnan(on(trend, 6)["rolling_mean"])
    with pytest.raises(ValueError, match="window"):
        pain_trend(make_pain(ratings([(1, 4.0)])), window=0)


# -- baseline ----------------------------------------------------------------------


def test_baseline_is_mean_of_daily_pain_over_first_seven_calendar_days():
    # daily pain 4 (ratings 2 and 6), 6, 8 on days 1, 2, 5; day 8 is outside
    pain = make_pain(ratings([(1, 2.0), (1, 6.0), (2, 6.0), (5, 8.0), (8, 0.0)]))
    trend = pain_trend(pain)
    assert trend["baseline"].unique().tolist() == [6.0]  # not 5.5, the mean of ratings
    assert on(trend, 8)["rolling_mean"] == pytest.approx(14 / 3)  # days 2-8: 6, 8, 0
    assert on(trend, 8)["change"] == pytest.approx(14 / 3 - 6)


def test_baseline_counts_from_the_first_rating_of_each_patient():
    pain = make_pain([*ratings([(1, 2.0), (7, 4.0), (8, 9.0)], patient="a"),
                      *ratings([(5, 6.0), (11, 8.0), (12, 1.0)], patient="b")])
    trend = pain_trend(pain)
    assert trend.groupby("patient_id")["baseline"].unique().map(list).to_dict() == {
        "a": [3.0], "b": [7.0]}


# -- status ------------------------------------------------------------------------

# Patients with a rating on day 1 (the baseline) and ratings on days 19/20; the
# trailing mean on day 20 covers days 14-20, so only the late ratings.
STATUS_CASES = {
    # patient: (baseline rating, late ratings, trailing mean, status)
    "pct30_exact": (4.0, [(19, 0.2), (20, 5.4)], 2.8, "improved"),  # 1.2 = 30 % of 4
    "pct30_short": (4.0, [(20, 2.9)], 2.9, "no_change"),  # 1.1 points, 27.5 %
    "pct30_of_6": (6.0, [(20, 4.2)], 4.2, "improved"),  # 1.8 = 30 % of 6
    "points_2": (8.0, [(20, 6.0)], 6.0, "improved"),  # 2 points, only 25 %
    "points_1_9": (8.0, [(20, 6.1)], 6.1, "no_change"),  # 1.9 points, 23.75 %
    "worse_2": (3.0, [(20, 5.0)], 5.0, "worse"),
    "worse_1_9": (3.0, [(20, 4.9)], 4.9, "no_change"),
    "zero": (0.0, [(20, 0.0)], 0.0, "no_change"),
    "zero_worse": (0.0, [(20, 2.0)], 2.0, "worse"),
}


@pytest.fixture(scope="module")
def status_trend() -> pd.DataFrame:
    rows = []
    for patient, (base, late, _, _) in STATUS_CASES.items():
        rows += ratings([(1, base), *late], patient=patient)
    return pain_trend(make_pain(rows))


@pytest.mark.parametrize("patient", list(STATUS_CASES))
def test_status_on_day_20(status_trend, patient):
    base, _, mean, status = STATUS_CASES[patient]
    row = on(status_trend, 20, patient)
    assert row["baseline"] == base
    assert row["rolling_mean"] == pytest.approx(mean)
    assert row["change"] == pytest.approx(mean - base)
    if base == 0:
        assert np.isnan(row["change_pct"])
    else:
        assert row["change_pct"] == pytest.approx(100 * (mean - base) / base)
    assert row["status"] == status


def test_status_categories(status_trend):
    assert list(status_trend["status"].cat.categories) == list(PAIN_STATUSES)
    assert status_trend["patient_id"].nunique() == len(STATUS_CASES)


@pytest.mark.parametrize(
    ("rolling", "baseline", "status"),
    [
        ((0.2 + 5.4) / 2, 4.0, "improved"),  # drop 1.1999999999999997 vs 30 % = 1.2
        (4.0 - 1.2 + 1e-6, 4.0, "no_change"),
        ((4.1 + 4.3) / 2, 6.0, "improved"),
        (5.2, (3.1 + 3.3 + 3.2) / 3, "worse"),  # 1.9999999999999996 points
        (5.2 - 1e-6, 3.2, "no_change"),
        (1.0, 3.0 - 1e-12, "improved"),
        (np.nan, 3.0, None),
        (3.0, np.nan, None),
    ],
)
def test_pain_status_thresholds_with_floating_point(rolling, baseline, status):
    got = pain_status([rolling], [baseline])[0]
    assert (pd.isna(got) if status is None else got == status)


def test_pain_status_uses_the_rules():
    rules = PainRules(mcid_points=3.0, mcid_fraction=0.5, worse_points=1.0)
    got = pain_status([5.5, 4.0, 7.0, 7.0], [8.0, 8.0, 6.0, 5.9], rules=rules)
    assert list(got) == ["no_change", "improved", "worse", "worse"]


# -- flares ------------------------------------------------------------------------


def test_flares():
    pain = make_pain(ratings([(1, 3.1), (2, 3.3), (3, 3.2), (4, 5.2), (5, 5.1),
                              (12, 7.1), (20, 9.0)]))
    trend = pain_trend(pain)
    flares = trend.loc[trend["flare"], "date"].tolist()
    # day 4: 5.2 vs mean 3.2 of days 1-3 (2 points, 1.9999999999999996 in floats)
    # day 12: 7.1 vs days 5-11 (5.1); day 4 is 8 days before and not in the window
    assert flares == [day(4), day(12)]
    assert not on(trend, 1)["flare"]  # nothing before
    assert not on(trend, 5)["flare"]  # 5.1 vs 3.7
    assert not on(trend, 6)["flare"]  # no rating
    assert not on(trend, 20)["flare"]  # no rating in days 13-19
    assert trend["flare"].dtype == bool


@pytest.mark.parametrize(("today", "flare"), [(5.1, True), (5.09, False), (6.0, True)])
def test_flare_threshold(today, flare):
    trend = pain_trend(make_pain(ratings([(1, 3.1), (2, today)])))
    assert on(trend, 2)["flare"] == flare  # 5.1 - 3.1 = 1.9999999999999996 in floats


# -- several patients and input checks ---------------------------------------------


def test_several_patients_do_not_mix():
    pain = make_pain([*ratings([(1, 8.0), (2, 8.0)], patient="b"),
                      *ratings([(3, 1.0), (4, 1.0)], patient="a")])
    trend = pain_trend(pain)
    assert trend["patient_id"].tolist() == ["a", "a", "b", "b"]
    assert trend["rolling_mean"].tolist() == [1.0, 1.0, 8.0, 8.0]
    assert not trend["flare"].any()


def test_output_columns():
    trend = pain_trend(make_pain(ratings([(1, 3.0)])))
    assert list(trend.columns) == [
        "patient_id", "date", "pain_mean", "pain_min", "pain_max", "n_ratings",
        "rolling_mean", "rolling_days", "baseline", "change", "change_pct", "status", "flare"]
    assert trend["date"].dtype == "datetime64[ns]"


def test_missing_pain_column():
    with pytest.raises(AnalysisInputError, match="'pain'"):
        pain_trend(make_pain(ratings([(1, 3.0)])).drop(columns=["pain"]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(1, 30),
                          st.integers(0, 20).map(lambda x: x / 2)), min_size=1, max_size=40))
def test_trend_matches_a_direct_computation(rows):
    pain = make_pain([{"patient_id": p, "date": day(d), "pain": v} for p, d, v in rows])
    trend = pain_trend(pain)
    daily = pain.groupby(["patient_id", "date"])["pain"].mean().astype(float)
    for p, dates in pain.groupby("patient_id")["date"]:
        mine = trend[trend["patient_id"] == p].set_index("date")
        assert mine.index.tolist() == list(pd.date_range(dates.min(), dates.max()))
        d = daily.loc[p]
        first = dates.min()
        assert mine["baseline"].iloc[0] == pytest.approx(
            d[d.index < first + pd.Timedelta(days=7)].mean())
        for t in d.index:  # every rated day
            w = d[(d.index > t - pd.Timedelta(days=7)) & (d.index <= t)]
            assert mine.loc[t, "rolling_mean"] == pytest.approx(w.mean())
            before = d[(d.index >= t - pd.Timedelta(days=7)) & (d.index < t)]
            expect = len(before) > 0 and d[t] - before.mean() >= 2 - 1e-9
            assert bool(mine.loc[t, "flare"]) == expect
