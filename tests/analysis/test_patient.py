"""bx.analyze: one patient's (or a caseload's) analysis, each frame computed once."""

from __future__ import annotations

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.analysis import patient as patient_module
from backrx_analysis.analysis.adherence import weekly_adherence
from backrx_analysis.analysis.combined import adherence_vs_pain, lagged_association


@pytest.fixture
def counted(monkeypatch):
    """Count the calls the Analysis makes of the library's frame functions."""
    calls: dict[str, int] = {}

    def wrap(name):
        real = getattr(patient_module, name)

        def counting(*a, **k):
            calls[name] = calls.get(name, 0) + 1
            return real(*a, **k)

        monkeypatch.setattr(patient_module, name, counting)

    for name in ("daily_adherence", "pain_trend", "summary_of", "lagged_association",
                 "weekly_adherence", "adherence_vs_pain", "dose_pain_association"):
        wrap(name)
    return calls


def test_frames_equal_the_functions_and_are_kept(sample):
    sessions, pain = sample
    a = bx.analyze(sessions, pain)
    pd.testing.assert_frame_equal(a.daily, bx.daily_adherence(sessions))
    pd.testing.assert_frame_equal(a.trend, bx.pain_trend(pain))
    pd.testing.assert_frame_equal(a.summary, bx.summarize(sessions, pain))
    pd.testing.assert_frame_equal(a.weekly, weekly_adherence(bx.daily_adherence(sessions)))
    pd.testing.assert_frame_equal(a.streaks, bx.streaks(bx.daily_adherence(sessions)))
    pd.testing.assert_frame_equal(a.association,
                                  lagged_association(bx.daily_adherence(sessions), pain))
    pd.testing.assert_frame_equal(a.together,
                                  adherence_vs_pain(bx.daily_adherence(sessions), pain))
    assert a.daily is a.daily and a.summary is a.summary and a.trend is a.trend
    assert (a.first, a.last) == (a.daily["date"].min(), a.daily["date"].max())


def test_a_period_matches_the_functions_with_start_and_end(sample):
    sessions, pain = sample
    a = bx.analyze(sessions, pain, start="2026-03-09", end="2026-04-05")
    pd.testing.assert_frame_equal(a.daily, bx.daily_adherence(sessions, start="2026-03-09",
                                                              end="2026-04-05"))
    pd.testing.assert_frame_equal(a.summary, bx.summarize(sessions, pain, start="2026-03-09",
                                                          end="2026-04-05"))
    together = a.together
    assert together["date"].min() == pd.Timestamp("2026-03-09")
    assert together["date"].max() == pd.Timestamp("2026-04-05")
    with pytest.raises(ValueError):
        bx.analyze(sessions, pain, start="2026-04-05", end="2026-03-09")


def test_between_cuts_the_whole_span_and_equals_a_fresh_computation(sample, counted):
    sessions, pain = sample
    a = bx.analyze(sessions, pain)
    whole = a.daily
    part = a.between("2026-03-20", "2026-04-10")
    assert counted["daily_adherence"] == 1  # cut, not computed again
    pd.testing.assert_frame_equal(part.daily, bx.daily_adherence(
        sessions, start="2026-03-20", end="2026-04-10"))
    assert part.trend is a.trend  # the baseline is that of the whole log: shared
    assert a.between("2026-03-20", "2026-04-10") is part
    assert len(whole) > len(part.daily)
    # beyond the span: computed for that period
    beyond = a.between(whole["date"].min() - pd.Timedelta(days=3), whole["date"].max())
    assert len(beyond.daily) == len(whole) + 3
    # another program (a subset of exercises): its own whole-span frame, cut
    two = a.program.subset(["ankle_pumps", "wall_squat"])
    sub = a.between("2026-03-20", "2026-04-10", program=two)
    pd.testing.assert_frame_equal(sub.daily, bx.daily_adherence(
        sessions, program=two, start="2026-03-20", end="2026-04-10"))


