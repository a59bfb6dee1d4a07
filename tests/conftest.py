"""Shared pytest set-up: the repository root and tests/ on sys.path.

The root makes ``import backrx_analysis`` work from a checkout without installing;
tests/ makes the plain helper modules importable (``from factories import ...``).
"""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = Path(__file__).resolve().parent
for _path in (_TESTS.parent, _TESTS):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Every figure a test opened through pyplot is closed after it (seaborn's habit)."""
    yield
    import sys as _sys

    if "matplotlib.pyplot" in _sys.modules:
        _sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(scope="session")
def sample():
    """The bundled one-patient sample (sessions, pain). Do not modify: copy first."""
    import backrx_analysis as bx

    return bx.load_sample()
