"""Teaching set-ups: make a teacher, build a class, a set and an assignment, take it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpers.clock import today
from helpers.web import PASSWORD, csrf_token, login, unique_name
from quizapp.extensions import db
from quizapp.models import Question, QuizAttempt, User

TEACHER_NAME = "Ms Ivanova"


def make_teacher(app: Flask, client: FlaskClient | None = None) -> str:
    """A teacher account, made as ``flask users create --teacher`` would; signed in on
    ``client`` if one is given. Returns the username."""
    username = unique_name("teacher")
    with app.app_context():
        teacher = User(
            username=username, display_name=TEACHER_NAME, role="teacher", timezone="Europe/London"
        )
        teacher.set_password(PASSWORD)
        db.session.add(teacher)
        db.session.commit()
    if client is not None:
        login(client, username)
    return username


def post_form(
    client: FlaskClient, page_url: str, to: str | None = None, **fields: object
) -> object:
    """GET a page for its CSRF token, then POST ``fields`` to ``to`` (default: the page)."""
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(to or page_url, data={"csrf_token": token, **fields})


def create_class(client: FlaskClient, name: str = "Year 11 History", **fields: object) -> int:
    response = post_form(
        client, "/teach/classes/new", name=name, timezone="Europe/London", **fields
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/teach/classes/(\d+)", response.headers["Location"]).group(1))


def join_code(client: FlaskClient, class_id: int) -> str:
    page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    return re.search(r"data-join-code>([A-Z0-9]+)<", page).group(1)


def join(client: FlaskClient, code: str) -> object:
    return post_form(client, "/classes/", code=code)


def question_ids(app: Flask, count: int, category: str = "dates") -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Question.id)
                .where(
                    Question.category == category,
                    Question.kind.in_(("short", "date", "number", "cloze")),
                    Question.owner_id.is_(None),
                )
                .order_by(Question.id)
                .limit(count)
            )
        )


def create_set(
    client: FlaskClient, ids: list[str], title: str = "October dates", **settings: object
) -> int:
    fields = {
        "title": title,
        "instructions": "Answer from memory.",
        "shuffle": "y",
        "attempts_allowed": "2",
        "feedback": "end",
        **settings,
    }
    response = post_form(client, "/teach/sets/new", **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    set_id = int(re.search(r"/teach/sets/(\d+)", response.headers["Location"]).group(1))
    added = post_form(
        client, f"/teach/sets/{set_id}", f"/teach/sets/{set_id}/questions", question_id=ids
    )
    assert added.status_code == 302
    return set_id


def assign(
    client: FlaskClient,
    set_id: int,
    class_id: int,
    opens: date | None = None,
    due: date | None = None,
    **fields: object,
) -> int:
    opens = opens or today() - timedelta(days=1)
    due = due or today() + timedelta(days=7)
    data = {
        "school_class": str(class_id),
        "opens_on": opens.isoformat(),
        "opens_at": "00:00",
        "due_on": due.isoformat(),
        "due_at": "23:59",
        "accept_late": "y",
        **fields,
    }
    if data.get("accept_late") is None:
        del data["accept_late"]
    response = post_form(client, f"/teach/sets/{set_id}/assign", **data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/teach/assignments/(\d+)", response.headers["Location"]).group(1))


def start(client: FlaskClient, assignment_id: int) -> object:
    return post_form(client, f"/assignments/{assignment_id}", f"/assignments/{assignment_id}/start")


def answer_all(client: FlaskClient, app: Flask, attempt_id: int, right: list[bool]) -> None:
    """Answer every question of the attempt in order, right or wrong as told."""
    for position, is_right in enumerate(right, start=1):
        url = f"/quiz/{attempt_id}/{position}"
        page = client.get(url).get_data(as_text=True)
        with app.app_context():
            attempt = db.session.get(QuizAttempt, attempt_id)
            answer = db.session.get(Question, attempt.question_ids[position - 1]).answer
        response = client.post(
            url,
            data={"csrf_token": csrf_token(page), "response": answer if is_right else "no idea"},
        )
        assert response.status_code in (200, 302)


def latest_attempt(app: Flask, username: str) -> QuizAttempt:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        attempt = db.session.scalar(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id)
            .order_by(QuizAttempt.id.desc())
            .limit(1)
        )
        db.session.expunge(attempt)
        return attempt
