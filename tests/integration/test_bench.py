"""`python -m benchmark data` and `run` at a small size: the synthetic catalogue has the shape the benchmark relies on, the
app's own search and engine work on it, the statistics are right, and the quick runner reports every figure."""
from __future__ import annotations

import random
import statistics
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from kb import models as m
from benchmark import report, stats
from benchmark import vocabulary as v
from benchmark.catalogue import Builder, Sizes
from benchmark.cli import bench_data_command
from benchmark.database import bench_app
from benchmark.runner import Plan, run
from kb.models.task import task_holder

# Slow: builds a synthetic catalogue and times the quick benchmark run.
pytestmark = pytest.mark.slow

TASKS, PROFESSIONS, COMPETENCES = 300, 50, 100


@pytest.fixture(scope="module")
def bench_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('bench') / 'bench.db'}"
    result = CliRunner().invoke(bench_data_command, [
        "--tasks", str(TASKS), "--professions", str(PROFESSIONS), "--competences", str(COMPETENCES),
        "--database-url", url])
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module")
def bench(bench_url):
    from kb.extensions import db
    from kb.seeding import read_bundle

    app = bench_app(bench_url)
    with app.app_context():
        seed = read_bundle(app.config["KB_SEED_DIR"])
        seed_tasks = {e.data.slug for e in seed.entries("tasks")}
        yield app, db.session, seed_tasks
        db.session.remove()
        db.engine.dispose()


def _count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_sizes_and_rules(bench):
    _, session, seed_tasks = bench
    assert _count(session, m.Task) == len(seed_tasks) + TASKS
    assert _count(session, m.Profession) == PROFESSIONS
    assert _count(session, m.Competence) == COMPETENCES
    synthetic = set(session.scalars(sa.select(m.Task.id).where(m.Task.slug.not_in(seed_tasks))))
    with_rules = set(session.scalars(sa.select(m.Rule.task_id).distinct())) & synthetic
    share = len(with_rules) / len(synthetic)
    assert 0.05 <= share <= 0.16, share  # about one in ten; binomial spread at 300 tasks
    kinds = set(session.execute(sa.select(m.Rule.kind, m.Rule.effect).where(m.Rule.task_id.in_(with_rules))))
    assert {k for k, _ in kinds} == {"legal", "organisational"}
    assert {e for _, e in kinds} == {"allow", "deny", "conditions"}
    dated = session.execute(sa.select(sa.func.count()).select_from(m.Provision).where(
        m.Provision.valid_to.is_not(None))).scalar()
    assert dated > 0
    per_task = Counter(session.scalars(sa.select(m.TaskRequirement.task_id).where(
        m.TaskRequirement.task_id.in_(synthetic))))
    assert len(per_task) == len(synthetic)  # every synthetic task requires some competence


def test_refuses_a_database_that_already_has_a_catalogue(bench, bench_url):
    _, session, _ = bench
    before = _count(session, m.Task)
    result = CliRunner().invoke(bench_data_command, ["--tasks", "5", "--database-url", bench_url])
    assert result.exit_code == 1 and "syntetiske" in result.output
    session.rollback()
    assert _count(session, m.Task) == before


