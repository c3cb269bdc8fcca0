"""Task facts for the engine straight from columns: one task for a who-may answer, or thousands for "shiftable".

This is the one loader that turns rows into facts; every caller reaches it through kb.whomay.service. Why columns,
not ORM Task objects with nine eager-loaded collections: for the 16,000 tasks nurses hold in the national-size
benchmark those took seconds (docs/benchmark.md). Here each collection is one query returning ids, resolved through
small look-up tables (every provision, profession, competence and setting) cached per knowledge version. Orders
match the ORM relationships (provisions and rules by slug, requirements by id), so the engine's reasons come out
the same (tests/integration/test_whomay.py holds them against an ORM oracle).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from kb.knowledge_state import cached
from kb.models.law import provision_reserved_to
from kb.models.rule import rule_exception
from kb.models.task import task_holder, task_provision
from kb.rules import EvidenceFact, ProvisionFact, Requirement, RuleFact, TaskFact


@dataclass(frozen=True)
class _Lookups:
    provisions: dict[int, ProvisionFact]
    professions: dict[int, str]
    competences: dict[int, str]
    settings: dict[int, str]
    organisations: dict[int, str]
    rule_exceptions: dict[int, frozenset[str]]  # rule id → the groups a rule for "everyone but …" leaves out


def _build_lookups() -> _Lookups:
    s = db.session
    professions = dict(s.execute(sa.select(m.Profession.id, m.Profession.slug)).all())
    reserved: dict[int, set[str]] = {}
    for provision_id, profession_id in s.execute(sa.select(provision_reserved_to.c.provision_id,
                                                           provision_reserved_to.c.profession_id)):
        reserved.setdefault(provision_id, set()).add(professions[profession_id])
    organisations = dict(s.execute(sa.select(m.Organisation.id, m.Organisation.slug)).all())
    rows = s.execute(sa.select(m.Provision.id, m.Provision.slug, m.LegalAct.short_name, m.Provision.reference,
                               m.Provision.title, m.Provision.url, m.Provision.effect, m.Provision.kind,
                               m.Provision.valid_from, m.Provision.valid_to, m.Provision.verified,
                               m.Provision.scope, m.Provision.complexity, m.Provision.organisation_id)
                     .join(m.LegalAct, m.LegalAct.id == m.Provision.act_id)).all()
    provisions = {r.id: ProvisionFact(slug=r.slug, act=r.short_name, ref=r.reference, title=r.title, url=r.url,
                                      effect=r.effect, reserved_to=frozenset(reserved.get(r.id, ())), kind=r.kind,
                                      valid_from=r.valid_from, valid_to=r.valid_to, verified=r.verified,
                                      scope=r.scope or "", complexity=r.complexity,
                                      organisation=organisations.get(r.organisation_id))
                  for r in rows}
    exceptions: dict[int, set[str]] = {}
    for rule_id, profession_id in s.execute(sa.select(rule_exception.c.rule_id, rule_exception.c.profession_id)):
        exceptions.setdefault(rule_id, set()).add(professions[profession_id])
    return _Lookups(provisions=provisions, professions=professions,
                    competences=dict(s.execute(sa.select(m.Competence.id, m.Competence.slug)).all()),
                    settings=dict(s.execute(sa.select(m.Setting.id, m.Setting.slug)).all()),
                    organisations=organisations,
                    rule_exceptions={k: frozenset(v) for k, v in exceptions.items()})


def _rule_fact(look: _Lookups, rule_id, slug, profession_id, effect, kind, provision_id, setting_id, complexity,
               conditions, note, organisation_id) -> RuleFact:
    """A rule row (ids resolved through the look-ups) as the engine's fact."""
    return RuleFact(slug=slug, profession=look.professions[profession_id] if profession_id is not None else None,
                    effect=effect, kind=kind,
                    provision=look.provisions[provision_id] if provision_id is not None else None,
                    setting=look.settings[setting_id] if setting_id is not None else None, complexity=complexity,
                    conditions=tuple(conditions or ()), note=note or "",
                    except_professions=look.rule_exceptions.get(rule_id, frozenset()),
                    organisation=look.organisations.get(organisation_id))


def _lookups() -> _Lookups:
    # Tasks and rules are not among the look-ups; a provision is.
    return cached(db.session, "whomay.lookups", "", _build_lookups,
                  patch=lambda old, scope: old if scope.within("task", "rule") else None)


def provision_facts() -> dict[int, ProvisionFact]:
    """Every provision as the engine's fact, by id (the catalogue takes its delegation provisions from here)."""
    return _lookups().provisions


def load_task_facts(where: sa.ColumnElement[bool], order_by=(m.Task.title, m.Task.slug)) -> list[TaskFact]:
    """Published tasks matching ``where`` (a condition on ``task``), as engine facts, in ``order_by``."""
    return list(load_task_facts_by_id(where, order_by).values())


