"""Bearable exports (backrx_analysis.io.apps.bearable): two excerpts of one real export
(tests/io/fixtures/apps/bearable, SOURCES.md there), loaded through the public API,
and files built in the tests from their real rows. Low-back-pain ratings stay on
Bearable's 0-4 scale (no NRS rule applies to them until the user converts them);
factors such as "Walk" are walks without minutes (unknown, never 0)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backrx_analysis as bx
from backrx_analysis.analysis.pain import convert_scale, scale_daily
from backrx_analysis.errors import LogFormatError, LogValidationError
from backrx_analysis.io.apps import bearable, daylio, detect, read_app
from backrx_analysis.io.apps.base import peek
from backrx_analysis.io.sample import sample_path
from backrx_analysis.io.validate import to_canonical
from backrx_analysis.scales import SCALES

PROGRAM = bx.default_program()
FIXTURES = Path(__file__).parent / "fixtures" / "apps"
AUTUMN = FIXTURES / "bearable" / "bearable_2020_excerpt.csv"
SUMMER = FIXTURES / "bearable" / "bearable_2021_excerpt.csv"
TO_NRS = {0: 0, 1: 3, 2: 5, 3: 7, 4: 9}  # a mapping chosen for the test, not the kit's
BACK = "Back (lower) pain (Mild)"


def load_pain(path, **kw) -> pd.DataFrame:
    with pytest.warns(bx.AppReportWarning):
        return bx.load_pain(path, **kw)


def load_sessions(path, **kw) -> pd.DataFrame:
    with pytest.warns(bx.AppReportWarning):
        return bx.load_sessions(path, **kw)


def report(path, kind, **kw) -> list[str]:
    return read_app(path, kind=kind, program=PROGRAM, **kw).report


def by_day(daily: pd.DataFrame, column: str) -> dict[str, float]:
    return {d.strftime("%Y-%m-%d"): float(v) for d, v in zip(daily["date"], daily[column],
                                                             strict=True)}


def lines_of(path=AUTUMN) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, lines: list[str], name="Bearable_Export_20210728.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return path


def the_row(text: str, path=AUTUMN) -> str:
    """The one line of a fixture holding ``text``."""
    found = [line for line in lines_of(path) if text in line]
    assert len(found) == 1, text
    return found[0]


# -- pain: the first excerpt ------------------------------------------------------------


def test_back_pain_per_day_on_bearable_scale():
    # By hand from bearable_2020_excerpt.csv, the "Back (lower) pain" Symptom rows:
    #   line 7   22nd Sep 2020 pm  1 (Mild)      -> 2020-09-22: 1.0
    #   line 25  25th Sep 2020 pre 2 (Moderate)  -> 2020-09-25: 2.0
    #   line 49  9th Dec 2020  mid 1 (Mild)  \
    #   line 50  9th Dec 2020  pm  2 (Moderate)  -> 2020-12-09: (1 + 2) / 2 = 1.5
    pain = load_pain(AUTUMN)
    assert detect(AUTUMN) == "bearable"
    assert pain["source_line"].tolist() == [7, 25, 49, 50]
    assert pain["scale"].astype(str).tolist() == ["bearable"] * 4
    assert pain["context"].tolist() == ["evening", "early hours (before the morning)",
                                        "midday", "evening"]
    assert pain["timestamp"].isna().all()  # a part of the day: the time is unknown
    assert pain["location"].tolist() == ["low back"] * 4
    assert pain["notes"].iloc[3] == "Bearable symptom 'Back (lower) pain' (Moderate)"
    daily = scale_daily(pain)
    assert by_day(daily, "value_mean") == {"2020-09-22": 1.0, "2020-09-25": 2.0,
                                           "2020-12-09": 1.5}
    assert daily["n_ratings"].tolist() == [1, 1, 2]
    assert daily.loc[2, ["value_min", "value_max"]].tolist() == [1.0, 2.0]


def test_no_nrs_rule_applies_until_the_user_converts():
    pain = load_pain(AUTUMN)
    assert bx.pain_daily(pain).empty
    trend = bx.pain_trend(pain)
    assert trend.empty  # no baseline, no change, no flare from Bearable ratings
    converted = convert_scale(pain, "bearable", TO_NRS)
    # 22 Sep 1 -> 3; 25 Sep 2 -> 5; 9 Dec 1 -> 3 and 2 -> 5: mean 4
    nrs = bx.pain_daily(converted)
    assert by_day(nrs, "pain_mean") == {"2020-09-22": 3.0, "2020-09-25": 5.0,
                                        "2020-12-09": 4.0}
    trend = bx.pain_trend(converted).set_index("date")
    # baseline: the daily pain of the first 7 days (22 and 25 Sep): (3 + 5) / 2 = 4;
    # 25 Sep is a flare: 5 is 2 points above the mean of the 7 days before it (3)
    assert trend["baseline"].iloc[0] == 4.0
    assert trend.loc[pd.Timestamp("2020-09-25"), "flare"]
    assert converted["notes"].str.endswith("by your mapping").all()


def test_what_the_pain_log_left_out():
    rep = report(AUTUMN, "pain")
    assert rep[0].startswith("4 low-back-pain ratings read on Bearable's symptom scale")
    # other symptoms by hand: Depression lines 8, 33-36, 39, 48 (7); Headache 5, 21, 22,
    # 28, 46, 47 (6); Stress 3, 4, 23, 44, 45 (5); Acne 29-32 (4); Anxiety 6, 24, 51, 52
    # (4); Migraine 19, 20, 43 (3): 29 readings
    assert ("29 readings of other symptoms are not low-back pain and are not read "
            "(7 Depression, 6 Headache, 5 Stress, 4 Acne, 4 Anxiety, 3 Migraine)") in rep
    assert "7 Factors rows are not read into a pain log (load the file as a session log " \
           "for walks)" in rep
    assert "7 readings of 'Mood' are not read: the program measures exercise, walks and " \
           "pain" in rep
    assert "8 readings of 'Meds/Supplements' are not read: the program measures exercise, " \
           "walks and pain" in rep


# -- the second excerpt (July 2021) ------------------------------------------------------


def test_second_excerpt_back_pain_counted_independently():
    with SUMMER.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    back = [r for r in rows if r["category"] == "Symptom"
            and r["detail"].startswith("Back (lower) pain (")]
    assert len(back) == 8
    pain = load_pain(SUMMER)
    assert len(pain) == len(back)
    # 21 Jul 2021: pre, am, mid, pm all Mild (1); 27 Jul the same: mean 1.0 of 4 each
    daily = scale_daily(pain)
    assert by_day(daily, "value_mean") == {"2021-07-21": 1.0, "2021-07-27": 1.0}
    assert daily["n_ratings"].tolist() == [4, 4]
    rep = report(SUMMER, "pain")
    assert any("4 Back (upper) pain" in s for s in rep)  # upper back pain is not read
    sessions = read_app(SUMMER, kind="sessions", program=PROGRAM)
    assert len(sessions.raw.frame) == 0
    assert any(s.startswith("no factor names an activity of the program") for s in
               sessions.report)
    assert "8 low-back-pain ratings are not read into a session log (load the file as a " \
           "pain log: bx.load_pain)" in sessions.report


# -- sessions: walks from factors --------------------------------------------------------


def test_a_walk_factor_has_unknown_minutes():
    # line 37: 22nd Nov 2020, "all day", Factors "Home | Walk | Shopping": one walk,
    # no minutes (Bearable records that it happened), no time (a part of the day)
    s = load_sessions(AUTUMN)
    assert s["exercise"].astype(str).tolist() == ["walk"]
    row = s.iloc[0]
    assert (row["date"], row["source_line"]) == (pd.Timestamp("2020-11-22"), 37)
    assert pd.isna(row["timestamp"]) and pd.isna(row["minutes"]) and not row["measured"]
    assert row["notes"] == "Bearable factor 'Walk' (no duration recorded, all day)"
    daily = bx.daily_adherence(s)
    assert len(daily) == 1
    d = daily.iloc[0]
    assert np.isnan(d["walk_minutes"]) and d["walk_met"] is pd.NA
    assert d["unmeasured_entries"] == 1
    rep = report(AUTUMN, "sessions")
    assert rep[0].startswith("1 factor of the program read (1 walk), without minutes")
    assert "3 factors of 'Sedentary' are not part of the program" in rep
    assert "4 low-back-pain ratings are not read into a session log (load the file as a " \
           "pain log: bx.load_pain)" in rep
    # mapped by the person: "Shopping" as a walk too, "Home" known and not the program's
    s = load_sessions(AUTUMN, activities={"Shopping": "walk", "Home": "none"})
    assert len(s) == 1  # two factors of one row mapping to walk: one walk
    assert "1 factor of 'Home' is not part of the program (your activities mapping)" in \
        report(AUTUMN, "sessions", activities={"Shopping": "walk", "Home": "none"})


def test_a_reading_in_minutes_is_measured(tmp_path):
    # the Walk factor's day, with a reading whose unit is minutes (the "Name (unit)"
    # form of the export's amounts) and one in hours: 25 + 0.5 h = 55 min of walk
    head, walk = lines_of()[0], the_row("| Walk |")
    timed = the_row("Vitamin D3").replace('"Meds/Supplements","50","Vitamin D3 (mcg)"',
                                          '"Health measurements","25","Walk (mins)"')
    hours = timed.replace('"25","Walk (mins)"', '"0.5","Walking (hours)"')
    path = write(tmp_path, [head, walk, timed, hours])
    s = load_sessions(path)
    assert s["measured"].tolist() == [False, True, True]
    assert s["minutes"].tolist()[1:] == [25.0, 30.0]
    assert s["timestamp"].tolist()[1] == pd.Timestamp("2020-11-22 20:58")
    d = bx.daily_adherence(s).iloc[0]
    # 55 known minutes reach the band whatever the factor's walk was: met, minutes unknown
    assert np.isnan(d["walk_minutes"]) and d["walk_met"] == True  # noqa: E712
    only_timed = write(tmp_path, [head, timed], "timed.csv")
    d = bx.daily_adherence(load_sessions(only_timed)).iloc[0]
    assert (d["walk_minutes"], d["walk_met"], d["unmeasured_entries"]) == (25.0, True, 0)


# -- files built from the real rows --------------------------------------------------------


def test_a_rating_outside_the_scale_is_refused(tmp_path):
    head, row = lines_of()[0], the_row('"pre","Symptom","2","Back (lower) pain (Moderate)"')
    path = write(tmp_path, [head, the_row('"pm","Symptom","1","Back (lower) pain'),
                            row.replace('"2","Back', '"7","Back')])
    with pytest.raises(LogValidationError) as info:
        load_pain(path)
    problems = info.value.problems
    assert len(problems) == 1
    p = problems.iloc[0]
    assert (p["file"], int(p["line"]), p["column"], p["value"]) == (str(path), 3, "pain", "7")
    assert "outside the scale" in p["problem"] and SCALES["bearable"].accepted in p["problem"]


def test_a_number_that_disagrees_with_its_word(tmp_path):
    head, row = lines_of()[0], the_row('"pm","Symptom","1","Back (lower) pain')
    path = write(tmp_path, [head, row.replace('"1","Back', '"3","Back')])
    pain = load_pain(path)
    assert pain["pain"].tolist() == [3.0]  # the number is used
    assert "line 2: the rating 3 disagrees with its word 'Mild', the number is used" in \
        report(path, "pain")


def test_a_clock_time_and_a_note_on_the_rating(tmp_path):
    head, row = lines_of()[0], the_row('"pm","Symptom","1","Back (lower) pain')
    timed = row.replace('"pm"', '"14:08"').replace(',""', ',"Note text"')
    path = write(tmp_path, [head, timed])
    pain = load_pain(path)
    assert pain["timestamp"].tolist() == [pd.Timestamp("2020-09-22 14:08")]
    assert pain["context"].isna().all()
    assert pain["notes"].tolist() == ["Bearable symptom 'Back (lower) pain' (Mild); "
                                      "note: Note text"]
    assert "1 rating had a note, kept in its notes" in report(path, "pain")
    night = write(tmp_path, [head, row.replace('"pm"', '"night"')], "night.csv")
    pain = load_pain(night)
    assert pain["date"].tolist() == [pd.Timestamp("2020-09-22")]
    assert pain["context"].tolist() == ["night"] and pain["timestamp"].isna().all()
    assert ("1 reading had the time of day 'night', which the kit does not know: only the "
            "date is used") in report(night, "pain")


def test_the_same_reading_twice_is_counted_once(tmp_path):
    lines = lines_of(SUMMER)
    path = write(tmp_path, lines + lines)  # two exports joined
    pain = load_pain(path)
    assert len(pain) == 8 and scale_daily(pain)["n_ratings"].tolist() == [4, 4]
    rep = report(path, "pain")
    assert "42 rows identical to an earlier row in every column counted once" in rep
    assert "1 line repeating the header skipped (two exports joined into one file)" in rep


@pytest.mark.parametrize("date, time, expected", [
    ("22nd Sep 2020", "03:00", ("2020-09-22T03:00:00", None)),
    ("1st Oct 2020", "3:04", ("2020-10-01T03:04:00", None)),
    ("9th Dec 2020", "mid", ("2020-12-09", "mid")),
    ("23rd Sep 2020", "all day", ("2020-09-23", "all day")),
    ("21st Jul 2021", "", ("2021-07-21", None)),
    ("2nd June 2021", "pm", ("2021-06-02", "pm")),
    ("31st Sep 2020", "am", ("2020-09-31", "am")),        # validation refuses the day
    ("22nd Sepp 2020", "am", ("22nd Sepp 2020", "am")),   # not Bearable's form: as written
])
def test_bearable_day(date, time, expected):
    assert bearable.bearable_day(date, time) == expected


def test_bad_dates_are_problems_with_their_line(tmp_path):
    head, row = lines_of()[0], the_row('"pm","Symptom","1","Back (lower) pain')
    path = write(tmp_path, [head, row, row.replace("22nd Sep", "31st Sep"),
                            row.replace('"pm"', '"25:70"')])
    with pytest.raises(LogValidationError) as info:
        load_pain(path)
    got = {(int(r.line), r.column, r.value) for r in info.value.problems.itertuples()}
    assert got == {(3, "date", "2020-09-31"), (4, "date", "2020-09-22T25:70:00")}


def test_recognised_by_content_and_claims_no_other_file(tmp_path):
    assert detect(SUMMER) == "bearable"
    for kind in ("sessions", "pain"):
        assert not bearable.sniff(peek(sample_path(kind)))
    others = [p for p in FIXTURES.rglob("*") if p.is_file() and "bearable" not in p.parts
              and p.suffix != ".md"]
    assert others
    for p in others:
        assert not bearable.sniff(peek(p)), p
    for p in (AUTUMN, SUMMER):
        assert not daylio.sniff(peek(p))
    assert bearable.by_name("Bearable_Export_20210728.csv")


def refused(path, kind="pain", **kw) -> str:
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind=kind, program=PROGRAM, **kw)
    problems = info.value.problems
    assert len(problems) == 1 and str(path) in problems["file"].item()
    return problems["problem"].item()


def test_files_that_cannot_be_read(tmp_path):
    empty = tmp_path / "Bearable_Export_20210801.csv"
    empty.write_bytes(b"")
    assert "is empty" in refused(empty)
    text = AUTUMN.read_text(encoding="utf-8")
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: text.index("Home | Walk") + 4], encoding="utf-8")
    assert detect(cut) == "bearable"
    assert "ends early or is damaged: line 37 has fewer cells than the header's 7" in \
        refused(cut, "sessions")
    head, *rows = lines_of()
    newer = write(tmp_path, [head.replace("category", "type"), *rows], "Bearable_new.csv")
    msg = refused(newer, source="bearable")
    assert "the columns category are missing" in msg and "time of day" in msg
    daylio_file = FIXTURES / "daylio" / "daylio_sample.csv"
    assert "not a Bearable export" in refused(daylio_file, source="bearable")
    # a cell past the csv module's limit (131,072 characters): not a file Bearable wrote
    huge = write(tmp_path, [head, rows[0], rows[1].replace("Stress", "x" * 200_000)],
                 "huge.csv")
    assert "is not a readable CSV at line 3 (field larger than field limit" in refused(huge)
    assert len(bx.check_logs(cut, kind="pain")) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(SUMMER.read_bytes())),
       junk=st.binary(max_size=20), kind=st.sampled_from(["sessions", "pain"]))
def test_a_truncated_or_joined_file_is_refused_or_read(tmp_path_factory, cut, junk, kind):
    # the reader's contract (source forced, so only this reader is tried): one
    # LogFormatError naming the file, or a raw table validation turns into entries and
    # problems at their lines, never another exception
    path = tmp_path_factory.mktemp("bearable") / "Bearable_Export_x.csv"
    path.write_bytes(SUMMER.read_bytes()[:cut] + junk)
    try:
        app = read_app(path, kind=kind, source="bearable", program=PROGRAM)
    except LogFormatError as exc:
        assert exc.problems["file"].str.contains(path.name, regex=False).all()
        return
    frame, problems = to_canonical(app.raw, kind, program=PROGRAM)
    assert set(frame["source_line"]) <= set(app.raw.lines)
    assert set(problems["line"].dropna().astype(int)) <= set(app.raw.lines)
