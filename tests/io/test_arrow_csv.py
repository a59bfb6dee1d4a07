"""The fast CSV paths agree with the careful reader, whatever a file holds.

Every delimited file can be read three ways: the mapped fast path (big files), the
general fast path, and the careful ``csv``-module reader. The fast paths read some
columns typed (ISO dates, HH:MM times, plain numbers) when the first rows suggest
it; these tests put what would trip them *after* those first rows and check that
all three ways give the same frame, or the same problems.
"""

from __future__ import annotations

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.io import delimited as readers_text
from backrx_analysis.io.load import _read_all

HEADER = "patient_id,date,time,exercise,reps,sets,side,minutes,notes"
# 60 clean lines, so that the sampled rows (the first 50) all look typed
GOOD = [
    f"P{i % 3:03d},2026-03-{1 + i % 28:02d},0{i % 10}:{i % 60:02d},"
    f"{['Ankle pumps', 'Wall squat', 'SLR', 'Walk'][i % 4]},"
    f"{'' if i % 4 == 3 else 10},{'' if i % 4 == 3 else 1},{'left' if i % 4 == 2 else ''},"
    f"{5 + i % 20},{'felt fine' if i % 7 == 0 else ''}"
    for i in range(60)
]


def body(*tail: str, header: str = HEADER, good=GOOD, end: str = "\n") -> str:
    return end.join([header, *good, *tail]) + end


CASES = {
    "clean": body(),
    "crlf": body(end="\r\n"),
    "bom": "\ufeff" + body(),
    "blank lines inside and at the end": body("", "P001,2026-03-05,08:00,Ankle pumps,10,1,,3,", "", ""),
    "line of only delimiters": body(",,,,,,,,", "P001,2026-03-05,08:00,Ankle pumps,10,1,,3,"),
    "line of spaces": body("   ", "P001,2026-03-05,08:00,Ankle pumps,10,1,,3,"),
    "quoted line break in a note": body('P001,2026-03-05,08:00,Wall squat,10,1,,4,"sore\nafter"',
                                       "P001,2026-03-05,08:00,Ankle pumps,10,1,,3,"),
    "hexadecimal reps": body("P001,2026-03-05,08:00,Wall squat,0x10,1,,4,"),
    "nan and inf minutes": body("P001,2026-03-05,08:00,Wall squat,10,1,,nan,",
                                "P001,2026-03-05,08:00,Walk,,,,inf,"),
    "year out of range": body("P001,1850-03-05,08:00,Wall squat,10,1,,4,"),
    "impossible ISO date": body("P001,2026-02-30,08:00,Wall squat,10,1,,4,"),
    "slash date further down": body("P001,05/03/2026,08:00,Wall squat,10,1,,4,"),
    "timestamp with offset in the date column": body(
        "P001,2026-03-05T23:30:00-05:00,,Wall squat,10,1,,4,"),
    "short and impossible times": body("P001,2026-03-05,7:05,Wall squat,10,1,,4,",
                                       "P001,2026-03-05,24:00,Wall squat,10,1,,4,"),
    "words and signs in numbers": body("P001,2026-03-05,08:00,Wall squat,ten,1,,4,",
                                       "P001,2026-03-05,08:00,Wall squat,+5,1,, 4 ,",
                                       "P001,2026-03-05,08:00,Wall squat,-3,1,,4,",
                                       "P001,2026-03-05,08:00,Wall squat,2.5,1,,4,"),
    "spaces around ids and a missing id": body(" P001 ,2026-03-05,08:00,Wall squat,10,1,,4,",
                                              ",2026-03-05,08:00,Wall squat,10,1,,4,"),
    "unknown exercise and side": body("P001,2026-03-05,08:00,Wall slide,10,1,,4,",
                                      "P001,2026-03-05,08:00,Hula hoop,10,1,up,4,"),
    "ragged line": body("P001,2026-03-05,08:00,Wall squat,10,1,,4,,extra"),
    "extra column of text": body(header=HEADER + ",mood",
                                 good=[g + ",good" for g in GOOD]),
    "date-only template day": body("P001,2026-03-09,,,,,,,"),
    "NA words": body("P001,2026-03-05,08:00,Wall squat,NA,1,,4,null"),
    "two exports joined": body("\ufeff" + HEADER, "P001,2026-03-05,08:00,Ankle pumps,10,1,,3,"),
    "old Mac line ends": body(end="\r"),
    "impossible UTC offset": body("P001,2026-03-05T10:00+99:99,,Walk,,,,10,"),
}
SEMI = body(header=HEADER.replace(",", ";"),
            good=[g.replace(",", ";") for g in GOOD]) + "P001;2026-03-05;08:00;Walk;;;;12,5;\n"


def _load(path, how: str, monkeypatch) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every entry that could be read, the problems table): both, even when the
    loaders would refuse the file, so that both are compared."""
    with monkeypatch.context() as m:
        if how == "mapped":
            m.setattr(readers_text, "MAPPED_MIN_BYTES", 0)
        elif how == "careful":
            m.setattr(readers_text, "read_arrow", lambda *a, **k: None)
            m.setattr(readers_text, "MAPPED_MIN_BYTES", 1 << 62)
        else:
            m.setattr(readers_text, "MAPPED_MIN_BYTES", 1 << 62)
        frame, problems, _ = _read_all(path, "sessions", program=bx.default_program(),
                                       dayfirst=None, sheet=None, patient_id=None)
        return frame, problems


@pytest.mark.parametrize("text", list(CASES.values()) + [SEMI], ids=list(CASES) + ["decimal comma"])
def test_fast_paths_agree_with_the_careful_reader(tmp_path, monkeypatch, text):
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8", newline="")
    frame, problems = _load(path, "careful", monkeypatch)
    assert len(frame) > 50
    for how in ("general", "mapped"):
        f, p = _load(path, how, monkeypatch)
        pd.testing.assert_frame_equal(f, frame, obj=f"{how} frame")
        pd.testing.assert_frame_equal(p, problems, obj=f"{how} problems")


def test_clean_file_is_read_typed(tmp_path):
    """The common case really takes the typed path (else the speed is not there)."""
    from backrx_analysis.io.arrow_csv import read_arrow

    data = body().split("\n", 1)[1].encode()
    kinds = {0: "string", 1: "date", 2: "time", 3: "text", 4: "number", 5: "number",
             6: "text", 7: "number", 8: "string"}
    sample = [line.split(",") for line in GOOD[:50]]
    frame = read_arrow(data, HEADER.split(","), ",", kinds, sample=sample, empty_lines=True)
    assert str(frame[1].dtype) == "date32[day][pyarrow]"
    assert str(frame[2].dtype) == "time32[s][pyarrow]"
    assert str(frame[4].dtype) == "float64"
    assert str(frame[0].dtype) == "string"
    assert isinstance(frame[3].dtype, pd.CategoricalDtype)


def test_big_file_lines_and_values_match_the_careful_reader(tmp_path, monkeypatch):
    """A simulated 20,000-entry log over the mapped path: the same frame as the
    careful reader, line numbers included."""
    from backrx_analysis.simulate import simulate_sessions_rows

    path = tmp_path / "big.csv"
    simulate_sessions_rows(20_000, seed=3).to_csv(path, index=False)
    mapped, problems = _load(path, "mapped", monkeypatch)
    assert len(mapped) == 20_000 and problems.empty
    pd.testing.assert_frame_equal(mapped, _load(path, "careful", monkeypatch)[0])
    assert mapped["source_line"].tolist() == list(range(2, 20_002))
