"""Upsert a checked bundle into the database by slug, counting real changes only: the "load" step of
kb.knowledge.publish (the one write path), and of the editing preview inside its scratch savepoint."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from kb import models as m
from kb.knowledge.bundle import SeedBundle, count_lines
from kb.knowledge.schema import Citation


def reports_dir() -> Path | None:
    """Where the source reports' texts are (KB_SHARED_DIR/seeds), inside an app."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    return Path(current_app.config["KB_SHARED_DIR"]) / "seeds"


class Loader:
    """Applies one bundle. `changes` counts created/updated records per entity; a second run counts none.

    ``partial``: the bundle is a few documents (an editor's publication, an import), not the whole seed, so tasks
    and rules — the tables that grow to tens of thousands of rows nationally — are read only for the slugs the
    bundle names, not all of them with their collections (70 s for one title on a 50,000-task catalogue)."""

    def __init__(self, session: Session, partial: bool = False):
        self.session = session
        self.partial = partial
        self.bundle = SeedBundle()
        self.changes: Counter = Counter()
        self.cache: dict[type, dict[str, Any]] = {}
        self._new: set[int] = set()  # id() of objects created in this run
        self._counted: set[int] = set()  # id() of objects already counted as changed

    # -- helpers -------------------------------------------------------------------------------------------
    def _all(self, model: type, *options) -> dict[str, Any]:
        if model not in self.cache:
            rows = self.session.scalars(sa.select(model).options(*options)).all()
            self.cache[model] = {r.slug: r for r in rows}
        return self.cache[model]

    def _scoped(self, model: type, slugs: Iterable[str], *options) -> dict[str, Any]:
        """Like _all, but for a partial bundle only the records of ``slugs`` (read once each over the runs)."""
        if not self.partial:
            return self._all(model, *options)
        rows = self.cache.setdefault(model, {})
        missing = sorted(set(slugs) - set(rows))
        for start in range(0, len(missing), 5_000):  # SQLite allows 32,766 bound values
            chunk = missing[start:start + 5_000]
            rows.update({r.slug: r for r in self.session.scalars(
                sa.select(model).where(model.slug.in_(chunk)).options(*options))})
        return rows

    def _get_or_new(self, model: type, slug: str, label: str) -> Any:
        rows = self._all(model)
        obj = rows.get(slug)
        if obj is None:
            obj = model(slug=slug)
            self.session.add(obj)
            rows[slug] = obj
            self.changes[f"{label} oprettet"] += 1
            self._new.add(id(obj))
        return obj

    def _set(self, obj: Any, label: str, **values: Any) -> None:
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        if changed and id(obj) not in self._new and id(obj) not in self._counted:
            self._counted.add(id(obj))
            self.changes[f"{label} ændret"] += 1

    def _by_slugs(self, model: type, slugs: Iterable[str]) -> list[Any]:
        rows = self._all(model)
        return sorted((rows[s] for s in dict.fromkeys(slugs)), key=lambda r: r.slug)

    def _collection(self, obj: Any, label: str, attr: str, model: type, slugs: Iterable[str]) -> None:
        wanted = self._by_slugs(model, slugs)
        if sorted(x.slug for x in getattr(obj, attr)) != [x.slug for x in wanted]:
            self._set(obj, label, **{attr: wanted})

    @staticmethod
    def _citation_key(c: m.SourceCitation) -> tuple:
        return (c.document.slug if c.document else None, c.line_from, c.line_to,
                c.provision.slug if c.provision else None, c.url or None, c.note or "")

    @staticmethod
    def _wanted_citation_key(c: Citation) -> tuple:
        lines = c.lines or [None, None]
        return (c.document, lines[0], lines[1], c.provision, c.url, c.note or "")

    def _citations(self, citations: list[Citation]) -> list[m.SourceCitation]:
        docs, provs = self._all(m.SourceDocument), self._all(m.Provision)
        return [m.SourceCitation(document=docs.get(c.document) if c.document else None,
                                 line_from=(c.lines or [None])[0], line_to=(c.lines or [None, None])[1],
                                 provision=provs.get(c.provision) if c.provision else None,
                                 url=c.url or "", note=c.note) for c in citations]

    def _sync_citations(self, obj: Any, label: str, citations: list[Citation]) -> None:
        current = [self._citation_key(c) for c in obj.citations]
        if current != [self._wanted_citation_key(c) for c in citations]:
            self._set(obj, label, citations=self._citations(citations))

    # -- sections ------------------------------------------------------------------------------------------
    def run(self, bundle: SeedBundle) -> Counter:
        """Upsert ``bundle``; the counts add up over runs of one loader (an import writes in chunks with one loader,
        so the records it has read are read once). Flushes, never commits."""
        self.bundle = bundle
        self._settings_sources_competences()
        # A partial bundle skips the sections it has nothing for: each reads its whole table with its collections.
        for section, step in (("professions", self._professions), ("legal_acts", self._law),
                              ("educations", self._educations), ("competences", self._competence_training),
                              ("tasks", self._tasks), ("rules", self._rules), ("synonyms", self._synonyms)):
            if not self.partial or bundle.entries(section) or (section == "tasks" and bundle.entries("evidence")):
                step()
        self.session.flush()
        return self.changes

    def _settings_sources_competences(self) -> None:
        for e in self.bundle.entries("settings"):
            d = e.data
            self._set(self._get_or_new(m.Setting, d.slug, "miljø"), "miljø", name=d.name, name_en=d.name_en)
        orgs = self.bundle.entries("organisations")
        for e in orgs:  # first pass: create all, so parents resolve in any order
            self._get_or_new(m.Organisation, e.data.slug, "organisation")
        rows = self._all(m.Organisation)
        for e in orgs:
            d = e.data
            self._set(rows[d.slug], "organisation", name=d.name, name_en=d.name_en, kind=d.kind,
                      parent=rows[d.parent] if d.parent else None)
        seeds = reports_dir()
        for e in self.bundle.entries("sources"):
            d = e.data
            doc = self._get_or_new(m.SourceDocument, d.slug, "kilde")
            self._set(doc, "kilde", title=d.title, file=d.file,
                      publisher=d.publisher, year=d.year, description=d.description, url=d.url)
            lines = count_lines(seeds / d.file) if seeds is not None else None
            if lines is not None and doc.line_count != lines:  # kept as it was where the texts are not at hand
                doc.line_count = lines
        for e in self.bundle.entries("competences"):
            d = e.data
            self._set(self._get_or_new(m.Competence, d.slug, "kompetence"), "kompetence", name=d.name,
                      name_en=d.name_en, kind=d.kind, description=d.description)

    def _competence_training(self) -> None:
        """After the law, so its citations can name provisions of the same bundle; basis competences may be
        anywhere in it."""
        entries = self.bundle.entries("competences")
        if not entries:
            return
        self._all(m.Competence, selectinload(m.Competence.training_basis), selectinload(m.Competence.citations))
        for e in entries:
            d = e.data
            c = self._all(m.Competence)[d.slug]
            self._set(c, "kompetence", training_effort=d.training_effort, training_hours=d.training_hours,
                      training_min_level=d.training_min_level, training_note=d.training_note)
            self._collection(c, "kompetence", "training_basis", m.Competence, d.training_basis)
            self._sync_citations(c, "kompetence", d.training_sources)

    def _professions(self) -> None:
        self._all(m.Profession, selectinload(m.Profession.settings), selectinload(m.Profession.competences),
                  selectinload(m.Profession.citations), selectinload(m.Profession.shortages))
        entries = self.bundle.entries("professions")
        for e in entries:  # first pass: create all, so parents resolve in any order
            self._get_or_new(m.Profession, e.data.slug, "faggruppe")
        rows = self._all(m.Profession)
        for e in entries:
            d, label = e.data, "faggruppe"
            p = rows[d.slug]
            self._set(p, label, name=d.name, name_en=d.name_en, abbreviation=d.abbreviation,
                      parent=rows[d.parent] if d.parent else None, authorised=d.authorised,
                      title_protected=d.title_protected, has_reserved_area=d.has_reserved_area,
                      legal_basis=d.legal_basis, isco08=d.isco08, register_code=d.register_code,
                      education_name=d.education_name, education_length=d.education_length,
                      education_level=d.education_level, shortage_level=d.shortage_level,
                      description=d.description)
            self._collection(p, label, "settings", m.Setting, d.settings)
            self._collection(p, label, "competences", m.Competence, d.competences)
            self._sync_citations(p, label, d.sources)
            current = [(s.metric, s.value, s.unit, s.year, s.note, [self._citation_key(c) for c in s.citations])
                       for s in p.shortages]
            wanted = [(s.metric, s.value, s.unit, s.year, s.note, [self._wanted_citation_key(c) for c in s.sources])
                      for s in d.shortage]
            if current != wanted:
                self._set(p, label, shortages=[
                    m.ProfessionShortage(metric=s.metric, value=s.value, unit=s.unit, year=s.year, note=s.note,
                                         citations=self._citations(s.sources)) for s in d.shortage])

    def _law(self) -> None:
        self._all(m.Provision, selectinload(m.Provision.reserved_to))
        orgs = self._all(m.Organisation)
        for e in self.bundle.entries("legal_acts"):
            d = e.data
            act = self._get_or_new(m.LegalAct, d.slug, "retsakt")
            self._set(act, "retsakt", short_name=d.short_name, title=d.title, reference=d.reference, url=d.url,
                      kind=d.kind, organisation=orgs[d.organisation] if d.organisation else None,
                      valid_from=d.valid_from, valid_to=d.valid_to, verified=d.verified,
                      verified_source=d.verified_source, verified_on=d.verified_on,
                      verification_note=d.verification_note)
            for pd in d.provisions:
                p = self._get_or_new(m.Provision, pd.slug, "bestemmelse")
                inherits = pd.verified is None  # a provision silent on verification takes the act's
                org = pd.organisation or d.organisation
                self._set(p, "bestemmelse", act=act, reference=pd.reference, title=pd.title, summary=pd.summary,
                          url=pd.url, valid_from=pd.valid_from, valid_to=pd.valid_to, effect=pd.effect,
                          scope=pd.scope, complexity=pd.complexity, organisation=orgs[org] if org else None,
                          kind=pd.kind or d.kind, verified=d.verified if inherits else pd.verified,
                          verified_source=pd.verified_source or (d.verified_source if inherits else ""),
                          verified_on=pd.verified_on or (d.verified_on if inherits else None),
                          verification_note=pd.verification_note)
                self._collection(p, "bestemmelse", "reserved_to", m.Profession, pd.reserved_to)

    def _educations(self) -> None:
        self._all(m.Education, selectinload(m.Education.competences), selectinload(m.Education.target_professions),
                  selectinload(m.Education.citations))
        for e in self.bundle.entries("educations"):
            d, label = e.data, "uddannelse"
            ed = self._get_or_new(m.Education, d.slug, label)
            self._set(ed, label, name=d.name, name_en=d.name_en, provider=d.provider, level=d.level, ects=d.ects,
                      length=d.length, price=d.price, entry_requirements=d.entry_requirements, url=d.url,
                      description=d.description)
            self._collection(ed, label, "competences", m.Competence, d.competences)
            self._collection(ed, label, "target_professions", m.Profession, d.target_professions)
            self._sync_citations(ed, label, d.sources)

    def _task_slugs(self) -> set[str]:
        """The tasks this bundle writes or points at (rules and evidence name their task)."""
        return ({e.data.slug for e in self.bundle.entries("tasks")} | {e.data.task for e in self.bundle.entries("rules")}
                | {e.data.task for e in self.bundle.entries("evidence")})

    def _tasks(self) -> None:
        self._scoped(m.Task, self._task_slugs(), selectinload(m.Task.settings), selectinload(m.Task.holders),
                     selectinload(m.Task.provisions), selectinload(m.Task.terms),
                     selectinload(m.Task.requirements).selectinload(m.TaskRequirement.competence),
                     selectinload(m.Task.citations),
                     selectinload(m.Task.evidence).selectinload(m.Evidence.citations))
        extra_evidence: dict[str, list] = defaultdict(list)
        for e in self.bundle.entries("evidence"):
            extra_evidence[e.data.task].append(e.data)
        professions, competences = self._all(m.Profession), self._all(m.Competence)
        for e in self.bundle.entries("tasks"):
            d, label = e.data, "opgave"
            t = self._get_or_new(m.Task, d.slug, label)
            self._set(t, label, title=d.title, title_en=d.title_en, category=d.category, description=d.description,
                      status=d.status, tags=list(d.tags))
            self._collection(t, label, "settings", m.Setting, d.settings)
            self._collection(t, label, "holders", m.Profession, d.holders)
            self._collection(t, label, "provisions", m.Provision, d.provisions)
            terms = [(term, "abbreviation" if term.isupper() and len(term) <= 8 else "synonym")
                     for term in dict.fromkeys(d.terms)]
            if [(x.term, x.kind) for x in t.terms] != terms:
                # Rows that stay are reused: the flush inserts before it deletes orphans, so a fresh row for a
                # kept term would break the (task, term) unique constraint.
                kept = {x.term: x for x in t.terms}
                rows = [kept.get(a) or m.TaskTerm(term=a, kind=b) for a, b in terms]
                for row, (_, kind) in zip(rows, terms):
                    row.kind = kind
                self._set(t, label, terms=rows)
            reqs = [(r.competence, r.level, r.complexity) for r in d.requirements]
            if [(r.competence.slug, r.level, r.complexity) for r in t.requirements] != reqs:
                kept_reqs = {(r.competence.slug, r.complexity): r for r in t.requirements}
                rows = [kept_reqs.get((c, cx)) or m.TaskRequirement(competence=competences[c], level=lv, complexity=cx)
                        for c, lv, cx in reqs]
                for row, (_, lv, _) in zip(rows, reqs):
                    row.level = lv
                self._set(t, label, requirements=rows)
            self._sync_citations(t, label, d.sources)
            evidence = list(d.evidence) + extra_evidence.get(d.slug, [])
            current = [(x.taker.slug if x.taker else None, x.from_profession.slug if x.from_profession else None,
                        x.kind, x.summary, [self._citation_key(c) for c in x.citations]) for x in t.evidence]
            wanted = [(x.taker, x.from_, x.kind, x.summary, [self._wanted_citation_key(c) for c in x.sources])
                      for x in evidence]
            if current != wanted:
                self._set(t, label, evidence=[
                    m.Evidence(taker=professions[x.taker],
                               from_profession=professions[x.from_] if x.from_ else None,
                               kind=x.kind, summary=x.summary, citations=self._citations(x.sources))
                    for x in evidence])

    def _rules(self) -> None:
        self._scoped(m.Rule, {e.data.slug for e in self.bundle.entries("rules")}, selectinload(m.Rule.citations),
                     selectinload(m.Rule.exceptions))
        tasks, professions = self._scoped(m.Task, self._task_slugs()), self._all(m.Profession)
        settings, provisions, orgs = self._all(m.Setting), self._all(m.Provision), self._all(m.Organisation)
        for e in self.bundle.entries("rules"):
            d, label = e.data, "regel"
            r = self._get_or_new(m.Rule, d.slug, label)
            self._set(r, label, task=tasks[d.task], profession=professions[d.profession] if d.profession else None,
                      setting=settings[d.setting] if d.setting else None, complexity=d.complexity,
                      organisation=orgs[d.organisation] if d.organisation else None,
                      effect=d.effect, kind=d.kind, provision=provisions[d.provision] if d.provision else None,
                      conditions=list(d.conditions), note=d.note)
            self._collection(r, label, "exceptions", m.Profession, d.except_professions)
            self._sync_citations(r, label, d.sources)

    def _synonyms(self) -> None:
        rows = {s.term: s for s in self.session.scalars(sa.select(m.Synonym)).all()}
        for e in self.bundle.entries("synonyms"):
            d = e.data
            syn = rows.get(d.term)
            if syn is None:
                syn = m.Synonym(term=d.term)
                self.session.add(syn)
                self.changes["synonym oprettet"] += 1
                self._new.add(id(syn))
            self._set(syn, "synonym", equivalents=list(d.equivalents), kind=d.kind)
