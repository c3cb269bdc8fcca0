"""`kb who-may <task>`: the engine's answer as a readable table in the terminal."""
from __future__ import annotations

import sys
import textwrap

import click
from flask.cli import with_appcontext

from kb.rules import EFFORT_LABELS_DA
from kb.whomay.service import BadContext, matrix_by_slug, parse_context


@click.command("who-may")
@click.argument("task")
@click.option("--profession", help="Vis kun denne faggruppe (slug).")
@click.option("--setting", help="Miljø (slug), fx sygehus.")
@click.option("--complexity", type=click.Choice(["uncomplicated", "complex"]), help="Patienternes kompleksitet.")
@click.option("--date", "on", help="Læs reglerne som de gælder på denne dato (ÅÅÅÅ-MM-DD).")
@click.option("--organisation", help="Region eller kommune (slug), hvis egne aftaler skal regnes med.")
@click.option("--reasons/--no-reasons", default=True, help="Vis betingelser og begrundelser.")
@with_appcontext
def who_may_command(task, profession, setting, complexity, on, organisation, reasons):
    """Hvem må overtage opgaven TASK, og på hvilke betingelser?"""
    try:
        context = parse_context({"setting": setting, "complexity": complexity, "date": on,
                                 "organisation": organisation})
    except BadContext as exc:
        raise click.BadParameter(str(exc), param_hint=f"--{exc.parameter}") from None
    matrix = matrix_by_slug(task, context)
    if matrix is None:
        click.echo(f"Ukendt opgave: '{task}'.", err=True)
        sys.exit(2)
    results = matrix.results
    if profession:
        results = [r for r in results if r.profession == profession]
        if not results:
            click.echo(f"Ukendt faggruppe: '{profession}'.", err=True)
            sys.exit(2)
    click.echo(f"{matrix.task.title} ({matrix.task.slug})")
    click.echo(f"Dato {context.on.isoformat()}; miljø {context.setting or 'alle'}; "
               f"patienter {context.complexity or 'ikke angivet'}; "
               f"organisation {context.organisation or 'ingen (kun lov og nationale aftaler)'}\n")
    width = max(len(matrix.name(r.profession)) for r in results)
    click.echo(f"{'Faggruppe':<{width}}  {'Må (afgørelse)':<30}  {'Kan (egnethed)':<18}  {'Oplæring':<18}  Mangler")
    click.echo(f"{'-' * width}  {'-' * 30}  {'-' * 18}  {'-' * 18}  {'-' * 20}")
    for r in results:
        missing = ", ".join(mc.name for mc in r.missing_competences) or "-"
        click.echo(f"{matrix.name(r.profession):<{width}}  {r.verdict.label_da:<30}  {r.fit_label or '-':<18}  "
                   f"{_training(r):<18}  {missing}")
        if reasons:
            for e in r.evidence:
                click.echo(textwrap.fill(f"belæg ({e.kind}): {e.summary} [{'; '.join(e.sources)}]", 110,
                                         initial_indent=" " * (width + 2), subsequent_indent=" " * (width + 4)))
            for c in r.conditions:
                click.echo(textwrap.fill(f"betingelse: {c}", 110, initial_indent=" " * (width + 2),
                                         subsequent_indent=" " * (width + 4)))
            for reason in r.reasons:
                cite = f" [{reason.provision.act} {reason.provision.ref}]" if reason.provision else ""
                click.echo(textwrap.fill(f"{reason.kind}: {reason.text}{cite}", 110,
                                         initial_indent=" " * (width + 2), subsequent_indent=" " * (width + 4)))


def _training(r) -> str:
    """"Oplæring, 8 t", "Uddannelse", "-" (nothing to close, or not allowed)."""
    if r.fit is None or r.training.effort == "none":
        return "-"
    label = EFFORT_LABELS_DA[r.training.effort]
    return f"{label}, {r.training.hours} t" if r.training.hours else label
