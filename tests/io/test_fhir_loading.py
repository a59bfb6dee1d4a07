"""load_fhir: a backrx bundle reads back to the frames it was made from (the sample,
the caseload, generated logs), with the prescriptions and the questionnaires' scores;
pain Observations made elsewhere load as NRS ratings; bad ones are refused with the
file, the entry, the element, the value and what is accepted, all at once."""

from __future__ import annotations

import dataclasses
import json
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backrx_analysis as bx
from backrx_analysis.io.fhir_codes import LOINC, PA_TEMP, UCUM

pytest.importorskip("fhir.resources.R4B")

FIXTURES = Path(__file__).parent / "fixtures" / "fhir"


def _without_notes(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns="notes")


def _blank_notes(histories: dict) -> dict:
    return {p: tuple(dataclasses.replace(v, by="", why="") for v in vs)
            for p, vs in histories.items()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    sessions, pain = bx.load_sample()
    rx = bx.load_prescriptions(bx.sample_path("prescriptions"))
    outcomes = bx.load_outcomes(bx.sample_path("outcomes"))
    folder = tmp_path_factory.mktemp("fhir")
    [plain] = bx.export_fhir(sessions, pain, folder / "plain.json", program=rx, outcomes=outcomes)
    [noted] = bx.export_fhir(sessions, pain, folder / "noted.json", program=rx, outcomes=outcomes,
                             include_notes=True)
    return {"sessions": sessions, "pain": pain, "rx": rx, "outcomes": outcomes,
            "plain": plain, "noted": noted}


def test_the_sample_round_trips_but_the_notes(sample):
    back = bx.load_fhir(sample["plain"])
    pd.testing.assert_frame_equal(_without_notes(back.sessions), _without_notes(sample["sessions"]))
    pd.testing.assert_frame_equal(_without_notes(back.pain), _without_notes(sample["pain"]))
    assert back.sessions["notes"].isna().all() and back.pain["notes"].isna().all()
    assert _blank_notes(back.prescriptions.histories) == _blank_notes(sample["rx"].histories)
    pd.testing.assert_frame_equal(back.outcomes, sample["outcomes"])
    pd.testing.assert_frame_equal(bx.score_outcomes(back.outcomes),
                                  bx.score_outcomes(sample["outcomes"]))
    assert back.report == [] and back.programs == {}


def test_with_notes_the_sample_round_trips_whole(sample):
    back = bx.load_fhir(sample["noted"])
    pd.testing.assert_frame_equal(back.sessions, sample["sessions"])
    pd.testing.assert_frame_equal(back.pain, sample["pain"])
    assert back.prescriptions.histories == sample["rx"].histories
    assert [v.changes for v in back.prescriptions.versions("patient")] == [
        "the default program", "dropped: partial curl-up",
        "walk 10-20 -> 15-30 min; added: partial curl-up (10 reps)"]


def test_the_analysis_of_the_bundle_is_the_analysis_of_the_logs(sample):
    back = bx.load_fhir(sample["plain"])
    pd.testing.assert_frame_equal(bx.daily_adherence(back.sessions, program=back.prescriptions),
                                  bx.daily_adherence(sample["sessions"], program=sample["rx"]))


def _caseload(patients):
    sessions, pain = bx.load_sample(caseload=True)
    outcomes = bx.load_outcomes(bx.sample_path("caseload_outcomes"))
    keep = (lambda f: f[f["patient_id"].isin(patients)].reset_index(drop=True)) if patients else (
        lambda f: f)
    return keep(sessions), keep(pain), keep(outcomes)


@pytest.mark.parametrize("patients", [
    ("P01", "P04"), pytest.param(None, marks=pytest.mark.slow, id="all five")])
def test_a_caseload_folder_reads_back(tmp_path, patients):
    sessions, pain, outcomes = _caseload(patients)
    rx = bx.load_prescriptions(bx.sample_path("caseload_prescriptions"))
    out = bx.export_fhir(sessions, pain, tmp_path, program=rx, outcomes=outcomes)
    assert len(out) == sessions["patient_id"].nunique()
    back = bx.load_fhir(tmp_path)
    pd.testing.assert_frame_equal(_without_notes(back.sessions), _without_notes(sessions))
    pd.testing.assert_frame_equal(_without_notes(back.pain), _without_notes(pain))
    pd.testing.assert_frame_equal(back.outcomes, outcomes)
    kept = {p: v for p, v in rx.histories.items() if p in set(sessions["patient_id"])}
    assert _blank_notes(back.prescriptions.histories) == _blank_notes(kept)


def test_a_single_program_comes_back_as_a_program(tmp_path):
    sessions, pain = bx.load_sample()
    program = bx.default_program().subset(["ankle_pumps", "wall_squat"]).with_changes(
        walk_minutes=bx.Band(20, 40))
    [path] = bx.export_fhir(sessions, pain, tmp_path / "b.json", program=program)
    back = bx.load_fhir(path)
    assert back.prescriptions is None
    got = back.programs["patient"]
    assert got.exercise_ids == ("ankle_pumps", "wall_squat")
    assert got.walk_minutes == bx.Band(20, 40) and got.exercise_minutes == bx.Band(10, 30)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=12).map(str.strip).filter(bool)


