"""Questionnaire answers -> scores by their stated rules, and their change over time.

:func:`score_outcomes` scores each questionnaire a patient filled in on a day (ODI 2.1a,
RMDQ, PSFS, EARS), saying in ``rule`` how, and in ``why_not`` why not when the rules
refuse; :func:`outcomes_trend` adds the change from the patient's first scored date of
that questionnaire and whether it is a change that matters (thresholds from
``program.outcomes``). Every rule is written down in ``docs/metrics.md``, "Function
questionnaires". The input is the long frame of
:func:`backrx_analysis.io.outcomes.load_outcomes`.

Examples
--------
>>> import pandas as pd
>>> from backrx_analysis.analysis.outcomes import score_outcomes
>>> odi = pd.DataFrame({"patient_id": "p1", "date": pd.Timestamp("2026-03-02"),
...                     "questionnaire": "odi", "item": range(1, 11),
...                     "answer": [2, 2, 1, 2, 1, 2, 2, 2, 1, None]})
>>> row = score_outcomes(odi).iloc[0]
>>> float(row.score), row.rule, row.band
(33.3, '1 section missing (section 10): 15/45', 'moderate disability')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..io.outcome_fields import ITEM_MAX, N_ITEMS, QUESTIONNAIRES, TOTAL_MAX
from ..program import OutcomeRules, Program, default_program, normalize_name
from ._frames import TOLERANCE, AnalysisInputError, _require, _where
from .outcome_rules import ODI_BANDS, SCORERS, Items, odi_band, round_score

__all__ = ["ODI_BANDS", "SCORE_COLUMNS", "TREND_COLUMNS", "OUTCOME_STATUSES",
           "latest_outcomes", "with_outcomes", "ears_vs_logged", "score_outcomes",
           "outcomes_trend", "outcome_status"]

#: Columns of :func:`score_outcomes`, in order.
SCORE_COLUMNS = ("patient_id", "questionnaire", "date", "score", "scored", "rule", "why_not",
                 "n_answered", "band", "source", "source_line")
#: a total on paper agrees with the items' score within this (paper rounds to whole points)
PAPER_AGREES = 0.5


def _check(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The long frame, checked: known questionnaires, items and answers in range, no
    item twice (a hand-made frame may lack ``two_ticked``, ``activity`` and the rest)."""
    _require(outcomes, ("patient_id", "date", "questionnaire", "item", "answer"), "outcomes")
    f = outcomes.copy()
    for col, value in (("two_ticked", False), ("activity", pd.NA), ("written", pd.NA),
                       ("source", pd.NA), ("source_line", pd.NA)):
        if col not in f:
            f[col] = value
    f["questionnaire"] = f["questionnaire"].astype("string").str.lower()
    f["date"] = pd.to_datetime(f["date"]).dt.normalize()
    f["item"] = pd.to_numeric(f["item"]).astype("int64")
    f["answer"] = pd.to_numeric(f["answer"]).astype("float64")
    f["two_ticked"] = f["two_ticked"].fillna(False).astype(bool)
    q = f["questionnaire"].to_numpy(dtype=object, na_value="")
    unknown = ~np.isin(q, QUESTIONNAIRES)
    if unknown.any():
        raise AnalysisInputError(f"unknown questionnaires {sorted(set(q[unknown]))} "
                                 f"({_where(f, unknown)}); known: {list(QUESTIONNAIRES)}")
    n_items = f["questionnaire"].map(N_ITEMS).to_numpy(dtype=float)
    top = np.where(f["item"] == 0, f["questionnaire"].map(TOTAL_MAX).to_numpy(dtype=float),
                   f["questionnaire"].map(ITEM_MAX).to_numpy(dtype=float))
    a = f["answer"].to_numpy()
    bad = (f["item"].to_numpy() < 0) | (f["item"].to_numpy() > n_items) | (
        ~np.isnan(a) & ((a < 0) | (a > top)))
    if bad.any():
        raise AnalysisInputError(f"items or answers out of range ({_where(f, bad)}); load "
                                 "questionnaires with load_outcomes, which checks them")
    twice = f.duplicated(["patient_id", "questionnaire", "date", "item"]).to_numpy()
    if twice.any():
        raise AnalysisInputError(f"an item given twice for one patient, questionnaire and day "
                                 f"({_where(f, twice)}); keep one")
    return f


