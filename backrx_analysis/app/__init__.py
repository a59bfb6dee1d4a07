"""ipywidgets shells over the library: no analysis inside.

:mod:`.dashboard` is :class:`Dashboard` (the tabs of charts for a patient and a
period, with export buttons); :mod:`.form` is :class:`LogForm` (the daily log form,
which writes through :mod:`backrx_analysis.io.writer`); :mod:`.questionnaire` is
:class:`QuestionnaireForm` (a visit's ODI, RMDQ, PSFS and EARS, appended to the
questionnaire sheet through :mod:`backrx_analysis.io.outcome_writer`).
"""

from .dashboard import TABS, Dashboard
from .form import LogForm
from .questionnaire import QuestionnaireForm

__all__ = ["TABS", "Dashboard", "LogForm", "QuestionnaireForm"]
