"""Logging from the app: Voila serving the dashboard notebook (`make app`'s flags)
on a patient's own files (copies of the sample), driven by headless chromium.

A bad value shows the form's message and writes nothing; a good day is saved and
appears on the dashboard without a restart; a page opened afterwards (its kernel
prepared before the save: preheat_kernel) shows it too.
"""

from __future__ import annotations

import datetime as dt

import nbformat
import pytest

from .conftest import DASHBOARD, _copy_notebooks, _stop
from .servers import start_voila

pytestmark = [pytest.mark.browser]

SAMPLE_LAST = dt.date(2026, 5, 24)
NEW_DAY = SAMPLE_LAST + dt.timedelta(days=2)


@pytest.fixture(scope="module")
def own_files_server(tmp_path_factory, artifacts):
    """Voila on a copy of the dashboard notebook whose parameters name two log files."""
    import backrx_analysis as bx

    tmp = tmp_path_factory.mktemp("voila-own")
    logs = tmp / "logs"
    logs.mkdir()
    sessions, pain = logs / "sessions.csv", logs / "pain.csv"
    sessions.write_bytes(bx.sample_path("sessions").read_bytes())
    pain.write_bytes(bx.sample_path("pain").read_bytes())
    root = _copy_notebooks(tmp)
    nb = nbformat.read(root / DASHBOARD, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = (f"SESSIONS_PATH = {str(sessions)!r}\nPAIN_PATH = {str(pain)!r}\n"
                   "OUTCOMES_PATH = None\nDAYFIRST = None\nPATIENT_LABEL = None")
    nbformat.write(nb, root / DASHBOARD)
    server = start_voila(root / DASHBOARD, tmp / "home", tmp / "voila-own.log")
    server.logs = (sessions, pain)
    try:
        yield server
    finally:
        _stop(server, artifacts)


def _open(page, server):
    from playwright.sync_api import expect

    page.goto(server.url("/"))
    expect(page.locator(".backrx-chart img").filter(visible=True)).to_have_count(
        1, timeout=90_000)
    return page.locator(".backrx-status")


@pytest.mark.timeout(300)
def test_log_a_day_in_the_app_and_see_it_on_the_dashboard(own_files_server, guarded_page,
                                                          artifacts):
    from playwright.sync_api import expect

    page, guard = guarded_page
    sessions, pain = own_files_server.logs
    status = _open(page, own_files_server)
    expect(status).to_contain_text("2026-03-02 \u2013 2026-05-24")
    files = page.locator(".backrx-files")
    expect(files).to_contain_text(str(sessions))  # the app says what it reads and writes
    expect(files).to_contain_text(str(pain))
    page.screenshot(path=artifacts / "app_1_dashboard.png", full_page=True)

    page.locator(".backrx-app-tabs .lm-TabBar-tab", has_text="Log today").click()
    form = page.locator(".backrx-logform")
    expect(form).to_be_visible(timeout=30_000)
    form.locator("input[type=date]").fill(f"{NEW_DAY:%Y-%m-%d}")

    # a refused value: the message, and nothing written
    before = sessions.read_bytes(), pain.read_bytes()
    time_box = form.locator("input[placeholder='HH:MM']")
    time_box.fill("25:99")
    time_box.press("Enter")
    form.get_by_role("button", name="Save today's entry").click()
    expect(form).to_contain_text("Nothing was saved", timeout=30_000)
    expect(form.locator(".backrx-field-problem")).to_contain_text("hour must be in 0..23")
    page.screenshot(path=artifacts / "app_2_form_refused.png", full_page=True)
    assert (sessions.read_bytes(), pain.read_bytes()) == before

    # a good day: saved, and the dashboard ends on it
    time_box.fill("08:30")
    time_box.press("Enter")
    form.get_by_role("button", name="Save today's entry").click()
    expect(form).to_contain_text("Saved to", timeout=30_000)
    expect(form.locator(".backrx-field-problem")).to_have_text("")
    page.screenshot(path=artifacts / "app_3_form_saved.png", full_page=True)
    assert f"{NEW_DAY:%Y-%m-%d}" in sessions.read_text()
    page.locator(".backrx-app-tabs .lm-TabBar-tab", has_text="Dashboard").click()
    expect(page.locator(".backrx-status")).to_contain_text(
        f"2026-03-02 \u2013 {NEW_DAY:%Y-%m-%d}", timeout=30_000)
    page.screenshot(path=artifacts / "app_4_dashboard_after_save.png", full_page=True)

    # a page opened now runs in a kernel prepared before the save: it shows the day too
    status = _open(page, own_files_server)
    expect(status).to_contain_text(f"2026-03-02 \u2013 {NEW_DAY:%Y-%m-%d}", timeout=30_000)
    guard.assert_clean()


@pytest.mark.timeout(180)
def test_a_missing_file_shows_the_problems_table(tmp_path, guarded_page, artifacts):
    from playwright.sync_api import expect

    page, guard = guarded_page
    root = _copy_notebooks(tmp_path)
    nb = nbformat.read(root / DASHBOARD, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    missing = tmp_path / "no_such_log.csv"
    cell.source = (f"SESSIONS_PATH = {str(missing)!r}\nPAIN_PATH = {str(missing)!r}\n"
                   "OUTCOMES_PATH = None\nDAYFIRST = None\nPATIENT_LABEL = None")
    nbformat.write(nb, root / DASHBOARD)
    server = start_voila(root / DASHBOARD, tmp_path / "home", tmp_path / "voila-missing.log")
    try:
        page.goto(server.url("/"))
        problems = page.locator(".backrx-problems")
        expect(problems).to_be_visible(timeout=90_000)
        expect(problems).to_contain_text("cannot be shown")
        expect(problems).to_contain_text("no_such_log.csv")
        assert "Traceback" not in page.locator("body").inner_text()
        page.screenshot(path=artifacts / "app_5_missing_file.png", full_page=True)
    finally:
        _stop(server, artifacts)
    guard.assert_clean()
