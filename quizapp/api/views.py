"""The API's views, one function per route of ``routing.ROUTES`` (which imports this
module on the first API request). Each is documented and validated by spectree from
its models; the work is done by ``service`` over the other areas' services.

Every route but the document and its docs page needs a personal access token (the
session cookie is never read), and counts against that token's rate limit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, current_app, g, render_template, request

from quizapp.api import docs as docs_page
from quizapp.api import schemas, service
from quizapp.api.errors import ApiError
from quizapp.api.routing import OPEN_ENDPOINTS, required_scope
from quizapp.api.spec import api_spec, documented
from quizapp.assignments import service as assignments_service
from quizapp.core.scopes import Scope, grants
from quizapp.extensions import db
from quizapp.models import Question, User, utcnow
from quizapp.teach import service as teach_service


def authenticate() -> None:
    """A token, and only a token, signs a request in; then it counts against the limit,
    and must hold the scope the route needs (a read-only token cannot write). Run before
    every API view (``routing`` registers it)."""
    if request.endpoint in OPEN_ENDPOINTS:
        return
    token = service.authenticate(request.headers.get("Authorization"))
    config = current_app.config
    usage = service.count_request(
        token,
        utcnow(),
        config["API_RATE_LIMIT"],
        timedelta(seconds=config["API_RATE_WINDOW_SECONDS"]),
    )
    g.api_usage = usage
    if usage.used > usage.limit:
        wait = max(int((usage.resets_at - utcnow()).total_seconds()) + 1, 1)
        raise ApiError(
            429,
            "rate_limited",
            f"This token made more than {usage.limit} requests in "
            f"{config['API_RATE_WINDOW_SECONDS']} seconds. Wait {wait} s and try again.",
            headers={"Retry-After": str(wait)},
        )
    needed = required_scope(request.endpoint)
    if not grants(Scope(token.scope), needed):
        raise service.insufficient_scope(request.method, needed)
    g.api_user = token.user


def api_user() -> User:
    user: User = g.api_user
    return user


def teacher() -> User:
    user = api_user()
    if not user.is_teacher:
        raise ApiError(403, "forbidden", "Only teachers may read this.")
    return user


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"No such {what} of yours.")


# ---------------------------------------------------------------- the document and its docs


def openapi() -> Response:
    """The OpenAPI 3.1 document, generated from the code."""
    return current_app.json.response(api_spec.spec)


def docs() -> str:
    """The API's reference, rendered on the server from the same document."""
    spec = api_spec.spec
    return render_template(
        "api/docs.html",
        spec=spec,
        operations=docs_page.operations(spec),
        models=docs_page.models(spec),
        type_label=docs_page.type_label,
        notes=docs_page.notes,
        inline_code=docs_page.inline_code,
    )


# ---------------------------------------------------------------- the account and the bank


@api_spec.validate(resp=documented(schemas.Me), tags=["account"])
def me() -> schemas.Me:
    """The token's account and study settings."""
    return service.me(api_user())


@api_spec.validate(resp=documented(schemas.QuestionPage), tags=["bank"])
def bank_questions(query: schemas.BankQuery) -> schemas.QuestionPage:
    """The bank's active questions, filtered and a page at a time.

    Filters combine: a category, a kind, a tag and words that must all occur.
    """
    return service.bank_page(query)


@api_spec.validate(resp=documented(schemas.QuestionOut, 200, 404), tags=["bank"])
def bank_question(question_id: str) -> schemas.QuestionOut:
    """One question, with its answer, evidence and note (retired ones too)."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise ApiError(404, "not_found", "No such question in the bank.")
    return service.question_out(question)


# ---------------------------------------------------------------- study


@api_spec.validate(resp=documented(schemas.NextCard), tags=["study"])
def study_next(query: schemas.NextQuery) -> schemas.NextCard:
    """The next card to study: due reviews first, then new cards within the day's limits."""
    return service.next_card(api_user(), utcnow(), query.after)


