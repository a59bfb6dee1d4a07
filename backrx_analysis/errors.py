"""The kit's own exceptions: every problem in a log, reported at once."""

from __future__ import annotations

import pandas as pd

__all__ = ["LogValidationError", "LogFormatError", "PROBLEM_COLUMNS", "format_problems",
           "raise_problems"]

#: Columns of a problems table (``LogValidationError.problems``, ``check_logs``).
PROBLEM_COLUMNS = ("file", "line", "column", "value", "problem")

_MAX_SHOWN = 50


def _cell(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return ""
    return str(v)


def format_problems(problems: pd.DataFrame, *, limit: int | None = _MAX_SHOWN) -> str:
    """One line per problem, as a person reads them: file, line, column, value, why.

    An app export's locator is named as the app counts it (``Workout element 12``,
    ``record 3``) when ``problems.attrs["line_labels"]`` maps its file to a label."""
    labels = problems.attrs.get("line_labels", {})
    out = []
    rows = problems.itertuples(index=False)
    for i, p in enumerate(rows):
        if limit is not None and i >= limit:
            out.append(f"... and {len(problems) - limit} more (see the .problems table)")
            break
        where = [p.file]
        if _cell(p.line):
            label = labels.get(p.file) or ("row" if str(p.file).startswith("<") else "line")
            where.append(f"{label} {int(p.line)}")
        if _cell(p.column):
            where.append(f"column {p.column!r}")
        value = _cell(p.value)
        shown = f" {value!r}:" if value != "" else ""
        out.append(f"{', '.join(where)}:{shown} {p.problem}")
    return "\n".join(out)


class LogValidationError(ValueError):
    """A log holds entries the kit cannot accept. Every problem is listed.

    Attributes
    ----------
    problems : DataFrame
        One row per problem: ``file``, ``line`` (the line an editor shows, header =
        line 1; the row for spreadsheets), ``column`` (the header as written),
        ``value`` (as written) and ``problem`` (what is wrong and what is accepted).
    """

    def __init__(self, problems: pd.DataFrame):
        self.problems = problems.reset_index(drop=True)
        files = sorted({str(f) for f in self.problems["file"]})
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {', '.join(files)}"
        super().__init__(f"{head}:\n{format_problems(self.problems)}")


class LogFormatError(LogValidationError):
    """A file that cannot be read as a log at all (missing, empty, wrong format)."""

    def __init__(self, file: str, problem: str):
        self.file = file
        frame = pd.DataFrame(
            [{"file": file, "line": pd.NA, "column": "", "value": "", "problem": problem}],
            columns=list(PROBLEM_COLUMNS),
        )
        frame["line"] = frame["line"].astype("Int64")
        super().__init__(frame)


def raise_problems(problems: pd.DataFrame) -> None:
    """Raise for a non-empty problems table: :class:`LogFormatError` when it is the one
    file-level problem of a file that cannot be read at all, else
    :class:`LogValidationError`."""
    if not len(problems):
        return
    if len(problems) == 1 and pd.isna(problems["line"].iloc[0]) and not problems["column"].iloc[0]:
        raise LogFormatError(problems["file"].iloc[0], problems["problem"].iloc[0])
    raise LogValidationError(problems)
