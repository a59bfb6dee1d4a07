"""How the ``backrx`` command prints: plain-text tables, the summary, the per-day
overview and the needs-attention list (labels and formatting only; the numbers come
from the library)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def _print_table(frame: pd.DataFrame) -> None:
    """A left-aligned plain-text table (the last column may be long)."""
    cells = frame.astype(object).where(frame.notna(), "").astype(str)
    cols = list(cells.columns)
    widths = {c: max([len(c), *cells[c].str.len().tolist()]) for c in cols[:-1]}
    print("  ".join(c.ljust(widths[c]) for c in cols[:-1]) + "  " + cols[-1])
    for row in cells.itertuples(index=False):
        print("  ".join(str(v).ljust(widths[c]) for c, v in zip(cols[:-1], row[:-1], strict=True))
              + "  " + row[-1])


#: Per-day overview: column -> heading (selection and labels only; the numbers
#: come from adherence_vs_pain).
DAILY_COLUMNS = {
    "date": "date",
    "exercises_met": "exercises met",
    "exercise_minutes": "exercise min",
    "minutes_status": "minutes",
    "walk_minutes": "walk min",
    "fully_adherent": "fully adherent",
    "pain_mean": "pain",
    "rolling_mean": "pain 7-day",
    "status": "vs baseline",
    "flare": "flare",
}


SUMMARY_LABELS = {
    "start": "first day",
    "end": "last day",
    "days": "days in period",
    "days_logged": "days with anything logged",
    "days_prescribed": "days prescribed",
    "fully_adherent_pct": "days fully adherent (%)",
    "exercise_minutes_mean": "exercise minutes a day (mean)",
    "minutes_in_range_pct": "days with minutes in range (%)",
    "minutes_over_days": "days over the minute range",
    "walk_met_pct": "days with the walk done (%)",
    "pain_baseline": "pain at baseline (first 7 days)",
    "pain_last7": "pain, last 7 days",
    "pain_change": "change (points)",
    "pain_change_pct": "change (%)",
    "pain_status": "pain status",
    "flare_days": "flare days",
    "longest_streak": "longest run of fully adherent days",
    "odi_score": "ODI, latest (%)",
    "odi_status": "ODI change from the first",
    "rmdq_score": "RMDQ, latest (0-24)",
    "rmdq_status": "RMDQ change from the first",
    "psfs_score": "PSFS, latest (0-10)",
    "psfs_status": "PSFS change from the first",
    "ears_score": "EARS, latest (0-24, adherence as rated)",
}


def _fmt(v: object) -> str:
    import pandas as pd

    if v is None or v is pd.NA or (isinstance(v, float) and v != v) or v is pd.NaT:
        return "-"
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def _print_summary(summary: pd.DataFrame, program) -> None:
    labels = dict(SUMMARY_LABELS)
    for e in program.exercises:
        labels[f"{e.id}_met_pct"] = f"  {e.name.lower()}: days met (%)"
    order = [c for c in ["start", "end", "days", "days_logged", "days_prescribed",
                         "fully_adherent_pct"]]
    order += [f"{e.id}_met_pct" for e in program.exercises]
    order += [c for c in SUMMARY_LABELS if c not in order]
    for row in summary.itertuples(index=False):
        print(f"Patient {row.patient_id}")
        for c in order:
            if c in summary.columns:
                print(f"  {labels[c]:<40} {_fmt(getattr(row, c))}")
        print()


def _print_daily(frame: pd.DataFrame) -> None:
    cols = [c for c in DAILY_COLUMNS if c in frame.columns]
    out = frame[cols].rename(columns=DAILY_COLUMNS)
    out = out.apply(lambda col: col.map(_fmt))
    _print_table(out)


def _print_attention(flags: pd.DataFrame, n_patients: int) -> None:
    """The list of :func:`~backrx_analysis.analysis.attention.needs_attention`, a line
    per flag, a patient's flags together, with a heading that says for which day."""
    day = flags.attrs.get("as_of")
    when = f"as of {day:%Y-%m-%d}" if day is not None else "(no entries in the logs)"
    flagged = flags["patient_id"].nunique()
    if not len(flags):
        print(f"Nothing needs attention {when} ({n_patients} patient"
              f"{'' if n_patients == 1 else 's'} looked at).")
        return
    print(f"Needs attention {when}: {len(flags)} flag{'' if len(flags) == 1 else 's'} for "
          f"{flagged} of {n_patients} patient{'' if n_patients == 1 else 's'}, most urgent "
          "first (the rules: docs/metrics.md, \"Needs attention\")")
    out = flags.rename(columns={"patient_id": "patient"}).copy()
    again = (out["patient"] == out["patient"].shift()).fillna(False).to_numpy(dtype=bool)
    out.loc[again, "patient"] = ""  # a patient's flags together, the id once
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    _print_table(out.astype(str))
