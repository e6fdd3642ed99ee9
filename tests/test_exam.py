"""Exam plans through the client: setting one, readiness, pacing, revision, its end."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from fsrs import Rating
from helpers.clock import utcnow
from helpers.web import csrf_token, register
from sqlalchemy import select

from quizapp.core.days import study_day
from quizapp.core.readiness import MAX_NEW_PER_DAY
from quizapp.exam import service as exam_service
from quizapp.extensions import db
from quizapp.models import ExamPlan, Question, User
from quizapp.study import service


def set_exam(client: FlaskClient, days: int, **fields: object) -> object:
    token = csrf_token(client.get("/exam/").get_data(as_text=True))
    when = (utcnow().date() + timedelta(days=days)).isoformat()
    return client.post("/exam/", data={"csrf_token": token, "exam_date": when, **fields})


def user_named(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_setting_an_exam_shows_readiness(client: FlaskClient) -> None:
    register(client)
    assert set_exam(client, 20, categories=["slogans"]).status_code == 302
    page = client.get("/exam/").get_data(as_text=True)
    assert "data-readiness>0%" in page
    assert "Weakest studied cards" in page
    assert "Not studied yet" in page
    assert "20 days to go" in page


def test_a_past_date_is_refused_with_a_message(client: FlaskClient) -> None:
    register(client)
    response = set_exam(client, -2)
    assert response.status_code == 200
    assert "The exam date has passed" in response.get_data(as_text=True)


def test_readiness_rises_after_studying(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    set_exam(client, 10, categories=["slogans"])
    with app.app_context():
        user = user_named(username)
        plan = exam_service.plan_for(user)
        before = exam_service.exam_readiness(user, plan).score
        now = utcnow()
        for qid in exam_service.scope_question_ids(plan)[:5]:
            question = db.session.get(Question, qid)
            service.record_review(
                user, question, service.presentation_key(qid, 0), Rating.Easy, None, 1000, now
            )
        after = exam_service.exam_readiness(user, plan).score
    assert before == 0
    assert after > 0.1


def test_pacing_raises_the_new_card_limit_towards_the_exam(app: Flask, client: FlaskClient) -> None:
    username = register(client)
    set_exam(client, 5)
    with app.app_context():
        user = user_named(username)
        user.new_per_day = 5
        db.session.commit()
        limits = service.limits_for(user, utcnow(), exam_service.plan_for(user))
        total = len(exam_service.scope_question_ids(exam_service.plan_for(user)))
    assert limits.new_left == min(MAX_NEW_PER_DAY, -(-total // 2))


def test_final_days_serve_the_weakest_card_even_if_not_due(app: Flask, client: FlaskClient) -> None:
    username = register(client)
    set_exam(client, 2, categories=["vote-counts"])
    with app.app_context():
        user = user_named(username)
        plan = exam_service.plan_for(user)
        scope = exam_service.scope_question_ids(plan)
        now = utcnow()
        for qid in scope:
            service.record_review(
                user,
                db.session.get(Question, qid),
                service.presentation_key(qid, 0),
                Rating.Easy,
                None,
                900,
                now,
            )
        weak = scope[0]
        service.record_review(
            user,
            db.session.get(Question, weak),
            service.presentation_key(weak, 1),
            Rating.Again,
            None,
            900,
            now,
        )
        shown = service.next_card(user, now + timedelta(hours=2), last_question_id=None)
    assert shown is not None
    assert shown.question.id == weak


def test_after_the_exam_the_plan_ends(app: Flask, client: FlaskClient) -> None:
    username = register(client)
    set_exam(client, 3)
    with app.app_context():
        user = user_named(username)
        plan = db.session.scalar(select(ExamPlan).where(ExamPlan.user_id == user.id))
        plan.exam_date = study_day(utcnow(), user.timezone) - timedelta(days=1)
        db.session.commit()
        assert exam_service.active_plan(user, utcnow()) is None
        assert service.limits_for(user, utcnow()).new_left == user.new_per_day
    page = client.get("/exam/").get_data(as_text=True)
    assert "the plan has ended" in page


def test_clearing_the_plan(client: FlaskClient) -> None:
    register(client)
    set_exam(client, 30)
    token = csrf_token(client.get("/exam/").get_data(as_text=True))
    page = client.post("/exam/clear", data={"csrf_token": token}, follow_redirects=True)
    assert "Exam plan removed" in page.get_data(as_text=True)
    assert "Set an exam date" in page.get_data(as_text=True)