def test_caseload_patients_are_kept_and_match_their_own_analysis():
    sessions, pain = bx.load_sample(caseload=True)
    a = bx.analyze(sessions, pain)
    assert len(a.patient_ids) > 1
    pid = a.patient_ids[1]
    one = a.patient(pid)
    assert a.patient(pid) is one
    s, p = sessions[sessions["patient_id"] == pid], pain[pain["patient_id"] == pid]
    pd.testing.assert_frame_equal(one.daily, bx.daily_adherence(s))
    pd.testing.assert_frame_equal(one.summary, bx.summarize(s, p))
    with pytest.raises(ValueError, match="pass patient_id"):
        a.patient()
    with pytest.raises(ValueError, match="is not in the logs"):
        a.patient("nobody")


def test_the_dose_association_is_the_functions_and_is_kept(sample, counted):
    sessions, pain = sample
    a = bx.analyze(sessions, pain)
    assert a.dose_association is a.dose_association
    pd.testing.assert_frame_equal(a.dose_association,
                                  bx.dose_pain_association(bx.daily_adherence(sessions), pain))
    assert counted["dose_pain_association"] == 1
    assert a.dose_association["lag"].tolist() == [0, 1, 2]


def test_too_few_days_for_the_association_is_a_sentence(sample):
    sessions, pain = sample
    a = bx.analyze(sessions.head(20), pain.head(5))
    assert a.association is None
    assert "Too few paired days" in a.association_problem


def test_report_computes_each_frame_once(sample, counted, tmp_path):
    sessions, pain = sample
    bx.export_report(sessions, pain, tmp_path / "r.pdf")
    # the report says the within-week association; the raw correlation is not computed
    assert counted == {"daily_adherence": 1, "pain_trend": 1, "summary_of": 1,
                       "dose_pain_association": 1, "weekly_adherence": 1}


def test_charts_and_report_from_one_analysis_compute_once(sample, counted, tmp_path):
    sessions, pain = sample
    a = bx.analyze(sessions, pain)
    bx.export_report(a, tmp_path / "r.pdf")
    bx.export_charts(a, tmp_path / "charts", formats=("png",))
    bx.export_tables(a, tmp_path / "tables")
    fig = bx.plot_dashboard(a)
    assert len(fig.axes) == 4
    assert counted["daily_adherence"] == 1 and counted["pain_trend"] == 1
    assert counted["summary_of"] == 1
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        "daily.csv", "logs_pain.csv", "logs_sessions.csv", "summary.csv"]


def test_caseload_report_uses_the_caseload_summary(counted, tmp_path):
    sessions, pain = bx.load_sample(caseload=True)
    a = bx.analyze(sessions, pain)
    # jobs=1: rendered in this process, where the calls are counted (workers count their own)
    written = bx.export_caseload(a, tmp_path, jobs=1)
    n = len(a.patient_ids)
    assert len(written) == n + 1
    # one daily frame per patient plus one for the caseload's overview
    assert counted["daily_adherence"] == n + 1
    assert counted["summary_of"] == n + 1


def test_an_analysis_refuses_other_logs_or_period(sample, tmp_path):
    sessions, pain = sample
    a = bx.analyze(sessions, pain, start="2026-03-02", end="2026-03-29")
    with pytest.raises(ValueError, match="leave out start"):
        bx.plot_dashboard(a, start="2026-03-10")
    with pytest.raises(ValueError, match="leave out program"):
        bx.export_report(a, tmp_path / "x.pdf", program=a.program.subset(["wall_squat"]))
    bx.export_report(a, tmp_path / "y.pdf", program=bx.default_program())  # an equal one
    bx.plot_dashboard(a, start="2026-03-02")  # agreeing with it is fine
    with pytest.raises(TypeError, match="path is required"):
        bx.export_report(sessions, pain)
    assert "2026-03-02 to 2026-03-29" in repr(a)


def test_dashboard_widget_takes_an_analysis(sample):
    sessions, pain = sample
    a = bx.analyze(sessions, pain)
    dash = bx.Dashboard(a)
    assert dash.analysis is a
    dash.set_range("2026-03-02", "2026-03-29")
    assert dash.status.value.startswith("Showing 2026-03-02")
