"""The report's "Function" page, only when questionnaires were given: each score
(ODI, RMDQ, PSFS, EARS) with the rule it was scored by, its change from the baseline
and whether that change matters, the chart of the scores over time, and each EARS
next to the adherence the log shows for the two weeks before it."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..analysis.outcomes import ears_vs_logged
from ..plots.function import QUESTIONNAIRE_LABELS, plot_function, questionnaires_given
from ..plots.style import A4_PORTRAIT, date_nums, day_text
from ..program import Program
from .layout import _GREY, _MARGIN, _PT, _WIDTH, _page, _paragraph, _table, _text_box

__all__ = ["page_function"]


def _num(x: object, digits: int = 1) -> str:
    return "\u2013" if x is None or pd.isna(x) else f"{float(x):.{digits}f}".rstrip("0").rstrip(".")


def _rows(trend: pd.DataFrame) -> list[list[str]]:
    rows = []
    for r in trend.sort_values(["questionnaire", "date"]).itertuples(index=False):
        q = str(r.questionnaire)
        label = QUESTIONNAIRE_LABELS.get(q, (q.upper(),))[0].split(" (")[0]
        if not r.scored:
            rows.append([label, day_text(r.date), "not scored", str(r.why_not or ""), "", ""])
            continue
        score = _num(r.score) + (" %" if q == "odi" else "")
        band = f"; {r.band}" if isinstance(r.band, str) and r.band else ""
        if r.is_baseline:
            change, status = "baseline", ""
        else:
            change = f"{float(r.change):+.1f} ({float(r.change_pct):+.0f} %)"
            status = ("" if pd.isna(r.status) else str(r.status).replace("_", " ")
                      + (f" ({r.status_by})" if isinstance(r.status_by, str) else ""))
        rule = "6 items, 1, 4, 6 reversed" if q == "ears" else str(r.rule)
        rows.append([label, day_text(r.date), score, f"{rule}{band}", change, status])
    return rows


def page_function(trend: pd.DataFrame, daily: pd.DataFrame, *, program: Program,
                  first: pd.Timestamp | None, last: pd.Timestamp | None) -> Figure:
    """One A4 page (the questionnaires of one patient: ``trend`` is its
    :func:`~backrx_analysis.analysis.outcomes.outcomes_trend`)."""
    fig = _page()
    w = _WIDTH * _PT
    top = _text_box(fig, _MARGIN, 0.45, _WIDTH, 0.9)
    y = _paragraph(top, 0, "Function", width_pt=w, fontsize=14, weight="bold")
    _paragraph(top, y, "The function questionnaires, scored by the rules in "
               "docs/metrics.md; a change matters at ODI 10 points or 30 %, RMDQ 5 points "
               "or 30 %, PSFS 2 points (each from the first scored visit).", width_pt=w,
               fontsize=8.5, color=_GREY)
    xlim = None
    if first is not None and last is not None:
        lo, hi = date_nums([first, last])
        xlim = (lo - 0.6, hi + 0.6)
    n = max(len(questionnaires_given(trend)), 1)
    panel, gap, top_in = 0.7, 0.08, 1.5  # inches
    height = n * panel + (n - 1) * gap
    page_w, page_h = A4_PORTRAIT
    left = (_MARGIN + 0.55) / page_w
    width = (_WIDTH - 0.6) / page_w
    axes = []
    for i in range(n):
        bottom = 1 - (top_in + (i + 1) * panel + i * gap) / page_h
        axes.append(fig.add_axes((left, bottom, width, panel / page_h),
                                 sharex=axes[0] if axes else None))
    plot_function(trend, program=program, axes=axes, xlim=xlim)
    box = _text_box(fig, _MARGIN, top_in + height + 0.45, _WIDTH,
                    A4_PORTRAIT[1] - top_in - height - 1.1)
    y, _ = _table(box, 0, ["", "Date", "Score", "Scored by", "Change", "Status"],
                  _rows(trend), [36, 62, 38, 250, 72, w - 458], fontsize=6.8)
    ears = ears_vs_logged(trend, daily)
    if len(ears):
        lines = [f"{day_text(r.date)}: EARS {_num(r.score)} of 24; the log shows "
                 + (f"{r.logged_pct:.0f} % of the {r.logged_days} days before it fully "
                    "adherent" if r.logged_days else "no logged days in the 2 weeks before")
                 for r in ears.itertuples(index=False)]
        y = _paragraph(box, y + 6, "Adherence as the patient rates it (EARS, higher = better) "
                       "next to the log of the 2 weeks before", width_pt=w, fontsize=10,
                       weight="bold")
        _paragraph(box, y, "\n".join(lines) + "\nWhere the two disagree is worth a "
                   "conversation.", width_pt=w, fontsize=8.5)
    return fig
