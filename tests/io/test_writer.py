"""The one log writer: validate first, append only, load back identically."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.errors import LogFormatError

ENTRIES = [
    {"date": "2026-03-02", "exercise": "SLR", "reps": 10, "sets": 1, "side": "left", "minutes": 3,
     "notes": "ok, a bit stiff"},
    {"date": "2026-03-02", "exercise": "straight leg raise", "reps": 10, "side": "right", "minutes": 3},
    {"timestamp": "2026-03-02T23:45:00-05:00", "exercise": "walk", "minutes": 12.5},
    {"date": "2026-03-03", "time": "07:30", "exercise": "wall squat", "reps": 5, "sets": 2},
]


def test_new_file_round_trip(tmp_path):
    log = tmp_path / "sessions.csv"
    written = bx.append_sessions(log, ENTRIES)
    loaded = bx.load_sessions(log)
    pd.testing.assert_frame_equal(loaded, written)
    assert loaded["source_line"].tolist() == [2, 3, 4, 5]
    assert loaded["utc_offset_min"].iloc[2] == -300
    assert loaded["date"].iloc[2] == pd.Timestamp("2026-03-02")  # the day as written
    assert log.read_text().splitlines()[0] == "date,time,exercise,reps,sets,side,minutes,notes"


def test_appending_keeps_every_byte_already_there(tmp_path):
    log = tmp_path / "sessions.csv"
    bx.append_sessions(log, ENTRIES[:2])
    before = log.read_bytes()
    written = bx.append_sessions(log, ENTRIES[2:])
    after = log.read_bytes()
    assert after.startswith(before)
    assert written["source_line"].tolist() == [4, 5]
    assert len(bx.load_sessions(log)) == 4


def test_file_without_final_newline(tmp_path):
    log = tmp_path / "s.csv"
    log.write_bytes(b"date,exercise,reps\n2026-03-01,crunch,10")  # no newline at the end
    bx.append_sessions(log, [{"date": "2026-03-02", "exercise": "crunch", "reps": 8}])
    s = bx.load_sessions(log)
    assert s["reps"].tolist() == [10, 8] and s["source_line"].tolist() == [2, 3]
    assert log.read_bytes() == b"date,exercise,reps\n2026-03-01,crunch,10\n2026-03-02,Partial curl-up,8\n"


def test_user_layout_is_kept_semicolons_and_decimal_comma_crlf(tmp_path):
    log = tmp_path / "s.csv"
    log.write_bytes(b"Datum;Activity;Repetitions;Duration (min)\r\n2026-03-01;crunch;10;2,5\r\n".replace(
        b"Datum", b"Date"))
    bx.append_sessions(log, [{"date": "2026-03-02", "exercise": "walk", "minutes": 12.5}])
    assert log.read_bytes().endswith(b"2026-03-02;walk;;12,5\r\n")
    assert bx.load_sessions(log)["minutes"].tolist() == [2.5, 12.5]


def test_invalid_entries_write_nothing(tmp_path):
    log = tmp_path / "s.csv"
    bx.append_sessions(log, ENTRIES[:1])
    before = log.read_bytes()
    with pytest.raises(bx.LogValidationError) as err:
        bx.append_sessions(log, [{"date": "2026-03-02", "exercise": "crunchy", "reps": 10},
                                 {"date": "2026-02-30", "exercise": "crunch", "reps": -1}])
    assert len(err.value.problems) == 3
    assert log.read_bytes() == before
    with pytest.raises(bx.LogValidationError, match="outside the scale"):
        bx.append_pain(tmp_path / "p.csv", [{"date": "2026-03-02", "pain": 11}])
    assert not (tmp_path / "p.csv").exists()


def test_a_field_the_file_cannot_hold_is_refused(tmp_path):
    log = tmp_path / "s.csv"
    log.write_text("date,exercise,reps\n2026-03-01,crunch,10\n")
    before = log.read_bytes()
    with pytest.raises(bx.LogFormatError, match="no column for notes"):
        bx.append_sessions(log, [{"date": "2026-03-02", "exercise": "crunch", "reps": 10,
                                  "notes": "would be lost"}])
    assert log.read_bytes() == before


def test_wide_sheets_and_spreadsheets_are_not_appended_to(tmp_path):
    wide = tmp_path / "w.csv"
    wide.write_text("date,ankle pumps,SLR\n2026-03-01,10,10\n")
    with pytest.raises(bx.LogFormatError, match="wide sheet"):
        bx.append_sessions(wide, [{"date": "2026-03-02", "exercise": "crunch", "reps": 10}])
    with pytest.raises(bx.LogFormatError, match="CSV or TSV"):
        bx.append_sessions(tmp_path / "x.xlsx", [{"date": "2026-03-02", "exercise": "crunch", "reps": 1}])


def test_pain_round_trip(tmp_path):
    log = tmp_path / "pain.csv"
    entries = [{"timestamp": "2026-03-02T23:45:00+01:00", "pain": 4.5, "context": "evening",
                "location": "low back"}, {"date": "2026-03-03", "pain": 3}]
    written = bx.append_pain(log, entries)
    pd.testing.assert_frame_equal(bx.load_pain(log), written)


def test_cp1252_file_gets_cp1252_bytes(tmp_path):
    log = tmp_path / "s.csv"
    log.write_bytes("date,exercise,reps,notes\n2026-03-01,crunch,10,caf\u00e9\n".encode("cp1252"))
    bx.append_sessions(log, [{"date": "2026-03-02", "exercise": "crunch", "reps": 10, "notes": "th\u00e9"}])
    assert log.read_bytes().endswith("th\u00e9\n".encode("cp1252"))
    assert bx.load_sessions(log)["notes"].tolist() == ["caf\u00e9", "th\u00e9"]


WRITER = textwrap.dedent("""
    import sys, backrx_analysis as bx
    log, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print("ready", flush=True)
    for i in range(n):
        bx.append_sessions(log, [{"date": "2026-03-02", "exercise": "crunch", "reps": 10,
                                  "notes": f"{who}-{i}"}])
        print(f"ack {i}", flush=True)   # printed only after the entry is on disk
