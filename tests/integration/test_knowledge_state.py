"""The knowledge token and the per-process caches keyed on it (kb/knowledge_state.py): a change to knowledge, by any
writer and from any app server, is seen by the next request; uncommitted or rolled-back changes are never cached."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb import models as m
from kb.app import create_app
from kb.extensions import db
from kb.knowledge_state import current_token
from kb.whomay.facts import load_catalogue
from tests.plugins.database import config_for, dispose as _dispose
from tests.plugins.editing import action, draft_id_of, edit

TASK = "tage-venoes-blodproeve"


def _token(app) -> str:
    with app.app_context():
        return current_token(db.session)


def _verdict(client, profession: str) -> dict:
    body = client.get(f"/api/v1/tasks/{TASK}/who-may").get_json()
    return next(r for r in body["results"] if r["profession"] == profession)


def test_catalogue_is_built_once_per_knowledge_version(app):
    with app.app_context():
        first = load_catalogue()
        assert load_catalogue() is first  # nothing changed: the same object, no rebuild
        plan_owner = db.session.scalar(sa.select(m.User).limit(1))
        db.session.add(m.ShiftPlan(title="Plan", owner=plan_owner, hours_per_fte=37))  # plans are not knowledge
        db.session.commit()
        assert load_catalogue() is first
        profession = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "portoer"))
        profession.name = "Portør (omdøbt)"
        db.session.commit()
        fresh = load_catalogue()
        assert fresh is not first and fresh.knowledge.profession_name("portoer") == "Portør (omdøbt)"


def test_a_change_committed_by_another_app_server_is_seen_by_the_next_request(app):
    client = app.test_client()
    before = _verdict(client, "portoer")  # warms this process's catalogue
    assert before["missing_competences"], "the porter lacks the venepuncture competence in the seed"
    missing = [c["slug"] for c in before["missing_competences"]]
    # A second app (another server's engine and session) gives the porter every missing competence.
    other = create_app(config_for(app.config["SQLALCHEMY_DATABASE_URI"]))
    token = _token(app)
    try:
        with other.app_context():
            porter = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "portoer"))
            porter.competences.extend(db.session.scalars(sa.select(m.Competence).where(m.Competence.slug.in_(missing))))
            db.session.commit()
    finally:
        _dispose(other)
    assert _token(app) != token
    after = _verdict(client, "portoer")
    assert after["missing_competences"] == [] and after["verdict"] != before["verdict"]


def test_uncommitted_and_rolled_back_changes_are_never_cached(app):
    with app.app_context():
        token = current_token(db.session)
        porter = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "portoer"))
        porter.name = "Kladde-navn"
        db.session.flush()
        assert current_token(db.session) is None  # this session has uncommitted knowledge changes
        assert load_catalogue().knowledge.profession_name("portoer") == "Kladde-navn"  # it sees its own change …
        db.session.rollback()
        assert current_token(db.session) == token
        assert load_catalogue().knowledge.profession_name("portoer") != "Kladde-navn"  # … which was not cached


def test_a_rolled_back_savepoint_keeps_the_outer_transactions_change(app):
    """Architecture review § 4.3.1: the savepoint's rollback erased the mark, and the commit kept the old token, so
    every server went on serving the old name."""
    with app.app_context():
        token = current_token(db.session)
        assert load_catalogue().knowledge.profession_name("portoer") == "Portør"  # cached under the old token
        porter = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "portoer"))
        porter.name = "Portør (omdøbt)"
        db.session.flush()
        savepoint = db.session.begin_nested()
        db.session.add(m.Setting(slug="proeve-miljoe", name="Prøve"))
        db.session.flush()
        savepoint.rollback()
        db.session.commit()
    assert _token(app) != token
    with app.app_context():
        assert load_catalogue().knowledge.profession_name("portoer") == "Portør (omdøbt)"


def test_writers_outside_the_orm_change_the_token(app, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "kopi.json.gz"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    token = _token(app)
    assert runner.invoke(args=["restore", "--replace", str(path)]).exit_code == 0
    assert _token(app) != token
    token = _token(app)
    assert runner.invoke(args=["seed"]).exit_code == 0  # the seed loader (ORM) re-applies the shipped knowledge
    with app.app_context():
        with Session(db.engine) as session:  # a plain SQLAlchemy session gets the same hooks
            session.add(m.Setting(slug="nyt-miljoe", name="Nyt miljø"))
            session.commit()
    assert _token(app) != token


def test_an_editor_publishing_through_the_web_changes_the_token(app, people):
    token = _token(app)
    editor, reviewer = people["redaktoer"], people["godkender"]
    draft = draft_id_of(edit(editor, "opgave", TASK, "Token-prøve", title="Tage venøs blodprøve (token)"))
    assert _token(app) == token  # a draft is not published knowledge
    assert action(editor, draft, "indsend").status_code == 302
    assert action(reviewer, draft, "udgiv").status_code == 302
    assert _token(app) != token


def test_a_cache_family_keeps_only_its_most_recently_used_entries(app):
    from kb.caches import FAMILIES
    from kb.knowledge_state import cached, clear

    built: list[str] = []

    def build(name: str):
        return lambda: built.append(name) or name

    family = "whomay.shortlist.dated"
    assert FAMILIES[family].keep == 2  # the family this test reads its bound from
    clear()
    with app.app_context():
        for name in ("a", "b", "a", "c", "a", "b"):  # keep=2: "b" is evicted by "c", "a" stays in use
            assert cached(db.session, family, name, build(name)) == name
    assert built == ["a", "b", "c", "b"]


def test_not_found_is_not_kept(app):
    from kb.knowledge_state import cached

    calls: list[int] = []
    with app.app_context():
        for _ in range(3):
            assert cached(db.session, "whomay.takeover", "missing", lambda: calls.append(1)) is None
    assert len(calls) == 3
