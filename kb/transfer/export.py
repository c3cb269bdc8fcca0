"""Export (eksport): every record of a kind as a spreadsheet, one row per record, one column per document field
(kb/transfer/columns.py), in the format the import reads back."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kb.knowledge.documents import records, to_document
from kb.transfer.columns import COLUMNS, FILE_NAMES, header, row_of
from kb.transfer.sheets import write_sheet

TRANSFER_KINDS = ("task", "profession", "competence", "rule")


def export_rows(session: Session, kind: str) -> tuple[list[str], list[list[Any]]]:
    return header(kind), [row_of(kind, to_document(kind, r)) for r in records(session, kind).values()]


def export_file(session: Session, kind: str, fmt: str) -> bytes:
    head, rows = export_rows(session, kind)
    columns = COLUMNS[kind]
    wrapped = {i for i, c in enumerate(columns) if c.structured}
    widths = {i: 60 if c.structured or c.name in ("description", "summary", "note") else 24
              for i, c in enumerate(columns)}
    return write_sheet(fmt, head, rows, FILE_NAMES[kind], wrapped, widths)
