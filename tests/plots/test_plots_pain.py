"""The pain trend: its lines are the trend frame's, and the improvement threshold."""

from __future__ import annotations

import numpy as np
import pytest
from factories import make_pain
from matplotlib.figure import Figure
from plots_helpers import by_gid

from backrx_analysis.analysis.pain import pain_trend
from backrx_analysis.plots.pain import improvement_threshold, plot_pain_trend


@pytest.fixture(scope="module")
def trend(sample):
    return pain_trend(sample[1])


def test_pain_trend_lines_match_the_trend_frame(trend):
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_pain_trend(trend, ax=ax) is ax
    roll = by_gid(ax, "pain-rolling-mean")
    np.testing.assert_allclose(np.asarray(roll.get_ydata(), dtype=float),
                               trend["rolling_mean"].to_numpy(dtype=float), equal_nan=True)
    base = float(trend["baseline"].iloc[0])
    np.testing.assert_allclose(by_gid(ax, "pain-baseline").get_ydata(), [base, base])
    line = max(base - 2, 0.7 * base)
    np.testing.assert_allclose(by_gid(ax, "pain-mcid").get_ydata(), [line, line])
    flares = by_gid(ax, "pain-flares")
    assert len(flares.get_xdata()) == int(trend["flare"].sum())
    rated = trend["pain_mean"].notna()
    np.testing.assert_allclose(by_gid(ax, "pain-daily-mean").get_ydata(),
                               trend.loc[rated, "pain_mean"].to_numpy())
    assert len(by_gid(ax, "pain-range").get_segments()) == int(rated.sum())
    assert ax.get_ylim() == (0.0, 10.5)
    assert ax.get_ylabel() == "Pain (0\u201310 NRS)"


def test_pain_trend_with_nan_rolling_days_keeps_nan():
    pain = make_pain([{"date": "2026-03-01", "pain": 6.0}, {"date": "2026-03-20", "pain": 3.0}])
    trend = pain_trend(pain)
    assert trend["rolling_mean"].isna().any()
    ax = plot_pain_trend(trend)
    y = np.asarray(by_gid(ax, "pain-rolling-mean").get_ydata(), dtype=float)
    np.testing.assert_array_equal(np.isnan(y), trend["rolling_mean"].isna().to_numpy())


@pytest.mark.parametrize(("baseline", "expected"), [(8.0, 6.0), (5.0, 3.5), (6.0, 4.2),
                                                    (10.0, 8.0)])
def test_improvement_threshold_is_whichever_is_reached_first(baseline, expected):
    assert improvement_threshold(baseline) == pytest.approx(expected)
