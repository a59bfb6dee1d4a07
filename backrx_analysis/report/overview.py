"""The caseload overview: one table row per patient, those who need a look first.

Drawn for :func:`backrx_analysis.report.export_caseload` from the caseload's summary
(:attr:`backrx_analysis.analysis.patient.Analysis.summary`); docs/report.md shows it.
With a prescription history (:class:`~backrx_analysis.prescriptions.Prescriptions`)
each row also says which version of the patient's prescription is in force on the
period's last day, and since when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..plots.style import day_text
from ..prescriptions import Prescriptions
from ..program import Band, Program
from .layout import _GREY, _paragraph, _table_pages
from .text import _missing, _num, _signed, format_pct

_ATTENTION = {"worse": 0, "no_change": 1, "improved": 2}


def _minute_bands(program: Program | Prescriptions, patient: str | None = None) -> set[Band]:
    """The exercise-minute bands a patient (``None``: every patient) is measured
    against: one for a plain program; each version's for a history."""
    if not isinstance(program, Prescriptions):
        return {program.exercise_minutes}
    patients = [patient] if patient is not None else list(program.histories)
    bands = {v.program.exercise_minutes for p in patients for v in program.versions(p)}
    if patient is None or not bands:  # patients without a history: the default's
        bands.add(program.default.exercise_minutes)
    return bands


def current_version(program: Prescriptions, patient: str, day: dt.date | None) -> str:
    """The patient's prescription on ``day``, for the overview: ``v3 since 30 Mar 2026``
    (the version in force and its first day), ``default program`` without a history;
    ``v2 ended 30 Apr 2026`` after a last version's end, ``v1 from 4 May 2026`` before
    the first."""
    versions = program.versions(patient)
    if not versions:
        return "default program"
    day = day if day is not None else dt.date.max
    started = [v for v in versions if v.start <= day]  # a version holds until the next
    if not started:
        return f"v1 from {day_text(versions[0].start)}"
    last = started[-1]
    if last.end is not None and last.end < day:
        return f"v{last.number} ended {day_text(last.end)}"
    return f"v{last.number} since {day_text(last.start)}"


def _last_day(summary: pd.DataFrame) -> dt.date | None:
    end = pd.to_datetime(summary["end"]).max() if len(summary) else pd.NaT
    return None if pd.isna(end) else end.date()


def _attention(summary: pd.DataFrame, program: Program | Prescriptions) -> pd.DataFrame:
    """Flags and order of the caseload overview (who needs attention first)."""
    s = summary.copy()
    status = s["pain_status"].astype("string")
    s["_rank"] = status.map(_ATTENTION).fillna(1).astype(int)
    s["_adh"] = s["fully_adherent_pct"].astype("Float64").fillna(-1.0)
    flags = []
    for r in s.itertuples(index=False):
        f = []
        if str(r.pain_status) == "worse":
            f.append("pain worse")
        elif str(r.pain_status) == "no_change":
            f.append("no pain improvement")
        elif _missing(r.pain_status):
            f.append("pain not known")
        if not _missing(r.fully_adherent_pct) and r.fully_adherent_pct < 50:
            f.append("fully adherent < 50 %")
        if not _missing(r.minutes_over_days) and r.minutes_over_days > 0:
            highs = {b.high for b in _minute_bands(program, str(r.patient_id))}
            over = f"over {highs.pop():g} min" if len(highs) == 1 else "over the minute band"
            f.append(f"{over} on {int(r.minutes_over_days)} d")
        if not _missing(r.flare_days) and r.flare_days >= 3:
            f.append(f"{int(r.flare_days)} flare days")
        flags.append("; ".join(f))
    s["flags"] = flags
    return s.sort_values(["_rank", "_adh", "patient_id"], kind="stable").reset_index(drop=True)


def _overview_pages(summary: pd.DataFrame, program: Program | Prescriptions, period: str,
                    generated: str) -> list[Figure]:
    s = _attention(summary, program)
    history = isinstance(program, Prescriptions)
    bands = _minute_bands(program)
    ex = bands.pop() if len(bands) == 1 else None
    last = _last_day(summary)
    rows = [[str(r.patient_id), f"{r.days_logged} of {r.days}" if not _missing(r.days) else "\u2013",
             format_pct(r.fully_adherent_pct), format_pct(r.minutes_in_range_pct),
             _num(r.pain_baseline, 1), _num(r.pain_last7, 1), _signed(r.pain_change),
             "\u2013" if _missing(r.pain_status) else str(r.pain_status).replace("_", " "),
             r.flags] for r in s.itertuples(index=False)]
    header = ["Patient", "Days\nlogged", "Fully\nadherent",
              f"Minutes\n{ex.low:g}-{ex.high:g}" if ex else "Minutes\nin band",
              "Pain\nbaseline", "Pain\nlast 7 d", "Pain\nchange", "Pain\nstatus",
              "Needs a look because"]
    fixed = [52, 44, 48, 48, 46, 46, 42, 58]
    align = ["left", *["right"] * 6, "left", "left"]
    if history:  # the version in force on the last day, after the patient
        for row, pid in zip(rows, s["patient_id"], strict=True):
            row.insert(1, current_version(program, str(pid), last).replace(" since ", " since\n")
                       .replace(" program", "\nprogram").replace(" ended ", " ended\n")
                       .replace(" from ", " from\n"))
        header.insert(1, "Prescription\nin force")
        fixed = [36, 62, 40, 46, 44, 42, 40, 38, 48]
        align.insert(1, "left")
    minutes = (f"{ex} of exercise" if ex else "exercise minutes within the band")
    measured = (", against the version of the patient's prescription in force that day"
                if history else "")

    def intro(box: Any, y: float, w: float) -> float:
        y = _paragraph(box, y, f"{len(s)} patients \u00b7 {period} \u00b7 generated {generated}",
                       width_pt=w, fontsize=9, color=_GREY)
        text = ("Order: patients whose pain is worse come first, then those "
                "with no clinically important change in pain, then those who improved; "
                "within each group, the lowest share of fully adherent days first. "
                f"Fully adherent = every exercise to target and {minutes} that "
                f"day{measured}. Pain change = mean of the last "
                "7 days minus baseline (negative = less pain); improved = at least 2 points "
                "or 30 % lower.")
        if history and last is not None:
            text += (f" Prescription in force = the version on {day_text(last)} and the day "
                     "it started (v1: the first); default program = no history written for "
                     "the patient.")
        return _paragraph(box, y, text, width_pt=w, fontsize=9)

    return _table_pages("Caseload overview", header, rows, lambda w: [*fixed, w - sum(fixed)],
                        intro=intro, gap=4, align=align)
