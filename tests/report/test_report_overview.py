"""The caseload overview: the needs-attention list first, then every patient in the
attention order; one page for the sample, a patient's flags together across pages."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from matplotlib.backends.backend_pdf import PdfPages
from report_helpers import pdf_text, pypdf, white_share

import backrx_analysis as bx
from backrx_analysis.plots.style import style_context
from backrx_analysis.report import export_caseload
from backrx_analysis.report.overview import _attention, _overview_pages, current_version


def test_caseload_writes_one_report_per_patient_and_an_overview(tmp_path, caseload):
    seen = []

    def progress(ids):
        seen.extend(ids)
        return ids

    paths = export_caseload(*caseload, tmp_path, progress=progress)
    ids = ["P01", "P02", "P03", "P04", "P05"]
    assert sorted(seen) == ids  # in the order they finish (worker processes)
    assert [p.name for p in paths] == [f"{i}.pdf" for i in ids] + ["caseload_overview.pdf"]
    overview = " ".join(pdf_text(paths[-1]))
    for i in ids:
        assert i in overview
    assert "Order:" in overview
    # attention first: the list's order (P03's flare, then the low adherence of P02 and
    # P04 on the default program), then the others
    table = overview.split("Every patient")[1]
    positions = {i: table.index(i) for i in ids}
    assert positions["P03"] < positions["P02"] < positions["P04"] < min(
        positions[i] for i in ("P01", "P05"))
    assert len(pypdf.PdfReader(str(paths[-1])).pages) == 1
    assert white_share(paths[0])[0] < 0.99


# -- with a prescription history: the version in force on the last day -------------


@pytest.fixture(scope="module")
def history_overview(tmp_path_factory, caseload):
    rx = bx.load_prescriptions(bx.sample_path("caseload_prescriptions"))
    paths = export_caseload(*caseload, tmp_path_factory.mktemp("rx"), program=rx)
    return paths[-1]


def test_the_overview_says_each_patients_version_in_force_and_since_when(history_overview):
    (text,) = pdf_text(history_overview)
    assert "Prescription in force" in text
    # the sample's histories (caseload_prescriptions.toml) on 24 May 2026
    for pid, current in [("P01", "v2 since 21 Mar 2026"), ("P02", "v3 since 31 Mar 2026"),
                         ("P03", "v3 since 26 Apr 2026"), ("P04", "v3 since 22 Apr 2026"),
                         ("P05", "v4 since 15 Apr 2026")]:
        row = text[text.index(f"{pid} v"):]
        assert row.startswith(f"{pid} {current} "), row[:40]
    assert "the version on 24 May 2026" in text
    assert "default program" not in text.split("Flags and notes")[1]
    assert len(pypdf.PdfReader(str(history_overview)).pages) == 1


def test_a_patient_without_a_history_is_on_the_default_program(tmp_path, caseload):
    rx = bx.load_prescriptions({"patient": [{"id": "P01", "version": [
        {"start": "2026-03-02"}, {"start": "2026-03-30", "targets": {"wall_squat": 12}}]}]})
    summary = bx.analyze(*caseload, program=rx).summary
    with style_context():
        pages = _overview_pages(summary, rx, "2 Mar 2026 \u2013 24 May 2026", "today")
        with PdfPages(tmp_path / "overview.pdf") as pdf:
            for fig in pages:
                pdf.savefig(fig)
    (text,) = pdf_text(tmp_path / "overview.pdf")
    rows = text.split("Flags and notes")[1]
    assert "P01 v2 since 30 Mar 2026" in rows
    for pid in ("P02", "P03", "P04", "P05"):
        assert f"{pid} default program" in rows


def test_a_plain_program_keeps_the_overview_without_the_column(tmp_path, caseload):
    (text,) = pdf_text(export_caseload(*caseload, tmp_path)[-1])
    assert "Prescription in force" not in text and " since " not in text


def test_current_version_before_the_first_after_an_end_and_without_a_history():
    rx = bx.load_prescriptions({"patient": [{"id": "A", "version": [
        {"start": "2026-03-02"}, {"start": "2026-03-16", "end": "2026-04-30"}]}]})
    assert current_version(rx, "A", dt.date(2026, 3, 20)) == "v2 since 16 Mar 2026"
    assert current_version(rx, "A", dt.date(2026, 3, 2)) == "v1 since 2 Mar 2026"
    assert current_version(rx, "A", dt.date(2026, 5, 10)) == "v2 ended 30 Apr 2026"
    assert current_version(rx, "A", dt.date(2026, 2, 1)) == "v1 from 2 Mar 2026"
    assert current_version(rx, "B", dt.date(2026, 3, 20)) == "default program"


def test_a_flag_over_the_band_names_the_band_only_when_it_did_not_change():
    rx = bx.load_prescriptions({"patient": [{"id": "A", "version": [
        {"start": "2026-03-02"}, {"start": "2026-03-16", "exercise_minutes": [15, 40]}]}]})
    summary = pd.DataFrame({"patient_id": ["A", "B"], "pain_status": ["improved"] * 2,
                            "fully_adherent_pct": [80.0, 80.0], "minutes_over_days": [2, 3],
                            "flare_days": [0, 0]})
    flags = _attention(summary, rx).set_index("patient_id")["flags"]
    assert flags["A"] == "over the minute band on 2\u00a0d"  # "2 d" kept on one line
    assert flags["B"] == "over 30 min on 3\u00a0d"


# -- the needs-attention list first ---------------------------------------------------


def _pages_text(tmp_path, summary, program, attention) -> list[str]:
    with style_context():
        pages = _overview_pages(summary, program, "period", "today", attention=attention)
        with PdfPages(tmp_path / "overview.pdf") as pdf:
            for fig in pages:
                pdf.savefig(fig)
    return pdf_text(tmp_path / "overview.pdf")


def test_the_overview_opens_with_the_caseloads_needs_attention_list(history_overview, caseload):
    (text,) = pdf_text(history_overview)
    rx = bx.load_prescriptions(bx.sample_path("caseload_prescriptions"))
    flags = bx.needs_attention(*caseload, program=rx)
    # the sample on its last day: P03's flare of 21 May, and every patient's last two
    # weeks below 10 % fully adherent (their later versions raised the targets)
    assert len(flags) == 6 and flags["rule"].iloc[0] == "pain_rise"
    listed, table = text.split("Every patient")
    assert "Needs attention on 24 May 2026: 5 of 5 patients" in listed
    # a patient's flags together: the short names, the days, then the lines
    assert (f"P03 pain flare adherence low 21 May 24 May {flags['why'].iloc[0]} "
            f"{flags['why'].iloc[1]}") in listed
    assert "P04 adherence low 24 May fully adherent on 0 of 14 days" in listed
    # the table: the flagged patient first, its flag named in the last column
    assert table.index("P03 v3") < min(table.index(f"{p} v") for p in ("P01", "P02", "P04",
                                                                        "P05"))
    assert ("2026 75 of 83 12 % 75 % 4.9 4.3 \u22120.6 no change pain flare; adherence low; "
            "over 30 min") in table


def test_many_flags_keep_a_patients_flags_together_across_pages(tmp_path):
    ids = [f"P{i:02d}" for i in range(1, 41)]
    rules = ["pain_high", "pain_rise", "not_logged"]
    attention = pd.DataFrame({
        "patient_id": pd.array([p for p in ids for _ in rules], dtype="string"),
        "rule": pd.Categorical([r for _ in ids for r in rules],
                               categories=list(bx.needs_attention(
                                   *bx.load_sample()).rule.cat.categories)),
        "date": pd.Timestamp("2026-05-24"),
        "why": pd.array([f"{r} of {p}, seen" for p in ids for r in rules], dtype="string"),
    })
    attention.attrs["as_of"] = pd.Timestamp("2026-05-24")
    summary = pd.DataFrame({"patient_id": ids, "days": 84, "days_logged": 80,
                            "fully_adherent_pct": 50.0, "minutes_in_range_pct": 60.0,
                            "pain_baseline": 6.0, "pain_last7": 4.0, "pain_change": -2.0,
                            "pain_status": "improved", "minutes_over_days": 0,
                            "flare_days": 0, "start": pd.Timestamp("2026-03-02"),
                            "end": pd.Timestamp("2026-05-24")})
    pages = _pages_text(tmp_path, summary, bx.default_program(), attention)
    assert len(pages) >= 3 and pages[1].startswith("Caseload overview (continued)")
    text = " ".join(pages)
    listed = text.split("Every patient")[0]
    assert "Needs attention on 24 May 2026: 40 of 40 patients" in listed
    for p in ids:  # the id once, its three flags on the lines after it, in rule order
        assert listed.count(f"{p} ") == 1
        assert (f"{p} high pain pain flare not logging 24 May 24 May 24 May pain_high of {p}, "
                f"seen pain_rise of {p}, seen not_logged of {p}, seen") in listed
    assert text.count("high pain; pain flare; not logging") == 40  # the table's column
    # no paragraph runs under the footer: every page's text ends on a table row
    for page in pages:
        assert "Order:" not in page or "Patient Days logged" in page


def test_nothing_flagged_says_so_and_a_flagged_patient_leads_the_table(tmp_path, caseload):
    summary = bx.analyze(*caseload).summary
    none = bx.needs_attention(*caseload)[:0]
    none.attrs["as_of"] = pd.Timestamp("2026-05-24")
    (text,) = _pages_text(tmp_path, summary, bx.default_program(), none)
    assert "Needs attention on 24 May 2026 No patient meets a rule of the list" in text
    # an improved patient with a flag comes before the others
    flag = bx.needs_attention(*caseload, as_of="2026-04-10")
    flag = flag[flag["patient_id"] == "P05"].reset_index(drop=True)
    (text,) = _pages_text(tmp_path, summary, bx.default_program(), flag)
    table = text.split("Every patient")[1]
    assert table.index("P05 ") < min(table.index(f"{p} ") for p in ("P01", "P02", "P03", "P04"))
