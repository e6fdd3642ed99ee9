"""A student's classes and assignments: join with a code, see what is due, start it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from quizapp.assignments import bp, service
from quizapp.assignments.forms import JoinForm
from quizapp.models import utcnow
from quizapp.web.accounts import signed_in_user


@bp.before_request
@login_required
def require_login() -> None:
    """Classes and assignments are the signed-in student's own."""


@bp.route("/classes/", methods=["GET", "POST"])
def classes() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    form = JoinForm()
    if form.validate_on_submit():
        refusal = service.code_guessing_refused(signed_in_user())
        if refusal is not None:
            form.code.errors = [f"Too many wrong codes. Wait {refusal.wait}, then try again."]
            return _classes_page(form), 429, refusal.headers
        joined, message = service.join_with_code(signed_in_user(), form.code.data, utcnow())
        if joined is not None:
            flash(message, "success")
            return redirect(url_for("assignments.classes"))
        form.code.errors = [message]
    return _classes_page(form), (400 if form.errors else 200)


def _classes_page(form: JoinForm) -> str:
    return render_template(
        "assignments/classes.html",
        form=form,
        classes=service.classes_of_student(signed_in_user()),
        cards=service.my_assignments(signed_in_user(), utcnow()),
    )


@bp.get("/assignments/<int:assignment_id>")
def detail(assignment_id: int) -> str:
    assignment = service.assignment_for(signed_in_user(), assignment_id)
    if assignment is None:
        abort(404)
    now, student = utcnow(), signed_in_user()
    attempts = service.my_attempts(student, assignment)
    return render_template(
        "assignments/detail.html",
        assignment=assignment,
        attempts=attempts,
        refusal=service.start_refused(student, assignment, now, attempts),
        window=service.window_of(assignment),
        now=now,
    )


@bp.post("/assignments/<int:assignment_id>/start")
def start(assignment_id: int) -> Response:
    assignment = service.assignment_for(signed_in_user(), assignment_id)
    if assignment is None:
        abort(404)
    attempt = service.start_attempt(signed_in_user(), assignment, utcnow())
    if isinstance(attempt, str):
        flash(attempt, "warning")
        return redirect(url_for("assignments.detail", assignment_id=assignment.id))
    return redirect(url_for("quiz.resume", attempt_id=attempt.id))
