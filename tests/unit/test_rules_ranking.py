"""Tests for kb.rules.ranking: the taker order and the tasks a profession could hand over."""

from __future__ import annotations

from datetime import date

import pytest

from kb.rules import (
    Context,
    EvidenceFact,
    Knowledge,
    MissingCompetence,
    ProfessionFact,
    ProvisionFact,
    Requirement,
    Result,
    RuleFact,
    TaskFact,
    Training,
    TrainingFact,
    Verdict,
    rank,
    shiftable,
)

CTX = Context(on=date(2024, 6, 1))
KNOW = Knowledge(training={"venepunktur": TrainingFact("venepunktur", "oplæring", hours=8)})


def res(slug, verdict=Verdict.INDEPENDENT, fit="recommended", hours=0, missing=0):
    fit = None if verdict is Verdict.NOT_ALLOWED else fit
    return Result(slug, verdict, missing_competences=tuple(MissingCompetence(f"k{i}", f"K{i}") for i in range(missing)),
                  fit=fit, training=Training("oplæring" if hours else "none", hours))


def prof(slug, shortage="unknown", level=0, parent=None, competences=()):
    return ProfessionFact(slug, slug.capitalize(), parent=parent, competences=frozenset(competences),
                          shortage_level=shortage, education_level=level)


def order(results, professions):
    return [r.profession for r in rank(results, professions)]


# --- rank ----------------------------------------------------------------------------------------------------------

def test_realistic_takers_first_then_the_legal_answer_then_the_fit():
    results = [res("a", Verdict.NOT_ALLOWED), res("b", Verdict.DELEGATION, "trainable"),
               res("c", Verdict.INDEPENDENT_AFTER_TRAINING, "requires_education", None, 3),
               res("d", Verdict.DELEGATION_AFTER_TRAINING, "recommended", 8, 1),
               res("e", Verdict.INDEPENDENT_AFTER_TRAINING, "trainable", 20, 1), res("f", Verdict.INDEPENDENT)]
    # shortage and education level would put them the other way round: they only break ties
    profs = [prof("a", "none"), prof("b", "none"), prof("c", "none"), prof("d", "none"), prof("e", "high", 9),
             prof("f", "high", 9)]
    assert order(results, profs) == ["f", "e", "d", "b", "c", "a"]


def test_a_gap_needing_an_education_never_ranks_above_a_realistic_taker_whatever_its_legal_answer():
    results = [res("own-right", Verdict.INDEPENDENT, "requires_education", None),
               res("medhjaelp", Verdict.DELEGATION_AFTER_TRAINING, "trainable", 30, 2)]
    assert order(results, [prof("own-right"), prof("medhjaelp")]) == ["medhjaelp", "own-right"]


def test_fewer_training_hours_first_within_a_legal_answer_and_fit_unknown_hours_last():
    results = [res("a", Verdict.INDEPENDENT_AFTER_TRAINING, "trainable", 30, 3),
               res("b", Verdict.INDEPENDENT_AFTER_TRAINING, "trainable", 8, 1),
               res("c", Verdict.INDEPENDENT_AFTER_TRAINING, "trainable", None, 1)]
    profs = [prof("a", "none", 0), prof("b", "high", 9), prof("c", "none", 0)]
    assert order(results, profs) == ["b", "a", "c"]


def test_shortage_order_puts_scarce_groups_last():
    levels = ["high", "moderate", "low", "none"]
    results = [res(f"p{i}") for i in range(len(levels))]
    profs = [prof(f"p{i}", lvl, level=9 - i) for i, lvl in enumerate(levels)]
    assert order(results, profs) == ["p3", "p2", "p1", "p0"]


def test_unknown_shortage_ranks_with_none_so_known_scarce_groups_come_after():
    # no report of a shortage is not a reported shortage: LEON then prefers the lower education level
    results = [res("ambulance"), res("service"), res("plenty")]
    profs = [prof("ambulance", "low", 2), prof("service", "unknown", 0), prof("plenty", "none", 1)]
    assert order(results, profs) == ["service", "plenty", "ambulance"]


def test_lowest_education_level_first_then_slug():
    results = [res("c"), res("a"), res("b"), res("d")]
    profs = [prof("a", "low", 5), prof("b", "low", 2), prof("c", "low", 5), prof("d", "low", 3)]
    assert order(results, profs) == ["b", "d", "a", "c"]


def test_unknown_profession_counts_as_unknown_shortage_and_level_zero():
    results = [res("ghost"), res("scarce"), res("plenty")]
    profs = [prof("scarce", "high", 0), prof("plenty", "moderate", 4)]
    assert order(results, profs) == ["ghost", "plenty", "scarce"]


def test_rank_does_not_depend_on_input_order():
    results = [res("a", Verdict.DELEGATION), res("b"), res("c", Verdict.DELEGATION)]
    profs = [prof("a", "low", 1), prof("b"), prof("c", "low", 1)]
    assert order(results, profs) == order(list(reversed(results)), list(reversed(profs))) == ["b", "a", "c"]


# --- shiftable -----------------------------------------------------------------------------------------------------

P74 = ProvisionFact("aut-74", "Autorisationsloven", "§ 74, stk. 2", "Lægers forbeholdte virksomhed", "https://x",
                    "reserves", frozenset({"laege"}))
NEVER = ProvisionFact("never", "BEK 1219", "§ 2", "Recepter", "https://x", "never_delegable")

