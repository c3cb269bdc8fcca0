"""The law's facts as the engine answers them on the shipped seed, both backends (legal-audit 2026-12 § 3.1, § 7).

Each test pins one fact of the law with the date it turns on: the day before and the day it takes effect. The
expected verdicts come from the law's text and Styrelsen for Patientsikkerhed's guidance as cited in the seed
(seed/law/*.yaml), not from the engine.
"""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.extensions import db
from kb.rules import Result, Verdict
from kb.whomay.facts import make_context
from kb.whomay.service import matrix_by_slug

TODAY = date(2026, 12, 2)
OWN = {Verdict.INDEPENDENT}


def results(app, task: str, on: date = TODAY, **context) -> dict[str, Result]:
    with app.app_context():
        matrix = matrix_by_slug(task, make_context(on=on, **context))
        assert matrix is not None, f"task {task} is missing from the seed"
        return {r.profession: r for r in matrix.results}


def _condition(result: Result, *words: str) -> bool:
    return any(all(w in c for w in words) for c in result.conditions)


@pytest.mark.parametrize("task", ["udfaerdige-recept", "ordinere-receptpligtig-medicin"])
def test_nurses_and_midwives_prescribe_designated_medicines_from_1_july_2025(app, task):
    before, after = results(app, task, date(2025, 6, 30)), results(app, task, date(2025, 7, 1))
    for group in ("sygeplejerske", "jordemoder"):
        assert not before[group].verdict.allowed or before[group].verdict.by_delegation, (group, before[group])
        assert after[group].verdict in OWN, (group, after[group])
        assert _condition(after[group], "udpeget"), after[group].conditions
    assert after["specialsygeplejerske"].verdict in OWN  # a specialisation keeps the parent's right
    assert after["social-og-sundhedsassistent"].verdict is not Verdict.INDEPENDENT


def test_behandlerfarmaceut_renews_prescriptions_never_writes_new_ones(app):
    r = results(app, "udfaerdige-recept")["behandlerfarmaceut"]
    assert r.verdict in OWN
    assert _condition(r, "genordination")
    assert any(x.provision and x.provision.slug == "aut-behandlerfarmaceut" for x in r.reasons)


def test_a_prescription_is_never_delegated_to_a_group_without_its_own_right(app):
    v = results(app, "udfaerdige-recept")
    for group in ("social-og-sundhedsassistent", "laegesekretaer", "farmakonom", "bioanalytiker"):
        assert v[group].verdict is Verdict.NOT_ALLOWED, group


def test_nurses_vaccinate_on_own_authority_only_from_1_july_2025(app):
    for on in (date(2023, 12, 31), date(2024, 1, 1), date(2025, 6, 30)):
        assert results(app, "give-vaccination", on)["sygeplejerske"].verdict.by_delegation, on
    after = results(app, "give-vaccination", date(2025, 7, 1))["sygeplejerske"]
    assert after.verdict in OWN and _condition(after, "udpeget")


def test_midwives_take_blood_samples_on_the_woman_and_the_newborn_only(app):
    r = results(app, "tage-venoes-blodproeve")["jordemoder"]
    assert r.verdict in OWN
    assert _condition(r, "nyfødte")
    ssa = results(app, "tage-venoes-blodproeve")["social-og-sundhedsassistent"]
    assert ssa.verdict.by_delegation
    assert _condition(ssa, "Jordemoder", "egen ret", "nyfødte"), ssa.conditions  # she delegates only what she may


def test_a_complicated_birth_is_the_physicians_midwives_assist_by_delegation(app):
    plain = results(app, "yde-foedselshjaelp")["jordemoder"]
    assert plain.verdict in OWN and _condition(plain, "uden komplikationer")
    assert results(app, "yde-foedselshjaelp", complexity="uncomplicated")["jordemoder"].verdict in OWN
    complex_ = results(app, "yde-foedselshjaelp", complexity="complex")
    assert complex_["jordemoder"].verdict.by_delegation
    assert complex_["jordemoder"].delegable_from == ("laege",)
    assert complex_["laege"].verdict in OWN


