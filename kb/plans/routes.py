"""Shift plan pages. Only the owner (or an admin) sees and changes a plan; every write needs a planner role."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from kb import models as m
from kb.auth.roles import PLANNERS, role_required
from kb.extensions import db
from kb.models.enums import VERDICT_LABELS
from kb.plans import bp
from kb.plans.forms import ItemForm, PlanForm, QuickAddForm
from kb.plans.service import by_slug, choices, load_plan, own_plan_or_404, summarise
from kb.transfer.sheets import guard


def _fill_choices(form) -> None:
    tasks, professions = choices()
    form.task.choices = tasks
    form.from_profession.choices = professions
    form.to_profession.choices = professions


def _apply_item(form, item: m.ShiftPlanItem) -> None:
    # Look everything up before touching the item, so autoflush never sees it half-filled.
    task = by_slug(m.Task, form.task.data)
    source = by_slug(m.Profession, form.from_profession.data)
    taker = by_slug(m.Profession, form.to_profession.data)
    item.task, item.from_profession, item.to_profession = task, source, taker
    item.occurrences_per_week = float(form.occurrences_per_week.data)
    item.minutes_each = float(form.minutes_each.data)
    item.note = form.note.data or ""


@bp.get("/")
@role_required(PLANNERS)
def index():
    stmt = sa.select(m.ShiftPlan).order_by(m.ShiftPlan.updated_at.desc())
    if current_user.role != "admin":
        stmt = stmt.where(m.ShiftPlan.owner_id == current_user.id)
    return render_template("plans/index.html", plans=db.session.scalars(stmt).all())


@bp.route("/new", methods=["GET", "POST"])
@role_required(PLANNERS)
def new():
    form = PlanForm()
    if form.validate_on_submit():
        plan = m.ShiftPlan(title=form.title.data, unit=form.unit.data or "", notes=form.notes.data or "",
                           hours_per_fte=float(form.hours_per_fte.data), owner_id=current_user.id)
        db.session.add(plan)
        db.session.commit()
        flash(gettext("Planen er oprettet."), "success")
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/form.html", form=form, plan=None)


def _committed() -> bool:
    """Commit; False (and rolled back) when the row's version moved on at the database meanwhile (the mapper's
    optimistic lock), which two saves of the same version racing each other reach."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return False
    return True


@bp.get("/<int:plan_id>")
@role_required(PLANNERS)
def show(plan_id: int):
    return render_template("plans/show.html", summary=summarise(own_plan_or_404(plan_id)))


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@role_required(PLANNERS)
def edit(plan_id: int):
    plan = own_plan_or_404(plan_id)
    form = PlanForm(obj=plan)
    if request.method == "GET":
        form.version_id.data = plan.version_id
    if form.validate_on_submit():
        if str(plan.version_id) != (form.version_id.data or ""):
            # Someone saved the plan since this form was opened: keep the user's input and say so.
            form.title.errors.append(gettext("Planen er ændret af en anden, siden du åbnede den. Dine ændringer "
                                             "er ikke gemt; se den nye version og prøv igen."))
            return render_template("plans/form.html", form=form, plan=plan, conflict=True), 409
        plan.title, plan.unit, plan.notes = form.title.data, form.unit.data or "", form.notes.data or ""
        plan.hours_per_fte = float(form.hours_per_fte.data)
        if not _committed():  # another save of the same version won the race at the database
            form.title.errors.append(gettext("Planen er ændret af en anden, siden du åbnede den. Dine ændringer "
                                             "er ikke gemt; se den nye version og prøv igen."))
            return render_template("plans/form.html", form=form, plan=own_plan_or_404(plan_id), conflict=True), 409
        flash(gettext("Planen er gemt."), "success")
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/form.html", form=form, plan=plan)


@bp.route("/<int:plan_id>/delete", methods=["GET", "POST"])
@role_required(PLANNERS)
def delete(plan_id: int):
    plan = own_plan_or_404(plan_id)
    if request.method == "POST":
        from flask_wtf.csrf import validate_csrf  # the confirmation form carries only the token

        validate_csrf(request.form.get("csrf_token"))
        db.session.delete(plan)
        db.session.commit()
        flash(gettext("Planen '%(title)s' er slettet.", title=plan.title), "success")
        return redirect(url_for("plans.index"))
    return render_template("plans/confirm_delete.html", plan=plan)


@bp.post("/<int:plan_id>/copy")
@role_required(PLANNERS)
def copy(plan_id: int):
    plan = own_plan_or_404(plan_id)
    twin = m.ShiftPlan(title=gettext("Kopi af %(title)s", title=plan.title)[:300], unit=plan.unit, notes=plan.notes,
                       hours_per_fte=plan.hours_per_fte, owner_id=current_user.id,
                       items=[m.ShiftPlanItem(task=i.task, from_profession=i.from_profession,
                                              to_profession=i.to_profession, note=i.note,
                                              occurrences_per_week=i.occurrences_per_week,
                                              minutes_each=i.minutes_each) for i in plan.items])
    db.session.add(twin)
    db.session.commit()
    flash(gettext("Planen er kopieret."), "success")
    return redirect(url_for("plans.show", plan_id=twin.id))


