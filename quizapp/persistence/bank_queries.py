"""Reading the bank from the database: filtered questions and tag counts, for every area."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from quizapp.extensions import db
from quizapp.models import Question, QuestionTag

#: The shipped bank: every question but the teachers' own (imported) ones.
IN_BANK = Question.owner_id.is_(None)


def active_questions(
    search: str = "", category: str = "", kind: str = "", tag: str = ""
) -> Select[tuple[Question]]:
    """Questions still in the bank, narrowed by every filter that is set.

    Each word of ``search`` must occur somewhere in the question's text.
    """
    query = select(Question).where(Question.retired_at.is_(None), IN_BANK)
    for word in search.casefold().split():
        query = query.where(Question.search_text.contains(word, autoescape=True))
    if category:
        query = query.where(Question.category == category)
    if kind:
        query = query.where(Question.kind == kind)
    if tag:
        query = query.where(
            Question.id.in_(select(QuestionTag.question_id).where(QuestionTag.tag == tag))
        )
    return query.order_by(Question.category, Question.id)


def tag_counts() -> list[tuple[str, int]]:
    """Every tag used by an active question, with how many use it."""
    rows = db.session.execute(
        select(QuestionTag.tag, func.count())
        .join(Question)
        .where(Question.retired_at.is_(None), IN_BANK)
        .group_by(QuestionTag.tag)
        .order_by(QuestionTag.tag)
    )
    return [(tag, count) for tag, count in rows]


def has_tag(tag: str) -> bool:
    """Whether an active question of the shipped bank carries ``tag`` (as ``tag_counts``
    would list it)."""
    found = db.session.scalar(
        select(QuestionTag.tag)
        .join(Question)
        .where(QuestionTag.tag == tag, Question.retired_at.is_(None), IN_BANK)
        .limit(1)
    )
    return found is not None


def category_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(Question.category, func.count())
        .where(Question.retired_at.is_(None), IN_BANK)
        .group_by(Question.category)
    )
    return {category: count for category, count in rows}
