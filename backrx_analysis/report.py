"""Charts and a clinician's report as files: PNG / SVG / PDF charts, a multi-page PDF.

:func:`export_charts`
    every chart of :mod:`backrx_analysis.plots` for one patient, in each format.
:func:`export_report`
    the clinician report of one patient: an A4 PDF (summary and dashboard,
    adherence detail, pain detail, the prescription and definitions, and the
    patient's notes only when asked for). docs/report.md describes each page.
:func:`export_caseload`
    one report per patient plus a one-page overview sorted by who needs attention.

Free-text notes (the ``notes`` column of both logs) never appear in any file unless
``include_notes=True`` is passed to :func:`export_report` / :func:`export_caseload`.
Nothing here prints or knows about terminals: the CLI passes a progress wrapper.

Examples
--------
>>> import tempfile, pathlib
>>> import backrx_analysis as bx
>>> from backrx_analysis.report import export_report
>>> sessions, pain = bx.load_sample()
>>> out = export_report(sessions, pain, pathlib.Path(tempfile.mkdtemp()) / "r.pdf",
...                     patient_label="Sample patient")
>>> out.suffix
'.pdf'
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from . import __version__
from .adherence import daily_adherence, weekly_adherence
from .combined import MIN_PAIRED_DAYS, InsufficientDataError, lagged_association, summarize
from .pain import pain_trend
from .plots import (
    A4_PORTRAIT,
    dashboard_span,
    date_nums,
    day_text,
    period_title,
    plot_dashboard,
    select_patient,
    style_context,
)
from .plots_adherence import plot_adherence_calendar, plot_daily_minutes, plot_reps_heatmap
from .plots_pain import improvement_threshold, plot_pain_trend
from .program import Program, default_program

__all__ = [
    "CHARTS",
    "export_charts",
    "export_report",
    "export_caseload",
    "summary_lines",
    "format_pct",
]

#: Charts written by :func:`export_charts`, in order (file stem of each).
CHARTS = ("heatmap", "minutes", "calendar", "pain_trend", "dashboard")

_PT = 72.0  # points per inch
_MINUS = "\u2212"
_GREY = "#555555"
_STRIPE = "#F2F2F2"


# -- formatting (plain words) ----------------------------------------------------------


def _missing(x: Any) -> bool:
    return x is None or (not isinstance(x, str) and pd.isna(x))


def format_pct(x: Any) -> str:
    """``"54 %"`` (whole percent), ``"\u2013"`` when missing."""
    return "\u2013" if _missing(x) else f"{float(x):.0f} %"


def _num(x: Any, digits: int = 1, unit: str = "") -> str:
    return "\u2013" if _missing(x) else f"{float(x):.{digits}f}{unit}"


def _signed(x: Any, digits: int = 1) -> str:
    if _missing(x):
        return "\u2013"
    v = float(x)
    sign = "+" if v > 0 else _MINUS if v < 0 else ""
    return f"{sign}{abs(v):.{digits}f}"


_STATUS_WORDS = {
    "improved": "improved (clinically important: at least {p:g} points or {f:.0f} % lower)",
    "no_change": "no clinically important change",
    "worse": "worse (at least {w:g} points higher)",
}


def _status_words(status: Any, program: Program) -> str:
    if _missing(status):
        return "not known (too few ratings)"
    r = program.pain
    return _STATUS_WORDS[str(status)].format(p=r.mcid_points, f=r.mcid_fraction * 100,
                                             w=r.worse_points)


def _ex_short(program: Program, exercise_id: str) -> str:
    try:
        return program.exercise(exercise_id).name
    except KeyError:
        return exercise_id.replace("_", " ")


def summary_lines(row: pd.Series, program: Program | None = None) -> list[tuple[str, str]]:
    """The report's summary in plain words: ``(label, value)`` pairs from one row of
    :func:`~backrx_analysis.combined.summarize`.

    >>> import backrx_analysis as bx
    >>> from backrx_analysis.combined import summarize
    >>> s, p = bx.load_sample()
    >>> dict(summary_lines(summarize(s, p).iloc[0]))["Days fully adherent"][:4]
    '29 %'
    """
    program = program or default_program()
    ex, walk = program.exercise_minutes, program.walk_minutes
    n_ex = len(program.exercises)
    ids = [c[: -len("_met_pct")] for c in row.index if c.endswith("_met_pct")
           and c != "walk_met_pct"]
    per_ex = ", ".join(f"{_ex_short(program, i)} {format_pct(row[f'{i}_met_pct'])}" for i in ids)
    days = "\u2013"
    if not _missing(row.get("days")):
        days = f"{int(row['days'])} (something logged on {int(row['days_logged'])})"
    streak = "\u2013"
    if not _missing(row.get("longest_streak")):
        streak = f"{int(row['longest_streak'])} days (current run: {int(row['current_streak'])})"
    change = "\u2013"
    if not _missing(row.get("pain_change")):
        change = f"{_signed(row['pain_change'])} points ({_signed(row['pain_change_pct'], 0)} %)"
    over = "\u2013" if _missing(row.get("minutes_over_days")) else str(int(row["minutes_over_days"]))
    flares = "\u2013" if _missing(row.get("flare_days")) else str(int(row["flare_days"]))
    return [
        ("Days in the period", days),
        ("Days fully adherent", f"{format_pct(row.get('fully_adherent_pct'))}  (all {n_ex} "
                                f"exercises to target and {ex} of exercise)"),
        ("Days each exercise was done to target", per_ex),
        ("Exercise time per day (mean)", f"{_num(row.get('exercise_minutes_mean'), 1, ' min')}"
                                          f"  (target {ex})"),
        (f"Days with {ex} of exercise", format_pct(row.get("minutes_in_range_pct"))),
        (f"Days over {ex.high:g} min", over),
        (f"Days with a walk of {walk.low:g} min or more", format_pct(row.get("walk_met_pct"))),
        ("Longest run of fully adherent days", streak),
        ("Pain at the start (baseline)", _num(row.get("pain_baseline"), 1, " / 10")
         + "  (mean of the first 7 days)"),
        ("Pain over the last 7 days", _num(row.get("pain_last7"), 1, " / 10")),
        ("Change in pain", change),
        ("Pain status", _status_words(row.get("pain_status"), program)),
        ("Flare days", flares),
    ]


# -- page furniture --------------------------------------------------------------------


def _page(layout: str | None = None) -> Figure:
    return Figure(figsize=A4_PORTRAIT, layout=layout)


def _box(fig: Figure, left: float, top: float, width: float, height: float) -> Axes:
    """Axes at a position given in inches from the page's top-left corner."""
    w, h = fig.get_size_inches()
    return fig.add_axes((left / w, 1 - (top + height) / h, width / w, height / h))


