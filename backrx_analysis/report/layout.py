"""Page furniture of the clinician report: A4 pages, boxes placed in inches, wrapped
paragraphs, tables that continue on the next page, footers.

Generic drawing helpers with no knowledge of the data; the pages themselves are in
:mod:`backrx_analysis.report.pages`.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from .._version import __version__
from ..plots.style import A4_PORTRAIT, style_context

_PT = 72.0  # points per inch
_GREY = "#555555"
_STRIPE = "#F2F2F2"
_MARGIN = 0.55  # inches
_WIDTH = A4_PORTRAIT[0] - 2 * _MARGIN


def _page(layout: str | None = None) -> Figure:
    return Figure(figsize=A4_PORTRAIT, layout=layout)


def _box(fig: Figure, left: float, top: float, width: float, height: float) -> Axes:
    """Axes at a position given in inches from the page's top-left corner."""
    w, h = fig.get_size_inches()
    return fig.add_axes((left / w, 1 - (top + height) / h, width / w, height / h))


def _text_box(fig: Figure, left: float, top: float, width: float, height: float) -> Axes:
    """Axes for text and tables, in points from its top-left corner."""
    ax = _box(fig, left, top, width, height)
    ax.set_axis_off()
    ax.set_xlim(0, width * _PT)
    ax.set_ylim(height * _PT, 0)
    return ax


def _wrap(text: str, width_pt: float, fontsize: float) -> str:
    chars = max(8, int(width_pt / (fontsize * 0.56)))
    return "\n".join(textwrap.fill(part, chars) if part else "" for part in str(text).split("\n"))


def _paragraph(ax: Axes, y: float, text: str, *, width_pt: float, fontsize: float = 9,
               x: float = 0, weight: str = "normal", color: str = "black") -> float:
    """Wrapped text at ``y`` (points from the top); returns the y under it."""
    wrapped = _wrap(text, width_pt, fontsize)
    ax.text(x, y, wrapped, fontsize=fontsize, va="top", ha="left", fontweight=weight,
            color=color, linespacing=1.3)
    return y + (wrapped.count("\n") + 1) * fontsize * 1.3 + fontsize * 0.5


@functools.cache
def _line_pitch(fontsize: float) -> float:
    """Points from one line of a multi-line text to the next at ``linespacing=1``
    (measured, so it holds whatever rule the installed matplotlib uses)."""
    with style_context():
        fig = Figure(dpi=72)
        canvas = FigureCanvasAgg(fig)
        one = fig.text(0, 0, "Ag", fontsize=fontsize, linespacing=1.0)
        two = fig.text(0, 0, "Ag\nAg\nAg", fontsize=fontsize, linespacing=1.0)
        r = canvas.get_renderer()
        return (two.get_window_extent(r).height - one.get_window_extent(r).height) / 2


def _table(ax: Axes, y: float, header: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[float], *, fontsize: float = 8, bottom: float | None = None,
           align: Sequence[str] | None = None) -> tuple[float, int]:
    """Rows of text in columns (widths in points); zebra stripes; header in bold.

    Draws the rows that fit above ``bottom`` (points from the top); returns the y
    under the table and how many rows were drawn (the caller continues the rest on
    another page).
    """
    align = align or ["left"] * len(widths)
    xs = np.concatenate([[0.0], np.cumsum(widths)[:-1]])
    lh = fontsize * 1.3
    pad = 3.0

    def cells(values: Sequence[str]) -> list[str]:
        return [_wrap(v, w - 2 * pad, fontsize) for v, w in zip(values, widths, strict=True)]

    def draw(values: list[str], y0: float, bold: bool) -> float:
        lines = max(v.count("\n") + 1 for v in values)
        for v, x0, w, a in zip(values, xs, widths, align, strict=True):
            xt = x0 + pad if a == "left" else x0 + w - pad
            ax.text(xt, y0 + pad, v, fontsize=fontsize, va="top", ha=a, linespacing=1.3,
                    fontweight="bold" if bold else "normal")
        return lines * lh + 2 * pad

    h = draw(cells(header), y, True)
    ax.plot([0, sum(widths)], [y + h, y + h], color="#333333", linewidth=0.8)
    y += h
    wrapped_rows = [cells(row) for row in rows]
    heights = [max(v.count("\n") + 1 for v in r) * lh + 2 * pad for r in wrapped_rows]
    n = len(rows)
    if bottom is not None:
        ends = y + np.cumsum(heights)
        n = int(np.searchsorted(ends, bottom, side="right"))
    total = float(sum(heights[:n]))
    tops = y + np.concatenate([[0.0], np.cumsum(heights[:n])])
    right = float(sum(widths))
    stripes = [[(0, tops[i]), (right, tops[i]), (right, tops[i + 1]), (0, tops[i + 1])]
               for i in range(0, n, 2)]
    if stripes:
        ax.add_collection(PolyCollection(stripes, facecolors=_STRIPE, linewidths=0, zorder=0),
                          autolim=False)
    if n and all(hh == lh + 2 * pad for hh in heights[:n]):
        # every row is one line: one multi-line text per column (a table of a year of
        # weeks draws in a few milliseconds instead of one text per cell)
        spacing = (lh + 2 * pad) / _line_pitch(fontsize)
        for col, (x0, w, a) in enumerate(zip(xs, widths, align, strict=True)):
            xt = x0 + pad if a == "left" else x0 + w - pad
            ax.text(xt, y + pad, "\n".join(r[col] for r in wrapped_rows[:n]), fontsize=fontsize,
                    va="top", ha=a, multialignment=a, linespacing=spacing)
    else:
        y0 = y
        for r, hh in zip(wrapped_rows[:n], heights[:n], strict=True):
            draw(r, y0, False)
            y0 += hh
    return y + total + 6, n


def _footers(pages: list[Figure], label: str, period: str, generated: str) -> None:
    n = len(pages)
    for k, fig in enumerate(pages, start=1):
        fig.text(0.5 / A4_PORTRAIT[0], 0.3 / A4_PORTRAIT[1],
                 f"backrx {__version__} \u00b7 {label} \u00b7 {period} \u00b7 generated {generated}",
                 fontsize=8, color=_GREY, ha="left", va="bottom")
        fig.text(1 - 0.5 / A4_PORTRAIT[0], 0.3 / A4_PORTRAIT[1], f"Page {k} of {n}",
                 fontsize=8, color=_GREY, ha="right", va="bottom")


def _table_pages(title: str, header: list[str], rows: list[list[str]],
                 widths: Callable[[float], list[float]], *,
                 intro: Callable[[Any, float, float], float] | None = None,
                 empty: str | None = None, gap: float = 0, **table_kw: Any) -> list[Figure]:
    """A table over as many A4 pages as it needs: the title on each (``(continued)``
    after the first), ``intro(box, y, width)`` under it, then the rows that fit;
    ``empty`` on a single page when there are no rows."""
    pages: list[Figure] = []
    done = 0
    while True:
        fig = _page()
        height = A4_PORTRAIT[1] - 1.2
        box = _text_box(fig, _MARGIN, 0.45, _WIDTH, height)
        w = _WIDTH * _PT
        y = _paragraph(box, 0, title + (" (continued)" if pages else ""),
                       width_pt=w, fontsize=14, weight="bold")
        if intro is not None:
            y = intro(box, y, w)
        if not rows and empty is not None:
            _paragraph(box, y, empty, width_pt=w)
            return [fig]
        _, n = _table(box, y + gap, header, rows[done:], widths(w), fontsize=8,
                      bottom=height * _PT, **table_kw)
        pages.append(fig)
        done += n
        if done >= len(rows) or n == 0:
            return pages
