"""Loading logs: every format, header synonyms, dates as written, and every problem at once."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.program import Band, Exercise, Program

LONG = (
    "date,exercise,reps,sets,side,minutes,notes\n"
    "2026-03-02,Ankle pumps,10,1,,3,\n"
    "2026-03-02,SLR,10,1,left,2,\n"
    "2026-03-02,SLR,10,1,right,2,\"felt ok, a bit stiff\"\n"
    "2026-03-03,wall slide,8,2,,4,\n"
    "2026-03-03,walk,,,,15,\n"
)


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def test_long_csv_canonical_columns_and_dtypes(tmp_path):
    s = bx.load_sessions(write(tmp_path, "s.csv", LONG))
    assert list(s.columns) == list(bx.SESSIONS_COLUMNS)
    assert s["exercise"].tolist() == [
        "ankle_pumps", "straight_leg_raise", "straight_leg_raise", "wall_squat", "walk"]
    assert s["reps"].tolist()[:4] == [10, 10, 10, 8]
    assert s["reps"].isna().tolist() == [False, False, False, False, True]
    assert s["side"].astype(object).tolist()[:3] == [np.nan, "left", "right"] or \
        s["side"].isna().tolist()[:3] == [True, False, False]
    assert s["source_line"].tolist() == [2, 3, 4, 5, 6]
    assert s["source"].unique().tolist() == ["s.csv"]
    assert s["notes"].iloc[2] == "felt ok, a bit stiff"
    assert str(s["date"].dtype) == "datetime64[ns]"
    assert str(s["reps"].dtype) == "Int64" and str(s["minutes"].dtype) == "Float64"
    assert s["patient_id"].unique().tolist() == ["patient"]
    assert isinstance(s["exercise"].dtype, pd.CategoricalDtype)
    assert list(s["exercise"].cat.categories) == list(bx.default_program().activity_ids)


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_every_delimiter_is_sniffed(tmp_path, delim):
    text = LONG.replace(",", delim).replace(f'"felt ok{delim} a bit stiff"', "felt ok")
    s = bx.load_sessions(write(tmp_path, "s.csv", text))
    assert len(s) == 5
    assert s["minutes"].sum() == 26


def test_tsv_suffix(tmp_path):
    s = bx.load_sessions(write(tmp_path, "s.tsv", LONG.replace(",", "\t").replace("\t a bit", " a bit")))
    assert len(s) == 5


def test_utf8_bom_and_crlf(tmp_path):
    p = write(tmp_path, "s.csv", b"\xef\xbb\xbf" + LONG.replace("\n", "\r\n").encode())
    s = bx.load_sessions(p)
    assert len(s) == 5 and s["source_line"].tolist() == [2, 3, 4, 5, 6]


def test_decimal_comma_with_semicolons(tmp_path):
    text = "datum;exercise;reps;minutes\n2026-03-02;ankle pumps;10;2,5\n2026-03-02;walk;;12,25\n"
    text = text.replace("datum", "date")
    s = bx.load_sessions(write(tmp_path, "s.csv", text))
    assert s["minutes"].tolist() == [2.5, 12.25]


def test_cp1252_note_is_read(tmp_path):
    text = "date,exercise,reps,notes\n2026-03-02,ankle pumps,10,caf\xe9 walk \u2013 fine\n"
    s = bx.load_sessions(write(tmp_path, "s.csv", text, encoding="cp1252"))
    assert s["notes"].iloc[0] == "caf\u00e9 walk \u2013 fine"


def test_blank_lines_are_skipped_and_lines_still_match_the_editor(tmp_path):
    text = "\ndate,exercise,reps\n\n2026-03-02,ankle pumps,10\n,,\n   \n2026-03-03,crunch,10\n\n"
    s = bx.load_sessions(write(tmp_path, "s.csv", text))
    assert s["source_line"].tolist() == [4, 7]
    assert s["exercise"].tolist() == ["ankle_pumps", "partial_curl_up"]


def test_quoted_line_break_keeps_line_numbers(tmp_path):
    text = ('date,exercise,reps,notes\n2026-03-02,ankle pumps,10,"two\nlines"\n'
            "2026-03-03,crunch,x,\n")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions(write(tmp_path, "s.csv", text))
    assert err.value.problems["line"].tolist() == [4]
    text = text.replace(",x,", ",10,")
    s = bx.load_sessions(write(tmp_path, "s.csv", text))
    assert s["notes"].iloc[0] == "two\nlines" and s["source_line"].tolist() == [2, 4]


def test_header_synonyms_units_and_case(tmp_path):
    text = ("Patient ID;Day;Activity;Repetitions (n);SETS;Leg;Duration [min];Comment\n"
            "A1;2026-03-02;Straight-Leg Raise;10;1;L;2;x\n"
            "A1;2026-03-02;straight_leg_raise;10;1;R;2;\n")
    s = bx.load_sessions(write(tmp_path, "s.csv", text))
    assert s["patient_id"].tolist() == ["A1", "A1"]
    assert s["side"].astype(str).tolist() == ["left", "right"]
    assert s["minutes"].tolist() == [2.0, 2.0]
    assert s["notes"].iloc[0] == "x"


def test_time_column_in_minutes_unit_means_duration(tmp_path):
    text = "date,exercise,reps,Time (min)\n2026-03-02,ankle pumps,10,4\n"
    s = bx.load_sessions(write(tmp_path, "s.csv", text))
    assert s["minutes"].tolist() == [4.0]


def test_every_alias_from_the_program_resolves(tmp_path):
    prog = bx.default_program()
    rows = []
    for e in prog.exercises:
        for alias in e.aliases:
            rows.append(f"2026-03-02,{alias.upper()},10")
    for alias in prog.walk_aliases + prog.session_aliases:
        rows.append(f"2026-03-02,{alias},,10")
    text = "date,exercise,reps,minutes\n" + "\n".join(r if r.count(",") == 3 else r + ",1"
                                                   for r in rows) + "\n"
    s = bx.load_sessions(write(tmp_path, "s.csv", text))
    assert len(s) == len(rows)
    assert set(s["exercise"]) == set(prog.activity_ids)


def test_offsets_keep_the_day_as_written_across_midnight(tmp_path):
    text = ("timestamp,pain\n2026-03-02T23:45:00-05:00,6\n2026-03-03T00:15:00+09:00,4\n"
            "2026-03-03T08:00:00Z,3\n2026-03-04 07:30,5\n")
    p = bx.load_pain(write(tmp_path, "p.csv", text))
    assert p["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-03-02", "2026-03-03", "2026-03-03", "2026-03-04"]
    assert p["timestamp"].dt.strftime("%H:%M").tolist() == ["23:45", "00:15", "08:00", "07:30"]
    assert p["utc_offset_min"].tolist()[:3] == [-300, 540, 0]
    assert p["utc_offset_min"].isna().tolist()[3]


def test_separate_date_and_time_columns(tmp_path):
    text = "date,time,pain\n2026-03-02,23:45,6\n2026-03-02,8:15 pm,5\n2026-03-03,,4\n"
    p = bx.load_pain(write(tmp_path, "p.csv", text))
    assert p["timestamp"].dt.strftime("%Y-%m-%d %H:%M").tolist()[:2] == [
        "2026-03-02 23:45", "2026-03-02 20:15"]
    assert pd.isna(p["timestamp"].iloc[2])


def test_dayfirst_inferred_when_the_data_decides(tmp_path):
    text = "date,pain\n02/03/2026,5\n25/03/2026,4\n"
    p = bx.load_pain(write(tmp_path, "p.csv", text))
    assert p["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-25"]
    text = "date,pain\n03/02/2026,5\n03/25/2026,4\n"
    p = bx.load_pain(write(tmp_path, "p2.csv", text))
    assert p["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-25"]


def test_ambiguous_slash_dates_ask_for_dayfirst(tmp_path):
    path = write(tmp_path, "p.csv", "date,pain\n02/03/2026,5\n04/03/2026,4\n")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_pain(path)
    assert "dayfirst" in str(err.value)
    assert len(err.value.problems) == 1  # said once for the file, not once per row
    assert bx.load_pain(path, dayfirst=True)["date"].dt.month.tolist() == [3, 3]
    assert bx.load_pain(path, dayfirst=False)["date"].dt.month.tolist() == [2, 4]


def test_same_day_and_month_is_not_ambiguous(tmp_path):
    p = bx.load_pain(write(tmp_path, "p.csv", "date,pain\n03/03/2026,5\n"))
    assert p["date"].iloc[0] == pd.Timestamp("2026-03-03")


def test_wide_sheet_becomes_long_entries(tmp_path):
    text = ("Date,Ankle pumps,Ab bracing,Wall squat,SLR,Curl-up,Exercise minutes,Walk minutes,Notes\n"
            "2026-03-02,10,10,10,10,10,18,15,good day\n"
            "2026-03-03,10,,5,,,8,,\n"
            "2026-03-04,,,,,,,,\n")
    s = bx.load_sessions(write(tmp_path, "w.csv", text))
    day1 = s[s["date"] == "2026-03-02"]
    assert sorted(day1["exercise"].astype(str)) == sorted(
        ["ankle_pumps", "abdominal_bracing", "wall_squat", "straight_leg_raise",
         "partial_curl_up", "session", "walk"])
    assert day1.loc[day1["exercise"] == "session", "minutes"].tolist() == [18.0]
    assert day1.loc[day1["exercise"] == "walk", "minutes"].tolist() == [15.0]
    assert day1["notes"].dropna().tolist() == ["good day"]
    assert (day1["source_line"] == 2).all()
    day2 = s[s["date"] == "2026-03-03"]
    assert day2.set_index(day2["exercise"].astype(str))["reps"].dropna().to_dict() == {
        "ankle_pumps": 10, "wall_squat": 5}
    assert (s["date"] == "2026-03-04").sum() == 0  # an empty template day logs nothing


def test_wide_per_side_columns(tmp_path):
    text = "date,SLR left,SLR right,ankle pumps\n2026-03-02,10,8,10\n"
    s = bx.load_sessions(write(tmp_path, "w.csv", text))
    slr = s[s["exercise"] == "straight_leg_raise"]
    assert dict(zip(slr["side"].astype(str), slr["reps"], strict=True)) == {"left": 10, "right": 8}


def test_xlsx_first_sheet_or_named_sheet(tmp_path):
    path = tmp_path / "log.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        pd.DataFrame({"x": [1]}).to_excel(xw, sheet_name="Readme", index=False)
        pd.DataFrame({
            "Date": [pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-03")],
            "Exercise": ["Ankle pumps", "walk"],
            "Reps": [10, None],
            "Minutes": [3, 20],
        }).to_excel(xw, sheet_name="Log", index=False, startrow=2)
    with pytest.raises(bx.LogValidationError, match="missing required column"):
        bx.load_sessions(path)
    s = bx.load_sessions(path, sheet="Log")
    assert s["exercise"].tolist() == ["ankle_pumps", "walk"]
    assert s["source_line"].tolist() == [4, 5]  # the spreadsheet's own row numbers
    assert s["date"].dt.day.tolist() == [2, 3]


def test_xlsx_bad_cell_names_the_spreadsheet_row(tmp_path):
    path = tmp_path / "log.xlsx"
    pd.DataFrame({"date": ["2026-03-02", "2026-03-02"], "pain": [5, 11]}).to_excel(path, index=False)
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_pain(path)
    assert err.value.problems[["line", "column", "value"]].values.tolist() == [[3, "pain", "11"]]


def test_json_records_and_parquet(tmp_path):
    recs = [{"date": "2026-03-02", "exercise": "crunch", "reps": 10},
            {"date": "2026-03-02T21:00:00+02:00", "exercise": "walk", "minutes": 12}]
    js = write(tmp_path, "s.json", json.dumps(recs))
    s = bx.load_sessions(js)
    assert s["exercise"].tolist() == ["partial_curl_up", "walk"]
    assert s["source_line"].tolist() == [1, 2]
    pq = tmp_path / "s.parquet"
    pd.DataFrame(recs).to_parquet(pq)
    s2 = bx.load_sessions(pq)
    pd.testing.assert_frame_equal(s.drop(columns="source"), s2.drop(columns="source"))


def test_dataframe_and_list_of_files(tmp_path):
    a = write(tmp_path, "a.csv", LONG)
    df = pd.DataFrame({"date": ["2026-03-04"], "exercise": ["crunch"], "reps": [10]})
    s = bx.load_sessions([a, df])
    assert len(s) == 6
    assert s["source"].astype(str).tolist()[-1] == "<DataFrame>"


def test_timezone_aware_dataframe_keeps_wall_time():
    ts = pd.Series(pd.to_datetime(["2026-03-02T23:45:00-05:00"])).dt.tz_convert("America/New_York")
    p = bx.load_pain(pd.DataFrame({"timestamp": ts, "pain": [4]}))
    assert p["date"].iloc[0] == pd.Timestamp("2026-03-02")
    assert p["timestamp"].iloc[0] == pd.Timestamp("2026-03-02 23:45")


def test_every_bad_row_is_reported_together_with_its_line(tmp_path):
    text = (
        "date,exercise,reps,sets,side,minutes\n"
        "2026-03-02,ankle pumps,10,1,,3\n"          # 2 fine
        "2026-03-02,wal squat,10,1,,3\n"            # 3 unknown exercise
        "2026-03-02,crunch,-2,1,,3\n"               # 4 negative reps
        "2026-03-02,crunch,ten,1,,3\n"              # 5 non-numeric reps
        "2026-03-02,crunch,10,1,,-1\n"              # 6 negative minutes
        "2026-02-30,crunch,10,1,,3\n"               # 7 impossible date
        "yesterday,crunch,10,1,,3\n"                # 8 unparseable date
        "2026-03-02,slr,10,1,middle,3\n"            # 9 bad side
        "2026-03-02,walk,,,,\n"                     # 10 walk without minutes
        "2026-03-02,crunch,,,,\n"                   # 11 nothing logged
        "2026-03-02,crunch,10.5,1,,inf\n"           # 12 fractional reps + non-finite minutes
        ",crunch,10,1,,3\n"                         # 13 missing date
    )
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions(path)
    probs = err.value.problems
    assert list(probs.columns) == ["file", "line", "column", "value", "problem"]
    got = list(zip(probs["line"], probs["column"], strict=True))
    assert got == [
        (3, "exercise"), (4, "reps"), (5, "reps"), (6, "minutes"), (7, "date"), (8, "date"),
        (9, "side"), (10, "minutes"), (11, "reps"), (12, "reps"), (12, "minutes"), (13, "date"),
    ]
    assert "did you mean 'wall squat'" in probs["problem"].iloc[0]
    assert (probs["file"] == str(path)).all()
    msg = str(err.value)
    assert msg.startswith(f"12 problems in {path}")
    assert "line 8, column 'date': 'yesterday'" in msg
    assert isinstance(err.value, ValueError)
    # check_logs gives the same table without raising
    pd.testing.assert_frame_equal(bx.check_logs(path), probs)


def test_pain_problems(tmp_path):
    text = "date,pain\n2026-03-02,11\n2026-03-02,\n2026-03-02,bad\n2026-03-02,-1\n2026-03-02,7.5\n"
    probs = bx.check_logs(write(tmp_path, "p.csv", text), kind="pain")
    assert probs["line"].tolist() == [2, 3, 4, 5]
    assert probs["problem"].str.contains("0 \\(no pain\\) to 10").all()


def test_missing_columns_name_what_was_found(tmp_path):
    path = write(tmp_path, "p.csv", "when,how bad\n2026-03-02,5\n")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_pain(path)
    msg = str(err.value)
    assert "missing required column pain" in msg and "'how bad'" in msg


def test_duplicate_header_fields_are_a_problem(tmp_path):
    path = write(tmp_path, "s.csv", "date,exercise,reps,repetitions\n2026-03-02,crunch,10,10\n")
    with pytest.raises(bx.LogValidationError, match="would be the reps column"):
        bx.load_sessions(path)


def test_empty_and_header_only_files_say_so(tmp_path):
    with pytest.raises(bx.LogFormatError, match="empty"):
        bx.load_sessions(write(tmp_path, "e.csv", ""))
    with pytest.raises(bx.LogFormatError, match="no entries"):
        bx.load_sessions(write(tmp_path, "h.csv", "date,exercise,reps\n\n"))
    with pytest.raises(bx.LogFormatError, match="file not found"):
        bx.load_sessions(tmp_path / "nope.csv")
    with pytest.raises(bx.LogFormatError, match="unknown file type"):
        bx.load_sessions(write(tmp_path, "x.docx", "hello"))


def test_ragged_row_is_reported_not_lost(tmp_path):
    path = write(tmp_path, "s.csv", "date,exercise,reps\n2026-03-02,crunch,10,oops\n2026-03-03,crunch\n")
    probs = bx.check_logs(path)
    assert probs[["line", "column", "value"]].values.tolist() == [[2, "(extra cells)", "oops"],
                                                                 [3, "reps", ""]]


def test_problems_from_several_files_are_reported_together(tmp_path):
    a = write(tmp_path, "a.csv", "date,exercise,reps\n2026-03-02,crunchy,10\n")
    b = write(tmp_path, "b.csv", "date,exercise,reps\n2026-13-02,crunch,10\n")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions([a, b])
    assert err.value.problems["file"].tolist() == [str(a), str(b)]


def test_patient_column_and_default(tmp_path):
    text = "patient,date,pain\nP1,2026-03-02,5\nP2,2026-03-02,4\n,2026-03-02,3\n"
    probs = bx.check_logs(write(tmp_path, "p.csv", text), kind="pain")
    assert probs["line"].tolist() == [4] and "patient" in probs["problem"].iloc[0]
    p = bx.load_pain(write(tmp_path, "q.csv", "date,pain\n2026-03-02,5\n"), patient_id="Ann")
    assert p["patient_id"].tolist() == ["Ann"]


def test_custom_program_accepts_only_its_exercises(tmp_path):
    prog = Program(exercises=(Exercise("bridge", "Bridge", aliases=("glute bridge",)),),
                   exercise_minutes=Band(5, 20))
    path = write(tmp_path, "s.csv", "date,exercise,reps\n2026-03-02,glute bridge,10\n2026-03-02,crunch,10\n")
    probs = bx.check_logs(path, program=prog)
    assert probs["line"].tolist() == [3]
    ok = write(tmp_path, "t.csv", "date,exercise,reps\n2026-03-02,glute bridge,10\n")
    s = bx.load_sessions(ok, program=prog)
    assert list(s["exercise"].cat.categories) == ["bridge", "walk", "session"]


def test_files_are_never_modified(tmp_path):
    path = write(tmp_path, "bad.csv", "date,exercise,reps\n2026-03-02,crunchy,10\n")
    before = path.read_bytes(), path.stat().st_mtime_ns
    bx.check_logs(path)
    with pytest.raises(bx.LogValidationError):
        bx.load_sessions(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_the_same_export_loaded_twice_is_reported(tmp_path):
    a = write(tmp_path, "a.csv", LONG)
    b = write(tmp_path, "b.csv", LONG.replace("2026-03-03,walk,,,,15,\n", "2026-03-04,walk,,,,15,\n"))
    with pytest.warns(bx.DuplicateEntriesWarning, match="4 entries appear in more than one") as rec:
        s = bx.load_sessions([a, b])
    assert "b.csv line 2" in str(rec[0].message)
    assert len(s) == 10 and s.attrs["duplicates"] == 4
    with pytest.warns(bx.DuplicateEntriesWarning, match="dropped 4"):
        d = bx.load_sessions([a, b], duplicates="drop")
    assert len(d) == 6 and d.attrs["duplicates_dropped"] == 4
    assert d["source"].astype(str).tolist() == ["a.csv"] * 5 + ["b.csv"]
    with pytest.raises(bx.LogValidationError, match="already in an earlier file"):
        bx.load_sessions([a, b], duplicates="error")


def test_identical_entries_within_one_file_are_not_duplicates(tmp_path, recwarn):
    text = "date,exercise,reps\n2026-03-02,crunch,10\n2026-03-02,crunch,10\n"
    s = bx.load_sessions(write(tmp_path, "a.csv", text))
    assert len(s) == 2 and s.attrs["duplicates"] == 0
    # two copies in a, three in b: the third in b is new
    b = write(tmp_path, "b.csv", text + "2026-03-02,crunch,10\n")
    with pytest.warns(bx.DuplicateEntriesWarning, match="2 entries"):
        both = bx.load_sessions([tmp_path / "a.csv", b], duplicates="drop")
    assert both["source_line"].tolist() == [2, 3, 4]


def test_pain_duplicates(tmp_path):
    a = write(tmp_path, "p.csv", "date,pain\n2026-03-02,5\n")
    with pytest.warns(bx.DuplicateEntriesWarning):
        p = bx.load_pain([a, a], duplicates="drop")
    assert len(p) == 1


def test_dataframe_with_datetime_column_splits_day_and_time():
    """A DataFrame's datetime64 column: the day is the date part, a time other than
    midnight is the timestamp, and the year rule is the text one."""
    df = pd.DataFrame({"date": pd.to_datetime(["2026-03-02 08:15", "2026-03-03 00:00"]),
                       "time": [None, "10:30"], "exercise": ["walk", "walk"], "minutes": [10, 12]})
    s = bx.load_sessions(df)
    assert s["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-03"]
    assert s["timestamp"].dt.strftime("%H:%M").tolist() == ["08:15", "10:30"]
    df.loc[1, "date"] = pd.Timestamp("1850-03-03")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions(df)
    assert err.value.problems["problem"].str.contains("year is not plausible").tolist() == [True]
    assert err.value.problems["line"].tolist() == [2]


def test_read_log_reads_once_and_finds_the_kind(tmp_path, monkeypatch):
    from backrx_analysis.io import load as bio

    reads = []
    real = bio.read_table
    monkeypatch.setattr(bio, "read_table", lambda *a, **k: reads.append(a) or real(*a, **k))
    kind, frame, problems = bx.read_log(bx.sample_path("pain"))
    assert (kind, len(reads), problems.empty) == ("pain", 1, True)
    pd.testing.assert_frame_equal(frame, bx.load_pain(bx.sample_path("pain")))
    kind, frame, problems = bx.read_log(write(tmp_path, "s.csv", LONG + "2026-03-04,hula,3,,,,\n"))
    assert kind == "sessions" and len(frame) == 6
    assert problems["line"].tolist() == [7] and "unknown exercise" in problems["problem"][0]
    kind, frame, problems = bx.read_log(tmp_path / "missing.csv", kind="pain")
    assert kind == "pain" and frame.empty and list(frame.columns) == list(bx.PAIN_COLUMNS)
    assert "file not found" in problems["problem"][0]
    xlsx = tmp_path / "p.xlsx"
    bx.load_pain(bx.sample_path("pain")).drop(columns=["source", "source_line"]).to_excel(xlsx)
    assert bx.read_log(xlsx)[0] == "pain"


def test_joined_exports_old_mac_line_ends_and_impossible_offsets(tmp_path):
    """Three things real files do: a header repeated where two exports were joined
    (one problem for the line, not one per cell), CR-only line ends (read, with
    the lines an editor shows), and an offset no place on Earth has."""
    joined = write(tmp_path, "j.csv", "date,exercise,reps\n2026-03-02,wall squat,10\n"
                   "\ufeffDate,Exercise,Reps\n2026-03-03,wall squat,8\n")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions(joined)
    probs = err.value.problems
    assert probs["line"].tolist() == [3] and "repeats the header" in probs["problem"][0]
    mac = write(tmp_path, "m.csv", "date,exercise,reps\r2026-03-02,wall squat,10\r\r"
                "2026-03-03,wall squat,8\r")
    assert bx.load_sessions(mac)["source_line"].tolist() == [2, 4]
    far = write(tmp_path, "o.csv", "date,exercise,minutes\n2026-03-02T10:00+14:00,walk,10\n"
                "2026-03-02T10:00+99:99,walk,10\n")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions(far)
    assert err.value.problems["line"].tolist() == [3]
    assert "no place is +99:99 from UTC" in err.value.problems["problem"][0]


# -- sheets kept in other languages --------------------------------------------------

GERMAN = (
    "Datum;Übung;Wiederholungen;Sätze;Seite;Minuten;Bemerkung\n"
    "02.03.2026;Fußpumpe;10;1;;2,5;\n"
    "02.03.2026;Beinheben;10;1;links;1,5;\n"
    "02.03.2026;Beinheben;10;1;rechts;1,5;etwas steif\n"
    "03.03.2026;Kniebeuge an der Wand;8;2;;4;\n"
    "03.03.2026;Spaziergang;;;;15,5;\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_german_semicolon_sheet_with_decimal_commas(tmp_path, encoding):
    """The sheet of issue 11: a ';' file, decimal commas, dotted dates (day first, as
    every locale that writes dots does: no dayfirst needed), Excel's Windows-1252."""
    s = bx.load_sessions(write(tmp_path, "de.csv", GERMAN, encoding))
    assert s["exercise"].tolist() == ["ankle_pumps", "straight_leg_raise", "straight_leg_raise",
                                      "wall_squat", "walk"]
    assert s["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02"] * 3 + ["2026-03-03"] * 2
    assert s["reps"].tolist()[:4] == [10, 10, 10, 8] and s["reps"].isna().tolist()[4]
    assert s["sets"].tolist()[:4] == [1, 1, 1, 2]
    assert s["side"].astype(object).tolist()[1:3] == ["left", "right"]
    assert s["side"].isna().tolist() == [True, False, False, True, True]
    assert s["minutes"].tolist() == [2.5, 1.5, 1.5, 4.0, 15.5]
    assert s["notes"].iloc[2] == "etwas steif"
    assert s["source_line"].tolist() == [2, 3, 4, 5, 6]


