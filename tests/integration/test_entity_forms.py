"""The editors' forms for professions, competences, educations, legal acts and provisions.

Main test: every record of these kinds, filled into its form, rendered with its template and sent back as a
browser would send that HTML, gives back exactly the same document. Then each validation rule with bad input:
the Danish message beside the right field, and what the editor typed still in the re-rendered field."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from kb.knowledge import checks
from kb.knowledge.documents import KINDS, document_of, to_document
from kb.editing.forms.competence import CompetenceForm
from kb.editing.forms.education import EducationForm
from kb.editing.forms.legal_act import LegalActForm
from kb.editing.forms.profession import ProfessionForm
from kb.editing.forms.provision import ProvisionForm
from kb.extensions import db
from tests.form_helpers import NO_CSRF, edit_form, post, render, submitted
from tests.helpers import publish_document

# Once is enough: these are the forms' and templates' rules; the records they load are plain reads.
pytestmark = pytest.mark.only_backend("sqlite")

FORMS = {"profession": ProfessionForm, "competence": CompetenceForm, "education": EducationForm,
         "legal_act": LegalActForm, "provision": ProvisionForm}


def slugs(kind: str) -> list[str]:
    return list(db.session.scalars(sa.select(KINDS[kind].model.slug).order_by(KINDS[kind].model.slug)))


# -- the round trip -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FORMS))
def test_every_record_round_trips_through_its_form_and_template(app, kind):
    with app.test_request_context():
        records = list(db.session.scalars(sa.select(KINDS[kind].model)))
        assert records
        for record in records:
            original = to_document(kind, record)
            page = render(kind, edit_form(kind, original))
            form = post(kind, submitted(page), original)
            assert form.validate(), (original["slug"], form.errors)
            document = form.document()
            assert document == original, original["slug"]
            checks.validate(kind, document)


def test_round_trip_covers_lists_citations_and_numbers(app):
    """The round trip above is only worth something if the seed has the hard cases in it."""
    with app.app_context():
        professions = [document_of(db.session, "profession", s) for s in slugs("profession")]
        assert any(len(s["sources"]) > 1 for p in professions for s in p["shortage"])
        assert any(s["value"] is not None for p in professions for s in p["shortage"])
        assert any(p["parent"] for p in professions) and any(c.get("url") for p in professions for c in p["sources"])
        educations = [document_of(db.session, "education", s) for s in slugs("education")]
        assert any(c.get("provision") for e in educations for c in e["sources"])
        assert any(e["ects"] is not None for e in educations)
        provisions = [document_of(db.session, "provision", s) for s in slugs("provision")]
        assert any(p["valid_from"] for p in provisions) and any(p["reserved_to"] for p in provisions)
        assert {p["kind"] for p in provisions} == {"legal", "organisational"}


@pytest.mark.parametrize("kind", list(FORMS))
def test_template_renders_every_field(app, kind):
    with app.test_request_context():
        form = edit_form(kind, document_of(db.session, kind, slugs(kind)[0]))
        page = render(kind, form)
        names = set(dict(submitted(page)).keys()) | set(re.findall(r'name="([^"]+)"', page))
        for f in form:
            if f.name in ("csrf_token", "reason", "base_version"):
                continue
            for leaf in _leaves(f):
                assert leaf.name in names, leaf.name
                assert f'for="{leaf.id}"' in page, leaf.id  # every control has its label
        assert "<form" not in page and 'type="submit"' not in page and 'name="reason"' not in page
        assert page.count("<fieldset") == page.count("<legend>") > 0
        assert re.search(r'name="slug"[^>]*readonly|readonly[^>]*name="slug"', page)


def _leaves(field):
    if hasattr(field, "entries"):
        for entry in field.entries:
            yield from _leaves(entry)
    elif hasattr(field, "form") and hasattr(field.form, "_fields"):
        for sub in field.form:
            yield from _leaves(sub)
    else:
        yield field


def test_new_record_form_is_editable_and_has_blank_rows(app):
    with app.test_request_context():
        form = ProfessionForm(meta=NO_CSRF)
        form.set_choices(db.session)
        page = render("profession", form)
        assert not re.search(r'name="slug"[^>]*readonly', page)
        assert 'name="sources-1-url"' in page and 'name="shortage-0-sources-0-document"' in page
        assert 'value="sygeplejerske"' in page  # parent and other selects have their options from the DB


# -- new records end to end -----------------------------------------------------------------------------------


def test_a_new_education_from_the_form_is_stored_as_typed(app):
    with app.test_request_context():
        data = MultiDict([
            ("slug", "palliation-kursus"), ("name", " Palliation for SSA "), ("name_en", ""), ("provider", "VIA"),
            ("level", "AMU"), ("ects", "7,5"), ("length", "5 dage"), ("price", ""),
            ("entry_requirements", "SSA\r\nerfaring"), ("url", "https://via.dk/palliation"), ("description", ""),
            ("competences", "palliation-samtale"), ("competences", "geriatri-multisygdom"),
            ("target_professions", "social-og-sundhedsassistent"),
            ("sources-0-document", "seed-000"), ("sources-0-line_from", "10"), ("sources-0-line_to", "12"),
            ("sources-0-provision", ""), ("sources-0-url", ""), ("sources-0-note", "workshop"),
            ("sources-1-document", ""), ("sources-1-line_from", ""), ("sources-1-line_to", ""),
            ("sources-1-provision", ""), ("sources-1-url", ""), ("sources-1-note", ""),
            ("reason", "Nyt tilbud")])
        form = post("education", data)
        assert form.validate(), form.errors
        doc = form.document()
        assert doc["name"] == "Palliation for SSA" and doc["ects"] == 7.5
        assert doc["entry_requirements"] == "SSA\nerfaring"
        assert doc["competences"] == ["geriatri-multisygdom", "palliation-samtale"]
        assert doc["sources"] == [{"document": "seed-000", "lines": [10, 12], "note": "workshop"}]
        publish_document(db.session, "education", doc)
        db.session.commit()
        assert document_of(db.session, "education", "palliation-kursus") == doc


def test_a_new_provision_under_an_act_from_the_form(app):
    with app.test_request_context():
        data = MultiDict([
            ("act", "autorisationsloven"), ("slug", "aut-99"), ("reference", "§ 99"), ("url", "https://x.dk/99"),
            ("effect", "reserves"), ("reserved_to", "sygeplejerske"), ("provision_kind", "legal"),
            ("valid_from", "2025-01-01"), ("valid_to", ""), ("verified", "y"),
            ("verified_source", "https://www.retsinformation.dk/eli/lta/2024/1008"), ("verified_on", "2026-12-01"),
            ("scope", "Kun på voksne"), ("complexity", "uncomplicated"), ("reason", "Ny")])
        form = post("provision", data)
        assert form.validate(), form.errors
        doc = form.document()
        assert doc["valid_from"] == "2025-01-01" and doc["valid_to"] is None and doc["verified"] is True
        assert doc["verified_source"] == "https://www.retsinformation.dk/eli/lta/2024/1008"
        assert doc["verified_on"] == "2026-12-01" and doc["scope"] == "Kun på voksne"
        assert doc["complexity"] == "uncomplicated"
        checks.bundle_of(db.session, [("provision", doc, "provision")])  # references exist


@pytest.mark.parametrize("kind, slug", [("provision", "aut-54-4-1"), ("legal_act", "autorisationsloven")])
def test_verified_only_against_an_official_source_with_a_date(app, kind, slug):
    """Bad input (issue 23): "verified" without the official text it was checked against, against a private
    consolidation, or without the date, is refused beside the field, and what was typed stays."""
    with app.test_request_context():
        form, ok = _edit_post(kind, slug, verified="y", verified_source="", verified_on="2026-12-01")
        assert not ok
        _beside(kind, form, form.verified_source, "skal have den officielle kilde")
        private = "https://www.elov.dk/lov-om-autorisation/paragraf/54/"
        form, ok = _edit_post(kind, slug, verified="y", verified_source=private, verified_on="2026-12-01")
        assert not ok
        _beside(kind, form, form.verified_source, "ikke en officiel tekst", typed=private)
        official = "https://stps.dk/sundhedsfaglig/forbeholdt-virksomhedsomraade-til-sygeplejersker"
        form, ok = _edit_post(kind, slug, verified="y", verified_source=official, verified_on="")
        assert not ok
        _beside(kind, form, form.verified_on, "datoen for kontrollen", typed=official)
        form, ok = _edit_post(kind, slug, verified="y", verified_source=official, verified_on="2026-12-01")
        assert ok, form.errors
        form, ok = _edit_post(kind, slug, verified=None, verified_source="", verified_on="")
        assert ok, form.errors  # unverified needs neither


def test_act_dates_in_order(app):
    with app.test_request_context():
        form, ok = _edit_post("legal_act", "autorisationsloven", valid_from="2025-01-01", valid_to="2024-01-01")
        assert not ok
        _beside("legal_act", form, form.valid_to, "Slutdatoen må ikke ligge før startdatoen.")


# -- validation: the Danish message beside the field, the typed value kept ------------------------------------


def _edit_post(kind: str, slug: str, /, **changes):
    """Open the record's form, change some posted values (None removes the field), post it back."""
    original = document_of(db.session, kind, slug)
    data = submitted(render(kind, edit_form(kind, original)))
    for name, value in changes.items():
        data.poplist(name)
        if isinstance(value, list):
            data.setlist(name, value)
        elif value is not None:
            data[name] = value
    form = post(kind, data, original)
    return form, form.validate()


