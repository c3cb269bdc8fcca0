"""Import and export (issue 6, item 6) on SQLite and PostgreSQL: export → import is an identity in CSV and XLSX;
the dry run lists additions, changes and errors by row and column; the commit writes all into history or nothing;
roles, CSRF and file limits; the CLI with its progress; a 2,000-row import whose progress the job page shows; and
the psychiatry workshop table as a spreadsheet."""
from __future__ import annotations

import codecs
import csv
import html
import io
import re
import time
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from kb import models as m
from kb.knowledge.documents import document_of, records, to_document
from kb.extensions import db
from kb.transfer import dry_run, jobs
from kb.transfer.commit import ImportRefused, commit_import
from kb.transfer.export import TRANSFER_KINDS, export_file
from kb.transfer.cells import enc_citations
from kb.transfer.columns import header
from tests.fixtures import psychiatry_workshop as workshop
from tests.helpers import csrf_token, login, make_user, publish_document, signed_in
from tests.transfer_helpers import big_file, commit, csv_file, job_id, upload, xlsx_file

SEED_004 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_f596e58f881c8e8a.txt"


@pytest.fixture(autouse=True)
def _jobs_in_the_request(app):
    """Jobs run in the request unless a test asks for the thread."""
    app.config.update(KB_TRANSFER_BACKGROUND=False)


def stored_jobs(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(m.ImportJob))


def page(client, job: str) -> str:
    return html.unescape(client.get(f"/overfoersel/koersel?id={job}").get_data(as_text=True))


def errors_on(text: str) -> set[tuple[int, str]]:
    return {(int(r), c) for r, c in re.findall(r'data-row="(\d+)" data-column="([^"]+)"', text)}


def snapshot(app, kind: str = "task") -> dict:
    with app.app_context():
        return {slug: to_document(kind, r) for slug, r in records(db.session, kind).items()}


def counts(app) -> dict:
    with app.app_context():
        return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                for model in (m.Task, m.Profession, m.Competence, m.Rule, m.Revision, m.AuditEvent)}


def requirements(doc: dict) -> str:
    """A task's requirements as the README says to write them (competence:level[:complexity]; …)."""
    return "; ".join(":".join(x for x in (r["competence"], r["level"], r["complexity"]) if x)
                     for r in doc["requirements"])


# -- export → import is an identity ----------------------------------------------------------------------------

# The whole catalogue out and in again: CSV on every quick run, XLSX (the same rows through openpyxl) in `make test`.
BOTH_FORMATS = ["csv", pytest.param("xlsx", marks=pytest.mark.slow)]


@pytest.mark.parametrize("fmt", BOTH_FORMATS)
def test_export_then_import_is_an_identity(app, fmt):
    reviewer = signed_in(app, "reviewer")
    before_counts = counts(app)
    for kind in TRANSFER_KINDS:
        before = snapshot(app, kind)
        response = reviewer.get(f"/overfoersel/eksport?kind={kind}&format={fmt}")
        assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        data = response.data
        if fmt == "csv":
            assert data.startswith(codecs.BOM_UTF8) and response.mimetype == "text/csv"
            assert data[3:].split(b"\r\n")[0].decode() == ";".join(header(kind))  # semicolons for Danish Excel
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(data)).active
            assert [c.value for c in sheet[1]] == header(kind) and sheet.max_row == len(before) + 1
        with app.app_context():
            plan = dry_run.plan_import(db.session, kind, f"export.{fmt}", data)
            assert plan.ok, plan.errors[:5]
            assert (len(plan.additions), len(plan.changes), plan.unchanged) == (0, 0, len(before))
            result = commit_import(db.session, kind, f"export.{fmt}", data, reason="identitet", user_id=None)
            assert (result.created, result.changed) == (0, 0)
        assert snapshot(app, kind) == before, kind
    assert counts(app) == before_counts  # no revision, no audit event: nothing happened
    exported = reviewer.get(f"/overfoersel/eksport?kind=task&format={fmt}").data
    text = page(reviewer, job_id(upload(reviewer, "task", f"opgaver.{fmt}", exported)))
    assert "0 nye" in text and "0 ændrede" in text and "Filen ændrer ingenting." in text


AWKWARD = "=HYPERLINK(\"http://x\")\r\nlinje 2; med | og \\ og _x000D_ og \ttab og \x01styretegn"


