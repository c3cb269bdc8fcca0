"""The who-may engine: which professions may take over a task, and on what conditions.

Pure Python over the facts in :mod:`kb.rules.facts`; the semantics follow shared/domain/legal-framework.md § 6.
For one task, one profession and a :class:`Context` (setting, patient complexity, date) the steps are, in order:

1. **What counts.** Only provisions that *hold* count: in force on ``context.on``, for the context's complexity (a
   provision for uncomplicated cases — jordemødres fødselshjælp — does not hold for a complex patient; an unstated
   complexity is the ordinary case), and national or of the context's organisation (a region's agreement holds only
   there). A rule counts only if its provision (if any) holds, its organisation (or its provision's) is the
   context's or national, its ``setting`` is None or equals ``context.setting``, its ``complexity`` is None or
   equals ``context.complexity``, and it covers the profession: it names the profession or its parent (a rule for
   sygeplejerske covers specialsygeplejerske), or it has no profession and names everyone but some groups ("all
   non-physicians").
2. **Reservation (forbeholdt virksomhed).** The reserved groups are the union of ``reserved_to`` of the in-force
   ``reserves`` provisions. The profession is a *member* when its slug or its parent is a reserved group. The task is
   *never delegable* when an in-force ``never_delegable`` provision exists (BEK 1219's list: recepter, dødsattester,
   ligsyn, tvang, ...).
3. **Precedence.**
   a. a legal ``deny`` rule → ``not_allowed`` (legal reason citing the rule's provision);
   b. reserved, not a member, no legal ``allow`` or ``delegation`` rule, and never delegable → ``not_allowed``,
      citing the reserving provision(s) and the never-delegable provision(s); a legal ``delegation`` rule is a
      særlig hjemmel to act as medhjælp on such a task (BEK 834/2014 names groups for cosmetic treatment);
   c. an organisational ``deny`` rule → ``not_allowed`` with an organisational reason (an agreement or local rule,
      not law);
   d. otherwise the base verdict: a member, or a profession with a legal ``allow`` rule ("særligt lovhjemlet"), is
      ``independent``, with the ``scope`` of the provision its right rests on as a condition (nurses' vaccines:
      only the designated ones; a scoped group can also delegate only within its scope); reserved and not a member → ``delegation`` as *medhjælp* from the reserved groups
      (``delegable_from``), with the conditions konkret delegation/rammedelegation, rammedelegation needs a
      skriftlig instruks, and the delegator's duty of udvælgelse, instruktion og tilsyn — citing the reserving
      provisions and ``knowledge.delegation_provisions`` (delegation, ramme_instruction, duties) when present and in
      force; not reserved → ``independent`` (autorisationsloven § 73, ``unreserved``, cited when present).
4. In-force ``requires_written_instruction`` provisions add the condition "Skriftlig instruks påkrævet" and a reason
   of the provision's kind. ``other`` provisions are ignored.
5. Applicable ``allow``/``conditions`` rules (legal or organisational) add their conditions and a reason of their
   kind. Only a legal ``allow`` lifts a reservation; an organisational allow never does.
6. **Competence gap** (not for ``not_allowed``): required requirements whose complexity is None or equals
   ``context.complexity`` and which are not in ``profession.competences`` are missing; any missing one turns
   ``independent`` into ``independent_after_training`` and ``delegation`` into ``delegation_after_training``, with a
   competence reason each ("Mangler kompetencen: ..."). Missing desirable ones add a competence reason ("Ønskelig
   kompetence: ...") but do not change the verdict. A legal right does not depend on our competence data: for a
   member of the reserving group or a group with a legal ``allow`` the gap is listed as advice ("Råd …") and the
   verdict stays ``independent``.
7. **Fit** (not for ``not_allowed``): :func:`kb.rules.fit.assess` — recommended, trainable or
   requires_education, with the training the gap takes and the evidence naming the group (kb/rules/fit.py).
8. Results are deterministic: conditions and reasons are de-duplicated in stable order (task order of provisions
   and rules); nothing depends on the order in which professions or tasks are given.

Member reasons cite the reserving provisions that cover the profession's group; blocking and delegation reasons
cite all reserving provisions. Reserving provisions of kind ``organisational`` reserve like legal ones, but their
reasons are of kind ``organisational``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .facts import Context, Knowledge, ProfessionFact, ProvisionFact, Requirement, RuleFact, TaskFact
from .fit import assess, evidence_for, supported
from .phrases import Name, Names, Phrase, noted
from .verdict import MissingCompetence, ProvisionRef, Reason, Result, Verdict

__all__ = ["who_may", "who_may_one", "reservation", "Reservation", "COND_DELEGATION_RAMME", "COND_DELEGATION_DUTIES", "COND_WRITTEN_INSTRUCTION"]

COND_DELEGATION_RAMME = Phrase("ramme_needs_instruction")
COND_DELEGATION_DUTIES = Phrase("delegator_duties")
COND_WRITTEN_INSTRUCTION = Phrase("written_instruction")
ORG = Phrase("org")

# (delegation provision role, the phrase of the reason citing it)
_DELEGATION_ROLE_TEXTS = (
    ("delegation", Phrase("role_delegation")),
    ("ramme_instruction", Phrase("role_ramme_instruction")),
    ("duties", Phrase("role_duties")),
)


def who_may(task: TaskFact, professions: Iterable[ProfessionFact], context: Context | None = None,
            knowledge: Knowledge | None = None) -> list[Result]:
    """One :class:`Result` per profession, in the order the professions are given."""
    context = context if context is not None else Context()
    knowledge = knowledge if knowledge is not None else Knowledge()
    view = _TaskView.of(task, context)
    return [_judge(view, p, context, knowledge) for p in professions]


def who_may_one(task: TaskFact, profession: ProfessionFact, context: Context | None = None,
                knowledge: Knowledge | None = None) -> Result:
    """The verdict for one profession; see the module docstring for the order of the steps."""
    context = context if context is not None else Context()
    knowledge = knowledge if knowledge is not None else Knowledge()
    return _judge(_TaskView.of(task, context), profession, context, knowledge)


@dataclass(frozen=True)
class Reservation:
    """Why a task is reserved to a group in a context (forbeholdt virksomhed): step 1–2 for one group."""

    reserving: tuple[ProvisionFact, ...]  # the provisions that hold and reserve the task to the group
    never: tuple[ProvisionFact, ...]  # never_delegable provisions that hold: no medhjælp, except by særlig hjemmel


def reservation(task: TaskFact, profession: ProfessionFact, context: Context | None = None) -> Reservation | None:
    """The task's reservation to ``profession``'s group (itself or its parent) in the context, or None when no
    provision that holds there reserves it to the group — the role description's "Opgaver forbeholdt faggruppen"."""
    view = _TaskView.of(task, context if context is not None else Context())
    own = tuple(p for p in view.reserving if any(profession.covers(g) for g in p.reserved_to))
    return Reservation(reserving=own, never=view.never) if own else None


