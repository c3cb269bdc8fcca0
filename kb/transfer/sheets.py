"""Files ↔ rows of text: CSV (UTF-8 with BOM, semicolon) and XLSX (openpyxl), with the limits an upload needs.

Why semicolons: Excel opens a double-clicked CSV with the list separator of the Windows region, which is ";" in
Danish settings (the comma is the decimal sign), so a semicolon file opens in columns; a comma file would land in
column A. The BOM makes Excel read the file as UTF-8 (æ, ø, å). Reading accepts ";", "," and tab.

Formula injection: a CSV cell starting with = + - @ (or a tab or carriage return) would be run as a formula by
Excel, so export writes it with a leading apostrophe ('=…), which Excel shows as text, and import removes exactly
that apostrophe again. A value that itself starts with an apostrophe followed by one of those characters (or by a
second apostrophe) gets one more, so export → import stays an identity for every value. XLSX cells are written
as text cells, never formulas, and need no prefix; a formula found in an uploaded .xlsx is refused.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterable

MAX_BYTES = 5 * 1024 * 1024  # an upload
MAX_UNPACKED = 100 * 1024 * 1024  # the XML inside an .xlsx (a small zip can unpack to gigabytes)
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_ROW_CELLS = 5 * MAX_COLUMNS  # cells per row in an XLSX sheet, styled empty ones included
FORMATS = ("csv", "xlsx")

TRIGGERS = "=+-@\t\r"


log = logging.getLogger(__name__)
DAMAGED = "Filen kan ikke læses som .xlsx; den er beskadiget eller ikke en Excel-projektmappe."


class FileProblem(Exception):
    """The file as a whole cannot be read (Danish message for the user)."""


@dataclass
class Sheet:
    """A header and numbered rows, all cells as text. Row numbers are the spreadsheet's (header = row 1)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column index, message)


def format_of(filename: str) -> str | None:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return suffix if suffix in FORMATS else None


# -- CSV -----------------------------------------------------------------------------------------------------

def guard(value: str) -> str:
    """Export: keep Excel from reading the cell as a formula (see the module's docstring)."""
    if value and (value[0] in TRIGGERS or (value[0] == "'" and len(value) > 1 and value[1] in TRIGGERS + "'")):
        return "'" + value
    return value


