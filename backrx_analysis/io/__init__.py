"""Files -> one validated canonical frame, and the one log writer.

Reading is two halves: :mod:`.readers` turns a file of any supported format
(:mod:`.delimited` and :mod:`.arrow_csv` for delimited text, spreadsheets, JSON,
Parquet) into a :class:`~.raw_table.RawTable` with the line every row came from;
:mod:`.validate` (with :mod:`.headers`, :mod:`.cells`, :mod:`.dates`,
:mod:`.iso_dates`, :mod:`.times` and :mod:`.fields`) turns that into a canonical
frame, collecting every problem.
:mod:`.load` is the public face (``load_sessions``, ``load_pain``, ``check_logs``,
``read_log``, the bundled sample), with :mod:`.duplicates` for entries found again in a
later file; :mod:`.writer` is the only code that appends to a log file.
:mod:`.outcomes` (with :mod:`.outcome_fields`) reads function questionnaires (ODI,
RMDQ, PSFS, EARS) into one long frame, checked as the logs are;
:mod:`.outcome_writer` appends answers to such a sheet through the writer's core.
:mod:`.fhir` (with :mod:`.fhir_rows`, :mod:`.fhir_plans` and the vocabulary
:mod:`.fhir_codes`) reads HL7 FHIR R4 bundles back into those frames.

Offers: :func:`load_sessions`, :func:`load_pain`, :func:`check_logs`,
:func:`read_log`, :func:`load_sample`, :func:`sample_path`, :func:`append_sessions`,
:func:`append_pain`, :class:`DuplicateEntriesWarning`, :func:`load_outcomes`,
:func:`check_outcomes`, :func:`append_outcomes`, :func:`load_fhir`; and app exports (:mod:`.apps`, a
module per app: :func:`detect` says which app wrote a file, the loaders read it,
:class:`AppReportWarning` says what it left out).
"""

from .apps import AppReportWarning, detect
from .fhir import FhirRead, load_fhir
from .load import (
    DuplicateEntriesWarning,
    append_pain,
    append_sessions,
    check_logs,
    load_pain,
    load_sessions,
    read_log,
)
from .outcome_writer import append_outcomes
from .outcomes import check_outcomes, load_outcomes
from .sample import load_sample, sample_path

__all__ = [
    "AppReportWarning",
    "DuplicateEntriesWarning",
    "FhirRead",
    "detect",
    "append_outcomes",
    "append_pain",
    "append_sessions",
    "check_logs",
    "check_outcomes",
    "load_fhir",
    "load_outcomes",
    "load_pain",
    "load_sample",
    "load_sessions",
    "read_log",
    "sample_path",
]