@dataclass(frozen=True)
class _TaskView:
    """What step 1–2 find about a task in a context, the same for every profession (worked out once per task)."""

    task: TaskFact
    provisions: tuple[ProvisionFact, ...]  # in force, de-duplicated
    rules: tuple[RuleFact, ...]  # in force, for this setting and complexity (any profession)
    reserving: tuple[ProvisionFact, ...]
    groups: tuple[str, ...]  # the reserved groups, sorted
    never: tuple[ProvisionFact, ...]
    requirements: tuple[Requirement, ...]  # those that apply at this complexity

    @classmethod
    def of(cls, task: TaskFact, context: Context) -> _TaskView:
        provisions = tuple(_unique(p for p in task.provisions if p.holds(context))) if task.provisions else ()
        reserving = tuple(p for p in provisions if p.effect == "reserves" and p.reserved_to)
        return cls(
            task=task, provisions=provisions,
            rules=tuple(r for r in task.rules if _rule_in_context(r, context)),
            reserving=reserving, groups=tuple(sorted(frozenset().union(*(p.reserved_to for p in reserving)))),
            never=tuple(p for p in provisions if p.effect == "never_delegable"),
            requirements=tuple(q for q in task.requirements
                               if q.complexity is None or q.complexity == context.complexity))


def _judge(view: _TaskView, profession: ProfessionFact, context: Context, knowledge: Knowledge) -> Result:
    on = context.on
    pname = Name("profession", profession.slug, profession.name)
    provisions, reserving, groups, never = view.provisions, view.reserving, view.groups, view.never
    rules = [r for r in view.rules if r.covers(profession)]
    member = any(profession.covers(g) for g in groups)
    legal_allow = [r for r in rules if r.kind == "legal" and r.effect == "allow"]
    # særlig hjemmel to act as medhjælp on a task otherwise never delegable (BEK 834/2014: cosmetic treatment)
    legal_medhjaelp = [r for r in rules if r.kind == "legal" and r.effect == "delegation"]

    def blocked(reasons: list[Reason]) -> Result:
        return Result(profession=profession.slug, verdict=Verdict.NOT_ALLOWED, reasons=tuple(_unique(reasons)),
                      evidence=evidence_for(view.task, profession), supported=supported(view.task, profession))

    # (a) legal deny
    legal_deny = [r for r in rules if r.kind == "legal" and r.effect == "deny"]
    if legal_deny:
        return blocked([Reason("legal", noted(Phrase("legal_excludes", profession=pname), r.note),
                               _ref(r.provision)) for r in legal_deny])

    # (b) reserved and never delegable, outside the group
    if groups and not member and not legal_allow and not legal_medhjaelp and never:
        reasons = [_reservation_reason(p, knowledge, "reserved_outside", pname) for p in reserving]
        reasons += [Reason(p.kind, Phrase("never_delegable"), _ref(p)) for p in never]
        return blocked(reasons)

    # (c) organisational deny
    org_deny = [r for r in rules if r.kind == "organisational" and r.effect == "deny"]
    if org_deny:
        return blocked([Reason("organisational",
                               noted(Phrase("org_denies", org=_org(r, knowledge), profession=pname), r.note),
                               _ref(r.provision)) for r in org_deny])

    # (d) the base verdict
    conditions: list[str] = []
    reasons: list[Reason] = []
    delegable_from: tuple[str, ...] = ()
    if member:
        verdict = Verdict.INDEPENDENT
        own = [p for p in reserving if any(profession.covers(g) for g in p.reserved_to)]
        reasons += [_reservation_reason(p, knowledge, "reserved_member", pname) for p in own]
        conditions += _scopes(own, context)
    elif groups and legal_allow:
        verdict = Verdict.INDEPENDENT
        reasons += [_reservation_reason(p, knowledge, "reserved_special", pname) for p in reserving]
        conditions += _scopes([r.provision for r in legal_allow if r.provision is not None], context)
    elif groups:
        verdict = Verdict.DELEGATION
        delegable_from = tuple(groups)
        conditions += [Phrase("delegation_only", groups=_names(groups, knowledge, "eller")),
                       COND_DELEGATION_RAMME, COND_DELEGATION_DUTIES]
        if len(reserving) > 1:  # a group whose right is scoped can delegate only what it may do itself
            for p in reserving:
                for scope in _scopes([p], context):
                    conditions.append(Phrase("delegation_within_scope",
                                             groups=_names(sorted(p.reserved_to), knowledge, "og"), scope=scope))
        reasons += [_reservation_reason(p, knowledge, "reserved_delegation", pname) for p in reserving]
        for role, text in _DELEGATION_ROLE_TEXTS:
            prov = knowledge.delegation_provisions.get(role)
            if prov is not None and prov.in_force(on):
                reasons.append(Reason(prov.kind, text, _ref(prov)))
    else:
        verdict = Verdict.INDEPENDENT
        prov = knowledge.delegation_provisions.get("unreserved")
        cite = prov if prov is not None and prov.in_force(on) else None
        reasons.append(Reason(cite.kind if cite else "legal", Phrase("unreserved"), _ref(cite)))

    # 4. written instruction (skriftlig instruks)
    for p in provisions:
        if p.effect == "requires_written_instruction":
            conditions.append(COND_WRITTEN_INSTRUCTION)
            text = Phrase("law_requires_instruction") if p.kind == "legal" else \
                Phrase("org_requires_instruction", org=ORG)
            reasons.append(Reason(p.kind, text, _ref(p)))

    # 5. allow / conditions rules
    lifted = member or bool(legal_allow) or not groups
    for r in rules:
        if r.effect in ("allow", "conditions", "delegation"):
            conditions.extend(r.conditions)
            reasons.append(Reason(r.kind, _rule_text(r, pname, lifted, knowledge), _ref(r.provision)))

    # 6. competence gap: it changes the verdict only where the answer does not rest on a legal right — a member
    # of the reserving group, or a group with særlig lovhjemmel, may do the task whatever our competence data
    # says; there the gap is advice (råd), shown but not turned into "…efter oplæring".
    missing, competence_reasons = _competence_gap(view.requirements, profession, knowledge)
    if missing and (member or (groups and legal_allow)):
        competence_reasons = [Reason("competence", Phrase("advice", advice=r.text)) for r in competence_reasons]
    elif missing:
        verdict = Verdict.INDEPENDENT_AFTER_TRAINING if verdict is Verdict.INDEPENDENT \
            else Verdict.DELEGATION_AFTER_TRAINING
    reasons += competence_reasons

    # 7. the fit (kan, beside må): what the gap takes and whether practice or a report supports the group
    fit, training, evidence, backed = assess(view.task, profession, missing, knowledge)
    return Result(profession=profession.slug, verdict=verdict, conditions=tuple(_unique(conditions)),
                  missing_competences=tuple(missing), reasons=tuple(_unique(reasons)), delegable_from=delegable_from,
                  fit=fit, training=training, evidence=evidence, supported=backed)


