"""Quiz persistence: starting an attempt, recording answers once, scoring, the deck."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quizapp.core.assignments import past_deadline
from quizapp.core.bank import BankQuestion
from quizapp.core.grading import Verdict, grade
from quizapp.core.quiz import QuizScore, QuizSpec, choices_for, draw, score
from quizapp.extensions import db
from quizapp.models import Card, Question, QuizAnswer, QuizAttempt, User
from quizapp.persistence.bank_queries import IN_BANK


def active_pool() -> list[BankQuestion]:
    rows = db.session.scalars(select(Question).where(Question.retired_at.is_(None), IN_BANK))
    return [row.to_core() for row in rows]


def start_attempt(
    user: User, spec: QuizSpec, feedback: str, always_choice: bool, title: str, now: datetime
) -> QuizAttempt | None:
    """Draw the questions and freeze them in a new attempt; None if nothing matches."""
    drawn = draw(active_pool(), spec, random.Random())
    if not drawn:
        return None
    attempt = QuizAttempt(
        user_id=user.id,
        title=title,
        question_ids=drawn,
        feedback=feedback,
        started_at=now,
        settings={
            "categories": list(spec.categories),
            "tags": list(spec.tags),
            "kinds": list(spec.kinds),
            "count": spec.count,
            "always_choice": always_choice,
        },
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def attempt_for(user: User, attempt_id: int) -> QuizAttempt | None:
    """The attempt, only if it is this student's own."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user.id else None


def next_position(attempt: QuizAttempt) -> int | None:
    """The first unanswered question (1-based), or None when all are answered."""
    answered = {answer.position for answer in attempt.answers}
    for position in range(1, attempt.total + 1):
        if position not in answered:
            return position
    return None


def choices_at(attempt: QuizAttempt, position: int, question: Question) -> list[str]:
    """The options shown at a position: fixed per attempt and position, so reloads agree."""
    rng = random.Random(f"{attempt.id}:{position}")
    always = bool(attempt.settings.get("always_choice"))
    pool = active_pool() if always and question.kind != "choice" else []
    return choices_for(question.to_core(), pool, rng, always)


def order_items_at(attempt: QuizAttempt, position: int, question: Question) -> list[str]:
    if question.kind != "order":
        return []
    items = list(question.answer)
    random.Random(f"order:{attempt.id}:{position}").shuffle(items)
    return items


def close_if_expired(attempt: QuizAttempt, now: datetime) -> bool:
    """Submit an attempt whose deadline has passed, as it stands; True if it did.

    Questions left unanswered count as wrong, and the attempt is finished at
    its deadline, so nothing sent later can change it.
    """
    if attempt.is_finished or attempt.deadline_at is None:
        return False
    if not past_deadline(attempt.deadline_at, now):
        return False
    answered = {answer.position for answer in attempt.answers}
    for position, question_id in enumerate(attempt.question_ids, start=1):
        if position not in answered:
            attempt.answers.append(
                QuizAnswer(
                    position=position,
                    question_id=question_id,
                    response="",
                    correct=False,
                    answered_at=attempt.deadline_at,
                )
            )
    _finish(attempt, attempt.deadline_at)
    try:
        db.session.commit()
    except IntegrityError:  # another request closed or answered it first
        db.session.rollback()
    return True


def _finish(attempt: QuizAttempt, at: datetime) -> None:
    attempt.finished_at = at
    attempt.score = sum(1 for answer in attempt.answers if answer.correct)
    if attempt.assignment is not None and at > attempt.assignment.due_at:
        attempt.late = True


def results_visible(attempt: QuizAttempt, now: datetime) -> bool:
    """Whether the right answers may be shown yet (an assignment may hold them
    back until its due date, so early finishers cannot pass them on)."""
    if attempt.feedback != "after_due" or attempt.assignment is None:
        return True
    return now >= attempt.assignment.due_at


def record_answer(
    attempt: QuizAttempt, position: int, question: Question, response: str, now: datetime
) -> Verdict | None:
    """Grade and keep the answer for one position; None if it was already answered
    or the attempt is over (finished, or past its deadline)."""
    if close_if_expired(attempt, now):
        return None
    if attempt.is_finished or any(a.position == position for a in attempt.answers):
        return None
    verdict = grade(question.to_core(), response)
    attempt.answers.append(
        QuizAnswer(
            position=position,
            question_id=question.id,
            response=response,
            correct=verdict.correct,
            near_miss=verdict.near_miss,
            answered_at=now,
        )
    )
    if next_position(attempt) is None:
        _finish(attempt, now)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return verdict


def attempt_score(attempt: QuizAttempt) -> QuizScore:
    return score((answer.question.category, answer.correct) for answer in attempt.answers)


def send_missed_to_deck(user: User, attempt: QuizAttempt, now: datetime) -> tuple[int, int]:
    """Queue every missed question for study; returns (added, already in the deck).

    A question never studied gets a card waiting at the front of the new cards;
    one already in the deck keeps its schedule (its history is its history).
    """
    missed = {answer.question_id for answer in attempt.answers if not answer.correct}
    have = set(
        db.session.scalars(
            select(Card.question_id).where(Card.user_id == user.id, Card.question_id.in_(missed))
        )
    )
    for question_id in sorted(missed - have):
        db.session.add(Card.waiting(user.id, question_id, now))
    db.session.commit()
    return len(missed - have), len(missed & have)
