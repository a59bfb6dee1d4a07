"""Minute charts: daily exercise minutes against their band, walk minutes against theirs.

:func:`plot_daily_minutes` draws the frame of
:func:`~backrx_analysis.analysis.adherence.daily_adherence` for one patient;
:func:`update_daily_minutes` brings a drawn chart to another period in place. The
repetitions heatmap is in :mod:`backrx_analysis.plots.adherence`.

Examples
--------
>>> import backrx_analysis as bx
>>> from backrx_analysis.analysis.adherence import daily_adherence
>>> from backrx_analysis.plots.minutes import plot_daily_minutes
>>> sessions, pain = bx.load_sample()
>>> ax = plot_daily_minutes(daily_adherence(sessions))
>>> ax.get_ylabel()
'Exercise (min/day)'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..prescriptions import shown_program
from ..program import Program, default_program
from .adherence import _by_gid
from .style import (
    COLORS,
    date_nums,
    format_date_axis,
    legend_above,
    mark_versions,
    new_axes,
    no_data,
    one_patient,
    styled,
    version_runs,
)

__all__ = ["plot_daily_minutes", "update_daily_minutes"]


def _minute_bars(ax: Axes, x: np.ndarray, minutes: np.ndarray, status: pd.Series, *,
                 band: Any, label: str, width: float = 0.8, offset: float = 0.0,
                 gid: str, mark_over: bool = True, color: str | None = None) -> None:
    """One bar per day as a single collection (fast for a year of days).

    The collection has gid ``gid``; path ``i`` is the bar of row ``i``, from 0 to
    ``minutes[i]``. When ``ax`` already holds that collection (and its ``-over``
    markers), they get the new days instead.
    """
    # no status: nothing in force that day (or the minutes unknown): grey, not "none"
    status = status.astype("string").fillna("no_band")
    colors = ([color] * len(x) if color else
              [COLORS.get(str(s), COLORS["in_range"]) if s != "no_band" else COLORS["not_logged"]
               for s in status])
    left = x + offset - width / 2
    heights = np.nan_to_num(minutes)
    verts = np.stack([
        np.column_stack([left, np.zeros_like(left)]),
        np.column_stack([left, heights]),
        np.column_stack([left + width, heights]),
        np.column_stack([left + width, np.zeros_like(left)]),
    ], axis=1)
    bars = _by_gid(ax, gid)
    if bars is None:
        bars = PolyCollection(verts, facecolors=colors, linewidths=0, zorder=2, label=label)
        bars.set_gid(gid)
        ax.add_collection(bars, autolim=False)
    else:
        bars.set_verts(verts)
        bars.set_facecolor(colors)
    if len(x):
        ax.update_datalim([(left.min(), 0), (left.max() + width, 0)])
        ax.autoscale_view(scaley=False)
    over = np.asarray(status == "over")
    top = float(np.nanmax(minutes)) if len(minutes) and np.isfinite(minutes).any() else 0.0
    over_x, over_y = x[over] + offset, minutes[over] + 0.04 * max(top, band.high)
    marks = _by_gid(ax, f"{gid}-over")
    if marks is not None:
        marks.set_data(over_x, over_y)
    elif mark_over and over.any():
        ax.plot(over_x, over_y, linestyle="none", marker="v", markersize=4,
                color=COLORS["over"], zorder=3, label=f"over {band.high:g} min",
                gid=f"{gid}-over")
    # minutes unknown (an entry that says it was done, without its minutes): a "?"
    # where the bar would be, never a bar of 0 or of the target
    unknown = np.isnan(minutes)
    q_x, q_y = x[unknown] + offset, np.full(int(unknown.sum()), 0.06 * max(top, band.high))
    qs = _by_gid(ax, f"{gid}-unknown")
    if qs is not None:
        qs.set_data(q_x, q_y)
    elif unknown.any():
        ax.plot(q_x, q_y, linestyle="none", marker="$?$", markersize=7, color="#4B3B7A",
                zorder=3, label="done, minutes not recorded", gid=f"{gid}-unknown")


def _unknown_handle(*minutes: np.ndarray) -> list[Any]:
    """The legend entry of the "?" markers, when a day's minutes are unknown."""
    if not any(np.isnan(m).any() for m in minutes):
        return []
    return [Line2D([], [], linestyle="none", marker="$?$", markersize=7, color="#4B3B7A",
                   label="done, minutes not recorded")]


