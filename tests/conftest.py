"""The test suite's fixtures come from plugin modules registered here, once (docs/testing.md):

* tests/plugins/database.py — `app`, `client`, `runner`, `empty_app`, `count_queries` on a seeded database of each
  backend (SQLite and a throw-away PostgreSQL), the `only_backend` mark and the `--backend` option;
* tests/plugins/editing.py — `people` (two editors and a reviewer, logged in) and the editing HTTP helpers;
* tests/plugins/pdf.py — `layout_free_pdfs`.

Test modules import plain helpers (tests/helpers.py, form_helpers.py, transfer_helpers.py, access.py,
strategies/), never another test module; tests/unit/test_test_layout.py checks that."""
from __future__ import annotations

import pytest

# Asserts in helper modules report their values like asserts in tests (rewritten before anything imports them).
pytest.register_assert_rewrite("tests.plugins", "tests.helpers", "tests.form_helpers", "tests.transfer_helpers",
                               "tests.access")

pytest_plugins = ["tests.plugins.database", "tests.plugins.editing", "tests.plugins.pdf"]
