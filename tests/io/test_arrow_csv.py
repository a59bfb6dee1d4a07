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
from backrx_analysis.io import dates
from backrx_analysis.io import delimited as readers_text
from backrx_analysis.io.iso_dates import IsoParse
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
        elif how == "careful":  # and every date one value at a time
            m.setattr(readers_text, "read_arrow", lambda *a, **k: None)
            m.setattr(dates, "parse_iso", lambda arr: IsoParse(len(arr)))
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


# -- the shapes of files made elsewhere (benchmarks/io_shapes.py), with traps ------------
#
# Each shape: a header, 60 clean lines (mixed-case exercise spellings, blank cells),
# and traps placed after them, one case each; every trap must give the same frame
# and the same problems by the three readers.

_SPELLED = ["Ankle pumps", "FOOT PUMPS", "ab bracing", "Core brace", "wall slide", "WALL SQUAT",
            "slr", "Straight-leg raise", "crunch", "Partial Curl-Up", "walking", "Routine"]
_MINUTES_ONLY = ("walking", "Routine")


def _good(i: int, fmt: str) -> str:
    name = _SPELLED[i % len(_SPELLED)]
    reps = "" if name in _MINUTES_ONLY else str(10 - i % 3)
    sets = "" if name in _MINUTES_ONLY or i % 5 == 0 else str(1 + i % 3)
    side = {6: "left", 7: "R"}.get(i % len(_SPELLED), "")
    minutes = str(5 + i % 20)
    day = f"2026-03-{1 + i % 28:02d}"
    stamp = f"{day}T{i % 24:02d}:{i % 60:02d}:{(7 * i) % 60:02d}{['-05:00', '+01:00', 'Z', '+05:30'][i % 4]}"
    return fmt.format(pid=f"P{i % 4:03d}", day=day, slash=f"{1 + i % 28:02d}/03/2026",
                      time=f"{i % 24:02d}:{i % 60:02d}", stamp=stamp, name=name, reps=reps,
                      sets=sets, side=side, minutes=minutes,
                      comma=f"{5 + i % 20},{5 * (i % 2)}", note="felt fine" if i % 9 == 0 else "")


SHAPES = {  # name: (header, line format, suffix)
    "no notes": ("patient_id,date,exercise,reps,sets,side,minutes",
                 "{pid},{day},{name},{reps},{sets},{side},{minutes}", ".csv"),
    "semicolon": ("date;time;exercise;reps;sets;side;minutes;notes",
                  "{slash};{time};{name};{reps};{sets};{side};{comma};{note}", ".csv"),
    "offsets": ("timestamp,exercise,reps,minutes,notes",
                "{stamp},{name},{reps},{minutes},{note}", ".csv"),
    "no patient": ("date,time,exercise,reps,sets,side,minutes,notes",
                   "{day},{time},{name},{reps},{sets},{side},{minutes},{note}", ".csv"),
    "tsv": ("patient_id\tdate\ttime\texercise\treps\tsets\tside\tminutes\tnotes",
            "{pid}\t{day}\t{time}\t{name}\t{reps}\t{sets}\t{side}\t{minutes}\t{note}", ".tsv"),
}
WIDE = ("Patient,Date,Ankle pumps,Ab bracing,Wall squat,SLR,Curl-up,exercise minutes,"
        "walk minutes,Notes")
_WIDE_GOOD = [f"P{i % 3:03d},2026-03-{1 + i % 28:02d},{'' if i % 4 == 0 else 10},10,"
              f"{'' if i % 5 == 0 else 8},10,{12 if i % 3 else ''},{10 + i % 15},"
              f"{'' if i % 2 else 20},{'sore' if i % 11 == 0 else ''}" for i in range(60)]


