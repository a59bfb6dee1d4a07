"""The dashboard's export buttons: "Export for clinician" (the PDF report and the
charts of the period) and the FHIR R4 Bundle of the period, written into the
dashboard's export folder and nowhere else. A mixin of
:class:`~backrx_analysis.app.dashboard.Dashboard` (which holds the controls and the
analysis these read); the files are made by :mod:`backrx_analysis.report`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ..report.export import safe_filename

__all__ = ["ExportButtons"]


class ExportButtons:
    """``_on_export`` and ``_on_export_fhir`` of the Dashboard."""

    def _export_target(self, name: str) -> Path:
        """``name`` in the export folder; never a path outside it."""
        folder = self.export_dir.resolve()
        target = (folder / name).resolve()
        if folder not in target.parents:
            raise ValueError(f"refusing to write outside {folder}: {target}")
        return target

    def _on_export_fhir(self, *_: Any) -> None:
        from ..report.fhir import export_fhir

        start, end = self._period()
        target = self._export_target(
            f"backrx-{safe_filename(self._label())}-{start:%Y%m%d}-{end:%Y%m%d}.fhir.json")
        self.export_result.value = "Writing\u2026"
        target.parent.mkdir(parents=True, exist_ok=True)
        a = self._analysis()
        written = export_fhir(a.sessions, a.pain, target, program=self.program,
                              outcomes=self.analysis.outcomes, patient_label=self._label(),
                              start=start, end=end, include_notes=self.include_notes.value)
        self.exported = written
        items = "".join(f"<li><code>{html.escape(str(w))}</code></li>" for w in written)
        self.export_result.value = f"Wrote the FHIR R4 Bundle:<ul>{items}</ul>"

    def _on_export(self, *_: Any) -> None:
        from ..report.export import export_charts, export_report

        start, end = self._period()
        stem = f"backrx-{safe_filename(self._label())}-{start:%Y%m%d}-{end:%Y%m%d}"
        pdf, charts_dir = self._export_target(f"{stem}.pdf"), self._export_target(f"{stem}-charts")
        self.export_result.value = "Writing\u2026"
        pdf.parent.mkdir(parents=True, exist_ok=True)
        period = self._analysis().between(start, end)
        written = [export_report(period, pdf, patient_label=self._label(),
                                 include_notes=self.include_notes.value)]
        written += export_charts(period, charts_dir, formats=("png",),
                                 patient_label=self._label())
        self.exported = written
        items = "".join(f"<li><code>{html.escape(str(w))}</code></li>" for w in written)
        self.export_result.value = f"Wrote {len(written)} files:<ul>{items}</ul>"
