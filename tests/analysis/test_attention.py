"""needs_attention: each rule on hand-built logs, where it fires and at the edge where
it must not; the day the list is for (as_of); the order; an Analysis in place of the
frames. Every expected number below is worked out by hand in the comment beside it.

March 2026: Sunday 1, Monday 2, 9, 16, 23, 30.
"""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_helpers import full_dose, pain_rows
from factories import make_pain, make_sessions

import backrx_analysis as bx
from backrx_analysis.analysis.attention import ATTENTION_RULES, needs_attention
from backrx_analysis.analysis.pain import convert_scale
from backrx_analysis.schema import empty_pain, empty_sessions


def days(first: str, last: str) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(first, last)]


def rows_of(flags: pd.DataFrame, rule: str) -> pd.DataFrame:
    return flags[flags["rule"] == rule].reset_index(drop=True)


def only(flags: pd.DataFrame, rule: str) -> pd.Series:
    found = rows_of(flags, rule)
    assert len(found) == 1, flags.to_dict("records")
    return found.iloc[0]


def pain(pairs, patient="a", scale=None) -> pd.DataFrame:
    rows = pain_rows(pairs, patient=patient)
    if scale is not None:
        for r in rows:
            r["scale"] = scale
    return make_pain(rows)


def walks(dates, patient="a") -> pd.DataFrame:
    return make_sessions([{"patient_id": patient, "date": d, "exercise": "walk",
                           "minutes": 10.0} for d in dates])


def attention(sessions=None, pain_frame=None, **kw) -> pd.DataFrame:
    return needs_attention(empty_sessions() if sessions is None else sessions,
                           empty_pain() if pain_frame is None else pain_frame, **kw)


# -- the frame --------------------------------------------------------------------


def test_the_columns_and_their_types_also_when_nothing_is_flagged():
    for flags in (attention(), attention(pain_frame=pain([("2026-03-01", 3.0)]))):
        assert list(flags.columns) == ["patient_id", "rule", "date", "why"]
        assert len(flags) == 0
    flags = attention(pain_frame=pain([("2026-03-01", 8.0), ("2026-03-02", 8.0)]))
    assert str(flags["patient_id"].dtype) == "string"
    assert list(flags["rule"].cat.categories) == list(ATTENTION_RULES)
    assert str(flags["date"].dtype) == "datetime64[ns]"
    assert str(flags["why"].dtype) == "string"


# -- pain_high: 7 or more on 2 calendar days in a row (NRS) -------------------------


def test_pain_7_or_more_on_two_days_in_a_row_is_flagged_with_the_values():
    # a week of 6 before: neither 7 (1 above 6) nor 8 (8 - 43/7 = 1.86) is a rise of 2
    p = pain([(d, 6.0) for d in days("2026-03-01", "2026-03-07")]
             + [("2026-03-08", 7.0), ("2026-03-09", 8.0)])
    flags = attention(pain_frame=p)
    assert flags["rule"].tolist() == ["pain_high"]  # nothing else fires
    row = flags.iloc[0]
    assert row["why"] == "pain 7 or more on 2 days in a row (7, 8 on 8\u20139 Mar)"
    assert row["date"] == pd.Timestamp("2026-03-09") and row["patient_id"] == "a"


def test_the_daily_pain_is_the_mean_of_the_days_ratings():
    # 6 and 8 on 2 March: a daily pain of 7 (flagged); 4 and 9 on 4 March: 6.5 (not)
    p = pain([("2026-03-01", 7.0), ("2026-03-02", 6.0), ("2026-03-02", 8.0)])
    assert only(attention(pain_frame=p), "pain_high")["why"] == (
        "pain 7 or more on 2 days in a row (7, 7 on 1\u20132 Mar)")
    p = pain([("2026-03-03", 7.0), ("2026-03-04", 4.0), ("2026-03-04", 9.0)])
    assert rows_of(attention(pain_frame=p), "pain_high").empty


