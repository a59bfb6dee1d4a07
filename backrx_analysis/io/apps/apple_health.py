"""Apple Health: ``export.zip`` (Health app > profile picture > Export All Health Data)
or the ``export.xml`` inside it -> walks, and a count of what is left out.

The export is one XML document, often gigabytes: it is read streaming
(``xml.etree.ElementTree.iterparse``), keeping only the attributes of walking
``Workout`` elements and the type of each ``Record``, every element cleared once
read and the root's children dropped, so memory stays bounded whatever the size.

What becomes an entry (``walk``; the rules are in docs/data-format.md, "Apple Health"):

* ``HKWorkoutActivityTypeWalking`` and ``HKWorkoutActivityTypeHiking`` workouts. Hiking
  is walking on a trail, and other apps' exports map a hike to a walk as well
  (Strava's "Hike"); the report counts the hikes so the choice is visible.
* minutes from ``duration`` and ``durationUnit`` (``min``, ``s``, ``ms``, ``hr``/``h``,
  ``d``). Apple's export writes ``durationUnit="min"`` on every workout, so a missing
  unit is read as minutes and counted in the report. A missing ``duration`` is not
  replaced by ``endDate - startDate``: Apple's ``duration`` is the workout's active time,
  the interval less its pauses, so the interval would be a guess; the minutes stay
  unknown (and validation says the walk needs them).
* the day: the calendar day of ``startDate`` as written with its offset
  (``2016-11-14 07:25:41 -0700`` is 14 November), never converted to UTC; a walk
  crossing midnight belongs to the day it started.
* the same walk recorded by two sources (``sourceName``: a watch and a phone) is
  counted once: see :mod:`.apple_health_walks`.

A pain log reads the lower-back-pain symptom samples
(``HKCategoryTypeIdentifierLowerBackPain``): each severity is a rating on Apple's own
scale (``scale`` ``apple_health``: 0 not present, 1 mild, 2 moderate, 3 severe), never
turned into 0-10 pain; a sample "present, severity not given"
(``HKCategoryValueSeverityUnspecified``) has no point on that scale and is left out,
counted. Its day is the ``startDate`` as written, its locator the Record element's
ordinal in the export.

Left out, with counts in the report: other workout types, records of every other
type, activity summaries.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO
from xml.etree import ElementTree as ET
from xml.parsers import expat

from ...errors import LogFormatError
from ...program import Program
from .apple_health_walks import LOWER_BACK_PAIN, WALK_TYPES, Scan, Walk, pain_rows, walk_rows
from .base import AppRead, Peek, build_raw
from .names import ActivityNames

__all__ = ["KEY", "NAME", "KINDS", "sniff", "by_name", "read", "export_member"]

KEY = "apple_health"
NAME = "Apple Health"
KINDS = ("sessions", "pain")
LINE_LABEL = "Workout element"
MEMBER = "apple_health_export/export.xml"

_SUMMARY_TAGS = ("ActivitySummary", "Correlation", "ClinicalRecord", "Audiogram",
                 "VisionPrescription")


# -- recognising the file -------------------------------------------------------------


def _export_members(names: list[str]) -> list[str]:
    return [n for n in names if n.casefold().endswith("export.xml")
            and not n.casefold().endswith("export_cda.xml")]


def export_member(names: list[str]) -> str | None:
    """The member holding the export: ``apple_health_export/export.xml``, else the
    one member whose path ends in ``export.xml`` (``None`` when there is none or
    several)."""
    if MEMBER in names:
        return MEMBER
    found = _export_members(names)
    return found[0] if len(found) == 1 else None


def sniff(p: Peek) -> bool:
    """An Apple Health export by its content: a zip holding ``.../export.xml`` (or
    the ``apple_health_export/`` folder), or XML whose root is ``<HealthData>``."""
    if p.is_zip:
        return bool(_export_members(p.members)) or any(
            n.startswith("apple_health_export/") for n in p.members)
    return _PROLOG.match(p.head) is not None


#: a BOM, the XML declaration, comments, then the DOCTYPE naming the root or the root
_PROLOG = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*"
                     rb"<(?:!DOCTYPE\s+)?HealthData[\s>/\[]", re.S)


def by_name(name: str) -> bool:
    """When the content says nothing (an empty or damaged file): Apple's names."""
    n = name.casefold()
    return n in ("export.xml", "export.zip") or (
        n.startswith("apple_health_export") and n.endswith((".zip", ".xml")))


# -- reading --------------------------------------------------------------------------


@contextmanager
def _open_export(p: Peek) -> Iterator[tuple[IO[bytes], str]]:
    """(stream of the export XML, its name for problems)."""
    name = str(p.path)
    if not p.is_zip:
        if p.path.suffix.lower() == ".zip" and not sniff(p):
            raise LogFormatError(name, "is named .zip but is not a zip file (nor an export.xml): "
                                       "copy or download the export again")
        with p.path.open("rb") as f:
            yield f, name
        return
    if p.zip_problem is not None:
        raise LogFormatError(
            name, f"is a damaged or incomplete zip ({p.zip_problem}); copy or download the "
                  f"export again, or unzip it and load {MEMBER}")
    member = export_member(p.members)
    if member is None:
        found = _export_members(p.members)
        what = (f"several ({', '.join(found)}): unzip the one to read" if found else
                f"none (members: {', '.join(p.members[:8]) or 'none'})")
        raise LogFormatError(name, f"is a zip but not one Apple Health export: it should hold "
                                   f"{MEMBER}; it holds {what}")
    try:
        with zipfile.ZipFile(p.path) as z, z.open(member) as f:
            yield f, f"{name}:{member}"
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as exc:
        raise LogFormatError(f"{name}:{member}",
                             f"cannot be unzipped ({exc or type(exc).__name__}): the zip is "
                             "damaged or incomplete; copy or download the export again") from exc


