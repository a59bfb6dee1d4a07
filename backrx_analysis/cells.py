"""Parse the cells of a raw table: dates, times, numbers, names.

Every parser works on the *distinct* values of a column (a log of a million rows
has a few hundred distinct dates) and returns, per row, the parsed value and the
reason it could not be parsed, so that every bad cell becomes one problem row.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

__all__ = ["distinct", "blank_mask", "parse_dates", "parse_times", "parse_numbers", "parse_text", "DateResult"]

NAT = np.datetime64("NaT", "ns")


def distinct(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques): ``uniques[codes]`` is the column, code -1 is empty."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(), np.asarray(s.cat.categories, dtype=object)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def blank_mask(s: pd.Series) -> np.ndarray:
    """Per row: the cell is empty (missing, or only whitespace), whatever the dtype
    (object, string, categorical or numeric)."""
    codes, uniques = distinct(s)
    u_blank = np.array([_blank(u) for u in uniques] + [True], dtype=bool)
    return u_blank[codes]


def _blank(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


# -- dates ------------------------------------------------------------------------------

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_SLASH = re.compile(
    r"^(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})"
    r"(?:[T ,]\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?$"
)
_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?$")

_DATE_ACCEPTED = (
    "accepted: ISO dates like 2026-03-02 or 2026-03-02T08:15:00+01:00, "
    "or day/month/year like 02/03/2026 (with dayfirst)"
)


_AMBIGUOUS = "ambiguous day/month order"
_MISSING_DATE = "missing date; every entry needs the day it was done"


class DateResult:
    """Per-row parse of a date column (plus an optional time column)."""

    def __init__(self, n: int):
        self.date = np.full(n, NAT)
        self.timestamp = np.full(n, NAT)
        self.offset = np.zeros(n, dtype=np.int32)
        self.offset_mask = np.ones(n, dtype=bool)
        self.problem = np.full(n, None, dtype=object)  # reason per row, None = fine
        self.bad = np.zeros(n, dtype=bool)
        self.ambiguous = np.zeros(n, dtype=bool)
        self.file_problem: str | None = None


def _offset_minutes(tz: str | None) -> float:
    if not tz:
        return math.nan
    if tz == "Z":
        return 0.0
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours = int(digits[:2])
    mins = int(digits[2:4]) if len(digits) >= 4 else 0
    return sign * (hours * 60 + mins)


def _make(y: int, m: int, d: int, hh=None, mm=None, ss=None, frac=None):
    """(date, timestamp or None) or raise ValueError with the reason."""
    if y < 1900 or y > 2200:
        raise ValueError(f"year {y} is not plausible")
    day = dt.date(y, m, d)  # ValueError for 2026-02-30, month 13 ...
    if hh is None:
        return day, None
    micro = int((frac or "0")[:6].ljust(6, "0"))
    t = dt.datetime(y, m, d, int(hh), int(mm), int(ss or 0), micro)
    return day, t


def _twelve(hh: int, ampm: str | None) -> int:
    if not ampm:
        return hh
    if hh < 1 or hh > 12:
        raise ValueError(f"hour {hh} with {ampm}")
    pm = ampm.lower().startswith("p")
    return (hh % 12) + (12 if pm else 0)


def parse_dates(values: pd.Series, *, dayfirst: bool | None) -> DateResult:
    """Parse a date column; the day is the calendar day *as written* (an offset never
    moves an entry to another day). ``timestamp`` is the wall-clock time as written."""
    codes, uniques = distinct(values)
    n_u = len(uniques)
    u_date = np.full(n_u, NAT)
    u_ts = np.full(n_u, NAT)
    u_off = np.full(n_u, np.nan)
    u_prob = np.full(n_u, None, dtype=object)
    slash: list[tuple[int, re.Match]] = []

    for i, v in enumerate(uniques):
        if _blank(v):  # "" or whitespace (JSON, Parquet, spreadsheets): an empty cell
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

    res = DateResult(len(codes))
    if slash:
        res.file_problem = _parse_slash(slash, dayfirst, u_date, u_ts, u_prob)

    u_bad = np.array([p is not None for p in u_prob] + [True], dtype=bool)
    u_amb = np.array([p == _AMBIGUOUS for p in u_prob] + [False], dtype=bool)
    u_date = np.append(u_date, NAT)
    u_ts = np.append(u_ts, NAT)
    u_off = np.append(u_off, np.nan)
    u_off_mask = np.isnan(u_off)
    u_off_int = np.round(np.nan_to_num(u_off)).astype(np.int32)
    u_prob = np.append(u_prob, _MISSING_DATE)
    res.date = u_date[codes]
    res.timestamp = u_ts[codes]
    res.offset = u_off_int[codes]
    res.offset_mask = u_off_mask[codes]
    res.bad = u_bad[codes]
    res.ambiguous = u_amb[codes]
    if res.bad.any():
        res.problem = u_prob[codes]
    return res


def _parse_slash(slash, dayfirst, u_date, u_ts, u_prob) -> str | None:
    """Day/month/year or month/day/year: decided by ``dayfirst`` or, when not given,
    by the data (a first field above 12 means day first, a second above 12 month
    first). Returns a file-level problem when the data cannot decide."""
    parts = []
    for i, m in slash:
        a, sep, b, c, hh, mi, ss, ampm = m.groups()
        parts.append((i, a, b, c, hh, mi, ss, ampm))
    year_first = [p for p in parts if len(p[1]) == 4]
    other = [p for p in parts if len(p[1]) != 4]
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
            hour = _twelve(int(hh), ampm) if hh is not None else None
            day, t = _make(y, mo, d, hour, mi, ss)
            u_date[i] = np.datetime64(day, "ns")
            if t is not None:
                u_ts[i] = np.datetime64(t, "ns")
        except ValueError as exc:
            u_prob[i] = f"impossible date ({exc}); {_DATE_ACCEPTED}"
    return None


def parse_times(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time-of-day column -> (timedelta64[ns] since midnight or NaT, problem per row,
    bad mask)."""
    codes, uniques = distinct(values)
    u_td = np.full(len(uniques), np.timedelta64("NaT", "ns"))
    u_prob = np.full(len(uniques), None, dtype=object)
    for i, v in enumerate(uniques):
        if _blank(v):  # a whitespace-only cell is an empty one
            continue
        try:
            if isinstance(v, dt.time):
                secs = v.hour * 3600 + v.minute * 60 + v.second
            elif isinstance(v, dt.datetime | pd.Timestamp):
                secs = v.hour * 3600 + v.minute * 60 + v.second
            else:
                m = _TIME.match(str(v).strip())
                if not m:
                    raise ValueError("not a time")
                hh, mi, ss, ampm = m.groups()
                hour = _twelve(int(hh), ampm)
                if hour > 23 or int(mi) > 59 or int(ss or 0) > 59:
                    raise ValueError("no such time")
                secs = hour * 3600 + int(mi) * 60 + int(ss or 0)
            u_td[i] = np.timedelta64(secs, "s").astype("m8[ns]")
        except (ValueError, TypeError) as exc:
            u_prob[i] = f"{exc}; accepted: a time of day like 08:15, 8:15 pm or 20:15:30"
    u_td = np.append(u_td, np.timedelta64("NaT", "ns"))
    u_prob = np.append(u_prob, None)
    u_bad = np.array([p is not None for p in u_prob], dtype=bool)
    bad = u_bad[codes]
    return u_td[codes], (u_prob[codes] if bad.any() else u_prob[-1:].repeat(0)), bad