@pytest.mark.parametrize("pairs", [
    [("2026-03-01", 7.0), ("2026-03-02", 6.0)],                        # 7 then 6
    [("2026-03-01", 7.0), ("2026-03-02", 6.9)],                        # 7 then 6.9
    [("2026-03-01", 7.0), ("2026-03-03", 7.0)],                        # a day between
    [("2026-03-01", 7.0), ("2026-03-02", 3.0), ("2026-03-03", 7.0)],   # not in a row
])
def test_pain_high_does_not_fire_without_two_days_in_a_row(pairs):
    assert rows_of(attention(pain_frame=pain(pairs)), "pain_high").empty


def test_a_run_of_high_pain_is_one_flag_the_latest_and_the_earlier_are_counted():
    p = pain([("2026-03-02", 8.0), ("2026-03-03", 7.0), ("2026-03-04", 3.0),
              ("2026-03-05", 3.0), ("2026-03-08", 9.0), ("2026-03-09", 7.5),
              ("2026-03-10", 7.0)])
    row = only(attention(pain_frame=p), "pain_high")
    assert row["why"] == ("pain 7 or more on 3 days in a row (9, 7.5, 7 on 8\u201310 Mar); "
                          "2 such runs in the last 14 days")
    assert row["date"] == pd.Timestamp("2026-03-10")


def test_pain_high_looks_at_the_last_14_days_and_its_threshold_is_an_option():
    p = pain([("2026-03-01", 8.0), ("2026-03-02", 8.0)])
    # the run ends on 2 March: in the 14 days ending on 15 March (2-15), not on 16 March
    assert len(rows_of(attention(pain_frame=p, as_of="2026-03-15"), "pain_high")) == 1
    assert rows_of(attention(pain_frame=p, as_of="2026-03-16"), "pain_high").empty
    assert len(rows_of(attention(pain_frame=p, as_of="2026-03-16", pain_window=15),
                       "pain_high")) == 1
    p = pain([("2026-03-01", 6.0), ("2026-03-02", 6.0)])
    assert only(attention(pain_frame=p, high_pain=6), "pain_high")["why"].startswith(
        "pain 6 or more on 2 days")
    p = pain([("2026-03-01", 8.0), ("2026-03-02", 8.0)])
    assert rows_of(attention(pain_frame=p, high_pain_days=3), "pain_high").empty


def test_ratings_on_another_scale_are_not_judged_for_pain():
    # Bearable's "unbearable" (4) on 2 days: not 7 on the NRS, and no rise either
    p = pain([("2026-03-01", 1.0), ("2026-03-02", 4.0), ("2026-03-03", 4.0)],
             scale="bearable")
    assert attention(pain_frame=p).empty
    # the same put on the NRS by the user's own mapping is judged
    nrs = convert_scale(p, "bearable", {0: 0, 1: 2, 2: 5, 3: 7, 4: 9})
    assert set(attention(pain_frame=nrs)["rule"]) == {"pain_high", "pain_rise"}


# -- pain_rise: 2 points above the mean of the 7 days before (pain_trend's flare) ---


def test_a_rise_of_2_points_over_the_7_days_before_is_flagged():
    # 1-7 March 4 each: the mean of the 7 days before 8 March is 4; 6 is 2 above
    p = pain([(d, 4.0) for d in days("2026-03-01", "2026-03-07")] + [("2026-03-08", 6.0)])
    flags = attention(pain_frame=p)
    assert flags["rule"].tolist() == ["pain_rise"]
    assert flags["why"].iloc[0] == ("pain 6 on 8 Mar, 2 points above the mean of the 7 days "
                                    "before (4)")
    assert flags["date"].iloc[0] == pd.Timestamp("2026-03-08")


def test_a_rise_of_1_9_is_not_a_flare():
    p = pain([(d, 4.0) for d in days("2026-03-01", "2026-03-07")] + [("2026-03-08", 5.9)])
    assert attention(pain_frame=p).empty