@st.composite
def logs(draw):
    """Small valid logs: entries of every activity with or without a time (and an
    offset), pain on every scale with half points, context, location and notes."""
    n = draw(st.integers(1, 8))
    days = [d.date() for d in pd.date_range("2026-03-02", periods=20, freq="D")]
    acts = list(bx.default_program().activity_ids)
    rows = []
    for _ in range(n):
        day = draw(st.sampled_from(days)).isoformat()
        when = draw(st.sampled_from(["date", "time", "offset"]))
        act = draw(st.sampled_from(acts))
        row = {"date": day}
        if when != "date":
            t = f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"
            if when == "offset":
                off = draw(st.integers(-48, 56)) * 15
                sign = "+" if off >= 0 else "-"
                row["date"] = f"{day}T{t}:00{sign}{abs(off) // 60:02d}:{abs(off) % 60:02d}"
            else:
                row["time"] = t
        row["exercise"] = act
        if act in ("walk", "session"):
            row["minutes"] = draw(st.integers(1, 120)) / 2
        else:
            row["reps"] = draw(st.integers(0, 40))
            row["sets"] = draw(st.one_of(st.none(), st.integers(1, 4)))
            if draw(st.booleans()):
                row["minutes"] = draw(st.integers(0, 60)) / 4
            if act == "straight_leg_raise":
                row["side"] = draw(st.sampled_from([None, "left", "right", "both"]))
        row["notes"] = draw(st.one_of(st.none(), _TEXT))
        rows.append(row)
    ratings = []
    for _ in range(draw(st.integers(1, 6))):
        scale = draw(st.sampled_from(["nrs", "bearable", "apple_health"]))
        high = bx.scales.SCALES[scale].high
        value = draw(st.integers(0, 2 * high)) / 2 if scale == "nrs" else draw(st.integers(0, high))
        ratings.append({"timestamp": f"{draw(st.sampled_from(days))}T08:30:00+02:00",
                        "pain": value, "scale": scale,
                        "context": draw(st.one_of(st.none(), _TEXT)),
                        "location": draw(st.one_of(st.none(), _TEXT)),
                        "notes": draw(st.one_of(st.none(), _TEXT))})
    return pd.DataFrame(rows), pd.DataFrame(ratings)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(logs())
def test_generated_logs_round_trip_with_their_notes(tmp_path, drawn):
    sessions, pain = bx.load_sessions(drawn[0]), bx.load_pain(drawn[1])
    [path] = bx.export_fhir(sessions, pain, tmp_path / "b.json", include_notes=True)
    back = bx.load_fhir(path)
    pd.testing.assert_frame_equal(back.sessions, sessions)
    pd.testing.assert_frame_equal(back.pain, pain)


# -- made elsewhere ---------------------------------------------------------------------


def test_real_pain_observations_load_as_nrs():
    back = bx.load_fhir(sorted(FIXTURES.glob("*.json")))
    p = back.pain
    assert p["pain"].tolist() == [6.0, 5.0]  # {score} and unit "Level"
    assert p["scale"].tolist() == ["nrs", "nrs"]
    assert p["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-12-22", "2022-11-06"]
    assert p["utc_offset_min"].tolist()[0] == 0 and pd.isna(p["timestamp"].iloc[1])
    assert p["patient_id"].tolist() == ["fd7382da-c790-4b9d-bc2e-b4265a00a7f1",
                                        "example-mes-fr-patient-001"]
    assert p["source"].tolist() == ["aidbox_observation_pain.json", "ans_fr_observation_pain.json"]
    assert p["source_line"].tolist() == [1, 1]
    assert back.sessions.empty


def _changed(tmp_path: Path, name: str, **value) -> Path:
    doc = json.loads((FIXTURES / "ans_fr_observation_pain.json").read_text())
    doc["valueQuantity"] = {**doc["valueQuantity"], **value}
    out = tmp_path / name
    out.write_text(json.dumps(doc))
    return out


def test_bad_pain_observations_are_refused_all_at_once(tmp_path):
    eleven = _changed(tmp_path, "eleven.json", value=11)
    fever = _changed(tmp_path, "fever.json", value=37.5, unit="Cel", code="Cel")
    word = _changed(tmp_path, "word.json", value="six")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_fhir([eleven, fever, word])
    probs = err.value.problems
    assert probs["file"].tolist() == [str(eleven), str(fever), str(word)]
    assert probs["line"].tolist() == [1, 1, 1]
    assert probs["column"].tolist() == ["Observation.value[x]", "Observation.valueQuantity.unit",
                                        "Observation.valueQuantity.value"]
    assert probs["value"].tolist() == ["11", "Cel", "six"]
    assert "outside the scale" in probs["problem"][0] and "0 (no pain) to 10" in probs["problem"][0]
    assert "{score}" in probs["problem"][1]
    assert "accepted: a number" in probs["problem"][2]
    assert "resource 1" in str(err.value)


