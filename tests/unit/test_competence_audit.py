"""`kb check-seed`'s report on the competence data behind "can" (kb/seeding/competence_audit.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

from kb.seeding import read_bundle
from kb.seeding.competence_audit import audit

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "seed-mini"


def test_a_required_competence_nobody_is_educated_for_is_reported_until_it_says_how_it_is_gained(tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(MINI, seed)
    base = (seed / "base.yaml").read_text()
    (seed / "base.yaml").write_text(base.replace("competences:\n", """competences:
  - {slug: ny-teknik, name: Ny teknik, kind: skill}
  - {slug: ny-teknik-laeres, name: Ny teknik der kan læres, kind: skill,
     training: {effort: kursus, hours: 15, sources: [{document: seed-000, lines: [1, 2]}]}}
""", 1))
    (seed / "more.yaml").write_text("""tasks:
  - slug: bruge-ny-teknik
    title: Bruge en ny teknik
    category: clinical
    requirements: [{competence: ny-teknik}, {competence: ny-teknik-laeres}, {competence: hygiejne-basis}]
    sources: [{document: seed-000, lines: [1, 2]}]
""")
    bundle = read_bundle(seed)
    given = {c for e in bundle.entries("professions") for c in e.data.competences}
    required = {(e.data.slug, q.competence) for e in bundle.entries("tasks") for q in e.data.requirements
                if q.level == "required"}
    nobody = sorted((t, c) for t, c in required if c not in given)
    assert ("bruge-ny-teknik", "ny-teknik") in nobody and ("bruge-ny-teknik", "hygiejne-basis") not in nobody
    found = audit(bundle)
    assert ("bruge-ny-teknik", "ny-teknik") in found.problems
    assert ("bruge-ny-teknik", "ny-teknik-laeres") not in found.problems
    assert [(t, c) for t, c, _ in found.held_by_nobody] == nobody
    trained = {e.data.slug for e in bundle.entries("competences") if e.data.training_effort}
    assert found.problems == [(t, c) for t, c in nobody if c not in trained]
    assert found.without_training == sorted(e.data.slug for e in bundle.entries("competences")
                                            if not e.data.training_effort)


def test_the_shipped_seed_says_how_every_competence_is_gained_and_requires_none_nobody_can_gain():
    found = audit(read_bundle(ROOT / "seed"))
    assert found.without_training == []
    assert found.problems == []
