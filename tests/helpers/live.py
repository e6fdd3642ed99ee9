"""Live-game steps for client tests: a mixed set of questions, hosting, joining, answering."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpers.clock import TestClock
from helpers.teaching import create_set, post_form
from helpers.web import csrf_token
from quizapp.extensions import db
from quizapp.models import Question

KINDS = ("choice", "short", "order", "date", "number")


def mixed_question_ids(app: Flask) -> list[str]:
    """One question of each kind a live game asks (choice, typed, timeline, date, number)."""
    with app.app_context():
        return [
            db.session.scalars(
                select(Question.id)
                .where(Question.kind == kind, Question.retired_at.is_(None))
                .order_by(Question.id)
                .limit(1)
            ).one()
            for kind in KINDS
        ]


def answer_fields(app: Flask, question_id: str, right: bool) -> dict[str, str]:
    """The form fields of a right (or a wrong) answer to the question."""
    with app.app_context():
        question = db.session.get(Question, question_id)
        kind, answer, choices = question.kind, question.answer, list(question.choices)
    if kind == "order":
        items = list(answer) if right else list(reversed(answer))
        return {f"position-{n}": item for n, item in enumerate(items, start=1)}
    if kind == "choice":
        return {"response": answer if right else next(c for c in choices if c != answer)}
    return {"response": str(answer) if right else "no idea at all"}


def host_game(teacher: FlaskClient, set_id: int, class_id: int = 0, **fields: object) -> str:
    """Open a lobby for a set (and a class); returns the PIN."""
    response = post_form(
        teacher,
        "/live/new",
        quiz_set=str(set_id),
        school_class=str(class_id),
        seconds="20",
        count="5",
        **fields,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return re.fullmatch(r"/live/(\d{6})/host", response.headers["Location"]).group(1)


def mixed_set(teacher: FlaskClient, app: Flask, title: str = "Live mix") -> tuple[int, list[str]]:
    ids = mixed_question_ids(app)
    set_id = create_set(teacher, ids, title, shuffle="")
    return set_id, ids


def join_game(client: FlaskClient, pin: str, nickname: str) -> Any:
    return post_form(client, f"/live/?pin={pin}", "/live/", pin=pin, nickname=nickname)


def act(teacher: FlaskClient, pin: str, action: str) -> Any:
    return post_form(teacher, f"/live/{pin}/host", action=action)


def opened_at(app: Flask, pin: str) -> datetime:
    """When the game's current question opened, by the server's clock."""
    return datetime.fromisoformat(app.extensions["live_store"].get(pin)["opened_at"])


def answer(
    client: FlaskClient,
    pin: str,
    index: int,
    fields: dict[str, str],
    clock: TestClock | None = None,
    at: datetime | None = None,
) -> Any:
    """Answer from the play page; with ``clock`` and ``at``, at that moment (the clock
    stands still at ``at`` while the answer is taken, then runs on from there)."""
    client.get(f"/live/{pin}/play")
    page = client.get("/live/").get_data(as_text=True)  # a form, whatever the play page shows
    if clock is not None and at is not None:
        clock.freeze(at)
    try:
        return client.post(
            f"/live/{pin}/answer",
            data={"csrf_token": csrf_token(page), "index": str(index), **fields},
        )
    finally:
        if clock is not None and at is not None:
            clock.set(at)
