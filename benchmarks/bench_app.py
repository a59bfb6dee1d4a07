"""The app (`make app`: Voila serving notebooks/02_adherence_dashboard.ipynb) opened
in headless Chromium page after page: the time from navigation to the dashboard's
chart shown, over 100 loads in a row (``--quick``: 5).

Targets (issue 17): median < 2.5 s, slowest < 6 s, no stall (a load whose chart is
not shown 30 s after navigation). The server is started with `make app`'s flags
(``tests/browser/servers.py``'s ``VOILA_APP_ARGS``, which a browser test checks
against the Makefile), on a copy of notebooks/, without ``--debug``.

Not a test: the figures depend on the machine and on what else runs on it; the
browser test that opens the app 30 times checks only that no load stalls.

Environment: ``BACKRX_APP_LOADS`` sets the number of loads (development runs);
``BACKRX_APP_ARGS`` adds flags to the server's (JSON list, to compare settings).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOK = "02_adherence_dashboard.ipynb"
STALL_S = 30.0
#: how long the bench lets the server fill its pool of preheated kernels before the
#: first load (a patient opens the app some time after `make app`)
SETTLE_S = 20.0


def _kernels_rss_mb(server_pid: int) -> float:
    """Resident memory of the server's child processes (the kernels), in MB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(server_pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def measure(loads: int, *, extra_args: tuple[str, ...] = ()) -> dict:
    """Open the app ``loads`` times in one page, one navigation each.

    Returns
    -------
    dict
        ``seconds`` (one per shown load), ``stalls`` (load numbers), ``kernels_mb``
        (the kernels' memory at the end), ``startup_s`` (server start to ready).
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS
    from tests.browser.servers import VOILA_APP_ARGS, start_voila

    tmp = Path(tempfile.mkdtemp(prefix="backrx-bench-app-"))
    try:
        root = tmp / "notebooks"
        shutil.copytree(ROOT / "notebooks", root,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        t0 = time.monotonic()
        server = start_voila(root / NOTEBOOK, tmp / "home", tmp / "voila.log",
                             extra_args=_with(VOILA_APP_ARGS, extra_args), debug=False)
        startup = time.monotonic() - t0
        seconds: list[float] = []
        stalls: list[int] = []
        try:
            time.sleep(SETTLE_S)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                for i in range(loads):
                    t = time.monotonic()
                    page.goto(server.url("/"), wait_until="commit")
                    chart = page.locator(".backrx-chart img").filter(visible=True)
                    try:
                        chart.first.wait_for(state="visible", timeout=STALL_S * 1000)
                    except Exception:  # noqa: BLE001 - a stall is a result, go on
                        stalls.append(i + 1)
                        continue
                    seconds.append(time.monotonic() - t)
                browser.close()
            kernels_mb = _kernels_rss_mb(server.proc.pid)
        finally:
            server.stop()
        return {"seconds": seconds, "stalls": stalls, "kernels_mb": kernels_mb,
                "startup_s": startup, "log": server.log()[-4000:]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _with(args: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    """``args`` with the flags of ``extra`` replacing those of the same name (a
    traitlets option may be given once)."""
    names = {e.split("=", 1)[0] for e in extra}
    return (*(a for a in args if a.split("=", 1)[0] not in names), *extra)


CULL_FAST = ("--MappingKernelManager.cull_idle_timeout=5",
             "--MappingKernelManager.cull_interval=2")


def run(quick: bool = False) -> list[dict]:
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing (bash scripts/ensure_chromium.sh)")
    loads = int(os.environ.get("BACKRX_APP_LOADS", 5 if quick else 100))
    extra = tuple(json.loads(os.environ.get("BACKRX_APP_ARGS", "[]")))
    # 100 pages left one after the other: Voila 0.5's shutdown beacon is refused (it
    # lacks _xsrf, and the app keeps the XSRF check), so left pages' kernels are
    # culled after 5 idle seconds here instead of make app's 10 minutes (~200 MB each)
    got = measure(loads, extra_args=(*CULL_FAST, *extra))
    s, stalls = got["seconds"], got["stalls"]
    if not s:
        raise RuntimeError(f"all {loads} loads stalled; server log:\n{got['log']}")
    med, p90, worst = statistics.median(s), _percentile(s, 0.9), max(s)
    met = med < 2.5 and worst < 6 and not stalls
    gap = None
    if not met:
        gap = (f"median {med:.2f} s (target < 2.5), slowest {worst:.2f} s (< 6), "
               f"{len(stalls)} stalls (0) on a 2-core machine shared with other work")
    notes = (f"{loads} loads in one page; median {med:.2f} s, p90 {p90:.2f} s, fastest "
             f"{min(s):.2f} s, slowest {worst:.2f} s; stalls (> {STALL_S:.0f} s): "
             f"{len(stalls)}{' ' + str(stalls) if stalls else ''}; kernels at the end "
             f"{got['kernels_mb']:.0f} MB; server ready in {got['startup_s']:.1f} s, "
             f"first load {SETTLE_S:.0f} s after")
    notes += f"; culled after 5 idle s ({' '.join((*CULL_FAST, *extra))})"
    return [{
        "name": f"app page load to chart shown ({loads} loads in a row, make app's flags)",
        "seconds": med,
        "baseline_name": None,
        "baseline_seconds": None,
        "target": "median < 2.5 s, slowest < 6 s, 0 stalls",
        "notes": notes,
        "gap": gap,
    }]


if __name__ == "__main__":
    import sys

    got = measure(int(os.environ.get("BACKRX_APP_LOADS", 5 if "--quick" in sys.argv else 100)),
                  extra_args=tuple(json.loads(os.environ.get("BACKRX_APP_ARGS", "[]"))))
    print("loads:", " ".join(f"{x:.2f}" for x in got["seconds"]), "stalls:", got["stalls"])
    print(f"median {statistics.median(got['seconds']):.2f} s, slowest {max(got['seconds']):.2f} s,"
          f" kernels {got['kernels_mb']:.0f} MB")
