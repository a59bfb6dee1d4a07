"""Daily and weekly adherence and streaks: hand-computed cases for every rule."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from factories import make_sessions
from hypothesis import given, settings
from hypothesis import strategies as st

from backrx_analysis.analysis.adherence import (
    AnalysisInputError,
    daily_adherence,
    minute_status,
    streaks,
    weekly_adherence,
)
from backrx_analysis.program import MINUTE_STATUSES, Band, default_program

PROGRAM = default_program()
IDS = PROGRAM.exercise_ids
SLR = "straight_leg_raise"


def one_day(rows, **kwargs) -> pd.Series:
    """The single daily row of entries all on 2026-03-02."""
    rows = [{"date": "2026-03-02", **r} for r in rows]
    daily = daily_adherence(make_sessions(rows), **kwargs)
    assert len(daily) == 1
    return daily.iloc[0]


def full_dose(minutes=15.0, date="2026-03-02", patient="p1"):
    """Entries meeting every exercise (SLR without a side) plus a session entry."""
    rows = [{"patient_id": patient, "date": date, "exercise": i, "reps": 10} for i in IDS]
    rows.append({"patient_id": patient, "date": date, "exercise": "session",
                 "minutes": minutes})
    return rows


# -- straight leg raise: each leg ----------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "left", "right", "met"),
    [
        ([{"reps": 10, "side": "left"}], 10, 0, False),
        ([{"reps": 10, "side": "left"}, {"reps": 10, "side": "right"}], 10, 10, True),
        ([{"reps": 10, "side": "both"}], 10, 10, True),
        ([{"reps": 10}], 10, 10, True),
        ([{"reps": 5, "sets": 2, "side": "left"}, {"reps": 10, "side": "right"}], 10, 10, True),
        ([{"reps": 9, "side": "left"}, {"reps": 10, "side": "right"}], 9, 10, False),
        ([{"reps": 4, "side": "both"}, {"reps": 6, "side": "left"}], 10, 4, False),
        ([{"reps": 4}, {"reps": 6, "side": "left"}, {"reps": 3, "sets": 2, "side": "right"}],
         10, 10, True),
    ],
)
def test_straight_leg_raise_counts_each_leg(entries, left, right, met):
    row = one_day([{"exercise": SLR, **e} for e in entries])
    assert row[f"reps_{SLR}_left"] == left
    assert row[f"reps_{SLR}_right"] == right
    assert row[f"reps_{SLR}"] == min(left, right)
    assert row[f"met_{SLR}"] == met


def test_side_is_ignored_for_exercises_that_are_not_per_side():
    row = one_day([{"exercise": "wall_squat", "reps": 10, "side": "left"}])
    assert row["reps_wall_squat"] == 10
    assert row["met_wall_squat"]


# -- repetitions x sets ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "reps", "met"),
    [
        ([{"reps": 4, "sets": 3}], 12, True),
        ([{"reps": 5}, {"reps": 5}], 10, True),  # no sets = 1 set, summed over entries
        ([{"reps": 3, "sets": 3}], 9, False),
        ([{"reps": 10, "sets": 0}], 0, False),
        ([{"minutes": 4.0}], 0, False),  # minutes only: no repetitions
        ([{"reps": 2, "sets": 2}, {"reps": 3, "sets": 2}], 10, True),
    ],
)
def test_reps_times_sets_summed(entries, reps, met):
    row = one_day([{"exercise": "wall_squat", **e} for e in entries])
    assert row["reps_wall_squat"] == reps
    assert row["met_wall_squat"] == met
    assert row["exercises_met"] == int(met)


# -- minutes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "status"),
    [
        ([], "none"),
        ([0.0], "none"),
        ([9.99], "under"),
        ([10.0], "in_range"),
        ([0.1, 8.2, 1.7], "in_range"),  # 9.999999999999998 in floating point
        ([0.1, 0.2, 9.7], "in_range"),
        ([30.0], "in_range"),
        ([4.4, 11.8, 13.8], "in_range"),  # 30.000000000000004 in floating point
        ([30.01], "over"),
    ],
)
def test_exercise_minute_bands(minutes, status):
    rows = [{"exercise": "session", "minutes": m} for m in minutes]
    rows.append({"exercise": "ankle_pumps", "reps": 10})
    row = one_day(rows)
    assert row["exercise_minutes"] == pytest.approx(sum(minutes))
    assert row["minutes_status"] == status


def test_session_minutes_added_to_per_exercise_minutes_not_walk():
    row = one_day([
        {"exercise": "ankle_pumps", "reps": 10, "minutes": 3.0},
        {"exercise": SLR, "reps": 10, "side": "left", "minutes": 2.5},
        {"exercise": "wall_squat", "reps": 10},  # no minutes: counts 0
        {"exercise": "session", "minutes": 6.0},
        {"exercise": "walk", "minutes": 12.0},
    ])
    assert row["exercise_minutes"] == 11.5
    assert row["minutes_status"] == "in_range"
    assert row["walk_minutes"] == 12.0


@pytest.mark.parametrize(
    ("walk", "status", "met"),
    [(0.0, "none", False), (9.99, "under", False), (10.0, "in_range", True),
     (20.0, "in_range", True), (20.01, "over", True)],
)
def test_walk_only_day(walk, status, met):
    row = one_day([{"exercise": "walk", "minutes": walk}])
    assert row["walk_minutes"] == walk
    assert row["walk_status"] == status
    assert row["walk_met"] == met
    assert row["exercise_minutes"] == 0.0
    assert row["minutes_status"] == "none"
    assert row["exercises_met"] == 0
    assert not row["fully_adherent"]
    assert row["logged"]


def test_walks_add_up_over_the_day():
    row = one_day([{"exercise": "walk", "minutes": 6.0}, {"exercise": "walk", "minutes": 5.0}])
    assert row["walk_minutes"] == 11.0
    assert row["walk_met"]


# -- fully adherent ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "fully"), [(15.0, True), (10.0, True), (30.0, True), (9.0, False), (31.0, False)]
)
def test_fully_adherent_needs_every_exercise_and_minutes_in_range(minutes, fully):
    row = one_day(full_dose(minutes))
    assert row["exercises_met"] == 5
    assert row["fully_adherent"] == fully


def test_one_missing_exercise_is_not_fully_adherent():
    rows = [r for r in full_dose() if r.get("exercise") != "partial_curl_up"]
    row = one_day(rows)
    assert row["exercises_met"] == 4
    assert not row["met_partial_curl_up"]
    assert not row["fully_adherent"]


def test_walk_is_not_part_of_fully_adherent():
    row = one_day([*full_dose(), {"exercise": "walk", "minutes": 0.0}])
    assert row["fully_adherent"]
    assert not row["walk_met"]


# -- the calendar ----------------------------------------------------------------------


def test_empty_days_inside_the_span_are_days_not_done():
    daily = daily_adherence(make_sessions([
        *full_dose(date="2026-03-02"),
        {"date": "2026-03-05", "exercise": "walk", "minutes": 15.0},
    ]))
    assert list(daily["date"].dt.strftime("%m-%d")) == ["03-02", "03-03", "03-04", "03-05"]
    assert list(daily["logged"]) == [True, False, False, True]
    assert list(daily["entries"]) == [6, 0, 0, 1]
    assert list(daily["fully_adherent"]) == [True, False, False, False]
    assert list(daily["minutes_status"]) == ["in_range", "none", "none", "none"]
    assert list(daily["exercise_minutes"]) == [15.0, 0.0, 0.0, 0.0]
    assert daily.loc[1, [f"reps_{i}" for i in IDS]].tolist() == [0] * 5
    assert daily["date"].dtype == "datetime64[ns]"


def test_start_and_end_extend_the_span_for_every_patient():
    sessions = make_sessions([
        {"patient_id": "a", "date": "2026-03-03", "exercise": "wall_squat", "reps": 10},
        {"patient_id": "b", "date": "2026-02-20", "exercise": "wall_squat", "reps": 10},
        {"patient_id": "b", "date": "2026-03-04", "exercise": "wall_squat", "reps": 12},
    ])
    daily = daily_adherence(sessions, start="2026-03-01", end="2026-03-05")
    assert len(daily) == 10
    for p in ("a", "b"):
        d = daily[daily["patient_id"] == p]
        assert list(d["date"].dt.day) == [1, 2, 3, 4, 5]
    a = daily[daily["patient_id"] == "a"]
    assert list(a["reps_wall_squat"]) == [0, 0, 10, 0, 0]
    b = daily[daily["patient_id"] == "b"]
    assert list(b["reps_wall_squat"]) == [0, 0, 0, 12, 0]  # 20 Feb is outside the period


def test_only_start_keeps_each_patients_last_day():
    sessions = make_sessions([
        {"patient_id": "a", "date": "2026-03-03", "exercise": "walk", "minutes": 10.0},
        {"patient_id": "b", "date": "2026-03-01", "exercise": "walk", "minutes": 10.0},
    ])
    daily = daily_adherence(sessions, start=pd.Timestamp("2026-03-02"))
    assert daily["patient_id"].tolist() == ["a", "a"]  # b has nothing from 2 March on
    daily = daily_adherence(sessions, end="2026-03-02")
    assert daily["patient_id"].tolist() == ["b", "b"]


def test_start_after_end_is_an_error():
    sessions = make_sessions([{"date": "2026-03-03", "exercise": "walk", "minutes": 10.0}])
    with pytest.raises(AnalysisInputError, match="after end"):
        daily_adherence(sessions, start="2026-03-05", end="2026-03-01")


def test_several_patients_each_get_their_own_span():
    sessions = make_sessions([
        {"patient_id": "zoe", "date": "2026-03-01", "exercise": "ankle_pumps", "reps": 10},
        {"patient_id": "adam", "date": "2026-03-10", "exercise": "ankle_pumps", "reps": 3},
        {"patient_id": "adam", "date": "2026-03-12", "exercise": "ankle_pumps", "reps": 11},
        {"patient_id": "zoe", "date": "2026-03-02", "exercise": "ankle_pumps", "reps": 7},
    ])
    daily = daily_adherence(sessions)
    assert daily["patient_id"].tolist() == ["adam"] * 3 + ["zoe"] * 2
    assert daily["date"].dt.day.tolist() == [10, 11, 12, 1, 2]
    assert daily["reps_ankle_pumps"].tolist() == [3, 0, 11, 10, 7]
    assert daily["met_ankle_pumps"].tolist() == [False, False, True, True, False]


def test_custom_program_subset_and_target():
    prog = PROGRAM.subset(["wall_squat", SLR])
    prog = prog.with_changes(
        exercises=(replace(prog.exercise("wall_squat"), target_reps=8), prog.exercise(SLR)),
        exercise_minutes=Band(5, 20),
    )
    sessions = make_sessions([  # default-program categories, as a loader would give
        {"date": "2026-03-02", "exercise": "wall_squat", "reps": 8, "minutes": 2.0},
        {"date": "2026-03-02", "exercise": SLR, "reps": 10, "minutes": 3.0},
        {"date": "2026-03-02", "exercise": "ankle_pumps", "reps": 10, "minutes": 20.0},
        {"date": "2026-03-03", "exercise": "partial_curl_up", "reps": 10},
    ])
    daily = daily_adherence(sessions, program=prog)
    assert [c for c in daily.columns if c.startswith("met_")] == ["met_wall_squat", f"met_{SLR}"]
    assert "reps_ankle_pumps" not in daily.columns
    first, second = daily.iloc[0], daily.iloc[1]
    assert first["met_wall_squat"]  # 8 reaches the custom target of 8
    assert first["exercises_met"] == 2
    assert first["exercise_minutes"] == 5.0  # ankle pumps' 20 minutes are not counted
    assert first["minutes_status"] == "in_range"  # custom band 5-20
    assert first["fully_adherent"]
    assert second["logged"] and second["entries"] == 1  # logged, counts for nothing
    assert second["exercises_met"] == 0


def test_sessions_frame_of_a_custom_program_and_plain_strings():
    prog = PROGRAM.subset(["wall_squat"])
    sessions = make_sessions([{"date": "2026-03-02", "exercise": "wall_squat", "reps": 10}],
                             program=prog)
    assert daily_adherence(sessions, program=prog)["met_wall_squat"].tolist() == [True]
    plain = sessions.astype({"exercise": "string", "side": "string"})
    assert daily_adherence(plain, program=prog)["met_wall_squat"].tolist() == [True]


def test_output_columns_and_dtypes():
    daily = daily_adherence(make_sessions(full_dose()))
    expected = ["patient_id", "date", "version", "prescribed",
                "reps_ankle_pumps", "reps_abdominal_bracing", "reps_wall_squat",
                f"reps_{SLR}", f"reps_{SLR}_left", f"reps_{SLR}_right", "reps_partial_curl_up",
                *[f"met_{i}" for i in IDS], "exercises_met", "exercises_prescribed",
                "exercise_minutes", "minutes_status", "walk_minutes", "walk_status", "walk_met",
                "fully_adherent", "entries", "unmeasured_entries", "logged",
                *[f"{k}_{i}" for i in IDS for k in ("target", "dose")]]
    assert list(daily.columns) == expected
    assert daily["patient_id"].dtype == "string"
    assert daily["reps_wall_squat"].dtype == np.int64
    assert daily["met_wall_squat"].dtype == bool
    assert list(daily["minutes_status"].cat.categories) == list(MINUTE_STATUSES)


def test_empty_sessions_give_an_empty_frame_with_the_columns():
    daily = daily_adherence(make_sessions([]))
    assert len(daily) == 0
    assert "fully_adherent" in daily.columns


def test_missing_column_and_missing_date_are_reported():
    sessions = make_sessions([{"date": "2026-03-02", "exercise": "walk", "minutes": 10.0}])
    with pytest.raises(AnalysisInputError, match="'minutes'"):
        daily_adherence(sessions.drop(columns=["minutes"]))
    bad = make_sessions([{"date": "2026-03-02", "exercise": "walk", "source": "log.csv",
                          "source_line": 7}])
    bad.loc[0, "date"] = pd.NaT
    with pytest.raises(AnalysisInputError, match="log.csv line 7"):
        daily_adherence(bad)


def test_minute_status_of_plain_values():
    got = minute_status(np.array([0, 4, 10, 30, 31, np.nan]), Band(10, 30))
    assert list(got.astype(object)[:5]) == ["none", "under", "in_range", "in_range", "over"]
    assert pd.isna(got[5])


# -- weekly ------------------------------------------------------------------------


def test_weekly_adherence_by_iso_week():
    # Wed 4 March to Tue 10 March 2026: 5 days in ISO week 10, 2 in week 11
    rows = [*full_dose(date="2026-03-04"), *full_dose(date="2026-03-06", minutes=40.0),
            *full_dose(date="2026-03-08"),
            {"date": "2026-03-10", "exercise": "walk", "minutes": 10.0},
            {"date": "2026-03-04", "exercise": "walk", "minutes": 25.0}]
    weekly = weekly_adherence(daily_adherence(make_sessions(rows)))
    assert weekly["week_start"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-09"]
    assert weekly["iso_year"].tolist() == [2026, 2026]
    assert weekly["iso_week"].tolist() == [10, 11]
    assert weekly["days"].tolist() == [5, 2]
    assert weekly["days_logged"].tolist() == [3, 1]
    assert weekly["fully_adherent_pct"].tolist() == [40.0, 0.0]
    assert weekly["wall_squat_met_pct"].tolist() == [60.0, 0.0]
    assert weekly["exercise_minutes_mean"].tolist() == [14.0, 0.0]  # (15+40+15)/5
    assert weekly["minutes_in_range_pct"].tolist() == [40.0, 0.0]
    assert weekly["walk_met_pct"].tolist() == [20.0, 50.0]


def test_weekly_iso_year_at_new_year():
    rows = [{"date": "2026-12-31", "exercise": "walk", "minutes": 10.0},
            {"date": "2027-01-04", "exercise": "walk", "minutes": 10.0}]
    weekly = weekly_adherence(daily_adherence(make_sessions(rows)))
    assert weekly["week_start"].dt.strftime("%Y-%m-%d").tolist() == ["2026-12-28", "2027-01-04"]
    assert weekly["iso_year"].tolist() == [2026, 2027]
    assert weekly["iso_week"].tolist() == [53, 1]
    assert weekly["days"].tolist() == [4, 1]


# -- streaks -----------------------------------------------------------------------


def _daily_with(pattern: str, patient: str = "p1", start: str = "2026-03-01") -> pd.DataFrame:
    days = pd.date_range(start, periods=len(pattern))
    return pd.DataFrame({"patient_id": pd.array([patient] * len(pattern), dtype="string"),
                         "date": days, "fully_adherent": [c == "Y" for c in pattern]})


@pytest.mark.parametrize(
    ("pattern", "current", "longest"),
    [("YYNYYY", 3, 3), ("YYYNYN", 0, 3), ("NNN", 0, 0), ("Y", 1, 1), ("YNYYNY", 1, 2)],
)
def test_streaks(pattern, current, longest):
    got = streaks(_daily_with(pattern))
    assert got["current_streak"].tolist() == [current]
    assert got["longest_streak"].tolist() == [longest]


def test_streaks_several_patients_and_gaps():
    daily = pd.concat([_daily_with("YYYY", "b"), _daily_with("NYY", "a")], ignore_index=True)
    daily = daily.drop(index=2)  # b: a missing third day breaks the run
    got = streaks(daily.sample(frac=1, random_state=1))  # order does not matter
    assert got["patient_id"].tolist() == ["a", "b"]
    assert got["current_streak"].tolist() == [2, 1]
    assert got["longest_streak"].tolist() == [2, 2]
    assert got["last_date"].dt.day.tolist() == [3, 4]


def test_streaks_from_daily_adherence():
    rows = [*full_dose(date="2026-03-01"), *full_dose(date="2026-03-02"),
            *full_dose(date="2026-03-04")]
    got = streaks(daily_adherence(make_sessions(rows)))
    assert got["current_streak"].tolist() == [1]
    assert got["longest_streak"].tolist() == [2]


# -- properties --------------------------------------------------------------------

entry = st.fixed_dictionaries({
    "patient_id": st.sampled_from(["a", "b", "c"]),
    "date": st.integers(0, 40).map(lambda d: pd.Timestamp("2026-02-20") + pd.Timedelta(days=d)),
    "exercise": st.sampled_from(list(PROGRAM.activity_ids)),
    "reps": st.one_of(st.none(), st.integers(0, 30)),
    "sets": st.one_of(st.none(), st.integers(0, 4)),
    "side": st.sampled_from([None, "left", "right", "both"]),
    "minutes": st.one_of(st.none(), st.floats(0, 60, allow_nan=False).map(lambda x: round(x, 2))),
})


def _reps(frame: pd.DataFrame) -> pd.Series:
    return frame["reps"].fillna(0).astype(int) * frame["sets"].fillna(1).astype(int)


@settings(max_examples=100, deadline=None)
@given(st.lists(entry, min_size=1, max_size=60))
def test_reps_are_conserved(rows):
    sessions = make_sessions(rows)
    daily = daily_adherence(sessions)
    reps = _reps(sessions)
    for ex in PROGRAM.exercises:
        mine = sessions["exercise"] == ex.id
        if ex.per_side:
            left = mine & (sessions["side"].isna() | sessions["side"].isin(["left", "both"]))
            right = mine & (sessions["side"].isna() | sessions["side"].isin(["right", "both"]))
            assert daily[f"reps_{ex.id}_left"].sum() == reps[left].sum()
            assert daily[f"reps_{ex.id}_right"].sum() == reps[right].sum()
        else:
            assert daily[f"reps_{ex.id}"].sum() == reps[mine].sum()
    walk = sessions["exercise"] == "walk"
    assert daily["walk_minutes"].sum() == pytest.approx(sessions.loc[walk, "minutes"].sum())
    assert daily["exercise_minutes"].sum() == pytest.approx(
        sessions.loc[~walk, "minutes"].sum())
    assert daily["entries"].sum() == len(sessions)


@settings(max_examples=100, deadline=None)
@given(st.lists(entry, min_size=1, max_size=60), st.booleans())
def test_every_day_of_the_span_appears_once(rows, with_period):
    sessions = make_sessions(rows)
    kwargs = {"start": "2026-02-25", "end": "2026-03-10"} if with_period else {}
    daily = daily_adherence(sessions, **kwargs)
    assert not daily.duplicated(["patient_id", "date"]).any()
    for p, dates in sessions.groupby("patient_id")["date"]:
        got = daily.loc[daily["patient_id"] == p, "date"]
        lo, hi = (pd.Timestamp(kwargs["start"]), pd.Timestamp(kwargs["end"])) if with_period \
            else (dates.min(), dates.max())
        assert got.tolist() == list(pd.date_range(lo, hi))
        logged = set(dates[(dates >= lo) & (dates <= hi)])
        assert set(got[daily.loc[got.index, "logged"]]) == logged