def _rule_in_context(rule: RuleFact, context: Context) -> bool:
    if rule.provision is not None and not rule.provision.holds(context):
        return False
    if not context.covers_organisation(rule.scope_organisation):
        return False
    if rule.setting is not None and rule.setting != context.setting:
        return False
    return rule.complexity is None or rule.complexity == context.complexity


_ONLY_AT = {"uncomplicated": "only_uncomplicated", "complex": "only_complex"}


def _scopes(provisions: Iterable[ProvisionFact], context: Context) -> list[str]:
    """The conditions a scoped right carries: its scope text, or — for a provision that holds only at one
    complexity when the context does not say which — that it holds only there."""
    out = []
    for p in provisions:
        if p.scope:
            out.append(p.scope)
        elif p.complexity is not None and context.complexity is None:
            out.append(Phrase(_ONLY_AT[p.complexity]))
    return out


def _org(rule: RuleFact, knowledge: Knowledge) -> Phrase:
    """"Aftale eller lokal regel …", with where it holds when it is not national."""
    where = rule.scope_organisation
    if not where:
        return ORG
    return Phrase("org_at", organisation=Name("organisation", where, knowledge.organisation_name(where)))


def _rule_text(rule: RuleFact, pname: Name, lifted: bool, knowledge: Knowledge) -> Phrase:
    if rule.kind == "legal":
        code = {"allow": "special_allow", "delegation": "special_delegation"}.get(rule.effect, "legal_conditions")
        text = Phrase(code, profession=pname)
    elif rule.effect == "allow":
        text = Phrase("org_allows" if lifted else "org_allows_reserved", org=_org(rule, knowledge), profession=pname)
    else:
        text = Phrase("org_conditions", org=_org(rule, knowledge), profession=pname)
    return noted(text, rule.note)


