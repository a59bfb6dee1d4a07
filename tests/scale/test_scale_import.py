"""backrx_analysis.scale (the package): Dask only when asked for, and a clear word
when it is not installed."""

from __future__ import annotations

import subprocess
import sys

from backrx_analysis import scale


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_kit_does_not_import_dask():
    out = _run("import sys, backrx_analysis as bx; bx.summarize; "
               "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_without_dask_the_error_says_what_to_install():
    out = _run("import sys; sys.modules['dask'] = None\n"
               "from backrx_analysis import scale")
    assert out.returncode == 1
    assert "ImportError: backrx_analysis.scale needs Dask" in out.stderr
    assert "pip install 'backrx-analysis[scale]'" in out.stderr


def test_it_offers_its_names():
    missing = [n for n in scale.__all__ if not hasattr(scale, n)]
    assert missing == []
    assert issubclass(scale.PatientPartitionError, ValueError)
    assert issubclass(scale.CohortError, ValueError)
