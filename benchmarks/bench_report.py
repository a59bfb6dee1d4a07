"""Benchmarks of the charts and the clinician report (issue 4).

``run(quick=False)`` returns one dict per case (keys of ``benchmarks/run.py``):

``plot_dashboard``
    :func:`backrx_analysis.plots.plot_dashboard` for one simulated patient-year
    (365 days, ``simulate_logs(1, days=365, seed=SEED)`` loaded with
    ``bx.load_sessions`` / ``bx.load_pain``), drawn and saved to PDF, against a
    bare matplotlib figure with the same number of Axes (4) and one 365-point line
    per Axes saved to PDF: the ratio is what our drawing costs beyond matplotlib's
    floor.
``export_report``
    :func:`backrx_analysis.report.export_report` for the same patient-year against
    a bare figure with as many Axes as the report has (one per chart, 4 pages) and
    one line each, saved to a PDF of as many pages; ``target`` is the absolute goal
    (under 2 s).

Seconds are the median of the repeats (``quick``: fewer repeats, same sizes: the
target is about one patient-year).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

try:  # run from a checkout without installing
    import backrx_analysis  # noqa: F401
except ModuleNotFoundError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

import backrx_analysis as bx
from backrx_analysis.plots import style_context
from backrx_analysis.report import export_report
from backrx_analysis.simulate import simulate_logs

__all__ = ["run", "patient_year"]

SEED = 20260302
DAYS = 365
TARGET_SECONDS = 2.0


def _timeit(fn: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def patient_year(seed: int = SEED):
    """One simulated patient's year as canonical sessions and pain frames."""
    raw_s, raw_p = simulate_logs(1, days=DAYS, seed=seed)
    return bx.load_sessions(raw_s), bx.load_pain(raw_p)


def _bare(path: Path, axes_per_page: list[int], n: int) -> None:
    """The floor: figures with the same number of Axes, one line each, to PDF."""
    x = np.arange(n, dtype=float)
    y = np.sin(x / 10)
    with style_context(), PdfPages(path) as pdf:
        for k in axes_per_page:
            fig = Figure(figsize=(8.27, 11.69))
            for ax in fig.subplots(k, 1, squeeze=False)[:, 0]:
                ax.plot(x, y)
            pdf.savefig(fig)


def run(quick: bool = False) -> list[dict]:
    from backrx_analysis.plots import plot_dashboard

    repeats = 3 if quick else 7
    sessions, pain = patient_year()
    tmp = Path(tempfile.mkdtemp(prefix="backrx_bench_"))

    def dashboard() -> None:
        fig = plot_dashboard(sessions, pain, patient_label="Bench patient")
        with style_context():
            fig.savefig(tmp / "dashboard.pdf")

    def report() -> None:
        export_report(sessions, pain, tmp / "report.pdf", patient_label="Bench patient")

    # warm up (font cache, imports) outside the timings
    dashboard()
    report()
    d_med, d_min, d_max = _timeit(dashboard, repeats)
    b_med, *_ = _timeit(lambda: _bare(tmp / "bare1.pdf", [4], DAYS), repeats)
    r_med, r_min, r_max = _timeit(report, repeats)
    # report: page 1 dashboard (4), page 2 heatmap + calendar (+ table continued),
    # page 3 pain, page 4 prescription: Axes per page as drawn
    from pypdf import PdfReader  # noqa: F401  (only to count pages when installed)

    n_pages = len(PdfReader(str(tmp / "report.pdf")).pages)
    pages = [6, 3, *[1] * (n_pages - 2)]
    rb_med, *_ = _timeit(lambda: _bare(tmp / "bare_report.pdf", pages, DAYS), repeats)
    return [
        {
            "name": "plot_dashboard (1 patient-year, saved to PDF)",
            "seconds": d_med,
            "baseline_name": "bare figure, 4 Axes x 1 line, to PDF",
            "baseline_seconds": b_med,
            "ratio": d_med / b_med,
            "notes": f"{DAYS} days, {len(sessions)} entries, {len(pain)} ratings; median of "
                     f"{repeats} (min {d_min:.3f}, max {d_max:.3f} s)",
        },
        {
            "name": "export_report (1 patient-year, A4 PDF)",
            "seconds": r_med,
            "baseline_name": f"bare figures, {n_pages} pages, same Axes count x 1 line",
            "baseline_seconds": rb_med,
            "ratio": r_med / rb_med,
            "target": f"< {TARGET_SECONDS:g} s absolute",
            "notes": f"{n_pages} pages; median of {repeats} (min {r_min:.3f}, max {r_max:.3f} s); "
                     f"{'meets' if r_med < TARGET_SECONDS else 'MISSES'} the "
                     f"{TARGET_SECONDS:g} s target",
        },
    ]


if __name__ == "__main__":  # pragma: no cover
    for row in run(quick="--quick" in sys.argv):
        print(row)
