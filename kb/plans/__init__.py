"""Shift plans (opgaveflytningsplaner): a unit moves tasks between groups and sees the hours and FTE it frees."""
from flask import Blueprint

bp = Blueprint("plans", __name__)

from kb.plans import routes  # noqa: E402,F401
