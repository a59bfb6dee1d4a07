"""Scoring the function questionnaires exactly (score_outcomes, outcomes_trend): each rule
and each missing-data case of docs/metrics.md, "Function questionnaires", worked out by
hand; the change that matters at exactly its thresholds; the thresholds from the program."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.analysis.adherence import AnalysisInputError
from backrx_analysis.program import OutcomeRules, default_program


def load(*rows, **options):
    return bx.load_outcomes(pd.DataFrame(list(rows)), **options)


def visit(date, patient="P01", **cells):
    return {"patient_id": patient, "date": date, **cells}


def odi(*answers):
    return {f"odi_{k}": a for k, a in enumerate(answers, start=1)}


def rmdq(yes, no, blank=0, na=0, yes_word="yes"):
    cells = [yes_word] * yes + ["n/a"] * na + ["no"] * no + [None] * blank
    assert len(cells) == 24
    return {f"rmdq_{k}": c for k, c in enumerate(cells, start=1)}


def ears(*answers):
    return {f"ears_{k}": a for k, a in enumerate(answers, start=1)}


def psfs(**scores):
    out = {}
    for k, (name, score) in enumerate(scores.items(), start=1):
        out[f"psfs_activity_{k}"] = name.replace("_", " ")
        out[f"psfs_score_{k}"] = score
    return out


def one(scores, q):
    rows = scores.loc[scores["questionnaire"] == q]
    assert len(rows) == 1
    return rows.iloc[0]


# -- the thresholds come from the program -------------------------------------------


def test_outcome_rules_defaults_and_from_the_program():
    r = default_program().outcomes
    assert (r.odi_points, r.odi_fraction, r.rmdq_points, r.rmdq_fraction, r.psfs_points) == (
        10, 0.30, 5, 0.30, 2)
    assert (r.odi_max_missing, r.rmdq_max_missing) == (1, 2)
    clinic = default_program().with_changes(outcomes=OutcomeRules(odi_points=8))
    assert clinic.outcomes.odi_points == 8 and clinic.pain == default_program().pain
    assert bx.Prescriptions({}, default=clinic).outcomes.odi_points == 8
    with pytest.raises(AttributeError):
        r.odi_points = 5  # frozen


# -- ODI 2.1a ---------------------------------------------------------------------------


def test_odi_ten_sections_16_of_50_is_32():
    s = one(bx.score_outcomes(load(visit("2026-03-02", **odi(2, 2, 1, 2, 1, 2, 2, 2, 1, 1)))),
            "odi")
    assert s["score"] == 32.0 and s["scored"] and pd.isna(s["why_not"])
    assert s["rule"] == "10 sections: 16/50" and s["n_answered"] == 10
    assert s["band"] == "moderate disability"


def test_odi_one_section_missing_16_of_45_is_35_6():
    s = one(bx.score_outcomes(load(visit("2026-03-02",
                                         **odi(2, 2, 1, None, 3, 2, 2, 2, 1, 1)))), "odi")
    assert s["score"] == 35.6  # 16 / 45 x 100 = 35.555...
    assert s["rule"] == "1 section missing (section 4): 16/45" and s["n_answered"] == 9


def test_odi_two_sections_missing_is_not_scored_unless_the_program_allows_it():
    row = visit("2026-03-02", **odi(2, 2, 1, None, 3, 2, None, 2, 1, 1))
    s = one(bx.score_outcomes(load(row)), "odi")
    assert not s["scored"] and np.isnan(s["score"]) and pd.isna(s["band"])
    assert s["why_not"] == "2 sections missing (4 and 7): more than 1 missing is not scored"
    looser = default_program().with_changes(outcomes=OutcomeRules(odi_max_missing=2))
    s = one(bx.score_outcomes(load(row), program=looser), "odi")
    assert s["score"] == 35.0  # 14 / 40 x 100
    assert s["rule"] == "2 sections missing (sections 4 and 7): 14/40"


def test_odi_two_boxes_ticked_the_higher_counts_and_the_rule_says_so():
    s = one(bx.score_outcomes(load(visit("2026-03-02",
                                         **odi(1, 2, "4,5", 1, 2, 1, 2, 1, 1, 1)))), "odi")
    assert s["score"] == 34.0  # 1+2+5+1+2+1+2+1+1+1 = 17 of 50
    assert s["rule"] == "10 sections: 17/50; two boxes ticked in section 3: the higher counted"


@pytest.mark.parametrize("index, band", [
    (0, "minimal disability"), (20, "minimal disability"), (22, "moderate disability"),
    (40, "moderate disability"), (42, "severe disability"), (60, "severe disability"),
    (62, "crippled"), (80, "crippled"), (82, "bed-bound or exaggerating"),
    (100, "bed-bound or exaggerating")])
def test_odi_bands_of_fairbank_and_pynsent(index, band):
    s = one(bx.score_outcomes(load(visit("2026-03-02", odi_total=index))), "odi")
    assert s["band"] == band and s["rule"] == "scored on paper" and s["score"] == index
    assert pd.isna(s["n_answered"])


# -- RMDQ -------------------------------------------------------------------------------


def test_rmdq_seven_yes_of_24_is_7():
    s = one(bx.score_outcomes(load(visit("2026-03-02", **rmdq(7, 17)))), "rmdq")
    assert s["score"] == 7.0 and s["rule"] == "24 statements: 7 yes" and s["n_answered"] == 24


def test_rmdq_pro_rated_up_to_two_missing_and_refused_beyond():
    two = one(bx.score_outcomes(load(visit("2026-03-02", **rmdq(7, 15, blank=2)))), "rmdq")
    assert two["score"] == 7.6  # 7 / 22 x 24 = 7.636...
    assert two["rule"] == "pro-rated: 2 items missing (7/22 x 24)"
    one_missing = one(bx.score_outcomes(load(visit("2026-03-02", **rmdq(7, 16, blank=1)))),
                      "rmdq")
    assert one_missing["score"] == 7.3  # 7 / 23 x 24 = 7.304...
    three = one(bx.score_outcomes(load(visit("2026-03-02", **rmdq(7, 14, blank=3)))), "rmdq")
    assert not three["scored"] and np.isnan(three["score"])
    assert three["why_not"].startswith("3 statements missing: more than 2 are not pro-rated")


def test_rmdq_tick_only_form_blanks_are_no():
    ticks = rmdq(7, 0, blank=17, yes_word="x")
    s = one(bx.score_outcomes(load(visit("2026-03-02", **ticks), rmdq_blank="no")), "rmdq")
    assert s["score"] == 7.0
    assert s["rule"] == "24 statements: 7 yes; tick-only form: 17 blanks counted as no"
    s = one(bx.score_outcomes(load(visit("2026-03-02", rmdq_form="tick", **ticks))), "rmdq")
    assert s["score"] == 7.0
    refused = one(bx.score_outcomes(load(visit("2026-03-02", **ticks))), "rmdq")
    assert not refused["scored"] and "rmdq_blank='no'" in refused["why_not"]


def test_rmdq_not_applicable_counts_as_no():
    s = one(bx.score_outcomes(load(visit("2026-03-02", **rmdq(6, 16, na=2)))), "rmdq")
    assert s["score"] == 6.0 and s["rule"] == "24 statements: 6 yes; 2 answered n/a (counted as no)"


# -- PSFS and EARS --------------------------------------------------------------------


def test_psfs_mean_of_three_activities():
    s = one(bx.score_outcomes(load(visit("2026-03-02", **psfs(bending=4, lifting=5,
                                                              walking=7.5)))), "psfs")
    assert s["score"] == 5.5 and s["rule"] == "mean of 3 activities" and s["n_answered"] == 3


def test_psfs_fewer_than_three_activities_is_scored_and_said():
    s = one(bx.score_outcomes(load(visit("2026-03-02", **psfs(bending=4, lifting=6.5)))),
            "psfs")
    assert s["score"] == 5.3  # 5.25: halves up
    assert s["rule"] == "mean of 2 activities (the PSFS asks for 3 to 5)"


@pytest.mark.parametrize("answers, total", [
    ((1, 3, 4, 0, 2, 1), 19),  # (4-1) + 3 + 4 + (4-0) + 2 + (4-1)
    ((4, 0, 0, 4, 0, 4), 0),
    ((0, 4, 4, 0, 4, 0), 24),
    ((2, 2, 2, 2, 2, 2), 12)])
def test_ears_items_1_4_6_reverse_scored(answers, total):
    s = one(bx.score_outcomes(load(visit("2026-03-02", **ears(*answers)))), "ears")
    assert s["score"] == total
    assert s["rule"] == "6 items, 1, 4 and 6 reverse-scored (4 - answer)"


def test_ears_with_an_item_missing_is_not_scored():
    s = one(bx.score_outcomes(load(visit("2026-03-02", **ears(1, 3, None, 0, 2, 1)))), "ears")
    assert not s["scored"]
    assert s["why_not"] == "item 3 missing: the EARS is scored only with all 6 items answered"


# -- totals on paper ------------------------------------------------------------------


def test_a_total_on_paper_beside_the_items():
    items = odi(2, 2, 1, 2, 1, 2, 2, 2, 1, 1)  # 32 %
    differs = one(bx.score_outcomes(load(visit("2026-03-02", odi_total=30, **items))), "odi")
    assert differs["score"] == 32.0
    assert differs["rule"].endswith("; the total on paper (30) differs: the items' score is used")
    agrees = one(bx.score_outcomes(load(visit("2026-03-02", rmdq_total=8, **rmdq(7, 15,
                                                                                blank=2)))),
                 "rmdq")
    assert agrees["score"] == 7.6 and agrees["rule"].endswith("; the total on paper agrees")
    refused = one(bx.score_outcomes(load(visit("2026-03-02", ears_total=18,
                                               **ears(1, 3, None, 0, 2, 1)))), "ears")
    assert not refused["scored"] and refused["why_not"].endswith(
        "; the total on paper (18) is not used")


# -- change, status, baseline ---------------------------------------------------------


def trend_of(q, values, program=None, patient="P01"):
    """The trend of totals on paper on consecutive fortnights."""
    start = dt.date(2026, 3, 2)
    rows = [visit(str(start + dt.timedelta(days=14 * i)), patient, **{f"{q}_total": v})
            for i, v in enumerate(values)]
    return bx.outcomes_trend(load(*rows), program=program)


@pytest.mark.parametrize("q, baseline, later, status, by", [
    ("odi", 40, 30, "improved", "10 points"),
    ("odi", 40, 30.1, "no_change", None),  # 9.9 points, 24.75 %
    ("odi", 20, 14, "improved", "30 %"),
    ("odi", 20, 14.2, "no_change", None),  # 29 %
    ("odi", 35.6, 25.6, "improved", "10 points"),  # 35.6 - 25.6 is 9.999999999999996
    ("odi", 30, 40, "worse", "10 points"),
    ("odi", 30, 39.8, "no_change", None),  # worse has no percentage rule
    ("odi", 40, 28, "improved", "10 points and 30 %"),
    ("rmdq", 10, 5, "improved", "5 points and 30 %"),
    ("rmdq", 10, 7, "improved", "30 %"),
    ("rmdq", 10, 7.1, "no_change", None),
    ("rmdq", 20, 15, "improved", "5 points"),  # 30 % of 20 would be 6
    ("rmdq", 10, 15, "worse", "5 points"),
    ("psfs", 3, 5, "improved", "2 points"),  # higher is better
    ("psfs", 3, 4.9, "no_change", None),
    ("psfs", 5, 3, "worse", "2 points"),
])
def test_change_that_matters_at_exactly_its_thresholds(q, baseline, later, status, by):
    t = trend_of(q, [baseline, later])
    base, now = t.iloc[0], t.iloc[1]
    assert bool(base["is_baseline"]) and pd.isna(base["status"]) and base["change"] == 0
    assert now["baseline"] == baseline and now["baseline_date"] == pd.Timestamp("2026-03-02")
    assert now["change"] == round(later - baseline, 1)
    assert now["change_pct"] == pytest.approx(100 * (later - baseline) / baseline)
    assert now["status"] == status
    assert (pd.isna(now["status_by"]) if by is None else now["status_by"] == by)


def test_thresholds_a_clinic_sets():
    clinic = default_program().with_changes(outcomes=OutcomeRules(odi_points=8,
                                                                  odi_fraction=0.5))
    t = trend_of("odi", [40, 32], program=clinic)
    assert t["status"].iloc[1] == "improved" and t["status_by"].iloc[1] == "8 points"
    assert trend_of("odi", [40, 32])["status"].iloc[1] == "no_change"


def test_ears_change_is_reported_without_a_status():
    t = trend_of("ears", [12, 20])
    assert t["change"].iloc[1] == 8 and pd.isna(t["status"].iloc[1])
    assert t["change_pct"].iloc[1] == pytest.approx(100 * 8 / 12)


def test_the_baseline_is_the_first_scored_date_and_unscored_rows_have_no_change():
    rows = [visit("2026-03-02", **odi(2, 2, None, None, 2, 2, 2, 2, 2, 2)),  # refused
            visit("2026-03-16", **odi(4, 4, 4, 4, 4, 4, 4, 4, 4, 4)),  # 80 %
            visit("2026-03-30", **odi(2, None, None, 2, 2, 2, 2, 2, 2, 2)),  # refused
            visit("2026-04-13", **odi(3, 3, 3, 3, 3, 3, 3, 3, 3, 3))]  # 60 %
    t = bx.outcomes_trend(load(*rows))
    assert t["scored"].tolist() == [False, True, False, True]
    assert pd.isna(t["baseline_date"].iloc[0]) and np.isnan(t["baseline"].iloc[0])
    assert t["is_baseline"].tolist() == [False, True, False, False]
    assert np.isnan(t["change"].iloc[2]) and pd.isna(t["status"].iloc[2])
    assert t["baseline"].iloc[3] == 80 and t["change"].iloc[3] == -20
    assert t["status"].iloc[3] == "improved" and t["status_by"].iloc[3] == "10 points"


def test_psfs_compares_the_same_activities_by_name():
    rows = [visit("2026-03-02", **psfs(Bending=2, lifting=4, walking=3)),  # mean 3.0
            visit("2026-03-16", **psfs(bending=4, WALKING=6, stairs=8)),  # mean 6.0
            visit("2026-03-30", **psfs(cooking=5, gardening=6, driving=7))]
    t = bx.outcomes_trend(load(*rows))
    assert t["score"].tolist() == [3.0, 6.0, 6.0]
    second = t.iloc[1]
    assert second["baseline"] == 2.5 and second["change"] == 2.5  # (4+6)/2 - (2+3)/2
    assert second["status"] == "improved" and second["status_by"] == "2 points"
    assert second["rule"] == ("mean of 3 activities; change over the 2 activities named at "
                              "both visits (Bending, walking)")
    third = t.iloc[2]
    assert np.isnan(third["change"]) and pd.isna(third["status"])
    assert third["rule"].endswith("no activity in common with the baseline: no change")


def test_never_across_patients():
    rows = [visit("2026-03-02", "P01", **psfs(bending=2, lifting=2, walking=2)),
            visit("2026-03-16", "P02", **psfs(bending=8, lifting=8, walking=8)),
            visit("2026-03-30", "P02", **psfs(bending=9, lifting=9, walking=9))]
    t = bx.outcomes_trend(load(*rows))
    p2 = t.loc[t["patient_id"] == "P02"]
    assert p2["is_baseline"].tolist() == [True, False]
    assert p2["baseline"].tolist() == [8.0, 8.0] and p2["change"].tolist() == [0.0, 1.0]
    assert p2["status"].astype(object).fillna("").tolist() == ["", "no_change"]


def test_one_row_per_patient_questionnaire_and_date_sorted():
    rows = [visit("2026-03-16", "P02", odi_total=20, rmdq_total=4),
            visit("2026-03-02", "P02", odi_total=30),
            visit("2026-03-02", "P01", ears_total=12, rmdq_total=8)]
    s = bx.score_outcomes(load(*rows))
    assert s[["patient_id", "questionnaire"]].astype(str).values.tolist() == [
        ["P01", "rmdq"], ["P01", "ears"], ["P02", "odi"], ["P02", "odi"], ["P02", "rmdq"]]
    assert s["date"].dt.day.tolist() == [2, 2, 2, 16, 16]  # the P02 ODI of 2 March first
    assert s["source_line"].tolist() == [3, 3, 2, 1, 1]
    assert list(bx.outcomes_trend(load(*rows)).columns[:9]) == list(s.columns[:9])


def test_a_frame_that_is_not_a_questionnaire_frame_is_refused():
    with pytest.raises(AnalysisInputError, match="no column 'questionnaire'"):
        bx.score_outcomes(pd.DataFrame({"patient_id": ["p"], "date": ["2026-03-02"],
                                        "item": [1], "answer": [2]}))
    bad = pd.DataFrame({"patient_id": "p", "date": "2026-03-02", "questionnaire": "odi",
                        "item": [1, 1], "answer": [2, 3]})
    with pytest.raises(AnalysisInputError, match="given twice"):
        bx.score_outcomes(bad)
    with pytest.raises(AnalysisInputError, match="out of range"):
        bx.score_outcomes(bad.assign(item=[1, 2], answer=[2, 6]))
    with pytest.raises(AnalysisInputError, match="unknown questionnaires"):
        bx.score_outcomes(bad.assign(item=[1, 2], questionnaire="sf36"))
