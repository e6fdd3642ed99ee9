"""Self-test quizzes: build one, take it question by question, see the results."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from quizapp.core.quiz import QuizSpec
from quizapp.extensions import db
from quizapp.models import QuizAttempt, utcnow
from quizapp.persistence import bank_cache
from quizapp.persistence.bank_queries import tag_counts
from quizapp.quiz import bp, service
from quizapp.quiz.forms import QuizBuilderForm
from quizapp.web.accounts import signed_in_user
from quizapp.web.answers import response_from_form
from quizapp.web.texts import evidence_in_context


@bp.before_request
@login_required
def require_login() -> None:
    """Attempts are the student's own."""


@bp.route("/", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    form = QuizBuilderForm()
    form.tags.choices = [SelectChoice(tag, f"{tag} ({n})") for tag, n in tag_counts()]
    if form.validate_on_submit():
        spec = QuizSpec(
            tuple(form.categories.data or ()),
            tuple(form.tags.data or ()),
            tuple(form.kinds.data or ()),
            form.count.data,
        )
        attempt = service.start_attempt(
            signed_in_user(),
            spec,
            form.feedback.data,
            form.always_choice.data,
            "Custom quiz",
            utcnow(),
        )
        if attempt is not None:
            return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
        form.categories.errors = ["No question matches these choices; widen them."]
    recent = db.session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == signed_in_user().id)
        .order_by(QuizAttempt.started_at.desc())
        .limit(10)
    ).all()
    status = 400 if form.errors else 200
    return render_template("quiz/new.html", form=form, recent=recent), status


@bp.post("/quick")
def quick() -> Response:
    attempt = service.start_attempt(
        signed_in_user(), QuizSpec(), "each", False, "Quick 10-question mix", utcnow()
    )
    if attempt is None:
        flash("The bank has no questions to quiz you on yet.", "warning")
        return redirect(url_for("quiz.new"))
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))


def _attempt_or_404(attempt_id: int) -> QuizAttempt:
    """The student's own attempt, submitted first if its time ran out meanwhile."""
    attempt = service.attempt_for(signed_in_user(), attempt_id)
    if attempt is None:
        abort(404)
    if service.close_if_expired(attempt, utcnow()):
        flash("Time is up: your attempt was submitted with the answers you had given.", "warning")
    return attempt


@bp.get("/<int:attempt_id>")
def resume(attempt_id: int) -> Response:
    attempt = _attempt_or_404(attempt_id)
    position = service.next_position(attempt)
    if position is None:
        return redirect(url_for("quiz.results", attempt_id=attempt.id))
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=position))


@bp.route("/<int:attempt_id>/<int:position>", methods=["GET", "POST"])
def question(attempt_id: int, position: int) -> Any:
    attempt = _attempt_or_404(attempt_id)
    if not 1 <= position <= attempt.total:
        abort(404)
    if position != service.next_position(attempt):
        return redirect(url_for("quiz.resume", attempt_id=attempt.id))
    item = bank_cache.question(attempt.question_ids[position - 1])
    if item is None:
        abort(404)
    errors: list[str] = []
    if request.method == "POST":
        response = response_from_form(item, request.form)
        if response is None:
            errors.append("Place every event exactly once.")
        else:
            verdict = service.record_answer(attempt, position, item, response, utcnow())
            if verdict is not None and attempt.feedback == "each":
                return render_template(
                    "quiz/feedback.html",
                    attempt=attempt,
                    position=position,
                    question=item,
                    verdict=verdict,
                    response=response,
                    evidence=evidence_in_context(item),
                )
            return redirect(url_for("quiz.resume", attempt_id=attempt.id))
    return render_template(
        "quiz/question.html",
        attempt=attempt,
        position=position,
        question=item,
        choices=service.choices_at(attempt, position, item),
        order_items=service.order_items_at(attempt, position, item),
        errors=errors,
    ), (400 if errors else 200)


@bp.get("/<int:attempt_id>/results")
def results(attempt_id: int) -> str | Response:
    attempt = _attempt_or_404(attempt_id)
    if not attempt.is_finished:
        return redirect(url_for("quiz.resume", attempt_id=attempt.id))
    if not service.results_visible(attempt, utcnow()):
        return render_template("quiz/submitted.html", attempt=attempt)
    rows = [(answer, evidence_in_context(answer.question)) for answer in attempt.answers]
    return render_template(
        "quiz/results.html", attempt=attempt, rows=rows, score=service.attempt_score(attempt)
    )


@bp.post("/<int:attempt_id>/deck")
def to_deck(attempt_id: int) -> Response:
    attempt = _attempt_or_404(attempt_id)
    if not attempt.is_finished:
        abort(400)
    if not service.results_visible(attempt, utcnow()):
        abort(403)
    added, already = service.send_missed_to_deck(signed_in_user(), attempt, utcnow())
    message = f"{added} missed question{'' if added == 1 else 's'} added to your study deck"
    if already:
        message += f"; {already} {'was' if already == 1 else 'were'} already in it"
    flash(message + ".", "success")
    return redirect(url_for("quiz.results", attempt_id=attempt.id))
