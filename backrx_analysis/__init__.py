"""backrx_analysis: adherence to a low-back-pain home exercise program, next to pain.

>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample()
>>> a = bx.analyze(sessions, pain)         # every frame computed once, on first use
>>> a.summary["days"].iloc[0] == len(a.daily)
True
"""

from __future__ import annotations

from .program import (
    Band,
    Exercise,
    PainRules,
    Program,
    ProgramError,
    default_program,
    load_program,
)
from .schema import PAIN_COLUMNS, SESSIONS_COLUMNS

from ._version import __version__
from .errors import LogFormatError, LogValidationError  # noqa: E402
from .io.load import (  # noqa: E402
    DuplicateEntriesWarning,
    append_pain,
    append_sessions,
    check_logs,
    load_pain,
    load_sample,
    load_sessions,
    read_log,
    sample_path,
)
from .analysis.adherence import (  # noqa: E402
    AnalysisInputError,
    daily_adherence,
    minute_status,
    streaks,
    weekly_adherence,
)
from .analysis.combined import (  # noqa: E402
    MIN_PAIRED_DAYS,
    InsufficientDataError,
    adherence_vs_pain,
    lagged_association,
)
from .analysis.summary import summarize  # noqa: E402
from .analysis.pain import PAIN_STATUSES, pain_daily, pain_status, pain_trend  # noqa: E402
from .analysis.patient import Analysis, analyze  # noqa: E402

# Charts, reports and widgets load matplotlib / ipywidgets: imported on first use,
# so `import backrx_analysis` (and the `backrx` command) stays light.
_LAZY = {
    "plot_dashboard": "plots.dashboard",
    "plot_reps_heatmap": "plots.adherence",
    "plot_daily_minutes": "plots.minutes",
    "plot_adherence_calendar": "plots.calendar",
    "plot_pain_trend": "plots.pain",
    "style_context": "plots.style",
    "export_report": "report.export",
    "export_charts": "report.export",
    "export_caseload": "report.export",
    "export_tables": "report.tables",
    "Dashboard": "app.dashboard",
    "LogForm": "app.form",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