def test_the_mean_before_leaves_out_days_without_a_rating_and_the_rise_is_the_programs():
    # 3 and 5 in the 7 days before 9 March (2-8): mean 4; 6.5 is 2.5 above
    p = pain([("2026-03-01", 9.0), ("2026-03-03", 3.0), ("2026-03-06", 5.0),
              ("2026-03-09", 6.5)])
    row = only(attention(pain_frame=p), "pain_rise")
    assert row["why"] == "pain 6.5 on 9 Mar, 2.5 points above the mean of the 7 days before (4)"
    strict = bx.default_program().with_changes(pain=bx.PainRules(flare_points=3.0))
    assert rows_of(attention(pain_frame=p, program=strict), "pain_rise").empty


# -- function_worse: the questionnaire's change that matters -----------------------


def odi(patient, date, answers):
    return [{"patient_id": patient, "date": date, "questionnaire": "odi", "item": i + 1,
             "answer": a} for i, a in enumerate(answers)]


def outcomes(*visits) -> pd.DataFrame:
    frame = pd.DataFrame([r for v in visits for r in v])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


# ten sections: sum 10 -> 10/50 = 20 %; 15 -> 30 % (+10 points); 14 -> 28 % (+8)
BASE = odi("a", "2026-03-02", [1] * 10)
PLUS_10 = odi("a", "2026-03-30", [2] * 5 + [1] * 5)
PLUS_8 = odi("a", "2026-03-30", [2] * 4 + [1] * 6)


def test_an_odi_10_points_worse_than_the_first_is_flagged():
    flags = attention(pain_frame=pain([("2026-03-30", 3.0)]), outcomes=outcomes(BASE, PLUS_10))
    row = only(flags, "function_worse")
    assert row["why"] == ("ODI 30 on 30 Mar, 10 points above the first (20 on 2 Mar): "
                          "worse by the change that matters (10 points)")
    assert row["date"] == pd.Timestamp("2026-03-30")


def test_a_change_below_the_threshold_an_improvement_or_an_old_visit_is_not_flagged():
    p = pain([("2026-03-30", 3.0)])
    assert attention(pain_frame=p, outcomes=outcomes(BASE, PLUS_8)).empty  # +8 points
    better = odi("a", "2026-03-30", [0] * 10)  # 0 %: improved
    assert attention(pain_frame=p, outcomes=outcomes(BASE, better)).empty
    # worse on 30 March but 42 days later (10 May) a visit that long ago is not looked at;
    # on 9 May (day 41 after) it still is
    assert rows_of(attention(pain_frame=p, outcomes=outcomes(BASE, PLUS_10),
                             as_of="2026-05-11"), "function_worse").empty
    assert len(rows_of(attention(pain_frame=p, outcomes=outcomes(BASE, PLUS_10),
                                 as_of="2026-05-10"), "function_worse")) == 1


def test_only_the_latest_visit_counts_and_visits_after_as_of_are_not_seen():
    later = odi("a", "2026-04-13", [1] * 10)  # back to 20 %: no change
    p = pain([("2026-04-13", 3.0)])
    assert rows_of(attention(pain_frame=p, outcomes=outcomes(BASE, PLUS_10, later)),
                   "function_worse").empty
    assert len(rows_of(attention(pain_frame=p, outcomes=outcomes(BASE, PLUS_10, later),
                                 as_of="2026-04-12"), "function_worse")) == 1


def test_a_psfs_2_points_lower_is_worse_below_the_first():
    def psfs(date, scores):
        return [{"patient_id": "a", "date": date, "questionnaire": "psfs", "item": i + 1,
                 "answer": s, "activity": name}
                for i, (name, s) in enumerate(zip(["bending", "lifting", "driving"], scores,
                                                  strict=True))]

    o = outcomes(psfs("2026-03-02", [6, 5, 7]), psfs("2026-03-30", [4, 3, 5]))  # 6 -> 4
    row = only(attention(pain_frame=pain([("2026-03-30", 3.0)]), outcomes=o), "function_worse")
    assert row["why"] == ("PSFS 4 on 30 Mar, 2 points below the first (6 on 2 Mar): worse by "
                          "the change that matters (2 points)")


# -- not_logged: 3 prescribed days with nothing in the exercise log ----------------


