"""A backrx FHIR bundle's prescription and questionnaires -> the kit's own forms.

The CarePlans backrx wrote (identifier ``<patient>/<n>``) become the notes
:func:`~backrx_analysis.prescription_file.load_prescriptions` reads (each version
stated whole), so a history is checked and built by the one reader; a
``<patient>/program`` CarePlan becomes a :class:`~backrx_analysis.program.Program`.
The QuestionnaireResponses become a questionnaire sheet (a row per visit, the cells
as written) read by :func:`~backrx_analysis.io.outcomes.load_outcomes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from ..program import Band, Program, default_program
from .fhir_codes import BACKRX, EXT, ID, LOINC, QUESTIONNAIRE
from .fhir_rows import Entry, codes_of, trace_of

__all__ = ["plan_notes", "outcome_sheet", "WEEKDAYS"]

WEEKDAYS = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat",
            "sun": "Sun"}
_QUESTIONNAIRE = {url: q for q, url in QUESTIONNAIRE.items()}
_LINK = re.compile(r"(odi|rmdq|ears|psfs)-(\d+|total)\Z")

Problem = tuple[int, str, object, str]  # (entry, element, value, problem)
Resolve = Callable[[dict, object], Entry | None]


def _ref(value: object) -> str | None:
    return value.get("reference") if isinstance(value, dict) else None


def _version(plan: dict, resolve: Resolve, entry: Entry, problems: list[Problem]
             ) -> dict[str, Any]:
    """A version's notes, stated whole (``exercises``, ``targets``, both bands, ``days``)."""
    v: dict[str, Any] = {}
    period = plan.get("period") or {}
    if period.get("start"):
        v["start"] = period["start"]
    if period.get("end"):
        v["end"] = period["end"]
    if plan.get("title"):
        v["name"] = plan["title"]
    ids, targets, days = [], {}, None
    for act in plan.get("activity") or []:
        sr_entry = resolve(entry.resource, _ref((act or {}).get("reference")))
        if sr_entry is None:
            problems.append((entry.index, "CarePlan.activity.reference", _ref(act.get("reference")),
                             "refers to no ServiceRequest of the bundle"))
            continue
        sr = sr_entry.resource
        ex = next((c for d in sr.get("orderDetail") or [] for s, c in codes_of(d) if s == BACKRX),
                  None)
        if ex is None:
            problems.append((sr_entry.index, "ServiceRequest.orderDetail", "",
                             f"names no exercise of {BACKRX}"))
            continue
        ids.append(ex)
        dose = next((e for e in sr.get("extension") or [] if e.get("url") == EXT["dose"]), {})
        reps = next((x.get("valueInteger") for x in dose.get("extension") or []
                     if x.get("url") == "target-reps"), None)
        reps = reps if reps is not None else (sr.get("quantityQuantity") or {}).get("value")
        if reps is not None:
            targets[ex] = reps
        repeat = (sr.get("occurrenceTiming") or {}).get("repeat") or {}
        days = repeat.get("dayOfWeek") or days
    if ids:
        v["exercises"], v["targets"] = ids, targets
    v["days"] = [WEEKDAYS.get(d, d) for d in days] if days else ["every day"]
    for g in plan.get("goal") or []:
        goal_entry = resolve(entry.resource, _ref(g))
        if goal_entry is None:
            continue
        for t in goal_entry.resource.get("target") or []:
            rng = t.get("detailRange") or {}
            band = [(rng.get("low") or {}).get("value"), (rng.get("high") or {}).get("value")]
            measure = codes_of(t.get("measure"))
            if (BACKRX, "exercise-minutes") in measure:
                v["exercise_minutes"] = band
            elif (LOINC, "55411-3") in measure:
                v["walk_minutes"] = band
    note = next((n for n in plan.get("note") or [] if isinstance(n, dict)), None)
    if note:
        v["why"] = note.get("text", "")
        if note.get("authorString"):
            v["by"] = note["authorString"]
    return v