@pytest.mark.slow  # three kinds of the catalogue out and in
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_awkward_values_survive_the_round_trip(app, fmt):
    """Formula-like starts, separators, backslashes, line breaks and control characters come back unchanged."""
    with app.app_context():
        task = document_of(db.session, "task", "tage-venoes-blodproeve")
        task.update(title="@Tricky titel", title_en="'=allerede citeret", description=AWKWARD,
                    terms=["-minus", "a;b", "c|d", "back\\slash", "+plus", "'"], tags=["''x"])
        task["sources"][0]["note"] = "note; med | og \\ og\nny linje"
        task["evidence"][0]["summary"] = "- resumé | med pipe\nog linje"
        publish_document(db.session, "task", task)
        profession = document_of(db.session, "profession", "sygeplejerske")
        profession.update(description="-5 % " + AWKWARD, register_code="0101")
        profession["shortage"][0].update(value=12.5, year=None, note="a | b; c")
        publish_document(db.session, "profession", profession)
        rule = document_of(db.session, "rule", db.session.scalar(sa.select(m.Rule.slug).order_by(m.Rule.id)))
        rule.update(conditions=["første; med semikolon", "=anden"], note="+note")
        publish_document(db.session, "rule", rule)
        db.session.commit()
        for kind in ("task", "profession", "rule"):
            before = snapshot(app, kind)
            data = export_file(db.session, kind, fmt)
            plan = dry_run.plan_import(db.session, kind, f"x.{fmt}", data)
            assert plan.ok and not plan.changes and not plan.additions, (kind, plan.errors, plan.summary()["changes"])
            commit_import(db.session, kind, f"x.{fmt}", data, reason="identitet", user_id=None)
            assert snapshot(app, kind) == before
        data = export_file(db.session, "task", fmt)
    if fmt == "csv":  # Excel would run these as formulas: written with an apostrophe, read back without
        row = next(r for r in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
                   if r[0] == "tage-venoes-blodproeve")
        assert row[1] == "'@Tricky titel" and row[2] == "''=allerede citeret" and row[4].startswith("'=HYPERLINK")
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        cell = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "tage-venoes-blodproeve")[4]
        assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # text, not a formula


# -- the dry run ---------------------------------------------------------------------------------------------

def test_dry_run_lists_additions_changes_and_errors_by_row_and_column(app):
    editor = signed_in(app, "editor")
    before = snapshot(app)
    sources = {s: enc_citations(before[s]["sources"]) for s in ("tage-venoes-blodproeve", "skrive-epikrise",
                                                                 "optage-ekg-psykiatri")}
    blood = before["tage-venoes-blodproeve"]
    rows = [
        ["slug", "title", "category", "holders", "sources"],
        ["tage-venoes-blodproeve", "Tage venøs blodprøve (importeret)", "clinical", "; ".join(blood["holders"]),
         sources["tage-venoes-blodproeve"]],                                                         # 2: change
        ["ny-importeret-opgave", "Ny importeret opgave", "clinical", "sygeplejerske", "seed-004:1362-1365"],  # 3
        [],                                                                                          # 4: empty
        ["skrive-epikrise", "Skrive epikrise", "coordination", "laege; findes-ikke", sources["skrive-epikrise"]],
        ["daarlig-kilde", "Dårlig kilde", "clinical", "", "seed-004:abc"],                          # 6
        ["Forkert Slug", "Forkert slug", "clinical", "", "seed-004:1-2"],                           # 7
        ["tage-venoes-blodproeve", "To gange", "clinical", "", "seed-004:1-2"],                     # 8
        ["optage-ekg-psykiatri", "Optage EKG", "kirurgisk", "speciallaege", sources["optage-ekg-psykiatri"]],
    ]
    response = upload(editor, "task", "rettelser.xlsx", xlsx_file(rows))
    assert response.status_code == 303
    text = page(editor, job_id(response))
    assert errors_on(text) == {(5, "holders"), (6, "sources"), (7, "slug"), (8, "slug"), (9, "category")}
    assert "ukendt profession 'findes-ikke'" in text and "står også i række 2" in text
    assert "'seed-004:abc' skal have linjer som dokument:fra-til" in text
    assert 'data-slug="tage-venoes-blodproeve" data-field="title"' in text
    assert "Tage venøs blodprøve (importeret)" in text and "<del>Tage venøs blodprøve</del>" in text
    assert 'data-slug="ny-importeret-opgave"' in text and "1 nye" in text and "1 ændrede" in text
    assert "Indlæs" not in text and "indlaes" not in text  # errors, and an editor: no commit form
    assert snapshot(app) == before


