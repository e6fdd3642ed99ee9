"""What a teacher reads: gradebooks, item analysis, class readiness, and their CSVs.

The figures come from the core (``assignments``, ``items``, ``readiness``);
this module only gathers the rows they need.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from quizapp.core.assignments import best_attempt, gradebook_status
from quizapp.core.bank import CATEGORIES, CATEGORY_LABELS
from quizapp.core.exports.tabular import spreadsheet_safe
from quizapp.core.items import ItemResponse, ItemStats, analyse_items, small_sample_note
from quizapp.core.readiness import Readiness, exam_moment, readiness
from quizapp.core.scheduling import CardState
from quizapp.exam.service import questions_in_scope
from quizapp.extensions import db
from quizapp.models import Assignment, Card, Question, QuizAttempt, SchoolClass, User
from quizapp.teach.service import attempts_for, class_assignments, members

#: The gradebook CSV's columns, in order (documented in the README).
ASSIGNMENT_CSV_COLUMNS = (
    "username",
    "display_name",
    "status",
    "score",
    "out_of",
    "percent",
    "attempts",
    "time_taken_seconds",
    "submitted_at_utc",
    "late",
)


def _writer(out: io.StringIO) -> _SafeWriter:
    return _SafeWriter(csv.writer(out, lineterminator="\n"))


class _SafeWriter:
    """A csv writer that passes every cell through ``spreadsheet_safe``."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Sequence[object]) -> None:
        self._writer.writerow([spreadsheet_safe(cell) for cell in row])


@dataclass(frozen=True)
class GradebookRow:
    """One student on one assignment."""

    student: User
    status: str
    attempts: list[QuizAttempt]
    best: QuizAttempt | None

    @property
    def percent(self) -> int | None:
        if self.best is None or not self.best.total:
            return None
        return round(100 * (self.best.score or 0) / self.best.total)

    @property
    def seconds_taken(self) -> int | None:
        if self.best is None or self.best.finished_at is None:
            return None
        return int((self.best.finished_at - self.best.started_at).total_seconds())


def assignment_gradebook(
    assignment: Assignment, students: Sequence[User] | None = None
) -> list[GradebookRow]:
    """A row per student of the class (``students``, when the caller has them)."""
    by_student: dict[int, list[QuizAttempt]] = {}
    for attempt in attempts_for(assignment):
        by_student.setdefault(attempt.user_id, []).append(attempt)
    rows = []
    for student in students if students is not None else members(assignment.school_class):
        attempts = by_student.get(student.id, [])
        summaries = [a.summary() for a in attempts]
        chosen = best_attempt(summaries)
        best = attempts[summaries.index(chosen)] if chosen is not None else None
        rows.append(GradebookRow(student, gradebook_status(summaries), attempts, best))
    return rows


#: What an assignment's gradebook can be sorted by (``?sort=key``, ``-key`` for descending):
#: the fallback for browsers without JavaScript, which sorts the table in place.
GRADEBOOK_SORTS: dict[str, Callable[[GradebookRow], Any]] = {
    "student": lambda row: (row.student.display_name.casefold(), row.student.username),
    "status": lambda row: row.status,
    "score": lambda row: row.percent,
    "time": lambda row: row.seconds_taken,
    "attempts": lambda row: len(row.attempts),
}


def sort_gradebook(rows: Sequence[GradebookRow], sort: str | None) -> list[GradebookRow]:
    """``rows`` in the order ``sort`` names (rows without a value last), else as they came."""
    key = GRADEBOOK_SORTS.get((sort or "").removeprefix("-"))
    if key is None:
        return list(rows)
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    return sorted(present, key=key, reverse=(sort or "").startswith("-")) + missing


def assignment_csv(rows: Sequence[GradebookRow]) -> str:
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow(ASSIGNMENT_CSV_COLUMNS)
    for row in rows:
        best = row.best
        writer.writerow(
            [
                row.student.username,
                row.student.display_name,
                row.status,
                "" if best is None else best.score,
                "" if best is None else best.total,
                "" if row.percent is None else row.percent,
                len(row.attempts),
                "" if row.seconds_taken is None else row.seconds_taken,
                ""
                if best is None or best.finished_at is None
                else best.finished_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "" if best is None else ("yes" if best.late else "no"),
            ]
        )
    return out.getvalue()


@dataclass(frozen=True)
class ClassGradebook:
    """Students by assignments: best percent per cell, with row and column averages."""

    assignments: list[Assignment]
    students: list[User]
    cells: dict[tuple[int, int], GradebookRow]

    def student_average(self, student: User) -> int | None:
        return _average(self.cells[(student.id, a.id)].percent for a in self.assignments)

    def assignment_average(self, assignment: Assignment) -> int | None:
        return _average(self.cells[(s.id, assignment.id)].percent for s in self.students)


