"""The ORM way to turn a task into the engine's facts: an independent oracle for the column loader.

The application reads tasks through one loader (kb.whomay.task_facts); tests hold it against this plain mapping of
the ORM objects and their relationships, written separately so the two cannot share a mistake.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kb import models as m
from kb.extensions import db
from kb.rules import EvidenceFact, ProvisionFact, Requirement, RuleFact, TaskFact


def provision_fact(p: m.Provision) -> ProvisionFact:
    return ProvisionFact(
        slug=p.slug, act=p.act.short_name, ref=p.reference, title=p.title, url=p.url, effect=p.effect,
        reserved_to=frozenset(x.slug for x in p.reserved_to), kind=p.kind, valid_from=p.valid_from,
        valid_to=p.valid_to, verified=p.verified, scope=p.scope or "", complexity=p.complexity,
        organisation=p.organisation.slug if p.organisation else None)


def rule_fact(r: m.Rule) -> RuleFact:
    return RuleFact(slug=r.slug, profession=r.profession.slug if r.profession else None, effect=r.effect,
                    kind=r.kind, provision=provision_fact(r.provision) if r.provision else None,
                    setting=r.setting.slug if r.setting else None, complexity=r.complexity,
                    conditions=tuple(r.conditions), note=r.note,
                    except_professions=frozenset(x.slug for x in r.exceptions),
                    organisation=r.organisation.slug if r.organisation else None)


def _provision_loads(attr):
    return (selectinload(attr).selectinload(m.Provision.act), selectinload(attr).selectinload(m.Provision.reserved_to),
            selectinload(attr).selectinload(m.Provision.organisation))


TASK_LOADS = (
    *_provision_loads(m.Task.provisions),
    selectinload(m.Task.requirements).selectinload(m.TaskRequirement.competence),
    selectinload(m.Task.holders),
    selectinload(m.Task.evidence).selectinload(m.Evidence.citations).selectinload(m.SourceCitation.document),
    selectinload(m.Task.evidence).selectinload(m.Evidence.taker),
    selectinload(m.Task.evidence).selectinload(m.Evidence.from_profession),
    selectinload(m.Task.rules).selectinload(m.Rule.profession),
    selectinload(m.Task.rules).selectinload(m.Rule.exceptions),
    selectinload(m.Task.rules).selectinload(m.Rule.organisation),
    selectinload(m.Task.rules).selectinload(m.Rule.setting),
    selectinload(m.Task.rules).selectinload(m.Rule.provision).selectinload(m.Provision.act),
    selectinload(m.Task.rules).selectinload(m.Rule.provision).selectinload(m.Provision.reserved_to),
    selectinload(m.Task.rules).selectinload(m.Rule.provision).selectinload(m.Provision.organisation),
)


def task_fact(t: m.Task) -> TaskFact:
    return TaskFact(
        slug=t.slug, title=t.title, category=t.category,
        provisions=tuple(provision_fact(p) for p in t.provisions),
        requirements=tuple(Requirement(r.competence.slug, r.level, r.complexity) for r in t.requirements),
        rules=tuple(rule_fact(r) for r in t.rules),
        holders=frozenset(h.slug for h in t.holders),
        evidence=tuple(EvidenceFact(e.taker.slug, e.kind, e.summary, e.from_profession.slug if e.from_profession else None,
                                    tuple(f"{c.document.slug} {c.lines_label}".strip() if c.document else c.url
                                          for c in e.citations if c.document or c.url))
                       for e in sorted(t.evidence, key=lambda e: e.id)))


def load_task(slug: str) -> m.Task | None:
    return db.session.scalar(
        sa.select(m.Task).where(m.Task.slug == slug, m.Task.status == "published").options(*TASK_LOADS))
