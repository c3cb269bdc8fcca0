"""Editors curate the knowledge (redaktion): records as documents, drafts and review, history and revert.

The blueprint lives under /redaktion: routes.py (overview, new/edit, the draft page), review.py (publish, send
back), versions.py (history, revert). The workflow itself is in service.py, the verdict preview in preview.py.
"""
from flask import Blueprint

bp = Blueprint("editing", __name__)


@bp.record_once
def _template_helpers(state) -> None:
    """editing_segment in every template: the catalogue pages link "Rediger" to a kind's form (roles: kb/web.py)."""
    from kb.editing.registry import SEGMENTS, form_class

    def editing_segment(kind: str) -> str | None:
        """The URL segment of a kind editors can edit now, else None (its form is not there yet)."""
        return SEGMENTS[kind] if kind in SEGMENTS and form_class(kind) is not None else None

    state.app.jinja_env.globals.update(editing_segment=editing_segment, kind_segment=SEGMENTS.get)


from kb.editing import review, routes, versions  # noqa: E402,F401
