"""A figure kept on screen and redrawn to PNG often (the dashboard's charts).

:class:`LiveFigure` renders a Figure to PNG bytes in two ways:

:meth:`~LiveFigure.full`
    Everything is drawn. The first time, with the figure's layout engine
    (constrained layout), which is then switched off: later drawings keep the Axes
    where they stand. The pixels of the parts that a change of period or of
    exercises leaves as they are (titles, legends, the figure's background) are
    kept.
:meth:`~LiveFigure.redraw`
    Those kept pixels are put back and only the rest is drawn on them: the data,
    the axes, the spines and the figure's title. Call it after the chart
    functions' ``update_*`` helpers changed the data of the same chart (same
    Axes, titles and legends).

Both give the same picture as ``fig.savefig(format="png")`` of the figure as it
stands: a kept part is never drawn over a redrawn one (titles and legends lie
outside the Axes), and when a kept part changed (a title or a legend)
:meth:`~LiveFigure.redraw` draws everything. A row name longer than those the
layout was made for (an exercise chosen again) brings the layout engine back for
that drawing.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib as mpl
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.ticker import FixedLocator

__all__ = ["LiveFigure"]


def _fixed_y(ax: Axes) -> bool:
    return isinstance(ax.yaxis.get_major_locator(), FixedLocator)


def _fixed_labels(fig: Figure) -> set[str]:
    """The tick labels of the y axes with fixed ticks (the exercise names)."""
    return {t.get_text() for ax in fig.axes if _fixed_y(ax) for t in ax.get_yticklabels()}


def _axes_by_zorder(fig: Figure) -> list[Axes]:
    return sorted(fig.axes, key=lambda ax: ax.get_zorder())


def _kept(ax: Axes) -> set[Artist]:
    """The Axes' artists that a change of period leaves as they are."""
    kept: set[Artist] = {ax.patch, ax.title, ax._left_title, ax._right_title}
    kept.update(a for a in ax.get_children() if isinstance(a, Legend))
    return kept


class LiveFigure:
    """Render ``fig`` to PNG, keeping the pixels of what a new period leaves unchanged.

    Parameters
    ----------
    fig : Figure
        Gets a canvas of its own (Agg), so its renderer and the text metrics
        matplotlib caches for it are kept from one drawing to the next.
    pil_kwargs : dict, optional
        Passed to Pillow when writing the PNG.

    Attributes
    ----------
    key : object
        What the caller drew last (free for the caller; ``None`` at first).
    """

    def __init__(self, fig: Figure, *, pil_kwargs: dict[str, Any] | None = None):
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.pil_kwargs = dict(pil_kwargs or {})
        self.key: Any = None
        self._background: Any = None
        self._kept: set[Artist] = set()
        self._state: list[Any] = []
        self._laid_out_labels: set[str] = set()

    def full(self, *, keep: bool = True) -> bytes:
        """Draw everything; with ``keep``, keep the unchanging parts for :meth:`redraw`."""
        fig, canvas = self.fig, self.canvas
        self._background = None
        if fig.get_layout_engine() is None and not _fixed_labels(fig) <= self._laid_out_labels:
            fig.set_layout_engine("constrained")  # a longer row name may need more room
        if fig.get_layout_engine() is not None:
            # lay the figure out (two passes, as savefig makes: the second settles
            # what the first moved), then keep the Axes where they are
            fig.draw_without_rendering()
            fig.draw_without_rendering()
            fig.set_layout_engine(None)
            self._laid_out_labels = _fixed_labels(fig)
            for ax in fig.axes:
                for axis in (ax.xaxis, ax.yaxis):
                    # the axis names stay where the layout put them: their placement
                    # measures the tick labels of every Axes sharing the axis again
                    axis._autolabelpos = False
        if not keep or any(not ax.get_visible() or not ax.axison
                           or ax.get_axes_locator() is not None for ax in fig.axes):
            # (an Axes without axis, like the calendar's, moves with its data)
            canvas.draw()
            return self._png()
        self._kept = {a for ax in fig.axes for a in _kept(ax)}
        self._state = self._kept_state()
        redrawn = [a for _, artists in self._redrawn_artists() for a in artists]
        for a in redrawn:
            a.set_animated(True)  # left out of canvas.draw()
        try:
            canvas.draw()
        finally:
            for a in redrawn:
                a.set_animated(False)
        self._background = canvas.copy_from_bbox(fig.bbox)
        return self.redraw()

    def redraw(self) -> bytes:
        """Put the kept pixels back and draw the rest (everything when nothing is kept)."""
        if (self._background is None or self._kept_state() != self._state
                or not _fixed_labels(self.fig) <= self._laid_out_labels):
            return self.full()
        canvas = self.canvas
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for ax, artists in self._redrawn_artists():
            if ax is not None:  # as Axes.draw does before drawing its artists
                _ = ax.viewLim  # (limits left to autoscaling are worked out)
                ax.apply_aspect()
            for a in artists:
                a.draw(renderer)
        return self._png()

    def _kept_state(self) -> list[Any]:
        """What the kept pixels show: the titles and legends (a change makes
        :meth:`redraw` draw everything)."""
        return [(ax.title.get_text(), ax._left_title.get_text(), ax._right_title.get_text(),
                 [id(a) for a in ax.get_children() if isinstance(a, Legend)])
                for ax in self.fig.axes]

    def _redrawn_artists(self) -> list[tuple[Axes | None, list[Artist]]]:
        """What :meth:`redraw` draws, in the order of ``Figure.draw``: per Axes, its
        artists but the kept ones by zorder, then the figure's texts (its title)."""
        out: list[tuple[Axes | None, list[Artist]]] = [
            (ax, sorted((a for a in ax.get_children() if a not in self._kept),
                        key=lambda a: a.get_zorder()))
            for ax in _axes_by_zorder(self.fig)]
        out.append((None, sorted(self.fig.texts, key=lambda a: a.get_zorder())))
        return out

    def _png(self) -> bytes:
        buf = io.BytesIO()
        # what FigureCanvasAgg.print_png writes, from the pixels drawn above
        mpl.image.imsave(buf, self.canvas.buffer_rgba(), format="png", origin="upper",
                         dpi=self.fig.dpi, pil_kwargs=self.pil_kwargs)
        return buf.getvalue()
