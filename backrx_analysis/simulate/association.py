"""Seeded patients with a known link between the day's program and later pain.

:func:`simulate_dose_pain` gives canonical sessions and pain frames of patients whose
pain drifts over the weeks (from ``pain_start`` to ``pain_end``) while their
adherence drifts too (the chance of doing the whole program goes from
``adherence_start`` to ``adherence_end``), plus, when asked, a true day-to-day effect:
``effect`` points of pain ``lag`` days after a day the program was done in full. The
known-truth tests of :func:`backrx_analysis.analysis.association.dose_pain_association`
run on these: two drifting series with no day-to-day link (``effect=0``), and a
true next-day effect (``effect=-0.5``).

The model, per patient and day ``t`` (0 to ``days - 1``):

- **done** (all five exercises at 10 reps) with probability ``p(t)``, which runs in a
  straight line from ``adherence_start`` to ``adherence_end``; a day after a done
  day is a little likelier done (``persistence``), as people keep habits for a few
  days. A day not done has, half the time, two of the exercises logged (a partial
  session), otherwise nothing.
- **latent pain** = the straight line from ``pain_start`` to ``pain_end``, plus a
  patient's own offset (sd 0.5), plus AR(1) noise (``noise_sd``, ``ar``: a bad day
  tends to follow a bad day), plus ``effect`` when the day ``lag`` days earlier was
  done.
- **the rating** is the latent pain rounded to a whole point, clipped to 0-10, as
  people write an NRS; a day has no rating with probability ``missing``.

Examples
--------
>>> from backrx_analysis.simulate.association import simulate_dose_pain
>>> sessions, pain = simulate_dose_pain(3, seed=1)
>>> sorted(sessions["patient_id"].unique())
['S001', 'S002', 'S003']
>>> bool(pain["pain"].between(0, 10).all())
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..program import SESSION, default_program
from ..schema import conform, pain_dtypes, sessions_dtypes

__all__ = ["simulate_dose_pain"]


def _check(**values: float) -> None:
    bad = [f"{k}={v!r}" for k, v in values.items() if not 0 <= v <= 1]
    if bad:
        raise ValueError(f"simulate_dose_pain: {', '.join(bad)}; each must be 0 to 1")


def simulate_dose_pain(
    n_patients: int,
    *,
    days: int = 84,
    start: str = "2026-03-02",
    effect: float = 0.0,
    lag: int = 1,
    pain_start: float = 6.0,
    pain_end: float = 3.0,
    adherence_start: float = 0.85,
    adherence_end: float = 0.3,
    persistence: float = 0.15,
    noise_sd: float = 1.0,
    ar: float = 0.4,
    missing: float = 0.05,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical (sessions, pain) frames of ``n_patients`` with a known dose effect.

    Parameters
    ----------
    n_patients : int
        Patients ``S001``, ``S002``, ...
    days : int
        Calendar days per patient, from ``start``.
    effect : float
        True change of pain (points) ``lag`` days after a day the program was done in
        full; 0 for no day-to-day link.
    lag : int
        Days from the program to its effect on pain.
    pain_start, pain_end : float
        The pain trend's first and last day (a straight line).
    adherence_start, adherence_end : float
        Chance of doing the whole program on the first and last day.
    persistence : float
        Added to that chance the day after a done day (capped at 1).
    noise_sd, ar : float
        Standard deviation and day-to-day (AR(1)) correlation of the pain noise.
    missing : float
        Chance that a day has no pain rating.
    seed : int
        The whole simulation follows from it.

    Returns
    -------
    tuple of DataFrame
        ``sessions`` (canonical, :func:`~backrx_analysis.schema.sessions_dtypes`:
        five exercise entries of 10 reps and a 15-minute ``session`` entry on a done
        day, two exercise entries on half the other days) and ``pain`` (canonical,
        :func:`~backrx_analysis.schema.pain_dtypes`: one whole-point NRS rating a
        day, some days without).
    """
    _check(adherence_start=adherence_start, adherence_end=adherence_end,
           persistence=persistence, missing=missing)
    if int(n_patients) < 0 or int(days) < 1:
        raise ValueError(f"simulate_dose_pain: n_patients ({n_patients!r}) must be >= 0 "
                         f"and days ({days!r}) >= 1")
    n, d = int(n_patients), int(days)
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 1.0, d)
    p = adherence_start + (adherence_end - adherence_start) * t
    u = rng.random((n, d))
    done = np.zeros((n, d), dtype=bool)
    for j in range(d):  # a Markov chain along the days, every patient at once
        pj = p[j] + (persistence * done[:, j - 1] if j else 0.0)
        done[:, j] = u[:, j] < np.minimum(pj, 1.0)
    noise = np.zeros((n, d))
    shocks = rng.normal(0.0, noise_sd * np.sqrt(1 - ar**2), (n, d))
    noise[:, 0] = rng.normal(0.0, noise_sd, n)
    for j in range(1, d):
        noise[:, j] = ar * noise[:, j - 1] + shocks[:, j]
    latent = pain_start + (pain_end - pain_start) * t + rng.normal(0, 0.5, (n, 1)) + noise
    if lag < d:
        latent[:, lag:] += effect * done[:, : d - lag]
    rating = np.clip(np.rint(latent), 0, 10)
    rated = rng.random((n, d)) >= missing
    partial = ~done & (rng.random((n, d)) < 0.5)

    ids = np.array([f"S{i + 1:03d}" for i in range(n)], dtype=object)
    dates = pd.date_range(start, periods=d, freq="D").to_numpy()
    pid = np.repeat(ids, d)
    day = np.tile(dates, n)
    pain = pd.DataFrame({"patient_id": pid[rated.ravel()], "date": day[rated.ravel()],
                         "pain": rating.ravel()[rated.ravel()], "scale": "nrs"})
    exercises = list(default_program().exercise_ids)
    parts = []
    for k, ex in enumerate(exercises):
        on = (done | (partial & (k < 2))).ravel()
        parts.append(pd.DataFrame({"patient_id": pid[on], "date": day[on], "exercise": ex,
                                   "reps": 10, "sets": 1}))
    flat = done.ravel()
    parts.append(pd.DataFrame({"patient_id": pid[flat], "date": day[flat],
                               "exercise": SESSION, "minutes": 15.0}))
    sessions = pd.concat(parts, ignore_index=True).sort_values(["patient_id", "date"],
                                                                kind="stable")
    return _canonical(sessions, sessions_dtypes()), _canonical(pain, pain_dtypes())


def _canonical(frame: pd.DataFrame, dtypes: dict[str, object]) -> pd.DataFrame:
    for col in dtypes:
        if col not in frame.columns:
            frame[col] = pd.NA
    frame = frame.assign(source="simulated", source_line=np.arange(2, len(frame) + 2))
    return conform(frame, dtypes)
