"""The repetitions heatmap: it draws the frame of
:func:`~backrx_analysis.analysis.adherence.daily_adherence`.

:func:`plot_reps_heatmap` is the exercise x day grid of repetitions against the
target; :func:`update_reps_heatmap` brings a drawn one to another period in place.
The minute charts are in :mod:`backrx_analysis.plots.minutes`, the calendar in
:mod:`backrx_analysis.plots.calendar`; the shared look in
:mod:`backrx_analysis.plots.style`.

Examples
--------
>>> import backrx_analysis as bx
>>> from backrx_analysis.analysis.adherence import daily_adherence
>>> from backrx_analysis.plots.adherence import plot_reps_heatmap
>>> sessions, pain = bx.load_sample()
>>> ax = plot_reps_heatmap(daily_adherence(sessions))
>>> len(ax.get_yticks())
5
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba_array
from matplotlib.patches import Patch

from ..program import Program, default_program
from .style import (
    COLORS,
    NOT_LOGGED_HATCH,
    boxes,
    date_nums,
    exercise_label,
    format_date_axis,
    legend_above,
    mark_versions,
    new_axes,
    no_data,
    one_patient,
    styled,
    version_runs,
)

__all__ = [
    "REPS_CATEGORIES",
    "plot_reps_heatmap",
    "update_reps_heatmap",
]

#: Cell categories of :func:`plot_reps_heatmap`, in code order.
REPS_CATEGORIES = ("none", "partial", "met", "not_logged", "unknown", "not_prescribed")

_LABELS = {
    "none": "0 reps",
    "partial": "some, below target",
    "met": "target met",
    "not_logged": "nothing logged that day",
    "unknown": "done, reps not recorded",
    "not_prescribed": "not prescribed",
}


def _exercise_ids(daily: pd.DataFrame, program: Program) -> list[str]:
    ids = [i for i in program.exercise_ids if f"met_{i}" in daily.columns]
    return ids or [c[4:] for c in daily.columns if c.startswith("met_")]


def _not_logged_overlay(ax: Axes, x: np.ndarray, height: float, *, gid: str) -> None:
    """Hatched columns over the days with nothing logged (the collection ``gid``; an
    existing one gets the new columns)."""
    rects = boxes(x - 0.5, np.zeros(len(x)), 1.0, height)
    coll = _by_gid(ax, gid)
    if coll is not None:
        coll.set_verts(rects)
        return
    if not len(x):
        return
    coll = PolyCollection(rects, facecolor="none", edgecolor=COLORS["hatch"], linewidth=0,
                          hatch=NOT_LOGGED_HATCH, zorder=2)
    coll.set_gid(gid)
    ax.add_collection(coll, autolim=False)


def _by_gid(ax: Axes, gid: str) -> Any:
    """The artist of ``ax`` with this gid, or None."""
    return next((a for a in ax.get_children() if a.get_gid() == gid), None)


# -- heatmap ------------------------------------------------------------------------


def _heatmap_cells(daily: pd.DataFrame, ids: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day numbers, (exercises x days x 4) RGBA cell colours and the logged days."""
    x = date_nums(daily["date"])
    logged = daily["logged"].to_numpy(dtype=bool)
    codes = np.empty((len(ids), len(daily)), dtype=np.int64)
    for row, i in enumerate(ids):
        reps = daily[f"reps_{i}"].to_numpy(dtype=float, na_value=np.nan)
        met = pd.array(daily[f"met_{i}"], dtype="boolean")
        known = ~met.isna()
        met = met.to_numpy(dtype=bool, na_value=False)
        # an entry without its reps (an app that records only that it was done):
        # neither met nor 0, its own colour
        codes[row] = np.where(~known, 4, np.where(met, 2, np.where(reps > 0, 1, 0)))
    codes[:, ~logged] = 3
    for row, i in enumerate(ids):  # a version that does not prescribe it that day
        if f"target_{i}" in daily.columns:
            codes[row, daily[f"target_{i}"].isna().to_numpy()] = 5
    palette = to_rgba_array([COLORS[c] for c in REPS_CATEGORIES])
    return x, palette[codes], logged


