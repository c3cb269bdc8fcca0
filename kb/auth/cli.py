"""`kb users create|list`: accounts from the command line (the first admin is made here)."""
from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from kb.auth.passwords import hash_password, policy_problem
from kb.extensions import db
from kb.models import AuditEvent, User
from kb.models.enums import ROLES

users = AppGroup("users", help="Brugere og roller.")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="reader", show_default=True)
@click.option("--name", default="", help="Fulde navn.")
@click.option("--email", default="")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Adgangskode (spørges om, hvis den ikke gives).")
def create_user(username: str, role: str, name: str, email: str, password: str) -> None:
    """Opret en bruger med en rolle."""
    if problem := policy_problem(password):
        click.echo(problem, err=True)
        sys.exit(1)
    if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        click.echo(f"Brugeren '{username}' findes allerede.", err=True)
        sys.exit(1)
    user = User(username=username, role=role, name=name, email=email, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    db.session.add(AuditEvent(action="user_created", entity_type="user", entity_id=user.id,
                              summary=f"{username} ({role}) oprettet fra kommandolinjen"))
    db.session.commit()
    click.echo(f"Oprettede {username} med rollen {role}.")


@users.command("list")
def list_users() -> None:
    """Vis brugere og roller."""
    for user in db.session.scalars(sa.select(User).order_by(User.username)):
        click.echo(f"{user.username:<24} {user.role:<10} {'aktiv' if user.active else 'spærret'}")