LAEGE = prof("laege", "high", 7)
SPECIALLAEGE = prof("speciallaege", "high", 8, parent="laege")
SPL = prof("sygeplejerske", "high", 6, competences={"venepunktur"})
SPEC_SPL = prof("specialsygeplejerske", "high", 7, parent="sygeplejerske", competences={"venepunktur"})
SSA = prof("social-og-sundhedsassistent", "moderate", 4)
SEK = prof("laegesekretaer", "low", 4)
PORT = prof("portoer", "none", 2)
ALL = [LAEGE, SPECIALLAEGE, SPL, SPEC_SPL, SSA, SEK, PORT]


def t(slug, title, *provisions, holders, requirements=(), rules=()):
    return TaskFact(slug, title, "clinical", provisions, tuple(requirements), tuple(rules), frozenset(holders))


def test_shiftable_excludes_the_holder_its_specialisations_and_not_allowed_takers():
    blood = t("blodproeve", "Tage blodprøve", P74, holders={"laege"},
              requirements=[Requirement("venepunktur", "required")],
              rules=[RuleFact("no-sek", "laegesekretaer", "deny", "organisational")])
    items = shiftable(LAEGE, [blood], ALL, CTX, KNOW)
    assert len(items) == 1
    task, takers = items[0]
    assert task is blood
    assert [(r.profession, r.verdict) for r in takers] == [
        ("sygeplejerske", Verdict.DELEGATION),  # same verdict and shortage: lower education level first
        ("specialsygeplejerske", Verdict.DELEGATION),
        ("portoer", Verdict.DELEGATION_AFTER_TRAINING),  # same gap: no shortage before moderate shortage
        ("social-og-sundhedsassistent", Verdict.DELEGATION_AFTER_TRAINING),
    ]
    slugs = [r.profession for r in takers]
    assert "laege" not in slugs and "speciallaege" not in slugs and "laegesekretaer" not in slugs


def test_shiftable_leaves_out_takers_who_would_need_an_education_and_lifts_those_a_report_names():
    # venepunktur closable by oplæring only from education level 3: the porter (level 2) would need an education
    know = Knowledge(training={"venepunktur": TrainingFact("venepunktur", "oplæring", hours=8, min_level=3)})
    evidence = (EvidenceFact("social-og-sundhedsassistent", "proposal", "SSA tager blodprøver", "laege",
                             ("seed-000 L1-2",)),)
    blood = TaskFact("blodproeve", "Tage blodprøve", "clinical", (P74,), (Requirement("venepunktur", "required"),),
                     (), frozenset({"laege"}), evidence)
    (task, takers), = shiftable(LAEGE, [blood], ALL, CTX, know)
    assert [(r.profession, r.fit) for r in takers] == [
        ("social-og-sundhedsassistent", "recommended"),  # 8 hours of oplæring, and a report proposes it
        ("sygeplejerske", "trainable"),  # no gap, but nothing says nurses take it over from physicians
        ("specialsygeplejerske", "trainable"),
        ("laegesekretaer", "trainable"),
    ]
    assert takers[0].evidence == evidence and takers[0].training == Training("oplæring", 8, ())


def test_shiftable_from_a_specialisation_excludes_its_parent():
    task = t("x", "Opgave", holders={"specialsygeplejerske"})
    takers = [r.profession for r in shiftable(SPEC_SPL, [task], ALL, CTX, KNOW)[0][1]]
    assert "sygeplejerske" not in takers and "specialsygeplejerske" not in takers
    assert "laege" in takers  # same education level (7) as the specialist nurse in these facts: sideways is fine


def test_shiftable_skips_tasks_not_held_and_tasks_nobody_else_may_take():
    held_never = t("recept", "Udstede recept", P74, NEVER, holders={"laege"})
    not_held = t("portering", "Flytte patient", holders={"portoer"})
    free = t("booking", "Booke tid", holders={"laege", "laegesekretaer"})
    items = shiftable(LAEGE, [held_never, not_held, free], ALL, CTX, KNOW)
    assert [task.slug for task, _ in items] == ["booking"]


def test_shiftable_orders_tasks_by_best_verdict_then_title_and_limits_takers():
    reserved = t("a-res", "Anlægge kateter", P74, holders={"laege"})
    free_b = t("b", "Booke tid", holders={"laege"})
    free_a = t("c", "Arkivere", holders={"laege"})
    items = shiftable(LAEGE, [reserved, free_b, free_a], ALL, CTX, KNOW, limit_takers=2)
    assert [task.slug for task, _ in items] == ["c", "b", "a-res"]
    assert all(len(takers) == 2 for _, takers in items)
    assert [r.profession for r in items[0][1]] == ["portoer", "laegesekretaer"]
    assert all(r.verdict is Verdict.DELEGATION for r in items[2][1])


def test_shiftable_does_not_depend_on_profession_order():
    tasks = [t("a", "A", P74, holders={"laege"}), t("b", "B", holders={"laege"})]
    first = shiftable(LAEGE, tasks, ALL, CTX, KNOW)
    second = shiftable(LAEGE, list(reversed(tasks)), list(reversed(ALL)), CTX, KNOW)
    assert first == second


def test_shiftable_rejects_a_non_positive_limit():
    with pytest.raises(ValueError, match="limit_takers"):
        shiftable(LAEGE, [], ALL, CTX, KNOW, limit_takers=0)


def test_shiftable_never_moves_a_task_up_to_a_longer_education():
    task = TaskFact("t", "Opgave", "administrative", holders=frozenset({"nurse"}))
    holder = prof("nurse", "high", level=4)
    takers = [prof("doctor", "none", level=6), prof("secretary", "none", level=2), prof("peer", "none", level=4)]
    found = shiftable(holder, [task], [holder, *takers])
    assert [r.profession for r in found[0][1]] == ["secretary", "peer"]