def load_task_facts_by_id(where: sa.ColumnElement[bool], order_by=(m.Task.title, m.Task.slug),
                          published_only: bool = True) -> dict[int, TaskFact]:
    """The same, keyed by task id (plans and search facets hold ids), in ``order_by``; a plan's checklist asks about
    its items' tasks whatever their status (``published_only=False``)."""
    s = db.session
    look = _lookups()
    chosen = sa.select(m.Task.id).where(m.Task.status == "published" if published_only else sa.true(), where)
    chosen = chosen.subquery()

    def per_task(*columns, table, order=()):
        """(task_id, *columns) rows of ``table`` for the chosen tasks; joined, not IN (...): thousands of ids."""
        stmt = sa.select(table.c.task_id, *columns).join(chosen, chosen.c.id == table.c.task_id)
        return s.execute(stmt.order_by(*order)).all() if order else s.execute(stmt).all()

    holders: dict[int, set[str]] = {}
    for task_id, profession_id in per_task(task_holder.c.profession_id, table=task_holder):
        holders.setdefault(task_id, set()).add(look.professions[profession_id])
    provisions: dict[int, list[ProvisionFact]] = {}
    for task_id, provision_id in per_task(task_provision.c.provision_id, table=task_provision):
        provisions.setdefault(task_id, []).append(look.provisions[provision_id])
    requirements: dict[int, list[Requirement]] = {}
    req = m.TaskRequirement.__table__
    for task_id, competence_id, level, complexity in per_task(req.c.competence_id, req.c.level, req.c.complexity,
                                                               table=req, order=(req.c.id,)):
        requirements.setdefault(task_id, []).append(Requirement(look.competences[competence_id], level, complexity))
    rules: dict[int, list[RuleFact]] = {}
    rule = m.Rule.__table__
    for r in per_task(rule.c.id, rule.c.slug, rule.c.profession_id, rule.c.effect, rule.c.kind, rule.c.provision_id,
                      rule.c.setting_id, rule.c.complexity, rule.c.conditions, rule.c.note, rule.c.organisation_id,
                      table=rule, order=(rule.c.slug,)):
        rules.setdefault(r.task_id, []).append(_rule_fact(
            look, r.id, r.slug, r.profession_id, r.effect, r.kind, r.provision_id, r.setting_id, r.complexity,
            r.conditions, r.note, r.organisation_id))
    ev = m.Evidence.__table__
    evidence_rows = per_task(ev.c.id, ev.c.taker_id, ev.c.from_profession_id, ev.c.kind, ev.c.summary, table=ev,
                             order=(ev.c.id,))
    sources = _evidence_sources(sa.select(ev.c.id).join(chosen, chosen.c.id == ev.c.task_id)) \
        if evidence_rows else {}
    evidence: dict[int, list[EvidenceFact]] = {}
    for r in evidence_rows:
        evidence.setdefault(r.task_id, []).append(_evidence_fact(look, r.taker_id, r.from_profession_id, r.kind,
                                                                 r.summary, sources.get(r.id, ())))
    tasks = s.execute(sa.select(m.Task.id, m.Task.slug, m.Task.title, m.Task.category)
                      .join(chosen, chosen.c.id == m.Task.id).order_by(*order_by)).all()
    return {t.id: TaskFact(slug=t.slug, title=t.title, category=t.category,
                           provisions=tuple(sorted(provisions[t.id], key=_slug)) if t.id in provisions else (),
                           requirements=tuple(requirements.get(t.id, ())), rules=tuple(rules.get(t.id, ())),
                           holders=frozenset(holders.get(t.id, ())), evidence=tuple(evidence.get(t.id, ())))
            for t in tasks}


def _evidence_fact(look: _Lookups, taker_id, from_id, kind, summary, sources) -> EvidenceFact:
    return EvidenceFact(taker=look.professions[taker_id], kind=kind, summary=summary or "",
                        from_=look.professions.get(from_id) if from_id is not None else None, sources=tuple(sources))


def _evidence_sources(evidence_ids) -> dict[int, tuple[str, ...]]:
    """Evidence id → its citations as labels ("seed-000 L1295-1390", an address), in citation order."""
    c = m.SourceCitation.__table__
    rows = db.session.execute(
        sa.select(c.c.evidence_id, m.SourceDocument.slug, c.c.line_from, c.c.line_to, c.c.url)
        .outerjoin(m.SourceDocument, m.SourceDocument.id == c.c.document_id)
        .where(c.c.evidence_id.in_(evidence_ids)).order_by(c.c.id)).all()
    out: dict[int, list[str]] = {}
    for evidence_id, document, line_from, line_to, url in rows:
        if document:
            label = document + (f" L{line_from}" if line_from else "") + \
                (f"-{line_to}" if line_to and line_to != line_from else "")
        else:
            label = url
        if label:
            out.setdefault(evidence_id, []).append(label)
    return {k: tuple(v) for k, v in out.items()}


