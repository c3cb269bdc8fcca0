"""Preview (forhåndsvisning) of a draft: which who-may verdicts would change if it were published.

The draft is checked and loaded (kb.knowledge's checks and loader, the first two steps of the one write path)
inside a scratch SAVEPOINT (kb.knowledge_state.scratch), the engine asked for the affected tasks, and the savepoint
rolled back, so nothing of the draft is ever committed or seen by another connection. The rest of publishing —
search index, history, audit — is not needed to say what would change, and the session is expired afterwards so
no object keeps a value from the draft.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb import models as m
from kb.knowledge.checks import bundle_of
from kb.knowledge.documents import DocumentError, find
from kb.knowledge.loader import Loader
from kb.knowledge_state import scratch
from kb.rules import TaskFact, Verdict
from kb.whomay.facts import DELEGATION_PROVISION_SLUGS, Catalogue, load_catalogue
from kb.whomay.service import task_facts, verdict_table

LIMIT = 300  # changes listed; a change of a profession or a general provision can touch every task


@dataclass(frozen=True)
class VerdictChange:
    task: str
    task_title: str
    profession: str
    profession_name: str
    setting: Optional[str]  # the setting's name (a rule may hold only there)
    complexity: Optional[str]
    before: Optional[Verdict]  # None: the task is not published before (new) or after (hidden)
    after: Optional[Verdict]


@dataclass
class Preview:
    changes: list[VerdictChange]
    tasks_checked: int = 0
    errors: Optional[dict[str, list[str]]] = None  # why the draft could not be applied
    truncated: int = 0


def _affected_tasks(session: Session, kind: str, document: dict[str, Any]) -> Optional[set[str]]:
    """Slugs of the tasks whose verdicts the document can change; None: possibly any task."""
    slug = document.get("slug")
    if kind == "task":
        return {slug}
    if kind == "rule":
        old = find(session, "rule", slug)
        return {document.get("task")} | ({old.task.slug} if old is not None else set())
    if kind == "competence":
        return set(session.scalars(sa.select(m.Task.slug).join(m.Task.requirements)
                                   .join(m.TaskRequirement.competence).where(m.Competence.slug == slug)))
    if kind in ("provision", "legal_act"):
        slugs = {slug} if kind == "provision" else {p.get("slug") for p in document.get("provisions", [])}
        act = find(session, "legal_act", slug) if kind == "legal_act" else None
        slugs |= {p.slug for p in act.provisions} if act is not None else set()
        if slugs & set(DELEGATION_PROVISION_SLUGS.values()):
            return None
        governed = sa.select(m.Task.slug).join(m.Task.provisions).where(m.Provision.slug.in_(slugs))
        cited = sa.select(m.Task.slug).join(m.Task.rules).join(m.Rule.provision).where(m.Provision.slug.in_(slugs))
        return set(session.scalars(governed)) | set(session.scalars(cited))
    return None  # profession, education: competences, parents and offers reach every task


def _facts(slugs: Optional[set[str]]) -> tuple[dict[str, TaskFact], Catalogue]:
    return task_facts(slugs), load_catalogue()


def _contexts(facts: list[TaskFact]) -> set[tuple[Optional[str], Optional[str]]]:
    """The default context, plus each setting and complexity a rule or requirement of these tasks is limited to:
    a rule for psychiatry only changes the verdict there."""
    out = {(None, None)}
    for fact in facts:
        out |= {(r.setting, r.complexity) for r in fact.rules if r.setting or r.complexity}
        out |= {(None, r.complexity) for r in fact.requirements if r.complexity}
    return out


def preview(session: Session, kind: str, document: dict[str, Any],
            extra_known: Optional[dict[str, set[str]]] = None) -> Preview:
    """What publishing `document` would change in the engine's answers (default date: today)."""
    slugs = _affected_tasks(session, kind, document)
    before_facts, before_catalogue = _facts(slugs)
    session.flush()
    try:
        with scratch(session):
            bundle = bundle_of(session, [(kind, document, kind)], extra_known=extra_known)
            with session.no_autoflush:
                Loader(session).run(bundle)
            session.flush()
            session.expire_all()  # read the draft's state back from the database, not from objects in memory
            after_facts, after_catalogue = _facts(slugs)
    except DocumentError as exc:
        return Preview(changes=[], errors=exc.by_field())
    except sa.exc.SQLAlchemyError as exc:  # a constraint the checks did not foresee: report, do not fail the page
        return Preview(changes=[], errors={"": [str(exc.orig if hasattr(exc, "orig") else exc).splitlines()[0]]})
    finally:
        session.expire_all()
    contexts = _contexts(list(before_facts.values()) + list(after_facts.values()))
    before = verdict_table(before_facts, before_catalogue, contexts)
    after = verdict_table(after_facts, after_catalogue, contexts)
    titles = {slug: fact.title for slug, fact in {**before_facts, **after_facts}.items()}
    setting_names = dict(session.execute(sa.select(m.Setting.slug, m.Setting.name)).all())
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: tuple(x or "" for x in k)):
        old, new = before.get(key), after.get(key)
        # A task that does not exist (yet) is one nobody may do: only real differences are listed.
        if (old or Verdict.NOT_ALLOWED) == (new or Verdict.NOT_ALLOWED):
            continue
        task, profession, setting, complexity = key
        changes.append(VerdictChange(task, titles[task], profession, after_catalogue.display_name(profession)
                                     if after_catalogue.profession(profession) else
                                     before_catalogue.display_name(profession),
                                     setting_names.get(setting, setting), complexity, old, new))
    changes.sort(key=lambda c: (c.task_title, c.setting or "", c.complexity or "", c.profession_name))
    truncated = max(0, len(changes) - LIMIT)
    return Preview(changes=changes[:LIMIT], tasks_checked=len(set(before_facts) | set(after_facts)),
                   truncated=truncated)
