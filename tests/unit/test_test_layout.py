"""The suite's own layout: test modules share fixtures through the plugins registered in tests/conftest.py and
helpers through plain modules (tests/helpers.py, tests/plugins/…, tests/strategies/…) — never by importing another
test module or a conftest, which would run that module's fixtures and tests in the wrong place."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent

# Modules owned elsewhere that still import a test module; each entry is a debt, to be removed when fixed.
KNOWN: dict[str, str] = {}  # test modules still allowed an import of another (none)


def _is_test_module(dotted: str) -> bool:
    last = dotted.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def _package(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])


def forbidden_imports(source: str, package: str = "tests") -> list[str]:
    """The test modules and conftests that this source imports (absolute, relative, or `from pkg import test_x`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("tests.")
                      and any(_is_test_module(part) for part in alias.name.split("."))]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from .test_x import y, from . import test_x
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.split(".")[0] == "tests":
                continue
            if any(_is_test_module(part) for part in module.split(".")):
                found.append(module)
            else:
                found += [f"{module}.{alias.name}" for alias in node.names if _is_test_module(alias.name)]
    return found


def test_the_check_catches_every_way_of_importing_a_test_module():
    source = textwrap.dedent("""
        from tests.integration.test_editing import people
        import tests.unit.test_rules_properties
        from tests.integration import test_access_matrix
        from .test_transfer import signed_in
        from . import test_pdf
        from tests.conftest import test_config
        from tests.helpers import login
        from tests.plugins.editing import people
        from tests.strategies.rules import tasks
        import pytest
    """)
    assert forbidden_imports(source, "tests.integration") == [
        "tests.integration.test_editing", "tests.unit.test_rules_properties", "tests.integration.test_access_matrix",
        "tests.integration.test_transfer", "tests.integration.test_pdf", "tests.conftest"]


def test_no_module_of_the_suite_imports_a_test_module():
    problems = []
    for path in sorted(TESTS.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if "vendor" in path.parts or name in KNOWN:
            continue
        for module in forbidden_imports(path.read_text(encoding="utf-8"), _package(path)):
            problems.append(f"{name} imports {module}")
    assert not problems, ("share fixtures through tests/plugins (registered in tests/conftest.py) and helpers through "
                          "plain modules:\n" + "\n".join(problems))


def test_every_plugin_module_is_registered_once():
    tree = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    registered = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                      and any(isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets))
    plugins = sorted(f"tests.plugins.{p.stem}" for p in (TESTS / "plugins").glob("*.py") if p.stem != "__init__")
    assert sorted(registered) == plugins and len(set(registered)) == len(registered)
    nested = [p.relative_to(ROOT).as_posix() for p in TESTS.rglob("conftest.py") if p.parent != TESTS
              and "pytest_plugins" in p.read_text(encoding="utf-8")]
    assert not nested, f"pytest_plugins belongs in tests/conftest.py only: {nested}"