def _score_group(q: str, g: dict, idx: np.ndarray, rules: OutcomeRules) -> dict:
    """Score one questionnaire of one day (``idx``: its rows in the arrays ``g``)."""
    item, answer = g["item"][idx], g["answer"][idx]
    paper = answer[item == 0]
    total = float(paper[0]) if len(paper) and not np.isnan(paper[0]) else None
    if not (item > 0).any():
        if total is None:
            return {"why_not": "no answer and no total", "rule": "", "n": None}
        return {"score": total, "rule": "scored on paper", "n": None}
    on = (item > 0) & ~np.isnan(answer)
    res = SCORERS[q](Items(item[on], answer[on], g["two"][idx][on], g["written"][idx][on]),
                     rules)
    if total is not None:
        if "score" not in res:
            res["why_not"] += f"; the total on paper ({total:g}) is not used"
        elif abs(res["score"] - total) > PAPER_AGREES + TOLERANCE:
            res["rule"] += (f"; the total on paper ({total:g}) differs: the items' score is "
                            "used")
        else:
            res["rule"] += "; the total on paper agrees"
    return res


def score_outcomes(outcomes: pd.DataFrame, *, program: Program | None = None) -> pd.DataFrame:
    """Score every questionnaire given, by the rules of ``docs/metrics.md``.

    Parameters
    ----------
    outcomes : DataFrame
        The long frame of :func:`backrx_analysis.io.outcomes.load_outcomes` (needs
        ``patient_id``, ``date``, ``questionnaire``, ``item``, ``answer``).
    program : Program or Prescriptions, optional
        Supplies ``program.outcomes`` (the missing-data limits); default program.

    Returns
    -------
    DataFrame
        One row per patient, questionnaire and date, sorted so, default index:

        ``patient_id`` (string), ``questionnaire`` (category: odi, rmdq, psfs, ears),
        ``date`` (datetime64[ns])
        ``score`` (float64)
            ODI index in % (0-100), RMDQ yes count (0-24), PSFS mean (0-10), EARS sum
            (0-24); one decimal, halves up. NaN when the rules refuse to score.
        ``scored`` (bool)
        ``rule`` (string)
            How it was scored, in words ("1 section missing (section 4): 16/45",
            "pro-rated: 2 items missing (7/22 x 24)", "scored on paper", ...).
        ``why_not`` (string)
            Why it was not scored; NA when scored.
        ``n_answered`` (Int64)
            Items (PSFS: activities) answered; NA for a total on paper.
        ``band`` (string)
            ODI band (Fairbank & Pynsent 2000); NA for the others and when unscored.
        ``source`` (string), ``source_line`` (Int64)
            Where the answers are (the first line of them).
    """
    rules = (program or default_program()).outcomes
    f = _check(outcomes)
    g = {"item": f["item"].to_numpy(), "answer": f["answer"].to_numpy(),
         "two": f["two_ticked"].to_numpy(),
         "written": f["written"].astype(object).where(f["written"].notna(), None).to_numpy(),
         "line": pd.to_numeric(f["source_line"], errors="coerce").to_numpy(dtype=float),
         "source": f["source"].astype(object).to_numpy()}
    rows = []
    for (patient, q, day), idx in f.groupby(["patient_id", "questionnaire", "date"],
                                            sort=False).indices.items():
        res = _score_group(q, g, idx, rules)
        score = res.get("score", np.nan)
        lines = g["line"][idx]
        rows.append({
            "patient_id": patient, "questionnaire": q, "date": day, "score": score,
            "scored": "score" in res, "rule": res["rule"] or pd.NA,
            "why_not": res.get("why_not", pd.NA), "n_answered": res["n"],
            "band": odi_band(score) if q == "odi" else None,
            "source": g["source"][idx[0]],
            "source_line": int(np.nanmin(lines)) if (~np.isnan(lines)).any() else pd.NA,
        })
    return _score_frame(rows)


def _score_frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    out = out.astype({"patient_id": "string", "date": "datetime64[ns]", "score": "float64",
                      "scored": "bool", "rule": "string", "why_not": "string",
                      "n_answered": "Int64", "band": "string", "source": "string",
                      "source_line": "Int64"})
    out["questionnaire"] = pd.Categorical(out["questionnaire"], categories=list(QUESTIONNAIRES))
    return out.sort_values(["patient_id", "questionnaire", "date"]).reset_index(drop=True)


#: Columns of :func:`outcomes_trend`, in order.
TREND_COLUMNS = ("patient_id", "questionnaire", "date", "score", "scored", "rule", "why_not",
                 "n_answered", "band", "baseline_date", "baseline", "change", "change_pct",
                 "status", "status_by", "is_baseline", "source", "source_line")
#: Values of the ``status`` column of :func:`outcomes_trend`, in order.
OUTCOME_STATUSES = ("improved", "no_change", "worse")


