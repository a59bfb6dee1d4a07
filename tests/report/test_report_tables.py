"""export_tables: the spreadsheet tables, and the logs themselves written so that the
loaders read them back to the same frames (an export is also a backup)."""

from __future__ import annotations

import pandas as pd
import pytest

import backrx_analysis as bx

KEEP = ("source", "source_line")


def _same(back: pd.DataFrame, frame: pd.DataFrame, *, notes: bool) -> None:
    cols = [c for c in frame.columns if c not in KEEP and (notes or c != "notes")]
    pd.testing.assert_frame_equal(back[cols], frame[cols].reset_index(drop=True))


@pytest.mark.parametrize("caseload", [False, True])
def test_the_logs_load_back_to_the_same_frames(tmp_path, caseload):
    sessions, pain = bx.load_sample(caseload=caseload)
    paths = bx.export_tables(sessions, pain, tmp_path)
    assert [p.name for p in paths] == ["summary.csv", "daily.csv", "logs_sessions.csv",
                                       "logs_pain.csv"]
    back_s = bx.load_sessions(tmp_path / "logs_sessions.csv")
    back_p = bx.load_pain(tmp_path / "logs_pain.csv")
    _same(back_s, sessions, notes=False)
    _same(back_p, pain, notes=False)
    assert back_s["notes"].isna().all()  # notes stay out unless asked
    assert sessions["notes"].notna().any() or caseload


def test_with_notes_asked_the_backup_is_whole(tmp_path):
    sessions, pain = bx.load_sample()
    bx.export_tables(sessions, pain, tmp_path, include_notes=True)
    _same(bx.load_sessions(tmp_path / "logs_sessions.csv"), sessions, notes=True)
    _same(bx.load_pain(tmp_path / "logs_pain.csv"), pain, notes=True)


def test_a_second_export_replaces_the_first_and_a_period_keeps_the_whole_logs(tmp_path):
    sessions, pain = bx.load_sample()
    bx.export_tables(sessions, pain, tmp_path)
    first = (tmp_path / "logs_sessions.csv").read_bytes()
    bx.export_tables(sessions, pain, tmp_path, start="2026-04-01", end="2026-04-14")
    assert (tmp_path / "logs_sessions.csv").read_bytes() == first  # not appended twice
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "daily.csv", "logs_pain.csv", "logs_sessions.csv", "summary.csv"]  # no leftovers
    daily = pd.read_csv(tmp_path / "daily.csv", encoding="utf-8-sig")
    assert daily["date"].min() == "2026-04-01"


def test_without_logs_only_the_tables(tmp_path):
    sessions, pain = bx.load_sample()
    assert [p.name for p in bx.export_tables(sessions, pain, tmp_path, logs=False)] == [
        "summary.csv", "daily.csv"]
