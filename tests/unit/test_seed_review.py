"""`kb check-seed`'s report on the law (kb/seeding/review.py): unverified provisions, acts without a number,
reports without an address, and tasks whose title names something the law governs but that cite no provision."""
from __future__ import annotations

import shutil
from pathlib import Path

from kb.seeding import read_bundle
from kb.seeding.review import review

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "seed-mini"

TASK = """
  - slug: {slug}
    title: {title}
    category: clinical
    provisions: [{provisions}]
    sources: [{{document: seed-000, lines: [1, 2]}}]
"""


def _bundle(tmp_path, *tasks: tuple[str, str, str]):
    seed = tmp_path / "seed"
    shutil.copytree(MINI, seed)
    text = (seed / "tasks.yaml").read_text()
    extra = "".join(TASK.format(slug=s, title=t, provisions=p) for s, t, p in tasks)
    (seed / "tasks.yaml").write_text(text.replace("tasks:\n", "tasks:\n" + extra, 1))
    return read_bundle(seed)


def test_a_task_naming_a_prescription_without_a_provision_is_reported(tmp_path):
    found = review(_bundle(tmp_path, ("udfaerdige-recept", "Udfærdige recept", ""),
                           ("give-vaccine", "Give vaccination", "aut-54-4-1"),
                           ("biopsi-med-hjemmel", "Tage biopsi", "aut-54-4-1"),
                           ("koordinere-forloeb", "Koordinere forløb i receptionen", "")))
    flagged = dict(found.tasks_missing_provision)
    assert set(flagged) == {"udfaerdige-recept", "give-vaccine", "biopsi-med-hjemmel"}
    assert "recept" in flagged["udfaerdige-recept"]


def test_unverified_provisions_acts_without_number_and_reports_without_address(tmp_path):
    found = review(_bundle(tmp_path))
    # seed-mini: one act, unverified, without a number; one provision; one report without a url
    assert (found.verified, found.legal) == (0, 1)
    assert [slug for slug, _ in found.unverified] == ["aut-54-4-1"]
    assert found.acts_without_number == ["autorisationsloven"]
    assert found.reports_without_url == ["seed-000"]
