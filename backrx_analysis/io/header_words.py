"""The words people write in German, French, Spanish, Dutch and Italian logs.

:mod:`.headers` joins :data:`HEADERS` to its English lists into the one synonym table
(:data:`backrx_analysis.io.headers.SYNONYMS`); the other tables here are the same
languages' words for the units in brackets (``Dauer (Min.)``), the measure words of a
wide sheet's columns (``Minutos de caminata``) and the sides (``links``, ``droite``),
which :mod:`.headers` (wide columns such as ``SLR links``) and :mod:`.fields` (a side
column's cells) both read. Every word is compared after
:func:`backrx_analysis.program.normalize_name`: case, spaces, punctuation and
accents do not matter (``Übung`` = ``ubung``, ``répétitions`` = ``repetitions``).

Left out on purpose, because an English sheet writes them with another meaning: the
German ``Tag`` (day; an English "tag" is a label), the French ``note`` as a score (it
is the notes column, as in English), ``temps`` / ``tiempo`` / ``tempo`` without a unit
(duration or time of day: only ``(min)`` decides), ``Wert`` / ``Stärke`` (any value,
any strength) and the one-letter ``S`` / ``I`` sides.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "HEADERS", "PAIN_CONTEXT", "DURATION_WORDS", "MINUTE_UNITS",
           "SECOND_UNITS", "MEASURE_WORDS", "LINK_WORDS", "ROUTINE_WORDS", "SIDE_WORDS"]

#: The languages the synonym table knows besides English.
LANGUAGES = {"de": "German", "fr": "French", "es": "Spanish", "nl": "Dutch", "it": "Italian"}

#: field -> language -> headers written in that language (English ones are in
#: :mod:`.headers`; a word shared with English, such as "date" or "minutes", is
#: listed here too, so each language's list is complete).
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "patient_id": {
        "de": ("Patient", "Patientin", "Patienten-ID", "Patientennummer", "Klient",
               "Proband", "Teilnehmer"),
        "fr": ("patient", "patiente", "id patient", "identifiant patient", "numéro patient",
               "client", "sujet", "participant"),
        "es": ("paciente", "id paciente", "id del paciente", "número de paciente", "cliente",
               "sujeto", "participante"),
        "nl": ("patiënt", "patiënt id", "patiëntnummer", "cliënt", "deelnemer",
               "proefpersoon"),
        "it": ("paziente", "id paziente", "codice paziente", "cliente", "soggetto",
               "partecipante"),
    },
    "date": {
        "de": ("Datum", "Zeitstempel", "Datum und Uhrzeit", "Datum/Uhrzeit"),
        "fr": ("date", "jour", "date et heure", "horodatage"),
        "es": ("fecha", "día", "fecha y hora"),
        "nl": ("datum", "dag", "datum en tijd"),
        "it": ("data", "giorno", "data e ora"),
    },
    "time": {
        "de": ("Uhrzeit", "Zeit", "Uhr", "Tageszeit"),
        "fr": ("heure", "horaire"),
        "es": ("hora",),
        "nl": ("tijd", "tijdstip", "uur"),
        "it": ("ora", "orario"),
    },
    "exercise": {
        "de": ("Übung", "Uebung", "Übungsname", "Aktivität", "Bewegung", "Tätigkeit"),
        "fr": ("exercice", "nom de l'exercice", "activité", "mouvement"),
        "es": ("ejercicio", "nombre del ejercicio", "actividad", "movimiento"),
        "nl": ("oefening", "naam oefening", "activiteit", "beweging"),
        "it": ("esercizio", "nome esercizio", "attività", "movimento"),
    },
    "reps": {
        "de": ("Wiederholungen", "Wiederholung", "Wdh", "Wdh.", "Wiederh.", "Anzahl"),
        "fr": ("répétitions", "répétition", "rép", "rép.", "nombre de répétitions"),
        "es": ("repeticiones", "repetición", "reps", "número de repeticiones"),
        "nl": ("herhalingen", "herhaling", "herh.", "aantal", "aantal herhalingen"),
        "it": ("ripetizioni", "ripetizione", "rip.", "numero di ripetizioni"),
    },
    "sets": {
        "de": ("Sätze", "Satz", "Serien", "Serie", "Anzahl Sätze", "Durchgänge"),
        "fr": ("séries", "série", "nombre de séries"),
        "es": ("series", "serie", "número de series"),
        "nl": ("sets", "set", "series", "serie", "aantal sets"),
        "it": ("serie", "set", "numero di set"),
    },
    "side": {
        "de": ("Seite", "Körperseite", "Bein"),
        "fr": ("côté", "jambe", "membre"),
        "es": ("lado", "pierna", "extremidad"),
        "nl": ("kant", "zijde", "been"),
        "it": ("lato", "gamba", "arto"),
    },
    "minutes": {
        "de": ("Minuten", "Minute", "Min.", "Dauer", "Übungszeit", "Übungsdauer",
               "Übungsminuten", "Trainingszeit", "Trainingsdauer", "Trainingsminuten"),
        "fr": ("minutes", "min", "mn", "durée", "temps d'exercice"),
        "es": ("minutos", "minuto", "duración", "tiempo de ejercicio"),
        "nl": ("minuten", "min", "duur", "tijdsduur", "oefentijd"),
        "it": ("minuti", "minuto", "durata", "tempo di esercizio"),
    },
    "hold_s": {
        "de": ("Halten", "Haltezeit", "Haltedauer", "Sekunden gehalten"),
        "fr": ("maintien", "temps de maintien", "durée de maintien", "secondes maintenues"),
        "es": ("mantener", "mantenimiento", "tiempo de mantenimiento", "segundos mantenidos"),
        "nl": ("vasthouden", "aanhouden", "vasthoudtijd", "seconden vastgehouden"),
        "it": ("tenuta", "mantenimento", "tempo di tenuta", "secondi mantenuti"),
    },
    "notes": {
        "de": ("Notizen", "Notiz", "Bemerkung", "Bemerkungen", "Anmerkung", "Anmerkungen",
               "Kommentar", "Kommentare"),
        "fr": ("notes", "note", "remarque", "remarques", "commentaire", "commentaires",
               "observations"),
        "es": ("notas", "nota", "comentario", "comentarios", "observaciones", "observación"),
        "nl": ("notities", "notitie", "opmerkingen", "opmerking", "commentaar"),
        "it": ("note", "nota", "commento", "commenti", "osservazioni", "osservazione"),
    },
    "pain": {
        "de": ("Schmerz", "Schmerzen", "Schmerzstärke", "Schmerzintensität", "Schmerzniveau",
               "Schmerzwert", "Schmerzskala"),
        "fr": ("douleur", "niveau", "niveau de douleur", "intensité de la douleur",
               "intensité douleur", "score douleur"),
        "es": ("dolor", "nivel", "nivel de dolor", "intensidad del dolor", "intensidad de dolor",
               "puntuación", "puntuación del dolor"),
        "nl": ("pijn", "pijnscore", "pijnniveau", "pijnintensiteit", "niveau"),
        "it": ("dolore", "livello", "livello di dolore", "livello del dolore",
               "intensità del dolore", "punteggio"),
    },
    "context": {
        "de": ("Kontext", "Situation", "Moment", "Umstand", "Umstände"),
        "fr": ("contexte", "situation", "moment", "circonstance", "circonstances"),
        "es": ("contexto", "situación", "momento", "circunstancia", "circunstancias"),
        "nl": ("context", "situatie", "moment", "omstandigheid", "omstandigheden"),
        "it": ("contesto", "situazione", "momento", "circostanza", "circostanze"),
    },
    "location": {
        "de": ("Ort", "Stelle", "Schmerzort", "Lokalisation", "Körperstelle", "Körperteil",
               "Bereich"),
        "fr": ("localisation", "lieu", "endroit", "zone", "partie du corps"),
        "es": ("ubicación", "localización", "lugar", "zona", "parte del cuerpo"),
        "nl": ("locatie", "plaats", "plek", "gebied", "lichaamsdeel"),
        "it": ("posizione", "sede", "localizzazione", "zona", "parte del corpo"),
    },
    "scale": {
        "de": ("Skala", "Bewertungsskala"),
        "fr": ("échelle", "échelle de douleur"),
        "es": ("escala", "escala de dolor"),
        "nl": ("schaal", "pijnschaal"),
        "it": ("scala", "scala del dolore"),
    },
    "measured": {
        "de": ("gemessen",),
        "fr": ("mesuré",),
        "es": ("medido",),
        "nl": ("gemeten",),
        "it": ("misurato",),
    },
}

#: In a pain log, the exercise or activity column says what was going on: context
#: (as the English "activity" and "exercise" do).
PAIN_CONTEXT = ("Übung", "Uebung", "Aktivität", "Tätigkeit", "exercice", "activité",
                "ejercicio", "actividad", "oefening", "activiteit", "esercizio", "attività")

#: Words that, with a minute unit in brackets, are minutes of exercise (``Zeit (min)``);
#: without a unit ``Zeit`` / ``tijd`` is the time of day and the others are ignored.
DURATION_WORDS = ("zeit", "temps", "tiempo", "tijd", "tempo")

#: Units in brackets (English ones are in :mod:`.headers`).
MINUTE_UNITS = ("minuten", "minute", "minuto", "minutos", "minuti", "mn")
SECOND_UNITS = ("sek", "sekunde", "sekunden", "seconde", "secondes", "seg", "segundo",
                "segundos", "seconden", "secondi", "secondo")

#: A wide sheet's measure words, after or before the exercise's name
#: (``Spaziergang Minuten``, ``Minutos de caminata``): measure -> words.
MEASURE_WORDS = {
    "minutes": ("minuten", "minuto", "minutos", "minuti", "mn", "dauer", "duree", "duracion",
                "duur", "durata"),
    "reps": ("wiederholungen", "wdh", "repetitions", "rep", "repeticiones", "herhalingen",
             "ripetizioni", "rip", "anzahl", "aantal", "gesamt", "totale", "totaal"),
}
#: Words between a leading measure word and the name: "minutos *de* caminata".
LINK_WORDS = ("de", "del", "des", "du", "d", "di", "della", "dello", "van", "der")

#: A wide sheet's "exercise minutes" column in these languages: these names with a
#: minute word (``Übung Minuten``, ``Minutes d'exercice``, ``minuti esercizio``) are the
#: whole routine's minutes (the ``session`` activity).
ROUTINE_WORDS = ("ubung", "uebung", "exercice", "ejercicio", "oefening", "esercizio")

#: language -> side word -> side (compared after normalize_name).
SIDE_WORDS: dict[str, dict[str, str]] = {
    "de": {"links": "left", "li": "left", "linkes bein": "left", "rechts": "right",
           "re": "right", "rechtes bein": "right", "beide": "both", "beidseitig": "both",
           "beidseits": "both", "bds": "both", "beide beine": "both", "beide seiten": "both"},
    "fr": {"gauche": "left", "g": "left", "jambe gauche": "left", "droite": "right",
           "d": "right", "jambe droite": "right", "les deux": "both", "deux": "both",
           "les deux jambes": "both", "des deux côtés": "both", "bilatéral": "both",
           "chaque jambe": "both"},
    "es": {"izquierda": "left", "izquierdo": "left", "izq": "left", "izda": "left",
           "pierna izquierda": "left", "derecha": "right", "derecho": "right", "der": "right",
           "dcha": "right", "pierna derecha": "right", "ambos": "both", "ambas": "both",
           "ambos lados": "both", "ambas piernas": "both", "cada pierna": "both"},
    "nl": {"links": "left", "linkerbeen": "left", "rechts": "right", "rechterbeen": "right",
           "beide": "both", "beiden": "both", "beide benen": "both", "beide kanten": "both",
           "allebei": "both"},
    "it": {"sinistra": "left", "sinistro": "left", "sx": "left", "gamba sinistra": "left",
           "destra": "right", "destro": "right", "dx": "right", "gamba destra": "right",
           "entrambi": "both", "entrambe": "both", "entrambi i lati": "both",
           "entrambe le gambe": "both", "bilaterale": "both", "ambedue": "both"},
}
