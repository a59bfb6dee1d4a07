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

from .._version import __version__
from .commands import (
    cmd_association,
    cmd_attention,
    cmd_charts,
    cmd_convert,
    cmd_daily,
    cmd_demo,
    cmd_export,
    cmd_fhir,
    cmd_log,
    cmd_report,
    cmd_summary,
    cmd_validate,
)

__all__ = ["main", "build_parser"]


def _add_date_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--dayfirst", action="store_true", help="slash dates are day/month/year")
    g.add_argument("--monthfirst", action="store_true", help="slash dates are month/day/year")


def _add_pair_options(p: argparse.ArgumentParser, *, period: bool = True) -> None:
    p.add_argument("--sessions", nargs="+", default=None,
                   help="session log file(s) (default: the bundled sample)")
    p.add_argument("--pain", nargs="+", default=None, help="pain log file(s)")
    if period:
        p.add_argument("--start", default=None, help="first day of the period, YYYY-MM-DD")
        p.add_argument("--end", default=None, help="last day of the period, YYYY-MM-DD")
    p.add_argument("--program", default=None, help="a program file (.toml/.yaml)")
    p.add_argument("--outcomes", default=None, metavar="FILE",
                   help="function questionnaires (ODI, RMDQ, PSFS, EARS: CSV/XLSX/JSON, "
                        "docs/data-format.md): scored, beside adherence and pain")
    p.add_argument("--prescriptions", default=None, metavar="FILE",
                   help="each patient's prescription history (.toml/.yaml, "
                        "docs/prescriptions.md): each day measured against the version "
                        "in force")
    _add_app_options(p)
    _add_date_options(p)


def _add_app_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tz", default=None,
                   help="for app exports with UTC times only: the zone you lived in "
                        "(e.g. Europe/Amsterdam)")
    p.add_argument("--activities", default=None, metavar="TOML",
                   help="your mapping of an app's activity names to the program's "
                        "(activities.toml)")


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
    p.add_argument("--source", default=None,
                   help="the app that wrote the files, when their content does not say "
                        "(e.g. apple_health)")
    _add_app_options(p)
    _add_date_options(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("summary", help="the numbers a clinician reads first, per patient")
    _add_pair_options(p)
    p.add_argument("--csv", default=None, metavar="DIR",
                   help="also write summary.csv and daily.csv for a spreadsheet into DIR")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("attention", help="the patients to look at first, and why "
                                         "(docs/metrics.md, \"Needs attention\")")
    _add_pair_options(p, period=False)
    p.add_argument("--as-of", default=None, metavar="YYYY-MM-DD",
                   help="the day the list is for (default: the last day in the logs)")
    p.set_defaults(func=cmd_attention)

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
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="with --outdir: worker processes rendering the reports (default: "
                        "the machine's cores; 1: one after the other)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("association", help="exercise and pain, day to day, in words "
                                           "(docs/metrics.md, \"Adherence and pain together\")")
    _add_pair_options(p)
    p.add_argument("--patient", default=None, help="one patient id (default: every patient)")
    p.set_defaults(func=cmd_association)

    p = sub.add_parser("fhir", help="a FHIR R4 Bundle per patient for the clinic's record "
                                    "system (docs/fhir.md)")
    _add_pair_options(p)
    p.add_argument("-o", "--out", required=True,
                   help="the .json Bundle to write (one patient), or a folder (a caseload: "
                        "one Bundle per patient)")
    p.add_argument("--patient-label", default=None,
                   help="the name the Bundle's Patient carries (default: the patient id)")
    p.add_argument("--include-notes", action="store_true",
                   help="add the free-text notes (left out unless asked)")
    p.set_defaults(func=cmd_fhir)

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

    p = sub.add_parser("export", help="hand the data on: a FHIR R4 Bundle (--fhir) and/or "
                                      "the CSV tables with the logs as a backup (--tables)")
    _add_pair_options(p)
    p.add_argument("--fhir", default=None, metavar="FILE|DIR",
                   help="the Bundle to write (docs/fhir.md); a folder for a caseload")
    p.add_argument("--tables", default=None, metavar="DIR",
                   help="summary.csv, daily.csv and the logs (logs_*.csv, which load back)")
    p.add_argument("--patient-label", default=None)
    p.add_argument("--include-notes", action="store_true",
                   help="add the free-text notes (left out unless asked)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("convert", help="write loadable logs as a partitioned Parquet cohort "
                                       "for the Dask analysis (docs/scale.md)")
    _add_pair_options(p, period=False)
    p.add_argument("-o", "--out", required=True, help="the cohort folder (new or empty)")
    p.add_argument("--patients-per-part", type=int, default=1000, metavar="N",
                   help="patients per Parquet part (a Dask partition when read)")
    p.add_argument("--append", action="store_true",
                   help="add these patients to a cohort written before")
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("demo", help="check and summarise the bundled sample, write its report")
    p.add_argument("--outdir", default="out", help="where the report and charts go")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from ..analysis.adherence import AnalysisInputError
    from ..errors import LogValidationError
    from ..program import ProgramError

    try:
        return int(args.func(args) or 0)
    except (LogValidationError, ProgramError, AnalysisInputError) as exc:
        print(f"backrx: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `backrx daily | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
