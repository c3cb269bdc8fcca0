"""Every /api/v1 request's parameters checked against the OpenAPI document before the view runs.

One place for what every endpoint needs, so the document and the behaviour cannot drift apart:

- the query string must be UTF-8 once percent-decoded (Werkzeug would quietly turn bad bytes into U+FFFD);
- no parameter may hold a NUL or another control character (PostgreSQL refuses NUL in text, so such a value
  would otherwise reach the database as an error);
- integer parameters are plain ASCII digits within the document's minimum/maximum (Python's int() would also take
  "1_000", " 7 " and Arabic-Indic digits), enum parameters one of the document's values;
- a slug in the path that does not have the document's slug form cannot name anything: 404, as an unknown slug.

All of them answer with the documented error shape {"error": {"code", "message"}}: 400 "bad_parameter", or 404
"not_found". The views keep their own checks (unknown setting, a date that does not exist, …).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import request

from kb.api.errors import ApiError

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INTEGER = re.compile(r"-?[0-9]{1,12}")
SLUG_MAX = 200
MAX_LIMIT = 500  # the largest page (?limit=) a list endpoint gives
WHAT = {"tasks": "opgave", "professions": "faggruppe", "provisions": "bestemmelse"}


def shown(value: str, limit: int = 60) -> str:
    """A value as it may be echoed in a message: control characters as escapes, long values cut."""
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return text if len(text) <= limit else text[:limit] + "…"


@lru_cache(maxsize=1)
def _operations() -> dict[str, dict[str, Any]]:
    """Flask rule (/api/v1/tasks/<slug>) → {"query": {name: schema}, "path": {name: schema}} from the document."""
    from kb.api.openapi import DOCUMENT

    out: dict[str, dict[str, Any]] = {}
    for path, methods in DOCUMENT["paths"].items():
        rule = re.sub(r"\{(\w+)\}", r"<\1>", path)
        params = methods.get("get", {}).get("parameters", [])
        out[rule] = {where: {p["name"]: p.get("schema", {}) for p in params if p["in"] == where}
                     for where in ("query", "path")}
    return out


def _utf8_query() -> None:
    for pair in request.query_string.split(b"&"):
        try:
            unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "bad_parameter",
                           "Parametrene skal være UTF-8 (et %-tegn efterfulgt af bytes, der ikke er UTF-8).") from None


def _check_query(name: str, raw: str, schema: dict[str, Any]) -> None:
    if raw == "":
        return  # an empty parameter counts as left out (allowEmptyValue in the document; the views read it so)
    value = raw.strip()
    kind = schema.get("type")
    if kind == "string" and len(value) > schema.get("maxLength", len(value)):
        raise ApiError(400, "bad_parameter", f"'{name}' må højst være {schema['maxLength']} tegn.")
    if kind == "integer":
        if not INTEGER.fullmatch(value):
            raise ApiError(400, "bad_parameter", f"'{name}' skal være et heltal (fik '{shown(raw)}').")
        number = int(value)
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and number < low) or (high is not None and number > high):
            span = f"mellem {low} og {high}" if high is not None else f"på mindst {low}"
            raise ApiError(400, "bad_parameter", f"'{name}' skal ligge {span}.")
    if "enum" in schema and value not in schema["enum"]:
        raise ApiError(400, "bad_parameter", f"'{name}' skal være en af {', '.join(schema['enum'])}.")


def check_request() -> None:
    """before_request of the API blueprint."""
    _utf8_query()
    for name, values in request.args.lists():
        for value in [name, *values]:
            if CONTROL.search(value):
                raise ApiError(400, "bad_parameter",
                               f"'{shown(name)}' indeholder et kontroltegn (fx NUL); det er ikke tilladt.")
    rule = request.url_rule.rule if request.url_rule is not None else None
    operation = _operations().get(rule) if rule else None
    if operation is None:
        return
    for name, schema in operation["query"].items():
        for raw in request.args.getlist(name):
            _check_query(name, raw, schema)
    for name, schema in operation["path"].items():
        value = (request.view_args or {}).get(name)
        if not isinstance(value, str):
            continue
        pattern = schema.get("pattern")
        too_long = len(value) > schema.get("maxLength", SLUG_MAX)
        if too_long or CONTROL.search(value) or (pattern and not re.search(pattern, value)):
            what = WHAT.get(rule.split("/")[3], "post")
            raise ApiError(404, "not_found", f"Ukendt {what}: '{shown(value)}'.")


def int_param(name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter in [low, high], ``default`` when absent; else a 400 naming the parameter."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "bad_parameter", f"'{name}' skal være et heltal (fik '{shown(raw)}').") from None
    if not low <= value <= high:
        raise ApiError(400, "bad_parameter", f"'{name}' skal ligge mellem {low} og {high}.")
    return value
