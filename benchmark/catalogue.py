"""A synthetic national-size catalogue on top of the real seed, written with bulk Core inserts.

The real seed is loaded first (kb seed's loader), so the real professions, acts, provisions and the engine's
delegation provisions exist; synthetic rows are added beside them. Ids are assigned here rather than by the
database, so one executemany per table can link tasks to holders, requirements and rules without reading back.
Everything comes from one random.Random(seed): the same options give the same catalogue.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb import models as m
from benchmark import vocabulary as v
from kb.knowledge_state import mark_changed
from kb.models.education import education_competence, education_target
from kb.models.enums import EVIDENCE_KINDS, SHORTAGE_LEVELS
from kb.models.law import provision_reserved_to
from kb.models.task import task_holder, task_provision, task_setting

# Realistic leaders of the holder distribution: nurses and SOSU assistants hold most tasks, then doctors.
LEADING_HOLDERS = ("sygeplejerske", "social-og-sundhedsassistent", "laege", "social-og-sundhedshjaelper",
                   "fysioterapeut", "laegesekretaer")
CONDITION_TEXTS = (
    "Skriftlig instruks foreligger", "Oplæring er dokumenteret", "Kun ukomplicerede patienter",
    "Læge kan kontaktes under opgaven", "Efter lokal aftale med afdelingsledelsen", "Kompetencekort er udfyldt",
    "Kun i dagtiden", "Supervision de første ti gange", "Ordinationen er skriftlig i EPJ",
)
# How descriptions end; varied so no single word ends up in every task (it would match the whole catalogue).
CLOSINGS = ("", "", ", med dokumentation i journalen", ", efter afdelingens instruks", ", i samarbejde med pårørende",
            ", med opfølgning næste dag", ", efter aftale med lægen", ", som led i forløbsplanen")
CHUNK = 5000


@dataclass(frozen=True)
class Sizes:
    tasks: int = 50_000
    professions: int = 100  # in all, the seed's included
    competences: int = 2_000  # in all, the seed's included
    seed: int = 20261130


def _next_id(session: Session, model) -> int:
    return (session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def insert_rows(session: Session, table: sa.Table, rows: list[dict]) -> None:
    """executemany in chunks: one round trip per chunk on both backends (insertmanyvalues on PostgreSQL)."""
    for start in range(0, len(rows), CHUNK):
        session.execute(sa.insert(table), rows[start:start + CHUNK])


class Builder:
    """Makes the synthetic rows table by table; `rows` maps each table to what will be inserted."""

    def __init__(self, session: Session, sizes: Sizes):
        self.s, self.sizes = session, sizes
        self.rng = random.Random(sizes.seed)
        self.rows: dict[sa.Table, list[dict]] = {}
        self.used_slugs: dict[str, set[str]] = {}

    def add(self, table: sa.Table, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)

    def unique_slug(self, kind: str, text: str, existing: set[str] | None = None) -> str:
        taken = self.used_slugs.setdefault(kind, set(existing or ()))
        base = v.slugify(text, 100) or kind
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        return slug

    # -- reference data from the real seed ------------------------------------------------------------------
    def read_seed(self) -> None:
        s = self.s
        self.professions = dict(s.execute(sa.select(m.Profession.slug, m.Profession.id)).all())
        self.competences = dict(s.execute(sa.select(m.Competence.slug, m.Competence.id)).all())
        self.settings = list(s.scalars(sa.select(m.Setting.id).order_by(m.Setting.id)))
        self.documents = list(s.scalars(sa.select(m.SourceDocument.id).order_by(m.SourceDocument.id)))
        self.task_slugs = set(s.scalars(sa.select(m.Task.slug)))
        self.synonym_terms = {t.lower() for t in s.scalars(sa.select(m.Synonym.term))}
        self.provisions: dict[str, list[int]] = {"legal": [], "organisational": []}
        for pid, kind in s.execute(sa.select(m.Provision.id, m.Provision.kind).order_by(m.Provision.id)):
            self.provisions[kind].append(pid)

    # -- professions, competences, educations ---------------------------------------------------------------
    def professions_and_competences(self) -> None:
        rng, next_id = self.rng, _next_id(self.s, m.Profession)
        real = dict(self.professions)
        table = m.Profession.__table__
        while len(self.professions) < self.sizes.professions:
            head = rng.choice(v.PROFESSION_HEADS)
            name = v.capitalise(v.compound(rng.choice(v.OBJECTS + v.ACTIONS), head))
            slug = self.unique_slug("profession", name, set(real))
            parent = real.get("sygeplejerske") if head == "sygeplejerske" else (
                rng.choice(list(real.values())) if rng.random() < 0.15 else None)
            self.add(table, dict(
                id=next_id, slug=slug, name=name, name_en="", abbreviation=v.abbreviation(name.split()) + "X",
                parent_id=parent, authorised=rng.random() < 0.3, title_protected=rng.random() < 0.3,
                has_reserved_area=False, legal_basis="", isco08=str(rng.randint(2000, 5399)), register_code="",
                education_name=f"Uddannelse til {name.lower()}", education_length=f"{rng.randint(1, 5)} år",
                education_level=rng.randint(1, 6), shortage_level=rng.choice(SHORTAGE_LEVELS),
                description=f"{name} arbejder med {rng.choice(v.OBJECTS)} og {rng.choice(v.ACTIONS)} "
                            f"{rng.choice(v.PLACES)}."))
            self.professions[slug] = next_id
            next_id += 1
        # Zipf rank order of holders: the realistic leaders first, then the rest in a seeded shuffle.
        rest = [p for p in sorted(self.professions) if p not in LEADING_HOLDERS]
        rng.shuffle(rest)
        self.holder_order = [self.professions[p] for p in LEADING_HOLDERS if p in self.professions] + \
                            [self.professions[p] for p in rest]

        table, next_id = m.Competence.__table__, _next_id(self.s, m.Competence)
        self.competences_by_object: dict[str, list[int]] = {}
        while len(self.competences) < self.sizes.competences:
            obj, action = rng.choice(v.OBJECTS), rng.choice(v.ACTIONS)
            knowledge = rng.random() < 0.3
            name = (f"Viden om {v.compound(obj, action)}" if knowledge
                    else v.capitalise(v.compound(obj, action)))
            if rng.random() < 0.4:
                name += f" ({rng.choice(v.ADJECTIVES)})"
            slug = self.unique_slug("competence", name, set(self.competences))
            # how a group lacking it gains it, spread like the seed's: mostly oplæring, some courses and educations
            effort = rng.choices(("oplæring", "kursus", "uddannelse"), weights=(6, 3, 1))[0]
            self.add(table, dict(id=next_id, slug=slug, name=name, name_en="",
                                 kind="knowledge" if knowledge else "skill",
                                 description=f"{v.capitalise(action)} af {obj} {rng.choice(v.PLACES)}.",
                                 training_effort=effort,
                                 training_hours=None if effort == "uddannelse" else rng.choice((4, 8, 16, 24, 37)),
                                 training_min_level=rng.choice((0, 0, 1, 2, 2, 3, 4)), training_note=""))
            self.competences[slug] = next_id
            self.competences_by_object.setdefault(obj, []).append(next_id)
            next_id += 1
        competence_ids = list(self.competences.values())
        rng.shuffle(competence_ids)
        self.competence_order = competence_ids
        self.competence_zipf = v.Zipf(len(competence_ids), 0.8, rng)
        seeded = set(map(tuple, self.s.execute(sa.select(m.ProfessionCompetence.profession_id,
                                                         m.ProfessionCompetence.competence_id))))
        for rank, pid in enumerate(self.holder_order):  # common groups have broad education profiles
            count = max(8, int(160 / (1 + rank) ** 0.5))
            for i in self.competence_zipf.distinct(count):
                if (pid, competence_ids[i]) in seeded:
                    continue
                self.add(m.ProfessionCompetence.__table__, dict(profession_id=pid, competence_id=competence_ids[i]))
        self._educations(competence_ids)

    def _educations(self, competence_ids: list[int]) -> None:
        rng, next_id = self.rng, _next_id(self.s, m.Education)
        existing = set(self.s.scalars(sa.select(m.Education.slug)))
        for _ in range(max(10, len(competence_ids) // 10)):
            obj, action = rng.choice(v.OBJECTS), rng.choice(v.ACTIONS)
            name = f"{rng.choice(v.EDUCATION_KINDS)} {v.compound(obj, action)}"
            self.add(m.Education.__table__, dict(
                id=next_id, slug=self.unique_slug("education", name, existing), name=name, name_en="",
                provider=rng.choice(("VIA University College", "Professionshøjskolen Absalon", "UCL", "SOSU H")),
                level=rng.choice(("AMU", "Diplom", "Master", "Kursus")), ects=rng.choice((None, 5.0, 10.0, 15.0)),
                length=f"{rng.randint(1, 20)} dage", price=f"{rng.randint(2, 40) * 1000} kr.",
                entry_requirements="", url="", description=f"Giver kompetence i {obj} og {action}."))
            for i in self.competence_zipf.distinct(rng.randint(1, 4)):
                self.add(education_competence, dict(education_id=next_id, competence_id=competence_ids[i]))
            for pid in rng.sample(self.holder_order[:30], rng.randint(1, 3)):
                self.add(education_target, dict(education_id=next_id, profession_id=pid))
            next_id += 1

    # -- law: synthetic acts and provisions with validity dates -----------------------------------------------
    def law(self) -> None:
        rng = self.rng
        act_id, prov_id = _next_id(self.s, m.LegalAct), _next_id(self.s, m.Provision)
        existing_acts = set(self.s.scalars(sa.select(m.LegalAct.slug)))
        existing_provs = set(self.s.scalars(sa.select(m.Provision.slug)))
        n_provisions = max(20, self.sizes.tasks // 100)
        per_act = 12
        authorised = [self.professions[p] for p in ("sygeplejerske", "laege", "jordemoder", "tandlaege")
                      if p in self.professions] or self.holder_order[:3]
        for a in range(-(-n_provisions // per_act)):
            kind = "legal" if a % 3 == 0 else "organisational"
            topic = v.compound(rng.choice(v.OBJECTS), rng.choice(v.ACTIONS))
            short = (f"Bekendtgørelse om {topic}" if kind == "legal"
                     else rng.choice(("Regional aftale om ", "Lokal instruks for ", "Kommunal retningslinje for "))
                     + topic)
            self.add(m.LegalAct.__table__, dict(
                id=act_id, slug=self.unique_slug("act", f"{short}-{a}", existing_acts), short_name=short[:200],
                title=short, reference=f"BEK nr {rng.randint(100, 2000)} af {rng.randint(2005, 2024)}", url="",
                kind=kind, verified=False, verification_note="Syntetisk (benchmark)"))
            for n in range(per_act):
                effect = rng.choices(("other", "reserves", "never_delegable", "requires_written_instruction"),
                                     weights=(40, 25, 10, 25))[0]
                valid_from = date(rng.randint(2005, 2024), rng.randint(1, 12), 1)
                roll = rng.random()  # most in force today; some expired, some not yet in force
                valid_to = valid_from + timedelta(days=rng.randint(365, 3650)) if roll < 0.15 else None
                if roll > 0.95:
                    valid_from = date(2027, rng.randint(1, 12), 1)
                ref = f"§ {n + 1}, stk. {rng.randint(1, 4)}"
                self.add(m.Provision.__table__, dict(
                    id=prov_id, act_id=act_id, slug=self.unique_slug("provision", f"{short}-{ref}", existing_provs),
                    reference=ref, title=f"{v.capitalise(topic)} {rng.choice(v.PLACES)}",
                    summary=f"Om {topic} og {rng.choice(v.OBJECTS)}.", url="", valid_from=valid_from,
                    valid_to=valid_to, effect=effect, kind=kind, verified=False, verification_note=""))
                if effect == "reserves":
                    for pid in rng.sample(authorised, rng.randint(1, min(2, len(authorised)))):
                        self.add(provision_reserved_to, dict(provision_id=prov_id, profession_id=pid))
                self.provisions[kind].append(prov_id)
                prov_id += 1
            act_id += 1
        self.synthetic_provisions = [r["id"] for r in self.rows[m.Provision.__table__]]

    # -- tasks and everything hanging off them ------------------------------------------------------------------
    def _title(self) -> tuple[str, str, str, list[str]]:
        rng = self.rng
        obj, action = rng.choice(v.OBJECTS), rng.choice(v.ACTIONS)
        qualifier = rng.choice((rng.choice(v.PLACES), "hos " + rng.choice(v.PEOPLE), rng.choice(v.CONDITIONS)))
        written_out = rng.random() < 0.4
        core = f"{action} af {obj}" if written_out else v.compound(obj, action)
        if rng.random() < 0.3:
            core = f"{rng.choice(v.ADJECTIVES)} {core}"
        terms = [f"{action} af {obj}" if not written_out else v.compound(obj, action)]
        return v.capitalise(f"{core} {qualifier}"), obj, action, terms

    def tasks(self) -> None:
        rng, sizes = self.rng, self.sizes
        task_id, rule_id, cit_id, ev_id, term_id, req_id = (_next_id(self.s, model) for model in (
            m.Task, m.Rule, m.SourceCitation, m.Evidence, m.TaskTerm, m.TaskRequirement))
        holders = v.Zipf(len(self.holder_order), 1.1, rng)
        category = ("clinical", "administrative", "coordination")
        abbreviations: dict[str, set[str]] = {}
        for _ in range(sizes.tasks):
            title, obj, action, terms = self._title()
            slug = self.unique_slug("task", title, self.task_slugs)
            other_obj = rng.choice(v.OBJECTS)
            description = (f"{v.capitalise(action)} af {obj} {rng.choice(v.PLACES)}. Opgaven omfatter også "
                           f"{v.compound(other_obj, rng.choice(v.ACTIONS))} og {rng.choice(v.ACTIONS)} af "
                           f"{other_obj} {rng.choice(v.CONDITIONS)}{rng.choice(CLOSINGS)}.")
            self.add(m.Task.__table__, dict(
                id=task_id, slug=slug, title=title[:300], title_en="", description=description,
                category=rng.choices(category, weights=(60, 25, 15))[0],
                status="draft" if rng.random() < 0.01 else "published", tags=[obj, action]))
            held = [self.holder_order[i] for i in holders.distinct(1 + (rng.random() < 0.4) + (rng.random() < 0.1))]
            for pid in held:
                self.add(task_holder, dict(task_id=task_id, profession_id=pid))
            for sid in rng.sample(self.settings, rng.choice((0, 1, 1, 2, 3))):
                self.add(task_setting, dict(task_id=task_id, setting_id=sid))
            own = self.competences_by_object.get(obj, [])
            wanted = ([rng.choice(own)] if own else []) + \
                     [self.competence_order[i] for i in self.competence_zipf.distinct(rng.randint(0 if own else 1, 4))]
            for cid in dict.fromkeys(wanted):
                self.add(m.TaskRequirement.__table__, dict(
                    id=req_id, task_id=task_id, competence_id=cid,
                    level="required" if rng.random() < 0.7 else "desirable",
                    complexity=rng.choices((None, "complex", "uncomplicated"), weights=(80, 15, 5))[0]))
                req_id += 1
            if rng.random() < 0.06:
                for pid in rng.sample(self.synthetic_provisions, rng.randint(1, 2)):
                    self.add(task_provision, dict(task_id=task_id, provision_id=pid))
            if rng.random() < 0.3:
                abbr = v.abbreviation([obj, action])
                abbreviations.setdefault(abbr, set()).add(v.compound(obj, action))
                for term in dict.fromkeys(terms + ([abbr] if rng.random() < 0.5 else [])):
                    self.add(m.TaskTerm.__table__, dict(id=term_id, task_id=task_id, term=term,
                                                        kind="abbreviation" if term.isupper() else "synonym"))
                    term_id += 1
            if rng.random() < 0.3 and self.documents:
                line = rng.randint(1, 1800)
                self.add(m.SourceCitation.__table__, self._citation(cit_id, task_id=task_id, document_id=rng.choice(
                    self.documents), line_from=line, line_to=line + rng.randint(0, 12)))
                cit_id += 1
            if rng.random() < 0.10:  # rules on about one task in ten
                for pid in rng.sample(self.holder_order, rng.randint(1, 3)):
                    rule_id, cit_id = self._rule(rule_id, cit_id, task_id, slug, pid)
            if rng.random() < 0.05:
                self.add(m.Evidence.__table__, dict(
                    id=ev_id, task_id=task_id, taker_id=rng.choice(self.holder_order), from_profession_id=held[0],
                    kind=rng.choice(EVIDENCE_KINDS), summary=f"Forslag om at flytte {title.lower()}."))
                ev_id += 1
            task_id += 1
        self._synonyms(abbreviations)

    def _citation(self, cid: int, **values) -> dict:
        row = dict(id=cid, document_id=None, line_from=None, line_to=None, provision_id=None, url="", note="",
                   task_id=None, profession_id=None, evidence_id=None, rule_id=None, education_id=None,
                   shortage_id=None)
        row.update(values)
        return row

    def _rule(self, rule_id: int, cit_id: int, task_id: int, task_slug: str, profession_id: int) -> tuple[int, int]:
        rng = self.rng
        kind = "legal" if rng.random() < 0.4 else "organisational"
        provision = rng.choice(self.provisions[kind]) if kind == "legal" or rng.random() < 0.7 else None
        effect = rng.choices(("allow", "deny", "conditions"), weights=(30, 30, 40))[0]
        conditions = rng.sample(CONDITION_TEXTS, rng.randint(1, 3)) if effect == "conditions" else []
        self.add(m.Rule.__table__, dict(
            id=rule_id, slug=self.unique_slug("rule", f"{task_slug[:90]}-r{rule_id}"), task_id=task_id,
            profession_id=profession_id, setting_id=rng.choice(self.settings) if rng.random() < 0.3 else None,
            complexity=rng.choice(("complex", "uncomplicated")) if rng.random() < 0.2 else None,
            effect=effect, kind=kind, provision_id=provision, conditions=conditions,
            note="Syntetisk regel til benchmark."))
        if provision is not None and rng.random() < 0.5:
            self.add(m.SourceCitation.__table__, self._citation(cit_id, rule_id=rule_id, provision_id=provision))
            cit_id += 1
        return rule_id + 1, cit_id

    def _synonyms(self, abbreviations: dict[str, set[str]]) -> None:
        """Ward abbreviations as search vocabulary; an abbreviation shared by many compounds is too vague to keep."""
        next_id = _next_id(self.s, m.Synonym)
        for abbr, compounds in sorted(abbreviations.items()):
            if abbr.lower() in self.synonym_terms or len(compounds) > 3 or len(abbr) < 2:
                continue
            self.add(m.Synonym.__table__, dict(id=next_id, term=abbr, equivalents=sorted(compounds),
                                               kind="abbreviation"))
            next_id += 1

    def write(self) -> dict[str, int]:
        # Parents before children, so foreign keys hold at every statement (PostgreSQL checks them immediately).
        order = [m.Profession.__table__, m.Competence.__table__, m.ProfessionCompetence.__table__,
                 m.Education.__table__, education_competence, education_target, m.LegalAct.__table__,
                 m.Provision.__table__, provision_reserved_to, m.Task.__table__, task_holder, task_setting,
                 m.TaskRequirement.__table__, task_provision, m.TaskTerm.__table__, m.Rule.__table__,
                 m.Evidence.__table__, m.SourceCitation.__table__, m.Synonym.__table__]
        counts = {}
        for table in order:
            rows = self.rows.get(table, [])
            insert_rows(self.s, table, rows)
            counts[table.name] = len(rows)
        return counts


def reset_sequences(session: Session, tables: list[str]) -> None:
    """PostgreSQL: ids were given explicitly, so move each serial sequence past them for later ORM inserts."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in tables:
        session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce((SELECT max(id) FROM {name}), 1))"))


def build(session: Session, sizes: Sizes, say: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """Add the synthetic rows to a seeded database in the current transaction; returns rows inserted per table."""
    builder = Builder(session, sizes)
    builder.read_seed()
    builder.professions_and_competences()
    builder.law()
    builder.tasks()
    say(f"  rækker lavet: {sum(len(r) for r in builder.rows.values())}")
    counts = builder.write()
    with_ids = [t for t, n in counts.items() if n and "id" in m.Base.metadata.tables[t].c
                and m.Base.metadata.tables[t].c.id.primary_key]
    reset_sequences(session, with_ids)
    mark_changed(session)  # Core inserts bypass the ORM's change tracking
    return counts
