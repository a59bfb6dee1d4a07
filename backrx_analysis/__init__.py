"""backrx_analysis: adherence to a low-back-pain home exercise program, next to pain.

>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample()
>>> a = bx.analyze(sessions, pain)         # every frame computed once, on first use
>>> a.summary["days"].iloc[0] == len(a.daily)
True

The kit is laid out by stage, each a subpackage (its ``__init__`` says what it
offers): the ground (:mod:`.program`, :mod:`.schema`, :mod:`.errors`), then
:mod:`.io` (files -> canonical frames, the one log writer), :mod:`.analysis`
(frames -> frames, :func:`analyze`), :mod:`.plots` (frames -> charts),
:mod:`.report` (charts and summaries -> files), :mod:`.app` (the widgets) and
:mod:`.cli` (the ``backrx`` command); :mod:`.simulate` makes synthetic logs.

Every public name below is importable from here; each is imported on first use
(PEP 562), so ``import backrx_analysis`` and ``backrx --help`` stay light.
"""

from __future__ import annotations

import importlib

from ._version import __version__

#: public name -> the module (under this package) that defines it
_HOMES = {
    "program": ("Band", "Exercise", "OutcomeRules", "PainRules", "Program", "ProgramError",
                "default_program"),
    "program_file": ("load_program",),
    "prescriptions": ("Prescriptions", "Version"),
    "prescription_file": ("load_prescriptions",),
    "schema": ("PAIN_COLUMNS", "SESSIONS_COLUMNS"),
    "errors": ("LogFormatError", "LogValidationError"),
    "io.apps": ("AppReportWarning",),
    "io.load": ("DuplicateEntriesWarning", "append_pain", "append_sessions", "check_logs",
                "load_pain", "load_sessions", "read_log"),
    "io.sample": ("load_sample", "sample_path"),
    "io.outcomes": ("check_outcomes", "load_outcomes"),
    "io.fhir": ("FhirRead", "load_fhir"),
    "io.outcome_writer": ("append_outcomes",),
    "analysis.adherence": ("AnalysisInputError", "daily_adherence", "minute_status", "streaks",
                           "weekly_adherence"),
    "analysis.combined": ("MIN_PAIRED_DAYS", "InsufficientDataError", "adherence_vs_pain",
                          "lagged_association"),
    "analysis.association": ("dose_pain_association",),
    "analysis.summary": ("summarize",),
    "analysis.attention": ("needs_attention",),
    "analysis.pain": ("PAIN_STATUSES", "pain_daily", "pain_status", "pain_trend"),
    "analysis.patient": ("Analysis", "analyze"),
    "analysis.outcomes": ("outcomes_trend", "score_outcomes"),
    "plots.dashboard": ("plot_dashboard",),
    "plots.adherence": ("plot_reps_heatmap",),
    "plots.minutes": ("plot_daily_minutes",),
    "plots.calendar": ("plot_adherence_calendar",),
    "plots.pain": ("plot_pain_trend",),
    "plots.style": ("style_context",),
    "report.export": ("export_report", "export_charts", "export_caseload"),
    "report.tables": ("export_tables",),
    "report.parallel": ("CaseloadReportError",),
    "report.fhir": ("export_fhir",),
    "app.dashboard": ("Dashboard",),
    "app.form": ("LogForm",),
    "app.questionnaire": ("QuestionnaireForm",),
}
_LAZY = {name: module for module, names in _HOMES.items() for name in names}
_SUBMODULES = ("program", "schema", "errors", "io", "analysis", "plots", "report", "app",
               "simulate", "cli")


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # once found, a plain attribute
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))
