"""Property-based tests for the who-may engine: random facts (tests/strategies/rules.py), invariants that must
always hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kb.rules import Knowledge, ProvisionFact, RuleFact, TaskFact, Verdict, rank, who_may, who_may_one
from tests.strategies.rules import (
    ALL_SLUGS, COMPETENCES, RULES, SCOPES, SLUGS, contexts, knowledges, profession_lists, professions, provisions,
    requirements, rules, tasks,
)


@RULES
@given(tasks(), professions(), contexts, knowledges, st.data())
def test_one_more_competence_never_makes_a_verdict_worse(task, profession, context, knowledge, data):
    needed = sorted({q.competence for q in task.requirements} - profession.competences)
    competence = data.draw(st.sampled_from(needed) if needed else st.sampled_from(COMPETENCES), label="competence")
    before = who_may_one(task, profession, context, knowledge)
    richer = replace(profession, competences=profession.competences | {competence})
    after = who_may_one(task, richer, context, knowledge)
    assert after.verdict.rank <= before.verdict.rank
    assert [m.slug for m in after.missing_competences] == \
        [m.slug for m in before.missing_competences if m.slug != competence]
    assert after.verdict.by_delegation == before.verdict.by_delegation
    assert after.verdict.allowed == before.verdict.allowed


@RULES
@given(tasks(), professions(), contexts, knowledges, st.data())
def test_more_competences_never_lower_the_fit(task, profession, context, knowledge, data):
    extra = data.draw(st.frozensets(st.sampled_from(COMPETENCES), min_size=1), label="extra competences")
    before = who_may_one(task, profession, context, knowledge)
    after = who_may_one(task, replace(profession, competences=profession.competences | extra), context, knowledge)
    assert after.legal == before.legal  # "can" never changes "may"
    assert after.fit_rank <= before.fit_rank
    if after.fit == before.fit and before.training.hours is not None:
        assert after.training.hours is not None and after.training.hours <= before.training.hours
    assert (after.fit is None) == (before.fit is None) == (before.verdict is Verdict.NOT_ALLOWED)


@RULES
@given(tasks(), profession_lists(), contexts, knowledges)
def test_a_taker_needing_an_education_never_ranks_above_a_realistic_one(task, profs, context, knowledge):
    ranked = rank(who_may(task, profs, context, knowledge), profs)
    bands = [0 if r.realistic else 1 if r.fit == "requires_education" else 2 for r in ranked]
    assert bands == sorted(bands)
    holders = {p.slug for p in profs if any(p.covers(h) for h in task.holders)}
    for r in ranked:  # only a gap that needs an education makes a group unrealistic, never one doing it today
        if r.fit is not None:
            assert (r.fit == "requires_education") == (r.training.effort == "uddannelse" and
                                                        r.profession not in holders)
        if r.fit == "recommended":
            assert r.training.effort in ("none", "oplæring") and (r.training.hours or 0) <= 16


@RULES
@given(
    st.frozensets(st.sampled_from(SLUGS), min_size=1, max_size=2),
    tasks(provision_strategy=provisions(effects=("requires_written_instruction", "other")),
          rule_strategy=rules(kinds=("organisational",)) | rules(effects=("deny", "conditions"), kinds=("legal",))),
    profession_lists(), contexts, knowledges,
)
def test_never_delegable_reserved_task_blocks_everyone_outside_the_group(groups, base, profs, context, knowledge):
    reserve = ProvisionFact("res", "Autorisationsloven", "§ 74", "Forbeholdt", "https://x", "reserves", groups)
    never = ProvisionFact("never", "BEK 1219", "§ 2", "Aldrig delegerbar", "https://x", "never_delegable")
    task = replace(base, provisions=base.provisions + (reserve, never))
    for profession, result in zip(profs, who_may(task, profs, context, knowledge)):
        outside = profession.slug not in groups and profession.parent not in groups
        if outside:
            assert result.verdict is Verdict.NOT_ALLOWED
            assert result.conditions == () and result.missing_competences == ()
            # blocked by law (the reservation + BEK item, or a legal deny), never by an agreement
            assert result.reasons and all(r.kind == "legal" for r in result.reasons)
            legal_deny = any(r.kind == "legal" and r.effect == "deny" and r.covers(profession)
                             for r in task.rules)
            if not legal_deny:
                assert [r.provision.slug for r in result.reasons] == ["res", "never"]
        else:
            # A member (engine docstring step 3): only a deny rule that counts here stops it — a legal one (3a)
            # before an organisational one (3c); otherwise its right makes it independent (3d), and a competence
            # gap is advice that leaves the verdict independent (step 6).
            denies = [r for r in task.rules if r.effect == "deny" and r.covers(profession) and counts(r, context)]
            if denies:
                kind = "legal" if any(r.kind == "legal" for r in denies) else "organisational"
                assert result.verdict is Verdict.NOT_ALLOWED
                assert result.reasons and {r.kind for r in result.reasons} == {kind}
            else:
                assert result.verdict is Verdict.INDEPENDENT
                assert result.delegable_from == ()
                assert [r.provision.slug for r in result.reasons if r.provision is not None][:1] == ["res"]
                if result.missing_competences:  # a required competence missing: advice, not a lower verdict
                    assert all(r.text.startswith("Råd") for r in result.reasons if r.kind == "competence")


def counts(rule: RuleFact, context) -> bool:
    """Step 1 for a rule: its provision holds, its organisation is the context's or national, its setting and
    complexity are the context's or unstated."""
    return ((rule.provision is None or rule.provision.holds(context))
            and context.covers_organisation(rule.scope_organisation)
            and rule.setting in (None, context.setting) and rule.complexity in (None, context.complexity))


