"""The editors' form for a rule (regel): allow, deny or conditions for one profession — or for every profession
but some ("all non-physicians") — on one task, from the law (which must cite a provision) or from an
organisational agreement (optionally only in one region or municipality), optionally only in one setting or at
one patient complexity."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from wtforms import BooleanField, FieldList, FormField
from wtforms.validators import ValidationError

from kb import models as m
from kb.editing.forms.base import split_lines
from kb.editing.forms.citations import (CitationForm, add_spare_rows, choice_field, citation_options, citations_of,
                                        fill_citation, fill_rows, long_text, multi_choice_field, options,
                                        set_citation_choices, text_field)
from kb.editing.forms.entity import EntityForm
from kb.models.enums import KIND_LABELS

EFFECT_LABELS = {"allow": lazy_gettext("Tilladt"), "deny": lazy_gettext("Ikke tilladt"),
                 "conditions": lazy_gettext("Tilladt på betingelser"),
                 "delegation": lazy_gettext("Som medhjælp ved delegation (særlig hjemmel)")}
COMPLEXITY_LABELS = {"uncomplicated": lazy_gettext("Kun ukomplicerede patienter"),
                     "complex": lazy_gettext("Kun komplekse patienter")}
CONDITION_MAX = 1000


class RuleForm(EntityForm):
    kind = "rule"
    model = m.Rule
    field_aliases = {"kind": "rule_kind"}

    # Hundreds of tasks: a text input with suggestions (<datalist>) instead of a very long select.
    task = text_field(lazy_gettext("Opgave"), 120, required=lazy_gettext("Vælg opgaven reglen gælder."),
                      description=lazy_gettext("Skriv for at søge, og vælg opgaven på listen."))
    profession = choice_field(lazy_gettext("Faggruppe"))
    all_professions = BooleanField(lazy_gettext("Gælder alle faggrupper (undtagen dem valgt herunder)"))
    except_professions = multi_choice_field(lazy_gettext("Undtagen"), description=lazy_gettext(
        "Fx læger, når en aftale siger, at kun læger må udføre opgaven."))
    organisation = choice_field(lazy_gettext("Gælder kun i"), description=lazy_gettext(
        "Den region eller kommune, en aftale gælder i; tom: hele landet."))
    effect = choice_field(lazy_gettext("Virkning"), choices=options(EFFECT_LABELS.items(), blank=lazy_gettext(
        "— vælg —")), required=lazy_gettext("Vælg reglens virkning."))
    rule_kind = choice_field(lazy_gettext("Grundlag"), choices=options(KIND_LABELS.items(), blank=lazy_gettext(
        "— vælg —")), required=lazy_gettext("Vælg om reglen kommer fra lovgivningen eller en aftale."))
    provision = choice_field(lazy_gettext("Bestemmelse"), description=lazy_gettext(
        "Påkrævet for en lovbestemt regel; for en aftale: den aftale eller instruks reglen står i."))
    setting = choice_field(lazy_gettext("Gælder kun på arbejdssted"))
    complexity = choice_field(lazy_gettext("Gælder kun for"), choices=options(
        COMPLEXITY_LABELS.items(), blank=lazy_gettext("Alle patienter")))
    conditions = long_text(lazy_gettext("Betingelser"), 5000, description=lazy_gettext(
        "Én betingelse pr. linje, fx Skriftlig instruks fra den ansvarlige læge."))
    note = long_text(lazy_gettext("Note"), 5000)
    sources = FieldList(FormField(CitationForm), label=lazy_gettext("Kilder"))

    def __init__(self, *args, **kwargs):
        self.task_options: list[tuple[str, str]] = []
        self._tasks: set[str] = set()
        super().__init__(*args, **kwargs)

    def _load_choices(self, session: Session) -> dict[str, Any]:
        self.task_options = [tuple(r) for r in session.execute(
            sa.select(m.Task.slug, m.Task.title).order_by(m.Task.title))]
        self._tasks = {slug for slug, _ in self.task_options}
        provisions = session.execute(sa.select(m.Provision.slug, m.LegalAct.short_name, m.Provision.reference,
                                               m.Provision.title).join(m.Provision.act)
                                     .order_by(m.LegalAct.short_name, m.Provision.id)).all()
        return {
            "profession": options(session.execute(sa.select(m.Profession.slug, m.Profession.name)
                                                  .order_by(m.Profession.name)), blank=lazy_gettext("— vælg —")),
            "setting": options(session.execute(sa.select(m.Setting.slug, m.Setting.name).order_by(m.Setting.name)),
                               blank=lazy_gettext("Alle arbejdssteder")),
            "organisation": options(session.execute(sa.select(m.Organisation.slug, m.Organisation.name)
                                                    .order_by(m.Organisation.name)),
                                    blank=lazy_gettext("Hele landet")),
            "provision_one": options(((s, (r if r.startswith(a) else f"{a}: {r}") + (f" — {t}" if t else ""))
                                      for s, a, r, t in provisions), blank=lazy_gettext("— ingen —")),
            **citation_options(session),
        }

    def _apply_choices(self) -> None:
        c = self._choices
        self.profession.choices = c.get("profession", [])
        self.except_professions.choices = [x for x in c.get("profession", []) if x.value]
        self.organisation.choices = c.get("organisation", [])
        self.setting.choices = c.get("setting", [])
        self.provision.choices = c.get("provision_one", [])
        for entry in self.sources:
            set_citation_choices(entry.form, c)

    def _add_spares(self) -> None:
        add_spare_rows(self.sources, 2)
        if self._choices:
            self._apply_choices()

    def add_pending_tasks(self, slugs) -> None:
        """Tasks that exist only as drafts of new tasks may be named too (the rule is published after them)."""
        self._tasks |= set(slugs)

    def validate_task(self, field) -> None:
        if field.data and self._tasks and field.data not in self._tasks:
            raise ValidationError(lazy_gettext("Opgaven findes ikke: '%(value)s'. Vælg en opgave på listen.",
                                               value=field.data))

    def validate_profession(self, field) -> None:
        if self.all_professions.data and field.data:
            raise ValidationError(lazy_gettext("Vælg enten én faggruppe eller »alle faggrupper«, ikke begge."))
        if not self.all_professions.data and not field.data:
            raise ValidationError(lazy_gettext("Vælg faggruppen reglen gælder."))

    def validate_except_professions(self, field) -> None:
        if field.data and not self.all_professions.data:
            raise ValidationError(lazy_gettext("Undtagelser kræver, at reglen gælder alle faggrupper."))

    def validate_effect(self, field) -> None:
        if field.data == "delegation" and self.rule_kind.data != "legal":
            raise ValidationError(lazy_gettext("Særlig hjemmel til at være medhjælp kan kun komme fra lovgivningen."))

    def validate_provision(self, field) -> None:
        if self.rule_kind.data == "legal" and not field.data:
            raise ValidationError(lazy_gettext("En lovbestemt regel skal henvise til en bestemmelse."))

    def validate_conditions(self, field) -> None:
        if any(len(line) > CONDITION_MAX for line in split_lines(field.data)):
            raise ValidationError(lazy_gettext("Højst %(max)d tegn pr. linje.", max=CONDITION_MAX))

    def _fill(self, document: dict[str, Any]) -> None:
        self.slug.data = document.get("slug") or ""
        self.task.data = document.get("task") or ""
        self.profession.data = document.get("profession") or ""
        self.all_professions.data = bool(document.get("all_professions"))
        self.except_professions.data = list(document.get("except_professions", []))
        self.organisation.data = document.get("organisation") or ""
        self.effect.data = document.get("effect") or ""
        self.rule_kind.data = document.get("kind") or ""
        self.provision.data = document.get("provision") or ""
        self.setting.data = document.get("setting") or ""
        self.complexity.data = document.get("complexity") or ""
        self.conditions.data = "\n".join(document.get("conditions", []))
        self.note.data = document.get("note") or ""
        fill_rows(self.sources, document.get("sources", []), fill_citation)

    def prefill(self, args) -> None:
        """A new rule opened from a task or profession page comes with them (?task=…&profession=…)."""
        self.task.data = args.get("task") or self.task.data
        if args.get("profession"):
            self.profession.data = args["profession"]

    def document(self) -> dict[str, Any]:
        return {
            "slug": self.slug_value(), "task": self.task.data or "", "profession": self.profession.data or None,
            "all_professions": bool(self.all_professions.data),
            "except_professions": sorted(set(self.except_professions.data or [])),
            "organisation": self.organisation.data or None,
            "effect": self.effect.data, "kind": self.rule_kind.data, "provision": self.provision.data or None,
            "setting": self.setting.data or None, "complexity": self.complexity.data or None,
            "conditions": split_lines(self.conditions.data), "note": self.note.data or "",
            "sources": citations_of(self.sources),
        }

