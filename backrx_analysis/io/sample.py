"""The bundled sample logs: where they are and the frames they load into.

``sample_data/README.md`` describes them (12 weeks of one simulated patient, a
five-patient caseload and its prescription histories, a wide spreadsheet, the
function questionnaires of both), made by
``scripts/make_sample_data.py``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from .load import load_pain, load_sessions

__all__ = ["sample_path", "load_sample"]

_SAMPLES = {
    "sessions": "sessions.csv",
    "pain": "pain.csv",
    "caseload_sessions": "caseload_sessions.csv",
    "caseload_pain": "caseload_pain.csv",
    "wide_sessions": "wide_sessions.xlsx",
    "multi_exercises": "multi_exercises.csv",
    "multi_apple_health": "multi_apple_health.zip",
    "multi_pain_tracker": "multi_pain_tracker.json",
    "caseload_prescriptions": "caseload_prescriptions.toml",
    "prescriptions": "prescriptions.toml",
    "outcomes": "outcomes.csv",
    "caseload_outcomes": "caseload_outcomes.csv",
}



def sample_path(name: str = "sessions") -> Path:
    """Path of a bundled sample file: ``sessions``, ``pain``, ``caseload_sessions``,
    ``caseload_pain``, ``wide_sessions``, or the three-source set ``multi_exercises``,
    ``multi_apple_health`` and ``multi_pain_tracker``, or the caseload's prescription
    histories ``caseload_prescriptions`` (read with ``load_prescriptions``), or the
    function questionnaires ``outcomes`` and ``caseload_outcomes`` (read with
    ``load_outcomes``; see sample_data/README.md)."""
    if name not in _SAMPLES:
        raise ValueError(f"unknown sample {name!r}; available: {', '.join(_SAMPLES)}")
    return Path(str(resources.files("backrx_analysis.sample_data").joinpath(_SAMPLES[name])))


def load_sample(caseload: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled sample: 12 weeks of one patient's sessions and pain
    (``caseload=True``: five patients), as canonical frames.

    Examples
    --------
    >>> import backrx_analysis as bx
    >>> sessions, pain = bx.load_sample()
    >>> sessions["patient_id"].nunique(), pain["patient_id"].nunique()
    (1, 1)
    """
    if caseload:
        return (load_sessions(sample_path("caseload_sessions")),
                load_pain(sample_path("caseload_pain")))
    return load_sessions(sample_path("sessions")), load_pain(sample_path("pain"))
