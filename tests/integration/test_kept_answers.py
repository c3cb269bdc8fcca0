"""Kept answers after a publication (kb/whomay/patches.py, kb/knowledge/scope.py, kb.knowledge_state): a publication
of tasks, rules or ordinary provisions records the step of the knowledge token with the tasks it touched, and the
shortlist and take-over lists kept in the process are brought up to date for those tasks only — equal to what a
fresh build gives. Anything else records no step, and the values are built afresh."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from kb import knowledge_state
from kb import models as m
from kb.extensions import db
from kb.knowledge.documents import document_of
from kb.knowledge_state import Scope, changes_between, current_token
from kb.models.knowledge import KnowledgeChange
from kb.models.task import task_provision
from kb.whomay import service
from kb.whomay.facts import make_context
from tests.helpers import publish_document, publish_documents

HOLDER = "sygeplejerske"


@pytest.fixture
def builds(monkeypatch):
    """How often the full builds ran: the real loaders, counted on the way through."""
    calls = {"shortlist": 0, "takeover": 0, "facts": 0}
    held_by, every = service.load_task_facts_held_by, service.load_task_facts

    def counted_held_by(slug):
        calls["shortlist"] += 1
        return held_by(slug)

    def counted_every(where, *args, **kwargs):
        calls["takeover"] += 1
        found = every(where, *args, **kwargs)
        calls["facts"] += len(found)
        return found

    monkeypatch.setattr(service, "load_task_facts_held_by", counted_held_by)
    monkeypatch.setattr(service, "load_task_facts", counted_every)
    return calls


def _shortlist():
    return service.shiftable_for(HOLDER, make_context()).shortlist


def _takeover(slug="social-og-sundhedsassistent"):
    return service.takeover_for(slug, make_context())


def _fresh(ask):
    """What a process with nothing kept answers now."""
    knowledge_state.clear()
    return ask()


def _steps() -> list[KnowledgeChange]:
    return list(db.session.scalars(sa.select(KnowledgeChange).order_by(KnowledgeChange.id)))


def _first_shiftable_task() -> str:
    return _shortlist()[0].task.slug


def test_a_published_task_records_its_step_and_the_shortlist_follows_without_a_rebuild(app, builds):
    with app.app_context():
        knowledge_state.clear()
        old_token = current_token(db.session)
        before = _shortlist()
        assert builds["shortlist"] == 1
        slug = _first_shiftable_task()
        doc = document_of(db.session, "task", slug)
        doc["title"] = "Ø " + doc["title"]  # to the end of its band: the order changes
        doc["requirements"] = []  # no competence gaps: its takers' fits change
        publish_document(db.session, "task", doc)
        db.session.commit()
        new_token = current_token(db.session)
        [step] = _steps()
        assert (step.previous, step.token, step.kinds, step.tasks) == (old_token, new_token, "task", slug)
        assert changes_between(db.session, old_token, new_token) == Scope(frozenset({"task"}), frozenset({slug}))

        patched = _shortlist()
        assert builds["shortlist"] == 1  # brought up to date, not built again
        assert patched != before
        changed = next(i for i in patched if i.task.slug == slug)
        assert changed.task.title.startswith("Ø ") and changed not in before
        assert patched == _fresh(_shortlist)
        assert builds["shortlist"] == 2


def test_a_task_leaving_the_holder_or_going_back_to_draft_leaves_the_kept_lists(app, builds):
    with app.app_context():
        knowledge_state.clear()
        _shortlist(), _takeover()
        first, second = [i.task.slug for i in _shortlist()[:2]]
        doc = document_of(db.session, "task", first)
        doc["holders"] = [h for h in doc["holders"] if h != HOLDER] or ["laege"]
        draft = document_of(db.session, "task", second)
        draft["status"] = "draft"
        publish_documents(db.session, [("task", doc, "t"), ("task", draft, "t")])
        db.session.commit()
        patched, taken = _shortlist(), _takeover()
        assert (builds["shortlist"], builds["takeover"]) == (1, 1)
        assert {first, second}.isdisjoint(i.task.slug for i in patched)
        assert second not in {t.slug for _, items in taken for t, _ in items}
        assert patched == _fresh(_shortlist)
        assert taken == _fresh(_takeover)


def test_two_steps_behind_is_brought_up_to_date_across_both(app, builds):
    with app.app_context():
        knowledge_state.clear()
        _shortlist(), _takeover()
        slugs = [i.task.slug for i in _shortlist()[:2]]
        for slug in slugs:  # two publications, each its own commit, while this process asks nothing
            doc = document_of(db.session, "task", slug)
            doc["requirements"] = []
            publish_document(db.session, "task", doc)
            db.session.commit()
        assert len(_steps()) == 2
        patched, taken = _shortlist(), _takeover()
        assert (builds["shortlist"], builds["takeover"]) == (1, 1)
        assert patched == _fresh(_shortlist)
        assert taken == _fresh(_takeover)


def test_a_rule_touches_its_task_and_the_take_over_list_follows(app, builds):
    with app.app_context():
        knowledge_state.clear()
        taker = "social-og-sundhedsassistent"
        before = _takeover(taker)
        task = next(t for _, items in before for t, _ in items)
        rule = {"slug": "test-forbud-ssa", "task": task.slug, "profession": taker, "all_professions": False,
                "except_professions": [], "organisation": None, "effect": "deny", "kind": "organisational",
                "provision": None, "setting": None, "complexity": None, "conditions": [],
                "note": "Test: lokal beslutning", "sources": [{"url": "https://example.org/lokal-beslutning"}]}
        publish_document(db.session, "rule", rule)
        db.session.commit()
        [step] = _steps()
        assert (step.kinds, step.tasks) == ("rule", task.slug)
        taken = _takeover(taker)
        assert builds["takeover"] == 1
        assert task.slug not in {t.slug for _, items in taken for t, _ in items}
        assert taken == _fresh(lambda: _takeover(taker))


def test_a_provision_touches_the_tasks_citing_it(app):
    with app.app_context():
        cites = sa.select(m.Provision.slug, m.Task.slug).join(
            task_provision, task_provision.c.provision_id == m.Provision.id).join(
            m.Task, m.Task.id == task_provision.c.task_id)
        slug = db.session.scalar(sa.select(m.Provision.slug).where(m.Provision.slug.in_(
            cites.with_only_columns(m.Provision.slug)), m.Provision.slug.not_in(
            ("bek1219-delegation", "bek1219-instruks", "bek1219-pligter", "aut-73"))).order_by(m.Provision.slug).limit(1))
        citing = {t for p, t in db.session.execute(cites) if p == slug}
        by_rule = set(db.session.scalars(sa.select(m.Task.slug).join(m.Rule, m.Rule.task_id == m.Task.id).join(
            m.Provision, m.Provision.id == m.Rule.provision_id).where(m.Provision.slug == slug)))
        doc = document_of(db.session, "provision", slug)
        doc["title"] = doc["title"] + " (ændret)"
        publish_document(db.session, "provision", doc)
        db.session.commit()
        [step] = _steps()
        assert step.kinds == "provision"
        assert set(step.tasks.split("\n")) == citing | by_rule and citing


@pytest.mark.parametrize("kind, slug, field", [("provision", "bek1219-delegation", "title"),
                                               ("profession", "sygeplejerske", "description")])
def test_a_change_that_may_touch_every_answer_records_no_step_and_rebuilds(app, builds, kind, slug, field):
    with app.app_context():
        knowledge_state.clear()
        _shortlist()
        doc = document_of(db.session, kind, slug)
        doc[field] = (doc[field] or "") + " (ændret)"
        publish_document(db.session, kind, doc)
        db.session.commit()
        assert _steps() == []
        _shortlist()
        assert builds["shortlist"] == 2


def test_a_knowledge_write_outside_the_write_path_records_no_step(app, builds):
    with app.app_context():
        knowledge_state.clear()
        _shortlist()
        doc = document_of(db.session, "task", _first_shiftable_task())
        doc["requirements"] = []
        publish_document(db.session, "task", doc)
        task = db.session.scalar(sa.select(m.Task).where(m.Task.slug != doc["slug"]).limit(1))
        task.title = task.title + " (rettet direkte)"  # the same transaction, not through publish
        db.session.commit()
        assert _steps() == []
        _shortlist()
        assert builds["shortlist"] == 2


def test_a_rolled_back_publication_leaves_no_scope_behind(app):
    with app.app_context():
        doc = document_of(db.session, "task", "tage-venoes-blodproeve")
        doc["title"] = doc["title"] + " (rettet)"
        publish_document(db.session, "task", doc)
        db.session.rollback()
        task = db.session.scalar(sa.select(m.Task).where(m.Task.slug == "tage-venoes-blodproeve"))
        task.title = task.title + " (direkte)"
        db.session.commit()
        assert _steps() == []


def test_the_chain_is_bounded(app):
    with app.app_context():
        connection = db.session.connection()
        for n in range(knowledge_state.KEEP_CHANGES + 5):
            knowledge_state.bump(connection, Scope(frozenset({"task"}), frozenset({f"t{n}"})))
        db.session.commit()
        steps = _steps()
        assert len(steps) == knowledge_state.KEEP_CHANGES
        assert steps[-1].tasks == f"t{knowledge_state.KEEP_CHANGES + 4}"
        assert changes_between(db.session, "nothing-like-it", current_token(db.session)) is None


def test_a_step_of_another_kind_is_never_patched(app, builds):
    """Defence in depth: the write path gives no scope for a profession, but a step that names one rebuilds."""
    with app.app_context():
        knowledge_state.clear()
        catalogue = service.load_catalogue()
        _shortlist()
        knowledge_state.bump(db.session.connection(), Scope(frozenset({"profession"}), frozenset()))
        db.session.commit()
        assert service.load_catalogue() is not catalogue
        _shortlist()
        assert builds["shortlist"] == 2


def test_the_kept_verdicts_follow_a_publication(app, monkeypatch):
    """The search facet's verdicts (every published task's, for one group) after a task change and a task back in
    draft equal a fresh engine run, and the call that follows the publication does not judge every task again."""
    with app.app_context():
        knowledge_state.clear()
        taker = "social-og-sundhedsassistent"
        before = service.all_verdicts(taker, make_context())
        published = set(db.session.scalars(sa.select(m.Task.id).where(m.Task.status == "published")))
        assert set(before) == published
        changed, gone = [t for t, _ in sorted(before.items())[:2]]
        doc = document_of(db.session, "task", db.session.get(m.Task, changed).slug)
        doc["holders"], doc["requirements"] = [taker], []
        draft = document_of(db.session, "task", db.session.get(m.Task, gone).slug)
        draft["status"] = "draft"
        publish_documents(db.session, [("task", doc, "t"), ("task", draft, "t")])
        db.session.commit()
        judged = []
        real = service.who_may_one

        def counted(*args, **kwargs):  # the real engine, counted on the way through
            judged.append(args[0].slug)
            return real(*args, **kwargs)

        monkeypatch.setattr(service, "who_may_one", counted)
        patched = service.all_verdicts(taker, make_context())
        monkeypatch.undo()
        assert judged == [doc["slug"]]
        assert gone not in patched and changed in patched
        assert dict(patched) == dict(_fresh(lambda: service.all_verdicts(taker, make_context())))
        assert service.verdicts_for([changed, gone], taker, make_context()) == {changed: patched[changed]}


def test_the_kept_reserved_area_follows_a_publication(app, builds):
    """The role description's reserved area after a reserved task's change equals a fresh build."""
    with app.app_context():
        knowledge_state.clear()
        before = service.reserved_area(HOLDER, make_context())
        assert isinstance(before, tuple) and before
        slug = before[0].task.slug
        doc = document_of(db.session, "task", slug)
        doc["title"] = "Å " + doc["title"]  # to the end of the list
        publish_document(db.session, "task", doc)
        db.session.commit()
        reads = builds["facts"]
        patched = service.reserved_area(HOLDER, make_context())
        assert builds["facts"] == reads + 1  # only the touched task read again (the full build reads them all)
        assert len(before) > 1
        assert patched[-1].task.slug == slug and patched[-1].task.title.startswith("Å ")
        assert patched == _fresh(lambda: service.reserved_area(HOLDER, make_context()))
