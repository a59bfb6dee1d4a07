"""Program files: a small TOML or YAML file -> a :class:`~backrx_analysis.program.Program`.

The default program with a clinic's changes: the exercises kept and their targets,
the minute bands, and the thresholds of the pain and questionnaire rules
(``[pain]``, ``[outcomes]``). Every problem of a file is said at once.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from .program import Band, OutcomeRules, PainRules, Program, ProgramError, default_program

__all__ = ["load_program"]


def _band(value: Any, what: str, path: Path) -> Band:
    try:
        low, high = value
        return Band(float(low), float(high))
    except (TypeError, ValueError) as exc:
        raise ProgramError(f"{path}: {what} must be [low, high] minutes, got {value!r}") from exc


def load_program(path: str | Path) -> Program:
    """Read a program from a small TOML or YAML file.

    Anything left out keeps the default. Example (TOML)::

        exercise_minutes = [15, 30]
        walk_minutes = [10, 20]
        exercises = ["ankle_pumps", "wall_squat", "straight_leg_raise"]

        [targets]
        wall_squat = 8

        [pain]            # PainRules: the pain rules' thresholds
        mcid_points = 1.5

        [outcomes]        # OutcomeRules: the questionnaires' changes that matter
        odi_points = 8
        rmdq_fraction = 0.25

    ``exercises`` keeps a subset of the default exercises, in that order;
    ``targets`` changes the daily repetitions of some; ``pain`` and ``outcomes``
    change some thresholds of :class:`PainRules` and :class:`OutcomeRules` (a clinic's
    own; the names are those of their fields, the rest keep the defaults).
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(text)
        elif path.suffix.lower() in (".yml", ".yaml"):
            import yaml

            data = yaml.safe_load(text) or {}
        else:
            raise ProgramError(f"{path}: a program file must end in .toml, .yaml or .yml")
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        if isinstance(exc, ProgramError):
            raise
        raise ProgramError(f"{path}: cannot read the program file: {exc}") from exc
    except Exception as exc:  # yaml.YAMLError
        raise ProgramError(f"{path}: cannot read the program file: {exc}") from exc
    if not isinstance(data, dict):
        raise ProgramError(f"{path}: expected a table of settings, got {type(data).__name__}")

    known = {"name", "exercises", "targets", "exercise_minutes", "walk_minutes", "pain",
             "outcomes"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ProgramError(f"{path}: unknown settings {unknown}; accepted: {sorted(known)}")

    prog = default_program()
    if "exercises" in data:
        prog = prog.subset(data["exercises"])
    targets = data.get("targets", {}) or {}
    if not isinstance(targets, dict):
        raise ProgramError(f"{path}: targets must be a table of exercise id = reps")
    bad = sorted(set(targets) - set(prog.exercise_ids))
    if bad:
        raise ProgramError(f"{path}: targets for unknown exercises {bad}; known: {list(prog.exercise_ids)}")
    exercises = tuple(
        replace(e, target_reps=targets[e.id]) if e.id in targets else e for e in prog.exercises
    )
    changes: dict[str, Any] = {"exercises": exercises}
    if "exercise_minutes" in data:
        changes["exercise_minutes"] = _band(data["exercise_minutes"], "exercise_minutes", path)
    if "walk_minutes" in data:
        changes["walk_minutes"] = _band(data["walk_minutes"], "walk_minutes", path)
    if "name" in data:
        changes["name"] = str(data["name"])
    problems: list[str] = []
    for table, rules in (("pain", prog.pain), ("outcomes", prog.outcomes)):
        if table in data:
            changes[table] = _rules(rules, data[table], table, problems)
    if problems:
        raise ProgramError(f"{path}: " + "; ".join(problems))
    return prog.with_changes(**changes)


def _rules(rules: PainRules | OutcomeRules, table: Any, what: str, problems: list[str]
           ) -> PainRules | OutcomeRules:
    """``rules`` with the values of a file's ``[pain]`` / ``[outcomes]`` table, each
    checked (problems added to ``problems``): whole numbers where the field is one (days
    at least 1), fractions in (0, 1), other numbers >= 0, the pain scale's minimum
    below its maximum."""
    if not isinstance(table, dict):
        problems.append(f"{what} must be a table of name = number")
        return rules
    kinds = {f.name: f.type for f in fields(rules)}
    problems += [f"unknown {what} setting {k!r}; accepted: {', '.join(kinds)}"
                 for k in table if k not in kinds]
    values: dict[str, Any] = {}
    for k, v in table.items():
        if k not in kinds:
            continue
        whole = kinds[k] in (int, "int")
        low = 1 if whole and not k.endswith("_missing") else 0
        ok = (isinstance(v, int | float) and not isinstance(v, bool)
              and (not whole or float(v).is_integer()) and v >= low
              and (not k.endswith("_fraction") or 0 < v < 1))
        if not ok:
            need = (f"a whole number >= {low}" if whole else "a fraction between 0 and 1"
                    if k.endswith("_fraction") else "a number >= 0")
            problems.append(f"{what}.{k} = {v!r}: must be {need}")
        else:
            values[k] = int(v) if whole else float(v)
    out = replace(rules, **values)
    if isinstance(out, PainRules) and not out.scale_min < out.scale_max:
        problems.append(f"pain.scale_min ({out.scale_min:g}) must be below pain.scale_max "
                        f"({out.scale_max:g})")
    return out
