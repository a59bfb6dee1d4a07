"""Dask frames partitioned by patient: the check, the fix, and two frames side by side.

The kit's analysis is per patient, so a Dask frame can be analysed a partition at a
time when each patient's rows are all in one partition. :func:`indexed_by_patient`
checks that and returns the frame indexed by ``patient_id`` with known divisions
(the form :func:`~backrx_analysis.scale.read_cohort` gives directly); a frame whose
patients span partitions is refused with a :class:`PatientPartitionError` naming
them, and :func:`by_patient` repartitions any frame by patient (one shuffle).
:func:`aligned` puts two such frames (sessions and pain) on the same divisions, so
partition *i* of each holds the same patients.
"""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd

from ..analysis.adherence import AnalysisInputError

__all__ = ["PatientPartitionError", "by_patient", "indexed_by_patient", "aligned",
           "pandas_meta"]

PATIENT = "patient_id"
_ROW = "__backrx_row"  # the original order of the rows, kept through a shuffle
_SHOWN = 5


class PatientPartitionError(AnalysisInputError):
    """A Dask frame whose partitions do not each hold whole patients."""


def _bounds(ids: pd.Series) -> pd.DataFrame:
    """One row per partition: its rows, rows without a patient, first and last id."""
    ids = ids.astype("string")
    known = ids.dropna()
    first = known.min() if len(known) else pd.NA
    last = known.max() if len(known) else pd.NA
    return pd.DataFrame({"rows": np.array([len(ids)], dtype=np.int64),
                         "missing": np.array([len(ids) - len(known)], dtype=np.int64),
                         "first": pd.array([first], dtype="string"),
                         "last": pd.array([last], dtype="string")})


_BOUNDS_META = _bounds(pd.Series([], dtype="string")).iloc[:0]


def _pairs(ids: pd.Series, partition_info: dict | None = None) -> pd.DataFrame:
    """The distinct patients of a partition with the partition's number."""
    number = partition_info["number"] if partition_info else -1
    uniq = pd.unique(ids.astype("string").dropna())
    return pd.DataFrame({"patient_id": pd.array(uniq, dtype="string"),
                         "partition": np.full(len(uniq), number, dtype=np.int64)})


def _as_column(frame: dd.DataFrame, what: str) -> dd.DataFrame:
    if not isinstance(frame, dd.DataFrame):
        raise PatientPartitionError(
            f"the {what} frame is a {type(frame).__name__}, not a Dask DataFrame; pass "
            f"dask.dataframe.from_pandas(frame.set_index('patient_id'), npartitions=...) "
            f"or a frame of backrx_analysis.scale.read_cohort")
    if frame.index.name == PATIENT:
        return frame.reset_index()
    if PATIENT not in frame.columns:
        raise PatientPartitionError(
            f"the {what} frame has no patient_id column or index; it has "
            f"{list(frame.columns)}. Pass a canonical {what} frame (backrx_analysis.schema)")
    return frame


def pandas_meta(frame: dd.DataFrame) -> pd.DataFrame:
    """The empty pandas frame of a Dask frame, ``patient_id`` as a column (the form
    the pandas functions take)."""
    meta = frame._meta
    return meta.reset_index() if meta.index.name == PATIENT else meta


def _split_message(frame: dd.DataFrame, what: str) -> str:
    pairs = frame[PATIENT].map_partitions(
        _pairs, meta=_pairs(pd.Series([], dtype="string")).iloc[:0]).compute()
    counts = pairs.groupby("patient_id", sort=True)["partition"].agg(list)
    split = counts[counts.map(len) > 1]
    if not len(split):
        return (f"the {what} frame holds whole patients in each partition, but not in "
                f"patient order (the partitions' patient ranges interleave), so two "
                f"frames cannot be matched partition by partition")
    shown = "; ".join(f"{pid} (partitions {', '.join(map(str, parts))})"
                      for pid, parts in split.head(_SHOWN).items())
    more = f" and {len(split) - _SHOWN} more" if len(split) > _SHOWN else ""
    return (f"the {what} frame has {len(split)} patient(s) whose rows are in more than "
            f"one partition: {shown}{more}")


