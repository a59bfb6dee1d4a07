"""The caseload overview: every patient, the attention order, one page."""

from __future__ import annotations

from report_helpers import pdf_text, pypdf, white_share

from backrx_analysis.report import export_caseload


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