def _band(ax: Axes, band: Any, *, label: str, gid: str, runs: list | None = None,
          walk: bool = False) -> None:
    """The target band: across the chart, or, for a prescription history, each
    version's own band over the days it was in force (one collection)."""
    if not runs:
        patch = ax.axhspan(band.low, band.high, facecolor=COLORS["band"], alpha=0.18,
                           linewidth=0, zorder=0, label=label)
        patch.set_gid(gid)
        return
    verts = []
    for x0, x1, v in runs:
        b = v.program.walk_minutes if walk else v.program.exercise_minutes
        verts.append([(x0, b.low), (x0, b.high), (x1, b.high), (x1, b.low)])
    patch = PolyCollection(verts, facecolors=COLORS["band"], alpha=0.18, linewidths=0,
                           zorder=0, label=label)
    patch.set_gid(gid)
    ax.add_collection(patch, autolim=False)


def _minute_handles(band: Any, what: str, mark_over: bool = True) -> list[Any]:
    over: Any = (Line2D([], [], color=COLORS["over"], marker="v", linestyle="none", markersize=4,
                        label=f"over {band.high:g}") if mark_over
                 else Patch(facecolor=COLORS["over"], label=f"over {band.high:g}"))
    return [
        Patch(facecolor=COLORS["band"], alpha=0.18, label=f"{what} {band.low:g}\u2013{band.high:g} min"),
        Patch(facecolor=COLORS["in_range"], label="in range"),
        Patch(facecolor=COLORS["under"], label=f"under {band.low:g}"),
        over,
    ]


def _set_minutes_ylim(ax: Axes, minutes: np.ndarray, band: Any) -> None:
    top = float(np.nanmax(minutes)) if len(minutes) and np.isfinite(minutes).any() else 0.0
    ax.set_ylim(0, max(band.high * 1.3, top * 1.12, 1.0))


