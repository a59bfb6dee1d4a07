"""FHIR Observations -> the rows of a pain log and a session log, as the logs' cells.

The values are extracted as the resource writes them (a unit of its own format
converted, a code mapped to the kit's name) and named by the logs' canonical headers;
every check of a date, a number or a name is then made by
:func:`backrx_analysis.io.validate.to_canonical`, as for any log. What only FHIR can
get wrong (a pain code with a temperature's unit, a walk of another activity) is a
problem here, with the entry and the element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..program import SESSION, WALK, Program
from ..scales import NRS, SCALES
from .fhir_codes import (
    BACKRX,
    DATA_ABSENT,
    EXT,
    ID,
    LOINC,
    NRS_LOINC,
    PA_TEMP,
    PAIN_UNITS,
    SIDE_SNOMED,
    SNOMED,
    UCUM,
)

__all__ = ["Entry", "Rows", "codes_of", "pain_row", "entry_row", "walk_row", "trace_of",
           "activity_of", "pain_scale_of", "is_group", "DERIVED", "PAIN_COLUMNS",
           "SESSION_COLUMNS", "ELEMENT"]

#: The raw columns of each log, canonical headers.
PAIN_COLUMNS = ("patient_id", "date", "time", "pain", "scale", "context", "location", "notes")
SESSION_COLUMNS = ("patient_id", "date", "time", "exercise", "reps", "sets", "side", "minutes",
                   "hold_s", "measured", "notes")
#: a log's header -> the FHIR element its value came from (for the problems table)
ELEMENT = {
    "patient_id": "Observation.subject", "date": "Observation.effective[x]",
    "time": "Observation.extension[local-time]", "pain": "Observation.value[x]",
    "scale": "Observation.code", "context": "Observation.extension[rating-context]",
    "location": "Observation.bodySite", "notes": "Observation.note", "exercise": "Observation.code",
    "reps": "Observation.component[reps]", "sets": "Observation.component[sets]",
    "side": "Observation.component[side]", "minutes": "Observation.component[minutes]",
    "hold_s": "Observation.component[hold]", "measured": "Observation.dataAbsentReason",
}
#: the export's own computed Observations (and the walk's members): not log rows
DERIVED = {(BACKRX, "daily-adherence"), (BACKRX, "weekly-adherence"), (LOINC, "82291-6"),
           (LOINC, "82290-8"), (LOINC, "97909-6"), (BACKRX, "rmdq-score"),
           (BACKRX, "psfs-score"), (BACKRX, "ears-score")}
_SIDES = {code: side for side, (code, _) in SIDE_SNOMED.items()}
_MINUTES = {"min": 1.0, "minute": 1.0, "minutes": 1.0, "h": 60.0, "hour": 60.0, "s": 1 / 60}


@dataclass
class Entry:
    """One resource of the file: its position (``Bundle.entry`` index), fullUrl, JSON."""

    index: int
    url: str | None
    resource: dict


@dataclass
class Rows:
    """Rows of one log as cells, with each row's locator and the problems found."""

    columns: tuple[str, ...]
    cells: dict[str, list] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
    traces: dict[int, tuple[str, int | None]] = field(default_factory=dict)

    def add(self, entry: Entry, row: dict[str, Any]) -> None:
        for c in self.columns:
            self.cells.setdefault(c, []).append(row.get(c))
        self.lines.append(entry.index)
        trace = trace_of(entry.resource)
        if trace is not None:
            self.traces[entry.index] = trace


def codes_of(concept: object) -> list[tuple[str | None, str | None]]:
    """(system, code) of every coding of a CodeableConcept."""
    if not isinstance(concept, dict):
        return []
    return [(c.get("system"), c.get("code")) for c in concept.get("coding") or []
            if isinstance(c, dict)]


def trace_of(resource: dict) -> tuple[str, int | None] | None:
    """The file and line a backrx export traced the resource to (``sessions.csv:7``)."""
    idents = resource.get("identifier")
    idents = [idents] if isinstance(idents, dict) else idents or []
    for ident in idents:
        if isinstance(ident, dict) and ident.get("system") == ID["source"]:
            value = str(ident.get("value", ""))
            head, sep, tail = value.rpartition(":")
            if sep and tail.isdigit():
                return head, int(tail)
            return value, None
    return None


def _ext(resource: dict, url: str, key: str) -> Any:
    for e in resource.get("extension") or []:
        if isinstance(e, dict) and e.get("url") == url:
            return e.get(key)
    return None


def _effective(res: dict) -> dict[str, Any]:
    """The date cell as written (with its offset), and a zone-less time."""
    for key in ("effectiveDateTime", "effectiveInstant"):
        if res.get(key):
            return {"date": res[key], "time": _ext(res, EXT["local_time"], "valueTime")}
    period = res.get("effectivePeriod")
    if isinstance(period, dict) and period.get("start"):
        return {"date": period["start"], "time": None}
    return {"date": None, "time": None}


def _notes(res: dict) -> str | None:
    texts = [n.get("text") for n in res.get("note") or [] if isinstance(n, dict) and n.get("text")]
    return "\n".join(texts) or None


def _common(res: dict, patient: str) -> dict[str, Any]:
    return {"patient_id": patient, **_effective(res), "notes": _notes(res)}


Problem = tuple[str, object, str]  # (element, value, problem)


