"""Quizzes through the client: build, answer once each, results, deck, privacy."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from helpers.web import csrf_token, register
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Card, Question, QuizAttempt, User
from quizapp.study import service


def start_quiz(client: FlaskClient, **fields: object) -> str:
    token = csrf_token(client.get("/quiz/").get_data(as_text=True))
    data = {"csrf_token": token, "count": "4", "feedback": "end", **fields}
    response = client.post("/quiz/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def answer_page(client: FlaskClient, app: Flask, url: str, right: bool, replays: int = 1) -> object:
    """Answer the question at ``url`` (sending the same form ``replays`` times)."""
    page = client.get(url).get_data(as_text=True)
    attempt_id, position = (int(n) for n in re.findall(r"/quiz/(\d+)/(\d+)", url)[0])
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        question = db.session.get(Question, attempt.question_ids[position - 1])
        kind, answer = question.kind, question.answer
    data: dict[str, str] = {"csrf_token": csrf_token(page)}
    if kind == "order":
        items = answer if right else list(reversed(answer))
        data.update({f"position-{n}": item for n, item in enumerate(items, start=1)})
    else:
        data["response"] = answer if right else "certainly not this"
    responses = [client.post(url, data=data) for _ in range(replays)]
    return responses[-1]


def test_build_take_and_score_a_quiz(client: FlaskClient, app: Flask) -> None:
    register(client)
    url = start_quiz(client, categories=["dates", "vote-counts"])
    rights = [True, False, True, True]
    for index, right in enumerate(rights, start=1):
        response = answer_page(client, app, url.rsplit("/", 1)[0] + f"/{index}", right)
        assert response.status_code == 302
    results = client.get(response.headers["Location"], follow_redirects=True)
    page = results.get_data(as_text=True)
    assert "3 / 4" in page
    assert "Score by category" in page
    assert page.count('class="result-item') == 4
    assert "Evidence" in page
    with app.app_context():
        attempt = db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id.desc())).first()
        categories = {db.session.get(Question, q).category for q in attempt.question_ids}
        assert categories <= {"dates", "vote-counts"}
        assert attempt.score == 3
        assert attempt.is_finished


def test_each_question_is_answered_once(client: FlaskClient, app: Flask) -> None:
    register(client)
    url = start_quiz(client)
    again = answer_page(client, app, url, right=False, replays=3)
    assert again.status_code == 302
    token = csrf_token(client.get(url, follow_redirects=True).get_data(as_text=True))
    changed = client.post(url, data={"csrf_token": token, "response": "anything"})
    assert changed.status_code == 302
    with app.app_context():
        attempt = db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id.desc())).first()
        assert [a.correct for a in attempt.answers] == [False]


def test_feedback_after_each_question(client: FlaskClient, app: Flask) -> None:
    register(client)
    url = start_quiz(client, feedback="each")
    page = answer_page(client, app, url, right=True).get_data(as_text=True)
    assert "Correct" in page
    assert "Evidence" in page
    assert "Next question" in page


def test_a_bad_builder_form_re_renders(client: FlaskClient) -> None:
    register(client)
    token = csrf_token(client.get("/quiz/").get_data(as_text=True))
    response = client.post("/quiz/", data={"csrf_token": token, "count": "500", "feedback": "each"})
    assert response.status_code == 400
    assert "Choose from 1 to 50 questions." in response.get_data(as_text=True)
    none = client.post(
        "/quiz/",
        data={
            "csrf_token": token,
            "count": "5",
            "feedback": "each",
            "categories": ["slogans"],
            "kinds": ["number"],
        },
    )
    assert "No question matches" in none.get_data(as_text=True)


def test_another_students_attempt_is_not_found(app: Flask) -> None:
    owner, other = app.test_client(), app.test_client()
    register(owner)
    register(other)
    url = start_quiz(owner)
    assert other.get(url).status_code == 404
    attempt_id = re.findall(r"/quiz/(\d+)/", url)[0]
    assert other.get(f"/quiz/{attempt_id}/results").status_code == 404


def test_missed_questions_go_to_the_front_of_the_deck(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    url = start_quiz(client, count="2", kinds=["number"])
    base = url.rsplit("/", 1)[0]
    answer_page(client, app, f"{base}/1", right=False)
    answer_page(client, app, f"{base}/2", right=True)
    results_url = f"{base}/results"
    token = csrf_token(client.get(results_url).get_data(as_text=True))
    page = client.post(f"{base}/deck", data={"csrf_token": token}, follow_redirects=True)
    assert "1 missed question added to your study deck" in page.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        attempt = db.session.get(QuizAttempt, int(re.findall(r"/quiz/(\d+)", base)[0]))
        missed = attempt.answers[0].question_id
        cards = db.session.scalars(select(Card).where(Card.user_id == user.id)).all()
        assert [card.question_id for card in cards] == [missed]
        assert service.new_question_ids(user)[0] == missed
