"""Records as documents: the shared shape of drafts, history and import. Read back and written again, nothing
changes; bad documents are refused field by field; a changed document changes the engine's answer."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.editing.documents import KINDS, DocumentError, apply_document, apply_documents, document_of, to_document
from kb.editing.history import BASELINE_REASON, diff, published_history, record_published
from kb.extensions import db
from kb.rules import Verdict
from kb.whomay.facts import make_context
from kb.whomay.service import matrix_by_slug


def test_every_record_reads_back_into_a_valid_document_and_writes_back_unchanged(app):
    with app.app_context():
        items = [(kind, to_document(kind, r), kind) for kind in KINDS
                 for r in db.session.scalars(sa.select(KINDS[kind].model))]
        assert len(items) > 400
        assert apply_documents(db.session, items) == {}
        db.session.rollback()


def test_field_and_reference_errors_name_the_field(app):
    with app.app_context():
        doc = document_of(db.session, "task", "tage-venoes-blodproeve")
        doc["title"] = ""
        with pytest.raises(DocumentError) as caught:
            apply_document(db.session, "task", doc)
        assert caught.value.by_field() == {"title": ["er for kort"]}
        doc = document_of(db.session, "task", "tage-venoes-blodproeve")
        doc["holders"].append("findes-ikke")
        doc["requirements"].append({"competence": "heller-ikke", "level": "required"})
        with pytest.raises(DocumentError) as caught:
            apply_document(db.session, "task", doc)
        fields = caught.value.by_field()
        assert any("findes-ikke" in msg for msg in fields[f"holders.{len(doc['holders']) - 1}"])
        assert any("heller-ikke" in msg for msg in fields[f"requirements.{len(doc['requirements']) - 1}.competence"])
        rule = document_of(db.session, "rule", db.session.scalar(sa.select(m.Rule.slug).where(m.Rule.kind == "legal")))
        rule["provision"] = None
        with pytest.raises(DocumentError) as caught:
            apply_document(db.session, "rule", rule)
        assert "bestemmelse" in str(caught.value)


def test_a_changed_provision_changes_the_verdict(app):
    """Move § 54's blood-sample item back before 2024: the nurse loses independence on today's date."""
    with app.app_context():
        before = {r.profession: r.verdict for r in matrix_by_slug("tage-venoes-blodproeve", make_context()).results}
        assert before["sygeplejerske"] is Verdict.INDEPENDENT
        doc = document_of(db.session, "provision", "aut-54-4-1")
        doc["valid_to"] = "2024-06-30"
        apply_document(db.session, "provision", doc)
        db.session.commit()
        after = {r.profession: r.verdict for r in matrix_by_slug("tage-venoes-blodproeve", make_context()).results}
        assert after["sygeplejerske"] is not Verdict.INDEPENDENT
        assert document_of(db.session, "provision", "aut-54-4-1")["valid_to"] == "2024-06-30"


def test_a_new_task_is_created_and_found_by_search(app):
    from kb.search import search_tasks

    with app.app_context():
        doc = {"slug": "taelle-sengelinned", "title": "Tælle sengelinned", "category": "administrative",
               "holders": ["social-og-sundhedsassistent"], "sources": [{"document": "seed-000", "lines": [1, 2]}]}
        assert apply_document(db.session, "task", doc)["opgave oprettet"] == 1
        db.session.commit()
        ids, _ = search_tasks("sengelinned")
        task_id = db.session.scalar(sa.select(m.Task.id).where(m.Task.slug == "taelle-sengelinned"))
        assert task_id in ids


def test_history_keeps_a_baseline_and_diffs_field_by_field(app):
    with app.app_context():
        before = document_of(db.session, "competence", "blodproevetagning")
        after = dict(before, name="Blodprøvetagning (venøs og kapillær)")
        apply_document(db.session, "competence", after)
        record_published(db.session, "competence", "blodproevetagning", None, before, after, reason="Præcisering",
                         author_id=None, reviewer_id=None)
        db.session.commit()
        versions = published_history(db.session, "competence", "blodproevetagning")
        assert [v.reason for v in versions] == [BASELINE_REASON, "Præcisering"]
        changes = diff(versions[0].data, versions[1].data)
        assert [(c.field, c.before, c.after) for c in changes] == [("name", before["name"], after["name"])]
