"""Entries found again in a later file of those loaded together (the same export
loaded twice, or overlapping exports): counted, and warned about, dropped or
refused as the caller asks (``duplicates=`` of the loaders in :mod:`.load`)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import LogValidationError

__all__ = ["DUPLICATES", "DuplicateEntriesWarning", "handle_duplicates"]


class DuplicateEntriesWarning(UserWarning):
    """The same entries were found in more than one of the files loaded together."""


DUPLICATES = ("warn", "drop", "error")


def _cross_file_duplicates(frame: pd.DataFrame, sizes: list[int]) -> pd.Series:
    """True for an entry identical (every column but ``source``/``source_line``) to one
    of an *earlier* file: the same export loaded twice, or overlapping exports.
    Identical entries within one file are the person's own (two sets of the same
    exercise) and are not duplicates; the n-th copy in a later file matches the
    n-th copy in an earlier one."""
    key = [c for c in frame.columns if c not in ("source", "source_line")]
    keyed = frame[key].astype(object).where(frame[key].notna(), None)
    keyed["_src"] = np.repeat(np.arange(len(sizes)), sizes)
    keyed["_n"] = keyed.groupby([*key, "_src"], dropna=False, sort=False).cumcount()
    return keyed.duplicated(subset=[*key, "_n"], keep="first")


def handle_duplicates(frame: pd.DataFrame, duplicates: str, sizes: list[int]) -> pd.DataFrame:
    """Warn about, drop or refuse (``duplicates``) the entries of a frame loaded from
    several files that repeat an earlier file's; ``sizes``: the number of entries
    each loaded file gave, in order. ``frame.attrs["duplicates"]`` holds the count."""
    if duplicates not in DUPLICATES:
        raise ValueError(f"duplicates must be one of {DUPLICATES}, got {duplicates!r}")
    frame.attrs["duplicates"] = 0
    if len(sizes) < 2 or frame.empty:
        return frame
    dup = _cross_file_duplicates(frame, sizes).to_numpy()
    n = int(dup.sum())
    frame.attrs["duplicates"] = n
    if not n:
        return frame
    where = frame.loc[dup, ["source", "source_line"]]
    first = ", ".join(f"{s} line {ln}" for s, ln in where.head(3).itertuples(index=False))
    more = f" and {n - 3} more" if n > 3 else ""
    what = (f"{n} entr{'y' if n == 1 else 'ies'} appear{'s' if n == 1 else ''} in more than one "
            f"of the files loaded ({first}{more}): the same export loaded twice, or "
            "overlapping exports")
    if duplicates == "error":
        raise LogValidationError(pd.DataFrame({
            "file": where["source"].astype(str).to_numpy(), "line": where["source_line"].to_numpy(),
            "column": "", "value": "",
            "problem": "the same entry is already in an earlier file"}))
    if duplicates == "drop":
        warnings.warn(f"{what}; dropped {n} (duplicates='drop')", DuplicateEntriesWarning,
                      stacklevel=3)
        out = frame[~dup].reset_index(drop=True)
        out.attrs["duplicates"] = n
        out.attrs["duplicates_dropped"] = n
        return out
    warnings.warn(f"{what}; kept them all: pass duplicates='drop' to drop the later copies",
                  DuplicateEntriesWarning, stacklevel=3)
    return frame
