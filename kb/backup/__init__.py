"""Backup and restore (sikkerhedskopi): every table — knowledge, history, drafts, plans, users, import jobs — to
one portable gzip'd JSON file and back, SQLite or PostgreSQL on either side. Commands: `kb backup`, `kb restore`."""
