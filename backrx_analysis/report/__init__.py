"""Figures and summaries -> files for a clinician: PDF report, PNG / SVG / PDF charts, CSV.

:mod:`.export` writes the files (:func:`export_report`, :func:`export_charts`,
:func:`export_caseload`); :mod:`.pages` builds the report's pages as Figures,
:mod:`.layout` is their page furniture (A4 boxes, wrapped text, tables across pages,
footers) and :mod:`.text` their words; :mod:`.tables` writes the analysis as CSV
tables a spreadsheet opens safely (:func:`export_tables`); :mod:`.fhir` (with
:mod:`.fhir_observations` and :mod:`.fhir_plans`) writes an HL7 FHIR R4 Bundle per
patient for a clinic's record system (:func:`export_fhir`).
"""

from .export import CHARTS, export_caseload, export_charts, export_report, safe_filename
from .fhir import export_fhir
from .tables import export_tables
from .text import format_pct, summary_lines

__all__ = [
    "CHARTS",
    "export_caseload",
    "export_charts",
    "export_fhir",
    "export_report",
    "export_tables",
    "format_pct",
    "safe_filename",
    "summary_lines",
]
