"""Tests of backrx_analysis.simulate.outcomes: seeded questionnaire sheets that load
clean, score by the rules, and follow the simulated pain and adherence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.program import WALK, default_program
from backrx_analysis.simulate import OUTCOMES_RAW_COLUMNS, simulate_logs, simulate_outcomes

SEED = 7


@pytest.fixture(scope="module")
def caseload() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """20 patients over 12 weeks: sessions, pain and their questionnaires."""
    sessions, pain = simulate_logs(20, 84, seed=SEED)
    return sessions, pain, simulate_outcomes(sessions, pain, seed=SEED)


@pytest.fixture(scope="module")
def scores(caseload) -> pd.DataFrame:
    return bx.score_outcomes(bx.load_outcomes(caseload[2]))


def _by_visit(scores: pd.DataFrame, sheet: pd.DataFrame, q: str) -> np.ndarray:
    """The scores of questionnaire ``q`` in the sheet's row order."""
    key = pd.MultiIndex.from_arrays([sheet["patient_id"], pd.to_datetime(sheet["date"])])
    s = scores.loc[scores["questionnaire"] == q].set_index(["patient_id", "date"])["score"]
    return s.reindex(key).to_numpy()


def _visit_pain(pain: pd.DataFrame, sheet: pd.DataFrame) -> np.ndarray:
    """Mean pain rating of the 7 days up to each visit (the day written in the
    timestamp)."""
    day = pd.to_datetime(pain["timestamp"].str[:10])
    out = []
    for r in sheet.itertuples(index=False):
        d = pd.Timestamp(r.date)
        m = (pain["patient_id"] == r.patient_id) & (day > d - pd.Timedelta(days=7)) & (day <= d)
        out.append(pain.loc[m, "pain"].mean())
    return np.array(out, dtype=float)


def _spearman(x, y) -> float:
    return float(pd.Series(x).corr(pd.Series(y), method="spearman"))


def test_the_same_seed_gives_the_same_sheet(caseload):
    sessions, pain, sheet = caseload
    pd.testing.assert_frame_equal(simulate_outcomes(sessions, pain, seed=SEED), sheet)
    assert not simulate_outcomes(sessions, pain, seed=SEED + 1).equals(sheet)


def test_the_sheet_is_in_the_layout_load_outcomes_reads(caseload):
    sheet = caseload[2]
    assert list(sheet.columns) == ["patient_id", *OUTCOMES_RAW_COLUMNS]
    assert sorted(sheet["patient_id"].unique()) == [f"P{i:02d}" for i in range(1, 21)]
    odi = sheet.filter(like="odi_").stack().dropna()
    assert odi.str.fullmatch(r"[0-5]|[0-4],[1-5]").all()
    assert odi.str.contains(",").any()  # two boxes ticked, now and then
    rmdq = sheet.filter(like="rmdq_")
    assert set(rmdq.stack().dropna()) == {"yes", "no"}
    assert rmdq.isna().to_numpy().any()  # a blank statement, now and then
    ears = sheet.filter(like="ears_").to_numpy(dtype=float)
    assert np.isin(ears, [0, 1, 2, 3, 4]).all()
    assert sheet[["psfs_activity_4", "psfs_score_4", "psfs_activity_5"]].isna().all().all()


def test_a_baseline_on_the_first_day_then_a_visit_every_2_to_4_weeks(caseload):
    sessions, pain, sheet = caseload
    first = pd.to_datetime(sessions.groupby("patient_id")["date"].min())
    dates = pd.to_datetime(sheet["date"])
    for pid, days in dates.groupby(sheet["patient_id"]):
        assert days.iloc[0] == first[pid]
        gaps = days.diff().dropna().dt.days
        assert gaps.between(14, 28).all(), (pid, gaps.tolist())
        assert len(days) >= 3
        assert days.iloc[-1] <= pd.Timestamp("2026-03-02") + pd.Timedelta(days=83)


def test_each_patient_names_the_same_three_activities_at_every_visit(caseload):
    sheet = caseload[2]
    named = sheet[["patient_id", "psfs_activity_1", "psfs_activity_2", "psfs_activity_3"]]
    assert named.notna().all().all()
    assert (named.groupby("patient_id").nunique() == 1).all().all()
    assert named.drop_duplicates().shape[0] == 20  # one set per patient
    assert named.drop(columns="patient_id").drop_duplicates().shape[0] > 1  # not all alike


