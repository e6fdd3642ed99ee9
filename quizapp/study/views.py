"""Spaced-repetition study: show a card, check the answer, save the rating, undo."""

from __future__ import annotations

import time
from typing import Any

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_required
from fsrs import Rating
from werkzeug.wrappers import Response

from quizapp.core.scheduling import (
    format_interval,
    next_intervals,
    propose_grade,
)
from quizapp.models import Question, utcnow
from quizapp.persistence import bank_cache, connections
from quizapp.study import bp, service
from quizapp.study.forms import AnswerForm, ReviewForm
from quizapp.web.accounts import signed_in_user
from quizapp.web.answers import response_from_form, shuffled
from quizapp.web.texts import evidence_in_context

MAX_DURATION_MS = 10 * 60 * 1000


@bp.before_request
@login_required
def require_login() -> None:
    """Every study page is the signed-in student's own."""


@bp.get("/")
@connections.reads_only
def show() -> str:
    now = utcnow()
    user = signed_in_user()
    wanted = session.pop("undo_question", None)
    following = None
    if wanted:
        question = bank_cache.active_question(wanted)
        if question is not None:
            card = service.card_for(user, wanted)
            following = service.Next(question, card, card is None)
    day = service.today(user, now)  # read once, for the queue and the day's bar
    if following is None:
        following = service.next_card(user, now, session.get("last_question"), day)
    if following is None:
        return render_template("study/done.html", summary=service.day_summary(user, now))
    form = AnswerForm(
        formdata=None,  # never the rating's fields, when a rating's answer is this card
        question_id=following.question.id,
        presentation=following.presentation,
        shown_at=str(int(time.time() * 1000)),
    )
    return _front(following.question, form, following.is_new, following.card, day=day)


def _front(
    question: Question,
    form: AnswerForm,
    is_new: bool,
    card: Any,
    status: int = 200,
    day: service.Day | None = None,
) -> Any:
    user = signed_in_user()
    seed = f"{user.id}:{form.presentation.data}"
    choices = shuffled(question.choices or [], seed)
    order_items = shuffled(question.answer, seed) if question.kind == "order" else []
    page = render_template(
        "study/front.html",
        question=question,
        form=form,
        is_new=is_new,
        choices=choices,
        order_items=order_items,
        leech=service.card_is_leech(card),
        answer_mode=user.answer_mode,
        day=service.day_progress(user, utcnow(), day),
    )
    return page, status


@bp.post("/answer")
def answer() -> Any:
    user = signed_in_user()
    form = AnswerForm()
    question = _question_or_404(form.question_id.data)
    if not form.validate_on_submit():
        return _front(question, form, False, None, status=400)
    card = service.card_for(user, question.id)
    if form.presentation.data != service.presentation_key(question.id, card.reps if card else 0):
        flash("That card was already answered; here is the next one.", "info")
        return redirect(url_for("study.show"))
    duration_ms = _duration(form.shown_at.data)
    flipped = bool(form.flip.data)
    response = None if flipped else response_from_form(question, request.form)
    if not flipped and question.kind == "order" and response is None:
        form.response.errors = ["Place every event exactly once."]
        return _front(question, form, card is None, card, status=400)
    verdict = service.regrade(question, response) if response is not None else None
    proposed = (
        propose_grade(verdict.correct, verdict.near_miss, duration_ms / 1000) if verdict else None
    )
    now = utcnow()
    intervals = next_intervals(service.card_state(card), now, user.desired_retention)
    review_form = ReviewForm(
        question_id=question.id,
        presentation=form.presentation.data,
        response=response or "",
        duration_ms=str(duration_ms),
    )
    return render_template(
        "study/back.html",
        question=question,
        verdict=verdict,
        response=response,
        proposed=proposed or Rating.Good,
        suggested=proposed is not None,
        grades=list(Rating),
        intervals={g: format_interval(i) for g, i in intervals.items()},
        form=review_form,
        leech=service.card_is_leech(card),
        evidence=evidence_in_context(question),
        day=service.day_progress(user, now),
    )


def _duration(shown_at: str | None) -> int:
    """Milliseconds since the card was shown (``shown_at``: epoch ms), 0 if unknown."""
    shown = _whole_number(shown_at)
    return 0 if shown is None else _clamp_duration(int(time.time() * 1000) - shown)


def _whole_number(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


def _clamp_duration(milliseconds: int) -> int:
    """A time taken, never negative (clock skew) nor past ten minutes (a walk away)."""
    return min(max(milliseconds, 0), MAX_DURATION_MS)


@bp.post("/review")
def save_review() -> Response:
    """Record a rating, then redirect to the next card (or, asked by study.js with
    ``X-Next-Card: inline``, answer with it directly)."""
    user = signed_in_user()
    form = ReviewForm()
    if not form.validate_on_submit():
        flash("Choose one of the four ratings.", "error")
        return _after_rating()
    question = _question_or_404(form.question_id.data)
    response = form.response.data if form.response.data else None
    given = _whole_number(form.duration_ms.data)
    duration = None if given is None else _clamp_duration(given)
    saved = service.record_review(
        user,
        question,
        form.presentation.data,
        Rating(form.rating.data),
        response,
        duration,
        utcnow(),
    )
    if saved is None:
        flash("That answer was already recorded.", "info")
    session["last_question"] = question.id
    return _after_rating()


#: study.js asks with this header for the next card in the answer to a rating.
NEXT_CARD_HEADER = "X-Next-Card"


def _after_rating() -> Response:
    """The page after a rating (the next card, or the session's end): a redirect to it,
    or, asked by study.js, the page itself, one round trip a card instead of two. Its
    address then goes in ``X-Study-Page`` for the script to show, so a reload asks for
    the page afresh and never posts the rating again."""
    if request.headers.get(NEXT_CARD_HEADER) != "inline":
        return redirect(url_for("study.show"))
    connections.read_outside_transaction()  # the rating is committed; the rest only reads
    page = make_response(show())
    page.headers["X-Study-Page"] = url_for("study.show")
    return page


@bp.post("/undo")
def undo() -> Response:
    question_id = service.undo_last_review(signed_in_user())
    if question_id is None:
        flash("There is nothing to undo.", "info")
    else:
        session["undo_question"] = question_id
        session.pop("last_question", None)
        flash("Your last review was undone. Here is that card again.", "success")
    return redirect(url_for("study.show"))


def _question_or_404(question_id: str | None) -> Question:
    question = bank_cache.question(question_id)
    if question is None:
        abort(404)
    return question
