"""PDFs (kb/pdf): role description, task sheet and shift plan, read back with pypdf and compared with what the
pages and services say; page 1 rendered to an image; the URL fetcher's limit; the CLI."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from kb import models as m
from kb.extensions import db
from kb.models.enums import VERDICT_LABELS
from tests.plugins.database import REQUIRE_ALL
from tests.helpers import login, make_user

# Once is enough: the PDFs lay out what kb.whomay.service answers (on both engines elsewhere); WeasyPrint is tested.
pytestmark = pytest.mark.only_backend("sqlite")

HYPHEN = "\u2010"  # WeasyPrint's hyphenation character: a word broken at a line end


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text_of(data: bytes) -> str:
    """The PDF's text with words broken by hyphenation joined again."""
    return "\n".join(page.extract_text() for page in read(data).pages).replace(HYPHEN + "\n", "")


def compact(text: str) -> str:
    """Without whitespace or hyphenation: table cells wrap titles over lines, kerning splits 'T age'."""
    return re.sub(rf"[\s{HYPHEN}\u00ad]", "", text)


def contains(haystack: str, needle: str) -> bool:
    return compact(needle) in compact(haystack)


def get_pdf(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "application/pdf"
    return response


def profession_facts(app, slug: str):
    from kb.catalogue import queries

    with app.app_context():
        p = queries.profession_by_slug(slug)
        citations = [(c.document.title, c.lines_label) for c in p.citations if c.document]
        held = [(t.title, {s.slug for s in t.settings}) for t in queries.tasks_held_by(p)]
        return p.name, citations, held


# --- role description (funktionsbeskrivelse) ---------------------------------------------------------------------

@pytest.mark.slow  # PDF layout
def test_role_pdf_for_nurses(app, client):
    response = get_pdf(client, "/professions/sygeplejerske/role.pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="funktionsbeskrivelse-sygeplejerske.pdf"'
    reader = read(response.data)
    text = text_of(response.data)
    name, citations, held = profession_facts(app, "sygeplejerske")
    assert len(reader.pages) > 1
    assert reader.metadata.title == f"Funktionsbeskrivelse: {name}"
    assert name in text and "FUNKTIONSBESKRIVELSE" in text  # the kicker is set in capitals
    for word in ("Formål", "Opgaver faggruppen løser i dag", "Opgaver forbeholdt faggruppen", "Kan delegeres?",
                 "Fra grunduddannelsen", "Efter- og videreuddannelse",
                 "Retsgrundlag", "Kilder", "Autoriseret sundhedsperson"):
        assert contains(text, word), word
    assert {"æ", "ø", "å"} <= set(text)
    assert "§ 54" in text and "Autorisationsloven § 54, stk. 4, nr. 1" in text
    assert "https://www.elov.dk/" in compact(text)  # the law's address is written out: paper has no links
    for title, lines in citations:  # every source the profession page cites, with its line range
        assert contains(text, title) and lines in text, (title, lines)
    for title, _ in held:
        assert contains(text, title), title
    assert f"Side 1 af {len(reader.pages)}" in reader.pages[0].extract_text()
    assert f"Side {len(reader.pages)} af {len(reader.pages)}" in reader.pages[-1].extract_text()


@pytest.mark.slow  # PDF layout
def test_role_pdf_uses_the_declared_font_and_is_tagged(client, caplog):
    from kb.pdf.render import supports_tags

    with caplog.at_level("WARNING", logger="weasyprint"):
        reader = read(get_pdf(client, "/professions/sygeplejerske/role.pdf").data)
    # Nothing is fetched that the fetcher refuses (font-subsetting notices are not about fetching).
    fetch_warnings = [r for r in caplog.records if "HarfBuzz" not in r.getMessage()]
    assert not fetch_warnings, caplog.text
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+DejaVu-?Sans(-Bold|-Oblique)?", f) for f in fonts), fonts  # embedded subsets
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "da"
    if supports_tags():
        assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog


@pytest.mark.slow  # PDF layout
def test_role_pdf_says_what_the_engine_says(app, client):
    """The take-over tables hold exactly what takeover_for gives the profession page, group by group."""
    from kb.whomay.facts import make_context
    from kb.whomay.service import takeover_for

    with app.app_context():
        groups = takeover_for("social-og-sundhedsassistent", make_context())
    text = text_of(get_pdf(client, "/professions/social-og-sundhedsassistent/role.pdf").data)
    assert groups
    for verdict, items in groups:
        assert f"{VERDICT_LABELS[verdict.value]} ({len(items)})" in text
        for task, result in items:
            assert contains(text, task.title), task.title
            for mc in result.missing_competences:
                assert contains(text, f"Oplæring: {mc.name}"), mc.name


def _reserved_row(text: str, title: str) -> str:
    """The reserved-task table's row for ``title``: from its title to the next row's (or the table's end)."""
    flat = compact(text)
    start = flat.index(compact(title), flat.index(compact("Opgaver forbeholdt faggruppen")))
    return flat[start:start + 400]


@pytest.mark.slow  # PDF layout
def test_role_pdf_reserved_area_follows_the_law_not_its_own_reading(app, client):
    """Architecture review § 2.2: the role PDF re-derived "reserved" and "delegable" and ignored legal rules. The
    oracle here is the seed's own records, read from the ORM: a task reserved to nurses and to physicians by two
    provisions names the physicians as allowed by law; a never-delegable task with a særlig hjemmel to act as
    medhjælp (BEK 834/2014, legal ``delegation`` rules) is delegable, not "Nej"."""
    with app.app_context():
        catheter = db.session.scalar(sa.select(m.Task).where(m.Task.slug == "anlaegge-blaerekateter"))
        co_reserved = {g.name for p in catheter.provisions if p.effect == "reserves" for g in p.reserved_to} - {
            "Sygeplejerske"}
        cosmetic = db.session.scalar(sa.select(m.Task).where(m.Task.slug == "udfoere-kosmetisk-behandling"))
        medhjaelp = [r for r in cosmetic.rules if r.kind == "legal" and r.effect == "delegation"]
        never = [p for p in cosmetic.provisions if p.effect == "never_delegable"]
        reserved_to = {g.slug for p in cosmetic.provisions if p.effect == "reserves" for g in p.reserved_to}
    assert "Læge" in co_reserved and medhjaelp and never and "laege" in reserved_to
    nurse = text_of(get_pdf(client, "/professions/sygeplejerske/role.pdf").data)
    row = _reserved_row(nurse, catheter.title)
    assert contains(row, "Andre faggrupper, der selv må udføre den efter loven")
    assert all(contains(row, name) for name in co_reserved), row
    physician = text_of(get_pdf(client, "/professions/laege/role.pdf").data)
    row = _reserved_row(physician, cosmetic.title)
    assert contains(row, "Ja, til en medhjælp"), row


@pytest.mark.slow  # PDF layout
def test_role_pdf_for_one_setting(app, client):
    name, _, held = profession_facts(app, "sygeplejerske")
    response = get_pdf(client, "/professions/sygeplejerske/role.pdf?setting=psykiatri")
    assert 'filename="funktionsbeskrivelse-sygeplejerske-psykiatri.pdf"' in response.headers["Content-Disposition"]
    text = text_of(response.data)
    assert "Psykiatri (regional)" in text
    inside = [t for t, settings in held if not settings or "psykiatri" in settings]
    outside = [t for t, settings in held if settings and "psykiatri" not in settings
               and not any(contains(t, other) for other in inside)]
    assert inside and outside
    assert contains(text, f"Opgaver faggruppen løser i dag ({len(inside)})")
    for title in outside:
        assert not contains(text, title), title


@pytest.mark.parametrize("url, status", [
    ("/professions/ingen-saadan/role.pdf", 404),
    ("/professions/sygeplejerske/role.pdf?setting=maanen", 400),
    ("/professions/sygeplejerske/role.pdf?complexity=lidt", 400),
    ("/professions/sygeplejerske/role.pdf?date=i-morgen", 400),
    ("/tasks/ingen-saadan/sheet.pdf", 404),
])
def test_bad_requests(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"


@pytest.mark.slow  # PDF layout
def test_role_description_with_many_tasks(app, client):
    """A group holding 150 tasks: every title is in the PDF, over many pages (time printed for the benchmark)."""
    with app.app_context():
        tasks = db.session.scalars(sa.select(m.Task).where(m.Task.status == "published")
                                   .order_by(m.Task.slug).limit(150)).all()
        assert len(tasks) == 150
        group = m.Profession(slug="proevegruppe", name="Prøvegruppe for store lister", description="Til test.")
        db.session.add(group)
        for task in tasks:
            task.holders.append(group)
        db.session.commit()
        titles = [t.title for t in tasks]
    started = time.perf_counter()
    data = get_pdf(client, "/professions/proevegruppe/role.pdf").data
    seconds = time.perf_counter() - started
    reader = read(data)
    text = text_of(data)
    print(f"\nrole PDF with {len(titles)} held tasks: {len(reader.pages)} pages, {len(data) // 1024} kB, "
          f"{seconds:.2f} s")
    assert len(reader.pages) >= 5
    assert contains(text, f"Opgaver faggruppen løser i dag ({len(titles)})")
    missing = [t for t in titles if not contains(text, t)]
    assert not missing, missing


# --- task sheet --------------------------------------------------------------------------------------------------

@pytest.mark.slow  # PDF layout
def test_task_sheet_matches_the_matrix(app, client):
    from kb.whomay.facts import make_context
    from kb.whomay.service import matrix_by_slug

    slug = "tage-venoes-blodproeve"
    with app.app_context():
        matrix = matrix_by_slug(slug, make_context(complexity="complex"))
        groups = [(str(VERDICT_LABELS[v.value]), [matrix.name(r.profession) for r in rs])
                  for v, rs in matrix.by_verdict()]
        title = matrix.task.title
    response = get_pdf(client, f"/tasks/{slug}/sheet.pdf?complexity=complex")
    assert response.headers["Content-Disposition"] == f'attachment; filename="opgaveark-{slug}.pdf"'
    text = text_of(response.data)
    assert contains(text, title) and "Komplekse" in text
    assert contains(text, "Ingen – kun lov og nationale aftaler")  # no organisation chosen: the law only
    assert len(groups) > 1
    headings = [f"{label} ({len(names)})" for label, names in groups]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions), "verdict groups in the matrix's order"
    for i, (label, names) in enumerate(groups):
        segment = text[positions[i]:positions[i + 1] if i + 1 < len(positions) else len(text)]
        for name in names:
            assert contains(segment, name), (label, name)
    for label in VERDICT_LABELS.values():  # no group the matrix does not have
        if str(label) not in dict(groups):
            assert not re.search(rf"^{re.escape(str(label))} \(\d+\)", text, re.M)
    assert "Betingelser" in text and "Begrundelse" in text and "§" in text


@pytest.mark.slow  # PDF layout
def test_pages_link_to_their_pdfs(app, client):
    page = client.get("/professions/sygeplejerske?setting=psykiatri").get_data(as_text=True)
    assert 'href="/professions/sygeplejerske/role.pdf?setting=psykiatri"' in page and "Hent som PDF" in page
    page = client.get("/tasks/tage-venoes-blodproeve?setting=sygehus&complexity=complex&date=2025-01-02") \
        .get_data(as_text=True)
    link = re.search(r'href="(/tasks/tage-venoes-blodproeve/sheet\.pdf\?[^"]+)"', page).group(1)
    assert {"setting=sygehus", "complexity=complex", "date=2025-01-02"} <= set(link.split("?")[1].split("&amp;"))
    text = text_of(get_pdf(client, link.replace("&amp;", "&")).data)
    assert "2025-01-02" in text and "Sygehus (somatisk sengeafsnit og ambulatorium)" in text


# --- shift plans -------------------------------------------------------------------------------------------------

def _make_plan(app, owner: str) -> int:
    with app.app_context():
        user = db.session.scalar(sa.select(m.User).where(m.User.username == owner))
        by = lambda model, slug: db.session.scalar(sa.select(model).where(model.slug == slug))  # noqa: E731
        nurse, ssa = by(m.Profession, "sygeplejerske"), by(m.Profession, "social-og-sundhedsassistent")
        doctor, porter = by(m.Profession, "laege"), by(m.Profession, "portoer")
        items = [m.ShiftPlanItem(task=by(m.Task, "tage-venoes-blodproeve"), from_profession=nurse, to_profession=ssa,
                                 occurrences_per_week=20, minutes_each=10),
                 m.ShiftPlanItem(task=by(m.Task, "anlaegge-pvk"), from_profession=nurse, to_profession=ssa,
                                 occurrences_per_week=7, minutes_each=15),
                 # never delegable (BEK 1219): the checklist must say it may not move
                 m.ShiftPlanItem(task=by(m.Task, "udfaerdige-recept"), from_profession=doctor, to_profession=porter,
                                 occurrences_per_week=3, minutes_each=10)]
        assert all(i.task for i in items)
        plan = m.ShiftPlan(title="Sengeafsnit 7 — blodprøver", unit="Medicinsk afdeling", owner_id=user.id,
                           hours_per_fte=37, items=items)
        db.session.add(plan)
        db.session.commit()
        return plan.id


def test_plan_pdf(app, client):
    from kb.plans.service import load_plan, summarise

    make_user(app, "leder", "planner")
    plan_id = _make_plan(app, "leder")
    with app.app_context():
        summary = summarise(load_plan(plan_id))
        fte, hours = f"{summary.total_fte:.2f}", f"{summary.total_hours:.1f}"
        conditions = {c for check in summary.checks for c in check.result.conditions}
        blocked = len(summary.blocked)
    assert client.get(f"/plans/{plan_id}.pdf").headers["Location"].startswith("/login")
    login(client, "leder")
    assert f'href="/plans/{plan_id}.pdf"' in client.get(f"/plans/{plan_id}").get_data(as_text=True)
    response = get_pdf(client, f"/plans/{plan_id}.pdf")
    assert response.headers["Content-Disposition"] == f'attachment; filename="plan-{plan_id}.pdf"'
    assert "no-store" in response.headers["Cache-Control"]
    text = text_of(response.data)
    assert contains(text, "Sengeafsnit 7 — blodprøver") and "Medicinsk afdeling" in text
    assert f"{hours} timer pr. uge ≈ {fte} årsværk flyttes." in " ".join(text.split())
    assert contains(text, "Tjekliste: det skal være på plads")
    for condition in conditions:
        assert contains(text, condition), condition
    assert blocked and contains(text, f"{blocked} opgave(r) må ikke flyttes")


def test_plan_pdf_access_is_the_plan_pages(app):
    make_user(app, "ejer", "planner")
    make_user(app, "anden", "planner")
    make_user(app, "laeser", "reader")
    plan_id = _make_plan(app, "ejer")
    urls = [f"/plans/{plan_id}.pdf", f"/professions/social-og-sundhedsassistent/role.pdf?plan={plan_id}"]
    anonymous = app.test_client()
    for url in urls:
        assert anonymous.get(url).headers["Location"].startswith("/login")
    for username in ("anden", "laeser"):
        visitor = app.test_client()
        login(visitor, username)
        page_status = visitor.get(f"/plans/{plan_id}").status_code
        assert page_status in (403, 404)
        for url in urls:
            assert visitor.get(url).status_code == page_status, (username, url)
    owner = app.test_client()
    login(owner, "ejer")
    assert owner.get("/professions/sygeplejerske/role.pdf?plan=abc").status_code == 400
    assert owner.get("/professions/sygeplejerske/role.pdf?plan=999999").status_code == 404


@pytest.mark.slow  # PDF layout
def test_role_pdf_seen_from_a_plan(app):
    make_user(app, "leder", "planner")
    plan_id = _make_plan(app, "leder")
    client = app.test_client()
    login(client, "leder")
    response = get_pdf(client, f"/professions/social-og-sundhedsassistent/role.pdf?plan={plan_id}")
    assert "no-store" in response.headers["Cache-Control"]
    text = text_of(response.data)
    section = text[text.index("Nye opgaver for faggruppen i planen"):text.index("Opgaver faggruppen løser i dag")]
    assert contains(section, "Tage venøs blodprøve") and contains(section, "Anlægge perifert venekateter (PVK)")
    assert "Sengeafsnit 7" in text
    assert "3.3" in section and "1.8" in section  # 20 × 10 min and 7 × 15 min a week, in hours
    text = text_of(get_pdf(client, f"/professions/portoer/role.pdf?plan={plan_id}").data)
    section = text[text.index("Nye opgaver for faggruppen i planen"):text.index("Opgaver faggruppen løser i dag")]
    assert contains(section, "Udfærdige recept") and "Må ikke" in section
    assert not contains(section, "Tage venøs blodprøve")  # another group's new task


# --- rendering: not blank, fetcher, CLI --------------------------------------------------------------------------

def _first_page_gray(pdf: Path) -> tuple[int, int, bytes]:
    out = subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "1", str(pdf)],
                         check=True, capture_output=True).stdout
    # PGM (P5): magic, width, height, maxval separated by whitespace, then one byte per pixel
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", out)
    assert match and int(match.group(3)) == 255
    width, height = int(match.group(1)), int(match.group(2))
    return width, height, out[match.end():match.end() + width * height]


