"""`python -m benchmark data` (a synthetic catalogue in its own database) and `python -m benchmark run` (generate, measure, report).

Both run outside the app's own database and app context: each creates the app on the benchmark's database URL.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from benchmark.catalogue import Sizes


def _size_options(func):
    func = click.option("--seed", default=Sizes.seed, show_default=True,
                        help="Tilfældighedsfrø (samme frø, samme data).")(func)
    func = click.option("--competences", default=Sizes.competences, show_default=True, help="Kompetencer i alt.")(func)
    func = click.option("--professions", default=Sizes.professions, show_default=True, help="Faggrupper i alt.")(func)
    func = click.option("--tasks", default=Sizes.tasks, show_default=True, help="Syntetiske opgaver.")(func)
    return func


@click.group()
def cli():
    """Opgavebasens benchmark: et syntetisk katalog i national størrelse, målinger og rapport."""


@cli.command("data")
@_size_options
@click.option("--database-url", required=True, help="Benchmarkens egen database (SQLite-fil eller PostgreSQL-URL).")
@click.option("--replace", is_flag=True, help="Slet SQLite-filen først, hvis den findes.")
def bench_data_command(tasks, professions, competences, seed, database_url, replace):
    """Byg et syntetisk katalog i national størrelse oven på den rigtige seed, i sin egen database."""
    from benchmark.database import BenchDatabaseError, generate, remove_sqlite_file

    if replace:
        remove_sqlite_file(database_url)
    try:
        result = generate(database_url, Sizes(tasks, professions, competences, seed), click.echo)
    except BenchDatabaseError as exc:
        click.echo(f"Fejl: {exc}", err=True)
        sys.exit(1)
    for table, count in sorted(result["counts"].items()):
        click.echo(f"  {table}: {count}")


@cli.command("run")
@_size_options
@click.option("--database-url", "database_urls", multiple=True,
              help="Mål på denne database (allerede bygget med python -m benchmark data); kan gentages. "
                   "Uden: byg SQLite i instance/bench og PostgreSQL, hvis serveren findes.")
@click.option("--queries", default=200, show_default=True, help="Søgninger i den danske blanding.")
@click.option("--duration", default=15, show_default=True, help="Sekunder belastning pr. mål under gunicorn (≤ 60).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default="docs/benchmark.md",
              show_default=True, help="Markdown-rapporten der skrives.")
@click.option("--skip-load", is_flag=True, help="Spring gunicorn/wrk-målingen over.")
@click.option("--skip-postgres", is_flag=True, help="Kun SQLite.")
@click.option("--workdir", type=click.Path(file_okay=False),
              help="Hvor SQLite-databasen bygges (standard instance/bench).")
def bench_command(tasks, professions, competences, seed, database_urls, queries, duration, report_path,
                  skip_load, skip_postgres, workdir):
    """Byg kataloget, mål søgning, hvem-må, flytbare opgaver, sider under gunicorn og PDF, og skriv rapporten."""
    from benchmark.runner import Plan, run

    plan = Plan(sizes=Sizes(tasks, professions, competences, seed), queries=queries,
                duration=max(1, min(duration, 60)), load=not skip_load, postgres=not skip_postgres,
                database_urls=tuple(database_urls), workdir=Path(workdir) if workdir else None)
    report = run(plan, click.echo, Path(report_path))
    Path(report_path).parent.mkdir(parents=True, exist_ok=True)
    Path(report_path).write_text(report, encoding="utf-8")
    click.echo(f"Rapport skrevet: {report_path}")
