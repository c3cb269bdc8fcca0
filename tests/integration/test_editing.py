"""The editors' workflow through HTTP: drafts, review, publish, history, revert, preview, conflicts — forms are
posted as a browser posts them (every control of the page's form, with its CSRF token)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from kb import models as m
from kb.knowledge.documents import document_of
from kb.extensions import db
from kb.models.search import SearchDocument
from kb.whomay.facts import make_context
from kb.whomay.service import matrix_by_slug
from tests.helpers import csrf_token, fingerprint, login, make_user
from tests.plugins.editing import action, draft_id_of, edit, fill, form_data, text

NEW_TASK = "give-depotinjektion-psykiatri"
SSA = "social-og-sundhedsassistent"


def new_task(client, slug=NEW_TASK, title="Give depotinjektion med antipsykotika", reason="Fra psykiatri-workshoppen"):
    page = client.get("/redaktion/opgave/ny").get_data(as_text=True)
    data = fill(form_data(page), slug=slug, title=title, category="clinical",
                description="Intramuskulær depotinjektion efter lægens ordination.", holders=["sygeplejerske"],
                settings=["psykiatri"], terms="depotmedicin\r\ndepotinjektion",
                requirements__0__competence="farmakologi-basis", requirements__0__level="required",
                sources__0__document="seed-004", sources__0__line_from="1353", sources__0__line_to="1360",
                reason=reason)
    return client.post("/redaktion/opgave/ny", data=data)


def verdicts(app, slug: str) -> dict[str, str]:
    with app.app_context():
        return {r.profession: r.verdict.value for r in matrix_by_slug(slug, make_context()).results}


# -- the Done-when path -----------------------------------------------------------------------------------


@pytest.mark.slow  # the whole journey; its steps are tested one by one below
def test_editor_adds_task_and_rule_reviewer_publishes_answers_change_history_and_revert(app, people):
    editor, reviewer = people["redaktoer"], people["godkender"]
    anonymous = app.test_client()

    task_draft = draft_id_of(new_task(editor))
    page = text(editor.get(f"/redaktion/udkast/{task_draft}"))
    assert "Give depotinjektion med antipsykotika" in page and "farmakologi-basis" in page
    # Drafts are invisible to readers, the API, the engine and search.
    assert anonymous.get(f"/tasks/{NEW_TASK}").status_code == 404
    assert anonymous.get(f"/api/v1/tasks/{NEW_TASK}").status_code == 404
    assert anonymous.get(f"/api/v1/tasks/{NEW_TASK}/who-may").status_code == 404
    assert NEW_TASK not in anonymous.get("/search?q=depotinjektion").get_data(as_text=True)

    # A rule for the new task may be drafted while the task is in review.
    rule_url = f"/redaktion/regel/ny?task={NEW_TASK}&profession={SSA}"
    data = fill(form_data(editor.get(rule_url).get_data(as_text=True)), slug=f"{NEW_TASK}-ssa-lokal",
                effect="deny", rule_kind="organisational", note="Lokal instruks: kun sygeplejersker.",
                sources__0__url="https://www.regionmidtjylland.dk/instruks", reason="Lokal instruks i psykiatrien")
    assert data["task"] == NEW_TASK and data["profession"] == SSA
    rule_draft = draft_id_of(editor.post(rule_url, data=data))

    for draft in (task_draft, rule_draft):
        assert action(editor, draft, "indsend").status_code == 302
    assert editor.post(f"/redaktion/udkast/{task_draft}/udgiv", data={}).status_code in (400, 403)
    # Publishing the rule before its task is refused by the reference check, with the reason on the page.
    refused = action(reviewer, rule_draft, "udgiv")
    assert refused.status_code == 400 and NEW_TASK in text(refused)

    assert action(reviewer, task_draft, "udgiv").status_code == 302
    assert anonymous.get(f"/tasks/{NEW_TASK}").status_code == 200
    before = anonymous.get(f"/api/v1/tasks/{NEW_TASK}/who-may").get_json()
    ssa_before = next(r for r in before["results"] if r["profession"] == SSA)
    assert ssa_before["verdict"] != "not_allowed"
    assert NEW_TASK in anonymous.get("/search?q=depotinjektion").get_data(as_text=True)

    # The rule's preview now names the change it makes; publishing makes it so.
    preview = text(reviewer.get(f"/redaktion/udkast/{rule_draft}"))
    assert re.search(r"Social- og sundhedsassistent på Give depotinjektion med antipsykotika[^<]*:\s*<span[^>]*>"
                     + re.escape(ssa_before["verdict_label"]) + r"</span>\s*→\s*<span[^>]*>Må ikke", preview)
    assert action(reviewer, rule_draft, "udgiv").status_code == 302
    after = anonymous.get(f"/api/v1/tasks/{NEW_TASK}/who-may").get_json()
    ssa_after = next(r for r in after["results"] if r["profession"] == SSA)
    assert ssa_after["verdict"] == "not_allowed"
    assert any(r["kind"] == "organisational" and "kun sygeplejersker" in r["text"] for r in ssa_after["reasons"])

    # A change with its reason, then the history shows both versions and can revert the change.
    changed = draft_id_of(edit(editor, "opgave", NEW_TASK, "Præciseret titel", title="Give depotinjektion (IM)"))
    assert action(editor, changed, "indsend").status_code == 302
    assert action(reviewer, changed, "udgiv").status_code == 302
    assert "Give depotinjektion (IM)" in text(anonymous.get(f"/tasks/{NEW_TASK}"))
    history = text(editor.get(f"/redaktion/opgave/{NEW_TASK}/historik"))
    assert "Version 2" in history and "Præciseret titel" in history and "Fra psykiatri-workshoppen" in history
    assert re.search(r"<del>− Give depotinjektion med antipsykotika</del>.*<ins>\+ Give depotinjektion \(IM\)</ins>",
                     history, re.S)
    assert "godkender" in history and "redaktoer" in history
    first = int(re.findall(r"/redaktion/version/(\d+)/gendan", history)[-1])
    refused = editor.post(f"/redaktion/version/{first}/gendan", data=fill(
        form_data(editor.get(f"/redaktion/version/{first}/gendan").get_data(as_text=True)), reason=""))
    assert refused.status_code == 400 and "Skriv hvorfor versionen gendannes" in text(refused)
    revert_page = editor.get(f"/redaktion/version/{first}/gendan").get_data(as_text=True)
    reverted = draft_id_of(editor.post(f"/redaktion/version/{first}/gendan",
                                       data=fill(form_data(revert_page), reason="Den gamle titel var bedre")))
    assert "Give depotinjektion (IM)" in text(anonymous.get(f"/tasks/{NEW_TASK}"))  # a draft changes nothing yet
    assert action(editor, reverted, "indsend").status_code == 302
    assert action(reviewer, reverted, "udgiv").status_code == 302
    assert "Give depotinjektion med antipsykotika" in text(anonymous.get(f"/tasks/{NEW_TASK}"))
    history = text(editor.get(f"/redaktion/opgave/{NEW_TASK}/historik"))
    assert "Version 3" in history and "Den gamle titel var bedre" in history
    with app.app_context():
        events = db.session.scalars(sa.select(m.AuditEvent).where(m.AuditEvent.action == "publish")).all()
        assert len(events) == 4 and {e.user_id for e in events} == {
            db.session.scalar(sa.select(m.User.id).where(m.User.username == "godkender"))}


def test_the_author_cannot_publish_their_own_draft(app, people):
    reviewer, other = people["godkender"], people["redaktoer"]
    draft = draft_id_of(edit(reviewer, "opgave", "tage-venoes-blodproeve", "Egen rettelse",
                             title="Tage venøs blodprøve (venepunktur)"))
    assert action(reviewer, draft, "indsend").status_code == 302
    page = text(reviewer.get(f"/redaktion/udkast/{draft}"))
    assert "Du kan ikke godkende dit eget udkast" in page and 'action="/redaktion/udkast/%d/udgiv"' % draft not in page
    lock = re.search(r'name="lock" value="(\d+)"', page).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = reviewer.post(f"/redaktion/udkast/{draft}/udgiv", data={"csrf_token": token, "lock": lock})
    assert refused.status_code == 403 and "Du kan ikke godkende dit eget udkast" in text(refused)
    refused = reviewer.post(f"/redaktion/udkast/{draft}/send-tilbage",
                            data={"csrf_token": token, "lock": lock, "comment": "Selv"})
    assert refused.status_code == 403
    other_token = csrf_token(other, "/redaktion/opgave/ny")
    assert other.post(f"/redaktion/udkast/{draft}/udgiv", data={"csrf_token": other_token, "lock": lock}).status_code == 403
    with app.app_context():
        assert db.session.get(m.Revision, draft).status == "submitted"
        assert document_of(db.session, "task", "tage-venoes-blodproeve")["title"] == "Tage venøs blodprøve"


def test_send_back_needs_a_comment_and_the_author_can_resubmit(app, people):
    editor, reviewer = people["redaktoer"], people["godkender"]
    draft = draft_id_of(edit(editor, "opgave", "tage-venoes-blodproeve", "Ny titel", title="Venepunktur"))
    assert action(editor, draft, "indsend").status_code == 302
    refused = action(reviewer, draft, "send-tilbage", comment="")
    assert refused.status_code == 400 and "Skriv til forfatteren, hvad der skal rettes." in text(refused)
    assert action(reviewer, draft, "send-tilbage", comment="Behold den kendte titel.").status_code == 302
    page = text(editor.get("/redaktion/opgave/tage-venoes-blodproeve/rediger"))
    assert "Behold den kendte titel." in page and 'value="Venepunktur"' in page  # the draft, not the record
    assert draft_id_of(edit(editor, "opgave", "tage-venoes-blodproeve", "Ny titel, rettet",
                            title="Tage venøs blodprøve (venepunktur)")) == draft
    assert action(editor, draft, "indsend").status_code == 302
    assert action(reviewer, draft, "udgiv").status_code == 302
    with app.app_context():
        assert document_of(db.session, "task", "tage-venoes-blodproeve")["title"] == "Tage venøs blodprøve (venepunktur)"


# -- readers and the preview --------------------------------------------------------------------------------------


def test_readers_and_the_engine_see_only_published_versions(app, people):
    editor = people["redaktoer"]
    anonymous = app.test_client()
    before = verdicts(app, "tage-venoes-blodproeve")
    draft = draft_id_of(edit(editor, "opgave", "tage-venoes-blodproeve", "Prøve", title="Zyxwvu blodprøve",
                             provisions=[], holders=["laege"]))
    assert action(editor, draft, "indsend").status_code == 302
    assert "Zyxwvu" not in text(anonymous.get("/tasks/tage-venoes-blodproeve"))
    assert anonymous.get("/api/v1/tasks/tage-venoes-blodproeve").get_json()["title"] == "Tage venøs blodprøve"
    assert "tage-venoes-blodproeve" not in anonymous.get("/search?q=zyxwvu").get_data(as_text=True)
    assert verdicts(app, "tage-venoes-blodproeve") == before
    assert anonymous.get(f"/redaktion/udkast/{draft}").status_code == 302  # to the login page


def test_preview_lists_the_verdict_change_and_leaves_the_database_as_it_was(app, people):
    from kb.editing.preview import preview

    editor = people["redaktoer"]
    before = verdicts(app, "tage-venoes-blodproeve")[SSA]
    assert before != "not_allowed"
    with app.app_context():
        search_rows = db.session.scalar(sa.select(sa.func.count()).select_from(SearchDocument))
    rule_url = f"/redaktion/regel/ny?task=tage-venoes-blodproeve&profession={SSA}"
    data = fill(form_data(editor.get(rule_url).get_data(as_text=True)), slug="blodproeve-ssa-stop", effect="deny",
                rule_kind="organisational", note="Midlertidigt stop.", reason="Afprøvning af preview")
    draft = draft_id_of(editor.post(rule_url, data=data))
    with app.app_context():
        state = fingerprint()
    page = text(editor.get(f"/redaktion/udkast/{draft}"))
    with app.app_context():
        assert fingerprint() == state
        from kb.models.enums import VERDICT_LABELS
        label = str(VERDICT_LABELS[before])
    assert re.search(r"Social- og sundhedsassistent på Tage venøs blodprøve[^<]*:\s*<span[^>]*>" + re.escape(label)
                     + r"</span>\s*→\s*<span[^>]*>Må ikke</span>", page), page[page.find("Forhåndsvisning"):][:2000]
    with app.app_context():  # and directly: nothing of the draft is left in the session or the database
        doc = db.session.get(m.Revision, draft).data
        result = preview(db.session, "rule", doc)
        assert [(c.profession, c.after.value) for c in result.changes if c.setting is None] == [(SSA, "not_allowed")]
        assert db.session.scalar(sa.select(m.Rule).where(m.Rule.slug == "blodproeve-ssa-stop")) is None
        db.session.commit()  # even committing the session after a preview writes nothing
        assert fingerprint() == state
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)) == search_rows
    assert verdicts(app, "tage-venoes-blodproeve")[SSA] == before


def test_preview_of_a_profession_change_reaches_every_task(app, people):
    from kb.editing.preview import preview

    with app.app_context():
        doc = document_of(db.session, "profession", SSA)
        doc["competences"] = []
        result = preview(db.session, "profession", doc)
        assert result.tasks_checked > 100 and result.changes
        assert all(c.profession == SSA for c in result.changes)
        assert document_of(db.session, "profession", SSA)["competences"]


# -- no lost edits ------------------------------------------------------------------------------------------------


def test_second_editor_is_refused_keeps_input_and_can_build_on_the_new_version(app, people):
    first, second, reviewer = people["redaktoer"], people["redaktoer2"], people["godkender"]
    url = "/redaktion/opgave/tage-venoes-blodproeve/rediger"
    second_form = form_data(second.get(url).get_data(as_text=True))  # opened before the other change
    draft = draft_id_of(edit(first, "opgave", "tage-venoes-blodproeve", "Første", description="Ny beskrivelse."))
    assert action(first, draft, "indsend").status_code == 302
    assert action(reviewer, draft, "udgiv").status_code == 302

    refused = second.post(url, data=fill(second_form, title="Blodprøve fra vene", reason="Anden ændring"))
    page = text(refused)
    assert refused.status_code == 409
    assert "Ikke gemt: posten er ændret af en anden" in page
    assert 'value="Blodprøve fra vene"' in page and "Anden ændring" in page
    assert 'href="/redaktion/opgave/tage-venoes-blodproeve/historik"' in page
    with app.app_context():
        assert not db.session.scalars(sa.select(m.Revision).where(m.Revision.reason == "Anden ændring")).all()
    # Having seen the other change, the editor saves on top of the new version.
    again = form_data(refused.get_data(as_text=True))
    assert again["title"] == "Blodprøve fra vene"
    rebase = re.search(r'name="rebase" value="(\d+)"', page).group(1)
    assert draft_id_of(second.post(url, data=fill(again, rebase=rebase)))


def test_two_drafts_of_one_record_the_second_publication_is_refused(app, people):
    first, second, reviewer = people["redaktoer"], people["redaktoer2"], people["godkender"]
    one = draft_id_of(edit(first, "opgave", "tage-venoes-blodproeve", "Første", title="Blodprøve A"))
    two = draft_id_of(edit(second, "opgave", "tage-venoes-blodproeve", "Anden", title="Blodprøve B"))
    for client, draft in ((first, one), (second, two)):
        assert action(client, draft, "indsend").status_code == 302
    assert action(reviewer, one, "udgiv").status_code == 302
    refused = action(reviewer, two, "udgiv")
    assert refused.status_code == 409 and "nyere version" in text(refused)
    assert "Se den anden ændring i historikken" in text(second.get(f"/redaktion/udkast/{two}"))
    with app.app_context():
        assert document_of(db.session, "task", "tage-venoes-blodproeve")["title"] == "Blodprøve A"
        assert db.session.get(m.Revision, two).status == "submitted"
    # The second editor's form shows their draft, warns, and can be saved on the new version.
    page = text(second.get("/redaktion/opgave/tage-venoes-blodproeve/rediger"))
    assert 'value="Blodprøve B"' in page and "Posten er udgivet i en nyere version" in page
    rebase = re.search(r'name="rebase" value="(\d+)"', page).group(1)
    assert draft_id_of(edit(second, "opgave", "tage-venoes-blodproeve", "Anden, efter A", rebase=rebase)) == two
    assert action(second, two, "indsend").status_code == 302
    assert action(reviewer, two, "udgiv").status_code == 302


def test_one_draft_saved_from_two_tabs_the_second_save_is_refused(app, people):
    editor = people["redaktoer"]
    url = "/redaktion/opgave/tage-venoes-blodproeve/rediger"
    draft = draft_id_of(edit(editor, "opgave", "tage-venoes-blodproeve", "Start", title="Blodprøve 1"))
    tab_one = form_data(editor.get(url).get_data(as_text=True))
    tab_two = form_data(editor.get(url).get_data(as_text=True))
    assert draft_id_of(editor.post(url, data=fill(tab_one, title="Blodprøve fra fane 1"))) == draft
    refused = editor.post(url, data=fill(tab_two, title="Blodprøve fra fane 2"))
    page = text(refused)
    assert refused.status_code == 409 and "udkastet er gemt et andet sted" in page
    assert 'value="Blodprøve fra fane 2"' in page
    with app.app_context():
        assert db.session.get(m.Revision, draft).data["title"] == "Blodprøve fra fane 1"
    relock = re.search(r'name="relock" value="(\d+)"', page).group(1)
    assert draft_id_of(editor.post(url, data=fill(form_data(refused.get_data(as_text=True)), relock=relock))) == draft
    with app.app_context():
        assert db.session.get(m.Revision, draft).data["title"] == "Blodprøve fra fane 2"
    # A reviewer who opened the draft page before the author's last save cannot publish the older text.
    reviewer = people["godkender"]
    assert action(editor, draft, "indsend").status_code == 302
    review_page = reviewer.get(f"/redaktion/udkast/{draft}").get_data(as_text=True)
    publish = form_data(review_page, f"/redaktion/udkast/{draft}/udgiv")
    assert draft_id_of(edit(editor, "opgave", "tage-venoes-blodproeve", "Igen", title="Blodprøve 3")) == draft
    assert action(editor, draft, "indsend").status_code == 302
    refused = reviewer.post(f"/redaktion/udkast/{draft}/udgiv", data=publish)
    assert refused.status_code == 409 and "Udkastet er ændret, siden du åbnede det" in text(refused)


# -- forms, slugs, CSRF, roles ------------------------------------------------------------------------------------


def test_a_bad_task_form_shows_danish_messages_and_keeps_everything_typed(app, people):
    editor = people["redaktoer"]
    page = editor.get("/redaktion/opgave/ny").get_data(as_text=True)
    data = fill(form_data(page), slug="Depot Injektion", title="ab", category="clinical",
                description="En beskrivelse\r\nover to linjer", terms="depot\r\nIM",
                sources__0__document="seed-004", sources__0__line_from="20", sources__0__line_to="10",
                sources__1__url="www.uden-protokol.dk", requirements__0__competence="findes-ikke",
                reason="Ny opgave")
    response = editor.post("/redaktion/opgave/ny", data=data)
    page = text(response)
    assert response.status_code == 400
    for message in ("Brug kun små bogstaver", "Titlen skal være mindst 3 tegn.", "Til-linjen må ikke ligge før",
                    "Webadressen skal begynde med https://", "Vælg en af mulighederne på listen."):
        assert message in page, message
    for typed in ('value="Depot Injektion"', 'value="ab"', "En beskrivelse\nover to linjer", "depot\nIM",
                  'value="20"', 'value="10"', 'value="www.uden-protokol.dk"', "Ny opgave"):
        assert typed in page, typed
    assert re.search(r'<p class="error" id="slug-error">', page)
    with app.app_context():
        assert not db.session.scalars(sa.select(m.Revision)).all()


def test_a_legal_rule_needs_a_provision_beside_the_field(app, people):
    editor = people["redaktoer"]
    url = f"/redaktion/regel/ny?task=tage-venoes-blodproeve&profession={SSA}"
    data = fill(form_data(editor.get(url).get_data(as_text=True)), slug="ssa-blodproeve-lov", effect="allow",
                rule_kind="legal", conditions="Skriftlig instruks\r\nOplæring", reason="Lov")
    response = editor.post(url, data=data)
    page = text(response)
    assert response.status_code == 400
    assert re.search(r'<p class="error" id="provision-error">En lovbestemt regel skal henvise til en bestemmelse.',
                     page)
    assert "Skriftlig instruks\nOplæring" in page
    data = fill(data, task="findes-ikke-opgave")
    assert "Opgaven findes ikke: 'findes-ikke-opgave'" in text(editor.post(url, data=data))


def test_a_new_slug_taken_by_another_editors_draft_is_refused(app, people):
    assert draft_id_of(new_task(people["redaktoer"]))
    response = new_task(people["redaktoer2"], reason="Samme idé")
    assert response.status_code == 400
    assert "allerede i brug i en anden redaktørs udkast" in text(response)
    response = new_task(people["redaktoer2"], slug="tage-venoes-blodproeve")
    assert response.status_code == 400 and "Slug'en er allerede i brug" in text(response)


def test_csrf_is_required_on_every_editing_post(app, people):
    editor = people["redaktoer"]
    url = "/redaktion/opgave/tage-venoes-blodproeve/rediger"
    data = fill(form_data(editor.get(url).get_data(as_text=True)), title="Uden token", reason="CSRF")
    data.poplist("csrf_token")
    assert editor.post(url, data=data).status_code == 400
    draft = draft_id_of(edit(editor, "opgave", "tage-venoes-blodproeve", "Med token", title="Med token"))
    assert editor.post(f"/redaktion/udkast/{draft}/indsend", data={"lock": "1"}).status_code == 400
    with app.app_context():
        assert db.session.get(m.Revision, draft).status == "draft"
        assert not db.session.scalars(sa.select(m.Revision).where(m.Revision.reason == "CSRF")).all()


def test_roles_and_links(app, people):
    make_user(app, "laeser", "reader")
    reader = app.test_client()
    login(reader, "laeser")
    assert reader.get("/redaktion/").status_code == 403
    assert reader.get("/redaktion/opgave/ny").status_code == 403
    assert "/redaktion/" not in reader.get("/tasks/tage-venoes-blodproeve").get_data(as_text=True)
    editor = people["redaktoer"]
    page = editor.get("/tasks/tage-venoes-blodproeve").get_data(as_text=True)
    assert 'href="/redaktion/opgave/tage-venoes-blodproeve/rediger"' in page
    assert 'href="/redaktion/opgave/tage-venoes-blodproeve/historik"' in page
    assert 'href="/redaktion/"' in page  # the header's "Redaktion"
    overview = text(editor.get("/redaktion/"))
    assert "Ny opgave" in overview and "Ny regel" in overview
    assert editor.get("/redaktion/ukendt/ny").status_code == 404
    assert editor.get("/redaktion/opgave/findes-ikke/rediger").status_code == 404


def test_discard_deletes_only_the_authors_own_draft(app, people):
    editor, other = people["redaktoer"], people["redaktoer2"]
    draft = draft_id_of(edit(editor, "opgave", "tage-venoes-blodproeve", "Kladde", title="Kladde"))
    page = editor.get(f"/redaktion/udkast/{draft}").get_data(as_text=True)
    data = form_data(page, f"/redaktion/udkast/{draft}/kasser")
    assert other.post(f"/redaktion/udkast/{draft}/kasser", data=fill(
        data.copy(), csrf_token=csrf_token(other, "/redaktion/opgave/ny"))).status_code == 403
    assert editor.post(f"/redaktion/udkast/{draft}/kasser", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(m.Revision, draft) is None


def test_other_kinds_go_through_the_same_workflow(app, people):
    """The registry picks up the other entity forms: a competence is edited, reviewed and in its history."""
    editor, reviewer = people["redaktoer"], people["godkender"]
    draft = draft_id_of(edit(editor, "kompetence", "blodproevetagning", "Præcisering",
                             name="Blodprøvetagning (venøs og kapillær)"))
    page = text(editor.get(f"/redaktion/udkast/{draft}?lang=en"))
    assert "Changes from the published version" in page and "Blodprøvetagning (venøs og kapillær)" in page
    assert action(editor, draft, "indsend").status_code == 302
    assert action(reviewer, draft, "udgiv").status_code == 302
    assert "Blodprøvetagning (venøs og kapillær)" in text(app.test_client().get("/competences/blodproevetagning"))
    history = text(editor.get("/redaktion/kompetence/blodproevetagning/historik?lang=en"))
    assert "Version 2" in history and "Præcisering" in history and "Restore this version" in history
    assert "Recently published" in text(editor.get("/redaktion/?lang=en"))


def test_an_edit_that_keeps_terms_and_requirements_and_adds_one_publishes(app, people):
    """Kept synonyms and requirements survive beside new ones (the unique (task, term) row is reused, not re-inserted)."""
    editor, reviewer = people["redaktoer"], people["godkender"]
    slug = "tage-venoes-blodproeve"
    with app.app_context():
        before = document_of(db.session, "task", slug)
    assert before["terms"] and before["requirements"]
    terms = "\r\n".join(before["terms"] + ["kanyleord"])
    draft = draft_id_of(edit(editor, "opgave", slug, "Nyt søgeord fra personalet", terms=terms))
    assert action(editor, draft, "indsend").status_code == 302
    assert action(reviewer, draft, "udgiv").status_code == 302
    with app.app_context():
        after = document_of(db.session, "task", slug)
    assert after["terms"] == before["terms"] + ["kanyleord"]
    assert after["requirements"] == before["requirements"]
    assert slug in app.test_client().get("/search?q=kanyleord").get_data(as_text=True)
