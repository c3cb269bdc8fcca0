"""Login and logout."""
from __future__ import annotations

import re

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from kb.auth import bp
from kb.auth.forms import LoginForm
from kb.auth.passwords import spend_as_if_checking, verify_password
from kb.extensions import db
from kb.models import AuditEvent, User
from kb.models.base import utcnow


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login page cannot be used to redirect elsewhere. No control character
    (urlsplit drops tab, CR and LF before it looks for a host, so a line break before "//evil" would pass) and no
    backslash."""
    if (target and target.startswith("/") and not target.startswith("//") and not CONTROL.search(target)
            and "\\" not in target and not urlsplit(target).netloc):
        return target
    return url_for("catalogue.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).where(User.username == form.username.data.strip()))
        if user is None or not user.active:
            spend_as_if_checking(form.password.data)  # the same time as a wrong password for a real user
        if user is None or not user.active or not verify_password(user.password_hash, form.password.data):
            db.session.add(AuditEvent(action="login_failed", entity_type="user",
                                      summary=f"Mislykket login for '{form.username.data[:120]}'"))
            db.session.commit()
            form.password.errors.append(gettext("Forkert brugernavn eller adgangskode."))
        else:
            session.permanent = True  # expires after KB_SESSION_MINUTES without a request (refreshed on each one)
            session.pop("csrf_token", None)  # a token seen before login (a planted cookie's) is not valid after it
            login_user(user)
            user.last_login_at = utcnow()
            db.session.add(AuditEvent(action="login", entity_type="user", entity_id=user.id, user_id=user.id))
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    current_user.end_sessions()  # every session of this user ends, copies of this cookie included
    db.session.commit()
    logout_user()
    session.pop("csrf_token", None)
    flash(gettext("Du er logget ud."), "info")
    return redirect(url_for("catalogue.home"))
