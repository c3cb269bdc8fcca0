"""Browser tests: the real app served on loopback, driven by Playwright in Debian's Chromium (headless).

Browsers cannot be downloaded here, so the tests launch /usr/bin/chromium (package `chromium`). Without it the
tests skip with a reason — unless KB_REQUIRE_ALL=1 (CI), which makes them fail. Screenshots are written to
tests/artifacts/ (ignored by git) so a person can look at what the tests saw.
"""
from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from kb.app import create_app
from tests.plugins.database import config_for
from tests.helpers import PASSWORD, make_user

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """A seeded SQLite database served by a real WSGI server thread on a free loopback port."""
    from flask_migrate import upgrade

    from kb.extensions import db
    from kb.seeding import load_bundle, read_bundle

    path = tmp_path_factory.mktemp("browser") / "kb.db"
    app = create_app(config_for(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        load_bundle(db.session, read_bundle(app.config["KB_SEED_DIR"]))
    make_user(app, "afdelingsleder", "planner")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        message = f"Chromium not found at {CHROMIUM}; install the Debian package 'chromium'"
        if os.environ.get("KB_REQUIRE_ALL") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_app, request):
    context = browser.new_context(base_url=live_app.config["LIVE_URL"], locale="da-DK",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors or CSP violations in the browser: {errors}"


@pytest.fixture
def login(page):
    def do(username: str = "afdelingsleder") -> None:
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)

    return do
