"""A cohort on disk: sessions and pain as a Parquet dataset partitioned by patient.

The layout (``docs/scale.md``)::

    cohort/
      cohort.json                 what the parts hold (below)
      sessions/part-00000.parquet the sessions of the patients of part 0
      sessions/part-00001.parquet ...
      pain/part-00000.parquet     the pain ratings of the same patients
      pain/part-00001.parquet ...

A part holds every row of a range of patients (``first`` to ``last`` in sorted
order, ``patients_per_part`` of them), sorted by ``patient_id`` with each
patient's rows in the order they were given; the parts' ranges do not overlap, and
part *k* of ``sessions/`` and of ``pain/`` hold the same patients (either may have
no rows). The files are plain Parquet with the canonical columns (``patient_id`` a
column), readable by any Parquet reader (DuckDB, Spark, Polars, pandas).

``cohort.json``::

    {"format": "backrx-cohort", "version": 1,
     "dtypes": {"sessions": {"patient_id": "string", "exercise": {"categories": [...]},
                             ...},
                "pain": {...}},
     "parts": [{"name": "part-00000", "first": "P0001", "last": "P1000",
                "patients": 1000, "sessions_rows": 412345, "pain_rows": 160123}, ...]}

:func:`read_cohort` reads the parts as Dask frames (a partition per part, indexed
by ``patient_id``, the parts' ranges as known divisions), with exactly the dtypes
written; :func:`write_cohort` writes canonical pandas frames in this layout, or adds
new patients to a cohort already written (``append=True``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..schema import conform

__all__ = ["COHORT_FILE", "CohortError", "read_cohort", "write_cohort"]

#: The file that says what a cohort folder holds.
COHORT_FILE = "cohort.json"
FORMAT, VERSION = "backrx-cohort", 1
KINDS = ("sessions", "pain")
PATIENT = "patient_id"


class CohortError(ValueError):
    """A cohort folder that cannot be read or written as asked."""


# -- dtypes as JSON -------------------------------------------------------------------


def _dtype_spec(dtype: object) -> object:
    if isinstance(dtype, pd.CategoricalDtype):
        return {"categories": [str(c) for c in dtype.categories], "ordered": bool(dtype.ordered)}
    return str(dtype)


def _dtype(spec: object) -> object:
    if isinstance(spec, dict):
        return pd.CategoricalDtype(spec["categories"], ordered=spec.get("ordered", False))
    return pd.api.types.pandas_dtype(spec)


def _dtypes(specs: dict[str, object]) -> dict[str, object]:
    return {c: _dtype(s) for c, s in specs.items()}


def _merged(old: dict[str, object], new: dict[str, object], kind: str, root: Path
            ) -> dict[str, object]:
    """The dtypes of a cohort with new rows: the same columns and dtypes, categories
    joined (old ones first)."""
    if list(old) != list(new):
        raise CohortError(
            f"{root}: the {kind} frame has the columns {list(new)}, the cohort's {kind} "
            f"parts {list(old)}; append frames with the columns the cohort has")
    out, problems = {}, []
    for col, spec in old.items():
        other = new[col]
        if isinstance(spec, dict) and isinstance(other, dict):
            extra = [c for c in other["categories"] if c not in spec["categories"]]
            out[col] = {**spec, "categories": [*spec["categories"], *extra]}
        elif spec != other:
            problems.append(f"{col!r} is {other} here and {spec} in the cohort")
        else:
            out[col] = spec
    if problems:
        raise CohortError(f"{root}: the {kind} frame's dtypes differ from the cohort's: "
                          f"{'; '.join(problems)}; append canonical frames")
    return out


# -- the manifest ----------------------------------------------------------------------


def _manifest(root: Path) -> dict:
    file = root / COHORT_FILE
    if not file.is_file():
        what = "does not exist" if not root.exists() else f"has no {COHORT_FILE}"
        raise CohortError(
            f"{root} {what}; a cohort is a folder written by "
            f"backrx_analysis.scale.write_cohort (or `backrx convert`), with {COHORT_FILE}, "
            f"sessions/ and pain/")
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CohortError(f"{file} is not readable JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CohortError(f"{file} is not a backrx cohort file (no \"format\": \"{FORMAT}\")")
    if manifest.get("version") != VERSION:
        raise CohortError(f"{file} is version {manifest.get('version')!r} of the layout; "
                          f"this kit reads version {VERSION}")
    missing = [f"{kind}/{part['name']}.parquet" for part in manifest["parts"] for kind in KINDS
               if not (root / kind / f"{part['name']}.parquet").is_file()]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5
                                          else "")
        raise CohortError(f"{root}: {len(missing)} part file(s) named in {COHORT_FILE} are "
                          f"missing: {shown}")
    return manifest


def _write_manifest(root: Path, manifest: dict) -> None:
    tmp = root / f".{COHORT_FILE}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, root / COHORT_FILE)


# -- reading ---------------------------------------------------------------------------


def _read_part(name: str, *, root: str, kind: str, dtypes: dict[str, object],
               columns: list[str] | None = None) -> pd.DataFrame:
    """One part file as a pandas frame indexed by patient (``columns``: those wanted,
    pushed down by Dask's optimiser)."""
    wanted = list(dtypes) if columns is None else [PATIENT, *[c for c in dtypes
                                                              if c in columns and c != PATIENT]]
    table = pq.read_table(Path(root) / kind / f"{name}.parquet", columns=wanted)
    frame = conform(table.to_pandas(), {c: _dtype(dtypes[c]) for c in wanted})
    return frame.set_index(PATIENT)


def read_cohort(path: str | os.PathLike) -> tuple[dd.DataFrame, dd.DataFrame]:
    """The sessions and pain of a cohort folder as Dask frames (nothing read yet).

    Parameters
    ----------
    path : path
        A folder written by :func:`write_cohort` (layout: this module's docstring).

    Returns
    -------
    sessions, pain : dask.dataframe.DataFrame
        A partition per part, indexed by ``patient_id`` with the parts' patient ranges
        as known divisions; the other canonical columns in the dtypes they were
        written with (``frame.compute().reset_index()`` is the frame written, sorted
        by patient). Columns selected later are the only ones read.

    Raises
    ------
    CohortError
        The folder has no ``cohort.json``, or a part file is missing.
    """
    root = Path(path)
    manifest = _manifest(root)
    parts = manifest["parts"]
    out = []
    for kind in KINDS:
        specs = manifest["dtypes"][kind]
        meta = pd.DataFrame({c: pd.Series([], dtype=t) for c, t in _dtypes(specs).items()}
                            ).set_index(PATIENT)
        if not parts:
            out.append(dd.from_pandas(meta, npartitions=1))
            continue
        divisions = (*[p["first"] for p in parts], parts[-1]["last"])
        out.append(dd.from_map(_read_part, [p["name"] for p in parts], root=str(root.resolve()),
                               kind=kind, dtypes=specs, meta=meta, divisions=divisions,
                               label=f"read-cohort-{kind}", enforce_metadata=False))
    return out[0], out[1]


# -- writing ---------------------------------------------------------------------------


def _patients(frame: pd.DataFrame, kind: str) -> pd.Series:
    if not isinstance(frame, pd.DataFrame) or PATIENT not in frame.columns:
        raise CohortError(f"the {kind} frame needs a patient_id column (a canonical {kind} "
                          f"frame, backrx_analysis.schema)")
    ids = frame[PATIENT].astype("string")
    if ids.isna().any():
        raise CohortError(f"the {kind} frame has {int(ids.isna().sum())} row(s) without a "
                          f"patient_id; every row needs one")
    return ids


def _groups(patients: np.ndarray, taken: list[dict], per_part: int, root: Path) -> list[range]:
    """Index ranges of ``patients`` (sorted) that become parts: at most ``per_part``
    each, none straddling a part already written."""
    firsts = np.array([p["first"] for p in taken], dtype=object)
    lasts = np.array([p["last"] for p in taken], dtype=object)
    gap = np.searchsorted(firsts, patients, side="right") if len(taken) else np.zeros(
        len(patients), dtype=np.int64)
    inside = (gap > 0) & (patients <= lasts[np.maximum(gap - 1, 0)]) if len(taken) else \
        np.zeros(len(patients), dtype=bool)
    if inside.any():
        bad = patients[inside]
        where = [taken[g - 1]["name"] for g in gap[inside][:5]]
        shown = ", ".join(f"{pid} ({w})" for pid, w in zip(bad[:5], where, strict=True))
        raise CohortError(
            f"{root}: {len(bad)} patient(s) sort inside a part already written: {shown}; "
            f"a part holds a range of patients and is not rewritten by append: write the "
            f"whole cohort again, or give new patients ids that sort outside those ranges")
    out = []
    for g in np.unique(gap):
        idx = np.flatnonzero(gap == g)
        out += [range(int(idx[i]), int(idx[min(i + per_part, len(idx)) - 1]) + 1)
                for i in range(0, len(idx), per_part)]
    return out


def write_cohort(
    sessions: pd.DataFrame,
    pain: pd.DataFrame,
    path: str | os.PathLike,
    *,
    patients_per_part: int = 1000,
    append: bool = False,
) -> Path:
    """Write canonical sessions and pain frames as a cohort folder (the layout of this
    module's docstring), or add new patients to one.

    Parameters
    ----------
    sessions, pain : pandas.DataFrame
        Canonical frames (``bx.load_sessions``, ``bx.load_pain``), any number of
        patients, in any order; either may be empty.
    path : path
        The folder: new or empty, or (``append=True``) a cohort written before.
    patients_per_part : int, default 1000
        Patients per part (a Dask partition when read): about 400,000 session rows
        for 90 days each, some 40 MB in memory.
    append : bool, default False
        Add the frames' patients to the cohort at ``path`` as new parts. Their ids
        must sort outside the parts already written (a part is never rewritten);
        the columns must be the cohort's, categories are joined.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    CohortError
        The folder holds something else (or a cohort, without ``append``), a frame
        lacks ``patient_id`` values, or new patients fall inside a written part.
    """
    root = Path(path)
    if int(patients_per_part) != patients_per_part or patients_per_part < 1:
        raise CohortError(f"patients_per_part must be a whole number >= 1, got "
                          f"{patients_per_part!r}")
    frames = {"sessions": sessions, "pain": pain}
    ids = {kind: _patients(frame, kind) for kind, frame in frames.items()}
    specs = {kind: {c: _dtype_spec(t) for c, t in frame.dtypes.items()}
             for kind, frame in frames.items()}
    if append:
        manifest = _manifest(root)
        specs = {k: _merged(manifest["dtypes"][k], specs[k], k, root) for k in KINDS}
    elif (root / COHORT_FILE).exists() or (root.exists() and any(root.iterdir())):
        raise CohortError(f"{root} is not empty; write a cohort to a new or empty folder, "
                          f"or pass append=True to add patients to the cohort there")
    else:
        manifest = {"format": FORMAT, "version": VERSION, "parts": []}
    manifest["dtypes"] = specs

    patients = np.array(sorted(set(ids["sessions"].unique()) | set(ids["pain"].unique())),
                        dtype=object)
    groups = _groups(patients, manifest["parts"], int(patients_per_part), root)
    # each frame sorted by patient (a patient's rows in their order) and cut by patient
    ordered, cuts = {}, {}
    for kind, frame in frames.items():
        codes = pd.Categorical(ids[kind], categories=patients).codes
        order = np.argsort(codes, kind="stable")
        ordered[kind] = frame.take(order)
        cuts[kind] = np.searchsorted(codes[order], np.arange(len(patients) + 1))
    for kind in KINDS:
        (root / kind).mkdir(parents=True, exist_ok=True)
    number = max((int(p["name"].split("-")[1]) + 1 for p in manifest["parts"]), default=0)
    new_parts = []
    for k, group in enumerate(groups):
        name = f"part-{number + k:05d}"
        rows = {}
        for kind in KINDS:
            a, b = cuts[kind][group.start], cuts[kind][group.stop]
            part = ordered[kind].iloc[a:b]
            pq.write_table(pa.Table.from_pandas(part, preserve_index=False),
                           root / kind / f"{name}.parquet", compression="zstd")
            rows[kind] = int(b - a)
        new_parts.append({"name": name, "first": str(patients[group.start]),
                          "last": str(patients[group.stop - 1]), "patients": len(group),
                          "sessions_rows": rows["sessions"], "pain_rows": rows["pain"]})
    manifest["parts"] = sorted([*manifest["parts"], *new_parts], key=lambda p: p["first"])
    _write_manifest(root, manifest)
    return root
