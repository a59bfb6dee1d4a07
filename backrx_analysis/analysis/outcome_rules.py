"""The scoring rule of each questionnaire, one function each (``docs/metrics.md``,
"Function questionnaires"): ODI 2.1a (Fairbank & Pynsent 2000), RMDQ (Roland & Morris
1983), PSFS (Stratford 1995), EARS (Newman-Beinart 2017).

Each scorer takes the answered items of one questionnaire a patient filled in on one
day (:class:`Items`, from the long frame of
:func:`backrx_analysis.io.outcomes.load_outcomes`) and the program's :class:`~backrx_analysis.program.OutcomeRules`, and returns
``score`` (absent when the rules refuse), ``rule`` (how, in words), ``why_not`` (when
refused) and ``n`` (items answered). :mod:`.outcomes` puts them together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..io.outcome_fields import NOT_APPLICABLE
from ..program import OutcomeRules, normalize_name
from ._frames import TOLERANCE

__all__ = ["ODI_BANDS", "EARS_REVERSED", "SCORERS", "Items", "round_score", "odi_band", "plural"]

#: ODI bands (Fairbank & Pynsent, Spine 2000): highest index of each, and its name.
ODI_BANDS = ((20.0, "minimal disability"), (40.0, "moderate disability"),
             (60.0, "severe disability"), (80.0, "crippled"),
             (100.0, "bed-bound or exaggerating"))
#: EARS items scored 4 - answer (Newman-Beinart et al. 2017).
EARS_REVERSED = (1, 4, 6)


def round_score(x: float) -> float:
    """One decimal, halves up (35.55... -> 35.6): what every score is kept at."""
    return math.floor(x * 10 + 0.5 + TOLERANCE) / 10


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _listed(numbers) -> str:
    numbers = [str(int(n)) for n in numbers]
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"


@dataclass(frozen=True)
class Items:
    """The answered items of one questionnaire filled in on one day (numpy arrays):
    ``item`` (from 1), ``answer``, ``two`` (two boxes ticked), ``written`` (the cell
    as written, None when blank)."""

    item: np.ndarray
    answer: np.ndarray
    two: np.ndarray
    written: np.ndarray


def _odi(items: Items, rules: OutcomeRules) -> dict:
    k = len(items.item)
    missing = sorted(set(range(1, 11)) - set(items.item.tolist()))
    notes = []
    two = sorted(items.item[items.two].tolist())
    if two:
        notes.append(f"two boxes ticked in section{'s' if len(two) > 1 else ''} "
                     f"{_listed(two)}: the higher counted")
    if len(missing) > rules.odi_max_missing:
        return {"why_not": f"{plural(len(missing), 'section')} missing ({_listed(missing)}): "
                           f"more than {rules.odi_max_missing} missing is not scored",
                "rule": "; ".join([f"{k} of 10 sections answered", *notes]), "n": k}
    total = float(items.answer.sum())
    how = (f"10 sections: {total:g}/50" if not missing else
           f"{plural(len(missing), 'section')} missing (section{'s' if len(missing) > 1 else ''}"
           f" {_listed(missing)}): {total:g}/{5 * k}")
    return {"score": round_score(total / (5 * k) * 100), "rule": "; ".join([how, *notes]),
            "n": k}


def _rmdq(items: Items, rules: OutcomeRules) -> dict:
    k, yes = len(items.item), int((items.answer == 1).sum())
    missing = 24 - k
    blank = np.array([w is None for w in items.written], dtype=bool)
    notes = []
    blank_no = int(((items.answer == 0) & blank).sum())
    if blank_no:
        notes.append(f"tick-only form: {plural(blank_no, 'blank')} counted as no")
    na = sum(normalize_name(w) in NOT_APPLICABLE for w in items.written if w is not None)
    if na:
        notes.append(f"{na} answered n/a (counted as no)")
    if missing > rules.rmdq_max_missing:
        return {"why_not": f"{plural(missing, 'statement')} missing: more than "
                           f"{rules.rmdq_max_missing} are not pro-rated (a tick-only form "
                           "whose blanks mean no: rmdq_form 'tick' or rmdq_blank='no')",
                "rule": "; ".join([f"{k} of 24 statements answered", *notes]), "n": k}
    how = (f"24 statements: {yes} yes" if not missing else
           f"pro-rated: {plural(missing, 'item')} missing ({yes}/{k} x 24)")
    return {"score": float(yes) if not missing else round_score(yes / k * 24),
            "rule": "; ".join([how, *notes]), "n": k}


def _psfs(items: Items, rules: OutcomeRules) -> dict:
    k = len(items.item)
    if not k:
        return {"why_not": "no activity scored", "rule": "", "n": 0}
    how = f"mean of {k} activit{'y' if k == 1 else 'ies'}"
    if k < 3:
        how += " (the PSFS asks for 3 to 5)"
    return {"score": round_score(float(items.answer.mean())), "rule": how, "n": k}


def _ears(items: Items, rules: OutcomeRules) -> dict:
    k = len(items.item)
    missing = sorted(set(range(1, 7)) - set(items.item.tolist()))
    if missing:
        return {"why_not": f"item{'s' if len(missing) > 1 else ''} {_listed(missing)} missing: "
                           "the EARS is scored only with all 6 items answered",
                "rule": f"{k} of 6 items answered", "n": k}
    reversed_ = np.isin(items.item, EARS_REVERSED)
    total = float(np.where(reversed_, 4 - items.answer, items.answer).sum())
    return {"score": total, "rule": "6 items, 1, 4 and 6 reverse-scored (4 - answer)", "n": 6}


SCORERS = {"odi": _odi, "rmdq": _rmdq, "psfs": _psfs, "ears": _ears}


def odi_band(score: float) -> str | None:
    """The ODI band of an index (``None`` for a missing one)."""
    if score is None or np.isnan(score):
        return None
    return next(name for top, name in ODI_BANDS if score <= top + TOLERANCE)
