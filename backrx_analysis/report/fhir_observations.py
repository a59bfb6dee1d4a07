"""The Observations of a backrx FHIR bundle, as FHIR JSON (dicts): one per pain rating,
one per logged entry (a walk as the Physical Activity IG's activity group), the daily
and weekly adherence, and the IG's weekly measures.

Every value comes from a canonical frame or from the analysis functions' frames
(:func:`~backrx_analysis.analysis.adherence.daily_adherence`,
:func:`~backrx_analysis.analysis.adherence.weekly_adherence`); nothing is worked out
here but the sums of a week's days for 82291-6 and 82290-8. The codes are those of
:mod:`backrx_analysis.io.fhir_codes` (docs/fhir.md lists them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from ..io.fhir_codes import (
    EXT,
    ID,
    LOINC,
    MINUTE_STATUS,
    MINUTE_STATUS_CODES,
    NRS_LOINC,
    OBS_CATEGORY,
    PA_TEMP,
    SIDE_SNOMED,
    SNOMED,
    absent,
    concept,
    known,
    local,
    number,
    quantity,
)
from ..program import WALK
from ..scales import NRS

__all__ = ["Ref", "pain_observations", "entry_observations", "daily_observations",
           "weekly_observations", "pa_weekly_observations", "effective", "source_identifier"]

#: (resource kind, key...) -> the resource's id (and ``urn:uuid:`` fullUrl)
Ref = Callable[..., str]

SURVEY = [known(OBS_CATEGORY, "survey")]
ACTIVITY = [known(OBS_CATEGORY, "activity"), known(PA_TEMP, "PhysicalActivity")]


def _na(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def effective(date: pd.Timestamp, timestamp: object, offset: object) -> dict[str, Any]:
    """``effectiveDateTime`` as written: with its offset when the time is known with
    one; the day alone otherwise, a time written without zone in the ``local-time``
    extension (FHIR's dateTime needs a zone with a time)."""
    if _na(timestamp):
        return {"effectiveDateTime": date.date().isoformat()}
    ts = pd.Timestamp(timestamp).to_pydatetime()
    if not _na(offset):
        zone = dt.timezone(dt.timedelta(minutes=int(offset)))
        return {"effectiveDateTime": ts.replace(tzinfo=zone).isoformat()}
    return {"effectiveDateTime": date.date().isoformat(),
            "extension": [{"url": EXT["local_time"], "valueTime": ts.time().isoformat()}]}


def source_identifier(source: object, line: object) -> dict[str, str] | None:
    """The identifier tracing a resource to the file and line it came from
    (``sessions.csv:7``)."""
    if _na(source):
        return None
    value = str(source) if _na(line) else f"{source}:{int(line)}"
    return {"system": ID["source"], "value": value}


def _base(rid: str, meta: dict, subject: dict, category: list, code: dict, row) -> dict:
    out: dict[str, Any] = {"resourceType": "Observation", "id": rid, "meta": meta}
    ident = source_identifier(row.source, row.source_line)
    if ident:
        out["identifier"] = [ident]
    out.update({"status": "final", "category": category, "code": code, "subject": subject})
    eff = effective(row.date, row.timestamp, row.utc_offset_min)
    ext = eff.pop("extension", None)
    if ext:
        out["extension"] = ext
    out.update(eff)
    return out


def _note(out: dict, row, include_notes: bool) -> None:
    if include_notes and not _na(row.notes) and str(row.notes).strip():
        out["note"] = [{"text": str(row.notes)}]


def pain_observations(pain: pd.DataFrame, *, ref: Ref, meta: dict, subject: dict,
                      include_notes: bool) -> list[dict]:
    """One Observation per rating: LOINC 72514-3 for the 0-10 NRS (``valueInteger``, a
    ``{score}`` Quantity for a half point), the project's ``pain-<scale>`` code for
    another scale; ``bodySite.text`` the location, the context in an extension."""
    out = []
    for i, row in enumerate(pain.itertuples(index=False)):
        nrs = row.scale == NRS
        code = known(LOINC, NRS_LOINC) if nrs else local(f"pain-{row.scale}")
        obs = _base(ref("pain", i), meta, subject, SURVEY, code, row)
        value = float(row.pain)
        if value.is_integer():
            obs["valueInteger"] = int(value)
        else:
            obs["valueQuantity"] = quantity(value, "{score}")
        if not _na(row.location):
            obs["bodySite"] = {"text": str(row.location)}
        if not _na(row.context):
            obs.setdefault("extension", []).append({"url": EXT["context"],
                                                    "valueString": str(row.context)})
        _note(obs, row, include_notes)
        out.append(obs)
    return out


def _walk(i: int, row, *, ref: Ref, meta: dict, subject: dict) -> list[dict]:
    """A walk: the IG's activity group (PAPanel) with its members 73985-4 (walking)
    and 55411-3 (minutes; data absent when the walk's minutes are not known)."""
    group = _base(ref("entry", i), meta, subject, ACTIVITY, known(PA_TEMP, "PAPanel"), row)
    kind = _base(ref("entry", i, "activity"), meta, subject, ACTIVITY, known(LOINC, "73985-4"), row)
    kind["valueCodeableConcept"] = known(LOINC, "LA11834-1")
    dur = _base(ref("entry", i, "duration"), meta, subject, ACTIVITY, known(LOINC, "55411-3"), row)
    if _na(row.minutes):
        dur["dataAbsentReason"] = absent()
    else:
        dur["valueQuantity"] = quantity(row.minutes, "min")
    group["hasMember"] = [{"reference": f"urn:uuid:{kind['id']}"},
                          {"reference": f"urn:uuid:{dur['id']}"}]
    return [group, kind, dur]


def _component(code: str, **value: Any) -> dict:
    return {"code": local(code), **value}


def entry_observations(sessions: pd.DataFrame, *, ref: Ref, meta: dict, subject: dict,
                       include_notes: bool) -> list[dict]:
    """One Observation per logged entry (a walk: three, see :func:`_walk`): the
    exercise's own code (``session`` for the routine as a whole), components
    ``reps`` ``{reps}``, ``sets`` ``{sets}``, ``side`` (SNOMED CT laterality),
    ``minutes`` ``min``, ``hold`` ``s``; an entry whose amount is not known
    (``measured`` False) has no components and ``dataAbsentReason`` unknown."""
    out = []
    for i, row in enumerate(sessions.itertuples(index=False)):
        if row.exercise == WALK:
            walk = _walk(i, row, ref=ref, meta=meta, subject=subject)
            _note(walk[0], row, include_notes)
            out.extend(walk)
            continue
        obs = _base(ref("entry", i), meta, subject, ACTIVITY, local(str(row.exercise)), row)
        parts = []
        if not _na(row.reps):
            parts.append(_component("reps", valueQuantity=quantity(row.reps, "{reps}")))
        if not _na(row.sets):
            parts.append(_component("sets", valueQuantity=quantity(row.sets, "{sets}")))
        if not _na(row.side):
            code, display = SIDE_SNOMED[str(row.side)]
            parts.append(_component("side", valueCodeableConcept=concept(
                SNOMED, code, display, str(row.side))))
        if not _na(row.minutes):
            parts.append(_component("minutes", valueQuantity=quantity(row.minutes, "min")))
        if not _na(row.hold_s):
            parts.append(_component("hold", valueQuantity=quantity(row.hold_s, "s")))
        if parts:
            obs["component"] = parts
        if not _na(row.measured) and not bool(row.measured):
            obs["dataAbsentReason"] = absent()  # it happened; its amount is not known
        _note(obs, row, include_notes)
        out.append(obs)
    return out


def _value(v: object, kind: str, unit: str | None = None) -> dict:
    """A component's (or an Observation's) value, or its dataAbsentReason."""
    if _na(v):
        return {"dataAbsentReason": absent()}
    if kind == "bool":
        return {"valueBoolean": bool(v)}
    if kind == "int":
        return {"valueInteger": int(v)}
    if kind == "status":
        return {"valueCodeableConcept": concept(MINUTE_STATUS, str(v), MINUTE_STATUS_CODES[str(v)])}
    return {"valueQuantity": quantity(v, unit or "1")}


def _day_effective(day: pd.Timestamp) -> dict:
    return {"effectiveDateTime": pd.Timestamp(day).date().isoformat()}


def daily_observations(daily: pd.DataFrame, exercise_ids: tuple[str, ...], *, ref: Ref,
                       meta: dict, subject: dict) -> list[dict]:
    """One ``daily-adherence`` Observation per day of :func:`daily_adherence`: value
    fully adherent; components the version, exercises met / prescribed, the exercise
    and walk minutes with their statuses, the walk met, and for each exercise the
    version prescribes that day its ``reps.<id>``, ``target.<id>``, ``met.<id>`` and
    ``dose.<id>``."""
    out = []
    for i, row in enumerate(daily.to_dict("records")):
        obs: dict[str, Any] = {"resourceType": "Observation", "id": ref("daily", i), "meta": meta,
                               "status": "final", "category": ACTIVITY,
                               "code": local("daily-adherence"), "subject": subject,
                               **_day_effective(row["date"]), **_value(row["fully_adherent"], "bool")}
        parts = [_component("prescribed", **_value(row["prescribed"], "bool"))]
        if not _na(row.get("version")):
            parts.append(_component("version", **_value(row["version"], "int")))
        parts += [
            _component("exercises-met", **_value(row["exercises_met"], "int")),
            _component("exercises-prescribed", **_value(row["exercises_prescribed"], "int")),
            _component("exercise-minutes", **_value(row["exercise_minutes"], "q", "min")),
            _component("minutes-status", **_value(row["minutes_status"], "status")),
            _component("walk-minutes", **_value(row["walk_minutes"], "q", "min")),
            _component("walk-status", **_value(row["walk_status"], "status")),
            _component("walk-met", **_value(row["walk_met"], "bool")),
        ]
        for e in exercise_ids:
            target = row.get(f"target_{e}")
            if _na(target) or int(target) <= 0:
                continue  # not prescribed that day
            parts += [
                _component(f"reps.{e}", **_value(row[f"reps_{e}"], "q", "{reps}")),
                _component(f"target.{e}", **_value(target, "q", "{reps}")),
                _component(f"met.{e}", **_value(row[f"met_{e}"], "bool")),
                _component(f"dose.{e}", **_value(row[f"dose_{e}"], "q", "1")),
            ]
        obs["component"] = parts
        out.append(obs)
    return out


def _week(start: pd.Timestamp) -> dict:
    start = pd.Timestamp(start)
    return {"effectivePeriod": {"start": start.date().isoformat(),
                                "end": (start + pd.Timedelta(days=6)).date().isoformat()}}


def weekly_observations(weekly: pd.DataFrame, exercise_ids: tuple[str, ...], *, ref: Ref,
                        meta: dict, subject: dict) -> list[dict]:
    """One ``weekly-adherence`` Observation per row of :func:`weekly_adherence` (a
    week, or a version's part of a week of change): value the fully adherent days in
    % of the prescribed days, components the days, the version and the week's other
    percentages and means."""
    out = []
    for i, row in enumerate(weekly.to_dict("records")):
        obs: dict[str, Any] = {"resourceType": "Observation", "id": ref("weekly", i), "meta": meta,
                               "status": "final", "category": ACTIVITY,
                               "code": local("weekly-adherence"), "subject": subject,
                               **_week(row["week_start"]),
                               **_value(row["fully_adherent_pct"], "q", "%")}
        parts = [_component("days", **_value(row["days"], "int")),
                 _component("days-logged", **_value(row["days_logged"], "int")),
                 _component("days-prescribed", **_value(row["days_prescribed"], "int"))]
        if not _na(row.get("version")):
            parts.append(_component("version", **_value(row["version"], "int")))
        parts += [
            _component("minutes-in-range-pct", **_value(row["minutes_in_range_pct"], "q", "%")),
            _component("walk-met-pct", **_value(row["walk_met_pct"], "q", "%")),
            _component("exercise-minutes-mean", **_value(row["exercise_minutes_mean"], "q", "min")),
        ]
        for e in exercise_ids:
            if _na(row.get(f"{e}_met_pct")):
                continue  # not prescribed that week
            parts += [_component(f"met-pct.{e}", **_value(row[f"{e}_met_pct"], "q", "%")),
                      _component(f"dose-mean.{e}", **_value(row.get(f"{e}_dose_mean"), "q", "1"))]
        obs["component"] = parts
        out.append(obs)
    return out


def pa_weekly_observations(daily: pd.DataFrame, *, ref: Ref, meta: dict, subject: dict
                           ) -> list[dict]:
    """The IG's weekly measures, for each whole ISO week (Monday to Sunday) of the
    daily frame: 82291-6 the days on which at least one prescribed exercise was met
    (``d/wk``), 82290-8 the week's walk minutes (``min/wk``; left out for a week with a
    walk of unknown minutes). The walks' intensity is not recorded: 82290-8 counts
    every walk minute."""
    if daily.empty:
        return []
    d = daily[["patient_id", "date", "exercises_met", "walk_minutes"]].copy()
    d["week"] = d["date"] - pd.to_timedelta(d["date"].dt.day_of_week, unit="D")
    out = []
    for i, (week, g) in enumerate(d.groupby("week", sort=True)):
        if len(g) != 7:
            continue  # a part of a week: the measures are per week
        common = {"resourceType": "Observation", "meta": meta, "status": "final",
                  "category": ACTIVITY, "subject": subject, **_week(week)}
        days = int((pd.to_numeric(g["exercises_met"], errors="coerce").fillna(0) >= 1).sum())
        out.append({**common, "id": ref("pa-strength", i), "code": known(LOINC, "82291-6"),
                    "valueQuantity": quantity(days, "d/wk")})
        walk = pd.to_numeric(g["walk_minutes"], errors="coerce")
        if walk.notna().all():
            out.append({**common, "id": ref("pa-minutes", i), "code": known(LOINC, "82290-8"),
                        "valueQuantity": quantity(number(walk.sum()), "min/wk")})
    return out
