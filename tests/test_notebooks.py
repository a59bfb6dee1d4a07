"""The notebooks: the source (edited in JupyterLab), stored stripped by nbstripout, run here.

A notebook is changed as a notebook: open it in ``make lab``, edit, save, then
``make strip`` (README.md, "Editing a notebook"). The checks below use the same
nbstripout command as ``make strip``, so what they flag is what it removes.
"""

from __future__ import annotations

import copy
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

#: The strip command of ``make strip`` (keep it in step with the Makefile). ``--keep-id``
#: keeps the cell ids a notebook was saved with instead of renumbering them.
STRIP = [sys.executable, "-m", "nbstripout", "--keep-id"]
_WOULD_STRIP = "would have stripped"


def needs_stripping(*paths: Path) -> list[str]:
    """The notebooks among *paths* that ``make strip`` would change, by nbstripout itself.

    ``nbstripout --verify`` strips in memory (outputs, execution counts, volatile
    metadata), writes nothing, and exits 1 when a notebook would change.
    """
    res = subprocess.run([*STRIP, "--verify", *map(str, paths)], cwd=ROOT,
                         capture_output=True, text=True)
    flagged = [line.split(_WOULD_STRIP, 1)[1].strip()
               for line in res.stdout.splitlines() if _WOULD_STRIP in line]
    if res.returncode == 0 and not flagged:
        return []
    if res.returncode == 1 and flagged:
        return flagged
    raise RuntimeError(f"nbstripout --verify failed (exit {res.returncode}):\n"
                       f"{res.stdout}{res.stderr}")


def test_the_five_notebooks_exist():
    assert NAMES == ["01_getting_started.ipynb", "02_adherence_dashboard.ipynb",
                     "03_pain_trends.ipynb", "04_clinician_report.ipynb", "05_daily_log.ipynb"]


def test_stored_stripped():
    stale = needs_stripping(*NOTEBOOKS)
    assert not stale, f"run `make strip`: these notebooks carry outputs or counts: {stale}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_valid_nbformat_4_with_ids_and_a_parameters_cell(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4
    nbformat.validate(nb)  # raises ValidationError
    ids = [cell.get("id") for cell in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids), f"{path.name}: cell ids missing or repeated"
    # a second, plain check: nbstripout keeps the outputs of a cell tagged keep_output
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell carries outputs"
            assert cell.execution_count is None, f"{path.name}: a cell carries an execution count"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", [])
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 1


def test_the_strip_check_flags_outputs_and_counts_and_strip_keeps_ids(tmp_path):
    clean = nbformat.read(NOTEBOOKS[0], as_version=nbformat.NO_CONVERT)
    index = next(i for i, c in enumerate(clean.cells) if c.cell_type == "code")
    with_output = copy.deepcopy(clean)
    with_output.cells[index].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="276 exercise entries\n")]
    with_output.cells[index].execution_count = 1
    only_count = copy.deepcopy(clean)
    only_count.cells[index].execution_count = 3
    paths = {}
    for name, nb in {"clean": clean, "output": with_output, "count": only_count}.items():
        nbformat.validate(nb)
        paths[name] = tmp_path / f"{name}.ipynb"
        nbformat.write(nb, paths[name])

    assert needs_stripping(paths["clean"]) == []
    assert needs_stripping(paths["output"]) == [str(paths["output"])]
    assert needs_stripping(paths["count"]) == [str(paths["count"])]
    assert len(needs_stripping(*paths.values())) == 2

    # `make strip` on it: outputs and count gone, the cell ids as they were
    subprocess.run([*STRIP, str(paths["output"])], cwd=ROOT, check=True)
    stripped = nbformat.read(paths["output"], as_version=nbformat.NO_CONVERT)
    assert stripped.cells[index].outputs == [] and stripped.cells[index].execution_count is None
    assert [c.id for c in stripped.cells] == [c.id for c in clean.cells]
    assert needs_stripping(paths["output"]) == []


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
              "PATIENT_LABEL = None\nTZ = None\nACTIVITIES = None")
    with pytest.raises(Exception) as err:  # the load cell stops, after the problems table
        run("01_getting_started.ipynb", tmp_path, params)
    assert "LogValidationError" in str(err.value)


def test_dashboard_notebook_shows_the_widget(tmp_path):
    nb = run("02_adherence_dashboard.ipynb", tmp_path)
    last = nb.cells[-1].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in last)
    assert "16 questionnaires" in text_of(nb)  # the sample's, read with the sample


def test_pain_notebook(tmp_path):
    nb = run("03_pain_trends.ipynb", tmp_path)
    text = text_of(nb)
    assert "rolling_mean" in text and "rho" in text
    pngs = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(pngs) == 2
    # a notebook as JupyterLab saves it after a run is what the strip check flags
    nbformat.write(nb, tmp_path / "executed.ipynb")
    assert needs_stripping(tmp_path / "executed.ipynb") == [str(tmp_path / "executed.ipynb")]


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


def test_daily_log_notebook_has_the_questionnaire_form(tmp_path):
    nb = run("05_daily_log.ipynb", tmp_path)
    assert "No questionnaire saved yet." in text_of(nb)
    assert not (tmp_path / "my_questionnaires.csv").exists()
    form = bx.QuestionnaireForm(tmp_path / "my_questionnaires.csv")
    for box, answer in zip(form.ears, [1, 3, 4, 0, 2, 1], strict=True):
        box.value = answer
    form.save.click()
    text = text_of(run("05_daily_log.ipynb", tmp_path))
    assert "ears" in text and "19.0" in text


def test_getting_started_on_a_spreadsheet_and_a_phone_export(tmp_path):
    """The first cell takes app exports too: the three-source sample (exercises in a
    spreadsheet, walks in an Apple Health export.zip, pain in a Pain Tracker export
    written in UTC, placed with TZ) checks clean and loads."""
    files = [str(bx.sample_path("multi_exercises")), str(bx.sample_path("multi_apple_health"))]
    pain = str(bx.sample_path("multi_pain_tracker"))
    params = (f"SESSIONS_PATH = {files!r}\nPAIN_PATH = {pain!r}\nDAYFIRST = None\n"
              "PATIENT_LABEL = None\nTZ = 'Europe/Berlin'\nACTIVITIES = None")
    text = text_of(run("01_getting_started.ipynb", tmp_path, params))
    assert "0 problem(s) in the exercise log, 0 in the pain log" in text
    assert "walking workouts read as" in text  # what the export left out, said