def _beside(kind: str, form, field, message: str, typed: str | None = None) -> None:
    """The message is in the field's errors and rendered with the id the field's aria-describedby names; the
    editor's text is still in the field."""
    assert any(message in str(e) for e in field.errors), (field.name, field.errors)
    page = html.unescape(render(kind, form))
    assert f'aria-describedby="{field.id}-error"' in page
    assert re.search(rf'<p class="error" id="{re.escape(field.id)}-error">[^<]*{re.escape(message)}', page)
    if typed is not None:
        assert typed in page


def test_required_fields_and_lengths(app):
    with app.test_request_context():
        form, ok = _edit_post("profession", "sygeplejerske", name="")
        assert not ok
        _beside("profession", form, form.name, "Giv faggruppen et navn.")
        form, ok = _edit_post("competence", "blodproevetagning", name="x" * 301)
        assert not ok
        _beside("competence", form, form.name, "Højst 300 tegn.", typed="x" * 301)
        form, ok = _edit_post("legal_act", "autorisationsloven", short_name="", reference="", url="")
        assert not ok
        assert set(form.errors) == {"short_name", "reference", "url"}
        _beside("legal_act", form, form.url, "Angiv retsaktens webadresse.")
        form, ok = _edit_post("provision", "aut-54-4-1", reference=" ")
        assert not ok and "Angiv henvisningen" in str(form.reference.errors[0])
        form, ok = _edit_post("profession", "sygeplejerske", reason="")
        assert not ok and list(form.errors) == ["reason"]


