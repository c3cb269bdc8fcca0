"""`python -m benchmark run`: build the catalogue per backend, measure every figure, print the tables and render the report."""
from __future__ import annotations

import os
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import sqlalchemy as sa

from benchmark import load, measure, national, pdf, report, stats
from benchmark.catalogue import Sizes
from benchmark.database import bench_app, generate, remove_sqlite_file
from benchmark.queries import query_mix
from kb.config import PROJECT_ROOT

PDF_PROFESSION = "sygeplejerske"  # the seed's largest role description (about 20 pages)
TASK_SAMPLE = 200  # task pages asked for under load; the first WHO_MAY_SAMPLE also time who-may in process
WHO_MAY_SAMPLE = 100


@dataclass(frozen=True)
class Plan:
    sizes: Sizes = Sizes()
    queries: int = 200
    duration: int = 15
    load: bool = True
    postgres: bool = True
    database_urls: tuple[str, ...] = ()  # measure these (built by python -m benchmark data) instead of building
    workdir: Path | None = None
    shiftable_runs: int = 1

    def command(self) -> str:
        s = self.sizes
        return (f"python -m benchmark run --tasks {s.tasks} --professions {s.professions} --competences {s.competences} "
                f"--seed {s.seed} --queries {self.queries} --duration {self.duration}"
                + ("" if self.load else " --skip-load") + ("" if self.postgres else " --skip-postgres"))


def seed_only(url: str) -> None:
    """A database with just the real seed: where the ~20-page role description is measured."""
    from flask_migrate import upgrade

    from kb.extensions import db
    from kb.seeding import load_bundle, read_bundle

    app = bench_app(url)
    with app.app_context():
        upgrade()
        load_bundle(db.session, read_bundle(Path(app.config["KB_SEED_DIR"])))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _catalogue_label(session) -> str:
    from kb import models as m

    def count(model) -> int:
        return session.scalar(sa.select(sa.func.count()).select_from(model))

    return (f"{_n(count(m.Task))} tasks, {count(m.Profession)} professions, {_n(count(m.Competence))} competences, "
            f"{_n(count(m.Rule))} rules, {count(m.Provision)} provisions")


def _n(value: int) -> str:
    return f"{value:_}".replace("_", " ")


def _in_process(result: report.BackendResult, url: str, plan: Plan, say) -> tuple[list[str], list[str]]:
    """Search, who-may and shiftable in this process; returns the task slugs and queries for the load test."""
    app = bench_app(url)

    def work():
        from kb.extensions import db

        session = db.session
        result.catalogue = _catalogue_label(session)
        mix = query_mix(session, plan.queries, plan.sizes.seed)
        queries = [q for _, q in mix]
        say(f"  søgning: {len(queries)} forespørgsler …")
        found = measure.search_figures(session, queries)
        ratio = stats.ratio(found.app.p95, found.raw.p95)
        result.add(report.FIGURES[0], found.app.p50, " ms")
        result.add(report.FIGURES[1], found.app.p95, " ms", stats.SEARCH_P95_MS)
        result.add(report.FIGURES[2], found.raw.p50, " ms")
        result.add(report.FIGURES[3], found.raw.p95, " ms")
        result.add(report.FIGURES[4], ratio, "×", stats.SEARCH_RATIO, decimals=2)
        result.add(report.FIGURES[5], found.vocabulary_load_ms, " ms", decimals=0)
        kinds = sorted({k for k, _ in mix})
        answered = sum(1 for n in found.hits if n)
        result.lines.append(f"Search mix: {len(queries)} queries ({', '.join(kinds)}); {answered} found tasks; "
                            f"median hits {stats.percentile(found.hits, 50):.0f}. After one warm-up pass of both, "
                            f"each query's time is the median of {measure.SEARCH_REPEATS} runs, for the app and the "
                            "raw floor alike.")
        slugs = measure.sample_task_slugs(session, TASK_SAMPLE, plan.sizes.seed)
        say(f"  hvem-må: {min(WHO_MAY_SAMPLE, len(slugs))} opgaver …")
        who = measure.who_may_figures(slugs[:WHO_MAY_SAMPLE])
        result.add(report.FIGURES[6], who.route.p50, " ms")
        result.add(report.FIGURES[7], who.route.p95, " ms", stats.WHO_MAY_P95_MS)
        result.add(report.FIGURES[8], who.engine.p95, " ms", stats.WHO_MAY_P95_MS)
        result.lines.append(f"Who-may: {who.route.n} tasks × {who.professions} professions; every matrix had "
                            f"{who.verdicts_per_task} verdicts.")
        say("  flytbare opgaver for den største faggruppe …")
        shift = measure.shiftable_figures(session, plan.shiftable_runs)
        result.add(report.FIGURES[9], shift.first.p95, " ms", stats.SHIFTABLE_MS, decimals=0)
        result.add(report.FIGURES[24], shift.cold.p50, " ms", decimals=0)
        result.add(report.FIGURES[10], shift.page.p95, " ms", stats.SHIFTABLE_MS, decimals=1)
        result.lines.append(f"Shiftable: {shift.profession} holds {_n(shift.held)} published tasks, "
                            f"{_n(shift.shiftable)} of them shiftable; after a change: {shift.first.n} title "
                            "corrections of its tasks, each published and committed, then the first page of 50 "
                            "(p95; the kept shortlist brought up to date for the changed task, kb/whomay/patches.py); "
                            f"from nothing: {shift.cold.n} run(s), median; pages: {shift.page.n} pages of 50 "
                            f"(offsets 0–{50 * (shift.page.n - 1)}).")
        say("  udgiv én ændring …")
        published = measure.publish_figures(session)
        result.add(report.FIGURES[23], published.p95, " ms", stats.PUBLISH_MS, decimals=0)
        result.lines.append(f"Publish: {published.n} task documents, each a title change published and rolled back; "
                            "the search index rewritten incrementally (kb/search/incremental.py).")
        return slugs, queries

    return measure.in_app(app, work)