def test_first_page_is_not_blank(client, tmp_path):
    if shutil.which("pdftoppm") is None:
        message = "pdftoppm (Debian poppler-utils) is not installed"
        if REQUIRE_ALL:
            pytest.fail(message)
        pytest.skip(message)
    pdf = tmp_path / "role.pdf"
    pdf.write_bytes(get_pdf(client, "/professions/sygeplejerske/role.pdf").data)
    width, height, pixels = _first_page_gray(pdf)
    assert abs(width / height - 210 / 297) < 0.02  # A4 portrait
    ink = sum(1 for p in pixels if p < 160) / len(pixels)  # anti-aliased text at 30 dpi is mostly grey
    assert 0.01 < ink < 0.5, f"{ink:.3%} of the page inked"


def test_fetcher_serves_only_static_files(app, tmp_path):
    from kb.pdf.fetcher import FetchRefused, make_url_fetcher

    root = Path(app.static_folder)
    fetch = make_url_fetcher("http://localhost/", root)

    def body(resource) -> bytes:
        return resource["string"] if isinstance(resource, dict) else resource.read()

    assert body(fetch("http://localhost/static/pdf.css")) == (root / "pdf.css").read_bytes()
    assert body(fetch("data:text/plain;base64,aGVq")) == b"hej"
    # no file:// at all, not even a real font file (pdf.css names its font by family; Pango loads it itself)
    fonts = sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf")) if Path("/usr/share/fonts").is_dir() else []
    system_font = fonts[0].as_uri() if fonts else "file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    for url in ("file:///etc/passwd", f"file://{root / 'pdf.css'}", system_font, f"file://localhost{root / 'pdf.css'}",
                "file:///usr/share/fonts/../../../etc/passwd.ttf", "http://example.com/static/pdf.css",
                "https://localhost/static/pdf.css", "http://localhost:8080/static/pdf.css", "ftp://localhost/x",
                "http://localhost/static/../config.py", "http://localhost/static/%2e%2e/config.py",
                "http://localhost/static/", "http://localhost/static/nothing-here.css",
                "http://localhost/tasks/tage-venoes-blodproeve", "http://169.254.169.254/latest/meta-data/"):
        with pytest.raises(FetchRefused):
            fetch(url)


