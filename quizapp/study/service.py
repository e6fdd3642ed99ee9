"""Study persistence: the queue, recording a review with its card state, undo.

Each review is written in one transaction with the card state it produces, so
the card and its log never disagree. A review names the presentation it
answers (question and how many reviews the card had when shown); a unique
constraint on it means a form sent twice records one review.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from fsrs import Rating, State
from sqlalchemy import Executable, Select, and_, bindparam, delete, func, not_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from quizapp.core.days import day_start, study_day
from quizapp.core.grading import Verdict, grade
from quizapp.core.readiness import new_cards_today
from quizapp.core.scheduling import (
    LEARN_AHEAD,
    LEECH_LAPSES,
    CardState,
    Limits,
    PastReview,
    QueueCard,
    is_leech,
    pick_next,
    rebuild,
    review,
)
from quizapp.exam import service as exam_service
from quizapp.extensions import db
from quizapp.models import ApiReviewKey, Card, ExamPlan, Question, Review, StudyDay, User
from quizapp.persistence import bank_cache
from quizapp.persistence.bank_queries import IN_BANK


def presentation_key(question_id: str, reps: int) -> str:
    """Names one showing of a card: answering it again needs a fresh showing."""
    return f"{question_id}:{reps}"


def card_for(user: User, question_id: str, *, locked: bool = False) -> Card | None:
    """The student's card for the question; ``locked`` holds it until the commit."""
    return db.session.scalar(_card_statement(locked), _params(user, question_id=question_id))


@cache
def _card_statement(locked: bool) -> Select:
    statement = select(Card).where(
        Card.user_id == bindparam("user_id"), Card.question_id == bindparam("question_id")
    )
    return statement.with_for_update() if locked else statement


def card_state(card: Card | None) -> CardState | None:
    return card.memory_state() if card is not None else None


def _study_filter(user: User) -> list:
    """The questions the student studies: active ones, of their categories if they chose."""
    return _in_categories(user.study_categories or None)


def _in_categories(categories: Any) -> list:
    """Active questions, of ``categories`` (a list or a bind parameter) unless None."""
    conditions = [Question.retired_at.is_(None)]
    if categories is not None:
        conditions.append(Question.category.in_(categories))
    return conditions


# The study loop's statements are built once and run with parameters: building a
# statement and its cache key costs SQLAlchemy far more than SQLite takes to run it
# (about 180 us against 10 us for a count). Each takes the parameters of ``_params``.


def _params(user: User, **values: object) -> dict[str, object]:
    """The parameters of every prepared study statement (the student, their categories),
    with ``values``; a statement ignores those it does not name."""
    return {"user_id": user.id, "categories": list(user.study_categories or []), **values}


def _in_study(by_category: bool) -> list:
    """``_study_filter`` with the student's categories as the ``categories`` parameter."""
    return _in_categories(bindparam("categories", expanding=True) if by_category else None)


def _started_in_study(by_category: bool) -> list:
    """The student's started cards on questions they study (join ``Question``)."""
    return [Card.user_id == bindparam("user_id"), Card.reps > 0, *_in_study(by_category)]


@dataclass(frozen=True)
class TodayCounts:
    new_done: int
    reviews_done: int


@dataclass(frozen=True)
class Day:
    """What one request reads of the student's day, once and in one statement, for the
    queue and the day's bar alike: the exam plan in force (None without one), the
    reviews made today, the started cards due now and the questions not yet studied."""

    plan: ExamPlan | None
    done: TodayCounts
    due_now: int
    unstudied: int


def today(user: User, now: datetime) -> Day:
    new_done, reviews_done, due_now, unstudied, own_id, class_id = (
        db.session.connection()
        .execute(
            _day_statement(bool(user.study_categories)),
            _params(
                user,
                since=day_start(now, user.timezone),
                now=now,
                today=study_day(now, user.timezone),
            ),
        )
        .one()
    )
    return Day(
        plan=exam_service.in_force(exam_service.plan_from(user, own_id, class_id), user, now),
        done=TodayCounts(new_done=new_done, reviews_done=reviews_done),
        due_now=due_now,
        unstudied=unstudied,
    )


