"""QuestionnaireForm driven as a person does (setting .value, clicking save): what it
writes loads back and scores by hand; what the loader refuses is shown, not written."""

from __future__ import annotations

import datetime as dt

import pytest

from backrx_analysis.app.questionnaire import ODI_SECTIONS, QuestionnaireForm
from backrx_analysis.io.outcomes import load_outcomes

DAY = dt.date(2026, 3, 2)


def _fill(boxes, answers):
    for box, a in zip(boxes, answers, strict=False):
        box.value = a


def test_a_visit_is_saved_and_scored(tmp_path):
    sheet = tmp_path / "questionnaires.csv"
    form = QuestionnaireForm(sheet, patient_id="P01", today=DAY)
    assert [t for t in form.tabs.titles] == ["ODI", "RMDQ", "PSFS", "EARS"]
    assert len(form.odi) == len(ODI_SECTIONS) == 10 and len(form.rmdq) == 24
    _fill(form.odi, [3, 3, 3, 3, 3, 3, 2, 3, 3, None])  # 26 of 45 -> 57.8 %, 1 missing
    _fill(form.ears, [1, 3, 4, 0, 2, 1])                # 19 (items 1, 4, 6 reversed)
    form.psfs_activity[0].value = "lifting the shopping"
    form.psfs_score[0].value = 4
    form.psfs_activity[1].value = "gardening"
    form.psfs_score[1].value = 7
    form.save.click()
    assert "Nothing was saved" not in form.result.value
    assert "line 2" in form.result.value
    got = form.scored.set_index("questionnaire")["score"]
    assert got["odi"] == pytest.approx(57.8)
    assert got["ears"] == 19.0
    assert got["psfs"] == 5.5
    assert "rmdq" not in got.index  # left blank: not given
    back = load_outcomes(sheet)
    assert set(back["patient_id"]) == {"P01"}
    assert back.loc[back["questionnaire"] == "psfs", "activity"].dropna().tolist() == [
        "lifting the shopping", "gardening"]


def test_a_refused_entry_says_why_and_writes_nothing(tmp_path):
    sheet = tmp_path / "q.csv"
    form = QuestionnaireForm(sheet, today=DAY)
    form.psfs_score[2].value = 6  # a score without its activity
    form.save.click()
    assert "Nothing was saved" in form.result.value
    assert "psfs_score_3" in form.result.value and "needs its activity" in form.result.value
    assert not sheet.exists() or sheet.read_text().count("\n") <= 1


def test_nothing_filled_in_is_not_saved(tmp_path):
    form = QuestionnaireForm(tmp_path / "q.csv", today=DAY)
    form.psfs_activity[0].value = "walking"  # a name alone is not an answer
    form.save.click()
    assert "Nothing to save" in form.result.value
    assert not (tmp_path / "q.csv").exists()


def test_the_same_day_twice_is_refused(tmp_path):
    sheet = tmp_path / "q.csv"
    for _ in range(2):
        form = QuestionnaireForm(sheet, today=DAY)
        _fill(form.ears, [1, 3, 4, 0, 2, 1])
        form.save.click()
    assert "second EARS" in form.result.value
    assert len(load_outcomes(sheet)) == 6


def test_the_last_visits_psfs_activities_are_proposed(tmp_path):
    sheet = tmp_path / "q.csv"
    first = QuestionnaireForm(sheet, patient_id="P02", today=DAY)
    first.psfs_activity[0].value, first.psfs_score[0].value = "sitting at work", 3
    first.psfs_activity[1].value, first.psfs_score[1].value = "running", 2
    first.save.click()
    other = QuestionnaireForm(sheet, patient_id="P09", today=DAY)
    assert [b.value for b in other.psfs_activity[:2]] == ["", ""]  # never across patients
    again = QuestionnaireForm(sheet, patient_id="P02", today=DAY + dt.timedelta(days=21))
    assert [b.value for b in again.psfs_activity[:3]] == ["sitting at work", "running", ""]
    assert all(s.value is None for s in again.psfs_score)  # scores are the patient's to give
    again.psfs_score[0].value, again.psfs_score[1].value = 6, 4
    again.save.click()
    assert again.scored["score"].tolist() == [5.0]


def test_rmdq_yes_no_with_blanks_is_pro_rated(tmp_path):
    sheet = tmp_path / "q.csv"
    form = QuestionnaireForm(sheet, today=DAY, questionnaires=("rmdq",))
    assert list(form.tabs.titles) == ["RMDQ"]
    for i, box in enumerate(form.rmdq):
        box.value = "" if i in (0, 1) else ("yes" if i < 8 else "no")
    form.save.click()
    r = form.scored.iloc[0]
    assert r["score"] == pytest.approx(6 / 22 * 24, abs=0.05)  # 6.5, 2 missing
    assert "pro-rated" in r["rule"]
    with pytest.raises(ValueError, match="unknown questionnaires"):
        QuestionnaireForm(sheet, questionnaires=("sf36",))
