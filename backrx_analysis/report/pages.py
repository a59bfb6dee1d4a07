"""The pages of the clinician report and of the caseload overview, as Figures.

One patient's data is gathered once (:func:`_patient`); each page builder draws
one page (or a run of pages, when a table continues) of
:func:`backrx_analysis.report.export_report`; :func:`_overview_pages` draws the
overview of :func:`backrx_analysis.report.export_caseload`. docs/report.md
describes each page. Writing the files is :mod:`backrx_analysis.report`'s job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from ..analysis.association import MIN_DAYS, MIN_EACH
from ..analysis.patient import Analysis
from ..plots.adherence import plot_reps_heatmap
from ..plots.calendar import plot_adherence_calendar
from ..plots.dashboard import plot_dashboard
from ..plots.pain import improvement_threshold, plot_pain_trend
from ..plots.style import (
    A4_PORTRAIT,
    date_nums,
    day_text,
    mark_versions,
    version_runs,
)
from ..prescriptions import Prescriptions
from ..program import Program
from .layout import (
    _GREY,
    _MARGIN,
    _PT,
    _WIDTH,
    _box,
    _page,
    _paragraph,
    _table,
    _table_pages,
    _text_box,
)
from .text import (
    _ex_short,
    _missing,
    _num,
    _signed,
    _status_words,
    association_lines,
    format_pct,
    summary_lines,
)

# -- one patient's data ----------------------------------------------------------------


@dataclass
class _Patient:
    """One patient's analysis and how the report names them."""

    analysis: Analysis
    label: str

    @property
    def pid(self) -> str:
        return self.analysis.patient_ids[0] if self.analysis.patient_ids else self.label

    @property
    def sessions(self) -> pd.DataFrame:
        return self.analysis.sessions

    @property
    def pain(self) -> pd.DataFrame:
        return self.analysis.pain

    @property
    def daily(self) -> pd.DataFrame:
        return self.analysis.daily

    @property
    def weekly(self) -> pd.DataFrame:
        return self.analysis.weekly

    @property
    def trend(self) -> pd.DataFrame:
        return self.analysis.trend

    @property
    def first(self) -> pd.Timestamp | None:
        return self.analysis.first

    @property
    def last(self) -> pd.Timestamp | None:
        return self.analysis.last

    @property
    def summary(self) -> pd.Series:
        s = self.analysis.summary
        return s.iloc[0] if len(s) else pd.Series(dtype=object)

    @property
    def period(self) -> str:
        if self.first is None or self.last is None:
            return "no data"
        return f"{day_text(self.first)} \u2013 {day_text(self.last)}"


def _patient(analysis: Analysis, *, patient_id: str | None, patient_label: str | None
             ) -> _Patient:
    a = analysis.patient(patient_id)
    return _Patient(a, patient_label or (a.patient_ids[0] if a.patient_ids else "patient"))


# -- pages -----------------------------------------------------------------------------


def _page_summary(d: _Patient, program: Program, generated: str) -> Figure:
    fig = _page(layout="constrained")
    w, h = A4_PORTRAIT
    fig.get_layout_engine().set(h_pad=0.04, w_pad=0.04, hspace=0.02,
                                rect=(0.4 / w, 0.6 / h, 1 - 0.8 / w, 1 - 0.95 / h))
    top, bottom = fig.subfigures(2, 1, height_ratios=[0.38, 0.62])
    ax = top.add_subplot()
    ax.set_axis_off()
    w_pt = _WIDTH * _PT
    h_pt = A4_PORTRAIT[1] * 0.38 * _PT - 20
    ax.set_xlim(0, w_pt)
    ax.set_ylim(h_pt, 0)
    ax.text(0, 0, "Home exercise program and pain", fontsize=15, fontweight="bold", va="top")
    ax.text(0, 22, f"Patient: {d.label}", fontsize=11, va="top")
    ax.text(0, 38, f"Period: {d.period}", fontsize=10, va="top")
    ax.text(w_pt, 22, f"Generated {generated}", fontsize=9, va="top", ha="right", color=_GREY)
    ax.text(w_pt, 38, program.name, fontsize=9, va="top", ha="right", color=_GREY)
    history = isinstance(d.analysis.program, Prescriptions)
    rows = [[a, b] for a, b in summary_lines(d.summary, program, history=history)]
    _table(ax, 58, ["Summary", ""], rows, [205, w_pt - 205], fontsize=9)
    plot_dashboard(d.analysis, patient_label=d.label, fig=bottom)
    bottom.suptitle("Dose next to outcome: adherence and pain on one time axis", x=0.01,
                    ha="left", fontsize=11)
    return fig


