"""JSON API v1, read side (contract in shared/design/architecture.md)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db

CONTRACT_SLUGS = {
    "laege", "tandlaege", "sygeplejerske", "specialsygeplejerske", "jordemoder", "social-og-sundhedsassistent",
    "social-og-sundhedshjaelper", "bioanalytiker", "radiograf", "fysioterapeut", "ergoterapeut", "klinisk-diaetist",
    "ambulancebehandler", "paramediciner", "farmakonom", "farmaceut", "psykolog", "socialraadgiver", "paedagog",
    "laegesekretaer", "sekretaer", "portoer", "servicemedarbejder", "peer-medarbejder", "medicinstuderende",
}


def test_professions_list(app, client):
    data = client.get("/api/v1/professions").get_json()
    with app.app_context():
        assert data["total"] == db.session.scalar(sa.select(sa.func.count()).select_from(m.Profession))
    first = data["items"][0]
    assert {"slug", "name", "name_en", "authorised", "has_reserved_area", "isco08"} <= set(first)


def test_contract_profession_slugs_present(client):
    slugs = {p["slug"] for p in client.get("/api/v1/professions").get_json()["items"]}
    assert CONTRACT_SLUGS <= slugs, CONTRACT_SLUGS - slugs


def test_profession_detail_and_404(client):
    data = client.get("/api/v1/professions/sygeplejerske").get_json()
    assert data["slug"] == "sygeplejerske" and data["authorised"] is True
    assert isinstance(data["tasks_held"], list) and isinstance(data["competences"], list)
    missing = client.get("/api/v1/professions/nope")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"


def test_tasks_list_total_and_paging(app, client):
    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(m.Task).where(m.Task.status == "published"))
    page1 = client.get("/api/v1/tasks?limit=5").get_json()
    page2 = client.get("/api/v1/tasks?limit=5&offset=5").get_json()
    assert page1["total"] == total and len(page1["items"]) == min(5, total)
    assert not {t["slug"] for t in page1["items"]} & {t["slug"] for t in page2["items"]}


def test_tasks_filters(app, client):
    for category in ("administrative", "clinical", "coordination"):
        items = client.get(f"/api/v1/tasks?category={category}&limit=500").get_json()["items"]
        assert items and all(t["category"] == category for t in items)
    held = client.get("/api/v1/tasks?holder=sygeplejerske&limit=500").get_json()
    assert held["total"] > 0 and all("sygeplejerske" in t["holders"] for t in held["items"])
    with app.app_context():
        setting = db.session.scalar(sa.select(m.Setting.slug).join(m.Task.settings.property.secondary))
    in_setting = client.get(f"/api/v1/tasks?setting={setting}&limit=500").get_json()["items"]
    assert in_setting and all(setting in t["settings"] for t in in_setting)


def test_tasks_q_finds_title_first(app, client):
    with app.app_context():
        title = db.session.scalar(sa.select(m.Task.title).order_by(m.Task.slug).limit(1))
    word = max(title.split(), key=len)
    items = client.get("/api/v1/tasks", query_string={"q": word}).get_json()["items"]
    assert items and word.lower() in items[0]["title"].lower()


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "limit=100000", "offset=-1", "category=surgery"])
def test_bad_parameters_are_400_json(client, query):
    response = client.get(f"/api/v1/tasks?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_parameter"


def test_task_detail_has_sources(app, client):
    with app.app_context():
        slug = db.session.scalar(sa.select(m.Task.slug).join(m.Task.citations).limit(1))
        n = len(db.session.scalar(sa.select(m.Task).where(m.Task.slug == slug)).citations)
    data = client.get(f"/api/v1/tasks/{slug}").get_json()
    assert data["slug"] == slug and len(data["sources"]) == n
    assert all(s["type"] in {"document", "provision", "url"} for s in data["sources"])
    doc = [s for s in data["sources"] if s["type"] == "document"]
    assert all(s["file"].endswith(".txt") and s["line_from"] <= s["line_to"] for s in doc)
    assert client.get("/api/v1/tasks/nope").get_json()["error"]["code"] == "not_found"


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
