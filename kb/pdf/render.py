"""HTML → PDF with WeasyPrint: the page templates' partials, our print stylesheet, a fetcher for static files only."""
from __future__ import annotations

import re
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext

from kb.pdf.fetcher import make_url_fetcher

PDF_MIMETYPE = "application/pdf"


def supports_tags() -> bool:
    """Tagged PDF (structure tree for screen readers) when the installed WeasyPrint knows the option."""
    import weasyprint

    return "pdf_tags" in getattr(weasyprint, "DEFAULT_OPTIONS", {})


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_number_css() -> str:
    """The bottom margin box, "Side X af Y", in the UI language: the phrase is one msgid, split around its
    placeholders into CSS strings and counters."""
    phrase = gettext("Side %(page)s af %(pages)s", page="\x00page\x00", pages="\x00pages\x00")
    parts = []
    for piece in re.split(r"\x00(pages?)\x00", phrase):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(_css_string(piece))
    return "@page { @bottom-right { content: %s; } }" % " ".join(parts)


def html_to_pdf(html: str, base_url: str) -> bytes:
    """Render one HTML document; every resource it names goes through the static-only fetcher."""
    from weasyprint import CSS, HTML

    fetcher = make_url_fetcher(base_url, Path(current_app.static_folder))
    options = {"pdf_tags": True} if supports_tags() else {}
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(string=page_number_css(), url_fetcher=fetcher)], **options)


def render_pdf(template: str, base_url: str, **context) -> bytes:
    """Render a templates/pdf/ template and turn it into PDF bytes."""
    return html_to_pdf(render_template(template, **context), base_url)
