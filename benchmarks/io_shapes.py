"""Session logs of the shapes people's files come in, generated for the loader
benchmark (:mod:`benchmarks.bench_io`): seeded numpy, vectorised, any size.

Each shape is a :class:`Shape`: a name, how to write ``n`` rows of it to a file, and
the bare pandas reader of that format (the baseline). The shapes are made here, not
only by :mod:`backrx_analysis.simulate`, so that the loader is measured on files it
was not written alongside: exercise names in the many spellings PROGRAM.md lists
(in mixed case), blank cells where people leave them, decimal commas, day-first
dates, timestamps with UTC offsets that are nearly all distinct, wide sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["Shape", "SHAPES", "shape_frame"]

#: Spellings of each activity that people write (PROGRAM.md), in the case they come in.
SPELLINGS = {
    "ankle_pumps": ("Ankle pumps", "ankle pump", "Foot pumps", "ANKLE PUMPS", "ankle pumps"),
    "abdominal_bracing": ("Abdominal bracing", "ab bracing", "Core brace",
                          "abdominal contraction", "Ab Bracing"),
    "wall_squat": ("Wall squat", "wall slide", "Wall sit", "wall squats", "WALL SQUAT"),
    "straight_leg_raise": ("Straight leg raise", "SLR", "leg raise", "Straight-leg raise", "slr"),
    "partial_curl_up": ("Partial curl-up", "partial crunch", "Crunch", "curl up", "Curl-up"),
    "walk": ("Walk", "walking", "Walk outside", "treadmill walk"),
    "session": ("session", "Exercises", "routine", "Workout"),
}
_ACTIVITIES = tuple(SPELLINGS)
#: share of entries per activity (the five exercises, walks, whole-routine entries)
_P_ACTIVITY = np.array([0.16, 0.16, 0.16, 0.2, 0.16, 0.12, 0.04])
_NOTES = ("felt fine", "a bit stiff", "sore after, eased off", "did it before work",
          "Knees ached; stopped early", "good", "with the physio", "tired today")
_OFFSETS = (-300, -240, 0, 60, 120, 330, -420, 600)


def _pick(rng: np.random.Generator, pool, n: int, blank: float = 0.0, p=None) -> np.ndarray:
    """``n`` values drawn from ``pool``, a ``blank`` share of them empty (None)."""
    out = np.asarray(pool, dtype=object)[rng.choice(len(pool), n, p=p)]
    if blank:
        out[rng.random(n) < blank] = None
    return out


def _days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Sorted datetime64[D] days over about two years (several entries a day)."""
    start = np.datetime64("2025-01-06")
    return start + np.sort(rng.integers(0, 730, n)).astype("m8[D]")


