"""Machine facts and the markdown report (docs/benchmark.md).

The report has a generated part and a written part: everything between NOTES_BEGIN and NOTES_END in the existing
file (profiles, fixes with before/after figures, explanations) is carried over when `python -m benchmark run` rewrites the file.
"""
from __future__ import annotations

import math
import os
import platform
import re
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

NOTES_BEGIN = "<!-- notes: kept by kb bench -->"
NOTES_END = "<!-- end of notes -->"


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def _version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return ((out.stdout or out.stderr).strip().splitlines() or ["?"])[0]


def machine_facts() -> dict[str, str]:
    """What the figures depend on, taken when the run starts (the load average says whether others were busy)."""
    memory_kb = _first("/proc/meminfo", "MemTotal").split()[0]
    load = os.getloadavg()
    cores = os.cpu_count() or 1
    from benchmark.load import wrk_path

    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _first("/proc/cpuinfo", "model name"),
        "cores": str(cores),
        "memory": f"{int(memory_kb) / 2**20:.1f} GiB" if memory_kb.isdigit() else "?",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": _version([str(Path(os.sys.executable).with_name("gunicorn")), "--version"]),
        "wrk": _version([wrk_path(), "-v"]) if wrk_path() else "not installed",
        "load_start": " ".join(f"{x:.2f}" for x in load),
        "loaded": "yes" if load[0] > 0.5 * cores else "no",
    }


@dataclass
class Row:
    """One line of a backend's table: the figure, its value as text, the target as text, met or not (None: none)."""

    figure: str
    value: str
    target: str = ""
    met: bool | None = None


@dataclass
class BackendResult:
    name: str
    url: str
    catalogue: str
    rows: list[Row] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # remarks printed under the table

    def add(self, figure: str, value: float | str | None, unit: str = "", target=None, decimals: int = 1) -> None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            text = "—"
        elif isinstance(value, str):
            text = value
        else:
            text = f"{value:.{decimals}f}{unit}"
        met = target.met(value) if target is not None and not isinstance(value, str) else None
        self.rows.append(Row(figure, text, target.describe(unit) if target is not None else "", met))


# Every figure row a backend's table carries, in order (tests/integration/test_bench.py checks all are present).
FIGURES = (
    "search p50 (as /search: facet counts, the page, other kinds)",
    "search p95 (as /search: facet counts, the page, other kinds)",
    "raw full-text p50 (MATCH / @@ on the index)", "raw full-text p95 (MATCH / @@ on the index)",
    "search p95 ÷ raw p95", "search: vocabulary load, once per process",
    "who-may p50 (as the who-may API: task facts read, catalogue kept)",
    "who-may p95 (as the who-may API: task facts read, catalogue kept)",
    "who-may p95, engine only (task and catalogue at hand)",
    "shiftable, largest profession: first page after a published task change",
    "shiftable, largest profession: a page of 50, shortlist kept (p95)",
    "task page `/tasks/<slug>` throughput", "task page p95 under load", "search page `/search?q=` throughput",
    "search page p95 under load", "hello-world throughput (floor)", "hello-world p95 under load",
    "task page ÷ hello-world throughput",
    "task page throughput, page cache off (KB_PAGE_CACHE=0)", "task page ÷ hello-world, page cache off",
    "search page ÷ hello-world throughput",
    "role-description PDF time", "role-description PDF peak memory (child RSS)",
    "publish one change (a task's title, the one write path, reindex included; p95)",
    "shiftable, largest profession: built from nothing (a new process, or a change of professions)",
    "profession page `/professions/<slug>` p95 (largest profession, take-over list kept)",
    "role PDF, national (largest profession; first render after a published task change)",
    "role PDF, national: pages",
    "role PDF, repeated (from the store; p95)",
    "role PDF, national, from nothing (a fresh process)",
)


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: ""}[met]


def backend_table(result: BackendResult) -> str:
    lines = [f"### {result.name}", "", f"Database: `{result.url}` — {result.catalogue}", "",
             "| figure | value | target | result |", "|---|---:|---|---|"]
    lines += [f"| {r.figure} | {r.value} | {r.target} | {_verdict(r.met)} |" for r in result.rows]
    lines += [""] + [f"- {line}" for line in result.lines]
    return "\n".join(lines) + "\n"


def console_table(result: BackendResult) -> str:
    width = max(len(r.figure) for r in result.rows)
    out = [f"== {result.name} ({result.catalogue})"]
    out += [f"  {r.figure:<{width}}  {r.value:>14}  {r.target:<10} {_verdict(r.met).strip('*')}" for r in result.rows]
    return "\n".join(out + [f"  * {line}" for line in result.lines])


def kept_notes(path: Path) -> str:
    """The written part of an existing report, or a placeholder for a new one."""
    if path.exists():
        found = re.search(re.escape(NOTES_BEGIN) + r"(.*?)" + re.escape(NOTES_END), path.read_text(), re.S)
        if found:
            return found.group(1).strip("\n")
    return "_No notes yet: profiles, fixes and explanations of missed targets go here._"


def render(facts: dict[str, str], command: str, results: list[BackendResult], skipped: list[str],
           notes: str, load_end: str) -> str:
    facts_rows = [("date", facts["date"]), ("CPU", facts["cpu"]), ("cores", facts["cores"]),
                  ("memory", facts["memory"]), ("Python", facts["python"]), ("SQLite", facts["sqlite"]),
                  ("PostgreSQL", facts.get("postgresql", "not used")), ("gunicorn", facts["gunicorn"]),
                  ("wrk", facts["wrk"]), ("load average at start (1, 5, 15 min)", facts["load_start"]),
                  ("load average at end", load_end),
                  ("machine busy with other work at start", facts["loaded"])]
    parts = [
        "# Benchmark: a national-size catalogue", "",
        f"Generated by `{command}` (benchmark/). Figures are wall-clock on this machine; the load average shows "
        "whether other work (e.g. a test suite) shared the two cores.", "",
        "## Machine", "", "| fact | value |", "|---|---|", *[f"| {k} | {v} |" for k, v in facts_rows], "",
        "## Figures", "",
    ]
    parts += [backend_table(r) for r in results]
    if skipped:
        parts += ["Skipped:", "", *[f"- {s}" for s in skipped], ""]
    parts += ["## Findings, profiles and fixes", "", NOTES_BEGIN, notes, NOTES_END, ""]
    return "\n".join(parts)
