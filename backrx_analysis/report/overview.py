"""The caseload overview: the needs-attention list, then a table row per patient.

Drawn for :func:`backrx_analysis.report.export_caseload` from the caseload's list of
:func:`~backrx_analysis.analysis.attention.needs_attention` (the rules live there, one
place each) and its summary (:attr:`backrx_analysis.analysis.patient.Analysis.summary`);
docs/report.md shows it. The list comes first, a patient's flags together; the
per-patient table follows, flagged patients first in the list's order. With a
prescription history (:class:`~backrx_analysis.prescriptions.Prescriptions`) each row
also says which version of the patient's prescription is in force on the period's last
day, and since when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..plots.style import A4_PORTRAIT, day_text
from ..prescriptions import Prescriptions
from ..program import Band, Program
from .layout import _GREY, _MARGIN, _PT, _WIDTH, _page, _paragraph, _table, _text_box, _wrap
from .text import _missing, _num, _signed, format_pct

_ATTENTION = {"worse": 0, "no_change": 1, "improved": 2}
#: a needs-attention rule -> its short name on the overview (the line says the numbers)
RULE_LABELS = {"pain_high": "high pain", "pain_rise": "pain flare",
               "function_worse": "function worse", "not_logged": "not logging",
               "adherence_drop": "adherence down", "adherence_low": "adherence low",
               "too_little_data": "too little data"}
_FONT = 8
_HEIGHT = A4_PORTRAIT[1] - 1.2  # the text box of a page, inches


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


def _attention(summary: pd.DataFrame, program: Program | Prescriptions,
               attention: pd.DataFrame | None = None) -> pd.DataFrame:
    """The summary in the overview's order, with ``flags``: the patient's
    needs-attention rules (short names) and, as a note, days over the minute band.

    Patients with a flag come first, in the list's order (most urgent rule first);
    the others by pain status (worse, no change, improved), then the lowest share of
    fully adherent days."""
    s = summary.copy()
    labels: dict[str, list[str]] = {}
    order: dict[str, int] = {}
    if attention is not None:
        for r in attention.itertuples(index=False):
            pid = str(r.patient_id)
            order.setdefault(pid, len(order))
            label = RULE_LABELS[str(r.rule)]
            if label not in labels.setdefault(pid, []):
                labels[pid].append(label)
    s["_first"] = [order.get(str(p), len(order)) for p in s["patient_id"]]
    status = s["pain_status"].astype("string")
    s["_rank"] = status.map(_ATTENTION).fillna(1).astype(int)
    s["_adh"] = s["fully_adherent_pct"].astype("Float64").fillna(-1.0)
    flags = []
    for r in s.itertuples(index=False):
        f = list(labels.get(str(r.patient_id), []))
        if not _missing(r.minutes_over_days) and r.minutes_over_days > 0:
            highs = {b.high for b in _minute_bands(program, str(r.patient_id))}
            over = f"over {highs.pop():g} min" if len(highs) == 1 else "over the minute band"
            f.append(f"{over} on {int(r.minutes_over_days)}\u00a0d")  # "d" not alone
        flags.append("; ".join(f))
    s["flags"] = flags
    return s.sort_values(["_first", "_rank", "_adh", "patient_id"],
                         kind="stable").reset_index(drop=True)


def _flag_rows(attention: pd.DataFrame, widths: list[float]) -> list[list[str]]:
    """One row per patient, a line per flag: its short name, day and why (each why
    wrapped here, the other cells padded to its lines, so a flag's cells line up)."""
    rows = []
    for pid, part in attention.groupby("patient_id", sort=False):
        names, days, whys = [], [], []
        for r in part.itertuples(index=False):
            why = _wrap(str(r.why), widths[3] - 6, _FONT)
            extra = "\n" * why.count("\n")
            names.append(RULE_LABELS[str(r.rule)] + extra)
            days.append(f"{r.date.day} {r.date:%b}" + extra)
            whys.append(why)
        rows.append([str(pid), "\n".join(names), "\n".join(days), "\n".join(whys)])
    return rows


def _row_height(row: list[str], widths: list[float]) -> float:
    lines = max(_wrap(v, w - 6, _FONT).count("\n") + 1 for v, w in zip(row, widths, strict=True))
    return lines * _FONT * 1.3 + 6


class _Flow:
    """Pages of the overview, filled top to bottom: paragraphs, then tables that go on
    to the next page (the title says "(continued)") when they do not fit."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.pages: list[Figure] = []
        self.w = _WIDTH * _PT
        self.bottom = _HEIGHT * _PT
        self._new()

    def _new(self) -> None:
        fig = _page()
        self.pages.append(fig)
        self.box = _text_box(fig, _MARGIN, 0.45, _WIDTH, _HEIGHT)
        self.y = _paragraph(self.box, 0, self.title + (" (continued)" if len(self.pages) > 1
                                                       else ""),
                            width_pt=self.w, fontsize=14, weight="bold")
        self.fresh = True

    def height(self, text: str, fontsize: float = 9) -> float:
        """Points a paragraph takes (as :func:`~.layout._paragraph` draws it)."""
        return (_wrap(text, self.w, fontsize).count("\n") + 1) * fontsize * 1.3 + fontsize * 0.5

    def text(self, text: str, *, keep: float = 0, fontsize: float = 9, **kw: Any) -> None:
        """A paragraph, on the next page when it and ``keep`` points after it (what
        must stay with it) do not fit on this one."""
        if self.y + self.height(text, fontsize) + keep > self.bottom and not self.fresh:
            self._new()
        self.y = _paragraph(self.box, self.y, text, width_pt=self.w, fontsize=fontsize, **kw)
        self.fresh = False

    def table(self, header: list[str], rows: list[list[str]], widths: list[float],
              align: list[str]) -> None:
        done = 0
        while done < len(rows):
            need = _row_height(header, widths) + _row_height(rows[done], widths)
            if self.y + need > self.bottom and not self.fresh:
                self._new()
            self.y, n = _table(self.box, self.y + 2, header, rows[done:], widths,
                               fontsize=_FONT, bottom=self.bottom, align=align)
            self.fresh = False
            done += n
            if n == 0:  # a row taller than a page: drawn no more (never in practice)
                break
            if done < len(rows):
                self._new()
        self.y += 6


def _overview_pages(summary: pd.DataFrame, program: Program | Prescriptions, period: str,
                    generated: str, *, attention: pd.DataFrame | None = None) -> list[Figure]:
    """The overview's pages: the needs-attention list (when given), then the table."""
    s = _attention(summary, program, attention)
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
              "Flags and notes"]
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
    flow = _Flow("Caseload overview")
    flow.text(f"{len(s)} patients \u00b7 {period} \u00b7 generated {generated}",
              fontsize=9, color=_GREY)
    if attention is not None:
        _attention_list(flow, attention, len(s))
    text = ("Order: patients with a flag first, in the order of the list above; then "
            "those whose pain is worse, those with no clinically important change in "
            "pain, those who improved; within each group, the lowest share of fully "
            "adherent days first. " if attention is not None else
            "Order: patients whose pain is worse come first, then those with no "
            "clinically important change in pain, then those who improved; within each "
            "group, the lowest share of fully adherent days first. ")
    text += (f"Fully adherent = every exercise to target and {minutes} that "
             f"day{measured}. Pain change = mean of the last 7 days minus baseline "
             "(negative = less pain); improved = at least 2 points or 30 % lower.")
    if history and last is not None:
        text += (f" Prescription in force = the version on {day_text(last)} and the day "
                 "it started (v1: the first); default program = no history written for "
                 "the patient.")
    widths = [*fixed, flow.w - sum(fixed)]
    start = _row_height(header, widths) + sum(_row_height(r, widths) for r in rows[:2])
    flow.text("Every patient", fontsize=10, weight="bold", keep=flow.height(text) + start)
    flow.text(text, keep=start)
    flow.table(header, rows, widths, align)
    return flow.pages


def _attention_list(flow: _Flow, attention: pd.DataFrame, n_patients: int) -> None:
    day = attention.attrs.get("as_of")
    on = f" on {day_text(day)}" if day is not None else ""
    n = attention["patient_id"].nunique()
    if not len(attention):
        flow.text(f"Needs attention{on}", fontsize=10, weight="bold")
        flow.text(f"No patient meets a rule of the list{on} (rules: docs/metrics.md, "
                  "\"Needs attention\").", fontsize=9)
        return
    flow.text(f"Needs attention{on}: {n} of {n_patients} patients", fontsize=10,
              weight="bold", keep=60)
    order = ", ".join(RULE_LABELS.values())
    flow.text(f"A patient's flags together, most urgent first ({order}); each line says "
              "what was seen, with its numbers. The rules, their thresholds and the days "
              "each looks at: docs/metrics.md, \"Needs attention\".", fontsize=9)
    widths = [44.0, 80.0, 36.0]
    widths.append(flow.w - sum(widths))
    flow.table(["Patient", "Flag", "Date", "Why"], _flag_rows(attention, widths), widths,
               ["left"] * 4)
