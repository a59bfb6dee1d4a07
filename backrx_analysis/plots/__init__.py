"""Analysis frames -> matplotlib charts a clinician can read on paper.

:mod:`.style` holds the shared look (:data:`PALETTE`, :data:`COLORS`, :data:`STYLE`,
:func:`style_context`) and the helpers every chart uses; :mod:`.adherence`
(:func:`plot_reps_heatmap`), :mod:`.minutes` (:func:`plot_daily_minutes`), :mod:`.calendar`
(:func:`plot_adherence_calendar`) and :mod:`.pain` (:func:`plot_pain_trend`) are the
Axes-level charts; :mod:`.dashboard` is the figure-level :func:`plot_dashboard` and its
parts for a dashboard kept on screen; :mod:`.live` redraws a figure to PNG often,
keeping the pixels of what does not change. Charts draw the frames the analysis gives
them; they compute nothing of their own.

Examples
--------
>>> import backrx_analysis as bx
>>> from backrx_analysis.plots import plot_dashboard
>>> sessions, pain = bx.load_sample()
>>> fig = plot_dashboard(sessions, pain, patient_label="Sample patient")
>>> len(fig.axes)
4
"""

from .adherence import plot_reps_heatmap
from .calendar import plot_adherence_calendar
from .dashboard import dashboard_axes, draw_dashboard, plot_dashboard, update_dashboard
from .minutes import plot_daily_minutes
from .pain import plot_pain_trend
from .style import (
    A4_PORTRAIT,
    COLORS,
    PALETTE,
    STYLE,
    boxes,
    period_title,
    select_patient,
    style_context,
)

__all__ = [
    "A4_PORTRAIT",
    "COLORS",
    "PALETTE",
    "STYLE",
    "boxes",
    "dashboard_axes",
    "draw_dashboard",
    "period_title",
    "plot_adherence_calendar",
    "plot_daily_minutes",
    "plot_dashboard",
    "plot_pain_trend",
    "plot_reps_heatmap",
    "select_patient",
    "style_context",
    "update_dashboard",
]