# -- numbers ----------------------------------------------------------------------------


def parse_numbers(values: pd.Series, *, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Column -> (float64 values with NaN for empty, bad mask: written but not a finite
    number). Numbers are taken as written: ``"2,5"`` is 2.5 only in a ``;`` file."""
    if pd.api.types.is_bool_dtype(values.dtype):
        out = np.full(len(values), np.nan)
        return out, values.notna().to_numpy()
    if pd.api.types.is_numeric_dtype(values.dtype) and not isinstance(
        values.dtype, pd.CategoricalDtype
    ):
        out = values.to_numpy(dtype="float64", na_value=np.nan)
        return out, np.isinf(out)
    codes, uniques = distinct(values)
    u_val = np.full(len(uniques), np.nan)
    u_bad = np.zeros(len(uniques), dtype=bool)
    for i, v in enumerate(uniques):
        if isinstance(v, bool | np.bool_) or isinstance(v, dt.date | dt.time):
            u_bad[i] = True
            continue
        if isinstance(v, int | float | np.number):
            f = float(v)
        else:
            s = str(v).strip().replace("\u2212", "-")
            if not s:
                continue
            if decimal_comma:
                s = s.replace(",", ".")
            try:
                f = float(s)
            except ValueError:
                u_bad[i] = True
                continue
        if math.isfinite(f):
            u_val[i] = f
        else:
            u_bad[i] = True
    ok = codes >= 0
    out = np.full(len(codes), np.nan)
    bad = np.zeros(len(codes), dtype=bool)
    out[ok] = u_val[codes[ok]]
    bad[ok] = u_bad[codes[ok]]
    return out, bad


def _text(v: object) -> object:
    if _blank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def strings_from_codes(codes: np.ndarray, uniques: list | np.ndarray) -> pd.Series:
    """A nullable ``string`` Series ``uniques[codes]`` (code -1 or a None unique -> NA),
    built through Arrow's dictionary cast (fast for a million rows)."""
    import pyarrow as pa

    u = pa.array(list(uniques), type=pa.string())
    codes = np.asarray(codes, dtype=np.int32)
    d = pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), u)
    arr = d.cast(pa.string())
    if pd.StringDtype().storage == "pyarrow":
        return pd.Series(pd.arrays.ArrowStringArray(arr))
    return pd.Series(arr.to_pandas(), dtype="string")


def parse_text(values: pd.Series) -> pd.Series:
    """Column -> nullable ``string`` Series, stripped, empty -> NA."""
    codes, uniques = distinct(values)
    return strings_from_codes(codes, [_text(v) for v in uniques])
