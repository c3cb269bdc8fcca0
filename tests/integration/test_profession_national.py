"""The profession page, its full lists (CSV/XLSX), the API and the role description at national size (issue 20,
part 4): a group holding 900 tasks — more than a page, more than the role description's annex prints — added to the
seed with bulk inserts. The oracles are the tables themselves (SQL in the test) and kb.whomay.service.takeover_for.
"""
from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from kb import models as m
from kb.catalogue.profession_page import HELD_PER_PAGE, TAKEOVER_PER_PAGE, TAKEOVER_WHOLE
from kb.extensions import db
from kb.knowledge_state import mark_changed
from kb.models.enums import TASK_CATEGORIES
from kb.models.task import task_holder, task_setting

GROUP = "landsdaekkende-gruppe"
HELD = 900  # published tasks the group holds: 5 pages of HELD_PER_PAGE, over the annex's ANNEX_MAX (300)
DRAFTS = 5  # held but not published: never counted or listed
NEEDLE = "Kontrol af Håndhygiejne ved sengen"  # the one held task the search within must find
DECOY = "Håndhygiejne i køkkenet"  # the same word in a task only the nurses hold: not the group's
SETTING = "psykiatri"


def _grow(app) -> dict:
    """The group, its tasks (every 7th also held by nurses, every 11th by SSA; every 3rd only in SETTING, every 5th
    only in another setting), drafts, and the nurses' decoy — Core inserts, as benchmark/catalogue.py writes."""
    with app.app_context():
        s = db.session
        group = m.Profession(slug=GROUP, name="Gruppe med mange opgaver", description="Til test af store lister.")
        s.add(group)
        s.flush()
        nurse, ssa = (s.scalar(sa.select(m.Profession.id).where(m.Profession.slug == slug))
                      for slug in ("sygeplejerske", "social-og-sundhedsassistent"))
        psych, other = (s.scalar(sa.select(m.Setting.id).where(m.Setting.slug == slug))
                        for slug in (SETTING, "sygehus"))
        first = (s.scalar(sa.select(sa.func.max(m.Task.id))) or 0) + 1
        tasks, holders, settings = [], [], []
        for i in range(HELD + DRAFTS + 1):
            task_id = first + i
            if i == HELD + DRAFTS:  # the decoy
                tasks.append({"id": task_id, "slug": "nat-decoy", "title": DECOY, "category": "clinical",
                              "status": "published"})
                holders.append({"task_id": task_id, "profession_id": nurse})
                continue
            # Three tasks of one category share a title: the order (and the export's keyset paging) ties on the id.
            title = NEEDLE if i == 123 else "Landsopgave dublet" if i in (300, 305, 310) else f"Landsopgave {i:04d}"
            tasks.append({"id": task_id, "slug": f"nat-{i:04d}", "title": title,
                          "category": TASK_CATEGORIES[(i * 7) % 5 % 3],  # uneven counts per category
                          "status": "published" if i < HELD else "draft"})
            holders.append({"task_id": task_id, "profession_id": group.id})
            if i % 7 == 0:
                holders.append({"task_id": task_id, "profession_id": nurse})
            if i % 11 == 0:
                holders.append({"task_id": task_id, "profession_id": ssa})
            if i % 3 == 0:
                settings.append({"task_id": task_id, "setting_id": psych})
            elif i % 5 == 0:
                settings.append({"task_id": task_id, "setting_id": other})
        s.execute(sa.insert(m.Task.__table__), [{"title_en": "", "description": "", "tags": [], "version_id": 1,
                                                 **t} for t in tasks])
        s.execute(sa.insert(task_holder), holders)
        s.execute(sa.insert(task_setting), settings)
        mark_changed(s)  # Core inserts bypass the ORM's change tracking: the who-may caches must know
        s.commit()
    return _oracle(app)


