"""The FHIR vocabulary of backrx: every code system, code, unit, extension and
identifier system the FHIR export writes and the FHIR reader understands (listed, with
an example of each resource, in docs/fhir.md; the tests check the two agree).

Pure data plus small builders of FHIR JSON fragments (codings, quantities). It lives
in :mod:`backrx_analysis.io` because both halves need it: the reader
(:mod:`backrx_analysis.io.fhir`) and the writer (:mod:`backrx_analysis.report.fhir`,
which stands above io).

The project's own canonical base is :data:`BASE`; its code system
``{BASE}/CodeSystem/backrx`` (:data:`BACKRX`) holds the codes no public terminology
has (an exercise of the program, its daily repetitions, the adherence summaries).
"""

from __future__ import annotations

from typing import Any

from ..program import default_program

__all__ = ["BASE", "BACKRX", "MINUTE_STATUS", "LOINC", "SNOMED", "UCUM", "PA_TEMP", "OBS_CATEGORY",
           "DATA_ABSENT", "PROVENANCE_TYPE", "EXT", "EXTERNAL_CODES", "UNITS", "MINUTE_STATUS_CODES", "number", "ID", "QUESTIONNAIRE", "LOCAL_CODES", "EXERCISE_IDS",
           "PER_EXERCISE", "NRS_LOINC", "PAIN_UNITS", "SIDE_SNOMED", "coding", "concept",
           "quantity", "local", "known", "absent", "local_code_table", "fhir_models"]

#: The project's canonical base (one constant: change it here and in docs/fhir.md).
BASE = "https://backrx.org/fhir"
#: The project's own code system (codes in :data:`LOCAL_CODES`).
BACKRX = f"{BASE}/CodeSystem/backrx"
#: The minute bands' statuses (none, under, in_range, over).
MINUTE_STATUS = f"{BASE}/CodeSystem/minute-status"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
#: The HL7 Physical Activity IG's temporary codes (PAPanel, PhysicalActivity).
PA_TEMP = "http://hl7.org/fhir/us/physical-activity/CodeSystem/pa-temporary-codes"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
PROVENANCE_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"

#: The extensions backrx writes (StructureDefinition canonicals).
EXT = {
    "local_time": f"{BASE}/StructureDefinition/local-time",  # valueTime: a time written without zone
    "context": f"{BASE}/StructureDefinition/rating-context",  # valueString: when the rating was made
    "dose": f"{BASE}/StructureDefinition/exercise-dose",  # complex: target-reps, per-side, hold
    "written": f"{BASE}/StructureDefinition/written",  # valueString: a questionnaire cell as written
    "two_ticked": f"{BASE}/StructureDefinition/two-ticked",  # valueBoolean: two ODI boxes ticked
}
#: Identifier systems.
ID = {
    "patient": f"{BASE}/NamingSystem/patient-id",
    "source": f"{BASE}/NamingSystem/source-line",  # "<file>:<line>"
    "version": f"{BASE}/NamingSystem/prescription-version",  # "<patient>/<n>" or "<patient>/program"
}
#: Questionnaire canonicals: ODI by its LOINC panel, the others the project's own.
QUESTIONNAIRE = {
    "odi": f"{LOINC}/q/97908-8",
    "rmdq": f"{BASE}/Questionnaire/rmdq",
    "psfs": f"{BASE}/Questionnaire/psfs",
    "ears": f"{BASE}/Questionnaire/ears",
}

#: LOINC 72514-3, the 0-10 NRS pain score: for ``scale == "nrs"`` ratings only.
NRS_LOINC = "72514-3"
#: Units a 72514-3 value may carry (written elsewhere: none, ``{score}``, ``1``,
#: ``Level``), compared case-blind.
PAIN_UNITS = ("", "{score}", "score", "{score_nrs}", "1", "level", "{level}", "points", "{points}")

#: Side of an entry -> SNOMED CT laterality qualifier (code, display).
SIDE_SNOMED = {"left": ("7771000", "Left"), "right": ("24028007", "Right"),
               "both": ("51440002", "Right and left")}

#: The program's exercise ids (the catalogue every version chooses from).
EXERCISE_IDS = default_program().exercise_ids

#: Per-exercise code families: ``<family>.<exercise id>`` (``met.wall_squat``).
PER_EXERCISE = {
    "reps": "Repetitions of the exercise that day (reps x sets; per-side: the smaller side)",
    "target": "Repetitions a day the version in force prescribes",
    "met": "The exercise met that day (its target reached)",
    "dose": "Dose that day: repetitions done / prescribed, capped at 1",
    "met-pct": "Days of the week the exercise was met, % of the days it was prescribed",
    "dose-mean": "Mean daily dose of the exercise over the week's prescribed days",
}

_NAMES = {e.id: e.name for e in default_program().exercises}

