"""What a department leader does in the browser: open a task, read who may take it, plan a shift, read the FTE."""
from __future__ import annotations

import re


def test_search_as_you_type_and_land_on_the_task(page):
    page.goto("/search")
    results = page.locator("#search-results")
    assert "Skriv et ord" in results.inner_text()
    page.locator("#search-q").press_sequentially("blodprøver", delay=40)  # typed, never submitted
    hit = results.locator('a[href="/tasks/tage-venoes-blodproeve"]')
    hit.wait_for()
    assert results.locator("mark").count() >= 1
    assert "q=blodpr" in page.url  # htmx pushed the query into the address, so Back and sharing work
    hit.click()
    page.wait_for_url(re.compile(r"/tasks/tage-venoes-blodproeve$"))
    assert page.locator("#hvem-maa").is_visible()


def test_header_search_box_submits_from_any_page(page):
    page.goto("/")
    page.fill("header.site input[name=q]", "PVK")
    page.press("header.site input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=PVK"))
    assert page.locator('#search-results a[href="/tasks/anlaegge-pvk"]').count() >= 1


def test_task_page_shows_who_may_and_why(page):
    page.goto("/tasks/tage-venoes-blodproeve?date=2025-01-01")
    assert page.locator("h1").inner_text() == "Tage venøs blodprøve"
    matrix = page.locator("#hvem-maa")
    assert "Hvem kan og må overtage opgaven?" in matrix.locator("h2").inner_text()
    nurse = matrix.locator('li[data-profession="sygeplejerske"]')
    assert "Må: Selvstændigt" in nurse.locator(".badge.verdict").inner_text()
    assert nurse.locator(".badge.fit").inner_text().startswith("Kan: ")  # "can" shown beside "may"
    if not nurse.locator("ul.reasons").is_visible():  # the first of "Bedst egnede" is open already
        nurse.locator("summary").click()
    reasons = nurse.locator("ul.reasons")
    assert reasons.is_visible()
    assert "forbeholdt" in reasons.inner_text()
    assert nurse.locator('ul.reasons a[href*="/provisions/"]').count() >= 1
    # moving the date back to 2023 turns the nurse's own authority into delegation
    page.fill("input[name=date]", "2023-06-01")
    page.click("form.context button[type=submit]")
    page.wait_for_url(re.compile(r"date=2023-06-01"))
    badge = page.locator('li[data-profession="sygeplejerske"] .badge.verdict')
    assert "Ved delegation" in badge.text_content()  # in 2023 perhaps among "Alle andre faggrupper", collapsed


def test_plan_three_tasks_and_read_the_fte_freed(page, login):
    login()
    page.goto("/flyt")
    page.select_option("select[name=fra]", "sygeplejerske")
    page.click("form.context button[type=submit]")
    page.wait_for_url(re.compile(r"fra=sygeplejerske"))
    forms = page.locator("form.quick-add")
    assert forms.count() >= 3
    entries = [("10", "6"), ("5", "12"), ("20", "3")]
    plan_id = None
    for n, (occurrences, minutes) in enumerate(entries):
        if n:
            page.goto("/flyt?fra=sygeplejerske")
        form = page.locator("form.quick-add").nth(n)
        if plan_id:
            # the plan the first add made, by its id: the browser database is shared with other tests' plans
            assert form.locator("select[name=plan]").select_option(value=plan_id) == [plan_id]
        form.locator("input[name=occurrences_per_week]").fill(occurrences)
        form.locator("input[name=minutes_each]").fill(minutes)
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/plans/\d+$"))
        made = re.search(r"/plans/(\d+)$", page.url).group(1)
        assert plan_id in (None, made), "the add went to another plan"
        plan_id = made
    total = page.locator("#fte-total").inner_text()
    hours = (10 * 6 + 5 * 12 + 20 * 3) / 60
    assert f"{hours:.1f} timer pr. uge" in total
    assert f"{hours / 37:.2f} årsværk" in total
    assert page.locator("ul.checklist > li").count() == 3
