"""backrx_analysis.scale.partitions: a patient in two partitions is refused with the
patients named, by_patient repartitions any frame, aligned matches two frames."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis import scale
from backrx_analysis.scale.partitions import aligned, indexed_by_patient


def test_a_patient_split_across_partitions_is_refused_by_name(cohort):
    sessions, _ = cohort
    # a RangeIndex cut into 4 equal parts: patients straddle the cuts
    frame = dd.from_pandas(sessions, npartitions=4)
    cuts = [sessions["patient_id"].iloc[i] for i in frame.divisions[1:-1]]
    with pytest.raises(scale.PatientPartitionError) as err:
        scale.daily_adherence(frame)
    message = str(err.value)
    assert "3 patient(s) whose rows are in more than one partition" in message
    for pid in cuts:
        assert pid in message
    assert "by_patient" in message and "read_cohort" in message


def test_whole_patients_out_of_order_are_refused(cohort):
    sessions, _ = cohort
    ids = np.array(sorted(sessions["patient_id"].unique()))
    parts = [dd.from_pandas(sessions[sessions["patient_id"].isin(ids[i::2])], npartitions=1)
             for i in range(2)]  # every other patient: whole patients, ranges interleave
    with pytest.raises(scale.PatientPartitionError, match="not in patient order"):
        scale.summarize(dd.concat(parts), dd.from_pandas(cohort[1], npartitions=1))


def test_rows_without_a_patient_are_counted():
    frame = pd.DataFrame({"patient_id": pd.array(["a", None, None], dtype="string"),
                          "date": pd.to_datetime(["2026-03-02"] * 3)})
    with pytest.raises(scale.PatientPartitionError, match="2 row\\(s\\) without a patient_id"):
        indexed_by_patient(dd.from_pandas(frame, npartitions=1), "sessions")


def test_what_is_not_a_partitioned_frame_is_named(cohort):
    sessions, _ = cohort
    with pytest.raises(scale.PatientPartitionError, match="not a Dask DataFrame"):
        scale.daily_adherence(sessions)
    with pytest.raises(scale.PatientPartitionError, match="no patient_id column or index"):
        scale.daily_adherence(dd.from_pandas(sessions.drop(columns="patient_id"),
                                             npartitions=2))


def test_by_patient_mends_a_split_frame_to_the_last_digit(cohort):
    sessions, pain = cohort
    split = dd.from_pandas(sessions, npartitions=4)
    mended = scale.by_patient(split, npartitions=3)
    assert mended.index.name == "patient_id" and mended.known_divisions
    back = mended.compute().reset_index()
    # every patient's rows in the order given (a stable sort by patient)
    want = sessions.sort_values("patient_id", kind="stable", ignore_index=True)
    pd.testing.assert_frame_equal(back, want)
    pd.testing.assert_frame_equal(scale.summarize(mended, scale.by_patient(
        dd.from_pandas(pain, npartitions=5))), bx.summarize(sessions, pain))


def test_aligned_frames_hold_the_same_patients_part_by_part(cohort):
    sessions, pain = cohort
    a = dd.from_pandas(sessions.set_index("patient_id"), npartitions=5)
    b = dd.from_pandas(pain.set_index("patient_id"), npartitions=2)
    a2, b2 = aligned(a, b)
    assert a2.divisions == b2.divisions
    assert set(a.divisions) | set(b.divisions) == set(a2.divisions)
    for i in range(a2.npartitions):
        left = set(a2.get_partition(i).index.compute())
        right = set(b2.get_partition(i).index.compute())
        assert left == right  # every simulated patient has both logs
    same, too = aligned(a, a)
    assert same is a and too is a  # nothing to do
