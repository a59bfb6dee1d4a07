"""The backrx command: the same functions as the library, from a shell."""

from __future__ import annotations

import subprocess
import sys

import pytest

import backrx_analysis as bx
from backrx_analysis.cli import main
from backrx_analysis.combined import summarize


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


@pytest.mark.parametrize("argv0", [[sys.executable, "-m", "backrx_analysis"]])
def test_module_entry_point(argv0):
    res = subprocess.run([*argv0, "validate", str(bx.sample_path("pain"))],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "OK" in res.stdout
