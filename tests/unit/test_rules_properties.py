"""Property-based tests for the who-may engine: random facts, invariants that must always hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.rules import (
    Context,
    EducationFact,
    Knowledge,
    ProfessionFact,
    ProvisionFact,
    Requirement,
    RuleFact,
    TaskFact,
    Verdict,
    rank,
    who_may,
    who_may_one,
)

# Per-test settings (not a global profile, so other test modules keep their own); no example database on disk.
RULES = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

SLUGS = ["laege", "sygeplejerske", "jordemoder", "social-og-sundhedsassistent", "farmakonom", "portoer"]
CHILDREN = {"specialsygeplejerske": "sygeplejerske", "speciallaege": "laege"}
ALL_SLUGS = SLUGS + list(CHILDREN)
COMPETENCES = ["k1", "k2", "k3", "k4", "k5"]
SETTINGS = [None, "hospital", "kommune"]
COMPLEXITIES = [None, "uncomplicated", "complex"]
CONDITIONS = ["Kun dagtid", "Kun ukomplicerede patienter", "Efter lokal instruks"]
BASE_DAY = date(2024, 1, 1)

days = st.integers(min_value=-1500, max_value=1500).map(lambda n: BASE_DAY + timedelta(days=n))
# (organisation, its parents): none, a region, a municipality inside that region
ORGANISATIONS = [(None, ()), ("region-a", ()), ("kommune-a", ("region-a",))]
SCOPES = [None, None, "region-a", "region-b", "kommune-a"]  # where an organisational fact holds (None: everywhere)
contexts = st.builds(lambda setting, complexity, on, org: Context(setting=setting, complexity=complexity, on=on,
                                                                  organisation=org[0], organisation_parents=org[1]),
                     st.sampled_from(SETTINGS), st.sampled_from(COMPLEXITIES), days, st.sampled_from(ORGANISATIONS))


@st.composite
def validity(draw):
    start = draw(st.none() | days)
    end = draw(st.none() | days)
    if start and end and start > end:
        start, end = end, start
    return start, end


@st.composite
def provisions(draw, effects=("reserves", "never_delegable", "requires_written_instruction", "other"), dated=True):
    start, end = draw(validity()) if dated else (None, None)
    effect = draw(st.sampled_from(effects))
    reserved = draw(st.frozensets(st.sampled_from(SLUGS), min_size=1, max_size=2)) if effect == "reserves" else frozenset()
    return ProvisionFact(
        slug=f"p-{draw(st.integers(0, 10_000))}", act="Autorisationsloven", ref=f"§ {draw(st.integers(1, 99))}",
        title="Bestemmelse", url="https://example.org/p", effect=effect, reserved_to=reserved,
        kind=draw(st.sampled_from(["legal", "organisational"])), valid_from=start, valid_to=end,
        verified=draw(st.booleans()), scope=draw(st.sampled_from(["", "", "Kun på voksne"])),
        complexity=draw(st.sampled_from(COMPLEXITIES)), organisation=draw(st.sampled_from(SCOPES)))


@st.composite
def rules(draw, effects=("allow", "deny", "conditions"), kinds=("legal", "organisational")):
    everyone = draw(st.integers(0, 3)) == 0  # a rule naming its groups in words: everyone but some
    return RuleFact(
        slug=f"r-{draw(st.integers(0, 10_000))}", profession=None if everyone else draw(st.sampled_from(ALL_SLUGS)),
        except_professions=draw(st.frozensets(st.sampled_from(ALL_SLUGS), max_size=2)) if everyone else frozenset(),
        organisation=draw(st.sampled_from(SCOPES)),
        effect=draw(st.sampled_from(effects)), kind=draw(st.sampled_from(kinds)),
        provision=draw(st.none() | provisions(effects=("other",))), setting=draw(st.sampled_from(SETTINGS)),
        complexity=draw(st.sampled_from(COMPLEXITIES)),
        conditions=tuple(draw(st.lists(st.sampled_from(CONDITIONS), max_size=2))), note=draw(st.sampled_from(["", "Note"])))


requirements = st.builds(Requirement, competence=st.sampled_from(COMPETENCES),
                         level=st.sampled_from(["required", "desirable"]), complexity=st.sampled_from(COMPLEXITIES))


def tasks(provision_strategy=None, rule_strategy=None):
    return st.builds(
        TaskFact, slug=st.just("t"), title=st.just("Opgave"), category=st.just("clinical"),
        provisions=st.lists(provision_strategy if provision_strategy is not None else provisions(), max_size=4).map(tuple),
        requirements=st.lists(requirements, max_size=4).map(tuple),
        rules=st.lists(rule_strategy if rule_strategy is not None else rules(), max_size=4).map(tuple),
        holders=st.frozensets(st.sampled_from(ALL_SLUGS), max_size=2))


@st.composite
def professions(draw, slug=None):
    slug = slug or draw(st.sampled_from(ALL_SLUGS))
    return ProfessionFact(
        slug=slug, name=slug.capitalize(), parent=CHILDREN.get(slug),
        competences=draw(st.integers(0, len(COMPETENCES)).flatmap(
            lambda n: st.frozensets(st.sampled_from(COMPETENCES), min_size=n, max_size=n))),
        shortage_level=draw(st.sampled_from(["none", "low", "moderate", "high", "unknown"])),
        education_level=draw(st.integers(0, 8)))


@st.composite
def profession_lists(draw):
    slugs = draw(st.lists(st.sampled_from(ALL_SLUGS), unique=True, min_size=1, max_size=len(ALL_SLUGS)))
    return [draw(professions(slug=s)) for s in slugs]


knowledges = st.builds(
    Knowledge,
    competence_names=st.just({c: c.upper() for c in COMPETENCES}),
    educations=st.lists(st.builds(EducationFact, slug=st.sampled_from(["e1", "e2", "e3"]), name=st.sampled_from(["A", "B"]),
                                  competences=st.frozensets(st.sampled_from(COMPETENCES), min_size=1),
                                  target_professions=st.frozensets(st.sampled_from(ALL_SLUGS), max_size=2)),
                        max_size=3).map(tuple),
    delegation_provisions=st.dictionaries(st.sampled_from(["delegation", "ramme_instruction", "duties", "unreserved"]),
                                          provisions(effects=("other",)), max_size=4))


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
            assert result.verdict in (Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING, Verdict.NOT_ALLOWED)


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
