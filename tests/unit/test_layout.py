"""The house keeps its shape (issue 18): no import loops at import time, no module over 400 lines, no route module
importing another, and the spreadsheet columns are exactly the document schema's fields. Read from the source."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kb", "benchmark")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Modules of ours the module imports, at module level or inside a function (an import moved into a function
    to dodge a loop is still a loop), but not under `if TYPE_CHECKING:` (annotations only)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes):
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)
            else:
                visit(ast.iter_child_nodes(node))

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {m for m in found if m in known and m != name}


def test_no_import_loops():
    modules = _modules()
    # A package's __init__ importing its own submodules (to register a blueprint's routes) is how blueprints are
    # assembled, not a tangle: those edges are left out; every other loop counts, inside a package too.
    graph = {name: {m for m in _imports(path, name, set(modules))
                    if not (path.name == "__init__.py" and m.startswith(name + "."))}
             for name, path in modules.items()}
    loops: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                loops.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert loops == [], loops


def test_no_module_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in _modules().values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_route_module_imports_another():
    """Views share helpers through services and page modules, never by importing another route module."""
    modules = _modules()
    offenders = {}
    for name, path in modules.items():
        if path.name in ("__init__.py", "app.py"):
            continue  # a package assembles its blueprint; the factory registers them
        routes = {m for m in _imports(path, name, set(modules)) if m.endswith(".routes")}
        if routes:
            offenders[name] = sorted(routes)
    assert offenders == {}


def test_rate_limits_are_set_in_one_module():
    """kb/auth/limits.py lets every request it sets no limit for skip the limiter: a limit set anywhere else would
    silently never count, so no other module may set one."""
    calls = re.compile(r"\blimiter\.(limit|shared_limit|exempt)\(|\bLimiter\(")
    offenders = sorted(str(p.relative_to(ROOT)) for p in _modules().values()
                       if p.name != "limits.py" and calls.search(p.read_text(encoding="utf-8")))
    assert offenders == []
    limits = (ROOT / "kb" / "auth" / "limits.py").read_text(encoding="utf-8")
    assert calls.search(limits) and "default_limits=[]" in limits


def test_spreadsheet_columns_are_the_document_fields():
    """A new document field cannot be left out of the spreadsheets (review § 3.1: the columns are the 5th copy of
    each kind's field list; this holds them to the schema)."""
    from kb.knowledge.documents import KINDS
    from kb.transfer.columns import header
    from kb.transfer.export import TRANSFER_KINDS

    for kind in TRANSFER_KINDS:
        assert header(kind) == list(KINDS[kind].schema.model_fields), kind