def _oracle(app) -> dict:
    """What the tables say the group holds: slugs by category, the other holders of each, those in SETTING."""
    with app.app_context():
        s = db.session
        rows = s.execute(sa.select(m.Task.slug, m.Task.category, m.Task.title, m.Task.id)
                         .join(task_holder, task_holder.c.task_id == m.Task.id).join(m.Profession)
                         .where(m.Profession.slug == GROUP, m.Task.status == "published")).all()
        holders = Counter(s.scalars(sa.select(task_holder.c.task_id)).all())
        with_settings = set(s.scalars(sa.select(task_setting.c.task_id)).all())
        in_setting = set(s.scalars(sa.select(task_setting.c.task_id).join(m.Setting)
                                   .where(m.Setting.slug == SETTING)).all())
    return {"slugs": {r.slug for r in rows}, "by_category": Counter(r.category for r in rows),
            "titles": {r.slug: r.title for r in rows}, "others": {r.slug: holders[r.id] - 1 for r in rows},
            "in_setting": {r.slug for r in rows if r.id in in_setting or r.id not in with_settings}}


@pytest.fixture
def national(app):
    return _grow(app)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def _held_slugs(page: str) -> list[str]:
    """The held tasks listed on the page, in order (one list per category)."""
    lists = re.findall(r'<ul class="held-tasks" data-category="\w+">(.*?)</ul>', page, re.S)
    return [slug for items in lists for slug in re.findall(r'<li><a href="/tasks/([^"]+)">', items)]


def _next(page: str, rel: str = "next", section: str = 'id="opgaver"') -> str | None:
    part = page[page.index(section):]
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', part[:part.index("</section>")])
    return found.group(1) if found else None


def _walk(client, url: str) -> list[list[str]]:
    """Every page of the held list from ``url`` on, following the pager's "Næste" link."""
    pages = []
    while url:
        page = _page(client, url)
        pages.append(_held_slugs(page))
        url = _next(page)
        assert len(pages) <= 50, "the pager does not end"
    return pages


def test_category_counts_are_the_tables(client, national):
    page = _page(client, f"/professions/{GROUP}")
    shown = {c: int(n) for c, n in re.findall(r'data-category="(\w+)">[^<]*\((\d+)\)</a>', page)}
    assert shown == dict(national["by_category"]) and len(shown) == 3
    assert f"Opgaver faggruppen løser i dag <span class=\"muted\">({HELD})</span>" in page
    # In a setting: the tasks that apply there (there, or with no setting at all), as in the role description.
    page = _page(client, f"/professions/{GROUP}?setting={SETTING}")
    assert f"({len(national['in_setting'])})</span>" in page
    assert set(sum(_walk(client, f"/professions/{GROUP}?setting={SETTING}"), [])) == national["in_setting"]


