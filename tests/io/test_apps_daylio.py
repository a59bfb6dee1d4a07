"""Daylio exports (backrx_analysis.io.apps.daylio): the two real samples of
tests/io/fixtures/apps/daylio (SOURCES.md there), loaded through the public API, and
files built in the tests from their real rows (a multi-line note, a newer header, a
damaged file). Daylio records that an activity happened, never its minutes or reps:
every entry is unmeasured, and the day's numbers are unknown, never 0."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backrx_analysis as bx
from backrx_analysis.errors import LogFormatError, LogValidationError
from backrx_analysis.io.apps import daylio, detect, read_app
from backrx_analysis.io.apps.base import peek
from backrx_analysis.io.sample import sample_path
from backrx_analysis.io.validate import to_canonical

PROGRAM = bx.default_program()
FIXTURES = Path(__file__).parent / "fixtures" / "apps"
SAMPLE = FIXTURES / "daylio" / "daylio_sample.csv"
MOODS = FIXTURES / "daylio" / "daylio_sample_multiple_moods.csv"
WALK = {"nature / walk": "walk"}


def load(path, **kw) -> pd.DataFrame:
    with pytest.warns(bx.AppReportWarning):
        return bx.load_sessions(path, **kw)


def report(path, **kw) -> list[str]:
    return read_app(path, kind="sessions", program=PROGRAM, **kw).report


def day(daily: pd.DataFrame, date: str) -> pd.Series:
    return daily.loc[daily["date"] == pd.Timestamp(date)].iloc[0]


def real_lines(path=SAMPLE) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, text: str, name="daylio_export_2021_09_28.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# -- the real samples -------------------------------------------------------------------


def test_a_walk_without_minutes_is_unknown_never_zero():
    # By hand from daylio_sample.csv: line 3 is 2021-09-27 at "11:00 pm" with the
    # activity "nature / walk" among 12 others; mapped to walk it is one walk that day,
    # its minutes not recorded (Daylio has none): walk minutes NaN, walk met <NA>.
    s = load(SAMPLE, activities=WALK)
    assert s["exercise"].astype(str).tolist() == ["walk"]
    row = s.iloc[0]
    assert row["date"] == pd.Timestamp("2021-09-27")
    assert row["timestamp"] == pd.Timestamp("2021-09-27 23:00")
    assert pd.isna(row["utc_offset_min"]) and pd.isna(row["minutes"]) and pd.isna(row["reps"])
    assert s["measured"].dtype == "boolean" and s["measured"].tolist() == [False]
    assert row["source_line"] == 3 and row["source"] == SAMPLE.name
    assert row["notes"] == "Daylio activity 'nature / walk' (no duration recorded)"
    daily = bx.daily_adherence(s)
    d = day(daily, "2021-09-27")
    assert np.isnan(d["walk_minutes"]) and d["walk_met"] is pd.NA
    assert d["unmeasured_entries"] == 1 and d["entries"] == 1


def test_without_the_mapping_nature_walk_is_not_part_of_the_program():
    app = read_app(SAMPLE, kind="sessions", program=PROGRAM)
    assert app.app == "Daylio" and len(app.raw.frame) == 0
    # 14 names, none of the program: the 10 most frequent by name, the rest counted
    # (nature / walk is one of the four names ticked once, after the first ten)
    assert "4 entries of 4 other names are not part of the program" in app.report
    assert not any("nature / walk" in s and "not part" in s for s in app.report)
    # moods "sad ", "average", "average" are counted, not read; the notes are empty
    assert "3 mood ratings are not read: the program measures exercise, walks and pain" \
        in app.report
    assert not any("had a note" in s for s in app.report)
    assert "3 entries of 'movies / tv' are not part of the program" in app.report
    s = load(SAMPLE)
    assert s.empty


def test_an_exercise_ticked_without_reps_is_unknown():
    # "clean" is ticked on 2021-09-28 (line 2, "10:00 pm") and 2021-09-26 (line 4,
    # "11:00 pm"), not on 2021-09-27: mapped to wall_squat (for the test), the two days'
    # wall squats are unknown (<NA>), the 27th not done (False, 0 reps).
    s = load(SAMPLE, activities={**WALK, "clean": "wall_squat"})
    assert sorted(zip(s["source_line"], s["exercise"].astype(str), strict=True)) == [
        (2, "wall_squat"), (3, "walk"), (4, "wall_squat")]
    assert s.loc[s["source_line"] == 2, "timestamp"].item() == pd.Timestamp("2021-09-28 22:00")
    daily = bx.daily_adherence(s)
    for date in ("2021-09-26", "2021-09-28"):
        d = day(daily, date)
        assert d["met_wall_squat"] is pd.NA and d["reps_wall_squat"] is pd.NA
        assert d["walk_minutes"] == 0 and not d["walk_met"]  # an entry that day, no walk
        assert d["unmeasured_entries"] == 1
    d = day(daily, "2021-09-27")
    assert d["met_wall_squat"] == False and d["reps_wall_squat"] == 0  # noqa: E712
    assert np.isnan(d["walk_minutes"]) and d["walk_met"] is pd.NA


def test_second_sample_24_hour_times_and_an_entry_without_activities():
    # daylio_sample_multiple_moods.csv: "work" is ticked on 3 entries (counted below
    # with the csv module): 2021-05-12 at 18:52 and 15:40, 2020-08-25 at 17:08.
    with MOODS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    expected = sum("work" in [a.strip() for a in r["activities"].split("|")] for r in rows)
    assert expected == 3
    s = load(MOODS, activities={"work": "session", "Sleeping": "none"})
    assert len(s) == expected and set(s["exercise"].astype(str)) == {"session"}
    assert sorted(s["timestamp"]) == [pd.Timestamp("2020-08-25 17:08"),
                                      pd.Timestamp("2021-05-12 15:40"),
                                      pd.Timestamp("2021-05-12 18:52")]
    daily = bx.daily_adherence(s)
    d = day(daily, "2021-05-12")
    assert np.isnan(d["exercise_minutes"]) and d["unmeasured_entries"] == 2
    assert d["fully_adherent"] is pd.NA or d["fully_adherent"] == False  # noqa: E712
    assert day(daily, "2020-09-01")["exercise_minutes"] == 0  # a day with nothing logged
    rep = report(MOODS, activities={"work": "session", "Sleeping": "none"})
    assert "2 entries of 'Sleeping' are not part of the program (your activities mapping)" \
        in rep
    assert "1 entry had no activities" in rep
    assert "7 mood ratings are not read: the program measures exercise, walks and pain" in rep
    assert rep[0].startswith("7 Daylio entries read: 3 activities of the program (3 session)")


def test_recognised_by_content_and_claims_no_other_file(tmp_path):
    assert detect(SAMPLE) == "daylio" and detect(MOODS) == "daylio"
    renamed = tmp_path / "mood diary.txt"
    renamed.write_bytes(SAMPLE.read_bytes())
    assert detect(renamed) == "daylio"
    for kind in ("sessions", "pain"):
        assert not daylio.sniff(peek(sample_path(kind)))
    others = [p for p in FIXTURES.rglob("*") if p.is_file() and "daylio" not in p.parts
              and p.suffix != ".md"]
    assert others, "the other apps' fixtures are where this test expects them"
    for p in others:
        assert not daylio.sniff(peek(p)), p
    plain = write(tmp_path, "date,exercise,reps\n2021-09-27,walk,\n", "log.csv")
    assert not daylio.sniff(peek(plain))
    assert daylio.by_name("daylio_export_2021_09_28.csv") and not daylio.by_name("export.csv")


# -- files built from the real rows -------------------------------------------------------


def test_a_note_over_several_lines_moves_the_locator(tmp_path):
    # the real rows, the first one's note written over three lines (as Daylio quotes
    # it): the walk of 27 Sep starts on line 5 of the file, as an editor shows it
    head, first, walk, third = real_lines()
    noted = first.replace(',"",""', ',"Title","first line\nsecond line\nthird"')
    path = write(tmp_path, "\r\n".join([head, noted, walk, third]) + "\r\n")
    s = load(path, activities=WALK)
    assert s["source_line"].tolist() == [5]
    rep = report(path, activities=WALK)
    assert "1 entry had a note: Daylio notes are diary text and are not read" in rep
    assert s["notes"].tolist() == ["Daylio activity 'nature / walk' (no duration recorded)"]


def test_columns_are_found_by_name(tmp_path):
    # a newer export: a scales column, the columns in another order, a BOM
    head, _, walk, _ = real_lines()
    cells = next(csv.reader([walk]))
    names = head.split(",")
    order = ["note", "activities", "scales", "time", "full_date", "mood", "weekday", "date",
             "note_title"]
    by = dict(zip(names, cells, strict=True)) | {"scales": "Energy 4"}
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([order, [by[c] for c in order]])
    path = tmp_path / "new.csv"
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode())
    assert detect(path) == "daylio"
    s = load(path, activities=WALK)
    assert s["timestamp"].tolist() == [pd.Timestamp("2021-09-27 23:00")]
    assert "1 entry had scales (Daylio's own ratings): they are not read" in report(
        path, activities=WALK)


def test_the_same_entry_twice_is_counted_once(tmp_path):
    # two exports joined: the header again, then the same rows
    lines = real_lines()
    path = write(tmp_path, "\n".join(lines + lines) + "\n")
    s = load(path, activities=WALK)
    assert s["source_line"].tolist() == [3]
    rep = report(path, activities=WALK)
    assert "3 rows identical to an earlier row in every column counted once" in rep
    assert "1 line repeating the header skipped (two exports joined into one file)" in rep
    # "walk" and "nature / walk" in one entry: one walk
    head, _, walk, _ = real_lines()
    path = write(tmp_path, head + "\n" + walk.replace("nature / walk", "nature / walk | walk")
                 + "\n", "both.csv")
    assert len(load(path, activities=WALK)) == 1


@pytest.mark.parametrize("clock, expected", [
    ("10:00 pm", "2021-09-28T22:00:00"), ("12:30 am", "2021-09-28T00:30:00"),
    ("12:05 PM", "2021-09-28T12:05:00"), ("7:15 a.m.", "2021-09-28T07:15:00"),
    ("22:00", "2021-09-28T22:00:00"), ("8:13", "2021-09-28T08:13:00"),
    ("13:00 pm", "2021-09-28 13:00 pm"), ("noon", "2021-09-28 noon"),
])
def test_daylio_time(clock, expected):
    assert daylio.daylio_time("2021-09-28", clock) == expected


@pytest.mark.filterwarnings("ignore::backrx_analysis.io.apps.AppReportWarning")
def test_bad_values_are_problems_with_their_line(tmp_path):
    head, first, walk, third = real_lines()
    bad_time = walk.replace("11:00 pm", "25:00")
    bad_day = walk.replace("2021-09-27", "2021-02-30")
    path = write(tmp_path, "\n".join([head, first, bad_time, third, bad_day]) + "\n")
    with pytest.raises(LogValidationError) as info:
        bx.load_sessions(path, activities=WALK)
    got = {(int(r.line), r.column, r.value) for r in info.value.problems.itertuples()}
    assert got == {(3, "date", "2021-09-27T25:00:00"), (5, "date", "2021-02-30T23:00:00")}
    assert (info.value.problems["file"] == str(path)).all()


def refused(path, **kw) -> str:
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind="sessions", program=PROGRAM, **kw)
    problems = info.value.problems
    assert len(problems) == 1 and str(path) in problems["file"].item()
    return problems["problem"].item()


def test_files_that_cannot_be_read(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    empty = write(tmp_path, "")
    assert "is empty" in refused(empty)  # recognised by Daylio's file name
    cut = write(tmp_path, text[: text.index("nature / walk") + 4], "cut.csv")
    assert detect(cut) == "daylio"
    msg = refused(cut)
    assert "ends early or is damaged: line 3 has fewer cells than the header's 8" in msg
    head, *rows = real_lines()
    renamed = head.replace("activities", "tags")
    newer = write(tmp_path, "\n".join([renamed, *rows]) + "\n", "daylio_export_new.csv")
    msg = refused(newer, source="daylio")
    assert "the columns activities are missing" in msg and "full_date" in msg
    assert "not a Daylio export" in refused(sample_path("sessions"), source="daylio")
    checked = bx.check_logs(cut)
    assert len(checked) == 1 and "ends early" in checked["problem"].item()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(SAMPLE.read_bytes())),
       junk=st.binary(max_size=20))
def test_a_truncated_or_joined_file_is_refused_or_read(tmp_path_factory, cut, junk):
    # the reader's contract (source forced, so only this reader is tried): one
    # LogFormatError naming the file, or a raw table validation turns into entries and
    # problems at their lines, never another exception
    path = tmp_path_factory.mktemp("daylio") / "daylio_export_x.csv"
    path.write_bytes(SAMPLE.read_bytes()[:cut] + junk)
    try:
        app = read_app(path, kind="sessions", source="daylio", program=PROGRAM,
                       activities=WALK)
    except LogFormatError as exc:
        assert exc.problems["file"].str.contains(path.name, regex=False).all()
        return
    frame, problems = to_canonical(app.raw, "sessions", program=PROGRAM)
    assert set(frame["source_line"]) <= set(app.raw.lines)
    assert set(problems["line"].dropna().astype(int)) <= set(app.raw.lines)
