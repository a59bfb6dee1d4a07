"""The report's "Prescription history" page: each version of the patient's
prescription (dates, what changed, why, who), adherence while it was in force, and
a paragraph on how adherence was measured, in CERT terms (items 5, 7a/7b, 16a) that a
researcher can paste into a paper."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from matplotlib.figure import Figure

from ..plots.style import A4_PORTRAIT, day_text
from ..prescriptions import Version
from .layout import _GREY, _MARGIN, _PT, _WIDTH, _page, _paragraph, _table, _text_box

__all__ = ["page_history", "cert_paragraph"]


def _days(v: Version) -> str:
    if v.days is None:
        return "every day"
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    return ", ".join(names[d] for d in sorted(v.days))


def _pct(x: object) -> str:
    return "\u2013" if x is None or pd.isna(x) else f"{float(x):.0f} %"


def cert_paragraph(versions: tuple[Version, ...]) -> str:
    """How adherence was measured, in words a methods section can use."""
    n = len(versions)
    changed = (f"The prescription was changed {n - 1} time{'s' if n - 1 != 1 else ''} "
               "(progressed or adjusted, CERT 7a/7b): each change is listed above with its "
               "date, what changed and why." if n > 1 else "The prescription was not changed in this period "
               "(CERT 7a/7b).")
    return (
        "How adherence was measured (CERT items 5 and 16a). Adherence was measured from "
        "the patient's own exercise log, day by day, against the version of the "
        "prescription in force on that day: its exercises, repetition targets, "
        "exercise-minute band and walking band, and only on the weekdays it prescribed. "
        "An exercise was met when the repetitions logged that day (repetitions x sets, all "
        "entries added; for a per-side exercise the weaker side) reached that day's target; "
        "a fully adherent day had every prescribed exercise met and the exercise minutes in "
        "the band. The dose of an exercise is repetitions done / repetitions prescribed, "
        "capped at 1. Percentages are over the prescribed days; days before the first "
        "version, or outside its weekdays, are not counted; a day with nothing logged is a "
        f"day not done. {changed}")


def page_history(daily_by_version: pd.DataFrame, versions: tuple[Version, ...], *,
                 label: str) -> Figure:
    """One A4 page: the versions and adherence during each (``daily_by_version``:
    :func:`backrx_analysis.analysis.weekly.by_version` of the patient)."""
    fig = _page()
    box = _text_box(fig, _MARGIN, 0.45, _WIDTH, A4_PORTRAIT[1] - 1.2)
    w = _WIDTH * _PT
    y = _paragraph(box, 0, "Prescription history", width_pt=w, fontsize=14, weight="bold")
    y = _paragraph(box, y, f"{label}: {len(versions)} version"
                   f"{'s' if len(versions) != 1 else ''} of the prescription; each day is "
                   "measured against the version in force that day.", width_pt=w,
                   fontsize=9, color=_GREY)
    by = daily_by_version.set_index("version") if len(daily_by_version) else None
    dose_cols = [c for c in daily_by_version.columns if c.endswith("_dose_mean")]
    rows = []
    for i, v in enumerate(versions):
        end = v.end or (versions[i + 1].start - dt.timedelta(days=1)
                        if i + 1 < len(versions) else None)
        when = f"{day_text(v.start)} \u2013 {day_text(end) if end else 'on'}"
        stats = by.loc[v.number] if by is not None and v.number in by.index else None
        if stats is not None:
            dose = stats[dose_cols].astype(float).mean() if dose_cols else float("nan")
            done = (f"{int(stats['days_prescribed'])} days prescribed; fully adherent "
                    f"{_pct(stats['fully_adherent_pct'])}; mean dose {_pct(dose * 100)}; "
                    f"walk {_pct(stats['walk_met_pct'])}")
        else:
            done = "no day of the period"
        what = v.changes or ("the starting prescription" if i == 0 else "no change")
        why = v.why + (f" ({v.by})" if v.by else "")
        rows.append([str(v.number), when, f"{what}; {_days(v)}", why or "\u2013", done])
    y, _ = _table(box, y, ["#", "In force", "What changed", "Why (by)", "Adherence during it"],
                  rows, [18, 96, 150, 110, w - 374], fontsize=7.5)
    _paragraph(box, y + 8, cert_paragraph(versions), width_pt=w, fontsize=8.5)
    return fig
