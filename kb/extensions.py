"""Flask extensions, created unbound and bound in :func:`kb.app.create_app` (microblog's habit)."""
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from kb.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


SQLITE_BUSY_MS = 30_000


def configure_sqlite(dbapi_connection, _record) -> None:
    """SQLite in WAL mode: readers never wait for the writer (an import's long transaction), and a writer waits up
    to 30 s for another instead of failing at once with 'database is locked'."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()
