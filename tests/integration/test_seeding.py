"""The seed loader: upsert by slug, idempotent, dry-run, and all-or-nothing with errors naming file, entry, field."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from kb import models as m
from kb.extensions import db
from kb.seeding import SeedErrors, load_bundle, read_bundle

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "seed-mini"


@pytest.fixture
def migrated(empty_app):
    with empty_app.app_context():
        upgrade()
    return empty_app


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _snapshot() -> dict[str, int]:
    return {model.__name__: _count(model) for model in (m.Task, m.Profession, m.Provision, m.Evidence,
                                                         m.SourceCitation, m.Rule, m.TaskRequirement)}


def test_mini_seed_loads_everything(migrated):
    with migrated.app_context():
        changes = load_bundle(db.session, read_bundle(MINI))
        assert changes["opgave oprettet"] == 2
        task = db.session.scalar(sa.select(m.Task).where(m.Task.slug == "tage-venoes-blodproeve"))
        assert [p.slug for p in task.provisions] == ["aut-54-4-1"]
        assert task.provisions[0].reserved_to[0].slug == "sygeplejerske"
        phone = db.session.scalar(sa.select(m.Task).where(m.Task.slug == "tage-telefonen"))
        assert {(t.term, t.kind) for t in phone.terms} == {("telefon", "synonym"), ("TLF", "abbreviation")}
        assert phone.evidence[0].taker.slug == "servicemedarbejder"
        assert phone.evidence[0].citations[0].lines_label == "L1295-1390"
        spec = db.session.scalar(sa.select(m.Profession).where(m.Profession.slug == "specialsygeplejerske"))
        assert spec.parent.slug == "sygeplejerske"
        nurse = spec.parent
        assert nurse.shortages[0].value == 5000 and nurse.shortages[0].citations[0].line_from == 734


def test_second_run_changes_nothing(migrated):
    with migrated.app_context():
        load_bundle(db.session, read_bundle(MINI))
        assert sum(load_bundle(db.session, read_bundle(MINI)).values()) == 0


def test_changed_field_is_updated_once(migrated, tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(MINI, seed)
    with migrated.app_context():
        load_bundle(db.session, read_bundle(seed))
        text = (seed / "tasks.yaml").read_text().replace("Tage telefonen på afsnittet", "Besvare telefonen")
        (seed / "tasks.yaml").write_text(text)
        changes = load_bundle(db.session, read_bundle(seed))
        assert dict(changes) == {"opgave ændret": 1}
        assert db.session.scalar(sa.select(m.Task.title).where(m.Task.slug == "tage-telefonen")) == "Besvare telefonen"


def test_dry_run_writes_nothing(migrated):
    with migrated.app_context():
        changes = load_bundle(db.session, read_bundle(MINI), dry_run=True)
        assert changes["opgave oprettet"] == 2
        assert _count(m.Task) == 0 and _count(m.Profession) == 0


@pytest.mark.parametrize("old,new,where", [
    ("category: clinical", "category: surgery", "tasks[1] (tage-venoes-blodproeve), felt 'category'"),
    ("holders: [sygeplejerske]\n    requirements: [{competence: blodproevetagning}]",
     "holders: [sygeplejeske]\n    requirements: [{competence: blodproevetagning}]",
     "tasks[1] (tage-venoes-blodproeve), felt 'holders.0'"),
    ("sources: [{provision: aut-54-4-1}]", "sources: []", "tasks[1] (tage-venoes-blodproeve), felt 'sources'"),
    ("    kind: organisational\n", "    kind: legal\n", "rules[0] (tage-telefonen-servicemedarbejder-instruks)"),
])
def test_broken_file_names_file_entry_field_and_changes_nothing(migrated, tmp_path, old, new, where):
    seed = tmp_path / "seed"
    shutil.copytree(MINI, seed)
    with migrated.app_context():
        load_bundle(db.session, read_bundle(seed))
        before = _snapshot()
        text = (seed / "tasks.yaml").read_text()
        assert old in text
        (seed / "tasks.yaml").write_text(text.replace(old, new).replace("Tage telefonen på", "Ændret titel på"))
        with pytest.raises(SeedErrors) as info:
            load_bundle(db.session, read_bundle(seed))
        assert f"tasks.yaml: {where}" in str(info.value)
        assert _snapshot() == before
        assert db.session.scalar(sa.select(m.Task.title).where(m.Task.slug == "tage-telefonen")).startswith("Tage")


def test_invalid_yaml_is_reported_with_file(tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(MINI, seed)
    (seed / "tasks.yaml").write_text("tasks:\n  - slug: [unclosed\n")
    with pytest.raises(SeedErrors) as info:
        read_bundle(seed)
    assert "tasks.yaml" in str(info.value) and "ugyldig YAML" in str(info.value)


def test_duplicate_slug_across_files(tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(MINI, seed)
    (seed / "more.yaml").write_text(
        "competences:\n  - {slug: hygiejne-basis, name: Igen, kind: skill}\n")
    with pytest.raises(SeedErrors) as info:
        read_bundle(seed)
    assert "more.yaml: competences[0] (hygiejne-basis), felt 'slug'" in str(info.value)
    assert "base.yaml" in str(info.value)


def test_cli_seed_twice_and_broken(migrated, tmp_path):
    runner = migrated.test_cli_runner()
    first = runner.invoke(args=["seed", "--path", str(MINI)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed", "--path", str(MINI)])
    assert second.exit_code == 0 and "0 ændringer" in second.output
    seed = tmp_path / "seed"
    shutil.copytree(MINI, seed)
    (seed / "tasks.yaml").write_text((seed / "tasks.yaml").read_text().replace("lines: [1303, 1303]", "lines: [9, 2]"))
    broken = runner.invoke(args=["seed", "--path", str(seed)])
    assert broken.exit_code == 1
    assert "tasks.yaml: tasks[0] (tage-telefonen), felt 'sources.0'" in broken.output


def test_shipped_seed_passes_check_seed(runner):
    result = runner.invoke(args=["check-seed"])
    assert result.exit_code == 0, result.output
    assert "Seed-data er i orden." in result.output


@pytest.mark.slow  # the whole seed checked again
def test_check_seed_reports_the_unverified_legal_provisions(runner):
    """Counted here from the YAML itself, not through the reviewer: every legal provision without verified: true
    (its own, or its act's when it says nothing) is listed by slug, and the share is printed."""
    import yaml

    legal, unverified = 0, []
    for path in sorted((Path(__file__).resolve().parents[2] / "seed" / "law").glob("*.yaml")):
        for act in yaml.safe_load(path.read_text(encoding="utf-8"))["legal_acts"]:
            for p in act.get("provisions", []):
                if p.get("kind", act.get("kind", "legal")) != "legal":
                    continue
                legal += 1
                if not p.get("verified", act.get("verified", False)):
                    unverified.append(p["slug"])
    result = runner.invoke(args=["check-seed"])
    assert f"verificeret mod en officiel tekst: {legal - len(unverified)} af {legal}" in result.output
    listed = [line.split(":")[0].strip() for line in result.output.split("Ikke verificeret")[1].splitlines()[1:]
              if line.startswith("  ")] if unverified else []
    assert listed == unverified


@pytest.mark.slow  # the whole seed loaded again
def test_shipped_seed_is_idempotent(app):
    with app.app_context():
        assert sum(load_bundle(db.session, read_bundle(app.config["KB_SEED_DIR"])).values()) == 0


@pytest.mark.parametrize("old,new,message", [
    ("    verified: false\n    provisions:", "    verified: true\n    provisions:", "officielle kilde"),
    ("    verified: false\n    provisions:",
     "    verified: true\n    verified_source: https://www.elov.dk/x/\n    verified_on: 2026-12-01\n    provisions:",
     "ikke en officiel tekst"),
    ("    verified: false\n    provisions:",
     "    verified: true\n    verified_source: https://www.retsinformation.dk/eli/lta/2024/1008\n    provisions:",
     "datoen for kontrollen"),
    ("        valid_from: 2024-01-01\n", "        valid_from: 2024-01-01\n        valid_to: 2023-01-01\n",
     "valid_from skal ligge før eller på valid_to"),
])
def test_a_provision_verified_without_its_official_source_is_refused_and_nothing_written(
        migrated, tmp_path, old, new, message):
    """Bad input (issue 23), through the importer of the seed files: verified needs the official text and the
    date it was checked; validity dates in order. The file, the entry and the reason are named; nothing is kept."""
    seed = tmp_path / "seed"
    shutil.copytree(MINI, seed)
    with migrated.app_context():
        load_bundle(db.session, read_bundle(seed))
        before = _snapshot()
        text = (seed / "base.yaml").read_text()
        assert old in text
        (seed / "base.yaml").write_text(text.replace(old, new, 1).replace("title: Blodprøver", "title: Ændret"))
        with pytest.raises(SeedErrors) as info:
            load_bundle(db.session, read_bundle(seed))
        assert "base.yaml: legal_acts[0] (autorisationsloven)" in str(info.value) and message in str(info.value)
        assert _snapshot() == before
        assert db.session.scalar(sa.select(m.Provision.title).where(m.Provision.slug == "aut-54-4-1")) == "Blodprøver"
