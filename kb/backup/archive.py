"""The backup file: gzip'd JSON with the schema revision and, per table, its columns and rows in primary-key order.

Why JSON rather than pg_dump or a copy of the SQLite file: one format for both engines (a SQLite trial moves to
PostgreSQL by backup and restore), nothing to install beside the app, and a file a person can inspect. Values are
encoded by column type so that a restore gives back exactly what was stored: datetimes and dates as ISO text,
binary as base64, JSON as JSON.
"""
from __future__ import annotations

import base64
import gzip
import json
from datetime import date, datetime
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kb.models.base import Base, utcnow

FORMAT = "opgavebasen-backup"
VERSION = 1


class BackupError(Exception):
    """A backup that cannot be read or restored here; the message says why, in Danish."""


def _encoder(column: sa.Column):
    t = column.type
    if isinstance(t, sa.DateTime):
        return lambda v: v.isoformat()
    if isinstance(t, sa.Date):
        return lambda v: v.isoformat()
    if isinstance(t, sa.LargeBinary):
        return lambda v: base64.b64encode(v).decode("ascii")
    if isinstance(t, (sa.Float, sa.Numeric)):
        return float
    return lambda v: v


def _decoder(column: sa.Column):
    t = column.type
    if isinstance(t, sa.DateTime):
        return datetime.fromisoformat
    if isinstance(t, sa.Date):
        return date.fromisoformat
    if isinstance(t, sa.LargeBinary):
        return lambda v: base64.b64decode(v.encode("ascii"), validate=True)
    return lambda v: v


def tables() -> list[sa.Table]:
    """Every table of the model, parents before children."""
    return list(Base.metadata.sorted_tables)


def schema_revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def dump(conn: Connection) -> dict[str, Any]:
    """The whole database as a JSON-ready document (read in one transaction, so it is one consistent moment)."""
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "schema_revision": schema_revision(conn),
                           "created": utcnow().isoformat(), "tables": {}}
    for table in tables():
        columns = list(table.columns)
        encoders = [_encoder(c) for c in columns]
        order = list(table.primary_key.columns) or columns
        rows = [[None if v is None else enc(v) for enc, v in zip(encoders, row)]
                for row in conn.execute(sa.select(*columns).order_by(*order))]
        out["tables"][table.name] = {"columns": [c.name for c in columns], "rows": rows}
    return out


def write(document: dict[str, Any], stream: BinaryIO) -> None:
    with gzip.GzipFile(fileobj=stream, mode="wb", mtime=0) as gz:
        gz.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def read(stream: BinaryIO) -> dict[str, Any]:
    try:
        with gzip.GzipFile(fileobj=stream, mode="rb") as gz:
            document = json.loads(gz.read().decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"Filen kan ikke læses som en sikkerhedskopi ({type(exc).__name__}: {exc}).") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("Filen er ikke en sikkerhedskopi fra Opgavebasen.")
    if document.get("version") != VERSION:
        raise BackupError(f"Sikkerhedskopiens format {document.get('version')!r} kendes ikke (forventet {VERSION}).")
    return document


def rows_for(table: sa.Table, entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The entry's rows as column → value, decoded; unknown or missing columns are an error, not a guess."""
    names = entry.get("columns")
    known = {c.name: c for c in table.columns}
    if not isinstance(names, list) or set(names) != set(known):
        raise BackupError(f"Tabellen {table.name}: kolonnerne i filen ({names}) passer ikke til databasen "
                          f"({sorted(known)}).")
    decoders = [_decoder(known[n]) for n in names]
    out = []
    for number, row in enumerate(entry.get("rows") or [], start=1):
        if not isinstance(row, list) or len(row) != len(names):
            raise BackupError(f"Tabellen {table.name}, række {number}: forkert antal værdier.")
        try:
            out.append({n: None if v is None else dec(v) for n, dec, v in zip(names, decoders, row)})
        except (TypeError, ValueError) as exc:
            raise BackupError(f"Tabellen {table.name}, række {number}: {exc}") from exc
    return out
