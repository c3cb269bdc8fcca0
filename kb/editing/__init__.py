"""Editors curate the knowledge (redaktion): records as documents, drafts and review, history and revert."""