def _under_load(result: report.BackendResult, url: str, slugs: list[str], queries: list[str], plan: Plan,
                say) -> None:
    labels = report.FIGURES[11:21]
    reason = None
    if not plan.load:
        reason = "skipped (--skip-load)"
    elif load.wrk_path() is None:
        reason = "skipped: wrk is not installed (Debian package wrk)"
    if reason:
        for label in labels:
            result.add(label, reason)
        return
    figures = {}
    task_paths = [f"/tasks/{s}" for s in slugs]
    for name, spec, db_url, paths, env in (
            ("task", load.KB_APP, url, task_paths, None),
            ("task, page cache off", load.KB_APP, url, task_paths, {"KB_PAGE_CACHE": "0"}),
            ("search", load.KB_APP, url, [f"/search?q={quote(q)}" for q in queries], None),
            ("hello", load.HELLO_APP, None, ["/"], None)):
        say(f"  belastning: {name} i {plan.duration} s …")
        figures[name] = load.measure(spec, db_url, paths, plan.duration, env)
    hello = figures["hello"].requests_per_s
    (task_rate, task_p95, search_rate, search_p95, hello_rate, hello_p95, task_share, uncached_rate,
     uncached_share, search_share) = labels
    for name, rate_label, p95_label, target in (("task", task_rate, task_p95, None),
                                                ("search", search_rate, search_p95, stats.SEARCH_PAGE_P95_MS),
                                                ("hello", hello_rate, hello_p95, None)):
        result.add(rate_label, figures[name].requests_per_s, " req/s")
        result.add(p95_label, figures[name].p95_ms, " ms", target)
    result.add(task_share, stats.ratio(figures["task"].requests_per_s, hello), "", stats.TASK_PAGE_SHARE, decimals=3)
    result.add(uncached_rate, figures["task, page cache off"].requests_per_s, " req/s")
    result.add(uncached_share, stats.ratio(figures["task, page cache off"].requests_per_s, hello), "",
               stats.TASK_PAGE_UNCACHED_SHARE, decimals=3)
    result.add(search_share, stats.ratio(figures["search"].requests_per_s, hello), "", decimals=3)
    for name, f in figures.items():
        if f.errors:
            result.lines.append(f"{name}: {f.errors} of {f.requests} requests failed under load.")
    result.lines.append(f"Load: gunicorn as `make run` (kb/gunicorn_conf.py, 2 workers), wrk 1 thread × "
                        f"{load.CONNECTIONS} connections, a warm-up of {load.WARM_UP_S} s + "
                        f"{load.WARM_UP_PER_PATH_S} s per distinct path ({load.warm_up_seconds(task_paths)} s for the "
                        f"task pages) and then {plan.duration} s per target, loopback; task pages cycle through "
                        f"{len(slugs)} tasks, which after the warm-up are all in each worker's page cache (the "
                        "cache-off row renders every request).")


def _pdf(result: report.BackendResult, seed_url: str, say) -> None:
    say("  PDF (funktionsbeskrivelse) i en underproces …")
    figures = pdf.measure_in_child(seed_url, PDF_PROFESSION)
    if "error" in figures:
        result.add(report.FIGURES[21], f"failed: {figures['error']}")
        result.add(report.FIGURES[22], "—")
        return
    result.add(report.FIGURES[21], figures["seconds"], " s", stats.PDF_SECONDS, decimals=2)
    result.add(report.FIGURES[22], figures["peak_rss_mb"], " MB", stats.PDF_MB, decimals=0)
    result.lines.append(
        f"PDF: {PDF_PROFESSION}'s role description on a seed-only {sa.make_url(seed_url).get_backend_name()} "
        f"database (on the national catalogue it would run to thousands of pages): {figures['pages']} "
        f"pages, {figures['bytes'] // 1024} kB; the child's RSS before rendering (app and WeasyPrint imported) "
        f"{figures['rss_before_mb']:.0f} MB.")