def _trap_lines(header: str, fmt: str) -> dict[str, list[str]]:
    """The traps of a shape: good lines with one field changed, and the header again."""
    def line(i: int = 3, **change) -> str:
        fields = dict(pid="P001", day="2026-03-05", slash="05/03/2026", time="08:00",
                      stamp="2026-03-05T07:29:15-05:00", name="Wall squat", reps="10", sets="1",
                      side="", minutes="4", comma="4,5", note="")
        fields.update(change)
        return fmt.format(**fields)

    return {
        "bad offset": [line(stamp="2026-03-05T07:29:15+15:00"),
                       line(stamp="2026-03-05T07:29:15+05:60")],
        "impossible date": [line(day="2026-02-30", slash="30/02/2026",
                                 stamp="2026-02-30T07:29:15-05:00")],
        "hex number": [line(reps="0x10", minutes="0x10", comma="0x10")],
        "repeated header": [header, line()],
        "timestamp variants": [line(stamp="2026-03-05T07:29:15.250-05:00"),
                               line(stamp=" 2026-03-05T07:29:15Z"),
                               line(stamp="2026-03-05 07:29"), line(stamp="2026-03-05")],
        "decimal point in a comma file": [line(comma="4.5", minutes="4.5")],
        "unknown name and side": [line(name="Hula hoop", side="up")],
    }


_TRAPPED = [(shape, trap) for shape in SHAPES for trap in _trap_lines(*SHAPES[shape][:2])]


@pytest.mark.parametrize(("shape", "trap"), _TRAPPED, ids=[f"{s}: {t}" for s, t in _TRAPPED])
def test_shapes_with_traps_agree_with_the_careful_reader(tmp_path, monkeypatch, shape, trap):
    header, fmt, suffix = SHAPES[shape]
    lines = [header, *(_good(i, fmt) for i in range(60)), *_trap_lines(header, fmt)[trap]]
    path = tmp_path / f"s{suffix}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    frame, problems = _load(path, "careful", monkeypatch)
    assert len(frame) >= 60
    for how in ("general", "mapped"):
        f, p = _load(path, how, monkeypatch)
        pd.testing.assert_frame_equal(f, frame, obj=f"{how} frame")
        pd.testing.assert_frame_equal(p, problems, obj=f"{how} problems")


def test_the_traps_are_problems(tmp_path, monkeypatch):
    """The traps above are refused (so the agreement is on refusing them), and the
    clean shapes load without any problem."""
    header, fmt, _ = SHAPES["offsets"]
    good = [_good(i, fmt) for i in range(60)]
    traps = _trap_lines(header, fmt)
    for trap, words in (("bad offset", "no place is +15:00 from UTC"),
                        ("impossible date", "impossible date"), ("hex number", "not a whole"),
                        ("repeated header", "repeats the header")):
        path = tmp_path / f"{trap}.csv"
        path.write_text("\n".join([header, *good, *traps[trap]]) + "\n", encoding="utf-8")
        _, problems = _load(path, "mapped", monkeypatch)
        assert problems["line"].min() == 62 and problems["problem"].str.contains(words, regex=False).any()
    for shape, (header, fmt, suffix) in SHAPES.items():
        path = tmp_path / f"{shape}{suffix}"
        path.write_text("\n".join([header, *(_good(i, fmt) for i in range(60))]) + "\n")
        frame, problems = _load(path, "mapped", monkeypatch)
        assert problems.empty and len(frame) == 60, shape


@pytest.mark.parametrize("trap", ["clean", "bad number", "repeated header", "only a note",
                                  "impossible date"])
def test_wide_sheet_agrees_with_the_careful_reader(tmp_path, monkeypatch, trap):
    tail = {"clean": [], "bad number": ["P001,2026-03-05,ten,10,,,,12,,"],
            "repeated header": [WIDE, "P001,2026-03-05,10,10,10,10,10,12,,"],
            "only a note": ["P001,2026-03-06,,,,,,,,rest day, back sore"],
            "impossible date": ["P001,2026-02-30,10,,,,,,,"]}[trap]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join([WIDE, *_WIDE_GOOD, *tail]) + "\n", encoding="utf-8")
    frame, problems = _load(path, "careful", monkeypatch)
    assert len(frame) > 200
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
