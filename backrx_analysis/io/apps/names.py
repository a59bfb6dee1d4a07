"""Names the person chose in an app ("back routine", "nature / walk", "Physio
exercises") -> the program's activities, and a count of every name that is not one.

An app's activity names map through, in order:

1. the user's own mapping (``activities.toml``, see below), which wins;
2. the program's names and aliases (``walk``, ``walking``, ``wall squat``, the names
   abroad...), as any log's ``exercise`` column is read.

Whatever maps to neither is kept out of adherence and counted per name in the report
(``42 entries of 'Running' are not part of the program``), never silently.

The mapping file (documented in docs/data-format.md, "Names you chose in an app")::

    # activities.toml
    [activities]
    "back routine" = "session"      # the whole routine: its minutes are exercise minutes
    "nature / walk" = "walk"
    "Physio exercises" = "session"
    "Running" = "none"              # known, and not part of the program: counted as such

Keys are matched as program names are (case, accents, spaces and punctuation do not
matter); values are an activity of the program (an exercise id, ``walk``, ``session``)
or ``none``.
"""

from __future__ import annotations

import os
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import LogFormatError
from ...program import Program, normalize_name
from .base import count_phrase

__all__ = ["NOT_IN_PROGRAM", "ActivityNames", "load_activities", "activity_names"]

#: the value of a user mapping that says "known, and not part of the program"
NOT_IN_PROGRAM = "none"

Activities = Mapping[str, str] | str | os.PathLike | None


def load_activities(path: str | os.PathLike, program: Program) -> dict[str, str]:
    """The user's mapping file -> ``{normalized name: activity id or "none"}``.

    Raises :class:`LogFormatError` naming the file, the key and the value, with what
    is accepted, for every entry that cannot be used (all at once)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LogFormatError(str(path), "file not found (the activity names mapping)") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LogFormatError(str(path), f"cannot be read as TOML: {exc}") from None
    table = data.get("activities", data)
    if not isinstance(table, dict):
        raise LogFormatError(str(path), "should hold an [activities] table of "
                                        "\"name in the app\" = \"activity\" lines")
    return _checked(table, program, str(path))


def _checked(table: Mapping, program: Program, where: str) -> dict[str, str]:
    accepted = ", ".join((*program.activity_ids, NOT_IN_PROGRAM))
    out: dict[str, str] = {}
    bad = []
    for name, value in table.items():
        key = normalize_name(name)
        target = value if isinstance(value, str) else None
        if target is not None and target != NOT_IN_PROGRAM:
            target = target if target in program.activity_ids else program.resolve(target)
        if not key:
            bad.append(f"{name!r}: a name with no letters or digits cannot be matched")
        elif target is None:
            bad.append(f"{name!r} = {value!r}: not an activity of the program; accepted: "
                       f"{accepted}")
        else:
            out[key] = target
    if bad:
        raise LogFormatError(where, "; ".join(bad))
    return out


@dataclass
class ActivityNames:
    """Maps an app's names to the program's activities and counts what it could not.

    ``resolve(name)`` gives the activity id, or ``None`` (counted) for a name that is
    not part of the program; ``report()`` gives the sentences for the app's report."""

    program: Program
    user: Mapping[str, str] = field(default_factory=dict)
    unmapped: Counter = field(default_factory=Counter)
    declined: Counter = field(default_factory=Counter)
    unit: str = "entry"
    _shown: dict = field(default_factory=dict, repr=False)  # key -> the first spelling seen

    def resolve(self, name: str | None) -> str | None:
        if name is None or not str(name).strip():
            self._shown.setdefault("", "(no name)")
            self.unmapped[""] += 1
            return None
        key = normalize_name(name)
        target = self.user.get(key)
        if target is None:
            target = self.program.resolve(str(name))
        if target is None or target == NOT_IN_PROGRAM:
            self._shown.setdefault(key, str(name).strip())
            (self.unmapped if target is None else self.declined)[key] += 1
            return None
        return target

    def report(self, unit: str | None = None, *, shown: int = 10) -> list[str]:
        """``42 entries of 'Running' are not part of the program`` per name, most
        first; past the ``shown`` most frequent names of each list, one sentence
        counts the rest (an app with 60 activities stays readable)."""
        one = unit or self.unit
        many = "entries" if one == "entry" else one + "s"
        out = []
        for counts, why in ((self.unmapped, "not part of the program"),
                            (self.declined, "not part of the program (your activities mapping)")):
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            for key, n in ranked[:shown]:
                verb = "is" if n == 1 else "are"
                out.append(f"{count_phrase(n, one, many)} of {self._shown[key]!r} {verb} {why}")
            rest = ranked[shown:]
            if rest:
                n = sum(k for _, k in rest)
                out.append(f"{count_phrase(n, one, many)} of {count_phrase(len(rest), 'other name')} "
                           f"{'is' if n == 1 else 'are'} {why}")
        return out


def activity_names(activities: Activities, program: Program, *, unit: str = "entry") -> ActivityNames:
    """An :class:`ActivityNames` for a mapping given as a file path, a dict or ``None``."""
    if activities is None:
        user: dict[str, str] = {}
    elif isinstance(activities, str | os.PathLike):
        user = load_activities(activities, program)
    else:
        user = _checked(activities, program, "activities mapping")
    return ActivityNames(program, user, unit=unit)