def test_bad_files_get_clear_errors_never_a_500(app):
    editor = signed_in(app, "editor")
    refused = {
        "opgaver.txt": (b"slug;title\n", "Filtypen understøttes ikke"),
        "billede.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ikke en tekstfil"),
        "latin1.csv": ("slug;title\nx;Blodprøve\n".encode("cp1252"), "ikke UTF-8"),
        "tom.csv": (b"", "Filen er tom"),
        "ikke-zip.xlsx": (b"slug;title\n", "ikke en gyldig .xlsx-fil"),
        "for-stor.csv": (b"slug;title\n" + b"x" * (5 * 1024 * 1024), "for stor"),
    }
    for name, (data, message) in refused.items():
        response = upload(editor, "task", name, data)
        assert response.status_code == 400, name
        assert message in html.unescape(response.get_data(as_text=True)), name
    unknown_kind = upload(editor, "uddannelse", "x.csv", b"slug\nx\n")
    assert unknown_kind.status_code == 400
    assert "Vælg opgaver, faggrupper, kompetencer eller regler." in html.unescape(unknown_kind.get_data(as_text=True))
    huge = upload(editor, "task", "meget-stor.csv", b"x" * (6 * 1024 * 1024))
    assert huge.status_code == 413 and "Filen er for stor (højst 5 MB)" in html.unescape(huge.get_data(as_text=True))
    assert stored_jobs(app) == 0  # none of them was kept

    def dry_run(kind, name, data) -> str:
        response = upload(editor, kind, name, data)
        assert response.status_code == 303, name
        return page(editor, job_id(response))

    text = dry_run("task", "overskrift.csv", csv_file([["slug", "titel", "foo"], ["x", "y", "z"]]))
    assert "Ukendte kolonner: titel, foo" in text and "Filen kan ikke læses" in text
    with app.app_context():  # a professions file uploaded as tasks: say what it looks like
        data = export_file(db.session, "profession", "csv")
    assert "Filen ligner faggrupper" in dry_run("task", "faggrupper.csv", data)
    assert "Kolonnen 'slug' mangler" in dry_run("task", "uden-slug.csv", csv_file([["title"], ["x"]]))
    formula = xlsx_file([["slug", "title"], ["tage-venoes-blodproeve", "=1+2"]])
    text = dry_run("task", "formel.xlsx", formula)
    assert (2, "title") in errors_on(text) and "formel" in text


# -- the commit ----------------------------------------------------------------------------------------------

