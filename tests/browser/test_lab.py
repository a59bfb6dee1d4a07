"""The dashboard notebook in a real JupyterLab, driven by headless chromium.

Runs the notebook the way a person does (open it, wait for the kernel, Run All),
then uses the dashboard: the chart must follow the period chosen with the
"Last 4 weeks" button and with the date pickers. The plots live in the widget
state (an ipywidgets Output), not in the cell outputs, so they are checked in the
DOM. No request may leave 127.0.0.1 (JupyterLab's news and update check are off
through overrides.json).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from .conftest import DASHBOARD
from .servers import LAB_OVERRIDES, REPO

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def _get_json(server, path: str) -> dict:
    with urllib.request.urlopen(server.url(path), timeout=30) as resp:
        return json.load(resp)


def test_lab_is_isolated_and_quiet(lab_server):
    """The kernel is this venv's python, and the news/update check is off."""
    specs = _get_json(lab_server, "/api/kernelspecs")
    assert specs["default"] == "python3"
    # where the server's environment finds the python3 kernelspec, and what it runs
    # ("python" is replaced by the server's own interpreter, this venv's)
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from jupyter_client.kernelspec import KernelSpecManager as K;"
            " s = K().get_kernel_spec('python3'); print(s.resource_dir); print(s.argv[0])",
        ],
        env=lab_server.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert Path(found[0]).is_relative_to(sys.prefix), found
    assert found[1] in ("python", "python3", sys.executable), found
    settings = _get_json(
        lab_server, "/lab/api/settings/@jupyterlab/apputils-extension:notification"
    )
    # overrides.json changes the schema's defaults; no user setting overrides them
    defaults = {k: v.get("default") for k, v in settings["schema"]["properties"].items()}
    wanted = LAB_OVERRIDES["@jupyterlab/apputils-extension:notification"]
    assert defaults["fetchNews"] == wanted["fetchNews"] == "false"
    assert defaults["checkForUpdates"] is wanted["checkForUpdates"] is False
    assert settings["settings"] == {}


def test_dashboard_in_lab(lab_server, guarded_page, drive_dashboard, artifacts):
    page, guard = guarded_page
    nb = nbformat.read(REPO / "notebooks" / DASHBOARD, as_version=4)
    n_code = sum(cell.cell_type == "code" for cell in nb.cells)
    assert nb.cells[1].metadata.get("tags") == ["parameters"] or any(
        "parameters" in c.metadata.get("tags", []) for c in nb.cells
    )

    page.goto(lab_server.url(f"/lab/tree/{DASHBOARD}"))
    panel = page.locator(".jp-NotebookPanel").filter(visible=True)
    # 1. the kernel is up and idle before anything runs. The toolbar's execution
    #    indicator says "idle" while Lab still shows "No Kernel | Initializing", so
    #    wait for what a person reads in the status bar, and for the server's view.
    page.wait_for_function(
        "() => { const sb = document.querySelector('#jp-main-statusbar');"
        " const ind = document.querySelector("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');"
        " return sb && /Python 3 \\(ipykernel\\)\\s*\\|\\s*Idle/.test(sb.innerText.replace(/\\n/g, ' | '))"
        " && ind && ind.getAttribute('data-status') === 'idle'; }",
        timeout=90_000,
    )
    # The server's view: Lab's own start-up requests (kernel info, comms) can keep the
    # kernel busy for a moment after the status bar first says Idle; wait until the
    # server reports one session, idle, twice in a row.
    deadline, states, stable = time.monotonic() + 60, None, 0
    while time.monotonic() < deadline and stable < 2:
        sessions = _get_json(lab_server, "/api/sessions")
        states = [s["kernel"]["execution_state"] for s in sessions]
        stable = stable + 1 if states == ["idle"] else 0
        time.sleep(0.25)
    assert stable >= 2, f"the kernel never settled idle: {states}"
    # 2. Run > Run All Cells, through the menu as a person does
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    # 3. the last code cell got its prompt number (not [*] or [ ])
    last_prompt = panel.locator(".jp-CodeCell .jp-InputPrompt").nth(n_code - 1)
    page.wait_for_function(
        "([sel, n]) => { const p = document.querySelectorAll(sel);"
        " return p.length >= n && /\\[\\d+\\]/.test(p[n - 1].textContent); }",
        arg=[".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt", n_code],
        timeout=120_000,
    )
    assert re.search(r"\[\d+\]", last_prompt.text_content())
    # no cell raised
    assert panel.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0
    # 4. the widget: render, then use it
    panel.locator(".backrx-dashboard").scroll_into_view_if_needed(timeout=90_000)
    drive_dashboard(page, "lab")
    guard.assert_clean()
    page.screenshot(path=artifacts / "lab_4_final.png")
