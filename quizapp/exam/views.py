"""Exam revision: set the exam's date and scope, and see readiness for that day."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from quizapp.core.days import study_day
from quizapp.core.readiness import (
    days_left,
    in_revision_window,
    is_active,
    new_card_plan,
)
from quizapp.exam import bp, service
from quizapp.exam.forms import ExamForm
from quizapp.extensions import db
from quizapp.models import ExamPlan, Question, User, utcnow
from quizapp.persistence.bank_queries import tag_counts
from quizapp.web.accounts import signed_in_user

#: How many cards each list on the exam page names (the counts cover them all).
LIST_LENGTH = 10


@bp.before_request
@login_required
def require_login() -> None:
    """Each student's plan is their own."""


@bp.route("/", methods=["GET", "POST"])
def plan() -> str | Response:
    user = signed_in_user()
    now = utcnow()
    today = study_day(now, user.timezone)
    existing = service.own_plan(user)
    from_class = None if existing else service.class_exam(user, today)
    form = ExamForm(obj=existing, today=today)
    form.tags.choices = [SelectChoice(tag, tag) for tag, _ in tag_counts()]
    if form.validate_on_submit():
        if existing is None:
            existing = ExamPlan(user_id=user.id, created_at=now)
            db.session.add(existing)
        existing.exam_date = form.exam_date.data
        existing.categories = list(form.categories.data or [])
        existing.tags = list(form.tags.data or [])
        db.session.commit()
        flash("Exam plan saved. Your study sessions now pace towards it.", "success")
        return redirect(url_for("exam.plan"))
    in_force = existing or (service.plan_from_class(user, from_class) if from_class else None)
    return render_template(
        "exam/plan.html", form=form, from_class=from_class, **_summary(user, in_force, now)
    )


def _summary(user: User, plan: ExamPlan | None, now: Any) -> dict[str, Any]:
    if plan is None:
        return {"plan": None}
    today = study_day(now, user.timezone)
    forecast = service.exam_readiness(user, plan)
    weakest = forecast.weakest_studied(LIST_LENGTH)
    unstudied = forecast.unstudied(LIST_LENGTH)
    prompts = dict(
        db.session.execute(
            select(Question.id, Question.prompt).where(
                Question.id.in_([card.question_id for card in (*weakest, *unstudied)])
            )
        ).all()
    )
    scope = service.scope_question_ids(plan)
    remaining = service.remaining_new(user, plan)
    return {
        "plan": plan,
        "active": is_active(today, plan.exam_date),
        "days_left": days_left(today, plan.exam_date),
        "readiness": forecast,
        "weakest": [(card, prompts.get(card.question_id, card.question_id)) for card in weakest],
        "unstudied": [(c, prompts.get(c.question_id, c.question_id)) for c in unstudied],
        "scope_size": len(scope),
        "remaining_new": remaining,
        "pacing": new_card_plan(remaining, today, plan.exam_date, user.new_per_day),
        "revising": in_revision_window(today, plan.exam_date),
    }


@bp.post("/clear")
def clear() -> Response:
    plan = service.own_plan(signed_in_user())
    if plan is not None:
        db.session.delete(plan)
        db.session.commit()
        flash("Exam plan removed; normal scheduling resumes.", "success")
    return redirect(url_for("exam.plan"))
