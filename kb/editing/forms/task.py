"""The editors' form for a task (opgave): what it is, who holds it today and where, what it requires, which
provisions govern it, and where we know it from (sources and evidence of proposals and practice)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from wtforms import FieldList, Form, FormField, TextAreaField
from wtforms.validators import Length, ValidationError

from kb import models as m
from kb.editing.forms.base import split_lines
from kb.editing.forms.citations import (CitationForm, add_spare_rows, choice_field, citation_options, citations_of,
                                        clean_text, fill_citation, fill_rows, filled, long_text, multi_choice_field,
                                        options, set_citation_choices, text_field)
from kb.editing.forms.entity import EntityForm
from kb.models.enums import CATEGORY_LABELS, EVIDENCE_LABELS

STATUS_LABELS = {"published": lazy_gettext("Synlig for læsere"),
                 "draft": lazy_gettext("Skjult (arbejdsversion, vises ikke for læsere)")}
LEVEL_LABELS = {"required": lazy_gettext("Påkrævet"), "desirable": lazy_gettext("Ønskelig")}
COMPLEXITY_LABELS = {"uncomplicated": lazy_gettext("Kun ukomplicerede patienter"),
                     "complex": lazy_gettext("Kun komplekse patienter")}
TERM_MAX, TAG_MAX = 200, 100


class RequirementForm(Form):
    """One competence the task needs (påkrævet or ønskelig), optionally only at one patient complexity."""

    competence = choice_field(lazy_gettext("Kompetence"))
    level = choice_field(lazy_gettext("Krav"), choices=options(LEVEL_LABELS.items()), default="required")
    complexity = choice_field(lazy_gettext("Gælder for"), choices=options(
        COMPLEXITY_LABELS.items(), blank=lazy_gettext("Alle patienter")))

    def is_blank(self) -> bool:
        # The level always has a value (a select), so a row counts as used when a competence or complexity is set.
        return not filled(self.competence) and not filled(self.complexity)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.is_blank() and not filled(self.competence):
            self.competence.errors.append(lazy_gettext("Vælg kompetencen — eller nulstil rækken."))
            ok = False
        return ok


class EvidenceForm(Form):
    """A proposal, practice, pilot or evaluation from a source: this group could take the task (from that one)."""

    taker = choice_field(lazy_gettext("Faggruppe der kan overtage"))
    from_profession = choice_field(lazy_gettext("Fra faggruppe"))
    evidence_kind = choice_field(lazy_gettext("Art"), choices=options(EVIDENCE_LABELS.items()), default="proposal")
    summary = long_text(lazy_gettext("Sammenfatning"), 3000)
    sources = FieldList(FormField(CitationForm), label=lazy_gettext("Kilder"))

    def is_blank(self) -> bool:
        return (not any(filled(f) for f in (self.taker, self.from_profession, self.summary))
                and all(entry.form.is_blank() for entry in self.sources))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.is_blank():
            return ok
        if not filled(self.taker):
            self.taker.errors.append(lazy_gettext("Vælg den faggruppe, der kan overtage opgaven."))
            ok = False
        if not filled(self.summary):
            self.summary.errors.append(lazy_gettext("Skriv kort hvad kilden siger."))
            ok = False
        if not citations_of(self.sources):
            target = self.sources.entries[0].form.document if self.sources.entries else self.summary
            target.errors.append(lazy_gettext("Angiv mindst én kilde."))
            ok = False
        return ok


def _fill_requirement(subform: RequirementForm, row: dict[str, Any]) -> None:
    subform.competence.data = row.get("competence") or ""
    subform.level.data = row.get("level") or "required"
    subform.complexity.data = row.get("complexity") or ""


def _fill_evidence(subform: EvidenceForm, row: dict[str, Any]) -> None:
    subform.taker.data = row.get("taker") or ""
    subform.from_profession.data = row.get("from") or ""
    subform.evidence_kind.data = row.get("kind") or "proposal"
    subform.summary.data = row.get("summary") or ""
    fill_rows(subform.sources, row.get("sources", []), fill_citation)


def _lines_field(label, max_line: int, description):
    def each_line_short(form, field):
        if any(len(line) > max_line for line in split_lines(field.data)):
            raise ValidationError(lazy_gettext("Højst %(max)d tegn pr. linje.", max=max_line))

    return TextAreaField(label, filters=[clean_text], description=description, validators=[
        Length(max=5000, message=lazy_gettext("Højst %(max)d tegn.")), each_line_short])


class TaskForm(EntityForm):
    kind = "task"
    model = m.Task

    title = text_field(lazy_gettext("Titel"), 300, required=lazy_gettext("Giv opgaven en titel."),
                       validators=[Length(min=3, message=lazy_gettext("Titlen skal være mindst 3 tegn."))])
    title_en = text_field(lazy_gettext("Titel på engelsk"), 300)
    category = choice_field(lazy_gettext("Kategori"), choices=options(
        CATEGORY_LABELS.items(), blank=lazy_gettext("— vælg —")), required=lazy_gettext("Vælg en kategori."))
    description = long_text(lazy_gettext("Beskrivelse"), 10000)
    status = choice_field(lazy_gettext("Synlighed"), choices=options(STATUS_LABELS.items()), default="published")
    settings = multi_choice_field(lazy_gettext("Arbejdssteder"), description=lazy_gettext(
        "Hold Ctrl (⌘ på Mac) nede for at vælge flere."))
    holders = multi_choice_field(lazy_gettext("Løses i dag af"), description=lazy_gettext(
        "De faggrupper der typisk har opgaven i dag. Hold Ctrl (⌘ på Mac) nede for at vælge flere."))
    terms = _lines_field(lazy_gettext("Synonymer og forkortelser"), TERM_MAX, lazy_gettext(
        "Ét ord pr. linje, fx PVK. Bruges af søgningen."))
    tags = _lines_field(lazy_gettext("Mærker"), TAG_MAX, lazy_gettext("Ét mærke pr. linje, fx forbeholdt-2024."))
    requirements = FieldList(FormField(RequirementForm), label=lazy_gettext("Kompetencekrav"))
    provisions = multi_choice_field(lazy_gettext("Bestemmelser der regulerer opgaven"), description=lazy_gettext(
        "Fx forbehold i autorisationsloven. Hold Ctrl (⌘ på Mac) nede for at vælge flere."))
    sources = FieldList(FormField(CitationForm), label=lazy_gettext("Kilder"))
    evidence = FieldList(FormField(EvidenceForm), label=lazy_gettext("Forslag og erfaringer"))

    def _load_choices(self, session: Session) -> dict[str, Any]:
        def pairs(model, label):
            return options(session.execute(sa.select(model.slug, label).order_by(label)))

        provisions = session.execute(sa.select(m.Provision.slug, m.LegalAct.short_name, m.Provision.reference,
                                               m.Provision.title).join(m.Provision.act)
                                     .order_by(m.LegalAct.short_name, m.Provision.id)).all()
        return {
            "setting": pairs(m.Setting, m.Setting.name),
            "profession": pairs(m.Profession, m.Profession.name),
            "competence": pairs(m.Competence, m.Competence.name),
            "provision_multi": options((s, f"{r if r.startswith(a) else f'{a}: {r}'}" + (f" — {t}" if t else ""))
                                        for s, a, r, t in provisions),
            **citation_options(session),
        }

    def _apply_choices(self) -> None:
        c = self._choices
        professions = c.get("profession", [])
        self.settings.choices = c.get("setting", [])
        self.holders.choices = professions
        self.provisions.choices = c.get("provision_multi", [])
        for row in self.requirements:
            row.form.competence.choices = options(((o.value, o.label) for o in c.get("competence", [])),
                                                  blank=lazy_gettext("— ingen —"))
        for row in self.evidence:
            row.form.taker.choices = options(((o.value, o.label) for o in professions), blank=lazy_gettext("— vælg —"))
            row.form.from_profession.choices = options(((o.value, o.label) for o in professions),
                                                       blank=lazy_gettext("— ikke angivet —"))
            for entry in row.form.sources:
                set_citation_choices(entry.form, c)
        for entry in self.sources:
            set_citation_choices(entry.form, c)

    def _add_spares(self) -> None:
        add_spare_rows(self.requirements, 3)
        add_spare_rows(self.sources, 2)
        for row in self.evidence:
            add_spare_rows(row.form.sources, 1)
        add_spare_rows(self.evidence, 1)
        for row in self.evidence:  # the new blank row gets its blank source row too
            add_spare_rows(row.form.sources, 1)
        if self._choices:
            self._apply_choices()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        seen = set()
        for row in self.requirements:
            key = (row.form.competence.data, row.form.complexity.data or None)
            if row.form.competence.data and key in seen:
                row.form.competence.errors.append(lazy_gettext(
                    "Kompetencen står der allerede (for de samme patienter)."))
                ok = False
            seen.add(key)
        if not citations_of(self.sources):
            target = self.sources.entries[0].form.document if self.sources.entries else self.title
            target.errors.append(lazy_gettext("En opgave skal have mindst én kilde."))
            ok = False
        return ok

    def _fill(self, document: dict[str, Any]) -> None:
        for name in ("slug", "title", "title_en", "description"):
            getattr(self, name).data = document.get(name) or ""
        self.category.data = document.get("category") or ""
        self.status.data = document.get("status") or "published"
        self.settings.data = list(document.get("settings", []))
        self.holders.data = list(document.get("holders", []))
        self.provisions.data = list(document.get("provisions", []))
        self.terms.data = "\n".join(document.get("terms", []))
        self.tags.data = "\n".join(document.get("tags", []))
        fill_rows(self.requirements, document.get("requirements", []), _fill_requirement)
        fill_rows(self.sources, document.get("sources", []), fill_citation)
        fill_rows(self.evidence, document.get("evidence", []), _fill_evidence)

    def prefill(self, args) -> None:
        """A new task opened from a link may come with its holder (?holder=sygeplejerske)."""
        if args.get("holder"):
            self.holders.data = [args["holder"]]

    def document(self) -> dict[str, Any]:
        requirements = [{"competence": r.form.competence.data, "level": r.form.level.data or "required",
                         "complexity": r.form.complexity.data or None}
                        for r in self.requirements if not r.form.is_blank()]
        evidence = [{"taker": e.form.taker.data, "from": e.form.from_profession.data or None,
                     "kind": e.form.evidence_kind.data or "proposal", "summary": e.form.summary.data or "",
                     "sources": citations_of(e.form.sources)}
                    for e in self.evidence if not e.form.is_blank()]
        return {
            "slug": self.slug_value(), "title": self.title.data or "", "title_en": self.title_en.data or "",
            "category": self.category.data, "description": self.description.data or "",
            "settings": sorted(set(self.settings.data or [])), "holders": sorted(set(self.holders.data or [])),
            "terms": list(dict.fromkeys(split_lines(self.terms.data))), "tags": split_lines(self.tags.data),
            "status": self.status.data or "published", "requirements": requirements,
            "provisions": sorted(set(self.provisions.data or [])), "sources": citations_of(self.sources),
            "evidence": evidence,
        }
