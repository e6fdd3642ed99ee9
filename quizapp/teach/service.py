"""Teaching persistence: classes, members, quiz sets and assignments, owned by a teacher.

Every lookup takes the signed-in teacher and returns None for anything that
is not theirs, so a view cannot forget the ownership check.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp.core.assignments import new_join_code
from quizapp.core.exports.importing import read_questions
from quizapp.core.roster import RosterRow, one_time_password, parse_roster
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Card,
    Membership,
    Question,
    QuestionTag,
    QuizAttempt,
    QuizSet,
    SchoolClass,
    User,
)
from quizapp.persistence.bank_queries import IN_BANK
from quizapp.persistence.bank_sync import search_text_for

# ---------------------------------------------------------------- ownership


def owned_class(teacher: User, class_id: int) -> SchoolClass | None:
    found = db.session.get(SchoolClass, class_id)
    return found if found is not None and found.teacher_id == teacher.id else None


def owned_set(teacher: User, set_id: int) -> QuizSet | None:
    found = db.session.get(QuizSet, set_id)
    return found if found is not None and found.teacher_id == teacher.id else None


def owned_assignment(teacher: User, assignment_id: int) -> Assignment | None:
    found = db.session.get(Assignment, assignment_id)
    if found is None or found.school_class.teacher_id != teacher.id:
        return None
    return found


def owned_attempt(teacher: User, attempt_id: int) -> QuizAttempt | None:
    """An assignment attempt by a student of one of the teacher's classes."""
    found = db.session.get(QuizAttempt, attempt_id)
    if found is None or found.assignment is None:
        return None
    return found if found.assignment.school_class.teacher_id == teacher.id else None


def classes_of(teacher: User) -> list[SchoolClass]:
    return list(
        db.session.scalars(
            select(SchoolClass)
            .where(SchoolClass.teacher_id == teacher.id)
            .order_by(SchoolClass.name, SchoolClass.id)
        )
    )


def sets_of(teacher: User) -> list[QuizSet]:
    return list(
        db.session.scalars(
            select(QuizSet)
            .where(QuizSet.teacher_id == teacher.id)
            .order_by(QuizSet.title, QuizSet.id)
        )
    )


# ---------------------------------------------------------------- classes


def _unused_join_code() -> str:
    while True:
        code = new_join_code()
        taken = db.session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == code))
        if taken is None:
            return code


def create_class(teacher: User, name: str, timezone: str) -> SchoolClass:
    school_class = SchoolClass(
        teacher_id=teacher.id,
        name=name,
        timezone=timezone,
        join_code=_unused_join_code(),
        joining_open=True,
    )
    db.session.add(school_class)
    db.session.commit()
    return school_class


def rotate_join_code(school_class: SchoolClass) -> None:
    """A new code; the old one stops working at once."""
    school_class.join_code = _unused_join_code()
    school_class.joining_open = True
    db.session.commit()


def members(school_class: SchoolClass) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.class_id == school_class.id)
            .order_by(func.lower(User.display_name), User.username)
        )
    )


def is_member(class_id: int, user_id: int) -> bool:
    return db.session.get(Membership, (class_id, user_id)) is not None


def add_member(school_class: SchoolClass, user: User, now: datetime) -> bool:
    """Add a student; False if they were already in the class.

    A late joiner gets the deck cards of the class's assignments that add
    their questions to the deck, as the students there at the time did.
    """
    if is_member(school_class.id, user.id):
        return False
    db.session.add(Membership(class_id=school_class.id, user_id=user.id, joined_at=now))
    _queue_class_deck(school_class, user.id, now)
    try:
        db.session.commit()
    except IntegrityError:  # the same student added twice at once
        db.session.rollback()
        return False
    return True