""")


def test_two_processes_appending_1000_entries_each_at_once(tmp_path):
    log = tmp_path / "sessions.csv"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(log), w, "1000"],
                              stdout=subprocess.DEVNULL) for w in ("a", "b")]
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    s = bx.load_sessions(log)
    assert len(s) == 2000  # none lost
    assert set(s["notes"]) == {f"{w}-{i}" for w in "ab" for i in range(1000)}  # none torn
    assert s["source_line"].tolist() == list(range(2, 2002))
    assert log.read_text().count("date,time,exercise") == 1  # one header


def test_writer_killed_at_random_moments_loses_no_acknowledged_entry(tmp_path):
    """SIGKILL a writer 200 times at random moments; after every kill the file loads
    and holds every entry whose write was acknowledged. Writers are forked from a
    server that has the package loaded, so each starts in milliseconds and the
    kills land while entries are being written."""
    import multiprocessing as mp
    import random
    import signal
    import time

    import durability_worker as worker

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["backrx_analysis", "backrx_analysis.io.writer", "durability_worker"])
    rng = random.Random(20261125)
    log = tmp_path / "sessions.csv"
    warm = ctx.Process(target=worker.warm_up, args=(str(log),))
    warm.start()
    warm.join(120)
    acked = {"warm"}
    kills = 0
    for k in range(200):
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=worker.append_forever, args=(str(log), f"k{k}", 10_000, send))
        proc.start()
        send.close()
        # the first acknowledgement says the writer is in its loop; then a random
        # moment (a write takes a few tens of ms here, so kills land mid-write too)
        assert recv.poll(60), "the writer did not start writing"
        acked.add(f"k{k}-{recv.recv()}")
        time.sleep(rng.uniform(0.0, 0.08))
        proc.kill()  # SIGKILL
        proc.join(30)
        assert proc.exitcode == -signal.SIGKILL, proc.exitcode
        kills += 1
        while True:
            try:
                acked.add(f"k{k}-{recv.recv()}")
            except EOFError:
                break
        recv.close()
        if k % 10 == 9:
            s = bx.load_sessions(log)  # it always loads: no torn line
            present = set(s["notes"].dropna()) | {"warm"}
            missing = acked - present
            assert not missing, f"after {kills} kills, lost {len(missing)} acknowledged entries"
    assert kills == 200
    print(f"durability: {kills} SIGKILLs, {len(acked)} acknowledged entries, 0 lost")
    assert len(acked) > 200, len(acked)


def test_append_to_a_seconds_column_writes_seconds(tmp_path):
    log = tmp_path / "walks.csv"
    log.write_text("date,exercise,Duration (s)\n2026-03-02,walk,600\n")
    bx.append_sessions(log, [{"date": "2026-03-03", "exercise": "walk", "minutes": 12.5}])
    assert log.read_text().splitlines()[-1] == "2026-03-03,walk,750"
    assert bx.load_sessions(log)["minutes"].tolist() == [10.0, 12.5]


# -- canonical frames written back (an export that is also a backup) ----------------


@pytest.mark.parametrize("caseload", [False, True])
def test_a_canonical_frame_written_loads_back_the_same(tmp_path, caseload):
    from backrx_analysis.io.writer import append_entries

    sessions, pain = bx.load_sample(caseload=caseload)
    for kind, frame, loader in (("sessions", sessions, bx.load_sessions),
                                ("pain", pain, bx.load_pain)):
        path = tmp_path / f"{kind}.csv"
        append_entries(path, frame, kind)
        back = loader(path)
        cols = [c for c in frame.columns if c not in ("source", "source_line")]
        pd.testing.assert_frame_equal(back[cols], frame[cols].reset_index(drop=True))
    # the pain sample's clock times carry +01:00 / +02:00: kept as written
    assert "2026-03-02T07:21:00+01:00" in (tmp_path / "pain.csv").read_text() or caseload


def test_other_scales_and_unmeasured_entries_are_written_not_lost(tmp_path):
    from backrx_analysis.io.writer import append_entries

    pain = tmp_path / "pain.csv"
    append_entries(pain, [{"date": "2026-03-02", "pain": 2, "scale": "bearable"},
                          {"date": "2026-03-03", "pain": 6}], "pain")
    assert pain.read_text().splitlines()[:3] == [
        "timestamp,pain,scale,context,location,notes", "2026-03-02,2,bearable,,,",
        "2026-03-03,6,,,,"]
    assert bx.load_pain(pain)["scale"].astype(str).tolist() == ["bearable", "nrs"]
    plain = tmp_path / "plain.csv"
    plain.write_text("date,pain\n2026-03-01,5\n")
    with pytest.raises(LogFormatError, match="no column for scale"):
        append_entries(plain, [{"date": "2026-03-02", "pain": 2, "scale": "bearable"}], "pain")
    append_entries(plain, [{"date": "2026-03-02", "pain": 3}], "pain")  # NRS: no column needed
    assert plain.read_text() == "date,pain\n2026-03-01,5\n2026-03-02,3\n"
    walks = tmp_path / "walks.csv"
    frame = pd.DataFrame({"date": ["2026-03-02", "2026-03-03"], "exercise": ["walk"] * 2,
                          "minutes": [None, 12.0], "measured": [False, True]})
    append_entries(walks, frame, "sessions")
    back = bx.load_sessions(walks)
    assert back["measured"].tolist() == [False, True]
    assert back["minutes"].isna().tolist() == [True, False]
