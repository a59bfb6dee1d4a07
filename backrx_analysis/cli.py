"""The ``backrx`` command: the same functions as the library, from a shell.

    backrx validate my_sessions.csv my_pain.csv
    python -m backrx_analysis validate --kind pain my_pain.xlsx

No analysis lives here: each sub-command parses arguments, calls the library and
prints. The library (and pandas) is imported by the sub-command that runs, so
``backrx --help`` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["main"]


def _dayfirst(args: argparse.Namespace) -> bool | None:
    if getattr(args, "dayfirst", False):
        return True
    if getattr(args, "monthfirst", False):
        return False
    return None


def _add_date_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--dayfirst", action="store_true", help="slash dates are day/month/year")
    g.add_argument("--monthfirst", action="store_true", help="slash dates are month/day/year")


def _print_table(frame: pd.DataFrame) -> None:
    """A left-aligned plain-text table (the last column may be long)."""
    cells = frame.astype(object).where(frame.notna(), "").astype(str)
    cols = list(cells.columns)
    widths = {c: max([len(c), *cells[c].str.len().tolist()]) for c in cols[:-1]}
    print("  ".join(c.ljust(widths[c]) for c in cols[:-1]) + "  " + cols[-1])
    for row in cells.itertuples(index=False):
        print("  ".join(str(v).ljust(widths[c]) for c, v in zip(cols[:-1], row[:-1], strict=True))
              + "  " + row[-1])


def cmd_validate(args: argparse.Namespace) -> int:
    from .io.load import read_log
    from .program import default_program, load_program

    program = load_program(args.program) if args.program else default_program()
    total = 0
    for path in args.files:
        kind, frame, problems = read_log(path, kind=args.kind, program=program,
                                         dayfirst=_dayfirst(args), sheet=args.sheet)
        if len(problems):
            total += len(problems)
            print(f"{path} ({kind} log): {len(problems)} problem(s)")
            _print_table(problems)
            print()
        else:
            days = frame["date"].nunique()
            print(f"{path} ({kind} log): OK, {len(frame)} entries on {days} days, "
                  f"{frame['date'].min():%Y-%m-%d} to {frame['date'].max():%Y-%m-%d}")
    if total:
        print(f"{total} problem(s) in all; nothing was changed in your files.", file=sys.stderr)
        return 1
    return 0


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


def _load_pair(args: argparse.Namespace):
    from .io.load import load_pain, load_sample, load_sessions
    from .program import default_program, load_program
    from .schema import empty_pain

    program = load_program(args.program) if getattr(args, "program", None) else default_program()
    if getattr(args, "sessions", None) is None:
        sessions, pain = load_sample()
    else:
        sessions = load_sessions(args.sessions, program=program, dayfirst=_dayfirst(args))
        pain = load_pain(args.pain, dayfirst=_dayfirst(args)) if args.pain else empty_pain()
    return program, sessions, pain


def _print_summary(summary: pd.DataFrame, program) -> None:
    labels = dict(SUMMARY_LABELS)
    for e in program.exercises:
        labels[f"{e.id}_met_pct"] = f"  {e.name.lower()}: days met (%)"
    order = [c for c in ["start", "end", "days", "days_logged", "fully_adherent_pct"]]
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


def cmd_summary(args: argparse.Namespace) -> int:
    from .analysis.patient import analyze

    program, sessions, pain = _load_pair(args)
    analysis = analyze(sessions, pain, program=program, start=args.start, end=args.end)
    _print_summary(analysis.summary, program)
    if args.csv:
        from .report.tables import export_tables

        for path in export_tables(analysis, args.csv):
            print(f"written: {path}")
    return 0


def cmd_daily(args: argparse.Namespace) -> int:
    from .analysis.patient import analyze

    program, sessions, pain = _load_pair(args)
    frame = analyze(sessions, pain, program=program, start=args.start, end=args.end).together
    for pid, part in frame.groupby("patient_id", sort=True):
        print(f"Patient {pid}: {len(part)} days")
        _print_daily(part)
        print()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .analysis.patient import analyze
    from .io.load import check_logs, load_sample, sample_path
    from .program import default_program

    print("backrx demo: the bundled 12-week sample (one patient)")
    for kind in ("sessions", "pain"):
        path = sample_path(kind)
        problems = check_logs(path, kind=kind)
        status = "OK" if problems.empty else f"{len(problems)} problem(s)"
        print(f"  checked {path.name}: {status}")
        if not problems.empty:
            _print_table(problems)
            return 1
    sessions, pain = load_sample()
    print(f"  {len(sessions)} exercise entries, {len(pain)} pain ratings\n")
    program = default_program()
    analysis = analyze(sessions, pain, program=program)
    _print_summary(analysis.summary, program)
    print("Per-day overview")
    _print_daily(analysis.together)
    from pathlib import Path

    from .report.export import export_charts, export_report

    out = Path(args.outdir)
    written = [export_report(analysis, out / "backrx-report.pdf", patient_label="Sample patient")]
    written += export_charts(analysis, out / "charts", formats=("png", "svg"),
                             patient_label="Sample patient")
    print("\nWritten for the clinician:")
    for path in written:
        print(f"  {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .analysis.patient import analyze
    from .report.export import export_caseload, export_report

    program, sessions, pain = _load_pair(args)
    analysis = analyze(sessions, pain, program=program, start=args.start, end=args.end)
    ids = analysis.patient_ids
    if args.outdir and not args.patient and len(ids) > 1:
        from tqdm import tqdm

        def bar(items):
            return tqdm(items, desc="reports", unit="patient", file=sys.stderr)

        written = export_caseload(analysis, args.outdir, include_notes=args.include_notes,
                                  progress=bar)
    else:
        if len(ids) > 1 and not args.patient:
            print(f"backrx: the logs hold {len(ids)} patients ({', '.join(ids)}): give "
                  "--patient ID for one report, or --outdir DIR for one report per patient "
                  "and a caseload overview", file=sys.stderr)
            return 2
        from pathlib import Path

        out = Path(args.output) if args.output else Path(args.outdir or ".") / "backrx-report.pdf"
        written = [export_report(analysis, out, patient_label=args.patient_label,
                                 patient_id=args.patient, include_notes=args.include_notes)]
    for path in written:
        print(path)
    return 0


def cmd_charts(args: argparse.Namespace) -> int:
    from .analysis.patient import analyze
    from .report.export import export_charts

    program, sessions, pain = _load_pair(args)
    analysis = analyze(sessions, pain, program=program, start=args.start, end=args.end)
    written = export_charts(analysis, args.outdir, formats=tuple(args.formats), dpi=args.dpi,
                            patient_id=args.patient, patient_label=args.patient_label)
    for path in written:
        print(path)
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    import datetime as dt

    from .io.load import append_pain, append_sessions
    from .program import default_program, load_program

    day = args.date or dt.date.today().isoformat()
    entry: dict[str, object] = {"date": day}
    if args.time:
        entry["time"] = args.time
    if args.patient:
        entry["patient_id"] = args.patient
    if args.notes:
        entry["notes"] = args.notes
    if args.kind == "sessions":
        program = load_program(args.program) if args.program else default_program()
        entry.update({k: v for k, v in (("exercise", args.exercise), ("reps", args.reps),
                                        ("sets", args.sets), ("side", args.side),
                                        ("minutes", args.minutes)) if v is not None})
        written = append_sessions(args.file, [entry], program=program)
    else:
        entry.update({k: v for k, v in (("pain", args.pain), ("context", args.context),
                                        ("location", args.location)) if v is not None})
        written = append_pain(args.file, [entry])
    line = int(written["source_line"].iloc[0])
    print(f"added to {args.file} at line {line}")
    return 0


def _add_pair_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sessions", nargs="+", default=None,
                   help="session log file(s) (default: the bundled sample)")
    p.add_argument("--pain", nargs="+", default=None, help="pain log file(s)")
    p.add_argument("--start", default=None, help="first day of the period, YYYY-MM-DD")
    p.add_argument("--end", default=None, help="last day of the period, YYYY-MM-DD")
    p.add_argument("--program", default=None, help="a program file (.toml/.yaml)")
    _add_date_options(p)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backrx",
        description="Adherence to a low-back-pain home exercise program, next to pain.",
    )
    parser.add_argument("--version", action="version", version=f"backrx {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check log files and list every problem")
    p.add_argument("files", nargs="+", help="session or pain logs (CSV, TSV, XLSX, JSON, Parquet)")
    p.add_argument("--kind", choices=["auto", "sessions", "pain"], default="auto",
                   help="what the files are (default: guessed from the headers)")
    p.add_argument("--sheet", default=None, help="spreadsheet sheet name (default: the first)")
    p.add_argument("--program", default=None, help="a program file (.toml/.yaml) for other exercises")
    _add_date_options(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("summary", help="the numbers a clinician reads first, per patient")
    _add_pair_options(p)
    p.add_argument("--csv", default=None, metavar="DIR",
                   help="also write summary.csv and daily.csv for a spreadsheet into DIR")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("daily", help="the per-day overview: adherence next to pain")
    _add_pair_options(p)
    p.set_defaults(func=cmd_daily)

    p = sub.add_parser("report", help="the clinician's PDF report (one per patient with --outdir)")
    _add_pair_options(p)
    p.add_argument("-o", "--output", default=None, help="the PDF to write (one patient)")
    p.add_argument("--outdir", default=None,
                   help="folder for one report per patient and a caseload overview")
    p.add_argument("--patient", default=None, help="the patient id to report on")
    p.add_argument("--patient-label", default=None, help="how the patient is named in the report")
    p.add_argument("--include-notes", action="store_true",
                   help="add the free-text notes (left out unless asked)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("charts", help="each chart as PNG/SVG/PDF files")
    _add_pair_options(p)
    p.add_argument("--outdir", required=True, help="folder for the chart files")
    p.add_argument("--formats", nargs="+", default=["png", "svg", "pdf"],
                   choices=["png", "svg", "pdf"])
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--patient", default=None, help="the patient id (when the logs hold several)")
    p.add_argument("--patient-label", default=None)
    p.set_defaults(func=cmd_charts)

    p = sub.add_parser("log", help="append one entry to a log file (checked first; never rewrites)")
    p.add_argument("kind", choices=["sessions", "pain"])
    p.add_argument("file", help="the log to append to (created with a header when missing)")
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default: today)")
    p.add_argument("--time", default=None, help="HH:MM")
    p.add_argument("--patient", default=None)
    p.add_argument("--notes", default=None)
    p.add_argument("--exercise", default=None, help="exercise name, walk or session")
    p.add_argument("--reps", type=int, default=None)
    p.add_argument("--sets", type=int, default=None)
    p.add_argument("--side", default=None, help="left, right or both")
    p.add_argument("--minutes", type=float, default=None)
    p.add_argument("--pain", type=float, default=None, help="0-10")
    p.add_argument("--context", default=None)
    p.add_argument("--location", default=None)
    p.add_argument("--program", default=None)
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("demo", help="check and summarise the bundled sample, write its report")
    p.add_argument("--outdir", default="out", help="where the report and charts go")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .errors import LogValidationError

    try:
        return int(args.func(args) or 0)
    except LogValidationError as exc:
        print(f"backrx: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `backrx daily | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
