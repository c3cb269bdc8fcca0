"""The search page's facets and pages by SQL (kb/search/facets.py, issue 20 part 2), on both backends: the counts
equal a count made here from the task, task_setting and task_holder tables; pages are disjoint and together the
whole match in order; the any-word fallback is decided on the match before any facet; a page past the last shows
the last; and serving a page does not fetch every match (rows counted at the SQLite driver)."""
from __future__ import annotations

import re
import sqlite3
from collections import Counter

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from kb.models.task import task_holder, task_setting
from kb.search.facets import find
from kb.search.query import reindex, search_tasks
from kb.whomay.facts import make_context
from kb.whomay.service import verdicts_for
from tests.plugins.database import dispose, new_app

SSA = "social-og-sundhedsassistent"
NOTHING = {"category": None, "setting": None, "holder": None, "verdict": None}


def _values(ids: list[int]) -> dict[int, dict[str, set]]:
    """Each task's category, setting slugs and holder slugs, read from the tables (not from the search index)."""
    values = {i: {"category": {c}, "setting": set(), "holder": set()} for i, c in db.session.execute(
        sa.select(m.Task.id, m.Task.category).where(m.Task.id.in_(ids)))}
    for facet, link, model, column in (("setting", task_setting, m.Setting, "setting_id"),
                                       ("holder", task_holder, m.Profession, "profession_id")):
        for task_id, slug in db.session.execute(sa.select(link.c.task_id, model.slug).join(
                model, model.id == link.c[column]).where(link.c.task_id.in_(ids))):
            values[task_id][facet].add(slug)
    return values


def _expected(q: str, chosen: dict, verdicts: dict | None = None) -> tuple[list[int], dict[str, Counter]]:
    """The tasks passing every chosen facet (best first) and each facet's counts among tasks passing the others,
    counted here. The match itself is search_tasks' (every word, else any word), the search the page pages."""
    ids, _ = search_tasks(q, limit=None)
    values = _values(ids)
    if verdicts is not None:
        ids = [i for i in ids if i in verdicts]
        for i in ids:
            values[i]["verdict"] = {verdicts[i].value}
    facets = [f for f in ("category", "setting", "holder", "verdict") if f != "verdict" or verdicts is not None]

    def passes(i, skip=None) -> bool:
        return all(v in values[i][f] for f, v in chosen.items() if v and f != skip and f in facets)

    counts = {f: Counter(x for i in ids if passes(i, f) for x in values[i][f]) for f in facets}
    return [i for i in ids if passes(i)], counts


def _combinations(q: str) -> list[dict]:
    """Chosen-facet combinations for ``q`` built from its own most common values (and one value nothing has)."""
    _, counts = _expected(q, {})
    top = {f: counts[f].most_common(1)[0][0] for f in ("category", "setting", "holder")}
    second = {f: (counts[f].most_common(2)[1:] or counts[f].most_common(1))[0][0] for f in ("setting", "holder")}
    return [{}, {"category": top["category"]}, {"setting": top["setting"]}, {"holder": second["holder"]},
            {"category": top["category"], "setting": second["setting"]},
            {"setting": top["setting"], "holder": top["holder"]},
            {"category": top["category"], "setting": top["setting"], "holder": top["holder"]},
            {"setting": "findes-ikke"}]


@pytest.mark.parametrize("q", ["sygeplejerske", "medicin", "patient", "medicin sygeplejerske"])
def test_facet_counts_equal_a_count_from_the_tables(app, q):
    with app.app_context():
        for combination in _combinations(q):
            chosen = {**NOTHING, **combination}
            shown, counts = _expected(q, combination)
            found = find(q, dict(chosen), None, False, 1, 20)
            assert found.total == len(shown), combination
            assert found.shown == shown[:20], combination
            for facet in ("category", "setting", "holder"):
                assert dict(found.counts[facet]) == dict(counts[facet]), (combination, facet)
            assert not found.counts["verdict"] and found.verdicts == {}
        assert found.total == 0 and found.counts["setting"]  # the unknown setting: no task, other settings counted


def test_equal_counts_are_listed_by_value(app):
    """Both engines list a facet's values by count, then by value (a page is the same whichever engine grouped)."""
    with app.app_context():
        found = find("sygeplejerske", dict(NOTHING), None, False)
        for counter in found.counts.values():
            listed = counter.most_common()
            assert listed == sorted(listed, key=lambda kv: (-kv[1], kv[0]))
        assert len(found.counts["holder"]) > 3


