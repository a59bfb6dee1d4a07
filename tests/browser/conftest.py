"""Fixtures for the real-browser tests: Debian's chromium driven by Playwright,
JupyterLab and Voila servers started (and stopped) by the tests themselves.

Chromium comes from Debian (`scripts/ensure_chromium.sh`, run by `make test`):
Playwright's own browser download cannot work on our machines. The tests skip only
when /usr/bin/chromium is missing; anything else that goes wrong is a failure.

Every page runs behind a network guard: a request to any host other than
127.0.0.1/localhost is recorded and aborted, and the test fails when the record
is not empty (a patient's dashboard must not call out to CDNs or news feeds).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .servers import REPO, ServerProcess, start_lab, start_voila

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = REPO / "test-artifacts" / "browser"
DASHBOARD = "02_adherence_dashboard.ipynb"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def pytest_configure(config: pytest.Config) -> None:
    # also listed in pyproject.toml; kept here so the suite runs under --strict-markers
    config.addinivalue_line("markers", "browser: drives a real browser (chromium)")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/browser/: screenshots and server logs of the browser tests."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium, launched once per test session."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: Debian's chromium could not be installed "
            "(run `bash scripts/ensure_chromium.sh` as root with apt available)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class NetworkGuard:
    """Aborts and records every request that would leave 127.0.0.1."""

    def __init__(self) -> None:
        self.outside: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        scheme = url.split(":", 1)[0]
        if scheme in ("data", "blob", "about"):
            route.continue_()
            return
        host = urlsplit(url).hostname or ""
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def on_websocket(self, ws) -> None:
        # websockets do not pass through page.route: check them here
        host = urlsplit(ws.url).hostname or ""
        if host not in LOCAL_HOSTS:
            self.outside.append(ws.url)

    def assert_clean(self) -> None:
        assert self.outside == [], "the page asked hosts other than 127.0.0.1 for: " + ", ".join(
            sorted(set(self.outside))
        )


@pytest.fixture
def guarded_page(browser, request, artifacts) -> Iterator[tuple]:
    """(page, guard): a fresh browser context whose requests must stay on 127.0.0.1.

    Tests call ``guard.assert_clean()`` at their end; the teardown checks again so a
    test cannot forget it.
    """
    guard = NetworkGuard()
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.route("**/*", guard.route)
    page = context.new_page()
    page.on("websocket", guard.on_websocket)
    page.set_default_timeout(60_000)
    try:
        yield page, guard
    finally:
        # what the page showed at the end, pass or fail
        try:
            page.screenshot(path=artifacts / f"{request.node.name}_end.png", timeout=10_000)
        finally:
            context.close()
    guard.assert_clean()


@pytest.fixture(scope="session")
def sample_span() -> tuple[dt.date, dt.date]:
    """First and last day of the bundled sample (the dashboard's default data)."""
    import backrx_analysis as bx

    sessions, pain = bx.load_sample()
    first = min(sessions["date"].min(), pain["date"].min()).date()
    last = max(sessions["date"].max(), pain["date"].max()).date()
    return first, last


def _period(start: dt.date, end: dt.date) -> str:
    return f"{start:%Y-%m-%d} \u2013 {end:%Y-%m-%d}"


@pytest.fixture
def drive_dashboard(artifacts, sample_span):
    """Use the rendered dashboard as a person would and check the chart follows.

    Waits for the dashboard and its chart image, clicks "Last 4 weeks", then types
    a period into the two date pickers; after each change the status states the new
    period and the chart's ``<img>`` is a new image; then opens the Function and the
    Together tab (the sample's questionnaires). Screenshots go to
    test-artifacts/browser/<name>_*.png. Returns the six image sources.
    """
    from playwright.sync_api import expect

    first, last = sample_span

    def painted(page) -> None:
        # the new <img> is decoded and has pixels (not only a new src)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.backrx-chart img')]"
            ".some(i => i.offsetParent !== null && i.complete && i.naturalWidth > 100)",
            timeout=30_000,
        )

    def drive(page, name: str) -> list[str]:
        dashboard = page.locator(".backrx-dashboard")
        expect(dashboard).to_be_visible(timeout=90_000)
        chart = page.locator(".backrx-chart img").filter(visible=True)
        status = page.locator(".backrx-status")
        expect(chart).to_have_count(1, timeout=60_000)
        expect(chart).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
        expect(status).to_contain_text(_period(first, last))
        sources = [chart.get_attribute("src")]
        painted(page)
        page.screenshot(path=artifacts / f"{name}_1_loaded.png", full_page=True)

        page.locator(".backrx-range-4w").click()
        expect(status).to_contain_text(_period(last - dt.timedelta(days=27), last))
        expect(chart).not_to_have_attribute("src", sources[-1])
        sources.append(chart.get_attribute("src"))
        painted(page)
        page.screenshot(path=artifacts / f"{name}_2_last4weeks.png", full_page=True)

        start, end = first + dt.timedelta(days=30), first + dt.timedelta(days=43)
        page.locator(".backrx-start input[type=date]").fill(f"{start:%Y-%m-%d}")
        expect(status).to_contain_text(_period(start, last))
        expect(chart).not_to_have_attribute("src", sources[-1])
        sources.append(chart.get_attribute("src"))
        page.locator(".backrx-end input[type=date]").fill(f"{end:%Y-%m-%d}")
        expect(status).to_contain_text(_period(start, end))
        expect(chart).not_to_have_attribute("src", sources[-1])
        sources.append(chart.get_attribute("src"))
        painted(page)
        page.screenshot(path=artifacts / f"{name}_3_datepickers.png", full_page=True)
        assert len(set(sources)) == 4, "the chart did not change with the period"

        # the sample's questionnaires: the Function tab, then dose, pain and function
        # together on one date axis (a taller chart than without questionnaires)
        for n, tab in ((4, "Function"), (5, "Together")):
            page.locator(".lm-TabBar-tab", has_text=tab).click()
            expect(chart).to_have_count(1, timeout=60_000)
            expect(chart).not_to_have_attribute("src", sources[-1])
            sources.append(chart.get_attribute("src"))
            painted(page)
            page.screenshot(path=artifacts / f"{name}_{n}_{tab.lower()}.png", full_page=True)
        height = chart.evaluate("i => i.naturalHeight / i.naturalWidth")
        assert height > 1.0, f"the Together chart has no function panels (h/w {height:.2f})"
        return sources

    return drive


def _copy_notebooks(root: Path) -> Path:
    """A copy of notebooks/ (the tests never touch the working tree's notebooks)."""
    dest = root / "notebooks"
    shutil.copytree(REPO / "notebooks", dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


def _stop(server: ServerProcess, artifacts: Path) -> None:
    server.stop()
    shutil.copy(server.log_path, artifacts / server.log_path.name)


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory, artifacts) -> Iterator[ServerProcess]:
    """JupyterLab serving a copy of notebooks/, stopped when the module is done."""
    tmp = tmp_path_factory.mktemp("lab")
    root = _copy_notebooks(tmp)
    server = start_lab(root, tmp / "home", tmp / "jupyterlab.log")
    try:
        yield server
    finally:
        _stop(server, artifacts)


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory, artifacts) -> Iterator[ServerProcess]:
    """Voila serving a copy of the dashboard notebook with the `make app` configuration."""
    tmp = tmp_path_factory.mktemp("voila")
    root = _copy_notebooks(tmp)
    server = start_voila(root / DASHBOARD, tmp / "home", tmp / "voila.log")
    try:
        yield server
    finally:
        _stop(server, artifacts)
