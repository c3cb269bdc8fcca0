"""`kb export KIND -o FILE` and `kb import KIND FILE [--dry-run] --reason "…"`: the same service as the web pages,
with a progress bar per step in a terminal (a line per step when the output is not a terminal)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from kb.transfer.export import TRANSFER_KINDS

STEP_LABELS = {"read": "Læser filen", "rows": "Læser rækker", "check": "Kontrollerer poster",
               "write": "Skriver i databasen", "index": "Opdaterer søgeindekset", "history": "Skriver historik"}


class Bars:
    """A click progress bar per step in a terminal; elsewhere (a pipe, a log) one line per step when it ends.
    The service reports (step, done, total)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.step: Optional[str] = None
        self.done = self.total = 0
        self.bar = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self.step:
            self.close()
            self.step = step
            if self.tty:
                self.bar = click.progressbar(length=max(total, 1), label=f"{STEP_LABELS.get(step, step):<22}",
                                             show_pos=True, file=sys.stderr)
                self.bar.__enter__()
        self.done, self.total = done, total
        if self.bar is not None:
            self.bar.length = max(total, 1)
            self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        elif self.step is not None:
            label = STEP_LABELS.get(self.step, self.step)
            click.echo(f"{label}: {self.done}/{self.total}" if self.total else label, err=True)
        self.step = None


@click.command("export")
@click.argument("kind", type=click.Choice(TRANSFER_KINDS))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Filen der skrives: .csv (semikolon, UTF-8 med BOM) eller .xlsx.")
@with_appcontext
def export_command(kind: str, output: str) -> None:
    """Skriv alle poster af slagsen KIND (task, profession, competence, rule) til et regneark."""
    from kb.extensions import db
    from kb.transfer.export import export_file
    from kb.transfer.sheets import format_of

    fmt = format_of(output)
    if fmt is None:
        raise click.BadParameter("filen skal hedde .csv eller .xlsx", param_hint="-o")
    Path(output).write_bytes(export_file(db.session, kind, fmt))
    click.echo(f"Skrev {output}")


def _print_plan(plan) -> None:
    for message in plan.file_errors:
        click.echo(f"Fejl: {message}", err=True)
    for e in sorted(plan.errors, key=lambda e: (e.row, e.column)):
        click.echo(f"Fejl i række {e.row}, kolonne {e.column}: {e.message}", err=True)
    for p in plan.additions:
        click.echo(f"  ny      række {p.row}: {p.slug}")
    for p in plan.changes:
        from kb.knowledge.history import diff

        fields = ", ".join(c.field for c in diff(p.before, p.after))
        click.echo(f"  ændret  række {p.row}: {p.slug} ({fields})")


@click.command("import")
@click.argument("kind", type=click.Choice(TRANSFER_KINDS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Vis nye poster, ændringer og fejl uden at skrive noget.")
@click.option("--reason", help="Begrundelsen, der står i historikken ved hver ændret post (kræves uden --dry-run).")
@click.option("--user", "username", help="Brugeren (godkender eller administrator), importen står på i historikken.")
@with_appcontext
def import_command(kind: str, file: str, dry_run: bool, reason: Optional[str], username: Optional[str]) -> None:
    """Læs regnearket FILE med poster af slagsen KIND ind: alt eller intet."""
    from kb import models as m
    from kb.extensions import db
    from kb.transfer.commit import ImportRefused, commit_import
    from kb.transfer.dry_run import plan_import

    reason = (reason or "").strip()
    if not dry_run and not reason:
        raise click.UsageError("--reason er påkrævet, når importen skal skrives (eller brug --dry-run).")
    user_id = None
    if username:
        user = db.session.scalar(sa.select(m.User).where(m.User.username == username))
        if user is None or user.role not in ("reviewer", "admin"):
            raise click.BadParameter("ukendt bruger, eller brugeren er hverken godkender eller administrator",
                                     param_hint="--user")
        user_id = user.id
    data, name = Path(file).read_bytes(), Path(file).name
    bars = Bars()
    try:
        if dry_run:
            plan = plan_import(db.session, kind, name, data, bars)
            db.session.rollback()
        else:
            plan = commit_import(db.session, kind, name, data, reason=reason, user_id=user_id, progress=bars).plan
    except ImportRefused as exc:
        bars.close()
        _print_plan(exc.plan)
        click.echo("Intet er skrevet.", err=True)
        sys.exit(1)
    except Exception as exc:  # the database refused: the transaction was rolled back
        bars.close()
        click.echo(f"Intet er skrevet: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    bars.close()
    _print_plan(plan)
    prefix = "[tørkørsel] " if dry_run else ""
    click.echo(f"{prefix}{len(plan.additions)} nye, {len(plan.changes)} ændrede, {plan.unchanged} uændrede")
    if not plan.ok:
        sys.exit(1)
