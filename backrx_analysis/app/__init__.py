"""ipywidgets shells over the library: no analysis inside.

:mod:`.dashboard` is :class:`Dashboard` (the tabs of charts for a patient and a
period, with export buttons); :mod:`.form` is :class:`LogForm` (the daily log form,
which writes through :mod:`backrx_analysis.io.writer`); :mod:`.questionnaire` is
:class:`QuestionnaireForm` (a visit's ODI, RMDQ, PSFS and EARS, appended to the
questionnaire sheet through :mod:`backrx_analysis.io.outcome_writer`);
:mod:`.patient_app` is :class:`PatientApp` (the three together over one patient's
files: what `make app` shows); :mod:`.kernel_client` is the kernel client Voila
runs the app's notebook with (:class:`PromptKernelClient`, docs/app.md).

Each name is imported on first use (PEP 562): the Voila server imports
:mod:`.kernel_client` without pandas, matplotlib or ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> the module (in this package) that defines it
_HOMES = {"TABS": "dashboard", "Dashboard": "dashboard", "LogForm": "form",
          "QuestionnaireForm": "questionnaire", "PatientApp": "patient_app",
          "PromptKernelClient": "kernel_client"}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