def _weekly_rows(weekly: pd.DataFrame, program: Program) -> tuple[list[str], list[list[str]],
                                                                   list[float], list[str]]:
    ids = [c[: -len("_met_pct")] for c in weekly.columns
           if c.endswith("_met_pct") and c != "walk_met_pct"]
    short = {"ankle_pumps": "Ankle\npumps", "abdominal_bracing": "Ab\nbracing",
             "wall_squat": "Wall\nsquat", "straight_leg_raise": "Leg\nraise",
             "partial_curl_up": "Curl-\nup"}
    header = ["Week\n(Mon)", "Days\nlogged", "Fully\nadherent",
              *[short.get(i, _ex_short(program, i).replace(" ", "\n", 1)) for i in ids],
              "Exercise\nmin/day", f"Days\n{program.exercise_minutes.low:g}-"
              f"{program.exercise_minutes.high:g} min", "Walk\nmet"]
    rows = []
    for r in weekly.itertuples(index=False):
        rows.append([
            f"{day_text(r.week_start)}",
            f"{r.days_logged} of {r.days}",
            format_pct(r.fully_adherent_pct),
            *[format_pct(getattr(r, f"{i}_met_pct")) for i in ids],
            _num(r.exercise_minutes_mean, 1),
            format_pct(r.minutes_in_range_pct),
            format_pct(r.walk_met_pct),
        ])
    widths = [70, 44, 48, *[42] * len(ids), 50, 54, 40]
    align = ["left", *["right"] * (len(widths) - 1)]
    return header, rows, widths, align


def _pages_adherence(d: _Patient, program: Program) -> list[Figure]:
    fig = _page()
    fig.text(_MARGIN / A4_PORTRAIT[0], 1 - 0.45 / A4_PORTRAIT[1], "Adherence in detail",
             fontsize=14, fontweight="bold", va="top")
    heat = _box(fig, 2.1, 1.25, A4_PORTRAIT[0] - 2.1 - _MARGIN, 1.55)
    plot_reps_heatmap(d.daily, program=d.analysis.program, ax=heat)  # versions marked
    if d.first is not None:
        lo, hi = date_nums([d.first, d.last])
        heat.set_xlim(lo - 0.6, hi + 0.6)
    n_months = 0 if not len(d.daily) else (
        (d.daily["date"].dt.year * 12 + d.daily["date"].dt.month).nunique())
    per_row = min(max(n_months, 1), 4) if n_months <= 8 else 6
    cal_w = _WIDTH - 1.3
    cal_h = 0.25 + cal_w * (math.ceil(max(n_months, 1) / per_row) * 8.2) / (per_row * 8.0)
    cal = _box(fig, _MARGIN, 3.35, cal_w, cal_h)
    plot_adherence_calendar(d.daily, ax=cal)
    header, rows, widths, align = _weekly_rows(d.weekly, program)
    top = 3.35 + cal_h + 0.35
    pages = [fig]
    done = 0
    first = True
    while True:
        height = A4_PORTRAIT[1] - top - 0.75
        ax = _text_box(fig, _MARGIN, top, _WIDTH, height)
        title = "Week by week" if first else "Week by week (continued)"
        y = _paragraph(ax, 0, title, width_pt=_WIDTH * _PT, fontsize=11, weight="bold")
        if first:
            y = _paragraph(ax, y, "Share of the week's days on which each was done "
                           "(days before the first or after the last day of the period are "
                           "not counted).", width_pt=_WIDTH * _PT, fontsize=8, color=_GREY)
        _, n = _table(ax, y, header, rows[done:], widths, fontsize=8, bottom=height * _PT,
                      align=align)
        done += n
        if done >= len(rows) or n == 0:
            break
        fig = _page()
        pages.append(fig)
        top, first = 0.6, False
    return pages