def test_pages_are_disjoint_and_complete(client, national):
    pages = _walk(client, f"/professions/{GROUP}")
    assert len(pages) == -(-HELD // HELD_PER_PAGE) and all(len(p) == HELD_PER_PAGE for p in pages[:-1])
    listed = sum(pages, [])
    assert len(listed) == len(set(listed)) == HELD and set(listed) == national["slugs"]
    # Filtered by a category, and the pager keeps the filter.
    clinical = sum(_walk(client, f"/professions/{GROUP}?category=clinical"), [])
    assert len(clinical) == len(set(clinical)) and set(clinical) == {
        slug for slug in national["slugs"] if _category(slug) == "clinical"}
    # A page past the last is the last; the page links keep the other parameters.
    last = _page(client, f"/professions/{GROUP}?page=999&setting=sygehus")
    assert _next(last) is None and "setting=sygehus" in (_next(last, "prev") or "")


def _category(slug: str) -> str:
    """The category _grow gave the task (the oracle's counts come from the table; this names one task's)."""
    return TASK_CATEGORIES[(int(slug.split("-")[1]) * 7) % 5 % 3]


def test_search_within_finds_the_groups_task_only(client, national):
    for q in ("håndHYGIEJNE", "Kontrol af Hånd"):
        page = _page(client, f"/professions/{GROUP}?q={quote(q)}")
        assert _held_slugs(page) == ["nat-0123"], q
        held = page[page.index('id="opgaver"'):page.index('id="kan-overtage"')]
        assert NEEDLE in held and DECOY not in held  # (the decoy may well be among the take-overs below)
    page = _page(client, f"/professions/{GROUP}?q=findes-slet-ikke")
    assert not _held_slugs(page) and "Ingen af faggruppens opgaver passer til søgningen." in page
    # Within a category: found in its own, not in another.
    own = _category("nat-0123")
    other = next(c for c in TASK_CATEGORIES if c != own)
    assert _held_slugs(_page(client, f"/professions/{GROUP}?q=hygiejne&category={own}")) == ["nat-0123"]
    assert "Ingen af faggruppens opgaver" in _page(client, f"/professions/{GROUP}?q=hygiejne&category={other}")
    # A LIKE wildcard typed in the box is a character, not a pattern.
    assert "Ingen af faggruppens opgaver" in _page(client, f"/professions/{GROUP}?q=%25%25_")


def test_the_export_reads_in_chunks_what_the_pages_show(app, national):
    """kb.catalogue.held.iter_held pages by (category, title, id) after the last row: chunk by chunk it gives the
    list the page shows, ties on the title included, with each row once."""
    from kb.catalogue import held

    with app.app_context():
        group = db.session.scalar(sa.select(m.Profession.id).where(m.Profession.slug == GROUP))
        whole = held.held_rows(group, limit=HELD + 10)
        for chunk in (1, 37, HELD, HELD + 1):
            assert list(held.iter_held(group, chunk=chunk)) == whole, chunk
    assert [r.slug for r in whole if r.title == "Landsopgave dublet"] == ["nat-0300", "nat-0305", "nat-0310"]
    assert len(whole) == HELD and {r.slug for r in whole} == national["slugs"]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_full_lists_as_csv_and_xlsx(app, client, national):
    from kb.whomay.facts import make_context
    from kb.whomay.service import takeover_for

    response = client.get(f"/professions/{GROUP}/tasks.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{GROUP}-opgaver.csv"'
    header, *rows = _csv_rows(response.data)
    assert header[:2] == ["Slug", "Opgave"] and len(rows) == HELD
    assert {r[0] for r in rows} == national["slugs"]
    assert all(r[1] == national["titles"][r[0]] and int(r[3]) == national["others"][r[0]] for r in rows)
    assert all(r[4].endswith(f"/tasks/{r[0]}") and r[4].startswith("http") for r in rows)
    response = client.get(f"/professions/{GROUP}/tasks.xlsx?setting={SETTING}")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{GROUP}-opgaver-{SETTING}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    header, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == _csv_rows(client.get(f"/professions/{GROUP}/tasks.csv").data)[0]
    assert {r[0] for r in cells} == national["in_setting"]

    with app.app_context():
        oracle = [(t.slug, r.verdict.value) for _, items in takeover_for(GROUP, make_context()) for t, r in items]
    assert oracle
    header, *rows = _csv_rows(client.get(f"/professions/{GROUP}/takeover.csv").data)
    assert [r[0] for r in rows] == [slug for slug, _ in oracle]
    sheet = load_workbook(io.BytesIO(client.get(f"/professions/{GROUP}/takeover.xlsx").data), read_only=True).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)][1:]
    assert [c[0] for c in cells] == [slug for slug, _ in oracle] and [c[2] for c in cells] == [r[2] for r in rows]
    page = _page(client, f"/professions/{GROUP}?setting={SETTING}")
    assert f'href="/professions/{GROUP}/tasks.csv?setting={SETTING}"' in page
    assert f'href="/professions/{GROUP}/takeover.xlsx?setting={SETTING}"' in page


def test_takeover_is_counted_and_paged(app, client, national):
    from kb.whomay.facts import make_context
    from kb.whomay.service import takeover_for

    with app.app_context():
        answer = takeover_for(GROUP, make_context())
    by_fit = {}
    for _, items in answer:
        for t, r in items:
            by_fit.setdefault(r.fit, []).append(t.slug)
    long_fits = [fit for fit, slugs in by_fit.items() if fit and len(slugs) > TAKEOVER_WHOLE]
    assert long_fits, {f: len(s) for f, s in by_fit.items()}  # the test needs a fit too long to list whole
    page = _page(client, f"/professions/{GROUP}")
    section = page[page.index('id="kan-overtage"'):]
    section = section[:section.index("</section>")]
    for fit, slugs in by_fit.items():
        if fit is None:
            continue
        assert f'<summary class="fit {fit}">' in section and f"({len(slugs)})</summary>" in section, fit
    fit = long_fits[0]
    assert f"fit={fit}" in section and f"Vis alle {len(by_fit[fit])}" in section
    assert len(re.findall(r'<li><a href="/tasks/', section)) < sum(len(s) for s in by_fit.values())
    # The full list of one fit, a page at a time: disjoint, complete, in the engine's order.
    url, seen = f"/professions/{GROUP}?fit={fit}", []
    while url:
        part = _page(client, url)
        part = part[part.index('id="kan-overtage"'):]
        part = part[:part.index("</section>")]
        items = re.findall(r'<li><a href="/tasks/([^"]+)">', part)
        assert 0 < len(items) <= TAKEOVER_PER_PAGE
        seen += items
        found = re.search(r'<a href="([^"]+)" rel="next">', part)
        url = found.group(1) if found else None
    assert seen == by_fit[fit]


