"""Records as documents: the shared shape of drafts, history and import. Read back and written again, nothing
changes; bad documents are refused field by field; a changed document changes the engine's answer."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.knowledge.documents import FORMAT, KINDS, DocumentError, document_of, to_document
from kb.knowledge.history import BASELINE_REASON, diff, published_history, record_published
from kb.extensions import db
from kb.rules import Verdict
from kb.whomay.facts import make_context
from kb.whomay.service import matrix_by_slug
from tests.helpers import make_user, publish_document, publish_documents


@pytest.mark.slow  # every record of the catalogue written back
def test_every_record_reads_back_into_a_valid_document_and_writes_back_unchanged(app):
    with app.app_context():
        items = [(kind, to_document(kind, r), kind) for kind in KINDS
                 for r in db.session.scalars(sa.select(KINDS[kind].model))]
        assert len(items) > 400
        assert publish_documents(db.session, items) == {}
        db.session.rollback()


def test_field_and_reference_errors_name_the_field(app):
    with app.app_context():
        doc = document_of(db.session, "task", "tage-venoes-blodproeve")
        doc["title"] = ""
        with pytest.raises(DocumentError) as caught:
            publish_document(db.session, "task", doc)
        assert caught.value.by_field() == {"title": ["er for kort"]}
        doc = document_of(db.session, "task", "tage-venoes-blodproeve")
        doc["holders"].append("findes-ikke")
        doc["requirements"].append({"competence": "heller-ikke", "level": "required"})
        with pytest.raises(DocumentError) as caught:
            publish_document(db.session, "task", doc)
        fields = caught.value.by_field()
        assert any("findes-ikke" in msg for msg in fields[f"holders.{len(doc['holders']) - 1}"])
        assert any("heller-ikke" in msg for msg in fields[f"requirements.{len(doc['requirements']) - 1}.competence"])
        rule = document_of(db.session, "rule", db.session.scalar(sa.select(m.Rule.slug).where(m.Rule.kind == "legal")))
        rule["provision"] = None
        with pytest.raises(DocumentError) as caught:
            publish_document(db.session, "rule", rule)
        assert "bestemmelse" in str(caught.value)


def test_a_changed_provision_changes_the_verdict(app):
    """Move § 54's blood-sample item back before 2024: the nurse loses independence on today's date."""
    with app.app_context():
        before = {r.profession: r.verdict for r in matrix_by_slug("tage-venoes-blodproeve", make_context()).results}
        assert before["sygeplejerske"] is Verdict.INDEPENDENT
        doc = document_of(db.session, "provision", "aut-54-4-1")
        doc["valid_to"] = "2024-06-30"
        publish_document(db.session, "provision", doc)
        db.session.commit()
        after = {r.profession: r.verdict for r in matrix_by_slug("tage-venoes-blodproeve", make_context()).results}
        assert after["sygeplejerske"] is not Verdict.INDEPENDENT
        assert document_of(db.session, "provision", "aut-54-4-1")["valid_to"] == "2024-06-30"


def test_a_new_task_is_created_and_found_by_search(app):
    from kb.search.query import search_tasks

    with app.app_context():
        doc = {"slug": "taelle-sengelinned", "title": "Tælle sengelinned", "category": "administrative",
               "holders": ["social-og-sundhedsassistent"], "sources": [{"document": "seed-000", "lines": [1, 2]}]}
        assert publish_document(db.session, "task", doc)["opgave oprettet"] == 1
        db.session.commit()
        ids, _ = search_tasks("sengelinned")
        task_id = db.session.scalar(sa.select(m.Task.id).where(m.Task.slug == "taelle-sengelinned"))
        assert task_id in ids


def test_history_keeps_a_baseline_and_diffs_field_by_field(app):
    with app.app_context():
        before = document_of(db.session, "competence", "blodproevetagning")
        after = dict(before, name="Blodprøvetagning (venøs og kapillær)")
        publish_document(db.session, "competence", after, reason="Præcisering")  # publishing writes history
        db.session.commit()
        versions = published_history(db.session, "competence", "blodproevetagning")
        assert [v.reason for v in versions] == [BASELINE_REASON, "Præcisering"]
        assert [v.data_format for v in versions] == [FORMAT, FORMAT]
        changes = diff(versions[0].data, versions[1].data)
        assert [(c.field, c.before, c.after) for c in changes] == [("name", before["name"], after["name"])]
        publish_document(db.session, "competence", after, reason="Uændret")  # nothing changed: no new version
        db.session.commit()
        assert len(published_history(db.session, "competence", "blodproevetagning")) == 2


def test_a_stored_draft_of_an_older_format_is_upgraded_and_a_newer_one_refused(app, monkeypatch):
    """Issue 18: the document shape is versioned. Pretend the shape moved to format 2 (a step that fills the new
    shape's name from the old one); a draft stored in format 1 is brought up to date when it is published, and a
    draft from a format this code does not know is refused with a Danish message, nothing written."""
    from kb.editing import service
    from kb.knowledge import documents

    author, reviewer = make_user(app, "forfatter", "editor"), make_user(app, "godkender", "reviewer")
    with app.app_context():
        old = document_of(db.session, "competence", "blodproevetagning")
        stored = dict(old, name="Blodprøvetagning")  # format 1 held the name as it was
        draft = service.save_draft(db.session, kind="competence", document=dict(stored, name="Midlertidig"),
                                   reason="Formatprøve", base_version=service.current_version(
                                       db.session, "competence", "blodproevetagning"), author_id=author)
        draft.data, draft.data_format, draft.status = stored, 1, "submitted"
        db.session.commit()
        monkeypatch.setattr(documents, "FORMAT", 2)
        monkeypatch.setitem(documents.UPGRADES, 1, lambda kind, d: dict(d, name=d["name"] + " (format 2)"))
        service.publish(db.session, draft, reviewer, draft.lock_version)
        db.session.commit()
        assert document_of(db.session, "competence", "blodproevetagning")["name"] == "Blodprøvetagning (format 2)"
        newest = published_history(db.session, "competence", "blodproevetagning")[-1]
        assert newest.data_format == 2 and newest.data["name"] == "Blodprøvetagning (format 2)"

        future = m.Revision(entity_type="competence", entity_slug="blodproevetagning", data=dict(stored, name="X"),
                            data_format=3, status="submitted", author_id=author, reason="Fremtiden",
                            base_version=service.current_version(db.session, "competence", "blodproevetagning"))
        db.session.add(future)
        db.session.commit()
        with pytest.raises(DocumentError) as caught:
            service.publish(db.session, future, reviewer, future.lock_version)
        assert "format 3" in str(caught.value) and "kender kun op til format 2" in str(caught.value)
        db.session.rollback()
        assert document_of(db.session, "competence", "blodproevetagning")["name"] == "Blodprøvetagning (format 2)"


def test_the_editing_preview_leaves_the_knowledge_token_as_it_was(app):
    """Reading a draft's preview loads the draft in a scratch savepoint; committing the request afterwards must not
    write a new token (every server would throw its caches away for nothing)."""
    from kb.editing.preview import preview
    from kb.knowledge_state import current_token

    with app.app_context():
        token = current_token(db.session)
        doc = document_of(db.session, "task", "tage-venoes-blodproeve")
        result = preview(db.session, "task", dict(doc, holders=[]))
        assert result.errors is None and result.tasks_checked == 1
        db.session.commit()
    with app.app_context():
        assert current_token(db.session) == token
