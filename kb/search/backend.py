"""One search interface, two engines: SQLite FTS5 (bm25 with column weights) and PostgreSQL full text
(tsvector('simple') + setweight + GIN index + ts_rank). Both index the same analysed stems from
kb.search.analyser, so they match the same documents and rank them alike."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb.search.analyser import Query

FTS_TABLE = "search_fts"
PG_INDEX = "ix_search_document_tsv"
# The weighted tsvector, stored by PostgreSQL as a generated column (migration 9d41c7e3b8a5) with the GIN index on it,
# so matching and ts_rank read it instead of recomputing to_tsvector for every matching row.
PG_COLUMN = "search_vector"
PG_VECTOR = f"d.{PG_COLUMN}"
# Column weights, title > terms > related > body. ts_rank's weight array is ordered {D, C, B, A}.
BM25_WEIGHTS = (10.0, 5.0, 2.0, 1.0)
PG_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"


def include_name(name, type_, parent_names) -> bool:
    """Alembic filter: the FTS5 virtual table, its shadow tables, the stored tsvector column and its GIN index are
    the migrations' business, not the models' (used by migrations/env.py and the drift test)."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name == PG_COLUMN:
        return False
    return not (type_ == "index" and name == PG_INDEX)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return include_name(name, type_, {})


@dataclass(frozen=True)
class Filters:
    """Restrictions on the matched documents (task filters only apply to kind 'task'). A tuple of kinds matches
    documents of any of them with no task filter at all, not even "published": for the other kinds only."""

    kind: str | tuple[str, ...] = "task"
    category: str | None = None
    setting: str | None = None
    holder: str | None = None


def _fts_quote(stem: str) -> str:
    return '"' + stem.replace('"', '""') + '"'


def _ts_quote(stem: str) -> str:
    return "'" + stem.replace("'", "''").replace("\\", "\\\\") + "'"


# The task filters on a matched document `d` (also used by kb/search/facets.py over its matched tasks).
SETTING_FILTER = ("EXISTS (SELECT 1 FROM task_setting ts JOIN setting s ON s.id = ts.setting_id"
                  " WHERE ts.task_id = d.ref_id AND s.slug = :setting)")
HOLDER_FILTER = ("EXISTS (SELECT 1 FROM task_holder th JOIN profession p ON p.id = th.profession_id"
                 " WHERE th.task_id = d.ref_id AND p.slug = :holder)")


def _where(f: Filters, sqlite: bool = False) -> tuple[list[str], dict]:
    if isinstance(f.kind, tuple):
        if "task" in f.kind:
            raise ValueError("tasks are matched alone: their filters and the published check apply to them only")
        names = [f"kind_{i}" for i in range(len(f.kind))]
        return [f"d.kind IN ({', '.join(':' + n for n in names)})"], dict(zip(names, f.kind))
    clauses, params = ["d.kind = :kind"], {"kind": f.kind}
    if f.kind == "task":
        # SQLite: the status from the narrow (id, status) index, not the wide task row, for each of thousands of hits
        task = "task t INDEXED BY ix_task_id_status" if sqlite else "task t"
        clauses.append(f"EXISTS (SELECT 1 FROM {task} WHERE t.id = d.ref_id AND t.status = 'published')")
        if f.category:
            clauses.append("d.category = :category")
            params["category"] = f.category
        if f.setting:
            clauses.append(SETTING_FILTER)
            params["setting"] = f.setting
        if f.holder:
            clauses.append(HOLDER_FILTER)
            params["holder"] = f.holder
    return clauses, params


@dataclass(frozen=True)
class MatchSql:
    """One full-text match as SQL parts, for statements built around it (kb/search/facets.py): ``FROM {source}
    WHERE {where}`` yields the matched documents as ``d``; ``score`` ranks them, best first in ``order`` ("ASC" or
    "DESC"), ties by ``d.slug`` so both engines agree; ``params`` are the statement's bound values."""

    source: str
    where: str
    params: dict
    score: str
    order: str
    postgresql: bool


def match_sql(session: Session, query: Query, filters: Filters, any_group: bool = False) -> MatchSql:
    """The match of ``query`` under ``filters`` in this session's engine (``query`` must not be empty)."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    clauses, params = _where(filters, sqlite=not postgresql)
    if postgresql:
        params["q"] = query.render(_ts_quote, "&", "|", any_group)
        source = "search_document d"
        clauses.insert(0, f"{PG_VECTOR} @@ to_tsquery('simple', :q)")
        score = (f"ts_rank('{PG_WEIGHTS}', {PG_VECTOR},"
                 " to_tsquery('simple', :q), 1)")
        order = "DESC"
    else:
        params["q"] = query.render(_fts_quote, "AND", "OR", any_group)
        # CROSS JOIN fixes SQLite's join order: the MATCH drives and each hit looks up its document by rowid.
        # With a plain JOIN and no ANALYZE statistics, SQLite scanned search_document by kind and ran the MATCH once
        # per row (seconds on a 50,000-task catalogue; docs/benchmark.md).
        # INDEXED BY: each hit reads kind/ref_id/slug/category from a narrow covering index, not the wide row with
        # its token columns (a common word's 8,000 hits: 43 → 32 ms; docs/benchmark.md).
        source = f"{FTS_TABLE} CROSS JOIN search_document d INDEXED BY ix_search_document_hit ON d.id = {FTS_TABLE}.rowid"
        clauses.insert(0, f"{FTS_TABLE} MATCH :q")
        score = f"bm25({FTS_TABLE}, {', '.join(map(str, BM25_WEIGHTS))})"
        order = "ASC"
    return MatchSql(source, " AND ".join(clauses), params, score, order, postgresql)


def match(session: Session, query: Query, filters: Filters, limit: int | None = None, offset: int = 0,
          any_group: bool = False) -> tuple[list[tuple[int, float]], int]:
    """(ref_id, score) best first, and the number of matches. Ties go by slug so both engines agree."""
    if not query:
        return [], 0
    sql = match_sql(session, query, filters, any_group)
    source, where, params = sql.source, sql.where, sql.params
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    result = session.execute(sa.text(
        f"SELECT d.ref_id, {sql.score} AS score FROM {source} WHERE {where} ORDER BY score {sql.order}, d.slug{page}"),
        params)
    # Plain tuples from the driver: SQLAlchemy's per-row processing cost as much as the query itself for a common
    # word's 8,000 hits (docs/benchmark.md); two numeric columns need none of it.
    rows = result.cursor.fetchall()
    result.close()
    # The full-text match is the expensive part: count separately only when the page does not already tell
    # (all rows fetched, or a last page that is not empty).
    if limit is None:
        return rows, len(rows)
    if len(rows) < limit and (rows or offset == 0):
        return rows, offset + len(rows)
    total = session.execute(sa.text(f"SELECT count(*) FROM {source} WHERE {where}"), params).scalar() or 0
    return rows, total


def rebuild(session: Session) -> None:
    """Bring the engine's own index in line with search_document (FTS5 external content needs a rebuild)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sa.text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))

