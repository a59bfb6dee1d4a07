"""Tests of backrx_analysis.simulate.histories: seeded prescription histories that load
as written and hold the changes a physio makes (progression, an exercise added, one
dropped after a flare, three days a week)."""

from __future__ import annotations

import datetime as dt

import pytest

import backrx_analysis as bx
from backrx_analysis.simulate import simulate_prescriptions

IDS = [f"P{i:02d}" for i in range(1, 21)]
START = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def notes() -> dict:
    return simulate_prescriptions(IDS, START, seed=1)


@pytest.fixture(scope="module")
def rx(notes) -> bx.Prescriptions:
    return bx.load_prescriptions(notes)


def test_the_same_seed_gives_the_same_histories(notes):
    assert simulate_prescriptions(IDS, START, seed=1) == notes
    assert simulate_prescriptions(IDS, "2026-03-02", seed=1) == notes
    assert simulate_prescriptions(IDS, START, seed=2) != notes


def test_it_loads_with_every_patient_in_order(notes, rx):
    assert [p["id"] for p in notes["patient"]] == IDS
    assert set(rx.histories) == set(IDS)


def test_each_patient_has_two_to_four_versions_in_date_order_within_the_period(rx):
    last = START + dt.timedelta(days=83)
    for pid in IDS:
        versions = rx.versions(pid)
        assert 2 <= len(versions) <= 4, pid
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        starts = [v.start for v in versions]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        assert starts[0] == START and starts[-1] <= last
        assert all(v.by == "physio" and v.why for v in versions), pid


def test_the_first_change_comes_after_two_to_three_weeks_and_raises_targets(rx):
    for pid in IDS:
        v1, v2 = rx.versions(pid)[:2]
        assert 14 <= (v2.start - v1.start).days <= 21, pid
        before = {e.id: e.target_reps for e in v1.program.exercises}
        after = {e.id: e.target_reps for e in v2.program.exercises}
        assert all(after[e] >= before[e] for e in before), pid
        assert any(after[e] > before[e] for e in before), pid
        assert set(after) >= set(before)


def test_the_kinds_of_change_occur_across_twenty_patients(rx):
    changes = [v.changes for pid in IDS for v in rx.versions(pid)[1:]]
    assert any("10 -> 12 reps" in c for c in changes)
    assert any("10 -> 15 reps" in c for c in changes)
    assert any("walk 10-20 -> 20-30 min" in c for c in changes)
    assert any("added: wall squat" in c for c in changes)
    assert any("dropped: partial curl-up" in c for c in changes)
    assert any("Mon, Wed, Fri only" in c for c in changes)
    firsts = [rx.versions(pid)[0] for pid in IDS]
    without_squat = [v for v in firsts if "wall_squat" not in v.program.exercise_ids]
    assert without_squat and len(without_squat) < len(IDS)
    dropped = [v for pid in IDS for v in rx.versions(pid)
               if "partial_curl_up" not in v.program.exercise_ids]
    assert all("after a flare" in v.why for v in dropped)
    assert {v.days for v in dropped} == {None, frozenset({0, 2, 4})}


def test_each_patient_starts_on_its_own_day_and_a_short_period_keeps_what_fits():
    starts = {"A": "2026-03-02", "B": dt.date(2026, 3, 9)}
    rx = bx.load_prescriptions(simulate_prescriptions(["A", "B"], starts, seed=3))
    assert [rx.versions(p)[0].start for p in "AB"] == [START, dt.date(2026, 3, 9)]
    short = bx.load_prescriptions(simulate_prescriptions(["A"], START, seed=3, days=10))
    assert len(short.versions("A")) == 1


def test_the_history_measures_the_simulated_logs(rx):
    from backrx_analysis.simulate import simulate_logs

    sessions, _ = simulate_logs(n_patients=2, days=28, seed=0)
    daily = bx.daily_adherence(bx.load_sessions(sessions), program=rx)
    assert daily["version"].notna().all()
    assert set(daily["version"].astype(int)) >= {1, 2}
