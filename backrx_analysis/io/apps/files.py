"""What reading an app export's files shares: text in the encodings exports come in,
a JSON document (every way it can be
damaged named, with the place), the members of a zip (a damaged one refused with the
archive's name), a file named ``.zip`` that is not one, durations in milliseconds."""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ...errors import LogFormatError
from .base import Peek

__all__ = ["json_document", "load_json", "zip_members", "ms_minutes", "not_a_zip",
           "decode_text", "export_text"]

_NUMBER = re.compile(r"\s*[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?\s*\Z")



def json_document(data: bytes, name: str, what: str) -> object:
    """``data`` parsed as JSON, or :class:`LogFormatError` naming ``name`` and the
    place: not UTF-8, empty, truncated, content after the end, not well-formed.
    ``what`` says what the file should be."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LogFormatError(name, f"is not UTF-8 text (byte {exc.start:,} cannot be read): "
                                   f"{what}") from None
    if not text.strip():
        raise LogFormatError(name, f"is empty: {what}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"at line {exc.lineno:,}, column {exc.colno}"
        rest = text[exc.pos:]
        if exc.msg == "Extra data":
            problem = (f"has content after the end of the JSON {where}: two files joined, or "
                       "a damaged copy; delete what follows the closing bracket")
        elif not rest.strip() or (exc.msg.startswith("Unterminated string")
                                  and '"' not in rest[1:]):
            problem = (f"ends before the JSON does {where}: the file is truncated; copy or "
                       "export it again")
        else:
            problem = (f"is not well-formed JSON {where} ({exc.msg}): a damaged copy, or not "
                       f"the app's file ({what})")
        raise LogFormatError(name, problem) from None
    except RecursionError:
        raise LogFormatError(name, f"is JSON nested too deeply to read: {what}") from None


def zip_members(p: Peek, members: list[str], hint: str) -> Iterator[tuple[str, bytes]]:
    """(member, its bytes) of each of ``members`` of the zip ``p``; a damaged zip or
    member is a :class:`LogFormatError` naming the archive (and the member). ``hint``
    says what else the person may load."""
    name = where = str(p.path)
    if p.zip_problem is not None:
        raise LogFormatError(name, f"is a damaged or incomplete zip ({p.zip_problem}); copy "
                                   f"or download the export again, or unzip it and {hint}")
    try:
        with zipfile.ZipFile(p.path) as z:
            for member in members:
                where = f"{name}:{member}"
                with z.open(member) as f:
                    yield member, f.read()
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, OSError) as exc:
        raise LogFormatError(where, f"cannot be unzipped ({exc or type(exc).__name__}): the "
                                    "zip is damaged or incomplete; copy or download the "
                                    "export again") from None


def ms_minutes(value: object) -> float | str | None:
    """Minutes of a duration in milliseconds; a value that is not a number of 0 or
    more as text (validation refuses it with its locator); ``None`` when missing."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return json.dumps(value)
    if isinstance(value, str):
        return float(value) / 60_000 if _NUMBER.match(value) else value
    return value / 60_000


def not_a_zip(p: Peek) -> None:
    """A file named ``.zip`` that is not one (and not the app's JSON) is refused."""
    if not p.is_zip and p.path.suffix.lower() == ".zip":
        raise LogFormatError(str(p.path), "is named .zip but is not a zip file: copy or "
                                          "download the export again")


def load_json(path: Path, what: str) -> object:
    """The JSON document in ``path`` (:func:`json_document`); a file that cannot be
    read is a :class:`LogFormatError` too."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise LogFormatError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    return json_document(data, str(path), what)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252 (a spreadsheet that saved it)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def export_text(p: Peek, empty: str) -> str:
    """The text of the export ``p``; a file that cannot be read, or holds nothing, is a
    :class:`LogFormatError` (``empty`` says what the file should start with)."""
    name = str(p.path)
    try:
        data = p.path.read_bytes()
    except OSError as exc:
        raise LogFormatError(name, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise LogFormatError(name, f"is empty: {empty}")
    return decode_text(data)