@pytest.mark.parametrize("chosen", [{}, {"category": "clinical"}, {"holder": "sygeplejerske"}])
def test_pages_are_disjoint_and_together_the_match_in_order(app, chosen):
    with app.app_context():
        shown, _ = _expected("patient", chosen)
        assert len(shown) > 2 * 7
        pages, number = [], 1
        while True:
            found = find("patient", {**NOTHING, **chosen}, None, False, number, 7)
            assert found.page == number and found.total == len(shown) and found.pages == -(-len(shown) // 7)
            pages.append(found.shown)
            if number == found.pages:
                break
            number += 1
        assert all(len(p) == 7 for p in pages[:-1]) and 1 <= len(pages[-1]) <= 7
        together = [i for p in pages for i in p]
        assert len(set(together)) == len(together)  # disjoint
        assert together == shown  # and the whole match, best first (ties by slug, as search_tasks)


@pytest.mark.parametrize("page", [4, 999, 10 ** 30])
def test_a_page_past_the_last_shows_the_last(app, page):
    with app.app_context():
        shown, _ = _expected("medicin", {})
        last = -(-len(shown) // 20)
        assert last >= 2
        found = find("medicin", dict(NOTHING), None, False, page, 20)
        assert (found.page, found.pages) == (last, last)
        assert found.shown == shown[(last - 1) * 20:]


def test_the_page_clamps_page_numbers_and_links_the_pages(client, app):
    with app.app_context():
        last = -(-len(_expected("medicin", {})[0]) // 20)
    for page in ("999", "-3", "abc", str(10 ** 40)):
        html = client.get("/search", query_string={"q": "medicin", "page": page}).get_data(as_text=True)
        number = last if page in ("999", str(10 ** 40)) else 1
        assert f"Side {number} af {last}" in html, page
        assert f'<ol class="results" start="{(number - 1) * 20 + 1}">' in html
    html = client.get("/search", query_string={"q": "medicin", "page": "2"}, headers={"HX-Request": "true"}
                      ).get_data(as_text=True)
    assert "<html" not in html and "/search?q=medicin&amp;page=1" in html


def test_any_word_fallback_and_it_is_decided_before_the_facets(app):
    with app.app_context():
        one, _ = search_tasks("blodprøve", limit=None)
        found = find("blodprøve xylofonorkester", dict(NOTHING), None, False)
        assert found.total == len(one) >= 2 and found.shown == one[:20]
        # Every word finds a few tasks; a category only the any-word match has shows none of them (as before):
        # the fallback is for words that find nothing, not for facets that leave nothing.
        every, every_counts = _expected("blodprøve bioanalytiker", {})
        any_word = {c for w in ("blodprøve", "bioanalytiker") for c in _expected(w, {})[1]["category"]}
        only_any = sorted(any_word - set(every_counts["category"]))
        assert every and only_any
        found = find("blodprøve bioanalytiker", {**NOTHING, "category": only_any[0]}, None, False)
        assert found.total == 0 and found.shown == []
        assert dict(found.counts["category"]) == dict(every_counts["category"])


def test_verdict_facet_counts_equal_the_engines_verdicts(app):
    """With a profession: the verdict facet counts among tasks passing the other facets, and a chosen verdict
    narrows the others' counts, as counted here from the engine's verdicts for every matched task."""
    with app.app_context():
        ids, _ = search_tasks("medicin", limit=None)
        for combination in ({}, {"verdict": "not_allowed"}, {"verdict": "delegation", "category": "clinical"},
                            {"setting": "sygehus"}, {"setting": "sygehus", "verdict": "independent"}):
            verdicts = verdicts_for(ids, SSA, make_context(combination.get("setting")))
            shown, counts = _expected("medicin", combination, verdicts)
            found = find("medicin", {**NOTHING, **combination}, SSA, False)
            assert found.profession == SSA
            assert found.total == len(shown) and found.shown == shown[:20], combination
            assert {f: dict(c) for f, c in found.counts.items()} == {f: dict(c) for f, c in counts.items()}
            assert found.verdicts == {i: verdicts[i] for i in shown[:20]}
        assert len(counts["verdict"]) >= 2


def test_verdict_is_dropped_without_a_known_profession(app):
    with app.app_context():
        for profession in (None, "ingen-saadan-faggruppe"):
            chosen = {**NOTHING, "verdict": "not_allowed"}
            found = find("medicin", chosen, profession, False)
            assert found.profession is None and chosen["verdict"] is None and found.verdicts == {}
            assert found.total == len(search_tasks("medicin", limit=None)[0]) and not found.counts["verdict"]
        found = find("!!!", dict(NOTHING), "ingen-saadan-faggruppe", False)
        assert found.profession is None and found.total == 0


# -- no fetching of every match ---------------------------------------------------------------------------------

class _CountingCursor(sqlite3.Cursor):
    """Counts the rows the SQLite driver hands to Python (instrumentation: the queries run unchanged)."""

    fetched = 0

    def fetchall(self):
        rows = super().fetchall()
        _CountingCursor.fetched += len(rows)
        return rows

    def fetchmany(self, *args):
        rows = super().fetchmany(*args)
        _CountingCursor.fetched += len(rows)
        return rows

    def fetchone(self):
        row = super().fetchone()
        _CountingCursor.fetched += row is not None
        return row

    def __next__(self):
        row = super().__next__()
        _CountingCursor.fetched += 1
        return row


class _CountingConnection(sqlite3.Connection):
    def cursor(self, factory=_CountingCursor):
        return super().cursor(factory)


def _add_matching_tasks(start: int, count: int) -> None:
    """``count`` published tasks that all match *kvælstofbad*, alike in category, settings and holders."""
    nurse = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "sygeplejerske"))
    setting = db.session.scalar(sa.select(m.Setting).order_by(m.Setting.slug).limit(1))
    for i in range(start, start + count):
        db.session.add(m.Task(slug=f"kvaelstofbad-{i:04d}", title=f"Kvælstofbad nummer {i}", category="clinical",
                              description="Et kvælstofbad.", holders=[nurse], settings=[setting]))
    db.session.commit()
    reindex(db.session)
    db.session.commit()


@pytest.mark.only_backend("sqlite")
def test_a_page_fetches_the_same_rows_whether_40_or_300_tasks_match(databases, seeded_template):
    url = databases.clone(seeded_template)
    app = new_app(url, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"factory": _CountingConnection}})
    client = app.test_client()
    try:
        fetched = {}
        for start, count in ((0, 40), (40, 260)):  # page 2 is full both times
            with app.app_context():
                _add_matching_tasks(start, count)
            path = "/search?q=kvælstofbad&page=2"
            assert client.get(path).status_code == 200  # per-process caches (vocabulary, catalogue) load here
            _CountingCursor.fetched = 0
            html = client.get(path).get_data(as_text=True)
            fetched[start + count] = _CountingCursor.fetched
            assert re.search(rf"{start + count} opgaver matcher", html) and "kvaelstofbad-" in html
        assert fetched[300] == fetched[40] < 300, fetched
    finally:
        dispose(app)
        databases.drop(url)


@pytest.mark.only_backend("sqlite")
def test_the_facet_statement_runs_the_match_once_and_the_hits_drive(app):
    """EXPLAIN QUERY PLAN of the statement find() runs: one full-text scan, and each link table is searched per hit,
    never scanned whole (grouping settings by id let SQLite scan all of task_setting: 2.5× slower on the bench DB)."""
    statements = []
    with app.app_context():
        def keep(conn, cursor, statement, parameters, *args):
            statements.append((statement, parameters))

        sa.event.listen(db.engine, "before_cursor_execute", keep)
        try:
            find("sygeplejerske", {**NOTHING, "setting": "sygehus"}, None, False)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", keep)
        statement, parameters = next((s, p) for s, p in statements if "WITH hits AS MATERIALIZED" in s
                                     and "'setting'" in s)
        plan = [row[3] for row in db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                                          parameters)]
    assert sum("search_fts VIRTUAL TABLE" in step for step in plan) == 1, plan
    assert not [step for step in plan if re.match(r"SCAN (cts|cth|ts|th)\b", step)], plan
    assert any(re.match(r"SEARCH cts USING .*\(task_id=\?", step) for step in plan), plan