def add_by_username(school_class: SchoolClass, username: str, now: datetime) -> str:
    """Add an existing student account; returns the message to show."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        return f"No account is called '{username.strip()}'."
    if user.is_teacher:
        return f"'{user.username}' is a teacher's account; only students join classes."
    if not add_member(school_class, user, now):
        return f"{user.display_name} is already in {school_class.name}."
    return f"{user.display_name} added to {school_class.name}."


def _queue_class_deck(school_class: SchoolClass, user_id: int, now: datetime) -> None:
    for assignment in class_assignments(school_class):
        if assignment.add_to_deck:
            queue_in_deck(user_id, assignment.quiz_set.question_ids, now)


def remove_member(school_class: SchoolClass, user_id: int) -> None:
    membership = db.session.get(Membership, (school_class.id, user_id))
    if membership is not None:
        db.session.delete(membership)
        db.session.commit()


def import_roster(school_class: SchoolClass, data: bytes, now: datetime) -> list[tuple[User, str]]:
    """Create an account per roster row, with a one-time password, and enrol them.

    All or nothing: a bad row raises ``RosterInvalid`` before anything is
    written, and a clash found while writing rolls the whole file back.
    """
    existing = db.session.scalars(select(User.username))
    rows = parse_roster(data, existing_usernames=set(existing))
    created = [(_roster_account(row, school_class.timezone), one_time_password()) for row in rows]
    for user, password in created:
        user.set_password(password)
        db.session.add(user)
    db.session.flush()
    for user, _ in created:
        db.session.add(Membership(class_id=school_class.id, user_id=user.id, joined_at=now))
        _queue_class_deck(school_class, user.id, now)
    db.session.commit()
    return created


def _roster_account(row: RosterRow, timezone: str) -> User:
    return User(
        username=row.username.lower(),
        display_name=row.display_name,
        role="student",
        timezone=timezone,
        must_change_password=True,
    )


# ---------------------------------------------------------------- quiz sets


def filtered_questions(
    category: str = "", tag: str = "", kind: str = "", text: str = ""
) -> list[Question]:
    """Active bank questions matching the teacher's filter (empty means any)."""
    query = select(Question).where(Question.retired_at.is_(None), IN_BANK)
    if category:
        query = query.where(Question.category == category)
    if kind:
        query = query.where(Question.kind == kind)
    if tag:
        tagged = select(QuestionTag.question_id).where(QuestionTag.tag == tag)
        query = query.where(Question.id.in_(tagged))
    for word in text.lower().split():
        query = query.where(or_(Question.search_text.contains(word), Question.id.contains(word)))
    return list(db.session.scalars(query.order_by(Question.category, Question.id)))


def questions_in(quiz_set: QuizSet) -> list[Question]:
    """The set's questions in its order (retired ones included: they stay assigned)."""
    by_id = {
        q.id: q
        for q in db.session.scalars(select(Question).where(Question.id.in_(quiz_set.question_ids)))
    }
    return [by_id[qid] for qid in quiz_set.question_ids if qid in by_id]


def add_questions(quiz_set: QuizSet, question_ids: Iterable[str], now: datetime) -> int:
    """Append questions not yet in the set; returns how many were new."""
    known = set(
        db.session.scalars(
            select(Question.id).where(
                Question.id.in_(list(question_ids)),
                Question.retired_at.is_(None),
                or_(IN_BANK, Question.owner_id == quiz_set.teacher_id),
            )
        )
    )
    fresh = [
        qid
        for qid in dict.fromkeys(question_ids)
        if qid in known and qid not in quiz_set.question_ids
    ]
    quiz_set.question_ids = [*quiz_set.question_ids, *fresh]
    quiz_set.updated_at = now
    db.session.commit()
    return len(fresh)


def remove_question(quiz_set: QuizSet, question_id: str, now: datetime) -> None:
    quiz_set.question_ids = [qid for qid in quiz_set.question_ids if qid != question_id]
    if quiz_set.per_attempt and quiz_set.per_attempt > len(quiz_set.question_ids):
        quiz_set.per_attempt = None
    quiz_set.updated_at = now
    db.session.commit()


def draw_into_set(
    quiz_set: QuizSet,
    candidates: Sequence[Question],
    count: int,
    now: datetime,
    rng: random.Random | None = None,
) -> int:
    """Add ``count`` random questions from the filter that the set does not hold yet."""
    pool = [q.id for q in candidates if q.id not in quiz_set.question_ids]
    chosen = (rng or random.Random()).sample(pool, min(count, len(pool)))
    return add_questions(quiz_set, chosen, now)


