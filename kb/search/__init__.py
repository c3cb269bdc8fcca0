"""Danish search over tasks, professions, competences and provisions.

analyser  the Danish analysis in pure Python (importable alone: no Flask, no SQLAlchemy)
query     search_tasks, search_all, analyse_query, reindex — matching through the index
index     building search_document and its vocabulary (cached per knowledge version)
backend   SQLite FTS5 or PostgreSQL full text
facets    what the search page finds, with its facets; routes the page itself

This package file imports nothing, so `import kb.search.analyser` stays free of the web and ORM stack.
"""
