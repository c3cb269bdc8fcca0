"""'Flyt opgaver væk fra …' (the workbench): the engine's shiftable tasks on the page and in the API, paged in one
order, with taker counts, following a change in what a taker can. The catalogue pages are in test_pages.py."""
from __future__ import annotations

import html
import re

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db


def _row(page: str, task_slug: str) -> str:
    row = page[page.index(f'<tr data-task="{task_slug}">'):]
    return row[:row.index("</tr>")]


def test_move_away_lists_the_engines_shiftable_tasks(app, client):
    body = client.get("/api/v1/professions/sygeplejerske/shiftable?takers=3").get_json()
    api = body["items"]  # the first page, as on the page
    page = html.unescape(client.get("/flyt?fra=sygeplejerske").get_data(as_text=True))
    assert f"<strong>{body['total']}</strong> af dem kan andre faggrupper realistisk overtage" in page
    assert api and len(api) == min(body["total"], 50)
    for item in api:  # one row per task, its best three realistic takers in the engine's order
        row = _row(page, item["task"]["slug"])
        assert item["task"]["title"] in row
        assert re.findall(r'<li data-profession="([^"]+)" data-fit="([^"]+)"', row) == \
            [(t["profession"], t["fit"]) for t in item["takers"]]
        assert all(t["fit"] in ("recommended", "trainable") for t in item["takers"])
    assert "Stor mangel" in page  # the nurses' shortage is shown


def test_move_away_filters_by_setting_and_by_recommended_only(client):
    everything = _all_shiftable(client, query="&takers=3")
    only = html.unescape(client.get("/flyt?fra=sygeplejerske&anbefalede=1").get_data(as_text=True))
    fits = re.findall(r'<li data-profession="[^"]+" data-fit="([^"]+)"', only)
    assert fits and set(fits) == {"recommended"}
    recommended = {i["task"]["slug"] for i in everything["items"] if any(t["fit"] == "recommended"
                                                                         for t in i["takers"])}
    shown = int(re.search(r"<strong>(\d+)</strong> af dem har en anbefalet overtager", only).group(1))
    assert shown >= len(recommended)  # a recommended taker may rank below three trainable ones
    assert shown < everything["total"]
    psych = _all_shiftable(client, query="&takers=3&setting=psykiatri")
    page = html.unescape(client.get("/flyt?fra=sygeplejerske&setting=psykiatri").get_data(as_text=True))
    assert f"<strong>{psych['total']}</strong> af dem" in page
    for item in psych["items"][:50]:
        assert re.findall(r'<li data-profession="([^"]+)"', _row(page, item["task"]["slug"])) == \
            [t["profession"] for t in item["takers"]]


def test_move_away_picker_and_errors(client):
    assert "Faggruppe der mangler hænder" in client.get("/flyt").get_data(as_text=True)
    assert client.get("/flyt?fra=findes-ikke").status_code == 404
    assert client.get("/flyt?fra=sygeplejerske&date=igaar").status_code == 400


def _all_shiftable(client, profession="sygeplejerske", query=""):
    return client.get(f"/api/v1/professions/{profession}/shiftable?limit=500{query}").get_json()


def test_shiftable_pages_in_the_api_and_on_the_page_follow_one_order(client):
    everything = _all_shiftable(client)
    total = everything["total"]
    assert total == len(everything["items"]) > 100  # the seed's nurse list spans three pages of 50
    pages = [client.get(f"/api/v1/professions/sygeplejerske/shiftable?offset={o}&limit=50").get_json()
             for o in range(0, total, 50)]
    assert [i for p in pages for i in p["items"]] == everything["items"]
    assert {p["total"] for p in pages} == {total} and pages[1]["offset"] == 50
    beyond = client.get(f"/api/v1/professions/sygeplejerske/shiftable?offset={total}").get_json()
    assert beyond["items"] == [] and beyond["total"] == total
    assert client.get("/api/v1/professions/sygeplejerske/shiftable?limit=0").status_code == 400

    third = html.unescape(client.get("/flyt?fra=sygeplejerske&side=3").get_data(as_text=True))
    assert "Side 3 af 3" in third and "Forrige" in third
    first_page_titles = {i["task"]["title"] for i in pages[0]["items"]}
    third_page_titles = {i["task"]["title"] for i in pages[2]["items"]}
    assert all(t in third for t in third_page_titles)
    assert not any(f">{t}</a>" in third for t in first_page_titles - third_page_titles)
    assert "Side 1 af 3" in html.unescape(client.get("/flyt?fra=sygeplejerske&side=x").get_data(as_text=True))


def test_taker_counts_cover_every_page(client):
    everything = _all_shiftable(client, query="&takers=3")
    expected: dict[str, list[int]] = {}
    for item in everything["items"]:
        for taker in item["takers"]:
            per = expected.setdefault(taker["profession_name"], [0, 0])
            per[0 if taker["fit"] == "recommended" else 1] += 1
    page = html.unescape(client.get("/flyt?fra=sygeplejerske").get_data(as_text=True))
    table = page[page.index('<table class="taker-counts">'):page.index("</table>")]
    for name, counts in expected.items():
        row = table[table.index(f'<th scope="row">{name}</th>'):]
        row = row[:row.index("</tr>")]
        assert [int(n) for n in re.findall(r"<td>(\d+)</td>", row)] == counts, name


def test_shiftable_follows_a_change_in_what_a_taker_can(app, client):
    with app.app_context():  # every competence closable by a day's oplæring: gaps then leave takers realistic
        db.session.execute(sa.update(m.Competence).values(training_effort="oplæring", training_hours=8,
                                                          training_min_level=0))
        db.session.commit()
    before = _all_shiftable(client)["items"]  # builds and keeps the shortlist in this process
    task, taker = next((i["task"], t) for i in before for t in i["takers"] if t["missing_competences"])
    with app.app_context():
        profession = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == taker["profession"]))
        wanted = [c["slug"] for c in taker["missing_competences"]]
        profession.competences.extend(db.session.scalars(sa.select(m.Competence).where(m.Competence.slug.in_(wanted))))
        db.session.commit()
    after = _all_shiftable(client)["items"]
    now = next(t for i in after if i["task"]["slug"] == task["slug"] for t in i["takers"]
               if t["profession"] == taker["profession"])
    assert now["missing_competences"] == [] and not now["verdict"].endswith("after_training")
