"""The spreadsheet format's columns (kolonner): one column per document field, in the document's order, each with
the cell codec (kb/transfer/cells.py) that writes and reads it. A test holds the columns against the document schema
(tests/unit/test_layout.py), so a new field cannot be left out of the spreadsheets."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

from kb.transfer.cells import (
    Cell, _lengths, dec_bool, dec_citations, dec_evidence, dec_int, dec_int_or_zero, dec_list, dec_optional, dec_requirements, dec_shortage, dec_slug_set, dec_terms, dec_text, enc_bool, enc_citations, enc_evidence, enc_int, enc_list, enc_requirements, enc_shortage, enc_text, limited,
)


@dataclass(frozen=True)
class Column:
    name: str
    encode: Callable[[Any], Cell] = enc_text
    decode: Callable[[str], Any] = dec_text
    structured: bool = False  # several lines in one cell: wrap the text in .xlsx


def _text(*names: str) -> list[Column]:
    return [Column(n) for n in names]


_SLUGS = dict(encode=enc_list, decode=dec_slug_set)
_LIST = dict(encode=enc_list, decode=dec_list)
_OPTIONAL = dict(decode=dec_optional)
_BOOL = dict(encode=enc_bool, decode=dec_bool)
_SOURCES = dict(encode=enc_citations, decode=dec_citations, structured=True)

COLUMNS: dict[str, list[Column]] = {
    "task": [
        *_text("slug", "title", "title_en", "category", "description"),
        Column("settings", **_SLUGS), Column("holders", **_SLUGS), Column("terms", encode=enc_list, decode=dec_terms),
        Column("tags", **_LIST), Column("status"),
        Column("requirements", encode=enc_requirements, decode=dec_requirements),
        Column("provisions", **_SLUGS), Column("sources", **_SOURCES),
        Column("evidence", encode=enc_evidence, decode=dec_evidence, structured=True),
    ],
    "profession": [
        *_text("slug", "name", "name_en", "abbreviation"), Column("parent", **_OPTIONAL),
        Column("authorised", **_BOOL), Column("title_protected", **_BOOL), Column("has_reserved_area", **_BOOL),
        *_text("legal_basis", "isco08", "register_code", "education_name", "education_length"),
        Column("education_level", encode=enc_int, decode=dec_int), *_text("shortage_level", "description"),
        Column("settings", **_SLUGS), Column("competences", **_SLUGS),
        Column("shortage", encode=enc_shortage, decode=dec_shortage, structured=True), Column("sources", **_SOURCES),
    ],
    "competence": [
        *_text("slug", "name", "name_en", "kind", "description"), Column("training_effort", **_OPTIONAL),
        Column("training_hours", encode=enc_int, decode=dec_int),
        Column("training_min_level", encode=enc_int, decode=dec_int_or_zero), Column("training_basis", **_SLUGS),
        Column("training_note"), Column("training_sources", **_SOURCES),
    ],
    "rule": [
        *_text("slug", "task"), Column("profession", **_OPTIONAL), Column("all_professions", **_BOOL),
        Column("except_professions", **_SLUGS), *_text("effect", "kind"), Column("provision", **_OPTIONAL),
        Column("setting", **_OPTIONAL), Column("complexity", **_OPTIONAL), Column("organisation", **_OPTIONAL),
        Column("conditions", **_LIST),
        Column("note"), Column("sources", **_SOURCES),
    ],
}


def _with_lengths(kind: str, columns: list[Column]) -> list[Column]:
    """Plain text columns stored in a VARCHAR(n) of the same name are read with that limit."""
    lengths = _lengths(kind)
    return [replace(c, decode=limited(c.decode, lengths[c.name]))
            if c.name in lengths and c.decode in (dec_text, dec_optional) else c for c in columns]


COLUMNS = {kind: _with_lengths(kind, columns) for kind, columns in COLUMNS.items()}

# What a kind is called in file names, sheet titles and messages.
FILE_NAMES = {"task": "opgaver", "profession": "faggrupper", "competence": "kompetencer", "rule": "regler"}


def header(kind: str) -> list[str]:
    return [c.name for c in COLUMNS[kind]]


def row_of(kind: str, document: dict[str, Any]) -> list[Cell]:
    return [c.encode(document.get(c.name)) for c in COLUMNS[kind]]


def cell_text(kind: str, field: str, value: Any) -> str:
    """A field's value as it would stand in the spreadsheet (used to show changes in the dry run)."""
    column = next((c for c in COLUMNS[kind] if c.name == field), None)
    return enc_text(value) if column is None else str(column.encode(value))
