"""Load exercise-session and pain logs into validated, canonical frames.

>>> import backrx_analysis as bx
>>> sessions, pain = bx.load_sample()
>>> sorted(sessions["exercise"].cat.categories)[:3]
['abdominal_bracing', 'ankle_pumps', 'partial_curl_up']
>>> bool(pain["pain"].between(0, 10).all())
True

Every loader reads *every* row, and raises :class:`LogValidationError` listing all
problems at once (file, line, column, value, reason) when any row cannot be
accepted; :func:`check_logs` returns the same problems as a table without raising.
The canonical columns and dtypes are documented in docs/data-format.md.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

import pandas as pd

from ..errors import PROBLEM_COLUMNS, LogFormatError, LogValidationError, raise_problems
from ..prescriptions import names_program
from ..program import Program, default_program
from ..schema import conform, empty_pain, empty_sessions, pain_dtypes, sessions_dtypes
from .apps import AppReportWarning, read_app_table, single_kind
from .apps.names import Activities
from .duplicates import DuplicateEntriesWarning, handle_duplicates
from .headers import map_headers
from .readers import read_table
from .validate import READ_AS, to_canonical

__all__ = [
    "DuplicateEntriesWarning",
    "LogValidationError",
    "LogFormatError",
    "load_sessions",
    "load_pain",
    "check_logs",
    "read_log",
    "append_sessions",
    "append_pain",
]

PathLike = str | os.PathLike
Source = PathLike | pd.DataFrame
Sources = Source | Sequence[Source]

def _as_list(sources: Sources) -> list[Source]:
    if isinstance(sources, pd.DataFrame | str | os.PathLike):
        return [sources]
    out = list(sources)
    if not out:
        raise ValueError("no log files given")
    return out


def _kind_of(headers: list[str], program: Program) -> str:
    """'pain' when the headers hold a pain column, else 'sessions'."""
    return "pain" if "pain" in map_headers(headers, "pain", program).fields else "sessions"


def _read_one(
    src: Source,
    kind: str,
    *,
    program: Program,
    dayfirst: bool | None,
    sheet: str | int | None,
    patient_id: str | None,
    source: str | None = None,
    tz: str | None = None,
    activities: Activities = None,
) -> tuple[str, pd.DataFrame | None, pd.DataFrame]:
    """(kind, canonical frame or None when unreadable, problems) of one log, read
    once; ``kind="auto"`` takes it from the headers (an app export: a sessions log,
    unless ``kind`` says otherwise). What an app export leaves out is said in an
    :class:`AppReportWarning`."""
    decided = kind
    if kind == "auto":  # an app that feeds only a pain log (a pain diary) is one
        app_kind = single_kind(src, source) or "sessions"
    else:
        app_kind = kind
    try:
        app = read_app_table(src, app_kind, program,
                             source=source, tz=tz, activities=activities, patient_id=patient_id)
    except LogFormatError as exc:
        return app_kind, None, exc.problems
    if app is not None:
        decided = app_kind
        if app.report:
            warnings.warn(AppReportWarning(f"{app.raw.source} ({app.app}): "
                                           + "; ".join(app.report)), stacklevel=4)
        frame, probs = to_canonical(app.raw, decided, program=program, dayfirst=dayfirst,
                                    patient_id=patient_id)
        return decided, frame, probs

    def column_kinds(headers: list[str]) -> dict[int, str]:
        nonlocal decided
        if decided == "auto":
            decided = _kind_of(headers, program)
        hm = map_headers(headers, decided, program)
        kinds = {p: READ_AS.get(f, "number") for f, p in hm.fields.items()}
        kinds.update({wc.position: "number" for wc in hm.wide})
        return kinds

    try:
        raw = read_table(src, sheet=sheet, column_kinds=column_kinds)
    except LogFormatError as exc:
        return ("sessions" if decided == "auto" else decided), None, exc.problems
    if decided == "auto":  # not a CSV: the reader did not ask
        decided = _kind_of(raw.headers, program)
    frame, probs = to_canonical(raw, decided, program=program, dayfirst=dayfirst,
                                patient_id=patient_id)
    return decided, frame, probs


def _no_problems() -> pd.DataFrame:
    probs = pd.DataFrame({c: pd.Series([], dtype=object) for c in PROBLEM_COLUMNS})
    probs["line"] = pd.array(probs["line"], dtype="Int64")
    return probs


def _read_all(
    sources: Sources,
    kind: str,
    *,
    program: Program,
    dayfirst: bool | None,
    sheet: str | int | None,
    patient_id: str | None,
    source: str | None = None,
    tz: str | None = None,
    activities: Activities = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    """(canonical frame, problems table, number of entries each loaded file gave)."""
    frames, problems = [], []
    for src in _as_list(sources):
        _, frame, probs = _read_one(src, kind, program=program, dayfirst=dayfirst, sheet=sheet,
                                    patient_id=patient_id, source=source, tz=tz, activities=activities)
        if frame is not None:
            frames.append(frame)
        if len(probs):
            problems.append(probs)
    dtypes = sessions_dtypes(program) if kind == "sessions" else pain_dtypes()
    if frames:
        # one file's frame is canonical already (to_canonical conforms it)
        out = frames[0] if len(frames) == 1 else conform(pd.concat(frames, ignore_index=True),
                                                         dtypes)
    else:
        out = empty_sessions(program) if kind == "sessions" else empty_pain()
    labels = {k: v for p in problems for k, v in p.attrs.get("line_labels", {}).items()}
    probs = pd.concat(problems, ignore_index=True) if problems else _no_problems()
    probs["line"] = pd.array(probs["line"], dtype="Int64")
    if labels:  # "Workout element 12", "record 3": what each app's locator counts
        probs.attrs["line_labels"] = labels
    return out, probs, [len(f) for f in frames]


def read_log(
    source: Source,
    *,
    kind: str = "auto",
    program: Program | None = None,
    dayfirst: bool | None = None,
    sheet: str | int | None = None,
    patient_id: str | None = None,
    app: str | None = None,
    tz: str | None = None,
    activities: Activities = None,
) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """Read one log once: its kind, the entries that could be read, and every problem.

    Never raises on bad rows or an unreadable file (those are problems, too): what
    ``backrx validate`` uses to check a file and describe it in one reading.

    Parameters
    ----------
    source : path or DataFrame
        One log, in any format :func:`load_sessions` reads (app exports too).
    kind : {"auto", "sessions", "pain"}
        ``"auto"``: a pain log when the headers hold a pain column (an app export: a
        sessions log).
    app : str, optional
        The app that wrote the file, what :func:`load_sessions` calls ``source=``.
    tz : str, optional
        As in :func:`load_sessions`.

    Returns
    -------
    (kind, frame, problems)
        ``frame`` is canonical (empty when the file could not be read at all);
        refuse it when ``problems`` is not empty, as :func:`load_sessions` does.
    """
    if kind not in ("auto", "sessions", "pain"):
        raise ValueError(f"kind must be 'auto', 'sessions' or 'pain', got {kind!r}")
    program = names_program(program)
    kind, frame, probs = _read_one(source, kind, program=program, dayfirst=dayfirst, sheet=sheet,
                                   patient_id=patient_id, source=app, tz=tz, activities=activities)
    if frame is None:
        frame = empty_sessions(program) if kind == "sessions" else empty_pain()
    probs = probs.reset_index(drop=True)
    probs["line"] = pd.array(probs["line"], dtype="Int64")
    return kind, frame, probs


def load_sessions(
    sources: Sources,
    *,
    program: Program | None = None,
    dayfirst: bool | None = None,
    sheet: str | int | None = None,
    patient_id: str | None = None,
    duplicates: str = "warn",
    source: str | None = None,
    tz: str | None = None,
    activities: Activities = None,
) -> pd.DataFrame:
    """Load one or more exercise-session logs into the canonical sessions frame.

    Parameters
    ----------
    sources : path, DataFrame, or a list of them
        CSV (any of ``,`` ``;`` tab ``|``; decimal comma with ``;``), TSV, XLSX,
        JSON records or Parquet; long format (one row per entry) or wide (one row
        per day, a column per exercise).
    program : Program, optional
        The prescription whose exercise names are accepted (default: the default
        program).
    dayfirst : bool, optional
        For slash dates: ``True`` for day/month/year, ``False`` for month/day/year.
        When not given it is inferred only when the data decides it.
    sheet : str or int, optional
        Spreadsheet sheet (default: the first).
    patient_id : str, optional
        Patient of a log without a patient column (default ``"patient"``).
    duplicates : {"warn", "drop", "error"}
        Entries found again in a later file of ``sources`` (the same export loaded
        twice): kept with a :class:`DuplicateEntriesWarning` saying how many
        (``"warn"``), dropped with that warning (``"drop"``), or refused. The count
        is in ``frame.attrs["duplicates"]``.
    source : str, optional
        The app that wrote the files (a key of
        :data:`backrx_analysis.io.apps.APPS`, e.g. ``"apple_health"``), for an export
        whose content does not say; app exports are recognised by their content
        otherwise (docs/data-format.md, one section per app). What an export leaves
        out (other workouts, other pain scales, the same walk from two sources) is
        said in an :class:`AppReportWarning`.
    tz : str, optional
        For app exports that write only UTC times: the zone the person lived in.
    activities : path or dict, optional
        Your mapping of an app's activity names to the program's (``activities.toml``:
        ``"nature / walk" = "walk"``; docs/data-format.md, "Names you chose in an
        app"). Names that map to nothing are counted in the app's report.

    Returns
    -------
    DataFrame
        One row per entry: ``patient_id``, ``date`` (the calendar day as written),
        ``timestamp`` (wall-clock time as written, NaT when not known),
        ``utc_offset_min``, ``exercise`` (categorical program id, ``walk`` or
        ``session``), ``reps``, ``sets``, ``side``, ``minutes``, ``hold_s``,
        ``notes``, ``source``, ``source_line``. See docs/data-format.md.

    Raises
    ------
    LogValidationError
        Listing every problem of every file, with ``.problems`` as a table.

    Examples
    --------
    >>> import backrx_analysis as bx
    >>> s = bx.load_sessions(bx.sample_path("sessions"))
    >>> int(s["source_line"].min())
    2
    """
    program = names_program(program)
    frame, problems, sizes = _read_all(
        sources, "sessions", program=program, dayfirst=dayfirst, sheet=sheet,
        patient_id=patient_id, source=source, tz=tz, activities=activities,
    )
    raise_problems(problems)
    return handle_duplicates(frame, duplicates, sizes)


def load_pain(
    sources: Sources,
    *,
    dayfirst: bool | None = None,
    sheet: str | int | None = None,
    patient_id: str | None = None,
    duplicates: str = "warn",
    source: str | None = None,
    tz: str | None = None,
    activities: Activities = None,
) -> pd.DataFrame:
    """Load one or more pain logs (0-10 ratings) into the canonical pain frame.

    Takes the options of :func:`load_sessions` (but ``program``).

    Returns
    -------
    DataFrame
        One row per rating: ``patient_id``, ``date``, ``timestamp``,
        ``utc_offset_min``, ``pain`` (0-10), ``context``, ``location``, ``notes``,
        ``source``, ``source_line``.

    Raises
    ------
    LogValidationError
        Listing every problem of every file.

    Examples
    --------
    >>> import backrx_analysis as bx
    >>> p = bx.load_pain(bx.sample_path("pain"))
    >>> bool(p["pain"].between(0, 10).all())
    True
    """
    frame, problems, sizes = _read_all(
        sources, "pain", program=default_program(), dayfirst=dayfirst, sheet=sheet,
        patient_id=patient_id, source=source, tz=tz, activities=activities,
    )
    raise_problems(problems)
    return handle_duplicates(frame, duplicates, sizes)


def check_logs(
    sources: Sources,
    *,
    kind: str = "sessions",
    program: Program | None = None,
    dayfirst: bool | None = None,
    sheet: str | int | None = None,
    source: str | None = None,
    tz: str | None = None,
    activities: Activities = None,
) -> pd.DataFrame:
    """Every problem in the logs as a table (empty when they load cleanly).

    Never raises on bad rows or unreadable files (those are rows too); use it to
    show a person what to fix.

    Returns
    -------
    DataFrame
        ``file``, ``line``, ``column``, ``value``, ``problem``.
    """
    if kind not in ("sessions", "pain"):
        raise ValueError(f"kind must be 'sessions' or 'pain', got {kind!r}")
    _, problems, _ = _read_all(
        sources, kind, program=names_program(program), dayfirst=dayfirst, sheet=sheet,
        patient_id=None, source=source, tz=tz, activities=activities,
    )
    return problems


def append_sessions(
    path: PathLike, entries, *, program: Program | None = None
) -> pd.DataFrame:
    """Append exercise entries to a session log, safely.

    ``entries`` is a list of dicts or a DataFrame with canonical columns (``date``,
    optionally ``timestamp`` or ``time``, ``exercise``, ``reps``, ``sets``, ``side``,
    ``minutes``, ``notes``, ``patient_id``). They are validated with the loaders'
    rules first (nothing is written when any is refused), then appended under a
    file lock and flushed to disk before this returns. The file is created with a
    header when missing, and is never rewritten or truncated.

    Returns
    -------
    DataFrame
        The canonical entries as written, with their ``source_line`` in the file.

    Examples
    --------
    >>> import backrx_analysis as bx, tempfile, pathlib
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "sessions.csv"
    >>> _ = bx.append_sessions(log, [{"date": "2026-03-02", "exercise": "SLR", "reps": 10,
    ...                               "side": "left", "minutes": 3}])
    >>> bx.load_sessions(log)["exercise"].tolist()
    ['straight_leg_raise']
    """
    from .writer import append_entries

    return append_entries(path, entries, "sessions", program=program)


def append_pain(path: PathLike, entries) -> pd.DataFrame:
    """Append pain ratings (``date`` or ``timestamp``, ``pain`` 0-10, ``context``,
    ``location``, ``notes``) to a pain log, with the same guarantees as
    :func:`append_sessions`."""
    from .writer import append_entries

    return append_entries(path, entries, "pain")
