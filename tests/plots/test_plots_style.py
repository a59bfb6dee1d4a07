"""The look every chart shares (palette, colours, style applied per call) and the shared
helpers: one patient per chart, a message on empty frames, never registered with pyplot."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from factories import make_pain, make_sessions

import backrx_analysis as bx
from backrx_analysis.analysis.adherence import daily_adherence
from backrx_analysis.analysis.pain import pain_trend
from backrx_analysis.plots import COLORS, PALETTE, STYLE, plot_dashboard
from backrx_analysis.plots.adherence import plot_reps_heatmap
from backrx_analysis.plots.minutes import plot_daily_minutes
from backrx_analysis.plots.pain import plot_pain_trend


def test_charts_refuse_a_frame_of_several_patients():
    sessions, _ = bx.load_sample(caseload=True)
    with pytest.raises(ValueError, match="P01"):
        plot_reps_heatmap(daily_adherence(sessions))


def test_style_is_applied_per_call_not_globally(sample):
    before = dict(mpl.rcParams)
    ax = plot_daily_minutes(daily_adherence(sample[0]))
    assert dict(mpl.rcParams) == before
    assert ax.title.get_fontsize() == STYLE["axes.titlesize"]
    fonts = [t.get_fontsize() for t in ax.figure.findobj(mpl.text.Text) if t.get_text()]
    assert min(fonts) >= 8


def test_palette_is_okabe_ito():
    assert set(PALETTE.values()) == {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442",
                                     "#0072B2", "#D55E00", "#CC79A7"}
    for key in ("met", "partial", "none", "under", "in_range", "over", "rolling", "flare"):
        assert COLORS[key] in PALETTE.values()


def test_empty_frames_draw_a_message():
    empty = daily_adherence(make_sessions([]))
    ax = plot_reps_heatmap(empty)
    assert any("No exercise log" in t.get_text() for t in ax.texts)
    trend = pain_trend(make_pain([]))
    ax = plot_pain_trend(trend)
    assert any("No pain" in t.get_text() for t in ax.texts)


def test_never_registers_with_pyplot(sample):
    plot_dashboard(*sample)
    plot_daily_minutes(daily_adherence(sample[0]))
    assert plt.get_fignums() == []