def test_competence_training_needs_its_hours_and_cannot_build_on_itself(app):
    with app.test_request_context():
        form, ok = _edit_post("competence", "blodproevetagning", training_effort="kursus", training_hours="",
                              training_note="Et kursus på tre dage")
        assert not ok
        _beside("competence", form, form.training_hours, "Angiv det typiske antal timer", typed="Et kursus på tre dage")
        form, ok = _edit_post("competence", "blodproevetagning", training_effort="", training_hours="12",
                              training_basis=[])
        assert not ok
        _beside("competence", form, form.training_hours, "Vælg først, hvordan kompetencen opnås.", typed="12")
        form, ok = _edit_post("competence", "blodproevetagning", training_basis=["blodproevetagning"])
        assert not ok
        _beside("competence", form, form.training_basis, "En kompetence kan ikke bygge på sig selv.")
        form, ok = _edit_post("competence", "blodproevetagning", training_effort="uddannelse", training_hours="",
                              training_min_level="3")
        assert ok, form.errors
        document = form.document()
        assert (document["training_effort"], document["training_hours"], document["training_min_level"]) == \
            ("uddannelse", None, 3)
        checks.validate("competence", document)


def test_slug_format_uniqueness_and_read_only_when_editing(app):
    with app.test_request_context():
        data = MultiDict([("slug", "Blodprøve Kapillær"), ("name", "Kapillær"), ("competence_kind", "skill"),
                          ("reason", "Ny")])
        form = post("competence", data)
        assert not form.validate()
        _beside("competence", form, form.slug, "Brug kun små bogstaver", typed="Blodprøve Kapillær")
        data["slug"] = "blodproevetagning"
        form = post("competence", data)
        assert not form.validate()
        _beside("competence", form, form.slug, "Slug'en er allerede i brug")
        # Editing: the slug sent back is ignored, the record keeps its own.
        form, ok = _edit_post("competence", "blodproevetagning", slug="noget-andet", name="Blodprøver")
        assert ok, form.errors
        assert form.document()["slug"] == "blodproevetagning" and form.document()["name"] == "Blodprøver"
        assert re.search(r'name="slug"[^>]*readonly[^>]*value="blodproevetagning"|'
                         r'readonly[^>]*name="slug"', render("competence", form))


