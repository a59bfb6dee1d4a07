"""App exports -> the raw tables loading already validates: a module per app.

Offers :func:`detect` (which app wrote a file, by its content: first bytes, zip
member names; by its name only when the content says nothing), :func:`read_app`
(an export -> :class:`AppRead`: a raw table with canonical headers, the app's name and
a report of what was left out and why), :func:`read_app_table` (the hook for
loading: ``None`` for a file that is no app export), :data:`APPS` (the registry) and
:class:`AppRead`.

An app module extracts values as the app wrote them and names them with canonical
headers (``date`` with its offset, ``exercise``, ``minutes``, ``notes``, ``pain``...);
:func:`backrx_analysis.io.validate.to_canonical` does every check, as for any file::

    app = read_app_table(path, "sessions", program)
    raw = app.raw if app is not None else read_table(path, ...)
    frame, problems = to_canonical(raw, "sessions", program=program)

A new app is one module here, listed in :data:`APPS`, providing:

``KEY``
    the name of ``source=`` (``"apple_health"``);
``NAME``
    the app's name as people know it (``"Apple Health"``);
``KINDS``
    the logs it can feed (``("sessions",)``, ``("pain",)`` or both);
``sniff(peek) -> bool``
    whether a :class:`~.base.Peek` (first bytes, zip member names) is its export;
``by_name(name) -> bool``
    its usual file names, tried only when no app recognises the content (so an
    empty or damaged export is refused with the app's own words);
``read(peek, *, kind, program, names, tz=None, patient_id=None) -> AppRead``
    raising :class:`~backrx_analysis.errors.LogFormatError` when the file cannot be
    read at all; ``names`` (:class:`~.names.ActivityNames`) maps the app's activity
    names to the program's and counts those that are not part of it.

Readers: :mod:`.apple_health` (``export.zip`` / ``export.xml``),
:mod:`.fitbit` (``exercise-N.json``, the archive zip),
:mod:`.google_fit` (Takeout ``All Sessions/*.json``, ``Daily activity metrics.csv``, the zip),
:mod:`.wger` (the REST API's ``workoutlog`` JSON),
:mod:`.pain_tracker` (Pain Tracker's ``pain-data-*.csv`` / ``.json``),
:mod:`.daylio` (``daylio_export_*.csv``),
:mod:`.bearable` (Bearable's CSV export),
:mod:`.strava` (the archive's ``activities.csv``, or the zip),
:mod:`.garmin` (Garmin Connect's ``Activities.csv``).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

from ...errors import LogFormatError
from ...program import Program
from ..raw_table import RawTable
from . import apple_health, bearable, daylio, fitbit, garmin, google_fit, pain_tracker, strava, wger
from .base import AppRead, AppReportWarning, Peek, peek
from .names import Activities, activity_names

__all__ = ["APPS", "AppRead", "AppReportWarning", "RawTable", "detect", "read_app", "read_app_table",
           "single_kind"]

#: ``source=`` key -> the app's reader module, in the order they are tried
APPS: dict[str, ModuleType] = {m.KEY: m for m in (
    apple_health, fitbit, pain_tracker, wger, daylio, bearable, strava, garmin, google_fit)}

_KINDS = ("sessions", "pain")


def _detect(p: Peek) -> ModuleType | None:
    for module in APPS.values():
        if module.sniff(p):
            return module
    for module in APPS.values():
        if module.by_name(p.path.name):
            return module
    return None


def detect(path: str | os.PathLike) -> str | None:
    """The key of the app that wrote ``path`` (``"apple_health"``), or ``None``.

    Recognised by content (the first bytes; a zip's member names, also from the local
    headers of a truncated zip); by the app's usual file names only when no app
    recognises the content. ``None`` for a missing file, a folder, or any other file.

    >>> from backrx_analysis.io import sample_path
    >>> detect(sample_path("sessions")) is None
    True
    """
    p = peek(path)
    if p is None:
        return None
    module = _detect(p)
    return None if module is None else module.KEY


def single_kind(src: object, source: str | None = None) -> str | None:
    """The one kind of log (``"pain"``) the app that wrote ``src`` can feed, or ``None``
    (not an app export, or an app feeding both): what ``kind="auto"`` reads it as."""
    if source is not None:
        module = APPS.get(source)
    elif isinstance(src, str | os.PathLike):
        p = peek(src)
        module = _detect(p) if p is not None else None
    else:
        module = None
    return module.KINDS[0] if module is not None and len(module.KINDS) == 1 else None


def _module(source: str) -> ModuleType:
    if source not in APPS:
        raise ValueError(f"source must be one of {', '.join(map(repr, APPS))}, got {source!r}")
    return APPS[source]


def read_app(
    path: str | os.PathLike,
    *,
    kind: str,
    source: str | None = None,
    program: Program,
    tz: str | None = None,
    patient_id: str | None = None,
    activities: Activities = None,
) -> AppRead:
    """Read an app export as a ``kind`` (``"sessions"`` or ``"pain"``) log.

    Parameters
    ----------
    path : path
        The export, as the app wrote it.
    source : str, optional
        One of :data:`APPS` to skip recognition (a file whose content says nothing).
    program : Program
        The program whose exercises the app's entries are mapped to.
    tz : str, optional
        For apps that write only UTC times: the zone the person lived in. Apps that
        write offsets do not need it.
    patient_id : str, optional
        Written in a ``patient_id`` column of the raw table.
    activities : path or dict, optional
        The user's mapping of the app's activity names (``activities.toml``, see
        :mod:`.names`); the program's names and aliases are used without it.

    Raises
    ------
    LogFormatError
        The file is missing, not an export of a known app, or cannot be read.
    ValueError
        ``kind`` or ``source`` is not one the kit knows.
    """
    return _read_peeked(path, peek(path), kind=kind, source=source, program=program, tz=tz,
                        patient_id=patient_id, activities=activities)


def _read_peeked(path, p: Peek | None, *, kind: str, source: str | None, program: Program,
                 tz: str | None, patient_id: str | None, activities: Activities = None) -> AppRead:
    """:func:`read_app` of a file already looked at (``p``: its :func:`peek`)."""
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'sessions' or 'pain', got {kind!r}")
    module = _module(source) if source is not None else None
    if p is None:
        where = Path(path)
        what = "is a folder, not an export" if where.is_dir() else f"file not found: {where}"
        raise LogFormatError(str(path), what)
    if module is None:
        module = _detect(p)
        if module is None:
            known = ", ".join(m.NAME for m in APPS.values())
            raise LogFormatError(str(path), f"is not an export of an app the kit reads ({known})")
    if kind not in module.KINDS:
        raise LogFormatError(str(path), f"an export of {module.NAME} holds no {kind} log")
    names = activity_names(activities, program)
    return module.read(p, kind=kind, program=program, names=names, tz=tz, patient_id=patient_id)


def read_app_table(
    src: object,
    kind: str,
    program: Program,
    *,
    source: str | None = None,
    tz: str | None = None,
    patient_id: str | None = None,
    activities: Activities = None,
) -> AppRead | None:
    """The hook for loading: the :class:`AppRead` of ``src`` when it is an app export
    (or ``source`` names an app), else ``None`` (a DataFrame, a spreadsheet, a CSV in
    the kit's own shape: read them with :func:`~backrx_analysis.io.readers.read_table`).

    Raises :class:`LogFormatError` as :func:`read_app` does for an export that cannot
    be read.
    """
    if not isinstance(src, str | os.PathLike):
        return None
    p = peek(src)  # once: recognising the file and reading it share this look
    if source is None and (p is None or _detect(p) is None):
        return None
    return _read_peeked(src, p, kind=kind, source=source, program=program, tz=tz,
                        patient_id=patient_id, activities=activities)
