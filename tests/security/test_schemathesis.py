"""Schemathesis against the app's own OpenAPI document (/api/v1/openapi.json), in process on the WSGI app of each
backend: for every operation, examples that fit the document (positive) and examples that break it (negative)
are sent, and each answer must not be a server error, must have a status the document lists, the documented
content type, and a body that fits the documented schema. Negative examples must be refused with a 4xx."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (  # their home module in 4.25 to 4.32 (newer also re-export)
    content_type_conformance, negative_data_rejection, positive_data_acceptance, response_schema_conformance,
    status_code_conformance,
)

from kb.api.openapi import DOCUMENT

OPERATIONS = sorted(DOCUMENT["paths"])
MAX_EXAMPLES = 30
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _run(app, path: str, mode: GenerationMode, checks: list, max_examples: int = MAX_EXAMPLES, **fixed) -> int:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path]["GET"]
    seen = []

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call()
        case.validate_response(response, checks=checks)
        seen.append(response.status_code)

    check()
    return len(seen)


@pytest.mark.parametrize("path", OPERATIONS)
def test_examples_that_fit_the_document(app, path):
    # Positive data of /tasks may name a setting or holder that does not exist (400, documented), so
    # positive_data_acceptance is asked only of the operations whose parameters are all closed sets.
    open_strings = any(p["in"] == "query" and p["schema"].get("type") == "string" and "enum" not in p["schema"]
                       and p["name"] != "q" for p in DOCUMENT["paths"][path]["get"].get("parameters", []))
    slug = "{slug}" in path
    checks = CHECKS + ([] if open_strings or slug else [positive_data_acceptance])
    assert _run(app, path, GenerationMode.POSITIVE, checks) > 0
    if slug:  # generated slugs name nothing (404): also ask about real records, whose bodies the schemas describe
        listing = "/api/v1/professions" if path.startswith("/api/v1/professions") else "/api/v1/tasks?limit=500"
        items = app.test_client().get(listing).get_json()["items"]
        for record in (items[0], items[len(items) // 2], items[-1]):
            assert _run(app, path, GenerationMode.POSITIVE, CHECKS, max_examples=8,
                        path_parameters={"slug": record["slug"]}) > 0


@pytest.mark.parametrize("path", [p for p in OPERATIONS if DOCUMENT["paths"][p]["get"].get("parameters")])
def test_examples_that_break_the_document_are_refused(app, path):
    assert _run(app, path, GenerationMode.NEGATIVE, CHECKS + [negative_data_rejection]) > 0


@pytest.mark.only_backend("sqlite")  # the document's shape: once is enough
def test_the_document_is_valid_openapi(app):
    """Schemathesis validates the document while loading it; every operation must come out usable."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]  # ok() raises for a broken operation
    # Newer schemathesis leaves out the document's own path (where the schema was loaded from).
    assert set(OPERATIONS) - {"/api/v1/openapi.json"} <= {op.path for op in operations} <= set(OPERATIONS)
