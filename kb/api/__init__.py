"""JSON API, version 1 (read side). Contract: shared/design/architecture.md."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from kb.api.params import check_request  # noqa: E402

bp.before_request(check_request)  # parameters checked against the OpenAPI document (kb/api/params.py)

from kb.httpcache import check_api_request, mark_api_response  # noqa: E402

# Anonymous reads: 304 on a current ETag before the view runs; ETag and Cache-Control: public on a 200
# (kb/httpcache.py).
bp.before_request(check_api_request)
bp.after_request(mark_api_response)

from kb.api import routes  # noqa: E402,F401 - routes register on bp
from kb.api import openapi  # noqa: E402,F401
from kb.api import whomay  # noqa: E402,F401 - who-may and shiftable, asking the engine through kb.whomay.service