@cache
def _day_statement(by_category: bool) -> Select:
    """Today's reviews (new and not), the started cards due now, the questions never
    studied, and the ids naming the exam plan: the whole of ``Day`` in one round trip."""
    reviewed = select(func.count()).where(
        Review.user_id == bindparam("user_id"), Review.reviewed_at >= bindparam("since")
    )
    set_aside = select(Question.id).where(not_(and_(*_in_study(by_category))))
    due = (  # no join: one probe of the (usually empty) set of questions not studied
        select(func.count())
        .select_from(Card)
        .where(
            Card.user_id == bindparam("user_id"),
            Card.reps > 0,
            Card.due <= bindparam("now"),
            Card.question_id.not_in(set_aside),
        )
    )
    studied = select(Card.question_id).where(Card.user_id == bindparam("user_id"), Card.reps > 0)
    waiting = select(Card.question_id).where(Card.user_id == bindparam("user_id"), Card.reps == 0)
    unstudied = (  # what ``new_question_ids`` can serve: a teacher's own only once in the deck
        select(func.count())
        .select_from(Question)
        .where(
            *_in_study(by_category),
            Question.id.not_in(studied),
            or_(IN_BANK, Question.id.in_(waiting)),
        )
    )
    return select(
        reviewed.where(Review.was_new.is_(True)).scalar_subquery(),
        reviewed.where(Review.was_new.is_not(True)).scalar_subquery(),
        due.scalar_subquery(),
        unstudied.scalar_subquery(),
        *exam_service.plan_sources(),
    )


def limits_for(
    user: User, now: datetime, plan: ExamPlan | None = None, done: TodayCounts | None = None
) -> Limits:
    """What the day still allows; an exam plan may raise the new-card pace."""
    done = done or today(user, now).done
    new_limit = user.new_per_day
    if plan is not None:
        remaining = exam_service.remaining_new(user, plan)
        new_limit = new_cards_today(
            remaining + done.new_done,
            study_day(now, user.timezone),
            plan.exam_date,
            user.new_per_day,
        )
    return Limits(
        new_left=max(new_limit - done.new_done, 0),
        reviews_left=max(user.max_reviews_per_day - done.reviews_done, 0),
    )


#: Enough due cards for the picker: the first, one more in case the first is the card
#: just answered, and one more learning card to show ahead of time.
QUEUE_HEAD = 3


def due_cards(user: User, now: datetime, limits: Limits) -> list[Card]:
    """The head of the student's queue in due order, from the ``(user_id, due)`` index:
    cards due now (learning ones only once the day's reviews are used up), then
    learning cards due within ``LEARN_AHEAD``. The picker never needs more."""
    statement = _queue_head(bool(user.study_categories), limits.reviews_left > 0)
    return list(db.session.scalars(statement, _params(user, now=now, ahead=now + LEARN_AHEAD)))


@cache
def _queue_head(by_category: bool, reviews_open: bool) -> Select:
    learning = Card.state != State.Review
    due_now = Card.due <= bindparam("now")
    return (
        select(Card)
        .join(Question, Question.id == Card.question_id)
        .where(*_started_in_study(by_category))
        .where(
            or_(
                due_now if reviews_open else and_(due_now, learning),
                and_(Card.due <= bindparam("ahead"), learning),
            )
        )
        .order_by(Card.due)
        .limit(QUEUE_HEAD)
    )


def _queued(card: Card) -> QueueCard:
    return QueueCard(card.question_id, card.due, is_learning=card.state != State.Review)


def started_cards(user: User) -> list[QueueCard]:
    rows = db.session.execute(
        select(Card.question_id, Card.due, Card.state)
        .join(Question, Question.id == Card.question_id)
        .where(Card.user_id == user.id, Card.reps > 0, *_study_filter(user))
    )
    return [QueueCard(qid, due, is_learning=state != State.Review) for qid, due, state in rows]


