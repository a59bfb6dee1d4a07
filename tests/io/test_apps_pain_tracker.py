"""Pain Tracker (CrisisCore) exports (backrx_analysis.io.apps.pain_tracker): the app's
own sample entries serialised by its own export code (tests/io/fixtures/apps/
pain_tracker, SOURCES.md there) and hand-written cases, checked through
``bx.load_pain`` at the level of days: the daily pain (mean of the day's ratings) on
the local day the zone gives, and what the report says."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backrx_analysis as bx
from backrx_analysis.errors import LogFormatError, LogValidationError
from backrx_analysis.io.apps import AppReportWarning, detect, pain_tracker, read_app
from backrx_analysis.io.apps.base import peek
from backrx_analysis.io.sample import sample_path
from backrx_analysis.io.validate import to_canonical

PROGRAM = bx.default_program()
FIXTURES = Path(__file__).parent / "fixtures" / "apps" / "pain_tracker"
FULL_CSV = FIXTURES / "comprehensive_full.csv"
MINIMAL_JSON = FIXTURES / "comprehensive_minimal.json"
WCB_JSON = FIXTURES / "wcb_full.json"
WCB_CSV = FIXTURES / "wcb_minimal.csv"
TZ = "America/Vancouver"  # the app is made in British Columbia


def daily(pain: pd.DataFrame) -> dict[str, float]:
    days = bx.pain_daily(pain)
    return {d.strftime("%Y-%m-%d"): float(v) for d, v in zip(days["date"], days["pain_mean"],
                                                             strict=True)}


def write(folder: Path, text: str, name: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the app's sample entries, as its export code writes them -----------------------------


def test_full_csv_one_line_as_the_app_writes_it():
    # comprehensive_full.csv: the app joins rows with the two characters \n, so the file
    # is one line. Date,Time are UTC (toISOString); at Vancouver (-07:00, PDT):
    # 2026-04-21 19:37Z -> 12:37 on the 21st: 9;  04-23 13:37Z -> 06:37: 8;
    # 04-25 18:37Z: 8;  04-28 17:37Z: 7;  05-01 16:37Z: 7;  05-03 12:37Z -> 05:37: 6;
    # 05-05 19:37Z: 6;  05-08 13:37Z: 5;  05-11 18:37Z: 5;  05-13 17:37Z: 4
    assert FULL_CSV.read_bytes().count(b"\n") == 0
    assert detect(FULL_CSV) == "pain_tracker"
    pain = bx.load_pain(FULL_CSV, tz=TZ)
    assert daily(pain) == {"2026-04-21": 9, "2026-04-23": 8, "2026-04-25": 8, "2026-04-28": 7,
                           "2026-05-01": 7, "2026-05-03": 6, "2026-05-05": 6, "2026-05-08": 5,
                           "2026-05-11": 5, "2026-05-13": 4}
    assert pain["utc_offset_min"].eq(-420).all()
    assert pain["timestamp"].iloc[0] == pd.Timestamp("2026-04-21 12:37")
    assert list(pain["source_line"]) == list(range(1, 11))  # entries, the header aside
    assert pain["location"].iloc[0] == "Lower Back; Right Leg; Right Hip"
    assert pain["notes"].iloc[0].startswith("Severe work injury.")
    assert pain["context"].isna().all()
    assert read_app(FULL_CSV, kind="pain", program=PROGRAM, tz=TZ).raw.line_label == "entry"


def test_the_zone_decides_the_local_day():
    # the same UTC times at Auckland (+12:00, NZST): every rating on the next day,
    # 19:37Z -> 07:37 on 22 April, 12:37Z on 3 May -> 00:37 on the 4th
    days = daily(bx.load_pain(FULL_CSV, tz="Pacific/Auckland"))
    assert days == {"2026-04-22": 9, "2026-04-24": 8, "2026-04-26": 8, "2026-04-29": 7,
                    "2026-05-02": 7, "2026-05-04": 6, "2026-05-06": 6, "2026-05-09": 5,
                    "2026-05-12": 5, "2026-05-14": 4}
    # wcb_full.json at Honolulu (-10:00): 2025-10-02T07:45Z is 21:45 on 1 October,
    # 10-09T17:20Z 07:20 on the 9th, 10-16T08:10Z 22:10 on the 15th
    assert daily(bx.load_pain(WCB_JSON, tz="Pacific/Honolulu")) == {
        "2025-10-01": 6, "2025-10-09": 5, "2025-10-15": 4}


def test_utc_times_need_the_zone():
    for path in (FULL_CSV, WCB_JSON, WCB_CSV, MINIMAL_JSON):
        with pytest.raises(LogFormatError, match="tz="):
            bx.load_pain(path)


def test_full_json_of_the_wcb_sample():
    # wcb_full.json, at Vancouver (-07:00): 2025-10-02T07:45Z -> 00:45 on 2 October: 6;
    # 2025-10-09T17:20Z -> 10:20: 5; 2025-10-16T08:10Z -> 01:10: 4
    doc = json.loads(WCB_JSON.read_text(encoding="utf-8"))
    pain = bx.load_pain(WCB_JSON, tz=TZ)
    assert len(pain) == len(doc) == 3
    assert daily(pain) == {"2025-10-02": 6, "2025-10-09": 5, "2025-10-16": 4}
    assert list(pain["location"]) == ["Lower back; Left hip", "Lower back", "Lower back"]
    assert list(pain["notes"]) == [e["notes"] for e in doc]
    assert list(pain["source_line"]) == [1, 2, 3]


def test_minimal_exports():
    # wcb_minimal.csv: Date,Time,Pain Level,Symptoms,Medication Log (the export window's
    # default): the same three ratings, no locations or notes
    pain = bx.load_pain(WCB_CSV, tz=TZ)
    assert daily(pain) == {"2025-10-02": 6, "2025-10-09": 5, "2025-10-16": 4}
    assert pain["location"].isna().all() and pain["notes"].isna().all()
    # comprehensive_minimal.json: painLevel; at Vancouver 2026-05-15T12:37:43Z -> 05:37: 4,
    # 05-18 16:37Z: 3, 05-21 19:37Z: 3, 05-23 13:37Z: 2, 05-25 18:37Z: 2, 05-27 11:37Z: 3
    doc = json.loads(MINIMAL_JSON.read_text(encoding="utf-8"))
    pain = bx.load_pain(MINIMAL_JSON, tz=TZ)
    assert len(pain) == len(doc) == 6
    assert daily(pain) == {"2026-05-15": 4, "2026-05-18": 3, "2026-05-21": 3, "2026-05-23": 2,
                           "2026-05-25": 2, "2026-05-27": 3}
    assert pain["timestamp"].iloc[0] == pd.Timestamp("2026-05-15 05:37:43")


# -- hand-written cases ------------------------------------------------------------------


def test_daily_pain_is_the_mean_and_an_id_twice_counts_once(tmp_path):
    doc = json.loads(WCB_JSON.read_text(encoding="utf-8"))
    later = dict(doc[0], id="sample-001b", timestamp="2025-10-02T20:00:00.000Z",
                 baselineData=dict(doc[0]["baselineData"], pain=3))
    path = write(tmp_path, json.dumps([*doc, later, doc[1]], indent=2), "pain-data-2025-10-20.json")
    with pytest.warns(AppReportWarning, match="1 entry written twice"):
        pain = bx.load_pain(path, tz=TZ)
    # 2 October: 6 (00:45) and 3 (13:00) -> 4.5; sample-002 written twice, counted once
    days = bx.pain_daily(pain).set_index(bx.pain_daily(pain)["date"].dt.strftime("%Y-%m-%d"))
    assert days.loc["2025-10-02", "pain_mean"] == 4.5 and days.loc["2025-10-02", "n_ratings"] == 2
    assert days.loc["2025-10-09", "n_ratings"] == 1
    assert list(pain["source_line"]) == [1, 2, 3, 4]


def test_offsets_are_kept_and_need_no_zone(tmp_path):
    doc = json.loads(MINIMAL_JSON.read_text(encoding="utf-8"))[:2]
    doc[0]["timestamp"] = "2026-05-15T23:30:00+02:00"  # 21:30 UTC: still the 15th
    doc[1]["timestamp"] = "2026-05-18T08:00:00"        # no zone: local time as written
    pain = bx.load_pain(write(tmp_path, json.dumps(doc), "offsets.json"))
    assert daily(pain) == {"2026-05-15": 4, "2026-05-18": 3}
    assert list(pain["utc_offset_min"].astype("Float64")) == [120, pd.NA]


def test_csv_with_line_breaks(tmp_path):
    text = FULL_CSV.read_text(encoding="utf-8").replace("\\n", "\r\n")
    text = text.replace("Cannot perform daily activities.", "Cannot perform\ndaily activities.")
    path = write(tmp_path, text, "pain-data-2026-05-14.csv")
    pain = bx.load_pain(path, tz=TZ)
    assert daily(pain)["2026-04-21"] == 9 and len(pain) == 10
    # the header is line 1; the first note spans lines 2-3
    assert list(pain["source_line"]) == [2, *range(4, 13)]
    assert pain["notes"].iloc[0] == "Severe work injury. Pain radiating down right leg. Cannot perform\ndaily activities."


def test_bad_values_are_problems_with_their_entry(tmp_path):
    rows = FULL_CSV.read_text(encoding="utf-8").split("\\n")
    rows[2] = rows[2].replace(",8,", ",high,", 1)           # entry 2
    rows[3] = rows[3].replace(",8,", ",11,", 1)             # entry 3
    rows[4] = rows[4].replace("2026-04-28", "2026-04-31", 1)  # entry 4: no such day
    rows[5] = rows[5].replace(",7,", ",,", 1)               # entry 5
    path = write(tmp_path, "\\n".join(rows), "bad.csv")
    with pytest.raises(LogValidationError) as info:
        bx.load_pain(path, tz=TZ)
    got = {(int(r.line), r.column, r.value) for r in info.value.problems.itertuples()}
    assert got == {(2, "pain", "high"), (3, "pain", "11"), (4, "date", "2026-04-31 17:37"),
                   (5, "pain", "")}
    assert (info.value.problems["file"] == str(path)).all()


def test_a_quote_the_app_did_not_escape(tmp_path):
    # the app writes locations as "<joined>" without doubling a quote inside: a location
    # Lower back", "left hip makes two cells of one; the note is still the last cell
    rows = FULL_CSV.read_text(encoding="utf-8").split("\\n")
    rows[1] = rows[1].replace('"Lower Back; Right Leg; Right Hip"', '"Lower back", "left hip"', 1)
    path = write(tmp_path, "\\n".join(rows), "quote.csv")
    app = read_app(path, kind="pain", program=PROGRAM, tz=TZ)
    assert app.report == [
        "1 row of the CSV had another number of cells than its header (10): a location or a "
        "symptom holding a double quote, which the app does not escape; the rating and date "
        "are read from the first cells, the notes from the last"]
    frame, problems = to_canonical(app.raw, "pain", program=PROGRAM)
    assert problems.empty and frame["pain"].iloc[0] == 9
    assert frame["notes"].iloc[0].startswith("Severe work injury.")


# -- recognising the file, and files that cannot be read ------------------------------------


def test_sniff_claims_no_other_file(tmp_path):
    others = [sample_path("sessions"), sample_path("pain")]
    others += [p for p in FIXTURES.parent.rglob("*") if p.is_file() and FIXTURES not in p.parents]
    for path in others:
        p = peek(path)
        assert p is not None and not pain_tracker.sniff(p), path
    near = write(tmp_path, "Date,Time,Pain Level,Notes\n2026-01-01,08:00,5,\n", "near.csv")
    assert not pain_tracker.sniff(peek(near))
    assert not pain_tracker.sniff(peek(write(tmp_path, '[{"timestamp": "x", "pain": 3}]', "a.json")))
    assert not pain_tracker.sniff(peek(FIXTURES / "serialise.mjs"))
    renamed = tmp_path / "diary.txt"
    renamed.write_bytes(WCB_JSON.read_bytes())
    assert detect(renamed) == "pain_tracker"


def refused(path, **kw) -> str:
    with pytest.raises(LogFormatError) as info:
        read_app(path, kind="pain", program=PROGRAM, **kw)
    err = info.value
    assert len(err.problems) == 1 and str(path) in err.problems["file"].item()
    return err.problems["problem"].item()


def test_files_that_cannot_be_read(tmp_path):
    csv_text = FULL_CSV.read_text(encoding="utf-8")
    cut = write(tmp_path, csv_text[: csv_text.index("Muscle relaxant") + 5], "cut.csv")
    assert detect(cut) == "pain_tracker"
    assert refused(cut, tz=TZ).startswith("ends inside a quoted value (the row starting at line "
                                          "1, entry 2): the file is truncated")
    renamed = write(tmp_path, csv_text.replace("Pain Level", "Pain Score", 1), "new.csv")
    assert "the header has no Pain Level: not Pain Tracker's CSV export" in refused(
        renamed, source="pain_tracker", tz=TZ)
    json_text = WCB_JSON.read_text(encoding="utf-8")
    cut = write(tmp_path, json_text[:900], "cut.json")
    assert detect(cut) == "pain_tracker" and "truncated" in refused(cut, tz=TZ)
    joined = write(tmp_path, json_text + "\n" + json_text, "joined.json")
    assert "content after the end of the JSON" in refused(joined, tz=TZ)
    empty = write(tmp_path, "", "pain-data-2026-01-01.csv")
    assert detect(empty) == "pain_tracker" and "is empty" in refused(empty)
    obj = write(tmp_path, '{"entries": []}', "obj.json")
    assert "is JSON, but not Pain Tracker's JSON export" in refused(obj, source="pain_tracker")
    changed = write(tmp_path, json_text.replace('"baselineData"', '"baseline"'), "changed.json")
    assert refused(changed, source="pain_tracker", tz=TZ).startswith("entry 1 has no timestamp and pain")
    none = write(tmp_path, "[]", "pain-data-2026-01-02.json")
    app = read_app(none, kind="pain", program=PROGRAM)
    assert len(app.raw.lines) == 0 and app.report == ["the export holds no entries"]
    with pytest.raises(LogFormatError, match="not a time zone name"):
        bx.load_pain(WCB_JSON, tz="Vancouver")
    with pytest.raises(LogFormatError, match="holds no sessions log"):
        read_app(WCB_JSON, kind="sessions", program=PROGRAM, tz=TZ)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(FULL_CSV.read_bytes())), which=st.sampled_from([FULL_CSV, WCB_JSON]))
def test_truncated_anywhere(tmp_path, cut, which):
    """The export cut anywhere: ratings, problems at their entry, or one LogFormatError."""
    path = tmp_path / ("cut" + which.suffix)
    path.write_bytes(which.read_bytes()[:cut])
    try:
        app = read_app(path, kind="pain", program=PROGRAM, source="pain_tracker", tz=TZ)
    except LogFormatError as err:
        assert len(err.problems) == 1 and str(path) in err.problems["file"].item()
        return
    frame, problems = to_canonical(app.raw, "pain", program=PROGRAM)
    assert len(frame) == len(app.raw.lines)
    assert set(problems["line"].dropna().astype(int)) <= set(app.raw.lines.tolist())
