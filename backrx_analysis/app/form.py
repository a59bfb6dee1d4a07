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
from ..program import Program, default_program

__all__ = ["LogForm"]


class LogForm(W.VBox):
    """Today's entry: exercises, minutes, walk and pain, appended to your log files.

    Each value is checked with the loaders' rules before anything is written; the
    files are only ever appended to (see :func:`bx.append_sessions`).

    Parameters
    ----------
    sessions_path, pain_path : path
        Your session and pain logs (CSV). Created with a header when missing.
    """

    def __init__(
        self,
        sessions_path: str | Path,
        pain_path: str | Path,
        *,
        program: Program | None = None,
        patient_id: str | None = None,
        today: dt.date | None = None,
    ):
        self.program = program or default_program()
        self.sessions_path = Path(sessions_path)
        self.pain_path = Path(pain_path)
        self.patient_id = patient_id
        self.day = W.DatePicker(value=today or dt.date.today(), description="Day")
        self.time = W.Text(value=dt.datetime.now().strftime("%H:%M"), description="Time",
                           placeholder="HH:MM")
        self.reps: dict[str, W.BoundedIntText] = {}
        self.sets: dict[str, W.BoundedIntText] = {}
        rows = [W.HTML("<b>Exercises</b> (repetitions per set; 0 if not done today)")]
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
                self.side = W.ToggleButtons(options=[("each leg", "both"), ("left", "left"),
                                                     ("right", "right")], value="both",
                                            style={"button_width": "70px"})
                items.append(self.side)
            rows.append(W.HBox(items))
        band, walk = self.program.exercise_minutes, self.program.walk_minutes
        self.minutes = W.BoundedFloatText(value=0, min=0, max=1440,
                                          description=f"Exercise minutes ({band})",
                                          style={"description_width": "initial"})
        self.walk = W.BoundedFloatText(value=0, min=0, max=1440,
                                       description=f"Walk minutes ({walk})",
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
        super().__init__([
            W.HBox([self.day, self.time]), *rows, self.minutes, self.walk,
            W.HBox([self.rate_pain, self.pain, self.context]), self.note, self.save, self.result,
        ])
        self.add_class("backrx-logform")

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

    def _on_save(self, *_: Any) -> None:
        try:
            sessions, pain = self.entries()
            if not sessions and not pain:
                self.result.value = "Nothing to save: enter repetitions, minutes or a pain rating."
                return
            # check everything first, so that nothing is written when anything is wrong
            if sessions:
                validate_entries(sessions, "sessions", program=self.program)
            if pain:
                validate_entries(pain, "pain")
            written = []
            if sessions:
                written.append(append_sessions(self.sessions_path, sessions, program=self.program))
            if pain:
                written.append(append_pain(self.pain_path, pain))
        except (LogValidationError, ValueError) as exc:
            problems = getattr(exc, "problems", None)
            text = (problems["problem"].tolist() if problems is not None else [str(exc)])
            items = "".join(f"<li>{html.escape(str(t))}</li>" for t in text)
            self.result.value = f"<b>Nothing was saved.</b><ul>{items}</ul>"
            return
        self.written = written
        parts = []
        for frame in written:
            shown = frame.drop(columns=[c for c in ("patient_id", "utc_offset_min", "hold_s")
                                        if c in frame.columns]).dropna(axis=1, how="all")
            parts.append(f"<p>Saved to <code>{html.escape(str(frame['source'].iloc[0]))}</code>:</p>"
                         + shown.to_html(index=False, na_rep=""))
        self.result.value = "".join(parts)
