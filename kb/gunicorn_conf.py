"""gunicorn settings for production: `gunicorn -c python:kb.gunicorn_conf 'kb.app:create_app()'`.

Each setting comes from the environment, with defaults for one app server on a small machine. Several app servers
may run this against one PostgreSQL (KB_DATABASE_URL) when they share KB_SECRET_KEY (sessions and CSRF tokens are
signed with it) and, for the login rate limit to count across servers, KB_RATELIMIT_STORAGE_URI.
"""
import os

bind = os.environ.get("KB_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}")
# Threads let one worker answer page requests while another of its requests waits on the database or lays out
# a PDF; processes give the CPU-bound work (rule engine, PDF layout) the cores.
workers = int(os.environ.get("KB_WORKERS", str(min(2 * (os.cpu_count() or 1) + 1, 9))))
worker_class = "gthread"
threads = int(os.environ.get("KB_THREADS", "4"))
# A role description for a large profession takes a few seconds to lay out; nothing else comes near this.
timeout = int(os.environ.get("KB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
# Behind a reverse proxy that terminates TLS: the proxy's address, so X-Forwarded-Proto is believed.
forwarded_allow_ips = os.environ.get("KB_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No preload: each worker opens its own database connections after the fork.
preload_app = False


def on_starting(server):
    if not os.environ.get("KB_SECRET_KEY"):
        server.log.warning("KB_SECRET_KEY is not set: this server signs sessions with a key of its own "
                           "(instance/secret_key), so several app servers will not share logins.")
