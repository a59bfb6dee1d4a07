"""Function questionnaires where people look: the Analysis, the summary, the CLI, the
chart and the report's Function page (only when questionnaires were given)."""

from __future__ import annotations

import pandas as pd
import pypdfium2 as pdfium
import pytest

import backrx_analysis as bx
from backrx_analysis.analysis.outcomes import ears_vs_logged
from backrx_analysis.cli import main
from backrx_analysis.plots.function import plot_function

SHEET = """patient_id,date,odi_1,odi_2,odi_3,odi_4,odi_5,odi_6,odi_7,odi_8,odi_9,odi_10,rmdq_total,ears_1,ears_2,ears_3,ears_4,ears_5,ears_6,psfs_activity_1,psfs_score_1,psfs_activity_2,psfs_score_2,psfs_activity_3,psfs_score_3
patient,2026-03-02,2,2,1,2,2,1,2,2,1,1,10,1,3,4,0,2,1,socks,3,sitting,4,lifting,2
patient,2026-04-06,1,1,1,1,1,1,1,1,0,0,6,0,4,4,0,3,0,socks,6,sitting,6,lifting,5
"""


@pytest.fixture()
def outcomes(tmp_path):
    p = tmp_path / "outcomes.csv"
    p.write_text(SHEET, encoding="utf-8")
    return bx.load_outcomes(p)


def test_summary_and_analysis_carry_the_latest_scores(outcomes):
    sessions, pain = bx.load_sample()
    s = bx.summarize(sessions, pain, outcomes=outcomes)
    # ODI 16/50 -> 32 %, then 8/50 -> 16 %: 16 points down, improved (10 points and 30 %)
    assert s.loc[0, "odi_score"] == 16.0 and s.loc[0, "odi_status"] == "improved"
    assert s.loc[0, "rmdq_score"] == 6.0 and s.loc[0, "rmdq_status"] == "improved"  # -40 %
    # EARS: (4-0)+4+4+(4-0)+3+(4-0) = 23; no status for EARS
    assert s.loc[0, "ears_score"] == 23.0 and pd.isna(s.loc[0, "ears_status"])
    a = bx.analyze(sessions, pain, outcomes=outcomes)
    assert a.summary.loc[0, "psfs_score"] == pytest.approx(5.7)
    assert "odi_score" not in bx.summarize(sessions, pain).columns
    # a period ending before the second visit: the latest is the baseline
    early = bx.analyze(sessions, pain, outcomes=outcomes, end="2026-03-31").summary
    assert early.loc[0, "odi_score"] == 32.0


def test_ears_next_to_the_logged_adherence(outcomes):
    sessions, pain = bx.load_sample()
    a = bx.analyze(sessions, pain, outcomes=outcomes)
    e = ears_vs_logged(a.outcomes_trend, a.daily)
    # 2 March is the log's first day: no day before it; 6 April: the 14 days before
    d = a.daily.set_index("date")["fully_adherent"]
    expect = d.loc["2026-03-23":"2026-04-05"].mean() * 100
    assert e["logged_days"].tolist() == [0, 14]
    assert e.loc[1, "logged_pct"] == pytest.approx(expect)


def test_the_function_chart_and_the_report_page(outcomes, tmp_path):
    sessions, pain = bx.load_sample()
    a = bx.analyze(sessions, pain, outcomes=outcomes)
    axes = plot_function(a.outcomes_trend)
    assert len(axes) == 4
    line = next(x for x in axes[0].get_lines() if x.get_gid() == "score-odi")
    assert list(line.get_ydata()) == [32.0, 16.0]
    with_f = bx.export_report(a, tmp_path / "with.pdf")
    without = bx.export_report(bx.analyze(sessions, pain), tmp_path / "without.pdf")
    pdf_with, pdf_without = pdfium.PdfDocument(with_f), pdfium.PdfDocument(without)
    assert len(pdf_with) == len(pdf_without) + 1
    text = pdf_with[3].get_textpage().get_text_range()
    assert text.startswith("Function") and "10 sections: 16/50; moderate disability" in text
    assert "EARS 23 of 24" in text


def test_cli_outcomes_option(outcomes, tmp_path, capsys):
    p = tmp_path / "o.csv"
    p.write_text(SHEET, encoding="utf-8")
    assert main(["summary", "--sessions", str(bx.sample_path("sessions")), "--outcomes",
                 str(p)]) == 0
    out = capsys.readouterr().out
    assert "ODI, latest (%)" in out and "16.0" in out
    p.write_text(SHEET.replace("2,2,1,2,2,1,2,2,1,1,10", "2,2,1,2,9,1,2,2,1,1,10"),
                 encoding="utf-8")
    assert main(["summary", "--sessions", str(bx.sample_path("sessions")), "--outcomes",
                 str(p)]) == 1
    assert "column 'odi_5'" in capsys.readouterr().err
