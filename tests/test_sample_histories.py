"""The caseload's prescription history shipped with the sample
(``sample_data/caseload_prescriptions.toml``, made by scripts/make_sample_data.py):
it loads as written, says what the sample's README says of it, and measures the
caseload's logs version by version."""

from __future__ import annotations

import datetime as dt
import tomllib

import pandas as pd
import pytest

import backrx_analysis as bx

PATIENTS = ["P01", "P02", "P03", "P04", "P05"]


@pytest.fixture(scope="module")
def rx() -> bx.Prescriptions:
    return bx.load_prescriptions(bx.sample_path("caseload_prescriptions"))


@pytest.fixture(scope="module")
def caseload() -> tuple[pd.DataFrame, pd.DataFrame]:
    return bx.load_sample(caseload=True)


def test_the_file_is_toml_with_a_why_on_every_version():
    text = bx.sample_path("caseload_prescriptions").read_text(encoding="utf-8")
    notes = tomllib.loads(text)
    assert [p["id"] for p in notes["patient"]] == PATIENTS
    for patient in notes["patient"]:
        for version in patient["version"]:
            assert isinstance(version["start"], dt.date)  # a TOML date, not text
            assert version["why"] and version["by"] == "physio"
    assert "\n  why = " in text  # a line per key, readable


def test_each_patients_history_starts_on_their_first_logged_day(rx, caseload):
    sessions, _ = caseload
    first = sessions.groupby("patient_id", observed=True)["date"].min()
    for pid in PATIENTS:
        versions = rx.versions(pid)
        assert 2 <= len(versions) <= 4
        assert versions[0].start == first[pid].date()


def test_the_history_holds_what_the_readme_says(rx):
    readme = bx.sample_path("caseload_prescriptions").with_name("README.md").read_text()
    assert 'bx.load_prescriptions(bx.sample_path("caseload_prescriptions"))' in readme
    assert "wall_squat" not in rx.versions("P04")[0].program.exercise_ids
    assert any("added: wall squat" in v.changes for v in rx.versions("P04"))
    for pid in ("P02", "P05"):
        assert any("dropped: partial curl-up" in v.changes and "flare" in v.why
                   for v in rx.versions(pid))
    assert [pid for pid in PATIENTS if any(v.days for v in rx.versions(pid))] == ["P05"]
    assert any("walk 10-20 -> 20-30 min" in v.changes
               for pid in PATIENTS for v in rx.versions(pid))


def test_the_summary_counts_prescribed_days_within_the_days(rx, caseload):
    sessions, pain = caseload
    summary = bx.summarize(sessions, pain, program=rx).set_index("patient_id")
    assert list(summary.index) == PATIENTS
    assert (summary["days_prescribed"] <= summary["days"]).all()
    # P05's three-days-a-week version leaves days unprescribed; the others prescribe all
    assert summary.loc["P05", "days_prescribed"] < summary.loc["P05", "days"]
    assert (summary.drop(index="P05")["days_prescribed"] == summary.drop(index="P05")["days"]).all()


def test_by_version_has_a_row_per_version_in_force_during_the_log(rx, caseload):
    sessions, pain = caseload
    by_version = bx.analyze(sessions, pain, program=rx).by_version
    last = sessions.groupby("patient_id", observed=True)["date"].max()
    for pid in PATIENTS:
        expected = [v.number for v in rx.versions(pid) if v.start <= last[pid].date()]
        rows = by_version[by_version["patient_id"] == pid]
        assert rows["version"].astype(int).tolist() == expected, pid
        assert [d.date() for d in pd.to_datetime(rows["start"])] == [
            v.start for v in rx.versions(pid)]
    assert by_version["days"].sum() == bx.summarize(sessions, pain, program=rx)["days"].sum()
