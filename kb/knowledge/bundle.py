"""Read and check seed/*.yaml without touching a database: parse, validate, find duplicates and dangling references."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from pydantic import BaseModel, ValidationError

from kb.knowledge.schema import SECTIONS, Citation


@dataclass(frozen=True)
class Origin:
    file: str
    section: str
    index: int
    slug: str

    def __str__(self) -> str:
        ident = f" ({self.slug})" if self.slug else ""
        return f"{self.file}: {self.section}[{self.index}]{ident}"


class SeedError(Exception):
    """One problem in the seed files, naming file, entry and field."""

    def __init__(self, origin: Origin | str, field_name: str, message: str):
        self.origin, self.field_name, self.message = origin, field_name, message
        where = f"{origin}" + (f", felt '{field_name}'" if field_name else "")
        super().__init__(f"{where}: {message}")


class SeedErrors(Exception):
    def __init__(self, errors: list[SeedError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Entry:
    data: BaseModel
    origin: Origin


@dataclass
class SeedBundle:
    sections: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))

    def entries(self, section: str) -> list[Entry]:
        return self.sections.get(section, [])

    def slugs(self, section: str) -> set[str]:
        return {e.data.slug for e in self.entries(section)}

    def provision_slugs(self) -> set[str]:
        return {p.slug for e in self.entries("legal_acts") for p in e.data.provisions}

    def counts(self) -> dict[str, int]:
        out = {name: len(self.entries(name)) for name in SECTIONS}
        out["provisions"] = len(self.provision_slugs())
        return out

    def task_categories(self) -> Counter:
        return Counter(e.data.category for e in self.entries("tasks"))


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in loc)


def read_bundle(seed_dir: Path | str) -> SeedBundle:
    """Parse and validate every *.yaml below seed_dir; raise SeedErrors listing every problem found."""
    seed_dir = Path(seed_dir)
    bundle, errors = SeedBundle(), []
    files = sorted(seed_dir.rglob("*.yaml"))
    if not files:
        raise SeedErrors([SeedError(str(seed_dir), "", "ingen *.yaml-filer fundet")])
    for path in files:
        rel = str(path.relative_to(seed_dir))
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            errors.append(SeedError(rel, "", f"ugyldig YAML: {exc}"))
            continue
        if not isinstance(doc, dict):
            errors.append(SeedError(rel, "", "filen skal have afsnit på øverste niveau (fx 'tasks:')"))
            continue
        for section, items in doc.items():
            model = SECTIONS.get(section)
            if model is None:
                errors.append(SeedError(rel, section, f"ukendt afsnit; brug et af: {', '.join(SECTIONS)}"))
                continue
            if not isinstance(items, list):
                errors.append(SeedError(rel, section, "afsnittet skal være en liste"))
                continue
            for index, raw in enumerate(items):
                slug = str(raw.get("slug") or raw.get("term") or raw.get("task") or "") if isinstance(raw, dict) else ""
                origin = Origin(rel, section, index, slug)
                try:
                    bundle.sections[section].append(Entry(model.model_validate(raw), origin))
                except ValidationError as exc:
                    for err in exc.errors():
                        errors.append(SeedError(origin, _field_path(err["loc"]), err["msg"]))
    if not errors:
        errors.extend(check_references(bundle))
    if errors:
        raise SeedErrors(errors)
    return bundle


def _citations(data: BaseModel) -> Iterator[tuple[str, Citation]]:
    for i, c in enumerate(getattr(data, "sources", []) or []):
        yield f"sources.{i}", c
    for j, ev in enumerate(getattr(data, "evidence", []) or []):
        for i, c in enumerate(ev.sources):
            yield f"evidence.{j}.sources.{i}", c
    for j, sh in enumerate(getattr(data, "shortage", []) or []):
        for i, c in enumerate(sh.sources):
            yield f"shortage.{j}.sources.{i}", c
    for i, c in enumerate(getattr(data, "training_sources", []) or []):
        yield f"training_sources.{i}", c


def check_references(bundle: SeedBundle, known_elsewhere: dict[str, set[str]] | None = None) -> list[SeedError]:
    """Unique slugs per entity across files, and every slug reference resolves inside the bundle (or, for a
    partial bundle such as an editor's draft, among `known_elsewhere`: slugs per kind already in the database)."""
    errors: list[SeedError] = []
    seen: dict[tuple[str, str], Origin] = {}
    for section in ("settings", "organisations", "sources", "competences", "professions", "legal_acts", "educations",
                    "tasks", "rules"):
        for e in bundle.entries(section):
            key = (section, e.data.slug)
            if key in seen:
                errors.append(SeedError(e.origin, "slug", f"'{e.data.slug}' findes allerede i {seen[key]}"))
            seen[key] = e.origin
    for e in bundle.entries("legal_acts"):
        for i, p in enumerate(e.data.provisions):
            key = ("provisions", p.slug)
            if key in seen:
                errors.append(SeedError(e.origin, f"provisions.{i}.slug", f"'{p.slug}' findes allerede i {seen[key]}"))
            seen[key] = e.origin
    terms = Counter(e.data.term.lower() for e in bundle.entries("synonyms"))
    for e in bundle.entries("synonyms"):
        if terms[e.data.term.lower()] > 1:
            errors.append(SeedError(e.origin, "term", f"'{e.data.term}' står flere gange"))

    known = {
        "setting": bundle.slugs("settings"), "document": bundle.slugs("sources"),
        "competence": bundle.slugs("competences"), "profession": bundle.slugs("professions"),
        "provision": bundle.provision_slugs(), "task": bundle.slugs("tasks"),
        "organisation": bundle.slugs("organisations"),
    }
    for kind, slugs in (known_elsewhere or {}).items():
        known[kind] = known[kind] | slugs

    def need(origin: Origin, field_name: str, kind: str, value: str | None) -> None:
        if value and value not in known[kind]:
            errors.append(SeedError(origin, field_name, f"ukendt {kind} '{value}'"))

    for section, entries in bundle.sections.items():
        for e in entries:
            d, o = e.data, e.origin
            for path, c in _citations(d):
                need(o, f"{path}.document", "document", c.document)
                need(o, f"{path}.provision", "provision", c.provision)
            for i, s in enumerate(getattr(d, "settings", []) or []):
                need(o, f"settings.{i}", "setting", s)
            if section == "professions":
                need(o, "parent", "profession", d.parent)
                for i, c in enumerate(d.competences):
                    need(o, f"competences.{i}", "competence", c)
            elif section == "competences":
                for i, c in enumerate(d.training_basis):
                    need(o, f"training_basis.{i}", "competence", c)
            elif section == "organisations":
                need(o, "parent", "organisation", d.parent)
            elif section == "legal_acts":
                need(o, "organisation", "organisation", d.organisation)
                for i, p in enumerate(d.provisions):
                    need(o, f"provisions.{i}.organisation", "organisation", p.organisation)
                    for j, prof in enumerate(p.reserved_to):
                        need(o, f"provisions.{i}.reserved_to.{j}", "profession", prof)
            elif section == "educations":
                for i, c in enumerate(d.competences):
                    need(o, f"competences.{i}", "competence", c)
                for i, prof in enumerate(d.target_professions):
                    need(o, f"target_professions.{i}", "profession", prof)
            elif section == "tasks":
                for i, h in enumerate(d.holders):
                    need(o, f"holders.{i}", "profession", h)
                for i, r in enumerate(d.requirements):
                    need(o, f"requirements.{i}.competence", "competence", r.competence)
                for i, p in enumerate(d.provisions):
                    need(o, f"provisions.{i}", "provision", p)
                for i, ev in enumerate(d.evidence):
                    need(o, f"evidence.{i}.taker", "profession", ev.taker)
                    need(o, f"evidence.{i}.from", "profession", ev.from_)
            elif section == "evidence":
                need(o, "task", "task", d.task)
                need(o, "taker", "profession", d.taker)
                need(o, "from", "profession", d.from_)
            elif section == "rules":
                need(o, "task", "task", d.task)
                need(o, "profession", "profession", d.profession)
                for i, prof in enumerate(d.except_professions):
                    need(o, f"except_professions.{i}", "profession", prof)
                need(o, "provision", "provision", d.provision)
                need(o, "setting", "setting", d.setting)
                need(o, "organisation", "organisation", d.organisation)
    return errors


def count_lines(path: Path) -> int | None:
    """The number of lines of a source report, or None when its text is not at hand."""
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        return sum(1 for _ in fh)


def check_line_ranges(bundle: SeedBundle, seeds_dir: Path | None = None,
                      known: dict[str, int | None] | None = None, refuse_unknown: bool = False) -> list[SeedError]:
    """Citations must point at lines that exist in the source report: its length counted from the text in
    ``seeds_dir`` (when at hand) or taken from ``known`` (document slug → lines, stored when the seed was loaded).
    ``refuse_unknown``: a line range in a report whose length nobody knows is refused too (forms and imports,
    where an unchecked range would be published; check-seed only notes that the texts are missing)."""
    files = {e.data.slug: e.data.file for e in bundle.entries("sources")}
    lengths: dict[str, int | None] = dict(known or {})
    errors: list[SeedError] = []
    for entries in bundle.sections.values():
        for e in entries:
            for path, c in _citations(e.data):
                if not c.document or not c.lines:
                    continue
                if lengths.get(c.document) is None and seeds_dir is not None and c.document in files:
                    lengths[c.document] = count_lines(seeds_dir / files[c.document])
                total = lengths.get(c.document)
                if total is None:
                    if refuse_unknown:
                        errors.append(SeedError(e.origin, f"{path}.lines",
                                                f"rapporten {c.document}s længde kendes ikke, så linjerne kan "
                                                f"ikke kontrolleres"))
                elif c.lines[1] > total:
                    shown = f"{total:,}".replace(",", ".")
                    errors.append(SeedError(e.origin, f"{path}.lines", f"rapporten har kun {shown} linjer"))
    return errors
