"""Fixture plugins, registered once in tests/conftest.py (`pytest_plugins`): test modules never import fixtures
from one another. Plain helpers live beside them in tests/*.py (helpers, form_helpers, transfer_helpers, access)."""
