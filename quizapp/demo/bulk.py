"""Bulk data for benchmarks: many students, each with due cards and a long review history.

``flask seed`` writes it with plain multi-row inserts, fast enough for a million reviews,
so the benchmarks can measure the app at 10³, 10⁵ or 10⁶ review rows. The histories look
like real study (reviews spread over months at growing intervals, mostly Good, some
Again, Hard and Easy, answer times of a few seconds) and every card ends due now, so each
seeded student has real reviews to make. Unlike ``flask demo``, the card states are set
directly rather than replayed through FSRS: these accounts exist to be measured.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fsrs import Rating, State
from sqlalchemy import func, insert, select, text
from werkzeug.security import generate_password_hash

from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Card,
    Membership,
    Question,
    QuizAnswer,
    QuizAttempt,
    QuizSet,
    Review,
    SchoolClass,
    StudyDay,
    User,
)
from quizapp.persistence.bank_queries import IN_BANK

#: Rows per INSERT statement batch: large enough to be fast, small enough for any driver.
CHUNK = 5000
#: How the seeded ratings are spread (Again, Hard, Good, Easy), as in a typical deck.
RATING_WEIGHTS = ((Rating.Again, 10), (Rating.Hard, 12), (Rating.Good, 70), (Rating.Easy, 8))


class SeedError(ValueError):
    """The seed cannot be written as asked (name clash, empty bank)."""


@dataclass(frozen=True)
class SeedReport:
    usernames: list[str]
    cards: int
    reviews: int


def seed_students(
    *,
    prefix: str,
    students: int,
    cards_per_student: int,
    reviews: int,
    password: str,
    now: datetime,
    seed: int = 1917,
    password_hash: str | None = None,
) -> SeedReport:
    """Write ``students`` accounts ``<prefix>-0000``... sharing one password, each with
    ``cards_per_student`` due cards, and ``reviews`` review rows dealt among them.

    ``password_hash`` (of ``password``) saves hashing it again; a benchmark passes a
    cheap one so that signing in 200 students does not dominate its set-up."""
    questions = list(
        db.session.scalars(
            select(Question.id).where(Question.retired_at.is_(None), IN_BANK).order_by(Question.id)
        )
    )
    if not questions:
        raise SeedError("the bank is empty: run `flask bank load` first")
    usernames = [f"{prefix}-{n:04}" for n in range(students)]
    if db.session.scalar(select(User.id).where(User.username.in_(usernames)).limit(1)):
        raise SeedError(f"accounts named {prefix}-NNNN exist already: choose another --prefix")
    rng = random.Random(seed)
    user_ids = _insert_users(usernames, password_hash or generate_password_hash(password), now)
    chosen = questions[: max(1, min(cards_per_student, len(questions)))]
    histories = _deal(reviews, len(user_ids) * len(chosen))
    card_rows = list(_card_rows(user_ids, chosen, histories, now, rng))
    _insert(Card, [row for row, _ in card_rows])
    card_ids = _card_ids(user_ids)
    written = _insert(
        Review,
        (
            review
            for row, times in card_rows
            for review in _review_rows(row, card_ids[row["user_id"], row["question_id"]], times)
        ),
    )
    days = Counter(
        (row["user_id"], at.date())  # seeded students study in UTC
        for row, times in card_rows
        for at, _ in times
    )
    _insert(StudyDay, _study_days(days))
    db.session.commit()
    analyze(User, Card, Review, StudyDay)
    return SeedReport(usernames=usernames, cards=len(card_rows), reviews=written)


def analyze(*models: type[Any]) -> None:
    """Refresh the query planner's statistics of the tables a bulk load just filled.

    Without it the planner works from the empty tables it last saw: PostgreSQL's
    autovacuum catches up within a minute or so, SQLite never does, and a benchmark
    run at once would time plans made for no rows (PostgreSQL guessed one card a
    student, not 150)."""
    for model in models:
        db.session.execute(text(f"ANALYZE {model.__tablename__}"))
    db.session.commit()


def _insert_users(usernames: Sequence[str], hashed: str, now: datetime) -> list[int]:
    """Students sharing one password, hashed once (``hashed``)."""
    _insert(
        User,
        (
            {
                "username": name,
                "display_name": f"Load student {n}",
                "password_hash": hashed,
                "role": "student",
                "timezone": "UTC",
                "created_at": now - timedelta(days=200),
            }
            for n, name in enumerate(usernames)
        ),
    )
    ids = db.session.execute(select(User.username, User.id).where(User.username.in_(usernames)))
    by_name = {name: user_id for name, user_id in ids}
    return [by_name[name] for name in usernames]


def _deal(total: int, cards: int) -> list[int]:
    """How many reviews each card gets: ``total`` shared out as evenly as possible."""
    share, extra = divmod(total, cards)
    return [share + (1 if n < extra else 0) for n in range(cards)]


def _card_rows(
    user_ids: Sequence[int],
    questions: Sequence[str],
    histories: Sequence[int],
    now: datetime,
    rng: random.Random,
) -> Iterator[tuple[dict[str, Any], list[tuple[datetime, Rating]]]]:
    counts = iter(histories)
    for user_id in user_ids:
        for position, question_id in enumerate(questions):
            times = _history(next(counts), now, rng)
            lapses = sum(1 for _, rating in times if rating == Rating.Again)
            row = {
                "user_id": user_id,
                "question_id": question_id,
                "state": State.Review.value,
                "step": None,
                "stability": round(rng.uniform(2.0, 40.0), 2),
                "difficulty": round(rng.uniform(3.0, 8.0), 2),
                # All due now, the most overdue first, so every student has reviews to make.
                "due": now - timedelta(minutes=5 + position),
                "last_review": times[-1][0] if times else now - timedelta(days=3),
                "reps": max(len(times), 1),
                "lapses": lapses,
                "created_at": times[0][0] if times else now - timedelta(days=10),
            }
            yield row, times


def _history(count: int, now: datetime, rng: random.Random) -> list[tuple[datetime, Rating]]:
    """``count`` reviews at growing intervals, ending a day or more ago, oldest first."""
    ratings, weights = zip(*RATING_WEIGHTS, strict=True)
    moments: list[datetime] = []
    moment = now - timedelta(days=1, minutes=rng.randrange(600))
    gap = timedelta(hours=rng.uniform(6, 30))
    for _ in range(count):
        moments.append(moment)
        moment -= gap
        gap = min(gap * rng.uniform(1.0, 1.6), timedelta(days=30))
    moments.reverse()
    return [(at, rng.choices(ratings, weights)[0]) for at in moments]


def _review_rows(
    card: dict[str, Any], card_id: int, times: Sequence[tuple[datetime, Rating]]
) -> Iterator[dict[str, Any]]:
    for reps, (at, rating) in enumerate(times):
        yield {
            "card_id": card_id,
            "user_id": card["user_id"],
            "question_id": card["question_id"],
            "presentation": f"{card['question_id']}:{reps}",
            "rating": int(rating),
            "was_new": reps == 0,
            "response": None,
            "correct": None,
            "near_miss": False,
            "duration_ms": 2000 + (reps * 7919) % 9000,
            "desired_retention": 0.9,
            "reviewed_at": at,
        }


def _study_days(days: Counter[tuple[int, date]]) -> Iterator[dict[str, Any]]:
    """Rows of study days from the reviews per (student, day), with their runs."""
    runs: dict[tuple[int, date], int] = {}
    for user_id, day in sorted(days):
        run = runs[user_id, day] = runs.get((user_id, day - timedelta(days=1)), 0) + 1
        yield {"user_id": user_id, "day": day, "reviews": days[user_id, day], "run": run}


def _card_ids(user_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    rows = db.session.execute(
        select(Card.user_id, Card.question_id, Card.id).where(Card.user_id.in_(user_ids))
    )
    return {(user_id, question_id): card_id for user_id, question_id, card_id in rows}


def _insert(model: type[db.Model], rows: Any) -> int:  # type: ignore[name-defined]
    """Insert ``rows`` (any iterable of dicts) in chunks; how many were written."""
    written, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            db.session.execute(insert(model), chunk)
            written, chunk = written + len(chunk), []
    if chunk:
        db.session.execute(insert(model), chunk)
        written += len(chunk)
    return written


@dataclass(frozen=True)
class ClassSeed:
    teacher: str
    class_id: int
    assignment_id: int
    students: list[str]


def seed_class(
    *, teacher: str, password: str, students: int, questions: int, now: datetime, seed: int = 7
) -> ClassSeed:
    """A teacher with a class of ``students`` who each submitted one assignment of
    ``questions`` questions (weaker and stronger students alike): the gradebook, item
    analysis and class readiness then have real figures to compute."""
    rng = random.Random(seed)
    teacher_user = User(username=teacher, display_name="Load teacher", role="teacher")
    teacher_user.set_password(password)
    db.session.add(teacher_user)
    db.session.flush()
    school_class = SchoolClass(
        teacher_id=teacher_user.id,
        name=f"{teacher}'s class",
        join_code=f"L{teacher_user.id:06}"[:16],
        exam_date=(now + timedelta(days=14)).date(),
    )
    ids = list(
        db.session.scalars(
            select(Question.id)
            .where(Question.retired_at.is_(None), IN_BANK)
            .order_by(Question.id)
            .limit(questions)
        )
    )
    quiz_set = QuizSet(teacher_id=teacher_user.id, title="Load set", question_ids=ids)
    db.session.add_all([school_class, quiz_set])
    db.session.flush()
    assignment = Assignment(
        class_id=school_class.id,
        quiz_set_id=quiz_set.id,
        opens_at=now - timedelta(days=2),
        due_at=now + timedelta(days=2),
    )
    db.session.add(assignment)
    db.session.flush()
    names = [f"{teacher}-s{n:02}" for n in range(students)]
    user_ids = _insert_users(names, teacher_user.password_hash, now)
    for n, user_id in enumerate(user_ids):
        db.session.add(Membership(class_id=school_class.id, user_id=user_id))
        attempt = QuizAttempt(
            user_id=user_id,
            title=quiz_set.title,
            question_ids=ids,
            assignment_id=assignment.id,
            attempt_number=1,
            started_at=now - timedelta(hours=1),
            finished_at=now - timedelta(minutes=30),
        )
        strength = 0.3 + 0.6 * n / max(students - 1, 1)
        for position, question_id in enumerate(ids, start=1):
            right = rng.random() < strength
            attempt.answers.append(
                QuizAnswer(
                    position=position,
                    question_id=question_id,
                    response="" if right else "a wrong guess",
                    correct=right,
                    answered_at=now - timedelta(minutes=45),
                )
            )
        attempt.score = sum(answer.correct for answer in attempt.answers)
        db.session.add(attempt)
    db.session.commit()
    return ClassSeed(teacher, school_class.id, assignment.id, names)


def seed_open_quizzes(user_ids: Sequence[int], per_student: int, now: datetime) -> list[int]:
    """``per_student`` self-test quizzes for each student, each a one-question quiz on a
    different typed question, not answered yet: a benchmark answers each one once."""
    questions = list(
        db.session.scalars(
            select(Question.id)
            .where(Question.retired_at.is_(None), IN_BANK, Question.kind != "order")
            .order_by(Question.id)
        )
    )
    rows = [
        {
            "user_id": user_id,
            "title": "Load quiz",
            "settings": {},
            "question_ids": [questions[(n * 31 + k) % len(questions)]],
            "feedback": "end",
            "started_at": now - timedelta(minutes=1),
        }
        for n, user_id in enumerate(user_ids)
        for k in range(per_student)
    ]
    first = db.session.scalar(select(func.max(QuizAttempt.id))) or 0
    _insert(QuizAttempt, rows)
    db.session.commit()
    analyze(QuizAttempt)
    return list(
        db.session.scalars(
            select(QuizAttempt.id).where(QuizAttempt.id > first).order_by(QuizAttempt.id)
        )
    )
