"""Danish first, English on request: template helpers and the compiled English catalogue.

Danish text is the msgid everywhere, so Danish needs no catalogue; English comes from
translations/en/LC_MESSAGES/messages.po. Knowledge from the database is not translated, but tasks, professions,
competences, settings and education offers may carry an English name (`title_en` / `name_en`), shown when the UI is
English (:func:`localized`).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, has_request_context, request
from flask_babel import get_locale

# Each language is named in itself, so the switch reads the same whatever the current language is.
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}

log = logging.getLogger(__name__)


def current_language() -> str:
    """'da' or 'en': the language of this request ('da' outside a request). Kept on the request: pages ask once per
    name shown (a who-may matrix shows 100), and each flask_babel look-up walks its context anew."""
    if not has_request_context():
        return "da"
    language = getattr(request, "_kb_language", None)
    if language is None:
        locale = get_locale()
        language = locale.language if locale is not None else "da"
        request._kb_language = language
    return language


def english() -> bool:
    return current_language() == "en"


def localized(obj, field: str = "name") -> str:
    """`obj.<field>_en` when the UI is English and it is filled in, else the Danish `obj.<field>`."""
    danish = getattr(obj, field)
    if english():
        return getattr(obj, f"{field}_en", "") or danish
    return danish


def say(phrase) -> str:
    """An engine phrase (a condition, or a reason) in the request's language. Danish pages print its text; English
    pages render its code through the catalogue, naming professions, competences and organisations in English.
    Text from the knowledge base (a rule's own condition, a provision's scope) has no code and stays Danish."""
    from flask_babel import gettext

    from kb.rules.phrases import Phrase, render

    phrase = getattr(phrase, "text", phrase)
    if not english() or not isinstance(phrase, Phrase):
        return str(phrase)
    names = _english_names()
    return render(phrase, gettext, lambda name: names.get((name.kind, name.slug)) or name.text)


def _english_names() -> dict[tuple[str, str], str]:
    """(kind, slug) → English name for the request, read once (a few hundred short rows, English pages only)."""
    from flask import g

    names = getattr(g, "_kb_english_names", None)
    if names is None:
        import sqlalchemy as sa

        from kb.extensions import db
        from kb.models import Competence, Organisation, Profession

        names = {}
        for kind, model in (("profession", Profession), ("competence", Competence),
                            ("organisation", Organisation)):
            for slug, name_en in db.session.execute(sa.select(model.slug, model.name_en).where(model.name_en != "")):
                names[(kind, slug)] = name_en
        g._kb_english_names = names
    return names


def lang_url(code: str) -> str:
    """The current page (path and query) in another language."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", code)]
    return f"{request.path}?{urlencode(args)}"


def compile_stale_catalogues(directory: Path) -> None:
    """Compile every messages.po whose messages.mo is missing or older (tests and servers run outside `make`)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in directory.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            with po.open("rb") as fh:
                catalog = read_po(fh)
            tmp = mo.with_name(f".{mo.name}.{os.getpid()}")
            with tmp.open("wb") as fh:
                write_mo(fh, catalog)
            os.replace(tmp, mo)  # atomic: a concurrent reader never sees half a file
        except OSError as exc:
            log.warning("could not compile %s: %s", po, exc)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(localized=localized, lang_url=lang_url, current_language=current_language,
                                 LANGUAGE_NAMES=LANGUAGE_NAMES)
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["say"] = say
