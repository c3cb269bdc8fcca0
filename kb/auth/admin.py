"""Admin pages for accounts (/admin/users): list, create, change role and status, reset password. Admins only."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from kb.auth import bp, service
from kb.auth.forms import ROLE_LABELS, PasswordResetForm, UserCreateForm, UserEditForm
from kb.auth.roles import ADMINS, role_required
from kb.extensions import db
from kb.models import User


def _user_or_404(user_id: int, lock: bool = False) -> User:
    # FOR UPDATE on PostgreSQL so two admins saving at once are serialised before the fingerprint check.
    user = db.session.get(User, user_id, with_for_update=lock)
    if user is None:
        abort(404, description=gettext("Brugeren findes ikke."))
    return user


@bp.get("/admin/users")
@role_required(ADMINS)
def users():
    listed = db.session.scalars(sa.select(User).order_by(User.active.desc(), User.username)).all()
    return render_template("auth/users.html", users=listed, role_labels=ROLE_LABELS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required(ADMINS)
def user_new():
    form = UserCreateForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        if service.username_taken(username):
            form.username.errors.append(gettext("Brugernavnet er allerede i brug."))
        else:
            try:
                user = service.create_user(current_user, username=username, name=(form.name.data or "").strip(),
                                           email=(form.email.data or "").strip(), role=form.role.data,
                                           password=form.password.data)
                db.session.commit()
            except IntegrityError:  # created by someone else between the check and the insert
                db.session.rollback()
                form.username.errors.append(gettext("Brugernavnet er allerede i brug."))
            else:
                flash(gettext("Brugeren %(user)s er oprettet.", user=user.username), "success")
                return redirect(url_for("auth.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/user_form.html", form=form, user=None, role_labels=ROLE_LABELS), status


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required(ADMINS)
def user_edit(user_id: int):
    user = _user_or_404(user_id, lock=request.method == "POST")
    form = UserEditForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.seen.data = service.fingerprint(user)
    if form.validate_on_submit():
        change = service.Change(name=(form.name.data or "").strip(), email=(form.email.data or "").strip(),
                                role=form.role.data, active=form.active.data)
        if form.seen.data != service.fingerprint(user):
            # Someone saved this user after the form was opened: keep what was typed, show what is stored now.
            db.session.rollback()
            return render_template("auth/user_form.html", form=form, user=user, conflict=True,
                                   role_labels=ROLE_LABELS), 409
        if problems := service.self_change_problems(current_user, user, change):
            for name, message in problems.items():
                form[name].errors.append(message)
        else:
            if service.update_user(current_user, user, change):
                db.session.commit()
                flash(gettext("Ændringerne for %(user)s er gemt.", user=user.username), "success")
            else:
                flash(gettext("Der var intet at ændre."), "info")
            return redirect(url_for("auth.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/user_form.html", form=form, user=user, role_labels=ROLE_LABELS), status


@bp.route("/admin/users/<int:user_id>/password", methods=["GET", "POST"])
@role_required(ADMINS)
def user_password(user_id: int):
    user = _user_or_404(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        service.reset_password(current_user, user, form.password.data)
        db.session.commit()
        flash(gettext("Ny adgangskode for %(user)s er gemt. Giv den videre på en sikker måde.",
                      user=user.username), "success")
        return redirect(url_for("auth.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/user_password.html", form=form, user=user), status