def _assoc_text(d: _Patient) -> list[str]:
    rows = d.analysis.dose_association
    rows = rows[rows["patient_id"] == d.pid] if len(d.analysis.patient_ids) > 1 else rows
    return association_lines(rows)


def _page_pain(d: _Patient, program: Program) -> Figure:
    fig = _page()
    fig.text(_MARGIN / A4_PORTRAIT[0], 1 - 0.45 / A4_PORTRAIT[1], "Pain in detail",
             fontsize=14, fontweight="bold", va="top")
    ax = _box(fig, 0.95, 1.2, A4_PORTRAIT[0] - 0.95 - _MARGIN, 3.3)
    plot_pain_trend(d.trend, program=program, ax=ax, title="Pain day by day")
    mark_versions(ax, version_runs(d.daily, d.analysis.program))
    if d.first is not None:
        lo, hi = date_nums([d.first, d.last])
        ax.set_xlim(lo - 0.6, hi + 0.6)
    row = d.summary
    box = _text_box(fig, _MARGIN, 5.1, _WIDTH, A4_PORTRAIT[1] - 5.1 - 0.75)
    w = _WIDTH * _PT
    rules = program.pain
    base = row.get("pain_baseline")
    line = "\u2013" if _missing(base) else f"{improvement_threshold(float(base), rules):.1f} / 10"
    rows = [
        ["Baseline (mean daily pain, first 7 days of the pain log)",
         _num(base, 1, " / 10")],
        ["Mean daily pain over the last 7 days of the period", _num(row.get("pain_last7"), 1,
                                                                     " / 10")],
        ["Change", "\u2013" if _missing(row.get("pain_change")) else
         f"{_signed(row['pain_change'])} points ({_signed(row['pain_change_pct'], 0)} %)"],
        ["Status", _status_words(row.get("pain_status"), program)],
        ["Counts as improved when the 7-day mean is at or below", line],
    ]
    y, _ = _table(box, 0, ["Pain", ""], rows, [260, w - 260], fontsize=9)
    period = d.trend
    if d.first is not None:
        period = d.trend[(d.trend["date"] >= d.first) & (d.trend["date"] <= d.last)]
    flares = period.loc[period["flare"], ["date", "pain_mean"]]
    y = _paragraph(box, y + 4, f"Flare days ({len(flares)})", width_pt=w, fontsize=11,
                   weight="bold")
    y = _paragraph(box, y, f"A flare is a day whose pain is at least {rules.flare_points:g} "
                   f"points above the mean of the {rules.flare_window} days before it.",
                   width_pt=w, fontsize=8, color=_GREY)
    listing = ("None in this period." if not len(flares) else
               ";  ".join(f"{day_text(r.date)} ({r.pain_mean:.1f})"
                          for r in flares.itertuples(index=False)))
    y = _paragraph(box, y, listing, width_pt=w, fontsize=9)
    y = _paragraph(box, y + 6, "Exercise and pain", width_pt=w, fontsize=11, weight="bold")
    for text in _assoc_text(d):
        y = _paragraph(box, y, text, width_pt=w, fontsize=9)
    return fig


