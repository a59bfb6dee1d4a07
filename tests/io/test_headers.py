"""Header matching and the documented synonym list.

``python tests/io/test_headers.py`` prints the tables of other languages that
docs/data-format.md must hold (made from the code, as the tests below check).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from backrx_analysis.io import header_words as hw
from backrx_analysis.io.fields import _SIDE_WORDS as SIDE_CELLS
from backrx_analysis.io.headers import ENGLISH, SYNONYMS, map_headers, normalize_header
from backrx_analysis.program import NAMES_ABROAD, SIDES, default_program, normalize_name

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"
LANGS = tuple(hw.LANGUAGES)


def _table(first: str, rows: dict[str, dict[str, object]]) -> str:
    """A markdown table: a row per key, a column per language."""
    lines = [f"| {first} | " + " | ".join(f"{hw.LANGUAGES[lg]} ({lg})" for lg in LANGS) + " |",
             "|---" * (len(LANGS) + 1) + "|"]
    for key, by_lang in rows.items():
        cells = [", ".join(by_lang.get(lg, ())) or "\u2014" for lg in LANGS]
        lines.append(f"| `{key}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def doc_tables() -> dict[str, str]:
    """The three tables of other languages in docs/data-format.md, made from the code."""
    sides: dict[str, dict[str, list[str]]] = {s: defaultdict(list) for s in SIDES}
    for lang, words in hw.SIDE_WORDS.items():
        for word, side in words.items():
            sides[side][lang].append(word)
    return {
        "headers": _table("field", hw.HEADERS),
        "names": _table("id", NAMES_ABROAD),
        "sides": _table("side", sides),
    }


@pytest.mark.parametrize(
    ("header", "key", "unit"),
    [("Reps (count)", "reps", "count"), ("  N_Reps ", "nreps", ""), ("Duration [min]", "duration", "min"),
     ("\ufeffdate", "date", "")],
)
def test_normalize_header(header, key, unit):
    assert normalize_header(header) == (key, unit)


def test_every_synonym_maps_to_its_field():
    for field, names in SYNONYMS.items():
        kind = "pain" if field in ("pain", "scale", "context", "location") else "sessions"
        for name in names:
            hm = map_headers([name, "date" if field != "date" else "exercise"], kind, default_program())
            assert hm.fields.get(field) == 0, (field, name, hm)


def test_documented_synonyms_match_the_code():
    """docs/data-format.md lists every accepted header; this fails when they drift."""
    text = DOC.read_text(encoding="utf-8")
    for field, names in ENGLISH.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{field}` |"))
        for name in names:
            assert name in row, f"{name!r} of {field} is not documented"
    for name, table in doc_tables().items():
        assert table in text, f"docs/data-format.md lacks this table ({name}):\n{table}"


def test_the_docs_list_every_synonym():
    """The English rows and the table of other languages hold the whole SYNONYMS."""
    documented = {f: {*ENGLISH[f], *(n for ns in hw.HEADERS.get(f, {}).values() for n in ns)}
                  for f in ENGLISH}
    assert {f: set(ns) for f, ns in SYNONYMS.items()} == documented
    assert set(hw.HEADERS) == set(ENGLISH)
    assert all(set(by_lang) == set(LANGS) for by_lang in hw.HEADERS.values())


def test_documented_exercise_names_match_the_program():
    text = DOC.read_text(encoding="utf-8")
    prog = default_program()
    for e in prog.exercises:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{e.id}` |"))
        abroad = {n for ns in NAMES_ABROAD.get(e.id, {}).values() for n in ns}
        for alias in e.aliases:
            assert alias in row or alias in abroad
    assert doc_tables()["names"] in text


def test_wide_sheet_detection():
    hm = map_headers(["Date", "Ankle pumps", "SLR left", "SLR right", "Walk minutes", "Minutes", "Notes"],
                     "sessions", default_program())
    assert hm.is_wide
    got = {(w.activity, w.side, w.measure) for w in hm.wide}
    assert got == {("ankle_pumps", None, "reps"), ("straight_leg_raise", "left", "reps"),
                   ("straight_leg_raise", "right", "reps"), ("walk", None, "minutes"),
                   ("session", None, "minutes")}
    assert hm.fields == {"date": 0, "notes": 6}


# -- other languages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key", "unit"),
    [("Übung", "ubung", ""), ("RÉPÉTITIONS", "repetitions", ""), ("Sätze", "satze", ""),
     ("Schmerzstärke (0–10)", "schmerzstarke", "010"), ("Dauer (Min.)", "dauer", "min"),
     ("durée [mn]", "duree", "mn"), ("Côté", "cote", ""), ("Ubicación", "ubicacion", ""),
     ("patiënt", "patient", ""), ("Attività", "attivita", "")],
)
def test_accents_and_case_do_not_matter(header, key, unit):
    assert normalize_header(header) == (key, unit)


def test_each_header_is_one_field():
    """No header, once normalised, belongs to two fields, in any mix of languages."""
    owners: dict[str, set[str]] = defaultdict(set)
    for field, names in ENGLISH.items():
        for name in names:
            owners[normalize_header(name)[0]].add(field)
    for field, by_lang in hw.HEADERS.items():
        for names in by_lang.values():
            for name in names:
                owners[normalize_header(name)[0]].add(field)
    shared = {key: fields for key, fields in owners.items() if len(fields) > 1}
    assert shared == {}
    assert "" not in owners


def test_the_collisions_are_resolved_one_way():
    """The words several languages (or English) share mean one field each."""
    prog = default_program()
    one = {"serie": "sets", "series": "sets", "sets": "sets", "set": "sets", "data": "date",
           "note": "notes", "nota": "notes", "niveau": "pain", "moment": "context",
           "zona": "location", "cliente": "patient_id", "minuto": "minutes", "tijd": "time",
           "Zeit": "time"}
    for header, field in one.items():
        kind = "pain" if field in ("pain", "scale", "context", "location") else "sessions"
        other = "exercise" if field == "date" else "date"
        assert map_headers([header, other], kind, prog).fields.get(field) == 0, header
    # left out on purpose: an English sheet writes them with another meaning
    for header in ("Tag", "temps", "tiempo", "tempo", "Wert"):
        hm = map_headers(["date", "exercise", header], "sessions", prog)
        assert hm.fields == {"date": 0, "exercise": 1} and hm.ignored == [header]


def test_no_header_is_an_activity_name():
    """A header that were also an exercise's name would make a wide sheet ambiguous."""
    prog = default_program()
    assert [n for ns in SYNONYMS.values() for n in ns if prog.resolve(n)] == []