def test_three_days_without_an_exercise_entry_are_flagged_two_are_not():
    s = make_sessions([r for d in days("2026-03-02", "2026-03-05") for r in full_dose(d)])
    # last entry Thursday 5 March; 6, 7, 8 March silent
    row = only(attention(s, as_of="2026-03-08"), "not_logged")
    assert row["why"] == ("nothing in the exercise log on the last 3 days (6\u20138 Mar); "
                          "the last entry on 5 Mar")
    assert row["date"] == pd.Timestamp("2026-03-08")
    assert rows_of(attention(s, as_of="2026-03-07"), "not_logged").empty  # 2 days
    assert len(rows_of(attention(s, as_of="2026-03-07", gap_days=2), "not_logged")) == 1


def test_pain_ratings_do_not_break_a_gap_in_the_exercise_log():
    s = walks(["2026-03-02"])
    p = pain([(d, 3.0) for d in days("2026-03-02", "2026-03-06")])
    assert only(attention(s, p), "not_logged")["why"] == (
        "nothing in the exercise log on the last 4 days (3\u20136 Mar); the last entry on 2 Mar")


def rx(*versions):
    return bx.load_prescriptions({"patient": [{"id": "a", "version": list(versions)}]})


def test_with_a_weekly_schedule_only_prescribed_days_count():
    mwf = rx({"start": "2026-03-02", "days": ["Mon", "Wed", "Fri"]})
    s = walks(["2026-03-02"])  # Monday; then Wed 4, Fri 6, Mon 9 are missed
    assert rows_of(attention(s, program=mwf, as_of="2026-03-08"), "not_logged").empty  # 2
    row = only(attention(s, program=mwf, as_of="2026-03-09"), "not_logged")
    assert row["why"] == ("nothing in the exercise log on the last 3 prescribed days "
                          "(4\u20139 Mar); the last entry on 2 Mar")
    # Tuesdays and Thursdays: fewer than 3 days a week, so a week's 2 prescribed days
    tt = rx({"start": "2026-03-02", "days": ["Tue", "Thu"]})
    assert rows_of(attention(s, program=tt, as_of="2026-03-04"), "not_logged").empty  # Tue 3
    assert only(attention(s, program=tt, as_of="2026-03-05"), "not_logged")["why"] == (
        "nothing in the exercise log on the last 2 prescribed days (3\u20135 Mar); "
        "the last entry on 2 Mar")


def test_a_prescription_that_has_ended_asks_nothing():
    ended = rx({"start": "2026-03-02", "end": "2026-03-03"})
    s = walks(["2026-03-02"])
    assert rows_of(attention(s, program=ended, as_of="2026-03-20"), "not_logged").empty


# -- adherence_drop: fully adherent days down 20 points week over week -------------


def adherent_on(dates, patient="a"):
    """Fully adherent on ``dates``; a walk on the other days of 2-22 March (logged,
    not adherent) so the exercise log has no gap."""
    rows = [r for d in dates for r in full_dose(d, patient=patient)]
    rows += [{"patient_id": patient, "date": d, "exercise": "walk", "minutes": 10.0}
             for d in days("2026-03-02", "2026-03-22") if d not in dates]
    return make_sessions(rows)


def test_a_drop_from_5_of_7_to_3_of_7_is_flagged_with_its_counts():
    s = adherent_on(days("2026-03-02", "2026-03-06") + days("2026-03-09", "2026-03-11"))
    # week of 2 March 5/7 = 71.4 %, week of 9 March 3/7 = 42.9 %: 28.6 points down
    row = only(attention(s, as_of="2026-03-15"), "adherence_drop")
    assert row["why"] == ("fully adherent on 3 of 7 days in the week of 9 Mar (43 %), "
                          "5 of 7 (71 %) the week before: 29 points down")
    assert row["date"] == pd.Timestamp("2026-03-15")
    # on Saturday 14 March the week of 9 March is not over: weeks of 23 Feb? none before
    assert rows_of(attention(s, as_of="2026-03-14"), "adherence_drop").empty


