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
from kb.rules import FIT_LABELS_DA
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

# The three groups of issue 19's Done-when: a reserved area of their own; authorised without one; not authorised.
SHORT_ROLES = ("sygeplejerske", "social-og-sundhedsassistent", "laegesekretaer")
MEDHJAELP = ("bek1219-delegation", "bek1219-instruks", "bek1219-pligter")
BLANK_FIELDS = ("Enhed", "Leder", "Dato", "Underskrift")


def provisions(app, slugs=None, reserved_to: str | None = None) -> list[tuple[str, str, str]]:
    """(citation as printed, the verification as printed, address) of provisions, from the database."""
    with app.app_context():
        query = sa.select(m.Provision)
        if slugs is not None:
            query = query.where(m.Provision.slug.in_(slugs))
        if reserved_to is not None:
            query = query.where(m.Provision.reserved_to.any(m.Profession.slug == reserved_to))
        out = []
        for p in db.session.scalars(query):
            verified = (f"Verificeret mod {p.verified_source.split('/')[2]}" if p.verified and p.verified_source
                        else "Ikke verificeret mod en officiel tekst")
            out.append((f"{p.act.short_name} {p.reference}", verified, p.url))
        return out


def takeovers(app, slug: str):
    """kb.whomay.service.takeover_for, the oracle: (verdict, [(title, result)]) and the realistic ones by fit."""
    from kb.whomay.facts import make_context
    from kb.whomay.service import takeover_for

    with app.app_context():
        groups = [(v, [(t.title, r) for t, r in items]) for v, items in takeover_for(slug, make_context())]
    realistic = {fit: [t for _, items in groups for t, r in items if r.fit == fit]
                 for fit in ("recommended", "trainable")}
    return groups, realistic


