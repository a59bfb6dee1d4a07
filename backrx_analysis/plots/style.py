"""The shared look of every chart and the helpers every chart uses.

:data:`PALETTE`, :data:`COLORS`, :data:`STYLE` and :func:`style_context` are the look;
the rest (new Axes, date axes, legends above the plot, "no data" panels, a patient's
rows, period titles, rectangles as vertices) is what the charts of
:mod:`backrx_analysis.plots` share.

Every Axes-level chart takes the frame an analysis function returned plus keyword
options, draws on ``ax`` (or on a new Axes when ``ax=None``) and returns that Axes;
nothing calls ``plt.show()`` or changes global ``rcParams``: the look is applied with
:func:`style_context` around each call, so a chart looks the same in a notebook and in
an exported file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..analysis.patient import select_patient
from ..program import Program

__all__ = [
    "version_runs",
    "mark_versions",
    "PALETTE",
    "COLORS",
    "STYLE",
    "A4_PORTRAIT",
    "style_context",
    "select_patient",
    "period_title",
    "boxes",
]

#: Okabe & Ito (2008) colour-blind-safe palette, the only colours the charts use
#: (plus a neutral grey for "nothing logged").
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: What each colour means, defined once for every chart.
COLORS = {
    # reps against the target (heatmap)
    "met": PALETTE["bluish_green"],
    "partial": PALETTE["yellow"],
    "none": PALETTE["vermillion"],
    # a day with nothing logged (every chart); drawn with NOT_LOGGED_HATCH too
    "not_logged": "#D0D0D0",
    "hatch": "#707070",
    # done, but the app did not record how much (heatmap cells, "?" above minute bars)
    "unknown": "#B7A6D9",
    # a day the prescription in force does not ask for that exercise (heatmap)
    "not_prescribed": "#FFFFFF",
    # minutes against a band
    "under": PALETTE["sky_blue"],
    "in_range": PALETTE["blue"],
    "over": PALETTE["vermillion"],
    "band": PALETTE["bluish_green"],
    "walk": PALETTE["reddish_purple"],
    # pain
    "pain_range": "#8C8C8C",
    "pain_mean": PALETTE["black"],
    "rolling": PALETTE["blue"],
    "baseline": PALETTE["black"],
    "mcid": PALETTE["bluish_green"],
    "flare": PALETTE["vermillion"],
}

#: Hatch pattern of days with nothing logged.
NOT_LOGGED_HATCH = "////"

#: A4 portrait in inches (210 x 297 mm).
A4_PORTRAIT = (8.27, 11.69)

#: rcParams applied (through :func:`style_context`) by every chart and export.
#: Sizes are points at print size: figures are built at the size they are printed.
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    # titles sit at the top of their Axes (plus the pad): the x ticks are at the
    # bottom, so matplotlib's search for ticks above the Axes (a layout pass over
    # the y axis at every draw) never moves a title; skipping it draws faster.
    "axes.titley": 1.0,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.title_fontsize": 8,
    "legend.frameon": False,
    "figure.titlesize": 12,
    "figure.titleweight": "bold",
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "hatch.color": COLORS["hatch"],
    "hatch.linewidth": 0.6,
    "savefig.facecolor": "white",
    "savefig.bbox": None,
    # text stays text: searchable, selectable and checkable in PDF and SVG. Type 3
    # (matplotlib's default) rather than 42: a year's report writes ~0.3 s faster, and
    # matplotlib sizes PDF font subsets by ps.fonttype, so both must agree.
    "pdf.fonttype": 3,
    "ps.fonttype": 3,
    "svg.fonttype": "none",
    "pdf.compression": 6,
}

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def style_context() -> Iterator[None]:
    """Apply :data:`STYLE` for the duration of a ``with`` block (nothing global).

    >>> with style_context():
    ...     import matplotlib.pyplot as plt
    ...     fig, ax = plt.subplots()
    """
    with mpl.rc_context(STYLE):
        yield


def styled(fn: F) -> F:
    """Decorator: run a plotting function inside :func:`style_context`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with style_context():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# -- helpers shared by the chart modules ---------------------------------------------


def new_axes(figsize: tuple[float, float]) -> Axes:
    """A new Figure (not registered with pyplot, so never shown by accident) and Axes."""
    fig = Figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def date_nums(dates: Any) -> np.ndarray:
    """Matplotlib date numbers (days) of a column of dates."""
    values = pd.to_datetime(pd.Series(dates)).to_numpy(dtype="datetime64[ns]")
    return mdates.date2num(values) if len(values) else np.zeros(0)