def _xml_problem(exc: ET.ParseError, scan: Scan) -> str:
    line, col = exc.position
    where = f"at line {line:,}, column {col}"
    after = (f" (after {LINE_LABEL} {scan.workouts:,}, the last workout read)"
             if scan.workouts else "")
    code = getattr(exc, "code", None)
    if code == _ERR["JUNK"]:
        return (f"has content after the end of the export (</HealthData>) {where}{after}: "
                "two files joined, or a damaged copy; delete what follows </HealthData>")
    if code in (_ERR["NO_ELEMENTS"], _ERR["UNCLOSED"], _ERR["PARTIAL"]) and scan.started:
        return (f"ends before the export does {where}{after}: the file is truncated; "
                "copy or export it again")
    if code == _ERR["NO_ELEMENTS"]:
        return "is empty: an Apple Health export.xml holds a <HealthData> element"
    reason = str(exc).split(":")[0]
    return (f"is not well-formed XML {where}{after} ({reason}): not a file Apple Health "
            "wrote, or a damaged copy")


_ERR = {
    k: expat.errors.codes[getattr(expat.errors, v)]
    for k, v in (("JUNK", "XML_ERROR_JUNK_AFTER_DOC_ELEMENT"),
                 ("NO_ELEMENTS", "XML_ERROR_NO_ELEMENTS"),
                 ("UNCLOSED", "XML_ERROR_UNCLOSED_TOKEN"),
                 ("PARTIAL", "XML_ERROR_PARTIAL_CHAR"))
}


def scan(stream: IO[bytes], scan: Scan) -> None:
    """Stream the export into ``scan``: walking workouts' attributes, the count of
    every other workout type, record type and summary element. Raises
    ``ET.ParseError`` (the caller says where) and zip errors from the stream."""
    it = ET.iterparse(stream, events=("start", "end"))
    _, root = next(it)
    scan.started = True
    if root.tag != "HealthData":
        raise _NotHealth(root.tag)
    records, others, summaries = scan.records, scan.other_workouts, scan.summaries
    pain = scan.back_pain
    walks = scan.walks
    n_workouts = n_records = 0
    for event, el in it:
        if event == "start":
            continue
        tag = el.tag
        if tag == "Record":
            n_records += 1
            kind = el.get("type")
            records[kind] = records.get(kind, 0) + 1
            if kind == LOWER_BACK_PAIN:
                value = el.get("value")
                pain[value] = pain.get(value, 0) + 1
                scan.pain_records.append((n_records, el.get("startDate"), value,
                                          el.get("sourceName")))
            el.clear()
            root.clear()
        elif tag == "Workout":
            n_workouts += 1
            scan.workouts = n_workouts
            kind = el.get("workoutActivityType")
            if kind in WALK_TYPES:
                g = el.get
                walks.append(Walk(n_workouts, kind, g("startDate"), g("endDate"), g("duration"),
                                  g("durationUnit"), g("sourceName")))
            else:
                others[kind] = others.get(kind, 0) + 1
            el.clear()
            root.clear()
        else:
            if tag in _SUMMARY_TAGS:
                summaries[tag] = summaries.get(tag, 0) + 1
                root.clear()
            el.clear()


class _NotHealth(Exception):
    pass


def read(
    p: Peek,
    *,
    kind: str,
    program: Program,
    names: ActivityNames | None = None,
    tz: str | None = None,
    patient_id: str | None = None,
) -> AppRead:
    """Read an Apple Health export (see the module's docstring).

    ``names`` is not used: Apple names each workout's type with its own identifier.
    ``tz`` is not needed: Apple writes every time with its UTC offset, and the day is
    the one written (a ``tz`` given never moves an entry to another day).

    Raises
    ------
    LogFormatError
        The file cannot be read: a damaged or truncated zip, XML that is not
        well-formed or ends early, content after ``</HealthData>``, another XML file.
    """
    result = Scan()
    with _open_export(p) as (stream, name):
        try:
            scan(stream, result)
        except ET.ParseError as exc:
            raise LogFormatError(name, _xml_problem(exc, result)) from None
        except _NotHealth as exc:
            raise LogFormatError(name, f"is XML, but not an Apple Health export: its root is "
                                       f"<{exc}>, an export's is <HealthData>") from None
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            after = f" after {LINE_LABEL} {result.workouts:,}" if result.workouts else ""
            raise LogFormatError(
                name, f"cannot be unzipped ({exc or type(exc).__name__}){after}: the zip is "
                      "damaged or incomplete; copy or download the export again") from None
    if kind == "pain":
        columns, lines, report = pain_rows(result, program)
        label = "Record element"
    else:
        columns, lines, report = walk_rows(result, program)
        label = LINE_LABEL
    if patient_id is not None:
        columns["patient_id"] = [patient_id] * len(lines)
    return AppRead(build_raw(columns, lines, name, label), NAME, report)

