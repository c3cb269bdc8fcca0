"""The profession page's full lists as CSV and XLSX (issue 20, part 4): every task the group holds, and every task
it may take over from others. The page and the role description show a summary and a page at a time; a planner who
needs the whole list takes it to a spreadsheet instead of hundreds of printed pages.

CSV is streamed row by row (semicolon, UTF-8 with BOM, as kb/transfer's export, so Danish Excel opens it); XLSX is
written with openpyxl's write-only workbook, which keeps rows on disk rather than as cell objects in memory.
Cells are guarded as in kb/transfer/sheets.py: nothing a title starts with makes Excel read it as a formula.
"""
from __future__ import annotations

import csv
import io
import re
import tempfile
from typing import Any, Iterable, Iterator

from flask import url_for
from flask_babel import gettext

from kb.catalogue import held
from kb.catalogue.takeover_view import TakeoverView
from kb.models.enums import CATEGORY_LABELS, FIT_LABELS, VERDICT_LABELS
from kb.transfer.sheets import guard

LISTS = ("tasks", "takeover")
FORMATS = ("csv", "xlsx")
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # what XML (and so openpyxl) cannot hold


def held_header() -> list[str]:
    return [gettext("Slug"), gettext("Opgave"), gettext("Kategori"), gettext("Andre faggrupper der løser den"),
            gettext("Adresse")]


def held_rows(profession_id: int, setting_id: int | None = None) -> Iterator[list[Any]]:
    for row in held.iter_held(profession_id, setting_id):
        yield [row.slug, row.title, str(CATEGORY_LABELS.get(row.category, row.category)), row.others,
               url_for("catalogue.task", slug=row.slug, _external=True)]


def takeover_header() -> list[str]:
    return [gettext("Slug"), gettext("Opgave"), gettext("Afgørelse"), gettext("Egnethed"),
            gettext("Oplæring (timer)"), gettext("Adresse")]


def takeover_rows(view: TakeoverView) -> Iterator[list[Any]]:
    for fact, result in view.all_items():
        yield [fact.slug, fact.title, str(VERDICT_LABELS[result.verdict.value]),
               str(FIT_LABELS[result.fit]) if result.fit in FIT_LABELS else "",
               result.training.hours if result.training.hours is not None else "",
               url_for("catalogue.task", slug=fact.slug, _external=True)]


def csv_chunks(header: list[str], rows: Iterable[list[Any]], every: int = 500) -> Iterator[bytes]:
    """The CSV as byte chunks of about ``every`` rows, for a streamed response."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([guard(v) if isinstance(v, str) else v for v in row])
        if n % every == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def xlsx_file(header: list[str], rows: Iterable[list[Any]], title: str):
    """The workbook in a temporary file (rewound), written row by row by openpyxl's write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Any, font=None):
        if isinstance(value, str):
            c = WriteOnlyCell(sheet, value=_UNSAFE.sub("", value))
            c.data_type = "s"  # text, never a formula, whatever it starts with
        else:
            c = WriteOnlyCell(sheet, value=value)
        if font is not None:
            c.font = font
        return c

    sheet.append([cell(h, bold) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    book.save(out)
    out.seek(0)
    return out


def file_chunks(fh, size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := fh.read(size):
            yield chunk
    finally:
        fh.close()
