"""The month-grid calendar: one cell per day, weeks from Monday, day numbers drawn."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from plots_helpers import HAND, IDS, by_gid

from backrx_analysis.analysis.adherence import daily_adherence
from backrx_analysis.plots import COLORS
from backrx_analysis.plots.calendar import calendar_colors, plot_adherence_calendar


def test_calendar_one_cell_per_day_coloured_by_exercises_met():
    daily = daily_adherence(HAND)
    ax = plot_adherence_calendar(daily)
    cells = by_gid(ax, "calendar-days")
    faces = cells.get_facecolors()
    assert len(cells.get_paths()) == len(daily) == 4
    ramp = calendar_colors(len(IDS))
    expected = [ramp[5], ramp[0], to_rgba(COLORS["not_logged"]), ramp[0]]
    np.testing.assert_allclose(faces, np.array(expected))
    assert len(by_gid(ax, "calendar-not-logged").get_paths()) == 1


def test_calendar_weeks_start_monday_and_months_are_labelled(daily):
    ax = plot_adherence_calendar(daily)
    texts = [t.get_text() for t in ax.texts]
    assert {"March 2026", "April 2026", "May 2026"} <= set(texts)
    # 2 March 2026 is a Monday: first column of its block
    cells = by_gid(ax, "calendar-days").get_paths()
    assert cells[0].vertices[:, 0].min() == pytest.approx(0.04)
    assert len(cells) == len(daily)


def test_calendar_day_numbers_and_weekdays_are_one_glyph_collection_each(daily):
    """One day number per cell, centred on it, white on the dark cells; seven
    weekday letters per month; all drawn (glyphs in the rendered image)."""
    ax = plot_adherence_calendar(daily)
    cells = by_gid(ax, "calendar-days").get_paths()
    numbers = by_gid(ax, "calendar-day-numbers")
    centres = np.array([p.vertices[:4].mean(axis=0) for p in cells])
    np.testing.assert_allclose(numbers.get_offsets(), centres)
    assert len(numbers.get_paths()) == len(daily)
    n_ex = len(IDS)
    dark = daily["logged"].to_numpy() & (daily["exercises_met"].to_numpy() >= (n_ex + 1) / 2)
    white = np.all(numbers.get_facecolors()[:, :3] == 1.0, axis=1)
    assert white.tolist() == dark.tolist()
    n_months = daily["date"].dt.to_period("M").nunique()
    assert len(by_gid(ax, "calendar-weekdays").get_offsets()) == 7 * n_months
    # the glyphs are drawn: hiding them changes the picture
    canvas = FigureCanvasAgg(ax.get_figure(root=True))
    canvas.draw()
    with_numbers = np.asarray(canvas.buffer_rgba()).copy()
    numbers.set_visible(False)
    canvas.draw()
    assert (np.asarray(canvas.buffer_rgba()) != with_numbers).any()
