"""The whole-column ISO reader (backrx_analysis.io.iso_dates) agrees with the
per-value date parser, value by value: the same day, wall-clock time and offset for
what it reads, and every value it does not read left to that parser, which then
explains it in its own words (an offset of +15:00, a 30 February, a year 1850)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backrx_analysis.io import dates, iso_dates
from backrx_analysis.io.iso_dates import parse_iso

READ = [
    "2026-03-02", "2026-03-02T23:45:00-05:00", "2026-03-02 23:45", "2026-03-02T23:45Z",
    "2026-03-02T23:45:59+0530", "2026-03-02T23:45+01", "2026-03-02T00:00:00+14:00",
    "2026-03-02T23:45:00-14:59", "2024-02-29T10:00", "2000-02-29", "1900-01-01T00:00",
    "2200-12-31T23:59:59Z", "2026-03-02T07:05:09-00:00",
]
LEFT = [
    "2026-03-02T23:45:00+15:00", "2026-03-02T23:45:00+05:60", "2026-02-29T10:00", "1900-02-29",
    "2100-02-29", "1899-12-31", "2201-01-01", "2026-13-01", "2026-00-10", "2026-04-31",
    "2026-03-00", "2026-03-02T24:00", "2026-03-02T23:60", "2026-03-02T23:59:60", " 2026-03-02",
    "2026-03-02 ", "2026-03-02T10:00:00.5+01:00", "2026-3-2", "2026-03-02Z", "2026-03-02x10:00",
    "2026-03-02T10:00+1", "\u0662\u0660\u0662\u0666-03-02", "0x10", "date", "",
    "2026-03-02T10:00:00+05:30:00", "02/03/2026", "2026/03/02", "2026-03-02T1:00",
]


def _everything_by_value(monkeypatch) -> None:
    """The reference: the whole-column reader reads nothing, so every value goes
    through the per-value parser."""
    def nothing(arr):
        return iso_dates.IsoParse(len(arr))

    monkeypatch.setattr(dates, "parse_iso", nothing)


def _same(got: dates.DateResult, want: dates.DateResult) -> None:
    n = len(want.date)
    nat = np.full(n, np.datetime64("NaT", "ns"))
    np.testing.assert_array_equal(got.date, want.date)
    np.testing.assert_array_equal(nat if got.timestamp is None else got.timestamp,
                                  nat if want.timestamp is None else want.timestamp)
    np.testing.assert_array_equal(got.offset_mask, want.offset_mask)
    np.testing.assert_array_equal(np.where(got.offset_mask, 0, got.offset),
                                  np.where(want.offset_mask, 0, want.offset))
    np.testing.assert_array_equal(got.bad, want.bad)
    none = np.full(n, None, dtype=object)
    assert list(none if got.problem is None else got.problem) == list(
        none if want.problem is None else want.problem)
    np.testing.assert_array_equal(got.ambiguous, want.ambiguous)
    assert got.file_problem == want.file_problem


def _both_ways(values: list, monkeypatch) -> None:
    """An Arrow string column and an object column (many distinct values: read all
    at once, too) give what the per-value parser gives."""
    columns = [pd.Series(values, dtype="string"), pd.Series(values, dtype=object)]
    got = [dates.parse_dates(c, dayfirst=None) for c in columns]
    with monkeypatch.context() as m:
        _everything_by_value(m)
        want = dates.parse_dates(columns[1], dayfirst=None)
    for g in got:
        _same(g, want)


def test_read_and_left_values(monkeypatch):
    fast = parse_iso(pd.Series(READ + LEFT, dtype="string").array.__arrow_array__())
    assert fast.ok.tolist() == [True] * len(READ) + [False] * len(LEFT)
    _both_ways((READ + LEFT) * 3, monkeypatch)  # > 64 distinct values: the vector path


def test_the_day_as_written_not_utc():
    fast = parse_iso(pd.Series(["2026-03-02T23:45:00-05:00", "2026-03-03T00:30+09:00"],
                               dtype="string").array.__arrow_array__())
    assert fast.date.view("M8[ns]").astype("M8[D]").astype(str).tolist() == [
        "2026-03-02", "2026-03-03"]
    assert fast.timestamp.view("M8[ns]").astype(str).tolist() == [
        "2026-03-02T23:45:00.000000000", "2026-03-03T00:30:00.000000000"]
    assert fast.offset.tolist() == [-300, 540]


def test_blocks_and_lengths(monkeypatch):
    """One length (the matrix read a block at a time), mixed lengths and missing
    values (gathered per length), with blocks smaller than the column."""
    monkeypatch.setattr(iso_dates, "_CHUNK", 7)
    uniform = [f"2026-03-{d:02d}T{h:02d}:15:00+01:00" for d in range(1, 29) for h in (0, 23)]
    uniform[40] = "2026-03-30T25:15:00+01:00"  # one bad value of the same length
    _both_ways(uniform, monkeypatch)
    _both_ways([*uniform, None, "2026-03-02", "2026-03-02T10:00Z", "x" * 40], monkeypatch)


_zones = st.sampled_from(["", "Z", "+01:00", "-05:00", "+0530", "+05", "-12:00", "+14:00",
                          "+15:00", "-14:59", "+05:60", "+1", "+01:00:00", "z"])


@st.composite
def _stamps(draw) -> str:
    y = draw(st.sampled_from([1899, 1900, 2000, 2024, 2026, 2100, 2200, 2201, 999, 9999]))
    mo, d = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    text = f"{y:04d}-{mo:02d}-{d:02d}"
    if draw(st.booleans()):
        sep = draw(st.sampled_from(["T", " ", "t", "_"]))
        hh, mi = draw(st.integers(0, 25)), draw(st.integers(0, 61))
        text += f"{sep}{hh:02d}:{mi:02d}"
        if draw(st.booleans()):
            text += f":{draw(st.integers(0, 61)):02d}"
        text += draw(_zones)
    if draw(st.integers(0, 9)) == 0:
        text = draw(st.sampled_from([" ", "\t", "x"])) + text
    return text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_stamps(), st.none(), st.text(max_size=26)), min_size=1,
                max_size=80))
def test_any_column_agrees_with_the_per_value_parser(values):
    with pytest.MonkeyPatch.context() as m:
        _both_ways(values, m)
