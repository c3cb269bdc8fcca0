"""Opgavebasen: which professional groups may take over a task in Danish health care, and on what conditions.

The package imports nothing itself, so the who-may engine (``kb.rules``) can be used alone — without Flask or
SQLAlchemy — and the app is built by ``kb.app.create_app`` (gunicorn: ``kb.app:create_app()``).
"""
