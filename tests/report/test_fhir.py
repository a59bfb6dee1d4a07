"""export_fhir: the bundle validates with the R4B models, its codes and units are the
ones docs/fhir.md lists (the tables parsed here), notes stay out unless asked, a
caseload gives a file per patient, start/end cut the period, and hand-counted values."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.io import fhir_codes as codes

DOC = Path(__file__).resolve().parents[2] / "docs" / "fhir.md"
R4B = pytest.importorskip("fhir.resources.R4B")


def _table(header: str) -> list[list[str]]:
    """The rows of the docs/fhir.md table whose header row starts with ``header``."""
    rows, inside = [], False
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells is None:
            inside = False
            continue
        if not inside and line.startswith(header):
            inside = True
            continue
        if inside and not set(line) <= set("|-: "):
            rows.append([c.strip("`") for c in cells])
    return rows


def _doc_codes() -> dict[tuple[str, str], str]:
    out = {}
    for system, code, display, _ in _table("| system | code |"):
        for e in (codes.EXERCISE_IDS if "<exercise>" in code else ("",)):
            out[(system, code.replace("<exercise>", e))] = display
    return out


def _walk(obj, found):
    """Every Coding and Quantity of a JSON tree."""
    if isinstance(obj, dict):
        if "code" in obj and "system" in obj and isinstance(obj["code"], str):
            found.append(obj)
        for v in obj.values():
            _walk(v, found)
    elif isinstance(obj, list):
        for v in obj:
            _walk(v, found)
    return found


@pytest.fixture(scope="module")
def sample_bundle(tmp_path_factory):
    sessions, pain = bx.load_sample()
    rx = bx.load_prescriptions(bx.sample_path("prescriptions"))
    outcomes = bx.load_outcomes(bx.sample_path("outcomes"))
    path = tmp_path_factory.mktemp("fhir") / "bundle.json"
    [out] = bx.export_fhir(sessions, pain, path, program=rx, outcomes=outcomes)
    return out, json.loads(out.read_text(encoding="utf-8"))


def _resources(doc, kind=None, code=None):
    out = [e["resource"] for e in doc["entry"]]
    if kind:
        out = [r for r in out if r["resourceType"] == kind]
    if code:
        out = [r for r in out if any(c.get("code") == code for c in r.get("code", {}).get("coding", []))]
    return out


def test_the_written_bundle_validates_with_the_r4b_models(sample_bundle):
    path, doc = sample_bundle
    bundle = R4B.bundle.Bundle.model_validate_json(path.read_text(encoding="utf-8"))
    assert bundle.type == "collection"
    kinds = {type(e.resource).__name__ for e in bundle.entry}
    assert kinds == {"Patient", "Observation", "CarePlan", "ServiceRequest", "Goal",
                     "QuestionnaireResponse", "Provenance"}
    for e in bundle.entry:  # each resource is its own model's, not a bare Resource
        assert type(e.resource).__name__ == e.resource.get_resource_type()
        assert e.fullUrl == f"urn:uuid:{e.resource.id}"


def test_every_code_and_unit_written_is_in_the_docs_tables(sample_bundle):
    _, doc = sample_bundle
    documented = _doc_codes()
    units = {u for u, _ in _table("| unit | measures |")}
    assert units == set(codes.UNITS)
    for found in _walk(doc, []):
        if found["system"] == codes.UCUM:
            assert found["code"] in units, found
            assert found.get("unit") == found["code"]
        else:
            assert (found["system"], found["code"]) in documented, found


def test_the_docs_tables_are_the_codes_of_the_code(sample_bundle):
    documented = _doc_codes()
    ours = {(s, c): d for s, c, d in codes.local_code_table()}
    ours.update(codes.EXTERNAL_CODES)
    assert set(documented) == set(ours)
    for key, display in documented.items():  # a per-exercise display ends with the name
        assert ours[key] == display or ours[key].startswith(display + ": "), key
    ext = {row[1] for row in _table("| kind | canonical |")}
    assert set(codes.EXT.values()) | set(codes.ID.values()) | set(codes.QUESTIONNAIRE.values()) == ext


def test_pain_is_72514_3_only_on_the_nrs():
    sessions, _ = bx.load_sample()
    pain = bx.load_pain(pd.DataFrame({"timestamp": ["2026-03-02T07:00:00+01:00",
                                                    "2026-03-02T19:00:00+01:00",
                                                    "2026-03-03T08:00:00+01:00"],
                                      "pain": [5.5, 2, 7], "scale": ["nrs", "bearable", ""]}))
    out = bx.export_fhir(sessions.iloc[:0], pain, Path(pytest.importorskip("tempfile").mkdtemp()) / "b.json")
    obs = _resources(json.loads(out[0].read_text()), "Observation")
    assert [o["code"]["coding"][0]["code"] for o in obs] == ["72514-3", "pain-bearable", "72514-3"]
    assert obs[0]["valueQuantity"] == {"value": 5.5, "unit": "{score}", "system": codes.UCUM,
                                       "code": "{score}"}
    assert obs[1]["valueInteger"] == 2 and obs[2]["valueInteger"] == 7
    assert obs[0]["effectiveDateTime"] == "2026-03-02T07:00:00+01:00"


def test_notes_stay_out_unless_asked(tmp_path):
    sessions, pain = bx.load_sample()
    rx = bx.load_prescriptions(bx.sample_path("prescriptions"))
    note = sessions["notes"].dropna().iloc[0]
    why = rx.versions("patient")[1].why
    [plain] = bx.export_fhir(sessions, pain, tmp_path / "plain.json", program=rx)
    [noted] = bx.export_fhir(sessions, pain, tmp_path / "noted.json", program=rx, include_notes=True)
    assert note not in plain.read_text() and why not in plain.read_text()
    assert '"note"' not in plain.read_text()
    text = noted.read_text()
    assert json.dumps(note) in text and json.dumps(why) in text


def test_a_caseload_gives_one_file_per_patient(tmp_path):
    sessions, pain = bx.load_sample(caseload=True)
    three = ["P01", "P02", "P05"]  # three of the five: one file each, in patient order
    sessions = sessions[sessions["patient_id"].isin(three)]
    pain = pain[pain["patient_id"].isin(three)]
    out = bx.export_fhir(sessions, pain, tmp_path / "bundles", patient_label={"P02": "Ann"})
    assert [p.name for p in out] == ["P01.json", "Ann.json", "P05.json"]
    assert sorted(p.name for p in (tmp_path / "bundles").iterdir()) == sorted(p.name for p in out)
    for p in out:
        doc = json.loads(p.read_text())
        [patient] = _resources(doc, "Patient")
        label = patient["identifier"][0]["value"]
        assert p.stem == label
        subjects = {r["subject"]["reference"] for r in _resources(doc) if "subject" in r}
        assert subjects == {f"urn:uuid:{patient['id']}"}  # nobody else's resources
    with pytest.raises(ValueError, match="names one patient"):
        bx.export_fhir(sessions, pain, tmp_path / "x", patient_label="Ann")


def test_start_and_end_cut_the_period(tmp_path):
    sessions, pain = bx.load_sample()
    [out] = bx.export_fhir(sessions, pain, tmp_path / "b.json", start="2026-03-09", end="2026-03-15")
    doc = json.loads(out.read_text())
    days = [r["effectiveDateTime"][:10] for r in _resources(doc, "Observation")
            if "effectiveDateTime" in r]
    assert min(days) == "2026-03-09" and max(days) == "2026-03-15"
    daily = _resources(doc, "Observation", "daily-adherence")
    assert len(daily) == 7
    n_pain = int(pain["date"].between("2026-03-09", "2026-03-15").sum())
    assert len(_resources(doc, "Observation", "72514-3")) == n_pain
    [week] = _resources(doc, "Observation", "weekly-adherence")
    assert week["effectivePeriod"] == {"start": "2026-03-09", "end": "2026-03-15"}
    assert len(_resources(doc, "Observation", "82291-6")) == 1


def _week_log() -> pd.DataFrame:
    """Mon 2 March - Sun 8 March 2026: ankle pumps met on Monday, a wall squat set of 10
    on Wednesday, walks of 12 (Mon), 20 (Tue) and 8 (Sun) minutes."""
    return bx.load_sessions(pd.DataFrame({
        "date": ["2026-03-02", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-08"],
        "exercise": ["ankle pumps", "walk", "walk", "wall squat", "walk"],
        "reps": [10, None, None, 10, None], "minutes": [5, 12, 20, None, 8],
        "notes": [None, "around the block", None, None, None]}))


def test_hand_counted_week(tmp_path):
    [out] = bx.export_fhir(_week_log(), None, tmp_path / "w.json")
    doc = json.loads(out.read_text())
    [strength] = _resources(doc, "Observation", "82291-6")
    assert strength["valueQuantity"]["value"] == 2  # Monday and Wednesday
    assert strength["valueQuantity"]["code"] == "d/wk"
    [minutes] = _resources(doc, "Observation", "82290-8")
    assert minutes["valueQuantity"]["value"] == 40  # 12 + 20 + 8
    monday = _resources(doc, "Observation", "daily-adherence")[0]
    assert monday["effectiveDateTime"] == "2026-03-02" and monday["valueBoolean"] is False
    parts = {c["code"]["coding"][0]["code"]: c for c in monday["component"]}
    assert parts["exercises-met"]["valueInteger"] == 1
    assert parts["walk-minutes"]["valueQuantity"]["value"] == 12
    assert parts["met.ankle_pumps"]["valueBoolean"] is True
    assert parts["reps.wall_squat"]["valueQuantity"]["value"] == 0
    assert parts["minutes-status"]["valueCodeableConcept"]["coding"][0]["code"] == "under"
    groups = _resources(doc, "Observation", "PAPanel")
    assert len(groups) == 3
    members = {e["fullUrl"]: e["resource"] for e in doc["entry"]}
    first = [members[m["reference"]] for m in groups[0]["hasMember"]]
    assert first[0]["valueCodeableConcept"]["coding"][0]["code"] == "LA11834-1"
    assert first[1]["valueQuantity"] == {"value": 12, "unit": "min", "system": codes.UCUM,
                                         "code": "min"}
    assert "around the block" not in out.read_text()


def test_traced_to_file_and_line_and_named_by_provenance(sample_bundle):
    _, doc = sample_bundle
    sessions, pain = bx.load_sample()
    first = _resources(doc, "Observation", "72514-3")[0]
    assert first["identifier"] == [{"system": codes.ID["source"],
                                    "value": f"pain.csv:{int(pain['source_line'].iloc[0])}"}]
    assert all(r["meta"]["source"] == f"urn:backrx-analysis:{bx.__version__}"
               for r in _resources(doc))
    [prov] = _resources(doc, "Provenance")
    assert prov["agent"][0]["who"]["display"] == f"backrx-analysis {bx.__version__}"
    assert [e["what"]["display"] for e in prov["entity"]] == ["sessions.csv", "pain.csv",
                                                              "outcomes.csv"]
    assert len(prov["target"]) == len(doc["entry"]) - 1


def test_the_prescription_history_as_careplans(sample_bundle):
    _, doc = sample_bundle
    plans = _resources(doc, "CarePlan")
    assert [p["identifier"][0]["value"] for p in plans] == ["patient/1", "patient/2", "patient/3"]
    assert [p["status"] for p in plans] == ["completed", "completed", "active"]
    assert [p["period"] for p in plans] == [{"start": "2026-03-02"}, {"start": "2026-03-16"},
                                            {"start": "2026-04-13"}]
    assert plans[2]["replaces"] == [{"reference": f"urn:uuid:{plans[1]['id']}"}]
    by_url = {e["fullUrl"]: e["resource"] for e in doc["entry"]}
    v2 = [by_url[a["reference"]["reference"]] for a in plans[1]["activity"]]
    assert [s["orderDetail"][0]["coding"][0]["code"] for s in v2] == [
        "ankle_pumps", "abdominal_bracing", "wall_squat", "straight_leg_raise"]
    assert all(s["code"]["coding"][0]["code"] == "229065009" for s in v2)
    walk = [by_url[g["reference"]] for g in plans[2]["goal"]][1]
    rng = walk["target"][0]["detailRange"]
    assert (rng["low"]["value"], rng["high"]["value"]) == (15, 30)


def test_questionnaires_carry_answers_not_wording(sample_bundle):
    _, doc = sample_bundle
    odi = [r for r in _resources(doc, "QuestionnaireResponse")
           if r["questionnaire"] == "http://loinc.org/q/97908-8"]
    assert len(odi) == 4
    assert all("text" not in item for r in odi for item in r["item"])
    answers = [i["answer"][0]["valueInteger"] for i in odi[0]["item"]]
    assert answers == [3, 3, 3, 3, 3, 3, 2, 3, 3, 2]  # section 2 ticked 2 and 3: the higher
    [score] = [s for s in _resources(doc, "Observation", "97909-6")
               if s["effectiveDateTime"] == "2026-03-02"]
    assert score["valueQuantity"]["value"] == 56  # 28 / 50 x 100
    assert score["derivedFrom"] == [{"reference": f"urn:uuid:{odi[0]['id']}"}]


def test_a_missing_fhir_resources_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "fhir.resources", None)
    sessions, pain = bx.load_sample()
    with pytest.raises(ImportError, match=re.escape("pip install backrx-analysis[fhir]")):
        bx.export_fhir(sessions, pain, tmp_path / "b.json")


def test_the_package_imports_fhir_resources_only_when_used():
    code = ("import sys, backrx_analysis as bx; bx.export_fhir; bx.load_fhir; "
            "print('fhir.resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"
