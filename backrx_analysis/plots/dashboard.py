"""The figure-level dashboard: adherence and pain (and function, where questionnaires
were given) on one shared date axis.

:func:`plot_dashboard` draws it for a patient and a period (the report's first
page); :func:`dashboard_axes`, :func:`draw_dashboard` and :func:`update_dashboard`
are its parts, for a dashboard kept on screen and brought to another period in
place (the notebook dashboard's "Together" tab).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from ..analysis.patient import Analysis, as_analysis, span_of
from ..program import Program, default_program
from .style import date_nums, mark_versions, period_title, styled, version_runs

__all__ = ["plot_dashboard", "dashboard_axes", "draw_dashboard", "update_dashboard"]


@styled
def plot_dashboard(
    sessions: pd.DataFrame | Analysis,
    pain: pd.DataFrame | None = None,
    *,
    program: Program | None = None,
    patient_id: str | None = None,
    start: Any = None,
    end: Any = None,
    patient_label: str | None = None,
    fig: Figure | SubFigure | None = None,
    figsize: tuple[float, float] = (8.27, 7.5),
) -> Figure | SubFigure:
    """Dose next to outcome: adherence and pain stacked on one shared date axis.

    Four panels, top to bottom, ``sharex=True``: repetitions of each exercise
    against its target (:func:`plot_reps_heatmap`), daily exercise minutes against
    their band and daily walk minutes against theirs (:func:`plot_daily_minutes`),
    and the pain trend (:func:`plot_pain_trend`).

    Parameters
    ----------
    sessions, pain : DataFrame
        Canonical sessions and pain frames (``bx.load_sample()``); or, in place of
        both, an :class:`~backrx_analysis.analysis.patient.Analysis` (``bx.analyze``),
        whose frames are drawn as they are (its program and period hold).
    program : Program, optional
        The prescription (default program when omitted).
    patient_id : str, optional
        Required when the frames hold several patients (a ``ValueError`` lists them).
    start, end : date-like, optional
        Period drawn (default: the span of the session log). The pain baseline is
        always that of the whole pain log.
    patient_label : str, optional
        Name shown in the title (default: the patient id).
    fig : Figure or SubFigure, optional
        Draw into it (the report puts the dashboard on its first page); a new
        Figure of ``figsize`` otherwise.

    Returns
    -------
    Figure or SubFigure
        With four Axes: heatmap, exercise minutes, walk minutes, pain.

    Examples
    --------
    >>> import backrx_analysis as bx
    >>> sessions, pain = bx.load_sample(caseload=True)
    >>> fig = plot_dashboard(sessions, pain, patient_id="P05")
    >>> fig.axes[0].get_shared_x_axes().joined(fig.axes[0], fig.axes[3])
    True
    """
    a = as_analysis(sessions, pain, program=program, start=start, end=end).patient(patient_id)
    if fig is None:
        fig = Figure(figsize=figsize, layout="constrained")
    draw_dashboard(a.daily, a.trend, dashboard_axes(fig), program=a.program, start=a.start,
                   end=a.end, label=patient_label or a.patient_ids[0])
    return fig


@styled
def dashboard_axes(fig: Figure | SubFigure, *, function_panels: int = 0) -> list[Axes]:
    """The four Axes of :func:`plot_dashboard` on ``fig`` (heatmap, exercise minutes,
    walk minutes, pain), stacked on one shared date axis; then ``function_panels``
    more below them on the same axis, one per questionnaire given
    (:func:`~backrx_analysis.plots.function.questionnaires_given`)."""
    ratios = [1.35, 1.0, 0.8, 1.6] + [0.9] * int(function_panels)
    return list(fig.subplots(len(ratios), 1, sharex=True,
                             gridspec_kw={"height_ratios": ratios}))


@styled
def draw_dashboard(daily: pd.DataFrame, trend: pd.DataFrame, axes: list[Axes], *,
                   program: Program | None = None, start: Any = None, end: Any = None,
                   label: str = "", function: pd.DataFrame | None = None) -> None:
    """Draw :func:`plot_dashboard` on the (empty) Axes of :func:`dashboard_axes`.

    ``daily`` is the :func:`~backrx_analysis.analysis.adherence.daily_adherence` frame of
    the period, ``trend`` the :func:`~backrx_analysis.analysis.pain.pain_trend` frame of the
    whole pain log (its baseline is that of the whole log); ``start``/``end`` the
    period (default: the span of ``daily``), ``label`` the name in the title.
    ``function``: the patient's
    :func:`~backrx_analysis.analysis.outcomes.outcomes_trend`, drawn by
    :func:`~backrx_analysis.plots.function.plot_function` on the Axes after the
    fourth (``dashboard_axes(fig, function_panels=n)``), on the same date axis.
    """
    from .adherence import plot_reps_heatmap
    from .function import plot_function
    from .minutes import plot_daily_minutes
    from .pain import plot_pain_trend

    program = program or default_program()
    ax_heat, ax_min, ax_walk, ax_pain = axes[:4]
    plot_reps_heatmap(daily, program=program, ax=ax_heat)
    plot_daily_minutes(daily, program=program, ax=ax_min, walk_ax=ax_walk)
    plot_pain_trend(trend, program=program, ax=ax_pain)
    mark_versions(ax_pain, version_runs(daily, program), label=False)
    if function is not None and len(axes) > 4:
        plot_function(function, program=program, axes=axes[4:])
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
        ax.set_xlabel("")
    axes[-1].set_xlabel("Date")
    _dashboard_period(daily, trend, axes, start, end, label)


@styled
def update_dashboard(daily: pd.DataFrame, trend: pd.DataFrame, axes: list[Axes], *,
                     program: Program | None = None, start: Any = None, end: Any = None,
                     label: str = "") -> bool:
    """Bring a dashboard drawn by :func:`draw_dashboard` to another period of the
    same patient and exercises (same arguments as there, ``trend`` unchanged).

    Only what depends on the period changes: the heatmap cells, the minute bars
    and their y limits, the dates shown and the title; the rest of the drawing is
    kept, so this is much faster than drawing again, for the same result.

    Returns False when that is not possible (an empty period, other exercises):
    draw again then.
    """
    from .adherence import update_reps_heatmap
    from .minutes import update_daily_minutes

    program = program or default_program()
    ax_heat, ax_min, ax_walk = axes[:3]
    first, last = span_of(daily, trend, start, end)
    if first is None or last is None or not update_reps_heatmap(daily, program=program,
                                                                ax=ax_heat):
        return False
    update_daily_minutes(daily, program=program, ax=ax_min, walk_ax=ax_walk)
    _dashboard_period(daily, trend, axes, start, end, label)
    return True


def _dashboard_period(daily: pd.DataFrame, trend: pd.DataFrame, axes: list[Axes], start: Any,
                      end: Any, label: str) -> None:
    """The dates the dashboard shows, and its title."""
    first, last = span_of(daily, trend, start, end)
    if first is not None and last is not None:
        lo, hi = date_nums([first, last])
        axes[-1].set_xlim(lo - 0.6, hi + 0.6)
    axes[0].get_figure(root=False).suptitle(period_title(label, first, last), x=0.01,
                                            horizontalalignment="left")
