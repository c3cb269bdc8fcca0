"""The provisions API (issue 23): act with its number, effect, validity, how it was verified, the tasks it governs;
the organisation in the who-may context; report addresses beside the line ranges."""
from __future__ import annotations

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db


def _count(app, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(m.Provision.id)).join(m.Provision.act).where(*where))


def test_provisions_are_paged_with_a_total(app, client):
    data = client.get("/api/v1/provisions?limit=10&offset=5").get_json()
    assert data["total"] == _count(app) and data["limit"] == 10 and data["offset"] == 5
    assert len(data["items"]) == 10
    everything = client.get("/api/v1/provisions?limit=500").get_json()["items"]
    assert [p["slug"] for p in everything[5:15]] == [p["slug"] for p in data["items"]]


def test_provisions_filter_by_act_verified_and_effect(app, client):
    for query, where in (
        ("act=autorisationsloven", (m.LegalAct.slug == "autorisationsloven",)),
        ("verified=true", (m.Provision.verified.is_(True),)),
        ("verified=false", (m.Provision.verified.is_(False),)),
        ("effect=never_delegable", (m.Provision.effect == "never_delegable",)),
        ("act=autorisationsloven&effect=reserves&verified=true",
         (m.LegalAct.slug == "autorisationsloven", m.Provision.effect == "reserves", m.Provision.verified.is_(True))),
    ):
        data = client.get(f"/api/v1/provisions?{query}&limit=500").get_json()
        assert data["total"] == _count(app, *where) == len(data["items"]), query
        assert data["total"] > 0, query
    for item in client.get("/api/v1/provisions?verified=true&limit=500").get_json()["items"]:
        assert item["verified"] is True and item["verified_source"] and item["verified_on"], item["slug"]


def test_bad_provision_filters_are_400(client):
    for query in ("act=nope", "verified=yes", "effect=forbids", "limit=0"):
        response = client.get(f"/api/v1/provisions?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["code"] == "bad_parameter"
    missing = client.get("/api/v1/provisions/nope")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_one_provision_with_act_number_validity_verification_and_tasks(app, client):
    data = client.get("/api/v1/provisions/aut-54-4-2").get_json()
    with app.app_context():
        p = db.session.scalar(sa.select(m.Provision).where(m.Provision.slug == "aut-54-4-2"))
        tasks = sorted(t.slug for t in db.session.scalars(
            sa.select(m.Task).join(m.Task.provisions).where(m.Provision.id == p.id, m.Task.status == "published")))
        act_reference = p.act.reference
    assert data["act"]["slug"] == "autorisationsloven" and data["act"]["reference"] == act_reference
    assert "LBK nr." in data["act"]["reference"]
    assert data["ref"].startswith("§ 54") and data["effect"] == "reserves" and data["reserved_to"] == ["sygeplejerske"]
    assert data["valid_from"] == "2025-07-01"  # legal-audit 2026-12 § 3.1 nr. 2: not 2024-01-01
    assert data["scope"] and "udpeget" in data["scope"]
    assert sorted(t["slug"] for t in data["tasks"]) == tasks and "give-vaccination" in tasks
    assert data["verified"] is (data["verified_source"] is not None)


def test_report_citations_carry_the_publishers_address(app, client):
    data = client.get("/api/v1/tasks/tage-telefonen").get_json()
    documents = [s for s in data["sources"] if s["type"] == "document"]
    assert documents
    with app.app_context():
        urls = dict(db.session.execute(sa.select(m.SourceDocument.slug, m.SourceDocument.url)).all())
    for s in documents:
        assert s["url"] == (urls[s["document"]] or None)


def test_who_may_takes_an_organisation_and_refuses_an_unknown_one(client):
    url = "/api/v1/tasks/skrive-epikrise/who-may?setting=psykiatri"
    national = client.get(url).get_json()
    regional = client.get(url + "&organisation=region-midtjylland").get_json()
    assert national["context"]["organisation"] is None
    assert regional["context"]["organisation"] == "region-midtjylland"
    verdict = {r["profession"]: r["verdict"] for r in regional["results"]}
    assert verdict["laegesekretaer"] == "not_allowed"
    assert {r["profession"]: r["verdict"] for r in national["results"]}["laegesekretaer"] != "not_allowed"
    bad = client.get(url + "&organisation=nowhere")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_parameter"


def test_task_rules_for_all_professions_but_some(client):
    rules = client.get("/api/v1/tasks/skrive-epikrise").get_json()["rules"]
    plo = next(r for r in rules if r["slug"] == "skrive-epikrise-ikke-laeger-plo-m")
    assert plo["profession"] is None and plo["except_professions"] == ["laege"]
    assert plo["organisation"] == "region-midtjylland" and plo["kind"] == "organisational"


def test_provision_page_shows_verification_scope_and_act_number(app, client):
    with app.app_context():
        p = db.session.scalar(sa.select(m.Provision).where(m.Provision.verified.is_(True),
                                                          m.Provision.verified_source != "").limit(1))
        unverified = db.session.scalar(sa.select(m.Provision.slug).where(m.Provision.verified.is_(False)).limit(1))
        slug, source, reference = p.slug, p.verified_source, p.act.reference
    page = client.get(f"/provisions/{slug}").get_data(as_text=True)
    assert source in page and "verificeret" in page and reference in page
    page = client.get(f"/provisions/{unverified}").get_data(as_text=True)
    assert "ikke verificeret" in page
    page = client.get("/provisions/aut-55-4-3").get_data(as_text=True)
    assert "nyfødte barn" in page  # the scope
    law = client.get("/law/").get_data(as_text=True)
    assert "kun Region Midtjylland" in law
