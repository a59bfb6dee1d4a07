"""Pain charts: they draw the frame of :func:`~backrx_analysis.analysis.pain.pain_trend`.

Examples
--------
>>> import backrx_analysis as bx
>>> from backrx_analysis.analysis.pain import pain_trend
>>> from backrx_analysis.plots.pain import plot_pain_trend
>>> sessions, pain = bx.load_sample()
>>> ax = plot_pain_trend(pain_trend(pain))
>>> tuple(float(v) for v in ax.get_ylim())
(0.0, 10.5)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..program import PainRules, Program, default_program
from .style import (
    COLORS,
    date_nums,
    format_date_axis,
    legend_above,
    new_axes,
    no_data,
    one_patient,
    styled,
)

__all__ = ["plot_pain_trend", "improvement_threshold"]


def improvement_threshold(baseline: float, rules: PainRules | None = None) -> float:
    """Trailing mean at or below which pain counts as ``improved``.

    Improved means at least ``rules.mcid_points`` (2) **or** ``rules.mcid_fraction``
    (30 %) of the baseline below it, so the line sits at whichever of the two is
    reached first: ``max(baseline - 2, 0.7 * baseline)``. (The rule itself is
    :func:`~backrx_analysis.analysis.pain.pain_status`; this is where it is drawn.)
    """
    rules = rules or PainRules()
    return max(baseline - rules.mcid_points, (1 - rules.mcid_fraction) * baseline)


@styled
def plot_pain_trend(
    trend: pd.DataFrame,
    *,
    program: Program | None = None,
    ax: Axes | None = None,
    legend: bool = True,
    title: str | None = "Pain",
) -> Axes:
    """Daily pain, its trailing 7-day mean, the baseline and the improvement line.

    Draws, for one patient: each day's ratings as a grey vertical line from the
    lowest to the highest with a dot at the daily mean; the trailing 7-day mean
    (blue line); the baseline (black line); the improvement threshold (green dashed
    line at ``max(baseline - 2, 0.7 x baseline)``: the 7-day mean at or under it is
    a clinically important improvement); flare days (vermillion ``v`` above the
    day). The y axis is the 0-10 scale.

    Parameters
    ----------
    trend : DataFrame
        Output of :func:`~backrx_analysis.analysis.pain.pain_trend` for one patient.
    program : Program, optional
        Supplies the thresholds (``program.pain``) of the improvement line.
    ax : Axes, optional
        Draw here (a new Figure otherwise).
    legend, title
        Draw the legend / this title (``None``: none).

    Returns
    -------
    Axes
        Lines with gids ``"pain-daily-mean"``, ``"pain-rolling-mean"`` (y data =
        ``rolling_mean``), ``"pain-baseline"`` (y = ``baseline``), ``"pain-mcid"``,
        ``"pain-flares"``; the daily ranges are the collection ``"pain-range"``.
    """
    program = program or default_program()
    rules = program.pain
    one_patient(trend, "pain trend")
    if ax is None:
        ax = new_axes((8.27, 2.8))
    format_date_axis(ax)
    if title:
        ax.set_title(title)
    ax.set_ylim(rules.scale_min, rules.scale_max + 0.5)
    ax.set_yticks(np.arange(rules.scale_min, rules.scale_max + 1, 2))
    ax.set_ylabel("Pain (0\u201310 NRS)")
    ax.grid(axis="y")
    ax.set_axisbelow(True)
    if not len(trend):
        return no_data(ax, "No pain ratings")
    x = date_nums(trend["date"])
    mean = trend["pain_mean"].to_numpy(dtype=float)
    low = trend["pain_min"].to_numpy(dtype=float)
    high = trend["pain_max"].to_numpy(dtype=float)
    rated = ~np.isnan(mean)
    handles: list[Line2D] = []

    rng = ax.vlines(x[rated], low[rated], high[rated], color=COLORS["pain_range"],
                    linewidth=1.6, zorder=2)
    rng.set_gid("pain-range")
    (dots,) = ax.plot(x[rated], mean[rated], linestyle="none", marker="o", markersize=2.8,
                      color=COLORS["pain_mean"], zorder=3, label="daily mean and range",
                      gid="pain-daily-mean")
    handles.append(Line2D([], [], color=COLORS["pain_range"], linewidth=1.6, marker="o",
                          markersize=2.8, markerfacecolor=COLORS["pain_mean"],
                          markeredgecolor=COLORS["pain_mean"], label=dots.get_label()))
    (roll,) = ax.plot(x, trend["rolling_mean"].to_numpy(dtype=float), color=COLORS["rolling"],
                      linewidth=2.2, zorder=4, label=f"{rules.window}-day mean",
                      gid="pain-rolling-mean")
    handles.append(roll)

    baseline = trend["baseline"].dropna()
    if len(baseline):
        b = float(baseline.iloc[0])
        base = ax.axhline(b, color=COLORS["baseline"], linewidth=1.1, zorder=1,
                          label=f"baseline {b:.1f}", gid="pain-baseline")
        line = improvement_threshold(b, rules)
        mcid = ax.axhline(line, color=COLORS["mcid"], linewidth=1.4, linestyle=(0, (5, 3)),
                          zorder=1, label=f"improved at \u2264 {line:.1f}", gid="pain-mcid")
        handles += [base, mcid]

    flare = trend["flare"].to_numpy(dtype=bool)
    if flare.any():
        y = np.minimum(high[flare] + 0.55, rules.scale_max + 0.2)
        (fl,) = ax.plot(x[flare], y, linestyle="none", marker="v", markersize=5,
                        color=COLORS["flare"], zorder=5, label="flare", gid="pain-flares")
        handles.append(fl)
    if legend:
        legend_above(ax, handles)
    return ax
