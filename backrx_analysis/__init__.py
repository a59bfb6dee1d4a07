"""backrx_analysis: adherence to a low-back-pain home exercise program, next to pain.

>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample()
>>> daily = bx.daily_adherence(sessions)          # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

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

try:
    __version__ = version("backrx-analysis")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0+unknown"

# -- io (loading, validation, writing) ---------------------------------------------
# -- analytics ---------------------------------------------------------------------
from .errors import LogFormatError, LogValidationError  # noqa: E402
from .io import check_logs, load_pain, load_sample, load_sessions, sample_path  # noqa: E402