def _page_prescription(program: Program) -> Figure:
    fig = _page()
    box = _text_box(fig, _MARGIN, 0.45, _WIDTH, A4_PORTRAIT[1] - 1.2)
    w = _WIDTH * _PT
    y = _paragraph(box, 0, "The prescription measured", width_pt=w, fontsize=14, weight="bold")
    y = _paragraph(box, y, program.name, width_pt=w, fontsize=9, color=_GREY)
    rows = []
    for ex in program.exercises:
        hold = "none" if not ex.hold_s else f"{ex.hold_s:g} s"
        sides = "each leg" if ex.per_side else "\u2013"
        target = f"{ex.target_reps} reps" + (" per leg" if ex.per_side else "")
        rows.append([ex.name, target, hold, sides, ex.how])
    y, _ = _table(box, y, ["Exercise", "Daily\ntarget", "Hold", "Sides", "How it is done"],
                  rows, [100, 62, 38, 46, w - 246], fontsize=8)
    ex, walk = program.exercise_minutes, program.walk_minutes
    y = _paragraph(box, y, f"Exercise time: {ex} a day for the exercises together. "
                   f"Walking: a short walk of {walk} instead of long rest.", width_pt=w,
                   fontsize=9)
    y = _paragraph(box, y + 6, "How each number is defined", width_pt=w, fontsize=12,
                   weight="bold")
    r = program.pain
    per_side = ", ".join(e.name.lower() for e in program.exercises if e.per_side)
    defs = [
        ("Exercise met", "the repetitions of that exercise on a day (reps \u00d7 sets, all "
         "entries added) reach its target" + (f"; for {per_side} each leg must reach it"
                                               if per_side else "") + "."),
        ("Exercise minutes", f"minutes logged on the exercises plus whole-routine entries; "
         f"under {ex.low:g}, in range ({ex}, limits included) or over {ex.high:g}."),
        ("Walk met", f"at least {walk.low:g} minutes of walking that day (target {walk})."),
        ("Fully adherent day", "every exercise met and the exercise minutes in range. "
         "Walking is reported beside it, not inside it."),
        ("Every day counts", "every calendar day of the period is counted; a day with "
         "nothing logged is a day not done."),
        ("Daily pain", "mean of that day's ratings on the 0\u201310 scale (0 no pain, 10 worst "
         "imaginable); a rating belongs to the day on which it was written."),
        ("Baseline", f"mean daily pain over the first {r.baseline_days} calendar days of the "
         f"pain log."),
        (f"{r.window}-day mean", f"mean daily pain over the day and the {r.window - 1} days "
         f"before it (days without a rating left out)."),
        ("Improved / worse", f"improved when the {r.window}-day mean is at least "
         f"{r.mcid_points:g} points or {r.mcid_fraction * 100:.0f} % below the baseline (the "
         f"minimal clinically important difference for low back pain, Ostelo et al., Spine "
         f"2008); worse when at least {r.worse_points:g} points above it."),
        ("Flare", f"a day whose pain is at least {r.flare_points:g} points above the mean of "
         f"the {r.flare_window} days before it."),
        ("Exercise and pain", f"pain the same day, the next day and two days after a day "
         f"with every prescribed exercise met, minus the other days of the same week "
         f"(Mon\u2013Sun), so a trend over the weeks does not count; 95 % interval from a "
         f"bootstrap over weeks; not given below {MIN_DAYS} paired days or with fewer than "
         f"{MIN_EACH} days with and {MIN_EACH} without the program. An association, not "
         f"cause."),
    ]
    _table(box, y, ["Term", "Meaning"], [[a, b] for a, b in defs], [130, w - 130], fontsize=8)
    return fig


def _notes(d: _Patient) -> pd.DataFrame:
    parts = []
    for frame, log, what in ((d.sessions, "exercise", "exercise"), (d.pain, "pain", "context")):
        if "notes" not in frame.columns or not len(frame):
            continue
        f = frame.loc[frame["notes"].notna() & (frame["notes"].astype("string").str.strip() != "")]
        if d.first is not None:
            f = f.loc[(f["date"] >= d.first) & (f["date"] <= d.last)]
        detail = f[what].astype("string").fillna("") if what in f.columns else ""
        if log == "pain":
            detail = "pain " + f["pain"].astype("string").fillna("") + " " + detail
        parts.append(pd.DataFrame({"date": f["date"], "log": log, "detail": detail,
                                   "note": f["notes"].astype("string")}))
    if not parts:
        return pd.DataFrame(columns=["date", "log", "detail", "note"])
    return pd.concat(parts, ignore_index=True).sort_values(["date", "log"], kind="stable")


def _pages_notes(d: _Patient) -> list[Figure]:
    notes = _notes(d)
    rows = [[day_text(r.date), r.log, str(r.detail).replace("_", " ").strip(), str(r.note)]
            for r in notes.itertuples(index=False)]
    return _table_pages("Patient's notes", ["Date", "Log", "Entry", "Note"], rows,
                        lambda w: [78, 52, 130, w - 260], empty="No notes in this period.")