def one_patient(frame: pd.DataFrame, what: str) -> None:
    """Charts draw one patient; say which ids are there otherwise."""
    if "patient_id" in frame.columns:
        ids = pd.unique(frame["patient_id"].dropna())
        if len(ids) > 1:
            raise ValueError(
                f"the {what} frame holds {len(ids)} patients ({', '.join(map(str, ids))}); "
                f"a chart draws one: pass frame[frame.patient_id == '{ids[0]}']"
            )


def format_date_axis(ax: Axes) -> None:
    """Concise dates (``Mar``, ``09``, ``16`` ...) on the x axis."""
    # date numbers, no units: an axis with units converts every bar of every
    # collection again at each drawing (the charts pass date numbers throughout)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def legend_above(ax: Axes, handles: list[Any], ncol: int | None = None) -> None:
    """Legend in one row between the Axes' title and its top edge."""
    if not handles:
        return
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0),
              ncol=ncol or len(handles), borderaxespad=0.15, borderpad=0.1, handlelength=1.4,
              columnspacing=1.2, handletextpad=0.4)
    title = ax.get_title(loc="left")
    if title:
        ax.set_title(title, loc="left", pad=17)


def no_data(ax: Axes, text: str) -> Axes:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            color="#555555")
    ax.set_yticks([])
    return ax


def exercise_label(program: Program, exercise_id: str) -> str:
    """Human name of an exercise for an axis (per-side ones say which side is shown)."""
    try:
        ex = program.exercise(exercise_id)
    except KeyError:
        return exercise_id.replace("_", " ").capitalize()
    return f"{ex.name} (weaker leg)" if ex.per_side else ex.name


def period_title(label: str, first: Any, last: Any) -> str:
    """``"<label> · 2 Mar 2026 – 24 May 2026"`` (no period part when unknown)."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return str(label)
    return f"{label}  \u00b7  {day_text(first)} to {day_text(last)}"


def day_text(day: Any) -> str:
    """``2 Mar 2026`` (no leading zero, any platform)."""
    day = pd.Timestamp(day)
    return f"{day.day} {day:%b %Y}"


def boxes(x0: np.ndarray, y0: np.ndarray, width: float, height: float) -> np.ndarray:
    """Vertices of rectangles (n x 4 x 2), in the order of a Rectangle's path."""
    x0, y0 = np.asarray(x0, dtype=float), np.asarray(y0, dtype=float)
    x1, y1 = x0 + width, y0 + height
    return np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y0]),
                     np.column_stack([x1, y1]), np.column_stack([x0, y1])], axis=1)


def version_runs(daily: pd.DataFrame, program: Any) -> list[tuple[float, float, Any]]:
    """(first x, last x, the version) of each run of days of one patient's daily frame
    under one prescription version (``daily["version"]``); empty for a plain program
    or a patient without a history. x are date numbers, the bounds of the days' cells."""
    from ..prescriptions import Prescriptions

    if (not isinstance(program, Prescriptions) or "version" not in daily.columns
            or not len(daily) or daily["version"].isna().all()):
        return []
    by_number = {v.number: v for v in program.versions(str(daily["patient_id"].iloc[0]))}
    x = date_nums(daily["date"])
    num = daily["version"].to_numpy(dtype=float, na_value=np.nan)
    runs = []
    start = 0
    for i in range(1, len(num) + 1):
        if i == len(num) or num[i] != num[start] or x[i] != x[i - 1] + 1:
            if not np.isnan(num[start]) and int(num[start]) in by_number:
                runs.append((x[start] - 0.5, x[i - 1] + 0.5, by_number[int(num[start])]))
            start = i
    return runs


def mark_versions(ax: Axes, runs: list[tuple[float, float, Any]], *, label: bool = True) -> None:
    """A thin vertical mark (and ``v2``) where each prescription version starts."""
    for x0, _, v in runs:
        ax.axvline(x0, color="#333333", linewidth=0.8, linestyle=(0, (2, 2)), zorder=4,
                   gid="version-start")
        if label:
            ax.annotate(f"v{v.number}", (x0, 1), xycoords=("data", "axes fraction"),
                        xytext=(2, -2), textcoords="offset points", fontsize=7, va="top",
                        color="#333333", gid="version-label")
