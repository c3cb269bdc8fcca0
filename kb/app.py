"""The application factory: settings, extensions, blueprints and commands (gunicorn: ``kb.app:create_app()``)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

import sqlalchemy as sa
from flask import Flask

from kb.config import PROJECT_ROOT, settings_from_environment


def _instance_path() -> str | None:
    """KB_INSTANCE_PATH, else Flask's default (instance/ beside kb/)."""
    path = os.environ.get("KB_INSTANCE_PATH")
    return os.path.abspath(path) if path else None


def _private_folder(path: Path) -> None:
    """The instance folder holds the secret key and the SQLite database (password hashes): owner only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except PermissionError:  # a folder another user made for us: leave it
        pass


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite file owner-only before SQLite does (its -wal and -shm files take the database file's
    permissions), and tighten an existing one: the file holds password hashes and plans."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    path = Path(parsed.database)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if name.exists():
                os.chmod(name, 0o600)
    except PermissionError:
        pass


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory. `config` overrides the environment (tests pass their database URL here)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=_instance_path(),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    _private_folder(Path(app.instance_path))
    app.config.from_mapping(settings_from_environment(Path(app.instance_path), dict(config or {})))
    if config:
        app.config.from_mapping(config)
    _private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])

    from kb import formats, i18n
    from kb import knowledge_state  # noqa: F401 - its session hooks rewrite the knowledge token on commit
    from kb import models  # noqa: F401 - register every table before migrations look at metadata
    from kb.extensions import babel, configure_sqlite, csrf, db, login_manager, migrate
    from kb.web import select_locale

    i18n.compile_stale_catalogues(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                sa.event.listen(engine, "connect", configure_sqlite)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)

    from kb import web
    from kb.api import bp as api_bp
    from kb.auth import bp as auth_bp
    from kb.catalogue import bp as catalogue_bp
    from kb.editing import bp as editing_bp
    from kb.pdf import bp as pdf_bp
    from kb.plans import bp as plans_bp
    from kb.search.routes import bp as search_bp
    from kb.transfer import bp as transfer_bp
    from kb.workbench import bp as workbench_bp

    web.init_app(app)
    i18n.init_app(app)
    formats.init_app(app)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(workbench_bp)
    app.register_blueprint(plans_bp, url_prefix="/plans")
    app.register_blueprint(pdf_bp)  # /professions/<slug>/role.pdf, /tasks/<slug>/sheet.pdf, /plans/<id>.pdf
    app.register_blueprint(editing_bp, url_prefix="/redaktion")
    app.register_blueprint(transfer_bp, url_prefix="/overfoersel")
    app.register_blueprint(search_bp)  # GET /search
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # read-only JSON; no cookies-based writes live there

    from kb.auth.limits import init_limiter

    init_limiter(app)  # login rate limit; after the blueprints, since it wraps the login view

    from kb.cli import register_commands

    register_commands(app)
    return app
