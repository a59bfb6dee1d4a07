"""Function over time: the questionnaires' scores (ODI, RMDQ, PSFS, EARS) of
:func:`~backrx_analysis.analysis.outcomes.outcomes_trend`, each on its own scale,
on the same date axis as the pain and dose charts.

Each questionnaire gets its own panel (their scales differ: ODI 0-100 %, RMDQ 0-24,
PSFS 0-10, EARS 0-24; putting them on one axis would invent a common unit): the
scores of the visits, the baseline as a line, and, where the kit has a rule for a
change that matters, the level at which a score counts as improved.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..program import Program, default_program
from .style import COLORS, date_nums, format_date_axis, new_axes, no_data, one_patient, styled

__all__ = ["plot_function", "questionnaires_given", "QUESTIONNAIRE_LABELS"]

#: questionnaire -> (label, scale maximum, lower is better)
QUESTIONNAIRE_LABELS = {
    "odi": ("ODI (disability, %)", 100.0, True),
    "rmdq": ("RMDQ (disability, 0-24)", 24.0, True),
    "psfs": ("PSFS (function, 0-10)", 10.0, False),
    "ears": ("EARS (adherence, 0-24)", 24.0, False),
}


def questionnaires_given(trend: pd.DataFrame) -> list[str]:
    """The questionnaires with a scored visit in ``trend``, in the order drawn."""
    if not len(trend):
        return []
    scored = trend.loc[trend["scored"].fillna(False).astype(bool), "questionnaire"]
    names = set(scored.astype(str))
    return [q for q in QUESTIONNAIRE_LABELS if q in names]


def _improved_at(q: str, baseline: float, program: Program) -> float | None:
    """The score at or beyond which a change from ``baseline`` is ``improved``."""
    r = program.outcomes
    if q == "odi":
        return max(baseline - r.odi_points, baseline * (1 - r.odi_fraction))
    if q == "rmdq":
        return max(baseline - r.rmdq_points, baseline * (1 - r.rmdq_fraction))
    if q == "psfs":
        return baseline + r.psfs_points
    return None


@styled
def plot_function(trend: pd.DataFrame, *, program: Program | None = None,
                  fig: Figure | None = None, axes: list[Axes] | None = None,
                  xlim: tuple[float, float] | None = None) -> list[Axes]:
    """One panel per questionnaire given: its scores over time, the baseline and the
    improvement level. Returns the Axes (one per questionnaire, in the order ODI,
    RMDQ, PSFS, EARS); the score line of each has gid ``"score-<q>"``. ``axes``: draw
    on these (one per questionnaire given, see :func:`questionnaires_given`)."""
    program = program or default_program()
    one_patient(trend, "questionnaire trend")
    scored = trend.loc[trend["scored"].fillna(False).astype(bool)] if len(trend) else trend
    present = questionnaires_given(trend)
    if axes is None:
        if fig is None:
            fig = new_axes((8.27, 1.4 * max(len(present), 1))).figure
            fig.clear()
        if not present:
            return [no_data(fig.add_subplot(), "No questionnaire scored in this period")]
        axes = list(fig.subplots(len(present), 1, sharex=True, squeeze=False)[:, 0])
    elif not present:
        return [no_data(axes[0], "No questionnaire scored in this period")]
    axes = axes[:len(present)]
    for ax, q in zip(axes, present, strict=True):
        label, top, lower_better = QUESTIONNAIRE_LABELS[q]
        one = scored.loc[scored["questionnaire"].astype(str) == q].sort_values("date")
        x = date_nums(one["date"])
        y = one["score"].to_numpy(dtype=float)
        (line,) = ax.plot(x, y, marker="o", color=COLORS["pain_mean"], linewidth=1.4,
                          markersize=4, zorder=3)
        line.set_gid(f"score-{q}")
        base = float(one["baseline"].iloc[0]) if "baseline" in one else float(y[0])
        ax.axhline(base, color=COLORS["baseline"], linewidth=0.8, zorder=2,
                   label=f"{label.split(' (')[1].rstrip(')')}; baseline {base:g}")
        level = _improved_at(q, base, program)
        if level is not None:
            ax.axhline(level, color=COLORS["mcid"], linestyle="--", linewidth=1, zorder=2,
                       label=f"improved at {'≤' if lower_better else '≥'} {level:.3g}")
        for xi, yi, st in zip(x, y, one["status"].astype("string").fillna(""), strict=True):
            if st == "improved":
                ax.annotate("improved", (xi, yi), xytext=(0, 6), textcoords="offset points",
                            fontsize=6.5, ha="center", color=COLORS["mcid"])
        ax.set_ylim(0, top * 1.08)
        ax.set_ylabel(label.split(" (")[0], fontsize=7.5)  # the scale is in the legend
        ax.legend(loc="upper right", fontsize=6.5, frameon=False, ncols=2)
        format_date_axis(ax)
        if xlim is not None:
            ax.set_xlim(*xlim)
        elif len(x) == 1:
            ax.set_xlim(x[0] - 7, x[0] + 7)
    axes[0].set_title("Function: the questionnaires' scores")
    if xlim is not None and len(scored):
        x = date_nums(scored["date"])
        if not ((x >= xlim[0]) & (x <= xlim[1])).any():
            axes[0].text(0.01, 0.96, "No questionnaire in this period: the lines join the "
                         "visits before and after it.", transform=axes[0].transAxes,
                         fontsize=7.5, va="top", color=COLORS["baseline"], gid="no-visit-note")
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    return list(axes)