def test_dotted_dates_are_day_first(tmp_path):
    text = "Datum;Übung;Wiederholungen;Minuten\n02.03.2026;Bauchspannung;10;2,5\n" \
           "13.03.2026;Bauchspannung;10;3\n"
    s = bx.load_sessions(write(tmp_path, "de.csv", text))
    assert s["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-13"]
    assert s["exercise"].tolist() == ["abdominal_bracing"] * 2
    assert s["minutes"].tolist() == [2.5, 3.0]
    only_early = "Datum;Übung;Wiederholungen;Minuten\n02.03.2026;Bauchspannung;10;2,5\n"
    s = bx.load_sessions(write(tmp_path, "de2.csv", only_early))
    assert s["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02"]
    # an explicit choice is still honoured; a dotted date that is not day first is refused
    assert bx.load_sessions(write(tmp_path, "de3.csv", only_early), dayfirst=False)[
        "date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-02-03"]
    bad = "Datum;Übung;Wiederholungen\n03.15.2026;Bauchspannung;10\n"
    with pytest.raises(bx.LogValidationError, match="impossible date"):
        bx.load_sessions(write(tmp_path, "de4.csv", bad))
    # slashes mixed with dots: the data must decide, as for slashes alone
    mixed = "date,exercise,reps\n02.03.2026,wall squat,10\n04/03/2026,wall squat,10\n"
    with pytest.raises(bx.LogValidationError, match="dayfirst"):
        bx.load_sessions(write(tmp_path, "mixed.csv", mixed))


