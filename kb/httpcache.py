"""HTTP caching of anonymous reads: an ETag, 304 on If-None-Match, and ``Cache-Control: public, max-age``.

Why: the API's answers and the PDFs are the same for every anonymous reader until published knowledge changes (the
knowledge token, kb/knowledge_state.py), so a browser or a proxy may keep them and ask again cheaply. The ETag is a
hash of the token, what the answer depends on (the path and its query, or a PDF's store key), the language and
today's date (a context without ``date`` means today, so the answer changes at midnight without a publication). The
token is shared through the database, so every app server computes the same ETag: a revalidation may land anywhere.

The task page is tagged the same way for anonymous readers without a session (:func:`shared_read`), with
``no-cache`` instead of a max-age (:func:`mark_revalidate`): its header holds the login link and the language switch,
so a copy is used only after the server says it is current (a 304, sent before any rendering).

Signed-in users get none of this: kb/web.py sends ``private, no-store`` on every response to a session, and no ETag
is set for them (their pages hold plans and drafts, which change outside the knowledge token). Errors are never
cached: only a 200 gets an ETag and ``public``.
"""
from __future__ import annotations

import hashlib
from datetime import date

from flask import Response, current_app, g, request, session

from kb.extensions import db
from kb.i18n import current_language
from kb.knowledge_state import current_token


def anonymous_read() -> bool:
    """A GET (or HEAD) without a signed-in session: the only kind of request answered cacheably. The same test of
    the session as kb/web.py's private rule, so the two can never both apply."""
    return request.method in ("GET", "HEAD") and "_user_id" not in session


def shared_read() -> bool:
    """An anonymous read with no session at all (no user, no flashed message, no login cookie): a page is then the
    same for everyone asking for the same path in the same language, so it may be kept whole and revalidated."""
    return (anonymous_read() and not session
            and current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies)


def etag_for(*parts: object) -> str | None:
    """The ETag of an answer depending on ``parts``; None while knowledge is uncommitted (nothing may be cached)."""
    token = current_token(db.session)
    if token is None:
        return None
    text = "\x1f".join([token, current_language(), date.today().isoformat(), *map(str, parts)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def request_parts() -> tuple[str, str]:
    """The path and its query, sorted (the order of parameters does not change an answer; ``lang`` is in the
    language already)."""
    args = sorted((k, v) for k, v in request.args.items(multi=True) if k != "lang")
    return request.path, repr(args)


def mark_public(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.vary.add("Cookie")  # the language may come from the lang cookie: a proxy must not mix languages
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['KB_PUBLIC_MAX_AGE']}"
    return response


def mark_revalidate(response: Response, etag: str) -> Response:
    """An HTML page for anonymous readers: kept by a browser or proxy only to be revalidated before each use
    (``no-cache``), since its header holds the login link and the language switch; a 304 then costs no rendering."""
    response.set_etag(etag)
    response.vary.add("Cookie")
    response.headers["Cache-Control"] = "no-cache"
    return response


def not_modified(etag: str | None, mark=mark_public) -> Response | None:
    """304 without a body when the client already holds this answer (If-None-Match), else None."""
    if etag is None or not request.if_none_match.contains(etag):
        return None
    return mark(Response(status=304), etag)


def check_api_request() -> Response | None:
    """Before an API view (after its parameters are checked): 304 before any work when the client's copy is current;
    otherwise remember the ETag for :func:`mark_api_response`."""
    if not anonymous_read():
        return None
    g.kb_etag = etag_for("api", *request_parts())
    return not_modified(g.kb_etag)


def mark_api_response(response: Response) -> Response:
    etag = g.pop("kb_etag", None)
    if etag is not None and response.status_code == 200 and anonymous_read():
        mark_public(response, etag)
    return response