def unguard(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in TRIGGERS + "'":
        return value[1:]
    return value


def write_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([guard(v) if isinstance(v, str) else v for v in row])
    return out.getvalue().encode("utf-8")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv_text(data: bytes) -> str:
    if b"\x00" in data:
        raise FileProblem("Filen er ikke en tekstfil (CSV). Brug .csv eller .xlsx.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"Filen er ikke UTF-8 (ugyldigt tegn ved byte {exc.start}). Gem den i Excel som "
                          "»CSV UTF-8 (kommasepareret)«, eller brug .xlsx.") from None
    if not text.strip():
        raise FileProblem("Filen er tom.")
    return text


def read_csv(data: bytes) -> Sheet:
    text = _csv_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        records = []
        for record in reader:
            if len(record) > MAX_COLUMNS:  # before any work per column (a 5 MB header is 880,000 columns)
                raise FileProblem(f"Række {reader.line_num} har mere end {MAX_COLUMNS} kolonner.")
            records.append(record)
            if len(records) > MAX_ROWS + 1:
                raise FileProblem(f"Filen har mere end {MAX_ROWS} rækker; del den op.")
    except csv.Error as exc:
        raise FileProblem(f"Filen kan ikke læses som CSV (række {reader.line_num}: {exc}).") from None
    header = [h.strip() for h in records[0]]
    rows = [(number, [unguard(v) for v in record]) for number, record in enumerate(records[1:], 2)]
    return Sheet(header, rows)


# -- XLSX ----------------------------------------------------------------------------------------------------

# ECMA-376 writes characters XML cannot hold as _xHHHH_ (and a literal "_xHHHH_" as "_x005F_xHHHH_"); Excel reads
# them back so, openpyxl does neither, so we do both: a carriage return or control character survives the trip.
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xlsx_text(value: str) -> str:
    value = _LITERAL_ESCAPE.sub("_x005F_", value)
    return _UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def _from_xlsx_text(value: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)


def write_xlsx(header: list[str], rows: Iterable[list[Any]], title: str, wrapped: set[int] = frozenset(),
               widths: dict[int, int] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = _xlsx_text(value)
                cell.data_type = "s"  # text, never a formula, whatever it starts with
                if c - 1 in wrapped and "\n" in value:
                    cell.alignment = wrap
            else:
                cell.value = value
    for c, width in (widths or {}).items():
        sheet.column_dimensions[get_column_letter(c + 1)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return (value.date() if isinstance(value, dt.datetime) and not value.time() else value).isoformat()
    return _from_xlsx_text(str(value))


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked <= MAX_UNPACKED:
                for info in archive.infolist():
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                        _check_row_widths(archive, info.filename)
    except FileProblem:
        raise
    except Exception as exc:  # BadZipFile, and NotImplementedError/ValueError/EOFError for a damaged directory
        log.info("unreadable zip: %s: %s", type(exc).__name__, exc)
        raise FileProblem("Filen er ikke en gyldig .xlsx-fil.") from None
    if unpacked > MAX_UNPACKED:
        raise FileProblem("Filen fylder for meget udpakket; del den op.")


def _check_row_widths(archive: zipfile.ZipFile, name: str) -> None:
    """Count the cells of each row while streaming the sheet's XML, before openpyxl sees it: openpyxl builds every
    cell of a row before we could cut it at MAX_COLUMNS, and one row of 6 million tiny cells (185 kB zipped) took
    a worker to 3 GB. Empty styled cells count too, so the bound is generous (MAX_ROW_CELLS)."""
    from xml.etree.ElementTree import iterparse

    cells, row = 0, 0
    with archive.open(name) as stream:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start" and tag == "row":
                cells, row = 0, row + 1
            elif event == "start" and tag == "c":
                cells += 1
                if cells > MAX_ROW_CELLS:
                    raise FileProblem(f"Række {row} i regnearket har mere end {MAX_ROW_CELLS} celler; "
                                      f"der læses højst {MAX_COLUMNS} kolonner.")
            elif event == "end" and tag in ("row", "c"):
                element.clear()


def read_xlsx(data: bytes) -> Sheet:
    if not data.startswith(b"PK\x03\x04"):
        raise FileProblem("Filen er ikke en gyldig .xlsx-fil (gemt som Excel-projektmappe?).")
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file; all mean the same here
        log.info("unreadable .xlsx: %s: %s", type(exc).__name__, exc)
        raise FileProblem(DAMAGED) from None
    try:
        records, problems = _xlsx_records(book)
    except FileProblem:
        raise
    except Exception as exc:  # a sheet is read lazily: a damaged part shows only now (zlib, CRC, XML errors)
        log.info("unreadable .xlsx sheet: %s: %s", type(exc).__name__, exc)
        raise FileProblem(DAMAGED) from None
    finally:
        book.close()
    if not records or not any(v.strip() for v in records[0][1]):
        raise FileProblem("Filen er tom, eller første række er ikke kolonneoverskrifter.")
    header = records[0][1]
    return Sheet([h.strip() for h in header], records[1:], problems)


def _xlsx_records(book) -> tuple[list[tuple[int, list[str]]], list[tuple[int, int, str]]]:
    """The first sheet's rows as text (row numbers from 1) and the cells refused (formulas)."""
    if not book.worksheets:
        raise FileProblem("Filen har intet regneark.")
    records: list[tuple[int, list[str]]] = []
    problems: list[tuple[int, int, str]] = []
    # iter_rows fills gaps with empty rows from row 1 on, so counting gives the sheet's row numbers
    sheet = book.worksheets[0]
    wide = (sheet.max_column or 0) > MAX_COLUMNS  # a claimed width of 16384 columns would pad every row
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS if wide else None), 1):
        if number > MAX_ROWS + 1:
            raise FileProblem(f"Filen har mere end {MAX_ROWS} rækker; del den op.")
        values = []
        for index, cell in enumerate(row[:MAX_COLUMNS]):
            if getattr(cell, "data_type", None) == "f":
                problems.append((number, index, f"cellen indeholder en formel ({cell.value}); skriv værdien"))
                values.append("")
            else:
                values.append(_xlsx_cell(cell.value))
        records.append((number, values))
    return records, problems


def sniff(fmt: str | None, data: bytes) -> None:
    """A quick look at an upload before it is kept: a type we read, not empty, not too big, and its content is
    what its name says (a renamed picture is refused here, not in the dry run)."""
    if fmt not in FORMATS:
        raise FileProblem("Filtypen understøttes ikke; brug .csv eller .xlsx.")
    if not data.strip():
        raise FileProblem("Filen er tom.")
    if len(data) > MAX_BYTES:
        raise FileProblem(f"Filen er for stor (højst {MAX_BYTES // (1024 * 1024)} MB).")
    if fmt == "xlsx" and not data.startswith(b"PK\x03\x04"):
        raise FileProblem("Filen er ikke en gyldig .xlsx-fil (gemt som Excel-projektmappe?).")
    if fmt == "csv":
        _csv_text(data)


def read_sheet(filename: str, data: bytes) -> Sheet:
    """Read an uploaded file by its type; FileProblem for a file we cannot or will not read."""
    fmt = format_of(filename)
    sniff(fmt, data)
    return read_csv(data) if fmt == "csv" else read_xlsx(data)


def write_sheet(fmt: str, header: list[str], rows: list[list[Any]], title: str, wrapped: set[int] = frozenset(),
                widths: dict[int, int] | None = None) -> bytes:
    return write_csv(header, rows) if fmt == "csv" else write_xlsx(header, rows, title, wrapped, widths)