def plan_notes(plans: list[tuple[Entry, str]], resolve: Resolve, problems: list[Problem]
               ) -> tuple[dict, dict[str, Program], list[Entry]]:
    """(prescription notes for :func:`load_prescriptions`, each patient's plain
    program, the CarePlans not written by backrx). ``plans``: (entry, patient)."""
    histories: dict[str, list[tuple[int, dict]]] = {}
    programs: dict[str, Program] = {}
    foreign = []
    for entry, patient in plans:
        key = next((i.get("value") for i in entry.resource.get("identifier") or []
                    if i.get("system") == ID["version"]), None)
        if key is None:
            foreign.append(entry)
            continue
        who, _, number = str(key).rpartition("/")
        v = _version(entry.resource, resolve, entry, problems)
        if number == "program":
            programs[who or patient] = _program(v, entry, problems)
        elif number.isdigit():
            histories.setdefault(who or patient, []).append((int(number), v))
        else:
            problems.append((entry.index, "CarePlan.identifier", key,
                             "a backrx prescription version is written <patient>/<number>"))
    notes = {"patient": [{"id": p, "version": [v for _, v in sorted(vs, key=lambda x: x[0])]}
                         for p, vs in histories.items()]}
    return notes, programs, foreign


def _program(v: dict, entry: Entry, problems: list[Problem]) -> Program:
    base = default_program()
    try:
        program = base.subset(v.get("exercises", base.exercise_ids))
        from dataclasses import replace

        exercises = tuple(replace(e, target_reps=int(v.get("targets", {}).get(e.id, e.target_reps)))
                          for e in program.exercises)
        changes: dict[str, Any] = {"exercises": exercises}
        for key in ("exercise_minutes", "walk_minutes"):
            if key in v:
                changes[key] = Band(*v[key])
        if "name" in v:
            changes["name"] = v["name"]
        return program.with_changes(**changes)
    except (ValueError, TypeError) as exc:
        problems.append((entry.index, "CarePlan", "", f"the program cannot be built: {exc}"))
        return base


def _cell(q: str, item: dict) -> tuple[object, str | None]:
    """An item's cell as written (the ``written`` extension, else its answer) and the
    PSFS activity."""
    def answer(it: dict) -> object:
        written = next((e.get("valueString") for e in it.get("extension") or []
                        if e.get("url") == EXT["written"]), None)
        if written is not None:
            return written
        for a in it.get("answer") or []:
            if "valueBoolean" in a:
                return "yes" if a["valueBoolean"] else "no"
            for key in ("valueInteger", "valueDecimal", "valueString"):
                if key in a:
                    return a[key]
        return None
    if q == "psfs" and item.get("item"):
        parts = {str(i.get("linkId", "")).rsplit("-", 1)[-1]: i for i in item["item"]}
        activity = answer(parts["activity"]) if "activity" in parts else None
        return (answer(parts["score"]) if "score" in parts else None), activity
    return answer(item), None


def outcome_sheet(responses: list[tuple[Entry, str]], source: str, problems: list[Problem]
                  ) -> tuple[pd.DataFrame, list[tuple[int, str, int | None]], list[Entry]]:
    """(a questionnaire sheet, each row's (entry, source, line), the responses to other
    questionnaires). A row holds the questionnaires of one patient, day and source
    line, as the sheet they came from did."""
    rows: dict[tuple, dict[str, Any]] = {}
    where: dict[tuple, tuple[int, str, int | None]] = {}
    foreign = []
    for entry, patient in responses:
        qr = entry.resource
        q = _QUESTIONNAIRE.get(str(qr.get("questionnaire", "")).split("|")[0])
        if q is None:
            foreign.append(entry)
            continue
        day = qr.get("authored")
        trace = trace_of(qr) or (source, entry.index)
        key = (patient, str(day)[:10] if day else None, trace)
        row = rows.setdefault(key, {"patient_id": patient, "date": str(day)[:10] if day else None})
        where.setdefault(key, (entry.index, *trace))
        for item in qr.get("item") or []:
            link = str(item.get("linkId", ""))
            m = _LINK.match(link)
            if m is None or m.group(1) != q:
                problems.append((entry.index, "QuestionnaireResponse.item.linkId", link,
                                 f"not an item of {q.upper()}; accepted: {q}-1, {q}-2, ... and "
                                 f"{q}-total"))
                continue
            value, activity = _cell(q, item)
            n = m.group(2)
            if q == "psfs" and n != "total":
                row[f"psfs_score_{n}"], row[f"psfs_activity_{n}"] = value, activity
            else:
                row[f"{q}_{n}"] = value
    frame = pd.DataFrame(list(rows.values()), dtype=object)
    return frame, [where[k] for k in rows], foreign
