"""Bad input to every parameter of every /api/v1 endpoint: wrong types, negative and huge numbers, unknown enum values,
very long strings, NUL and other control bytes, invalid UTF-8 percent-escapes. The answer is always the documented
JSON error — 400 "bad_parameter", or 404 "not_found" for a slug that names nothing — never a 500.

The endpoints and their parameters are read from the app's own OpenAPI document, so a new parameter is attacked as
soon as it is documented (and test_every_api_route_is_documented keeps the document complete)."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from kb.api.openapi import DOCUMENT

TASK = "tage-venoes-blodproeve"
NURSE = "sygeplejerske"
SLUGS = {"/api/v1/tasks/{slug}": TASK, "/api/v1/tasks/{slug}/who-may": TASK,
         "/api/v1/professions/{slug}": NURSE, "/api/v1/professions/{slug}/shiftable": NURSE,
         "/api/v1/provisions/{slug}": "aut-54-4-1"}
LONG = "x" * 5000

# Raw query-string values (already percent-encoded as they travel).
EVERYWHERE = ["%00", "a%00b", "%01", "%7F", "%ff", "%C3%28", "%ed%a0%80", "%e2%82"]  # NUL, controls, bad UTF-8
INTEGER = ["abc", "-1", "1.5", "1e3", "0x10", "1_0", "%D9%A1%D9%A2", "NaN", "inf", "true", "9" * 40, "9" * 5000,
           "-" + "9" * 30, "%2B", "--1"]
ENUM = ["unknown", "COMPLEX", "complex%00", "clinical ", LONG, "%3Cscript%3E"]
SLUG_VALUE = ["maanen", LONG, "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%27%20OR%20%271%27%3D%271", "..%2F..%2Fetc"]
DATE = ["2024-02-30", "2024-13-01", "yesterday", "99999-01-01", "-1", "0000-00-00", LONG, "2024-01-01T00:00:00Z"]
BAD_SLUGS = ["nope", "NOPE", "%00", "a%00b", "%ff", "%C3%28", LONG, "%3Cscript%3E", "sygeplejerske%20",
             "%E2%80%AEsygeplejerske", "..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "%27%20OR%20%271%27%3D%271"]


def _operations():
    for path, methods in DOCUMENT["paths"].items():
        yield path, methods["get"].get("parameters", [])


def _bad_values(param: dict) -> list[str]:
    schema = param.get("schema", {})
    if schema.get("type") == "integer":
        values = list(INTEGER)
        if "minimum" in schema:
            values.append(str(schema["minimum"] - 1))
        if "maximum" in schema:
            values.append(str(schema["maximum"] + 1))
        return values
    if "enum" in schema:
        return ENUM
    if schema.get("format") == "date":
        return DATE
    if param["name"] == "q":
        return []  # free text: anything but the characters in EVERYWHERE is a valid query
    return SLUG_VALUE  # setting, holder: slugs of records


def assert_error(response, status: int, code: str, where: str) -> dict:
    assert response.status_code == status, (where, response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json", where
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, (where, body)
    assert body["error"]["code"] == code, (where, body)
    message = body["error"]["message"]
    assert isinstance(message, str) and message.strip(), where
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", message), (where, message)  # nothing raw echoed
    assert len(message) < 1000, (where, len(message))  # a 5,000-character value is not echoed whole
    return body


@pytest.mark.only_backend("sqlite")  # the OpenAPI document against url_map: once is enough
def test_every_api_route_is_documented(app):
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule) for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/v1/")}
    assert routes == set(DOCUMENT["paths"])
    assert set(SLUGS) == {p for p in DOCUMENT["paths"] if "{slug}" in p}


@pytest.mark.parametrize("path,params", list(_operations()), ids=[p for p, _ in _operations()])
def test_bad_query_parameters_are_400_json(client, path, params):
    url = path.replace("{slug}", SLUGS.get(path, ""))
    assert client.get(url).status_code == 200, url
    failures = []
    names = [p["name"] for p in params if p["in"] == "query"] or ["anything"]  # undocumented names too
    for param in params:
        if param["in"] != "query":
            continue
        for value in _bad_values(param) + EVERYWHERE:
            where = f"{url}?{param['name']}={value[:40]}"
            try:
                assert_error(client.get(f"{url}?{param['name']}={value}"), 400, "bad_parameter", where)
            except AssertionError as exc:
                failures.append(str(exc)[:300])
    for name in names:  # a control byte or bad UTF-8 in the name, or after a good value
        for query in (f"{name}%00=1", f"%ff{name}=1", f"{name}=1&x=%00"):
            try:
                assert_error(client.get(f"{url}?{query}"), 400, "bad_parameter", f"{url}?{query}")
            except AssertionError as exc:
                failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures)


def test_free_text_is_accepted_or_refused_never_a_server_error(client):
    for value in [LONG, quote("' OR 1=1 --"), quote('"; DROP TABLE task; --'), quote("\u202eblodprøve"),
                  quote("*" * 300), quote("NEAR(a b)"), quote('"'), quote("blodprøve AND OR NOT"), "%25%25%25"]:
        response = client.get(f"/api/v1/tasks?q={value}")
        assert response.status_code == 200, (value[:40], response.status_code)
        data = response.get_json()
        assert isinstance(data["items"], list) and data["total"] >= len(data["items"])


def test_unknown_or_malformed_slugs_are_404_json(client):
    failures = []
    for path, slug in ((p, s) for p in sorted(SLUGS) for s in BAD_SLUGS):
        url = path.replace("{slug}", slug)
        try:
            assert_error(client.get(url), 404, "not_found", url[:80])
        except AssertionError as exc:
            failures.append(str(exc)[:300])
    assert not failures, "\n".join(failures)


def test_the_documented_bounds_still_work(client):
    """The checks refuse only what is wrong: each bound itself, empty values and padded numbers are accepted."""
    assert client.get("/api/v1/tasks?limit=500&offset=0").status_code == 200
    assert client.get("/api/v1/tasks?limit=1&offset=1000000000").get_json()["items"] == []
    assert client.get("/api/v1/tasks?limit=&offset=&category=&setting=&holder=").status_code == 200
    assert client.get("/api/v1/tasks?limit=%20").status_code == 400
    assert client.get("/api/v1/tasks?limit=%205%20").get_json()["limit"] == 5
    assert client.get(f"/api/v1/professions/{NURSE}/shiftable?takers=50&complexity=complex").status_code == 200
    assert client.get(f"/api/v1/tasks/{TASK}/who-may?date=2024-02-29&complexity=uncomplicated").status_code == 200
    assert client.get(f"/api/v1/tasks?holder={NURSE}").get_json()["total"] > 0