def _national(result: report.BackendResult, url: str, say) -> None:
    """The largest profession's page and role description on the national catalogue, in a server that keeps its
    take-over list (the first page request builds it), then the same PDF again, and once from nothing."""
    from kb.extensions import db

    app = bench_app(url)
    slug, held = measure.in_app(app, lambda: measure.largest_holder(db.session))
    say(f"  faggruppeside og funktionsbeskrivelse ({slug}, {_n(held)} opgaver) …")
    page = national.profession_page_figures(app, slug)
    result.add(report.FIGURES[25], page.page.p95, " ms", stats.PROFESSION_PAGE_P95_MS, decimals=1)
    repeat = measure.pdf_repeat_figures(app, slug)
    after = measure.pdf_after_change(app, slug)
    result.add(report.FIGURES[26], after / 1000, " s", stats.NATIONAL_PDF_SECONDS, decimals=2)
    if repeat.pages is None:
        result.add(report.FIGURES[27], "not counted (pypdf missing)")
    else:
        result.add(report.FIGURES[27], repeat.pages, "", stats.NATIONAL_PDF_PAGES, decimals=0)
    result.add(report.FIGURES[28], repeat.repeated.p95, " ms", stats.PDF_CACHED_MS, decimals=1)
    cold = national.national_role_pdf(url, slug)
    if "error" in cold:
        result.add(report.FIGURES[29], f"failed: {cold['error']}")
    else:
        result.add(report.FIGURES[29], cold["seconds"], " s", decimals=2)
    served = {c for c in repeat.caches}
    result.lines.append(
        f"National pages: {slug} holds {_n(held)} tasks; its page {page.bytes // 1024} kB, the first request "
        f"{page.first_ms / 1000:.1f} s (it builds the take-over list the later {page.page.n} are timed with); the "
        f"role PDF {repeat.pages} pages, {repeat.size // 1024} kB: its first render {repeat.first_ms / 1000:.1f} s "
        "(the reserved area built then), then "
        f"{repeat.repeated.n} requests again, answered by the store ({', '.join(sorted(served))}); after a task's "
        "title is published and committed, the first render again (every kept answer brought up to date for that "
        "task, the PDF laid out anew: the row above); from nothing: "
        + ("failed" if "error" in cold else f"{cold['seconds']:.1f} s in a fresh process, "
           f"{cold['gather_seconds']:.1f} s of it gathering the take-over list") + ".")


def run(plan: Plan, say: Callable[[str], None] = print, report_path: Path | None = None) -> str:
    """Everything `python -m benchmark run` does; returns the report's markdown."""
    facts = report.machine_facts()
    say(f"Maskine: {facts['cpu']}, {facts['cores']} kerner, load {facts['load_start']}")
    workdir = plan.workdir or PROJECT_ROOT / "instance" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    skipped: list[str] = []
    targets: list[tuple[str, str, str]] = []  # (backend name, catalogue URL, seed-only URL)
    with ExitStack() as stack:
        if plan.database_urls:
            for url in plan.database_urls:
                dialect = sa.make_url(url).get_backend_name()
                seed_url = f"sqlite:///{workdir / f'seed-only-{len(targets)}.db'}"
                targets.append((dialect, url, seed_url))
        else:
            url = f"sqlite:///{workdir / 'bench.db'}"
            targets.append(("sqlite", url, f"sqlite:///{workdir / 'seed-only.db'}"))
            if plan.postgres:
                from benchmark import pgserver

                try:
                    server = pgserver.start()
                except Exception as exc:  # noqa: BLE001 - missing binaries or a failed start: skip, say why
                    skipped.append(f"PostgreSQL: {exc}")
                else:
                    stack.callback(server.stop)
                    facts["postgresql"] = server.version()
                    targets.append(("postgresql", server.create_database("kb_bench"),
                                    server.create_database("kb_bench_seed")))
            for name, url, _ in targets:
                say(f"Bygger katalog ({name}) …")
                remove_sqlite_file(url)
                started = time.perf_counter()
                generate(url, plan.sizes, say)
                say(f"  færdig på {time.perf_counter() - started:.0f} s")
        if not plan.postgres and not plan.database_urls:
            skipped.append("PostgreSQL: --skip-postgres")
        results = []
        for name, url, seed_url in targets:
            say(f"Måler {name} …")
            if seed_url.startswith("sqlite"):
                remove_sqlite_file(seed_url)
            seed_only(seed_url)
            result = report.BackendResult(name=name, url=sa.make_url(url).render_as_string(hide_password=True),
                                          catalogue="")
            result.lines.append("Load average when this backend's measurements began: "
                                + " ".join(f"{x:.2f}" for x in os.getloadavg()) + ".")
            slugs, queries = _in_process(result, url, plan, say)
            _under_load(result, url, slugs, queries, plan, say)
            _pdf(result, seed_url, say)
            _national(result, url, say)
            say(report.console_table(result))
            results.append(result)
    if plan.load and load.wrk_path() is None:
        skipped.append("load test: wrk is not installed (apt-get install wrk)")
    load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    notes = report.kept_notes(report_path or PROJECT_ROOT / "docs" / "benchmark.md")
    return report.render(facts, plan.command(), results, skipped, notes, load_end)