def test_urls_must_be_http(app):
    with app.test_request_context():
        form, ok = _edit_post("education", slugs("education")[0], url="www.via.dk/kursus")
        assert not ok
        _beside("education", form, form.url, "Webadressen skal begynde med https:// eller http://.",
                typed="www.via.dk/kursus")
        form, ok = _edit_post("provision", "aut-54-4-1", url="ftp://x")
        assert not ok and list(form.errors) == ["url"]
        form, ok = _edit_post("profession", "laege", **{"sources-2-url": "danskelove.dk/74"})
        assert not ok
        _beside("profession", form, form.sources[2].url, "Webadressen skal begynde med", typed="danskelove.dk/74")


def test_dates_in_order_and_readable(app):
    with app.test_request_context():
        form, ok = _edit_post("provision", "aut-54-4-1", valid_from="2025-01-01", valid_to="2024-06-30")
        assert not ok and list(form.errors) == ["valid_to"]
        _beside("provision", form, form.valid_to, "Slutdatoen må ikke ligge før startdatoen.", typed="2024-06-30")
        form, ok = _edit_post("provision", "aut-54-4-1", valid_to="31-12-2024")
        assert not ok
        _beside("provision", form, form.valid_to, "Skriv datoen som ÅÅÅÅ-MM-DD", typed="31-12-2024")
        form, ok = _edit_post("provision", "aut-54-4-1", valid_from="2024-01-01", valid_to="2024-01-01")
        assert ok, form.errors


def test_numbers_in_range(app):
    with app.test_request_context():
        form, ok = _edit_post("profession", "sygeplejerske", education_level="7")
        assert not ok
        _beside("profession", form, form.education_level, "Uddannelsesniveauet skal ligge fra 0 til 6.", typed="7")
        form, ok = _edit_post("profession", "sygeplejerske", education_level="fire")
        assert not ok
        _beside("profession", form, form.education_level, "Skriv et helt tal", typed="fire")
        form, ok = _edit_post("profession", "sygeplejerske", education_level="")
        assert not ok and "Angiv uddannelsesniveauet" in str(form.education_level.errors[0])
        education = slugs("education")[0]
        form, ok = _edit_post("education", education, ects="-5")
        assert not ok
        _beside("education", form, form.ects, "ECTS-point skal ligge fra 0 til 400.", typed="-5")
        form, ok = _edit_post("education", education, ects="nan")
        assert not ok and "Skriv et tal" in str(form.ects.errors[0])
        form, ok = _edit_post("education", education, ects="1.234,5")
        assert not ok  # 1234.5 ECTS is out of range, but it was read as the Danish number it is
        assert "ECTS-point" in str(form.ects.errors[0])
        form, ok = _edit_post("education", education, ects="")
        assert ok and form.document()["ects"] is None
        form, ok = _edit_post("profession", "sygeplejerske", isco08="22a1")
        assert not ok and "fire cifre" in str(form.isco08.errors[0])


