"""The caseload overview: one table row per patient, those who need a look first.

Drawn for :func:`backrx_analysis.report.export_caseload` from the caseload's summary
(:attr:`backrx_analysis.analysis.patient.Analysis.summary`); docs/report.md shows it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..program import Program
from .layout import _GREY, _paragraph, _table_pages
from .text import _missing, _num, _signed, format_pct

_ATTENTION = {"worse": 0, "no_change": 1, "improved": 2}


def _attention(summary: pd.DataFrame, program: Program) -> pd.DataFrame:
    """Flags and order of the caseload overview (who needs attention first)."""
    s = summary.copy()
    status = s["pain_status"].astype("string")
    s["_rank"] = status.map(_ATTENTION).fillna(1).astype(int)
    s["_adh"] = s["fully_adherent_pct"].astype("Float64").fillna(-1.0)
    flags = []
    for r in s.itertuples(index=False):
        f = []
        if str(r.pain_status) == "worse":
            f.append("pain worse")
        elif str(r.pain_status) == "no_change":
            f.append("no pain improvement")
        elif _missing(r.pain_status):
            f.append("pain not known")
        if not _missing(r.fully_adherent_pct) and r.fully_adherent_pct < 50:
            f.append("fully adherent < 50 %")
        if not _missing(r.minutes_over_days) and r.minutes_over_days > 0:
            f.append(f"over {program.exercise_minutes.high:g} min on {int(r.minutes_over_days)} d")
        if not _missing(r.flare_days) and r.flare_days >= 3:
            f.append(f"{int(r.flare_days)} flare days")
        flags.append("; ".join(f))
    s["flags"] = flags
    return s.sort_values(["_rank", "_adh", "patient_id"], kind="stable").reset_index(drop=True)


def _overview_pages(summary: pd.DataFrame, program: Program, period: str,
                    generated: str) -> list[Figure]:
    s = _attention(summary, program)
    ex = program.exercise_minutes
    rows = [[str(r.patient_id), f"{r.days_logged} of {r.days}" if not _missing(r.days) else "\u2013",
             format_pct(r.fully_adherent_pct), format_pct(r.minutes_in_range_pct),
             _num(r.pain_baseline, 1), _num(r.pain_last7, 1), _signed(r.pain_change),
             "\u2013" if _missing(r.pain_status) else str(r.pain_status).replace("_", " "),
             r.flags] for r in s.itertuples(index=False)]
    header = ["Patient", "Days\nlogged", "Fully\nadherent", f"Minutes\n{ex.low:g}-{ex.high:g}",
              "Pain\nbaseline", "Pain\nlast 7 d", "Pain\nchange", "Pain\nstatus",
              "Needs a look because"]

    def intro(box: Any, y: float, w: float) -> float:
        y = _paragraph(box, y, f"{len(s)} patients \u00b7 {period} \u00b7 generated {generated}",
                       width_pt=w, fontsize=9, color=_GREY)
        return _paragraph(box, y, "Order: patients whose pain is worse come first, then those "
                          "with no clinically important change in pain, then those who improved; "
                          "within each group, the lowest share of fully adherent days first. "
                          f"Fully adherent = every exercise to target and {ex} of exercise that "
                          "day. Pain change = mean of the last 7 days minus baseline (negative = "
                          "less pain); improved = at least 2 points or 30 % lower.",
                          width_pt=w, fontsize=9)

    fixed = [52, 44, 48, 48, 46, 46, 42, 58]
    return _table_pages("Caseload overview", header, rows, lambda w: [*fixed, w - sum(fixed)],
                        intro=intro, gap=4, align=["left", *["right"] * 6, "left", "left"])
