"""Stored XSS: the payload corpus (tests/security/payloads.py) saved by editors through the real forms — a competence,
a profession, a task (title, description, terms, tags) and a rule (note, conditions), each drafted by an editor,
submitted and published by a reviewer — and through the spreadsheet importer; then every page that shows the
values (forms, drafts, history, public pages, lists, search, the PDFs' HTML, the dry run) must show them as text
only, and the JSON API must return them exactly as typed."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
from flask import render_template

from kb.transfer.cells import enc_list
from kb.transfer.columns import header
from tests.helpers import signed_in
from tests.plugins.editing import action, draft_id_of, fill, form_data
from tests.transfer_helpers import commit, csv_file, job_id, upload
from tests.security.payloads import (
    AUTOFOCUS, BREAK_DOUBLE, BREAK_SINGLE, CORPUS, IFRAME, IMG, JS_URL, LINK, LONG, RTL, SCRIPT, SHORT, SVG, TEMPLATE,
    assert_shown_as_text,
)

SSA = "social-og-sundhedsassistent"
TASK, RULE, PROFESSION, COMPETENCE = "xss-opgave", "xss-opgave-ssa", "xss-faggruppe", "xss-kompetence"
WORD = "xylofonbehandling"  # a word found only in the payload records' titles and names


def _joined(*parts: str, limit: int) -> str:
    text = " ".join(parts)
    assert len(text) <= limit, (len(text), limit)
    return text


TASK_TITLE = _joined(WORD.capitalize(), SCRIPT, BREAK_DOUBLE, AUTOFOCUS, TEMPLATE, RTL, limit=300)
PROFESSION_NAME = _joined(WORD.capitalize(), "faggruppe", IMG, BREAK_SINGLE, TEMPLATE, limit=200)
COMPETENCE_NAME = _joined(WORD.capitalize(), "kompetence", SVG, BREAK_DOUBLE, TEMPLATE, limit=300)
DESCRIPTION = "\n".join(CORPUS + [LONG])
URL = 'https://eksempel.dk/instruks?a="><script>alert(9)</script>&b=\' onclick=\'alert(9)'
SOURCES = dict(sources__0__document="seed-004", sources__0__line_from="1353", sources__0__line_to="1360",
               sources__0__note=LINK, sources__1__url=URL, sources__1__note=IFRAME)


def _publish(app, editor, reviewer, kind: str, url: str, shown: list[str], **values) -> int:
    """Save a draft through the form at `url` (new or edit), submit it, and have the reviewer publish it; the draft
    page (with its diff and preview) must show `shown` as text to the author and to the reviewer."""
    data = fill(form_data(editor.get(url).get_data(as_text=True)), reason=f"XSS-korpus {BREAK_DOUBLE}", **values)
    response = editor.post(url, data=data)
    errors = re.findall(r'<p class="error" id="([^"]+)">(.*?)</p>|<ul class="flash error">(.*?)</ul>',
                        response.get_data(as_text=True), re.S)
    assert response.status_code == 302, (kind, errors)
    draft = draft_id_of(response)
    assert action(editor, draft, "indsend").status_code == 302
    for client in (editor, reviewer):
        assert_shown_as_text(_page(client, f"/redaktion/udkast/{draft}"), shown, f"{kind} draft")
    assert_shown_as_text(_page(editor, "/redaktion/"), shown[:1], "editors' overview")
    published = action(reviewer, draft, "udgiv")
    assert published.status_code == 302, published.get_data(as_text=True)[:2000]
    return draft


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


# Escaping happens in the templates, whatever the engine; the importer test below runs on both engines, this long
# one (every editor form, every page) on one.
@pytest.mark.slow  # every editor form and every page, PDFs' HTML included
@pytest.mark.only_backend("sqlite")
def test_editor_input_is_shown_as_text_and_the_api_returns_it_exactly(app, people):
    editor, reviewer = people["redaktoer"], people["godkender"]
    anonymous = app.test_client()

    # A form refused for a missing reason shows every typed value again: inside value="…" and <textarea>.
    url = "/redaktion/opgave/ny"
    refused = editor.post(url, data=fill(form_data(editor.get(url).get_data(as_text=True)), slug=TASK,
                                         title=TASK_TITLE, category="clinical", description=DESCRIPTION,
                                         terms="\r\n".join(CORPUS), tags="\r\n".join(SHORT), reason="",
                                         **{**SOURCES, "sources__1__url": JS_URL}))
    assert refused.status_code == 400
    assert_shown_as_text(refused.get_data(as_text=True), [TASK_TITLE, DESCRIPTION, JS_URL] + CORPUS,
                         "refused task form")
    assert re.search(r'<p class="error" id="sources-1-url-error">', refused.get_data(as_text=True))

    _publish(app, editor, reviewer, "competence", "/redaktion/kompetence/ny",
                                [COMPETENCE_NAME, SCRIPT, LONG] + CORPUS, slug=COMPETENCE,
                                name=COMPETENCE_NAME, name_en=SCRIPT, competence_kind="skill",
                                description=DESCRIPTION)
    _publish(
        app, editor, reviewer, "profession", "/redaktion/faggruppe/ny", [PROFESSION_NAME, SVG] + CORPUS,
        slug=PROFESSION, name=PROFESSION_NAME,
        name_en=BREAK_SINGLE, abbreviation=SVG, description="\n".join(CORPUS), legal_basis="\n".join(CORPUS),
        education_name=COMPETENCE_NAME, education_length=IMG, education_level="2", shortage_level="unknown",
        competences=[COMPETENCE])
    _publish(
        app, editor, reviewer, "task", "/redaktion/opgave/ny", [TASK_TITLE, LONG, URL] + CORPUS,
        slug=TASK, title=TASK_TITLE, title_en=IMG,
        category="clinical", description=DESCRIPTION, holders=[PROFESSION, "sygeplejerske"],
        terms="\r\n".join(CORPUS), tags="\r\n".join(SHORT), **SOURCES)
    _publish(
        app, editor, reviewer, "rule", f"/redaktion/regel/ny?task={TASK}&profession={SSA}",
        [TASK_TITLE, LONG] + CORPUS, slug=RULE,
        effect="deny", rule_kind="organisational", note=DESCRIPTION, conditions="\r\n".join(CORPUS))

    everything = [TASK_TITLE, PROFESSION_NAME, COMPETENCE_NAME] + CORPUS
    pages = {
        # editors' pages: history, the edit forms filled from the published records, the overview
        f"/redaktion/opgave/{TASK}/historik": (editor, [TASK_TITLE] + CORPUS),
        f"/redaktion/regel/{RULE}/historik": (editor, CORPUS),
        f"/redaktion/faggruppe/{PROFESSION}/historik": (editor, [PROFESSION_NAME] + CORPUS),
        f"/redaktion/kompetence/{COMPETENCE}/historik": (editor, [COMPETENCE_NAME] + CORPUS),
        f"/redaktion/opgave/{TASK}/rediger": (editor, [TASK_TITLE, DESCRIPTION] + CORPUS),
        f"/redaktion/regel/{RULE}/rediger": (editor, [DESCRIPTION] + CORPUS),
        f"/redaktion/faggruppe/{PROFESSION}/rediger": (editor, [PROFESSION_NAME] + CORPUS),
        f"/redaktion/kompetence/{COMPETENCE}/rediger": (editor, [COMPETENCE_NAME, DESCRIPTION]),
        f"/redaktion/regel/ny?task={TASK}&profession={SSA}": (editor, [TASK_TITLE]),  # the task list for rules
        # public pages
        f"/tasks/{TASK}": (anonymous, [TASK_TITLE, DESCRIPTION, PROFESSION_NAME, URL] + CORPUS),
        f"/tasks/{TASK}?lang=en": (app.test_client(), [IMG, DESCRIPTION] + CORPUS),  # its own: the cookie
        f"/professions/{PROFESSION}": (anonymous, [PROFESSION_NAME, COMPETENCE_NAME, TASK_TITLE] + CORPUS),
        f"/competences/{COMPETENCE}": (anonymous, [COMPETENCE_NAME, DESCRIPTION, PROFESSION_NAME]),
        "/professions/": (anonymous, [PROFESSION_NAME]),
        "/competences/": (anonymous, [COMPETENCE_NAME]),
        f"/flyt?fra={PROFESSION}": (anonymous, [PROFESSION_NAME]),
        f"/search?q={WORD}": (anonymous, [TASK_TITLE, PROFESSION_NAME, COMPETENCE_NAME]),
    }
    for url, (client, values) in pages.items():
        assert_shown_as_text(_page(client, url), values, url)
    # Search as you type (the results partial), the search box with the payload as the query itself, a search
    # for a word of the description (a snippet: the values need not be whole) and for the terms.
    partial = anonymous.get(f"/search?q={WORD}", headers={"HX-Request": "true"})
    assert_shown_as_text(partial.get_data(as_text=True), [TASK_TITLE], "search partial")
    for q in (SCRIPT, BREAK_DOUBLE, TEMPLATE, "onerror alert", "klik her", "fed nulbredde"):
        page = _page(anonymous, f"/search?q={q.replace('&', '%26').replace('#', '%23')}")
        assert_shown_as_text(page, [q.strip()[:200]] + everything, f"/search?q={q}", shown=False)
        assert TASK in page or q in (BREAK_DOUBLE,), f"search for {q!r} finds the task"

    # The JSON API returns exactly what was typed.
    task = anonymous.get(f"/api/v1/tasks/{TASK}").get_json()
    assert (task["title"], task["title_en"], task["description"]) == (TASK_TITLE, IMG, DESCRIPTION)
    assert [t["term"] for t in task["terms"]] == CORPUS and task["tags"] == SHORT
    assert [(s.get("url"), s["note"]) for s in task["sources"]] == [(None, LINK), (URL, IFRAME)]
    rule = next(r for r in task["rules"] if r["slug"] == RULE)
    assert (rule["note"], rule["conditions"]) == (DESCRIPTION, CORPUS)
    who = anonymous.get(f"/api/v1/tasks/{TASK}/who-may").get_json()
    assert who["task"]["title"] == TASK_TITLE
    ssa = next(r for r in who["results"] if r["profession"] == SSA)
    assert any(DESCRIPTION in reason["text"] for reason in ssa["reasons"]), ssa["reasons"]
    assert any(r["profession_name"] == PROFESSION_NAME for r in who["results"])
    profession = anonymous.get(f"/api/v1/professions/{PROFESSION}").get_json()
    assert (profession["name"], profession["name_en"], profession["abbreviation"]) == (
        PROFESSION_NAME, BREAK_SINGLE, SVG)
    assert (profession["description"], profession["legal_basis"]) == ("\n".join(CORPUS), "\n".join(CORPUS))
    assert profession["education"]["name"] == COMPETENCE_NAME and profession["education"]["length"] == IMG
    assert profession["competences"] == [{"slug": COMPETENCE, "name": COMPETENCE_NAME}]
    assert any(t["title"] == TASK_TITLE for t in profession["tasks_held"])
    assert any(p["name"] == PROFESSION_NAME for p in anonymous.get("/api/v1/professions").get_json()["items"])
    listed = anonymous.get("/api/v1/tasks", query_string={"q": WORD}).get_json()["items"]
    assert [t["title"] for t in listed if t["slug"] == TASK] == [TASK_TITLE]

    # The PDFs' HTML (rendered as the PDF routes render it, without WeasyPrint).
    from kb.pdf import service
    from kb.whomay.facts import make_context

    with app.test_request_context("/"):
        sheet = service.task_sheet(TASK, make_context())
        stamp = service.knowledge_stamp()
        made = datetime.now().astimezone()
        task_html = render_template("pdf/task.html", sheet=sheet, stamp=stamp, made=made)
        doc = service.role_description(PROFESSION, make_context(), None)
        role_html = render_template("pdf/role.html", doc=doc, stamp=doc.stamp, made=made)
    assert_shown_as_text(task_html, [TASK_TITLE, DESCRIPTION, PROFESSION_NAME] + CORPUS, "task sheet HTML",
                         allow_style=True)
    assert_shown_as_text(role_html, [PROFESSION_NAME, COMPETENCE_NAME, TASK_TITLE] + CORPUS, "role HTML",
                         allow_style=True)


def test_imported_values_are_shown_as_text_and_the_api_returns_them_exactly(app):
    app.config.update(KB_TRANSFER_BACKGROUND=False)  # the job runs inside the request
    reviewer = signed_in(app, "reviewer")
    columns = ["slug", "title", "category", "description", "holders", "terms", "tags", "sources"]
    assert set(columns) <= set(header("task"))
    source = f"seed-004:1353-1360 — {LINK}"
    good = [TASK, TASK_TITLE, "clinical", DESCRIPTION, "sygeplejerske", enc_list(CORPUS), enc_list(SHORT), source]

    # Errors echo the cell: a source that is not one is listed with the payload as text.
    bad = ["xss-fejl", TASK_TITLE, SCRIPT, DESCRIPTION, BREAK_DOUBLE, enc_list(CORPUS), enc_list(SHORT), SCRIPT]
    response = upload(reviewer, "task", "xss.csv", csv_file([columns, good, bad]))
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    dry_run = _page(reviewer, f"/overfoersel/koersel?id={job_id(response)}")
    assert re.search(r'data-row="3" data-column="category"', dry_run), dry_run[:3000]
    assert re.search(r'data-row="3" data-column="sources"', dry_run), dry_run[:3000]
    assert_shown_as_text(dry_run, [SCRIPT], "dry run with errors")

    # A payload as the file name (no quotes or slashes: the multipart header carries it) and as a header cell.
    response = upload(reviewer, "task", "<svg onload=alert(3)>.csv", csv_file([columns + [IMG], good + [""]]))
    page = response.get_data(as_text=True) if response.status_code not in (302, 303) else _page(
        reviewer, f"/overfoersel/koersel?id={job_id(response)}")
    assert_shown_as_text(page, [IMG, "<svg onload=alert(3)>.csv"], "unknown column")

    response = upload(reviewer, "task", "xss.csv", csv_file([columns, good]))
    job = job_id(response)
    assert_shown_as_text(_page(reviewer, f"/overfoersel/koersel?id={job}"), [TASK_TITLE], "dry run")
    assert commit(reviewer, job, reason=f"Import {SCRIPT}").status_code in (302, 303)

    anonymous = app.test_client()
    for url, values in {f"/tasks/{TASK}": [TASK_TITLE, DESCRIPTION] + CORPUS,
                        f"/search?q={WORD}": [TASK_TITLE],
                        f"/overfoersel/koersel?id={job}": [TASK_TITLE]}.items():
        assert_shown_as_text(_page(reviewer if "overfoersel" in url else anonymous, url), values, url)
    history = _page(reviewer, f"/redaktion/opgave/{TASK}/historik")
    assert_shown_as_text(history, [TASK_TITLE, SCRIPT] + CORPUS, "history after import")
    task = anonymous.get(f"/api/v1/tasks/{TASK}").get_json()
    assert (task["title"], task["description"]) == (TASK_TITLE, DESCRIPTION)
    assert [t["term"] for t in task["terms"]] == CORPUS and task["tags"] == SHORT
    assert [s["note"] for s in task["sources"]] == [LINK]