def test_shortage_rows(app):
    with app.test_request_context():
        original = document_of(db.session, "profession", "speciallaege")
        n = len(original["shortage"])
        spare = f"shortage-{n}"
        form, ok = _edit_post("profession", "speciallaege", **{f"{spare}-metric": "Ubesatte stillinger",
                                                               f"{spare}-year": "1850", f"{spare}-value": "12,5"})
        assert not ok
        row = form.shortage[n]
        _beside("profession", form, row.year, "Skriv et årstal mellem 1900 og 2100.", typed="1850")
        _beside("profession", form, row.sources[0].document, "Et mangeltal skal have mindst én kilde.",
                typed="Ubesatte stillinger")
        form, ok = _edit_post("profession", "speciallaege", **{
            f"{spare}-value": "12,5", f"{spare}-year": "2024", f"{spare}-sources-0-document": "seed-001",
            f"{spare}-sources-0-line_from": "5", f"{spare}-sources-0-line_to": "9"})
        assert not ok
        _beside("profession", form, form.shortage[n].metric, "Skriv hvad tallet måler.")
        form, ok = _edit_post("profession", "speciallaege", **{
            f"{spare}-metric": "Ubesatte stillinger", f"{spare}-value": "12,5", f"{spare}-year": "2024",
            f"{spare}-sources-0-url": "https://star.dk/x"})
        assert ok, form.errors
        added = form.document()["shortage"][-1]
        assert added == {"metric": "Ubesatte stillinger", "value": 12.5, "unit": "", "year": 2024, "note": "",
                         "sources": [{"url": "https://star.dk/x"}]}
        assert form.document()["shortage"][:n] == original["shortage"]


def test_citation_rules(app):
    with app.test_request_context():
        doc = document_of(db.session, "education", slugs("education")[0])
        i = len(doc["sources"])  # the first spare row
        form, ok = _edit_post("education", doc["slug"], **{f"sources-{i}-document": "seed-000"})
        assert not ok
        _beside("education", form, form.sources[i].line_from, "Angiv linjenummeret i rapporten.")
        _beside("education", form, form.sources[i].line_to, "Angiv linjenummeret i rapporten.")
        form, ok = _edit_post("education", doc["slug"], **{
            f"sources-{i}-document": "seed-000", f"sources-{i}-line_from": "40", f"sources-{i}-line_to": "30"})
        assert not ok
        _beside("education", form, form.sources[i].line_to, "Til-linjen må ikke ligge før fra-linjen.", typed="40")
        form, ok = _edit_post("education", doc["slug"], **{
            f"sources-{i}-url": "https://a.dk", f"sources-{i}-provision": "bek1219-instruks"})
        assert not ok
        _beside("education", form, form.sources[i].url, "Angiv kun én kilde pr. række")
        form, ok = _edit_post("education", doc["slug"], **{f"sources-{i}-note": "bare en note"})
        assert not ok
        _beside("education", form, form.sources[i].document, "Angiv kilden", typed="bare en note")
        form, ok = _edit_post("education", doc["slug"], **{f"sources-{i}-line_from": "3"})
        assert not ok
        _beside("education", form, form.sources[i].document, "Linjenumre hører til en rapport")
        form, ok = _edit_post("education", doc["slug"], **{f"sources-{i}-document": "findes-ikke",
                                                            f"sources-{i}-line_from": "1",
                                                            f"sources-{i}-line_to": "2"})
        assert not ok
        _beside("education", form, form.sources[i].document, "Vælg en af mulighederne på listen.")


def test_references_must_exist(app):
    with app.test_request_context():
        form, ok = _edit_post("profession", "sygeplejerske", settings=["sygehus", "findes-ikke"])
        assert not ok
        _beside("profession", form, form.settings, "Findes ikke: 'findes-ikke'.")
        form, ok = _edit_post("profession", "sygeplejerske", parent="ukendt-gruppe")
        assert not ok
        _beside("profession", form, form.parent, "Vælg en af mulighederne på listen.")
        form, ok = _edit_post("provision", "aut-54-4-1", act="ingen-lov")
        assert not ok and list(form.errors) == ["act"]
        form, ok = _edit_post("provision", "aut-54-4-1", reserved_to=["sygeplejerske", "robot"])
        assert not ok and "robot" in str(form.reserved_to.errors[0])


def test_parent_cannot_be_the_profession_itself_or_below_it(app):
    with app.test_request_context():
        page = render("profession", edit_form("profession", document_of(db.session, "profession", "laege")))
        parent_select = re.search(r'<select[^>]*name="parent".*?</select>', page, re.S).group(0)
        assert 'value="laege"' not in parent_select and 'value="speciallaege"' in parent_select
        form, ok = _edit_post("profession", "laege", parent="speciallaege")  # speciallaege → laege: a ring
        assert not ok
        _beside("profession", form, form.parent, "En faggruppe kan ikke høre under sig selv.")