def _names(slugs: Iterable[str], knowledge: Knowledge, word: str) -> Names:
    return Names(tuple(Name("profession", g, knowledge.profession_name(g)) for g in slugs), word)


def _reservation_reason(p: ProvisionFact, knowledge: Knowledge, code: str, pname: Name) -> Reason:
    groups = _names(sorted(p.reserved_to), knowledge, "og")
    return Reason(p.kind, Phrase(code, groups=groups, profession=pname), _ref(p))


def _competence_gap(requirements: Sequence[Requirement], profession: ProfessionFact,
                    knowledge: Knowledge) -> tuple[list[MissingCompetence], list[Reason]]:
    held = profession.competences
    relevant = [q for q in requirements if q.competence not in held]
    if not relevant:
        return [], []
    required = _unique(q.competence for q in relevant if q.level == "required")
    desirable = [c for c in _unique(q.competence for q in relevant if q.level == "desirable") if c not in required]
    missing = [MissingCompetence(c, knowledge.competence_name(c), knowledge.offers_for(c, profession))
               for c in required]
    reasons = [Reason("competence", Phrase("missing_competence", competence=Name("competence", m.slug, m.name)))
               for m in missing]
    reasons += [Reason("competence", Phrase("desirable_competence",
                                            competence=Name("competence", c, knowledge.competence_name(c))))
                for c in desirable]
    return missing, reasons


def _ref(p: ProvisionFact | None) -> ProvisionRef | None:
    return ProvisionRef.from_fact(p) if p is not None else None


def _unique(items: Iterable) -> list:
    return list(dict.fromkeys(items))