def test_only_complete_weeks_are_compared():
    s = adherent_on(days("2026-03-02", "2026-03-08") + days("2026-03-09", "2026-03-15"))
    # weeks of 2 and 9 March 7/7; on Wednesday 18 March, 16-18 are walks only (0 of 3),
    # but that week is not complete: no flag until it is
    assert rows_of(attention(s, as_of="2026-03-18"), "adherence_drop").empty
    row = only(attention(s, as_of="2026-03-22"), "adherence_drop")
    assert row["why"].startswith("fully adherent on 0 of 7 days in the week of 16 Mar (0 %), "
                                 "7 of 7 (100 %)")


def test_a_drop_of_exactly_20_points_over_prescribed_days_is_flagged():
    weekdays = rx({"start": "2026-03-02", "days": ["Mon", "Tue", "Wed", "Thu", "Fri"]})
    s = adherent_on(days("2026-03-02", "2026-03-06") + days("2026-03-09", "2026-03-12"))
    # 5 of 5 prescribed days = 100 %, then 4 of 5 = 80 %: 20 points (weekends ask nothing)
    row = only(attention(s, program=weekdays, as_of="2026-03-15"), "adherence_drop")
    assert row["why"] == ("fully adherent on 4 of 5 days in the week of 9 Mar (80 %), "
                          "5 of 5 (100 %) the week before: 20 points down")


def test_a_drop_of_19_points_is_not_flagged():
    # first day Friday 6 March: the patient's first week is 6-8 March, 1 of 3 adherent
    # (33.3 %); the week of 9 March 1 of 7 (14.3 %): 19.05 points down
    rows = full_dose("2026-03-06") + full_dose("2026-03-09")
    rows += [{"patient_id": "a", "date": d, "exercise": "walk", "minutes": 10.0}
             for d in ["2026-03-07", "2026-03-08", *days("2026-03-10", "2026-03-15")]]
    s = make_sessions(rows)
    assert rows_of(attention(s, as_of="2026-03-15"), "adherence_drop").empty
    assert len(rows_of(attention(s, as_of="2026-03-15", drop_points=19), "adherence_drop")) == 1


def test_a_version_change_inside_a_week_is_one_week_not_two_rows():
    # v2 (12 reps) from Thursday 12 March; both weeks 7/7 at their own targets
    hist = rx({"start": "2026-03-02"}, {"start": "2026-03-12", "targets": {"wall_squat": 12}})
    rows = [r for d in days("2026-03-02", "2026-03-15") for r in full_dose(d)]
    rows += [{"patient_id": "a", "date": d, "exercise": "wall_squat", "reps": 2}
             for d in days("2026-03-12", "2026-03-15")]
    assert rows_of(attention(make_sessions(rows), program=hist, as_of="2026-03-15"),
                   "adherence_drop").empty


# -- too_little_data: fewer than 16 days with any entry in the last 30 -------------


def test_15_days_of_30_are_too_few_16_are_enough():
    window = days("2026-03-02", "2026-03-31")  # the 30 days ending on 31 March
    logged = window[::2]  # 2, 4, ..., 30 March: 15 days
    flags = attention(walks(logged), as_of="2026-03-31")
    row = only(flags, "too_little_data")
    assert row["why"] == ("entries on 15 of the last 30 days (2\u201331 Mar); 16 are needed "
                          "to judge (the US remote-monitoring bar)")
    assert row["date"] == pd.Timestamp("2026-03-31")
    # a 16th day by a pain rating (on any scale): enough
    for scale in (None, "bearable"):
        p = pain([("2026-03-31", 2.0)], scale=scale)
        assert rows_of(attention(walks(logged), p, as_of="2026-03-31"),
                       "too_little_data").empty


def test_a_patient_newer_than_30_days_is_not_judged_by_it():
    # first entry 3 March: 29 days up to 31 March; 2 March (30 days): judged
    assert rows_of(attention(walks(["2026-03-03", "2026-03-30"]), as_of="2026-03-31"),
                   "too_little_data").empty
    assert len(rows_of(attention(walks(["2026-03-02", "2026-03-30"]), as_of="2026-03-31"),
                       "too_little_data")) == 1


# -- as_of, the order, an Analysis -------------------------------------------------


