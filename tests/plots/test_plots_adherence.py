"""The repetitions heatmap: cell colours (met, partial, none, not logged), the Axes it
draws on, and bringing it (with the minute bars) to another period in place."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from plots_helpers import HAND, IDS, _drawn, _same, by_gid

from backrx_analysis.analysis.adherence import daily_adherence
from backrx_analysis.plots import COLORS
from backrx_analysis.plots.adherence import plot_reps_heatmap
from backrx_analysis.plots.minutes import plot_daily_minutes
from backrx_analysis.program import default_program


def test_heatmap_cell_colours_met_partial_none_not_logged():
    daily = daily_adherence(HAND)
    ax = plot_reps_heatmap(daily)
    cells = by_gid(ax, "reps-heatmap").get_array()
    assert cells.shape[:2] == (len(IDS), 4)
    c = {k: np.array(to_rgba(COLORS[k])) for k in ("met", "partial", "none", "not_logged")}
    row = {i: r for r, i in enumerate(IDS)}
    np.testing.assert_allclose(cells[:, 0], np.tile(c["met"], (len(IDS), 1)))
    np.testing.assert_allclose(cells[row["ankle_pumps"], 1], c["partial"])
    # straight leg raise: left 10, right 0 -> the weaker side (0) is shown
    np.testing.assert_allclose(cells[row["straight_leg_raise"], 1], c["none"])
    np.testing.assert_allclose(cells[row["wall_squat"], 1], c["none"])
    np.testing.assert_allclose(cells[:, 2], np.tile(c["not_logged"], (len(IDS), 1)))
    np.testing.assert_allclose(cells[:, 3], np.tile(c["none"], (len(IDS), 1)))
    # the four categories are four different colours
    assert len({tuple(v) for v in c.values()}) == 4
    # not-logged days also carry a hatch overlay
    assert by_gid(ax, "reps-not-logged").get_hatch()
    assert ax.get_legend() is not None
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[row["straight_leg_raise"]] == "Straight leg raise (weaker leg)"


def test_heatmap_draws_on_the_axes_given(daily):
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_reps_heatmap(daily, ax=ax) is ax


# -- bringing a chart to another period in place ---------------------------------------


@pytest.mark.parametrize(("first", "then"), [(("2026-03-02", "2026-05-23"), ("2026-03-09", "2026-03-22")),
                                             (("2026-03-09", "2026-03-22"), ("2026-03-02", "2026-05-23"))])
def test_updates_draw_what_drawing_again_draws(sample, first, then):
    from backrx_analysis.plots.adherence import update_reps_heatmap
    from backrx_analysis.plots.minutes import update_daily_minutes

    full = daily_adherence(sample[0])
    part = {k: full[full["date"].between(*k)] for k in (first, then)}
    fresh = Figure().subplots(3, 1)
    plot_reps_heatmap(part[then], ax=fresh[0])
    plot_daily_minutes(part[then], ax=fresh[1], walk_ax=fresh[2])
    kept = Figure().subplots(3, 1)
    plot_reps_heatmap(part[first], ax=kept[0])
    plot_daily_minutes(part[first], ax=kept[1], walk_ax=kept[2])
    assert update_reps_heatmap(part[then], ax=kept[0])
    assert update_daily_minutes(part[then], ax=kept[1], walk_ax=kept[2])
    for a, b in zip(kept, fresh, strict=True):
        _same(_drawn(a), _drawn(b))


def test_updates_refuse_what_they_cannot_update(daily):
    from backrx_analysis.plots.adherence import update_reps_heatmap
    from backrx_analysis.plots.minutes import update_daily_minutes

    ax = Figure().add_subplot()
    assert not update_reps_heatmap(daily, ax=ax)  # nothing drawn yet
    plot_reps_heatmap(daily, ax=ax)
    assert not update_reps_heatmap(daily.iloc[:0], ax=ax)  # an empty period
    ax = plot_daily_minutes(daily)  # two panels
    assert update_daily_minutes(daily, ax=ax, walk_ax=ax.figure.axes[1])
    one = Figure().add_subplot()
    plot_daily_minutes(daily, ax=one)  # walk bars beside the exercise bars: draw again
    assert not update_daily_minutes(daily, ax=one)


def test_heatmap_update_to_other_exercises_matches_a_fresh_drawing(daily):
    from backrx_analysis.plots.adherence import update_reps_heatmap

    fewer = default_program().subset(["wall_squat", "partial_curl_up"])
    ax = Figure().add_subplot()
    plot_reps_heatmap(daily, ax=ax)
    assert update_reps_heatmap(daily, ax=ax, program=fewer)
    fresh = plot_reps_heatmap(daily, ax=Figure().add_subplot(), program=fewer)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Wall squat", "Partial curl-up"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        t.get_text() for t in fresh.get_yticklabels()]
    np.testing.assert_array_equal(by_gid(ax, "reps-heatmap").get_array(),
                                  by_gid(fresh, "reps-heatmap").get_array())
    assert ax.get_ylim() == fresh.get_ylim() == (2, 0)
    rows = [ln for ln in ax.lines if ln.get_gid() == "reps-row-line"]
    assert len(rows) == 1  # one white line between the two rows, the old ones gone
    assert ax.get_title() == fresh.get_title()
