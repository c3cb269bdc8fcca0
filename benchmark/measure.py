"""In-process figures on a benchmark database: search against its raw full-text floor, who-may, shiftable.

Each figure calls what the routes call: kb.search.facets.find as /search does (facet counts, the page, the other
kinds); matrix_by_slug as /api/v1/tasks/<slug>/who-may does (task facts read per call; the catalogue kept per
process and knowledge version, as in the app servers); shiftable_for + one page of 50 as
/api/v1/professions/<slug>/shiftable does, after a published change, from nothing, and later pages.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from kb import models as m
from benchmark.stats import Timing, timed, timed_median

SEARCH_REPEATS = 3  # per query, median taken; the same for the app and the raw floor
from kb.models.task import task_holder


def raw_statement(dialect: str) -> str:
    """The bare full-text query on the index, ranked the way the app ranks: no analysis, no filters, no count."""
    from kb.search.backend import BM25_WEIGHTS, FTS_TABLE, PG_VECTOR, PG_WEIGHTS

    if dialect == "postgresql":
        return (f"SELECT d.id FROM search_document d WHERE {PG_VECTOR} @@ to_tsquery('simple', :q) "
                f"ORDER BY ts_rank('{PG_WEIGHTS}', {PG_VECTOR}, to_tsquery('simple', :q), 1) DESC")
    return (f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q "
            f"ORDER BY bm25({FTS_TABLE}, {', '.join(map(str, BM25_WEIGHTS))})")


def rendered_query(session: Session, text: str) -> str:
    """What the app sends to the engine for `text` (analysed against the index vocabulary)."""
    from kb.search.query import analyse_query
    from kb.search.backend import _fts_quote, _ts_quote

    query = analyse_query(text, session=session)
    if session.get_bind().dialect.name == "postgresql":
        return query.render(_ts_quote, "&", "|")
    return query.render(_fts_quote, "AND", "OR")


@dataclass
class SearchFigures:
    app: Timing
    raw: Timing
    hits: list[int]
    vocabulary_load_ms: float


def search_figures(session: Session, queries: list[str]) -> SearchFigures:
    from kb.search.facets import FACETS, find
    from kb.search.index import snapshot
    from kb.search.query import search_tasks

    # The first call per process reads the whole index vocabulary; the routes pay that once, not per query.
    vocabulary = timed([lambda: snapshot(session)])
    statement = sa.text(raw_statement(session.get_bind().dialect.name))
    rendered = [rendered_query(session, q) for q in queries]
    hits = [search_tasks(q, limit=None, session=session)[1] for q in queries]  # also warms the caches for both:
    for r in rendered:  # measured first, the app would pay for reading the pages the raw query then finds in memory
        if r:
            session.execute(statement, {"q": r}).all()

    def as_the_page(q: str) -> None:  # what GET /search?q= asks of the database: facet counts, its page, other kinds
        find(q, {f: None for f in FACETS}, None, False)

    app = timed_median([lambda q=q: as_the_page(q) for q in queries], SEARCH_REPEATS)
    raw = timed_median([lambda r=r: session.execute(statement, {"q": r}).all() for r in rendered if r], SEARCH_REPEATS)
    return SearchFigures(app=app, raw=raw, hits=hits, vocabulary_load_ms=vocabulary.samples[0])


def sample_task_slugs(session: Session, count: int, seed: int) -> list[str]:
    slugs = list(session.scalars(sa.select(m.Task.slug).where(m.Task.status == "published").order_by(m.Task.id)))
    return random.Random(seed + 2).sample(slugs, min(count, len(slugs)))


@dataclass
class WhoMayFigures:
    route: Timing  # matrix_by_slug: as /api/v1/tasks/<slug>/who-may (task facts read per call, catalogue kept)
    engine: Timing  # matrix_for with the task facts and the catalogue already at hand
    professions: int
    verdicts_per_task: int


def who_may_figures(slugs: list[str]) -> WhoMayFigures:
    from kb.extensions import db
    from kb.whomay.facts import load_catalogue, make_context
    from kb.whomay.service import matrix_by_slug, matrix_for
    from kb.whomay.task_facts import load_task_fact

    context = make_context()
    catalogue = load_catalogue()  # once per process and knowledge version, as in the app servers
    results: list[int] = []

    def as_request(slug: str) -> None:
        db.session.remove()  # a fresh session, as each request has: the knowledge token is read anew
        results.append(len(matrix_by_slug(slug, context).results))

    route = timed([lambda s=s: as_request(s) for s in slugs])
    tasks = [load_task_fact(s) for s in slugs]
    engine = timed([lambda t=t: matrix_for(t, context, catalogue) for t in tasks])
    return WhoMayFigures(route=route, engine=engine, professions=len(catalogue.professions),
                         verdicts_per_task=min(results) if results else 0)


def largest_holder(session: Session) -> tuple[str, int]:
    """The profession holding most published tasks, and how many."""
    count = sa.func.count().label("n")
    row = session.execute(
        sa.select(m.Profession.slug, count).join(task_holder, task_holder.c.profession_id == m.Profession.id)
        .join(m.Task, m.Task.id == task_holder.c.task_id).where(m.Task.status == "published")
        .group_by(m.Profession.slug).order_by(count.desc(), m.Profession.slug).limit(1)).one()
    return row[0], row[1]


@dataclass
class ShiftableFigures:
    first: Timing  # the first request after a published task change, the shortlist kept from before it
    cold: Timing  # the first request with nothing kept (a new process, or a change that may touch every answer)
    page: Timing  # a page of 50 as the API serves it while the shortlist is kept
    profession: str
    held: int
    shiftable: int


def shiftable_figures(session: Session, runs: int) -> ShiftableFigures:
    from kb import knowledge_state
    from kb.extensions import db
    from kb.whomay.facts import make_context
    from kb.whomay.service import shiftable_for

    slug, held = largest_holder(session)
    sizes: list[int] = []

    def cold_call():
        knowledge_state.clear()  # nothing kept: every task the group holds is read and ranked
        found = shiftable_for(slug, make_context())
        sizes.append(found.total)
        found.page(0, 50)

    cold = timed([cold_call for _ in range(runs)])
    tasks = held_task_slugs(session, slug, 5)
    first = []
    for n, task in enumerate(tasks):  # a publication committed, then the request that follows it (timed alone)
        _publish_title(session, task, f" (rettet {n})")
        db.session.remove()
        first += timed([lambda: shiftable_for(slug, make_context()).page(0, 50)]).samples

    def page_request(offset: int) -> None:
        db.session.remove()  # a fresh session per request, as in the app
        shiftable_for(slug, make_context()).page(offset, 50)

    page = timed([lambda o=o: page_request(o) for o in range(0, 50 * 20, 50)])
    return ShiftableFigures(first=Timing(tuple(first)), cold=cold, page=page, profession=slug, held=held,
                            shiftable=sizes[0])


def held_task_slugs(session: Session, profession: str, count: int) -> list[str]:
    """The first ``count`` published tasks the profession holds, by id (the seed's own come first)."""
    return list(session.scalars(
        sa.select(m.Task.slug).join(task_holder, task_holder.c.task_id == m.Task.id)
        .join(m.Profession, m.Profession.id == task_holder.c.profession_id)
        .where(m.Profession.slug == profession, m.Task.status == "published").order_by(m.Task.id).limit(count)))


def _publish_title(session: Session, slug: str, suffix: str, commit: bool = True) -> None:
    """An editor's title correction through the one write path (check, load, reindex, history, audit), committed
    (the benchmark database is a copy) or only flushed, for the caller to roll back."""
    from kb.knowledge import Publication, publish
    from kb.knowledge.documents import document_of

    document = document_of(session, "task", slug)
    document["title"] = (document["title"] + suffix)[:300]
    publish(session, [("task", document, "bench")], Publication("publish", reason="benchmark"))
    if commit:
        session.commit()
    else:
        session.flush()


def in_app(app: Flask, func, *args):
    """Run `func(*args)` in an app and request context (the engine's names may ask for the UI language)."""
    from kb.extensions import db

    with app.app_context(), app.test_request_context("/"):
        try:
            return func(*args)
        finally:
            db.session.remove()


def publish_figures(session: Session, runs: int = 5) -> Timing:
    """One editor's change published through the one write path, each in a transaction rolled back afterwards so
    every run changes the same catalogue."""
    # the seed's own tasks (loaded first): the synthetic ones cite report lines no report has
    slugs = list(session.scalars(sa.select(m.Task.slug).where(m.Task.status == "published").order_by(m.Task.id)
                                 .limit(runs)))

    def one(slug: str) -> None:
        try:
            _publish_title(session, slug, " (rettet)", commit=False)
        finally:
            session.rollback()

    return timed([lambda s=s: one(s) for s in slugs])


@dataclass
class PdfRepeatFigures:
    first_ms: float  # the first request: laid out and stored
    repeated: Timing  # the same request again: from the store (kb/pdf/store.py)
    caches: tuple[str, ...]  # X-KB-Cache of each repeated answer (all "hit" when the store served them)
    pages: int | None
    size: int


def pdf_repeat_figures(app: Flask, profession: str, repeats: int = 20) -> PdfRepeatFigures:
    """GET /professions/<slug>/role.pdf through the app, first and then ``repeats`` times again, each a fresh
    request (no If-None-Match: the bytes themselves come back, from the database's store)."""
    from benchmark.pdf import _pages

    client = app.test_client()
    path = f"/professions/{profession}/role.pdf"
    started = time.perf_counter()
    first = client.get(path)
    first_ms = (time.perf_counter() - started) * 1000
    if first.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {first.status_code}")
    caches: list[str] = []

    def again() -> None:
        response = client.get(path)
        caches.append(response.headers.get("X-KB-Cache", "?"))

    repeated = timed([again] * repeats)
    return PdfRepeatFigures(first_ms, repeated, tuple(caches), _pages(first.data), len(first.data))


def pdf_after_change(app: Flask, profession: str) -> float:
    """Milliseconds of the role PDF's first request after one of the group's tasks is published (title corrected,
    committed): the store has nothing under the new token, the kept answers are brought up to date."""
    from kb.extensions import db

    def publish(suffix: str) -> None:
        _publish_title(db.session, held_task_slugs(db.session, profession, 1)[0], suffix)

    client = app.test_client()
    in_app(app, publish, " (rettet)")  # a render under a new token first: what a running server has built
    client.get(f"/professions/{profession}/role.pdf")
    in_app(app, publish, " (rettet igen)")
    started = time.perf_counter()
    response = client.get(f"/professions/{profession}/role.pdf")
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 or response.headers.get("X-KB-Cache") != "miss":
        raise RuntimeError(f"role PDF after a change: HTTP {response.status_code}, {response.headers.get('X-KB-Cache')}")
    return elapsed
