"""Read HL7 FHIR R4 JSON back into the kit's frames: a Bundle backrx wrote
(:func:`backrx_analysis.report.fhir.export_fhir`), a Bundle made elsewhere, or a bare
Observation; a folder of them (a caseload) or a list.

Each resource of a kind the kit reads is first checked by its ``fhir.resources`` R4B
model; its values then go through the logs' own checks
(:func:`~backrx_analysis.io.validate.to_canonical`), so the frames are exactly those
:func:`~backrx_analysis.io.load.load_sessions` and
:func:`~backrx_analysis.io.load.load_pain` give. Every problem of every file is
collected before anything is refused; the locator is the entry (``Bundle.entry 12``:
the index FHIRPath writes ``Bundle.entry[12]``; ``resource 1`` for a bare resource),
the column the FHIR element. What a file holds that the kit does not read (other
codes, other activities, CarePlans made elsewhere) is said in an
:class:`~backrx_analysis.io.apps.AppReportWarning`. docs/fhir.md lists what is read.

Examples
--------
>>> import tempfile, pathlib
>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample()
>>> [path] = bx.export_fhir(sessions, pain, pathlib.Path(tempfile.mkdtemp()) / "b.json")
>>> back = bx.load_fhir(path)
>>> len(back.sessions) == len(sessions), len(back.pain) == len(pain)
(True, True)
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import LogValidationError, raise_problems
from ..prescriptions import Prescriptions, names_program
from ..program import Program
from ..schema import DEFAULT_PATIENT, conform, pain_dtypes, sessions_dtypes
from .apps.base import AppReportWarning, build_raw
from .fhir_codes import ID
from .fhir_files import READ_TYPES, Problems, checked, entries_of, files_of
from .fhir_plans import outcome_sheet, plan_notes
from .fhir_rows import (
    DERIVED,
    ELEMENT,
    PAIN_COLUMNS,
    SESSION_COLUMNS,
    Entry,
    Rows,
    activity_of,
    codes_of,
    entry_row,
    is_group,
    pain_row,
    pain_scale_of,
    walk_row,
)
from .validate import _source_label, to_canonical

__all__ = ["FhirRead", "load_fhir", "READ_TYPES"]



@dataclass
class FhirRead:
    """What :func:`load_fhir` read.

    Attributes
    ----------
    sessions, pain : DataFrame
        The canonical frames, as :func:`load_sessions` / :func:`load_pain` give them
        (``source`` / ``source_line``: the file and line a backrx bundle traced each
        entry to; for a resource made elsewhere the FHIR file and its entry index).
    prescriptions : Prescriptions or None
        The prescription histories (a CarePlan per version), when the files hold any.
    programs : dict
        patient_id -> the single :class:`Program` a bundle gave a patient without a
        history.
    outcomes : DataFrame or None
        The questionnaires as :func:`load_outcomes` gives them, when present.
    report : list of str
        What the files held that was not read, with counts.
    """

    sessions: pd.DataFrame
    pain: pd.DataFrame
    prescriptions: Prescriptions | None = None
    programs: dict[str, Program] = field(default_factory=dict)
    outcomes: pd.DataFrame | None = None
    report: list[str] = field(default_factory=list)


class _File:
    """The resources of one file, by their references."""

    def __init__(self, name: str, entries: list[Entry], patient_id: str | None) -> None:
        self.name, self.entries = name, entries
        self.by_ref: dict[str, Entry] = {}
        for e in entries:
            r = e.resource
            if e.url:
                self.by_ref[e.url] = e
            if r.get("id"):
                self.by_ref[f"{r['resourceType']}/{r['id']}"] = e
        self.patient_id = patient_id

    def resolve(self, _res: dict, ref: object) -> Entry | None:
        return self.by_ref.get(ref) if isinstance(ref, str) else None

    def patient(self, res: dict) -> str:
        ref = (res.get("subject") or {}).get("reference")
        target = self.by_ref.get(ref) if ref else None
        if target is not None and target.resource.get("resourceType") == "Patient":
            p = target.resource
            ours = [i.get("value") for i in p.get("identifier") or []
                    if i.get("system") == ID["patient"] and i.get("value")]
            return str(ours[0]) if ours else str(p.get("id") or self.patient_id or DEFAULT_PATIENT)
        if isinstance(ref, str) and ref.startswith("Patient/"):
            return ref.split("/", 1)[1]
        return self.patient_id or DEFAULT_PATIENT


def _read_file(path: Path, program: Program, patient_id: str | None, probs: Problems,
               left: Counter, parts: dict) -> None:
    name = str(path)
    got = entries_of(path, probs)
    if got is None:
        return
    entries, _ = got
    entries = checked(entries, name, probs, left)
    f = _File(name, entries, patient_id)
    members = {m.get("reference") for e in entries if is_group(e.resource)
               for m in e.resource.get("hasMember") or []}
    pain, sessions = Rows(PAIN_COLUMNS), Rows(SESSION_COLUMNS)
    plans, responses = [], []
    for e in entries:
        r, kind = e.resource, e.resource["resourceType"]
        if kind == "CarePlan":
            plans.append((e, f.patient(r)))
        elif kind == "QuestionnaireResponse":
            responses.append((e, f.patient(r)))
        if kind != "Observation":
            continue
        if e.url in members or f"Observation/{r.get('id')}" in members:
            continue  # a walk's member: read with its group
        if set(codes_of(r.get("code"))) & DERIVED:
            continue  # computed by the export: the analysis computes it again
        scale, row, found = pain_scale_of(r), None, []
        if scale is not None:
            row, found = pain_row(r, f.patient(r), scale)
            target = pain
            if row is None and not found:
                left["pain Observations without a value"] += 1
        elif is_group(r):
            group_members = [m.resource for m in (f.by_ref.get(x.get("reference"))
                                                  for x in r.get("hasMember") or []) if m]
            row, found = walk_row(r, group_members, f.patient(r))
            target = sessions
            if row is None and not found:
                left["activity groups of another activity than walking"] += 1
        elif (activity := activity_of(r, program)) is not None:
            row, found = entry_row(r, f.patient(r), activity, program)
            target = sessions
        else:
            codes = ", ".join(c or "?" for _, c in codes_of(r.get("code"))) or "no code"
            left[f"Observations of codes the kit does not read ({codes})"] += 1
            continue
        for element, value, problem in found:
            probs.add(name, e.index, element, value, problem)
        if row is not None and not found:
            target.add(e, row)
    parts.setdefault("pain", []).append((pain, path))
    parts.setdefault("sessions", []).append((sessions, path))
    parts.setdefault("plans", []).append((plans, f))
    parts.setdefault("responses", []).append((responses, path))


def _frame(rows: Rows, path: Path, kind: str, program: Program, probs: Problems,
           label: str) -> pd.DataFrame | None:
    """The canonical frame of one file's rows, through the logs' own checks; each row's
    ``source`` / ``source_line`` as the export traced it."""
    if not rows.lines:
        return None
    raw = build_raw({c: rows.cells[c] for c in rows.columns}, rows.lines, str(path), label)
    frame, found = to_canonical(raw, kind, program=program)
    if len(found):
        found = found.copy()
        found["column"] = found["column"].map(lambda c: ELEMENT.get(c, c))
        probs.extend(found)
        return None
    file = _source_label(str(path))
    lines = frame["source_line"].to_numpy(dtype=np.int64)
    sources = [rows.traces.get(i, (file, i))[0] for i in lines]
    at = [rows.traces.get(i, (file, i))[1] for i in lines]
    frame["source"] = pd.Categorical(sources)
    frame["source_line"] = pd.array(at, dtype="Int64")
    return frame


def _outcomes(responses: list, probs: Problems, left: Counter) -> pd.DataFrame | None:
    from .outcomes import check_outcomes, load_outcomes

    sheets = []
    for found, path in responses:
        if not found:
            continue
        listed: list = []
        sheet, where, foreign = outcome_sheet(found, _source_label(str(path)), listed)
        for i, element, value, problem in listed:
            probs.add(str(path), i, element, value, problem)
        left["QuestionnaireResponses of other questionnaires"] += len(foreign)
        if sheet.empty:
            continue
        bad = check_outcomes(sheet)
        for p in bad.to_dict("records"):
            row = int(p["line"]) - 1 if pd.notna(p["line"]) else None
            entry = where[row][0] if row is not None and 0 <= row < len(where) else None
            probs.add(str(path), entry, f"QuestionnaireResponse.item[{p['column']}]", p["value"],
                      p["problem"])
        if len(bad):
            continue
        frame = load_outcomes(sheet)
        rec = frame["source_line"].to_numpy(dtype=np.int64) - 1
        frame["source"] = pd.Categorical([where[r][1] for r in rec])
        frame["source_line"] = pd.array([where[r][2] for r in rec], dtype="Int64")
        sheets.append(frame)
    if not sheets:
        return None
    return pd.concat(sheets, ignore_index=True) if len(sheets) > 1 else sheets[0]


def _prescriptions(plans: list, probs: Problems, left: Counter):
    from ..prescription_file import load_prescriptions

    notes: dict = {"patient": []}
    programs: dict[str, Program] = {}
    for found, f in plans:
        listed: list = []
        got, progs, foreign = plan_notes(found, f.resolve, listed)
        name = f.name
        for i, element, value, problem in listed:
            probs.add(name, i, element, value, problem)
        left["CarePlans not written by backrx"] += len(foreign)
        notes["patient"] += got["patient"]
        programs.update(progs)
    if not notes["patient"]:
        return None, programs
    try:
        return load_prescriptions(notes), programs
    except LogValidationError as exc:
        for p in exc.problems.to_dict("records"):
            probs.add("<CarePlans>", None, f"CarePlan ({p['column']})", p["value"], p["problem"])
        return None, programs


def load_fhir(
    path: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    program: Program | Prescriptions | None = None,
    patient_id: str | None = None,
) -> FhirRead:
    """Read FHIR R4 JSON (a Bundle, a bare Observation, a folder or list of them).

    Parameters
    ----------
    path : path, folder, or a list of paths
        JSON files: a Bundle of any type (its entries' resources are read), or one
        resource. A folder: every ``*.json`` in it (a caseload, one bundle each).
    program : Program or Prescriptions, optional
        Whose exercise names are accepted (default: the default program).
    patient_id : str, optional
        The patient of a resource that names none (default ``"patient"``); one that
        refers to a Patient gets that Patient's backrx identifier, else its id.

    Returns
    -------
    FhirRead
        ``.sessions`` and ``.pain`` (canonical frames), ``.prescriptions``,
        ``.programs``, ``.outcomes`` and ``.report`` (see :class:`FhirRead`).

    Raises
    ------
    LogValidationError
        Every problem of every file: ``file``, ``line`` (the entry), ``column`` (the
        FHIR element), ``value`` and what is accepted.
    ImportError
        fhir.resources is not installed (``pip install backrx-analysis[fhir]``).
    """
    names = names_program(program)
    probs, left, parts = Problems(), Counter(), {}
    for p in files_of(path):
        _read_file(p, names, patient_id, probs, left, parts)
    frames = {}
    for kind, dtypes in (("sessions", sessions_dtypes(names)), ("pain", pain_dtypes())):
        got = [_frame(rows, path_, kind, names, probs, probs.labels.get(str(path_), "entry"))
               for rows, path_ in parts.get(kind, [])]
        got = [g for g in got if g is not None]
        frames[kind] = conform(pd.concat(got, ignore_index=True), dtypes) if got else conform(
            pd.DataFrame({c: pd.Series([], dtype=t) for c, t in dtypes.items()}), dtypes)
    outcomes = _outcomes(parts.get("responses", []), probs, left)
    prescriptions, programs = _prescriptions(parts.get("plans", []), probs, left)
    found = probs.frame()
    if len(found):  # file by file, in the order given, as the logs' loaders list them
        order = {str(p): i for i, p in enumerate(files_of(path))}
        key = found["file"].map(lambda f: order.get(f, len(order)))
        found = found.iloc[np.argsort(key.to_numpy(), kind="stable")].reset_index(drop=True)
        found.attrs = probs.frame().attrs
    raise_problems(found)
    report = [f"left out: {n:,} {what}" for what, n in left.items() if n]
    if report:
        warnings.warn(AppReportWarning("FHIR: " + "; ".join(report)), stacklevel=2)
    return FhirRead(frames["sessions"], frames["pain"], prescriptions, programs, outcomes, report)