def test_french_pain_log(tmp_path):
    text = ("Date;Heure;Douleur;Contexte;Localisation;Remarques\n"
            "02/03/2026;07:30;6,5;matin;bas du dos;\n"
            "02/03/2026;21:15;5;après exercice;fesse gauche;mieux\n"
            "13/03/2026;08:00;4;matin;bas du dos;\n")
    p = bx.load_pain(write(tmp_path, "douleur.csv", text))
    assert p["pain"].tolist() == [6.5, 5.0, 4.0]
    assert p["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-02",
                                                         "2026-03-13"]
    assert p["timestamp"].dt.strftime("%H:%M").tolist() == ["07:30", "21:15", "08:00"]
    assert p["context"].tolist() == ["matin", "après exercice", "matin"]
    assert p["location"].tolist() == ["bas du dos", "fesse gauche", "bas du dos"]
    assert p["notes"].iloc[1] == "mieux"
    assert bx.read_log(write(tmp_path, "d2.csv", text))[0] == "pain"


def test_spanish_wide_sheet(tmp_path):
    text = ("Fecha;Bombeo de tobillo;Sentadilla en la pared;Elevación de pierna recta izquierda;"
            "Elevación de pierna recta derecha;Crunch parcial;Minutos de ejercicio;"
            "Minutos de caminata;Notas\n"
            "2026-03-02;10;10;10;9;10;18,5;15;buen día\n"
            "2026-03-03;;8;;;;;20;\n")
    s = bx.load_sessions(write(tmp_path, "es.csv", text))
    assert s["exercise"].tolist() == ["ankle_pumps", "wall_squat", "straight_leg_raise",
                                      "straight_leg_raise", "partial_curl_up", "session", "walk",
                                      "wall_squat", "walk"]
    assert s["side"].astype(object).tolist()[2:4] == ["left", "right"]
    assert s["reps"].tolist()[:5] == [10, 10, 10, 9, 10] and s["reps"].tolist()[7] == 8
    assert s["minutes"].dropna().tolist() == [18.5, 15.0, 20.0]
    assert s["notes"].iloc[0] == "buen día" and s["notes"].iloc[1:].isna().all()
    assert s["source_line"].tolist() == [2] * 7 + [3] * 2


