"""axe-core on the main pages: no serious or critical accessibility violations."""
from __future__ import annotations

from pathlib import Path

import pytest

AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PAGES = ["/", "/tasks/tage-venoes-blodproeve", "/professions/sygeplejerske", "/flyt?fra=sygeplejerske", "/law/",
         "/login", "/competences/blodproevetagning", "/provisions/aut-54-4-1",
         "/search?q=blodpr%C3%B8ver&profession=social-og-sundhedsassistent", "/professions/social-og-sundhedsassistent"]


def violations(page) -> list[dict]:
    # evaluate() runs through the DevTools protocol, so the app's CSP (no inline script) stays in force.
    page.evaluate(AXE + "\n;0")
    result = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target)}))""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violations(page, path):
    page.goto(path)
    found = violations(page)
    assert found == [], found


def test_plan_page_is_accessible(page, login):
    login()
    page.goto("/plans/new")
    page.fill("input[name=title]", "Tilgængelighedstjek")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/plans/*")
    assert violations(page) == []
