"""Exercise and walk minutes: bar heights, the program's bands, over days, the panels."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from plots_helpers import HAND, bar_heights, by_gid

from backrx_analysis.analysis.adherence import daily_adherence
from backrx_analysis.plots import COLORS
from backrx_analysis.plots.minutes import plot_daily_minutes
from backrx_analysis.program import Band, default_program


def test_minute_bars_equal_exercise_minutes_and_band_is_program_band(daily):
    fig = Figure()
    ax, walk_ax = fig.subplots(2, 1, sharex=True)
    out = plot_daily_minutes(daily, ax=ax, walk_ax=walk_ax)
    assert out is ax
    bars = by_gid(ax, "exercise-minutes")
    np.testing.assert_allclose(bar_heights(bars), daily["exercise_minutes"].to_numpy())
    band = by_gid(ax, "exercise-band")
    low, high = default_program().exercise_minutes.low, default_program().exercise_minutes.high
    ys = band.get_path().transformed(band.get_patch_transform()).vertices[:, 1]
    assert (ys.min(), ys.max()) == (low, high)
    walk_bars = by_gid(walk_ax, "walk-minutes")
    np.testing.assert_allclose(bar_heights(walk_bars), daily["walk_minutes"].to_numpy())
    wband = by_gid(walk_ax, "walk-band")
    wys = wband.get_path().transformed(wband.get_patch_transform()).vertices[:, 1]
    assert (wys.min(), wys.max()) == (10.0, 20.0)


def test_minutes_band_follows_the_program():
    prog = default_program().with_changes(exercise_minutes=Band(15, 40))
    ax = plot_daily_minutes(daily_adherence(HAND, program=prog), program=prog, walk=False)
    band = by_gid(ax, "exercise-band")
    ys = band.get_path().transformed(band.get_patch_transform()).vertices[:, 1]
    assert (ys.min(), ys.max()) == (15.0, 40.0)


def test_over_days_are_marked_and_coloured():
    daily = daily_adherence(HAND)
    ax = plot_daily_minutes(daily, walk=False)
    over = by_gid(ax, "exercise-minutes-over")
    np.testing.assert_allclose(over.get_xdata(), mdates.date2num(np.array(
        ["2026-03-03"], dtype="datetime64[ns]")))
    faces = by_gid(ax, "exercise-minutes").get_facecolors()
    np.testing.assert_allclose(faces[1], to_rgba(COLORS["over"]))
    np.testing.assert_allclose(faces[0], to_rgba(COLORS["in_range"]))


def test_minutes_without_axes_makes_exercise_and_walk_panels(daily):
    ax = plot_daily_minutes(daily)
    assert len(ax.figure.axes) == 2
    assert ax.get_ylabel() == "Exercise (min/day)"
    assert ax.figure.axes[1].get_ylabel() == "Walk (min/day)"


def test_minutes_walk_beside_on_one_axes(daily):
    fig = Figure()
    ax = fig.add_subplot()
    plot_daily_minutes(daily, ax=ax)
    assert len(fig.axes) == 1
    np.testing.assert_allclose(bar_heights(by_gid(ax, "walk-minutes")),
                               daily["walk_minutes"].to_numpy())


def test_dates_on_x_are_the_days(daily):
    ax = plot_daily_minutes(daily, walk=False)
    paths = by_gid(ax, "exercise-minutes").get_paths()
    centres = np.array([(p.vertices[:, 0].min() + p.vertices[:, 0].max()) / 2 for p in paths])
    np.testing.assert_allclose(centres, mdates.date2num(pd.to_datetime(daily["date"]).to_numpy()))