def _text_box(fig: Figure, left: float, top: float, width: float, height: float) -> Axes:
    """Axes for text and tables, in points from its top-left corner."""
    ax = _box(fig, left, top, width, height)
    ax.set_axis_off()
    ax.set_xlim(0, width * _PT)
    ax.set_ylim(height * _PT, 0)
    return ax


def _wrap(text: str, width_pt: float, fontsize: float) -> str:
    chars = max(8, int(width_pt / (fontsize * 0.56)))
    return "\n".join(textwrap.fill(part, chars) if part else "" for part in str(text).split("\n"))


def _paragraph(ax: Axes, y: float, text: str, *, width_pt: float, fontsize: float = 9,
               x: float = 0, weight: str = "normal", color: str = "black") -> float:
    """Wrapped text at ``y`` (points from the top); returns the y under it."""
    wrapped = _wrap(text, width_pt, fontsize)
    ax.text(x, y, wrapped, fontsize=fontsize, va="top", ha="left", fontweight=weight,
            color=color, linespacing=1.3)
    return y + (wrapped.count("\n") + 1) * fontsize * 1.3 + fontsize * 0.5


@functools.cache
def _line_pitch(fontsize: float) -> float:
    """Points from one line of a multi-line text to the next at ``linespacing=1``
    (measured, so it holds whatever rule the installed matplotlib uses)."""
    with style_context():
        fig = Figure(dpi=72)
        canvas = FigureCanvasAgg(fig)
        one = fig.text(0, 0, "Ag", fontsize=fontsize, linespacing=1.0)
        two = fig.text(0, 0, "Ag\nAg\nAg", fontsize=fontsize, linespacing=1.0)
        r = canvas.get_renderer()
        return (two.get_window_extent(r).height - one.get_window_extent(r).height) / 2


