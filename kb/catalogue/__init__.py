"""Catalogue pages: home, task and profession pages (server-rendered, Danish)."""
from flask import Blueprint

bp = Blueprint("catalogue", __name__)

from kb.catalogue import routes  # noqa: E402,F401