def outcome_status(q: str, change: float, baseline: float, rules: OutcomeRules
                   ) -> tuple[str | None, str | None]:
    """(status, threshold met) of a change from the baseline. ODI and RMDQ: lower is
    better, improved at ``points`` or ``fraction`` of the baseline below it, worse at
    ``points`` above; PSFS: higher is better, 2 points either way; EARS: no status.
    Values within 1e-9 of a threshold count as reaching it."""
    if q == "ears" or np.isnan(change) or np.isnan(baseline):
        return None, None
    if q == "psfs":
        pts = rules.psfs_points
        if change >= pts - TOLERANCE:
            return "improved", f"{pts:g} points"
        if -change >= pts - TOLERANCE:
            return "worse", f"{pts:g} points"
        return "no_change", None
    pts = rules.odi_points if q == "odi" else rules.rmdq_points
    frac = rules.odi_fraction if q == "odi" else rules.rmdq_fraction
    met = []
    if -change >= pts - TOLERANCE:
        met.append(f"{pts:g} points")
    if baseline > TOLERANCE and -change >= frac * baseline - TOLERANCE:
        met.append(f"{frac * 100:g} %")
    if met:
        return "improved", " and ".join(met)
    if change >= pts - TOLERANCE:
        return "worse", f"{pts:g} points"
    return "no_change", None


def _psfs_scores(f: pd.DataFrame) -> dict[tuple, dict[str, tuple[str, float]]]:
    """(patient, date) -> normalised activity -> (its name as written, its score)."""
    p = f.loc[(f["questionnaire"] == "psfs") & (f["item"] > 0) & f["answer"].notna()]
    out: dict[tuple, dict[str, tuple[str, float]]] = {}
    for r in p.itertuples(index=False):
        name = "" if pd.isna(r.activity) else str(r.activity)
        key = normalize_name(name) or f"activity {r.item}"
        out.setdefault((r.patient_id, r.date), {})[key] = (name or key, float(r.answer))
    return out


def _psfs_change(now: dict, base: dict) -> tuple[float, float, str]:
    """(baseline, change, words) over the activities named at both visits; the means
    as they are when a visit's activities are not known (a total on paper)."""
    if not now or not base:
        return np.nan, np.nan, ""
    shared = [k for k in base if k in now]
    if not shared:
        return np.nan, np.nan, "no activity in common with the baseline: no change"
    b = round_score(float(np.mean([base[k][1] for k in shared])))
    v = round_score(float(np.mean([now[k][1] for k in shared])))
    names = ", ".join(base[k][0] for k in shared)
    n = len(shared)
    return b, v - b, (f"change over the {n} activit{'y' if n == 1 else 'ies'} named at both "
                      f"visits ({names})")


def outcomes_trend(outcomes: pd.DataFrame, *, program: Program | None = None) -> pd.DataFrame:
    """Each questionnaire's score with its change from the first scored date.

    Parameters
    ----------
    outcomes : DataFrame
        The long frame of :func:`backrx_analysis.io.outcomes.load_outcomes`.
    program : Program or Prescriptions, optional
        Supplies ``program.outcomes`` (thresholds, missing-data limits).

    Returns
    -------
    DataFrame
        The columns of :func:`score_outcomes`, then:

        ``baseline_date`` (datetime64[ns])
            The patient's first scored date of that questionnaire (never another
            patient's); NaT when none is scored.
        ``baseline`` (float64)
            Its score; for the PSFS, its mean over the activities named at both the
            baseline and this visit (tracked by name, compared as exercise names are).
        ``change`` (float64)
            ``score - baseline`` (PSFS: the mean of those activities now minus
            ``baseline``); 0 at the baseline, NaN where unscored.
        ``change_pct`` (float64)
            ``100 * change / baseline``; NaN when the baseline is 0.
        ``status`` (categorical: improved, no_change, worse)
            See :func:`outcome_status`; NA at the baseline, where unscored and for
            the EARS (shown, not judged).
        ``status_by`` (string)
            The threshold met: "10 points", "30 %", "10 points and 30 %"; NA for
            ``no_change`` and where there is no status.
        ``is_baseline`` (bool)
    """
    rules = (program or default_program()).outcomes
    f = _check(outcomes)
    scores = score_outcomes(f, program=program)
    psfs = _psfs_scores(f)
    extra = {c: [] for c in TREND_COLUMNS[9:16]}
    rules_text = scores["rule"].astype(object).where(scores["rule"].notna(), None).tolist()
    base_of: dict[tuple, tuple] = {}
    for i, r in enumerate(scores.itertuples(index=False)):
        key = (r.patient_id, r.questionnaire)
        if r.scored and key not in base_of:
            base_of[key] = (r.date, r.score)
        first = base_of.get(key)
        is_base = bool(first is not None and r.scored and first[0] == r.date)
        baseline, change = (first[1] if first else np.nan), np.nan
        if r.scored and first is not None:
            change = r.score - baseline
            if r.questionnaire == "psfs" and not is_base:
                b, c, words = _psfs_change(psfs.get((r.patient_id, r.date), {}),
                                           psfs.get((r.patient_id, first[0]), {}))
                if words:
                    baseline, change = b, c
                else:
                    words = "a visit's activities are not known (a total on paper): the means compared"
                rules_text[i] = f"{rules_text[i]}; {words}" if rules_text[i] else words
            change = round(change, 1)  # of scores kept at one decimal: exact, not 3.6000001
        status, by = (None, None) if is_base else outcome_status(
            r.questionnaire, change, baseline, rules)
        with np.errstate(invalid="ignore", divide="ignore"):
            pct = 100 * change / baseline if abs(baseline) > TOLERANCE else np.nan
        for c, v in zip(TREND_COLUMNS[9:16], (first[0] if first else pd.NaT, baseline, change,
                                              pct, status, by, is_base), strict=True):
            extra[c].append(v)
    out = scores.copy()
    out["rule"] = pd.array(rules_text, dtype="string")
    for c in TREND_COLUMNS[9:16]:
        out[c] = extra[c]
    out = out.astype({"baseline_date": "datetime64[ns]", "baseline": "float64",
                      "change": "float64", "change_pct": "float64", "status_by": "string",
                      "is_baseline": "bool"})
    out["status"] = pd.Categorical(out["status"], categories=list(OUTCOME_STATUSES))
    return out[list(TREND_COLUMNS)]


