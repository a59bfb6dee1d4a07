"""The report's pages: the summary numbers in words, each page's content, the label,
the association caveat, the weekly table continued."""

from __future__ import annotations

from factories import make_pain, make_sessions
from report_helpers import pdf_text

import backrx_analysis as bx
from backrx_analysis.analysis.summary import summarize
from backrx_analysis.report import export_report, format_pct, summary_lines


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


def test_label_defaults_to_the_patient_id(tmp_path, caseload):
    out = export_report(*caseload, tmp_path / "r.pdf", patient_id="P02")
    assert "Patient: P02" in pdf_text(out)[0]


def test_pages_have_their_content(report):
    pages = pdf_text(report)
    assert "Adherence in detail" in pages[1] and "Week by week" in pages[1]
    assert "2 Mar 2026" in pages[1]  # first week of the weekly table
    assert "Pain in detail" in pages[2] and "Flare days (4)" in pages[2]
    assert "association, not cause" in pages[2]
    assert "Spearman" not in pages[2]  # the raw correlation of two drifting series is gone
    for head in ("Same day:", "Next day:", "Two days later:"):
        assert f"{head} no clear difference in pain from the rest of that week" in pages[2]
    assert "Exercise and pain" in pages[3] and "the same week" in pages[3]
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
    page = pdf_text(out)[2]
    assert "Next day: too little data to say (4 paired days" in page
    assert "at least 14 are needed" in page


def test_long_period_continues_the_weekly_table(tmp_path):
    from backrx_analysis.simulate import simulate_logs

    raw_s, raw_p = simulate_logs(1, days=365, seed=3)
    out = export_report(bx.load_sessions(raw_s), bx.load_pain(raw_p), tmp_path / "year.pdf")
    pages = pdf_text(out)
    assert any("Week by week (continued)" in p for p in pages)
    assert "The prescription measured" in pages[-1]
