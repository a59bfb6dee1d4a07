"""The columns of a pain log: the rating on its scale (the 0-10 NRS unless a
``scale`` column says otherwise), its context and location.

A rating is checked against its own scale's points (``bearable``: 0 to 4); a
``scale`` cell that names no scale of :data:`backrx_analysis.scales.SCALES` is a
problem, a blank one is the NRS.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..program import Program, normalize_name
from ..scales import NRS, SCALES
from .cells import distinct, parse_numbers, parse_text
from .fields import _float, header_of, no_text

__all__ = ["pain_columns"]


def _scales(raw, hm, probs) -> tuple[pd.Categorical, np.ndarray, np.ndarray, list[str]]:
    """Per rating: its scale (``nrs`` where there is no scale column or the cell is
    blank) and the scale's lowest and highest point; and what each scale accepts, in
    the order of the categories (for problems)."""
    n = len(raw.frame)
    keys = list(SCALES)
    if "scale" in hm.fields:
        pos = hm.fields["scale"]
        codes, uniques = distinct(raw.frame[pos])
        u_code = np.zeros(len(uniques) + 1, dtype=np.int8)  # blank / missing: NRS
        unknown = np.zeros(len(uniques) + 1, dtype=bool)
        for i, u in enumerate(uniques):
            word = str(u).strip()
            if not word:
                continue
            key = next((k for k in keys if normalize_name(k) == normalize_name(word)), None)
            if key is None:
                unknown[i] = True
            else:
                u_code[i] = keys.index(key)
        probs.add(unknown[codes], header_of(raw, pos), raw.frame[pos],
                  f"unknown pain scale; accepted: {', '.join(keys)} (empty: nrs)")
        code = u_code[codes]
    else:
        code = np.zeros(n, dtype=np.int8)
    scales = [SCALES[k] for k in keys]
    low = np.array([s.low for s in scales], dtype=float)[code]
    high = np.array([s.high for s in scales], dtype=float)[code]
    words = [_SCALE_WORDS.get(s.key, s.accepted) for s in scales]
    return pd.Categorical.from_codes(code, categories=keys, validate=False), low, high, words


_SCALE_WORDS = {NRS: "pain is rated 0 (no pain) to 10 (worst imaginable)"}  # as it always was


def pain_columns(raw, hm, probs, program: Program) -> tuple[dict, None]:
    """The columns of a pain log past the shared ones (every row is kept)."""
    n = len(raw.frame)
    pos = hm.fields["pain"]
    col = raw.frame[pos]
    vals, bad = parse_numbers(col, decimal_comma=raw.decimal_comma)
    header = header_of(raw, pos)
    scale, low, high, accepted = _scales(raw, hm, probs)
    code = scale.codes

    def reason(what: str) -> str | np.ndarray:  # a row's own scale says what it accepts
        if not (code != code[0]).any():
            return f"{what}; {accepted[code[0]] if len(code) else accepted[0]}"
        return np.array([f"{what}; {a}" for a in accepted], dtype=object)[code]

    if bad.any():
        probs.add(bad, header, col, reason("not a number"))
    missing = np.isnan(vals) & ~bad
    if missing.any():
        probs.add(missing, header, col, reason("missing pain rating"))
    with np.errstate(invalid="ignore"):
        out_of = ~np.isnan(vals) & ((vals < low) | (vals > high))
    if out_of.any():
        probs.add(out_of, header, col, reason("outside the scale"))
    cols = {"pain": _float(np.where(out_of, np.nan, vals)), "scale": scale}
    for f in ("context", "location"):
        cols[f] = parse_text(raw.frame[hm.fields[f]]) if f in hm.fields else no_text(n)
    return cols, None
