"""Parse date columns: the calendar day as written, the wall-clock time as written,
the UTC offset when one is written (time-of-day columns: :mod:`.times`).

Like :mod:`backrx_analysis.io.cells`, every parser works on the *distinct* values of
a column (a log of a million rows has a few hundred distinct dates) and returns,
per row, the parsed value and the reason it could not be parsed; a column Arrow
already read as dates or times is taken as it is.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from .cells import NAT, PLAUSIBLE_YEARS, arrow_type, distinct, is_arrow_string, is_blank
from .iso_dates import parse_iso
from .times import twelve_hour

__all__ = ["DateResult", "parse_dates"]


_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_SLASH = re.compile(
    r"^(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})"
    r"(?:[T ,]\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?$"
)

_DATE_ACCEPTED = (
    "accepted: ISO dates like 2026-03-02 or 2026-03-02T08:15:00+01:00, "
    "or day/month/year like 02/03/2026 (with dayfirst)"
)


_AMBIGUOUS = "ambiguous day/month order"
_MISSING_DATE = "missing date; every entry needs the day it was done"
#: distinct values from which the usual ISO forms are read all at once
_VECTOR_MIN = 64


class DateResult:
    """Per-row parse of a date column (plus an optional time column).

    ``date`` and ``timestamp`` are datetime64[ns] (NaT when unknown; ``timestamp``
    is ``None`` when the column holds no time at all), ``offset`` the
    UTC offset in minutes where ``offset_mask`` is False, ``bad`` the rows whose date
    could not be read and ``problem`` their reason (``None`` when no row is bad),
    ``ambiguous`` the rows refused only for their day/month order, ``file_problem``
    a reason that concerns the whole column.
    """

    def __init__(self, date, timestamp, offset, offset_mask, bad, problem, ambiguous,
                 file_problem=None):
        self.date = date
        self.timestamp = timestamp
        self.offset = offset
        self.offset_mask = offset_mask
        self.bad = bad
        self.problem = problem
        self.ambiguous = ambiguous
        self.file_problem: str | None = file_problem


def _offset_minutes(tz: str | None) -> float:
    if not tz:
        return math.nan
    if tz == "Z":
        return 0.0
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours = int(digits[:2])
    mins = int(digits[2:4]) if len(digits) >= 4 else 0
    if hours > 14 or mins > 59:  # the world's offsets run from -12:00 to +14:00
        raise ValueError(f"no place is {tz} from UTC")
    return sign * (hours * 60 + mins)


def _make(y: int, m: int, d: int, hh=None, mm=None, ss=None, frac=None):
    """(date, timestamp or None) or raise ValueError with the reason."""
    if not PLAUSIBLE_YEARS[0] <= y <= PLAUSIBLE_YEARS[1]:
        raise ValueError(f"year {y} is not plausible")
    day = dt.date(y, m, d)  # ValueError for 2026-02-30, month 13 ...
    if hh is None:
        return day, None
    micro = int((frac or "0")[:6].ljust(6, "0"))
    t = dt.datetime(y, m, d, int(hh), int(mm), int(ss or 0), micro)
    return day, t


def parse_dates(values: pd.Series, *, dayfirst: bool | None) -> DateResult:
    """Parse a date column; the day is the calendar day *as written* (an offset never
    moves an entry to another day). ``timestamp`` is the wall-clock time as written."""
    if arrow_type(values, "is_date"):
        return _dates_from_arrow(values)
    if values.dtype.kind == "M" and getattr(values.dtype, "tz", None) is None:
        return _dates_from_datetimes(values)
    if is_arrow_string(values):
        return _dates_from_strings(values, dayfirst)
    codes, uniques = distinct(values)
    return _result(codes, *_parse_uniques(uniques, dayfirst))


def _dates_from_strings(values: pd.Series, dayfirst: bool | None) -> DateResult:
    """An Arrow string column (timestamps, nearly all distinct): the usual ISO forms
    read for the whole column at once, the other values one distinct value at a time."""
    import pyarrow as pa

    fast = parse_iso(pa.chunked_array(values.array.__arrow_array__()))
    n = len(values)
    date, ts = fast.date.view("M8[ns]"), fast.timestamp.view("M8[ns]")
    offset, offset_mask = fast.offset, ~fast.offset_known
    bad, ambiguous = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    problem, file_problem = None, None
    rest = np.flatnonzero(~fast.ok)
    if len(rest):
        codes, uniques = distinct(values.iloc[rest].reset_index(drop=True))
        sub = _result(codes, *_parse_uniques(uniques, dayfirst))
        date[rest] = sub.date
        if sub.timestamp is not None:
            ts[rest] = sub.timestamp
        offset[rest], offset_mask[rest] = sub.offset, sub.offset_mask
        bad[rest], ambiguous[rest] = sub.bad, sub.ambiguous
        if sub.problem is not None:
            problem = np.full(n, None, dtype=object)
            problem[rest] = sub.problem
        file_problem = sub.file_problem
    return DateResult(date, None if np.isnat(ts).all() else ts, offset, offset_mask, bad,
                      problem, ambiguous, file_problem)


def _parse_uniques(uniques: np.ndarray, dayfirst: bool | None):
    """(date, timestamp, offset or NaN, problem or None, file problem) per distinct
    value. Many distinct strings: the usual ISO forms are read all at once first."""
    n_u = len(uniques)
    u_date = np.full(n_u, NAT)
    u_ts = np.full(n_u, NAT)
    u_off = np.full(n_u, np.nan)
    u_prob = np.full(n_u, None, dtype=object)
    done = np.zeros(n_u, dtype=bool)
    if n_u >= _VECTOR_MIN and all(isinstance(u, str) for u in uniques):
        import pyarrow as pa

        fast = parse_iso(pa.array(uniques, type=pa.large_string()))
        done = fast.ok
        u_date[done] = fast.date[done].view("M8[ns]")
        u_ts[done] = fast.timestamp[done].view("M8[ns]")
        u_off[done & fast.offset_known] = fast.offset[done & fast.offset_known]
    slash: list[tuple[int, re.Match]] = []

    for i, v in enumerate(uniques):
        if done[i]:
            continue
        if is_blank(v):  # "" or whitespace (JSON, Parquet, spreadsheets): an empty cell
            u_prob[i] = _MISSING_DATE
            continue
        try:
            if isinstance(v, pd.Timestamp | dt.datetime):
                ts = pd.Timestamp(v)
                if ts.tzinfo is not None:
                    u_off[i] = ts.utcoffset().total_seconds() / 60
                    ts = ts.tz_localize(None)  # wall time as written
                u_date[i] = np.datetime64(ts.normalize().to_datetime64(), "ns")
                if ts != ts.normalize():
                    u_ts[i] = np.datetime64(ts.to_datetime64(), "ns")
                continue
            if isinstance(v, dt.date):
                u_date[i] = np.datetime64(v, "ns")
                continue
            if isinstance(v, bool | int | float | np.number):
                u_prob[i] = f"a number is not a date; {_DATE_ACCEPTED}"
                continue
            s = str(v).strip()
            m = _ISO.match(s)
            if m:
                y, mo, d, hh, mi, ss, frac, tz = m.groups()
                day, t = _make(int(y), int(mo), int(d), hh, mi, ss, frac)
                u_date[i] = np.datetime64(day, "ns")
                if t is not None:
                    u_ts[i] = np.datetime64(t, "ns")
                u_off[i] = _offset_minutes(tz)
                continue
            m = _SLASH.match(s)
            if m:
                slash.append((i, m))
                continue
            if re.search(r"[A-Za-z]", s) and len(s) <= 40:
                # "2 March 2026", "Mar 2, 2026 8:15" - unambiguous month names
                from dateutil import parser as du

                parsed = du.parse(s, dayfirst=bool(dayfirst))
                ts = pd.Timestamp(parsed)
                if ts.tzinfo is not None:
                    u_off[i] = ts.utcoffset().total_seconds() / 60
                    ts = ts.tz_localize(None)
                u_date[i] = np.datetime64(ts.normalize().to_datetime64(), "ns")
                if ts != ts.normalize() or re.search(r"\d:\d", s):
                    u_ts[i] = np.datetime64(ts.to_datetime64(), "ns")
                continue
            u_prob[i] = f"not a date; {_DATE_ACCEPTED}"
        except (ValueError, OverflowError) as exc:
            u_prob[i] = f"impossible date ({exc}); {_DATE_ACCEPTED}"

    file_problem = _parse_slash(slash, dayfirst, u_date, u_ts, u_prob) if slash else None
    return u_date, u_ts, u_off, u_prob, file_problem


def _result(codes, u_date, u_ts, u_off, u_prob, file_problem) -> DateResult:
    """Per row from per distinct value (``codes``: -1 for an empty cell)."""
    u_bad = np.array([p is not None for p in u_prob] + [True], dtype=bool)
    u_amb = np.array([p == _AMBIGUOUS for p in u_prob] + [False], dtype=bool)
    u_off = np.append(u_off, np.nan)
    u_off_mask = np.isnan(u_off)
    u_off_int = np.round(np.nan_to_num(u_off)).astype(np.int32)
    u_prob = np.append(u_prob, _MISSING_DATE)
    bad = u_bad[codes]
    any_bad = bad.any()
    n = len(codes)
    return DateResult(
        date=np.append(u_date, NAT)[codes],
        timestamp=np.append(u_ts, NAT)[codes] if not np.isnat(u_ts).all() else None,
        offset=u_off_int[codes] if not u_off_mask.all() else np.zeros(n, dtype=np.int32),
        offset_mask=u_off_mask[codes] if not u_off_mask.all() else np.ones(n, dtype=bool),
        bad=bad,
        problem=u_prob[codes] if any_bad else None,
        ambiguous=u_amb[codes] if any_bad else np.zeros(n, dtype=bool),
        file_problem=file_problem,
    )


_DAY_NS = 86_400 * 10**9


def _dates_from_arrow(values: pd.Series) -> DateResult:
    """An Arrow date column (an ISO date column read by Arrow): days, no times."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.chunked_array(values.array.__arrow_array__())
    stamps = pc.cast(arr, pa.timestamp("ns")).to_numpy(zero_copy_only=False)
    if arr.null_count < len(arr):
        lo, hi = (d.as_py().year for d in pc.min_max(arr).values())
        if not (PLAUSIBLE_YEARS[0] <= lo and hi <= PLAUSIBLE_YEARS[1]):
            return _dates_from_datetimes(pd.Series(stamps))  # finds and explains them
    n = len(stamps)
    bad = np.isnat(stamps) if arr.null_count else np.zeros(n, dtype=bool)
    return DateResult(stamps, None, np.zeros(n, dtype=np.int32), np.ones(n, dtype=bool), bad,
                      np.where(bad, _MISSING_DATE, None) if arr.null_count else None,
                      np.zeros(n, dtype=bool))


