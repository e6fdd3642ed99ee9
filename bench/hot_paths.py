"""Benchmark: prints figures for the hot paths. Not a test: it asserts nothing about speed.

Run: .venv/bin/python bench/hot_paths.py   (uses a throwaway SQLite database)
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

# The client steps of the tests (CSRF tokens, sign-up) drive the pages here too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from flask import Flask
from helpers.web import PASSWORD, csrf_token, hidden, login, register
from sqlalchemy import select

from quizapp import create_app
from quizapp.config import DEFAULT_BANK_DIR
from quizapp.core.grading import grade
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Membership,
    Question,
    QuizAnswer,
    QuizAttempt,
    QuizSet,
    SchoolClass,
    User,
)
from quizapp.persistence.bank_files import load_bank


def timed(label: str, runs: int, action: Callable[[], object]) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
    print(
        f"{label:<46} median {statistics.median(samples):8.3f} ms   p95 {p95:8.3f} ms"
        f"   ({runs} runs)"
    )


def main() -> None:
    bank = load_bank(DEFAULT_BANK_DIR)
    timed("load and check the whole bank", 20, lambda: load_bank(DEFAULT_BANK_DIR))
    responses = ["Kerenski", "24/10", "ten to two", "twenty-six thousand", "9.00 pm", "x" * 40]

    def grade_all() -> None:
        for question in bank.questions:
            for response in responses:
                grade(question, response)

    per_call = len(bank.questions) * len(responses)
    timed(f"grade {per_call} responses", 10, grade_all)

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
            },
            instance_path=folder,
        )
        client = app.test_client()
        register(client)
        timed("GET /study/ (next card)", 50, lambda: client.get("/study/"))

        def one_review() -> None:
            front = client.get("/study/").get_data(as_text=True)
            data = {
                "csrf_token": csrf_token(front),
                "question_id": hidden(front, "question_id"),
                "presentation": hidden(front, "presentation"),
                "flip": "1",
            }
            back = client.post("/study/answer", data=data).get_data(as_text=True)
            client.post(
                "/study/review",
                data={
                    **data,
                    "csrf_token": csrf_token(back),
                    "rating": "3",
                    "response": "",
                    "duration_ms": "1000",
                },
            )

        timed("show, flip and rate one card", 40, one_review)
        timed("GET / (dashboard)", 50, lambda: client.get("/"))
        timed("GET /bank/?q=trotsky", 50, lambda: client.get("/bank/?q=trotsky"))
        page = client.get("/bank/").get_data(as_text=True)
        print("bank questions listed per page:", len(re.findall("question-item", page)))
        teacher_pages(app)


def teacher_pages(app: Flask, students: int = 30, questions: int = 10) -> None:
    """A class of 30 students who each submitted a 10-question assignment."""
    now = datetime.now(UTC)
    with app.app_context():
        teacher = User(username="bench-teacher", display_name="T", role="teacher")
        teacher.set_password(PASSWORD)
        db.session.add(teacher)
        db.session.flush()
        school_class = SchoolClass(
            teacher_id=teacher.id,
            name="Bench",
            join_code="BENCH23",
            exam_date=(now + timedelta(days=14)).date(),
        )
        ids = list(db.session.scalars(select(Question.id).limit(questions)))
        quiz_set = QuizSet(teacher_id=teacher.id, title="Bench set", question_ids=ids)
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
        rng = random.Random(7)
        for n in range(students):
            student = User(username=f"bench-{n}", display_name=f"Student {n}", password_hash="x")
            db.session.add(student)
            db.session.flush()
            db.session.add(Membership(class_id=school_class.id, user_id=student.id))
            attempt = QuizAttempt(
                user_id=student.id,
                title="Bench set",
                question_ids=ids,
                assignment_id=assignment.id,
                attempt_number=1,
                started_at=now - timedelta(hours=1),
                finished_at=now,
            )
            for position, qid in enumerate(ids, start=1):
                right = rng.random() < 0.3 + n / students * 0.6
                attempt.answers.append(
                    QuizAnswer(position=position, question_id=qid, response="x", correct=right)
                )
            attempt.score = sum(answer.correct for answer in attempt.answers)
            db.session.add(attempt)
        db.session.commit()
        class_id, assignment_id = school_class.id, assignment.id
    client = app.test_client()
    login(client, "bench-teacher")
    label = f"({students} students x {questions} questions)"
    book = client.get(f"/teach/assignments/{assignment_id}")
    assert book.status_code == 200, book.status_code
    assert book.get_data(as_text=True).count("data-student=") == students, (
        "the gradebook did not list the class"
    )
    timed(f"GET gradebook {label}", 20, lambda: client.get(f"/teach/assignments/{assignment_id}"))
    timed(
        f"GET item analysis {label}",
        20,
        lambda: client.get(f"/teach/assignments/{assignment_id}/items"),
    )
    timed(
        f"GET class readiness ({students} students)",
        20,
        lambda: client.get(f"/teach/classes/{class_id}/readiness"),
    )
    timed(
        "GET class gradebook CSV",
        20,
        lambda: client.get(f"/teach/classes/{class_id}/gradebook.csv"),
    )


if __name__ == "__main__":
    main()
