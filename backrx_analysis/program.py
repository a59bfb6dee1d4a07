"""The prescription the kit measures, as plain data.

This module is the one place where the program of ``PROGRAM.md`` lives: the five
exercises, their targets, holds and accepted names, the daily minute bands, and the
thresholds of the pain and function-questionnaire rules. It knows nothing of pandas or
of files other than the small TOML/YAML program files a clinician may write
(:func:`backrx_analysis.program_file.load_program`, which reads program files).

Examples
--------
>>> from backrx_analysis.program import default_program
>>> prog = default_program()
>>> prog.exercise_ids
('ankle_pumps', 'abdominal_bracing', 'wall_squat', 'straight_leg_raise', 'partial_curl_up')
>>> prog.resolve("Wall Slide")
'wall_squat'
>>> prog.exercise_minutes
Band(low=10.0, high=30.0)
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib.resources import files
from typing import Any

__all__ = [
    "WALK",
    "SESSION",
    "SIDES",
    "MINUTE_STATUSES",
    "NAMES_ABROAD",
    "Band",
    "Exercise",
    "OutcomeRules",
    "PainRules",
    "Program",
    "ProgramError",
    "default_program",
    "normalize_name",
]

#: Activity id for walking (minutes, no repetitions).
WALK = "walk"
#: Activity id for exercise minutes logged for the routine as a whole.
SESSION = "session"
#: Canonical values of the ``side`` column.
SIDES = ("left", "right", "both")
#: Values of the ``minutes_status`` / ``walk_status`` columns, in order.
MINUTE_STATUSES = ("none", "under", "in_range", "over")

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_FOLD = str.maketrans({"ß": "ss", "œ": "oe", "æ": "ae", "ø": "o", "ł": "l"})


class ProgramError(ValueError):
    """A program definition (or program file) that cannot be used."""


def normalize_name(text: str) -> str:
    """Key used to match names: lower case, accents folded, spaces and punctuation removed
    (``"Straight-Leg Raise"`` -> ``"straightlegraise"``, ``"Übung"`` -> ``"ubung"``)."""
    text = str(text).strip().lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub("", text)


#: activity id -> language (de, fr, es, nl, it) -> the names people write in it
#: (``program_names.toml``); the default program accepts them beside the English ones.
NAMES_ABROAD: dict[str, dict[str, list[str]]] = tomllib.loads(
    (files(__package__) / "program_names.toml").read_text(encoding="utf-8"))
_ABROAD = {a: tuple(n for ns in langs.values() for n in ns) for a, langs in NAMES_ABROAD.items()}


@dataclass(frozen=True)
class Band:
    """An inclusive range of daily minutes, e.g. 10-30 minutes of exercise."""

    low: float
    high: float

    def __post_init__(self) -> None:
        low, high = float(self.low), float(self.high)
        if not (0 <= low <= high):
            raise ProgramError(f"a minute band needs 0 <= low <= high, got {low}-{high}")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def __str__(self) -> str:
        return f"{self.low:g}\u2013{self.high:g} min"


@dataclass(frozen=True)
class Exercise:
    """One prescribed exercise.

    Parameters
    ----------
    id : str
        Canonical id (``snake_case``), used in every frame and column name.
    name : str
        Human name for charts and reports.
    target_reps : int
        Repetitions a day (x sets, summed over the day's entries) that meet it.
        For a per-side exercise the target applies to each side.
    hold_s : float or None
        Seconds each repetition is held (``None``: no hold).
    per_side : bool
        Counted for the left and right side separately (straight leg raise).
    aliases : tuple of str
        Other names people write; matched ignoring case, spaces, ``-`` and ``_``.
    how : str
        One-line description of how it is done (printed on the report's
        prescription page).
    """

    id: str
    name: str
    target_reps: int = 10
    hold_s: float | None = None
    per_side: bool = False
    aliases: tuple[str, ...] = ()
    how: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.id or ""):
            raise ProgramError(f"exercise id {self.id!r} must be snake_case (a-z, 0-9, _)")
        if self.id in (WALK, SESSION):
            raise ProgramError(f"{self.id!r} is an activity, not an exercise id")
        if int(self.target_reps) != self.target_reps or self.target_reps < 1:
            raise ProgramError(
                f"target_reps of {self.id!r} must be a whole number >= 1, got {self.target_reps!r}"
            )
        if self.hold_s is not None and float(self.hold_s) < 0:
            raise ProgramError(f"hold_s of {self.id!r} must be >= 0 or None")
        object.__setattr__(self, "target_reps", int(self.target_reps))
        object.__setattr__(self, "aliases", tuple(self.aliases))


@dataclass(frozen=True)
class PainRules:
    """Thresholds of the pain rules in ``docs/metrics.md``.

    Defaults: baseline over the first 7 calendar days of the pain log, trailing
    7-day mean, improvement at 2 points or 30 % below baseline (Ostelo et al.,
    Spine 2008), worse at 2 points above, flare at 2 points above the mean of the 7
    days before.
    """

    baseline_days: int = 7
    window: int = 7
    mcid_points: float = 2.0
    mcid_fraction: float = 0.30
    worse_points: float = 2.0
    flare_points: float = 2.0
    flare_window: int = 7
    scale_min: float = 0.0
    scale_max: float = 10.0


@dataclass(frozen=True)
class OutcomeRules:
    """Thresholds of the function questionnaires' rules (``docs/metrics.md``).

    Defaults: a change that matters is ODI 10 points or 30 %, RMDQ 5 points or 30 %
    (Ostelo et al., Spine 2008), PSFS 2 points on the mean (Stratford 1995); an ODI is
    scored with at most 1 section unanswered, a yes/no RMDQ pro-rated with at most 2.
    """

    odi_points: float = 10.0
    odi_fraction: float = 0.30
    rmdq_points: float = 5.0
    rmdq_fraction: float = 0.30
    psfs_points: float = 2.0
    odi_max_missing: int = 1
    rmdq_max_missing: int = 2


@dataclass(frozen=True)
class Program:
    """A prescription: the exercises and the daily dose bands.

    Build a different one for a patient with :meth:`with_changes`, or read one from a
    file with :func:`load_program`; pass it as ``program=`` wherever it is accepted.
    """

    exercises: tuple[Exercise, ...]
    exercise_minutes: Band = Band(10, 30)
    walk_minutes: Band = Band(10, 20)
    walk_aliases: tuple[str, ...] = ("walk", "walking", "walk outside", "treadmill walk",
                                     *_ABROAD[WALK])
    session_aliases: tuple[str, ...] = ("session", "exercises", "routine", "workout",
                                        *_ABROAD[SESSION])
    pain: PainRules = field(default_factory=PainRules)
    name: str = "Low back pain home program (early recovery)"
    outcomes: OutcomeRules = field(default_factory=OutcomeRules)

    def __post_init__(self) -> None:
        exercises = tuple(self.exercises)
        if not exercises:
            raise ProgramError("a program needs at least one exercise")
        ids = [e.id for e in exercises]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ProgramError(f"exercise ids appear twice: {', '.join(dupes)}")
        object.__setattr__(self, "exercises", exercises)
        object.__setattr__(self, "walk_aliases", tuple(self.walk_aliases))
        object.__setattr__(self, "session_aliases", tuple(self.session_aliases))
        # Every alias must name exactly one activity.
        owner: dict[str, str] = {}
        for activity, names in self._names().items():
            for n in names:
                key = normalize_name(n)
                if not key:
                    continue
                if owner.get(key, activity) != activity:
                    raise ProgramError(
                        f"the name {n!r} is given to both {owner[key]!r} and {activity!r}"
                    )
                owner[key] = activity
        object.__setattr__(self, "_alias_map", owner)

    # -- lookups ---------------------------------------------------------------
    def _names(self) -> dict[str, tuple[str, ...]]:
        names = {e.id: (e.id, e.name, *e.aliases) for e in self.exercises}
        names[WALK] = (WALK, *self.walk_aliases)
        names[SESSION] = (SESSION, *self.session_aliases)
        return names

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        """Ids of the prescribed exercises, in program order."""
        return tuple(e.id for e in self.exercises)

    @property
    def activity_ids(self) -> tuple[str, ...]:
        """Exercise ids followed by ``walk`` and ``session``: the categories of the
        ``exercise`` column of a sessions frame."""
        return (*self.exercise_ids, WALK, SESSION)

    @property
    def per_side_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.exercises if e.per_side)

    @property
    def alias_map(self) -> Mapping[str, str]:
        """Normalised name -> activity id (see :func:`normalize_name`)."""
        return dict(self._alias_map)  # type: ignore[attr-defined]

    def exercise(self, exercise_id: str) -> Exercise:
        for e in self.exercises:
            if e.id == exercise_id:
                return e
        raise KeyError(exercise_id)

    def resolve(self, name: str) -> str | None:
        """Activity id for a name as people write it, or ``None`` when unknown."""
        return self._alias_map.get(normalize_name(name))  # type: ignore[attr-defined]

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Closest known activities to an unknown name, by their human names (for
        error messages)."""
        import difflib

        key = normalize_name(name)
        human = {e.id: e.name.lower() for e in self.exercises}
        human.update({WALK: WALK, SESSION: SESSION})
        scored: dict[str, float] = {}
        for activity, names in self._names().items():
            for alias in names:
                r = difflib.SequenceMatcher(None, key, normalize_name(alias)).ratio()
                scored[activity] = max(scored.get(activity, 0.0), r)
        best = sorted((a for a in scored if scored[a] >= 0.6), key=lambda a: -scored[a])
        return [human[a] for a in best[:n]]

    def with_changes(self, **changes: Any) -> Program:
        """A copy with some fields replaced, e.g.
        ``default_program().with_changes(exercise_minutes=Band(15, 30))``."""
        return replace(self, **changes)

    def subset(self, exercise_ids: Iterable[str]) -> Program:
        """A copy prescribing only the given exercises (in the given order)."""
        wanted = list(exercise_ids)
        unknown = [i for i in wanted if i not in self.exercise_ids]
        if unknown:
            raise ProgramError(f"unknown exercise ids {unknown}; known: {list(self.exercise_ids)}")
        return replace(self, exercises=tuple(self.exercise(i) for i in wanted))


def default_program() -> Program:
    """The default prescription of the early-recovery low back pain program.

    Five exercises, 10 repetitions each (straight leg raise: 10 per leg), 10-30
    minutes of exercise a day, walks of 10-20 minutes (named also as in :data:`NAMES_ABROAD`).
    """
    exercises = (
        Exercise(
            "ankle_pumps",
            "Ankle pumps",
            hold_s=None,
            aliases=("ankle pumps", "ankle pump", "foot pumps"),
            how="On the back, legs straight; flex the ankles up and point them down, "
            "breathing evenly.",
        ),
        Exercise(
            "abdominal_bracing",
            "Abdominal bracing",
            hold_s=5,
            aliases=("abdominal bracing", "ab bracing", "core brace", "abdominal contraction"),
            how="On the back, knees bent, hands below the ribs; tighten the belly to draw "
            "the ribs toward the back, keep breathing. Hold 5 s.",
        ),
        Exercise(
            "wall_squat",
            "Wall squat",
            hold_s=5,
            aliases=("wall squat", "wall slide", "wall sit", "wall squats"),
            how="Back flat on a wall, feet about 30 cm forward, abdomen tight; bend the "
            "knees to about 45 degrees, hold 5 s, come back up slowly.",
        ),
        Exercise(
            "straight_leg_raise",
            "Straight leg raise",
            hold_s=5,
            per_side=True,
            aliases=("straight leg raise", "SLR", "leg raise", "straight-leg raise"),
            how="On the back, one knee bent; brace, lift the straight leg 15-30 cm, hold "
            "5 s, lower slowly; 10 on each leg.",
        ),
        Exercise(
            "partial_curl_up",
            "Partial curl-up",
            hold_s=1,
            aliases=("partial curl-up", "partial crunch", "crunch", "curl up", "curl-up"),
            how="On the back, knees bent, arms crossed; breathe out and lift the shoulders, "
            "low back stays on the mat; do not pull on the neck. Hold 1 s.",
        ),
    )
    return Program(exercises=tuple(replace(e, aliases=(*e.aliases, *_ABROAD.get(e.id, ())))
                                   for e in exercises))
