"""``flask demo``: a student with a few weeks of plausible study, for trying the app out.

The history is simulated day by day and written through the study service
itself (``record_review`` with back-dated ``now`` values), so every card and
its review log agree exactly as if the student had clicked through it. The
ratings come from a seeded random generator: a card is recalled with the
probability FSRS gives for it at that moment, so the history looks like
forgetting really does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import click
from flask import current_app
from fsrs import Rating
from sqlalchemy import delete, func, select

from quizapp.core.days import study_day, timezone_or_utc
from quizapp.core.readiness import recall_probability
from quizapp.extensions import db
from quizapp.models import Card, ExamPlan, Question, Review, User, utcnow
from quizapp.persistence.startup import ensure_schema, prepare_database
from quizapp.study import service

DEMO_TIMEZONE = "Europe/London"
SEED = 1917
#: Chance of skipping a day altogether, as real students do.
SKIP_DAY = 0.15
NEW_PER_DAY = (4, 9)
#: A first sight of a card is recalled this often (FSRS gives no figure before a first review).
FIRST_SIGHT_RECALL = 0.55
#: Once recalled, how the student rates it: Hard, Good, Easy.
RECALLED_WEIGHTS = (0.15, 0.65, 0.20)
SESSION_CAP = 150
EXAM_IN_DAYS = 14


@dataclass
class Session:
    """One simulated study session: its clock and the new cards still allowed.

    ``pending`` is the student's shared list of unstudied questions: a session
    takes its new cards from the front, so the next day goes on from there.
    """

    clock: datetime
    new_left: int
    done: int = 0
    pending: list[str] = field(default_factory=list)


def create_demo_student(username: str, password: str, days: int) -> int:
    """Create (or recreate) a demo student with ``days`` of review history; returns the reviews."""
    _ready_database()
    _remove_user(username)
    user = _create_user(username, password)
    now = utcnow()
    first_day = study_day(now, user.timezone) - timedelta(days=days)
    _add_exam_plan(user, _local(first_day, time(0), user.timezone), now)
    return simulate(user, days, now, random.Random(SEED))


def _ready_database() -> None:
    """Migrate first, as every command does; load the bank if it was never loaded."""
    ensure_schema(current_app)
    if not db.session.scalar(select(func.count()).select_from(Question)):
        prepare_database(current_app)


def _remove_user(username: str) -> None:
    """Delete an earlier demo account with everything it owns, so a rerun starts clean."""
    user_id = db.session.scalar(select(User.id).where(User.username == username))
    if user_id is None:
        return
    db.session.execute(delete(Review).where(Review.user_id == user_id))
    db.session.execute(delete(Card).where(Card.user_id == user_id))
    db.session.execute(delete(ExamPlan).where(ExamPlan.user_id == user_id))
    db.session.execute(delete(User).where(User.id == user_id))  # the rest cascades
    db.session.commit()


def _create_user(username: str, password: str) -> User:
    user = User(
        username=username,
        display_name="Demo Student",
        role="student",
        timezone=DEMO_TIMEZONE,
        answer_mode="flip",
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def _add_exam_plan(user: User, start: datetime, now: datetime) -> None:
    """An exam two weeks ahead, planned from the first day so readiness has a history."""
    exam_date = study_day(now, user.timezone) + timedelta(days=EXAM_IN_DAYS)
    db.session.add(
        ExamPlan(user_id=user.id, exam_date=exam_date, categories=[], tags=[], created_at=start)
    )
    db.session.commit()


def _local(day: date, at: time, timezone: str) -> datetime:
    """A wall-clock time on a day in the student's zone, as the UTC instant stored."""
    return datetime.combine(day, at, tzinfo=timezone_or_utc(timezone)).astimezone(UTC)


def simulate(user: User, days: int, now: datetime, rng: random.Random) -> int:
    """Study on each of the ``days`` days before today (some skipped); the review count."""
    questions = {
        q.id: q
        for q in db.session.scalars(
            select(Question).where(Question.retired_at.is_(None), Question.owner_id.is_(None))
        )
    }
    fresh = [qid for qid in service.new_question_ids(user) if qid in questions]
    today = study_day(now, user.timezone)
    total = 0
    for back in range(days, 0, -1):
        if back != 1 and rng.random() < SKIP_DAY:
            continue
        at = time(rng.randint(16, 20), rng.randrange(0, 60, 5))
        start = _local(today - timedelta(days=back), at, user.timezone)
        session = Session(clock=start, new_left=rng.randint(*NEW_PER_DAY), pending=fresh)
        total += _study_session(user, questions, session, rng)
    return total


def _study_session(
    user: User, questions: dict[str, Question], session: Session, rng: random.Random
) -> int:
    """Due cards first, then new ones, then learning steps a few minutes ahead."""
    while session.done < SESSION_CAP:
        question_id = _next_due(user, session.clock) or _next_new(session)
        if question_id is None:
            ahead = _next_due(user, session.clock + timedelta(minutes=20))
            if ahead is None:
                break
            session.clock = db.session.scalar(
                select(Card.due).where(Card.user_id == user.id, Card.question_id == ahead)
            )
            continue
        _answer(user, questions[question_id], session.clock, rng)
        session.done += 1
        session.clock += timedelta(seconds=rng.randint(12, 50))
    return session.done


def _next_due(user: User, moment: datetime) -> str | None:
    return db.session.scalar(
        select(Card.question_id)
        .where(Card.user_id == user.id, Card.due <= moment)
        .order_by(Card.due, Card.question_id)
        .limit(1)
    )


def _next_new(session: Session) -> str | None:
    if session.new_left <= 0 or not session.pending:
        return None
    session.new_left -= 1
    return session.pending.pop(0)


def _answer(user: User, question: Question, moment: datetime, rng: random.Random) -> None:
    """Rate the card as a student would: recalled with FSRS's probability, else Again."""
    card = service.card_for(user, question.id)
    state = service.card_state(card)
    chance = FIRST_SIGHT_RECALL if state is None else recall_probability(state, moment)
    if rng.random() < chance:
        grade = rng.choices((Rating.Hard, Rating.Good, Rating.Easy), RECALLED_WEIGHTS)[0]
    else:
        grade = Rating.Again
    reps = card.reps if card else 0
    saved = service.record_review(
        user, question, service.presentation_key(question.id, reps), grade, None, None, moment
    )
    if saved is None:
        raise click.ClickException(f"could not record a review of {question.id}")