def _dates_from_datetimes(values: pd.Series) -> DateResult:
    """A column already holding (time-zone-naive) datetimes: an ISO date column read
    by Arrow, or a DataFrame's. The day is the date part; a time other than
    midnight is the timestamp."""
    stamps = values.to_numpy(dtype="M8[ns]")
    n = len(stamps)
    i8 = stamps.view("i8")
    bad = np.isnat(stamps)
    into_day = i8 % _DAY_NS  # a NaT's is garbage, and masked below
    has_time = ~bad & (into_day != 0)
    if has_time.any():
        date = np.where(has_time, i8 - into_day, i8).view("M8[ns]")
        timestamp = np.where(has_time, stamps, NAT)
    else:
        date, timestamp = stamps, None
    problem = None
    if bad.any():
        problem = np.where(bad, _MISSING_DATE, None)
    lo, hi = (np.datetime64(f"{y}-01-01", "ns") for y in (PLAUSIBLE_YEARS[0], PLAUSIBLE_YEARS[1] + 1))
    first = np.min(i8, where=~bad, initial=np.iinfo(np.int64).max)
    last = np.max(i8, where=~bad, initial=np.iinfo(np.int64).min)
    if first < lo.view("i8") or last >= hi.view("i8"):
        wrong = ~bad & ((date < lo) | (date >= hi))
        bad = bad | wrong
        problem = np.where(wrong, f"impossible date (the year is not plausible); {_DATE_ACCEPTED}",
                           problem if problem is not None else None)
    return DateResult(date, timestamp, np.zeros(n, dtype=np.int32), np.ones(n, dtype=bool), bad,
                      problem, np.zeros(n, dtype=bool))


