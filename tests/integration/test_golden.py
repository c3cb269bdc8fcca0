"""Golden cases the law itself states, computed by the engine on the shipped seed knowledge (both backends)."""
from __future__ import annotations

from datetime import date

import pytest

from kb.rules import Verdict
from kb.whomay.service import matrix_by_slug
from kb.whomay.facts import make_context


def verdicts(app, task: str, on: date = date(2025, 6, 1), **context) -> dict[str, Verdict]:
    with app.app_context():
        matrix = matrix_by_slug(task, make_context(on=on, **context))
        assert matrix is not None, f"task {task} is missing from the seed"
        return {r.profession: r.verdict for r in matrix.results}


def test_nurse_venous_blood_sample_own_authority_from_2024_delegation_before(app):
    after = verdicts(app, "tage-venoes-blodproeve", date(2024, 1, 1))
    before = verdicts(app, "tage-venoes-blodproeve", date(2023, 12, 31))
    assert after["sygeplejerske"] in {Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING}
    assert after["specialsygeplejerske"] is after["sygeplejerske"]
    assert before["sygeplejerske"].by_delegation
    assert before["laege"] is Verdict.INDEPENDENT and after["laege"] is Verdict.INDEPENDENT
    assert after["social-og-sundhedsassistent"].by_delegation


def test_capillary_blood_sugar_is_reserved_to_nurses_from_2024(app):
    v = verdicts(app, "maale-blodsukker-kapillaert", date(2024, 3, 1))
    assert v["sygeplejerske"] in {Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING}
    assert v["social-og-sundhedsassistent"].by_delegation


def test_ssa_gives_prescription_medicine_by_delegation(app):
    v = verdicts(app, "administrere-medicin")
    assert v["social-og-sundhedsassistent"].by_delegation
    assert v["laege"] is Verdict.INDEPENDENT


@pytest.mark.parametrize("task", ["udstede-doedsattest", "foretage-ligsyn"])
def test_only_a_physician_may(app, task):
    v = verdicts(app, task)
    assert v["laege"] is Verdict.INDEPENDENT
    physicians = {"laege", "speciallaege", "yngre-laege"}
    others = {p: x for p, x in v.items() if p not in physicians}
    assert others and all(x is Verdict.NOT_ALLOWED for x in others.values()), others


def test_coercion_decision_is_never_delegated(app):
    v = verdicts(app, "traeffe-beslutning-om-tvang", setting="psykiatri")
    assert v["sygeplejerske"] is Verdict.NOT_ALLOWED and v["psykolog"] is Verdict.NOT_ALLOWED


def test_unreserved_ward_task_is_open_to_service_staff(app):
    v = verdicts(app, "tage-telefonen")
    assert v["servicemedarbejder"] in {Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING}
    assert not any(x.by_delegation for x in v.values())


def test_discharge_summary_agreement_is_organisational(app):
    with app.app_context():
        matrix = matrix_by_slug("skrive-epikrise", make_context(setting="psykiatri", organisation="region-midtjylland"))
        result = next(r for r in matrix.results if r.profession == "laegesekretaer")
    assert result.verdict is Verdict.NOT_ALLOWED
    assert any(r.kind == "organisational" for r in result.reasons)
    assert not any(r.kind == "legal" and "forbeholdt" in r.text for r in result.reasons)


def test_prescriptions_before_july_2025_only_physicians_and_dentists_in_their_own_field(app):
    with app.app_context():
        matrix = matrix_by_slug("udfaerdige-recept", make_context(on=date(2025, 6, 30)))
    by = {r.profession: r for r in matrix.results}
    assert by["laege"].verdict is Verdict.INDEPENDENT
    assert by["tandlaege"].verdict in {Verdict.INDEPENDENT, Verdict.INDEPENDENT_AFTER_TRAINING}
    assert any("tandlægevirksomhed" in c for c in by["tandlaege"].conditions)
    assert by["sygeplejerske"].verdict is Verdict.NOT_ALLOWED
    assert by["social-og-sundhedsassistent"].verdict is Verdict.NOT_ALLOWED
