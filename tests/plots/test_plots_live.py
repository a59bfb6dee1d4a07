"""A figure redrawn to PNG often: the redraw is the full drawing."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from backrx_analysis.analysis.adherence import daily_adherence
from backrx_analysis.analysis.pain import pain_trend


def test_live_figure_redraw_is_the_full_drawing(sample):
    import io

    from PIL import Image

    from backrx_analysis.plots import dashboard_axes, draw_dashboard, update_dashboard
    from backrx_analysis.plots.live import LiveFigure

    trend = pain_trend(sample[1])
    fig = Figure(figsize=(9, 7.5), dpi=60, layout="constrained")
    live = LiveFigure(fig)
    axes = dashboard_axes(fig)
    draw_dashboard(daily_adherence(sample[0]), trend, axes, label="P")
    live.full()
    assert fig.get_layout_engine() is None  # laid out once
    for start, end in (("2026-03-09", "2026-03-22"), ("2026-04-01", "2026-05-20")):
        daily = daily_adherence(sample[0], start=start, end=end)
        assert update_dashboard(daily, trend, axes, start=start, end=end, label="P")
        png = live.redraw()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=60)
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))),
                                      np.asarray(Image.open(buf)))
