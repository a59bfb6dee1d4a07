"""Exports: the PDF report (pages, text, metadata, not blank, no notes unless asked),
the chart files, the caseload."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from factories import make_pain, make_sessions

import backrx_analysis as bx
from backrx_analysis.analysis.summary import summarize
from backrx_analysis.report import (
    CHARTS,
    export_caseload,
    export_charts,
    export_report,
    format_pct,
    summary_lines,
)

pypdf = pytest.importorskip("pypdf")
pdfium = pytest.importorskip("pypdfium2")

MARKER = "ZQXJ-PRIVATE-NOTE-7731"


@pytest.fixture(scope="module")
def marked(sample):
    """The sample logs with a unique marker in one session note and one pain note."""
    sessions, pain = sample
    sessions, pain = sessions.copy(), pain.copy()
    sessions.loc[sessions.index[5], "notes"] = f"session {MARKER}"
    pain.loc[pain.index[10], "notes"] = f"pain {MARKER}"
    return sessions, pain


@pytest.fixture(scope="module")
def caseload():
    return bx.load_sample(caseload=True)


def pdf_text(path) -> list[str]:
    reader = pypdf.PdfReader(str(path))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def white_share(path) -> list[float]:
    doc = pdfium.PdfDocument(str(path))
    shares = []
    for i in range(len(doc)):
        img = np.asarray(doc[i].render(scale=0.5).to_pil().convert("L"))
        shares.append(float((img > 250).mean()))
    doc.close()
    return shares


@pytest.fixture(scope="module")
def report(tmp_path_factory, marked):
    path = tmp_path_factory.mktemp("report") / "sample.pdf"
    return export_report(*marked, path, patient_label="Sample patient")


@pytest.fixture(scope="module")
def report_with_notes(tmp_path_factory, marked):
    path = tmp_path_factory.mktemp("report") / "notes.pdf"
    return export_report(*marked, path, patient_label="Sample patient", include_notes=True)


def test_report_has_four_pages_and_a_notes_page_only_when_asked(report, report_with_notes):
    assert len(pypdf.PdfReader(str(report)).pages) == 4
    assert len(pypdf.PdfReader(str(report_with_notes)).pages) == 5


def test_page_one_holds_the_summary_numbers(report, sample):
    row = summarize(*sample).iloc[0]
    page1 = pdf_text(report)[0]
    assert "Sample patient" in page1
    assert f"Days fully adherent {format_pct(row['fully_adherent_pct'])}" in page1
    assert format_pct(row["fully_adherent_pct"]) == "29 %"
    assert format_pct(row["minutes_in_range_pct"]) in page1
    assert format_pct(row["walk_met_pct"]) in page1
    assert f"{row['pain_baseline']:.1f} / 10" in page1
    assert f"{row['pain_last7']:.1f} / 10" in page1
    for label, value in summary_lines(row):
        assert label.split()[0] in page1
        assert value.split()[0] in page1
    assert "2 Mar 2026" in page1 and "23 May 2026" in page1


def test_patient_id_hidden_behind_label(tmp_path, caseload):
    out = export_report(*caseload, tmp_path / "r.pdf", patient_id="P03",
                        patient_label="Ms Example")
    text = " ".join(pdf_text(out))
    assert "Ms Example" in text
    assert "P03" not in text
    meta = pypdf.PdfReader(str(out)).metadata
    assert "P03" not in str(dict(meta))
    assert "Ms Example" in meta.title


def test_label_defaults_to_the_patient_id(tmp_path, caseload):
    out = export_report(*caseload, tmp_path / "r.pdf", patient_id="P02")
    assert "Patient: P02" in pdf_text(out)[0]


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


def test_pages_have_their_content(report):
    pages = pdf_text(report)
    assert "Adherence in detail" in pages[1] and "Week by week" in pages[1]
    assert "2 Mar 2026" in pages[1]  # first week of the weekly table
    assert "Pain in detail" in pages[2] and "Flare days (4)" in pages[2]
    assert "association, not cause" in pages[2]
    assert "Spearman" in pages[2]
    assert "The prescription measured" in pages[3]
    for name in ("Ankle pumps", "Abdominal bracing", "Wall squat", "Straight leg raise",
                 "Partial curl-up"):
        assert name in pages[3]
    assert "10\u201330 min" in pages[3] and "10\u201320 min" in pages[3]
    assert "Fully adherent day" in pages[3]


def test_too_few_paired_days_says_so(tmp_path):
    sessions = make_sessions([{"date": f"2026-03-0{d}", "exercise": "wall_squat", "reps": 10}
                              for d in range(1, 6)])
    pain = make_pain([{"date": f"2026-03-0{d}", "pain": 5.0} for d in range(1, 6)])
    out = export_report(sessions, pain, tmp_path / "short.pdf")
    assert "Too few paired days" in pdf_text(out)[2]


def test_long_period_continues_the_weekly_table(tmp_path):
    from backrx_analysis.simulate import simulate_logs

    raw_s, raw_p = simulate_logs(1, days=365, seed=3)
    out = export_report(bx.load_sessions(raw_s), bx.load_pain(raw_p), tmp_path / "year.pdf")
    pages = pdf_text(out)
    assert any("Week by week (continued)" in p for p in pages)
    assert "The prescription measured" in pages[-1]


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


def test_caseload_writes_one_report_per_patient_and_an_overview(tmp_path, caseload):
    seen = []

    def progress(ids):
        seen.extend(ids)
        return ids

    paths = export_caseload(*caseload, tmp_path, progress=progress)
    ids = ["P01", "P02", "P03", "P04", "P05"]
    assert seen == ids
    assert [p.name for p in paths] == [f"{i}.pdf" for i in ids] + ["caseload_overview.pdf"]
    overview = " ".join(pdf_text(paths[-1]))
    for i in ids:
        assert i in overview
    assert "Order:" in overview
    # attention first: no pain improvement (P03, P04) before the improved patients
    positions = {i: overview.index(i) for i in ids}
    assert max(positions["P03"], positions["P04"]) < min(positions[i] for i in ("P01", "P02",
                                                                               "P05"))
    assert len(pypdf.PdfReader(str(paths[-1])).pages) == 1
    assert white_share(paths[0])[0] < 0.99


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