@styled
def plot_reps_heatmap(
    daily: pd.DataFrame,
    *,
    program: Program | None = None,
    ax: Axes | None = None,
    legend: bool = True,
    title: str | None = None,
) -> Axes:
    """Exercise x day grid: was each exercise done to its target that day?

    Each cell is one exercise on one day: **target met** (bluish green), **some,
    below target** (yellow), **0 reps** on a day something else was logged
    (vermillion), or **nothing logged that day** (grey, hatched). Straight leg raise
    shows the weaker leg (``reps_straight_leg_raise``, the smaller of the two).

    Parameters
    ----------
    daily : DataFrame
        Output of :func:`~backrx_analysis.analysis.adherence.daily_adherence` for one patient.
    program : Program, optional
        Names and targets of the exercises (rows, in program order).
    ax : Axes, optional
        Draw here (a new Figure otherwise).
    legend : bool
        Draw the legend.
    title : str, optional
        Title (default names the target; ``""`` for none).

    Returns
    -------
    Axes
        The cells are one image (gid ``"reps-heatmap"``): ``get_array()`` is an
        (exercises x days x 4) RGBA array, rows = exercises in program order,
        columns = the rows of ``daily``; each cell is the colour
        (:data:`~backrx_analysis.plots.COLORS`) of its category.
    """
    program = program or default_program()
    one_patient(daily, "daily adherence")
    if ax is None:
        ax = new_axes((8.27, 2.6))
    format_date_axis(ax)
    ids = _exercise_ids(daily, program)
    if title is None:
        title = _heatmap_title(program, ids, daily)
    if title:
        ax.set_title(title)
    if not len(daily):
        return no_data(ax, "No exercise log in this period")
    x, colors, logged = _heatmap_cells(daily, ids)
    # One image, one pixel per cell (days are consecutive rows of ``daily``): crisp
    # in every viewer and fast to write for a year of days.
    image = ax.imshow(colors, extent=(x[0] - 0.5, x[-1] + 0.5, len(ids), 0), aspect="auto",
                      interpolation="none", origin="upper", zorder=1)
    image.set_gid("reps-heatmap")
    _not_logged_overlay(ax, x[~logged], len(ids), gid="reps-not-logged")
    _heatmap_rows(ax, program, ids)
    mark_versions(ax, version_runs(daily, program))
    ax.tick_params(axis="y", length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    if legend:
        shown = ("met", "partial", "none") + tuple(
            c for c in ("unknown", "not_prescribed")
            if (colors == to_rgba_array([COLORS[c]])[0]).all(axis=-1).any())
        handles = [Patch(facecolor=COLORS[c], label=_LABELS[c], edgecolor=COLORS["hatch"],
                         linewidth=0.6 if c == "not_prescribed" else 0) for c in shown]
        handles.append(Patch(facecolor=COLORS["not_logged"], edgecolor=COLORS["hatch"],
                             linewidth=0, hatch=NOT_LOGGED_HATCH, label=_LABELS["not_logged"]))
        legend_above(ax, handles)
    return ax


def _heatmap_title(program: Program, ids: list[str], daily: pd.DataFrame | None = None) -> str:
    if daily is not None and "version" in daily.columns and daily["version"].notna().any():
        return "Each exercise against the day's target (the version in force)"
    targets = sorted({program.exercise(i).target_reps for i in ids if i in program.exercise_ids})
    target = f"{targets[0]} reps" if len(targets) == 1 else "its target"
    return f"Each exercise against its daily target ({target})"


def _heatmap_rows(ax: Axes, program: Program, ids: list[str]) -> None:
    """One row per exercise: names, white lines between rows, the y limits."""
    for line in [a for a in ax.lines if a.get_gid() == "reps-row-line"]:
        line.remove()
    for y in range(1, len(ids)):
        ax.axhline(y, color="white", linewidth=1.2, zorder=3, gid="reps-row-line")
    ax.set_ylim(len(ids), 0)
    ax.set_yticks(np.arange(len(ids)) + 0.5, [exercise_label(program, i) for i in ids])


# -- minutes ------------------------------------------------------------------------


@styled
def update_reps_heatmap(daily: pd.DataFrame, *, ax: Axes, program: Program | None = None
                        ) -> bool:
    """Show ``daily`` (another period, or other exercises, of the same patient) on a
    heatmap drawn by :func:`plot_reps_heatmap` on ``ax``: the cells change, and the
    rows when the exercises did; the legend stays. Faster than drawing the chart
    again, for the same result.

    Returns False, changing nothing, when ``ax`` holds no heatmap or ``daily`` is
    empty (draw the chart again then).
    """
    program = program or default_program()
    image = _by_gid(ax, "reps-heatmap")
    if image is None or not len(daily):
        return False
    ids = _exercise_ids(daily, program)
    x, colors, logged = _heatmap_cells(daily, ids)
    ax.ignore_existing_data_limits = True  # the limits are those of this period only
    image.set_data(colors)
    image.set_extent((x[0] - 0.5, x[-1] + 0.5, len(ids), 0))
    _not_logged_overlay(ax, x[~logged], len(ids), gid="reps-not-logged")
    labels = [exercise_label(program, i) for i in ids]
    if [t.get_text() for t in ax.get_yticklabels()] != labels:
        if ax.get_title().startswith("Each exercise against its daily target"):
            ax.set_title(_heatmap_title(program, ids))
        _heatmap_rows(ax, program, ids)
    return True
