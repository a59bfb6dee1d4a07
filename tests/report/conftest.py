"""Fixtures the report tests share: the marked sample, the caseload, the report."""

from __future__ import annotations

import pytest
from report_helpers import MARKER

import backrx_analysis as bx
from backrx_analysis.report import export_report


@pytest.fixture(scope="module")
def marked(sample):
    """The sample logs with a unique marker in one session note and one pain note."""
    sessions, pain = sample
    sessions, pain = sessions.copy(), pain.copy()
    sessions.loc[sessions.index[5], "notes"] = f"session {MARKER}"
    pain.loc[pain.index[10], "notes"] = f"pain {MARKER}"
    return sessions, pain


@pytest.fixture(scope="module")
def caseload():
    return bx.load_sample(caseload=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory, marked):
    path = tmp_path_factory.mktemp("report") / "sample.pdf"
    return export_report(*marked, path, patient_label="Sample patient")
