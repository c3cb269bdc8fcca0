"""The HTML pages with bad input in the path or the query: a NUL byte, a control character or invalid UTF-8 in a slug
or a setting is a 400 or 404 page, never a server error (PostgreSQL refuses a NUL outright; kb/web.py stops control
characters before any lookup)."""
from __future__ import annotations

import pytest

TASK, NURSE = "tage-venoes-blodproeve", "sygeplejerske"
PAGES = ["/tasks/{}", "/professions/{}", "/competences/{}", "/provisions/{}", "/educations/{}", "/sources/{}",
         "/tasks/{}/sheet.pdf", "/professions/{}/role.pdf"]
QUERIES = [f"/tasks/{TASK}?setting={{}}", f"/professions/{NURSE}?setting={{}}", "/flyt?fra={}",
           "/search?q=blodpr%C3%B8ve&setting={0}&holder={0}&profession={0}&category={0}&page={0}"]
BAD = ["%00", "a%00b", "%01", "%ff", "%C3%28"]


def _status(client, url: str) -> int | str:
    try:
        return client.get(url).status_code
    except Exception as exc:  # TESTING propagates what would be a 500
        return type(exc).__name__


def _answers(client, templates: list[str]) -> dict[str, int | str]:
    return {template.format(value): _status(client, template.format(value)) for template in templates for value in BAD}


def _server_errors(answers: dict[str, int | str]) -> dict[str, int | str]:
    return {url[:80]: status for url, status in answers.items() if status not in (200, 400, 404)}


@pytest.mark.only_backend("sqlite")  # no lookup by the value: once is enough
def test_pages_that_look_nothing_up_by_the_value(client):
    assert not _server_errors(_answers(client, QUERIES[2:]))


def test_pages_that_look_a_slug_or_setting_up(client):
    assert not _server_errors(_answers(client, PAGES + QUERIES[:2]))
