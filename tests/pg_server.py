"""The test session's throw-away PostgreSQL: the server of benchmark/pgserver.py, with room for the connections that
parallel tests, several app servers and the load test open, and stopped without waiting for a checkpoint."""
from __future__ import annotations

from benchmark.pgserver import ThrowawayPostgres as PgServer
from benchmark.pgserver import server_bindir as find_bindir
from benchmark.pgserver import start

__all__ = ["PgServer", "find_bindir", "start_server"]


def start_server() -> PgServer:
    return start(settings="-c max_connections=200", stop_mode="immediate", prefix="kb-pg-")