def _average(values: Iterable[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present)) if present else None


def class_gradebook(school_class: SchoolClass) -> ClassGradebook:
    assignments = class_assignments(school_class)
    students = members(school_class)
    cells = {}
    for assignment in assignments:
        for row in assignment_gradebook(assignment, students):
            cells[(row.student.id, assignment.id)] = row
    return ClassGradebook(assignments, students, cells)


def class_csv(book: ClassGradebook) -> str:
    """Columns: username, display_name, one per assignment (its title and id, the
    best percent or empty), then average_percent."""
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow(
        [
            "username",
            "display_name",
            *[f"{a.quiz_set.title} (#{a.id})" for a in book.assignments],
            "average_percent",
        ]
    )
    for student in book.students:
        percents = [book.cells[(student.id, a.id)].percent for a in book.assignments]
        average = book.student_average(student)
        writer.writerow(
            [
                student.username,
                student.display_name,
                *["" if p is None else p for p in percents],
                "" if average is None else average,
            ]
        )
    return out.getvalue()


@dataclass(frozen=True)
class ItemRow:
    stats: ItemStats
    question: Question | None

    @property
    def sample_note(self) -> str | None:
        """Why this question's discrimination is not judged yet, if it is not."""
        return small_sample_note(self.stats.answered) if self.stats.answered else None


def item_sample_note(attempts: int) -> str | None:
    """The report-wide warning while too few students have submitted to judge by."""
    return small_sample_note(attempts) if attempts else None


def item_analysis(assignment: Assignment) -> tuple[list[ItemRow], int]:
    """Per question: facility, discrimination, common wrong answers, flags.

    Each student's first submitted attempt counts, so a retake after seeing
    the answers does not flatter the question. Returns the rows and how many
    attempts they rest on.
    """
    first: dict[int, QuizAttempt] = {}
    for attempt in attempts_for(assignment, with_answers=True):
        if attempt.is_finished and attempt.user_id not in first:
            first[attempt.user_id] = attempt
    table = [
        {
            answer.question_id: ItemResponse(answer.correct, answer.response)
            for answer in attempt.answers
        }
        for attempt in first.values()
    ]
    stats = analyse_items(table, assignment.quiz_set.question_ids)
    questions = {
        q.id: q
        for q in db.session.scalars(
            select(Question).where(Question.id.in_([s.question_id for s in stats]))
        )
    }
    return [ItemRow(s, questions.get(s.question_id)) for s in stats], len(table)


@dataclass(frozen=True)
class ClassReadiness:
    """The class's exam forecast: per student, per category, weakest questions."""

    per_student: list[tuple[User, Readiness]]
    per_category: list[tuple[str, int | None]]
    weakest: list[tuple[Question, int]]
    not_started: list[User]


def class_readiness(school_class: SchoolClass) -> ClassReadiness | None:
    """Each member's forecast for the class's exam, as the student's own page computes
    it (their cards in scope, projected to 9 am on the day in their time zone)."""
    if school_class.exam_date is None:
        return None
    students = members(school_class)
    scope = questions_in_scope(school_class.exam_categories or [], school_class.exam_tags or [])
    states: dict[int, dict[str, CardState | None]] = {s.id: dict.fromkeys(scope) for s in students}
    for card in db.session.scalars(
        select(Card).where(Card.user_id.in_(list(states)), Card.question_id.in_(scope))
    ):
        states[card.user_id][card.question_id] = card.memory_state()
    per_student = [
        (
            student,
            readiness(states[student.id], exam_moment(school_class.exam_date, student.timezone)),
        )
        for student in students
    ]
    recall_sum: dict[str, float] = {}
    for _, forecast in per_student:
        for card in forecast.cards:
            recall_sum[card.question_id] = recall_sum.get(card.question_id, 0.0) + card.recall
    questions = {
        q.id: q
        for q in db.session.scalars(select(Question).where(Question.id.in_(list(recall_sum))))
    }
    by_category: dict[str, list[float]] = {}
    for qid, total in recall_sum.items():
        by_category.setdefault(questions[qid].category, []).append(total / len(students))
    per_category = [
        (CATEGORY_LABELS[c], round(100 * sum(v) / len(v)) if v else None)
        for c in CATEGORIES
        if (v := by_category.get(c))
    ]
    weakest = sorted(recall_sum.items(), key=lambda item: (item[1], item[0]))[:10]
    not_started = [
        student for student, forecast in per_student if forecast.not_started == len(forecast.cards)
    ]
    return ClassReadiness(
        per_student=per_student,
        per_category=per_category,
        weakest=[(questions[qid], round(100 * total / len(students))) for qid, total in weakest],
        not_started=not_started,
    )