def _table(ax: Axes, y: float, header: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[float], *, fontsize: float = 8, bottom: float | None = None,
           align: Sequence[str] | None = None) -> tuple[float, int]:
    """Rows of text in columns (widths in points); zebra stripes; header in bold.

    Draws the rows that fit above ``bottom`` (points from the top); returns the y
    under the table and how many rows were drawn (the caller continues the rest on
    another page).
    """
    align = align or ["left"] * len(widths)
    xs = np.concatenate([[0.0], np.cumsum(widths)[:-1]])
    lh = fontsize * 1.3
    pad = 3.0

    def cells(values: Sequence[str]) -> list[str]:
        return [_wrap(v, w - 2 * pad, fontsize) for v, w in zip(values, widths, strict=True)]

    def draw(values: list[str], y0: float, bold: bool) -> float:
        lines = max(v.count("\n") + 1 for v in values)
        for v, x0, w, a in zip(values, xs, widths, align, strict=True):
            xt = x0 + pad if a == "left" else x0 + w - pad
            ax.text(xt, y0 + pad, v, fontsize=fontsize, va="top", ha=a, linespacing=1.3,
                    fontweight="bold" if bold else "normal")
        return lines * lh + 2 * pad

    h = draw(cells(header), y, True)
    ax.plot([0, sum(widths)], [y + h, y + h], color="#333333", linewidth=0.8)
    y += h
    wrapped_rows = [cells(row) for row in rows]
    heights = [max(v.count("\n") + 1 for v in r) * lh + 2 * pad for r in wrapped_rows]
    n = len(rows)
    if bottom is not None:
        ends = y + np.cumsum(heights)
        n = int(np.searchsorted(ends, bottom, side="right"))
    total = float(sum(heights[:n]))
    tops = y + np.concatenate([[0.0], np.cumsum(heights[:n])])
    right = float(sum(widths))
    stripes = [[(0, tops[i]), (right, tops[i]), (right, tops[i + 1]), (0, tops[i + 1])]
               for i in range(0, n, 2)]
    if stripes:
        ax.add_collection(PolyCollection(stripes, facecolors=_STRIPE, linewidths=0, zorder=0),
                          autolim=False)
    if n and all(hh == lh + 2 * pad for hh in heights[:n]):
        # every row is one line: one multi-line text per column (a table of a year of
        # weeks draws in a few milliseconds instead of one text per cell)
        spacing = (lh + 2 * pad) / _line_pitch(fontsize)
        for col, (x0, w, a) in enumerate(zip(xs, widths, align, strict=True)):
            xt = x0 + pad if a == "left" else x0 + w - pad
            ax.text(xt, y + pad, "\n".join(r[col] for r in wrapped_rows[:n]), fontsize=fontsize,
                    va="top", ha=a, multialignment=a, linespacing=spacing)
    else:
        y0 = y
        for r, hh in zip(wrapped_rows[:n], heights[:n], strict=True):
            draw(r, y0, False)
            y0 += hh
    return y + total + 6, n


def _footers(pages: list[Figure], label: str, period: str, generated: str) -> None:
    n = len(pages)
    for k, fig in enumerate(pages, start=1):
        fig.text(0.5 / A4_PORTRAIT[0], 0.3 / A4_PORTRAIT[1],
                 f"backrx {__version__} \u00b7 {label} \u00b7 {period} \u00b7 generated {generated}",
                 fontsize=8, color=_GREY, ha="left", va="bottom")
        fig.text(1 - 0.5 / A4_PORTRAIT[0], 0.3 / A4_PORTRAIT[1], f"Page {k} of {n}",
                 fontsize=8, color=_GREY, ha="right", va="bottom")


# -- one patient's data ----------------------------------------------------------------


