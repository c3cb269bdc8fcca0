"""The task and rule forms, and the registry that finds every kind's form.

Round trip: records filled into the form, rendered, sent back as a browser sends the HTML, give back exactly the
same document. Then validation with bad input: Danish messages beside the field, typed values kept."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from kb import models as m
from kb.editing import registry, service
from kb.knowledge import checks
from kb.knowledge.documents import KINDS, document_of, to_document
from kb.editing.forms.rule import RuleForm
from kb.editing.forms.task import TaskForm
from kb.extensions import db
from tests.form_helpers import edit_form, post, render, submitted
from tests.helpers import login, make_user



def sample_tasks() -> list[m.Task]:
    """The tasks with the most of every list (the hard cases), plus every tenth task."""
    tasks = list(db.session.scalars(sa.select(KINDS["task"].model).order_by(m.Task.slug)))
    chosen = {t.slug: t for t in tasks[::10]}
    for attr in ("requirements", "citations", "evidence", "holders", "terms", "provisions", "settings", "tags"):
        chosen.update({t.slug: t for t in sorted(tasks, key=lambda t: -len(getattr(t, attr) or []))[:2]})
    return list(chosen.values())


@pytest.mark.slow  # a sweep of the catalogue through the forms
@pytest.mark.only_backend("sqlite")  # forms and templates: once is enough
def test_tasks_and_rules_round_trip_through_form_and_template(app):
    with app.test_request_context():
        tasks = sample_tasks()
        docs = [to_document("task", t) for t in tasks]
        assert any(len(e["sources"]) > 1 for d in docs for e in d["evidence"])
        assert any(r["complexity"] for d in docs for r in d["requirements"])
        assert any(d["requirements"] for d in docs) and any(d["terms"] for d in docs)
        rules = list(db.session.scalars(sa.select(m.Rule)))
        assert any(r.setting for r in rules) and any(r.conditions for r in rules)
        for kind, records in (("task", tasks), ("rule", rules)):
            for record in records:
                original = to_document(kind, record)
                form = post(kind, submitted(render(kind, edit_form(kind, original))), original)
                assert form.validate(), (original["slug"], form.errors)
                assert form.document() == original, original["slug"]
                checks.validate(kind, form.document())


@pytest.mark.only_backend("sqlite")  # forms and templates: once is enough
def test_every_task_field_is_rendered_with_its_label(app):
    with app.test_request_context():
        for kind, slug in (("task", "tage-venoes-blodproeve"), ("rule", db.session.scalar(sa.select(m.Rule.slug)))):
            form = edit_form(kind, document_of(db.session, kind, slug))
            page = render(kind, form)
            names = set(dict(submitted(page)).keys())
            for field in form:
                if field.name in ("csrf_token", "reason", "base_version"):
                    continue
                for leaf in _leaves(field):
                    assert leaf.name in names or f'name="{leaf.name}"' in page, leaf.name
                    assert f'for="{leaf.id}"' in page, leaf.id
            assert "<form" not in page and page.count("<fieldset") == page.count("<legend>")


def _leaves(field):
    if hasattr(field, "entries"):
        for entry in field.entries:
            yield from _leaves(entry)
    elif hasattr(field, "form") and hasattr(field.form, "_fields"):
        for sub in field.form:
            yield from _leaves(sub)
    else:
        yield field


@pytest.mark.only_backend("sqlite")  # forms and templates: once is enough
def test_a_new_task_from_the_form_blank_rows_ignored(app):
    with app.test_request_context():
        blank = submitted(render("task", post("task", MultiDict(), None)))
        assert "requirements-2-competence" in blank and "evidence-0-sources-0-url" in blank
        data = blank.copy()
        for name, value in (("slug", "taelle-medicin"), ("title", " Tælle medicin "), ("category", "clinical"),
                            ("terms", "dosisdispensering\r\n\r\nDD\r\nDD"), ("tags", ""),
                            ("requirements-1-competence", "farmakologi-basis"),
                            ("requirements-1-complexity", "complex"),
                            ("sources-0-url", "https://example.dk/medicin"),
                            ("evidence-0-taker", "farmakonom"), ("evidence-0-summary", "Farmakonomer tæller."),
                            ("evidence-0-sources-0-document", "seed-004"),
                            ("evidence-0-sources-0-line_from", "1400"), ("evidence-0-sources-0-line_to", "1401")):
            data[name] = value
        data.setlist("holders", ["sygeplejerske", "social-og-sundhedsassistent"])
        form = post("task", data)
        assert form.validate(), form.errors
        doc = form.document()
        assert doc["title"] == "Tælle medicin" and doc["terms"] == ["dosisdispensering", "DD"]
        assert doc["requirements"] == [{"competence": "farmakologi-basis", "level": "required", "complexity": "complex"}]
        assert doc["evidence"] == [{"taker": "farmakonom", "from": None, "kind": "proposal",
                                    "summary": "Farmakonomer tæller.",
                                    "sources": [{"document": "seed-004", "lines": [1400, 1401]}]}]
        checks.bundle_of(db.session, [("task", doc, "task")])


@pytest.mark.only_backend("sqlite")  # forms and templates: once is enough
def test_task_validation_messages(app):
    with app.test_request_context():
        original = document_of(db.session, "task", "tage-venoes-blodproeve")
        data = submitted(render("task", edit_form("task", original)))
        for i in range(len(original["sources"]) + 2):
            for sub in ("document", "line_from", "line_to", "provision", "url", "note"):
                data[f"sources-{i}-{sub}"] = ""
        data["requirements-2-competence"] = original["requirements"][0]["competence"]  # twice, same patients
        data["requirements-3-complexity"] = "complex"  # a complexity without a competence
        data["terms"] = "x" * 201
        data["evidence-0-summary"] = ""
        form = post("task", data, original)
        assert not form.validate()
        assert "En opgave skal have mindst én kilde." in str(form.sources[0].document.errors)
        assert "Kompetencen står der allerede" in str(form.requirements[2].competence.errors)
        assert "Vælg kompetencen" in str(form.requirements[3].competence.errors)
        assert "Højst 200 tegn pr. linje." in str(form.terms.errors)
        assert "Skriv kort hvad kilden siger." in str(form.evidence[0].summary.errors)
        page = render("task", form)
        assert "x" * 201 in page and 'id="terms-error"' in page


@pytest.mark.only_backend("sqlite")  # forms and templates: once is enough
def test_rule_validation_messages(app):
    with app.test_request_context():
        slug = db.session.scalar(sa.select(m.Rule.slug).where(m.Rule.kind == "legal"))
        original = document_of(db.session, "rule", slug)
        data = submitted(render("rule", edit_form("rule", original)))
        data["provision"], data["task"], data["effect"] = "", "ingen-opgave", "forbud"
        form = post("rule", data, original)
        assert not form.validate()
        assert [str(e) for e in form.provision.errors] == ["En lovbestemt regel skal henvise til en bestemmelse."]
        assert "Opgaven findes ikke: 'ingen-opgave'" in str(form.task.errors)
        assert "Vælg en af mulighederne på listen." in str(form.effect.errors)
        page = render("rule", form)
        assert 'value="ingen-opgave"' in page and '<datalist id="task-options">' in page
        assert 'list="task-options"' in page
        # A task still in review may be named by a rule drafted beside it.
        form = post("rule", data, original)
        form.add_pending_tasks({"ingen-opgave"})
        form.validate()
        assert not form.task.errors


@pytest.mark.only_backend("sqlite")  # forms and templates: once is enough
def test_registry_finds_forms_by_kind_and_skips_missing_modules(app, monkeypatch):
    assert registry.form_class("task") is TaskForm and registry.form_class("rule") is RuleForm
    assert registry.form_class("ukendt") is None
    assert {"task", "rule"} <= set(registry.available_kinds())
    real = registry.importlib.import_module

    def without_profession(name, *args):
        if name == "kb.editing.forms.profession":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real(name, *args)

    monkeypatch.setattr(registry.importlib, "import_module", without_profession)
    assert registry.form_class("profession") is None and "profession" not in registry.available_kinds()
    assert registry.kind_of_segment("faggruppe") is None and registry.kind_of_segment("opgave") == "task"
    make_user(app, "redaktoer", "editor")
    client = app.test_client()
    login(client, "redaktoer")
    assert client.get("/redaktion/faggruppe/ny").status_code == 404
    assert client.get("/redaktion/faggruppe/sygeplejerske/historik").status_code == 200  # history needs no form


def test_the_database_refuses_a_concurrent_save_of_one_draft(app):
    """Two requests saving one draft at the same moment: both passed the lock check, the later UPDATE fails."""
    user = make_user(app, "samtidig", "editor")
    with app.app_context():
        doc = document_of(db.session, "task", "tage-venoes-blodproeve")
        version = doc and db.session.scalar(sa.select(m.Task.version_id).where(m.Task.slug == doc["slug"]))
        draft = service.save_draft(db.session, kind="task", document=dict(doc, title="Første"), reason="Start",
                                   base_version=version, author_id=user)
        db.session.commit()
        draft_id, lock = draft.id, draft.lock_version
    with app.app_context():
        mine = db.session.get(m.Revision, draft_id)  # this request read the draft …
        with app.app_context():  # … while another request saved it
            other = db.session.get(m.Revision, draft_id)
            service.save_draft(db.session, kind="task", document=dict(doc, title="Anden"), reason="Anden",
                               base_version=version, author_id=user, draft=other, lock=lock)
            db.session.commit()
        try:
            service.save_draft(db.session, kind="task", document=dict(doc, title="Tredje"), reason="Tredje",
                               base_version=version, author_id=user, draft=mine, lock=lock)
        except service.DraftChanged:
            db.session.rollback()
        else:
            raise AssertionError("the stale save went through")
        assert db.session.get(m.Revision, draft_id).data["title"] == "Anden"
