"""Canonical frames -> analysis frames: adherence, pain, function, and them together.

:mod:`.adherence` (daily and weekly adherence, streaks), :mod:`.pain` (daily pain,
trailing mean, baseline, status, flares), :mod:`.combined` (one time axis, the raw
lagged correlation), :mod:`.association` (the day's program and later pain, each day
against its own week: what the report says), :mod:`.summary` (one row per patient)
and :mod:`.outcomes` (the function questionnaires scored by the rules of
:mod:`.outcome_rules`, their change from the first scored date) are frame-in,
frame-out functions; :mod:`.patient` holds one patient's (or a caseload's) analysis for
a period, each frame computed once, on first use (:func:`analyze`); :mod:`.attention`
lists a caseload's patients to look at first, by rules read from those frames
(:func:`needs_attention`). Nothing here knows matplotlib or files.
"""

from .adherence import AnalysisInputError, daily_adherence, minute_status, streaks, weekly_adherence
from .association import dose_pain_association
from .attention import needs_attention
from .combined import (
    MIN_PAIRED_DAYS,
    InsufficientDataError,
    adherence_vs_pain,
    lagged_association,
)
from .outcomes import outcomes_trend, score_outcomes
from .pain import PAIN_STATUSES, pain_daily, pain_status, pain_trend
from .patient import Analysis, analyze, as_analysis, select_patient, span_of
from .summary import summarize, summary_of

__all__ = [
    "Analysis",
    "AnalysisInputError",
    "InsufficientDataError",
    "MIN_PAIRED_DAYS",
    "PAIN_STATUSES",
    "adherence_vs_pain",
    "analyze",
    "as_analysis",
    "daily_adherence",
    "dose_pain_association",
    "lagged_association",
    "minute_status",
    "needs_attention",
    "outcomes_trend",
    "pain_daily",
    "pain_status",
    "pain_trend",
    "score_outcomes",
    "select_patient",
    "span_of",
    "streaks",
    "summarize",
    "summary_of",
    "weekly_adherence",
]
