"""backrx_analysis.scale.frames: the pandas functions per partition give the pandas
functions' frames on the whole data, to the last digit."""

from __future__ import annotations

import dask.dataframe as dd
import pandas as pd
import pytest
from conftest import load_cohort
from factories import make_pain, make_sessions

import backrx_analysis as bx
from backrx_analysis import scale
from backrx_analysis.analysis.adherence import AnalysisInputError
from backrx_analysis.schema import empty_pain


def by_index(frame: pd.DataFrame, n: int) -> dd.DataFrame:
    """The frame as a user makes it: sorted by patient, indexed, n partitions."""
    return dd.from_pandas(frame.set_index("patient_id"), npartitions=n)


def by_column(frame: pd.DataFrame, n: int, *, reverse: bool = False) -> dd.DataFrame:
    """Partitions of whole patients with ``patient_id`` a column (unknown divisions),
    optionally in reverse patient order."""
    ids = sorted(frame["patient_id"].unique())
    chunks = [ids[i * len(ids) // n:(i + 1) * len(ids) // n] for i in range(n)]
    parts = [dd.from_pandas(frame[frame["patient_id"].isin(c)], npartitions=1) for c in chunks]
    return dd.concat(parts[::-1] if reverse else parts)


def test_daily_adherence_is_the_pandas_frame(cohort):
    sessions, _ = cohort
    daily = scale.daily_adherence(by_index(sessions, 7))
    assert isinstance(daily, dd.DataFrame)
    assert daily.npartitions == 7 and daily.known_divisions
    pd.testing.assert_frame_equal(daily.compute().reset_index(), bx.daily_adherence(sessions))


def test_a_period_is_passed_to_every_partition(cohort):
    sessions, _ = cohort
    got = scale.daily_adherence(by_index(sessions, 5), start="2026-03-10", end="2026-04-05")
    want = bx.daily_adherence(sessions, start="2026-03-10", end="2026-04-05")
    pd.testing.assert_frame_equal(got.compute().reset_index(), want)
    assert len(want) == 200 * 27  # every day of the period for every patient


def test_pain_trend_is_the_pandas_frame(cohort):
    _, pain = cohort
    got = scale.pain_trend(by_index(pain, 4), window=5)
    pd.testing.assert_frame_equal(got.compute().reset_index(), bx.pain_trend(pain, window=5))


def test_weekly_adherence_is_the_pandas_frame(cohort):
    sessions, _ = cohort
    weekly = scale.weekly_adherence(scale.daily_adherence(by_index(sessions, 6)))
    want = bx.weekly_adherence(bx.daily_adherence(sessions))
    assert "version" not in want.columns
    pd.testing.assert_frame_equal(weekly.compute().reset_index(), want)


def test_summarize_is_the_pandas_frame_when_partitions_differ(cohort):
    sessions, pain = cohort
    got = scale.summarize(by_index(sessions, 7), by_index(pain, 3))
    want = bx.summarize(sessions, pain)
    assert len(want) == 200
    pd.testing.assert_frame_equal(got, want)


def test_frames_with_a_patient_column_are_checked_and_taken_in_patient_order(cohort):
    sessions, pain = cohort
    s, p = by_column(sessions, 4, reverse=True), by_column(pain, 5)
    assert not s.known_divisions and "patient_id" in s.columns
    pd.testing.assert_frame_equal(scale.summarize(s, p), bx.summarize(sessions, pain))
    pd.testing.assert_frame_equal(scale.daily_adherence(s).compute().reset_index(),
                                  bx.daily_adherence(sessions))


def test_prescription_histories_in_some_partitions_only(cohort, histories):
    sessions, pain = cohort
    daily = scale.daily_adherence(by_index(sessions, 5), program=histories)
    want_daily = bx.daily_adherence(sessions, program=histories)
    pd.testing.assert_frame_equal(daily.compute().reset_index(), want_daily)
    # the later partitions have no patient with a history: their weeks still get the
    # version column (<NA>) that the whole frame's call gives them
    want = bx.weekly_adherence(want_daily)
    assert "version" in want.columns and want["version"].isna().any()
    pd.testing.assert_frame_equal(scale.weekly_adherence(daily).compute().reset_index(), want)
    pd.testing.assert_frame_equal(
        scale.summarize(by_index(sessions, 5), by_index(pain, 2), program=histories),
        bx.summarize(sessions, pain, program=histories))


def test_summarize_by_hand():
    """Two patients in two partitions: the numbers worked out on paper."""
    full = [{"patient_id": pid, "date": d, "exercise": e, "reps": 10, "side": "both"}
            for pid, d in [("a", "2026-03-02"), ("b", "2026-03-02")]
            for e in ("ankle_pumps", "abdominal_bracing", "wall_squat", "straight_leg_raise",
                      "partial_curl_up")]
    rows = [*full,
            {"patient_id": "a", "date": "2026-03-02", "exercise": "session", "minutes": 15},
            {"patient_id": "a", "date": "2026-03-05", "exercise": "walk", "minutes": 12},
            {"patient_id": "b", "date": "2026-03-02", "exercise": "session", "minutes": 5}]
    sessions = make_sessions(rows)
    pain = make_pain([{"patient_id": "a", "date": "2026-03-02", "pain": 6.0},
                      {"patient_id": "a", "date": "2026-03-03", "pain": 4.0},
                      {"patient_id": "b", "date": "2026-03-02", "pain": 3.0}])
    out = scale.summarize(by_index(sessions, 2), by_index(pain, 2))
    # a: 2 Mar to 5 Mar = 4 days, 2 logged, fully adherent on 2 Mar only (15 min in range)
    # b: one day, all five exercises met but 5 minutes are under the band
    assert out["patient_id"].tolist() == ["a", "b"]
    assert out["days"].tolist() == [4, 1]
    assert out["days_logged"].tolist() == [2, 1]
    assert out["fully_adherent_pct"].tolist() == [25.0, 0.0]
    assert out["walk_met_pct"].tolist() == [25.0, 0.0]
    assert out["pain_baseline"].tolist() == [5.0, 3.0]  # a: (6 + 4) / 2


def test_a_cohort_without_pain(cohort):
    sessions, _ = cohort
    no_pain = dd.from_pandas(empty_pain().set_index("patient_id"), npartitions=1)
    got = scale.summarize(by_index(sessions, 3), no_pain)
    pd.testing.assert_frame_equal(got, bx.summarize(sessions, empty_pain()))
    assert got["pain_baseline"].isna().all()


def test_the_options_are_checked_before_any_work(cohort):
    sessions, pain = cohort
    with pytest.raises(AnalysisInputError, match="is after end"):
        scale.daily_adherence(by_index(sessions, 2), start="2026-04-01", end="2026-03-01")
    with pytest.raises(ValueError, match="window must be a whole number"):
        scale.pain_trend(by_index(pain, 2), window=0)


def test_summarize_joins_the_questionnaires(cohort):
    from backrx_analysis.simulate import simulate_outcomes
    sessions, pain = cohort
    small_s = sessions[sessions["patient_id"].isin(["P01", "P02", "P03"])]
    small_p = pain[pain["patient_id"].isin(["P01", "P02", "P03"])]
    raw = simulate_outcomes(small_s, small_p, seed=5)
    outcomes = bx.load_outcomes(raw)
    got = scale.summarize(by_index(small_s, 2), by_index(small_p, 2), outcomes=outcomes)
    want = bx.summarize(small_s, small_p, outcomes=outcomes)
    assert "odi_score" in want.columns
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.filterwarnings("ignore:Sending large graph")
def test_on_a_cluster(cohort, histories):
    """The same calls with a distributed Client active: the work runs in two worker
    processes (the program and the frames pickled to them)."""
    distributed = pytest.importorskip("distributed")
    sessions, pain = cohort
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        got = scale.summarize(by_index(sessions, 4), by_index(pain, 4), program=histories)
        daily = scale.daily_adherence(by_index(sessions, 4)).compute()
        workers = client.run(lambda: "backrx_analysis.analysis.summary" in __import__(
            "sys").modules)
    assert len(workers) == 2 and all(workers.values())  # the workers did the analysis
    pd.testing.assert_frame_equal(got, bx.summarize(sessions, pain, program=histories))
    pd.testing.assert_frame_equal(daily.reset_index(), bx.daily_adherence(sessions))


@pytest.mark.slow
def test_five_thousand_patients():
    sessions, pain = load_cohort(5000, 90, seed=2026)
    s, p = by_index(sessions, 16), by_index(pain, 9)
    pd.testing.assert_frame_equal(scale.summarize(s, p), bx.summarize(sessions, pain))
    pd.testing.assert_frame_equal(scale.daily_adherence(s).compute().reset_index(),
                                  bx.daily_adherence(sessions))
    pd.testing.assert_frame_equal(scale.pain_trend(p).compute().reset_index(),
                                  bx.pain_trend(pain))
    pd.testing.assert_frame_equal(
        scale.weekly_adherence(scale.daily_adherence(s)).compute().reset_index(),
        bx.weekly_adherence(bx.daily_adherence(sessions)))