def test_as_of_defaults_to_the_last_day_in_the_caseload_and_later_entries_are_not_seen():
    s = make_sessions([*full_dose("2026-03-02"), *full_dose("2026-03-05"),
                       *full_dose("2026-03-02", patient="b")])
    p = pain([("2026-03-08", 2.0)], patient="b")  # the caseload's last day: 8 March
    flags = attention(s, p)
    # a: 6-8 March silent; b exercised on 2 March only: 3-8 March silent
    assert flags["why"].tolist() == [
        "nothing in the exercise log on the last 3 days (6–8 Mar); the last entry on 5 Mar",
        "nothing in the exercise log on the last 6 days (3–8 Mar); the last entry on 2 Mar"]
    assert flags["patient_id"].tolist() == ["a", "b"]
    assert flags["date"].tolist() == [pd.Timestamp("2026-03-08")] * 2
    # as of 7 March a has 2 silent days; an entry after as_of (9 March) does not count
    s2 = pd.concat([s, make_sessions(full_dose("2026-03-09"))], ignore_index=True)
    early = attention(s2, p, as_of="2026-03-07")
    assert early["patient_id"].tolist() == ["b"]
    assert early["date"].tolist() == [pd.Timestamp("2026-03-07")]
    # a later as_of than the data: the gap runs to it
    assert attention(s, p, as_of="2026-03-10")["why"].iloc[0].startswith(
        "nothing in the exercise log on the last 5 days (6–10 Mar)")


def test_patients_by_their_most_urgent_rule_then_by_how_many_flags():
    s = make_sessions([*full_dose("2026-03-01", patient="b"), *full_dose("2026-03-01", patient="c"),
                       *full_dose("2026-03-01", patient="d")])
    p = make_pain(pain_rows([(d, 4.0) for d in days("2026-03-01", "2026-03-05")]
                            + [("2026-03-06", 8.0), ("2026-03-07", 8.0)], patient="c")
                  + pain_rows([("2026-03-06", 9.0), ("2026-03-07", 9.0)], patient="a"))
    flags = attention(s, p)
    # a: pain_high; c: pain_high, pain_rise (8 is 4 above 4), not_logged; b, d: not_logged
    assert list(zip(flags["patient_id"], flags["rule"], strict=True)) == [
        ("c", "pain_high"), ("c", "pain_rise"), ("c", "not_logged"), ("a", "pain_high"),
        ("b", "not_logged"), ("d", "not_logged")]


def test_an_analysis_in_place_of_the_frames_gives_the_same_list():
    s = adherent_on(days("2026-03-02", "2026-03-06") + days("2026-03-09", "2026-03-13"))
    p = pain([("2026-03-20", 8.0), ("2026-03-21", 8.0)])
    o = outcomes(BASE, odi("a", "2026-03-16", [2] * 5 + [1] * 5))
    # as of 22 March: 8, 8 on 20-21 March; ODI 20 -> 30; weeks of 9 and 16 March 5/7, 0/7
    direct = needs_attention(s, p, outcomes=o)
    assert set(direct["rule"]) == {"pain_high", "function_worse", "adherence_drop"}
    pd.testing.assert_frame_equal(needs_attention(bx.analyze(s, p, outcomes=o)), direct)
    # an analysis with an end: the list is as of that day
    a = bx.analyze(s, p, end="2026-03-15")
    pd.testing.assert_frame_equal(needs_attention(a), needs_attention(s, p, as_of="2026-03-15"))


def test_the_bundled_caseload_as_of_its_last_day():
    sessions, pain_log = bx.load_sample(caseload=True)
    flags = needs_attention(sessions, pain_log, program=bx.load_prescriptions(
        bx.sample_path("caseload_prescriptions")), outcomes=bx.load_outcomes(
        bx.sample_path("caseload_outcomes")))
    # 24 May 2026: P03's pain 6.3 on 21 May against 3.5 over 14-20 May (worked out from
    # caseload_pain.csv by hand: the days' means 3, 3.25, 3.5, 5, 3.5, 3, 3.5 = 24.75 / 7
    # = 3.54; 21 May (7 + 7 + 5) / 3 = 6.33, 2.80 above)
    assert flags.iloc[0].to_dict() == {
        "patient_id": "P03", "rule": "pain_rise", "date": pd.Timestamp("2026-05-21"),
        "why": "pain 6.3 on 21 May, 2.8 points above the mean of the 7 days before (3.5)"}
    # and every patient's last two weeks: the later versions raised the targets (v2 of
    # P01: 12 reps and more) and the logs kept at 10, so no exercise met its target
    low = rows_of(flags, "adherence_low")
    assert sorted(low["patient_id"]) == ["P01", "P02", "P03", "P04", "P05"]
    assert set(low["why"]) == {"fully adherent on 0 of 14 days in the 2 weeks 11\u201324 May "
                               "(0 %); under 10 %"}
    assert len(flags) == 6


