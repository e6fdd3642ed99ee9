"""A student's side of classes and assignments: joining a class with its code, which
assignments are theirs, their status, starting an attempt."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quizapp.core.assignments import (
    AttemptSummary,
    Window,
    attempt_deadline,
    best_attempt,
    draw_for_attempt,
    normalise_join_code,
    start_refusal,
    student_status,
)
from quizapp.core.throttling import CLASS_CODE_PER_ADDRESS, CLASS_CODE_PER_USER
from quizapp.extensions import db
from quizapp.models import Assignment, Membership, QuizAttempt, SchoolClass, User
from quizapp.teach.service import add_member
from quizapp.web.throttle import Refusal, client_address, throttle

#: Home-page order: what needs doing first.
STATUS_ORDER = ("overdue", "due soon", "in progress", "to do", "not open yet", "done", "closed")


def code_guessing_refused(student: User) -> Refusal | None:
    """Whether this account, or the request's address, has tried too many wrong join
    codes lately (codes are counted once they prove wrong: a class joining at once
    from one address does not fill the counter)."""
    counters = throttle()
    return counters.refused(CLASS_CODE_PER_USER, str(student.id)) or counters.refused(
        CLASS_CODE_PER_ADDRESS, client_address()
    )


def join_with_code(student: User, code: str, now: datetime) -> tuple[SchoolClass | None, str]:
    """A student joins by code; returns the class (None if refused) and a message.

    A code that opens no class counts against the account and its address."""
    wanted = normalise_join_code(code)
    school_class = db.session.scalar(select(SchoolClass).where(SchoolClass.join_code == wanted))
    if school_class is None or not school_class.joining_open:
        _count_wrong_code(student)
        return None, "That code does not open any class. Check it with your teacher."
    if student.is_teacher:
        return None, "Teachers cannot join classes as students."
    if not add_member(school_class, student, now):
        return school_class, f"You are already in {school_class.name}."
    return school_class, f"You joined {school_class.name}."


def _count_wrong_code(student: User) -> None:
    counters = throttle()
    counters.spend(CLASS_CODE_PER_USER, str(student.id))
    counters.spend(CLASS_CODE_PER_ADDRESS, client_address())


def classes_of_student(student: User) -> list[SchoolClass]:
    return list(
        db.session.scalars(
            select(SchoolClass)
            .join(Membership, Membership.class_id == SchoolClass.id)
            .where(Membership.user_id == student.id)
            .order_by(SchoolClass.name)
        )
    )


def window_of(assignment: Assignment) -> Window:
    return Window(assignment.opens_at, assignment.due_at, assignment.accept_late)


def assignment_for(student: User, assignment_id: int) -> Assignment | None:
    """The assignment, only if the student is in its class."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or db.session.get(Membership, (assignment.class_id, student.id)) is None:
        return None
    return assignment


def my_attempts(student: User, assignment: Assignment) -> list[QuizAttempt]:
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.assignment_id == assignment.id, QuizAttempt.user_id == student.id)
            .order_by(QuizAttempt.attempt_number)
        )
    )


@dataclass(frozen=True)
class AssignmentCard:
    """One line of the student's assignment list."""

    assignment: Assignment
    status: str
    attempts: list[QuizAttempt]
    best: AttemptSummary | None


def my_assignments(student: User, now: datetime) -> list[AssignmentCard]:
    """Every assignment of the student's classes with its status, in two queries."""
    assignments = db.session.scalars(
        select(Assignment)
        .join(Membership, Membership.class_id == Assignment.class_id)
        .where(Membership.user_id == student.id)
        .order_by(Assignment.due_at)
    ).all()
    by_assignment: dict[int, list[QuizAttempt]] = {}
    for attempt in db.session.scalars(
        select(QuizAttempt)
        .where(
            QuizAttempt.user_id == student.id,
            QuizAttempt.assignment_id.in_([a.id for a in assignments]),
        )
        .order_by(QuizAttempt.attempt_number)
    ):
        by_assignment.setdefault(attempt.assignment_id or 0, []).append(attempt)
    cards = []
    for assignment in assignments:
        attempts = by_assignment.get(assignment.id, [])
        done = [a.summary() for a in attempts]
        cards.append(
            AssignmentCard(
                assignment,
                student_status(window_of(assignment), done, now),
                attempts,
                best_attempt(done),
            )
        )
    return sorted(cards, key=lambda card: STATUS_ORDER.index(card.status))


def start_refused(
    student: User,
    assignment: Assignment,
    now: datetime,
    attempts: list[QuizAttempt] | None = None,
) -> str | None:
    """Why the student may not start an attempt now (None: they may)."""
    if attempts is None:
        attempts = my_attempts(student, assignment)
    in_progress = any(not a.is_finished for a in attempts)
    return start_refusal(
        window_of(assignment), now, len(attempts), assignment.quiz_set.attempts_allowed, in_progress
    )


def start_attempt(student: User, assignment: Assignment, now: datetime) -> QuizAttempt | str:
    """Start the next attempt, or say why not.

    The attempt number is unique per student and assignment in the database,
    so two start requests racing (or one replayed) cannot both get through.
    """
    attempts = my_attempts(student, assignment)
    refusal = start_refused(student, assignment, now, attempts)
    if refusal is not None:
        return refusal
    quiz_set = assignment.quiz_set
    attempt = QuizAttempt(
        user_id=student.id,
        title=quiz_set.title,
        assignment_id=assignment.id,
        attempt_number=len(attempts) + 1,
        started_at=now,
        feedback=quiz_set.feedback,
        question_ids=draw_for_attempt(
            quiz_set.question_ids, quiz_set.per_attempt, quiz_set.shuffle, random.Random()
        ),
        deadline_at=attempt_deadline(now, quiz_set.time_limit_minutes, window_of(assignment)),
        settings={
            "quiz_set_id": quiz_set.id,
            "instructions": quiz_set.instructions,
            "time_limit_minutes": quiz_set.time_limit_minutes,
            "always_choice": False,
        },
    )
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return "That attempt has already started; carry on with it."
    return attempt
