"""What a search finds, with its facets: category, setting, current holder, and the verdict for a chosen profession
(asked of the engine through kb.whomay.service). The search page (kb/search/routes.py) only reads the request
and renders.

The facet counts and the page come from SQL over the full-text match (kb.search.backend.match_sql), never from
every match fetched into Python: a common word matches 8,000 of the national catalogue's 50,000 tasks
(docs/benchmark.md). One statement does it all: the match, materialised once as a CTE (`hits`), then GROUP BY per
facet, the totals and the page's 20 rows, UNION ALL. Measured on instance/bench/bench.db (SQLite, *vurdering*,
7,967 hits, median of 5, load ≈ 2): one statement per facet re-running the match 47–53 ms plus the page 15 ms;
the same as one UNION ALL 47–77 ms; the materialised CTE 25–31 ms plus the page 15 ms; the CTE with the page inside
it, as here, 36–43 ms. Of that, materialising the hits is ~28 ms (bm25 for every hit ~12, which the page's order
needs; the published check ~5) and the setting and holder counts ~7 each (a link-table lookup per hit).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from kb.models.task import task_holder
from kb.rules import Context, Verdict
from kb.search import backend
from kb.search.analyser import Query
from kb.search.query import OTHER_KINDS, Hit, analyse_query
from kb.whomay.facts import make_context
from kb.whomay.service import verdicts_for

FACETS = ("category", "setting", "holder", "verdict")
# A page past the last is served as the last (the route's contract); the first statement asks for at most this
# offset, so an absurd ?page= cannot overflow the engine's integer, and a second asks for the last page.
MAX_OFFSET = 2 ** 31

# Per facet: the value counted and the join that brings it, over the matched tasks `d` (the hits CTE). Not grouped
# by id and named after: SQLite then drove the aggregate from the whole link table (70,000 rows) probing the hits,
# 36 → 89 ms for *vurdering* on the bench DB; joined as here, the hits drive.
_COUNTED = {
    "category": ("d.category", ""),
    "setting": ("cs.slug", "JOIN task_setting cts ON cts.task_id = d.ref_id JOIN setting cs ON cs.id = cts.setting_id"),
    "holder": ("cp.slug",
               "JOIN task_holder cth ON cth.task_id = d.ref_id JOIN profession cp ON cp.id = cth.profession_id"),
    "verdict": ("d.verdict", ""),
}
# The page columns of a count row. Typed: PostgreSQL resolves a UNION pair by pair and would take bare NULLs for text.
_PAD = "CAST(NULL AS INTEGER) AS ref_id, CAST(NULL AS DOUBLE PRECISION) AS score, CAST(NULL AS VARCHAR) AS slug"
# Per facet: the condition a chosen value puts on a matched task `d`
_CHOSEN = {"category": "d.category = :category", "setting": backend.SETTING_FILTER,
           "holder": backend.HOLDER_FILTER, "verdict": "d.verdict = :verdict"}


@dataclass
class Found:
    shown: list[int] = field(default_factory=list)  # the page's task ids (passing every chosen facet), best first
    total: int = 0  # tasks passing every chosen facet
    page: int = 1  # the page shown, 1 … pages (a page past the last shows the last)
    pages: int = 1
    counts: dict[str, Counter] = field(default_factory=dict)  # per facet, counts among tasks passing the others
    verdicts: dict[int, Verdict] = field(default_factory=dict)  # the page's task id → the chosen profession's verdict
    profession: Optional[str] = None  # the chosen profession, None when unknown
    others: dict = field(default_factory=dict)  # professions, competences, provisions … matching the words
    query: Optional[Query] = None  # ``q`` analysed (the page highlights its stems)


def find(q: str, chosen: dict[str, Optional[str]], profession: Optional[str], complete: bool,
         page: int = 1, per_page: int = 20) -> Found:
    """Page ``page`` of the tasks matching ``q`` under the chosen facets, ``per_page`` a page. ``chosen["verdict"]``
    is dropped when no profession's verdicts are known. Every query word must match; when that finds nothing, any
    word may (as kb.search.query.search_tasks) — decided on the match alone, before any facet."""
    found = Found(counts={f: Counter() for f in FACETS})
    query = analyse_query(q, complete) if q else None
    if query:
        for any_group in (False, True):
            match = backend.match_sql(db.session, query, backend.Filters("task"), any_group)
            verdict_source = None
            if profession:
                verdict_source = verdict_facet(match, profession, make_context(chosen["setting"]))
                if verdict_source is None:
                    profession = None
            matched = _count_and_page(match, verdict_source, chosen, page, per_page, found)
            if matched or len(query.groups) <= 1:
                break
        if not matched or not profession:
            chosen["verdict"] = None  # as before: no verdicts known, no verdict facet
    else:
        chosen["verdict"] = None
        if q and profession and verdicts_for([], profession, make_context(chosen["setting"])) is None:
            profession = None  # words that analyse to nothing: no match, but an unknown profession is still unknown
    if query:
        found.others = _others(query)
    elif q:
        found.others = {kind: [] for kind in OTHER_KINDS}  # words that analyse to nothing match nothing
    found.profession, found.query = profession, query
    return found


def _others(query: Query, limit: int = 5) -> dict[str, list[Hit]]:
    """kb.search.query.search_all(q, limit=5) in one statement: the best ``limit`` of each other kind, every word
    else any word per kind. search_all runs the full-text match once per kind, and once more to count a full
    page: up to six passes over a common word's thousands of hits (bench DB, *vurdering*: 29 → 13 ms)."""
    out: dict[str, list[Hit]] = {kind: [] for kind in OTHER_KINDS}
    missing = OTHER_KINDS
    for any_group in (False, True):
        match = backend.match_sql(db.session, query, backend.Filters(missing), any_group)
        # The score is materialised first: SQLite's bm25() is only valid in the full-text scan itself.
        result = db.session.execute(sa.text(
            f"WITH hits AS MATERIALIZED (SELECT d.id AS id, d.kind AS kind, d.ref_id AS ref_id, d.slug AS slug,"
            f" {match.score} AS score FROM {match.source} WHERE {match.where}),"
            f" ranked AS (SELECT h.*, row_number() OVER (PARTITION BY h.kind ORDER BY h.score {match.order}, h.slug)"
            f" AS n FROM hits h)"
            f" SELECT r.kind, r.ref_id, r.slug, doc.title, r.score FROM ranked r"
            f" JOIN search_document doc ON doc.id = r.id WHERE r.n <= {int(limit)} ORDER BY r.kind, r.n"),
            match.params)
        for kind, ref_id, slug, title, score in result.cursor.fetchall():
            out[kind].append(Hit(kind, ref_id, slug, title, score))
        result.close()
        missing = tuple(kind for kind in missing if not out[kind])
        if not missing or len(query.groups) <= 1:
            break
    return out