def test_the_day_of_the_list_is_kept_and_a_bad_as_of_is_named():
    s = walks(["2026-03-02", "2026-03-04"])
    assert attention(s).attrs["as_of"] == pd.Timestamp("2026-03-04")
    assert attention(s, as_of="2026-03-10T15:30").attrs["as_of"] == pd.Timestamp("2026-03-10")
    assert attention().attrs["as_of"] is None
    with pytest.raises(bx.AnalysisInputError, match="as_of='next week' is not a date"):
        attention(s, as_of="next week")


# -- adherence_low: low adherence that never dropped --------------------------------


def test_steadily_low_adherence_is_flagged_though_it_never_dropped():
    # by default under 10 %: 1 of 14 (7 %) is, in the weeks of 2 and 9 March
    s = adherent_on(["2026-03-10", "2026-03-17", "2026-03-19"])
    assert only(attention(s, as_of="2026-03-15"), "adherence_low")["why"] == (
        "fully adherent on 1 of 14 days in the 2 weeks 2\u201315 Mar (7 %); under 10 %")
    # weeks of 9 and 16 March: 1 + 2 = 3 of 14 days fully adherent = 21.4 % < 25 %;
    # the week before was 0 of 7: no drop, so only this rule can see it
    flags = attention(s, as_of="2026-03-22", low_pct=25)
    assert rows_of(flags, "adherence_drop").empty
    row = only(flags, "adherence_low")
    assert row["why"] == ("fully adherent on 3 of 14 days in the 2 weeks 9\u201322 Mar "
                          "(21 %); under 25 %")
    assert row["date"] == pd.Timestamp("2026-03-22")
    # on Saturday 21 March the last complete weeks are those of 2 and 9 March: 1 of 14
    assert only(attention(s, as_of="2026-03-21", low_pct=25), "adherence_low")["why"].startswith(
        "fully adherent on 1 of 14 days in the 2 weeks 2\u201315 Mar")


def test_adherence_at_the_bar_or_above_is_not_low():
    weekdays = rx({"start": "2026-03-02", "days": ["Mon", "Tue", "Wed", "Thu", "Fri"]})
    s = adherent_on(["2026-03-10", "2026-03-12", "2026-03-17"])
    # 3 of the 10 prescribed days of 9-22 March = 30 %: not under 10 % or 25 % ...
    assert rows_of(attention(s, program=weekdays, as_of="2026-03-22"), "adherence_low").empty
    assert rows_of(attention(s, program=weekdays, as_of="2026-03-22", low_pct=25),
                   "adherence_low").empty
    # ... nor under a bar of exactly 30 %; under 31 % it is
    assert rows_of(attention(s, program=weekdays, as_of="2026-03-22", low_pct=30),
                   "adherence_low").empty
    assert len(rows_of(attention(s, program=weekdays, as_of="2026-03-22", low_pct=31),
                       "adherence_low")) == 1


def test_fewer_than_7_judged_days_are_not_judged_low():
    mwf = rx({"start": "2026-03-02", "days": ["Mon", "Wed", "Fri"]})
    s = adherent_on([])
    # 6 prescribed days in the 2 weeks of 9-22 March, none adherent: too few to judge
    assert rows_of(attention(s, program=mwf, as_of="2026-03-22"), "adherence_low").empty
    assert len(rows_of(attention(s, program=mwf, as_of="2026-03-22", low_weeks=3),
                       "adherence_low")) == 1  # 9 days over 3 weeks