@bp.route("/<int:plan_id>/items/new", methods=["GET", "POST"])
@role_required(PLANNERS)
def new_item(plan_id: int):
    plan = own_plan_or_404(plan_id)
    form = ItemForm(formdata=request.form if request.method == "POST" else request.args or None)
    _fill_choices(form)
    if request.method == "POST" and form.validate():
        item = m.ShiftPlanItem()
        _apply_item(form, item)
        item.plan = plan
        db.session.add(item)
        db.session.commit()
        flash(gettext("Opgaven er føjet til planen."), "success")
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/item_form.html", form=form, plan=plan, item=None)


@bp.route("/<int:plan_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@role_required(PLANNERS)
def edit_item(plan_id: int, item_id: int):
    plan = own_plan_or_404(plan_id)
    item = next((i for i in plan.items if i.id == item_id), None) or abort(404)
    form = ItemForm(data=None if request.method == "POST" else {
        "task": item.task.slug, "from_profession": item.from_profession.slug, "to_profession": item.to_profession.slug,
        "occurrences_per_week": Decimal(str(item.occurrences_per_week)), "minutes_each": Decimal(str(item.minutes_each)),
        "note": item.note, "version_id": item.version_id})
    _fill_choices(form)
    if form.validate_on_submit():
        stale = str(item.version_id) != (form.version_id.data or "")
        if not stale:
            _apply_item(form, item)
            stale = not _committed()
        if stale:  # saved by someone else (or another tab) since this form was opened: keep the input, say so
            form.occurrences_per_week.errors.append(gettext(
                "Linjen er ændret af en anden, siden du åbnede den. Dine ændringer er ikke gemt; se den nye version "
                "og prøv igen."))
            plan = own_plan_or_404(plan_id)
            return render_template("plans/item_form.html", form=form, plan=plan,
                                   item=next(i for i in plan.items if i.id == item_id), conflict=True), 409
        flash(gettext("Linjen er gemt."), "success")
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/item_form.html", form=form, plan=plan, item=item)


@bp.post("/<int:plan_id>/items/<int:item_id>/delete")
@role_required(PLANNERS)
def delete_item(plan_id: int, item_id: int):
    from flask_wtf.csrf import validate_csrf

    validate_csrf(request.form.get("csrf_token"))
    plan = own_plan_or_404(plan_id)
    item = next((i for i in plan.items if i.id == item_id), None) or abort(404)
    db.session.delete(item)
    db.session.commit()
    flash(gettext("Linjen er fjernet."), "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.post("/add")
@role_required(PLANNERS)
def quick_add():
    """From 'Flyt opgaver væk fra …': add one task to an existing plan or to a new one."""
    form = QuickAddForm()
    _fill_choices(form)
    own = db.session.scalars(sa.select(m.ShiftPlan).where(m.ShiftPlan.owner_id == current_user.id)).all()
    form.plan.choices = [("new", gettext("Ny plan")), *((str(p.id), p.title) for p in own)]
    if form.validate_on_submit():
        if form.plan.data == "new":
            plan = m.ShiftPlan(title=gettext("Ny plan"), owner_id=current_user.id)
            db.session.add(plan)
        else:
            plan = own_plan_or_404(int(form.plan.data))
        item = m.ShiftPlanItem()
        _apply_item(form, item)
        item.plan = plan
        db.session.add(item)
        db.session.commit()
        flash(gettext("'%(task)s' er føjet til planen '%(plan)s'.", task=item.task.title, plan=plan.title), "success")
        return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/item_form.html", form=form, plan=None, item=None, quick=True), 400


@bp.get("/<int:plan_id>.csv")
@role_required(PLANNERS)
def export_csv(plan_id: int):
    summary = summarise(own_plan_or_404(plan_id))
    out = io.StringIO()
    out.write("\ufeff")  # BOM so Excel reads UTF-8 (æøå)
    writer = csv.writer(out, delimiter=";")
    writer.writerow([gettext("opgave"), gettext("fra"), gettext("til"), gettext("gange_pr_uge"),
                     gettext("minutter_pr_gang"), gettext("timer_pr_uge"), gettext("afgørelse"),
                     gettext("betingelser"), gettext("mangler_kompetencer")])
    for check in summary.checks:
        i, r = check.item, check.result
        # Text from the knowledge base is guarded as the transfer export guards it: a title "=HYPERLINK(…)" stays
        # text in the planner's spreadsheet instead of running as a formula.
        writer.writerow([guard(i.task.title), guard(i.from_profession.name), guard(i.to_profession.name),
                         f"{i.occurrences_per_week:g}", f"{i.minutes_each:g}", f"{i.hours_per_week:.2f}",
                         str(VERDICT_LABELS[r.verdict.value]), guard(" | ".join(r.conditions)),
                         guard(" | ".join(mc.name for mc in r.missing_competences))])
    filename = f"plan-{summary.plan.id}.csv"
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
