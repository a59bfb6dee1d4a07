"""The clinician report's words: numbers, changes and statuses in plain words.

Used by the pages of :mod:`backrx_analysis.report.pages`; :func:`format_pct` and
:func:`summary_lines` are public from :mod:`backrx_analysis.report`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..program import Program, default_program

__all__ = ["format_pct", "summary_lines"]

_MINUS = "\u2212"


def _missing(x: Any) -> bool:
    return x is None or (not isinstance(x, str) and pd.isna(x))


def format_pct(x: Any) -> str:
    """``"54 %"`` (whole percent), ``"\u2013"`` when missing."""
    return "\u2013" if _missing(x) else f"{float(x):.0f} %"


def _num(x: Any, digits: int = 1, unit: str = "") -> str:
    return "\u2013" if _missing(x) else f"{float(x):.{digits}f}{unit}"


def _signed(x: Any, digits: int = 1) -> str:
    if _missing(x):
        return "\u2013"
    v = float(x)
    sign = "+" if v > 0 else _MINUS if v < 0 else ""
    return f"{sign}{abs(v):.{digits}f}"


_STATUS_WORDS = {
    "improved": "improved (clinically important: at least {p:g} points or {f:.0f} % lower)",
    "no_change": "no clinically important change",
    "worse": "worse (at least {w:g} points higher)",
}


def _status_words(status: Any, program: Program) -> str:
    if _missing(status):
        return "not known (too few ratings)"
    r = program.pain
    return _STATUS_WORDS[str(status)].format(p=r.mcid_points, f=r.mcid_fraction * 100,
                                             w=r.worse_points)


def _ex_short(program: Program, exercise_id: str) -> str:
    try:
        return program.exercise(exercise_id).name
    except KeyError:
        return exercise_id.replace("_", " ")


def summary_lines(row: pd.Series, program: Program | None = None, *, history: bool = False
                  ) -> list[tuple[str, str]]:
    """The report's summary in plain words: ``(label, value)`` pairs from one row of
    :func:`~backrx_analysis.analysis.combined.summarize`.

    >>> import backrx_analysis as bx
    >>> from backrx_analysis.analysis.summary import summarize
    >>> s, p = bx.load_sample()
    >>> dict(summary_lines(summarize(s, p).iloc[0]))["Days fully adherent"][:4]
    '29 %'
    """
    program = program or default_program()
    ex, walk = program.exercise_minutes, program.walk_minutes
    n_ex = len(program.exercises)
    ids = [c[: -len("_met_pct")] for c in row.index if c.endswith("_met_pct")
           and c != "walk_met_pct"]
    per_ex = ", ".join(f"{_ex_short(program, i)} {format_pct(row[f'{i}_met_pct'])}" for i in ids)
    days = "\u2013"
    if not _missing(row.get("days")):
        days = f"{int(row['days'])} (something logged on {int(row['days_logged'])})"
        if history and not _missing(row.get("days_prescribed")):
            days += f"; {int(row['days_prescribed'])} prescribed"
    streak = "\u2013"
    if not _missing(row.get("longest_streak")):
        streak = f"{int(row['longest_streak'])} days (current run: {int(row['current_streak'])})"
    change = "\u2013"
    if not _missing(row.get("pain_change")):
        change = f"{_signed(row['pain_change'])} points ({_signed(row['pain_change_pct'], 0)} %)"
    over = "\u2013" if _missing(row.get("minutes_over_days")) else str(int(row["minutes_over_days"]))
    flares = "\u2013" if _missing(row.get("flare_days")) else str(int(row["flare_days"]))
    # with a prescription history the bands and exercises are each day's version's
    fully = ("(every exercise prescribed that day to its target and the minutes in that "
             "version's band; of the days prescribed)" if history else
             f"(all {n_ex} exercises to target and {ex} of exercise)")
    return [
        ("Days in the period", days),
        ("Days fully adherent", f"{format_pct(row.get('fully_adherent_pct'))}  {fully}"),
        ("Days each exercise was done to target", per_ex),
        ("Exercise time per day (mean)", f"{_num(row.get('exercise_minutes_mean'), 1, ' min')}"
                                          f"  (target {ex})"),
        (f"Days with {ex} of exercise" if not history else "Days with minutes in the band", format_pct(row.get("minutes_in_range_pct"))),
        (f"Days over {ex.high:g} min" if not history else "Days over the band", over),
        (f"Days with a walk of {walk.low:g} min or more" if not history else
         "Days with the walk done", format_pct(row.get("walk_met_pct"))),
        ("Longest run of fully adherent days", streak),
        ("Pain at the start (baseline)", _num(row.get("pain_baseline"), 1, " / 10")
         + "  (mean of the first 7 days)"),
        ("Pain over the last 7 days", _num(row.get("pain_last7"), 1, " / 10")),
        ("Change in pain", change),
        ("Pain status", _status_words(row.get("pain_status"), program)),
        ("Flare days", flares),
    ]


#: how the report names the pain of each lag, and the day it follows
_LAG_WORDS = {0: ("Same day", "on days the program was done in full, pain that day"),
              1: ("Next day", "on days after the program was done in full, pain the next day"),
              2: ("Two days later", "two days after the program was done in full, pain")}

#: what every statement of the exercise-pain association is followed by
ASSOCIATION_CAVEAT = (
    "This is an association, not cause. Each day is compared with the other days of its "
    "own week, so a slow change over the weeks (less exercise as pain eases) does not "
    "count; but people exercise more on better days, and sleep, work or medication move "
    "both. Use it as a question to discuss, not as proof that the exercises help or harm.")


def association_line(r: Any) -> str:
    """One row (one lag) of
    :func:`~backrx_analysis.analysis.association.dose_pain_association` in words; a
    direction only when the whole interval is on one side of 0."""
    head, what = _LAG_WORDS.get(int(r.lag), (str(r.lag_label).capitalize(),
                                             f"{r.lag_label} after the program, pain"))
    if r.finding == "too little data":
        return f"{head}: too little data to say ({r.why})."
    ci = f"95 % interval {_signed(r.ci_low)} to {_signed(r.ci_high)} points"
    days = f"{r.n_days} days, {r.n_done} with the program done"
    if r.finding == "no clear difference":
        return f"{head}: no clear difference in pain from the rest of that week ({ci}; {days})."
    size = abs(float(r.effect))
    return (f"{head}: {what} was {size:.{1 if size >= 0.05 else 2}f} points {r.finding} "
            f"than usual for that week ({ci}; {days}).")


def association_lines(rows: pd.DataFrame) -> list[str]:
    """One patient's association rows in words, each lag a line, then the caveat
    (the report's page 3, the dashboard's Together tab and ``backrx association``)."""
    if not len(rows):
        return ["No exercise or pain log to compare."]
    return [association_line(r) for r in rows.itertuples(index=False)] + [ASSOCIATION_CAVEAT]
