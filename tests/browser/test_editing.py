"""An editor changes a task in the form, a reviewer publishes it, and search finds the change — in a real browser."""
from __future__ import annotations

import re
import uuid

from tests.helpers import PASSWORD, make_user

TASK = "tage-venoes-blodproeve"


def _visible_options(page, select_id: str) -> int:
    return page.eval_on_selector(f"#{select_id}", "s => Array.from(s.options).filter(o => !o.hidden).length")


def test_editor_filters_a_long_list_saves_a_draft_and_a_reviewer_publishes(page, login, browser, live_app):
    editor, reviewer = f"red-{uuid.uuid4().hex[:6]}", f"god-{uuid.uuid4().hex[:6]}"
    make_user(live_app, editor, "editor")
    make_user(live_app, reviewer, "reviewer")
    login(editor)
    page.goto(f"/redaktion/opgave/{TASK}/rediger")

    # the long profession list has a filter box above it; filtering hides the others but keeps what is chosen
    holders_total = page.eval_on_selector("#holders", "s => s.options.length")
    chosen = page.eval_on_selector("#holders", "s => Array.from(s.selectedOptions).map(o => o.value)")
    box = page.locator('input.select-filter[aria-controls="holders"]')
    box.fill("bioanaly")
    visible = _visible_options(page, "holders")
    assert len(chosen) <= visible < holders_total
    box.press("Enter")  # must not submit the form
    assert page.url.endswith("/rediger")
    page.select_option("#holders", value=chosen + ["bioanalytiker"])

    word = f"kanyleord{uuid.uuid4().hex[:5]}"
    terms = page.locator("#terms")
    terms.fill(terms.input_value().rstrip() + "\n" + word)
    page.fill("#reason", "Bioanalytikere tager blodprøver på ambulatoriet; nyt søgeord fra personalet.")
    page.click("form.form fieldset:last-of-type button[type=submit]")
    page.wait_for_url(re.compile(r"/redaktion/udkast/\d+$"))
    draft_url = page.url
    with page.expect_navigation():
        page.get_by_role("button", name="Indsend til godkendelse").click()

    # not published yet: search does not know the new word
    page.goto(f"/search?q={word}")
    assert page.locator(f'#search-results a[href="/tasks/{TASK}"]').count() == 0

    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="da-DK")
    try:
        other = context.new_page()
        other.goto("/login")
        other.fill("input[name=username]", reviewer)
        other.fill("input[name=password]", PASSWORD)
        other.click("form.form button[type=submit]")
        other.wait_for_url(lambda url: "/login" not in url)
        other.goto(draft_url)
        other.fill("#publish_comment", "Set og godkendt.")
        with other.expect_navigation():
            other.get_by_role("button", name="Udgiv", exact=True).click()
        assert "Udgivet" in other.content() or "udgivet" in other.content()
    finally:
        context.close()

    page.goto(f"/search?q={word}")
    assert page.locator(f'#search-results a[href="/tasks/{TASK}"]').count() == 1
    page.goto(f"/redaktion/opgave/{TASK}/historik")
    assert "Bioanalytikere tager blodprøver" in page.locator("main").inner_text()