def test_holders_are_skewed(bench):
    _, session, _ = bench
    held = sorted(session.execute(sa.select(sa.func.count()).select_from(task_holder)
                                  .group_by(task_holder.c.profession_id)).scalars(), reverse=True)
    top_tenth = held[: max(1, len(held) // 10)]
    assert sum(top_tenth) > 0.4 * sum(held)  # Zipf: a tenth of the groups hold most of the tasks
    assert held[0] > 5 * statistics.median(held)


def test_search_finds_a_synthetic_compound(bench):
    from kb.search.query import search_tasks

    _, session, seed_tasks = bench
    compounds = {v.compound(o, a): (o, a) for o in v.OBJECTS for a in v.ACTIONS}
    found = None
    for task_id, title in session.execute(sa.select(m.Task.id, m.Task.title).where(
            m.Task.slug.not_in(seed_tasks)).order_by(m.Task.id)):
        first = title.split()[0].lower()
        if first in compounds:
            found = (task_id, first)
            break
    assert found, "no synthetic title starts with a compound"
    task_id, word = found
    ids, total = search_tasks(word, limit=None, session=session)
    assert task_id in ids and total == len(ids)
    ids, _ = search_tasks(v.inflections(word)[1], limit=None, session=session)  # plural form
    assert task_id in ids


def test_who_may_answers_for_every_profession(bench):
    from kb.rules import Verdict
    from kb.whomay.facts import make_context
    from kb.whomay.service import matrix_by_slug

    app, session, seed_tasks = bench
    professions = _count(session, m.Profession)
    slugs = list(session.scalars(sa.select(m.Task.slug).where(
        m.Task.slug.not_in(seed_tasks), m.Task.status == "published").order_by(m.Task.id).limit(5)))
    with app.test_request_context("/"):
        for slug in slugs:
            matrix = matrix_by_slug(slug, make_context())
            assert len(matrix.results) == professions
            assert all(isinstance(r.verdict, Verdict) for r in matrix.results)


def test_same_seed_same_rows(bench):
    _, session, _ = bench
    made = []
    for _ in range(2):
        builder = Builder(session, Sizes(tasks=40, professions=PROFESSIONS, competences=COMPETENCES, seed=7))
        builder.read_seed()
        builder.professions_and_competences()
        builder.law()
        builder.tasks()
        made.append({t.name: rows for t, rows in builder.rows.items()})
    assert made[0] == made[1] and made[0]["task"]


def test_percentiles_ratios_and_targets():
    rng = random.Random(3)
    for n in (1, 2, 7, 200):
        data = [rng.expovariate(1.0) for _ in range(n)]
        if n > 1:
            expected = statistics.quantiles(data, n=100, method="inclusive")
            assert stats.percentile(data, 50) == pytest.approx(expected[49])
            assert stats.percentile(data, 95) == pytest.approx(expected[94])
        assert stats.percentile(data, 0) == min(data) and stats.percentile(data, 100) == max(data)
    assert stats.ratio(30.0, 10.0) == 3.0 and stats.ratio(1.0, 0.0) == float("inf")
    assert stats.SEARCH_P95_MS.met(15.0) and not stats.SEARCH_P95_MS.met(15.1)
    assert stats.TASK_PAGE_SHARE.met(0.5) and not stats.TASK_PAGE_SHARE.met(0.49)
    timing = stats.timed([lambda: time.sleep(0.02), lambda: None])
    assert timing.samples[0] >= 20 and timing.samples[1] < timing.samples[0]
    slow_once = iter([0.03, 0.0, 0.0])
    steady = stats.timed_median([lambda: time.sleep(next(slow_once))], repeats=3)  # one hiccup out of three
    assert len(steady.samples) == 1 and steady.samples[0] < 20


def test_quick_run_reports_every_figure(bench_url, tmp_path):
    plan = Plan(sizes=Sizes(tasks=TASKS, professions=PROFESSIONS, competences=COMPETENCES), queries=20,
                load=False, postgres=False, database_urls=(bench_url,), workdir=tmp_path)
    markdown = run(plan, lambda _: None, report_path=tmp_path / "absent.md")
    rows = {line.split(" | ")[0].lstrip("| "): line for line in markdown.splitlines() if line.startswith("| ")}
    for figure in report.FIGURES:
        assert figure in rows, figure
    for figure in report.FIGURES[:11] + report.FIGURES[21:]:
        value = rows[figure].split(" | ")[1]
        assert value[0].isdigit(), (figure, value)  # measured, not skipped
    for figure in report.FIGURES[11:21]:
        assert "skipped" in rows[figure]
    assert "| load average at start (1, 5, 15 min) |" in markdown and report.NOTES_BEGIN in markdown