def latest_outcomes(trend: pd.DataFrame, *, end: object = None) -> pd.DataFrame:
    """Per patient, the latest scored value of each questionnaire (on or before ``end``)
    and its status against the baseline: columns ``<q>_score``, ``<q>_status``
    (``improved`` / ``no_change`` / ``worse``; missing for EARS and at baseline),
    ``<q>_date``, indexed by ``patient_id``. Empty when there are no scores."""
    scored = trend.loc[trend["scored"].fillna(False).astype(bool)] if len(trend) else trend
    if end is not None and len(scored):
        scored = scored.loc[scored["date"] <= pd.Timestamp(end)]
    out = pd.DataFrame(index=pd.Index(sorted(scored["patient_id"].unique()) if len(scored)
                                      else [], dtype="string", name="patient_id"))
    for q in QUESTIONNAIRES:
        one = scored.loc[scored["questionnaire"].astype(str) == q] if len(scored) else scored
        if not len(one):
            continue
        last = one.sort_values("date").groupby("patient_id", sort=True).tail(1).set_index(
            "patient_id")
        out[f"{q}_score"] = last["score"].astype("Float64").reindex(out.index)
        out[f"{q}_status"] = last["status"].reindex(out.index)
        out[f"{q}_date"] = last["date"].reindex(out.index)
    return out


def ears_vs_logged(trend: pd.DataFrame, daily: pd.DataFrame, *, days: int = 14) -> pd.DataFrame:
    """Each scored EARS next to the logged adherence of the ``days`` days before it
    (the questionnaire's own day left out): ``patient_id``, ``date``, ``score``,
    ``logged_pct`` (% of those days fully adherent, over the days whose value is known;
    NaN without logged days). Where the two disagree is worth a conversation."""
    cols = ["patient_id", "date", "score", "logged_pct", "logged_days"]
    ears = trend.loc[(trend["questionnaire"].astype(str) == "ears")
                     & trend["scored"].fillna(False).astype(bool)] if len(trend) else trend
    rows = []
    for r in ears.itertuples(index=False):
        mine = daily.loc[(daily["patient_id"].astype(str) == str(r.patient_id))
                         & (daily["date"] < r.date)
                         & (daily["date"] >= r.date - pd.Timedelta(days=days))]
        flags = pd.array(mine["fully_adherent"], dtype="boolean")
        known = flags[~flags.isna()]
        pct = float(np.mean(known.to_numpy(dtype=bool)) * 100) if len(known) else np.nan
        rows.append((r.patient_id, r.date, r.score, pct, len(known)))
    return pd.DataFrame(rows, columns=cols)


def with_outcomes(summary: pd.DataFrame, trend: pd.DataFrame, *, end: object = None
                  ) -> pd.DataFrame:
    """``summary`` (one row per patient) with the latest score and status of each
    questionnaire (:func:`latest_outcomes`) on the right; as it is without scores."""
    if not len(trend):
        return summary
    latest = latest_outcomes(trend, end=end)
    latest = latest[[c for c in latest.columns if not c.endswith("_date")]]
    return summary.merge(latest, left_on="patient_id", right_index=True, how="left")
