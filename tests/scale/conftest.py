"""Simulated cohorts for the tests of backrx_analysis.scale, loaded once per session."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.simulate import simulate_logs, simulate_prescriptions

#: Patients of the default run's cohort (the slow tests use 5,000).
N_FAST = 200


def load_cohort(n_patients: int, days: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical sessions and pain of ``n_patients`` simulated patients, loaded by the
    kit's own loaders (``simulate_logs`` writes them as people do)."""
    sessions, pain = simulate_logs(n_patients=n_patients, days=days, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the simulated writers' quirks, reported
        return bx.load_sessions(sessions), bx.load_pain(pain)


@pytest.fixture(scope="session")
def cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    """200 patients x 60 days (P01 ... P200). Do not modify: copy first."""
    return load_cohort(N_FAST, 60, seed=16)


@pytest.fixture(scope="session")
def histories(cohort):
    """Prescription histories for the first 40 patients (in id order) only: the
    later partitions of the tests hold patients without one."""
    sessions, _ = cohort
    ids = sorted(sessions["patient_id"].unique())[:40]
    first = sessions.groupby("patient_id")["date"].min()
    starts = {pid: first[pid].date() for pid in ids}
    return bx.load_prescriptions(simulate_prescriptions(ids, starts, seed=3, days=60))

