"""The notebooks: stored clean, generated from one script, and executed here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import backrx_analysis as bx

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.name for p in NOTEBOOKS]


def test_the_five_notebooks_exist():
    assert NAMES == ["01_getting_started.ipynb", "02_adherence_dashboard.ipynb",
                     "03_pain_trends.ipynb", "04_clinician_report.ipynb", "05_daily_log.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_stored_without_outputs_and_with_a_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell carries outputs"
            assert cell.execution_count is None, f"{path.name}: a cell carries an execution count"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", [])
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 1


def test_notebooks_match_their_generator():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_notebooks.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def run(name: str, workdir: Path, parameters: str | None = None) -> nbformat.NotebookNode:
    shutil.copy(ROOT / "notebooks" / name, workdir / name)
    nb = nbformat.read(workdir / name, as_version=4)
    if parameters is not None:
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        cell.source = parameters
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


def text_of(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


def test_getting_started_on_the_sample(tmp_path):
    nb = run("01_getting_started.ipynb", tmp_path)
    text = text_of(nb)
    assert "0 problem(s) in the exercise log, 0 in the pain log" in text
    assert "fully_adherent_pct" in text


def test_getting_started_shows_the_problems_of_a_bad_file(tmp_path):
    bad = tmp_path / "mine.csv"
    bad.write_text("date,exercise,reps\n2026-03-02,crunchy,10\n2026-03-03,crunch,-1\n")
    params = (f"SESSIONS_PATH = {str(bad)!r}\nPAIN_PATH = None\nDAYFIRST = None\n"
              "PATIENT_LABEL = None")
    with pytest.raises(Exception) as err:  # the load cell stops, after the problems table
        run("01_getting_started.ipynb", tmp_path, params)
    assert "LogValidationError" in str(err.value)


def test_dashboard_notebook_shows_the_widget(tmp_path):
    nb = run("02_adherence_dashboard.ipynb", tmp_path)
    last = nb.cells[-1].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in last)


def test_pain_notebook(tmp_path):
    nb = run("03_pain_trends.ipynb", tmp_path)
    text = text_of(nb)
    assert "rolling_mean" in text and "rho" in text
    pngs = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(pngs) == 2


def test_report_notebook_writes_the_pdf(tmp_path):
    run("04_clinician_report.ipynb", tmp_path)
    pdf = tmp_path / "exports" / "backrx-report.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    assert (tmp_path / "exports" / "backrx-report-page1.png").exists()


def test_daily_log_notebook_shows_the_form_and_writes_nothing_unasked(tmp_path):
    nb = run("05_daily_log.ipynb", tmp_path)
    assert "Nothing saved yet." in text_of(nb)
    assert not (tmp_path / "my_sessions.csv").exists()
    # the same form, saved once, and the notebook then shows the line
    form = bx.LogForm(tmp_path / "my_sessions.csv", tmp_path / "my_pain.csv")
    form.save.click()
    nb = run("05_daily_log.ipynb", tmp_path)
    assert "straight_leg_raise" in text_of(nb)