@pytest.mark.parametrize("url, status", [
    (f"/professions/{GROUP}?page=0", 400), (f"/professions/{GROUP}?page=abc", 400),
    (f"/professions/{GROUP}?page=%D9%A3", 400),  # an Arabic-Indic digit is not a page number
    (f"/professions/{GROUP}?category=alt", 400), (f"/professions/{GROUP}?fit=bedst", 400),
    (f"/professions/{GROUP}?fit_page=-1", 400), (f"/professions/{GROUP}?setting=maanen", 400),
    (f"/professions/{GROUP}/tasks.csv?setting=maanen", 400), (f"/professions/{GROUP}/takeover.xlsx?date=i-morgen", 400),
    ("/professions/findes-ikke/tasks.csv", 404), ("/professions/findes-ikke/takeover.xlsx", 404),
])
def test_bad_parameters(client, national, url, status):
    response = client.get(url)
    assert response.status_code == status and response.mimetype == "text/html"


def test_api_pages_the_held_tasks(client, national):
    seen, offset = [], 0
    while True:
        data = client.get(f"/api/v1/professions/{GROUP}?limit=250&offset={offset}").get_json()
        assert data["tasks_held_total"] == HELD and (data["limit"], data["offset"]) == (250, offset)
        if not data["tasks_held"]:
            break
        assert len(data["tasks_held"]) <= 250
        seen += [t["slug"] for t in data["tasks_held"]]
        offset += 250
    assert len(seen) == len(set(seen)) == HELD and set(seen) == national["slugs"]
    assert len(client.get(f"/api/v1/professions/{GROUP}").get_json()["tasks_held"]) == 50  # the default page
    for bad in ("limit=0", "limit=501", "offset=-1", "limit=x"):
        response = client.get(f"/api/v1/professions/{GROUP}?{bad}")
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_parameter", bad


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), re.sub(r"[\s\u2010\u00ad]", "", "".join(p.extract_text() for p in reader.pages))


@pytest.mark.slow  # PDF layout
@pytest.mark.only_backend("sqlite")  # the layout of what the services answer; the queries run on both above
def test_role_pdf_of_the_biggest_holder_stays_short(app, client, national):
    from kb.pdf.service import ANNEX_MAX

    assert HELD > ANNEX_MAX  # else the annex would print the list, which is not what is tested here
    with app.app_context():
        count = sa.func.count().label("n")
        biggest = db.session.execute(
            sa.select(m.Profession.slug, count).join(task_holder, task_holder.c.profession_id == m.Profession.id)
            .join(m.Task, m.Task.id == task_holder.c.task_id).where(m.Task.status == "published")
            .group_by(m.Profession.slug).order_by(count.desc()).limit(1)).one()
    assert tuple(biggest) == (GROUP, HELD)
    response = client.get(f"/professions/{GROUP}/role.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages, text = _pdf_text(response.data)
    assert 2 <= pages <= 6, pages
    assert f"Opgaverfaggruppenløseridag({HELD})" in text
    assert f"/professions/{GROUP}/tasks.xlsx" in text  # the full lists' address, printed: paper has no links
    # The characteristic tasks shown are those held by the fewest other groups: none held by nurses or SSA.
    shown = [slug for slug, title in national["titles"].items() if re.sub(r"\s", "", title) in text]
    assert shown and all(national["others"][slug] == 0 for slug in shown)
    pages_annex, annex = _pdf_text(client.get(f"/professions/{GROUP}/role.pdf?bilag=1").data)
    assert f"/professions/{GROUP}/tasks.csv" in annex and "Listenerforlangtilatblivetrykt(900opgaver" in annex
    assert sum(re.sub(r"\s", "", t) in annex for t in national["titles"].values()) < HELD // 10
    assert pages_annex < 60, pages_annex
