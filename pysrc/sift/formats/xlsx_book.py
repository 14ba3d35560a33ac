"""What an .xlsx file is before its cells are read: its magic bytes and its structure.

The magic bytes tell an empty file, a legacy or password-protected workbook (an OLE file), text
(a CSV under a workbook name) and other binary formats apart before any parsing. The structure
(the sheet list, the styles that make a number a date, the 1904 date system) is read with
openpyxl, whose XML goes through defusedxml. Imports: the standard library, openpyxl,
defusedxml and sift modules.
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from openpyxl.packaging.manifest import Manifest  # type: ignore[import-untyped]
from openpyxl.packaging.relationship import get_rels_path  # type: ignore[import-untyped]
from openpyxl.reader.workbook import WorkbookParser  # type: ignore[import-untyped]
from openpyxl.styles.numbers import (  # type: ignore[import-untyped]
    builtin_format_code,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.xml.constants import (  # type: ignore[import-untyped]
    ARC_CONTENT_TYPES,
    ARC_STYLE,
    ARC_WORKBOOK,
    SHARED_STRINGS,
    SHEET_MAIN_NS,
    XLSM,
    XLSX,
    XLTM,
    XLTX,
)
from openpyxl.xml.functions import fromstring  # type: ignore[import-untyped]

from sift.errors import LoadError
from sift.formats import zip_guard
from sift.formats.xlsx_cells import CellFormats
from sift.formats.xlsx_xml import entities_refused
from sift.sniff_bytes import SAMPLE_SIZE, describe_binary

__all__ = ["Book", "Sheet", "check_magic", "read_book"]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOK_TYPES = (XLTM, XLTX, XLSM, XLSX)
_MAIN = f"{{{SHEET_MAIN_NS}}}"
_RESAVE_HINT = "Open it in Excel and save it again as an Excel Workbook (.xlsx)."
# What openpyxl raises on malformed parts: its descriptors check values as they are read.
_LAYOUT_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    SyntaxError,  # xml.etree.ElementTree.ParseError
    OSError,  # openpyxl: "File contains no valid workbook part"
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
)


@dataclass(frozen=True)
class Sheet:
    """A worksheet to import: its title (any text), its part, whether it is hidden."""

    title: str
    part: zipfile.ZipInfo
    hidden: bool


@dataclass
class Book:
    """The worksheets, the date formats, the shared-strings part and notes on skipped sheets."""

    sheets: list[Sheet]
    formats: CellFormats
    strings: zipfile.ZipInfo | None
    warnings: list[str]


# Magic bytes


def check_magic(file: IO[bytes], source: str) -> None:
    """Refuse, from its first bytes, a file that is not a ZIP archive, saying what it is."""
    head = file.read(SAMPLE_SIZE)
    file.seek(0)
    if not head:
        raise LoadError(
            f"{source} is empty.",
            hint="Choose a workbook that contains data, or save it again in Excel.",
            source=source,
        )
    if head.startswith(_ZIP_MAGIC):
        return
    if head.startswith(_OLE_MAGIC):
        raise LoadError(
            f"{source}: password-protected or legacy .xls workbooks are not supported:"
            " save it as .xlsx.",
            hint="In Excel, remove the password if there is one (File > Info > Protect"
            " Workbook), then File > Save As > Excel Workbook (.xlsx).",
            source=source,
        )
    description = describe_binary(head)
    if description is None:
        raise _text_error(source, head)
    raise LoadError(
        f"{source} is not an Excel workbook: it looks like {description}.",
        hint="Sift opens .xlsx workbooks. Check that you chose the right file.",
        source=source,
    )


_MARKUP = re.compile(rb"\s*<(\?xml|html|!doctype|table)", re.IGNORECASE)


def _text_error(source: str, head: bytes) -> LoadError:
    if _MARKUP.match(head.removeprefix(b"\xef\xbb\xbf")):
        return LoadError(
            f"{source} is not an .xlsx workbook: it is an XML or HTML file under a workbook name.",
            hint="Open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV.",
            source=source,
        )
    return LoadError(
        f"{source} is not an .xlsx workbook: it is plain text, probably CSV or TSV data.",
        hint="Rename the file to end in .csv (or .tsv for tab-separated data) and open it again.",
        source=source,
    )


# The workbook's structure, read by openpyxl


def read_book(archive: zipfile.ZipFile, source: str) -> Book:
    """The workbook's sheets and date formats, read with openpyxl; LoadError if damaged."""
    names = set(archive.namelist())
    if ARC_CONTENT_TYPES not in names:
        raise _not_a_workbook(source, archive, names)
    reading = ARC_CONTENT_TYPES  # the part being read, for messages
    # openpyxl warns about what it skips (styles, extensions); none of it touches values.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            manifest = Manifest.from_tree(fromstring(archive.read(reading)))
            part = _workbook_part(manifest)
            if part is None or part not in names:
                raise _not_a_workbook(source, archive, names)
            reading = part
            parser = WorkbookParser(archive, part, keep_links=False)
            parser.parse()
            reading = ARC_STYLE
            formats = _cell_formats(archive, names, parser.wb.epoch)
            reading = get_rels_path(part)
            notes: list[str] = []
            sheets = list(_sheets(parser, archive, names, notes))
        except _LAYOUT_ERRORS as exc:
            raise _layout_error(exc, source, reading) from exc
    strings = manifest.find(SHARED_STRINGS)
    strings_part = strings.PartName.lstrip("/") if strings is not None else None
    strings_info = archive.getinfo(strings_part) if strings_part in names else None
    return Book(sheets, formats, strings_info, notes)