@dataclass
class _Patient:
    pid: str
    label: str
    sessions: pd.DataFrame
    pain: pd.DataFrame
    daily: pd.DataFrame
    trend: pd.DataFrame
    summary: pd.Series
    weekly: pd.DataFrame
    lag: pd.DataFrame | None
    lag_problem: str | None
    first: pd.Timestamp | None
    last: pd.Timestamp | None

    @property
    def period(self) -> str:
        if self.first is None or self.last is None:
            return "no data"
        return f"{day_text(self.first)} \u2013 {day_text(self.last)}"


def _patient(sessions: pd.DataFrame, pain: pd.DataFrame, *, program: Program,
             patient_id: str | None, patient_label: str | None, start: Any, end: Any
             ) -> _Patient:
    pid, s, p = select_patient(sessions, pain, patient_id)
    daily = daily_adherence(s, program=program, start=start, end=end)
    trend = pain_trend(p, program=program)
    summary = summarize(s, p, program=program, start=start, end=end)
    row = summary.iloc[0] if len(summary) else pd.Series(dtype=object)
    weekly = weekly_adherence(daily)
    lag = problem = None
    try:
        lag = lagged_association(daily, p, lag=1)
    except InsufficientDataError:
        problem = (f"Too few paired days to look at exercise and next-day pain together "
                   f"(at least {MIN_PAIRED_DAYS} days with exercise logged and a pain rating the "
                   f"next day are needed).")
    first, last = dashboard_span(daily, trend, start, end)
    return _Patient(pid, patient_label or pid, s, p, daily, trend, row, weekly, lag, problem,
                    first, last)


# -- pages -----------------------------------------------------------------------------

_MARGIN = 0.55  # inches
_WIDTH = A4_PORTRAIT[0] - 2 * _MARGIN


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
    rows = [[a, b] for a, b in summary_lines(d.summary, program)]
    _table(ax, 58, ["Summary", ""], rows, [205, w_pt - 205], fontsize=9)
    plot_dashboard(d.sessions, d.pain, program=program, patient_id=d.pid,
                   start=d.first if d.first is not None else None,
                   end=d.last if d.last is not None else None,
                   patient_label=d.label, fig=bottom)
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
    plot_reps_heatmap(d.daily, program=program, ax=heat)
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
    if d.lag is None:
        return [d.lag_problem or "Not available."]
    words = {"exercise_minutes": "exercise minutes", "exercises_met": "exercises done to target"}
    out = []
    for r in d.lag.itertuples(index=False):
        rho = float(r.rho)
        if math.isnan(rho):
            out.append(f"{words.get(r.dose, r.dose).capitalize()}: no association can be "
                       f"computed (the values never changed).")
            continue
        size = ("no" if abs(rho) < 0.1 else "a weak" if abs(rho) < 0.3
                else "a moderate" if abs(rho) < 0.5 else "a strong")
        direction = "" if abs(rho) < 0.1 else (" higher" if rho > 0 else " lower")
        tail = (f", i.e. more {words.get(r.dose, r.dose)} went with{direction} pain the next day"
                if direction else "")
        out.append(f"{words.get(r.dose, r.dose).capitalize()} and next-day pain: {size} "
                   f"association (Spearman \u03c1 = {rho:+.2f}, {r.n} paired days, "
                   f"p = {r.p_value:.3f}){tail}.")
    out.append("This is an association, not cause: patients often exercise more on better "
               "days, and pain eases over weeks for many reasons. Use it as a question to "
               "discuss, not as proof that the exercises help or harm.")
    return out