def _parse_slash(slash, dayfirst, u_date, u_ts, u_prob) -> str | None:
    """Day/month/year or month/day/year: decided by ``dayfirst`` or, when not given,
    by the data (a first field above 12 means day first, a second above 12 month
    first). Dotted dates (``02.03.2026``) are day first: every locale that writes
    dates with dots puts the day first, none the month. Returns a file-level problem
    when the data cannot decide."""
    parts, seps = [], set()
    for i, m in slash:
        a, sep, b, c, hh, mi, ss, ampm = m.groups()
        parts.append((i, a, b, c, hh, mi, ss, ampm))
        if len(a) != 4:
            seps.add(sep)
    year_first = [p for p in parts if len(p[1]) == 4]
    other = [p for p in parts if len(p[1]) != 4]
    if dayfirst is None and other and seps == {"."}:
        dayfirst = True
    if dayfirst is None and other:
        first_big = any(int(p[1]) > 12 for p in other)
        second_big = any(int(p[2]) > 12 for p in other)
        ambiguous = any(int(p[1]) != int(p[2]) for p in other)
        if first_big and not second_big:
            dayfirst = True
        elif second_big and not first_big:
            dayfirst = False
        elif first_big and second_big:
            for p in other:
                u_prob[p[0]] = (
                    "dates in this column put the day first in some rows and the month "
                    "first in others; write them all one way (ISO 2026-03-02 is safest)"
                )
            return None
        elif ambiguous:
            example = next(p for p in other if int(p[1]) != int(p[2]))
            ex = f"{example[1]}/{example[2]}/{example[3]}"
            for p in other:
                u_prob[p[0]] = _AMBIGUOUS
            return (
                f"dates like {ex} could be day/month/year or month/day/year and the file "
                "does not decide it; load with dayfirst=True (day/month/year) or "
                "dayfirst=False (month/day/year), or --dayfirst / --monthfirst on the command line"
            )
        else:
            dayfirst = True  # every date has day == month: the order does not matter
    for i, a, b, c, hh, mi, ss, ampm in year_first + other:
        try:
            if len(a) == 4:
                y, mo, d = int(a), int(b), int(c)
            else:
                y = int(c)
                if len(c) <= 2:
                    y += 2000
                elif len(c) != 4:
                    raise ValueError(f"year {c!r}")
                d, mo = (int(a), int(b)) if dayfirst else (int(b), int(a))
            hour = twelve_hour(int(hh), ampm) if hh is not None else None
            day, t = _make(y, mo, d, hour, mi, ss)
            u_date[i] = np.datetime64(day, "ns")
            if t is not None:
                u_ts[i] = np.datetime64(t, "ns")
        except ValueError as exc:
            u_prob[i] = f"impossible date ({exc}); {_DATE_ACCEPTED}"
    return None
