"""Exports: the PDF report (its pages, metadata, not blank, no notes unless asked, the
patient id behind the label), the chart files, the caseload's notes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from report_helpers import MARKER, pdf_text, pypdf, white_share

import backrx_analysis as bx
from backrx_analysis.report import CHARTS, export_caseload, export_charts, export_report


@pytest.fixture(scope="module")
def report_with_notes(tmp_path_factory, marked):
    path = tmp_path_factory.mktemp("report") / "notes.pdf"
    return export_report(*marked, path, patient_label="Sample patient", include_notes=True)


def test_report_has_four_pages_and_a_notes_page_only_when_asked(report, report_with_notes):
    assert len(pypdf.PdfReader(str(report)).pages) == 4
    assert len(pypdf.PdfReader(str(report_with_notes)).pages) == 5


def test_patient_id_hidden_behind_label(tmp_path, caseload):
    out = export_report(*caseload, tmp_path / "r.pdf", patient_id="P03",
                        patient_label="Ms Example")
    text = " ".join(pdf_text(out))
    assert "Ms Example" in text
    assert "P03" not in text
    meta = pypdf.PdfReader(str(out)).metadata
    assert "P03" not in str(dict(meta))
    assert "Ms Example" in meta.title


def test_report_metadata(report):
    meta = pypdf.PdfReader(str(report)).metadata
    assert meta.title and "Sample patient" in meta.title
    assert meta.author == "backrx"
    assert meta.subject
    assert meta.creation_date is not None
    assert bx.__version__ in meta.creator
    assert bx.__version__ in meta.producer


def test_every_page_is_drawn_on(report, report_with_notes):
    for path in (report, report_with_notes):
        shares = white_share(path)
        assert all(s < 0.99 for s in shares), shares


def test_notes_absent_unless_asked(report, report_with_notes):
    raw = report.read_bytes()
    assert MARKER not in " ".join(pdf_text(report))
    assert MARKER.encode() not in raw
    with_notes = " ".join(pdf_text(report_with_notes))
    assert f"session {MARKER}" in with_notes and f"pain {MARKER}" in with_notes


def test_export_charts_writes_every_file(tmp_path, marked):
    paths = export_charts(*marked, tmp_path, patient_label="Sample patient")
    assert len(paths) == len(CHARTS) * 3
    assert {p.name for p in paths} == {f"{c}.{f}" for c in CHARTS for f in ("png", "svg", "pdf")}
    for p in paths:
        assert p.exists() and p.stat().st_size > 1000
    for p in paths:
        data = p.read_bytes()
        assert MARKER.encode() not in data
        if p.suffix == ".svg":
            root = ET.fromstring(data)
            text = "".join(root.itertext())
            assert "Sample patient" in text  # text stays text
            assert MARKER not in text
        if p.suffix == ".pdf":
            assert MARKER not in " ".join(pdf_text(p))
            assert white_share(p)[0] < 0.99


def test_export_charts_rejects_unknown_format(tmp_path, sample):
    with pytest.raises(ValueError, match="jpeg"):
        export_charts(*sample, tmp_path, formats=("jpeg",))


def test_dashboard_png_is_not_blank(tmp_path, sample):
    from PIL import Image

    (png,) = export_charts(*sample, tmp_path, formats=("png",), dpi=60)[-1:]
    img = np.asarray(Image.open(png).convert("L"))
    assert (img > 250).mean() < 0.99


def test_caseload_notes_stay_out(tmp_path, caseload):
    sessions, pain = caseload
    keep_s = sessions["patient_id"].isin(["P01", "P02"])
    sessions = sessions.loc[keep_s].copy()
    pain = pain.loc[pain["patient_id"].isin(["P01", "P02"])]
    sessions.loc[sessions.index[0], "notes"] = MARKER
    paths = export_caseload(sessions, pain, tmp_path)
    assert len(paths) == 3
    for p in paths:
        assert MARKER not in " ".join(pdf_text(p))
        assert MARKER.encode() not in p.read_bytes()
