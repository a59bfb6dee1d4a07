"""plot_function: a panel per questionnaire given, the scores drawn are those of
outcomes_trend, the baseline and improvement lines at the hand-worked levels."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from plots_helpers import by_gid

import backrx_analysis as bx
from backrx_analysis.plots.function import plot_function, questionnaires_given


def _trend():
    return bx.outcomes_trend(bx.load_outcomes(bx.sample_path("outcomes")))


def test_a_panel_per_questionnaire_with_its_scores():
    trend = _trend()
    axes = plot_function(trend, fig=Figure())
    assert questionnaires_given(trend) == ["odi", "rmdq", "psfs", "ears"]
    assert len(axes) == 4
    for ax, q in zip(axes, ("odi", "rmdq", "psfs", "ears"), strict=True):
        want = trend.loc[(trend["questionnaire"] == q) & trend["scored"]].sort_values("date")
        line = by_gid(ax, f"score-{q}")
        np.testing.assert_allclose(line.get_ydata(), want["score"].to_numpy(dtype=float))
        np.testing.assert_allclose(line.get_xdata(), mdates.date2num(want["date"]))


def test_baseline_and_improvement_levels():
    """ODI baseline 56: improved at max(56 - 10, 56 x 0.7) = 46; PSFS baseline b:
    improved at b + 2; EARS has no improvement line."""
    trend = _trend()
    axes = plot_function(trend, fig=Figure())
    levels = {q: sorted({round(float(y), 3) for ln in ax.get_lines() if ln.get_gid() is None
                         for y in ln.get_ydata()}) for q, ax in zip(
        ("odi", "rmdq", "psfs", "ears"), axes, strict=True)}
    base = trend[trend["is_baseline"].fillna(False).astype(bool)].set_index("questionnaire")
    odi = float(base.loc["odi", "score"])
    assert levels["odi"] == sorted({round(max(odi - 10, odi * 0.7), 3), round(odi, 3)})
    psfs = float(base.loc["psfs", "score"])
    assert levels["psfs"] == sorted({round(psfs, 3), round(psfs + 2, 3)})
    assert levels["ears"] == [round(float(base.loc["ears", "score"]), 3)]


def test_a_period_without_a_visit_says_so():
    trend = _trend()
    lo, hi = mdates.date2num([pd.Timestamp("2026-04-01"), pd.Timestamp("2026-04-14")])
    dates = trend.loc[trend["scored"], "date"]
    assert not dates.between("2026-04-01", "2026-04-14").any()  # the premise
    axes = plot_function(trend, fig=Figure(), xlim=(lo, hi))
    note = [t for t in axes[0].texts if t.get_gid() == "no-visit-note"]
    assert note and "No questionnaire in this period" in note[0].get_text()
    axes = plot_function(trend, fig=Figure(), xlim=(lo - 40, hi))
    assert not [t for t in axes[0].texts if t.get_gid() == "no-visit-note"]


def test_nothing_scored_says_so():
    trend = _trend()
    axes = plot_function(trend.iloc[0:0], fig=Figure())
    assert len(axes) == 1 and "No questionnaire scored" in " ".join(
        t.get_text() for t in axes[0].texts)
