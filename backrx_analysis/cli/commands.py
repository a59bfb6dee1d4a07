"""The ``backrx`` sub-commands: each reads its arguments, calls the library and prints.

The library (and pandas) is imported inside the sub-command that runs, so building the
parser, and ``backrx --help``, imports none of it.
"""

from __future__ import annotations

import argparse
import sys

from .output import _print_attention, _print_daily, _print_summary, _print_table


def _dayfirst(args: argparse.Namespace) -> bool | None:
    if getattr(args, "dayfirst", False):
        return True
    if getattr(args, "monthfirst", False):
        return False
    return None


def cmd_validate(args: argparse.Namespace) -> int:
    from ..io.apps import APPS, detect
    from ..program import default_program
    from ..program_file import load_program

    program = load_program(args.program) if args.program else default_program()
    total = 0
    for path in args.files:
        app = args.source or detect(path)
        # an export that feeds both logs (Apple Health, Bearable) is checked as both
        kinds = (list(APPS[app].KINDS) if app and args.kind == "auto"
                 and len(APPS[app].KINDS) > 1 else [args.kind])
        for asked in kinds:
            total += _validate_one(path, asked, app, program, args)
    if total:
        print(f"{total} problem(s) in all; nothing was changed in your files.", file=sys.stderr)
        return 1
    return 0


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _validate_one(path: str, asked: str, app: str | None, program, args) -> int:
    """Check one file as one kind of log, print what was found; the problem count."""
    import warnings

    from ..io.apps import APPS, AppReportWarning
    from ..io.load import read_log

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AppReportWarning)
        kind, frame, problems = read_log(path, kind=asked, program=program,
                                         dayfirst=_dayfirst(args), sheet=args.sheet,
                                         app=args.source, tz=args.tz,
                                         activities=args.activities)
    what = f"{kind} log" + (f", an export of {APPS[app].NAME}" if app else "")
    if len(problems):
        print(f"{path} ({what}): {len(problems)} problem(s)")
        _print_table(problems)
        print()
    elif len(frame):
        days = frame["date"].nunique()
        print(f"{path} ({what}): OK, {_plural(len(frame), 'entry', 'entries')} on "
              f"{_plural(days, 'day', 'days')}, "
              f"{frame['date'].min():%Y-%m-%d} to {frame['date'].max():%Y-%m-%d}")
    else:
        print(f"{path} ({what}): OK, no entries")
    for w in caught:
        if issubclass(w.category, AppReportWarning):
            print("  " + str(w.message).split(": ", 1)[-1].replace("; ", "\n  "))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return len(problems)


def _load_pair(args: argparse.Namespace):
    from ..io.load import load_pain, load_sessions
    from ..io.sample import load_sample
    from ..program import default_program
    from ..program_file import load_program
    from ..schema import empty_pain

    program = load_program(args.program) if getattr(args, "program", None) else default_program()
    if getattr(args, "prescriptions", None):
        from ..prescription_file import load_prescriptions

        program = load_prescriptions(args.prescriptions, default=program)
    if getattr(args, "sessions", None) is None:
        sessions, pain = load_sample()
    else:
        apps = {"tz": args.tz, "activities": args.activities}
        sessions = load_sessions(args.sessions, program=program, dayfirst=_dayfirst(args), **apps)
        pain = (load_pain(args.pain, dayfirst=_dayfirst(args), **apps) if args.pain
                else empty_pain())
    return program, sessions, pain


def _outcomes(args: argparse.Namespace):
    """The questionnaires of --outcomes (checked and scored as the docs say), or None."""
    if not getattr(args, "outcomes", None):
        return None
    from ..io.outcomes import load_outcomes

    return load_outcomes(args.outcomes, dayfirst=_dayfirst(args))


def cmd_summary(args: argparse.Namespace) -> int:
    from ..analysis.patient import analyze

    program, sessions, pain = _load_pair(args)
    analysis = analyze(sessions, pain, program=program, start=args.start, end=args.end,
                       outcomes=_outcomes(args))
    _print_summary(analysis.summary, program)
    if args.csv:
        from ..report.tables import export_tables

        for path in export_tables(analysis, args.csv):
            print(f"written: {path}")
    return 0


def cmd_attention(args: argparse.Namespace) -> int:
    from ..analysis.attention import needs_attention
    from ..analysis.patient import analyze

    program, sessions, pain = _load_pair(args)
    analysis = analyze(sessions, pain, program=program, outcomes=_outcomes(args))
    _print_attention(needs_attention(analysis, as_of=args.as_of), len(analysis.patient_ids))
    return 0


