"""Alembic environment, run through Flask-Migrate (`kb db upgrade`). Batch mode keeps SQLite ALTERs working."""
from alembic import context
from flask import current_app

from kb.search.backend import include_name, include_object

config = context.config
db = current_app.extensions["migrate"].db
target_metadata = db.metadata


def _configure_kwargs() -> dict:
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        "render_as_batch": True,
        # The FTS5 table (with its shadow tables) and the GIN expression index belong to the search migration.
        "include_name": include_name,
        "include_object": include_object,
        **current_app.extensions["migrate"].configure_args,
    }


def run_migrations_offline() -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, literal_binds=True, **_configure_kwargs())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(context_, revision, directives):
        # `kb db migrate` with no model change writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    with db.engine.connect() as connection:
        context.configure(connection=connection, process_revision_directives=skip_empty, **_configure_kwargs())
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