def verdict_facet(match: backend.MatchSql, profession: str, context: Context) -> tuple[str, dict] | None:
    """The verdict facet's source: each matched task's verdict for one profession, as SQL the facet statement joins.

    In: ``match``, the full-text match the page shows (``FROM {match.source} WHERE {match.where}`` with
    ``match.params`` yields the matched documents ``d``, ``d.ref_id`` the task id); ``profession``, the chosen
    profession's slug; ``context``, the context the verdicts are asked in (the chosen setting).

    Out: None when the profession is unknown (the page then shows no verdicts and drops ``?verdict=``). Otherwise
    ``(sql, params)``: ``sql`` a SELECT of rows ``(task_id INTEGER, verdict TEXT)`` — ``verdict`` a kb.rules.Verdict
    value — at most one row per task, with a row for every matched task that has a verdict (rows for other tasks do
    no harm). It is joined inside the match as ``LEFT JOIN ({sql}) v ON v.task_id = d.ref_id`` and the statement
    binds ``match.params`` and ``params`` together, so ``params``' names start with ``verdict_``. A matched task
    without a row is left out of the page, the total and every facet's counts (the engine answers for every
    published task, so today none is). Each facet's counts stay among tasks passing the other chosen facets.

    The verdicts are every published task's, kept per process and knowledge version and brought up to date for the
    tasks a publication touches (kb.whomay.service.verdicts_for, docs/decisions/0021): the matched ids are read
    and their verdicts passed in as JSON (~20 ms for a common word's 8,000 hits on the national catalogue)."""
    result = db.session.execute(sa.text(f"SELECT d.ref_id FROM {match.source} WHERE {match.where}"), match.params)
    ids = [row[0] for row in result.cursor.fetchall()]
    result.close()
    verdicts = verdicts_for(ids, profession, context)
    if verdicts is None:
        return None
    table = "json_each_text(CAST(:verdict_json AS json))" if match.postgresql else "json_each(:verdict_json)"
    return (f"SELECT CAST(key AS INTEGER) AS task_id, value AS verdict FROM {table}",
            {"verdict_json": json.dumps({str(i): v.value for i, v in verdicts.items()})})


