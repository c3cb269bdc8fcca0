"""Rendered PDFs, once per (document, context, language, knowledge token), kept in the database; and a bounded
number of renders at once per server process.

Why (security review M1): a role description is seconds of WeasyPrint, it was open to anyone, and every
``?date=`` made a new one, so a few anonymous requests took every worker. Now a PDF is rendered once and every app
server serves the stored bytes (the database is the one thing they share: docs/decisions/0009), while the
knowledge token is the one it was rendered under; a render waits at most KB_PDF_WAIT seconds for one of
KB_PDF_RENDERS slots and is otherwise refused with 503 and Retry-After. Plans are never stored: they are one
planner's own and change outside the knowledge token.
"""
from __future__ import annotations

import hashlib
import threading
from datetime import date
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask, current_app, request
from flask_babel import gettext
from werkzeug.exceptions import ServiceUnavailable

from kb.extensions import db
from kb.i18n import current_language
from kb.models.base import utcnow
from kb.models.knowledge import SINGLETON_ID, KnowledgeState
from kb.models.rendered import RenderedDocument
from kb.rules import Context

RETRY_AFTER_SECONDS = 10  # about three role descriptions' render time: a slot is likely free again by then
_SLOTS = "kb_pdf_slots"


class RendersBusy(ServiceUnavailable):
    """Every render slot of this process stayed taken for KB_PDF_WAIT seconds."""

    retry_seconds = RETRY_AFTER_SECONDS

    def __init__(self):
        super().__init__(gettext("Der laves mange PDF'er lige nu. Prøv igen om lidt."))


def init_app(app: Flask) -> None:
    """One semaphore per app, i.e. per server process (gunicorn forks one app per worker). 0 slots refuses every
    render (a way to switch PDF rendering off)."""
    app.extensions[_SLOTS] = threading.BoundedSemaphore(max(0, app.config["KB_PDF_RENDERS"]))


@contextmanager
def render_slot() -> Iterator[None]:
    slots: threading.BoundedSemaphore = current_app.extensions[_SLOTS]
    if not slots.acquire(timeout=max(0.0, current_app.config["KB_PDF_WAIT"])):
        raise RendersBusy()
    try:
        yield
    finally:
        slots.release()


def key_for(kind: str, slug: str, context: Context, *, annex: bool = False, drafts: int = 0) -> str:
    """Everything a stored PDF's bytes depend on besides the knowledge token: the document, its context (the date
    resolved), the annex, the open drafts it mentions (drafts do not move the token), the language, the address
    its links point to, and today's date (the PDF prints the day it was made, "udskrevet")."""
    parts = (kind, slug, context.setting, context.complexity, context.on.isoformat(), context.organisation,
             annex, drafts, current_language(), request.url_root, date.today().isoformat())
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()


def load(key: str, token: str) -> bytes | None:
    table = RenderedDocument.__table__
    return db.session.scalar(sa.select(table.c.data).where(table.c.key == key, table.c.token == token))


def save(key: str, token: str, data: bytes) -> bool:
    """Keep ``data`` for ``key`` under ``token``; False when it was not kept. A short transaction on a connection of
    its own, after the render: the request's read transaction never becomes a writer, and no lock is held while
    WeasyPrint works. Storing is best effort: the PDF is served either way."""
    table = RenderedDocument.__table__
    keep = max(0, current_app.config["KB_PDF_STORE_KEEP"])
    try:
        with db.engine.begin() as conn:
            current = conn.scalar(sa.select(KnowledgeState.token).where(KnowledgeState.id == SINGLETON_ID))
            if current != token or keep == 0:  # knowledge moved on while this rendered: the PDF is already stale
                return False
            # An older token's PDFs can never be served again; this key's old row is replaced.
            conn.execute(sa.delete(table).where(sa.or_(table.c.token != token, table.c.key == key)))
            conn.execute(sa.insert(table).values(key=key, token=token, data=data, size=len(data),
                                                 created_at=utcnow()))
            # Bounded: a client walking dates makes a new key a request; the oldest beyond KB_PDF_STORE_KEEP go.
            oldest = sa.select(table.c.id).order_by(table.c.id.desc()).offset(keep)
            conn.execute(sa.delete(table).where(table.c.id.in_(oldest)))
        return True
    except (sa.exc.IntegrityError, sa.exc.OperationalError) as exc:  # another server stored it, or a lock timed out
        current_app.logger.info("rendered PDF not stored: %s", str(exc).splitlines()[0][:200])
        return False


def stored_count() -> int:
    """Rows in the store (tests and `kb` operators: is the table bounded?)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(RenderedDocument)) or 0