def test_commit_writes_everything_into_history_with_the_reason(app):
    reviewer = signed_in(app, "reviewer", "godkender")
    before, before_counts = snapshot(app), counts(app)
    rows = [["slug", "title", "category", "holders", "requirements", "sources", "evidence"]]
    for slug in ("tage-venoes-blodproeve", "skrive-epikrise"):
        doc = before[slug]
        rows.append([slug, doc["title"] + " (rettet)", doc["category"], "; ".join(doc["holders"]),
                     requirements(doc), enc_citations(doc["sources"]), ""])
    rows.append(["bestille-hjaelpemidler-psykiatri", "Bestille hjælpemidler til kvaksalverkoncerten", "administrative",
                 "sygeplejerske", "hygiejne-basis:required:complex", "seed-004:1444-1446 — workshoppen",
                 "sekretaer | sygeplejerske | proposal | Sekretærer kan bestille. | seed-004:1444-1446"])
    response = upload(reviewer, "task", "rettelser.csv", csv_file(rows))
    job = job_id(response)
    text = page(reviewer, job)
    assert "1 nye" in text and "2 ændrede" in text and "Begrundelse" in text
    assert commit(reviewer, job, reason="").status_code == 400  # the reason is required
    assert counts(app) == before_counts
    assert commit(reviewer, job, reason="Titler rettet efter workshop").status_code == 303
    assert "Importen er indlæst: 1 nye, 2 ændrede" in page(reviewer, job)
    after = snapshot(app)
    assert after["tage-venoes-blodproeve"]["title"] == before["tage-venoes-blodproeve"]["title"] + " (rettet)"
    assert after["skrive-epikrise"]["evidence"] == []  # the evidence column was in the file, and empty
    new = after["bestille-hjaelpemidler-psykiatri"]
    assert new["requirements"] == [{"competence": "hygiejne-basis", "level": "required", "complexity": "complex"}]
    assert new["evidence"][0]["taker"] == "sekretaer" and new["sources"][0]["note"] == "workshoppen"
    with app.app_context():
        user = db.session.scalar(sa.select(m.User).where(m.User.username == "godkender"))
        revisions = db.session.scalars(
            sa.select(m.Revision).where(m.Revision.reason == "Titler rettet efter workshop")).all()
        assert {r.entity_slug for r in revisions} == {"tage-venoes-blodproeve", "skrive-epikrise",
                                                      "bestille-hjaelpemidler-psykiatri"}
        assert all(r.author_id == r.reviewer_id == user.id and r.review_comment == "import rettelser.csv"
                   and r.status == "published" for r in revisions)
        baseline = db.session.scalar(sa.select(m.Revision).where(m.Revision.entity_slug == "skrive-epikrise")
                                     .order_by(m.Revision.id))
        assert baseline.data == before["skrive-epikrise"]  # the state before the import is history too
        audit = db.session.scalar(sa.select(m.AuditEvent).where(m.AuditEvent.action == "import"))
        assert audit.user_id == user.id and audit.data["created"] == ["bestille-hjaelpemidler-psykiatri"]
    assert reviewer.get("/api/v1/tasks/bestille-hjaelpemidler-psykiatri").get_json()["holders"] == ["sygeplejerske"]
    assert "bestille-hjaelpemidler-psykiatri" in reviewer.get("/search?q=kvaksalverkoncerten").get_data(as_text=True)


def test_one_bad_row_writes_nothing(app):
    reviewer = signed_in(app, "reviewer")
    before, before_counts = snapshot(app), counts(app)
    slugs = sorted(before)[:30]
    rows = [["slug", "title", "requirements"]]
    for slug in slugs:
        rows.append([slug, before[slug]["title"] + " (ny)", requirements(before[slug])])
    rows[16][2] = "findes-ikke-kompetence:required"
    data = csv_file(rows)
    text = page(reviewer, job_id(upload(reviewer, "task", "tredive.csv", data)))
    assert errors_on(text) == {(17, "requirements")} and "ukendt competence 'findes-ikke-kompetence'" in text
    assert "Indlæs" not in text
    job = job_id(upload(reviewer, "task", "tredive.csv", data))
    response = reviewer.post(f"/overfoersel/koersel/indlaes?id={job}",
                             data={"csrf_token": csrf_token(reviewer, "/overfoersel/"), "reason": "Forsøg"})
    assert response.status_code == 302  # refused: the dry run has errors
    with app.app_context(), pytest.raises(ImportRefused) as refused:
        commit_import(db.session, "task", "tredive.csv", data, reason="Forsøg", user_id=None)
    assert [(e.row, e.column) for e in refused.value.plan.errors] == [(17, "requirements")]
    assert snapshot(app) == before and counts(app) == before_counts

    rows[16][2] = requirements(before[slugs[15]])  # the row fixed: now a failure while writing history

    def fail_midway(step, done, total):
        if step == "history" and done:
            raise RuntimeError("disken er fuld")

    with app.app_context(), pytest.raises(RuntimeError):
        commit_import(db.session, "task", "tredive.csv", csv_file(rows), reason="Forsøg", user_id=None,
                              progress=fail_midway)
    assert snapshot(app) == before and counts(app) == before_counts  # written, then rolled back


def test_a_record_changed_after_the_dry_run_stops_the_commit(app):
    reviewer = signed_in(app, "reviewer")
    doc = snapshot(app)["optage-ekg-psykiatri"]
    data = csv_file([["slug", "title"], [doc["slug"], "Optage EKG (import)"]])
    job = job_id(upload(reviewer, "task", "ekg.csv", data))
    with app.app_context():  # meanwhile an editor's change is published
        db.session.scalar(sa.select(m.Task).where(m.Task.slug == doc["slug"])).title = "Optage EKG (redaktør)"
        db.session.commit()
    assert commit(reviewer, job).status_code == 303
    text = page(reviewer, job)
    assert "ændret af en anden efter tørkørslen: optage-ekg-psykiatri" in text
    assert snapshot(app)["optage-ekg-psykiatri"]["title"] == "Optage EKG (redaktør)"


