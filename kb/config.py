"""Settings from the environment. Everything has a default that works on a fresh machine."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FORM_MAX_BYTES = 1024 * 1024


def _secret_key(instance_path: Path) -> str:
    """KB_SECRET_KEY, else a key generated once into the instance folder (never committed)."""
    if key := os.environ.get("KB_SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # Create with owner-only permissions before writing the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def settings_from_environment(instance_path: Path, overrides: dict | None = None) -> dict:
    overrides = overrides or {}
    default_db = f"sqlite:///{instance_path / 'opgavebasen.db'}"
    return {
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(os.environ.get("KB_DATABASE_URL", default_db)),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "KB_SEED_DIR": os.environ.get("KB_SEED_DIR", str(PROJECT_ROOT / "seed")),
        "KB_SHARED_DIR": os.environ.get("KB_SHARED_DIR", str(PROJECT_ROOT.parent / "shared")),
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",  # stored times are naive UTC; pages and PDFs show local time
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "KB_LANGUAGES": ["da", "en"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("KB_SECURE_COOKIES", "0") == "1",
        # A signed-in session ends after this long without a request (Flask refreshes the cookie on each request).
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=int(os.environ.get("KB_SESSION_MINUTES", "480"))),
        "KB_PAGE_SIZE": 50,
        # Every request body is bounded (forms are small); the import pages allow their file size
        # (kb/transfer/routes.py). A larger body is refused with 413 before it is read or spooled to disk.
        "MAX_CONTENT_LENGTH": FORM_MAX_BYTES,
        # Rendered task articles kept per process while knowledge is unchanged (kb/knowledge_state.py); 0 turns
        # the cache off (the benchmark measures the task page both ways).
        "KB_PAGE_CACHE": os.environ.get("KB_PAGE_CACHE", "1") != "0",
        # Accounts: reading is open unless KB_READ_REQUIRES_LOGIN=1; login attempts are rate-limited per IP and
        # per username (Flask-Limiter; memory storage per process unless a shared store is configured).
        "KB_READ_REQUIRES_LOGIN": os.environ.get("KB_READ_REQUIRES_LOGIN", "0") == "1",
        "KB_LOGIN_RATE_LIMIT": os.environ.get("KB_LOGIN_RATE_LIMIT", "10 per minute"),
        # Import jobs run at most this many at once per server process; the rest wait their turn (shown so).
        "KB_IMPORT_WORKERS": int(os.environ.get("KB_IMPORT_WORKERS", "2")),
        "KB_LOGIN_USER_CEILING": os.environ.get("KB_LOGIN_USER_CEILING", "100 per hour"),
        # HTTP caching (kb/httpcache.py): anonymous GET answers of the API and the PDFs may be kept this many
        # seconds by browsers and proxies (they revalidate with the ETag afterwards).
        "KB_PUBLIC_MAX_AGE": int(os.environ.get("KB_PUBLIC_MAX_AGE", "60")),
        # PDFs (kb/pdf/store.py): at most this many renders at once per server process; a request that waits
        # longer than KB_PDF_WAIT seconds for one gets 503 with Retry-After. The store keeps at most
        # KB_PDF_STORE_KEEP rendered PDFs of the current knowledge version.
        "KB_PDF_RENDERS": int(os.environ.get("KB_PDF_RENDERS", "2")),
        "KB_PDF_WAIT": float(os.environ.get("KB_PDF_WAIT", "5")),
        "KB_PDF_STORE_KEEP": int(os.environ.get("KB_PDF_STORE_KEEP", "500")),
        # Anonymous clients only (signed-in users are not limited here), per client address: the PDFs together,
        # and the heavy API answers (shiftable, up to 17 MB of JSON).
        "KB_PDF_RATE_LIMIT": os.environ.get("KB_PDF_RATE_LIMIT", "20 per minute"),
        "KB_API_HEAVY_RATE_LIMIT": os.environ.get("KB_API_HEAVY_RATE_LIMIT", "60 per minute"),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": os.environ.get("KB_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
    }
