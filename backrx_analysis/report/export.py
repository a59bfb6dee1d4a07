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

This module writes the files; the pages are drawn by :mod:`backrx_analysis.report.pages`
on the furniture of :mod:`backrx_analysis.report.layout`, in the words of
:mod:`backrx_analysis.report.text`.

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
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from .._version import __version__
from ..analysis.attention import needs_attention
from ..analysis.patient import Analysis, analysis_and_target
from ..plots.adherence import plot_reps_heatmap
from ..plots.calendar import plot_adherence_calendar
from ..plots.dashboard import plot_dashboard
from ..plots.minutes import plot_daily_minutes
from ..plots.pain import plot_pain_trend
from ..plots.style import (
    date_nums,
    day_text,
    mark_versions,
    period_title,
    style_context,
    version_runs,
)
from ..prescriptions import Prescriptions, shown_program
from ..program import Program
from .function import page_function
from .history import page_history
from .layout import _footers
from .overview import _overview_pages
from .pages import (
    _page_pain,
    _page_prescription,
    _page_summary,
    _pages_adherence,
    _pages_notes,
    _Patient,
    _patient,
)
from .parallel import CaseloadReportError, per_patient
from .text import format_pct, summary_lines

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
    sessions: pd.DataFrame | Analysis,
    pain: pd.DataFrame | str | Path | None = None,
    path: str | Path | None = None,
    *,
    patient_label: str | None = None,
    patient_id: str | None = None,
    start: Any = None,
    end: Any = None,
    include_notes: bool = False,
    program: Program | Prescriptions | None = None,
    outcomes: pd.DataFrame | None = None,
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
        Canonical sessions and pain frames; or, in place of both, an
        :class:`~backrx_analysis.analysis.patient.Analysis` (``bx.analyze``), whose
        frames are used as computed there (``export_report(analysis, path)``; its
        program and period hold).
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
    analysis, path = analysis_and_target(sessions, pain, path, what="path", program=program,
                                         start=start, end=end, outcomes=outcomes)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    generated = day_text(dt.date.today())
    with style_context():
        d = _patient(analysis, patient_id=patient_id, patient_label=patient_label)
        rx = analysis.program
        # the pages describe the version in force at the period's end; a history
        # gets its own page
        program = shown_program(rx, d.pid, d.last.date() if d.last is not None else None)
        versions = rx.versions(d.pid) if isinstance(rx, Prescriptions) else ()
        pages = [_page_summary(d, program, generated), *_pages_adherence(d, program),
                 _page_pain(d, program), _page_prescription(program)]
        trend = d.analysis.outcomes_trend
        if len(trend):  # only when questionnaires were given
            pages.insert(3, page_function(trend, d.daily, program=program, first=d.first,
                                          last=d.last))
        if versions:
            pages.append(page_history(analysis.by_version.loc[
                analysis.by_version["patient_id"] == d.pid], versions, label=d.label))
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
    plot_reps_heatmap(d.daily, program=d.analysis.program, ax=fig.add_subplot())
    figs["heatmap"] = fig
    fig = Figure(figsize=(8.27, 4.2), layout="constrained")
    a1, a2 = fig.subplots(2, 1, sharex=True, height_ratios=[1.3, 1.0])
    plot_daily_minutes(d.daily, program=d.analysis.program, ax=a1, walk_ax=a2)
    a1.tick_params(labelbottom=False)
    figs["minutes"] = fig
    n_months = d.daily["date"].dt.to_period("M").nunique() if len(d.daily) else 1
    rows = 1 if n_months <= 4 else 2 if n_months <= 8 else math.ceil(n_months / 6)
    fig = Figure(figsize=(8.27, 0.6 + 2.2 * rows), layout="constrained")
    plot_adherence_calendar(d.daily, ax=fig.add_subplot())
    figs["calendar"] = fig
    fig = Figure(figsize=(8.27, 3.4), layout="constrained")
    pain_ax = plot_pain_trend(d.trend, program=program, ax=fig.add_subplot())
    mark_versions(pain_ax, version_runs(d.daily, d.analysis.program))  # where it changed
    figs["pain_trend"] = fig
    for name, f in figs.items():
        if xlim is not None and name != "calendar":
            f.axes[-1].set_xlim(*xlim)
        f.suptitle(title, x=0.01, ha="left")
    figs["dashboard"] = plot_dashboard(d.analysis, patient_label=d.label, figsize=(8.27, 8.0))
    return figs


