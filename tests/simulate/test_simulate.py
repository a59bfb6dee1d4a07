"""Tests of backrx_analysis.simulate: seeded raw logs that look like people's logs."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from backrx_analysis.program import SESSION, WALK, Band, default_program
from backrx_analysis.simulate import (
    PAIN_RAW_COLUMNS,
    SESSIONS_RAW_COLUMNS,
    simulate_logs,
    simulate_pain_rows,
    simulate_sessions_rows,
    write_csv,
)

PROG = default_program()
ISO_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


@pytest.fixture(scope="module")
def logs() -> tuple[pd.DataFrame, pd.DataFrame]:
    return simulate_logs(seed=0)


@pytest.fixture(scope="module")
def caseload() -> tuple[pd.DataFrame, pd.DataFrame]:
    return simulate_logs(n_patients=5, seed=0)


# -- helpers that read a raw log the way the program's rules do -------------------------


def _met_days(sessions: pd.DataFrame, days: int = 84, start: str = "2026-03-02") -> pd.Series:
    """Per calendar day: every exercise reached its target (SLR on each leg)."""
    s = sessions.assign(
        activity=sessions["exercise"].map(PROG.resolve),
        total=sessions["reps"].fillna(0) * sessions["sets"].fillna(1),
    )
    met = {}
    for date, g in s.groupby("date"):
        ok = True
        for e in PROG.exercises:
            ge = g[g["activity"] == e.id]
            if e.per_side:
                both = ge.loc[ge["side"].isna() | (ge["side"] == "both"), "total"].sum()
                for side in ("left", "right"):
                    ok &= ge.loc[ge["side"] == side, "total"].sum() + both >= e.target_reps
            else:
                ok &= ge["total"].sum() >= e.target_reps
        met[date] = bool(ok)
    calendar = pd.date_range(start, periods=days).strftime("%Y-%m-%d")
    return pd.Series(met).reindex(calendar, fill_value=False)


def _exercise_minutes(sessions: pd.DataFrame) -> pd.Series:
    act = sessions["exercise"].map(PROG.resolve)
    ex = sessions[act != WALK]
    return ex.groupby("date")["minutes"].sum()


def _daily_pain(pain: pd.DataFrame) -> pd.Series:
    return pain.groupby(pain["timestamp"].str.slice(0, 10))["pain"].mean()


# -- determinism and shape ---------------------------------------------------------------


def test_same_seed_gives_identical_frames(logs):
    again = simulate_logs(seed=0)
    pd.testing.assert_frame_equal(logs[0], again[0])
    pd.testing.assert_frame_equal(logs[1], again[1])
    w1, _ = simulate_logs(seed=4, wide=True, days=21)
    w2, _ = simulate_logs(seed=4, wide=True, days=21)
    pd.testing.assert_frame_equal(w1, w2)


def test_different_seeds_differ(logs):
    other = simulate_logs(seed=1)
    assert not logs[0].equals(other[0])
    assert not logs[1].equals(other[1])


def test_single_patient_columns_and_types(logs):
    sessions, pain = logs
    assert tuple(sessions.columns) == SESSIONS_RAW_COLUMNS
    assert tuple(pain.columns) == PAIN_RAW_COLUMNS
    for col in ("reps", "sets", "minutes"):
        assert sessions[col].dtype == "Int64"
    assert sessions["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    times = sessions["time"].dropna()
    assert times.str.fullmatch(r"\d{2}:\d{2}").all()
    assert sessions["time"].isna().any(), "some times are left empty, as people do"
    dates = pd.to_datetime(sessions["date"])
    assert dates.min() == pd.Timestamp("2026-03-02")
    assert dates.max() <= pd.Timestamp("2026-03-02") + pd.Timedelta(days=83)
    assert dates.is_monotonic_increasing
    # 12 weeks of a real log: a few hundred rows, some days absent
    assert 200 < len(sessions) < 700
    assert 50 < sessions["date"].nunique() < 84


def test_caseload_has_patient_ids(caseload):
    sessions, pain = caseload
    assert tuple(sessions.columns) == ("patient_id", *SESSIONS_RAW_COLUMNS)
    assert tuple(pain.columns) == ("patient_id", *PAIN_RAW_COLUMNS)
    ids = ["P01", "P02", "P03", "P04", "P05"]
    assert sorted(sessions["patient_id"].unique()) == ids
    assert sorted(pain["patient_id"].unique()) == ids


def test_caseload_patients_differ_in_adherence(caseload):
    sessions, _ = caseload
    share = {
        pid: _met_days(g.drop(columns="patient_id")).mean()
        for pid, g in sessions.groupby("patient_id")
    }
    assert share["P01"] > share["P04"]  # steady vs under-dosed
    assert share["P04"] < 0.1
    over = {pid: (_exercise_minutes(g) > 30).sum() for pid, g in sessions.groupby("patient_id")}
    assert over["P05"] == max(over.values()) and over["P05"] >= 3


# -- content as people write it ---------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_name_resolves(seed):
    sessions, _ = simulate_logs(n_patients=6, seed=seed)
    names = sessions["exercise"].unique()
    unknown = [n for n in names if PROG.resolve(n) is None]
    assert not unknown
    resolved = {PROG.resolve(n) for n in names}
    assert resolved == set(PROG.activity_ids)
    # names as people write them: several spellings for the same exercise
    slr = [n for n in names if PROG.resolve(n) == "straight_leg_raise"]
    assert len(slr) >= 2


def test_names_mostly_human_sometimes_aliases_and_case(caseload):
    names = caseload[0]["exercise"]
    exercise_names = {e.name for e in PROG.exercises} | {"SLR", "Ab bracing", "Curl-up"}
    human = names.isin(exercise_names | {"Walk", "Routine", "session"})
    assert human.mean() > 0.75
    assert (~human).any()
    assert names.str.isupper().any() or names.str.islower().any()


def test_slr_logged_per_side(logs, caseload):
    for sessions in (logs[0], caseload[0]):
        slr = sessions[sessions["exercise"].map(PROG.resolve) == "straight_leg_raise"]
        sides = slr["side"]
        assert (sides == "left").sum() > 10 and (sides == "right").sum() > 10
        assert ((sides == "both") | sides.isna()).any(), "sometimes one row for both legs"
        other = sessions[sessions["exercise"].map(PROG.resolve) != "straight_leg_raise"]
        assert other["side"].isna().all()


def test_walks_and_routine_rows(logs):
    sessions, _ = logs
    act = sessions["exercise"].map(PROG.resolve)
    walks = sessions[act == WALK]
    assert walks["minutes"].between(5, 30).all()
    assert walks["reps"].isna().all()
    assert walks["date"].nunique() > 0.5 * 84
    routine = sessions[act == SESSION]
    assert len(routine) > 0
    assert routine["reps"].isna().all() and routine["minutes"].notna().all()
    ex = sessions[act.isin(PROG.exercise_ids) & sessions["minutes"].notna()]
    assert ex["minutes"].median() <= 6


def test_notes_sometimes_have_commas(caseload):
    notes = pd.concat([caseload[0]["notes"], caseload[1]["notes"]]).dropna()
    assert len(notes) > 0
    assert notes.str.contains(",").any()
    assert caseload[0]["notes"].isna().mean() > 0.8


def test_some_days_fall_short_of_ten(logs):
    sessions, _ = logs
    ex = sessions[sessions["exercise"].map(PROG.resolve).isin(PROG.exercise_ids)]
    total = ex["reps"] * ex["sets"].fillna(1)
    assert (total < 10).any()
    assert (total >= 10).mean() > 0.6


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_adherence_sags(seed):
    sessions, _ = simulate_logs(seed=seed)
    met = _met_days(sessions)
    first, last = met.iloc[:14].mean(), met.iloc[-14:].mean()
    assert first > last
    assert first >= 0.4


def test_more_days_missed_at_weekends():
    sessions, _ = simulate_logs(n_patients=5, seed=0)
    ex = sessions[sessions["exercise"].map(PROG.resolve).isin(PROG.exercise_ids)]
    done = ex.groupby("patient_id")["date"].unique().explode()
    weekend = pd.to_datetime(done).dt.day_of_week >= 5
    # 2 of 7 days are weekend days; people exercise less on them
    assert weekend.mean() < 2 / 7


# -- pain ---------------------------------------------------------------------------------


def test_pain_in_range_mostly_whole(logs, caseload):
    for pain in (logs[1], caseload[1]):
        assert pain["pain"].between(0, 10).all()
        whole = (pain["pain"] % 1 == 0).mean()
        assert 0.8 < whole < 1.0
        assert set(pain["pain"] % 1) <= {0.0, 0.5}


def test_pain_timestamps_carry_offsets_late_evening(logs, caseload):
    for pain in (logs[1], caseload[1]):
        ts = pain["timestamp"]
        assert ts.str.fullmatch(ISO_OFFSET.pattern).all()
        late = ts[ts.str.slice(11, 13) == "23"]
        assert len(late) >= 5
    # the single patient changes to summer time at the end of March
    offsets = set(logs[1]["timestamp"].str.slice(19))
    assert offsets == {"+01:00", "+02:00"}
    assert logs[1]["timestamp"].iloc[0].endswith("+01:00")
    # the caseload has negative offsets, where a 23:xx rating is the next day in UTC
    caseload_offsets = set(caseload[1]["timestamp"].str.slice(19))
    assert {"-05:00", "-04:00"} <= caseload_offsets


def test_pain_one_to_three_ratings_a_day(logs):
    per_day = logs[1].groupby(logs[1]["timestamp"].str.slice(0, 10)).size()
    assert per_day.max() <= 4  # 3, plus now and then one on waking at night
    assert per_day.between(1, 3).mean() > 0.9
    assert per_day.index.nunique() > 0.9 * 84
    contexts = set(logs[1]["context"])
    assert {"morning", "after exercise", "evening"} <= contexts
    assert logs[1]["location"].notna().all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pain_drifts_down(seed):
    _, pain = simulate_logs(seed=seed)
    daily = _daily_pain(pain)
    assert 5 <= daily.iloc[:7].mean() <= 7.5
    assert 2 <= daily.iloc[-14:].mean() <= 4.5


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_overlong_session_followed_by_flare(seed):
    sessions, pain = simulate_logs(seed=seed)
    minutes = _exercise_minutes(sessions)
    over = minutes[minutes > 30]
    assert len(over) >= 2
    daily = _daily_pain(pain)
    daily.index = pd.to_datetime(daily.index)
    flares = 0
    for day in pd.to_datetime(over.index):
        nxt = day + pd.Timedelta(days=1)
        before = daily[(daily.index >= day - pd.Timedelta(days=6)) & (daily.index <= day)]
        if nxt in daily.index and daily[nxt] >= before.mean() + 2:
            flares += 1
    assert flares >= 1


# -- wide format ------------------------------------------------------------------------


def test_wide_format(logs):
    wide, pain = simulate_logs(seed=0, wide=True)
    assert list(wide.columns) == [
        "date", "Ankle pumps", "Ab bracing", "Wall squat", "SLR", "Curl-up",
        "exercise minutes", "walk minutes", "notes",
    ]  # fmt: skip
    assert len(wide) == 84 and wide["date"].is_unique
    pd.testing.assert_frame_equal(pain, logs[1])  # the same patient
    for header in ("Ankle pumps", "Ab bracing", "Wall squat", "SLR", "Curl-up"):
        assert PROG.resolve(header) is not None
        assert wide[header].dtype == "Int64"
    # same days done as in the long log
    long_days = set(logs[0].loc[logs[0]["exercise"].map(PROG.resolve) != WALK, "date"])
    wide_days = set(wide.loc[wide["exercise minutes"].notna(), "date"])
    assert wide_days <= long_days
    # total reps agree with the long log for wall squats
    s = logs[0][logs[0]["exercise"].map(PROG.resolve) == "wall_squat"]
    long_total = (s["reps"] * s["sets"].fillna(1)).groupby(s["date"]).sum()
    w = wide.set_index("date")["Wall squat"].dropna()
    w = w[w > 0]
    pd.testing.assert_series_equal(
        w.astype("int64"), long_total.reindex(w.index).astype("int64"), check_names=False
    )


def test_wide_caseload_has_patient_column():
    wide, _ = simulate_logs(n_patients=2, days=10, seed=0, wide=True)
    assert wide.columns[0] == "patient_id"
    assert len(wide) == 20


def test_program_changes_what_is_simulated():
    prog = PROG.subset(["wall_squat", "straight_leg_raise"]).with_changes(
        exercise_minutes=Band(5, 15)
    )
    sessions, _ = simulate_logs(days=28, seed=0, program=prog)
    act = set(sessions["exercise"].map(prog.resolve))
    assert act <= {"wall_squat", "straight_leg_raise", WALK, SESSION}
    assert None not in act


def test_bad_arguments():
    with pytest.raises(ValueError):
        simulate_logs(n_patients=0)
    with pytest.raises(ValueError):
        simulate_sessions_rows(-1)
    with pytest.raises(ValueError, match="patients"):
        simulate_pain_rows(1_000_000, n_patients=1)


# -- any number of rows ------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 7, 50_000])
def test_rows_functions_give_exactly_n(n):
    s = simulate_sessions_rows(n, seed=0)
    p = simulate_pain_rows(n, seed=0)
    assert len(s) == n and len(p) == n
    assert tuple(s.columns) == ("patient_id", *SESSIONS_RAW_COLUMNS)
    assert tuple(p.columns) == ("patient_id", *PAIN_RAW_COLUMNS)


def test_rows_functions_deterministic_and_realistic():
    s1 = simulate_sessions_rows(50_000, seed=3)
    s2 = simulate_sessions_rows(50_000, seed=3)
    pd.testing.assert_frame_equal(s1, s2)
    assert not s1.equals(simulate_sessions_rows(50_000, seed=4))
    p1 = simulate_pain_rows(50_000, seed=3)
    pd.testing.assert_frame_equal(p1, simulate_pain_rows(50_000, seed=3))

    assert s1["exercise"].map(PROG.resolve).notna().all()
    assert s1["patient_id"].nunique() > 50
    assert s1.groupby("patient_id")["date"].apply(lambda d: d.is_monotonic_increasing).all()
    slr = s1[s1["exercise"].map(PROG.resolve) == "straight_leg_raise"]
    assert {"left", "right", "both"} <= set(slr["side"].dropna())
    walks = s1[s1["exercise"].map(PROG.resolve) == WALK]
    assert walks["minutes"].between(5, 30).all() and walks["reps"].isna().all()

    assert p1["pain"].between(0, 10).all()
    assert p1["timestamp"].str.fullmatch(ISO_OFFSET.pattern).all()
    assert (p1["timestamp"].str.slice(11, 13) == "23").any()
    assert p1["timestamp"].str.slice(19).str.startswith("-").any()


def test_rows_with_given_patients():
    s = simulate_sessions_rows(5_000, seed=0, n_patients=3)
    assert sorted(s["patient_id"].unique()) == ["P0001", "P0002", "P0003"]


# -- CSV as written ------------------------------------------------------------------------


def test_write_csv_numbers_as_typed(tmp_path, logs):
    sessions, pain = logs
    p = write_csv(pain, tmp_path / "pain.csv")
    text = p.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(PAIN_RAW_COLUMNS)
    assert ".0," not in text
    assert "\r" not in text
    back = pd.read_csv(p)
    np.testing.assert_allclose(back["pain"], pain["pain"])
    s = write_csv(sessions, tmp_path / "sessions.csv")
    back = pd.read_csv(s, dtype=str, keep_default_na=False)
    assert len(back) == len(sessions)
    assert back["exercise"].tolist() == sessions["exercise"].tolist()


# -- the bundled sample files ---------------------------------------------------------------


def test_sample_data_files_are_up_to_date():
    """sample_data/ is what scripts/make_sample_data.py makes from this simulator."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(
        "make_sample_data", root / "scripts" / "make_sample_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    files = module.build()
    assert set(files) >= {
        "sessions.csv", "pain.csv", "wide_sessions.xlsx", "wide_sessions.csv",
        "caseload_sessions.csv", "caseload_pain.csv", "README.md",
    }  # fmt: skip
    stale = [n for n, data in files.items() if (root / "sample_data" / n).read_bytes() != data]
    assert not stale, f"run `python scripts/make_sample_data.py`: out of date: {stale}"
    assert module.build() == files  # byte-identical on a second run
    assert len(files["sessions.csv"]) < 200_000
    sessions = pd.read_csv(root / "sample_data" / "caseload_sessions.csv")
    share = {
        pid: _met_days(g.drop(columns="patient_id")).mean()
        for pid, g in sessions.groupby("patient_id")
    }
    assert share["P01"] > share["P02"] > share["P04"]
