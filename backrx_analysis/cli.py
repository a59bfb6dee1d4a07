"""The ``backrx`` command: the same functions as the library, from a shell.

    backrx validate my_sessions.csv my_pain.csv
    python -m backrx_analysis validate --kind pain my_pain.xlsx

No analysis lives here: each sub-command parses arguments, calls the library and
prints.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from . import __version__
from .errors import LogValidationError
from .headers import map_headers
from .io import check_logs, load_pain, load_sessions
from .program import default_program, load_program
from .readers import read_table

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


def _guess_kind(path: str) -> str:
    """'pain' when the file's headers hold a pain column, else 'sessions'."""
    try:
        raw = read_table(path)
    except LogValidationError:
        return "sessions"
    hm = map_headers(raw.headers, "pain", default_program())
    return "pain" if "pain" in hm.fields else "sessions"


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
    program = load_program(args.program) if args.program else default_program()
    total = 0
    for path in args.files:
        kind = args.kind if args.kind != "auto" else _guess_kind(path)
        problems = check_logs(path, kind=kind, program=program, dayfirst=_dayfirst(args),
                              sheet=args.sheet)
        if len(problems):
            total += len(problems)
            print(f"{path} ({kind} log): {len(problems)} problem(s)")
            _print_table(problems)
            print()
        else:
            loader = load_sessions if kind == "sessions" else load_pain
            kw = {"program": program} if kind == "sessions" else {}
            frame = loader(path, dayfirst=_dayfirst(args), sheet=args.sheet, **kw)
            days = frame["date"].nunique()
            print(f"{path} ({kind} log): OK, {len(frame)} entries on {days} days, "
                  f"{frame['date'].min():%Y-%m-%d} to {frame['date'].max():%Y-%m-%d}")
    if total:
        print(f"{total} problem(s) in all; nothing was changed in your files.", file=sys.stderr)
        return 1
    return 0


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