def _ints(values: np.ndarray, blank: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers with the ``blank`` ones empty."""
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), np.asarray(blank, bool))


def _long(rng: np.random.Generator, n: int, *, patient: bool = True, time: bool = True,
          sets_side: bool = True, notes: bool = True) -> pd.DataFrame:
    """A long log: one row per entry, exercise names in every spelling."""
    act = rng.choice(len(_ACTIVITIES), n, p=_P_ACTIVITY)
    spelled = np.empty(n, dtype=object)
    for i, a in enumerate(_ACTIVITIES):
        rows = np.flatnonzero(act == i)
        spelled[rows] = _pick(rng, SPELLINGS[a], len(rows))
    minutes_only = act >= 5
    cols: dict[str, object] = {}
    if patient:
        cols["patient_id"] = np.char.add("P", np.char.zfill(
            rng.integers(1, 400, n).astype(str), 4)).astype(object)
    cols["date"] = _days(rng, n).astype(str).astype(object)
    if time:
        hhmm = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]
        cols["time"] = _pick(rng, hhmm, n, blank=0.05)
    cols["exercise"] = spelled
    reps = rng.choice([10, 10, 10, 8, 12, 5, 15], n)
    no_reps = minutes_only | (rng.random(n) < 0.02)  # then the minutes are written
    cols["reps"] = _ints(reps, no_reps)
    if sets_side:
        cols["sets"] = _ints(rng.integers(1, 4, n), minutes_only | (rng.random(n) < 0.3))
        slr = act == _ACTIVITIES.index("straight_leg_raise")
        side = _pick(rng, ("left", "right", "Left", "R", "L", "both"), n)
        side[~slr | (rng.random(n) < 0.1)] = None
        cols["side"] = side
    cols["minutes"] = _ints(np.where(minutes_only, rng.integers(5, 40, n), rng.integers(1, 8, n)),
                            ~no_reps & (rng.random(n) < 0.15))
    if notes:
        cols["notes"] = _pick(rng, _NOTES, n, blank=0.9)
    return pd.DataFrame(cols)


def _semicolon(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """A European export: day-first dates, decimal commas (written with ``;``)."""
    df = _long(rng, n, patient=False)
    days = pd.to_datetime(df["date"])
    df["date"] = days.dt.strftime("%d/%m/%Y")
    mins = df["minutes"].astype("Float64") + pd.array(rng.choice([0, 0, 0.5, 0.25], n))
    df["minutes"] = mins.astype(str).str.replace(".", ",", regex=False).where(mins.notna(), None)
    return df


def _offsets(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """A phone app's export: one ISO timestamp with its UTC offset per entry, nearly
    every one distinct; no sets or sides."""
    df = _long(rng, n, patient=False, time=False, sets_side=False)
    secs = np.datetime64("2025-10-05T07:29:15", "s") + np.cumsum(rng.integers(1, 120, n))
    off = np.asarray(_OFFSETS)[rng.integers(0, len(_OFFSETS), n)]
    sign = np.where(off < 0, "-", "+")
    hh = np.char.zfill((np.abs(off) // 60).astype(str), 2)
    mm = np.char.zfill((np.abs(off) % 60).astype(str), 2)
    zone = np.char.add(np.char.add(np.char.add(sign, hh), ":"), mm)
    stamps = np.char.add(secs.astype(str), zone)
    out = pd.DataFrame({"timestamp": stamps.astype(object)})
    return pd.concat([out, df.drop(columns=["date"])], axis=1)


def _wide(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """A wide sheet: one row per patient-day, a column of repetitions per exercise
    (headers as :data:`backrx_analysis.simulate.WIDE_HEADERS` spells them), routine
    and walk minutes, a note now and then."""
    from backrx_analysis.simulate import WIDE_HEADERS

    cols: dict[str, object] = {
        "Patient": np.char.add("P", np.char.zfill(rng.integers(1, 400, n).astype(str), 4)),
        "Date": _days(rng, n).astype(str),
    }
    for header in WIDE_HEADERS.values():
        cols[header] = _ints(rng.choice([10, 10, 10, 8, 5, 12], n), rng.random(n) < 0.2)
    cols["exercise minutes"] = _ints(rng.integers(5, 35, n), rng.random(n) < 0.1)
    cols["walk minutes"] = _ints(rng.integers(5, 30, n), rng.random(n) < 0.4)
    cols["Notes"] = _pick(rng, _NOTES, n, blank=0.9)
    return pd.DataFrame(cols)


def _simulated(rng: np.random.Generator, n: int) -> pd.DataFrame:
    from backrx_analysis.simulate import simulate_sessions_rows

    return simulate_sessions_rows(n, seed=7)


def _csv(sep: str = ","):
    def write(frame: pd.DataFrame, path: Path) -> None:
        frame.to_csv(path, index=False, sep=sep)
    return write


def _json(frame: pd.DataFrame, path: Path) -> None:
    frame.to_json(path, orient="records")


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


@dataclass(frozen=True)
class Shape:
    """One kind of file: how to make ``n`` rows of it, write it, read it bare."""

    name: str
    make: Callable[[np.random.Generator, int], pd.DataFrame]
    write: Callable[[pd.DataFrame, Path], None]
    suffix: str
    bare_name: str
    bare: Callable[[Path], pd.DataFrame]
    #: the loader's target against the bare read (text), e.g. "<= 1.3x"
    target: str = "<= 1.3x"
    #: a share of the benchmark's row count (a wide row holds several entries)
    rows_share: float = 1.0


def _read_csv(sep: str = ","):
    if sep == ",":
        return lambda path: pd.read_csv(path, engine="pyarrow")
    return lambda path: pd.read_csv(path, engine="pyarrow", sep=sep)


SHAPES: tuple[Shape, ...] = (
    Shape("simulator CSV", _simulated, _csv(), ".csv", 'pd.read_csv(engine="pyarrow")',
          _read_csv()),
    Shape("no notes column, patient ids, mixed spellings",
          lambda rng, n: _long(rng, n, time=False, notes=False), _csv(), ".csv",
          'pd.read_csv(engine="pyarrow")', _read_csv()),
    Shape("';' decimal commas, dd/mm/yyyy, no patient", _semicolon, _csv(";"), ".csv",
          'pd.read_csv(engine="pyarrow", sep=";")', _read_csv(";")),
    Shape("ISO timestamps with UTC offsets, notes, no sets/side", _offsets, _csv(), ".csv",
          'pd.read_csv(engine="pyarrow")', _read_csv()),
    Shape("no patient column", lambda rng, n: _long(rng, n, patient=False), _csv(), ".csv",
          'pd.read_csv(engine="pyarrow")', _read_csv()),
    Shape("TSV", _long, _csv("\t"), ".tsv", 'pd.read_csv(engine="pyarrow", sep="\\t")',
          _read_csv("\t")),
    Shape("wide sheet (a column per exercise)", _wide, _csv(), ".csv",
          'pd.read_csv(engine="pyarrow")', _read_csv(), rows_share=0.2),
    Shape("JSON records", _long, _json, ".json", "pd.read_json", pd.read_json,
          target="as measured", rows_share=0.2),
    Shape("Parquet", _long, _parquet, ".parquet", "pd.read_parquet", pd.read_parquet,
          target="as measured"),
)


def shape_frame(shape: Shape, n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` rows of ``shape`` (seeded)."""
    return shape.make(np.random.default_rng(seed), n)
