"""Dashboard redraw benchmark (the notebooks issue): one simulated patient-year,
the time from a widget change to the new chart being in the widget: a new date
range on every tab, then the exercise choice and the pain window on the tabs
whose chart shows them. Target: median under 100 ms.

Baseline, measured in the same run: a bare matplotlib Figure of the same size with
one 365-point line, saved to PNG at the same resolution (matplotlib's floor for
putting one image of that size on the screen).
"""

from __future__ import annotations

import io
import statistics
import time

import numpy as np
from matplotlib.figure import Figure

import backrx_analysis as bx
from backrx_analysis.app.dashboard import _FIGSIZES, TABS, Dashboard
from backrx_analysis.simulate import simulate_logs

SEED = 20260302


def _bare(figsize, dpi: int) -> None:
    fig = Figure(figsize=figsize, dpi=dpi)
    fig.add_subplot().plot(np.arange(365), np.sin(np.arange(365) / 9))
    fig.savefig(io.BytesIO(), format="png", dpi=dpi)


def _measure(dash, tab: str, what: str, change, repeats: int) -> dict:
    """Median time of ``change(k)`` (k = 0, 1, ...) on ``tab``, against the bare figure."""
    dash.tabs.selected_index = TABS.index(tab)
    times, base = [], []
    for k in range(repeats):
        t = time.perf_counter()
        change(k)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        _bare(_FIGSIZES[tab], dash.dpi)
        base.append(time.perf_counter() - t)
    med, bmed = statistics.median(times), statistics.median(base)
    return {
        "name": f"Dashboard redraw on a {what}, tab {tab!r} (1 patient-year)",
        "seconds": med,
        "baseline_name": "bare matplotlib figure of the same size to PNG",
        "baseline_seconds": bmed,
        "ratio": med / bmed,
        "target": "median < 0.100 s",
        "notes": f"median of {repeats}; max {max(times):.3f} s; "
                 f"{'meets' if med < 0.1 else 'MISSES'} the 100 ms target",
    }


def run(quick: bool = False) -> list[dict]:
    raw_s, raw_p = simulate_logs(1, days=365, seed=SEED)
    sessions, pain = bx.load_sessions(raw_s), bx.load_pain(raw_p)
    dash = Dashboard(sessions, pain)
    first, last = dash._span()
    # alternate between ranges (and options) so that every change really redraws
    ranges = [(first, last), (last - np.timedelta64(27, "D"), last),
              (first + np.timedelta64(30, "D"), first + np.timedelta64(120, "D"))]
    repeats = 5 if quick else 15
    results = [_measure(dash, tab, "date change",
                        lambda k: dash.set_range(*ranges[k % len(ranges)]), repeats)
               for tab in TABS]
    # the other controls, on the tabs whose chart shows them (elsewhere nothing to do)
    every = list(dash.exercises.value)
    dash.set_range(first, last)

    def exercises(k: int) -> None:
        dash.exercises.value = every if k % 2 else every[:3]

    def window(k: int) -> None:
        dash.window.value = 14 if k % 2 else 7

    results += [_measure(dash, "Adherence", "change of exercise choice", exercises, repeats),
                _measure(dash, "Together", "change of exercise choice", exercises, repeats),
                _measure(dash, "Pain", "change of pain window", window, repeats)]
    return results


if __name__ == "__main__":
    for r in run(quick=True):
        print(r["name"], round(r["seconds"] * 1000), "ms", r["notes"])