def _workbook_part(manifest: Any) -> str | None:
    """The workbook part the content types name (what openpyxl's own loader looks for)."""
    for content_type in _WORKBOOK_TYPES:
        part = manifest.find(content_type)
        if part:
            return str(part.PartName).lstrip("/")
    defaults = {default.ContentType for default in manifest.Default}
    return ARC_WORKBOOK if defaults & set(_WORKBOOK_TYPES) else None


def _cell_formats(archive: zipfile.ZipFile, names: set[str], epoch: Any) -> CellFormats:
    """Which cell styles format numbers as dates or durations (what openpyxl's stylesheet
    works out, read here from the number formats alone: openpyxl's full stylesheet model
    refuses workbooks over a quirk in fills or fonts that do not matter to values)."""
    if ARC_STYLE not in names:
        return CellFormats(epoch)
    root = fromstring(archive.read(ARC_STYLE))
    custom = {
        _integer(item.get("numFmtId")): item.get("formatCode")
        for item in root.findall(f"{_MAIN}numFmts/{_MAIN}numFmt")
    }
    codes = [
        custom.get(number, builtin_format_code(number))
        for number in (
            _integer(xf.get("numFmtId")) for xf in root.findall(f"{_MAIN}cellXfs/{_MAIN}xf")
        )
    ]
    return CellFormats(
        epoch,
        frozenset(str(index) for index, code in enumerate(codes) if is_date_format(code)),
        frozenset(str(index) for index, code in enumerate(codes) if is_timedelta_format(code)),
    )


def _integer(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return -1


def _sheets(
    parser: Any, archive: zipfile.ZipFile, names: set[str], notes: list[str]
) -> Iterator[Sheet]:
    for sheet in parser.sheets:
        title = str(sheet.name)
        relation = parser.rels.get(sheet.id) if sheet.id else None
        if relation is None or relation.target not in names:
            notes.append(f"Sheet {title!r} is listed in the workbook but missing; skipped.")
        elif not str(relation.Type).endswith("/worksheet"):
            kind = str(relation.Type).rpartition("/")[2]
            what = "a chart sheet" if kind == "chartsheet" else f"a {kind}, not a worksheet"
            notes.append(f"Sheet {title!r} is {what}; skipped.")
        else:
            hidden = sheet.state in ("hidden", "veryHidden")
            yield Sheet(title, archive.getinfo(relation.target), hidden)


def _not_a_workbook(source: str, archive: zipfile.ZipFile, names: set[str]) -> LoadError:
    what, hint = "a ZIP archive", "Sift opens .xlsx workbooks. Check that you chose the right file."
    if "xl/workbook.bin" in names:
        what, hint = "a binary Excel workbook (.xlsb)", _RESAVE_HINT
    elif "word/document.xml" in names:
        what = "a Word document"
    elif "ppt/presentation.xml" in names:
        what = "a PowerPoint presentation"
    elif "mimetype" in names and b"spreadsheet" in _head(archive, "mimetype"):
        what, hint = "an OpenDocument spreadsheet (.ods)", _RESAVE_HINT
    return LoadError(f"{source} is not an Excel workbook: it is {what}.", hint=hint, source=source)


def _head(archive: zipfile.ZipFile, name: str) -> bytes:
    """The first bytes of a part, or b"" when even those cannot be read."""
    try:
        with archive.open(name) as member:
            return member.read(100)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return b""


def _layout_error(exc: BaseException, source: str, part: str) -> LoadError:
    """The LoadError for whatever openpyxl raised while reading ``part``."""
    cause: BaseException | None = exc
    for _ in range(20):  # openpyxl wraps some errors; defusedxml's may be a few causes down
        if cause is None:
            break
        if isinstance(cause, DefusedXmlException):
            return entities_refused(source, part)
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return zip_guard.corrupt_error(source, part, str(exc))
    if isinstance(exc, KeyError):  # zipfile: "There is no item named 'x' in the archive"
        missing = re.search(r"'([^']*)'", str(exc))
        problem = f"part {missing.group(1) if missing else exc} is missing"
    else:
        problem = f"part {part} is damaged ({str(exc)[:200]})"
    return LoadError(
        f"{source} could not be read as an Excel workbook: {problem}.",
        hint=_RESAVE_HINT,
        source=source,
    )