def test_dutch_long_sheet(tmp_path):
    text = ("datum,tijd,oefening,herhalingen,sets,kant,minuten,opmerkingen\n"
            "2026-03-02,07:40,Gestrekt been heffen,10,1,links,2,\n"
            "2026-03-02,07:40,gestrekt been heffen,10,1,Rechts,2,\n"
            "2026-03-02,07:50,Muurzit,10,1,,3,\n"
            "2026-03-02,08:00,buikspieren aanspannen,10,1,,2,goed\n"
            "2026-03-02,18:10,Wandelen,,,,20,\n"
            "2026-03-03,07:40,Oefeningen,,,,12,\n")
    s = bx.load_sessions(write(tmp_path, "nl.csv", text))
    assert s["exercise"].tolist() == ["straight_leg_raise", "straight_leg_raise", "wall_squat",
                                      "abdominal_bracing", "walk", "session"]
    assert s["side"].astype(object).tolist()[:2] == ["left", "right"]
    assert s["timestamp"].dt.strftime("%H:%M").tolist()[:3] == ["07:40", "07:40", "07:50"]
    assert s["minutes"].tolist() == [2, 2, 3, 2, 20, 12]
    assert s["notes"].iloc[3] == "goed"


def test_italian_long_sheet(tmp_path):
    text = ("Data;Ora;Esercizio;Ripetizioni;Serie;Lato;Durata (minuti);Tenuta (secondi);Note\n"
            "02/03/2026;07:40;Sollevamento gamba tesa;10;1;sinistra;2;5;\n"
            "02/03/2026;07:40;Sollevamento gamba tesa;10;1;destra;2;5;\n"
            "02/03/2026;07:50;Squat al muro;10;1;;3;5;\n"
            "02/03/2026;08:00;Crunch parziale;10;1;;2;1;bene\n"
            "13/03/2026;18:10;Passeggiata;;;;15;;\n")
    s = bx.load_sessions(write(tmp_path, "it.csv", text))
    assert s["exercise"].tolist() == ["straight_leg_raise", "straight_leg_raise", "wall_squat",
                                      "partial_curl_up", "walk"]
    assert s["side"].astype(object).tolist()[:2] == ["left", "right"]
    assert s["hold_s"].tolist()[:4] == [5, 5, 5, 1]
    assert s["minutes"].tolist() == [2, 2, 3, 2, 15]
    assert s["date"].dt.strftime("%Y-%m-%d").tolist()[-1] == "2026-03-13"


