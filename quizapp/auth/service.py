"""Accounts as other areas use them: personal access tokens for the API, a student's
own data to take away, and deleting an account with everything that is its own.

Tokens are ``qzp_`` and 43 URL-safe characters (``secrets.token_urlsafe(32)``); only
their SHA-256 is stored, with the first characters as a prefix the owner can recognise.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from quizapp.auth.security import forget_counts
from quizapp.core.exports.tabular import spreadsheet_safe
from quizapp.core.scopes import DEFAULT_SCOPE, Scope
from quizapp.extensions import db
from quizapp.models import (
    ApiReviewKey,
    ApiToken,
    Card,
    ExamPlan,
    Membership,
    QuizAnswer,
    QuizAttempt,
    QuizSet,
    Review,
    SchoolClass,
    User,
)

TOKEN_PREFIX = "qzp_"  # noqa: S105  (a label, not a secret)
#: What the owner sees of a token after it was shown once: ``qzp_`` and 6 characters.
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6
#: Tokens one account may hold at once (each has its own rate limit).
MAX_TOKENS = 10


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at, ApiToken.id)
        )
    )


def create_token(
    user: User, name: str, now: datetime, scope: Scope = DEFAULT_SCOPE
) -> tuple[ApiToken, str] | str:
    """A new token for ``user``, read-only unless ``scope`` says otherwise: the stored
    row and the token itself (shown once), or why not (the account already holds
    ``MAX_TOKENS``)."""
    held = db.session.scalar(
        select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)
    )
    if (held or 0) >= MAX_TOKENS:
        return f"You already have {MAX_TOKENS} tokens. Revoke one you no longer use first."
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=raw[:SHOWN_PREFIX_LENGTH],
        token_hash=token_hash(raw),
        created_at=now,
        scope=scope.value,
    )
    db.session.add(token)
    db.session.commit()
    return token, raw


def revoke_token(user: User, token_id: int) -> bool:
    """Delete one of the user's tokens; False if they hold no such token."""
    result = db.session.execute(
        delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def token_for(raw: str) -> ApiToken | None:
    """The stored token a request presents, if it is a well-formed, live token."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(raw)))


# ---------------------------------------------------------------- one's own data

SETTINGS_FIELDS = (
    "username",
    "display_name",
    "role",
    "timezone",
    "answer_mode",
    "desired_retention",
    "new_per_day",
    "max_reviews_per_day",
    "study_categories",
    "created_at",
)
#: The review history CSV's columns, in order (documented in the README).
REVIEW_CSV_COLUMNS = (
    "reviewed_at_utc",
    "question_id",
    "rating",
    "rating_label",
    "was_new",
    "response",
    "correct",
    "near_miss",
    "duration_ms",
    "desired_retention",
)
RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def _moment(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


def settings_of(user: User) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(user, name) for name in SETTINGS_FIELDS}
    values["study_categories"] = list(user.study_categories or [])
    values["created_at"] = _moment(user.created_at)
    return values


def _reviews(user: User) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review).where(Review.user_id == user.id).order_by(Review.reviewed_at, Review.id)
        )
    )


def _review_record(review: Review) -> dict[str, Any]:
    return {
        "reviewed_at_utc": _moment(review.reviewed_at),
        "question_id": review.question_id,
        "rating": review.rating,
        "rating_label": RATING_LABELS.get(review.rating, str(review.rating)),
        "was_new": review.was_new,
        "response": review.response,
        "correct": review.correct,
        "near_miss": review.near_miss,
        "duration_ms": review.duration_ms,
        "desired_retention": review.desired_retention,
    }


def own_data(user: User) -> dict[str, Any]:
    """Everything the app keeps of a student's own: settings, exam plan, classes, cards,
    the whole review log and every quiz attempt with its answers."""
    plan = db.session.scalar(select(ExamPlan).where(ExamPlan.user_id == user.id))
    classes = db.session.execute(
        select(SchoolClass.name, Membership.joined_at)
        .join(Membership, Membership.class_id == SchoolClass.id)
        .where(Membership.user_id == user.id)
        .order_by(SchoolClass.name)
    )
    cards = db.session.scalars(
        select(Card).where(Card.user_id == user.id).order_by(Card.question_id)
    )
    attempts = db.session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at, QuizAttempt.id)
    )
    return {
        "format": "quizapp-own-data",
        "version": 1,
        "settings": settings_of(user),
        "exam_plan": None
        if plan is None
        else {
            "exam_date": plan.exam_date.isoformat(),
            "categories": list(plan.categories or []),
            "tags": list(plan.tags or []),
        },
        "classes": [{"name": name, "joined_at": _moment(joined)} for name, joined in classes],
        "cards": [
            {
                "question_id": card.question_id,
                "state": card.state,
                "step": card.step,
                "stability": card.stability,
                "difficulty": card.difficulty,
                "due": _moment(card.due),
                "last_review": _moment(card.last_review),
                "reps": card.reps,
                "lapses": card.lapses,
            }
            for card in cards
        ],
        "reviews": [_review_record(review) for review in _reviews(user)],
        "quiz_attempts": [
            {
                "title": attempt.title,
                "assignment_id": attempt.assignment_id,
                "started_at": _moment(attempt.started_at),
                "finished_at": _moment(attempt.finished_at),
                "score": attempt.score,
                "out_of": attempt.total,
                "late": attempt.late,
                "answers": [
                    {
                        "question_id": answer.question_id,
                        "response": answer.response,
                        "correct": answer.correct,
                    }
                    for answer in attempt.answers
                ],
            }
            for attempt in attempts
        ],
    }


def _safe(value: object) -> object:
    """Text a spreadsheet shows as text (no formula from a typed answer)."""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def reviews_csv(user: User) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REVIEW_CSV_COLUMNS)
    for review in _reviews(user):
        record = _review_record(review)
        writer.writerow([_safe(record[column]) for column in REVIEW_CSV_COLUMNS])
    return out.getvalue()


def settings_csv(user: User) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("setting", "value"))
    for name, value in settings_of(user).items():
        shown = " ".join(value) if isinstance(value, list) else value
        writer.writerow((name, _safe(shown)))
    return out.getvalue()


# ---------------------------------------------------------------- deleting an account


def classes_owned(user: User) -> list[str]:
    """The names of the classes a teacher runs: their students' assignments and grades
    hang on them, so an account that owns any is not deleted."""
    return list(
        db.session.scalars(
            select(SchoolClass.name)
            .where(SchoolClass.teacher_id == user.id)
            .order_by(SchoolClass.name)
        )
    )


def delete_account(user: User) -> None:
    """Delete the account and all that is its own, in one transaction: API keys and
    tokens, reviews, cards, quiz attempts and their answers, class memberships, the exam
    plan, quiz sets (a teacher's, never assigned: classes block deletion), the sign-in
    failures kept for its username, and the account itself."""
    if classes_owned(user):
        raise ValueError("an account that owns classes is not deleted")
    attempts = select(QuizAttempt.id).where(QuizAttempt.user_id == user.id)
    forget_counts(user)
    for statement in (
        delete(ApiReviewKey).where(ApiReviewKey.user_id == user.id),
        delete(ApiToken).where(ApiToken.user_id == user.id),
        delete(Review).where(Review.user_id == user.id),
        delete(Card).where(Card.user_id == user.id),
        delete(QuizAnswer).where(QuizAnswer.attempt_id.in_(attempts)),
        delete(QuizAttempt).where(QuizAttempt.user_id == user.id),
        delete(Membership).where(Membership.user_id == user.id),
        delete(ExamPlan).where(ExamPlan.user_id == user.id),
        delete(QuizSet).where(QuizSet.teacher_id == user.id),
        delete(User).where(User.id == user.id),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    db.session.commit()