def pain_row(res: dict, patient: str, scale: str) -> tuple[dict | None, list[Problem]]:
    """A pain rating; a Quantity's unit must be a score's (``{score}``, ``1``, ``Level``
    or none), never a measurement's."""
    row = {**_common(res, patient), "scale": scale,
           "context": _ext(res, EXT["context"], "valueString"),
           "location": (res.get("bodySite") or {}).get("text")}
    accepted = SCALES[scale].accepted
    if "valueInteger" in res or "valueDecimal" in res:
        row["pain"] = res.get("valueInteger", res.get("valueDecimal"))
        return row, []
    q = res.get("valueQuantity")
    if isinstance(q, dict):
        unit = str(q.get("code") or q.get("unit") or "").strip()
        units = {str(q.get(k) or "").strip().casefold() for k in ("code", "unit")} - {""}
        if not units <= set(PAIN_UNITS):
            shown = ", ".join(repr(u) for u in PAIN_UNITS if u)
            return None, [("Observation.valueQuantity.unit", q.get("unit") or unit,
                           f"a pain score is a number without a measurement unit; accepted: "
                           f"no unit, {shown} ({accepted})")]
        row["pain"] = q.get("value")
        return row, []
    if res.get("dataAbsentReason"):
        return None, []  # no rating: left out (reported by the caller)
    have = [k for k in res if k.startswith("value")]
    return None, [("Observation.value[x]", ", ".join(have) or "",
                   f"a pain rating needs a number (valueInteger, valueDecimal or valueQuantity); "
                   f"{accepted}")]


def _component_values(res: dict) -> dict[str, Any]:
    out = {}
    for c in res.get("component") or []:
        if not isinstance(c, dict):
            continue
        for system, code in codes_of(c.get("code")):
            if system == BACKRX and code:
                out[code] = c
    return out


def _minutes(q: dict, element: str) -> tuple[Any, list[Problem]]:
    unit = str(q.get("code") or q.get("unit") or "min").strip()
    factor = _MINUTES.get(unit.casefold())
    if factor is None or (q.get("system") not in (None, UCUM)):
        return None, [(element, unit, "minutes in UCUM 'min' (or 'h', 's'); "
                                      f"got unit {unit!r}")]
    value = q.get("value")
    return (value * factor if isinstance(value, int | float) and factor != 1 else value), []


def entry_row(res: dict, patient: str, activity: str, program: Program
              ) -> tuple[dict | None, list[Problem]]:
    """An exercise (or whole-routine) entry: the components reps, sets, side, minutes,
    hold; ``dataAbsentReason`` on the Observation: done, amount not known."""
    row = {**_common(res, patient), "exercise": activity}
    parts, problems = _component_values(res), []
    for code, col in (("reps", "reps"), ("sets", "sets")):
        if code in parts:
            row[col] = (parts[code].get("valueQuantity") or {}).get("value",
                                                                    parts[code].get("valueInteger"))
    if "side" in parts:
        cc = parts["side"].get("valueCodeableConcept") or {}
        side = next((_SIDES[c] for s, c in codes_of(cc) if s == SNOMED and c in _SIDES), None)
        row["side"] = side or cc.get("text")
    if "minutes" in parts and isinstance(parts["minutes"].get("valueQuantity"), dict):
        row["minutes"], probs = _minutes(parts["minutes"]["valueQuantity"],
                                         "Observation.component[minutes].valueQuantity.unit")
        problems += probs
    if "hold" in parts:
        row["hold_s"] = (parts["hold"].get("valueQuantity") or {}).get("value")
    if any(s == DATA_ABSENT for s, _ in codes_of(res.get("dataAbsentReason"))) or (
            res.get("dataAbsentReason") and not parts):
        row["measured"] = "no"
    return row, problems


def walk_row(group: dict, members: list[dict], patient: str) -> tuple[dict | None, list[Problem]]:
    """The Physical Activity IG's activity group: a walk when its 73985-4 member is
    LA11834-1 (walking); minutes from its 55411-3 member, else from the group's
    ``effectivePeriod``. ``(None, [])`` for another activity (left out)."""
    kind = next((m for m in members if (LOINC, "73985-4") in codes_of(m.get("code"))), None)
    if kind is None or (LOINC, "LA11834-1") not in codes_of(kind.get("valueCodeableConcept")):
        return None, []
    row = {**_common(group, patient), "exercise": WALK}
    dur = next((m for m in members if (LOINC, "55411-3") in codes_of(m.get("code"))), None)
    if dur is not None and isinstance(dur.get("valueQuantity"), dict):
        row["minutes"], probs = _minutes(dur["valueQuantity"], "Observation.valueQuantity.unit")
        return row, probs
    if dur is not None and dur.get("dataAbsentReason"):
        row["measured"] = "no"
        return row, []
    period = group.get("effectivePeriod") or {}
    if period.get("start") and period.get("end"):
        import pandas as pd

        try:
            length = pd.Timestamp(period["end"]) - pd.Timestamp(period["start"])
            row["minutes"] = length.total_seconds() / 60
        except (ValueError, TypeError):
            return None, [("Observation.effectivePeriod", f"{period['start']} - {period['end']}",
                           "the walk's period needs a start and an end dateTime")]
    return row, []


def activity_of(res: dict, program: Program) -> str | None:
    """The program activity a backrx entry's code names (``wall_squat``, ``session``)."""
    for system, code in codes_of(res.get("code")):
        if system == BACKRX and code in (*program.activity_ids, SESSION) and code != WALK:
            return code
    return None


def pain_scale_of(res: dict) -> str | None:
    """``nrs`` for LOINC 72514-3, the scale of a backrx ``pain-<scale>`` code."""
    for system, code in codes_of(res.get("code")):
        if system == LOINC and code == NRS_LOINC:
            return NRS
        if system == BACKRX and code and code.startswith("pain-") and code[5:] in SCALES:
            return code[5:]
    return None


def is_group(res: dict) -> bool:
    return (PA_TEMP, "PAPanel") in codes_of(res.get("code"))