def test_new_professions_may_name_a_new_parent_in_the_same_file(app):
    """References inside the file resolve, whatever the order of the rows (written parents first)."""
    head = ["slug", "name", "parent", "authorised", "title_protected", "has_reserved_area", "education_level"]
    rows = [head,
            ["akutsygeplejerske-import", "Akutsygeplejerske", "specialsygeplejerske-import", "ja", "ja", "nej", "5"],
            ["specialsygeplejerske-import", "Specialsygeplejerske (import)", "sygeplejerske", "ja", "ja", "ja", "5"],
            ["ukendt-forælder", "X", "", "maaske", "ja", "nej", "fem"],
            ["ukendt-foraelder", "Y", "findes-ikke", "ja", "ja", "nej", "3"]]
    with app.app_context():
        plan = dry_run.plan_import(db.session, "profession", "faggrupper.csv", csv_file(rows))
        assert {(e.row, e.column) for e in plan.errors} == {(4, "slug"), (4, "authorised"), (4, "education_level"),
                                                              (5, "parent")}
        data = csv_file(rows[:3])
        result = commit_import(db.session, "profession", "faggrupper.csv", data, reason="Nye", user_id=None)
        assert result.created == 2
        child = document_of(db.session, "profession", "akutsygeplejerske-import")
        assert child["parent"] == "specialsygeplejerske-import" and child["authorised"] is True
        assert document_of(db.session, "profession", "specialsygeplejerske-import")["parent"] == "sygeplejerske"


# -- who may, CSRF -------------------------------------------------------------------------------------------

