"""Can beside may (issue 19): the fit and the training on the task page, the API and the CLI, the settings where
the answer differs, the competence page — on both databases. The shipped knowledge's realistic takers:
test_shipped_fit.py."""
from __future__ import annotations

import html
import re

from tests.helpers import who_may_results


def test_every_result_carries_legal_fit_training_and_evidence(client):
    results = who_may_results(client, "tage-venoes-blodproeve")
    for r in results.values():
        assert r["legal"] == {"independent": "independent", "independent_after_training": "independent",
                              "delegation": "delegation", "delegation_after_training": "delegation",
                              "not_allowed": "not_allowed"}[r["verdict"]]
        assert (r["fit"] is None) == (r["verdict"] == "not_allowed")
        assert r["training"]["effort"] in ("none", "oplæring", "kursus", "uddannelse")
        assert (r["training"]["effort"] == "none") == (not r["missing_competences"])
        assert isinstance(r["evidence"], list)
    assert any(r["evidence"] for r in results.values()), "the reports name takers for blood samples"


def test_the_page_states_the_settings_where_the_answer_differs(client):
    """skrive-epikrise: Region Midtjylland's agreement for psychiatry keeps non-physicians from writing discharge
    letters there. With "Alle miljøer" the page says so, profession by profession, as the engine does."""
    everywhere = who_may_results(client, "skrive-epikrise")
    there = who_may_results(client, "skrive-epikrise", "?setting=psykiatri&organisation=region-midtjylland")
    differing = {p for p in everywhere if (everywhere[p]["verdict"], everywhere[p]["fit"]) !=
                 (there[p]["verdict"], there[p]["fit"])}
    assert "sygeplejerske" in differing and there["sygeplejerske"]["verdict"] == "not_allowed"
    page = html.unescape(client.get("/tasks/skrive-epikrise").get_data(as_text=True))
    section = page[page.index('<ul class="differences">'):]
    section = section[:section.index("</ul>")]
    listed = re.findall(r'<li data-profession="([^"]+)">(.*?)</li>', section, re.S)
    assert {p for p, _ in listed} == differing
    nurse = " ".join(next(text for p, text in listed if p == "sygeplejerske").split())
    assert nurse.startswith("I Psykiatri (regional) (Region Midtjylland):") and "må ikke" in nurse
    assert nurse.endswith("– aftale")
    # asked for that setting and region, the page shows the answer itself and no longer lists it as different
    narrowed = client.get("/tasks/skrive-epikrise?setting=psykiatri&organisation=region-midtjylland")
    assert '<ul class="differences">' not in narrowed.get_data(as_text=True)


def test_the_cli_shows_the_fit_and_the_training(client, runner):
    results = who_may_results(client, "tage-venoes-blodproeve")
    out = runner.invoke(args=["who-may", "tage-venoes-blodproeve", "--no-reasons"])
    assert out.exit_code == 0, out.output
    assert "Kan (egnethed)" in out.output
    for r in results.values():
        line = next(x for x in out.output.splitlines() if x.startswith(r["profession_name"] + " "))
        assert (r["fit_label"] or "-") in line
        if r["fit"] and r["training"]["hours"]:
            assert f"{r['training']['hours']} t" in line


def test_openapi_describes_the_fit(client):
    result = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Result"]
    assert {"legal", "fit", "training", "evidence"} <= set(result["required"])
    assert result["properties"]["fit"]["enum"] == ["recommended", "trainable", "requires_education", None]



def test_the_competence_page_says_how_it_is_gained_and_where_that_is_said(app, client):
    import sqlalchemy as sa

    from kb import models as m
    from kb.extensions import db

    with app.app_context():
        cited = db.session.scalar(sa.select(m.Competence).join(m.Competence.citations)
                                  .where(m.Competence.training_effort == "oplæring").limit(1))
        guessed = db.session.scalar(sa.select(m.Competence).where(
            m.Competence.training_effort.is_not(None), ~m.Competence.citations.any()).limit(1))
        cited_slug, hours, guessed_slug = cited.slug, cited.training_hours, guessed.slug
    page = html.unescape(client.get(f"/competences/{cited_slug}").get_data(as_text=True))
    section = page[page.index('id="oplaering"'):page.index("Opgaver der kræver kompetencen")]
    assert f"Oplæring, typisk {hours} timer" in section
    assert 'class="cite"' in section or 'href="https://' in section  # a report's lines or a public page
    assert "redaktionelt skøn" not in section
    page = html.unescape(client.get(f"/competences/{guessed_slug}").get_data(as_text=True))
    assert "redaktionelt skøn" in page[page.index('id="oplaering"'):]