def _count_and_page(match: backend.MatchSql, verdict_source: tuple[str, dict] | None, chosen, page: int,
                    per_page: int, found: Found) -> int:
    """Fill ``found`` (counts, total, the page) from one statement over ``match``; returns how many tasks match
    before any facet (0: try the any-word match)."""
    params = dict(match.params)
    verdict_column, verdict_join, base = "NULL", "", []
    if verdict_source is not None:
        sql, extra = verdict_source
        params.update(extra)
        verdict_column, verdict_join = "v.verdict", f" LEFT JOIN ({sql}) v ON v.task_id = d.ref_id"
        base = ["d.verdict IS NOT NULL"]
    active = {f: v for f, v in chosen.items() if v and (f != "verdict" or verdict_source is not None)}
    params.update(active)

    def where(skip: str | None = None) -> str:
        clauses = base + [_CHOSEN[f] for f in active if f != skip]
        return f" WHERE {' AND '.join(clauses)}" if clauses else ""

    counted = [f for f in FACETS if f != "verdict" or verdict_source is not None]
    parts = [f"SELECT 'all' AS part, CAST(NULL AS VARCHAR) AS value, count(*) AS n, {_PAD} FROM hits d",
             f"SELECT 'total', CAST(NULL AS VARCHAR), count(*), {_PAD} FROM hits d{where()}"]
    for f in counted:
        value, join = _COUNTED[f]
        parts.append(f"SELECT '{f}', {value}, count(*), {_PAD} FROM hits d {join}{where(f)} GROUP BY {value}")
    # MATERIALIZED: the match runs once for all the parts (SQLite ≥ 3.35, PostgreSQL ≥ 12 honour it).
    hits = (f"WITH hits AS MATERIALIZED (SELECT d.ref_id AS ref_id, d.category AS category, d.slug AS slug,"
            f" {match.score} AS score, {verdict_column} AS verdict FROM {match.source}{verdict_join}"
            f" WHERE {match.where})")

    def page_part(offset: int) -> str:
        return (f"SELECT * FROM (SELECT 'page' AS part, d.verdict AS value, CAST(NULL AS BIGINT) AS n,"
                f" d.ref_id AS ref_id, d.score AS score, d.slug AS slug FROM hits d{where()}"
                f" ORDER BY d.score {match.order}, d.slug LIMIT {int(per_page)} OFFSET {int(offset)}) AS page")

    def run(statement_parts: list[str]):
        # The outer ORDER BY puts the page's rows in the match's order whatever UNION ALL does (a few dozen rows).
        sql = f"{hits} {' UNION ALL '.join(statement_parts)} ORDER BY part, score {match.order}, slug"
        result = db.session.execute(sa.text(sql), params)
        rows = result.cursor.fetchall()  # plain tuples, as backend.match: no per-row processing needed
        result.close()
        return rows

    rows = run(parts + [page_part(min((page - 1) * per_page, MAX_OFFSET))])
    counts = {f: Counter() for f in FACETS}
    totals, page_rows = {}, []
    for part, value, n, ref_id, _score, _slug in rows:
        if part == "page":
            page_rows.append((ref_id, value))
        elif part in counts:
            counts[part][value] = n
        else:
            totals[part] = n
    found.total = totals.get("total", 0)
    found.pages = max(1, -(-found.total // per_page))
    found.page = min(page, found.pages)
    if found.page != page:  # past the last page: show the last, as the page always did
        page_rows = [(ref_id, value) for part, value, _, ref_id, _, _ in run([page_part((found.page - 1) * per_page)])]
    # Ties in a facet by value, not by whatever order the engine grouped in: the same page from both engines
    found.counts = {f: Counter(dict(sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0]))))) for f, c in counts.items()}
    found.shown = [ref_id for ref_id, _ in page_rows]
    found.verdicts = {ref_id: Verdict(value) for ref_id, value in page_rows if value is not None}
    return totals.get("all", 0)


@dataclass(frozen=True)
class PageTask:
    """What a result line shows of a task (templates/search/_results.html); ``holders`` have a ``name``."""

    id: int
    slug: str
    title: str
    category: str
    description: Optional[str]
    holders: tuple


@dataclass(frozen=True)
class Holder:
    slug: str
    name: str


def page_tasks(ids: list[int]) -> list[PageTask]:
    """The page's tasks in order, with their holders (by slug, as Task.holders), read by columns: 20 Task objects
    with their holders cost as much as the page's facet statement."""
    if not ids:
        return []
    holders: dict[int, list[Holder]] = {i: [] for i in ids}
    for task_id, slug, name in db.session.execute(
            sa.select(task_holder.c.task_id, m.Profession.slug, m.Profession.name)
            .join(m.Profession, m.Profession.id == task_holder.c.profession_id)
            .where(task_holder.c.task_id.in_(ids)).order_by(m.Profession.slug)):
        holders[task_id].append(Holder(slug, name))
    found = {row.id: PageTask(row.id, row.slug, row.title, row.category, row.description, tuple(holders[row.id]))
             for row in db.session.execute(sa.select(m.Task.id, m.Task.slug, m.Task.title, m.Task.category,
                                                     m.Task.description).where(m.Task.id.in_(ids)))}
    return [found[i] for i in ids]
