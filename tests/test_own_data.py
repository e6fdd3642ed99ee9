"""A student's own data: the downloads hold the whole history and the settings, and
deleting the account takes everything of its own with it (and nothing of anyone else's)."""

from __future__ import annotations

import csv
import io
import json

from flask import Flask
from flask.testing import FlaskClient
from helpers.api import bearer, make_token
from helpers.teaching import (
    answer_all,
    assign,
    create_class,
    create_set,
    join,
    join_code,
    latest_attempt,
    make_teacher,
    post_form,
    question_ids,
    start,
)
from helpers.web import PASSWORD, answer_current_card, csrf_token, login, register
from sqlalchemy import func, select

from quizapp.core.scopes import Scope
from quizapp.core.throttling import SIGN_IN_PER_USERNAME
from quizapp.extensions import db
from quizapp.models import (
    ApiReviewKey,
    ApiToken,
    Card,
    ExamPlan,
    Membership,
    QuizAnswer,
    QuizAttempt,
    QuizSet,
    Review,
    SchoolClass,
    User,
)

OWN_ROWS = {
    Card: Card.user_id,
    Review: Review.user_id,
    QuizAttempt: QuizAttempt.user_id,
    Membership: Membership.user_id,
    ExamPlan: ExamPlan.user_id,
    ApiToken: ApiToken.user_id,
    ApiReviewKey: ApiReviewKey.user_id,
}


def _study(client: FlaskClient, reviews: int) -> None:
    for _ in range(reviews):
        assert client.post("/study/review", data=answer_current_card(client)).status_code == 302


def _user_id(app: Flask, username: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def _counts(app: Flask, user_id: int) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(
                select(func.count()).select_from(model).where(column == user_id)
            )
            or 0
            for model, column in OWN_ROWS.items()
        }


def _busy_student(app: Flask) -> tuple[FlaskClient, str, FlaskClient]:
    """A student with reviews (one through the API), a finished assignment, a self-test,
    an exam plan, a class and a token; returns their client, name and their teacher's."""
    teacher, student = app.test_client(), app.test_client()
    make_teacher(app, teacher)
    username = register(student)
    class_id = create_class(teacher, "Own data class")
    assert join(student, join_code(teacher, class_id)).status_code == 302
    assignment_id = assign(teacher, create_set(teacher, question_ids(app, 2), "Own set"), class_id)
    assert start(student, assignment_id).status_code == 302
    answer_all(student, app, latest_attempt(app, username).id, [True, False])
    _study(student, 3)
    token = make_token(app, username, scope=Scope.WRITE)
    card = student.get("/api/v1/study/next", headers=bearer(token)).get_json()["card"]
    sent = student.post(
        "/api/v1/study/reviews",
        json={
            "question_id": card["question"]["id"],
            "presentation": card["presentation"],
            "rating": 3,
        },
        headers={**bearer(token), "Idempotency-Key": "own-data-key"},
    )
    assert sent.status_code == 201
    assert post_form(student, "/exam/", exam_date="2026-06-01").status_code == 302
    return student, username, teacher


def test_the_downloads_hold_the_whole_history_and_the_settings(app: Flask) -> None:
    student, username, _ = _busy_student(app)
    rows = list(csv.DictReader(io.StringIO(student.get("/settings/data/reviews.csv").text)))
    assert len(rows) == 4
    assert set(rows[0]) == {
        "reviewed_at_utc",
        "question_id",
        "rating",
        "rating_label",
        "was_new",
        "response",
        "correct",
        "near_miss",
        "duration_ms",
        "desired_retention",
    }
    assert {row["rating_label"] for row in rows} <= {"Again", "Hard", "Good", "Easy"}
    settings = dict(csv.reader(io.StringIO(student.get("/settings/data/settings.csv").text)))
    assert settings["username"] == username
    assert settings["desired_retention"] == "0.9"

    response = student.get("/settings/data.json")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    everything = json.loads(response.get_data(as_text=True))
    assert everything["settings"]["username"] == username
    assert len(everything["reviews"]) == 4
    assert len(everything["cards"]) == 4
    assert everything["exam_plan"]["exam_date"] == "2026-06-01"
    assert [c["name"] for c in everything["classes"]] == ["Own data class"]
    (attempt,) = everything["quiz_attempts"]
    assert (attempt["score"], attempt["out_of"], len(attempt["answers"])) == (1, 2, 2)
    assert everything["reviews"] == sorted(
        everything["reviews"], key=lambda review: review["reviewed_at_utc"]
    )