def indexed_by_patient(frame: dd.DataFrame, what: str) -> dd.DataFrame | None:
    """``frame`` indexed by ``patient_id`` with known divisions, each patient in one
    partition (``None`` when it has no rows).

    A frame already indexed by ``patient_id`` with known divisions is returned as it
    is (Dask's divisions say each index value is in one partition). Otherwise one pass
    over the ``patient_id`` column finds each partition's first and last patient:
    partitions holding ranges of patients that do not overlap are taken in patient
    order (empty ones left out) and indexed, each partition sorted by patient with
    its rows' order kept; overlapping ranges raise :class:`PatientPartitionError`.
    """
    if (isinstance(frame, dd.DataFrame) and frame.index.name == PATIENT
            and frame.known_divisions):
        return frame
    frame = _as_column(frame, what)
    bounds = frame[PATIENT].map_partitions(_bounds, meta=_BOUNDS_META).compute()
    bounds = bounds.reset_index(drop=True)
    problems = []
    missing = bounds.index[bounds["missing"] > 0].tolist()
    if missing:
        problems.append(
            f"{int(bounds['missing'].sum())} row(s) without a patient_id (partition(s) "
            f"{', '.join(map(str, missing[:_SHOWN]))}); every row needs one")
    full = bounds.loc[bounds["rows"] > bounds["missing"]]
    order = full.sort_values("first", kind="stable")
    first = order["first"].to_numpy(dtype=object)
    last = order["last"].to_numpy(dtype=object)
    if len(order) > 1 and not all(a < b for a, b in zip(last[:-1], first[1:], strict=True)):
        problems.append(_split_message(frame, what))
    if problems:
        raise PatientPartitionError(
            "; ".join(problems) + ". The analysis is per patient: each patient's rows must "
            "be in one partition. Sort by patient and split on patient boundaries "
            "(dask.dataframe.from_pandas(frame.set_index('patient_id'), npartitions=n) "
            "does), write the frames with backrx_analysis.scale.write_cohort and read them "
            "with read_cohort, or pass the frame through backrx_analysis.scale.by_patient "
            "(one shuffle)")
    if not len(order):
        return None
    parts = order.index.tolist()
    if parts != list(range(frame.npartitions)):
        frame = frame.partitions[parts]
    divisions = (*first, last[-1])
    frame = frame.map_partitions(_sort_patients, meta=frame._meta)
    return frame.set_index(PATIENT, sorted=True, divisions=divisions)


def _sort_patients(part: pd.DataFrame) -> pd.DataFrame:
    """A partition sorted by patient, each patient's rows in their order."""
    codes = pd.factorize(part[PATIENT], sort=True)[0]
    if len(codes) and not (np.diff(codes) >= 0).all():
        return part.take(np.argsort(codes, kind="stable"))
    return part


def _number_rows(part: pd.DataFrame, partition_info: dict | None = None) -> pd.DataFrame:
    number = partition_info["number"] if partition_info else 0
    return part.assign(**{_ROW: (np.int64(number) << 40) + np.arange(len(part), dtype=np.int64)})


def _restore_order(part: pd.DataFrame) -> pd.DataFrame:
    order = np.lexsort((part[_ROW].to_numpy(), pd.factorize(part.index, sort=True)[0]))
    return part.take(order).drop(columns=_ROW)


def by_patient(frame: dd.DataFrame, *, npartitions: int | None = None) -> dd.DataFrame:
    """``frame`` repartitioned by patient: indexed by ``patient_id``, sorted, known
    divisions, each patient in one partition (the form every function of
    :mod:`backrx_analysis.scale` takes without a check).

    This is a shuffle of the whole frame (Dask's ``set_index``); a patient's rows keep
    their order, so the numbers are those of the pandas functions to the last digit.
    Frames that are already sorted by patient need none of it.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
        A canonical sessions or pain frame (``patient_id`` a column or the index).
    npartitions : int, optional
        Partitions of the result (default: those of ``frame``).

    Returns
    -------
    dask.dataframe.DataFrame
        The columns of ``frame`` less ``patient_id``, which is the index.
    """
    frame = _as_column(frame, "given")
    numbered = frame.map_partitions(_number_rows, meta=_number_rows(frame._meta))
    shuffled = numbered.set_index(PATIENT, npartitions=npartitions or frame.npartitions)
    return shuffled.map_partitions(_restore_order, meta=shuffled._meta.drop(columns=_ROW))


def aligned(a: dd.DataFrame, b: dd.DataFrame) -> tuple[dd.DataFrame, dd.DataFrame]:
    """Two frames indexed by patient put on the same divisions (the union of both):
    partition *i* of each then holds the same patients."""
    if a.divisions == b.divisions:
        return a, b
    divisions = tuple(sorted(set(a.divisions) | set(b.divisions)))
    return a.repartition(divisions=divisions), b.repartition(divisions=divisions)