def export_charts(
    sessions: pd.DataFrame | Analysis,
    pain: pd.DataFrame | str | Path | None = None,
    outdir: str | Path | None = None,
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
    its title. Text stays text in SVG and PDF. No notes are drawn. ``sessions`` and
    ``pain`` may be one :class:`~backrx_analysis.analysis.patient.Analysis` instead
    (``export_charts(analysis, outdir)``), as in :func:`export_report`.

    Returns
    -------
    list of Path
        The files written, chart by chart, format by format.
    """
    analysis, outdir = analysis_and_target(sessions, pain, outdir, what="outdir",
                                           program=program, start=start, end=end)
    program = analysis.program
    formats = [f.lower().lstrip(".") for f in formats]
    bad = sorted(set(formats) - {"png", "svg", "pdf"})
    if bad:
        raise ValueError(f"unknown formats {bad}; accepted: png, svg, pdf")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    with style_context():
        d = _patient(analysis, patient_id=patient_id, patient_label=patient_label)
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



def safe_filename(text: str) -> str:
    """A file-name-safe version of a patient id or label: letters, digits, ``_ . -``
    only, so a written file can never land outside the chosen folder."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(text)).strip("._") or "patient"
    return name[:80]


def export_caseload(
    sessions: pd.DataFrame | Analysis,
    pain: pd.DataFrame | str | Path | None = None,
    outdir: str | Path | None = None,
    *,
    program: Program | None = None,
    start: Any = None,
    end: Any = None,
    include_notes: bool = False,
    progress: Callable[[Iterable[str]], Iterable[str]] | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """One report per patient (``<patient_id>.pdf``) and ``caseload_overview.pdf``.

    The overview opens with the caseload's needs-attention list
    (:func:`~backrx_analysis.analysis.attention.needs_attention` on the analysis's last
    day, a patient's flags together), then a table with a row per patient (days
    logged, fully adherent %, minutes in range %, pain baseline, last 7 days, change,
    status, the patient's flags): flagged patients first in the list's order, then
    pain worse, no clinically important change, improved; within each, the lowest
    share of fully adherent days first.

    Parameters
    ----------
    sessions, pain : DataFrame
        Canonical frames of the caseload, or one
        :class:`~backrx_analysis.analysis.patient.Analysis` in place of both
        (``export_caseload(analysis, outdir)``): each patient's report and the overview
        then use the frames computed there.
    progress : callable, optional
        Wraps the patient ids, given as each patient's report is finished (a sized
        iterable), and returns an iterable over them, e.g. ``tqdm.tqdm`` (the CLI
        passes one; this module prints nothing).
    jobs : int, optional
        Worker processes rendering the patients' reports (default: the machine's
        cores; 1: one after the other, in this process). The reports are the same
        either way (:mod:`backrx_analysis.report.parallel`).

    Returns
    -------
    list of Path
        The per-patient reports in patient order, then the overview. The overview is
        written first, so that it can be opened while the reports are rendered.

    Raises
    ------
    CaseloadReportError
        When some patients' reports failed: it names each with its error (``failed``)
        and lists what was written (``written``: every other report and the overview).
    """
    analysis, outdir = analysis_and_target(sessions, pain, outdir, what="outdir",
                                           program=program, start=start, end=end)
    program = analysis.program
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    ids = analysis.patient_ids
    generated = day_text(dt.date.today())
    summary = analysis.summary
    if len(summary):
        period = f"{day_text(summary['start'].min())} \u2013 {day_text(summary['end'].max())}"
    else:
        period = "no data"
    out = outdir / "caseload_overview.pdf"
    with style_context():
        pages = _overview_pages(summary, program, period, generated,
                                attention=needs_attention(analysis))
        _footers(pages, "caseload", period, generated)
        meta = _metadata("caseload overview", period, f"Caseload overview, {period}")
        with PdfPages(out, metadata=meta) as pdf:
            for fig in pages:
                pdf.savefig(fig)
    tasks = [(pid, (analysis.patient(pid), outdir / f"{safe_filename(pid)}.pdf"),
              {"patient_id": pid, "include_notes": include_notes}) for pid in ids]
    done, failed = per_patient(export_report, tasks, jobs=jobs, progress=progress)
    written = [Path(done[pid]) for pid in ids if pid in done] + [out]
    if failed:
        raise CaseloadReportError(failed, written)
    return written
