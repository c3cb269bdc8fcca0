"""SQLite runs in WAL mode with a busy timeout: a long write (an import) does not lock readers out."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db


@pytest.mark.only_backend("sqlite")
def test_wal_mode_lets_a_reader_in_while_a_write_transaction_is_open(app):
    with app.app_context():
        engine = db.engine
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        with engine.connect() as writer, engine.connect() as reader:
            writer.begin()
            writer.execute(sa.update(m.Task).values(title="Skrives lige nu"))  # holds the write lock
            titles = reader.execute(sa.select(m.Task.title)).scalars().all()  # not 'database is locked'
            assert titles and "Skrives lige nu" not in titles
            writer.rollback()
