"""Fixtures the chart tests share."""

from __future__ import annotations

import pytest

from backrx_analysis.analysis.adherence import daily_adherence


@pytest.fixture(scope="module")
def daily(sample):
    return daily_adherence(sample[0])