@pytest.mark.parametrize(
    ("written", "side"),
    [("links", "left"), ("Rechts", "right"), ("beide", "both"), ("gauche", "left"),
     ("Droite", "right"), ("les deux", "both"), ("izquierda", "left"), ("derecha", "right"),
     ("ambos", "both"), ("Beide benen", "both"), ("sinistra", "left"), ("DESTRA", "right"),
     ("entrambi", "both"), ("G", "left"), ("D", "right"), ("sx", "left"), ("dx", "right")],
)
def test_sides_in_other_languages(tmp_path, written, side):
    text = f"date,exercise,reps,side\n2026-03-02,SLR,10,{written}\n"
    s = bx.load_sessions(write(tmp_path, "s.csv", text))
    assert s["side"].astype(object).tolist() == [side]


def test_an_unknown_side_still_says_what_is_accepted(tmp_path):
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions(write(tmp_path, "s.csv", "Datum,Übung,Wdh,Seite\n2026-03-02,SLR,10,mitte\n"))
    (problem,) = err.value.problems["problem"].tolist()
    assert problem.startswith("unknown side; accepted: left, right, both") and "links" in problem


@pytest.mark.parametrize("header, cell, minutes", [
    ("Duration (s)", "600", 10.0), ("minutes (sec)", "90", 1.5), ("Dauer (Sek.)", "120", 2.0),
    ("Duration (h)", "0.5", 30.0), ("duration (ms)", "60000", 1.0), ("Minutes (min)", "7", 7.0),
    ("Minutes", "7", 7.0),
])
def test_a_duration_header_with_its_unit_becomes_minutes(tmp_path, header, cell, minutes):
    # a header naming seconds or hours was read as minutes before (600 s loaded as 600 min)
    p = write(tmp_path, "s.csv", f"date,exercise,{header}\n2026-03-02,walk,{cell}\n")
    assert bx.load_sessions(p)["minutes"].tolist() == [minutes]


def test_limits_apply_to_minutes_after_the_unit(tmp_path):
    # 86,400 s is 1,440 min (allowed); 90,000 s is 1,500 min (not plausible)
    p = write(tmp_path, "s.csv", "date,exercise,Duration (s)\n2026-03-02,walk,86400\n"
                                 "2026-03-03,walk,90000\n")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_sessions(p)
    probs = err.value.problems
    assert probs["line"].tolist() == [3] and probs["value"].tolist() == ["90000"]


def test_hold_in_minutes_becomes_seconds(tmp_path):
    p = write(tmp_path, "s.csv", "date,exercise,reps,hold (min)\n2026-03-02,wall squat,10,0.5\n")
    assert bx.load_sessions(p)["hold_s"].tolist() == [30.0]
