"""Hypothesis strategies for the who-may engine's facts (kb.rules.facts): random tasks with provisions, rules and
requirements, professions with parents and competences, contexts and knowledge — shared by the property tests
(tests/unit/test_rules_properties.py) and the shortlist's differential test (tests/unit/test_rules_shortlist.py)."""
from __future__ import annotations

import os
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from kb.rules import (
    Context, EducationFact, EvidenceFact, Knowledge, ProfessionFact, ProvisionFact, Requirement, RuleFact, TaskFact,
    TrainingFact,
)

# Per-test settings (not a global profile, so other test modules keep their own); no example database on disk. 200
# examples a property; `make test-fast` asks for fewer (KB_PROPERTY_EXAMPLES=50) so every property still runs there.
EXAMPLES = int(os.environ.get("KB_PROPERTY_EXAMPLES", "200"))
RULES = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

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


evidence_items = st.builds(EvidenceFact, taker=st.sampled_from(ALL_SLUGS),
                           kind=st.sampled_from(["proposal", "practice", "pilot", "evaluation"]),
                           summary=st.just("Forslag"), from_=st.none() | st.sampled_from(ALL_SLUGS),
                           sources=st.just(("seed-000 L1-2",)))


def tasks(provision_strategy=None, rule_strategy=None):
    return st.builds(
        TaskFact, slug=st.just("t"), title=st.just("Opgave"), category=st.just("clinical"),
        provisions=st.lists(provision_strategy if provision_strategy is not None else provisions(), max_size=4).map(tuple),
        requirements=st.lists(requirements, max_size=4).map(tuple),
        rules=st.lists(rule_strategy if rule_strategy is not None else rules(), max_size=4).map(tuple),
        holders=st.frozensets(st.sampled_from(ALL_SLUGS), max_size=2),
        evidence=st.lists(evidence_items, max_size=2).map(tuple))


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
    # how each competence is gained (some have no training data: they count as needing an education)
    training=st.dictionaries(st.sampled_from(COMPETENCES), st.sampled_from(COMPETENCES).flatmap(lambda c: st.builds(
        TrainingFact, competence=st.just(c), effort=st.sampled_from(["oplæring", "kursus", "uddannelse"]),
        hours=st.none() | st.integers(0, 40), min_level=st.integers(0, 6),
        basis=st.frozensets(st.sampled_from(COMPETENCES), max_size=2)))),
    delegation_provisions=st.dictionaries(st.sampled_from(["delegation", "ramme_instruction", "duties", "unreserved"]),
                                          provisions(effects=("other",)), max_size=4))
