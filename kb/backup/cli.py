"""`kb backup FILE` and `kb restore FILE [--replace]`."""
from __future__ import annotations

import os
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from kb.backup.archive import BackupError, dump, read, schema_revision, write
from kb.backup.restore import has_content, restore
from kb.extensions import db


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write the whole database (knowledge, history, drafts, plans, users) to PATH (gzip'd JSON)."""
    engine = db.engine
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as conn, conn.begin():  # one consistent moment
        document = dump(conn)
    # Password hashes are in the file: owner-only, and written whole or not at all.
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        write(document, fh)
    os.replace(tmp, path)
    rows = sum(len(t["rows"]) for t in document["tables"].values())
    click.echo(f"Sikkerhedskopi skrevet: {path} ({len(document['tables'])} tabeller, {rows} rækker, "
               f"{path.stat().st_size / 1024:.0f} KB, databaseversion {document['schema_revision']}).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Erstat indholdet i en database, der ikke er tom.")
@with_appcontext
def restore_command(path: Path, replace: bool) -> None:
    """Replace the database's contents with the backup in PATH, all or nothing. An empty database is first
    migrated to the backup's schema revision."""
    from flask_migrate import upgrade

    try:
        with path.open("rb") as fh:
            document = read(fh)
        with db.engine.connect() as conn:
            fresh = schema_revision(conn) is None
        if fresh:
            upgrade(revision=document.get("schema_revision") or "head")
        with db.engine.begin() as conn:
            if not fresh and not replace and has_content(conn):
                raise BackupError("Databasen er ikke tom. Brug --replace for at erstatte dens indhold.")
            counts = restore(conn, document)
            if conn.dialect.name == "sqlite":
                from kb.search.backend import FTS_TABLE
                conn.execute(sa.text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
    except BackupError as exc:
        raise click.ClickException(f"{exc} Intet er ændret.") from exc
    except sa.exc.SQLAlchemyError as exc:  # a row the database refuses: the transaction was rolled back
        raise click.ClickException(f"Databasen afviste sikkerhedskopien ({type(exc).__name__}: "
                                   f"{str(exc).splitlines()[0][:300]}). Intet er ændret.") from exc
    click.echo(f"Genindlæst fra {path}: {sum(counts.values())} rækker i {len(counts)} tabeller.")
