"""The public ``bx.*`` names: every one that existed before the wings were laid out
still works, with the same object as its home module's, and ``dir(bx)`` lists them."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import backrx_analysis as bx

#: ``dir(backrx_analysis)`` of the last release before the subpackages (commit fd7333d),
#: less the modules and the accidental ``annotations``/``version``/``PackageNotFoundError``.
BEFORE = [
    "AnalysisInputError", "Band", "Dashboard", "DuplicateEntriesWarning", "Exercise",
    "InsufficientDataError", "LogForm", "LogFormatError", "LogValidationError",
    "MIN_PAIRED_DAYS", "PAIN_COLUMNS", "PAIN_STATUSES", "PainRules", "Program", "ProgramError",
    "SESSIONS_COLUMNS", "adherence_vs_pain", "append_pain", "append_sessions", "check_logs",
    "daily_adherence", "default_program", "export_caseload", "export_charts", "export_report",
    "export_tables", "lagged_association", "load_pain", "load_program", "load_sample",
    "load_sessions", "minute_status", "pain_daily", "pain_status", "pain_trend",
    "plot_adherence_calendar", "plot_daily_minutes", "plot_dashboard", "plot_pain_trend",
    "plot_reps_heatmap", "read_log", "sample_path", "streaks", "style_context", "summarize",
    "weekly_adherence", "__version__",
]
#: Added with the wings.
NEW = ["Analysis", "analyze", "append_outcomes", "QuestionnaireForm", "dose_pain_association",
       "needs_attention", "export_fhir", "load_fhir", "FhirRead"]

#: Where each name lives now (the wing's module that defines it).
HOME = {
    "daily_adherence": "analysis.adherence", "summarize": "analysis.summary",
    "lagged_association": "analysis.combined", "pain_trend": "analysis.pain",
    "dose_pain_association": "analysis.association", "needs_attention": "analysis.attention",
    "analyze": "analysis.patient", "load_sessions": "io.load", "append_pain": "io.load",
    "plot_dashboard": "plots.dashboard", "plot_daily_minutes": "plots.minutes",
    "plot_reps_heatmap": "plots.adherence", "plot_adherence_calendar": "plots.calendar",
    "plot_pain_trend": "plots.pain", "style_context": "plots.style",
    "export_report": "report.export", "export_tables": "report.tables",
    "export_fhir": "report.fhir", "load_fhir": "io.fhir",
    "Dashboard": "app.dashboard", "LogForm": "app.form", "Program": "program",
    "LogValidationError": "errors", "SESSIONS_COLUMNS": "schema",
}


@pytest.mark.parametrize("name", BEFORE + NEW)
def test_name_is_there(name):
    assert getattr(bx, name) is not None
    assert name in dir(bx)


@pytest.mark.parametrize("name", sorted(HOME))
def test_name_is_its_home_modules(name):
    module = importlib.import_module(f"backrx_analysis.{HOME[name]}")
    assert getattr(bx, name) is getattr(module, name)


def test_wings_offer_their_public_names():
    for wing in ("io", "analysis", "plots", "report", "app", "simulate"):
        module = importlib.import_module(f"backrx_analysis.{wing}")
        missing = [n for n in module.__all__ if not hasattr(module, n)]
        assert missing == [], (wing, missing)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'plot_everything'"):
        bx.plot_everything  # noqa: B018


def test_import_leaves_pandas_charts_widgets_and_scipy_for_later():
    code = ("import sys, backrx_analysis; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'ipywidgets', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_help_answers_without_the_library():
    code = ("import sys\nfrom backrx_analysis.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert "usage: backrx" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"