def test_a_typed_formula_is_written_as_text_in_the_history_csv(app: Flask) -> None:
    student = app.test_client()
    username = register(student)
    # Slogans has no ordering questions, which refuse an answer that places nothing; the
    # first new card depends on the account's id, so it must not be left to chance.
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.study_categories = ["slogans"]
        db.session.commit()
    data = answer_current_card(student, flip=False)
    data["response"] = "=HYPERLINK(1)"
    assert student.post("/study/review", data=data).status_code == 302
    text = student.get("/settings/data/reviews.csv").text
    assert "'=HYPERLINK(1)" in text


def _sign_ins_counted(app: Flask, username: str) -> int:
    """Sign-in attempts counted for ``username`` in the last minute."""
    counters = app.extensions["throttle"]
    rule = SIGN_IN_PER_USERNAME.name
    item = counters.limits[rule][0]
    stats = counters.counter.get_window_stats(item, counters.prefix, rule, username)
    return item.amount - stats.remaining


def test_deleting_the_account_takes_all_of_its_own_and_nothing_else(app: Flask) -> None:
    student, username, _teacher = _busy_student(app)
    bystander, bystander_name, _ = _busy_student(app)
    user_id = _user_id(app, username)
    bystander_before = _counts(app, _user_id(app, bystander_name))
    assert all(_counts(app, user_id).values())
    with app.app_context():
        attempt_ids = list(
            db.session.scalars(select(QuizAttempt.id).where(QuizAttempt.user_id == user_id))
        )
    login(app.test_client(), username, "a wrong guess")
    assert _sign_ins_counted(app, username) == 1
    token = make_token(app, username)

    page = student.get("/settings/delete").get_data(as_text=True)
    assert "This cannot be undone" in page
    response = student.post(
        "/settings/delete",
        data={"csrf_token": csrf_token(page), "password": PASSWORD, "understand": "y"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "were deleted" in student.get("/").get_data(as_text=True)

    assert _user_id(app, username) is None
    assert not any(_counts(app, user_id).values())
    with app.app_context():
        assert not db.session.scalar(
            select(func.count())
            .select_from(QuizAnswer)
            .where(QuizAnswer.attempt_id.in_(attempt_ids))
        )
        assert db.session.scalar(select(func.count()).select_from(SchoolClass)) > 0
    assert _counts(app, _user_id(app, bystander_name)) == bystander_before
    assert _sign_ins_counted(app, username) == 0  # no counter names the account
    assert student.get("/settings").status_code == 302  # signed out
    assert student.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert login(app.test_client(), username).status_code == 200  # no such account now
    assert bystander.get("/settings").status_code == 200


def test_a_wrong_password_or_an_unticked_box_deletes_nothing(app: Flask) -> None:
    student = app.test_client()
    username = register(student)
    page = student.get("/settings/delete").get_data(as_text=True)
    wrong = student.post(
        "/settings/delete",
        data={"csrf_token": csrf_token(page), "password": "not my password", "understand": "y"},
    )
    assert wrong.status_code == 400
    assert "That is not your password" in wrong.get_data(as_text=True)
    unticked = student.post(
        "/settings/delete", data={"csrf_token": csrf_token(page), "password": PASSWORD}
    )
    assert unticked.status_code == 400
    assert "Tick the box" in unticked.get_data(as_text=True)
    assert _user_id(app, username) is not None
    assert student.get("/settings").status_code == 200


def test_a_teacher_who_runs_classes_is_refused_with_the_reason(app: Flask) -> None:
    teacher = app.test_client()
    username = make_teacher(app, teacher)
    create_class(teacher, "Year 9 Russia")
    page = teacher.get("/settings/delete").get_data(as_text=True)
    assert "cannot be deleted while you run classes" in page
    assert "Year 9 Russia" in page
    assert 'name="password"' not in page
    response = teacher.post(
        "/settings/delete",
        data={"csrf_token": csrf_token(page), "password": PASSWORD, "understand": "y"},
    )
    assert response.status_code == 400
    assert _user_id(app, username) is not None


def test_a_teacher_without_classes_is_deleted_with_their_quiz_sets(app: Flask) -> None:
    teacher = app.test_client()
    username = make_teacher(app, teacher)
    create_set(teacher, question_ids(app, 2), "Unassigned set")
    user_id = _user_id(app, username)
    page = teacher.get("/settings/delete").get_data(as_text=True)
    assert "your quiz sets" in page
    response = teacher.post(
        "/settings/delete",
        data={"csrf_token": csrf_token(page), "password": PASSWORD, "understand": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(QuizSet).where(QuizSet.teacher_id == user_id)) is None
        assert db.session.get(User, user_id) is None