def test_english_headers_map_as_before():
    prog = default_program()
    headers = ["Patient", "Date", "Time", "Exercise", "Reps", "Sets", "Side", "Duration (min)",
               "Hold (s)", "Notes", "Mood"]
    hm = map_headers(headers, "sessions", prog)
    assert hm.fields == {"patient_id": 0, "date": 1, "time": 2, "exercise": 3, "reps": 4,
                         "sets": 5, "side": 6, "minutes": 7, "hold_s": 8, "notes": 9}
    assert hm.ignored == ["Mood"]
    hm = map_headers(["Date", "Time (min)", "Activity"], "sessions", prog)
    assert hm.fields == {"date": 0, "minutes": 1, "exercise": 2}
    hm = map_headers(["timestamp", "Pain (0-10)", "Activity", "where"], "pain", prog)
    assert hm.fields == {"date": 0, "pain": 1, "context": 2, "location": 3}


@pytest.mark.parametrize(
    ("lang", "headers", "kind", "fields"),
    [
        ("de", ["Patient", "Datum", "Uhrzeit", "Übung", "Wdh.", "Sätze", "Seite", "Dauer (Min.)",
                "Halten (Sek.)", "Bemerkung"], "sessions",
         ["patient_id", "date", "time", "exercise", "reps", "sets", "side", "minutes", "hold_s",
          "notes"]),
        ("fr", ["Patient", "Date", "Heure", "Exercice", "Rép.", "Séries", "Côté", "Durée (mn)",
                "Maintien (secondes)", "Remarques"], "sessions",
         ["patient_id", "date", "time", "exercise", "reps", "sets", "side", "minutes", "hold_s",
          "notes"]),
        ("es", ["Paciente", "Fecha", "Hora", "Ejercicio", "Repeticiones", "Series", "Lado",
                "Duración (minutos)", "Mantener (segundos)", "Notas"], "sessions",
         ["patient_id", "date", "time", "exercise", "reps", "sets", "side", "minutes", "hold_s",
          "notes"]),
        ("nl", ["Patiënt", "Datum", "Tijd", "Oefening", "Herhalingen", "Sets", "Zijde", "Duur",
                "Vasthouden (sec)", "Opmerkingen"], "sessions",
         ["patient_id", "date", "time", "exercise", "reps", "sets", "side", "minutes", "hold_s",
          "notes"]),
        ("it", ["Paziente", "Data", "Ora", "Esercizio", "Ripetizioni", "Serie", "Lato",
                "Durata (minuti)", "Tenuta (secondi)", "Note"], "sessions",
         ["patient_id", "date", "time", "exercise", "reps", "sets", "side", "minutes", "hold_s",
          "notes"]),
        ("de", ["Datum", "Zeit", "Schmerzstärke", "Aktivität", "Ort", "Notizen"], "pain",
         ["date", "time", "pain", "context", "location", "notes"]),
        ("fr", ["Date", "Heure", "Douleur", "Contexte", "Localisation", "Remarques"], "pain",
         ["date", "time", "pain", "context", "location", "notes"]),
        ("es", ["Fecha", "Hora", "Dolor", "Contexto", "Ubicación", "Notas"], "pain",
         ["date", "time", "pain", "context", "location", "notes"]),
        ("nl", ["Datum", "Tijd", "Pijn", "Oefening", "Locatie", "Notities"], "pain",
         ["date", "time", "pain", "context", "location", "notes"]),
        ("it", ["Data", "Ora", "Dolore", "Contesto", "Sede", "Note"], "pain",
         ["date", "time", "pain", "context", "location", "notes"]),
    ],
)
def test_every_field_in_every_language(lang, headers, kind, fields):
    hm = map_headers(headers, kind, default_program())
    assert hm.problems == [] and hm.ignored == []
    assert hm.fields == {f: i for i, f in enumerate(fields)}


