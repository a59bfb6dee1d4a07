"""The prescription as clinicians write it: per patient, a history of versions, each
measured on the days it is in force (PROGRAM.md, "The prescription in force").

Pure data here (the file reader is :func:`backrx_analysis.prescription_file.load_prescriptions`).
A :class:`Version` is a :class:`~backrx_analysis.program.Program` with the dates it is
in force, the weekdays it applies to, who prescribed it and why. A
:class:`Prescriptions` holds the versions of each patient; a patient without a
history is measured against its ``default`` program on every day, as before.

>>> import datetime as dt
>>> from backrx_analysis.program import Band, default_program
>>> p = default_program()
>>> v1 = Version(1, dt.date(2026, 3, 2), None, p)
>>> v2 = Version(2, dt.date(2026, 3, 16), None, p.with_changes(walk_minutes=Band(20, 30)))
>>> rx = Prescriptions({"P01": (v1, v2)})
>>> rx.in_force("P01", dt.date(2026, 3, 20)).number
2
>>> rx.in_force("P01", dt.date(2026, 3, 1)) is None   # before the first: nothing measured
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from .program import Program, ProgramError, default_program

__all__ = ["Version", "Prescriptions", "WEEKDAYS", "names_program", "shown_program"]

#: weekday names as written in a prescription file -> Python's weekday (Mon = 0)
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@dataclass(frozen=True)
class Version:
    """One version of a patient's prescription.

    ``number`` counts from 1 in date order; ``start`` is the first day in force,
    ``end`` the last (``None``: until the next version starts, or for good);
    ``days`` the weekdays it applies to (0 Monday .. 6 Sunday; ``None``: every day),
    a day outside them prescribes nothing and is not a missed day."""

    number: int
    start: dt.date
    end: dt.date | None
    program: Program
    days: frozenset[int] | None = None
    by: str = ""
    why: str = ""
    changes: str = ""  # what this version changed, in words (the file reader fills it)

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ProgramError(f"version {self.number} ends ({self.end}) before it starts "
                               f"({self.start})")
        if self.days is not None:
            days = frozenset(int(d) for d in self.days)
            if not days <= set(range(7)):  # empty: prescribes nothing (see subset)
                raise ProgramError(f"version {self.number}: days must be weekdays 0-6, "
                                   f"got {sorted(days)}")
            object.__setattr__(self, "days", days)


@dataclass(frozen=True)
class Prescriptions:
    """Each patient's versions, in date order, not overlapping; ``default`` for the
    patients without a history (and the catalogue of exercises a version may use)."""

    histories: Mapping[str, tuple[Version, ...]]
    default: Program = field(default_factory=default_program)
    source: str = "<prescriptions>"

    def __post_init__(self) -> None:
        clean = {}
        for patient, versions in self.histories.items():
            versions = tuple(sorted(versions, key=lambda v: v.start))
            for a, b in zip(versions, versions[1:], strict=False):
                if a.start == b.start or (a.end is not None and a.end >= b.start):
                    raise ProgramError(f"{patient}: versions {a.number} and {b.number} "
                                       "overlap; a version holds until the next starts")
            clean[str(patient)] = versions
        object.__setattr__(self, "histories", clean)

    def versions(self, patient: str) -> tuple[Version, ...]:
        """The patient's versions (empty: no history, the default program applies)."""
        return self.histories.get(str(patient), ())

    def in_force(self, patient: str, day: dt.date) -> Version | None:
        """The version in force on ``day`` (``None`` before the first, after an end
        with no next version, or for a patient without a history)."""
        started = [v for v in self.versions(patient) if v.start <= day]
        if not started:
            return None
        last = started[-1]  # a version holds until the next starts, or until its end
        return last if last.end is None or day <= last.end else None

    def shown(self, patient: str, day: dt.date | None = None) -> Program:
        """The program to describe for a patient on ``day`` (a chart's legend, a
        report's prescription page): the version in force then, else the last one
        started before it, else the patient's last version, else the default."""
        versions = self.versions(patient)
        if day is not None:
            before = [v for v in versions if v.start <= day]
            if before:
                return before[-1].program
        return versions[-1].program if versions else self.default

    def subset(self, exercise_ids) -> Prescriptions:
        """The same histories restricted to some exercises (a dashboard's choice): each
        version keeps those it prescribes; a version prescribing none of them
        prescribes nothing on any day."""
        from dataclasses import replace

        ids = [i for i in exercise_ids]
        out = {}
        for patient, versions in self.histories.items():
            kept = []
            for v in versions:
                mine = [i for i in ids if i in v.program.exercise_ids]
                program = v.program.subset(mine) if mine else self.default.subset(ids)
                kept.append(replace(v, program=program,
                                    days=v.days if mine else frozenset()))
            out[patient] = tuple(kept)
        return Prescriptions(out, self.default.subset(ids), self.source)

    # What does not change between versions, so that every function taking
    # ``program=`` takes a Prescriptions too: the pain and questionnaire rules, and the
    # names and definitions of the exercises (the catalogue's).
    @property
    def pain(self):
        return self.default.pain

    @property
    def outcomes(self):
        return self.default.outcomes

    @property
    def name(self) -> str:
        return f"{self.default.name}, as prescribed per patient"

    @property
    def exercises(self):
        return self.catalogue.exercises

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        return self.catalogue.exercise_ids

    @property
    def activity_ids(self) -> tuple[str, ...]:
        return self.catalogue.activity_ids

    def exercise(self, exercise_id: str):
        return self.catalogue.exercise(exercise_id)

    def resolve(self, name: str) -> str | None:
        return self.catalogue.resolve(name)

    def suggest(self, name: str, n: int = 3) -> list[str]:
        return self.catalogue.suggest(name, n)

    @property
    def per_side_ids(self) -> tuple[str, ...]:
        return self.catalogue.per_side_ids

    @property
    def alias_map(self):
        return self.catalogue.alias_map

    @property
    def catalogue(self) -> Program:
        """Every exercise any version (or the default) prescribes, the default's first:
        the columns of a daily frame."""
        seen = {e.id: e for e in self.default.exercises}
        for versions in self.histories.values():
            for v in versions:
                for e in v.program.exercises:
                    seen.setdefault(e.id, e)
        return self.default.with_changes(exercises=tuple(seen.values()))



def names_program(program: Program | Prescriptions | None) -> Program:
    """The program whose exercise names a log is read and written with: a history's
    catalogue (every exercise any version prescribes), else the program itself, else
    the default."""
    if isinstance(program, Prescriptions):
        return program.catalogue
    return program or default_program()


def shown_program(program: Program | Prescriptions, patient: str | None = None,
                  day: dt.date | None = None) -> Program:
    """The program a chart's legend or a report's page describes: a plain program as
    it is; for a history, :meth:`Prescriptions.shown` of the patient on ``day`` (its
    default without a patient)."""
    if not isinstance(program, Prescriptions):
        return program
    return program.shown(patient, day) if patient is not None else program.default