@api_spec.validate(
    resp=documented(schemas.ReviewOut, 201, 403, 404, 409, 413, 415, also_ok=True),
    tags=["study"],
)
def study_review(json: schemas.ReviewIn, headers: schemas.IdempotencyHeaders) -> Any:
    """Record a review of the card `/study/next` gave, with the card state it leads to.

    Idempotent by the `Idempotency-Key` header: a retry with the same key and review
    returns the first result (200, `replayed: true`) and never records a second one;
    the same key with another review is a 409. A presentation already answered is a
    409 too. Answers `201` for a new review. Needs a read-and-write token: a read-only
    one gets a 403.
    """
    if json is None:  # type: ignore[unreachable]  # spectree reads no JSON from a form body
        raise ApiError(415, "unsupported_media_type", "Send the review as application/json.")
    review, created = service.submit_review(api_user(), headers.idempotency_key, json, utcnow())
    return review, (201 if created else 200)


# ---------------------------------------------------------------- progress and exam


@api_spec.validate(resp=documented(schemas.Progress), tags=["progress"])
def progress() -> schemas.Progress:
    """The figures of the Progress page: reviews per day, cards coming due, accuracy and
    mastery by category."""
    return service.progress(api_user(), utcnow())


@api_spec.validate(resp=documented(schemas.ExamOut), tags=["progress"])
def exam() -> schemas.ExamOut:
    """The exam plan in force (the student's own, else their class's) and readiness:
    the predicted share of the scope recalled on exam day."""
    return service.exam(api_user(), utcnow())


# ---------------------------------------------------------------- a student's assignments


@api_spec.validate(resp=documented(schemas.AssignmentList), tags=["assignments"])
def assignments() -> schemas.AssignmentList:
    """The assignments of the token's classes, what needs doing first, with attempts."""
    cards = assignments_service.my_assignments(api_user(), utcnow())
    return schemas.AssignmentList(
        items=[service.assignment_out(c.assignment, c.status, c.attempts) for c in cards]
    )


@api_spec.validate(resp=documented(schemas.AssignmentOut, 200, 404), tags=["assignments"])
def assignment(assignment_id: int) -> schemas.AssignmentOut:
    """One assignment of the token's classes, with its status and attempts."""
    user, now = api_user(), utcnow()
    found = assignments_service.assignment_for(user, assignment_id)
    if found is None:
        raise not_found("assignment")
    card = next(c for c in assignments_service.my_assignments(user, now) if c.assignment == found)
    return service.assignment_out(found, card.status, card.attempts)


# ---------------------------------------------------------------- a teacher's sets and classes


@api_spec.validate(resp=documented(schemas.QuizSetList, 200, 403), tags=["teaching"])
def quiz_sets() -> schemas.QuizSetList:
    """The teacher's quiz sets."""
    return schemas.QuizSetList(
        items=[service.quiz_set_out(s) for s in teach_service.sets_of(teacher())]
    )


@api_spec.validate(resp=documented(schemas.QuizSetOut, 200, 403, 404), tags=["teaching"])
def quiz_set(set_id: int) -> schemas.QuizSetOut:
    """One of the teacher's quiz sets, with its questions and rules."""
    found = teach_service.owned_set(teacher(), set_id)
    if found is None:
        raise not_found("quiz set")
    return service.quiz_set_out(found)


@api_spec.validate(resp=documented(schemas.ClassList, 200, 403), tags=["teaching"])
def classes() -> schemas.ClassList:
    """The classes the teacher runs, with their assignments' ids."""
    return service.classes(teacher())


@api_spec.validate(resp=documented(schemas.ClassGradebookOut, 200, 403, 404), tags=["teaching"])
def class_gradebook(class_id: int) -> schemas.ClassGradebookOut:
    """Students by assignments: each best percent, with averages."""
    found = teach_service.owned_class(teacher(), class_id)
    if found is None:
        raise not_found("class")
    return service.class_gradebook(found)


@api_spec.validate(resp=documented(schemas.AssignmentGradebook, 200, 403, 404), tags=["teaching"])
def assignment_gradebook(assignment_id: int) -> schemas.AssignmentGradebook:
    """Every student of the class on one assignment: status, best score, time, attempts."""
    found = teach_service.owned_assignment(teacher(), assignment_id)
    if found is None:
        raise not_found("assignment")
    return service.assignment_gradebook(found)


@api_spec.validate(resp=documented(schemas.ItemAnalysis, 200, 403, 404), tags=["teaching"])
def item_analysis(assignment_id: int) -> schemas.ItemAnalysis:
    """Item analysis from each student's first submitted attempt: facility,
    discrimination, the commonest wrong answers and flags."""
    found = teach_service.owned_assignment(teacher(), assignment_id)
    if found is None:
        raise not_found("assignment")
    return service.item_analysis(found)
