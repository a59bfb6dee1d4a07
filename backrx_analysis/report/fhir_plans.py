"""The prescription and the questionnaires of a backrx FHIR bundle, as FHIR JSON
(dicts): a ``CarePlan`` per prescription version with a ``ServiceRequest`` per
exercise and a ``Goal`` per minute band (shaped after the HL7 Physical Activity IG's
CarePlan / Goal / ServiceRequest), a ``QuestionnaireResponse`` per questionnaire filled
in, and an ``Observation`` per score of
:func:`~backrx_analysis.analysis.outcomes.score_outcomes`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..io.fhir_codes import (
    EXT,
    ID,
    LOINC,
    OBS_CATEGORY,
    PA_TEMP,
    QUESTIONNAIRE,
    SNOMED,
    known,
    local,
    number,
    quantity,
)
from ..prescriptions import Version
from ..program import Band, Program
from .fhir_observations import Ref, source_identifier

__all__ = ["plan_resources", "questionnaire_resources", "WEEKDAY_CODES"]

#: Python's weekday (Mon = 0) -> FHIR's days-of-week code
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PA = [known(PA_TEMP, "PhysicalActivity")]


def _instruction(e) -> str:
    per = " per leg" if e.per_side else ""
    hold = f", each held {e.hold_s:g} s" if e.hold_s else ""
    return f"{e.name}: {e.target_reps} repetitions a day{per}{hold}."


def _dose(e) -> list[dict]:
    parts: list[dict[str, Any]] = [{"url": "target-reps", "valueInteger": e.target_reps},
                                   {"url": "per-side", "valueBoolean": bool(e.per_side)}]
    if e.hold_s is not None:
        parts.append({"url": "hold", "valueQuantity": quantity(e.hold_s, "s")})
    return [{"url": EXT["dose"], "extension": parts}]


def _period(v: Version | None) -> dict:
    if v is None:
        return {}
    out = {"start": v.start.isoformat()}
    if v.end is not None:
        out["end"] = v.end.isoformat()
    return out


def _band_goal(rid: str, band: Band, measure: dict, words: str, status: str, meta: dict,
               subject: dict, start: str | None) -> dict:
    goal = {"resourceType": "Goal", "id": rid, "meta": meta, "lifecycleStatus": status,
            "category": PA, "description": {"text": f"{words} of {band.low:g}-{band.high:g} "
                                                    "minutes a day"},
            "subject": subject}
    if start:
        goal["startDate"] = start
    goal["target"] = [{"measure": measure, "detailRange": {"low": quantity(band.low, "min"),
                                                           "high": quantity(band.high, "min")}}]
    return goal


def _one_plan(key: str, program: Program, v: Version | None, *, status: str, ref: Ref,
              meta: dict, subject: dict, previous: str | None, include_notes: bool) -> list[dict]:
    plan_id = ref("careplan", key)
    period = _period(v)
    timing: dict[str, Any] = {"frequency": 1, "period": 1, "periodUnit": "d"}
    if period:
        timing["boundsPeriod"] = period
    if v is not None and v.days is not None and v.days:
        timing["dayOfWeek"] = [WEEKDAY_CODES[d] for d in sorted(v.days)]
    requests = []
    for e in program.exercises:
        sr: dict[str, Any] = {
            "resourceType": "ServiceRequest", "id": ref("servicerequest", key, e.id), "meta": meta,
            "extension": _dose(e), "basedOn": [{"reference": f"urn:uuid:{plan_id}"}],
            "status": status, "intent": "order", "category": PA,
            "code": known(SNOMED, "229065009"), "orderDetail": [local(e.id)],
            "quantityQuantity": quantity(e.target_reps, "{reps}"), "subject": subject,
            "occurrenceTiming": {"repeat": timing},
            "patientInstruction": _instruction(e)}
        if period:
            sr["authoredOn"] = period["start"]
        requests.append(sr)
    goal_status = "active" if status == "active" else "completed"
    start = period.get("start")
    goals = [
        _band_goal(ref("goal", key, "exercise"), program.exercise_minutes, local("exercise-minutes"),
                   "Exercise", goal_status, meta, subject, start),
        _band_goal(ref("goal", key, "walk"), program.walk_minutes, known(LOINC, "55411-3"),
                   "Walks", goal_status, meta, subject, start),
    ]
    plan: dict[str, Any] = {
        "resourceType": "CarePlan", "id": plan_id, "meta": meta,
        "identifier": [{"system": ID["version"], "value": key}]}
    if previous:
        plan["replaces"] = [{"reference": f"urn:uuid:{previous}"}]
    plan.update({"status": status, "intent": "plan", "category": PA, "title": program.name})
    if v is not None and v.changes:
        plan["description"] = v.changes
    plan["subject"] = subject
    if period:
        plan["period"] = period
    plan["goal"] = [{"reference": f"urn:uuid:{g['id']}"} for g in goals]
    plan["activity"] = [{"reference": {"reference": f"urn:uuid:{r['id']}"}} for r in requests]
    if include_notes and v is not None and (v.why or v.by):
        note: dict[str, Any] = {"text": v.why or "(no reason written)"}
        if v.by:
            note["authorString"] = v.by
        plan["note"] = [note]
    return [plan, *requests, *goals]


def plan_resources(patient: str, program: Any, *, ref: Ref, meta: dict, subject: dict,
                   include_notes: bool) -> list[dict]:
    """The prescription of ``patient``: a CarePlan per version of a history
    (identifier ``<patient>/<n>``, period the version's dates, ``replaces`` the one
    before), or one CarePlan (``<patient>/program``) for a plain program or a patient
    the history does not list; each with its ServiceRequests and Goals. Who prescribed
    it and why are free text: in ``CarePlan.note`` only with ``include_notes``."""
    from ..prescriptions import Prescriptions

    versions = program.versions(patient) if isinstance(program, Prescriptions) else ()
    if not versions:
        plain = program.default if isinstance(program, Prescriptions) else program
        return _one_plan(f"{patient}/program", plain, None, status="active", ref=ref, meta=meta,
                         subject=subject, previous=None, include_notes=include_notes)
    out, previous = [], None
    for i, v in enumerate(versions):
        last = i == len(versions) - 1
        status = "active" if last and v.end is None else "completed"
        part = _one_plan(f"{patient}/{v.number}", v.program, v, status=status, ref=ref, meta=meta,
                         subject=subject, previous=previous, include_notes=include_notes)
        previous = part[0]["id"]
        out.extend(part)
    return out


def _na(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _answer(q: str, item: int, value: float) -> dict:
    if q == "rmdq" and item > 0:
        return {"valueBoolean": bool(value)}
    if float(value).is_integer() and not (q == "psfs" or item == 0):
        return {"valueInteger": int(value)}
    return {"valueDecimal": number(value)}


def _qr_item(q: str, row: dict) -> dict:
    item = int(row["item"])
    link = f"{q}-total" if item == 0 else f"{q}-{item}"
    ext = []
    if not _na(row.get("written")):
        ext.append({"url": EXT["written"], "valueString": str(row["written"])})
    if bool(row.get("two_ticked")):
        ext.append({"url": EXT["two_ticked"], "valueBoolean": True})
    answer = [] if _na(row["answer"]) else [_answer(q, item, row["answer"])]
    if q == "psfs" and item > 0:  # the activity the patient named, and its score
        activity = {"linkId": f"{link}-activity"}
        if not _na(row.get("activity")):
            activity["answer"] = [{"valueString": str(row["activity"])}]
        score: dict[str, Any] = {"linkId": f"{link}-score"}
        if ext:
            score["extension"] = ext
        if answer:
            score["answer"] = answer
        return {"linkId": link, "item": [activity, score]}
    out: dict[str, Any] = {"linkId": link}
    if ext:
        out["extension"] = ext
    if answer:
        out["answer"] = answer
    return out


def questionnaire_resources(outcomes: pd.DataFrame, scores: pd.DataFrame, *, ref: Ref,
                            meta: dict, subject: dict) -> list[dict]:
    """A QuestionnaireResponse per questionnaire a day (``outcomes``: the frame of
    :func:`load_outcomes`; item linkIds ``odi-1`` .. ``odi-10``, ``odi-total``..., the
    answers without the questions' wording), and an Observation per score of
    ``scores`` (:func:`score_outcomes`: ODI 97909-6 in %, the others the project's
    ``<q>-score`` in ``{score}``) derived from its response. Unscored ones have none."""
    out, qr_ids = [], {}
    groups = outcomes.groupby(["questionnaire", "date"], sort=False, observed=True)
    for i, ((q, day), g) in enumerate(groups):
        rows = g.to_dict("records")
        rid = ref("questionnaire", i)
        qr_ids[(q, pd.Timestamp(day))] = rid
        qr: dict[str, Any] = {"resourceType": "QuestionnaireResponse", "id": rid, "meta": meta}
        ident = source_identifier(rows[0]["source"], rows[0]["source_line"])
        if ident:
            qr["identifier"] = ident
        qr.update({"questionnaire": QUESTIONNAIRE[q], "status": "completed", "subject": subject,
                   "authored": pd.Timestamp(day).date().isoformat(),
                   "item": [_qr_item(q, r) for r in rows]})
        out.append(qr)
    for i, s in enumerate(scores.to_dict("records")):
        if not s["scored"]:
            continue
        q = str(s["questionnaire"])
        code = known(LOINC, "97909-6") if q == "odi" else local(f"{q}-score")
        obs: dict[str, Any] = {"resourceType": "Observation", "id": ref("score", i), "meta": meta}
        ident = source_identifier(s["source"], s["source_line"])
        if ident:
            obs["identifier"] = [ident]
        obs.update({"status": "final", "category": [known(OBS_CATEGORY, "survey")], "code": code,
                    "subject": subject,
                    "effectiveDateTime": pd.Timestamp(s["date"]).date().isoformat(),
                    "valueQuantity": quantity(s["score"], "%" if q == "odi" else "{score}")})
        if not _na(s.get("band")):
            obs["interpretation"] = [{"text": str(s["band"])}]
        if not _na(s.get("rule")):
            obs["method"] = {"text": str(s["rule"])}
        qr = qr_ids.get((s["questionnaire"], pd.Timestamp(s["date"])))
        if qr:
            obs["derivedFrom"] = [{"reference": f"urn:uuid:{qr}"}]
        out.append(obs)
    return out
