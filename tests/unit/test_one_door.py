"""One door to the engine (issue 18): only kb.whomay.service asks the engine who may do what, and only kb.whomay
reads task rows into facts. Read from the source's imports, so a new caller that goes round the door fails here."""
from __future__ import annotations

import ast
from pathlib import Path

KB = Path(__file__).resolve().parents[2] / "kb"
# The engine's entry points: each returns (or ranks) verdicts.
ENGINE = {"who_may", "who_may_one", "reservation", "shortlist", "explain", "rank", "shiftable", "takers_for"}
DOOR = KB / "whomay" / "service.py"


def _imports(path: Path):
    """(module, name) for every `from module import name` in the file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(KB.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            for alias in node.names:
                yield module, alias.name


def _app_modules():
    return [p for p in KB.rglob("*.py") if "rules" not in p.relative_to(KB).parts[:1]]


def test_only_the_service_asks_the_engine():
    callers = sorted(str(p.relative_to(KB.parent)) for p in _app_modules() if p != DOOR for module, name in _imports(p)
                     if (module == "kb.rules" or module.startswith("kb.rules.")) and name in ENGINE)
    assert callers == [], f"ask kb.whomay.service instead: {callers}"
    assert any(name in ENGINE for module, name in _imports(DOOR) if module == "kb.rules")  # the door itself does


def test_only_the_whomay_package_loads_task_facts():
    readers = sorted(str(p.relative_to(KB.parent)) for p in _app_modules()
                     if p.parent != KB / "whomay" for module, _ in _imports(p) if module == "kb.whomay.task_facts")
    assert readers == [], f"load task facts through kb.whomay.service: {readers}"


def test_the_app_never_imports_the_benchmark():
    """The benchmark (benchmark/) is a tool beside the app: it imports kb, kb does not import it."""
    importers = sorted(str(p.relative_to(KB.parent)) for p in KB.rglob("*.py") for module, _ in _imports(p)
                       if module == "benchmark" or module.startswith("benchmark."))
    assert importers == []
    assert not (KB / "bench").exists()


def _calls(path: Path) -> set[str]:
    """Names called in the file (`f(...)` and `x.f(...)`), and `m.AuditEvent(action="…")` as `AuditEvent:<action>`."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            out.add(name)
            if name == "AuditEvent":
                for kw in node.keywords:
                    if kw.arg == "action" and isinstance(kw.value, ast.Constant):
                        out.add(f"AuditEvent:{kw.value.value}")
    return out


def test_one_write_path():
    """Published knowledge is written only by kb.knowledge.publish: nothing else runs the loader (except the editing
    preview, inside a savepoint that is always rolled back), writes history or logs a knowledge change."""
    knowledge = KB / "knowledge"
    preview = KB / "editing" / "preview.py"
    writers = {str(p.relative_to(KB.parent)): sorted(_calls(p) & {"Loader", "record_published", "AuditEvent:seed",
                                                                  "AuditEvent:publish", "AuditEvent:import"})
               for p in KB.rglob("*.py") if p.parent != knowledge}
    writers = {path: found for path, found in writers.items() if found and not (
        path == str(preview.relative_to(KB.parent)) and found == ["Loader"])}
    assert writers == {}, f"publish through kb.knowledge.publish: {writers}"
    assert "Loader" in _calls(knowledge / "publish.py") and "record_published" in _calls(knowledge / "publish.py")
