"""What backrx knows about a patient for a period, as an HL7 FHIR R4 Bundle for a
clinic's record system (docs/fhir.md: every resource, code and unit, with examples).

:func:`export_fhir` writes one JSON Bundle (type ``collection``) per patient: the
``Patient`` (its pseudonymous id or the label chosen), an ``Observation`` per pain
rating and per logged entry (a walk as the Physical Activity IG's activity group), the
daily and weekly adherence, the IG's weekly measures, the prescription (``CarePlan``,
``ServiceRequest``, ``Goal``), the questionnaires (``QuestionnaireResponse`` and their
scores) and a ``Provenance`` naming backrx and its version. Every resource is built
with the R4B models of ``fhir.resources`` (pip install backrx-analysis[fhir]), which
validate it; :func:`backrx_analysis.io.fhir.load_fhir` reads the bundle back.

Free-text notes (the logs' ``notes``, a prescription's who and why) stay out unless
``include_notes=True``. Nothing is sent anywhere: the bundle is a file.

Examples
--------
>>> import tempfile, pathlib
>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample()
>>> out = bx.export_fhir(sessions, pain, pathlib.Path(tempfile.mkdtemp()) / "bundle.json")
>>> [p.suffix for p in out]
['.json']
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .._version import __version__
from ..analysis.adherence import daily_adherence, weekly_adherence
from ..analysis.outcomes import score_outcomes
from ..io.fhir_codes import ID, PROVENANCE_TYPE, fhir_models, known
from ..prescriptions import Prescriptions, names_program
from ..program import Program, default_program
from ..schema import empty_pain, empty_sessions
from .fhir_observations import (
    daily_observations,
    entry_observations,
    pa_weekly_observations,
    pain_observations,
    weekly_observations,
)
from .fhir_plans import plan_resources, questionnaire_resources

__all__ = ["export_fhir", "SOFTWARE"]

#: ``meta.source`` of every resource: the software that wrote it, and its version.
SOFTWARE = f"urn:backrx-analysis:{__version__}"
#: the namespace of the resources' ids (uuid5 of patient, kind and position: the same
#: logs give the same ids)
_NAMESPACE = uuid.UUID("6f1c9a52-3f0e-5b8e-9d55-6b6163b7a3c1")


def _cut(frame: pd.DataFrame | None, start: Any, end: Any) -> pd.DataFrame | None:
    if frame is None or frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame["date"] >= pd.Timestamp(start).normalize()
    if end is not None:
        keep &= frame["date"] <= pd.Timestamp(end).normalize()
    return frame[keep]


def _labels(patients: list[str], patient_label: str | Mapping[str, str] | None) -> dict[str, str]:
    if patient_label is None:
        return {p: p for p in patients}
    if isinstance(patient_label, Mapping):
        return {p: str(patient_label.get(p, p)) for p in patients}
    if len(patients) != 1:
        raise ValueError(f"patient_label={patient_label!r} names one patient, but the logs hold "
                         f"{len(patients)} ({', '.join(patients[:5])}...); give a mapping "
                         "{patient_id: label} for a caseload")
    return {patients[0]: str(patient_label)}


def _targets(patients: list[str], labels: dict[str, str], path: Path) -> dict[str, Path]:
    """One file for one patient (``path`` itself, or ``<label>.json`` inside a folder);
    a folder of ``<label>.json`` for more."""
    from .export import safe_filename

    if len(patients) == 1 and not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        return {patients[0]: path}
    path.mkdir(parents=True, exist_ok=True)
    names: dict[str, Path] = {}
    for p in patients:
        name = safe_filename(labels[p])
        while path / f"{name}.json" in names.values():
            name += "_"
        names[p] = path / f"{name}.json"
    return names


def _of(frame: pd.DataFrame | None, patient: str) -> pd.DataFrame:
    if frame is None or frame.empty:
        return frame.iloc[:0] if frame is not None else pd.DataFrame()
    return frame[frame["patient_id"] == patient]


def _sources(*frames: pd.DataFrame) -> list[str]:
    seen: dict[str, None] = {}
    for f in frames:
        if len(f) and "source" in f:
            for s in f["source"].dropna().astype(str):
                seen.setdefault(s, None)
    return list(seen)


def _patient_bundle(patient: str, label: str, parts: dict[str, pd.DataFrame], program: Any,
                    exercise_ids: tuple[str, ...], include_notes: bool, now: str) -> dict:
    def ref(kind: str, *key: object) -> str:
        return str(uuid.uuid5(_NAMESPACE, "|".join([patient, kind, *map(str, key)])))

    meta = {"source": SOFTWARE}
    pid = ref("patient")
    subject = {"reference": f"urn:uuid:{pid}"}
    common = {"ref": ref, "meta": meta, "subject": subject}
    resources: list[dict] = [{"resourceType": "Patient", "id": pid, "meta": meta,
                              "identifier": [{"system": ID["patient"], "value": label}]}]
    resources += pain_observations(parts["pain"], include_notes=include_notes, **common)
    resources += entry_observations(parts["sessions"], include_notes=include_notes, **common)
    resources += daily_observations(parts["daily"], exercise_ids, **common)
    resources += weekly_observations(parts["weekly"], exercise_ids, **common)
    resources += pa_weekly_observations(parts["daily"], **common)
    resources += plan_resources(patient, program, include_notes=include_notes, **common)
    if len(parts["outcomes"]):
        resources += questionnaire_resources(parts["outcomes"], parts["scores"], **common)
    provenance = {
        "resourceType": "Provenance", "id": ref("provenance"), "meta": meta,
        "target": [{"reference": f"urn:uuid:{r['id']}"} for r in resources],
        "recorded": now,
        "agent": [{"type": known(PROVENANCE_TYPE, "assembler"),
                   "who": {"display": f"backrx-analysis {__version__}"}}],
    }
    files = _sources(parts["sessions"], parts["pain"], parts["outcomes"])
    if files:
        provenance["entity"] = [{"role": "source", "what": {"display": f}} for f in files]
    resources.append(provenance)
    return {"resourceType": "Bundle", "id": ref("bundle"), "meta": meta, "type": "collection",
            "timestamp": now,
            "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources]}


def _validated(bundle: dict):
    """The Bundle as the R4B models read it: every resource checked by its own model."""
    r4b = fhir_models()
    entries = []
    for e in bundle["entry"]:
        model = r4b.get_fhir_model_class(e["resource"]["resourceType"])
        entries.append({"fullUrl": e["fullUrl"], "resource": model.model_validate(e["resource"])})
    return r4b.get_fhir_model_class("Bundle").model_validate({**bundle, "entry": entries})


def export_fhir(
    sessions: pd.DataFrame | None,
    pain: pd.DataFrame | None,
    path: str | Path,
    *,
    program: Program | Prescriptions | None = None,
    outcomes: pd.DataFrame | None = None,
    patient_label: str | Mapping[str, str] | None = None,
    start: Any = None,
    end: Any = None,
    include_notes: bool = False,
) -> list[Path]:
    """Write what backrx knows about each patient as a FHIR R4 Bundle (JSON).

    Parameters
    ----------
    sessions, pain : DataFrame or None
        Canonical frames (:func:`load_sessions`, :func:`load_pain`), one patient or a
        caseload.
    path : path
        The bundle's file for one patient (``bundle.json``); for a caseload (or when
        ``path`` is an existing folder) a folder, created when missing, holding
        ``<label>.json`` per patient.
    program : Program or Prescriptions, optional
        What each day is measured against (default program); its versions (or the
        program) are written as CarePlans.
    outcomes : DataFrame, optional
        Function questionnaires (:func:`load_outcomes`): a QuestionnaireResponse each,
        and the scores of :func:`score_outcomes`.
    patient_label : str or mapping, optional
        The patient's identifier in the bundle instead of the ``patient_id`` (a
        mapping ``{patient_id: label}`` for a caseload). Nothing else about the
        patient is written.
    start, end : date-like, optional
        The period (inclusive): entries, ratings and questionnaires outside it are
        left out, and every day of it is a day of the daily adherence. The
        prescription's versions are written whole.
    include_notes : bool
        Write the free-text notes (``Observation.note``, ``CarePlan.note``); left out
        by default.

    Returns
    -------
    list of Path
        The files written, one per patient, in patient order.

    Raises
    ------
    ImportError
        fhir.resources is not installed (``pip install backrx-analysis[fhir]``).
    """
    fhir_models()
    program = program or default_program()
    exercise_ids = names_program(program).exercise_ids
    sessions = _cut(sessions if sessions is not None else empty_sessions(names_program(program)),
                    start, end)
    pain = _cut(pain if pain is not None else empty_pain(), start, end)
    outcomes = _cut(outcomes, start, end)
    patients = sorted({*sessions["patient_id"].dropna().astype(str),
                       *pain["patient_id"].dropna().astype(str)})
    if not patients:
        raise ValueError("no entries and no pain ratings to export"
                         + (f" between {start} and {end}" if start or end else ""))
    labels = _labels(patients, patient_label)
    targets = _targets(patients, labels, Path(path))
    daily = daily_adherence(sessions, program=program, start=start, end=end) if len(
        sessions) else None
    scores = score_outcomes(outcomes, program=program) if outcomes is not None and len(
        outcomes) else None
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    written = []
    for p in patients:
        d = _of(daily, p) if daily is not None else pd.DataFrame()
        parts = {"sessions": _of(sessions, p), "pain": _of(pain, p), "daily": d,
                 "weekly": weekly_adherence(d) if len(d) else pd.DataFrame(),
                 "outcomes": _of(outcomes, p) if outcomes is not None else pd.DataFrame(),
                 "scores": _of(scores, p) if scores is not None else pd.DataFrame()}
        bundle = _validated(_patient_bundle(p, labels[p], parts, program, exercise_ids,
                                            include_notes, now))
        targets[p].write_text(bundle.model_dump_json(indent=1) + "\n", encoding="utf-8")
        written.append(targets[p])
    return written
