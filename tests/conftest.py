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
