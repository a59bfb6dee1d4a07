"""Charts: what is drawn (bar heights, band limits, line data, cell colours), not pixels."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from factories import make_pain, make_sessions
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import backrx_analysis as bx
from backrx_analysis.analysis.adherence import daily_adherence
from backrx_analysis.analysis.pain import pain_trend
from backrx_analysis.plots import COLORS, PALETTE, STYLE, plot_dashboard
from backrx_analysis.plots.adherence import plot_reps_heatmap
from backrx_analysis.plots.calendar import calendar_colors, plot_adherence_calendar
from backrx_analysis.plots.minutes import plot_daily_minutes
from backrx_analysis.plots.pain import improvement_threshold, plot_pain_trend
from backrx_analysis.program import Band, default_program

IDS = default_program().exercise_ids


@pytest.fixture(scope="module")
def daily(sample):
    return daily_adherence(sample[0])


@pytest.fixture(scope="module")
def trend(sample):
    return pain_trend(sample[1])


def by_gid(ax, gid):
    found = [a for a in ax.get_children() if a.get_gid() == gid]
    assert found, f"nothing with gid {gid!r} drawn"
    return found[0]


def bar_heights(coll):
    return np.array([p.vertices[:, 1].max() for p in coll.get_paths()])


# -- a hand-built daily frame ----------------------------------------------------------

HAND = make_sessions([
    # 2 Mar: every exercise met (SLR both legs), 15 minutes
    *[{"date": "2026-03-02", "exercise": i, "reps": 10} for i in IDS],
    {"date": "2026-03-02", "exercise": "session", "minutes": 15.0},
    # 3 Mar: ankle pumps partial (5), SLR left only (weaker leg 0), 45 minutes
    {"date": "2026-03-03", "exercise": "ankle_pumps", "reps": 5},
    {"date": "2026-03-03", "exercise": "straight_leg_raise", "reps": 10, "side": "left"},
    {"date": "2026-03-03", "exercise": "session", "minutes": 45.0},
    # 4 Mar: nothing logged
    # 5 Mar: a walk only
    {"date": "2026-03-05", "exercise": "walk", "minutes": 12.0},
])


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


def test_dates_on_x_are_the_days(daily):
    ax = plot_daily_minutes(daily, walk=False)
    paths = by_gid(ax, "exercise-minutes").get_paths()
    centres = np.array([(p.vertices[:, 0].min() + p.vertices[:, 0].max()) / 2 for p in paths])
    np.testing.assert_allclose(centres, mdates.date2num(pd.to_datetime(daily["date"]).to_numpy()))


# -- bringing a chart to another period in place ---------------------------------------


def _drawn(ax):
    """What the updatable charts draw, by gid."""
    out = {"xlim": ax.get_xlim(), "ylim": ax.get_ylim()}
    for a in ax.get_children():
        gid = a.get_gid()
        if gid is None:
            continue
        if hasattr(a, "get_array") and gid == "reps-heatmap":
            out[gid] = (np.asarray(a.get_array()), a.get_extent())
        elif hasattr(a, "get_paths") and not hasattr(a, "get_xdata"):
            if not a.get_paths():
                continue  # an emptied collection draws what none draws
            out[gid] = [p.vertices.tolist() for p in a.get_paths()]
            if gid.endswith("minutes"):
                out[gid + "/faces"] = a.get_facecolors().tolist()
        elif hasattr(a, "get_xdata") and len(a.get_xdata()):
            out[gid] = (np.asarray(a.get_xdata(), dtype=float).tolist(),
                        np.asarray(a.get_ydata(), dtype=float).tolist())
    return out


def _same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_equal(a[k], b[k], err_msg=k)


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
