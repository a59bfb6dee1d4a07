"""append_outcomes: questionnaire answers appended with the logs' promises (validated
by the loader's rules first, nothing written when refused, never rewritten)."""

from __future__ import annotations

import pandas as pd
import pytest

from backrx_analysis.analysis.outcomes import score_outcomes
from backrx_analysis.errors import LogFormatError, LogValidationError
from backrx_analysis.io.outcome_writer import OUTCOMES_HEADER, append_outcomes
from backrx_analysis.io.outcomes import load_outcomes

EARS = {f"ears_{i}": a for i, a in enumerate([1, 3, 4, 0, 2, 1], start=1)}
# hand-scored: items 1, 4 and 6 reversed: (4-1) + 3 + 4 + (4-0) + 2 + (4-1) = 19
ODI = {f"odi_{i}": a for i, a in enumerate([3, "2,3", 3, 3, 3, 3, 2, 3, 3, 2], start=1)}
# hand-scored: 3+3+3+3+3+3+2+3+3+2 = 28 of 50 -> 56 % (two boxes: the higher counts)


def test_new_sheet_gets_the_full_header_and_scores(tmp_path):
    sheet = tmp_path / "questionnaires.csv"
    written = append_outcomes(sheet, [{"date": "2026-03-02", **EARS, **ODI}])
    header = sheet.read_text().splitlines()[0].split(",")
    assert header == list(OUTCOMES_HEADER)
    assert set(written["source_line"]) == {2}
    scores = score_outcomes(load_outcomes(sheet)).set_index("questionnaire")["score"]
    assert scores["ears"] == 19.0
    assert scores["odi"] == pytest.approx(56.0)


def test_patient_id_comes_first_and_dates_of_any_kind(tmp_path):
    import datetime as dt

    sheet = tmp_path / "q.csv"
    append_outcomes(sheet, [{"patient_id": "P01", "date": dt.date(2026, 3, 2), **EARS}])
    append_outcomes(sheet, [{"patient_id": "P02", "date": pd.Timestamp("2026-03-02"), **EARS}])
    assert sheet.read_text().splitlines()[0].startswith("patient_id,date,odi_1")
    got = load_outcomes(sheet)
    assert sorted(got["patient_id"].unique()) == ["P01", "P02"]
    assert got["date"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2026-03-02"]


def test_appends_only_in_the_files_own_layout(tmp_path):
    sheet = tmp_path / "q.csv"
    before = (b"Date;EARS 1;EARS 2;EARS 3;EARS 4;EARS 5;EARS 6;notes\r\n"
              b"2026-03-02;1;3;4;0;2;1;kept as is\r\n")
    sheet.write_bytes(before)
    written = append_outcomes(sheet, [{"date": "2026-03-23", **EARS, "ears_2": 4}])
    after = sheet.read_bytes()
    assert after.startswith(before)  # never rewritten
    assert after[len(before):] == b"2026-03-23;1;4;4;0;2;1;\r\n"
    assert written["source_line"].unique().tolist() == [3]
    assert score_outcomes(load_outcomes(sheet))["score"].tolist() == [19.0, 20.0]


def test_a_sheet_without_a_final_newline_gets_one_first(tmp_path):
    sheet = tmp_path / "q.csv"
    sheet.write_bytes(b"date,ears_1,ears_2,ears_3,ears_4,ears_5,ears_6\n2026-03-02,1,3,4,0,2,1")
    append_outcomes(sheet, [{"date": "2026-03-09", **EARS}])
    assert sheet.read_bytes().endswith(b"2026-03-02,1,3,4,0,2,1\n2026-03-09,1,3,4,0,2,1\n")


def test_every_problem_at_once_and_nothing_written(tmp_path):
    sheet = tmp_path / "q.csv"
    append_outcomes(sheet, [{"date": "2026-03-02", **EARS}])
    before = sheet.read_bytes()
    with pytest.raises(LogValidationError) as err:
        append_outcomes(sheet, [{"date": "2026-03-09", "odi_1": 6, "psfs_score_1": 11,
                                 "rmdq_3": "maybe"}])
    problems = err.value.problems
    assert set(problems["column"]) == {"odi_1", "psfs_score_1", "rmdq_3"}
    assert set(problems["line"]) == {3}  # the line the entry would have had
    assert (problems["file"] == str(sheet)).all()
    assert sheet.read_bytes() == before


def test_the_same_questionnaire_twice_on_a_day_is_refused(tmp_path):
    sheet = tmp_path / "q.csv"
    append_outcomes(sheet, [{"date": "2026-03-02", **EARS}])
    before = sheet.read_bytes()
    with pytest.raises(LogValidationError, match="second EARS"):
        append_outcomes(sheet, [{"date": "2026-03-02", **EARS}])
    assert sheet.read_bytes() == before
    append_outcomes(sheet, [{"date": "2026-03-02", **ODI}])  # another questionnaire: fine


def test_older_problems_of_the_sheet_do_not_block_a_good_entry(tmp_path):
    sheet = tmp_path / "q.csv"
    sheet.write_text("date,ears_1,ears_2,ears_3,ears_4,ears_5,ears_6\n2026-03-02,9,3,4,0,2,1\n")
    written = append_outcomes(sheet, [{"date": "2026-03-09", **EARS}])
    assert written["source_line"].unique().tolist() == [3]
    assert written["answer"].tolist() == [1, 3, 4, 0, 2, 1]


def test_an_answer_the_sheet_has_no_column_for_is_refused(tmp_path):
    sheet = tmp_path / "q.csv"
    sheet.write_text("date,ears_1,ears_2,ears_3,ears_4,ears_5,ears_6\n")
    with pytest.raises(LogFormatError, match="no column for odi_1"):
        append_outcomes(sheet, [{"date": "2026-03-09", **EARS, "odi_1": 3}])
    assert sheet.read_text().count("\n") == 1


def test_unknown_keys_and_empty_entries_are_refused(tmp_path):
    sheet = tmp_path / "q.csv"
    with pytest.raises(ValueError, match="'odi_11'.*'mood'"):
        append_outcomes(sheet, [{"date": "2026-03-09", "odi_11": 3, "mood": "ok"}])
    with pytest.raises(ValueError, match="needs its 'date'"):
        append_outcomes(sheet, [EARS])
    with pytest.raises(ValueError, match="no answers"):
        append_outcomes(sheet, [{"date": "2026-03-09", "odi_1": None}])
    with pytest.raises(LogFormatError, match="CSV or TSV"):
        append_outcomes(tmp_path / "q.xlsx", [{"date": "2026-03-09", **EARS}])
    assert not sheet.exists() or load_outcomes(sheet).empty


def test_psfs_activities_and_yes_no(tmp_path):
    sheet = tmp_path / "q.csv"
    entry = {"date": "2026-03-02", "psfs_activity_1": "lifting the shopping",
             "psfs_score_1": 4.5, "psfs_activity_2": "gardening", "psfs_score_2": 6,
             "psfs_activity_3": "driving", "psfs_score_3": 2,
             **{f"rmdq_{i}": (i % 3 == 0) for i in range(1, 25)}}
    append_outcomes(sheet, [entry])
    scores = score_outcomes(load_outcomes(sheet)).set_index("questionnaire")["score"]
    assert scores["psfs"] == 4.2  # (4.5 + 6 + 2) / 3 = 4.1667, kept at one decimal
    assert scores["rmdq"] == 8  # statements 3, 6, ..., 24
