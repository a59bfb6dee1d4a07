"""The daily-log form: today's entry, checked with the loaders' rules, appended to
the patient's own files (an ipywidgets shell over :mod:`backrx_analysis.io.writer`).

In a notebook::

    import backrx_analysis as bx
    bx.LogForm("my_sessions.csv", "my_pain.csv")
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import ipywidgets as W
import pandas as pd

from ..errors import LogValidationError
from ..io.load import append_pain, append_sessions
from ..io.writer import validate_entries
from ..plots.style import day_text
from ..prescriptions import Prescriptions
from ..program import Program, default_program

__all__ = ["LogForm"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: problem columns that are the Day and Time boxes (an entry's date or timestamp)
_TIME_COLUMNS = ("date", "time", "timestamp", "day")


class LogForm(W.VBox):
    """Today's entry: exercises, minutes, walk and pain, appended to your log files.

    Each value is checked with the loaders' rules before anything is written; the
    files are only ever appended to (see :func:`bx.append_sessions`).

    Parameters
    ----------
    sessions_path, pain_path : path
        Your session and pain logs (CSV). Created with a header when missing.
    program : Program or Prescriptions, optional
        The prescription (default: the default program). With a history
        (:func:`bx.load_prescriptions`) and a ``patient_id``, the form proposes the
        patient's version of the chosen day: its exercises, with their targets as
        the repetitions, and its minute bands; it follows the Day picker to another
        version. Without a ``patient_id``, every exercise of the history.
    patient_id : str, optional
        Written in each entry (a caseload's log), and whose prescription to propose.
    today : date, optional
        The day the form opens on (default: today).

    Examples
    --------
    >>> import datetime as dt
    >>> import backrx_analysis as bx
    >>> rx = bx.load_prescriptions(bx.sample_path("caseload_prescriptions"))
    >>> form = bx.LogForm("s.csv", "p.csv", program=rx, patient_id="P04",
    ...                   today=dt.date(2026, 3, 3))
    >>> list(form.reps)   # version 1: no wall squats yet
    ['ankle_pumps', 'abdominal_bracing', 'straight_leg_raise', 'partial_curl_up']
    >>> form.day.value = dt.date(2026, 5, 4)   # version 3: wall squats, 15 reps
    >>> form.reps["wall_squat"].value
    15
    """

    def __init__(
        self,
        sessions_path: str | Path,
        pain_path: str | Path,
        *,
        program: Program | Prescriptions | None = None,
        patient_id: str | None = None,
        today: dt.date | None = None,
    ):
        self.prescriptions = program if isinstance(program, Prescriptions) else None
        #: every exercise the form may write (a history's catalogue)
        self.catalogue = (program.catalogue if isinstance(program, Prescriptions)
                          else program or default_program())
        self.sessions_path = Path(sessions_path)
        self.pain_path = Path(pain_path)
        self.patient_id = patient_id
        self.day = W.DatePicker(value=today or dt.date.today(), description="Day")
        self.time = W.Text(value=dt.datetime.now().strftime("%H:%M"), description="Time",
                           placeholder="HH:MM")
        #: a refused day or time, said next to the Time box
        self.time_problem = W.HTML()
        self.time_problem.add_class("backrx-field-problem")
        self.reps: dict[str, W.BoundedIntText] = {}
        self.sets: dict[str, W.BoundedIntText] = {}
        self.side = W.ToggleButtons(options=[("each leg", "both"), ("left", "left"),
                                             ("right", "right")], value="both",
                                    style={"button_width": "70px"})
        self.prescription = W.HTML()  # which version of the prescription the form shows
        self.exercises = W.VBox()
        #: the program of the chosen day: the patient's version then, else the catalogue
        self.program = self._program_of(self.day.value)
        self._show_exercises()
        self.minutes = W.BoundedFloatText(value=0, min=0, max=1440,
                                          style={"description_width": "initial"})
        self.walk = W.BoundedFloatText(value=0, min=0, max=1440,
                                       style={"description_width": "initial"})
        self.rate_pain = W.Checkbox(value=True, description="Rate pain now", indent=False)
        self.pain = W.IntSlider(value=5, min=0, max=10, description="Pain 0\u201310")
        self.context = W.Dropdown(options=["morning", "after exercise", "evening", "night", "other"],
                                  value="morning", description="When")
        self.note = W.Textarea(placeholder="anything you want to remember (optional)",
                               description="Note")
        self.save = W.Button(description="Save today's entry", button_style="success", icon="save",
                             layout=W.Layout(width="auto"))
        self.result = W.HTML()
        self.save.on_click(self._on_save)
        self._show_bands()
        self.day.observe(self._on_day, names="value")
        super().__init__([
            W.HBox([self.day, self.time, self.time_problem]), self.prescription, self.exercises, self.minutes,
            self.walk,
            W.HBox([self.rate_pain, self.pain, self.context]), self.note, self.save, self.result,
        ])
        self.add_class("backrx-logform")

    # -- the day's prescription ---------------------------------------------------------

    def _program_of(self, day: dt.date | None) -> Program:
        """The program the form proposes for ``day``: with a history and a patient, the
        version shown on that day (:meth:`Prescriptions.shown`), else the catalogue."""
        if self.prescriptions is not None and self.patient_id:
            return self.prescriptions.shown(self.patient_id, day)
        return self.catalogue

    def _show_exercises(self) -> None:
        """A row per exercise of ``self.program``, its target as the proposed reps."""
        self.reps, self.sets = {}, {}
        rows: list[W.Widget] = [
            W.HTML("<b>Exercises</b> (repetitions per set; 0 if not done today)")]
        for e in self.program.exercises:
            self.reps[e.id] = W.BoundedIntText(value=e.target_reps, min=0, max=1000,
                                               description="reps", layout=W.Layout(width="150px"))
            self.sets[e.id] = W.BoundedIntText(value=1, min=1, max=100, description="sets",
                                               layout=W.Layout(width="150px"))
            hold = f", hold {e.hold_s:g} s" if e.hold_s else ""
            side = " each leg" if e.per_side else ""
            items = [W.Label(f"{e.name} (target {e.target_reps}{side}{hold})",
                             layout=W.Layout(width="330px")), self.reps[e.id], self.sets[e.id]]
            if e.per_side:
                items.append(self.side)
            rows.append(W.HBox(items))
        self.exercises.children = rows
        self.prescription.value = self._prescription_text(self.day.value)

    def _show_bands(self) -> None:
        band, walk = self.program.exercise_minutes, self.program.walk_minutes
        self.minutes.description = f"Exercise minutes ({band})"
        self.walk.description = f"Walk minutes ({walk})"

    def _on_day(self, change: dict) -> None:
        program = self._program_of(change["new"])
        if program != self.program:  # another version: its exercises and targets
            self.program = program
            self._show_exercises()
            self._show_bands()
        else:
            self.prescription.value = self._prescription_text(change["new"])

    def _prescription_text(self, day: dt.date | None) -> str:
        rx, pid = self.prescriptions, self.patient_id
        if rx is None:
            return ""
        if not pid:
            return ("Every exercise of the prescriptions (give <code>patient_id=</code> to "
                    "see one patient's prescription of the day).")
        who = html.escape(str(pid))
        versions = rx.versions(pid)
        if not versions:
            return f"{who}: the default program (no prescription history)."
        v = rx.in_force(pid, day) if day is not None else None
        if v is None:
            first = versions[0]
            if day is not None and day < first.start:
                return (f"{who}: nothing prescribed before {day_text(first.start)}; "
                        f"the form shows version {len(versions)}, the latest.")
            return f"{who}: no prescription in force on this day."
        text = f"{who}: prescription version {v.number}, since {day_text(v.start)}"
        if v.days is not None:
            text += f", {', '.join(_WEEKDAYS[d] for d in sorted(v.days))} only"
            if day.weekday() not in v.days:
                text += (f"; nothing prescribed on {_WEEKDAYS[day.weekday()]}s, log what you "
                         "did anyway")
        if v.why:
            text += f" ({html.escape(v.why)})"
        return text + "."

    # -- the entry ----------------------------------------------------------------------

    def _when(self) -> str:
        if self.day.value is None:
            raise LogValidationError(pd.DataFrame([{
                "file": "<form>", "line": pd.NA, "column": "Day", "value": "",
                "problem": "choose the day of this entry"}]))
        text = self.time.value.strip()
        if not text:
            return self.day.value.isoformat()
        if not re.fullmatch(r"\d{1,2}:\d{2}", text):
            return f"{self.day.value.isoformat()} {text}"  # the loader says what is wrong
        hh, mm = (int(x) for x in text.split(":"))
        local = dt.datetime.now().astimezone().tzinfo
        try:
            when = dt.datetime.combine(self.day.value, dt.time(hh, mm), tzinfo=local)
        except ValueError:
            return f"{self.day.value.isoformat()} {text}"
        return when.isoformat(timespec="minutes")

    def entries(self) -> tuple[list[dict], list[dict]]:
        """(session entries, pain entries) the form holds now."""
        when = self._when()
        base = {"timestamp": when}
        if self.patient_id:
            base["patient_id"] = self.patient_id
        sessions: list[dict] = []
        for e in self.program.exercises:
            reps = int(self.reps[e.id].value)
            if reps <= 0:
                continue
            entry = dict(base, exercise=e.id, reps=reps, sets=int(self.sets[e.id].value))
            if e.per_side:
                entry["side"] = self.side.value
            sessions.append(entry)
        if self.minutes.value:
            sessions.append(dict(base, exercise="session", minutes=float(self.minutes.value)))
        if self.walk.value:
            sessions.append(dict(base, exercise="walk", minutes=float(self.walk.value)))
        pain = []
        if self.rate_pain.value:
            pain.append(dict(base, pain=float(self.pain.value), context=self.context.value))
        note = self.note.value.strip()
        if note:  # the day's note goes with its first entry
            (sessions or pain or [{}])[0]["notes"] = note
        return sessions, pain

    def _say_problems(self, problems: pd.DataFrame | None, text: str) -> None:
        """Nothing was saved: each problem once; a refused day or time next to the
        Time box (every entry of the day carries it), the rest under Save."""
        if problems is None:
            said = [("", text)]
        else:
            said = list(dict.fromkeys(zip(problems["column"].astype(str),
                                          problems["problem"].astype(str), strict=True)))
        at_time = [p for c, p in said if c.casefold() in _TIME_COLUMNS]
        rest = [p for c, p in said if c.casefold() not in _TIME_COLUMNS]
        self.time_problem.value = ("" if not at_time else "<span style='color:#b00020'>"
                                   + html.escape("; ".join(at_time)) + "</span>")
        items = "".join(f"<li>{html.escape(t)}</li>" for t in rest)
        self.result.value = ("<b>Nothing was saved.</b>"
                             + (" The day or time is refused (next to the Time box)."
                                if at_time else "") + (f"<ul>{items}</ul>" if rest else ""))

    def _on_save(self, *_: Any) -> None:
        try:
            sessions, pain = self.entries()
            if not sessions and not pain:
                self.result.value = "Nothing to save: enter repetitions, minutes or a pain rating."
                return
            # check everything first, so that nothing is written when anything is wrong
            if sessions:
                validate_entries(sessions, "sessions", program=self.catalogue)
            if pain:
                validate_entries(pain, "pain")
            written = []
            if sessions:
                written.append(append_sessions(self.sessions_path, sessions,
                                               program=self.catalogue))
            if pain:
                written.append(append_pain(self.pain_path, pain))
        except (LogValidationError, ValueError) as exc:
            self._say_problems(getattr(exc, "problems", None), str(exc))
            return
        self.time_problem.value = ""
        self.written = written
        parts = []
        for frame in written:
            shown = frame.drop(columns=[c for c in ("patient_id", "utc_offset_min", "hold_s")
                                        if c in frame.columns]).dropna(axis=1, how="all")
            parts.append(f"<p>Saved to <code>{html.escape(str(frame['source'].iloc[0]))}</code>:</p>"
                         + shown.to_html(index=False, na_rep=""))
        self.result.value = "".join(parts)