def new_question_ids(user: User, first: set[str] | None = None) -> list[str]:
    """Questions the student has not studied, in a stable mixed order of their own.

    Questions sent to the deck from a quiz come first, then those in ``first``
    (an exam's scope), then the rest.
    """
    studied = select(Card.question_id).where(Card.user_id == user.id, Card.reps > 0)
    waiting = select(Card.question_id).where(Card.user_id == user.id, Card.reps == 0)
    # A teacher's own question is studied only once it is put in the deck (an assignment).
    ids = db.session.scalars(
        select(Question.id).where(
            *_study_filter(user),
            Question.id.not_in(studied),
            or_(IN_BANK, Question.id.in_(waiting)),
        )
    )
    queued = set(
        db.session.scalars(select(Card.question_id).where(Card.user_id == user.id, Card.reps == 0))
    )
    first = first or set()
    return sorted(
        ids,
        key=lambda qid: (
            qid not in queued,
            qid not in first,
            hashlib.sha256(f"{user.id}:{qid}".encode()).digest(),
        ),
    )


@dataclass(frozen=True)
class Next:
    question: Question
    card: Card | None
    is_new: bool

    @property
    def presentation(self) -> str:
        return presentation_key(self.question.id, self.card.reps if self.card else 0)


def next_card(
    user: User, now: datetime, last_question_id: str | None, day: Day | None = None
) -> Next | None:
    """Due reviews, then new cards; before an exam, its weakest cards and its pace first.
    ``day`` saves reading the plan and the day's counts again when the caller has them."""
    day = day or today(user, now)
    plan = day.plan
    weakest = plan and exam_service.weakest_for_exam(user, plan, now, last_question_id)
    if weakest:
        card = card_for(user, weakest)
        return Next(_bank_question(weakest), card, card is None or card.reps == 0)
    limits = limits_for(user, now, plan, day.done)
    cards = {card.question_id: card for card in due_cards(user, now, limits)}
    queue = [_queued(card) for card in cards.values()]
    # A due card other than the one just answered always wins: new cards wait.
    due_waits = any(card.due <= now and card.question_id != last_question_id for card in queue)
    new_ids: list[str] = []
    if limits.new_left > 0 and not due_waits:
        new_ids = new_question_ids(
            user, set(exam_service.scope_question_ids(plan)) if plan else None
        )
    picked = pick_next(queue, new_ids, limits, now, last_question_id)
    if picked is None:
        return None
    question_id, is_new = picked
    card = cards[question_id] if question_id in cards else card_for(user, question_id)
    return Next(_bank_question(question_id), card, is_new)


def _bank_question(question_id: str) -> Question:
    """A question the queue picked (so it exists), from the bank in memory."""
    question = bank_cache.question(question_id)
    if question is None:
        raise LookupError(f"no question {question_id!r} in the bank")
    return question


def upcoming_due(user: User, now: datetime) -> datetime | None:
    """When the next started card comes due, for "come back at ..." messages."""
    return db.session.scalar(
        select(func.min(Card.due))
        .join(Question, Question.id == Card.question_id)
        .where(Card.user_id == user.id, Card.due > now, *_study_filter(user))
    )


def regrade(question: Question, response: str | None) -> Verdict | None:
    """The server's own verdict on a typed response (never the browser's)."""
    return grade(question.to_core(), response) if response is not None else None


def record_review(
    user: User,
    question: Question,
    presentation: str,
    rating: Rating,
    response: str | None,
    duration_ms: int | None,
    now: datetime,
    client_key: str | None = None,
) -> Review | None:
    """Save a review and the card state it leads to, together; None if already saved.

    A stale or repeated presentation (double click, refresh, back button)
    changes nothing. ``client_key`` (the API's idempotency key) is stored with the
    review in the same transaction, unique per student, so a retried request can
    find the review it made and never makes a second one.
    """
    card = card_for(user, question.id, locked=True)
    reps = card.reps if card else 0
    if presentation != presentation_key(question.id, reps):
        db.session.rollback()
        return None
    was_new = card is None or card.reps == 0
    if card is None:
        card = Card(user_id=user.id, question_id=question.id, reps=0, lapses=0)
        db.session.add(card)
    _apply(card, review(None if was_new else card_state(card), rating, now, user.desired_retention))
    card.reps = reps + 1
    card.lapses = (card.lapses or 0) + (1 if rating == Rating.Again else 0)
    verdict = regrade(question, response)
    entry = Review(
        card=card,
        user_id=user.id,
        question_id=question.id,
        presentation=presentation,
        rating=int(rating),
        was_new=was_new,
        response=response,
        correct=verdict.correct if verdict else None,
        near_miss=verdict.near_miss if verdict else False,
        duration_ms=duration_ms,
        desired_retention=user.desired_retention,
        reviewed_at=now,
    )
    db.session.add(entry)
    if client_key is not None:
        db.session.add(ApiReviewKey(user_id=user.id, key=client_key, review=entry, created_at=now))
    try:
        # The day's count flushes the card and the review first: a card or review that a
        # concurrent request wrote first fails here or at the commit, alike.
        _count_study_day(user, study_day(now, user.timezone), +1)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return entry


