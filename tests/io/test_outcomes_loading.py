"""Loading function questionnaires (bx.load_outcomes): the layout, every kind of answer,
what a blank means, and every problem at once with file, line, column and value."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.io.outcomes import OUTCOMES_COLUMNS, check_outcomes, outcomes_dtypes

ODI = ",".join(f"odi_{k}" for k in range(1, 11))
RMDQ = ",".join(f"rmdq_{k}" for k in range(1, 25))
EARS = ",".join(f"ears_{k}" for k in range(1, 7))


def write(tmp_path, text, name="q.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def rows_of(frame, q):
    return frame.loc[frame["questionnaire"] == q]


def test_one_row_per_item_with_the_documented_dtypes(tmp_path):
    text = (f"patient_id,date,{ODI},odi_total\n"
            'P01,2026-03-02,1,2,"4,5",1,2,1,2,1,1,1,32\n')
    f = bx.load_outcomes(write(tmp_path, text))
    assert tuple(f.columns) == OUTCOMES_COLUMNS
    assert {c: str(t) for c, t in f.dtypes.items()} == {
        c: str(pd.api.types.pandas_dtype(t)) for c, t in outcomes_dtypes().items()}
    assert list(f["questionnaire"].cat.categories) == ["odi", "rmdq", "psfs", "ears"]
    assert f["item"].tolist() == list(range(0, 11))  # the total on paper is item 0
    assert f["answer"].tolist() == [32, 1, 2, 5, 1, 2, 1, 2, 1, 1, 1]
    assert f["two_ticked"].tolist() == [False, False, False, True] + [False] * 7
    assert f.loc[f["item"] == 3, "written"].item() == "4,5"
    assert set(f["source"]) == {"q.csv"} and set(f["source_line"]) == {2}
    assert set(f["patient_id"]) == {"P01"}
    assert f["date"].iloc[0] == pd.Timestamp("2026-03-02")


@pytest.mark.parametrize("cell, answer", [("4/5", 5.0), ("5,4", 5.0), ("3 and 4", 4.0),
                                          ("0/1", 1.0)])
def test_two_boxes_ticked_the_higher_counts_and_it_is_kept(tmp_path, cell, answer):
    f = bx.load_outcomes(write(tmp_path, f'date,odi_1\n2026-03-02,"{cell}"\n'))
    row = f.loc[f["item"] == 1].iloc[0]
    assert row["answer"] == answer and bool(row["two_ticked"]) and row["written"] == cell


def test_a_row_holds_several_questionnaires_and_only_those_given(tmp_path):
    text = ("patient_id,date,odi_1,odi_2,rmdq_1,ears_1,psfs_activity_1,psfs_score_1,notes\n"
            "P01,2026-03-02,3,,yes,,bending,4,first visit\n"
            "P01,2026-03-16,,,,2,,,\n"
            "P01,2026-03-30,,,,,,,nothing filled: a template row\n")
    f = bx.load_outcomes(write(tmp_path, text))
    first = f.loc[f["source_line"] == 2]
    assert sorted(set(first["questionnaire"].astype(str))) == ["odi", "psfs", "rmdq"]
    # every item of a questionnaire whose items were answered is there, NA when blank
    assert len(rows_of(first, "odi")) == 10 and rows_of(first, "odi")["answer"].isna().sum() == 9
    assert len(rows_of(first, "rmdq")) == 24
    psfs = rows_of(first, "psfs")
    assert psfs[["item", "answer", "activity"]].values.tolist() == [[1, 4.0, "bending"]]
    second = f.loc[f["source_line"] == 3]
    assert set(second["questionnaire"].astype(str)) == {"ears"} and len(second) == 6
    assert 4 not in set(f["source_line"])
    assert f.attrs["ignored_columns"] == ["notes"]


def test_rmdq_answers_as_people_write_them(tmp_path):
    cells = ["yes", "Y", "1", "true", "x", "\u2713", "no", "n", "0", "FALSE", "n/a", ""]
    header = ",".join(f"rmdq_{k}" for k in range(1, len(cells) + 1))
    f = bx.load_outcomes(write(tmp_path, f"date,{header}\n2026-03-02,{','.join(cells)}\n"))
    answers = rows_of(f, "rmdq")["answer"].tolist()[:len(cells)]
    assert answers[:11] == [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]  # n/a counts as no
    assert pd.isna(answers[11])  # a blank on a yes/no form (the default) is missing
    assert rows_of(f, "rmdq")["answer"].isna().sum() == 24 - 11


def test_rmdq_blank_no_and_the_form_column(tmp_path):
    text = (f"date,rmdq_form,{RMDQ}\n"
            "2026-03-02,tick," + ",".join(["x"] * 7 + [""] * 17) + "\n"
            "2026-03-09,yes/no," + ",".join(["x"] * 7 + [""] * 17) + "\n"
            "2026-03-16,," + ",".join(["x"] * 7 + [""] * 17) + "\n")
    f = bx.load_outcomes(write(tmp_path, text))
    by_line = {line: rows_of(g, "rmdq")["answer"] for line, g in f.groupby("source_line")}
    assert by_line[2].tolist() == [1.0] * 7 + [0.0] * 17  # tick-only: blank is no
    assert by_line[3].isna().sum() == 17  # yes/no form: blank is missing
    assert by_line[4].isna().sum() == 17  # no form written: the default, missing
    g = bx.load_outcomes(write(tmp_path, text), rmdq_blank="no")
    assert rows_of(g.loc[g["source_line"] == 4], "rmdq")["answer"].isna().sum() == 0
    assert rows_of(g.loc[g["source_line"] == 3], "rmdq")["answer"].isna().sum() == 17
    assert rows_of(g, "rmdq")["written"].isna().sum() == 3 * 17  # blanks stay blank as written
    with pytest.raises(ValueError, match="rmdq_blank must be"):
        bx.load_outcomes(write(tmp_path, text), rmdq_blank="yes")


def test_psfs_scores_with_decimals_and_the_totals_on_paper(tmp_path):
    text = ("date,psfs_activity_1,psfs_score_1,psfs_activity_2,psfs_score_2,odi_total,"
            "rmdq_total,psfs_total,ears_total\n"
            "2026-03-02,Bending to garden,6.5,Lifting the child,0,32 %,7.6,3.25,18\n")
    f = bx.load_outcomes(write(tmp_path, text))
    psfs = rows_of(f, "psfs")
    assert psfs[["item", "answer"]].values.tolist() == [[0, 3.25], [1, 6.5], [2, 0.0]]
    assert psfs["activity"].tolist()[1:] == ["Bending to garden", "Lifting the child"]
    totals = f.loc[f["item"] == 0].set_index(f.loc[f["item"] == 0, "questionnaire"].astype(str))
    assert totals["answer"].to_dict() == {"odi": 32.0, "rmdq": 7.6, "psfs": 3.25, "ears": 18.0}


def test_every_problem_at_once_with_file_line_column_and_value(tmp_path):
    text = ("patient_id,date,odi_1,odi_2,odi_11,rmdq_1,psfs_activity_1,psfs_score_1,"
            "psfs_activity_2,psfs_score_2,ears_1,odi_total,rmdq_total,psfs_total,ears_total,"
            "comment\n"
            "P01,2026-03-02,6,2.5,,maybe,bending,11,lifting,,5,120,25,10.5,25,ok\n"
            "P01,,1,,,,,,,4,,,,,,\n")
    path = write(tmp_path, text)
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_outcomes(path)
    probs = err.value.problems
    assert set(probs["file"]) == {str(path)}
    got = probs[["line", "column", "value"]].values.tolist()
    assert got == [
        [1, "odi_11", ""],
        [2, "odi_1", "6"], [2, "odi_2", "2.5"], [2, "rmdq_1", "maybe"],
        [2, "psfs_score_1", "11"], [2, "ears_1", "5"], [2, "odi_total", "120"],
        [2, "rmdq_total", "25"], [2, "psfs_total", "10.5"], [2, "ears_total", "25"],
        [2, "psfs_activity_2", "lifting"],
        [3, "psfs_score_2", "4"], [3, "date", ""],
    ]
    why = dict(zip(probs["column"] + "@" + probs["line"].astype(str), probs["problem"],
                   strict=True))
    assert "unknown ODI column; accepted: odi_1 to odi_10" in why["odi_11@1"]
    assert "scored 0 to 5" in why["odi_1@2"] and "'4,5'" in why["odi_1@2"]
    assert "not a yes/no answer; accepted: yes" in why["rmdq_1@2"]
    assert "0 (unable) to 10" in why["psfs_score_1@2"]
    assert "EARS item is scored 0 to 4" in why["ears_1@2"]
    assert "0 to 100" in why["odi_total@2"] and "0 to 24" in why["rmdq_total@2"]
    assert "has no score" in why["psfs_activity_2@2"]
    assert "needs its activity" in why["psfs_score_2@3"]
    assert "missing date" in why["date@3"]
    assert "comment" not in set(probs["column"])  # other columns are ignored, as in the logs
    pd.testing.assert_frame_equal(check_outcomes(path), probs)


def test_a_missing_date_column_and_no_questionnaire_columns(tmp_path):
    with pytest.raises(bx.LogValidationError, match="missing required column date"):
        bx.load_outcomes(write(tmp_path, "patient,odi_1\nP01,3\n"))
    with pytest.raises(bx.LogValidationError, match="no questionnaire columns"):
        bx.load_outcomes(write(tmp_path, "date,pain\n2026-03-02,3\n"))


def test_the_same_questionnaire_twice_on_a_day_and_the_patient_id(tmp_path):
    text = "patient_id,date,odi_1\nP01,2026-03-02,1\nP01,2026-03-02,2\n,2026-03-02,3\n"
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_outcomes(write(tmp_path, text))
    p = err.value.problems
    assert p[["line", "column"]].values.tolist() == [[3, "date"], [4, "patient_id"]]
    assert "a second ODI of this patient on this day (the first is on line 2)" in p["problem"][0]
    f = bx.load_outcomes(write(tmp_path, "date,odi_1\n2026-03-02,1\n"), patient_id="Ann")
    assert set(f["patient_id"]) == {"Ann"}


def test_slash_dates_take_dayfirst(tmp_path):
    path = write(tmp_path, "date,ears_1\n02/03/2026,1\n")
    with pytest.raises(bx.LogValidationError, match="dayfirst"):
        bx.load_outcomes(path)
    assert bx.load_outcomes(path, dayfirst=True)["date"].iloc[0] == pd.Timestamp("2026-03-02")


def test_xlsx_json_and_a_frame_load_as_the_csv_does(tmp_path):
    sheet = pd.DataFrame({"patient_id": ["P01"], "date": [pd.Timestamp("2026-03-02")],
                          "odi_1": ["4/5"], "odi_2": [3], "rmdq_1": [1], "rmdq_2": [0],
                          "ears_1": [2], "psfs_activity_1": ["stairs"], "psfs_score_1": [7]})
    xlsx = tmp_path / "q.xlsx"
    sheet.to_excel(xlsx, index=False)
    js = tmp_path / "q.json"
    js.write_text(json.dumps([{"patient_id": "P01", "date": "2026-03-02", "odi_1": "4/5",
                               "odi_2": 3, "rmdq_1": True, "rmdq_2": False, "ears_1": 2,
                               "psfs_activity_1": "stairs", "psfs_score_1": 7}]))
    csv = write(tmp_path, "patient_id,date,odi_1,odi_2,rmdq_1,rmdq_2,ears_1,psfs_activity_1,"
                          "psfs_score_1\nP01,2026-03-02,4/5,3,yes,no,2,stairs,7\n")
    cols = ["questionnaire", "item", "answer", "two_ticked", "activity"]
    want = bx.load_outcomes(csv)[cols]
    for src in (xlsx, js, sheet):
        got = bx.load_outcomes(src)
        pd.testing.assert_frame_equal(got[cols], want)
    assert bx.load_outcomes(xlsx)["source_line"].iloc[0] == 2  # the spreadsheet row


def test_headers_are_matched_as_the_logs_headers_are(tmp_path):
    text = "Patient,Date,ODI 1,ODI-2,Odi_Total\nP01,2026-03-02,1,2,10\n"
    f = bx.load_outcomes(write(tmp_path, text))
    assert f["item"].tolist()[:3] == [0, 1, 2]
    with pytest.raises(bx.LogValidationError, match="would be the same column"):
        bx.load_outcomes(write(tmp_path, "date,odi_1,ODI 1\n2026-03-02,1,2\n"))


def test_a_clean_sheet_has_no_problems(tmp_path):
    text = f"date,{EARS}\n2026-03-02,1,3,4,0,2,1\n"
    assert check_outcomes(write(tmp_path, text)).empty
    f = bx.load_outcomes(write(tmp_path, text))
    assert np.array_equal(f["answer"].to_numpy(dtype=float), [1, 3, 4, 0, 2, 1])