@pytest.mark.slow  # PDF layout
def test_role_pdf_for_nurses(app, client):
    response = get_pdf(client, "/professions/sygeplejerske/role.pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="funktionsbeskrivelse-sygeplejerske.pdf"'
    reader = read(response.data)
    text = text_of(response.data)
    name, citations, held = profession_facts(app, "sygeplejerske")
    assert 2 <= len(reader.pages) <= 6
    assert reader.metadata.title == f"Funktionsbeskrivelse: {name}"
    assert name in text and "FUNKTIONSBESKRIVELSE" in text  # the kicker is set in capitals
    sections = ["Formål", "Retsgrundlag", "Opgaver faggruppen løser i dag",
                "Opgaver faggruppen realistisk kan overtage",
                "Opgaver forbeholdt faggruppen", "Kompetencer og tilbud", "Godkendelse"]
    positions = [compact(text).index(compact(s)) for s in sections]
    assert positions == sorted(positions), "the sections in the document's order"
    for word in ("Kan delegeres?", "Fra grunduddannelsen", "Efter- og videreuddannelse", "Autoriseret sundhedsperson"):
        assert contains(text, word), word
    assert {"æ", "ø", "å"} <= set(text)
    assert "§ 54" in text and "Autorisationsloven § 54, stk. 4, nr. 1" in text
    for citation, verified, url in provisions(app, reserved_to="sygeplejerske"):
        assert contains(text, citation) and contains(text, verified), citation
        assert url in compact(text), url  # the law's address is written out: paper has no links
    assert contains(text, f"Opgaver faggruppen løser i dag ({len(held)})")
    assert f"Side 1 af {len(reader.pages)}" in reader.pages[0].extract_text()
    assert f"Side {len(reader.pages)} af {len(reader.pages)}" in reader.pages[-1].extract_text()
    # Research notes (the description from the workshops, the report lines) stay out; the annex has them, and every
    # task the group holds.
    annex = text_of(get_pdf(client, "/professions/sygeplejerske/role.pdf?bilag=1").data)
    for title, lines in citations:
        assert not contains(text, title), title
        assert contains(annex, title) and lines in annex, (title, lines)
    assert "https://www.elov.dk/" in compact(annex)  # the law the reserved tasks cite, in full
    for title, _ in held:
        assert contains(annex, title), title


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
@pytest.mark.parametrize("slug", SHORT_ROLES)
def test_role_pdf_is_short_cites_its_legal_basis_and_has_blank_fields(app, client, slug):
    """Issue 19: 2–6 pages, the legal basis cited with the provisions' records and their verification, the realistic
    take-overs with their fit, blank fields to sign; the research behind the profession page left out."""
    from kb.catalogue import queries

    with app.app_context():
        p = queries.profession_by_slug(slug)
        legal_basis, description, authorised = p.legal_basis, p.description, p.authorised
    data = get_pdf(client, f"/professions/{slug}/role.pdf").data
    pages, text = len(read(data).pages), text_of(data)
    print(f"\nrole PDF {slug}: {pages} pages")
    assert 2 <= pages <= 6, pages
    legal = compact(text)[compact(text).index("Retsgrundlag"):compact(text).index(compact("Opgaver faggruppen løser"))]
    assert contains(legal, legal_basis)
    own = provisions(app, reserved_to=slug)
    assert bool(own) == (slug == "sygeplejerske")
    if own:  # the nurses' reserved area, § 54, provision by provision
        for citation, verified, url in own:
            assert contains(legal, citation) and contains(legal, verified) and compact(url) in legal, citation
    else:  # as medhjælp under the delegation order, cited with its records
        assert contains(legal, "som medhjælp under delegation fra en autoriseret sundhedsperson efter BEK nr. 1219 "
                               "af 11/12/2009 (medhjælpsbekendtgørelsen)")
        assert contains(legal, "er autoriseret sundhedsperson uden eget" if authorised else "Ikke autoriseret")
        cited = provisions(app, MEDHJAELP)
        assert len(cited) == 3
        for citation, verified, url in cited:
            assert contains(legal, citation) and contains(legal, verified) and compact(url) in legal, citation
    signature = text[text.index("Godkendelse"):]
    assert all(field in signature for field in BLANK_FIELDS)
    _, realistic = takeovers(app, slug)
    section = compact(text)[compact(text).index(compact("realistisk kan overtage")):
                            compact(text).index(compact("Opgaver forbeholdt faggruppen"))]
    shown = [t for t in realistic["recommended"] + realistic["trainable"] if contains(section, t)]
    assert shown and contains(section, "Anbefalet") == bool(realistic["recommended"])
    assert contains(section, "Kan oplæres") == bool(realistic["trainable"])
    first_trainable = min((section.index(compact(t)) for t in realistic["trainable"] if contains(section, t)),
                          default=len(section))
    assert all(section.index(compact(t)) < first_trainable for t in realistic["recommended"]), "recommended first"
    assert len(shown) <= 25
    assert not contains(text, description[:80])  # the profession's research notes


@pytest.mark.slow  # PDF layout
def test_role_pdf_annex_has_the_full_lists(app, client):
    """?bilag=1: the same document and an annex with every task held and every take-over, by verdict."""
    slug = "laegesekretaer"
    groups, realistic = takeovers(app, slug)
    default = get_pdf(client, f"/professions/{slug}/role.pdf").data
    response = get_pdf(client, f"/professions/{slug}/role.pdf?bilag=1")
    assert response.headers["Content-Disposition"] == f'attachment; filename="funktionsbeskrivelse-{slug}-bilag.pdf"'
    text, annex = text_of(default), text_of(response.data)
    print(f"\nrole PDF {slug}: {len(read(default).pages)} pages, with the annex {len(read(response.data).pages)}")
    assert len(read(response.data).pages) > len(read(default).pages)
    assert "Bilag: fulde lister" in annex and "Bilag: fulde lister" not in text
    needs_education = [t for _, items in groups for t, r in items if r.fit == "requires_education"]
    assert needs_education and not any(contains(text, t) for t in needs_education[:20])
    assert contains(text, f"{len(needs_education)} opgaver mere må faggruppen overtage, men først efter")
    more = realistic["recommended"] + realistic["trainable"]
    assert contains(text, f"{len(more) - 20} flere opgaver, som faggruppen realistisk kan overtage, står i bilaget")
    start = compact(annex).index(compact("Bilag: fulde lister"))
    for verdict, items in groups:
        assert f"{VERDICT_LABELS[verdict.value]} ({len(items)})" in annex
        for title, result in items:
            assert contains(annex[start:], title), title
            for mc in result.missing_competences:
                assert contains(annex, mc.name), mc.name
    assert contains(annex, "Kræver uddannelse") and contains(annex, "Kan oplæres")
    assert all(field in annex for field in BLANK_FIELDS)


def _reserved_row(text: str, title: str, table: str = "Opgaver forbeholdt faggruppen") -> str:
    """The reserved-task table's row for ``title``: from its title to the next row's (or the table's end)."""
    flat = compact(text)
    start = flat.index(compact(title), flat.index(compact(table)))
    return flat[start:start + 300]


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
    assert contains(nurse, "Andre faggrupper, der selv må udføre den efter loven")  # the column
    row = _reserved_row(nurse, catheter.title)
    assert all(contains(row, name) for name in co_reserved), row
    physician = text_of(get_pdf(client, "/professions/laege/role.pdf?bilag=1").data)
    row = _reserved_row(physician, cosmetic.title, "Alle opgaver forbeholdt faggruppen")  # the annex lists all
    assert contains(row, "Ja, til en medhjælp"), row


@pytest.mark.slow  # PDF layout
def test_role_pdf_for_one_setting(app, client):
    name, _, held = profession_facts(app, "sygeplejerske")
    response = get_pdf(client, "/professions/sygeplejerske/role.pdf?setting=psykiatri&bilag=1")
    disposition = response.headers["Content-Disposition"]
    assert 'filename="funktionsbeskrivelse-sygeplejerske-psykiatri-bilag.pdf"' in disposition
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
    ("/professions/sygeplejerske/role.pdf?bilag=ja", 400),
    ("/tasks/ingen-saadan/sheet.pdf", 404),
])
def test_bad_requests(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"


@pytest.mark.slow  # PDF layout
def test_role_description_with_many_tasks(app, client):
    """A group holding 150 tasks: the document stays short and says how many; the annex lists every title, over many
    pages (times printed for the benchmark)."""
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
    short = get_pdf(client, "/professions/proevegruppe/role.pdf").data
    middle = time.perf_counter()
    data = get_pdf(client, "/professions/proevegruppe/role.pdf?bilag=1").data
    seconds = time.perf_counter() - middle
    reader = read(data)
    text = text_of(data)
    print(f"\nrole PDF with {len(titles)} held tasks: {len(read(short).pages)} pages ({middle - started:.2f} s); "
          f"with the annex {len(reader.pages)} pages, {len(data) // 1024} kB, {seconds:.2f} s")
    assert len(read(short).pages) <= 6 and len(reader.pages) >= 5
    assert contains(text_of(short), f"Opgaver faggruppen løser i dag ({len(titles)})")
    assert contains(text, f"Alle opgaver faggruppen løser i dag ({len(titles)})")
    missing = [t for t in titles if not contains(text, t)]
    assert not missing, missing


# --- task sheet --------------------------------------------------------------------------------------------------

# The seeded tasks with the most takers (every group may, or all but one), and the reserved clinical ones whose
# matrices give the most distinct reasons (a reserving group named in each group's reason).
BUSY_TASKS = ("udfoere-scanninger-og-undersoegelser", "tage-telefonen", "tage-venoes-blodproeve", "give-vaccination",
              "maale-blodsukker-kapillaert", "laegge-lokalbedoevelse-i-tandplejen")


def _whomay_section(text: str) -> str:
    flat = compact(text)
    start, end = compact("Hvem kan og må overtage opgaven?"), compact("Kompetencer opgaven kræver")
    return flat[flat.index(start):flat.index(end)]


@pytest.mark.slow  # PDF layout
def test_task_sheet_matches_the_matrix(app, client):
    from kb.whomay.facts import make_context
    from kb.whomay.service import matrix_by_slug

    slug = "tage-venoes-blodproeve"
    with app.app_context():
        matrix = matrix_by_slug(slug, make_context(complexity="complex"))
        best = [(matrix.name(r.profession), r) for r in matrix.best()]
        rest = [matrix.name(r.profession) for r in matrix.results if r not in matrix.best()]
        title = matrix.task.title
    response = get_pdf(client, f"/tasks/{slug}/sheet.pdf?complexity=complex")
    assert response.headers["Content-Disposition"] == f'attachment; filename="opgaveark-{slug}.pdf"'
    text = text_of(response.data)
    assert contains(text, title) and "Komplekse" in text
    assert contains(text, "Ingen – kun lov og nationale aftaler")  # no organisation chosen: the law only
    section = _whomay_section(text)
    table = section.index(compact("Alle andre faggrupper"))
    assert best and rest
    assert contains(section, f"Bedst egnede ({len(best)})")
    assert contains(section, f"Alle andre faggrupper ({len(rest)})")
    positions = [section.index(compact(f"{name}Må:{VERDICT_LABELS[r.verdict.value]}Kan:{FIT_LABELS_DA[r.fit]}"))
                 for name, r in best]
    assert positions == sorted(positions) and positions[-1] < table, "the best takers in full, in the matrix's order"
    for name in rest:
        assert compact(name) in section[table:], name
    assert "Betingelser" in text and "Begrundelse" in text and "§" in text


@pytest.mark.slow  # PDF layout
@pytest.mark.parametrize("slug", BUSY_TASKS)
def test_task_sheet_is_short_and_prints_each_reason_once(app, client, slug):
    from kb.whomay.facts import make_context
    from kb.whomay.service import matrix_by_slug

    with app.app_context():
        matrix = matrix_by_slug(slug, make_context())
        names = [matrix.name(r.profession) for r in matrix.results]
        allowed = sum(r.verdict.allowed for r in matrix.results)
        fits = {r.fit for r in matrix.results if r.fit}
        texts = [t for r in matrix.results for t in (*r.conditions, *(x.text for x in r.reasons))]
        reserving = {p.slug for p in matrix.task.provisions if p.effect == "reserves"}
    data = get_pdf(client, f"/tasks/{slug}/sheet.pdf").data
    pages = len(read(data).pages)
    print(f"\ntask sheet {slug}: {pages} pages, {allowed} of {len(names)} groups may")
    assert allowed >= 30 and pages <= 3, pages
    text = text_of(data)
    section = _whomay_section(text)
    assert all(compact(name) in section for name in names)
    assert all(compact(FIT_LABELS_DA[fit]) in section for fit in fits)
    numbers = [int(n) for n in re.findall(r"(?m)^(\d+)\. (?:Betingelse|Lov|Organisatorisk|Kompetence) ", text)]
    assert numbers and numbers == list(range(1, len(numbers) + 1)), "every note printed once, in order"
    distinct = set(texts)
    shared = {t for t in distinct if texts.count(t) > 1 and not any(n in t for n in names)}
    assert shared
    for t in shared:
        # a condition or reason many groups share: printed once (and inside any longer note that quotes it)
        longer = sum(1 for u in distinct if u != t and t in u)
        assert 1 <= section.count(compact(t)) <= 1 + longer, t
    # "…; Portør kan kun udføre den som medhjælp ved delegation": one note per reserving provision, not per group
    assert section.count(compact("kan kun udføre den som medhjælp ved delegation")) <= len(reserving)


def test_task_sheet_notes_name_the_row_not_a_group_and_shorten_number_runs():
    """A note serves every row: the judged group's own name (the last mention) becomes "faggruppen"; a reserving
    group named first stays, and so does a longer name that merely contains it."""
    from kb.pdf.sheet import number_ranges, own_name_masked

    assert own_name_masked("Opgaven hører under forbeholdt virksomhed for Læge; Portør kan kun udføre den som "
                           "medhjælp ved delegation", "Portør").endswith("; faggruppen kan kun udføre den som medhjælp "
                                                                         "ved delegation")
    assert own_name_masked("forbeholdt virksomhed for Læge, som Læge hører til", "Læge") == \
        "forbeholdt virksomhed for Læge, som faggruppen hører til"
    assert own_name_masked("for Specialsygeplejerske; Sygeplejerske kan kun", "Sygeplejerske") == \
        "for Specialsygeplejerske; faggruppen kan kun"
    assert own_name_masked("for Sygeplejerske; Specialsygeplejerske kan kun", "Sygeplejerske") == \
        "for faggruppen; Specialsygeplejerske kan kun"  # the only whole-word mention
    assert own_name_masked("Portør må ikke", "Portør") == "Faggruppen må ikke"
    assert own_name_masked("Mangler kompetencen: Hygiejne", "Portør") == "Mangler kompetencen: Hygiejne"
    assert number_ranges([7, 5, 6, 9, 12, 11, 5]) == "5–7, 9, 11–12" and number_ranges([]) == ""


@pytest.mark.slow  # PDF layout
def test_pages_link_to_their_pdfs(app, client):
    page = client.get("/professions/sygeplejerske?setting=psykiatri").get_data(as_text=True)
    assert 'href="/professions/sygeplejerske/role.pdf?setting=psykiatri"' in page and "Hent som PDF" in page
    assert 'href="/professions/sygeplejerske/role.pdf?setting=psykiatri&amp;bilag=1"' in page  # the annex version
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
    section = text[text.index("Nye opgaver for faggruppen i planen"):text.index("Retsgrundlag")]
    assert contains(section, "Tage venøs blodprøve") and contains(section, "Anlægge perifert venekateter (PVK)")
    assert "Sengeafsnit 7" in text
    assert "3.3" in section and "1.8" in section  # 20 × 10 min and 7 × 15 min a week, in hours
    text = text_of(get_pdf(client, f"/professions/portoer/role.pdf?plan={plan_id}").data)
    section = text[text.index("Nye opgaver for faggruppen i planen"):text.index("Retsgrundlag")]
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
    assert "Bilag: fulde lister" not in text
    result = runner.invoke(args=["role-pdf", "laegesekretaer", "--bilag", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Bilag: fulde lister" in text_of(target.read_bytes())
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