def test_it_loads_with_no_problem(caseload):
    sheet = caseload[2]
    assert len(bx.check_outcomes(sheet)) == 0
    answers = bx.load_outcomes(sheet)
    assert set(answers["questionnaire"].astype(str)) == {"odi", "rmdq", "psfs", "ears"}
    assert answers["two_ticked"].any()


def test_all_scored_except_where_blanks_exceed_the_rules(caseload, scores):
    sheet = caseload[2]
    assert len(scores) == 4 * len(sheet)
    rules = default_program().outcomes
    blanks = {"odi": sheet.filter(like="odi_").isna().sum(axis=1).to_numpy(),
              "rmdq": sheet.filter(like="rmdq_").isna().sum(axis=1).to_numpy()}
    limit = {"odi": rules.odi_max_missing, "rmdq": rules.rmdq_max_missing}
    for q in ("odi", "rmdq"):
        scored = ~np.isnan(_by_visit(scores, sheet, q))
        assert (scored == (blanks[q] <= limit[q])).all(), q
    for q in ("psfs", "ears"):
        assert not np.isnan(_by_visit(scores, sheet, q)).any(), q
    assert scores["scored"].mean() > 0.97


def test_odi_and_rmdq_rise_and_psfs_falls_with_the_pain_of_the_week(caseload, scores):
    pain, sheet = caseload[1], caseload[2]
    vp = _visit_pain(pain, sheet)
    assert _spearman(vp, _by_visit(scores, sheet, "odi")) > 0.5
    assert _spearman(vp, _by_visit(scores, sheet, "rmdq")) > 0.5
    assert _spearman(vp, _by_visit(scores, sheet, "psfs")) < -0.5


def test_odi_falls_when_a_patients_pain_falls(caseload, scores):
    pain, sheet = caseload[1], caseload[2]
    f = sheet.assign(pain=_visit_pain(pain, sheet), odi=_by_visit(scores, sheet, "odi")).dropna(
        subset=["pain", "odi"])
    g = f.groupby("patient_id")
    d = pd.DataFrame({"pain": g["pain"].last() - g["pain"].first(),
                      "odi": g["odi"].last() - g["odi"].first()})
    assert _spearman(d["pain"], d["odi"]) > 0.5
    fell = d["pain"] < -1
    assert fell.sum() >= 10
    assert (d.loc[fell, "odi"] < 0).mean() >= 0.8


def test_ears_follows_the_adherence_of_the_weeks_before(caseload, scores):
    sessions, _, sheet = caseload
    prog = default_program()
    ex = sessions.loc[[prog.resolve(x) not in (WALK, None) for x in sessions["exercise"]]]
    done = set(zip(ex["patient_id"], pd.to_datetime(ex["date"]), strict=True))
    first = sheet.groupby("patient_id")["date"].transform("min")
    share = []
    for r, f0 in zip(sheet.itertuples(index=False), first, strict=True):
        d = pd.Timestamp(r.date)
        span = (range(0, 7) if r.date == f0 else range(-14, 0))  # baseline: the first week
        share.append(np.mean([(r.patient_id, d + pd.Timedelta(days=i)) in done for i in span]))
    assert _spearman(share, _by_visit(scores, sheet, "ears")) > 0.5


def test_one_patient_has_no_patient_column_and_loads_as_the_patient():
    sessions, pain = simulate_logs(days=84, seed=3)
    sheet = simulate_outcomes(sessions, pain, seed=3)
    assert list(sheet.columns) == list(OUTCOMES_RAW_COLUMNS)
    assert set(bx.load_outcomes(sheet)["patient_id"]) == {"patient"}


def test_every_says_what_it_needs(caseload):
    sessions, pain, _ = caseload
    with pytest.raises(ValueError, match="every must be"):
        simulate_outcomes(sessions, pain, seed=1, every=(28, 14))
    weekly = simulate_outcomes(sessions, pain, seed=1, every=(7, 7))
    gaps = pd.to_datetime(weekly["date"]).groupby(weekly["patient_id"]).diff().dropna()
    assert (gaps.dt.days == 7).all()
