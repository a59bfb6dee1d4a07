"""Each day measured against the prescription version in force that day: hand-computed
cases for every rule (PROGRAM.md, "The prescription in force")."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from factories import make_sessions

from backrx_analysis.analysis.adherence import daily_adherence, weekly_adherence
from backrx_analysis.analysis.weekly import by_version
from backrx_analysis.prescriptions import Prescriptions, Version
from backrx_analysis.program import Band, default_program

P = default_program()
IDS = P.exercise_ids
SLR = "straight_leg_raise"


def with_targets(program, **targets):
    return program.with_changes(exercises=tuple(
        replace(e, target_reps=targets.get(e.id, e.target_reps)) for e in program.exercises))


def full_day(date, reps=10, patient="p1", minutes=15.0, walk=12.0, skip=()):
    rows = [{"patient_id": patient, "date": date, "exercise": e, "reps": reps,
             **({"side": "both"} if e == SLR else {})} for e in IDS if e not in skip]
    rows.append({"patient_id": patient, "date": date, "exercise": "session", "minutes": minutes})
    rows.append({"patient_id": patient, "date": date, "exercise": "walk", "minutes": walk})
    return rows


def days(start, n):
    first = dt.date.fromisoformat(start)
    return [(first + dt.timedelta(days=i)).isoformat() for i in range(n)]


def test_a_change_mid_week_measures_each_day_against_its_version():
    # Mon 2 March: v1 (default, 10 reps); Thu 5 March: v2, wall squat 15 a day.
    # 12 wall squats every day: met Mon-Wed (12 >= 10), not Thu-Sun (12 < 15),
    # dose 1, 1, 1 then 12/15 = 0.8.
    rx = Prescriptions({"p1": (Version(1, dt.date(2026, 3, 2), None, P),
                               Version(2, dt.date(2026, 3, 5), None,
                                       with_targets(P, wall_squat=15)))})
    rows = [r for d in days("2026-03-02", 7) for r in full_day(d, reps=12)]
    d = daily_adherence(make_sessions(rows), program=rx)
    assert d["version"].tolist() == [1, 1, 1, 2, 2, 2, 2]
    assert d["target_wall_squat"].tolist() == [10, 10, 10, 15, 15, 15, 15]
    assert d["met_wall_squat"].tolist() == [True] * 3 + [False] * 4
    assert d["dose_wall_squat"].tolist() == pytest.approx([1, 1, 1, 0.8, 0.8, 0.8, 0.8])
    assert d["fully_adherent"].tolist() == [True] * 3 + [False] * 4
    assert d["prescribed"].all()
    # the weekly table restarts at the change: that ISO week is a row per version,
    # Mon-Wed all adherent under v1, Thu-Sun none under v2
    w = weekly_adherence(d)
    assert w[["version", "days", "days_prescribed", "fully_adherent_pct"]].values.tolist() == [
        [1, 3, 3, 100.0], [2, 4, 4, 0.0]]
    assert w["wall_squat_dose_mean"].tolist() == pytest.approx([1.0, 0.8])
    v = by_version(d)
    assert v[["version", "days", "fully_adherent_pct"]].values.tolist() == [[1, 3, 100.0],
                                                                            [2, 4, 0.0]]


def test_a_dropped_exercise_is_no_longer_a_miss():
    # v2 (from 4 March) drops the curl-up: not doing it is not a miss any more
    rx = Prescriptions({"p1": (Version(1, dt.date(2026, 3, 2), None, P),
                               Version(2, dt.date(2026, 3, 4), None,
                                       P.subset([i for i in IDS if i != "partial_curl_up"])))})
    rows = [r for d in days("2026-03-02", 4) for r in full_day(d, skip=("partial_curl_up",))]
    d = daily_adherence(make_sessions(rows), program=rx)
    assert d["met_partial_curl_up"].tolist()[:2] == [False, False]
    assert d["met_partial_curl_up"].isna().tolist() == [False, False, True, True]
    assert d["exercises_prescribed"].tolist() == [5, 5, 4, 4]
    assert d["exercises_met"].tolist() == [4, 4, 4, 4]
    assert d["fully_adherent"].tolist() == [False, False, True, True]
    assert d["target_partial_curl_up"].isna().tolist() == [False, False, True, True]


def test_prescribed_weekdays_and_the_days_before_the_first_version():
    # v1 from Tue 3 March, Mon/Wed/Fri only. Mon 2 March: before it, nothing
    # measured. Tue 3: not a prescribed weekday. Wed 4: done in full. Thu 5: no.
    # Fri 6: nothing logged, a missed day.
    rx = Prescriptions({"p1": (Version(1, dt.date(2026, 3, 3), None, P,
                                       days=frozenset({0, 2, 4})),)})
    rows = [r for d in ("2026-03-02", "2026-03-03", "2026-03-04") for r in full_day(d)]
    rows.append({"patient_id": "p1", "date": "2026-03-06", "exercise": "walk", "minutes": 3.0})
    d = daily_adherence(make_sessions(rows), program=rx)
    assert d["date"].dt.day.tolist() == [2, 3, 4, 5, 6]
    assert d["version"].isna().tolist() == [True, False, False, False, False]
    assert d["prescribed"].tolist() == [False, False, True, False, True]
    assert d["fully_adherent"].isna().tolist() == [True, True, False, True, False]
    assert d["fully_adherent"].tolist()[2] is True and d["fully_adherent"].tolist()[4] is False
    assert d["walk_met"].isna().tolist() == [True, True, False, True, False]
    assert pd.isna(d.loc[1, "minutes_status"]) and d.loc[1, "exercise_minutes"] == 15.0
    w = weekly_adherence(d)  # Mon 2 March has no version: its own row
    assert w["version"].isna().tolist() == [True, False]
    assert w.loc[1, "days"] == 4 and w.loc[1, "days_prescribed"] == 2
    assert w.loc[1, "fully_adherent_pct"] == pytest.approx(50.0)  # Wed yes, Fri no


def test_per_side_targets_and_bands_change_with_the_version():
    # v2: straight leg raise 12 per leg, walk 20-30 min. Left 12, right 10 -> the
    # weaker leg 10: met in v1 (10), not in v2 (10 < 12). A 15-minute walk: met in
    # v1 (>= 10), not in v2 (< 20), status under.
    v2 = with_targets(P, straight_leg_raise=12).with_changes(walk_minutes=Band(20, 30))
    rx = Prescriptions({"p1": (Version(1, dt.date(2026, 3, 2), None, P),
                               Version(2, dt.date(2026, 3, 3), None, v2))})
    rows = []
    for d in ("2026-03-02", "2026-03-03"):
        rows += [{"date": d, "exercise": SLR, "reps": 12, "side": "left"},
                 {"date": d, "exercise": SLR, "reps": 10, "side": "right"},
                 {"date": d, "exercise": "walk", "minutes": 15.0}]
    d = daily_adherence(make_sessions(rows), program=rx)
    assert d[f"reps_{SLR}"].tolist() == [10, 10]
    assert d[f"met_{SLR}"].tolist() == [True, False]
    assert d[f"dose_{SLR}"].tolist() == pytest.approx([1.0, 10 / 12])
    assert d["walk_met"].tolist() == [True, False]
    assert d["walk_status"].astype(str).tolist() == ["in_range", "under"]


def test_two_patients_with_different_histories_and_one_without():
    rx = Prescriptions({
        "ann": (Version(1, dt.date(2026, 3, 2), None, with_targets(P, wall_squat=5)),),
        "bob": (Version(1, dt.date(2026, 3, 2), dt.date(2026, 3, 2), P),),
    })
    rows = []
    for patient in ("ann", "bob", "cid"):
        for d in ("2026-03-02", "2026-03-03"):
            rows.append({"patient_id": patient, "date": d, "exercise": "wall_squat", "reps": 6})
    d = daily_adherence(make_sessions(rows), program=rx)
    got = d.set_index(["patient_id", d["date"].dt.day])
    assert got.loc[("ann", 2), "met_wall_squat"] and got.loc[("ann", 3), "met_wall_squat"]
    # bob's only version ended on 2 March: nothing in force on the 3rd
    assert got.loc[("bob", 2), "met_wall_squat"] is False or not got.loc[("bob", 2), "met_wall_squat"]
    assert pd.isna(got.loc[("bob", 3), "met_wall_squat"]) and not got.loc[("bob", 3), "prescribed"]
    # cid has no history: the default program, every day, no version number
    assert pd.isna(got.loc[("cid", 2), "version"]) and got.loc[("cid", 3), "prescribed"]
    assert not got.loc[("cid", 2), "met_wall_squat"]  # 6 < 10


def test_a_plain_program_keeps_plain_columns():
    d = daily_adherence(make_sessions(full_day("2026-03-02")))
    assert d["met_wall_squat"].dtype == bool and d["fully_adherent"].dtype == bool
    assert d["version"].isna().all() and d["prescribed"].all()
    assert d["target_wall_squat"].dtype == np.int64 and d["dose_wall_squat"].tolist() == [1.0]


def test_overlapping_versions_are_refused():
    from backrx_analysis.program import ProgramError

    with pytest.raises(ProgramError, match="overlap"):
        Prescriptions({"p1": (Version(1, dt.date(2026, 3, 2), dt.date(2026, 3, 10), P),
                              Version(2, dt.date(2026, 3, 9), None, P))})


def test_a_subset_of_the_exercises_keeps_each_version():
    """A dashboard's choice of exercises: each version keeps the chosen ones it
    prescribes; one prescribing none of them prescribes nothing."""
    rx = Prescriptions({"p1": (Version(1, dt.date(2026, 3, 2), None, P),
                               Version(2, dt.date(2026, 3, 4), None,
                                       P.subset(["ankle_pumps"])))})
    sub = rx.subset(["partial_curl_up"])
    rows = [r for d in days("2026-03-02", 4) for r in full_day(d)]
    d = daily_adherence(make_sessions(rows), program=sub)
    assert [c for c in d.columns if c.startswith("met_")] == ["met_partial_curl_up"]
    assert d["prescribed"].tolist() == [True, True, False, False]
    assert d["met_partial_curl_up"].tolist()[:2] == [True, True]
    assert d["met_partial_curl_up"].isna().tolist() == [False, False, True, True]


def test_in_force_after_a_version_that_ended():
    # v1 open-ended, v2 from 10 March ending 20 March, no v3: v1 does not come back
    rx = Prescriptions({"p1": (Version(1, dt.date(2026, 3, 2), None, P),
                               Version(2, dt.date(2026, 3, 10), dt.date(2026, 3, 20), P))})
    assert rx.in_force("p1", dt.date(2026, 3, 9)).number == 1
    assert rx.in_force("p1", dt.date(2026, 3, 20)).number == 2
    assert rx.in_force("p1", dt.date(2026, 3, 21)) is None
    assert rx.in_force("p1", dt.date(2026, 3, 1)) is None
    assert rx.in_force("nobody", dt.date(2026, 3, 5)) is None


def test_a_report_for_a_patient_the_history_does_not_list(tmp_path):
    import backrx_analysis as bx

    rx = Prescriptions({"someone else": (Version(1, dt.date(2026, 3, 2), None, P),)})
    sessions, pain = bx.load_sample()
    out = bx.export_report(sessions, pain, tmp_path / "r.pdf", program=rx)
    assert out.stat().st_size > 10_000


def test_the_loaders_and_the_writer_take_a_history(tmp_path):
    """Every function that takes program= takes a Prescriptions: names are those of
    any version (the catalogue); an unknown one gets the same suggestion."""
    import shutil

    import backrx_analysis as bx

    rx = Prescriptions({"patient": (Version(1, dt.date(2026, 3, 2), None,
                                            P.subset(["wall_squat"])),)})
    bad = tmp_path / "bad.csv"
    bad.write_text("date,exercise,reps\n2026-03-02,wal squat,10\n", encoding="utf-8")
    with pytest.raises(bx.LogValidationError, match="did you mean 'wall squat'"):
        bx.load_sessions(bad, program=rx)
    log = tmp_path / "s.csv"
    shutil.copy(bx.sample_path("sessions"), log)
    bx.append_sessions(log, [{"date": "2026-05-24", "exercise": "ankle pumps", "reps": 10}],
                       program=rx)
    assert bx.check_logs(log, program=rx).empty
    assert len(bx.load_sessions(log, program=rx)) == 365
