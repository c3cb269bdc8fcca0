"""`kb role-pdf <profession> [--bilag] -o file.pdf`: the role description PDF without a browser."""
from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from kb.whomay.service import BadContext, parse_context

DEFAULT_BASE_URL = "http://127.0.0.1:5000/"  # where `make run` serves; links in the PDF point there


@click.command("role-pdf")
@click.argument("profession")
@click.option("--setting", help="Kun dette miljø (slug), fx sygehus.")
@click.option("--complexity", type=click.Choice(["uncomplicated", "complex"]), help="Patienternes kompleksitet.")
@click.option("--date", "on", help="Læs reglerne som de gælder på denne dato (ÅÅÅÅ-MM-DD).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="PDF-filen der skrives (standard: funktionsbeskrivelse-<faggruppe>.pdf).")
@click.option("--organisation", help="Region eller kommune (slug), hvis egne aftaler skal regnes med.")
@click.option("--bilag", "annex", is_flag=True, help="Tilføj bilaget med de fulde lister (alle opgaver).")
@click.option("--base-url", default=DEFAULT_BASE_URL, show_default=True, help="Adressen links i PDF'en peger på.")
@with_appcontext
def role_pdf_command(profession, setting, complexity, on, organisation, output, annex, base_url):
    """Skriv funktionsbeskrivelsen for faggruppen PROFESSION som PDF."""
    from kb.pdf.render import render_pdf
    from kb.pdf.service import role_description

    base_url = base_url.rstrip("/") + "/"
    with current_app.test_request_context("/", base_url=base_url):
        try:
            context = parse_context({"setting": setting, "complexity": complexity, "date": on,
                                     "organisation": organisation})
        except BadContext as exc:
            click.echo(f"Fejl: {exc}", err=True)
            sys.exit(1)
        doc = role_description(profession, context, annex=annex)
        if doc is None:
            click.echo(f"Fejl: ukendt faggruppe '{profession}'. Se listen under /professions/.", err=True)
            sys.exit(1)
        started = time.perf_counter()
        data = render_pdf("pdf/role.html", base_url, doc=doc, stamp=doc.stamp, made=datetime.now().astimezone())
        seconds = time.perf_counter() - started
    suffix = (f"-{setting}" if setting else "") + ("-bilag" if annex else "")
    target = Path(output or f"funktionsbeskrivelse-{profession}{suffix}.pdf")
    # Written beside the target and renamed: a full disk or a missing folder leaves no half PDF behind.
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        click.echo(f"Fejl: PDF'en kunne ikke skrives til {target}: {exc.strerror or exc}.", err=True)
        sys.exit(1)
    click.echo(f"Skrev {target} ({len(data) // 1024} kB på {seconds:.1f} s).")
