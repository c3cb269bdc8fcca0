"""Throughput and p95 under gunicorn (kb/gunicorn_conf.py with 2 workers, as `make run`), driven by wrk on loopback.

Every run is bounded: a short warm-up (each worker loads its search vocabulary and catalogue on first use) and then
`duration` seconds of load, so one target takes at most warm-up + duration + start-up. The hello-world app under the
same settings is the floor the task page is compared with.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
WARM_UP_S = 3
# Per distinct path, extra warm-up: every worker renders each task page once before its cache can serve it
# (~50 ms a page on the national catalogue), so 200 pages need ~10 s of warm-up per worker, not 3 s.
WARM_UP_PER_PATH_S = 0.1
CONNECTIONS = 4  # two per worker: enough to keep both busy without measuring queueing


@dataclass(frozen=True)
class LoadFigures:
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    errors: int
    requests: int


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, probe: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stoppede med kode {process.returncode}")
        try:
            with urllib.request.urlopen(base + probe, timeout=30) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn svarede ikke i tide")


@contextmanager
def gunicorn(app_spec: str, database_url: str | None, probe: str, extra_env: dict[str, str] | None = None):
    """Serve `app_spec` with 2 workers on a free loopback port; yields the base URL; stops the server after."""
    port = _free_port()
    env = {**os.environ, "KB_RATELIMIT_STORAGE_URI": "memory://", **(extra_env or {})}
    if database_url:
        env["KB_DATABASE_URL"] = database_url
    binary = Path(sys.executable).with_name("gunicorn")
    # The production settings `make run` uses (kb/gunicorn_conf.py, two workers), for the app and the floor alike;
    # only the access log is left out, since writing it would be measured too.
    process = subprocess.Popen([str(binary), "-c", "python:kb.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
                                "--workers", "2", "--access-logfile", "/dev/null", "--log-level", "warning", app_spec],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, probe, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def warm_up_seconds(paths: list[str]) -> int:
    return WARM_UP_S + round(WARM_UP_PER_PATH_S * len(set(paths)))


def run_wrk(base: str, paths: list[str], duration: int) -> LoadFigures:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(paths) + "\n")
        path_file = fh.name
    try:
        def once(seconds: int) -> str:
            return subprocess.run([wrk_path(), "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
                                   "-s", str(WRK_SCRIPT), base, "--", path_file],
                                  capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
        once(warm_up_seconds(paths))
        out = once(duration)
    finally:
        os.unlink(path_file)
    data = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    seconds = data["duration_us"] / 1e6
    return LoadFigures(requests_per_s=data["requests"] / seconds, p50_ms=data["p50_us"] / 1000,
                       p95_ms=data["p95_us"] / 1000, errors=data["socket_errors"] + data["status_errors"],
                       requests=data["requests"])


def measure(app_spec: str, database_url: str | None, paths: list[str], duration: int,
            extra_env: dict[str, str] | None = None) -> LoadFigures:
    with gunicorn(app_spec, database_url, paths[0], extra_env) as base:
        return run_wrk(base, paths, duration)


KB_APP = "kb.app:create_app()"
HELLO_APP = "benchmark.hello:create_hello_app()"
