"""The raw table every reader returns, and what the readers share.

:class:`RawTable` is the first half of loading's result (cells as read, with the
line or row each came from); :mod:`backrx_analysis.io.readers` makes one from any
supported format, :mod:`backrx_analysis.io.validate` turns it into a canonical frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import blank_mask

__all__ = ["RawTable", "ColumnKinds", "no_kinds", "drop_blank_rows"]


@dataclass
class RawTable:
    """Cells as read, one column per header, plus where each row came from.

    ``frame`` has positional columns named by the header texts (duplicates made
    unique only in :attr:`headers` order); ``lines`` holds, per row, the line (CSV),
    row (spreadsheet) or record number (JSON, Parquet, DataFrame) as a person finds it.
    """

    frame: pd.DataFrame
    lines: np.ndarray
    source: str
    headers: list[str]
    line_label: str = "line"
    decimal_comma: bool = False
    header_line: int = 1


#: Given the header texts: column position -> how to read it (a kind of
#: :data:`backrx_analysis.io.arrow_csv.KINDS`); columns left out are numbers.
ColumnKinds = Callable[[list[str]], dict[int, str]]


def no_kinds(headers: list[str]) -> dict[int, str]:
    return {}



def drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with every cell empty are blank lines (e.g. ``,,,,`` from a spreadsheet)."""
    if frame.empty:
        return frame
    blank = np.ones(len(frame), dtype=bool)
    # typed columns first: one with no empty cell settles it at the cost of a count
    typed = [c for c in frame.columns if frame[c].dtype.kind in "biufmM"
             or isinstance(frame[c].dtype, pd.ArrowDtype)]
    for col in typed + [c for c in frame.columns if c not in typed]:
        blank &= blank_mask(frame[col])  # missing or whitespace, whatever the dtype
        if not blank.any():
            return frame
    return frame[~blank]