#: code -> display of the project's code system :data:`BACKRX`.
LOCAL_CODES: dict[str, str] = {
    **{i: _NAMES[i] for i in EXERCISE_IDS},
    "session": "Exercise routine as a whole (minutes for the five exercises together)",
    "reps": "Repetitions of one entry",
    "sets": "Sets of one entry",
    "side": "Side of one entry",
    "minutes": "Minutes of one entry",
    "hold": "Seconds each repetition was held",
    "pain-bearable": "Pain on Bearable's severity scale (0 none - 4 unbearable)",
    "pain-apple_health": "Pain on Apple Health's severity scale (0 not present - 3 severe)",
    "daily-adherence": "Daily adherence to the home program (value: fully adherent)",
    "version": "Prescription version in force",
    "prescribed": "The version in force prescribes exercises that day",
    "exercises-met": "Exercises met that day",
    "exercises-prescribed": "Exercises prescribed that day",
    "exercise-minutes": "Exercise minutes that day (the five exercises and whole-routine entries)",
    "minutes-status": "Exercise minutes against the prescribed band",
    "walk-minutes": "Walk minutes that day",
    "walk-status": "Walk minutes against the prescribed band",
    "walk-met": "The walk met that day (its band's low end reached)",
    "weekly-adherence": "Weekly adherence (value: fully adherent days, % of prescribed days)",
    "days": "Days of the week in the period",
    "days-logged": "Days of the week with anything logged",
    "days-prescribed": "Days of the week the version prescribes exercises",
    "minutes-in-range-pct": "Days with exercise minutes in the band, % of prescribed days",
    "walk-met-pct": "Days the walk was met, % of the week's days",
    "exercise-minutes-mean": "Mean exercise minutes a day over the week",
    "rmdq-score": "Roland-Morris Disability Questionnaire score (0-24)",
    "psfs-score": "Patient-Specific Functional Scale score (mean, 0-10)",
    "ears-score": "Exercise Adherence Rating Scale score (0-24)",
    **{f"{fam}.{i}": f"{what}: {_NAMES[i].lower()}"
       for fam, what in PER_EXERCISE.items() for i in EXERCISE_IDS},
}

#: The public codes written, (system, code) -> display.
EXTERNAL_CODES: dict[tuple[str, str], str] = {
    (LOINC, NRS_LOINC): "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    (LOINC, "73985-4"): "Exercise activity",
    (LOINC, "LA11834-1"): "Walking",
    (LOINC, "55411-3"): "Exercise duration",
    (LOINC, "82291-6"): "Frequency of muscle-strengthening physical activity",
    (LOINC, "82290-8"): "Frequency of moderate to vigorous aerobic physical activity",
    (LOINC, "97908-8"): "Oswestry Disability Index",
    (LOINC, "97909-6"): "Oswestry disability index score ODI",
    (SNOMED, "229065009"): "Exercise therapy (regime/therapy)",
    **{(SNOMED, c): d for c, d in SIDE_SNOMED.values()},
    (PA_TEMP, "PAPanel"): "Physical Activity Panel",
    (PA_TEMP, "PhysicalActivity"): "Physical Activity",
    (OBS_CATEGORY, "survey"): "Survey",
    (OBS_CATEGORY, "activity"): "Activity",
    (DATA_ABSENT, "unknown"): "Unknown",
    (PROVENANCE_TYPE, "assembler"): "Assembler",
}

#: The UCUM units written, code -> what they measure.
UNITS = {
    "{score}": "a score (pain on the NRS and the apps' scales; RMDQ, PSFS, EARS)",
    "%": "a percentage (the ODI index; weekly percentages)",
    "min": "minutes (an entry, a walk, a day's minutes, the bands)",
    "s": "seconds (hold of a repetition)",
    "{reps}": "repetitions",
    "{sets}": "sets",
    "1": "a ratio (the daily dose, 0-1)",
    "d": "days (days of a week)",
    "d/wk": "days per week (82291-6)",
    "min/wk": "minutes per week (82290-8)",
}

#: code -> display of :data:`MINUTE_STATUS`.
MINUTE_STATUS_CODES = {"none": "No minutes logged", "under": "Under the band",
                       "in_range": "In the band", "over": "Over the band"}


def fhir_models():
    """``fhir.resources.R4B`` (imported on first use: ``import backrx_analysis`` stays
    light), or an ImportError saying how to install it."""
    try:
        from fhir.resources import R4B
    except ImportError as exc:  # pragma: no cover - the dev and fhir extras install it
        raise ImportError("FHIR export and import need the fhir.resources package: "
                          "pip install backrx-analysis[fhir]") from exc
    return R4B


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """A FHIR Coding (JSON)."""
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(system: str, code: str, display: str | None = None, text: str | None = None
            ) -> dict[str, Any]:
    """A CodeableConcept of one coding."""
    out: dict[str, Any] = {"coding": [coding(system, code, display)]}
    if text:
        out["text"] = text
    return out


def known(system: str, code: str, text: str | None = None) -> dict[str, Any]:
    """A CodeableConcept of a public code of :data:`EXTERNAL_CODES`."""
    return concept(system, code, EXTERNAL_CODES[(system, code)], text)


def local(code: str) -> dict[str, Any]:
    """A CodeableConcept of a code of :data:`BACKRX` (its display from :data:`LOCAL_CODES`)."""
    return concept(BACKRX, code, LOCAL_CODES[code])


def number(value: float) -> int | float:
    """A JSON number: whole values as integers (``5``, not ``5.0``)."""
    value = float(value)
    return int(value) if value.is_integer() else value


def quantity(value: float, code: str, unit: str | None = None) -> dict[str, Any]:
    """A UCUM Quantity (JSON); ``unit`` defaults to the UCUM code."""
    return {"value": number(value), "unit": unit or code, "system": UCUM, "code": code}


def absent(code: str = "unknown") -> dict[str, Any]:
    """A dataAbsentReason CodeableConcept."""
    return concept(DATA_ABSENT, code, code.capitalize())


def local_code_table() -> list[tuple[str, str, str]]:
    """(system, code, display) of every code of the project's own code systems."""
    return ([(BACKRX, c, d) for c, d in LOCAL_CODES.items()]
            + [(MINUTE_STATUS, c, d) for c, d in MINUTE_STATUS_CODES.items()])
