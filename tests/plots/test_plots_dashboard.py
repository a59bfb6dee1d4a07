"""The figure-level dashboard: shared x axis, title, one patient, the in-place update."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from plots_helpers import _drawn, _same, by_gid

import backrx_analysis as bx
from backrx_analysis.analysis.adherence import daily_adherence
from backrx_analysis.analysis.pain import pain_trend
from backrx_analysis.plots import plot_dashboard


def test_dashboard_axes_share_x_and_title_names_label_and_period(sample):
    fig = plot_dashboard(*sample, patient_label="Ms Example")
    axes = fig.axes
    assert len(axes) == 4
    for a in axes[1:]:
        assert axes[0].get_shared_x_axes().joined(axes[0], a)
    title = fig.get_suptitle()
    assert "Ms Example" in title and "2 Mar 2026" in title and "23 May 2026" in title
    # the pain panel's rolling line is the pain_trend of the same logs
    roll = by_gid(axes[3], "pain-rolling-mean")
    np.testing.assert_allclose(np.asarray(roll.get_ydata(), dtype=float),
                               pain_trend(sample[1])["rolling_mean"].to_numpy(), equal_nan=True)


def test_dashboard_needs_patient_id_with_several_patients():
    sessions, pain = bx.load_sample(caseload=True)
    with pytest.raises(ValueError, match=r"P01, P02, P03, P04, P05"):
        plot_dashboard(sessions, pain)
    with pytest.raises(ValueError, match="not in the logs"):
        plot_dashboard(sessions, pain, patient_id="P99")
    fig = plot_dashboard(sessions, pain, patient_id="P04")
    assert "P04" in fig.get_suptitle()


def test_update_dashboard_matches_draw_dashboard(sample):
    from backrx_analysis.plots import dashboard_axes, draw_dashboard, update_dashboard

    trend = pain_trend(sample[1])
    period = ("2026-03-16", "2026-04-12")
    daily = daily_adherence(sample[0], start=period[0], end=period[1])
    fresh = dashboard_axes(Figure())
    draw_dashboard(daily, trend, fresh, start=period[0], end=period[1], label="P")
    kept = dashboard_axes(Figure())
    draw_dashboard(daily_adherence(sample[0]), trend, kept, label="P")
    assert update_dashboard(daily, trend, kept, start=period[0], end=period[1], label="P")
    for a, b in zip(kept, fresh, strict=True):
        _same(_drawn(a), _drawn(b))
    assert kept[0].figure.get_suptitle() == fresh[0].figure.get_suptitle()


def test_dashboard_axes_gain_function_panels_on_the_same_axis(sample):
    from backrx_analysis.plots.dashboard import dashboard_axes, draw_dashboard

    outcomes = bx.load_outcomes(bx.sample_path("outcomes"))
    trend = bx.outcomes_trend(outcomes)
    fig = Figure(figsize=(8, 11), layout="constrained")
    axes = dashboard_axes(fig, function_panels=2)
    assert len(axes) == 6
    two = trend[trend["questionnaire"].isin(["odi", "rmdq"])]
    draw_dashboard(daily_adherence(sample[0]), pain_trend(sample[1]), axes, function=two)
    assert axes[-1].get_xlabel() == "Date" and axes[3].get_xlabel() == ""
    for ax in axes[1:]:
        assert axes[0].get_shared_x_axes().joined(axes[0], ax)
    odi = by_gid(axes[4], "score-odi")
    want = two.loc[(two["questionnaire"] == "odi") & two["scored"], "score"]
    np.testing.assert_allclose(odi.get_ydata(), want.to_numpy(dtype=float))
    by_gid(axes[5], "score-rmdq")
    # the date axis is the period's, not the single visits'
    assert axes[5].get_xlim() == axes[0].get_xlim()
