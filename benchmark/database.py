"""The benchmark's own database: migrated the way `kb db upgrade` does it, seeded, then filled synthetically.

It never touches the app's default database: the URL must be given, and the default instance database or the one
in KB_DATABASE_URL are refused, so a benchmark cannot overwrite real knowledge.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from flask import Flask

from benchmark.catalogue import Sizes, build
from kb.config import normalise_database_url


class BenchDatabaseError(RuntimeError):
    pass


def bench_app(url: str) -> Flask:
    """The real app on the benchmark database (rate limiting off: the load test is one client)."""
    from kb.app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url), "RATELIMIT_ENABLED": False})


def _identity(url: str) -> str:
    """A URL as compared for sameness: SQLite by its resolved file, others as rendered without password."""
    parsed = sa.make_url(normalise_database_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return "sqlite:" + str(Path(parsed.database).resolve())
    return parsed.render_as_string(hide_password=True)


def check_target(app: Flask, url: str) -> None:
    protected = {f"sqlite:///{Path(app.instance_path) / 'opgavebasen.db'}"}
    if os.environ.get("KB_DATABASE_URL"):
        protected.add(os.environ["KB_DATABASE_URL"])
    if _identity(url) in {_identity(u) for u in protected}:
        raise BenchDatabaseError(f"{_identity(url)} er appens egen database; giv benchmarken sin egen "
                                 "(--database-url).")


def remove_sqlite_file(url: str) -> None:
    parsed = sa.make_url(normalise_database_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(parsed.database + suffix).unlink(missing_ok=True)


def generate(url: str, sizes: Sizes, say: Callable[[str], None] = print) -> dict:
    """Migrate, load the real seed, add the synthetic rows and rebuild the search index. Returns timings and
    row counts. Refuses a database that already holds tasks beyond the seed's (run it on a fresh one)."""
    from flask_migrate import upgrade

    from kb import models as m
    from kb.extensions import db
    from kb.search.query import reindex
    from kb.seeding import load_bundle, read_bundle

    app = bench_app(url)
    check_target(app, url)
    timings: dict[str, float] = {}
    with app.app_context():
        started = time.perf_counter()
        upgrade()  # the same Alembic revisions `kb db upgrade` applies
        bundle = read_bundle(Path(app.config["KB_SEED_DIR"]))
        tasks_now = db.session.scalar(sa.select(sa.func.count()).select_from(m.Task))
        if tasks_now > bundle.counts().get("tasks", tasks_now):  # checked before the seed touches anything
            raise BenchDatabaseError("Databasen har allerede syntetiske opgaver; brug en ny database.")
        load_bundle(db.session, bundle)
        db.session.commit()
        timings["migrate_and_seed_s"] = time.perf_counter() - started
        say(f"  migreret og seedet på {timings['migrate_and_seed_s']:.1f} s")
        started = time.perf_counter()
        counts = build(db.session, sizes, say)
        db.session.commit()
        timings["insert_s"] = time.perf_counter() - started
        say(f"  {sum(counts.values())} rækker indsat på {timings['insert_s']:.1f} s")
        started = time.perf_counter()
        documents = reindex(db.session)
        db.session.commit()
        timings["reindex_s"] = time.perf_counter() - started
        say(f"  søgeindeks: {documents} dokumenter på {timings['reindex_s']:.1f} s")
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return {"timings": timings, "counts": counts, "documents": documents}
