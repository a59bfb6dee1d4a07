"""Read a prescription history: a TOML or YAML file a clinician writes, a Python dict
of the same shape, or a frame with one row per version (``docs/prescriptions.md``).

Each version starts from the one before it (the first from the default program) and
states only what changes, as a progression note does. Every problem of a file is
reported at once, with its line, as for the logs.

>>> import backrx_analysis as bx
>>> rx = bx.load_prescriptions({"patient": [{"id": "P01", "version": [
...     {"start": "2026-03-02"},
...     {"start": "2026-03-16", "targets": {"wall_squat": 12}, "walk_minutes": [20, 30]}]}]})
>>> [v.changes for v in rx.versions("P01")]
['the default program', 'wall squat 10 -> 12 reps; walk 10-20 -> 20-30 min']
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import LogFormatError, raise_problems
from .prescription_history import VERSION_KEYS, Problems, build_histories, close_to
from .prescriptions import Prescriptions
from .program import Program, default_program

__all__ = ["load_prescriptions", "FRAME_COLUMNS"]

#: columns of the frame form (one row per version); ``patient_id`` and ``start`` required
FRAME_COLUMNS = ("patient_id", *VERSION_KEYS)

_SPAN = re.compile(r"\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*")
_HEADER = re.compile(r"\[\[?\s*([^\]]*?)\s*\]\]?")
_KEY = re.compile(r"""["']?([A-Za-z0-9_-]+)["']?\s*=""")


def load_prescriptions(source: Any, *, default: Program | None = None) -> Prescriptions:
    """Read each patient's prescription history.

    Parameters
    ----------
    source : path, dict or DataFrame
        A ``.toml``, ``.yaml`` or ``.yml`` file of ``[[patient]]`` tables, each with an
        ``id`` and ``[[patient.version]]`` tables (keys in
        :data:`~backrx_analysis.prescription_history.VERSION_KEYS`); a dict of the same shape (``{"patient": [{"id": ..., "version": [...]}]}``); or a
        DataFrame with one row per version and the columns :data:`FRAME_COLUMNS`
        (lists as Python lists or ``" | "``-separated text: ``"Mon | Wed | Fri"``,
        ``"20 | 30"``, targets as ``"wall_squat=12 | ankle_pumps=15"``; an empty cell
        states nothing).
    default : Program, optional
        The program a patient's first version starts from, and the exercises a version
        may name (default: :func:`~backrx_analysis.program.default_program`).

    Returns
    -------
    Prescriptions
        Versions numbered from 1 per patient in date order, each with its program,
        days, who, why and ``changes`` (what it changed, in words).

    Raises
    ------
    LogFormatError
        The file is missing or is not valid TOML / YAML (the message names the line).
    LogValidationError
        Every problem at once, in ``.problems`` (file, line, column, value, problem).

    Examples
    --------
    >>> rx = load_prescriptions({"patient": [{"id": "P01", "version": [
    ...     {"start": "2026-03-02"}, {"start": "2026-03-30", "days": ["Mon", "Wed", "Fri"]}]}]})
    >>> import datetime as dt
    >>> v = rx.in_force("P01", dt.date(2026, 4, 1))
    >>> v.number, v.changes
    (2, 'Mon, Wed, Fri only')
    """
    default = default if default is not None else default_program()
    lines: dict = {}
    if isinstance(source, Mapping):
        data, file = source, "<dict>"
    elif isinstance(source, str | Path):
        file = str(source)
        data, lines = _read(Path(source))
    elif hasattr(source, "columns") and hasattr(source, "itertuples"):
        data, file = None, "<DataFrame>"
    else:
        raise TypeError(f"load_prescriptions reads a path, a dict or a DataFrame, not "
                        f"{type(source).__name__}")
    is_frame = file == "<DataFrame>"
    prob = Problems(file, lines, columns={"id": "patient_id"} if is_frame else None)
    if is_frame:
        data = _from_frame(source, prob)
        if data is None:  # a column it needs is missing
            raise_problems(prob.frame())
    histories = build_histories(data, default, prob)
    raise_problems(prob.frame())
    return Prescriptions(histories, default=default, source=file)


# -- reading the file, and where each key is written -------------------------------


def _read(path: Path) -> tuple[Any, dict]:
    name = str(path)
    if not path.is_file():
        raise LogFormatError(name, f"file not found: {path}")
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml"):
        raise LogFormatError(name, "a prescription file ends in .toml, .yaml or .yml")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LogFormatError(name, f"cannot read the file: {exc}") from exc
    if suffix == ".toml":
        try:
            return tomllib.loads(text), _toml_lines(text)
        except tomllib.TOMLDecodeError as exc:
            raise LogFormatError(name, f"not valid TOML: {exc}") from exc
    import yaml

    try:
        return yaml.safe_load(text), _yaml_lines(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise LogFormatError(name, f"not valid YAML{where}: {what}") from exc


def _toml_lines(text: str) -> dict:
    """(patient, version, key) -> line, by a scan of the text in order (tables
    ``[[patient]]``, ``[[patient.version]]``, ``[patient.version.targets]`` and keys)."""
    lines: dict = {}
    p = v = -1
    scope: tuple | None = (None, None)
    prefix = ""
    for n, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if s.startswith("["):
            m = _HEADER.match(s)
            name = re.sub(r"[\s\"']", "", m.group(1)) if m else ""
            prefix = ""
            if name == "patient":
                p, v = p + 1, -1
                scope = (p, None)
            elif name == "patient.version":
                v += 1
                scope = (p, v)
            elif name.startswith("patient.version."):
                scope, prefix = (p, v), name.removeprefix("patient.version.") + "."
                lines.setdefault((p, v, prefix[:-1]), n)
            else:
                scope = None
            if scope is not None:
                lines.setdefault((*scope, None), n)
            continue
        m = _KEY.match(s)
        if m and scope is not None:
            lines.setdefault((*scope, prefix + m.group(1)), n)
    return lines


def _yaml_lines(node: Any) -> dict:
    """The same map from yaml's node marks."""
    import yaml

    lines: dict = {}

    def keys(mapping: Any, scope: tuple, prefix: str = "") -> None:
        for k, val in mapping.value if isinstance(mapping, yaml.MappingNode) else ():
            key = f"{prefix}{k.value}"
            lines.setdefault((*scope, key), k.start_mark.line + 1)
            if not prefix and isinstance(val, yaml.MappingNode) and scope[0] is not None:
                keys(val, scope, key + ".")

    def items(seq: Any) -> list:
        return list(enumerate(seq.value)) if isinstance(seq, yaml.SequenceNode) else []

    keys(node, (None, None))
    top = dict((k.value, v) for k, v in node.value) if isinstance(node, yaml.MappingNode) else {}
    for p, patient in items(top.get("patient")):
        lines[(p, None, None)] = patient.start_mark.line + 1
        keys(patient, (p, None))
        inner = dict((k.value, v) for k, v in patient.value) if isinstance(
            patient, yaml.MappingNode) else {}
        for v, version in items(inner.get("version")):
            lines[(p, v, None)] = version.start_mark.line + 1
            keys(version, (p, v))
    return lines


def _from_frame(frame: Any, prob: Problems) -> dict | None:
    """The dict shape of a frame with one row per version (line = row, from 1);
    ``None`` without the columns patient_id and start."""
    import pandas as pd

    cols = [str(c) for c in frame.columns]
    for c in cols:
        if c not in FRAME_COLUMNS:
            prob.add((None, None), c, "", f"unknown column {c!r}{close_to(c, FRAME_COLUMNS)}; "
                     f"accepted: {', '.join(FRAME_COLUMNS)}")
    for c in ("patient_id", "start"):
        if c not in cols:
            prob.add((None, None), c, "", f"the column {c!r} is missing (one row per version: "
                     f"{', '.join(FRAME_COLUMNS)})")
    if not {"patient_id", "start"} <= set(cols):
        return None
    patients: dict[str, dict] = {}
    for row, values in enumerate(frame.itertuples(index=False, name=None), 1):
        cells = {c: v for c, v in zip(cols, values, strict=True)
                 if c in FRAME_COLUMNS and not _blank(v, pd)}
        pid = cells.pop("patient_id", None)
        pid = int(pid) if isinstance(pid, float) and pid.is_integer() else pid
        key = str(pid).strip() if pid is not None else f"<row {row}>"
        patient = patients.setdefault(key, {"version": [], "_rows": []})
        if pid is not None:
            patient["id"] = key
        for c in ("exercises", "days"):
            if isinstance(cells.get(c), str) and "|" in cells[c]:
                cells[c] = _pieces(cells[c])
        for c in ("exercise_minutes", "walk_minutes"):
            if isinstance(cells.get(c), str):
                m = _SPAN.fullmatch(cells[c])
                cells[c] = [m.group(1), m.group(2)] if m else _pieces(cells[c])
                cells[c] = [_number(x) for x in cells[c]]
        if isinstance(cells.get("targets"), str):
            pairs = [re.split(r"\s*[=:]\s*", x, maxsplit=1) for x in _pieces(cells["targets"])]
            cells["targets"] = {k[0]: _number(k[-1]) if len(k) == 2 else "" for k in pairs}
        patient["version"].append(cells)
        patient["_rows"].append(row)
    out = []
    for p, patient in enumerate(patients.values()):
        prob.lines[(p, None, None)] = patient["_rows"][0]
        for v, row in enumerate(patient.pop("_rows")):
            prob.lines[(p, v, None)] = row
        out.append(patient)
    return {"patient": out}


def _blank(v: Any, pd: Any) -> bool:
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, list | tuple | dict | set) or hasattr(v, "__len__"):
        return False
    return bool(pd.isna(v))


def _pieces(text: str) -> list[str]:
    return [x.strip() for x in text.split("|") if x.strip()]


def _number(text: Any) -> Any:
    try:
        f = float(text)
    except (TypeError, ValueError):
        return text
    return int(f) if f.is_integer() else f