def test_editors_dry_run_reviewers_commit_others_are_kept_out(app, client):
    assert client.get("/overfoersel/").headers["Location"].startswith("/login")
    assert client.get("/overfoersel/eksport?kind=task&format=csv").headers["Location"].startswith("/login")
    response = client.post("/overfoersel/import", data={"csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    huge = client.post("/overfoersel/import", data={"file": (io.BytesIO(b"x" * (6 * 1024 * 1024)), "x.csv")})
    assert huge.status_code == 413 and "Lav tørkørsel" not in huge.get_data(as_text=True)
    assert signed_in(app, "reader").get("/overfoersel/").status_code == 403
    before = counts(app)
    editor = signed_in(app, "editor")
    assert editor.get("/overfoersel/eksport?kind=rule&format=xlsx").status_code == 200
    job = job_id(upload(editor, "task", "ekg.csv", csv_file([["slug", "title"], ["optage-ekg-psykiatri", "EKG"]])))
    text = page(editor, job)
    assert "1 ændrede" in text and "En godkender eller administrator kan indlæse den." in text
    token = csrf_token(editor, "/overfoersel/")
    assert editor.post(f"/overfoersel/koersel/indlaes?id={job}",
                       data={"csrf_token": token, "reason": "Jeg prøver"}).status_code == 403
    other = signed_in(app, "reviewer")  # someone else's job does not exist for them
    assert other.get(f"/overfoersel/koersel?id={job}").status_code == 302
    assert other.get("/overfoersel/koersel?id=../../secret_key").status_code == 302
    assert commit(other, job_id(upload(other, "task", "x.csv", csv_file([["slug"], ["optage-ekg-psykiatri"]])))
                  ).status_code == 302  # nothing to write: no commit
    assert other.post(f"/overfoersel/koersel/indlaes?id={job}",
                      data={"csrf_token": csrf_token(other, "/overfoersel/"), "reason": "x"}).status_code == 302
    after = counts(app)  # logins are audited; nothing else was written
    del after["AuditEvent"], before["AuditEvent"]
    assert after == before
    with app.app_context():
        assert not db.session.scalar(sa.select(sa.func.count()).where(m.AuditEvent.action == "import"))


def test_csrf_is_enforced_on_upload_and_commit(app):
    reviewer = signed_in(app, "reviewer")
    data = csv_file([["slug", "title"], ["optage-ekg-psykiatri", "EKG uden token"]])
    bare = reviewer.post("/overfoersel/import", content_type="multipart/form-data",
                         data={"kind": "task", "file": (io.BytesIO(data), "x.csv")})
    assert bare.status_code == 400 and stored_jobs(app) == 0
    job = job_id(upload(reviewer, "task", "x.csv", data))
    assert reviewer.post(f"/overfoersel/koersel/indlaes?id={job}", data={"reason": "Uden token"}).status_code == 400
    assert snapshot(app)["optage-ekg-psykiatri"]["title"] != "EKG uden token"
    assert commit(reviewer, job).status_code == 303  # the same with its token goes through
    assert snapshot(app)["optage-ekg-psykiatri"]["title"] == "EKG uden token"


# -- the command line ----------------------------------------------------------------------------------------

@pytest.mark.slow  # every kind out and in through the CLI
def test_cli_export_and_import_with_progress(app, runner, tmp_path):
    make_user(app, "godkender", "reviewer")
    path = tmp_path / "opgaver.csv"
    result = runner.invoke(args=["export", "task", "-o", str(path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    for row in rows[1:121]:
        row[1] += " (CLI)"
    path.write_bytes(csv_file(rows))
    before = snapshot(app)

    result = runner.invoke(args=["import", "task", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Læser rækker: " in result.output and "Kontrollerer poster: 120/120" in result.output
    assert f"[tørkørsel] 0 nye, 120 ændrede, {len(before) - 120} uændrede" in result.output
    assert snapshot(app) == before

    assert runner.invoke(args=["import", "task", str(path)]).exit_code == 2  # --reason is required
    result = runner.invoke(args=["import", "task", str(path), "--reason", "Titler fra CLI", "--user", "godkender"])
    assert result.exit_code == 0, result.output
    assert "Skriver i databasen: 120/120" in result.output and "Skriver historik: 120/120" in result.output
    assert "0 nye, 120 ændrede" in result.output
    after = snapshot(app)
    assert sum(after[s]["title"].endswith(" (CLI)") for s in after) == 120
    with app.app_context():
        revisions = db.session.scalars(sa.select(m.Revision).where(m.Revision.reason == "Titler fra CLI")).all()
        assert len(revisions) == 120 and {r.review_comment for r in revisions} == {"import opgaver.csv"}

    rows[3][3] = "kirurgisk"  # one bad row: named, and nothing written
    path.write_bytes(csv_file([r[:2] + [r[3]] if i else ["slug", "title", "category"] for i, r in enumerate(rows)]))
    result = runner.invoke(args=["import", "task", str(path), "--reason", "Fejl"])
    assert result.exit_code == 1
    assert "Fejl i række 4, kolonne category" in result.output and "Intet er skrevet." in result.output
    assert snapshot(app) == after

    xlsx_path = tmp_path / "regler.xlsx"
    assert runner.invoke(args=["export", "rule", "-o", str(xlsx_path)]).exit_code == 0
    result = runner.invoke(args=["import", "rule", str(xlsx_path), "--dry-run"])
    assert result.exit_code == 0 and "[tørkørsel] 0 nye, 0 ændrede" in result.output


# -- a long import shows its progress ------------------------------------------------------------------------

def wait(client, job: str, timeout: float = 300) -> str:
    """Poll the job page as a browser would (it sends Refresh while the job runs) until the job is done."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/overfoersel/koersel?id={job}")
        if "Refresh" not in response.headers:
            return html.unescape(response.get_data(as_text=True))
        assert time.monotonic() < deadline, "the import job did not finish"
        time.sleep(0.2)


@pytest.mark.slow  # a 2,000-row import
def test_a_2000_row_import_runs_in_the_background_and_shows_progress(app):
    app.config["KB_TRANSFER_BACKGROUND"] = True
    reviewer = signed_in(app, "reviewer", "stor")
    watcher = app.test_client()  # a second browser tab of the same user
    login(watcher, "stor")
    reports: list[tuple[str, str, int, int]] = []
    pages: list = []

    def on_progress(sender, job, state):
        reports.append((state["phase"], state["step"], state["done"], state["total"]))
        if not pages and state["step"] == "rows" and 0 < state["done"] < state["total"]:
            pages.append(watcher.get(f"/overfoersel/koersel?id={job}"))  # the page while the job runs

    jobs.progress_reported.connect(on_progress, sender=app)
    try:
        started = time.perf_counter()
        job = job_id(upload(reviewer, "task", "stor.csv", big_file(2000)))
        text = wait(reviewer, job)
        dry_run = time.perf_counter() - started
        assert "2000 rækker" in text and "2000 nye" in text and "0 fejl" in text
        started = time.perf_counter()
        assert commit(reviewer, job, reason="Stor import").status_code == 303
        text = wait(reviewer, job)
        written = time.perf_counter() - started
    finally:
        jobs.progress_reported.disconnect(on_progress, sender=app)
    print(f"\n[{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}] 2000 task rows: dry run {dry_run:.1f} s, "
          f"commit {written:.1f} s")
    assert "Importen er indlæst: 2000 nye" in text
    running = pages[0]
    assert running.status_code == 200 and running.headers["Refresh"] == "2"
    shown = html.unescape(running.get_data(as_text=True))
    assert re.search(r"Læser rækker: \d+ af 2000", shown) and "<progress max=\"2000\"" in shown
    for phase, step in (("dry_run", "rows"), ("commit", "write"), ("commit", "history")):
        done = [d for p, s, d, t in reports if (p, s) == (phase, step)]
        assert len({d for d in done if 0 < d < 2000}) >= 5, (phase, step, done)  # it really moves
        assert done == sorted(done) and done[-1] == 2000
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(m.Task.slug.like("importeret-opgave-%"))) == 2000


# -- the psychiatry workshop table ---------------------------------------------------------------------------

def _cites_table(doc: dict) -> bool:
    citations = doc["sources"] + [c for e in doc["evidence"] for c in e["sources"]]
    return any(c.get("document") == "seed-004" and c["lines"][0] <= workshop.TABLE[1]
               and c["lines"][1] >= workshop.TABLE[0] for c in citations)


@pytest.mark.slow  # a real table imported whole
@pytest.mark.skipif(not SEED_004.exists(), reason=f"the workshop report is not at {SEED_004}")
def test_the_psychiatry_workshop_table_imports_cleanly(app):
    reviewer = signed_in(app, "reviewer")
    before = snapshot(app)
    tasks = workshop.workshop_tasks(SEED_004)
    new = {slug for slug, t in tasks.items() if t["new"]}
    assert new == {"faglige-standarder", "administrative-forfaldne-opgaver", "loebe-aerinder"}
    assert not new & set(before)
    assert {s for s in tasks if not tasks[s]["new"]} <= set(before)  # the explicit slugs name seed tasks
    assert {slug for slug, doc in before.items() if _cites_table(doc)} <= set(tasks)  # every seed task from the table
    data = workshop.xlsx(SEED_004, {s: before[s] for s in tasks if s in before})

    job = job_id(upload(reviewer, "task", "psykiatri-workshops.xlsx", data))
    text = page(reviewer, job)
    assert "0 fejl" in text and not errors_on(text), errors_on(text)
    assert f"{len(tasks)} rækker" in text and "3 nye" in text
    changed = set(re.findall(r'data-slug="([^"]+)" data-field="([^"]+)"', text))
    assert changed and {field for _, field in changed} == {"sources"}  # ours keep title, category and holders
    assert commit(reviewer, job, reason="Psykiatriens faggruppeworkshops, tabel 2.3.1-2.3.2").status_code == 303
    assert "Importen er indlæst: 3 nye" in page(reviewer, job)

    assert len(snapshot(app)) == len(before) + 3  # matched by slug: nothing duplicated
    errand = reviewer.get("/api/v1/tasks/loebe-aerinder").get_json()
    assert errand["title"] == "Løbe ærinder" and errand["holders"] == ["piccoline"]
    assert errand["category"] == "administrative" and errand["settings"] == ["psykiatri"]
    assert [(c["document"], c["line_from"], c["line_to"]) for c in errand["sources"]] == [("seed-004", 1457, 1457)]
    attest = reviewer.get("/api/v1/tasks/udarbejde-statusattest").get_json()
    cited = {(c.get("line_from"), c.get("line_to")) for c in attest["sources"] if c.get("document") == "seed-004"}
    assert {(1362, 1365), (1371, 1373), (1388, 1390)} <= cited
    assert attest["title"] == before["udarbejde-statusattest"]["title"]
    again = page(reviewer, job_id(upload(reviewer, "task", "psykiatri-workshops.xlsx",
                                         workshop.xlsx(SEED_004, snapshot(app)))))
    assert "0 nye" in again and "0 ændrede" in again  # the same table a second time changes nothing


# -- bounded import workers, stopped jobs (issue 17, security probe M3) ------------------------------------------

def test_imports_wait_for_a_place_on_the_bounded_pool_and_show_it(app):
    """At most KB_IMPORT_WORKERS imports run per process; the next waits, and its page says so."""
    import threading

    app.config.update(KB_TRANSFER_BACKGROUND=True, KB_IMPORT_WORKERS=1)
    editor = signed_in(app, "editor", "koe")
    gate = threading.Event()
    pool = jobs._pool(1)
    holding = pool.submit(gate.wait, 30)  # the one place is taken (as by a long import)
    try:
        job = job_id(upload(editor, "task", "lille.csv", big_file(3)))
        waiting = page(editor, job)
        assert "Venter på at gå i gang" in waiting
        with app.app_context():
            state = db.session.scalar(sa.select(m.ImportJob.state).where(m.ImportJob.id == job))
        assert state["status"] == "queued"
    finally:
        gate.set()
        holding.result(timeout=30)
    done = wait(editor, job)
    assert "Venter på at gå i gang" not in done and "Kørslen blev afbrudt" not in done


def test_a_job_whose_process_was_killed_shows_stopped_at_once(app):
    """Not "running" for 15 minutes: the process that held it is gone on this machine."""
    import os
    import subprocess
    import time as clock

    editor = signed_in(app, "editor", "afbrudt")
    job = job_id(upload(editor, "task", "lille.csv", big_file(3)))
    dead = subprocess.Popen(["true"])
    dead.wait()
    with app.app_context():
        state = dict(db.session.scalar(sa.select(m.ImportJob.state).where(m.ImportJob.id == job)))
        state.update(status="running", step="rows", updated=clock.time(),
                     worker={"host": jobs.HOST, "pid": dead.pid})
        db.session.execute(sa.update(m.ImportJob).where(m.ImportJob.id == job).values(state=state))
        db.session.commit()
    assert dead.pid != os.getpid()
    shown = page(editor, job)
    assert "Kørslen blev afbrudt" in shown


def test_competence_training_columns_import_and_bad_ones_are_named_by_row_and_column(app):
    reviewer = signed_in(app, "reviewer")
    before = snapshot(app, "competence")
    blood, rest = before["blodproevetagning"], before["vaccination"]
    rows = [["slug", "name", "kind", "training_effort", "training_hours", "training_min_level", "training_basis",
             "training_note"],
            ["blodproevetagning", blood["name"], blood["kind"], "kursus", "15", "3", "hygiejne-basis",
             "To dages kursus"],                                                                      # 2: change
            ["vaccination", rest["name"], rest["kind"], "maaske", "", "", "", ""],                     # 3: bad effort
            ["hygiejne-basis", "Basal hygiejne", "skill", "oplæring", "", "", "", ""],                 # 4: no hours
            ["ny-kompetence", "Ny kompetence", "skill", "oplæring", "4", "9", "ny-kompetence", ""]]     # 5: level, self
    text = page(reviewer, job_id(upload(reviewer, "competence", "kompetencer.xlsx", xlsx_file(rows))))
    assert errors_on(text) == {(3, "training_effort"), (4, "training_hours"), (5, "training_min_level"),
                               (5, "training_basis")}
    assert "Indlæs" not in text and snapshot(app, "competence") == before  # nothing written
    good = [rows[0], rows[1]]
    with app.app_context():
        result = commit_import(db.session, "competence", "kompetencer.csv", csv_file(good), reason="Kursus",
                               user_id=None)
        assert result.changed == 1
    after = snapshot(app, "competence")["blodproevetagning"]
    assert (after["training_effort"], after["training_hours"], after["training_min_level"],
            after["training_basis"], after["training_note"]) == ("kursus", 15, 3, ["hygiejne-basis"],
                                                                 "To dages kursus")
    assert after["training_sources"] == blood["training_sources"]  # a column left out is kept as it was