def copy_set(teacher: User, original: QuizSet, now: datetime) -> QuizSet:
    duplicate = QuizSet(
        teacher_id=teacher.id,
        title=f"Copy of {original.title}"[:120],
        instructions=original.instructions,
        question_ids=list(original.question_ids),
        per_attempt=original.per_attempt,
        shuffle=original.shuffle,
        attempts_allowed=original.attempts_allowed,
        time_limit_minutes=original.time_limit_minutes,
        feedback=original.feedback,
        created_at=now,
        updated_at=now,
    )
    db.session.add(duplicate)
    db.session.commit()
    return duplicate


def import_questions(
    teacher: User, quiz_set: QuizSet, data: bytes, fmt: str, default_category: str, now: datetime
) -> int:
    """Store a file's questions as the teacher's own and append them to the set.

    All or nothing: a bad file raises ``ImportInvalid`` before anything is
    written, and the questions and the set change in one transaction.
    """
    found = read_questions(data, fmt, default_category)
    ids = []
    for item in found:
        question = replace(item.question, id=f"t{teacher.id}_{secrets.token_hex(6)}")
        row = Question(
            id=question.id,
            kind=question.kind,
            category=question.category,
            prompt=question.prompt,
            answer=list(question.answer) if isinstance(question.answer, tuple) else question.answer,
            accepted=list(question.accepted),
            choices=list(question.choices),
            source="",
            evidence="",
            more_evidence=[],
            explanation=question.explanation,
            note=question.note,
            search_text=search_text_for(question),
            content_hash=question.content_hash,
            file=f"import line {item.line}",
            created_at=now,
            updated_at=now,
            owner_id=teacher.id,
        )
        row.tag_rows = [QuestionTag(tag=tag) for tag in dict.fromkeys(question.tags)]
        db.session.add(row)
        ids.append(question.id)
    quiz_set.question_ids = [*quiz_set.question_ids, *ids]
    quiz_set.updated_at = now
    db.session.commit()
    return len(ids)


# ---------------------------------------------------------------- assignments


def assign(
    quiz_set: QuizSet,
    school_class: SchoolClass,
    opens_at: datetime,
    due_at: datetime,
    accept_late: bool,
    add_to_deck: bool,
    now: datetime,
) -> Assignment:
    assignment = Assignment(
        class_id=school_class.id,
        quiz_set_id=quiz_set.id,
        opens_at=opens_at,
        due_at=due_at,
        accept_late=accept_late,
        add_to_deck=add_to_deck,
        created_at=now,
    )
    db.session.add(assignment)
    if add_to_deck:
        for student in members(school_class):
            queue_in_deck(student.id, quiz_set.question_ids, now)
    db.session.commit()
    return assignment


def queue_in_deck(user_id: int, question_ids: Sequence[str], now: datetime) -> int:
    """Give the student a waiting new card for each question not yet in their deck."""
    have = set(
        db.session.scalars(
            select(Card.question_id).where(
                Card.user_id == user_id, Card.question_id.in_(list(question_ids))
            )
        )
    )
    fresh = [qid for qid in dict.fromkeys(question_ids) if qid not in have]
    for question_id in fresh:
        db.session.add(Card.waiting(user_id, question_id, now))
    return len(fresh)


def class_assignments(school_class: SchoolClass) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.class_id == school_class.id)
            .order_by(Assignment.due_at, Assignment.id)
        )
    )


def attempts_for(assignment: Assignment, with_answers: bool = False) -> list[QuizAttempt]:
    """Every attempt at the assignment, by student then number; ``with_answers``
    loads their answers in one more query instead of one per attempt."""
    query = select(QuizAttempt).where(QuizAttempt.assignment_id == assignment.id)
    if with_answers:
        query = query.options(selectinload(QuizAttempt.answers))
    return list(db.session.scalars(query.order_by(QuizAttempt.user_id, QuizAttempt.attempt_number)))
