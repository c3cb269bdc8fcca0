"""The `kb` command (console entry point): Flask's CLI group on the app factory. The commands themselves are
registered by the factory (kb/cli.py register_commands), so `flask --app kb.app:create_app …` has them too."""
from __future__ import annotations

import click
from flask.cli import FlaskGroup

from kb.app import create_app


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True)
def main() -> None:
    """Opgavebasen — hvem må overtage opgaven, og på hvilke betingelser."""
