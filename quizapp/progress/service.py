"""The rows the progress figures are computed from, for the signed-in student only.

The progress page and the JSON API both read them here; ``quizapp.core.stats`` turns
them into figures.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select

from quizapp.extensions import db
from quizapp.models import Card, Question, Review, User
from quizapp.persistence.bank_queries import IN_BANK

ReviewRow = tuple[datetime, int, str]


def review_rows(user: User) -> list[ReviewRow]:
    """(time, rating, category) of every review in the user's log, retired questions too."""
    rows = db.session.execute(
        select(Review.reviewed_at, Review.rating, Question.category)
        .join(Question, Question.id == Review.question_id)
        .where(Review.user_id == user.id)
    )
    return [(moment, rating, category) for moment, rating, category in rows]


def question_rows(user: User) -> list[tuple[str, int | None, float | None]]:
    """(category, state, stability) of every active question; None where not started."""
    rows = db.session.execute(
        select(Question.category, Card.state, Card.stability, Card.reps)
        .outerjoin(Card, and_(Card.question_id == Question.id, Card.user_id == user.id))
        .where(Question.retired_at.is_(None), IN_BANK)
    )
    return [
        (category, state, stability) if reps else (category, None, None)
        for category, state, stability, reps in rows
    ]
