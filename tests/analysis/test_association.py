"""dose_pain_association: pain after days the program was done in full, against the
other days of the same week. Hand-computed small cases, the minimum-data refusals, and
known-truth checks on simulated patients (a trend with no day-to-day link; a true
next-day effect of -0.5 points)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import make_pain, make_sessions

import backrx_analysis as bx
from backrx_analysis.analysis.adherence import AnalysisInputError
from backrx_analysis.analysis.association import FINDINGS, dose_pain_association
from backrx_analysis.simulate.association import simulate_dose_pain

# Two calendar weeks, Monday 2 March to Sunday 15 March 2026.
WEEK1_DONE = [1, 1, 1, 0, 0, 0, 0]
WEEK1_PAIN = [3, 4, 5, 6, 6, 7, 7]  # done mean 4, others 6.5: -2.5, weight 3*4/7
WEEK2_DONE = [1, 0, 1, 0, 0, 0, 0]
WEEK2_PAIN = [2, 4, 2, 4, 4, 4, 4]  # done mean 2, others 4: -2, weight 2*5/7
#: (12/7 * -2.5 + 10/7 * -2) / (22/7)
EFFECT = -50 / 22
#: all done days (3, 4, 5, 2, 2) minus all others (6, 6, 7, 7, 4 x 5), weeks ignored
UNADJUSTED = 16 / 5 - 46 / 9


def _daily(done, first="2026-03-02", pid="p1", prescribed=None) -> pd.DataFrame:
    """A daily adherence frame with the columns the association reads."""
    done = np.asarray(done, dtype=bool)
    pres = np.ones(len(done), dtype=bool) if prescribed is None else np.asarray(prescribed)
    return pd.DataFrame({
        "patient_id": pd.array([pid] * len(done), dtype="string"),
        "date": pd.date_range(first, periods=len(done), freq="D"),
        "prescribed": pres,
        "exercises_met": np.where(done, 5, 2).astype(np.int64),
        "exercises_prescribed": np.where(pres, 5, 0).astype(np.int64),
        "unmeasured_entries": np.zeros(len(done), dtype=np.int64),
    })


def _pain(values, first="2026-03-02", pid="p1", scale="nrs") -> pd.DataFrame:
    days = pd.date_range(first, periods=len(values), freq="D")
    return make_pain([{"patient_id": pid, "date": d, "pain": float(v), "scale": scale}
                      for d, v in zip(days, values, strict=True)])


def _two_weeks(week2_shift=0.0, pid="p1"):
    return (_daily(WEEK1_DONE + WEEK2_DONE, pid=pid),
            _pain(WEEK1_PAIN + [v + week2_shift for v in WEEK2_PAIN], pid=pid))


def test_the_effect_is_the_weighted_within_week_difference():
    out = dose_pain_association(*_two_weeks(), lags=(0,))
    r = out.iloc[0]
    assert r["effect"] == pytest.approx(EFFECT)
    assert r["unadjusted_effect"] == pytest.approx(UNADJUSTED)
    assert (r["n_days"], r["n_done"], r["n_not_done"], r["n_weeks"]) == (14, 5, 9, 2)
    assert r["ci_low"] < r["effect"] < r["ci_high"]
    # two weeks: t with 1 degree of freedom, the interval is wide and spans 0
    assert r["finding"] == "no clear difference"
    assert pd.isna(r["why"])


def test_a_shift_of_a_whole_week_does_not_move_the_effect():
    """The week's level is taken out: a trend (here a step) between weeks is not an
    effect; the unadjusted difference moves with it."""
    flat = dose_pain_association(*_two_weeks(), lags=(0,)).iloc[0]
    step = dose_pain_association(*_two_weeks(week2_shift=-3.0), lags=(0,)).iloc[0]
    assert step["effect"] == pytest.approx(flat["effect"])
    # the 2 done days of week 2 are 3 lower, and so are its 5 other days
    assert step["unadjusted_effect"] == pytest.approx((16 - 6) / 5 - (46 - 15) / 9)


def test_lags_pair_the_dose_day_with_pain_that_many_days_later():
    # doses Sunday 1 to Saturday 14 March; the same pain values a day later (2-15 March)
    daily = _daily(WEEK1_DONE + WEEK2_DONE, first="2026-03-01")
    pain = _pain(WEEK1_PAIN + WEEK2_PAIN, first="2026-03-02")
    out = dose_pain_association(daily, pain)
    assert out["lag"].tolist() == [0, 1, 2]
    assert out["lag_label"].tolist() == ["same day", "next day", "two days later"]
    next_day = out.iloc[1]
    assert next_day["effect"] == pytest.approx(EFFECT)
    assert next_day["n_days"] == 14
    # same day: 2-14 March have both (13); two days later: doses 1-13 March (13)
    for i in (0, 2):
        r = out.iloc[i]
        assert r["n_days"] == 13 and r["finding"] == "too little data"
        assert np.isnan(r["effect"]) and np.isnan(r["ci_low"]) and np.isnan(r["ci_high"])
        assert "13 paired days" in r["why"] and "at least 14" in r["why"]
    assert dose_pain_association(daily, pain, lags=(3,))["lag_label"].tolist() == [
        "3 days later"]


def test_thirteen_paired_days_is_too_little_data():
    out = dose_pain_association(_daily(WEEK1_DONE + WEEK2_DONE[:-1]),
                                _pain(WEEK1_PAIN + WEEK2_PAIN[:-1]), lags=(0,)).iloc[0]
    assert out["n_days"] == 13
    assert out["finding"] == "too little data"
    assert "13 paired days" in out["why"] and "pain rating that day" in out["why"]


def test_two_done_days_is_too_little_data():
    done = [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    out = dose_pain_association(_daily(done), _pain(WEEK1_PAIN + WEEK2_PAIN), lags=(0,))
    r = out.iloc[0]
    assert (r["n_done"], r["n_not_done"], r["finding"]) == (2, 12, "too little data")
    assert "2 days with the program done in full and 12 without" in r["why"]
    assert "at least 3 of each" in r["why"]
    assert r["unadjusted_effect"] == pytest.approx((3 + 2) / 2 - (sum(WEEK1_PAIN + WEEK2_PAIN)
                                                                 - 5) / 12)


def test_every_day_done_is_too_little_data():
    out = dose_pain_association(_daily([1] * 14), _pain(WEEK1_PAIN + WEEK2_PAIN), lags=(0,))
    r = out.iloc[0]
    assert (r["n_done"], r["n_not_done"], r["finding"]) == (14, 0, "too little data")
    assert np.isnan(r["effect"])


def test_one_week_with_both_kinds_is_too_little_data():
    done = WEEK1_DONE + [0] * 7  # week 2 has no done day: nothing to compare inside it
    r = dose_pain_association(_daily(done), _pain(WEEK1_PAIN + WEEK2_PAIN), lags=(0,)).iloc[0]
    assert (r["n_done"], r["n_weeks"], r["finding"]) == (3, 1, "too little data")
    assert "1 week(s)" in r["why"]


def test_days_prescribing_nothing_are_not_dose_days():
    daily = _daily(WEEK1_DONE + WEEK2_DONE + [0, 0],
                   prescribed=[True] * 14 + [False, False])
    pain = _pain(WEEK1_PAIN + WEEK2_PAIN + [9, 9])
    r = dose_pain_association(daily, pain, lags=(0,)).iloc[0]
    assert r["n_days"] == 14 and r["effect"] == pytest.approx(EFFECT)


def test_a_day_with_unknown_reps_is_left_out_unless_met_for_sure():
    daily = _daily(WEEK1_DONE + WEEK2_DONE + [0, 1])
    daily.loc[14:, "unmeasured_entries"] = 1  # 16 March unknown, 17 March met anyway
    pain = _pain(WEEK1_PAIN + WEEK2_PAIN + [9, 1])
    r = dose_pain_association(daily, pain, lags=(0,)).iloc[0]
    assert (r["n_days"], r["n_done"]) == (15, 6)


def test_done_means_every_prescribed_exercise_met():
    """Through daily_adherence: four of five exercises met is not done."""
    rows = []
    days = pd.date_range("2026-03-02", periods=14, freq="D")
    done = WEEK1_DONE + WEEK2_DONE
    for day, d in zip(days, done, strict=True):
        names = list(bx.default_program().exercise_ids)
        for ex in names if d else names[:4]:
            rows.append({"date": day, "exercise": ex, "reps": 10})
    daily = bx.daily_adherence(make_sessions(rows))
    r = dose_pain_association(daily, _pain(WEEK1_PAIN + WEEK2_PAIN), lags=(0,)).iloc[0]
    assert (r["n_done"], r["n_not_done"]) == (5, 9)
    assert r["effect"] == pytest.approx(EFFECT)


def test_ratings_on_another_scale_are_left_out():
    daily = _daily(WEEK1_DONE + WEEK2_DONE)
    other = _pain([1, 2, 3] * 4 + [1, 2], scale="bearable")
    r = dose_pain_association(daily, other, lags=(0,)).iloc[0]
    assert r["finding"] == "too little data" and r["n_days"] == 0
    assert "14 on another scale left out" in r["why"]
    mixed = pd.concat([_pain(WEEK1_PAIN + WEEK2_PAIN), other], ignore_index=True)
    assert dose_pain_association(daily, mixed, lags=(0,))["effect"].iloc[0] == pytest.approx(
        EFFECT)


def test_patients_are_independent_and_results_reproducible():
    d1, p1 = _two_weeks(pid="p1")
    d2, p2 = _two_weeks(week2_shift=1.0, pid="p2")
    d2["exercises_met"] = d2["exercises_met"][::-1].to_numpy()  # another pattern
    alone = dose_pain_association(d1, p1, lags=(0, 1))
    both = dose_pain_association(pd.concat([d2, d1], ignore_index=True),
                                 pd.concat([p2, p1], ignore_index=True), lags=(0, 1))
    assert both["patient_id"].tolist() == ["p1", "p1", "p2", "p2"]
    pd.testing.assert_frame_equal(both.iloc[:2].reset_index(drop=True), alone)
    assert not np.isclose(both["effect"].iloc[2], alone["effect"].iloc[0])
    pd.testing.assert_frame_equal(dose_pain_association(d1, p1, lags=(0, 1)), alone)
    other_seed = dose_pain_association(d1, p1, lags=(0,), seed=7).iloc[0]
    assert other_seed["effect"] == alone["effect"].iloc[0]


def test_a_patient_in_only_one_frame_gets_rows():
    daily = _daily(WEEK1_DONE + WEEK2_DONE)
    pain = pd.concat([_pain(WEEK1_PAIN + WEEK2_PAIN), _pain([5] * 3, pid="p9")],
                     ignore_index=True)
    out = dose_pain_association(daily, pain, lags=(1,))
    assert out["patient_id"].tolist() == ["p1", "p9"]
    assert out["finding"].iloc[1] == "too little data" and out["n_days"].iloc[1] == 0


def test_columns_and_types():
    out = dose_pain_association(*_two_weeks())
    assert list(out.columns) == ["patient_id", "lag", "lag_label", "effect", "ci_low",
                                 "ci_high", "n_days", "n_done", "n_not_done", "n_weeks",
                                 "finding", "why", "unadjusted_effect"]
    assert str(out["patient_id"].dtype) == "string" and str(out["finding"].dtype) == "string"
    for col in ("lag", "n_days", "n_done", "n_not_done", "n_weeks"):
        assert out[col].dtype == np.int64
    assert set(out["finding"]) <= set(FINDINGS)


def test_bad_options_and_frames_are_refused():
    daily, pain = _two_weeks()
    with pytest.raises(ValueError, match="lags must be whole days >= 0"):
        dose_pain_association(daily, pain, lags=(-1,))
    with pytest.raises(ValueError, match="n_boot >= 1"):
        dose_pain_association(daily, pain, n_boot=0)
    with pytest.raises(AnalysisInputError, match="exercises_prescribed"):
        dose_pain_association(daily.drop(columns="exercises_prescribed"), pain)


def test_the_sample_says_no_clear_difference_where_the_raw_correlation_says_higher(sample):
    sessions, pain = sample
    daily = bx.daily_adherence(sessions)
    out = dose_pain_association(daily, pain).set_index("lag")
    raw = bx.lagged_association(daily, pain)
    assert (raw["rho"] > 0.3).all() and (raw["p_value"] < 0.01).all()
    assert out.loc[1, "unadjusted_effect"] > 0.9  # the drifting series: a point "higher"
    assert out.loc[1, "finding"] == "no clear difference"
    assert out.loc[1, "ci_low"] < 0 < out.loc[1, "ci_high"]
    assert (out.loc[1, "n_days"], out.loc[1, "n_done"]) == (82, 26)


# -- known truth ------------------------------------------------------------------------


def _rates(n: int, *, effect: float, seed: int, noise_sd: float = 1.0) -> dict[str, float]:
    sessions, pain = simulate_dose_pain(n, effect=effect, seed=seed, noise_sd=noise_sd)
    daily = bx.daily_adherence(sessions)
    nxt = dose_pain_association(daily, pain, lags=(1,))
    raw = bx.lagged_association(daily, pain, lag=1)
    raw = raw[raw["dose"] == "exercises_met"]
    return {
        "no_clear": float((nxt["finding"] == "no clear difference").mean()),
        "covers": float(((nxt["ci_low"] <= effect) & (nxt["ci_high"] >= effect)).mean()),
        "excludes_0": float(((nxt["ci_high"] < 0) | (nxt["ci_low"] > 0)).mean()),
        "refused": float((nxt["finding"] == "too little data").mean()),
        "raw_p05": float((raw["p_value"] < 0.05).mean()),
        "mean_effect": float(nxt["effect"].mean()),
    }


def test_trends_alone_make_no_finding_fast_profile():
    """Pain falls 6 -> 3 over 12 weeks while adherence sags 85 % -> 30 %, no day-to-day
    link (40 patients; the 200-patient run below is the one quoted)."""
    r = _rates(40, effect=0.0, seed=5)
    assert r["refused"] == 0
    assert r["no_clear"] >= 0.85
    assert r["raw_p05"] >= 0.4


def test_a_true_next_day_effect_is_covered_fast_profile():
    r = _rates(40, effect=-0.5, seed=6)
    assert r["covers"] >= 0.85
    assert r["mean_effect"] == pytest.approx(-0.5, abs=0.15)
    quiet = _rates(40, effect=-0.5, seed=6, noise_sd=0.6)
    assert quiet["excludes_0"] >= 0.4


@pytest.mark.slow
def test_trends_alone_make_no_finding():
    """200 patients: measured 95.0 % "no clear difference" (seed 1; seeds 1-4 give
    93.5-96 %), the raw Spearman p < 0.05 in 60.5 %. A calibrated 95 % interval gives
    95 % +- 1.5 % on 200 patients, so the bar is 93 %; the plain percentile bootstrap
    (88 %) fails it."""
    r = _rates(200, effect=0.0, seed=1)
    assert r["refused"] == 0
    assert r["no_clear"] >= 0.93
    assert r["raw_p05"] >= 0.5


@pytest.mark.slow
def test_a_true_next_day_effect_is_covered_and_found_when_pain_is_steady():
    """200 patients, true effect -0.5 the day after a full session: the interval
    covers -0.5 in 96 % (seed 2). With day-to-day noise like the sample patient's (sd
    1.0) it excludes 0 in only 33.5 %; with calmer days (sd 0.6, as the caseload's
    steadiest patient) in 66 %."""
    r = _rates(200, effect=-0.5, seed=2)
    assert r["covers"] >= 0.90
    assert r["mean_effect"] == pytest.approx(-0.5, abs=0.07)
    assert r["excludes_0"] >= 0.25
    quiet = _rates(200, effect=-0.5, seed=2, noise_sd=0.6)
    assert quiet["covers"] >= 0.90
    assert quiet["excludes_0"] >= 0.5
