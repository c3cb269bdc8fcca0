"""The department leader's workbench: 'Flyt opgaver væk fra …' — what can move away from a scarce group."""
from flask import Blueprint

bp = Blueprint("workbench", __name__)

from kb.workbench import routes  # noqa: E402,F401
