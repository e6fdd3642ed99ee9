"""Connections on a server database (``persistence.connections``): read-only pages run
outside a transaction, and a pooled connection is pinged only after idling, yet a cut
connection never costs more than one "try again" page. The views marked read-only are
proven to write nothing, on SQLite and PostgreSQL; the round-trip tests need
PostgreSQL (the CI's second run) and skip on SQLite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.teaching import (
    answer_all,
    assign,
    create_class,
    create_set,
    join,
    join_code,
    latest_attempt,
    make_teacher,
    question_ids,
    start,
)
from helpers.web import answer_current_card, register
from sqlalchemy import create_engine, event, func, select, text

from quizapp.extensions import db
from quizapp.models import Review
from quizapp.persistence import connections

WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")
READ_ONLY_VIEWS = (
    "study.show",
    "home.index",
    "progress.index",
    "teach.assignment",
    "teach.class_gradebook",
)


@contextmanager
def statements_sent(app: Flask) -> Iterator[list[tuple[str, str | None]]]:
    """Each statement the app sends meanwhile, with psycopg's transaction status after
    it (``None`` on SQLite): IDLE means it ran outside a transaction."""
    sent: list[tuple[str, str | None]] = []

    def record(_conn: object, cursor: object, statement: str, *_: object) -> None:
        info = getattr(getattr(cursor, "connection", None), "info", None)
        status = getattr(getattr(info, "transaction_status", None), "name", None)
        sent.append((statement, status))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "after_cursor_execute", record)


@pytest.fixture(scope="module")
def pages(app: Flask) -> dict[str, tuple[FlaskClient, str]]:
    """Each read-only view's URL, with a client allowed to see it filled with data."""
    teacher, student = app.test_client(), app.test_client()
    make_teacher(app, teacher)
    student_name = register(student)
    for _ in range(2):
        assert student.post("/study/review", data=answer_current_card(student)).status_code == 302
    class_id = create_class(teacher, "Read-only class")
    assert join(student, join_code(teacher, class_id)).status_code == 302
    assignment_id = assign(teacher, create_set(teacher, question_ids(app, 2), "RO set"), class_id)
    assert start(student, assignment_id).status_code == 302
    answer_all(student, app, latest_attempt(app, student_name).id, [True, False])
    return {
        "study.show": (student, "/study/"),
        "home.index": (student, "/"),
        "progress.index": (student, "/progress/"),
        "teach.assignment": (teacher, f"/teach/assignments/{assignment_id}"),
        "teach.class_gradebook": (teacher, f"/teach/classes/{class_id}/gradebook"),
    }


def test_every_read_only_view_is_covered_here(app: Flask, pages: dict) -> None:
    marked = {name for name, view in app.view_functions.items() if getattr(view, "reads_only", 0)}
    assert marked == set(pages) == set(READ_ONLY_VIEWS)


@pytest.mark.parametrize("endpoint", READ_ONLY_VIEWS)
def test_a_read_only_view_writes_nothing(app: Flask, pages: dict, endpoint: str) -> None:
    client, url = pages[endpoint]
    with statements_sent(app) as sent:
        response = client.get(url)
    assert response.status_code == 200
    assert sent, "the page read nothing: it would not prove anything"
    writes = [s for s, _ in sent if s.lstrip().upper().startswith(WRITES)]
    assert writes == []


def on_postgresql(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("round trips to a database server: the CI's PostgreSQL run")


def test_sqlite_keeps_its_plain_transactions(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
    assert connections.INSTALLED not in app.extensions
    assert not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping")


def test_a_read_only_page_runs_outside_a_transaction(app: Flask, pages: dict) -> None:
    on_postgresql(app)
    client, url = pages["study.show"]
    with statements_sent(app) as sent:
        assert client.get(url).status_code == 200
    assert {status for _, status in sent} == {"IDLE"}


def test_a_rating_runs_in_one_transaction_and_its_next_card_outside_one(app: Flask) -> None:
    on_postgresql(app)
    client = app.test_client()
    register(client)
    form = answer_current_card(client)
    with statements_sent(app) as sent:
        answer = client.post("/study/review", data=form, headers={"X-Next-Card": "inline"})
    assert answer.status_code == 200
    writes = [i for i, (s, _) in enumerate(sent) if s.lstrip().upper().startswith(WRITES)]
    assert writes
    assert all(sent[i][1] == "INTRANS" for i in range(writes[-1] + 1))
    after = sent[writes[-1] + 1 :]
    assert after
    assert {status for _, status in after} == {"IDLE"}


def test_a_form_page_still_reads_inside_a_transaction(app: Flask) -> None:
    on_postgresql(app)
    client = app.test_client()
    register(client)
    with statements_sent(app) as sent:
        assert client.get("/settings").status_code == 200
    assert sent
    assert {status for _, status in sent} == {"INTRANS"}


def cut_every_connection(app: Flask) -> None:
    """What a database restart does to the app's pooled connections."""
    with app.app_context():
        url = db.engine.url
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": url.database},
            )
    finally:
        admin.dispose()


@pytest.fixture
def served(app_factory: Callable[..., Flask]) -> tuple[Flask, FlaskClient]:
    """An app of its own on a fresh database, with a student part-way through a deck."""
    application = app_factory()
    on_postgresql(application)
    client = application.test_client()
    register(client)
    assert client.get("/study/").status_code == 200
    return application, client


def test_an_idle_connection_cut_is_replaced_before_the_request_sees_it(
    served: tuple[Flask, FlaskClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    application, client = served
    cut_every_connection(application)
    later = connections.clock() + connections.IDLE_BEFORE_PING + 1
    monkeypatch.setattr(connections, "clock", lambda: later)
    assert client.get("/study/").status_code == 200
    assert client.post("/study/review", data=answer_current_card(client)).status_code == 302


def test_a_busy_connection_cut_costs_one_try_again_page_and_loses_nothing(
    served: tuple[Flask, FlaskClient],
) -> None:
    application, client = served
    form = answer_current_card(client)
    cut_every_connection(application)
    refused = client.post("/study/review", data=form)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"]
    again = client.post("/study/review", data=form)  # the student presses the button again
    assert again.status_code == 302
    with application.app_context():
        kept = db.session.scalar(
            select(func.count()).where(Review.question_id == form["question_id"])
        )
    assert kept == 1
