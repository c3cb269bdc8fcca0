"""Who may take over: the same engine results on the API, the task page and the CLI; fixed query counts."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from kb.rules import Verdict
from kb.whomay.service import matrix_by_slug, parse_context, shiftable_for


def _reserved_task(app) -> str:
    with app.app_context():
        return db.session.scalar(
            sa.select(m.Task.slug).join(m.Task.provisions).where(m.Provision.effect == "reserves")
            .order_by(m.Task.slug).limit(1))


def test_api_gives_one_result_per_profession(app, client):
    slug = _reserved_task(app)
    data = client.get(f"/api/v1/tasks/{slug}/who-may").get_json()
    with app.app_context():
        professions = set(db.session.scalars(sa.select(m.Profession.slug)))
    assert data["task"]["slug"] == slug
    assert {r["profession"] for r in data["results"]} == professions
    assert len(data["results"]) == len(professions)
    # realistic takers first, then those needing an education, then those not allowed; in each, by legal answer
    order = [({"recommended": 0, "trainable": 0, "requires_education": 1}.get(r["fit"], 2),
              ["independent", "delegation", "not_allowed"].index(r["legal"])) for r in data["results"]]
    assert order == sorted(order), "results must come realistic first, then by legal answer"
    assert any(r["fit"] == "requires_education" for r in data["results"])  # both bands are exercised
    assert any(r["fit"] in ("recommended", "trainable") for r in data["results"])
    for r in data["results"]:
        assert {"verdict", "conditions", "missing_competences", "reasons", "legal", "fit", "training",
                "evidence"} <= set(r)
        for reason in r["reasons"]:
            assert reason["kind"] in {"legal", "organisational", "competence"} and reason["text"]
            if reason["provision"]:
                assert reason["provision"]["url"].startswith("http")


@pytest.mark.parametrize("query,parameter", [
    ("complexity=hard", "complexity"), ("date=2024-02-30", "date"), ("setting=maanen", "setting")])
def test_api_bad_context_is_400(app, client, query, parameter):
    slug = _reserved_task(app)
    response = client.get(f"/api/v1/tasks/{slug}/who-may?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_parameter" and parameter in error["message"]


def test_unknown_slugs_are_404(client):
    assert client.get("/api/v1/tasks/nope/who-may").status_code == 404
    assert client.get("/api/v1/professions/nope/shiftable").status_code == 404
    assert client.get("/api/v1/professions/sygeplejerske/shiftable?takers=0").status_code == 400


class _Matrix(HTMLParser):
    """The who-may matrix of a task page (templates/whomay/_matrix.html): for each <li data-profession=…>,
    (profession, its verdict class, its fit, whether it is under "Bedst egnede")."""

    def __init__(self):
        super().__init__()
        self.entries: list[tuple[str, str | None, str, bool]] = []
        self._lists: list[bool] = []  # the open <ul>s: is it the "Bedst egnede" list?

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ul":
            self._lists.append("best" in (a.get("class") or "").split())
        elif tag == "li" and "data-profession" in a and "data-fit" in a:
            self.entries.append((a["data-profession"], a.get("class"), a["data-fit"], any(self._lists)))

    def handle_endtag(self, tag):
        if tag == "ul" and self._lists:
            self._lists.pop()


def test_page_api_and_cli_say_the_same(app, client, runner):
    slug = _reserved_task(app)
    results = client.get(f"/api/v1/tasks/{slug}/who-may").get_json()["results"]
    api = {r["profession"]: r for r in results}
    page = client.get(f"/tasks/{slug}").get_data(as_text=True)
    # each profession appears on the page once, with its verdict and its fit
    matrix = _Matrix()
    matrix.feed(page)
    on_page = {profession: (verdict, fit) for profession, verdict, fit, _ in matrix.entries}
    assert len(on_page) == len(matrix.entries), "a profession is listed twice"
    assert on_page == {p: (r["verdict"], r["fit"] or "") for p, r in api.items()}
    # "Bedst egnede" are the first realistic takers of the engine's ranking, at most six
    best = [p for p, _, _, in_best in matrix.entries if in_best]
    assert best == [r["profession"] for r in results if r["fit"] in ("recommended", "trainable")][:6]
    cli = runner.invoke(args=["who-may", slug, "--no-reasons"])
    assert cli.exit_code == 0, cli.output
    for r in api.values():
        line = next(x for x in cli.output.splitlines() if x.startswith(r["profession_name"] + " "))
        assert Verdict(r["verdict"]).label_da in line
        assert (r["fit_label"] or "-") in line


def test_cli_filters_and_errors(app, runner):
    slug = _reserved_task(app)
    one = runner.invoke(args=["who-may", slug, "--profession", "sygeplejerske"])
    assert one.exit_code == 0 and "Sygeplejerske" in one.output
    assert runner.invoke(args=["who-may", "findes-ikke"]).exit_code == 2
    assert runner.invoke(args=["who-may", slug, "--date", "i morgen"]).exit_code == 2


def test_shiftable_lists_only_held_tasks_with_other_takers(app, client):
    data = client.get("/api/v1/professions/sygeplejerske/shiftable").get_json()
    with app.app_context():
        held = set(db.session.scalars(sa.select(m.Task.slug).join(m.Task.holders)
                                      .where(m.Profession.slug == "sygeplejerske")))
    assert data["items"], "nurses hold tasks that others may take over"
    for item in data["items"]:
        assert item["task"]["slug"] in held
        assert item["takers"] and len(item["takers"]) <= 5
        assert all(t["profession"] not in {"sygeplejerske", "specialsygeplejerske"} for t in item["takers"])
        assert all(t["verdict"] != "not_allowed" for t in item["takers"])


@pytest.mark.only_backend("sqlite")  # the document is built from url_map: once is enough
def test_openapi_document_matches_routes(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/")}
    assert set(doc["paths"]) == routes


def _add_professions(n: int, prefix: str) -> None:
    """More professions (with a parent and competences) and more education offers."""
    competence = db.session.scalar(sa.select(m.Competence).limit(1))
    parent = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "sygeplejerske"))
    for i in range(n):
        db.session.add(m.Profession(slug=f"{prefix}-{i}", name=f"Ekstra {prefix} {i}", education_level=1,
                                    competences=[competence], parent=parent))
        db.session.add(m.Education(slug=f"{prefix}-kursus-{i}", name=f"Kursus {i}", competences=[competence],
                                   target_professions=[parent]))
    db.session.commit()


def test_who_may_uses_a_fixed_number_of_queries(app, count_queries):
    with app.app_context():
        slug = db.session.scalar(sa.select(m.Task.slug).join(m.Task.rules).limit(1)) or _reserved_task(app)
        context = parse_context({})
        _add_professions(1, "foer")  # the baseline has rows in every relationship the adapter loads
        db.session.expire_all()
        with count_queries() as before:
            matrix_by_slug(slug, context)
        _add_professions(25, "efter")
        db.session.expire_all()
        with count_queries() as after:
            matrix = matrix_by_slug(slug, context)
        assert len(matrix.results) >= 25
        assert after() == before()


def test_shiftable_uses_a_fixed_number_of_queries(app, count_queries):
    with app.app_context():
        context = parse_context({})
        _add_professions(1, "foer")
        db.session.expire_all()
        with count_queries() as before:
            shiftable_for("sygeplejerske", context)
        nurse = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "sygeplejerske"))
        for task in db.session.scalars(sa.select(m.Task).limit(30)):
            if nurse not in task.holders:
                task.holders.append(nurse)
        _add_professions(10, "efter")
        db.session.expire_all()
        with count_queries() as after:
            shiftable_for("sygeplejerske", context)
        assert after() == before()


@pytest.mark.slow  # every seed task through both loaders
def test_column_task_facts_equal_the_orm_adapter_for_every_seed_task(app):
    """The one loader (both its shapes: one task, many tasks) gives the engine the facts an independent ORM mapping
    (tests/orm_facts.py) gives, for every seed task."""
    from tests.orm_facts import TASK_LOADS, load_task, task_fact
    from kb.whomay.task_facts import load_task_fact, load_task_facts, load_task_facts_held_by

    with app.app_context():
        slugs = db.session.scalars(sa.select(m.Task.slug).where(m.Task.status == "published")).all()
        bulk = {f.slug: f for f in load_task_facts(sa.true())}
        assert len(slugs) >= 150 and set(bulk) == set(slugs)
        with_rules = with_requirements = 0
        for slug in slugs:
            expected = task_fact(load_task(slug))
            assert load_task_fact(slug) == expected == bulk[slug], slug
            with_rules += bool(expected.rules)
            with_requirements += bool(expected.requirements)
        assert with_rules > 5 and with_requirements > 50  # the comparison covered every collection
        held = [task_fact(t) for t in db.session.scalars(  # the ORM way, ordered as the loader orders
            sa.select(m.Task).join(m.Task.holders).where(m.Profession.slug == "sygeplejerske",
                                                         m.Task.status == "published")
            .options(*TASK_LOADS).order_by(m.Task.title, m.Task.slug)).unique().all()]
        assert [f.slug for f in load_task_facts_held_by("sygeplejerske")] == [f.slug for f in held]
        assert load_task_facts_held_by("sygeplejerske") == held
        assert load_task_fact("findes-ikke") is None