def test_lists_are_required_where_the_schema_says(app):
    with app.test_request_context():
        form, ok = _edit_post("education", slugs("education")[0], competences=[])
        assert not ok
        _beside("education", form, form.competences, "Vælg mindst én kompetence")
        form, ok = _edit_post("provision", "aut-54-4-1", effect="reserves", reserved_to=[])
        assert not ok and list(form.errors) == ["reserved_to"]
        _beside("provision", form, form.reserved_to, "Vælg de faggrupper bestemmelsen forbeholder opgaven.")
        form, ok = _edit_post("provision", "aut-54-4-1", effect="other", reserved_to=[])
        assert ok, form.errors
        assert form.document()["reserved_to"] == [] and form.document()["effect"] == "other"
        form, ok = _edit_post("provision", "aut-54-4-1", effect="sometimes")
        assert not ok and list(form.errors) == ["effect"]


def test_legal_act_keeps_its_provisions(app):
    with app.test_request_context():
        original = document_of(db.session, "legal_act", "autorisationsloven")
        assert original["provisions"]
        form, ok = _edit_post("legal_act", "autorisationsloven", verified=None, verification_note="Ikke set")
        assert ok, form.errors
        doc = form.document()
        assert doc["provisions"] == original["provisions"] and doc["verified"] is False
        assert doc["verification_note"] == "Ikke set"
        # Without the original given to fill(), the stored act's provisions are still carried over.
        data = submitted(render("legal_act", edit_form("legal_act", original)))
        form = LegalActForm(formdata=data, meta=NO_CSRF)
        form.is_new = False
        form.set_choices(db.session)
        assert form.validate(), form.errors
        assert form.document()["provisions"] == original["provisions"]


def test_fill_on_a_posted_form_keeps_what_was_typed(app):
    with app.test_request_context():
        form, ok = _edit_post("competence", "blodproevetagning", name="", description="Ny tekst")
        assert not ok
        assert form.description.data == "Ny tekst" and form.name.data == ""


def test_document_errors_go_beside_renamed_fields(app):
    with app.test_request_context():
        form = edit_form("competence", document_of(db.session, "competence", "blodproevetagning"))
        form.attach_errors({"kind": ["skal være en af ..."], "name": ["er for kort"], "": ["noget andet"]})
        assert form.competence_kind.errors == ["skal være en af ..."] and form.name.errors == ["er for kort"]
        assert form.form_errors == ["noget andet"]
        form = edit_form("provision", document_of(db.session, "provision", "aut-54-4-1"))
        form.attach_errors({"kind": ["x"], "reserved_to.0": ["ukendt faggruppe"]})
        assert form.provision_kind.errors == ["x"] and form.reserved_to.errors == ["ukendt faggruppe"]
        form = edit_form("profession", document_of(db.session, "profession", "speciallaege"))
        form.attach_errors({"sources.1.document": ["ukendt rapport 'seed-9'"], "sources.0.lines": ["linjer"],
                            "shortage.1.sources": ["mindst én"], "settings.2": ["ukendt miljø"],
                            "shortage.99.metric": ["uden række"]})
        assert form.sources[1].document.errors == ["ukendt rapport 'seed-9'"]
        assert form.sources[0].line_from.errors == ["linjer"]
        assert form.shortage[1].sources[0].document.errors == ["mindst én"]
        assert form.settings.errors == ["ukendt miljø"] and form.shortage[0].metric.errors == ["uden række"]
        assert "ukendt rapport 'seed-9'" in html.unescape(render("profession", form))


def test_forms_are_found_by_kind():
    assert {cls.kind for cls in FORMS.values()} == set(FORMS)
    assert all(cls.is_new is True for cls in FORMS.values())


def test_forms_render_in_english(app):
    with app.test_request_context("/?lang=en"):
        page = render("provision", edit_form("provision", document_of(db.session, "provision", "aut-54-4-1")))
        assert "In force from" in page and "What could we not confirm?" in page and "Gælder fra" not in page
