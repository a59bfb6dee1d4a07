"""ipywidgets shells over the library: the dashboard (the daily-log form is in
:mod:`backrx_analysis.app.form`, and importable from here).

No analysis lives here: a callback reads the controls, asks the patient's
:class:`~backrx_analysis.analysis.patient.Analysis` for frames (computed there once,
then kept) and :mod:`backrx_analysis.plots` for drawings, and shows them.

>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample()
>>> dash = bx.Dashboard(sessions, pain)          # display(dash) in a notebook
>>> dash.set_range("2026-03-02", "2026-03-29")
>>> dash.status.value
'Showing 2026-03-02 – 2026-03-29 (28 days)'
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path
from typing import Any

import ipywidgets as W
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from ..analysis.patient import Analysis, as_analysis
from ..plots.adherence import plot_reps_heatmap, update_reps_heatmap
from ..plots.calendar import plot_adherence_calendar
from ..plots.dashboard import dashboard_axes, draw_dashboard, update_dashboard
from ..plots.function import plot_function, questionnaires_given
from ..plots.live import LiveFigure
from ..plots.minutes import plot_daily_minutes, update_daily_minutes
from ..plots.pain import plot_pain_trend
from ..plots.style import date_nums
from ..program import Program
from ..report.text import association_lines
from .exports import ExportButtons

__all__ = ["TABS", "FUNCTION_TAB", "Dashboard"]

TABS = ("Adherence", "Minutes", "Calendar", "Pain", "Together")
#: The tab added after "Pain" when questionnaires are given (``outcomes=``).
FUNCTION_TAB = "Function"
_FIGSIZES = {"Adherence": (9, 3.6), "Minutes": (9, 4.6), "Calendar": (9, 4.8), "Pain": (9, 4.2),
             "Together": (9, 7.5), FUNCTION_TAB: (9, 4.8)}
#: Height the "Together" chart gains per questionnaire panel (inches).
_FUNCTION_PANEL_IN = 1.15
#: Tabs whose chart the library can bring to a new period in place.
_UPDATED = ("Adherence", "Minutes", "Together")
#: The options each tab's chart shows (besides the patient and the period).
_SHOWS = {"Adherence": ("exercises",), "Minutes": (), "Calendar": (), "Pain": ("window",),
          "Together": ("exercises",), FUNCTION_TAB: ()}
#: Options the library's update functions take, as they take a new period.
_IN_PLACE = ("exercises",)


def _day(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


class Dashboard(ExportButtons, W.VBox):
    """Adherence next to pain for the loaded logs, redrawn in place as you choose.

    Parameters
    ----------
    sessions, pain : DataFrame
        Canonical frames from :func:`bx.load_sessions` / :func:`bx.load_pain`; or, in
        place of both, an :class:`~backrx_analysis.analysis.patient.Analysis` of the
        whole logs (``bx.analyze``), whose frames are then reused.
    program : Program, optional
        The prescription (default: the default program).
    outcomes : DataFrame, optional
        Function questionnaires (:func:`bx.load_outcomes`): the dashboard gains a
        "Function" tab (the scores over time, :func:`plot_function`), and the
        "Together" chart shows them below dose and pain on the same date axis.
    export_dir : path, optional
        Where "Export for clinician" writes (default ``exports/`` in the working
        folder; notebooks pass the folder next to the data).
    dpi : int
        Screen resolution of the charts.

    The controls are attributes, so scripts and tests drive them as a person does:
    ``patient``, ``start``, ``end``, ``exercises``, ``window``, ``tabs``,
    ``last4``/``last12``/``all_days`` buttons, ``export_button``; ``status`` shows
    the period shown, ``charts`` the Output of each tab and ``tab_names`` the tabs.
    """

    def __init__(
        self,
        sessions: pd.DataFrame | Analysis,
        pain: pd.DataFrame | None = None,
        *,
        program: Program | None = None,
        outcomes: pd.DataFrame | None = None,
        export_dir: str | Path | None = None,
        dpi: int = 80,
        patient_labels: dict[str, str] | None = None,
    ):
        self.analysis = as_analysis(sessions, pain, program=program, outcomes=outcomes)
        #: the tabs shown: TABS, with "Function" after "Pain" when there are questionnaires
        self.tab_names = (TABS if self.analysis.outcomes is None
                          else (*TABS[:4], FUNCTION_TAB, *TABS[4:]))
        self.program = self.analysis.program
        self.sessions = self.analysis.sessions
        self.pain = self.analysis.pain
        self.export_dir = Path(export_dir) if export_dir is not None else Path("exports")
        self.dpi = dpi
        self.patient_labels = dict(patient_labels or {})
        self._shown_key: tuple[str, ...] | None = None  # the exercise choice of _shown_program
        self._shown_program = self.program
        ids = self.analysis.patient_ids
        if not ids:
            raise ValueError("the logs hold no entries: load a session or pain log first")
        self._figures = {t: Figure(figsize=_FIGSIZES[t], dpi=dpi, layout="constrained")
                         for t in self.tab_names}
        self._live = {t: LiveFigure(fig, pil_kwargs={"compress_level": 1})
                      for t, fig in self._figures.items()}
        self._on_screen: dict[str, tuple] = {}  # what each tab's chart shows now
        self._busy = False
        self.redraws = 0

        self.patient = W.Dropdown(options=ids, value=ids[0], description="Patient")
        self.patient.layout.display = "" if len(ids) > 1 else "none"
        self.start = W.DatePicker(description="From")
        self.end = W.DatePicker(description="To")
        self.start.add_class("backrx-start")
        self.end.add_class("backrx-end")
        self.last4 = W.Button(description="Last 4 weeks", tooltip="the last 28 days of the log")
        self.last12 = W.Button(description="Last 12 weeks")
        self.all_days = W.Button(description="All")
        self.last4.add_class("backrx-range-4w")
        self.last12.add_class("backrx-range-12w")
        self.all_days.add_class("backrx-range-all")
        names = [(e.name, e.id) for e in self.program.exercises]
        self.exercises = W.SelectMultiple(options=names, value=[i for _, i in names],
                                          description="Exercises", rows=len(names))
        self.window = W.IntSlider(value=self.program.pain.window, min=3, max=28,
                                  description="Pain tab: mean over", continuous_update=False,
                                  style={"description_width": "initial"})
        self.window_unit = W.Label("days")
        self.status = W.HTML()
        self.status.add_class("backrx-status")
        self.charts = {t: W.Output() for t in self.tab_names}
        for out in self.charts.values():
            out.add_class("backrx-chart")
        #: under the Together chart: exercise and pain in the period, in words
        #: (:func:`bx.dose_pain_association`, as on the report's page 3)
        self.association = W.HTML()
        self.association.add_class("backrx-association")
        pages = {t: self.charts[t] for t in self.tab_names}
        pages["Together"] = W.VBox([self.charts["Together"], self.association])
        self.tabs = W.Tab(children=[pages[t] for t in self.tab_names],
                          titles=list(self.tab_names))
        self.include_notes = W.Checkbox(value=False, description="include my notes",
                                        indent=False)
        self.export_button = W.Button(description="Export for clinician", icon="file-pdf-o",
                                      button_style="primary", layout=W.Layout(width="auto"))
        self.export_button.add_class("backrx-export")
        self.fhir_button = W.Button(description="FHIR bundle for the clinic's record",
                                    icon="file-code-o", layout=W.Layout(width="auto"),
                                    tooltip="a FHIR R4 Bundle of the period (docs/fhir.md)")
        self.fhir_button.add_class("backrx-export-fhir")
        self.export_result = W.HTML()
        self.export_result.add_class("backrx-export-result")

        controls = W.VBox([
            W.HBox([self.patient]),
            W.HBox([self.start, self.end, self.last4, self.last12, self.all_days]),
            W.HBox([self.exercises, W.VBox([W.HBox([self.window, self.window_unit])])]),
            self.status,
        ])
        export = W.HBox([self.export_button, self.fhir_button, self.include_notes,
                         self.export_result])
        super().__init__([controls, self.tabs, export])
        self.add_class("backrx-dashboard")

        self.patient.observe(self._on_patient, names="value")
        for w in (self.start, self.end, self.exercises, self.window):
            w.observe(self._on_change, names="value")
        self.tabs.observe(self._on_change, names="selected_index")
        self.last4.on_click(lambda _: self._quick(28))
        self.last12.on_click(lambda _: self._quick(84))
        self.all_days.on_click(lambda _: self._quick(None))
        self.export_button.on_click(self._on_export)
        self.fhir_button.on_click(self._on_export_fhir)
        self._on_patient()

    # -- data (asked of the patient's analysis, which keeps it) ----------------------
    def _analysis(self) -> Analysis:
        return self.analysis.patient(self.patient.value)

    def daily(self) -> pd.DataFrame:
        return self._analysis().daily

    def trend(self, window: int | None = None) -> pd.DataFrame:
        """The pain trend of the whole pain log, with the chosen window (or ``window``)."""
        return self._analysis().trend_for(int(window or self.window.value))

    def _shown(self) -> Program:
        """The program restricted to the chosen exercises: the same object for the same
        choice (the analysis keeps its frames per program)."""
        key = tuple(self.exercises.value)
        if self._shown_key != key:
            self._shown_key = key
            self._shown_program = self.program.subset(key) if key else self.program
        return self._shown_program

    def shown_daily(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
        """Daily adherence to the chosen exercises, every day from ``start`` to ``end``
        (the analysis cuts it from the whole span's, computed once per choice)."""
        return self._analysis().between(start, end, program=self._shown()).daily

    def function(self) -> pd.DataFrame | None:
        """The patient's questionnaire scores over time
        (:func:`~backrx_analysis.analysis.outcomes.outcomes_trend`, kept by the
        analysis), or None when no questionnaires were given."""
        if self.analysis.outcomes is None:
            return None
        return self._analysis().outcomes_trend

    def _span(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        dates = pd.concat([self.daily()["date"], self.trend()["date"]])
        return dates.min(), dates.max()

    # -- events ----------------------------------------------------------------------
    def set_range(self, start: Any, end: Any) -> None:
        """Show the days from ``start`` to ``end`` (inclusive), redrawing once."""
        self._busy = True
        try:
            self.start.value = _day(start)
            self.end.value = _day(end)
        finally:
            self._busy = False
        self.redraw()

    def _quick(self, days: int | None) -> None:
        first, last = self._span()
        start = first if days is None else max(first, last - pd.Timedelta(days=days - 1))
        self.set_range(start, last)

    def _on_patient(self, *_: Any) -> None:
        self._quick(None)

    def _on_change(self, *_: Any) -> None:
        if not self._busy:
            self.redraw()

    # -- drawing ---------------------------------------------------------------------
    def _period(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        first, last = self._span()
        start = pd.Timestamp(self.start.value) if self.start.value else first
        end = pd.Timestamp(self.end.value) if self.end.value else last
        return start, end

    def _label(self) -> str:
        pid = self.patient.value
        return self.patient_labels.get(pid, pid)

    def redraw(self) -> None:
        """Redraw the visible tab for the chosen patient, period and options."""
        start, end = self._period()
        if end < start:
            self.status.value = (f"<b>The end ({end:%Y-%m-%d}) is before the start "
                                 f"({start:%Y-%m-%d})</b>: choose another period.")
            return
        days = (end - start).days + 1
        self.status.value = f"Showing {start:%Y-%m-%d} \u2013 {end:%Y-%m-%d} ({days} days)"
        tab = self.tab_names[self.tabs.selected_index or 0]
        live = self._live[tab]
        # what the chart shows besides the period: when only the period changed, the
        # library brings the chart drawn last to the new period (same result, faster);
        # when nothing it shows changed (another tab's option), it stays as it is
        options = {"exercises": tuple(self.exercises.value), "window": int(self.window.value)}
        shown = (self.patient.value, start, end, *(options[o] for o in _SHOWS[tab]))
        if self._on_screen.get(tab) == shown:
            return
        key = (self.patient.value, *(options[o] for o in _SHOWS[tab] if o not in _IN_PLACE))
        if live.key == key and self._update(tab, start, end):
            png = live.redraw()
        else:
            live.key = None
            self._draw(tab, start, end)
            live.key = key
            png = live.full(keep=tab in _UPDATED)
        self._on_screen[tab] = shown
        # replace the Output's content in one state update: the browser swaps the
        # image in place (no clearing, no flicker), in a kernel or in plain Python
        self.charts[tab].outputs = ({
            "output_type": "display_data",
            "data": {"image/png": base64.b64encode(png).decode("ascii"),
                     "text/plain": f"<{tab} chart>"},
            "metadata": {},
        },)
        self.redraws += 1

    def _frames(self, start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
        daily = self.daily()
        trend = self.trend()
        return (daily[daily["date"].between(start, end)],
                trend[trend["date"].between(start, end)])

    def _draw(self, tab: str, start: pd.Timestamp, end: pd.Timestamp) -> None:
        """Draw the tab's chart afresh."""
        fig = self._figures[tab]
        if tab == "Together":
            self._say_association(start, end)
            fig.clear()
            fig.set_layout_engine("constrained")
            shown = self._shown()
            function = self.function()
            n = len(questionnaires_given(function)) if function is not None else 0
            w, h = _FIGSIZES["Together"]
            fig.set_size_inches(w, h + _FUNCTION_PANEL_IN * n)
            draw_dashboard(self.shown_daily(start, end), self.trend(shown.pain.window),
                           dashboard_axes(fig, function_panels=n), program=shown, start=start,
                           end=end, label=self._label(), function=function if n else None)
            return
        if tab == FUNCTION_TAB:
            fig.clear()
            fig.set_layout_engine("constrained")
            function = self.function()
            n = max(len(questionnaires_given(function)), 1)
            fig.set_size_inches(_FIGSIZES[FUNCTION_TAB][0], 1.3 + 1.5 * n)
            lo, hi = date_nums([start, end])
            plot_function(function, program=self.program, fig=fig, xlim=(lo - 0.6, hi + 0.6))
            return
        daily, trend = self._frames(start, end)
        axes = self._axes(tab, fig)
        if tab == "Adherence":
            plot_reps_heatmap(daily, program=self._shown(), ax=axes[0])
        elif tab == "Minutes":
            plot_daily_minutes(daily, program=self.program, ax=axes[0], walk_ax=axes[1])
        elif tab == "Calendar":
            plot_adherence_calendar(daily, ax=axes[0])
        else:
            plot_pain_trend(trend, program=self.program, ax=axes[0])

    def _update(self, tab: str, start: pd.Timestamp, end: pd.Timestamp) -> bool:
        """Bring the tab's chart to a new period in place; False when it must be drawn."""
        axes = self._figures[tab].axes
        if tab == "Together":
            self._say_association(start, end)
            shown = self._shown()
            return update_dashboard(self.shown_daily(start, end), self.trend(shown.pain.window),
                                    axes, program=shown, start=start, end=end,
                                    label=self._label())
        daily, _ = self._frames(start, end)
        if tab == "Adherence":
            return update_reps_heatmap(daily, program=self._shown(), ax=axes[0])
        if tab == "Minutes":
            return update_daily_minutes(daily, program=self.program, ax=axes[0], walk_ax=axes[1])
        return False

    def _say_association(self, start: pd.Timestamp, end: pd.Timestamp) -> None:
        rows = self._analysis().between(start, end).dose_association
        lines = [html.escape(t) for t in association_lines(rows)]
        self.association.value = ("<p><b>Exercise and pain in this period</b></p><ul>"
                                  + "".join(f"<li>{t}</li>" for t in lines[:-1])
                                  + f"</ul><p><small>{lines[-1]}</small></p>")

    def _axes(self, tab: str, fig: Figure) -> list:
        """The tab's axes: made once, then cleared and reused (the layout found on the
        first drawing is kept: no layout pass, no jump of the chart)."""
        if not fig.axes:
            if tab == "Minutes":
                fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
            else:
                fig.add_subplot()
        keep = fig.axes[:2] if tab == "Minutes" else fig.axes[:1]
        for extra in fig.axes[len(keep):]:
            extra.remove()
        for ax in keep:
            ax.cla()  # a new Axes too, so that its first drawing looks like the next ones
            # cla() keeps the data limits of the last drawing: they must not widen the new
            ax.dataLim.set_points(Bbox.null().get_points())
        return keep
