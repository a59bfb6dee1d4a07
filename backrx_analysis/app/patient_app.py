"""The app a patient opens (`make app`): the dashboard, the daily log form and the
questionnaire form as three tabs over the same files, with the files named.

An ipywidgets shell like the others: the files are read with the loaders
(:func:`~backrx_analysis.io.load.load_sessions`, ...), checked with
:func:`~backrx_analysis.io.load.check_logs` when they do not load, and the forms
write through the one writer; the :class:`~backrx_analysis.app.dashboard.Dashboard`
asks the library for everything it shows.

>>> import backrx_analysis as bx
>>> from backrx_analysis.app import PatientApp
>>> app = PatientApp()                  # the bundled sample, in a practice copy
>>> app.tab_names
('Dashboard', 'Log today', 'Questionnaires')
>>> app.dashboard is not None
True
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import tempfile
from pathlib import Path
from typing import Any

import ipywidgets as W
import pandas as pd

from ..errors import LogFormatError, LogValidationError
from ..io.load import check_logs, load_pain, load_sessions
from ..io.outcomes import check_outcomes, load_outcomes
from ..io.sample import sample_path
from .dashboard import Dashboard
from .form import LogForm
from .questionnaire import QuestionnaireForm

__all__ = ["PatientApp", "APP_TABS"]

#: The app's tabs, in order.
APP_TABS = ("Dashboard", "Log today", "Questionnaires")
_PROBLEM_COLUMNS = ["file", "line", "column", "value", "problem"]


def _stamp(path: Path | None) -> tuple | None:
    """What tells that a file changed: its size and modification time (None: missing)."""
    try:
        st = path.stat() if path is not None else None
    except OSError:
        return None
    return None if st is None else (st.st_size, st.st_mtime_ns)


def _code(path: Path | None) -> str:
    return "(none)" if path is None else f"<code>{html.escape(str(path))}</code>"


class PatientApp(W.VBox):
    """The dashboard next to the forms that add to it, over one patient's files.

    Parameters
    ----------
    sessions_path, pain_path : path, optional
        The exercise and pain logs (any format the loaders read; the forms append
        CSV rows). Leave both out for the bundled 12-week sample, copied for
        practice into a new temporary folder (``practice_dir``): what is saved
        there never touches the sample, and goes when the folder is removed.
    outcomes_path : path, optional
        The questionnaire sheet; default ``questionnaires.csv`` next to the
        exercise log (read when it exists, created by the first questionnaire saved).
    dayfirst : bool, optional
        Dates written day first (``02/03/2026`` = 2 March), as the loaders take it.
    patient_label : str, optional
        How the patient is named on the charts and the reports.
    export_dir : path, optional
        Where *Export for clinician* writes (default ``exports/`` next to the logs).

    The parts are attributes: ``tabs`` (the three tabs), ``files`` (which files are
    read and written), ``dashboard`` (None while the logs have problems),
    ``problems`` (the table of them, :func:`bx.check_logs`'s columns, empty when
    the logs load), ``log_form`` and ``questionnaire_form``.
    """

    def __init__(
        self,
        sessions_path: str | Path | None = None,
        pain_path: str | Path | None = None,
        *,
        outcomes_path: str | Path | None = None,
        dayfirst: bool | None = None,
        patient_label: str | None = None,
        export_dir: str | Path | None = None,
    ):
        if (sessions_path is None) != (pain_path is None):
            raise ValueError("give both sessions_path and pain_path, or neither (the sample)")
        #: the folder of the sample's practice copy, or None for the patient's own files
        self.practice_dir: Path | None = None
        if sessions_path is None:
            self.practice_dir = Path(tempfile.mkdtemp(prefix="backrx-practice-"))
            copies = {}
            for kind in ("sessions", "pain", "outcomes"):
                src = Path(sample_path(kind))
                copies[kind] = self.practice_dir / src.name
                shutil.copyfile(src, copies[kind])
            sessions_path, pain_path = copies["sessions"], copies["pain"]
            outcomes_path = outcomes_path or copies["outcomes"]
        self.sessions_path = Path(sessions_path).resolve()
        self.pain_path = Path(pain_path).resolve()
        self.outcomes_path = (Path(outcomes_path) if outcomes_path is not None
                              else self.sessions_path.parent / "questionnaires.csv").resolve()
        self.dayfirst = dayfirst
        self.patient_label = patient_label
        self.export_dir = (Path(export_dir) if export_dir is not None
                           else self.sessions_path.parent / "exports")
        self.tab_names = APP_TABS
        self.dashboard: Dashboard | None = None
        self.problems = pd.DataFrame(columns=_PROBLEM_COLUMNS)
        self.loaded = ""  # what was read, in words
        self._stamps: tuple = ()
        self._day = dt.date.today()

        self.files = W.HTML()
        self.files.add_class("backrx-files")
        self.view = W.VBox()  # the dashboard, or the problems table
        self.view.add_class("backrx-view")
        # the forms are made when their tab is first opened (or asked for): the page
        # first shows the dashboard, with a third of the widgets to send and draw
        self._forms: dict[str, W.Widget] = {}
        self._form_tabs = {APP_TABS[1]: W.VBox(), APP_TABS[2]: W.VBox()}
        self.tabs = W.Tab(children=[self.view, *self._form_tabs.values()],
                          titles=list(APP_TABS))
        self.tabs.add_class("backrx-app-tabs")
        self.tabs.observe(self._on_tab, names="selected_index")
        super().__init__([self.files, self.tabs])
        self.add_class("backrx-app")
        self._show_files()
        self.reload()
        # the page tells the kernel when it shows the app (ipywidgets' view count):
        # a kernel Voila prepared before the page was asked for (preheat_kernel)
        # then brings itself to now (refresh), whenever that is
        self._shown = False
        self._view_count = 0
        self.observe(self._on_view_count, names="_view_count")

    # -- the forms ----------------------------------------------------------------------
    @property
    def log_form(self) -> LogForm:
        """The daily log form (made on first use), appending to the two logs."""
        if APP_TABS[1] not in self._forms:
            form = LogForm(self.sessions_path, self.pain_path, today=self._day)
            self._add_form(APP_TABS[1], form)
        return self._forms[APP_TABS[1]]

    @property
    def questionnaire_form(self) -> QuestionnaireForm:
        """The questionnaire form (made on first use), appending to the sheet."""
        if APP_TABS[2] not in self._forms:
            self._add_form(APP_TABS[2], QuestionnaireForm(self.outcomes_path, today=self._day))
        return self._forms[APP_TABS[2]]

    def _add_form(self, tab: str, form: W.Widget) -> None:
        form.save.on_click(self._after_save)  # runs after the form's own handler
        self._forms[tab] = form
        self._form_tabs[tab].children = [form]

    def _on_tab(self, change: dict) -> None:
        name = APP_TABS[change["new"] or 0]
        if name == APP_TABS[1]:
            self.log_form  # noqa: B018 - made when first shown
        elif name == APP_TABS[2]:
            self.questionnaire_form  # noqa: B018

    # -- the files ----------------------------------------------------------------------
    def _paths(self) -> tuple[Path, Path, Path]:
        return self.sessions_path, self.pain_path, self.outcomes_path

    def _show_files(self) -> None:
        s, p, o = (_code(x) for x in self._paths())
        text = (f"<b>Reading</b> the exercise log {s}, the pain log {p} and the "
                f"questionnaires {o}{'' if self.outcomes_path.exists() else ' (none yet)'}. "
                f"<b>Log today</b> adds your day to the exercise and pain logs, "
                f"<b>Questionnaires</b> adds a visit's answers to the questionnaire sheet: "
                f"each only ever appends (nothing in your files is rewritten or deleted), "
                f"and writes nothing when a value is refused. <i>Export for clinician</i> "
                f"writes into {_code(self.export_dir)}.")
        if self.practice_dir is not None:
            text = ("<b>This is the bundled 12-week sample</b>, copied for practice into "
                    f"{_code(self.practice_dir)}: what you save goes into that copy only. "
                    "To use your own logs, give their paths in the notebook's first cell."
                    "<br>" + text)
        self.files.value = text

    def _read(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
        """The logs (and questionnaires, None when there are none), or LogFormatError /
        LogValidationError / OSError / ValueError when they do not load."""
        sessions = load_sessions(self.sessions_path, dayfirst=self.dayfirst)
        pain = load_pain(self.pain_path, dayfirst=self.dayfirst)
        outcomes = (load_outcomes(self.outcomes_path, dayfirst=self.dayfirst)
                    if self.outcomes_path.exists() else None)
        return sessions, pain, outcomes

    def _problems(self, exc: Exception) -> pd.DataFrame:
        """Every problem of the files (the loaders' checks), or the error itself."""
        frames = [check_logs(self.sessions_path, kind="sessions", dayfirst=self.dayfirst),
                  check_logs(self.pain_path, kind="pain", dayfirst=self.dayfirst)]
        if self.outcomes_path.exists():
            frames.append(check_outcomes(self.outcomes_path, dayfirst=self.dayfirst))
        found = pd.concat([f[_PROBLEM_COLUMNS] for f in frames if len(f)], ignore_index=True) \
            if any(len(f) for f in frames) else pd.DataFrame(columns=_PROBLEM_COLUMNS)
        if not len(found):
            found = pd.DataFrame([{"file": "", "line": pd.NA, "column": "", "value": "",
                                   "problem": f"{type(exc).__name__}: {exc}"}])
        return found

    # -- showing them -------------------------------------------------------------------
    def reload(self) -> None:
        """Read the files again and show them: the dashboard (a new one, on the tab it
        showed) or, when they do not load, the table of their problems."""
        self._stamps = tuple(_stamp(p) for p in self._paths())
        try:
            sessions, pain, outcomes = self._read()
            if not len(sessions) and not len(pain):
                raise ValueError("the logs hold no entries yet: save your first day in "
                                 "the 'Log today' tab")
            labels = ({pid: self.patient_label for pid in sessions["patient_id"].unique()}
                      if self.patient_label else None)
            dashboard = Dashboard(sessions, pain, outcomes=outcomes, export_dir=self.export_dir,
                                  patient_labels=labels)
        except (LogFormatError, LogValidationError, OSError, ValueError) as exc:
            self.problems = self._problems(exc)
            self._close_dashboard()
            self.view.children = [self._problems_view()]
            self.loaded = f"the logs did not load: {len(self.problems)} problem(s)"
            return
        old = self.dashboard
        if old is not None:  # the same tab as before
            name = old.tab_names[old.tabs.selected_index or 0]
            if name in dashboard.tab_names:
                dashboard.tabs.selected_index = dashboard.tab_names.index(name)
        self._close_dashboard()
        self.dashboard = dashboard
        self.problems = pd.DataFrame(columns=_PROBLEM_COLUMNS)
        self.view.children = [dashboard]
        n_q = (outcomes.groupby(["date", "questionnaire"], observed=True).ngroups
               if outcomes is not None else 0)
        self.loaded = (f"{len(sessions)} exercise entries and {len(pain)} pain ratings "
                       f"loaded" + (f", {n_q} questionnaires" if n_q else ""))
        self._show_files()

    def _problems_view(self) -> W.HTML:
        shown = self.problems.astype(object).where(self.problems.notna(), "")
        table = shown.to_html(index=False, escape=True)
        box = W.HTML("<p><b>The dashboard cannot be shown: your files have problems.</b> "
                     "Fix them in the file (the line is the one your editor shows), "
                     "then reload the page. The forms still save new days.</p>" + table)
        box.add_class("backrx-problems")
        return box

    def _close_dashboard(self) -> None:
        """Close the dashboard shown (its widgets, so the browser lets them go)."""
        if self.dashboard is None:
            return
        stack: list[Any] = [self.dashboard]
        while stack:
            w = stack.pop()
            stack.extend(getattr(w, "children", ()))
            w.close()
        self.dashboard = None

    def changed(self) -> bool:
        """Whether a file changed (size, time, created or removed) since it was read."""
        return tuple(_stamp(p) for p in self._paths()) != self._stamps

    def refresh(self) -> bool:
        """Bring the app to now: the forms to today's date and time, and the files read
        again when they changed since. Run when a page first shows the app (so a
        kernel Voila prepared earlier, ``preheat_kernel``, shows today's files). True
        when the files were read again."""
        today = dt.date.today()
        if today != self._day:  # the forms opened on another day: move them to today
            self._day = today
            for form in self._forms.values():
                form.day.value = today
        if APP_TABS[1] in self._forms:
            self.log_form.time.value = dt.datetime.now().strftime("%H:%M")
        if self.changed():
            self.reload()
            return True
        return False

    def _on_view_count(self, change: dict) -> None:
        if change["new"] and not self._shown:  # the first page that shows the app
            self._shown = True
            self.refresh()

    def _after_save(self, _button: Any) -> None:
        """After a form's save: show the new entries (nothing, when nothing was saved)."""
        if self.changed():
            self.reload()