@RULES
@given(
    tasks(provision_strategy=provisions(effects=("never_delegable", "requires_written_instruction", "other")),
          rule_strategy=rules(effects=("allow", "conditions"))),
    professions(), contexts, knowledges,
)
def test_unreserved_task_without_deny_rules_never_needs_delegation(task, profession, context, knowledge):
    result = who_may_one(task, profession, context, knowledge)
    assert result.verdict in (Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING)
    assert result.delegable_from == ()
    assert (result.verdict is Verdict.INDEPENDENT_AFTER_TRAINING) == bool(result.missing_competences)


@RULES
@given(tasks(), profession_lists(), contexts, knowledges, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_professions(task, profs, context, knowledge, rnd):
    shuffled = list(profs)
    rnd.shuffle(shuffled)
    first = {r.profession: r for r in who_may(task, profs, context, knowledge)}
    second = {r.profession: r for r in who_may(task, shuffled, context, knowledge)}
    assert first == second
    results = list(first.values())
    assert rank(results, profs) == rank(list(reversed(results)), shuffled)


@st.composite
def out_of_force(draw, on: date):
    """A provision whose validity dates exclude ``on``."""
    gap = timedelta(days=draw(st.integers(1, 2000)))
    span = timedelta(days=draw(st.integers(0, 2000)))
    if draw(st.booleans()):
        start, end = on + gap, (on + gap + span if draw(st.booleans()) else None)
    else:
        start, end = (on - gap - span if draw(st.booleans()) else None), on - gap
    effect = draw(st.sampled_from(["reserves", "never_delegable", "requires_written_instruction", "other"]))
    reserved = draw(st.frozensets(st.sampled_from(SLUGS), min_size=1)) if effect == "reserves" else frozenset()
    return ProvisionFact("expired", "Lov", "§ 9", "Ude af kraft", "https://x", effect, reserved,
                         kind=draw(st.sampled_from(["legal", "organisational"])), valid_from=start, valid_to=end)


@RULES
@given(tasks(), professions(), contexts, knowledges, st.data())
def test_provision_outside_its_validity_dates_has_no_effect(task, profession, context, knowledge, data):
    extra = data.draw(out_of_force(context.on))
    assert not extra.in_force(context.on)
    rule = data.draw(st.none() | rules().map(lambda r: replace(r, provision=extra, profession=profession.slug,
                                                               except_professions=frozenset())))
    with_extra = replace(task, provisions=task.provisions + (extra,),
                         rules=task.rules + ((rule,) if rule else ()))
    assert who_may_one(with_extra, profession, context, knowledge) == who_may_one(task, profession, context, knowledge)
    role = data.draw(st.sampled_from(["delegation", "ramme_instruction", "duties", "unreserved"]))
    know_extra = Knowledge(knowledge.competence_names, knowledge.educations, knowledge.profession_names,
                           {**knowledge.delegation_provisions, role: extra})
    know_without = Knowledge(knowledge.competence_names, knowledge.educations, knowledge.profession_names,
                             {k: v for k, v in knowledge.delegation_provisions.items() if k != role})
    assert who_may_one(task, profession, context, know_extra) == who_may_one(task, profession, context, know_without)


@RULES
@given(tasks(), professions(), contexts, knowledges)
def test_result_invariants(task, profession, context, knowledge):
    r = who_may_one(task, profession, context, knowledge)
    assert r.profession == profession.slug
    assert r.reasons, "every verdict is explained"
    assert len(set(r.conditions)) == len(r.conditions)
    assert bool(r.delegable_from) == r.verdict.by_delegation
    assert not any(profession.covers(g) for g in r.delegable_from)
    assert list(r.delegable_from) == sorted(r.delegable_from)
    # A gap lowers the verdict unless the answer rests on a legal right — a member of a group the task is reserved
    # to, or a legal allow for the profession — where it is advice and the verdict stays independent.
    reserved = {g for p in task.provisions if p.effect == "reserves" and p.holds(context) for g in p.reserved_to}
    legal_right = any(profession.covers(g) for g in reserved) or (reserved and any(
        x.kind == "legal" and x.effect == "allow" and x.covers(profession) and (x.provision is None or x.provision.holds(context))
        and context.covers_organisation(x.scope_organisation)
        and (x.setting is None or x.setting == context.setting) and (x.complexity is None or x.complexity == context.complexity)
        for x in task.rules))
    if r.verdict is not Verdict.NOT_ALLOWED:
        assert r.verdict.after_training == (bool(r.missing_competences) and not legal_right)
        if legal_right and r.missing_competences:
            assert r.verdict is Verdict.INDEPENDENT
            assert all(x.text.startswith("Råd") for x in r.reasons if x.kind == "competence")
    else:
        assert not r.verdict.after_training
    if r.verdict is Verdict.NOT_ALLOWED:
        assert r.conditions == () and all(x.kind != "competence" for x in r.reasons)
    assert r == who_may_one(task, profession, context, knowledge)
    d = r.to_dict()
    assert d["verdict"] == r.verdict.value and len(d["reasons"]) == len(r.reasons)


# -- the law's new kinds of fact (issue 23): scope, complexity, organisation, "everyone but", særlig hjemmel ------

def _without(task: TaskFact, rule: RuleFact | None = None, provision: ProvisionFact | None = None) -> TaskFact:
    return replace(task, rules=tuple(r for r in task.rules if r is not rule),
                   provisions=tuple(p for p in task.provisions if p is not provision))


@RULES
@given(tasks(), professions(), contexts, knowledges, st.data())
def test_a_fact_of_another_organisation_has_no_effect(task, profession, context, knowledge, data):
    """A region's agreement, or a municipality's instruction, does not hold anywhere else."""
    here = {None, context.organisation, *context.organisation_parents}
    elsewhere = data.draw(st.sampled_from([s for s in SCOPES if s not in here]))
    rule = data.draw(rules().map(lambda r: replace(r, organisation=elsewhere)))
    provision = data.draw(provisions().map(lambda p: replace(p, organisation=elsewhere)))
    with_both = replace(task, rules=task.rules + (rule,), provisions=task.provisions + (provision,))
    assert who_may_one(with_both, profession, context, knowledge) == who_may_one(task, profession, context, knowledge)


@RULES
@given(tasks(), professions(), contexts.filter(lambda c: c.complexity is not None), knowledges, st.data())
def test_a_provision_for_the_other_complexity_has_no_effect(task, profession, context, knowledge, data):
    other = "complex" if context.complexity == "uncomplicated" else "uncomplicated"
    provision = data.draw(provisions().map(lambda p: replace(p, complexity=other)))
    with_it = replace(task, provisions=task.provisions + (provision,))
    assert who_may_one(with_it, profession, context, knowledge) == who_may_one(task, profession, context, knowledge)


@RULES
@given(tasks(), profession_lists(), contexts, knowledges, st.data())
def test_a_rule_for_everyone_but_some_is_the_same_as_one_rule_per_group(task, profs, context, knowledge, data):
    """"All non-physicians" says for each other group what a rule naming that group would say."""
    base = data.draw(rules())
    excepted = data.draw(st.frozensets(st.sampled_from(ALL_SLUGS), max_size=2))
    everyone = replace(base, profession=None, except_professions=excepted)
    for profession in profs:
        named = replace(base, profession=profession.slug, except_professions=frozenset())
        covered = not any(profession.covers(x) for x in excepted)
        words = who_may_one(replace(task, rules=task.rules + (everyone,)), profession, context, knowledge)
        one = who_may_one(replace(task, rules=task.rules + ((named,) if covered else ())), profession, context,
                          knowledge)
        assert words == one, (profession.slug, excepted)


@RULES
@given(st.frozensets(st.sampled_from(SLUGS), min_size=1, max_size=2), professions(), contexts, knowledges, st.data())
def test_a_legal_delegation_rule_lets_its_group_be_medhjaelp_on_a_never_delegable_task(groups, profession, context,
                                                                                       knowledge, data):
    reserve = ProvisionFact("res", "Autorisationsloven", "§ 74", "Forbeholdt", "https://x", "reserves", groups)
    never = ProvisionFact("never", "BEK 1219", "§ 2", "Aldrig delegerbar", "https://x", "never_delegable")
    rule = RuleFact("kosm", profession.slug, "delegation", "legal",
                    provision=ProvisionFact("bek834", "BEK 834", "§ 10", "Medhjælp", "https://x", "other"))
    task = TaskFact("t", "Opgave", "clinical", provisions=(reserve, never), rules=(rule,),
                    requirements=tuple(data.draw(st.lists(requirements, max_size=3))))
    result = who_may_one(task, profession, replace(context, organisation=None, organisation_parents=()), knowledge)
    if any(profession.covers(g) for g in groups):
        assert result.verdict is Verdict.INDEPENDENT  # a member's right, whatever the rule says
    else:
        assert result.verdict.by_delegation and result.delegable_from == tuple(sorted(groups))
        assert without_rule_is_blocked(task, rule, profession, context, knowledge)


def without_rule_is_blocked(task, rule, profession, context, knowledge) -> bool:
    bare = who_may_one(_without(task, rule=rule), profession,
                       replace(context, organisation=None, organisation_parents=()), knowledge)
    return bare.verdict is Verdict.NOT_ALLOWED


@RULES
@given(st.frozensets(st.sampled_from(SLUGS), min_size=1, max_size=2), professions(), contexts, knowledges)
def test_a_scoped_right_is_a_condition_on_the_members_verdict(groups, profession, context, knowledge):
    reserve = ProvisionFact("res", "Autorisationsloven", "§ 55", "Forbeholdt", "https://x", "reserves", groups,
                            scope="Kun på den gravide og det nyfødte barn")
    result = who_may_one(TaskFact("t", "Opgave", "clinical", provisions=(reserve,)), profession, context, knowledge)
    member = any(profession.covers(g) for g in groups)
    assert result.verdict is (Verdict.INDEPENDENT if member else Verdict.DELEGATION)
    if member:
        assert "Kun på den gravide og det nyfødte barn" in result.conditions