@styled
def plot_daily_minutes(
    daily: pd.DataFrame,
    *,
    program: Program | None = None,
    ax: Axes | None = None,
    walk: bool = True,
    walk_ax: Axes | None = None,
    legend: bool = True,
) -> Axes:
    """Daily exercise minutes as bars against the program's band; walks beside them.

    Bars are coloured by ``minutes_status``: in range (blue), under the band
    (sky blue), over it (vermillion, with a ``v`` marker above the bar). The band
    (``program.exercise_minutes``, 10-30 min) is shaded.

    Walk minutes (``walk=True``) are drawn against the walk band (10-20 min):

    - on ``walk_ax`` when given, as bars with the same colours and their own band;
    - with ``ax=None`` and no ``walk_ax``: on a second Axes under the first, in a
      new Figure;
    - with only ``ax``: as thin dark bars beside each day's exercise bar, the walk
      band as two dotted lines.

    Parameters
    ----------
    daily : DataFrame
        Output of :func:`~backrx_analysis.analysis.adherence.daily_adherence` for one patient.
    program : Program, optional
        Supplies the bands (default program when omitted).
    ax, walk_ax : Axes, optional
        Where to draw exercise minutes and walk minutes.
    walk : bool
        Draw walk minutes.
    legend : bool
        Draw the legends.

    Returns
    -------
    Axes
        The exercise-minute Axes. Its bars are one ``PolyCollection`` with gid
        ``"exercise-minutes"`` (path ``i`` is the bar of row ``i`` of ``daily``, from 0
        to ``exercise_minutes``); the band is the patch with gid ``"exercise-band"``.
        Walk bars: gid ``"walk-minutes"``, band gid ``"walk-band"``.
    """
    program = program or default_program()
    one_patient(daily, "daily adherence")
    if ax is None:
        if walk and walk_ax is None:
            fig = new_axes((8.27, 3.6)).figure
            fig.clear()
            ax, walk_ax = fig.subplots(2, 1, sharex=True, height_ratios=[1.3, 1.0])
        else:
            ax = new_axes((8.27, 2.2))
    format_date_axis(ax)
    runs = version_runs(daily, program)
    shown = shown_program(program, str(daily["patient_id"].iloc[0]) if len(daily) else None)
    ex_band, walk_band = shown.exercise_minutes, shown.walk_minutes
    ax.set_title("Exercise minutes per day")
    ax.set_ylabel("Exercise (min/day)")
    if not len(daily):
        return no_data(ax, "No exercise log in this period")
    x = date_nums(daily["date"])
    minutes = daily["exercise_minutes"].to_numpy(dtype=float)
    _band(ax, ex_band, label=f"target {ex_band}", gid="exercise-band", runs=runs)
    mark_versions(ax, runs)
    same_axes_walk = walk and walk_ax is None
    width = 0.55 if same_axes_walk else 0.8
    _minute_bars(ax, x, minutes, daily["minutes_status"], band=ex_band, label="exercise minutes",
                 width=width, offset=-0.13 if same_axes_walk else 0.0, gid="exercise-minutes")
    tops = [minutes]
    handles = _minute_handles(ex_band, "target")
    if same_axes_walk:
        wm = daily["walk_minutes"].to_numpy(dtype=float)
        _minute_bars(ax, x, wm, daily["walk_status"], band=walk_band, label="walk minutes",
                     width=0.25, offset=0.32, gid="walk-minutes", mark_over=False,
                     color="#444444")
        for y in (walk_band.low, walk_band.high):
            ax.axhline(y, color="#444444", linestyle=":", linewidth=1, zorder=1, gid="walk-band")
        handles += [Patch(facecolor="#444444", label=f"walk (target {walk_band})")]
        tops.append(wm)
        ax.set_title("Exercise and walk minutes per day")
    _set_minutes_ylim(ax, np.concatenate(tops), ex_band)
    if legend:
        legend_above(ax, handles + _unknown_handle(*tops))
    if walk and walk_ax is not None:
        format_date_axis(walk_ax)
        wm = daily["walk_minutes"].to_numpy(dtype=float)
        _band(walk_ax, walk_band, label=f"walk target {walk_band}", gid="walk-band", runs=runs,
              walk=True)
        mark_versions(walk_ax, runs, label=False)
        _minute_bars(walk_ax, x, wm, daily["walk_status"], band=walk_band, label="walk minutes",
                     gid="walk-minutes", mark_over=False)
        _set_minutes_ylim(walk_ax, wm, walk_band)
        walk_ax.set_title("Walk minutes per day")
        walk_ax.set_ylabel("Walk (min/day)")
        if legend:
            legend_above(walk_ax, _minute_handles(walk_band, "walk target", mark_over=False)
                         + _unknown_handle(wm))
    return ax


# -- new period, same chart ---------------------------------------------------------


@styled
def update_daily_minutes(daily: pd.DataFrame, *, ax: Axes, walk_ax: Axes | None = None,
                         program: Program | None = None) -> bool:
    """Show ``daily`` (another period of the same patient) on a chart drawn by
    :func:`plot_daily_minutes` on ``ax`` (walk minutes on ``walk_ax``, or none): the
    bars, markers and y limits change, the bands, titles and legends stay. Faster
    than drawing the chart again, for the same result.

    Returns False, changing nothing, when the Axes hold no such chart (walk bars
    beside the exercise bars included) or ``daily`` is empty.
    """
    program = program or default_program()
    if version_runs(daily, program):  # bands per version: drawn again, not moved
        return False
    if (not len(daily) or _by_gid(ax, "exercise-minutes") is None
            or _by_gid(ax, "walk-minutes") is not None
            or (walk_ax is not None and _by_gid(walk_ax, "walk-minutes") is None)):
        return False
    x = date_nums(daily["date"])
    for a, column, band, gid in ((ax, "exercise", program.exercise_minutes, "exercise-minutes"),
                                 (walk_ax, "walk", program.walk_minutes, "walk-minutes")):
        if a is None:
            continue
        minutes = daily[f"{column}_minutes"].to_numpy(dtype=float)
        status = daily["minutes_status" if column == "exercise" else "walk_status"]
        a.ignore_existing_data_limits = True  # the limits are those of this period only
        _minute_bars(a, x, minutes, status, band=band, label=f"{column} minutes", gid=gid,
                     mark_over=column == "exercise")
        _set_minutes_ylim(a, minutes, band)
    return True


# -- calendar -----------------------------------------------------------------------