@pytest.mark.parametrize(
    ("header", "field"),
    [("Zeit (min)", "minutes"), ("Zeit", "time"), ("tijd (minuten)", "minutes"),
     ("temps (min)", "minutes"), ("tiempo (minutos)", "minutes"), ("tempo (minuti)", "minutes"),
     ("Halten (Sekunden)", "hold_s"), ("mantenimiento (seg)", "hold_s"),
     ("Time (min)", "minutes"), ("time", "time")],
)
def test_units_in_brackets_in_other_languages(header, field):
    hm = map_headers(["date", "exercise", header], "sessions", default_program())
    assert hm.fields.get(field) == 2, hm


@pytest.mark.parametrize(
    ("header", "wide"),
    [("Übung Minuten", ("session", None, "minutes")),
     ("Minutes d'exercice", ("session", None, "minutes")),
     ("Minutos de ejercicio", ("session", None, "minutes")),
     ("Oefening minuten", ("session", None, "minutes")),
     ("Minuti esercizio", ("session", None, "minutes")),
     ("Spaziergang (Min.)", ("walk", None, "minutes")),
     ("Minutes de marche", ("walk", None, "minutes")),
     ("Minutos de caminata", ("walk", None, "minutes")),
     ("Wandelen minuten", ("walk", None, "minutes")),
     ("Minuti camminata", ("walk", None, "minutes")),
     ("Kniebeuge an der Wand", ("wall_squat", None, "reps")),
     ("Beinheben links", ("straight_leg_raise", "left", "reps")),
     ("SLR jambe droite", ("straight_leg_raise", "right", "reps")),
     ("Elevación de pierna recta izquierda", ("straight_leg_raise", "left", "reps")),
     ("gestrekt been heffen rechts", ("straight_leg_raise", "right", "reps")),
     ("Sollevamento gamba tesa dx", ("straight_leg_raise", "right", "reps")),
     ("Repeticiones bombeo de tobillo", ("ankle_pumps", None, "reps"))],
)
def test_wide_columns_in_other_languages(header, wide):
    hm = map_headers(["Datum", header, "Notizen"], "sessions", default_program())
    assert [(w.activity, w.side, w.measure) for w in hm.wide] == [wide]
    assert hm.fields == {"date": 0, "notes": 2}


def test_side_words_name_one_side():
    owner: dict[str, set[str]] = defaultdict(set)
    for words in hw.SIDE_WORDS.values():
        for word, side in words.items():
            assert side in SIDES
            owner[normalize_name(word)].add(side)
    assert {w: s for w, s in owner.items() if len(s) > 1} == {}
    assert all(SIDE_CELLS[w] == s.pop() for w, s in owner.items())


def test_missing_date_names_the_other_languages():
    hm = map_headers(["Tag", "Übung"], "sessions", default_program())
    (problem,) = [p for _, p in hm.problems]
    assert "missing required column date" in problem
    assert "Datum (de)" in problem and "fecha (es)" in problem and "data (it)" in problem


if __name__ == "__main__":
    print("\n\n".join(doc_tables().values()))