def _page_pain(d: _Patient, program: Program) -> Figure:
    fig = _page()
    fig.text(_MARGIN / A4_PORTRAIT[0], 1 - 0.45 / A4_PORTRAIT[1], "Pain in detail",
             fontsize=14, fontweight="bold", va="top")
    ax = _box(fig, 0.95, 1.2, A4_PORTRAIT[0] - 0.95 - _MARGIN, 3.3)
    plot_pain_trend(d.trend, program=program, ax=ax, title="Pain day by day")
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
    y = _paragraph(box, y + 6, "Exercise and next-day pain", width_pt=w, fontsize=11,
                   weight="bold")
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
        ("Exercise and next-day pain", f"Spearman rank correlation between a day's exercise "
         f"dose and the next day's pain, over at least {MIN_PAIRED_DAYS} paired days. An "
         f"association, not cause."),
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
    pages: list[Figure] = []
    done = 0
    while True:
        fig = _page()
        height = A4_PORTRAIT[1] - 1.2
        box = _text_box(fig, _MARGIN, 0.45, _WIDTH, height)
        w = _WIDTH * _PT
        y = _paragraph(box, 0, "Patient's notes" + (" (continued)" if pages else ""),
                       width_pt=w, fontsize=14, weight="bold")
        if not rows:
            _paragraph(box, y, "No notes in this period.", width_pt=w)
            return [fig]
        _, n = _table(box, y, ["Date", "Log", "Entry", "Note"], rows[done:],
                      [78, 52, 130, w - 260], fontsize=8, bottom=height * _PT)
        pages.append(fig)
        done += n
        if done >= len(rows) or n == 0:
            return pages


# -- public ----------------------------------------------------------------------------


def _metadata(label: str, period: str, subject: str) -> dict[str, Any]:
    return {
        "Title": f"backrx report: {label}, {period}",
        "Author": "backrx",
        "Subject": subject,
        "Keywords": "low back pain; home exercise; adherence; pain; NRS",
        "Creator": f"backrx_analysis {__version__}",
        "Producer": f"backrx_analysis {__version__} (matplotlib {mpl.__version__})",
        "CreationDate": dt.datetime.now(dt.UTC),
    }


def export_report(
    sessions: pd.DataFrame,
    pain: pd.DataFrame,
    path: str | Path,
    *,
    patient_label: str | None = None,
    patient_id: str | None = None,
    start: Any = None,
    end: Any = None,
    include_notes: bool = False,
    program: Program | None = None,
) -> Path:
    """Write the clinician report of one patient: a multi-page A4 portrait PDF.

    Pages (docs/report.md shows each): 1 summary in plain words and the dashboard;
    2 adherence detail (heatmap, calendar, week-by-week table, continued on more
    pages when the period is long); 3 pain detail (trend, baseline, change,
    status, flare days, exercise and next-day pain with its caveat); 4 the
    prescription measured and how each number is defined; 5 the patient's notes,
    only with ``include_notes=True``.

    Parameters
    ----------
    sessions, pain : DataFrame
        Canonical sessions and pain frames.
    path : str or Path
        The PDF to write (parent folders are created).
    patient_label : str, optional
        How the patient is named in the report (default: the patient id). When
        given, the id is not printed anywhere in the file.
    patient_id : str, optional
        Required when the frames hold several patients.
    start, end : date-like, optional
        Period reported (default: the span of the session log).
    include_notes : bool
        Add the patient's free-text notes. Off by default: notes never appear in
        the file otherwise.
    program : Program, optional
        The prescription (default program when omitted).

    Returns
    -------
    Path
        ``path``.
    """
    program = program or default_program()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    generated = day_text(dt.date.today())
    with style_context():
        d = _patient(sessions, pain, program=program, patient_id=patient_id,
                     patient_label=patient_label, start=start, end=end)
        pages = [_page_summary(d, program, generated), *_pages_adherence(d, program),
                 _page_pain(d, program), _page_prescription(program)]
        if include_notes:
            pages += _pages_notes(d)
        _footers(pages, d.label, d.period, generated)
        meta = _metadata(d.label, d.period, "Adherence to a low back pain home exercise "
                         f"program next to pain, {d.period}")
        with PdfPages(path, metadata=meta) as pdf:
            for fig in pages:
                pdf.savefig(fig)
    return path


