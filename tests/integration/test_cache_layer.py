"""One cache layer (issue 18, architecture review § 4): every cache declared in kb/caches.py and kept under the
knowledge token — the search vocabulary too —, built once per key, today's answers never evicted by other dates,
and ORM statements that bypass the unit of work still change the token."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb import knowledge_state
from kb import models as m
from kb.caches import FAMILIES
from kb.extensions import db
from kb.knowledge_state import cached, current_token

KB = Path(__file__).resolve().parents[2] / "kb"
WORD = "zebrafinkeopgave"  # in no seed text


def _has_word(app) -> bool:
    from kb.search.index import snapshot

    with app.app_context():
        return WORD in snapshot(db.session).vocabulary.words


def _add_task_with_the_word(session: Session) -> None:
    from kb.search.query import reindex

    session.add(m.Task(slug="zebrafinke", title=f"Fodre {WORD}", category="clinical", description=WORD))
    session.flush()
    reindex(session)


def test_a_rolled_back_reindex_never_leaves_its_vocabulary_looking_current(app):
    """Review § 4.3.3: process A reindexed inside a transaction, took the vocabulary and rolled back; process B then
    committed its reindex, whose generation number equalled A's, so A's cache matched and kept a word that is in no
    committed document. Here A is this process and B a real second one (`kb seed` publishes and reindexes)."""
    from kb.search.index import snapshot

    assert not _has_word(app)
    with app.app_context():
        with Session(db.engine) as a:  # process A: its own transaction
            _add_task_with_the_word(a)
            assert WORD in snapshot(a).vocabulary.words  # A sees its own uncommitted index …
            a.rollback()
        url = db.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "KB_DATABASE_URL": url, "KB_SECRET_KEY": "test"}
    seeded = subprocess.run([str(Path(sys.executable).parent / "kb"), "seed"], env=env, capture_output=True,
                            text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr[-2000:]  # process B reindexed the committed data and committed
    assert not _has_word(app)  # … and nobody is served A's rolled-back word afterwards


def test_the_vocabulary_follows_a_restore_without_a_restart(app, tmp_path):
    runner = app.test_cli_runner()
    backup = tmp_path / "foer.json.gz"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    with app.app_context():
        _add_task_with_the_word(db.session)
        db.session.commit()
    assert _has_word(app)
    assert runner.invoke(args=["restore", "--replace", str(backup)]).exit_code == 0
    assert not _has_word(app)


def test_every_cache_is_a_declared_family():
    """Each call of the cache layer names a family of kb/caches.py; an undeclared one is refused."""
    used: set[str] = set()
    for path in KB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "cached":
                family = node.args[1] if len(node.args) > 1 else None
                if isinstance(family, ast.Constant):
                    used.add(family.value)
                else:  # today's family or its ".dated" twin (kb.whomay.service.kept_family)
                    assert isinstance(family, ast.Call) and family.func.id == "kept_family", ast.dump(node)
                    used |= {family.args[0].value, family.args[0].value + ".dated"}
    assert used and used <= set(FAMILIES), used - set(FAMILIES)
    assert used == set(FAMILIES)  # and nothing is declared that nothing uses
    with pytest.raises(KeyError, match="not declared"):
        knowledge_state.cached(None, "no.such.family", "x", lambda: 1)


def test_a_missing_value_is_built_once_however_many_ask_at_once(app):
    knowledge_state.clear()
    builds: list[int] = []
    results: list[object] = []
    start = threading.Barrier(4)

    def build():
        builds.append(1)
        time.sleep(0.3)  # long enough that the other three ask while this build runs
        return ("shortlist",)

    def ask():
        with app.app_context():
            start.wait()
            results.append(cached(db.session, "whomay.shortlist", "sygeplejerske|single-flight", build))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == [("shortlist",)] * 4
    assert builds == [1]


def test_walking_dates_does_not_evict_todays_shortlist(app):
    from kb.whomay.facts import make_context
    from kb.whomay.service import shiftable_for

    knowledge_state.clear()
    with app.app_context():
        today = shiftable_for("sygeplejerske", make_context())
        for days in range(1, 8):  # a client asking for one date after another
            other = shiftable_for("sygeplejerske", make_context(on=date.today() + timedelta(days=days)))
            assert other is not None
        again = shiftable_for("sygeplejerske", make_context())
    assert again.shortlist is today.shortlist  # the same cached value: it was not rebuilt
    assert isinstance(today.shortlist, tuple)  # and shared values are immutable


def test_an_orm_update_statement_changes_the_token(app):
    """Review § 4.3.2: `session.execute(update(...))` bypasses the flush that marks knowledge changes."""
    from kb.whomay.facts import load_catalogue

    with app.app_context():
        token = current_token(db.session)
        assert load_catalogue().knowledge.profession_name("portoer") == "Portør"
        db.session.execute(sa.update(m.Profession).where(m.Profession.slug == "portoer").values(name="Portør (ny)"))
        db.session.commit()
    with app.app_context():
        assert current_token(db.session) != token
        assert load_catalogue().knowledge.profession_name("portoer") == "Portør (ny)"
