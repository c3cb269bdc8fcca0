"""Restore (genindlæs) a backup into a database at the same schema revision: all or nothing, in one transaction."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kb.backup.archive import BackupError, rows_for, schema_revision, tables
from kb.knowledge_state import bump

CHUNK = 1000  # rows per INSERT batch


def has_content(conn: Connection) -> bool:
    """Whether the database holds anything a restore would replace."""
    return any(conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first() for t in tables())


def _self_references(table: sa.Table) -> list[str]:
    """Columns that point into the same table (a profession's parent): filled in after every row exists."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL hands out ids from sequences; after explicit ids they must continue above the largest."""
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, sa.Integer) and pk[0].autoincrement in (True, "auto"):
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX({pk[0].name}), 1), "
                f"MAX({pk[0].name}) IS NOT NULL) FROM \"{table.name}\""), {"t": f'"{table.name}"', "c": pk[0].name})


def restore(conn: Connection, document: dict[str, Any]) -> dict[str, int]:
    """Replace every table's rows with the backup's. The caller owns the transaction (rollback on any error)."""
    here, there = schema_revision(conn), document.get("schema_revision")
    if here != there:
        raise BackupError(f"Sikkerhedskopien er fra databaseversion {there}, databasen er på {here}. "
                          "Opgradér (kb db upgrade) eller nedgradér databasen til samme version først.")
    entries = document.get("tables") or {}
    unknown = set(entries) - {t.name for t in tables()}
    if unknown:
        raise BackupError(f"Sikkerhedskopien har tabeller, databasen ikke kender: {sorted(unknown)}.")
    decoded = {t.name: rows_for(t, entries.get(t.name, {"columns": [c.name for c in t.columns], "rows": []}))
               for t in tables()}
    for table in reversed(tables()):
        conn.execute(sa.delete(table))
    counts = {}
    for table in tables():
        rows, later = decoded[table.name], _self_references(table)
        first = [{**r, **{c: None for c in later}} for r in rows] if later else rows
        for start in range(0, len(first), CHUNK):
            conn.execute(sa.insert(table), first[start:start + CHUNK])
        if later:
            pk = list(table.primary_key.columns)
            # Columns with an onupdate (updated_at) are set to their stored value, or the UPDATE would move them.
            kept = [c.name for c in table.columns if c.onupdate is not None]
            for r in rows:
                if any(r[c] is not None for c in later):
                    conn.execute(sa.update(table).where(*(c == r[c.name] for c in pk)).values(
                        **{c: r[c] for c in (*later, *kept)}))
        counts[table.name] = len(rows)
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn)
    bump(conn)  # the restored token may be one an app server has cached knowledge under
    return counts
