"""Header matching and the documented synonym list."""

from __future__ import annotations

from pathlib import Path

import pytest

from backrx_analysis.io.headers import SYNONYMS, map_headers, normalize_header
from backrx_analysis.program import default_program

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"


@pytest.mark.parametrize(
    ("header", "key", "unit"),
    [("Reps (count)", "reps", "count"), ("  N_Reps ", "nreps", ""), ("Duration [min]", "duration", "min"),
     ("\ufeffdate", "date", "")],
)
def test_normalize_header(header, key, unit):
    assert normalize_header(header) == (key, unit)


def test_every_synonym_maps_to_its_field():
    for field, names in SYNONYMS.items():
        kind = "pain" if field in ("pain", "context", "location") else "sessions"
        for name in names:
            hm = map_headers([name, "date" if field != "date" else "exercise"], kind, default_program())
            assert hm.fields.get(field) == 0, (field, name, hm)


def test_documented_synonyms_match_the_code():
    """docs/data-format.md lists every accepted header; this fails when they drift."""
    text = DOC.read_text(encoding="utf-8")
    for field, names in SYNONYMS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{field}` |"))
        for name in names:
            assert name in row, f"{name!r} of {field} is not documented"


def test_documented_exercise_names_match_the_program():
    text = DOC.read_text(encoding="utf-8")
    prog = default_program()
    for e in prog.exercises:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{e.id}` |"))
        for alias in e.aliases:
            assert alias in row


def test_wide_sheet_detection():
    hm = map_headers(["Date", "Ankle pumps", "SLR left", "SLR right", "Walk minutes", "Minutes", "Notes"],
                     "sessions", default_program())
    assert hm.is_wide
    got = {(w.activity, w.side, w.measure) for w in hm.wide}
    assert got == {("ankle_pumps", None, "reps"), ("straight_leg_raise", "left", "reps"),
                   ("straight_leg_raise", "right", "reps"), ("walk", None, "minutes"),
                   ("session", None, "minutes")}
    assert hm.fields == {"date": 0, "notes": 6}
