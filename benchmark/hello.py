"""The floor for the load test: a hello-world Flask app served with the same gunicorn settings as the real one."""
from __future__ import annotations

from flask import Flask

PAGE = "<!doctype html><html lang=da><title>Hej</title><p>Hej verden</p></html>"


def create_hello_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def hello():
        return PAGE

    return app
