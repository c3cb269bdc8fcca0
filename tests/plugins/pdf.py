"""PDF fixtures: `layout_free_pdfs` for tests about who may fetch a PDF, not about the PDF itself."""
from __future__ import annotations

import pytest


@pytest.fixture
def layout_free_pdfs(monkeypatch):
    """Who may fetch a PDF is decided before WeasyPrint lays it out (seconds a document; the PDFs themselves are
    tested in tests/integration/test_pdf.py), so access tests send the route's HTML instead of laying it out."""
    monkeypatch.setattr("kb.pdf.render.html_to_pdf", lambda html, base_url: html.encode())