def _chart_figures(d: _Patient, program: Program) -> dict[str, Figure]:
    title = period_title(d.label, d.first, d.last)
    xlim = None
    if d.first is not None:
        lo, hi = date_nums([d.first, d.last])
        xlim = (lo - 0.6, hi + 0.6)
    figs: dict[str, Figure] = {}

    fig = Figure(figsize=(8.27, 2.9), layout="constrained")
    plot_reps_heatmap(d.daily, program=program, ax=fig.add_subplot())
    figs["heatmap"] = fig
    fig = Figure(figsize=(8.27, 4.2), layout="constrained")
    a1, a2 = fig.subplots(2, 1, sharex=True, height_ratios=[1.3, 1.0])
    plot_daily_minutes(d.daily, program=program, ax=a1, walk_ax=a2)
    a1.tick_params(labelbottom=False)
    figs["minutes"] = fig
    n_months = d.daily["date"].dt.to_period("M").nunique() if len(d.daily) else 1
    rows = 1 if n_months <= 4 else 2 if n_months <= 8 else math.ceil(n_months / 6)
    fig = Figure(figsize=(8.27, 0.6 + 2.2 * rows), layout="constrained")
    plot_adherence_calendar(d.daily, ax=fig.add_subplot())
    figs["calendar"] = fig
    fig = Figure(figsize=(8.27, 3.4), layout="constrained")
    plot_pain_trend(d.trend, program=program, ax=fig.add_subplot())
    figs["pain_trend"] = fig
    for name, f in figs.items():
        if xlim is not None and name != "calendar":
            f.axes[-1].set_xlim(*xlim)
        f.suptitle(title, x=0.01, ha="left")
    figs["dashboard"] = plot_dashboard(d.sessions, d.pain, program=program, patient_id=d.pid,
                                       start=d.first, end=d.last, patient_label=d.label,
                                       figsize=(8.27, 8.0))
    return figs


def export_charts(
    sessions: pd.DataFrame,
    pain: pd.DataFrame,
    outdir: str | Path,
    *,
    formats: Iterable[str] = ("png", "svg", "pdf"),
    dpi: int = 200,
    program: Program | None = None,
    patient_id: str | None = None,
    patient_label: str | None = None,
    start: Any = None,
    end: Any = None,
) -> list[Path]:
    """Write each chart (:data:`CHARTS`) of one patient in each format.

    Files are ``<outdir>/<chart>.<format>`` (``heatmap``, ``minutes``, ``calendar``,
    ``pain_trend``, ``dashboard``); each has the patient label and the period in
    its title. Text stays text in SVG and PDF. No notes are drawn.

    Returns
    -------
    list of Path
        The files written, chart by chart, format by format.
    """
    program = program or default_program()
    formats = [f.lower().lstrip(".") for f in formats]
    bad = sorted(set(formats) - {"png", "svg", "pdf"})
    if bad:
        raise ValueError(f"unknown formats {bad}; accepted: png, svg, pdf")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    with style_context():
        d = _patient(sessions, pain, program=program, patient_id=patient_id,
                     patient_label=patient_label, start=start, end=end)
        meta = {"Title": f"backrx: {d.label}, {d.period}", "Author": "backrx",
                "Creator": f"backrx_analysis {__version__}"}
        for name, fig in _chart_figures(d, program).items():
            for fmt in formats:
                out = outdir / f"{name}.{fmt}"
                md = {"png": {"Title": meta["Title"], "Software": meta["Creator"]},
                      "svg": {"Title": meta["Title"], "Creator": meta["Creator"]},
                      "pdf": meta}[fmt]
                fig.savefig(out, format=fmt, dpi=dpi, metadata=md)
                written.append(out)
    return written


# -- caseload --------------------------------------------------------------------------

_ATTENTION = {"worse": 0, "no_change": 1, "improved": 2}


def _attention(summary: pd.DataFrame, program: Program) -> pd.DataFrame:
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
            f.append(f"over {program.exercise_minutes.high:g} min on {int(r.minutes_over_days)} d")
        if not _missing(r.flare_days) and r.flare_days >= 3:
            f.append(f"{int(r.flare_days)} flare days")
        flags.append("; ".join(f))
    s["flags"] = flags
    return s.sort_values(["_rank", "_adh", "patient_id"], kind="stable").reset_index(drop=True)


