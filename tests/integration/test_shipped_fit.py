"""The shipped knowledge's realistic takers (issue 19, Done-when), pinned on both databases: office and service
groups would need an education for clinical reserved tasks; the groups the reports name are realistic where the law
allows; the first taker proposed for each of the nurses' tasks is realistic."""
from __future__ import annotations

import pytest

from tests.helpers import who_may_results

REALISTIC = ("recommended", "trainable")
OFFICE_AND_SERVICE = ("laegesekretaer", "sekretaer", "servicemedarbejder", "portoer", "piccoline",
                      "ernaeringsassistent")


def _reserved_clinical_tasks(app) -> list[str]:
    """Published clinical tasks a provision in force today reserves to some group (forbeholdt virksomhed)."""
    from datetime import date

    import sqlalchemy as sa

    from kb import models as m
    from kb.extensions import db

    today = date.today()
    with app.app_context():
        return sorted(set(db.session.scalars(
            sa.select(m.Task.slug).join(m.Task.provisions)
            .where(m.Task.category == "clinical", m.Task.status == "published", m.Provision.effect == "reserves",
                   m.Provision.kind == "legal", m.Provision.organisation_id.is_(None),
                   sa.or_(m.Provision.valid_from.is_(None), m.Provision.valid_from <= today),
                   sa.or_(m.Provision.valid_to.is_(None), m.Provision.valid_to >= today)))))


def _evidence(app, taker: str) -> list[str]:
    import sqlalchemy as sa

    from kb import models as m
    from kb.extensions import db

    with app.app_context():
        return sorted(set(db.session.scalars(
            sa.select(m.Task.slug).join(m.Evidence, m.Evidence.task_id == m.Task.id)
            .join(m.Profession, m.Profession.id == m.Evidence.taker_id)
            .where(m.Profession.slug == taker, m.Task.status == "published"))))


def test_office_and_service_groups_would_need_an_education_for_clinical_reserved_tasks(app, client):
    tasks = _reserved_clinical_tasks(app)
    assert len(tasks) > 20
    for task in tasks:
        results = who_may_results(client, task)
        for group in OFFICE_AND_SERVICE:
            r = results[group]
            assert r["fit"] in (None, "requires_education"), (task, group, r["fit"], r["training"])


@pytest.mark.parametrize("taker", ["social-og-sundhedsassistent"])
def test_groups_the_reports_name_are_realistic_where_the_law_allows(app, client, taker):
    tasks = _evidence(app, taker)
    assert len(tasks) >= 10
    for task in tasks:
        r = who_may_results(client, task)[taker]
        assert r["evidence"], task
        if r["verdict"] != "not_allowed":
            assert r["fit"] in REALISTIC, (task, r["fit"], r["training"])


def test_bioanalysts_are_realistic_for_the_blood_samples_they_take(client):
    # No report says bioanalysts take tasks from nurses; the blood sample is theirs in practice (a holder).
    r = who_may_results(client, "tage-venoes-blodproeve")["bioanalytiker"]
    assert r["fit"] == "recommended", r


def test_the_first_taker_proposed_for_each_of_the_nurses_tasks_is_realistic(client):
    items = client.get("/api/v1/professions/sygeplejerske/shiftable?limit=500").get_json()["items"]
    assert len(items) > 50
    for item in items:
        first = item["takers"][0]
        assert first["fit"] in REALISTIC, item["task"]["slug"]
        # a peer worker leads only where a report proposes or describes peer workers taking the task
        if first["profession"] == "peer-medarbejder":
            assert first["evidence"], item["task"]["slug"]
    firsts = [i["takers"][0]["profession"] for i in items]
    assert firsts.count("social-og-sundhedsassistent") > firsts.count("peer-medarbejder")
