"""Percentiles, ratios and the targets the figures are held against."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Iterable


def percentile(values: Iterable[float], p: float) -> float:
    """The p-th percentile (0..100) by linear interpolation between closest ranks (numpy's default method)."""
    data = sorted(values)
    if not data:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError("p must lie in 0..100")
    position = (len(data) - 1) * p / 100
    low, high = math.floor(position), math.ceil(position)
    return data[low] + (data[high] - data[low]) * (position - low)


@dataclass(frozen=True)
class Timing:
    """Latencies of one measured operation, in milliseconds."""

    samples: tuple[float, ...]

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def n(self) -> int:
        return len(self.samples)


def timed(calls: Iterable[Callable[[], object]]) -> Timing:
    """Run each call once and keep its wall time in ms (perf_counter: monotonic, sub-µs resolution)."""
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(tuple(samples))


def timed_median(calls: Iterable[Callable[[], object]], repeats: int) -> Timing:
    """Each call's median wall time over ``repeats`` runs: one query's sample no longer hangs on one scheduler hiccup,
    which at p95 of 200 queries (the 190th value) moved the search ratio between 1.5× and 2.4× from run to run."""
    samples = []
    for call in calls:
        runs = timed([call] * repeats).samples
        samples.append(sorted(runs)[len(runs) // 2])
    return Timing(tuple(samples))


def ratio(value: float, floor: float) -> float:
    """How many times the floor a figure is (inf when the floor is zero: nothing to compare against)."""
    return value / floor if floor > 0 else math.inf


@dataclass(frozen=True)
class Target:
    """A limit a figure must stay under (`at_most`) or reach (`at_least`)."""

    label: str
    limit: float
    at_least: bool = False

    def met(self, value: float | None) -> bool | None:
        if value is None or math.isnan(value):
            return None
        return value >= self.limit if self.at_least else value <= self.limit

    def describe(self, unit: str) -> str:
        return f"{'≥' if self.at_least else '≤'} {self.limit:g}{unit}"


# The targets.
SEARCH_P95_MS = Target("search p95", 15)
SEARCH_RATIO = Target("search p95 / raw p95", 2)
WHO_MAY_P95_MS = Target("who-may p95", 5)
SHIFTABLE_MS = Target("shiftable", 250)
PUBLISH_MS = Target("publish one change", 1000)
TASK_PAGE_SHARE = Target("task page / hello-world throughput", 0.5, at_least=True)
TASK_PAGE_UNCACHED_SHARE = Target("task page / hello-world throughput, page cache off", 0.1, at_least=True)
SEARCH_PAGE_P95_MS = Target("search page p95 under load", 100)
PDF_CACHED_MS = Target("role PDF, repeated", 50)
PROFESSION_PAGE_P95_MS = Target("profession page p95", 100)
NATIONAL_PDF_SECONDS = Target("role PDF, national", 2)
NATIONAL_PDF_PAGES = Target("role PDF, national, pages", 6)
PDF_SECONDS = Target("PDF time", 1)
PDF_MB = Target("PDF peak memory", 300)