def _bundle(tmp_path: Path, *resources: dict) -> Path:
    out = tmp_path / "bundle.json"
    out.write_text(json.dumps({"resourceType": "Bundle", "type": "searchset", "entry": [
        {"fullUrl": f"http://example.org/fhir/{r['resourceType']}/{r['id']}", "resource": r}
        for r in resources]}))
    return out


def _obs(rid: str, code: tuple[str, str], **more) -> dict:
    return {"resourceType": "Observation", "id": rid, "status": "final",
            "code": {"coding": [{"system": code[0], "code": code[1]}]},
            "subject": {"reference": "Patient/p9"}, "effectiveDateTime": "2023-07-15T12:00:00-07:00",
            **more}


def test_a_pa_ig_walk_group_made_elsewhere_is_a_walk(tmp_path):
    walking = _obs("t1", (LOINC, "73985-4"), valueCodeableConcept={
        "coding": [{"system": LOINC, "code": "LA11834-1"}]})
    minutes = _obs("d1", (LOINC, "55411-3"), valueQuantity={"value": 0.5, "unit": "h",
                                                           "system": UCUM, "code": "h"})
    group = _obs("g1", (PA_TEMP, "PAPanel"), hasMember=[{"reference": "Observation/t1"},
                                                       {"reference": "Observation/d1"}])
    running = _obs("t2", (LOINC, "73985-4"), valueCodeableConcept={
        "coding": [{"system": LOINC, "code": "LA11836-6"}]})
    run = _obs("g2", (PA_TEMP, "PAPanel"), hasMember=[{"reference": "Observation/t2"}])
    steps = _obs("s1", (LOINC, "41950-7"), valueQuantity={"value": 7267})
    path = _bundle(tmp_path, walking, minutes, group, running, run, steps)
    with pytest.warns(bx.AppReportWarning, match="another activity than walking") as rec:
        back = bx.load_fhir(path)
    assert "41950-7" in str(rec[0].message)
    s = back.sessions
    assert s["exercise"].tolist() == ["walk"] and s["minutes"].tolist() == [30.0]
    assert s["patient_id"].tolist() == ["p9"] and s["utc_offset_min"].tolist() == [-420]
    assert s["source_line"].tolist() == [2]  # Bundle.entry[2], the group
    assert len(back.report) == 2


def test_not_fhir_is_a_format_error(tmp_path):
    (tmp_path / "a.json").write_text("[1, 2]")
    (tmp_path / "b.json").write_text("{not json")
    with pytest.raises(bx.LogValidationError) as err:
        bx.load_fhir([tmp_path / "a.json", tmp_path / "b.json", tmp_path / "missing.json"])
    problems = err.value.problems["problem"].tolist()
    assert "not a FHIR resource" in problems[0] and "is not JSON" in problems[1]
    assert "file not found" in problems[2]


def test_a_tampered_export_names_entry_and_element(sample, tmp_path):
    doc = json.loads(sample["plain"].read_text())
    i = next(i for i, e in enumerate(doc["entry"])
             if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "wall_squat")
    doc["entry"][i]["resource"]["code"]["coding"][0]["code"] = "wall_sqaut"
    j = next(j for j, e in enumerate(doc["entry"]) if e["resource"]["resourceType"] == "Patient")
    doc["entry"][j]["resource"]["birthDate"] = "1970-13-40"
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(bx.LogValidationError) as err, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bx.load_fhir(path)
    probs = err.value.problems
    assert probs["line"].tolist() == [j]
    assert probs["column"].tolist() == ["Patient.birthDate"]
    assert "YYYY-MM-DD" in probs["problem"][0]


def test_a_folder_without_bundles_is_refused(tmp_path):
    with pytest.raises(bx.LogFormatError, match="no .json file"):
        bx.load_fhir(tmp_path)


def test_the_fixtures_are_copied_whole(tmp_path):
    # every file the SOURCES.md names is there, and each is a FHIR Observation
    text = (FIXTURES / "SOURCES.md").read_text()
    for p in FIXTURES.glob("*.json"):
        assert f"`{p.name}`" in text
        assert json.loads(p.read_text())["resourceType"] == "Observation"
    shutil.copy(FIXTURES / "aidbox_observation_pain.json", tmp_path / "x.json")
    assert len(bx.load_fhir(tmp_path).pain) == 1


def test_a_bare_value_integer_and_a_quantity_without_unit_load_as_nrs(tmp_path):
    """Implementation-guide examples write pain as valueInteger (VA MHV PGHD) or a
    Quantity with no unit; both are the 0-10 NRS of 72514-3."""
    bundle = _bundle(tmp_path,
                     _obs("a", (LOINC, "72514-3"), valueInteger=4),
                     _obs("b", (LOINC, "72514-3"), valueQuantity={"value": 3}))
    p = bx.load_fhir(bundle).pain
    assert p["pain"].tolist() == [4.0, 3.0] and p["scale"].astype(str).tolist() == ["nrs"] * 2
    assert p["utc_offset_min"].tolist() == [-420, -420]
