"""`kb backup` / `kb restore`: a round trip gives identical data, history and users included; a bad file or a row the
database refuses changes nothing."""
from __future__ import annotations

import gzip
import io
import json
from datetime import datetime

import pytest
import sqlalchemy as sa

from kb.app import create_app
from kb import models as m
from kb.backup.archive import dump, read, rows_for, write
from kb.extensions import db
from tests.helpers import login
from tests.plugins.database import config_for, dispose
from tests.plugins.editing import action, draft_id_of, edit

TASK = "tage-venoes-blodproeve"


def _tables(app) -> dict:
    with app.app_context(), db.engine.connect() as conn:
        return dump(conn)["tables"]


def _counts(app) -> dict[str, int]:
    return {name: len(t["rows"]) for name, t in _tables(app).items()}


@pytest.fixture
def empty_database(databases):
    """A second database of the same engine, with nothing in it (no tables either)."""
    url = databases.new()
    app = create_app(config_for(url))
    yield app
    dispose(app)
    databases.drop(url)


@pytest.mark.slow  # the whole database dumped and restored
def test_backup_and_restore_round_trip_keeps_knowledge_history_users_and_plans(app, people, empty_database,
                                                                                 tmp_path):
    editor, reviewer = people["redaktoer"], people["godkender"]
    draft = draft_id_of(edit(editor, "opgave", TASK, "Sikkerhedskopi-prøve", title="Tage venøs blodprøve (backup)"))
    assert action(editor, draft, "indsend").status_code == 302
    assert action(reviewer, draft, "udgiv").status_code == 302
    with app.app_context():
        planner = db.session.scalar(sa.select(m.User).where(m.User.username == "redaktoer"))
        db.session.add(m.ShiftPlan(title="Plan før backup", owner=planner, hours_per_fte=36.5))
        db.session.commit()

    path = tmp_path / "opgavebasen.json.gz"
    result = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "Sikkerhedskopi skrevet" in result.output and path.stat().st_mode & 0o077 == 0  # owner-only

    restored = empty_database
    result = restored.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output

    original, copy = _tables(app), _tables(restored)
    # The restore writes a new knowledge token: app servers must not keep knowledge cached under the old one.
    assert copy.pop("knowledge_state")["rows"] != original.pop("knowledge_state")["rows"]
    assert copy == original  # every other table, every row, every value
    assert sum(len(t["rows"]) for t in copy.values()) > 1000
    client = restored.test_client()
    assert login(client, "godkender").status_code == 302  # the password hash came along
    history = client.get(f"/redaktion/opgave/{TASK}/historik").get_data(as_text=True)
    assert "Sikkerhedskopi-prøve" in history
    assert TASK in client.get("/search?q=backup").get_data(as_text=True)  # the search index works on the copy
    # New rows get fresh ids (PostgreSQL's sequences continue above the restored ones).
    with restored.app_context():
        db.session.add(m.ShiftPlan(title="Plan efter genindlæsning"))
        db.session.commit()


def test_restore_refuses_a_database_with_content_unless_told_and_bad_files_change_nothing(app, tmp_path):
    path = tmp_path / "kopi.json.gz"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    before = _counts(app)

    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code == 1 and "Databasen er ikke tom" in refused.output

    truncated = tmp_path / "afkortet.json.gz"
    truncated.write_bytes(path.read_bytes()[:2000])
    broken = runner.invoke(args=["restore", "--replace", str(truncated)])
    assert broken.exit_code == 1 and "kan ikke læses" in broken.output and "Intet er ændret" in broken.output

    document = json.loads(gzip.decompress(path.read_bytes()))
    users = document["tables"]["user"]
    document["tables"]["task"]["rows"] = document["tables"]["task"]["rows"][:5]  # would delete most tasks …
    users["rows"].append(list(users["rows"][0]) if users["rows"] else [None] * len(users["columns"]))
    users["rows"].append(list(users["rows"][-1]))  # … but a duplicate user id is refused late in the restore
    bad = tmp_path / "dublet.json.gz"
    bad.write_bytes(gzip.compress(json.dumps(document).encode()))
    refused_row = runner.invoke(args=["restore", "--replace", str(bad)])
    assert refused_row.exit_code == 1 and "Intet er ændret" in refused_row.output, refused_row.output

    document["schema_revision"] = "0000aaaa0000"
    other = tmp_path / "anden-version.json.gz"
    other.write_bytes(gzip.compress(json.dumps(document).encode()))
    wrong_revision = runner.invoke(args=["restore", "--replace", str(other)])
    assert wrong_revision.exit_code == 1 and "databaseversion 0000aaaa0000" in wrong_revision.output
    assert _counts(app) == before

    replaced = runner.invoke(args=["restore", "--replace", str(path)])
    assert replaced.exit_code == 0, replaced.output
    assert _counts(app) == before


def test_the_archive_encodes_dates_binary_and_json_losslessly(app):
    with app.app_context():
        user = db.session.scalar(sa.select(m.User).limit(1))
        if user is None:
            user = m.User(username="arkiv", role="editor", password_hash="x")
            db.session.add(user)
            db.session.flush()
        db.session.add(m.ImportJob(id="a" * 43, user_id=user.id, kind="task", filename="æøå.csv", format="csv",
                                   upload=bytes(range(256)), state={"nested": [1, "ø", None]}, plan={},
                                   commit_claimed=False, created_at=datetime(2026, 11, 30, 12, 34, 56, 789)))
        db.session.commit()
    buffer = io.BytesIO()
    with app.app_context(), db.engine.connect() as conn:
        write(dump(conn), buffer)
    buffer.seek(0)
    entry = read(buffer)["tables"]["import_job"]
    (row,) = rows_for(m.ImportJob.__table__, entry)
    assert row["upload"] == bytes(range(256)) and row["state"] == {"nested": [1, "ø", None]}
    assert row["created_at"].isoformat() == "2026-11-30T12:34:56.000789" and row["filename"] == "æøå.csv"