def _overview_pages(summary: pd.DataFrame, program: Program, period: str,
                    generated: str) -> list[Figure]:
    s = _attention(summary, program)
    ex = program.exercise_minutes
    rows = [[str(r.patient_id), f"{r.days_logged} of {r.days}" if not _missing(r.days) else "\u2013",
             format_pct(r.fully_adherent_pct), format_pct(r.minutes_in_range_pct),
             _num(r.pain_baseline, 1), _num(r.pain_last7, 1), _signed(r.pain_change),
             "\u2013" if _missing(r.pain_status) else str(r.pain_status).replace("_", " "),
             r.flags] for r in s.itertuples(index=False)]
    header = ["Patient", "Days\nlogged", "Fully\nadherent", f"Minutes\n{ex.low:g}-{ex.high:g}",
              "Pain\nbaseline", "Pain\nlast 7 d", "Pain\nchange", "Pain\nstatus",
              "Needs a look because"]
    pages: list[Figure] = []
    done = 0
    while True:
        fig = _page()
        height = A4_PORTRAIT[1] - 1.2
        box = _text_box(fig, _MARGIN, 0.45, _WIDTH, height)
        w = _WIDTH * _PT
        y = _paragraph(box, 0, "Caseload overview" + (" (continued)" if pages else ""),
                       width_pt=w, fontsize=14, weight="bold")
        y = _paragraph(box, y, f"{len(s)} patients \u00b7 {period} \u00b7 generated {generated}",
                       width_pt=w, fontsize=9, color=_GREY)
        y = _paragraph(box, y, "Order: patients whose pain is worse come first, then those "
                       "with no clinically important change in pain, then those who improved; "
                       "within each group, the lowest share of fully adherent days first. "
                       f"Fully adherent = every exercise to target and {ex} of exercise that "
                       "day. Pain change = mean of the last 7 days minus baseline (negative = "
                       "less pain); improved = at least 2 points or 30 % lower.",
                       width_pt=w, fontsize=9)
        widths = [52, 44, 48, 48, 46, 46, 42, 58]
        widths.append(w - sum(widths))
        _, n = _table(box, y + 4, header, rows[done:], widths, fontsize=8, bottom=height * _PT,
                      align=["left", *["right"] * 6, "left", "left"])
        pages.append(fig)
        done += n
        if done >= len(rows) or n == 0:
            return pages


def safe_filename(text: str) -> str:
    """A file-name-safe version of a patient id or label: letters, digits, ``_ . -``
    only, so a written file can never land outside the chosen folder."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(text)).strip("._") or "patient"
    return name[:80]


def export_caseload(
    sessions: pd.DataFrame,
    pain: pd.DataFrame,
    outdir: str | Path,
    *,
    program: Program | None = None,
    start: Any = None,
    end: Any = None,
    include_notes: bool = False,
    progress: Callable[[list[str]], Iterable[str]] | None = None,
) -> list[Path]:
    """One report per patient (``<patient_id>.pdf``) and ``caseload_overview.pdf``.

    The overview is a table with a row per patient (days logged, fully adherent %,
    minutes in range %, pain baseline, last 7 days, change, status, and why the
    patient may need a look), patients needing attention first: pain worse, then
    no clinically important change, then improved; within each, the lowest share
    of fully adherent days first.

    Parameters
    ----------
    progress : callable, optional
        Wraps the list of patient ids and returns an iterable over them, e.g.
        ``tqdm.tqdm`` (the CLI passes one; this module prints nothing).

    Returns
    -------
    list of Path
        The per-patient reports in patient order, then the overview.
    """
    program = program or default_program()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    ids = sorted({str(i) for f in (sessions, pain) for i in pd.unique(f["patient_id"].dropna())})
    written = []
    for pid in (progress(ids) if progress is not None else ids):
        written.append(export_report(sessions, pain, outdir / f"{safe_filename(pid)}.pdf",
                                     patient_id=pid,
                                     start=start, end=end, include_notes=include_notes,
                                     program=program))
    generated = day_text(dt.date.today())
    summary = summarize(sessions, pain, program=program, start=start, end=end)
    if len(summary):
        period = f"{day_text(summary['start'].min())} \u2013 {day_text(summary['end'].max())}"
    else:
        period = "no data"
    out = outdir / "caseload_overview.pdf"
    with style_context():
        pages = _overview_pages(summary, program, period, generated)
        _footers(pages, "caseload", period, generated)
        meta = _metadata("caseload overview", period, f"Caseload overview, {period}")
        with PdfPages(out, metadata=meta) as pdf:
            for fig in pages:
                pdf.savefig(fig)
    written.append(out)
    return written
