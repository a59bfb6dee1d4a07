"""backrx_analysis.scale.cohort: the Parquet layout written, read back to the dtype,
added to, and refused when it is not one."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis import scale


def sorted_by_patient(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("patient_id", kind="stable", ignore_index=True)


def test_round_trip_gives_the_frames_written(cohort, tmp_path):
    sessions, pain = cohort
    root = scale.write_cohort(sessions, pain, tmp_path / "c", patients_per_part=30)
    s, p = scale.read_cohort(root)
    assert s.npartitions == p.npartitions == math.ceil(200 / 30)
    assert s.known_divisions and s.divisions == p.divisions
    pd.testing.assert_frame_equal(s.compute().reset_index(), sorted_by_patient(sessions))
    pd.testing.assert_frame_equal(p.compute().reset_index(), sorted_by_patient(pain))


def test_the_layout_is_as_documented(cohort, tmp_path):
    sessions, pain = cohort
    root = scale.write_cohort(sessions, pain, tmp_path / "c", patients_per_part=64)
    manifest = json.loads((root / scale.COHORT_FILE).read_text(encoding="utf-8"))
    parts = manifest["parts"]
    assert [p["name"] for p in parts] == ["part-00000", "part-00001", "part-00002",
                                          "part-00003"]
    assert [p["patients"] for p in parts] == [64, 64, 64, 8]
    assert sum(p["sessions_rows"] for p in parts) == len(sessions)
    assert sum(p["pain_rows"] for p in parts) == len(pain)
    assert all(a["last"] < b["first"] for a, b in zip(parts, parts[1:], strict=False))
    # plain Parquet: a part file read by pyarrow alone holds its range of patients
    import pyarrow.parquet as pq
    ids = pq.read_table(root / "pain" / "part-00001.parquet", columns=["patient_id"])
    ids = ids.column("patient_id").to_pylist()
    assert ids == sorted(ids) and ids[0] == parts[1]["first"] and ids[-1] == parts[1]["last"]
    assert manifest["dtypes"]["sessions"]["exercise"]["categories"][:1] == ["ankle_pumps"]


def test_the_summary_of_a_cohort_read_from_disk(cohort, tmp_path):
    sessions, pain = cohort
    s, p = scale.read_cohort(scale.write_cohort(sessions, pain, tmp_path / "c",
                                                patients_per_part=50))
    pd.testing.assert_frame_equal(scale.summarize(s, p), bx.summarize(sessions, pain))
    only = s[["date", "exercise"]].compute()  # the columns chosen are those read
    assert list(only.columns) == ["date", "exercise"] and len(only) == len(sessions)


def test_append_adds_patients_as_new_parts(cohort, tmp_path):
    sessions, pain = cohort
    ids = sorted(sessions["patient_id"].unique())
    early, late = ids[:120], ids[120:]
    root = tmp_path / "c"
    scale.write_cohort(sessions[sessions.patient_id.isin(early)],
                       pain[pain.patient_id.isin(early)], root, patients_per_part=50)
    later = sessions[sessions.patient_id.isin(late)].copy()
    later["source"] = later["source"].cat.rename_categories(["clinic-b.csv"])  # a new category
    scale.write_cohort(later, pain[pain.patient_id.isin(late)], root, patients_per_part=50,
                       append=True)
    s, p = scale.read_cohort(root)
    assert s.npartitions == 3 + 2
    back = s.compute().reset_index()
    assert set(back["source"].cat.categories) == {"<DataFrame>", "clinic-b.csv"}
    assert (back["source"] == "clinic-b.csv").sum() == len(later)
    pd.testing.assert_frame_equal(p.compute().reset_index(), sorted_by_patient(pain))


def test_append_refuses_patients_inside_a_written_part(cohort, tmp_path):
    sessions, pain = cohort
    one = sessions[sessions.patient_id.isin(["P01", "P03"])]
    root = scale.write_cohort(one, pain.iloc[:0], tmp_path / "c")
    with pytest.raises(scale.CohortError, match=r"1 patient\(s\) sort inside a part already "
                                                r"written: P02 \(part-00000\)"):
        scale.write_cohort(sessions[sessions.patient_id == "P02"], pain.iloc[:0], root,
                           append=True)


def test_append_refuses_other_columns(cohort, tmp_path):
    sessions, pain = cohort
    root = scale.write_cohort(sessions.iloc[:10], pain.iloc[:10], tmp_path / "c")
    with pytest.raises(scale.CohortError, match="the sessions frame has the columns"):
        scale.write_cohort(sessions.drop(columns="notes").iloc[:0], pain.iloc[:0], root,
                           append=True)


def test_a_folder_that_is_not_a_cohort(cohort, tmp_path):
    sessions, pain = cohort
    with pytest.raises(scale.CohortError, match="does not exist; a cohort is a folder"):
        scale.read_cohort(tmp_path / "nowhere")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("x")
    with pytest.raises(scale.CohortError, match="has no cohort.json"):
        scale.read_cohort(tmp_path / "other")
    with pytest.raises(scale.CohortError, match="is not empty"):
        scale.write_cohort(sessions, pain, tmp_path / "other")
    root = scale.write_cohort(sessions, pain, tmp_path / "c", patients_per_part=100)
    (root / "pain" / "part-00001.parquet").unlink()
    (root / "sessions" / "part-00001.parquet").unlink()
    with pytest.raises(scale.CohortError, match="2 part file\\(s\\) named in cohort.json are "
                                                "missing: sessions/part-00001.parquet, "
                                                "pain/part-00001.parquet"):
        scale.read_cohort(root)
    (root / scale.COHORT_FILE).write_text('{"format": "something"}')
    with pytest.raises(scale.CohortError, match="is not a backrx cohort file"):
        scale.read_cohort(root)


def test_what_write_cohort_refuses(cohort, tmp_path):
    sessions, pain = cohort
    with pytest.raises(scale.CohortError, match="patients_per_part must be a whole number"):
        scale.write_cohort(sessions, pain, tmp_path / "c", patients_per_part=0)
    with pytest.raises(scale.CohortError, match="needs a patient_id column"):
        scale.write_cohort(sessions.drop(columns="patient_id"), pain, tmp_path / "c")
    bad = pain.copy()
    bad.loc[[0, 1], "patient_id"] = pd.NA
    with pytest.raises(scale.CohortError, match="2 row\\(s\\) without a patient_id"):
        scale.write_cohort(sessions, bad, tmp_path / "c")


def test_an_empty_cohort(tmp_path):
    from backrx_analysis.schema import empty_pain, empty_sessions
    s, p = scale.read_cohort(scale.write_cohort(empty_sessions(), empty_pain(), tmp_path / "c"))
    assert len(s.compute()) == 0
    pd.testing.assert_frame_equal(scale.summarize(s, p),
                                  bx.summarize(empty_sessions(), empty_pain()))
