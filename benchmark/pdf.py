"""Role-description PDF: time and peak memory, measured in a child process so the figure is the PDF's own.

`python -m benchmark.pdf URL PROFESSION` renders /professions/<slug>/role.pdf's document (the same service and
template as the route and `kb role-pdf`) and prints one JSON line: seconds, pages, bytes, the child's resident memory
before rendering and its peak (VmHWM). No tracemalloc: it slows WeasyPrint's pure-Python layout several times,
which would spoil the time; the child's peak RSS is the figure that matters for a server worker anyway.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path


def _status_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (resident peak) of this process. Not ru_maxrss: Linux carries that over from
    the parent through fork and exec, so a child of the big benchmark process would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _pages(data: bytes) -> int | None:
    try:
        from io import BytesIO

        from pypdf import PdfReader
    except ImportError:  # pypdf comes with the test and bench extras; without it the count is left out
        return None
    return len(PdfReader(BytesIO(data)).pages)


def render(url: str, profession: str) -> dict:
    from datetime import datetime

    from benchmark.database import bench_app
    from kb.pdf.render import render_pdf
    from kb.pdf.service import role_description
    from kb.whomay.facts import make_context

    app = bench_app(url)
    with app.app_context(), app.test_request_context("/", base_url="http://127.0.0.1:5000/"):
        import weasyprint  # noqa: F401 - imported before the clock starts, as in a running server

        before = _status_mb("VmRSS")
        started = time.perf_counter()
        doc = role_description(profession, make_context())
        if doc is None:
            raise SystemExit(f"ukendt faggruppe {profession}")
        data = render_pdf("pdf/role.html", "http://127.0.0.1:5000/", doc=doc, stamp=doc.stamp,
                          made=datetime.now().astimezone())
        seconds = time.perf_counter() - started
    pages = _pages(data)
    return {"seconds": seconds, "pages": pages, "bytes": len(data), "rss_before_mb": before,
            "peak_rss_mb": _status_mb("VmHWM"),
            "held": doc.held_count, "takeover": doc.takeover_count}


def measure_in_child(url: str, profession: str, timeout: float = 300) -> dict:
    """Run render() in a fresh interpreter and return its figures (or {'error': …})."""
    proc = subprocess.run([sys.executable, "-m", "benchmark.pdf", url, profession], capture_output=True, text=True,
                          timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["?"]}
    return json.loads(lines[-1])


if __name__ == "__main__":
    print(json.dumps(render(sys.argv[1], sys.argv[2])))
