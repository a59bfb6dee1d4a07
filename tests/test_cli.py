"""The backrx command: the same functions as the library, from a shell."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.analysis.summary import summarize
from backrx_analysis.cli import main


def test_validate_ok_and_problems(tmp_path, capsys):
    good = bx.sample_path("sessions")
    assert main(["validate", str(good), str(bx.sample_path("pain"))]) == 0
    out = capsys.readouterr().out
    assert "sessions.csv (sessions log): OK" in out and "pain.csv (pain log): OK" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("date,exercise,reps\n2026-03-02,crunchy,10\n2026-03-03,crunch,-1\n")
    before = bad.read_bytes()
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "2 problem(s)" in out
    lines = [line for line in out.splitlines() if str(bad) in line and "problem(s)" not in line]
    assert [line.split()[1] for line in lines] == ["2", "3"]
    assert bad.read_bytes() == before


def test_validate_dayfirst_option(tmp_path, capsys):
    f = tmp_path / "p.csv"
    f.write_text("date,pain\n02/03/2026,5\n04/03/2026,4\n")
    assert main(["validate", str(f)]) == 1
    assert "dayfirst" in capsys.readouterr().out
    assert main(["validate", "--dayfirst", str(f)]) == 0
    assert "2026-03-02 to 2026-03-04" in capsys.readouterr().out


def test_summary_prints_the_library_numbers(capsys):
    s, p = bx.load_sample()
    expected = summarize(s, p).iloc[0]
    assert main(["summary", "--sessions", str(bx.sample_path("sessions")),
                 "--pain", str(bx.sample_path("pain"))]) == 0
    out = capsys.readouterr().out
    assert f"days fully adherent (%)                  {expected.fully_adherent_pct:.1f}" in out
    assert f"{expected.pain_baseline:.1f}" in out
    assert str(expected.pain_status) in out


def test_daily_with_period(capsys):
    assert main(["daily", "--sessions", str(bx.sample_path("sessions")), "--pain",
                 str(bx.sample_path("pain")), "--start", "2026-03-02", "--end", "2026-03-08"]) == 0
    out = capsys.readouterr().out
    assert "Patient patient: 7 days" in out
    assert out.count("2026-03-0") == 7


def test_bad_log_gives_a_clear_message_and_status_1(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,exercise,reps\nyesterday,crunch,10\n")
    assert main(["summary", "--sessions", str(bad)]) == 1
    assert "line 2, column 'date'" in capsys.readouterr().err


def test_demo_runs_on_the_sample(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "checked sessions.csv: OK" in out and "Per-day overview" in out
    assert "measured against prescriptions.toml: 3 versions" in out


@pytest.mark.parametrize("argv0", [[sys.executable, "-m", "backrx_analysis"]])
def test_module_entry_point(argv0):
    res = subprocess.run([*argv0, "validate", str(bx.sample_path("pain"))],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "OK" in res.stdout


def test_report_for_one_patient_and_for_a_caseload(tmp_path, capsys):
    out = tmp_path / "r.pdf"
    assert main(["report", "--sessions", str(bx.sample_path("sessions")), "--pain",
                 str(bx.sample_path("pain")), "-o", str(out), "--patient-label", "Ann"]) == 0
    assert capsys.readouterr().out.strip() == str(out) and out.stat().st_size > 10_000
    cs, cp = str(bx.sample_path("caseload_sessions")), str(bx.sample_path("caseload_pain"))
    assert main(["report", "--sessions", cs, "--pain", cp, "-o", str(tmp_path / "x.pdf")]) == 2
    assert "--outdir" in capsys.readouterr().err
    assert main(["report", "--sessions", cs, "--pain", cp, "--outdir", str(tmp_path / "rep"),
                 "--start", "2026-03-02", "--end", "2026-03-29"]) == 0
    captured = capsys.readouterr()
    names = sorted(p.name for p in (tmp_path / "rep").iterdir())
    assert names == ["P01.pdf", "P02.pdf", "P03.pdf", "P04.pdf", "P05.pdf", "caseload_overview.pdf"]
    assert "5/5" in captured.err  # the progress bar went to the terminal


def test_charts(tmp_path, capsys):
    assert main(["charts", "--outdir", str(tmp_path), "--formats", "png", "--dpi", "50"]) == 0
    written = capsys.readouterr().out.split()
    assert len(written) == 5 and all(p.endswith(".png") for p in written)


def test_log_appends_checked_entries(tmp_path, capsys):
    log = tmp_path / "mine.csv"
    assert main(["log", "sessions", str(log), "--date", "2026-03-02", "--exercise", "SLR",
                 "--reps", "10", "--side", "left", "--minutes", "3"]) == 0
    assert "at line 2" in capsys.readouterr().out
    assert main(["log", "pain", str(tmp_path / "p.csv"), "--pain", "12"]) == 1
    assert "outside the scale" in capsys.readouterr().err
    assert not (tmp_path / "p.csv").exists()
    s = bx.load_sessions(log)
    assert s["exercise"].tolist() == ["straight_leg_raise"] and s["side"].tolist() == ["left"]


def test_prescriptions_option(tmp_path, capsys):
    """--prescriptions measures each day against the version in force: a version from
    16 March that asks 15 of every exercise leaves fewer days met than the default."""
    rx = tmp_path / "rx.toml"
    rx.write_text('[[patient]]\nid = "patient"\n  [[patient.version]]\n  start = 2026-03-02\n'
                  '  [[patient.version]]\n  start = 2026-03-16\n  targets = { ankle_pumps = 15 }\n'
                  '  days = ["Mon", "Wed", "Fri"]\n', encoding="utf-8")
    sessions, pain = str(bx.sample_path("sessions")), str(bx.sample_path("pain"))
    assert main(["summary", "--sessions", sessions, "--pain", pain, "--prescriptions",
                 str(rx)]) == 0
    out = capsys.readouterr().out
    # 2-15 March every day (14), then Mon/Wed/Fri from 16 March to 23 May (30): 44
    assert "days prescribed                          44" in out
    plain = summarize(*bx.load_sample())
    mine = bx.summarize(*bx.load_sample(), program=bx.load_prescriptions(rx))
    assert mine.loc[0, "days_prescribed"] == 44 and plain.loc[0, "days_prescribed"] == 83
    assert mine.loc[0, "ankle_pumps_met_pct"] < plain.loc[0, "ankle_pumps_met_pct"]
    rx.write_text('[[patient]]\nid = "patient"\n  [[patient.version]]\n  start = 2026-03-02\n'
                  '  days = ["Funday"]\n', encoding="utf-8")
    assert main(["summary", "--sessions", sessions, "--prescriptions", str(rx)]) == 1
    assert "line 5, column 'days'" in capsys.readouterr().err


# -- attention: the caseload's list of patients to look at first --------------------


def _caseload_args(*more):
    return ["attention", "--sessions", str(bx.sample_path("caseload_sessions")),
            "--pain", str(bx.sample_path("caseload_pain")), *more]


def test_attention_prints_the_librarys_list_a_patients_flags_together(capsys):
    rx = bx.load_prescriptions(bx.sample_path("caseload_prescriptions"))
    o = bx.load_outcomes(bx.sample_path("caseload_outcomes"))
    sessions, pain = bx.load_sample(caseload=True)
    flags = bx.needs_attention(sessions, pain, program=rx, outcomes=o, as_of="2026-04-10")
    assert main(_caseload_args("--prescriptions", str(bx.sample_path("caseload_prescriptions")),
                               "--outcomes", str(bx.sample_path("caseload_outcomes")),
                               "--as-of", "2026-04-10")) == 0
    lines = capsys.readouterr().out.splitlines()
    n = flags["patient_id"].nunique()
    assert lines[0].startswith(f"Needs attention as of 2026-04-10: {len(flags)} flags for {n} "
                               "of 5 patients")
    assert lines[1].split() == ["patient", "rule", "date", "why"]
    assert len(lines) == 2 + len(flags)
    for line, (pid, previous, row) in zip(lines[2:], zip(
            flags["patient_id"], [None, *flags["patient_id"][:-1]], flags.itertuples(),
            strict=True), strict=True):
        words = line.split()
        if pid != previous:  # the id once, on the patient's first line
            assert words.pop(0) == pid
        assert words[:2] == [row.rule, f"{row.date:%Y-%m-%d}"]
        assert line.endswith(row.why)


def test_attention_defaults_to_the_last_day_and_says_when_nothing_is_flagged(capsys):
    assert main(_caseload_args()) == 0
    out = capsys.readouterr().out
    assert out.startswith("Needs attention as of 2026-05-24: 3 flags for 3 of 5 patients")
    assert "P03      pain_rise      2026-05-21  pain 6.3 on 21 May" in out
    assert "P04      adherence_low  2026-05-24  fully adherent on 0 of 14 days" in out
    assert main(["attention", "--as-of", "2026-04-26"]) == 0  # the bundled single patient
    assert capsys.readouterr().out == ("Nothing needs attention as of 2026-04-26 "
                                       "(1 patient looked at).\n")


def test_attention_with_a_bad_day_says_so_and_exits_1(capsys):
    assert main(_caseload_args("--as-of", "2026-04-31")) == 1
    err = capsys.readouterr().err
    assert err.startswith("backrx: as_of='2026-04-31' is not a date")


def test_association_prints_the_library_finding_in_words(capsys):
    assert main(["association"]) == 0
    out = capsys.readouterr().out
    sessions, pain = bx.load_sample()
    rows = bx.dose_pain_association(bx.daily_adherence(sessions), pain)
    for r in rows.itertuples(index=False):
        assert f"{r.n_days} days, {r.n_done} with the program done" in out
    assert out.splitlines()[0].startswith("Same day:") and "not cause" in out
    assert "Spearman" not in out
    assert main(["association", "--patient", "P99"]) == 2
    assert "no patient 'P99'" in capsys.readouterr().err


def test_fhir_writes_a_bundle_per_patient(tmp_path, capsys):
    import json

    caseload = [str(bx.sample_path("caseload_sessions")), str(bx.sample_path("caseload_pain"))]
    assert main(["fhir", "--sessions", caseload[0], "--pain", caseload[1],
                 "-o", str(tmp_path / "bundles")]) == 0
    written = capsys.readouterr().out.split()
    assert [p.rsplit("/", 1)[-1] for p in written] == [f"P0{i}.json" for i in range(1, 6)]
    bundle = json.loads((tmp_path / "bundles" / "P03.json").read_text())
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    back = bx.load_fhir(tmp_path / "bundles" / "P03.json")
    assert set(back.sessions["patient_id"]) == {"P03"}


def test_report_jobs_names_a_failing_patient_and_writes_the_others(tmp_path, capsys):
    caseload = [str(bx.sample_path("caseload_sessions")), str(bx.sample_path("caseload_pain"))]
    (tmp_path / "P02.pdf").mkdir()
    code = main(["report", "--sessions", caseload[0], "--pain", caseload[1],
                 "--outdir", str(tmp_path), "--jobs", "2"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "patient 'P02'" in err and "IsADirectoryError" in err
    assert sorted(p.rsplit("/", 1)[-1] for p in out.split()) == [
        "P01.pdf", "P03.pdf", "P04.pdf", "P05.pdf", "caseload_overview.pdf"]


def test_convert_writes_a_cohort_the_dask_analysis_reads(tmp_path, capsys):
    from backrx_analysis import scale

    caseload = [str(bx.sample_path("caseload_sessions")), str(bx.sample_path("caseload_pain"))]
    out = tmp_path / "cohort"
    assert main(["convert", "--sessions", caseload[0], "--pain", caseload[1], "-o", str(out),
                 "--patients-per-part", "2"]) == 0
    assert "of 5 patients" in capsys.readouterr().out
    sessions, pain = scale.read_cohort(out)
    assert sessions.npartitions == 3
    s, p = bx.load_sample(caseload=True)
    got = scale.summarize(sessions, pain)
    pd.testing.assert_frame_equal(got, bx.summarize(s, p))
    assert main(["convert", "--sessions", caseload[0], "-o", str(out)]) == 1  # not again
    assert "backrx:" in capsys.readouterr().err


def test_export_fhir_and_tables(tmp_path, capsys):
    assert main(["export"]) == 2
    assert "--fhir" in capsys.readouterr().err
    assert main(["export", "--fhir", str(tmp_path / "bundle.json"),
                 "--tables", str(tmp_path / "tables")]) == 0
    out = capsys.readouterr().out.split()
    assert out[0].endswith("bundle.json") and out[-1].endswith("logs_pain.csv")
    sessions, pain = bx.load_sample()
    back = bx.load_fhir(tmp_path / "bundle.json")
    assert len(back.sessions) == len(sessions) and len(back.pain) == len(pain)
    assert len(bx.load_sessions(tmp_path / "tables" / "logs_sessions.csv")) == len(sessions)