def _apply(card: Card, state: CardState) -> None:
    card.state = state.state
    card.step = state.step
    card.stability = state.stability
    card.difficulty = state.difficulty
    card.due = state.due  # type: ignore[assignment]
    card.last_review = state.last_review


def _count_study_day(user: User, day: date, change: int) -> None:
    """Add ``change`` to the student's review count for ``day``, in the caller's
    transaction: an upsert, so concurrent reviews on one day never collide; a day whose
    count falls to nothing (undo) is removed."""
    if change > 0:
        db.session.flush()  # the card and review first, as the caller expects
        connection = db.session.connection()  # Core: the ORM's insert machinery costs more
        connection.execute(
            _study_day_upsert(connection.dialect.name),
            {
                "user_id": user.id,
                "day": day,
                "day_before": day - timedelta(days=1),
                "change": change,
            },
        )
        return
    where = (StudyDay.user_id == user.id, StudyDay.day == day)
    db.session.execute(update(StudyDay).where(*where).values(reviews=StudyDay.reviews + change))
    db.session.execute(delete(StudyDay).where(*where, StudyDay.reviews <= 0))


@cache
def _study_day_upsert(dialect: str) -> Executable:
    """Insert the day with ``change`` reviews and the run it extends, or add ``change``."""
    upsert = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(StudyDay)
    day_before = (
        select(StudyDay.run)
        .where(StudyDay.user_id == bindparam("user_id"), StudyDay.day == bindparam("day_before"))
        .scalar_subquery()
    )
    statement = upsert.values(
        user_id=bindparam("user_id"),
        day=bindparam("day"),
        reviews=bindparam("change"),
        run=func.coalesce(day_before, 0) + 1,
    )
    return statement.on_conflict_do_update(
        index_elements=[StudyDay.user_id, StudyDay.day],
        set_={"reviews": StudyDay.reviews + statement.excluded.reviews},
    )


def rebuilt_state(card: Card) -> CardState | None:
    """The card's state replayed from its review log alone."""
    return rebuild(
        PastReview(Rating(r.rating), r.reviewed_at, r.desired_retention) for r in card.reviews
    )


def undo_last_review(user: User) -> str | None:
    """Take back the student's latest review: the log entry and the card state both.

    Returns the question id, so that card can be shown again; None if there
    is nothing to undo.
    """
    last = db.session.scalar(
        select(Review)
        .where(Review.user_id == user.id)
        .order_by(Review.reviewed_at.desc(), Review.id.desc())
        .limit(1)
    )
    if last is None:
        return None
    card = last.card
    question_id = card.question_id
    _count_study_day(user, study_day(last.reviewed_at, user.timezone), -1)
    card.reviews.remove(last)
    db.session.flush()
    state = rebuilt_state(card)
    if state is None:
        db.session.delete(card)
    else:
        _apply(card, state)
        card.reps = len(card.reviews)
        card.lapses = sum(1 for r in card.reviews if r.rating == Rating.Again)
    db.session.commit()
    return question_id


@dataclass(frozen=True)
class DayProgress:
    """Where the student's study day stands: cards done, and cards still waiting today."""

    done: int
    due_now: int
    new_available: int

    @property
    def left(self) -> int:
        return self.due_now + self.new_available

    @property
    def total(self) -> int:
        return self.done + self.left

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def day_progress(user: User, now: datetime, day: Day | None = None) -> DayProgress:
    """Today's cards done and still to do (due reviews and new cards), counted in SQL."""
    day = day or today(user, now)
    limits = limits_for(user, now, day.plan, day.done)
    return DayProgress(
        done=day.done.new_done + day.done.reviews_done,
        due_now=min(day.due_now, limits.reviews_left),
        new_available=min(day.unstudied, limits.new_left),
    )


