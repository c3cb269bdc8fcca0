"""'Flyt opgaver væk fra …' (the workbench): the engine's shiftable tasks on the page and in the API, paged in one
order, with taker counts, following a change in what a taker can. The catalogue pages are in test_pages.py."""
from __future__ import annotations

import html
import re

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db


def test_move_away_lists_the_engines_shiftable_tasks(app, client):
    body = client.get("/api/v1/professions/sygeplejerske/shiftable").get_json()
    api = body["items"]  # the first page, as on the page
    page = html.unescape(client.get("/flyt?fra=sygeplejerske").get_data(as_text=True))
    assert f"<strong>{body['total']}</strong> af dem kan andre faggrupper overtage" in page
    assert api and len(api) == min(body["total"], 50)
    for item in api:
        assert item["task"]["title"] in page
        for taker in item["takers"]:
            assert f"<h2>{taker['profession_name']}</h2>" in page
    assert "Stor mangel" in page  # the nurses' shortage is shown


def test_move_away_picker_and_errors(client):
    assert "Faggruppe der mangler hænder" in client.get("/flyt").get_data(as_text=True)
    assert client.get("/flyt?fra=findes-ikke").status_code == 404
    assert client.get("/flyt?fra=sygeplejerske&date=igaar").status_code == 400


def _all_shiftable(client, profession="sygeplejerske"):
    return client.get(f"/api/v1/professions/{profession}/shiftable?limit=500").get_json()


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
    everything = _all_shiftable(client)
    expected: dict[str, int] = {}
    for item in everything["items"]:
        for taker in item["takers"]:
            expected[taker["profession_name"]] = expected.get(taker["profession_name"], 0) + 1
    page = html.unescape(client.get("/flyt?fra=sygeplejerske").get_data(as_text=True))
    table = page[page.index('<table class="taker-counts">'):page.index("</table>")]
    for name, count in expected.items():
        row = table[table.index(f'<th scope="row">{name}</th>'):]
        row = row[:row.index("</tr>")]
        assert sum(int(n) for n in re.findall(r"<td>(\d+)</td>", row)) == count, name


def test_shiftable_follows_a_change_in_what_a_taker_can(app, client):
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
