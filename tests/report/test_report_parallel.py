"""Caseload reports in worker processes: the same pages as one after the other, a
patient whose report fails named without losing the others, progress per patient."""

from __future__ import annotations

import pytest
from report_helpers import pdf_text

import backrx_analysis as bx
from backrx_analysis.report import export_caseload
from backrx_analysis.report.parallel import CaseloadReportError, default_jobs, per_patient


@pytest.fixture(scope="module")
def analysis():
    sessions, pain = bx.load_sample(caseload=True)
    return bx.analyze(sessions, pain)


def test_two_workers_write_the_same_pages_as_one(analysis, tmp_path):
    serial = export_caseload(analysis, tmp_path / "serial", jobs=1)
    parallel = export_caseload(analysis, tmp_path / "parallel", jobs=2)
    assert [p.name for p in serial] == [p.name for p in parallel]
    assert len(serial) == len(analysis.patient_ids) + 1
    for a, b in zip(serial, parallel, strict=True):
        assert pdf_text(a) == pdf_text(b), a.name


def test_a_failing_patient_is_named_and_the_others_are_written(analysis, tmp_path):
    (tmp_path / "P03.pdf").mkdir()  # P03's report cannot be written: a folder is there
    with pytest.raises(CaseloadReportError) as err:
        export_caseload(analysis, tmp_path, jobs=2)
    assert list(err.value.failed) == ["P03"]
    assert "IsADirectoryError" in err.value.failed["P03"] and "P03" in str(err.value)
    names = [p.name for p in err.value.written]
    assert names == ["P01.pdf", "P02.pdf", "P04.pdf", "P05.pdf", "caseload_overview.pdf"]
    for p in err.value.written:
        assert p.stat().st_size > 10_000


def test_progress_counts_finished_patients(analysis, tmp_path):
    seen, sizes = [], []

    def progress(finished):
        sizes.append(len(finished))
        for pid in finished:
            seen.append(pid)
            yield pid

    export_caseload(analysis, tmp_path, jobs=2, progress=progress)
    assert sizes == [5] and sorted(seen) == analysis.patient_ids


def test_per_patient_keeps_going_after_a_failure():
    tasks = [("a", ("1",), {}), ("b", ("x",), {}), ("c", ("3",), {"base": 16})]
    for jobs in (1, 2):
        done, failed = per_patient(int, tasks, jobs=jobs)
        assert done == {"a": 1, "c": 3}
        assert failed == {"b": "ValueError: invalid literal for int() with base 10: 'x'"}
    with pytest.raises(ValueError, match="one task per patient"):
        per_patient(int, [("a", ("1",), {}), ("a", ("2",), {})])
    assert default_jobs() >= 1
