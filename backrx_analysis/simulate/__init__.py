"""Seeded synthetic logs, written the way people really write them, at any size.

:mod:`.logs` gives whole patients' raw logs (:func:`simulate_logs`, which builds the
bundled sample) and writes them (:func:`write_csv`); :mod:`.rows` gives raw rows in
bulk for the benchmarks (:func:`simulate_sessions_rows`, :func:`simulate_pain_rows`);
:mod:`.patients` holds the simulated patients' profiles and habits, :mod:`._common`
how they write; :mod:`.apple_health` writes an Apple Health ``export.xml`` of any size
(:func:`write_apple_health_export`, for the reader's benchmark); :mod:`.histories`
gives prescription histories as a physio writes them (:func:`simulate_prescriptions`,
the dict form ``load_prescriptions`` reads: a progression after 2-3 weeks, an
exercise added, one dropped after a flare); :mod:`.outcomes` gives the function
questionnaires (ODI, RMDQ, PSFS, EARS) of simulated patients, in the sheet
``load_outcomes`` reads, following their logs (:func:`simulate_outcomes`).
"""

from .apple_health import AppleHealthExport, write_apple_health_export
from .histories import simulate_prescriptions
from .logs import (
    PAIN_RAW_COLUMNS,
    SESSIONS_RAW_COLUMNS,
    WIDE_HEADERS,
    simulate_logs,
    write_csv,
)
from .outcomes import OUTCOMES_RAW_COLUMNS, simulate_outcomes
from .rows import simulate_pain_rows, simulate_sessions_rows

__all__ = [
    "AppleHealthExport",
    "OUTCOMES_RAW_COLUMNS",
    "PAIN_RAW_COLUMNS",
    "SESSIONS_RAW_COLUMNS",
    "WIDE_HEADERS",
    "simulate_logs",
    "simulate_outcomes",
    "simulate_pain_rows",
    "simulate_prescriptions",
    "simulate_sessions_rows",
    "write_apple_health_export",
    "write_csv",
]
