"""The index after a publication (kb/search/incremental.py): only the changed records' documents and those whose
text includes theirs are rewritten, and the result is the index a full rebuild would make — on both databases."""
from __future__ import annotations

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from kb.knowledge.documents import document_of
from kb.models.search import SearchDocument
from kb.models.task import task_holder
from kb.search.query import reindex, search_all, search_tasks
from tests.helpers import publish_document

COLUMNS = ("kind", "ref_id", "slug", "title", "category", "words", "title_tokens", "terms_tokens", "related_tokens",
           "body_tokens")


def _index() -> dict[tuple[str, int], tuple]:
    rows = db.session.execute(sa.select(*(getattr(SearchDocument, c) for c in COLUMNS), SearchDocument.generation))
    return {(r[0], r[1]): tuple(r) for r in rows}


def _written(before: dict, after: dict) -> set[tuple[str, int]]:
    """Documents rewritten (a new generation) or added or removed."""
    return {k for k in set(before) | set(after) if before.get(k) is None or after.get(k) is None
            or before[k][-1] != after[k][-1]}


def _as_a_full_rebuild_makes_it() -> dict:
    """The index a full rebuild makes of the same data, in a savepoint undone afterwards."""
    savepoint = db.session.begin_nested()
    reindex(db.session)
    full = {k: v[:-1] for k, v in _index().items()}
    savepoint.rollback()
    return full


def _id(model, slug: str) -> int:
    return db.session.scalar(sa.select(model.id).where(model.slug == slug))


def test_a_task_edit_rewrites_its_document_only_and_search_follows(app):
    with app.app_context():
        before = _index()
        doc = document_of(db.session, "task", "tage-venoes-blodproeve")
        doc["title"] = "Tage venøs blodprøve med vakuumglas"
        doc["terms"] = doc["terms"] + ["kanyleskræk"]
        publish_document(db.session, "task", doc)
        after = _index()
        assert _written(before, after) == {("task", _id(m.Task, "tage-venoes-blodproeve"))}
        assert {k: v[:-1] for k, v in after.items()} == _as_a_full_rebuild_makes_it()
        db.session.commit()
        ids, _ = search_tasks("kanyleskræk")
        assert ids == [_id(m.Task, "tage-venoes-blodproeve")]
        assert search_tasks("vakuumglas")[0] == ids


def test_a_renamed_profession_rewrites_the_tasks_that_name_it(app):
    with app.app_context():
        before = _index()
        doc = document_of(db.session, "profession", "bioanalytiker")
        doc["name"] = "Bioanalytiker (laborant)"
        publish_document(db.session, "profession", doc)
        after = _index()
        held = set(db.session.scalars(sa.select(task_holder.c.task_id).join(
            m.Profession, m.Profession.id == task_holder.c.profession_id).where(m.Profession.slug == "bioanalytiker")))
        assert held and _written(before, after) == {("profession", _id(m.Profession, "bioanalytiker"))} | \
            {("task", t) for t in held}
        assert {k: v[:-1] for k, v in after.items()} == _as_a_full_rebuild_makes_it()
        db.session.commit()
        found, _ = search_tasks("laborant", limit=None)
        published = set(db.session.scalars(sa.select(m.Task.id).where(m.Task.id.in_(held),
                                                                      m.Task.status == "published")))
        assert published <= set(found)
        assert [h.slug for h in search_all("laborant", kinds=("profession",))["profession"]] == ["bioanalytiker"]


def test_a_task_back_in_draft_leaves_the_index_and_a_rule_change_touches_none(app):
    with app.app_context():
        doc = document_of(db.session, "task", "skrive-epikrise")
        doc["status"] = "draft"
        publish_document(db.session, "task", doc)
        assert ("task", _id(m.Task, "skrive-epikrise")) not in _index()
        assert {k: v[:-1] for k, v in _index().items()} == _as_a_full_rebuild_makes_it()
        before = _index()
        rule = db.session.scalar(sa.select(m.Rule.slug).order_by(m.Rule.slug).limit(1))
        doc = document_of(db.session, "rule", rule)
        doc["note"] = (doc.get("note") or "") + " Rettet."
        publish_document(db.session, "rule", doc)
        assert _written(before, _index()) == set()  # rules are not in the index


def _vocabulary_table() -> dict[tuple[str, str], int]:
    from kb.models.search import SearchVocabulary

    return {(v.kind, v.word): v.documents for v in db.session.scalars(sa.select(SearchVocabulary))}


def _vocabulary_by_scanning() -> dict[tuple[str, str], int]:
    """Counted here from the documents themselves: each document once per stem and per surface word."""
    found: dict[tuple[str, str], int] = {}
    for d in db.session.scalars(sa.select(SearchDocument)):
        keys = {("surface", w) for w in d.words.split()} | {("stem", t) for t in " ".join(
            (d.title_tokens, d.terms_tokens, d.related_tokens, d.body_tokens)).split()}
        for key in keys:
            found[key] = found.get(key, 0) + 1
    return found


def test_the_vocabulary_counts_follow_every_kind_of_publication(app):
    """The counts kept with the index (kb/search/vocabulary.py) equal a count over the documents after a full
    rebuild, after edits that add and drop words, after a task leaves the index, and after a rename that rewrites
    many documents; the query analysis reads them."""
    from kb.search.index import snapshot

    with app.app_context():
        assert _vocabulary_table() == _vocabulary_by_scanning()
        doc = document_of(db.session, "task", "tage-venoes-blodproeve")
        doc["title"] = "Tage venøs blodprøve med kvantefluxkapacitor"
        doc["terms"] = []  # its terms' words go, where no other document has them
        publish_document(db.session, "task", doc)
        assert _vocabulary_table() == _vocabulary_by_scanning()
        assert ("surface", "kvantefluxkapacitor") in _vocabulary_table()
        draft = document_of(db.session, "task", "tage-venoes-blodproeve")
        draft["status"] = "draft"
        publish_document(db.session, "task", draft)
        assert _vocabulary_table() == _vocabulary_by_scanning()
        assert ("surface", "kvantefluxkapacitor") not in _vocabulary_table()
        renamed = document_of(db.session, "profession", "sygeplejerske")
        renamed["name"] = "Sygeplejerske (plejeprofessionel)"
        publish_document(db.session, "profession", renamed)
        assert _vocabulary_table() == _vocabulary_by_scanning()
        db.session.commit()
        vocabulary = snapshot(db.session).vocabulary
        assert "plejeprofessionel" in vocabulary.words and "kvantefluxkapacitor" not in vocabulary.words
        scanned = _vocabulary_by_scanning()
        assert vocabulary.df == {w: n for (k, w), n in scanned.items() if k == "stem"}
        assert search_tasks("plejeprofessionel", limit=None)[1] > 10
