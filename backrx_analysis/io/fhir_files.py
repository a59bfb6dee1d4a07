"""One FHIR JSON file -> its entries, each resource of a kind the kit reads checked by
its ``fhir.resources`` R4B model, and the problems table of the FHIR reader (the
locator: ``Bundle.entry <index>``, or ``resource 1`` for a bare resource; the column:
the FHIR element).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import PROBLEM_COLUMNS, LogFormatError
from .fhir_codes import fhir_models
from .fhir_rows import Entry

__all__ = ["Problems", "files_of", "entries_of", "checked", "READ_TYPES"]

#: resource types the reader reads (each checked by its R4B model first)
READ_TYPES = ("Observation", "Patient", "CarePlan", "ServiceRequest", "Goal",
              "QuestionnaireResponse")
_IGNORED = ("Provenance", "Questionnaire", "CodeSystem", "ValueSet")


class Problems:
    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.labels: dict[str, str] = {}

    def add(self, file: str, line: int | None, column: str, value: object, problem: str) -> None:
        self.rows.append({"file": file, "line": line, "column": column,
                          "value": "" if value is None else str(value), "problem": problem})

    def extend(self, frame: pd.DataFrame) -> None:
        self.rows += frame[list(PROBLEM_COLUMNS)].to_dict("records")

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.rows, columns=list(PROBLEM_COLUMNS))
        out["line"] = pd.array(out["line"], dtype="Int64")
        if self.labels:
            out.attrs["line_labels"] = dict(self.labels)
        return out


def files_of(path: str | os.PathLike | Sequence) -> list[Path]:
    if isinstance(path, str | os.PathLike):
        p = Path(path)
        if p.is_dir():
            found = sorted(p.glob("*.json"))
            if not found:
                raise LogFormatError(str(p), "holds no .json file (a folder of FHIR bundles)")
            return found
        return [p]
    return [Path(p) for p in path]


def entries_of(path: Path, probs: Problems) -> tuple[list[Entry], str] | None:
    name = str(path)
    if not path.is_file():
        probs.add(name, None, "", "", f"file not found: {path}")
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        probs.add(name, None, "", "", f"is not JSON ({exc}); a FHIR Bundle or resource in JSON")
        return None
    if not isinstance(doc, dict) or "resourceType" not in doc:
        probs.add(name, None, "", "", "is JSON, but not a FHIR resource (no resourceType); "
                                      "accepted: a Bundle or an Observation")
        return None
    if doc["resourceType"] != "Bundle":
        probs.labels[name] = "resource"
        return [Entry(1, None, doc)], "resource"
    probs.labels[name] = "Bundle.entry"
    out = []
    for i, e in enumerate(doc.get("entry") or []):
        if isinstance(e, dict) and isinstance(e.get("resource"), dict):
            out.append(Entry(i, e.get("fullUrl"), e["resource"]))
    return out, "Bundle.entry"


def checked(entries: list[Entry], name: str, probs: Problems, left: Counter) -> list[Entry]:
    """The entries of the kinds read whose R4B model accepts them (the others' problems
    named: entry, element, value, why)."""
    from pydantic import ValidationError

    r4b = fhir_models()
    out = []
    for e in entries:
        kind = e.resource.get("resourceType")
        if kind not in READ_TYPES:
            if kind not in _IGNORED and kind != "Bundle":
                left[f"{kind} resources (not read)"] += 1
            continue
        try:
            r4b.get_fhir_model_class(kind).model_validate(e.resource)
        except ValidationError as exc:
            rid = e.resource.get("id")
            for err in exc.errors():
                where = ".".join(str(x) for x in err["loc"])
                value = err.get("input", "")
                probs.add(name, e.index, f"{kind}.{where}", value if np.isscalar(value) else "",
                          f"{_why(err['msg'], kind)} (FHIR R4{f'; {kind}/{rid}' if rid else ''})")
            continue
        out.append(e)
    return out


_ACCEPTED = {
    "Decimal": "a number, such as 5 or 5.5",
    "DateTime": "a FHIR dateTime: YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with its offset (+01:00 or Z)",
    "Date ": "a date written YYYY-MM-DD",
    "Time ": "a time written hh:mm:ss",
    "Extra inputs": "",
    "valid integer": "a whole number",
    "valid boolean": "true or false",
}


def _why(msg: str, kind: str) -> str:
    """A model's message, with what FHIR accepts there."""
    for key, accepted in _ACCEPTED.items():
        if key in msg:
            if key == "Extra inputs":
                return f"not an element of a FHIR R4 {kind}"
            return f"{msg.removeprefix('Value error, ').rstrip('.')}; accepted: {accepted}"
    return msg