def _started(user: User) -> Select:
    return (
        select(func.count())
        .select_from(Card)
        .join(Question, Question.id == Card.question_id)
        .where(Card.user_id == user.id, Card.reps > 0, *_study_filter(user))
    )


@dataclass(frozen=True)
class HomeStats:
    due_now: int
    new_available: int
    new_done: int
    reviews_done: int
    streak_days: int
    leeches: list[Question]  # the most often missed, HOME_LEECHES at most
    leech_count: int
    total_started: int

    @property
    def day(self) -> DayProgress:
        return DayProgress(self.new_done + self.reviews_done, self.due_now, self.new_available)


def home_stats(user: User, now: datetime) -> HomeStats:
    """The day's figures, counted in the database: the cost stays flat as history grows."""
    day = today(user, now)
    progress = day_progress(user, now, day)
    return HomeStats(
        due_now=progress.due_now,
        new_available=progress.new_available,
        new_done=day.done.new_done,
        reviews_done=day.done.reviews_done,
        streak_days=_streak(user, now),
        leeches=leeches(user, HOME_LEECHES),
        leech_count=leech_count(user),
        total_started=db.session.scalar(_started(user)) or 0,
    )


@dataclass(frozen=True)
class DaySummary:
    """The end of a session: today's reviews, how many were right, leeches met, what next."""

    reviewed: int
    right: int
    again: int
    new_cards: int
    leeches: list[Question]
    next_due: datetime | None


def day_summary(user: User, now: datetime) -> DaySummary:
    """Today's study in the student's own day: a review is right when rated Good or Easy
    (as on the Progress page, so typed and flipped cards are counted alike)."""
    since = day_start(now, user.timezone)
    rows = db.session.execute(
        select(Review.rating, Review.was_new).where(
            Review.user_id == user.id, Review.reviewed_at >= since
        )
    ).all()
    met = select(Review.question_id).where(Review.user_id == user.id, Review.reviewed_at >= since)
    found = db.session.scalars(
        select(Question)
        .join(Card, Card.question_id == Question.id)
        .where(Card.user_id == user.id, Card.lapses >= LEECH_LAPSES, Question.id.in_(met))
        .order_by(Question.id)
    )
    return DaySummary(
        reviewed=len(rows),
        right=sum(1 for rating, _ in rows if rating >= Rating.Good),
        again=sum(1 for rating, _ in rows if rating == Rating.Again),
        new_cards=sum(1 for _, was_new in rows if was_new),
        leeches=list(found),
        next_due=upcoming_due(user, now),
    )


def _streak(user: User, now: datetime) -> int:
    """Days in a row with a review, ending today (or yesterday, if not yet): the run kept
    on today's or yesterday's study day, one indexed read however long the streak."""
    today = study_day(now, user.timezone)
    runs = dict(
        db.session.execute(
            select(StudyDay.day, StudyDay.run).where(
                StudyDay.user_id == user.id,
                StudyDay.day.in_([today, today - timedelta(days=1)]),
            )
        ).all()
    )
    return runs.get(today) or runs.get(today - timedelta(days=1)) or 0


#: How many leeches the home page lists (the most often missed), however many there are.
HOME_LEECHES = 10


def leeches(user: User, limit: int | None = None) -> list[Question]:
    """The student's cards forgotten again and again, the most often first, as questions
    from the bank in memory; ``limit`` keeps the first so many."""
    ids = db.session.scalars(
        select(Card.question_id)
        .where(Card.user_id == user.id, Card.lapses >= LEECH_LAPSES)
        .order_by(Card.lapses.desc(), Card.question_id)
        .limit(limit)
    )
    bank = bank_cache.questions()
    return [bank[question_id] for question_id in ids if question_id in bank]


def leech_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Card)
            .where(Card.user_id == user.id, Card.lapses >= LEECH_LAPSES)
        )
        or 0
    )


def card_is_leech(card: Card | None) -> bool:
    return card is not None and is_leech(card.lapses)


def review_for_key(user: User, client_key: str) -> Review | None:
    """The review the student's API client already sent under this idempotency key."""
    return db.session.scalar(
        select(Review)
        .join(ApiReviewKey, ApiReviewKey.review_id == Review.id)
        .where(ApiReviewKey.user_id == user.id, ApiReviewKey.key == client_key)
    )
