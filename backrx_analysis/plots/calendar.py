"""The adherence calendar: a month grid, one cell per day, coloured by the number
of exercises met (weeks start on Monday).

Day numbers and weekday letters are drawn as one collection of glyph outlines
each, not as one text per day: a year has 365 of them, and drawing texts one by
one is what made a redraw slow.
"""

from __future__ import annotations

import calendar as _calendar
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from .style import COLORS, NOT_LOGGED_HATCH, boxes, new_axes, no_data, one_patient, styled

__all__ = ["calendar_colors", "plot_adherence_calendar"]


@lru_cache(maxsize=512)
def _glyphs(text: str, size: float) -> Path:
    """``text`` as filled outlines ``size`` points high, centred on (0, 0), in points."""
    path = TextPath((0, 0), text, size=size, prop=FontProperties(family=["sans-serif"]))
    ext = path.get_extents()
    return Path(path.vertices - [(ext.x0 + ext.x1) / 2, (ext.y0 + ext.y1) / 2], path.codes)


def _labels(ax: Axes, x, y, texts: list[str], *, size: float, colors, gid: str) -> PathCollection:
    """Short labels centred at data points (x, y), drawn as one collection."""
    coll = PathCollection([_glyphs(t, size) for t in texts], offsets=np.column_stack([x, y]),
                          offset_transform=ax.transData, facecolors=colors, edgecolors="none",
                          linewidths=0, zorder=3)
    # glyphs are in points: to inches, then to pixels at the figure's (saving) dpi
    coll.set_transform(Affine2D().scale(1 / 72) + ax.get_figure(root=True).dpi_scale_trans)
    coll.set_snap(False)  # snapping to pixels would thin the stems of T and F away
    coll.set_gid(gid)
    ax.add_collection(coll, autolim=False)
    return coll


def calendar_colors(n_exercises: int) -> list[tuple[float, float, float, float]]:
    """Colour of 0, 1, ..., ``n_exercises`` exercises met (light to dark, a
    colour-blind-safe sequential ramp, readable in grey scale)."""
    ramp = colormaps["YlGnBu"]
    return [to_rgba(ramp(v)) for v in np.linspace(0.08, 0.92, n_exercises + 1)]


@styled
def plot_adherence_calendar(
    daily: pd.DataFrame,
    *,
    ax: Axes | None = None,
    months_per_row: int | None = None,
    day_numbers: bool | None = None,
    legend: bool = True,
    title: str | None = "Exercises met each day",
) -> Axes:
    """Month-grid calendar (weeks start on Monday), one cell per day.

    A cell's colour is the number of exercises met that day (``exercises_met``,
    0 to n, light to dark); a day with nothing logged is grey and hatched. Days
    outside the frame's span are left blank.

    Parameters
    ----------
    daily : DataFrame
        Output of :func:`~backrx_analysis.analysis.adherence.daily_adherence` for one patient.
    ax : Axes, optional
        Draw here (a new Figure otherwise).
    months_per_row : int, optional
        Months side by side (default: up to 4, or 6 for more than 8 months).
    day_numbers : bool, optional
        Print the day of the month in each cell (default: for up to 8 months).
    legend, title
        Draw the legend / this title (``None``: none).

    Returns
    -------
    Axes
        The cells are one ``PolyCollection`` (gid ``"calendar-days"``), one cell
        per row of ``daily`` in that order, face colour
        ``calendar_colors(n)[exercises_met]`` or ``COLORS["not_logged"]``. Day
        numbers (gid ``"calendar-day-numbers"``, one per cell) and weekday letters
        (``"calendar-weekdays"``) are glyph collections; month names are texts.
    """
    one_patient(daily, "daily adherence")
    if ax is None:
        ax = new_axes((8.27, 3.0))
    if title:
        ax.set_title(title)
    ax.set_axis_off()
    if not len(daily):
        return no_data(ax, "No exercise log in this period")
    n_ex = sum(c.startswith("met_") for c in daily.columns)
    dates = pd.DatetimeIndex(daily["date"])
    met = daily["exercises_met"].to_numpy(dtype=np.int64)
    logged = daily["logged"].to_numpy(dtype=bool)

    month_key = dates.year * 12 + dates.month - 1
    first_month = int(month_key.min())
    n_months = int(month_key.max()) - first_month + 1
    per_row = months_per_row or (min(n_months, 4) if n_months <= 8 else 6)
    numbers = n_months <= 8 if day_numbers is None else day_numbers
    block_w, block_h = 8.0, 8.2  # 7 days + gap; 6 weeks + month name + weekday row

    month_idx = np.asarray(month_key) - first_month
    first_of_month = dates - pd.to_timedelta(dates.day - 1, unit="D")
    lead = np.asarray(first_of_month.day_of_week)  # Monday = 0
    week_row = (np.asarray(dates.day) - 1 + lead) // 7
    bx = (month_idx % per_row) * block_w + np.asarray(dates.day_of_week)
    by = (month_idx // per_row) * block_h + 2.0 + week_row

    palette = calendar_colors(n_ex)
    not_logged = to_rgba(COLORS["not_logged"])
    face = [palette[min(max(m, 0), n_ex)] if lg else not_logged
            for m, lg in zip(met, logged, strict=True)]
    cells = boxes(bx + 0.04, by + 0.04, 0.92, 0.92)
    coll = PolyCollection(cells, facecolors=face, edgecolor="white", linewidth=0.5, zorder=1)
    coll.set_gid("calendar-days")
    ax.add_collection(coll)
    if (~logged).any():
        over = PolyCollection(cells[~logged], facecolor="none", edgecolor=COLORS["hatch"],
                              linewidth=0, hatch=NOT_LOGGED_HATCH, zorder=2)
        over.set_gid("calendar-not-logged")
        ax.add_collection(over)

    for k in range(n_months):
        year, month = divmod(first_month + k, 12)
        x0, y0 = (k % per_row) * block_w, (k // per_row) * block_h
        name = (_calendar.month_name if per_row <= 4 else _calendar.month_abbr)[month + 1]
        ax.text(x0, y0 + 0.45, f"{name} {year}", ha="left",
                va="center", fontsize=9, fontweight="bold")
    k = np.arange(n_months).repeat(7)
    _labels(ax, (k % per_row) * block_w + np.tile(np.arange(7), n_months) + 0.5,
            (k // per_row) * block_h + 1.5, list("MTWTFSS") * n_months, size=8,
            colors="#555555", gid="calendar-weekdays")
    if numbers:
        light = logged & (met >= (n_ex + 1) / 2)  # white on the dark cells
        _labels(ax, bx + 0.5, by + 0.5, [str(d) for d in dates.day], size=8,
                colors=np.where(light[:, None], to_rgba("white"), to_rgba("black")),
                gid="calendar-day-numbers")
    n_rows = (n_months - 1) // per_row + 1
    ax.set_xlim(-0.2, per_row * block_w)
    ax.set_ylim(n_rows * block_h - 0.1, -0.1)
    ax.set_aspect("equal", adjustable="box", anchor="NW")
    if legend:
        handles = [Patch(facecolor=palette[m], label=str(m)) for m in range(n_ex + 1)]
        handles.append(Patch(facecolor=COLORS["not_logged"], edgecolor=COLORS["hatch"],
                             linewidth=0, hatch=NOT_LOGGED_HATCH, label="nothing logged"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                  title=f"Exercises met\n(of {n_ex})", handlelength=1.2, borderaxespad=0.3)
    return ax
