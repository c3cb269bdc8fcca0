"""The profession page and the role description at national size (issue 20, part 4): measurement functions for the
runner (benchmark/runner.py wires them; targets: page p95 ≤ 100 ms, role PDF ≤ 2 s and ≤ 6 pages).

`profession_page_figures` times GET /professions/<slug> (page 1, as a visitor opens it) through the app's test
client: the whole request — routing, the held-task queries, the take-over summary, the template — in process, so the
figure has no network in it. The first request is kept apart: it builds the per-process who-may answers
(kb.whomay.service.takeover_for), which a running server has already built; the samples are the requests after it.

`national_role_pdf` renders /professions/<slug>/role.pdf in a fresh interpreter, as benchmark/pdf.py does, so the
seconds and memory are the document's own; ``annex=True`` renders the ?bilag=1 version (bounded by ANNEX_MAX).

    python -m benchmark.national sqlite:///instance/bench/bench.db sygeplejerske [--bilag]
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass

from flask import Flask

from benchmark.stats import Timing, timed


@dataclass
class PageFigures:
    profession: str
    first_ms: float  # the first request in the process (builds the take-over answer)
    page: Timing  # the requests after it
    bytes: int  # the page's HTML
    held: int  # tasks the group holds


def profession_page_figures(app: Flask, slug: str, runs: int = 20) -> PageFigures:
    client = app.test_client()
    sizes: list[int] = []

    def get() -> None:
        response = client.get(f"/professions/{slug}")
        if response.status_code != 200:
            raise RuntimeError(f"/professions/{slug}: {response.status_code}")
        sizes.append(len(response.data))

    started = time.perf_counter()
    get()
    first = (time.perf_counter() - started) * 1000
    page = timed([get] * runs)
    with app.app_context():
        from kb.catalogue import held
        from kb.catalogue.queries import profession_by_slug

        count = held.held_count(profession_by_slug(slug).id)
    return PageFigures(profession=slug, first_ms=first, page=page, bytes=sizes[-1], held=count)


def _render(url: str, profession: str, annex: bool) -> dict:
    """In the child: the role description (with its annex when asked), as benchmark.pdf.render."""
    from datetime import datetime

    from benchmark.database import bench_app
    from benchmark.pdf import _pages, _status_mb
    from kb.pdf.render import render_pdf
    from kb.pdf.service import role_description
    from kb.whomay.facts import make_context

    app = bench_app(url)
    with app.app_context(), app.test_request_context("/", base_url="http://127.0.0.1:5000/"):
        import weasyprint  # noqa: F401 - imported before the clock starts, as in a running server

        started = time.perf_counter()
        doc = role_description(profession, make_context(), annex=annex)
        if doc is None:
            raise SystemExit(f"ukendt faggruppe {profession}")
        gathered = time.perf_counter() - started
        data = render_pdf("pdf/role.html", "http://127.0.0.1:5000/", doc=doc, stamp=doc.stamp,
                          made=datetime.now().astimezone())
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "gather_seconds": gathered, "pages": _pages(data), "bytes": len(data),
            "peak_rss_mb": _status_mb("VmHWM"), "held": doc.held_count, "takeover": doc.takeover_count,
            "annex": annex}


def national_role_pdf(url: str, slug: str, annex: bool = False, timeout: float = 600) -> dict:
    """Seconds and pages of the role description (a child process); {'error': …} when it fails."""
    args = [sys.executable, "-m", "benchmark.national", url, slug] + (["--bilag"] if annex else [])
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["?"]}
    return json.loads(lines[-1])


if __name__ == "__main__":
    print(json.dumps(_render(sys.argv[1], sys.argv[2], "--bilag" in sys.argv[3:])))
