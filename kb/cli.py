"""The knowledge-base commands of `kb` (kb/console.py is the command itself: Flask's CLI — kb run, kb db upgrade —
plus these, registered by the app factory)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from kb.models.enums import TASK_CATEGORIES


def _seed_dir(path: str | None) -> Path:
    return Path(path or current_app.config["KB_SEED_DIR"])


def _print_errors(errors) -> None:
    click.echo(f"Fejl i seed-data ({len(errors.errors)}):", err=True)
    for error in errors.errors:
        click.echo(f"  - {error}", err=True)


@click.command("seed")
@click.option("--path", type=click.Path(exists=True, file_okay=False), help="Mappe med seed/*.yaml.")
@click.option("--dry-run", is_flag=True, help="Vis hvad der ville ændres, uden at skrive noget.")
@with_appcontext
def seed_command(path: str | None, dry_run: bool) -> None:
    """Indlæs seed-viden (upsert efter slug; alt eller intet)."""
    from kb.extensions import db
    from kb.seeding import SeedErrors, load_bundle, read_bundle

    try:
        bundle = read_bundle(_seed_dir(path))
        changes = load_bundle(db.session, bundle, dry_run=dry_run)
    except SeedErrors as errors:
        _print_errors(errors)
        sys.exit(1)
    total = sum(changes.values())
    prefix = "[tørkørsel] " if dry_run else ""
    click.echo(f"{prefix}{total} ændringer")
    for key, value in sorted(changes.items()):
        click.echo(f"  {key}: {value}")


@click.command("check-seed")
@click.option("--path", type=click.Path(exists=True, file_okay=False), help="Mappe med seed/*.yaml.")
@with_appcontext
def check_seed_command(path: str | None) -> None:
    """Tjek seed-data uden database: felter, unikke slugs, referencer, kilder og linjenumre."""
    from kb.seeding import SeedErrors, check_line_ranges, read_bundle

    try:
        bundle = read_bundle(_seed_dir(path))
        seeds_dir = Path(current_app.config["KB_SHARED_DIR"]) / "seeds"
        line_errors = check_line_ranges(bundle, seeds_dir)
        if line_errors:
            raise SeedErrors(line_errors)
    except SeedErrors as errors:
        _print_errors(errors)
        sys.exit(1)
    if not seeds_dir.is_dir():
        click.echo(f"Bemærk: {seeds_dir} findes ikke; linjenumre er ikke tjekket mod rapporterne.")
    click.echo("Seed-data er i orden.")
    for name, count in bundle.counts().items():
        click.echo(f"  {name}: {count}")
    categories = bundle.task_categories()
    for category in TASK_CATEGORIES:
        click.echo(f"  tasks/{category}: {categories.get(category, 0)}")
    _print_legal_review(bundle)
    _print_competence_audit(bundle)


def _print_competence_audit(bundle) -> None:
    """The competence data behind "can" (kb/seeding/competence_audit.py): listed for the editors, not errors."""
    from kb.seeding.competence_audit import audit

    found = audit(bundle)
    total = len(bundle.entries("competences"))
    click.echo(f"Kompetencer med oplæringsdata (oplæring, kursus eller uddannelse): "
               f"{total - len(found.without_training)} af {total}")
    for slug in found.without_training:
        click.echo(f"Kompetence uden oplæringsdata (regnes som uddannelse): {slug}")
    for task, competence, trained in found.held_by_nobody:
        what = "alle faggrupper viser oplæringen" if trained else "ingen oplæringsdata – ret kravet eller dataene"
        click.echo(f"Opgave kræver en kompetence, ingen grunduddannelse giver: {task} – {competence} ({what})")


def _print_legal_review(bundle) -> None:
    """The law's loose ends (kb/seeding/review.py): listed for the editors, not errors."""
    from kb.seeding.review import review

    found = review(bundle)
    click.echo(f"Lovbestemmelser verificeret mod en officiel tekst: {found.verified} af {found.legal} "
               f"({found.share_verified:.0%})")
    if found.unverified:
        click.echo(f"Ikke verificeret ({len(found.unverified)}):")
        for slug, where in found.unverified:
            click.echo(f"  {slug}: {where}")
    for slug in found.acts_without_number:
        click.echo(f"Retsakt uden nummer (LBK/BEK/VEJ/lov nr.): {slug}")
    for slug in found.reports_without_url:
        click.echo(f"Rapport uden offentlig adresse (url): {slug}")
    for slug, why in found.tasks_missing_provision:
        click.echo(f"Opgave uden den bestemmelse, gennemgangen peger på: {slug} – {why}")


def register_commands(app: Flask) -> None:
    from kb.auth.cli import users
    from kb.backup.cli import backup_command, restore_command
    from kb.transfer.cli import export_command, import_command
    from kb.whomay.cli import who_may_command
    from kb.pdf.cli import role_pdf_command

    app.cli.add_command(seed_command)
    app.cli.add_command(check_seed_command)
    app.cli.add_command(who_may_command)
    app.cli.add_command(role_pdf_command)
    app.cli.add_command(users)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