def cmd_daily(args: argparse.Namespace) -> int:
    from ..analysis.patient import analyze

    program, sessions, pain = _load_pair(args)
    frame = analyze(sessions, pain, program=program, start=args.start, end=args.end).together
    for pid, part in frame.groupby("patient_id", sort=True):
        print(f"Patient {pid}: {len(part)} days")
        _print_daily(part)
        print()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ..analysis.patient import analyze
    from ..io.load import check_logs
    from ..io.sample import load_sample, sample_path
    from ..program import default_program

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
    print(f"  {len(sessions)} exercise entries, {len(pain)} pain ratings")
    from ..prescription_file import load_prescriptions

    rx = load_prescriptions(sample_path("prescriptions"), default=default_program())
    print(f"  measured against {sample_path('prescriptions').name}: "
          f"{len(rx.versions('patient'))} versions of the prescription")
    from ..io.outcomes import load_outcomes

    outcomes = load_outcomes(sample_path("outcomes"))
    print(f"  and {sample_path('outcomes').name}: the function questionnaires of "
          f"{outcomes['date'].nunique()} visits\n")
    analysis = analyze(sessions, pain, program=rx, outcomes=outcomes)
    _print_summary(analysis.summary, rx)
    print("Per-day overview")
    _print_daily(analysis.together)
    from pathlib import Path

    from ..report.export import export_charts, export_report

    out = Path(args.outdir)
    written = [export_report(analysis, out / "backrx-report.pdf", patient_label="Sample patient")]
    written += export_charts(analysis, out / "charts", formats=("png", "svg"),
                             patient_label="Sample patient")
    print("\nWritten for the clinician:")
    for path in written:
        print(f"  {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..analysis.patient import analyze
    from ..report.export import export_caseload, export_report

    program, sessions, pain = _load_pair(args)
    analysis = analyze(sessions, pain, program=program, start=args.start, end=args.end,
                       outcomes=_outcomes(args))
    ids = analysis.patient_ids
    if args.outdir and not args.patient and len(ids) > 1:
        from tqdm import tqdm

        def bar(items):
            return tqdm(items, desc="reports", unit="patient", file=sys.stderr)

        from ..report.parallel import CaseloadReportError

        try:
            written = export_caseload(analysis, args.outdir, include_notes=args.include_notes,
                                      progress=bar, jobs=args.jobs)
        except CaseloadReportError as exc:
            for path in exc.written:
                print(path)
            print(f"backrx: {exc}", file=sys.stderr)
            return 1
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
    from ..analysis.patient import analyze
    from ..report.export import export_charts

    program, sessions, pain = _load_pair(args)
    analysis = analyze(sessions, pain, program=program, start=args.start, end=args.end,
                       outcomes=_outcomes(args))
    written = export_charts(analysis, args.outdir, formats=tuple(args.formats), dpi=args.dpi,
                            patient_id=args.patient, patient_label=args.patient_label)
    for path in written:
        print(path)
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..io.load import append_pain, append_sessions
    from ..program import default_program
    from ..program_file import load_program

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


def cmd_association(args: argparse.Namespace) -> int:
    from ..analysis.patient import analyze
    from ..report.text import association_lines

    program, sessions, pain = _load_pair(args)
    analysis = analyze(sessions, pain, program=program, start=args.start, end=args.end)
    rows = analysis.dose_association
    ids = [args.patient] if args.patient else analysis.patient_ids
    for pid in ids:
        one = rows[rows["patient_id"] == pid]
        if args.patient and not len(one):
            print(f"backrx: no patient {pid!r} in the logs ({', '.join(analysis.patient_ids)})",
                  file=sys.stderr)
            return 2
        lines = association_lines(one)
        if len(ids) > 1:
            print(f"{pid}:")
        for line in lines[:-1]:
            print(f"  {line}" if len(ids) > 1 else line)
    from ..report.text import ASSOCIATION_CAVEAT

    print()
    print(ASSOCIATION_CAVEAT)
    return 0


def cmd_fhir(args: argparse.Namespace) -> int:
    _write_fhir(args, args.out, *_load_pair(args), _outcomes(args))
    return 0


def _write_fhir(args: argparse.Namespace, out, program, sessions, pain, outcomes) -> None:
    from ..report.fhir import export_fhir

    for path in export_fhir(sessions, pain, out, program=program, outcomes=outcomes,
                            patient_label=args.patient_label, start=args.start, end=args.end,
                            include_notes=args.include_notes):
        print(path)


def cmd_export(args: argparse.Namespace) -> int:
    """``backrx export --fhir FILE|DIR`` and/or ``--tables DIR``."""
    if not (args.fhir or args.tables):
        print("backrx: say what to export: --fhir bundle.json (or a folder) and/or "
              "--tables DIR", file=sys.stderr)
        return 2
    program, sessions, pain = _load_pair(args)  # read once, for both
    outcomes = _outcomes(args)
    if args.fhir:
        _write_fhir(args, args.fhir, program, sessions, pain, outcomes)
    if args.tables:
        from ..analysis.patient import analyze
        from ..report.tables import export_tables

        analysis = analyze(sessions, pain, program=program, start=args.start, end=args.end,
                           outcomes=outcomes)
        for path in export_tables(analysis, args.tables, include_notes=args.include_notes):
            print(path)
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    from ..scale.cohort import CohortError, write_cohort

    _, sessions, pain = _load_pair(args)
    try:
        out = write_cohort(sessions, pain, args.out, patients_per_part=args.patients_per_part,
                           append=args.append)
    except CohortError as exc:
        print(f"backrx: {exc}", file=sys.stderr)
        return 1
    n = sessions["patient_id"].nunique() if len(sessions) else 0
    print(f"{out}: {len(sessions)} exercise entries and {len(pain)} pain ratings of {n} "
          f"patients (read it with backrx_analysis.scale.read_cohort)")
    return 0
