"""The questionnaire form: a visit's ODI, RMDQ, PSFS and EARS answers, checked with
the loader's rules and appended to the patient's questionnaire sheet (an ipywidgets
shell over :func:`~backrx_analysis.io.outcome_writer.append_outcomes`; the score shown
after a save is :func:`~backrx_analysis.analysis.outcomes.score_outcomes`'s).

The licensed wording of the questionnaires is not shipped: the form has a box per
section, statement or item, numbered as on the paper form the patient fills in.

In a notebook::

    import backrx_analysis as bx
    bx.QuestionnaireForm("my_questionnaires.csv")
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import ipywidgets as W
import pandas as pd

from ..analysis.outcomes import score_outcomes
from ..errors import LogFormatError, LogValidationError
from ..io.outcome_fields import ITEM_MAX, LABEL, N_ITEMS, QUESTIONNAIRES
from ..io.outcome_writer import append_outcomes
from ..io.outcomes import load_outcomes
from ..program import Program

__all__ = ["QuestionnaireForm", "ODI_SECTIONS"]

#: The ODI 2.1a section headings (the topics; the statements are not shipped).
ODI_SECTIONS = ("pain intensity", "personal care", "lifting", "walking", "sitting",
                "standing", "sleeping", "sex life", "social life", "travelling")
_BLANK = ("\u2013", None)


def _choices(high: int) -> list[tuple[str, Any]]:
    return [_BLANK, *((str(i), i) for i in range(high + 1))]


class QuestionnaireForm(W.VBox):
    """A visit's questionnaires (a tab each), appended to a questionnaire sheet.

    Fill in the questionnaires given at the visit; leave the others blank (a
    questionnaire is recorded only when one of its boxes is filled). Saving checks
    everything with the loader's rules first and writes nothing when anything is
    refused; the sheet is only ever appended to.

    Parameters
    ----------
    path : path
        The questionnaire sheet (CSV; created with a header when missing).
    patient_id : str, optional
        Written in each entry (a caseload's sheet); whose earlier PSFS activities to
        propose.
    today : date, optional
        The visit's day (default: today).
    program : Program or Prescriptions, optional
        Its ``outcomes`` rules score what was saved (default program).
    questionnaires : sequence of str
        The tabs, from ``odi``, ``rmdq``, ``psfs``, ``ears`` (default all).

    The boxes are attributes (``odi``, ``rmdq``, ``psfs_activity``, ``psfs_score``,
    ``ears``: lists, item 1 first), so scripts and tests fill them as a person does.

    Examples
    --------
    >>> import datetime as dt, tempfile, pathlib
    >>> import backrx_analysis as bx
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "questionnaires.csv"
    >>> form = bx.QuestionnaireForm(sheet, today=dt.date(2026, 3, 2))
    >>> for box, answer in zip(form.ears, [1, 3, 4, 0, 2, 1]):
    ...     box.value = answer
    >>> form.save.click()
    >>> form.scored[["questionnaire", "score"]].to_dict("records")
    [{'questionnaire': 'ears', 'score': 19.0}]
    """

    def __init__(self, path: str | Path, *, patient_id: str | None = None,
                 today: dt.date | None = None, program: Program | None = None,
                 questionnaires: tuple[str, ...] = QUESTIONNAIRES):
        unknown = [q for q in questionnaires if q not in QUESTIONNAIRES]
        if unknown:
            raise ValueError(f"unknown questionnaires {unknown}; choose from {QUESTIONNAIRES}")
        self.path = Path(path)
        self.patient_id = patient_id
        self.program = program
        self.questionnaires = tuple(questionnaires)
        self.day = W.DatePicker(value=today or dt.date.today(), description="Visit day")
        wide = {"description_width": "initial"}
        self.odi = [W.Dropdown(options=_choices(ITEM_MAX["odi"]), value=None, style=wide,
                               description=f"{i}. {s}", layout=W.Layout(width="260px"))
                    for i, s in enumerate(ODI_SECTIONS, start=1)]
        self.rmdq = [W.ToggleButtons(options=[("\u2013", ""), ("yes", "yes"), ("no", "no")],
                                     value="", description=f"{i}", style={
                                         "button_width": "42px", "description_width": "24px"})
                     for i in range(1, N_ITEMS["rmdq"] + 1)]
        self.psfs_activity = [W.Text(placeholder="an activity you find hard", description=f"{i}.",
                                     layout=W.Layout(width="340px"))
                              for i in range(1, N_ITEMS["psfs"] + 1)]
        self.psfs_score = [W.Dropdown(options=_choices(ITEM_MAX["psfs"]), value=None,
                                      description="0\u201310", layout=W.Layout(width="150px"))
                           for _ in range(N_ITEMS["psfs"])]
        self.ears = [W.Dropdown(options=_choices(ITEM_MAX["ears"]), value=None,
                                description=f"Item {i}", layout=W.Layout(width="180px"))
                     for i in range(1, N_ITEMS["ears"] + 1)]
        self._propose_activities()
        pages = {
            "odi": W.VBox([W.HTML("Oswestry Disability Index: the box ticked in each section "
                                  "(0 = the first statement \u2026 5 = the last; two ticked: "
                                  "the higher)."),
                           W.GridBox(self.odi, layout=W.Layout(
                               grid_template_columns="repeat(2, 270px)"))]),
            "rmdq": W.VBox([W.HTML("Roland-Morris: each numbered statement, yes if it "
                                   "applies today (leave \u2013 where not answered)."),
                            W.GridBox(self.rmdq, layout=W.Layout(
                                grid_template_columns="repeat(3, 190px)"))]),
            "psfs": W.VBox([W.HTML("Patient-Specific Functional Scale: up to 5 activities, "
                                   "each 0 (unable) to 10 (as before). Keep the names of "
                                   "earlier visits, so the same activities are compared."),
                            *(W.HBox([a, s]) for a, s in zip(self.psfs_activity,
                                                            self.psfs_score, strict=True))]),
            "ears": W.VBox([W.HTML("Exercise Adherence Rating Scale: items 1\u20136, "
                                   "0\u20134 as on the form (items 1, 4 and 6 are "
                                   "reverse-scored when scored)."),
                            W.GridBox(self.ears, layout=W.Layout(
                                grid_template_columns="repeat(3, 190px)"))]),
        }
        self.tabs = W.Tab(children=[pages[q] for q in self.questionnaires],
                          titles=[LABEL[q] for q in self.questionnaires])
        self.save = W.Button(description="Save the questionnaires", button_style="success",
                             icon="save", layout=W.Layout(width="auto"))
        self.result = W.HTML()
        self.save.on_click(self._on_save)
        #: the scores of the last save (:func:`score_outcomes`), or None
        self.scored: pd.DataFrame | None = None
        super().__init__([self.day, self.tabs, self.save, self.result])
        self.add_class("backrx-questionnaireform")

    def _propose_activities(self) -> None:
        """The patient's PSFS activities of the last visit, so that the same ones are
        scored again."""
        if not self.path.exists():
            return
        try:
            known = load_outcomes(self.path, patient_id=self.patient_id)
        except (LogValidationError, LogFormatError, ValueError):
            return  # the sheet has problems: the save will say what they are
        psfs = known[(known["questionnaire"] == "psfs") & known["activity"].notna()]
        if self.patient_id:
            psfs = psfs[psfs["patient_id"] == self.patient_id]
        if not len(psfs):
            return
        last = psfs[psfs["date"] == psfs["date"].max()].sort_values("item")
        for item, name in zip(last["item"], last["activity"], strict=True):
            if 1 <= int(item) <= len(self.psfs_activity):
                self.psfs_activity[int(item) - 1].value = str(name)

    def entry(self) -> dict[str, object]:
        """The sheet row the form holds now (blank boxes left out)."""
        row: dict[str, object] = {"date": self.day.value}
        if self.patient_id:
            row["patient_id"] = self.patient_id
        shown = set(self.questionnaires)
        boxes = {"odi": self.odi, "rmdq": self.rmdq, "ears": self.ears}
        for q, items in boxes.items():
            if q in shown:
                row.update({f"{q}_{i}": b.value for i, b in enumerate(items, start=1)
                            if b.value not in (None, "")})
        if "psfs" in shown:
            for i, (a, s) in enumerate(zip(self.psfs_activity, self.psfs_score, strict=True),
                                       start=1):
                if s.value is not None:  # an activity without a score is not answered
                    row[f"psfs_activity_{i}"] = a.value.strip()
                    row[f"psfs_score_{i}"] = s.value
        return row

    def _on_save(self, *_: Any) -> None:
        row = self.entry()
        if len(row) <= 1 + bool(self.patient_id):
            self.result.value = "Nothing to save: fill in at least one questionnaire."
            return
        if self.day.value is None:
            self.result.value = "<b>Nothing was saved.</b> Choose the visit's day."
            return
        try:
            written = append_outcomes(self.path, [row])
        except (LogValidationError, LogFormatError, ValueError) as exc:
            problems = getattr(exc, "problems", None)
            text = ([f"{c}: {p}" for c, p in zip(problems["column"], problems["problem"],
                                                 strict=True)]
                    if problems is not None else [str(exc)])
            items = "".join(f"<li>{html.escape(str(t))}</li>" for t in text)
            self.result.value = f"<b>Nothing was saved.</b><ul>{items}</ul>"
            return
        self.written = written
        self.scored = score_outcomes(written, program=self.program)
        lines = []
        for r in self.scored.itertuples(index=False):
            what = (f"{r.score:g}" + (f" ({r.rule})" if isinstance(r.rule, str) and r.rule else "")
                    if r.scored else f"not scored: {r.why_not}")
            lines.append(f"<li>{LABEL[str(r.questionnaire)]}: {html.escape(what)}</li>")
        line = int(written["source_line"].iloc[0])
        self.result.value = (f"<p>Saved to <code>{html.escape(str(self.path))}</code>, line "
                             f"{line}:</p><ul>{''.join(lines)}</ul>")
