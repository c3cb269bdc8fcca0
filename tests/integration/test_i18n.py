"""Danish UI with English via Flask-Babel: complete English catalogue, no bare Danish in templates, the language switch."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from kb.config import PROJECT_ROOT
from tests.helpers import csrf_token, login, make_user

# Once is enough: catalogues, template scans and the language switch do not touch the database engine.
pytestmark = pytest.mark.only_backend("sqlite")

TRANSLATIONS = PROJECT_ROOT / "translations"
TEMPLATES = PROJECT_ROOT / "templates"


def _catalogue(path):
    with path.open("rb") as fh:
        return read_po(fh)


def test_every_msgid_has_an_english_translation():
    template = _catalogue(TRANSLATIONS / "messages.pot")
    english = _catalogue(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po")
    problems = []
    for message in template:
        if not message.id:
            continue
        translated = english.get(message.id)
        strings = () if translated is None else (
            translated.string if isinstance(translated.string, tuple) else (translated.string,))
        if translated is None or not strings or not all(s and s.strip() for s in strings):
            problems.append(f"no English for {message.id!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy English for {message.id!r}")
    assert len(template) > 100
    assert not problems, "run `make messages` and translate:\n" + "\n".join(problems)


JINJA = re.compile(r"{#.*?#}|{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}|{%.*?%}|{{.*?}}", re.S)
MARKUP = re.compile(r"<[^>]*>|&#?\w+;", re.S)
LETTER = re.compile(r"[^\W\d_]")


def _bare_text(source: str) -> list[str]:
    """Text nodes left once Jinja tags, expressions, {% trans %} blocks and HTML tags are gone, with letters in."""
    text = MARKUP.sub("\n", JINJA.sub("\n", source))
    return [line.strip() for line in text.splitlines() if LETTER.search(line)]


def test_templates_have_no_bare_text():
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES)
        if bare := _bare_text(path.read_text(encoding="utf-8")):
            found[str(relative)] = bare
    assert not found, f"wrap these in {{{{ _('…') }}}} or {{% trans %}}: {found}"


def test_the_scan_finds_bare_text():
    assert _bare_text("<p>Opgaver {{ n }}</p>") == ["Opgaver"]
    assert _bare_text("<p>{{ _('Opgaver') }} — 12 · … → ☐</p>{% trans %}Hej{% endtrans %}") == []


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_stale_catalogue_is_compiled(tmp_path):
    from babel.support import Translations

    from kb.i18n import compile_stale_catalogues

    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes((TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").read_bytes())
    compile_stale_catalogues(tmp_path)
    assert Translations.load(str(tmp_path), ["en"]).gettext("Ny plan") == "New plan"


def test_english_is_chosen_and_remembered(client):
    page = _page(client, "/?lang=en")
    assert '<html lang="en">' in page
    assert "Which professional groups may take over the task" in page
    assert "Hvilke faggrupper" not in page
    assert re.search(r'<a href="/\?lang=en"[^>]*aria-current="true"[^>]*>English</a>', page)
    assert re.search(r'<a href="/\?lang=da"[^>]*>Dansk</a>', page)
    page = _page(client, "/professions/")  # no ?lang: the cookie keeps English
    assert '<html lang="en">' in page and "<h1>Professional groups</h1>" in page
    page = _page(client, "/?lang=da")
    assert '<html lang="da">' in page and "Hvilke faggrupper må overtage opgaven" in page


def test_danish_is_the_default(client):
    page = _page(client, "/")
    assert '<html lang="da">' in page
    assert "Hvilke faggrupper må overtage opgaven — og på hvilke betingelser?" in page
    assert re.search(r'<a href="/\?lang=da"[^>]*aria-current="true"[^>]*>Dansk</a>', page)
    assert _page(client, "/?lang=xx").count('<html lang="da">') == 1  # unknown languages fall back to Danish


def test_language_switch_keeps_the_page_and_its_query(client):
    page = _page(client, "/?category=clinical")
    assert 'href="/?category=clinical&amp;lang=en"' in page


def test_task_page_shows_english_title(app, client):
    from kb import models as m
    from kb.extensions import db

    with app.app_context():
        task = db.session.scalar(sa.select(m.Task).where(m.Task.title_en != "", m.Task.status == "published")
                                 .order_by(m.Task.slug))
        slug, title, title_en = task.slug, task.title, task.title_en
    page = _page(client, f"/tasks/{slug}?lang=en")
    assert f"<h1>{title_en}</h1>" in page
    assert "Who can and may take over the task?" in page
    assert "Independently" in page or "By delegation" in page  # verdict labels come from the catalogue
    page = _page(client, f"/tasks/{slug}?lang=da")
    assert f"<h1>{title}</h1>" in page and "Hvem kan og må overtage opgaven?" in page


@pytest.mark.parametrize("path", ["/professions/", "/law/", "/competences/", "/educations/", "/flyt",
                                  "/flyt?fra=sygeplejerske", "/login"])
def test_pages_render_in_english(client, path):
    page = _page(client, path + ("&" if "?" in path else "?") + "lang=en")
    assert '<html lang="en">' in page


def test_form_messages_and_flashes_in_english(app, client):
    make_user(app, "lise", "planner")
    client.get("/?lang=en")
    token = csrf_token(client, "/login")
    page = client.post("/login", data={"username": "", "password": "", "csrf_token": token}).get_data(as_text=True)
    assert "Enter your username." in page and "Enter your password." in page
    assert login(client, "lise").status_code == 302
    page = _page(client, "/plans/new")
    assert "Hours per FTE per week" in page and "<h1>New plan</h1>" in page
    token = csrf_token(client, "/plans/new")
    response = client.post("/plans/new", data={"title": "Test", "unit": "", "hours_per_fte": "37", "notes": "",
                                               "csrf_token": token}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The plan has been created." in page and "1 FTE = 37 hours/week" in page
    plan_id = re.search(r"/plans/(\d+)/edit", page).group(1)
    csv_text = client.get(f"/plans/{plan_id}.csv").get_data(as_text=True)
    assert csv_text.startswith("\ufefftask;from;to")