def _slug(fact: ProvisionFact) -> str:
    return fact.slug


def _collections() -> sa.CompoundSelect:
    """A task's five collections in one UNION ALL, for the task id bound as ``task_id``."""
    integer, text = sa.Integer(), sa.Text()
    task_id = sa.bindparam("task_id", type_=integer)

    def part(name, table, order_int=None, order_text=None, ints=(), texts=()):
        """One collection as rows of (part, order by int, order by text, n0..n4, t0..t5); NULL-padded."""
        ints = [*ints, *[None] * (5 - len(ints))]
        texts = [*texts, *[None] * (6 - len(texts))]
        columns = [sa.literal(name, text).label("part"),
                   sa.cast(order_int if order_int is not None else sa.null(), integer).label("oi"),
                   sa.cast(order_text if order_text is not None else sa.null(), text).label("ot"),
                   *[sa.cast(c if c is not None else sa.null(), integer).label(f"n{i}") for i, c in enumerate(ints)],
                   *[sa.cast(c if c is not None else sa.null(), text).label(f"t{i}") for i, c in enumerate(texts)]]
        return sa.select(*columns).where(table.c.task_id == task_id)

    req, rule, ev = m.TaskRequirement.__table__, m.Rule.__table__, m.Evidence.__table__
    return sa.union_all(
        part("e", ev, order_int=ev.c.id, ints=(ev.c.taker_id, ev.c.from_profession_id, ev.c.id),
             texts=(ev.c.kind, ev.c.summary)),
        part("h", task_holder, ints=(task_holder.c.profession_id,)),
        part("p", task_provision, ints=(task_provision.c.provision_id,)),
        part("q", req, order_int=req.c.id, ints=(req.c.competence_id,), texts=(req.c.level, req.c.complexity)),
        part("r", rule, order_text=rule.c.slug,
             ints=(rule.c.profession_id, rule.c.provision_id, rule.c.setting_id, rule.c.id, rule.c.organisation_id),
             texts=(rule.c.slug, rule.c.effect, rule.c.kind, rule.c.complexity, rule.c.conditions, rule.c.note)),
    ).order_by(sa.text("part"), sa.text("oi"), sa.text("ot"))


# Built once, not per call: constructing the 35-column UNION ALL and its cache key was half of a task's load time
# (0.23 + 0.07 of 0.45 ms a task on the benchmark catalogue, cProfile), paid by every task page and who-may answer.
_ONE_TASK = sa.select(m.Task.id, m.Task.slug, m.Task.title, m.Task.category).where(
    m.Task.slug == sa.bindparam("slug"), m.Task.status == "published")
_COLLECTIONS = _collections()


def load_task_fact(slug: str) -> TaskFact | None:
    """One published task's facts, or None: the task row, then its five collections in one UNION ALL (and the
    evidence's citations, when it has evidence).

    The who-may API and the task page ask for one task per request; on PostgreSQL each statement is a round trip,
    so one statement for the collections instead of four (docs/benchmark.md)."""
    s = db.session
    task = s.execute(_ONE_TASK, {"slug": slug}).first()
    if task is None:
        return None
    look = _lookups()
    rows = s.execute(_COLLECTIONS, {"task_id": task.id}).all()
    holders, provisions, requirements, rules, evidence = set(), [], [], [], []
    for r in rows:
        if r.part == "e":
            evidence.append(r)
        elif r.part == "h":
            holders.add(look.professions[r.n0])
        elif r.part == "p":
            provisions.append(look.provisions[r.n0])
        elif r.part == "q":
            requirements.append(Requirement(look.competences[r.n0], r.t0, r.t1))
        else:
            rules.append(_rule_fact(look, r.n3, r.t0, r.n0, r.t1, r.t2, r.n1, r.n2, r.t3,
                                    json.loads(r.t4) if r.t4 else None, r.t5, r.n4))
    sources = _evidence_sources([r.n2 for r in evidence]) if evidence else {}
    return TaskFact(slug=task.slug, title=task.title, category=task.category,
                    provisions=tuple(sorted(provisions, key=_slug)), requirements=tuple(requirements),
                    rules=tuple(rules), holders=frozenset(holders),
                    evidence=tuple(_evidence_fact(look, r.n0, r.n1, r.t0, r.t1, sources.get(r.n2, ()))
                                   for r in evidence))


def load_task_facts_held_by(profession_slug: str) -> list[TaskFact]:
    """The published tasks a profession typically holds (opgaver faggruppen løser i dag), by title."""
    held = sa.select(task_holder.c.task_id).join(m.Profession, m.Profession.id == task_holder.c.profession_id) \
        .where(m.Profession.slug == profession_slug)
    return load_task_facts(m.Task.id.in_(held))
