"""Migrations go up to head, down to base and up again on SQLite and PostgreSQL, and match the models."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from kb.extensions import db
from kb.search.backend import include_name, include_object


def _tables(app) -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_app):
    with empty_app.app_context():
        upgrade()
        created = _tables(empty_app)
        assert set(db.metadata.tables) <= created
        downgrade(revision="base")
        db.engine.dispose()
        assert _tables(empty_app) == set()
        upgrade()
        db.engine.dispose()
        assert _tables(empty_app) == created


def test_models_and_migrations_do_not_drift(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            # The same filter as migrations/env.py: FTS5 shadow tables and the GIN expression index are skipped.
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "include_name": include_name, "include_object": include_object})
            diff = compare_metadata(context, db.metadata)
        assert diff == []


def test_check_constraints_guard_enumerations(empty_app):
    with empty_app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO competence (slug, name, name_en, kind, description, version_id, created_at, updated_at)"
                " VALUES ('x', 'X', '', 'skill', '', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        try:
            with db.engine.begin() as conn:
                conn.execute(sa.text(
                    "INSERT INTO competence (slug, name, name_en, kind, description, version_id, created_at,"
                    " updated_at) VALUES ('y', 'Y', '', 'magic', '', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        except sa.exc.IntegrityError:
            pass
        else:
            raise AssertionError("a competence kind outside the enumeration was accepted")
