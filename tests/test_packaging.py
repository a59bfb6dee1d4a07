"""The package as a user gets it: a built wheel carries the sample data, and
``bx.load_sample()`` works from an installed copy, outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["sessions.csv", "pain.csv", "caseload_sessions.csv", "caseload_pain.csv",
           "wide_sessions.xlsx", "multi_exercises.csv", "multi_apple_health.zip",
           "multi_pain_tracker.json", "caseload_prescriptions.toml", "prescriptions.toml",
           "outcomes.csv", "caseload_outcomes.csv", "README.md"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (whl,) = out.glob("backrx_analysis-*.whl")
    return whl


def test_wheel_carries_the_sample_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for s in SAMPLES:
        assert f"backrx_analysis/sample_data/{s}" in names, s
    assert "backrx_analysis/io/load.py" in names
    assert not any(n.startswith(("tests/", "notebooks/")) for n in names)


def test_load_sample_from_an_installed_wheel(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True, text=True,
    )
    code = (
        "import backrx_analysis as bx, pathlib, warnings; s, p = bx.load_sample(); "
        "assert 'site' in pathlib.Path(bx.__file__).parts, bx.__file__; "
        "warnings.simplefilter('ignore', bx.AppReportWarning); "
        "m = bx.load_sessions([bx.sample_path('multi_exercises'), "
        "bx.sample_path('multi_apple_health')]); assert len(m) == len(s), (len(m), len(s)); "
        "print(len(s), len(p), s['date'].nunique())"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    n_sessions, n_pain, days = map(int, res.stdout.split())
    assert n_sessions > 100 and n_pain > 84 and days > 50
