"""Hand-built logs the analysis tests share: three patients over a few days in March
(``a`` with sessions and pain, ``b`` sessions only, ``c`` pain only)."""

from __future__ import annotations

from factories import make_pain, make_sessions

from backrx_analysis.program import default_program

IDS = default_program().exercise_ids


def full_dose(date, minutes=15.0, patient="a"):
    rows = [{"patient_id": patient, "date": date, "exercise": i, "reps": 10} for i in IDS]
    rows.append({"patient_id": patient, "date": date, "exercise": "session",
                 "minutes": minutes})
    return rows


def pain_rows(pairs, patient="a"):
    return [{"patient_id": patient, "date": d, "pain": v} for d, v in pairs]


SESSIONS = make_sessions([
    *full_dose("2026-03-01"),  # fully adherent
    *full_dose("2026-03-02", minutes=35.0),  # every exercise met, minutes over
    # 3 March: nothing logged
    {"patient_id": "a", "date": "2026-03-04", "exercise": "walk", "minutes": 12.0},
    {"patient_id": "b", "date": "2026-03-01", "exercise": "walk", "minutes": 10.0},
])
PAIN = make_pain([
    # a: baseline over 20-26 Feb = (6 + 8) / 2 = 7; 10 March is after the session log
    *pain_rows([("2026-02-20", 6.0), ("2026-02-22", 8.0), ("2026-03-02", 4.0),
                ("2026-03-04", 5.0), ("2026-03-10", 9.0)]),
    # c: pain only; 5.1 is a flare on 6 March (2.1 above 3.0)
    *pain_rows([("2026-03-05", 3.0), ("2026-03-06", 5.1)], patient="c"),
])