def test_cosmetic_treatment_named_groups_are_medhjaelp_others_may_not(app):
    v = results(app, "udfoere-kosmetisk-behandling")
    for group in ("sygeplejerske", "tandlaege", "bioanalytiker", "tandplejer"):
        assert v[group].verdict.by_delegation, (group, v[group])
        assert any(x.provision and x.provision.slug == "kosm-medhjaelp" for x in v[group].reasons)
    for group in ("social-og-sundhedsassistent", "fysioterapeut", "laegesekretaer"):
        assert v[group].verdict is Verdict.NOT_ALLOWED, group


def test_certificates_for_public_use_are_the_physicians_and_never_delegated(app):
    v = results(app, "udarbejde-statusattest")
    assert v["laege"].verdict in OWN
    for group in ("specialsygeplejerske", "sygeplejerske", "laegesekretaer", "jordemoder", "tandlaege"):
        assert v[group].verdict is Verdict.NOT_ALLOWED, group
    assert any(x.provision and x.provision.slug == "bek1219-undtaget-1" for x in v["sygeplejerske"].reasons)


@pytest.mark.parametrize("task, group", [
    ("analysere-hudbiopsier", "bioanalytiker"),            # taking a biopsy is an operative indgreb
    ("opdatere-faelles-medicinkort", "social-og-sundhedsassistent"),  # FMK ordinations are the physician's
    ("udlevere-medicin-med-medicinrobot", "social-og-sundhedshjaelper"),  # giving prescription medicine
    ("give-ect-behandling", "sygeplejerske"),
])
def test_medhjaelp_tasks_are_by_delegation_not_own_authority(app, task, group):
    v = results(app, task)
    assert v[group].verdict.by_delegation, (task, group, v[group])
    assert v["laege"].verdict in OWN


def test_dentists_operate_and_prescribe_within_dentistry(app):
    for task in ("foretage-operative-indgreb", "udfaerdige-recept", "give-anaestesi"):
        r = results(app, task)["tandlaege"]
        assert r.verdict in OWN, (task, r)
        assert _condition(r, "tandlægevirksomhed"), (task, r.conditions)


def test_a_physicians_right_does_not_depend_on_our_competence_data(app):
    """Legal-audit § 3.1 nr. 17: a member of the reserving group is not "…efter oplæring"."""
    for task in ("dispensere-medicin", "blande-iv-medicin", "give-straalebehandling", "foretage-operative-indgreb"):
        r = results(app, task)["laege"]
        assert r.verdict is Verdict.INDEPENDENT, (task, r)
        assert all(not x.text.startswith("Mangler") for x in r.reasons if x.kind == "competence"), r.reasons


def test_the_plo_midtjylland_agreement_binds_all_non_physicians_in_region_midtjylland_only(app):
    inside = results(app, "skrive-epikrise", setting="psykiatri", organisation="region-midtjylland")
    for group in ("laegesekretaer", "sygeplejerske", "specialsygeplejerske", "social-og-sundhedsassistent",
                  "psykolog", "socialraadgiver", "medicinstuderende"):
        r = inside[group]
        assert r.verdict is Verdict.NOT_ALLOWED, group
        assert [x.kind for x in r.reasons] == ["organisational"] and "Region Midtjylland" in r.reasons[0].text
    assert inside["laege"].verdict.allowed and inside["speciallaege"].verdict.allowed
    municipality = results(app, "skrive-epikrise", setting="psykiatri", organisation="ringkoebing-skjern-kommune")
    assert municipality["laegesekretaer"].verdict is Verdict.NOT_ALLOWED  # a region's agreement holds in its municipalities
    for context in ({}, {"organisation": "region-nordjylland"}, {"organisation": "aalborg-kommune"}):
        elsewhere = results(app, "skrive-epikrise", setting="psykiatri", **context)
        assert elsewhere["laegesekretaer"].verdict.allowed, context
        assert elsewhere["sygeplejerske"].verdict.allowed, context


def test_spinal_manipulation_is_reserved_to_four_groups(app):
    with app.app_context():
        tasks = db.session.scalars(sa.select(m.Task.slug).join(m.Task.provisions)
                                   .where(m.Provision.slug == "aut-spinal-manipulation")).all()
    assert tasks, "no task is governed by the spinal manipulation provision"
    for task in tasks:
        v = results(app, task)
        for group in ("kiropraktor", "fysioterapeut", "osteopat", "laege"):
            assert v[group].verdict in OWN, (task, group)
        assert v["ergoterapeut"].verdict is not Verdict.INDEPENDENT, task
