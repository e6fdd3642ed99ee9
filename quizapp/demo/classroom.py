"""``flask demo-class``: a teacher with a class that has studied and taken assignments.

Built like ``flask demo``: the students' study is simulated through the study
service, and their assignment attempts through the same services the pages
use (start, answer, submit) with back-dated clocks, so the gradebook, item
analysis and class readiness show what real use would give, and nothing is
written that the app could not have written itself.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import click
from sqlalchemy import select

from quizapp.assignments import service as assignments
from quizapp.core.days import study_day
from quizapp.demo.student import DEMO_TIMEZONE, _ready_database, _remove_user, simulate
from quizapp.extensions import db
from quizapp.models import Assignment, Question, QuizSet, SchoolClass, User, utcnow
from quizapp.quiz import service as quiz
from quizapp.teach import service as teach

SEED = 1905
NAMES = (
    "Anna Petrova",
    "Boris Ivanov",
    "Clara Zetkin-Smith",
    "Dmitri Orlov",
    "Elena Sokolova",
    "Fyodor Marin",
    "Galina Ross",
    "Ivan Kuznetsov",
    "Katya Belova",
    "Leon Grant",
    "Maria Novak",
    "Nikolai Popov",
)
#: Kinds answered by a single typed or chosen string, so a simulated answer is simple.
SIMPLE_KINDS = ("short", "choice", "cloze", "number", "date")


def create_demo_class(teacher: str, password: str, students: int, days: int) -> list[str]:
    """Create (or recreate) a demo teacher, class, quiz sets, assignments and results.

    Returns the students' usernames; every account shares ``password``.
    """
    _ready_database()
    usernames = [f"{teacher}-student-{n}" for n in range(1, students + 1)]
    for username in [teacher, *usernames]:
        _remove_user(username)
    rng, now = random.Random(SEED), utcnow()
    owner = _account(teacher, "Demo Teacher", password, "teacher")
    school_class = teach.create_class(owner, "Demo class: Year 11 History", DEMO_TIMEZONE)
    school_class.exam_date = study_day(now, DEMO_TIMEZONE) + timedelta(days=14)
    db.session.commit()
    members = [_account(u, NAMES[i], password, "student") for i, u in enumerate(usernames)]
    for member in members:
        teach.add_member(school_class, member, now - timedelta(days=days + 1))
        simulate(member, days, now, rng)
    _assignments(owner, school_class, members, now, rng)
    return usernames


def _account(username: str, name: str, password: str, role: str) -> User:
    user = User(username=username, display_name=name, role=role, timezone=DEMO_TIMEZONE)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def _assignments(
    owner: User, school_class: SchoolClass, members: list[User], now: datetime, rng: random.Random
) -> None:
    """A finished assignment (one student late, one missing) and a current one."""
    pool = list(
        db.session.scalars(
            select(Question)
            .where(Question.retired_at.is_(None), Question.owner_id.is_(None))
            .where(Question.kind.in_(SIMPLE_KINDS))
            .order_by(Question.id)
        )
    )
    past = _set(owner, "Key dates of 1917", [q for q in pool if q.category == "dates"], 8, rng, now)
    current = _set(
        owner, "Who was who", [q for q in pool if q.category == "key-figures"], 8, rng, now
    )
    done = teach.assign(
        past,
        school_class,
        now - timedelta(days=9),
        now - timedelta(days=4),
        True,
        False,
        now - timedelta(days=9),
    )
    running = teach.assign(
        current,
        school_class,
        now - timedelta(days=2),
        now + timedelta(days=5),
        True,
        False,
        now - timedelta(days=2),
    )
    ability = {m.id: 0.35 + 0.6 * n / max(len(members) - 1, 1) for n, m in enumerate(members)}
    for n, member in enumerate(members):
        if n == 0:
            continue  # never started the first assignment
        when = now - timedelta(days=3 if n == 1 else 6, hours=rng.randint(0, 8))  # one late
        _take(member, done, when, ability[member.id], pool, rng)
        if n % 2 == 0:
            _take(
                member,
                running,
                now - timedelta(hours=rng.randint(2, 30)),
                ability[member.id],
                pool,
                rng,
            )
        elif n == 3:
            attempt = assignments.start_attempt(member, running, now - timedelta(hours=1))
            if isinstance(attempt, str):
                raise click.ClickException(attempt)


def _set(
    owner: User, title: str, questions: list[Question], size: int, rng: random.Random, now: datetime
) -> QuizSet:
    quiz_set = QuizSet(
        teacher_id=owner.id,
        title=title,
        question_ids=[],
        created_at=now,
        updated_at=now,
        instructions="Answer from memory; spelling slips are forgiven in names.",
        attempts_allowed=2,
        feedback="end",
    )
    db.session.add(quiz_set)
    db.session.commit()
    teach.add_questions(quiz_set, [q.id for q in rng.sample(questions, size)], now)
    return quiz_set


def _take(
    student: User,
    assignment: Assignment,
    start: datetime,
    ability: float,
    pool: list[Question],
    rng: random.Random,
) -> None:
    """Answer every question, right with the student's ability, else with a plausible slip:
    another answer from the same category, as real wrong answers tend to be."""
    attempt = assignments.start_attempt(student, assignment, start)
    if isinstance(attempt, str):
        raise click.ClickException(attempt)
    clock = start
    for position, question_id in enumerate(attempt.question_ids, start=1):
        question = db.session.get_one(Question, question_id)
        clock += timedelta(seconds=rng.randint(15, 70))
        if rng.random() < ability:
            response = str(question.answer)
        else:
            lookalikes = [
                q for q in pool if q.category == question.category and q.answer != question.answer
            ]
            response = str(rng.choice(lookalikes[:6]).answer)
        quiz.record_answer(attempt, position, question, response, clock)
