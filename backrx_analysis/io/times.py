"""Parse time-of-day columns (``08:15``, ``8:15 pm``, ``20:15:30``) into the time
since midnight, collecting a reason for every value that is not a time.

Like :mod:`.dates`, the parser works on the *distinct* values of a column; a column
Arrow already read as times (``HH:MM``) is taken as it is.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from .cells import arrow_type, distinct, is_blank

__all__ = ["parse_times", "twelve_hour"]

_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?$")
_NAT_I8 = np.iinfo(np.int64).min


def twelve_hour(hh: int, ampm: str | None) -> int:
    """A 12-hour clock's hour with its am/pm (none: a 24-hour one) -> 0-23."""
    if not ampm:
        return hh
    if hh < 1 or hh > 12:
        raise ValueError(f"hour {hh} with {ampm}")
    pm = ampm.lower().startswith("p")
    return (hh % 12) + (12 if pm else 0)


def parse_times(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time-of-day column -> (timedelta64[ns] since midnight or NaT, problem per row,
    bad mask)."""
    if arrow_type(values, "is_time"):  # an HH:MM column read by Arrow: valid times
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pc.cast(pa.chunked_array(values.array.__arrow_array__()), pa.time64("ns"))
        td = pc.cast(arr, pa.int64()).fill_null(_NAT_I8).to_numpy().view("m8[ns]")
        return td, np.full(0, None, dtype=object), np.zeros(len(td), dtype=bool)
    codes, uniques = distinct(values)
    u_td = np.full(len(uniques), np.timedelta64("NaT", "ns"))
    u_prob = np.full(len(uniques), None, dtype=object)
    for i, v in enumerate(uniques):
        if is_blank(v):  # a whitespace-only cell is an empty one
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
                hour = twelve_hour(int(hh), ampm)
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