def test_rendering_never_loads_outside_resources(app, caplog, tmp_path):
    from kb.pdf.render import html_to_pdf

    secret = tmp_path / "hemmelig.css"
    secret.write_text("body { background: red; }")
    html = (f'<html lang="da"><head><link rel="stylesheet" href="file://{secret}">'
            '<link rel="stylesheet" href="http://example.invalid/x.css"></head>'
            '<body><p>Æblegrød på ø</p><img src="https://example.invalid/a.png" alt="">'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></body></html>')
    with app.test_request_context("/"), caplog.at_level("WARNING", logger="weasyprint"):
        data = html_to_pdf(html, "http://localhost/")
    assert "Æblegrød på ø" in text_of(data)
    refused = caplog.text
    for url in (f"file://{secret}", "http://example.invalid/x.css", "https://example.invalid/a.png"):
        assert url in refused and "FetchRefused" in refused, url


@pytest.mark.slow  # PDF layout
def test_cli_writes_a_role_pdf(app, runner, tmp_path):
    target = tmp_path / "rolle.pdf"
    result = runner.invoke(args=["role-pdf", "sygeplejerske", "--setting", "psykiatri", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target) in result.output
    text = text_of(target.read_bytes())
    assert "Sygeplejerske" in text and "Psykiatri (regional)" in text
    result = runner.invoke(args=["role-pdf", "ingen-saadan", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "ukendt faggruppe 'ingen-saadan'" in result.output
    assert not (tmp_path / "x.pdf").exists()
    result = runner.invoke(args=["role-pdf", "sygeplejerske", "--setting", "maanen", "-o", str(tmp_path / "y.pdf")])
    assert result.exit_code == 1 and "ukendt miljø" in result.output


@pytest.mark.slow  # PDF layout
def test_dated_context_reaches_the_pdf(client):
    on = date(2023, 6, 1)  # before § 54, stk. 3-5 came into force (1 January 2024): nothing reserved to nurses
    text = text_of(get_pdf(client, f"/professions/sygeplejerske/role.pdf?date={on.isoformat()}").data)
    assert on.isoformat() in text
    assert contains(text, "Opgaver forbeholdt faggruppen (0)")


@pytest.mark.slow  # PDF layout
def test_cli_says_clearly_when_the_pdf_cannot_be_written(runner, tmp_path):
    blocked = tmp_path / "mappe"
    blocked.mkdir()
    blocked.chmod(0o500)  # no writing into the folder
    try:
        target = blocked / "rolle.pdf"
        result = runner.invoke(args=["role-pdf", "bioanalytiker", "-o", str(target)])
        if os.geteuid() == 0:  # root writes anyway; a missing folder still fails
            target = tmp_path / "findes-ikke" / "rolle.pdf"
            result = runner.invoke(args=["role-pdf", "bioanalytiker", "-o", str(target)])
    finally:
        blocked.chmod(0o700)
    assert result.exit_code == 1
    assert f"PDF'en kunne ikke skrives til {target}" in result.output
    assert not target.exists() and not list(tmp_path.rglob("*.part"))  # no half-written file left behind


@pytest.mark.slow  # PDF layout
def test_pdfs_show_each_provisions_verification_and_the_acts_number(app, client):
    """Issue 23: the paper says which provisions were checked against an official text, and the act's number."""
    with app.app_context():
        task = db.session.scalar(sa.select(m.Task).where(m.Task.slug == "give-vaccination"))
        rows = [(p.verified, p.act.reference) for p in task.provisions]
    assert any(v for v, _ in rows) and any(not v for v, _ in rows)  # both kinds on this sheet
    assert any("LBK nr. 1008" in ref for _, ref in rows)
    sheet = compact(text_of(get_pdf(client, "/tasks/give-vaccination/sheet.pdf?organisation=region-midtjylland").data))
    assert contains(sheet, "Verificeret mod") and contains(sheet, "Ikke verificeret mod en officiel tekst")
    assert contains(sheet, "LBK nr. 1008") and contains(sheet, "Region Midtjylland")


def test_role_description_reserves_what_holds_in_its_context(app):
    """A midwife's fødselshjælp is hers for an uncomplicated birth, not for a complicated one (§ 55, stk. 4, nr. 5)."""
    from kb.whomay.facts import make_context
    from kb.whomay.service import reserved_area

    with app.app_context():
        plain = {r.task.slug for r in reserved_area("jordemoder", make_context())}
        complex_ = {r.task.slug for r in reserved_area("jordemoder", make_context(complexity="complex"))}
    assert "yde-foedselshjaelp" in plain and "yde-foedselshjaelp" not in complex_
    assert "tage-venoes-blodproeve" in plain and "tage-venoes-blodproeve" in complex_
