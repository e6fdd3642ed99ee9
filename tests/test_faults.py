"""Faults: reviews raced, a worker killed mid-burst, a busy or read-only database, and two
app instances on one database. Nothing acknowledged is ever lost or doubled, and no
request gets a 500. Runs on SQLite and (in CI) on PostgreSQL."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from helpers.redis_server import forget_keys_with, redis_url_or_skip
from helpers.server import Browserless, Gunicorn
from helpers.web import answer_current_card, register
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from quizapp.extensions import db
from quizapp.models import Card, Review, User
from quizapp.study import service


def reviews_of(app: Flask, username: str) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Review.question_id, Review.presentation)
            .join(User, User.id == Review.user_id)
            .where(User.username == username)
        )
        return [(question_id, presentation) for question_id, presentation in rows]


def test_raced_reviews_are_each_kept_once_and_cards_match_their_logs(app: Flask) -> None:
    """Six students, each sending every rating twice at once from two threads."""
    students: list[tuple[str, FlaskClient]] = []
    for _ in range(6):
        client = app.test_client()
        students.append((register(client), client))

    def study(student: tuple[str, FlaskClient]) -> list[int]:
        _, client = student
        statuses = []
        for _ in range(6):
            form = answer_current_card(client)
            with ThreadPoolExecutor(2) as pair:
                twins = [
                    pair.submit(twin_of(app, client).post, "/study/review", data=form)
                    for _ in range(2)
                ]
                statuses += [twin.result().status_code for twin in twins]
        return statuses

    with ThreadPoolExecutor(len(students)) as pool:
        statuses = [code for codes in pool.map(study, students) for code in codes]
    assert set(statuses) == {302}
    with app.app_context():
        for username, _ in students:
            user = db.session.scalar(select(User).where(User.username == username))
            logged = db.session.scalar(
                select(func.count()).select_from(Review).where(Review.user_id == user.id)
            )
            assert logged == 6, username  # 12 sent, 6 distinct: none lost, none doubled
            for card in db.session.scalars(select(Card).where(Card.user_id == user.id)):
                assert service.rebuilt_state(card) == service.card_state(card)


def twin_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another client in the same session: a second tab, or a double click."""
    twin = app.test_client()
    twin.set_cookie("session", _session(client))
    return twin


def _session(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


@contextmanager
def held_lock(database_url: str) -> Iterator[None]:
    """Another process holds the database: SQLite's exclusive lock, a PostgreSQL table lock."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(url)
    with engine.connect() as connection:
        connection.execute(text("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            connection.rollback()
    engine.dispose()


def test_a_busy_database_asks_to_try_again_and_keeps_what_was_saved(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory(DATABASE_BUSY_TIMEOUT=0.3)
    client = app.test_client()
    username = register(client)
    assert client.post("/study/review", data=answer_current_card(client)).status_code == 302
    form = answer_current_card(client)
    with held_lock(app.config["SQLALCHEMY_DATABASE_URI"]):
        busy = client.post("/study/review", data=form)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "5"
    assert "Try again in a moment" in busy.get_data(as_text=True)
    assert len(reviews_of(app, username)) == 1
    assert client.post("/study/review", data=form).status_code == 302  # the retry works
    assert len(reviews_of(app, username)) == 2


def test_a_read_only_database_says_so_and_loses_nothing(app_factory: Callable[..., Flask]) -> None:
    writable = app_factory()
    client = writable.test_client()
    username = register(client)
    assert client.post("/study/review", data=answer_current_card(client)).status_code == 302
    database_url = writable.config["SQLALCHEMY_DATABASE_URI"]
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        read_only = app_factory(
            AUTO_SETUP=False,
            SQLALCHEMY_DATABASE_URI=(f"sqlite:///file:{url.database}?mode=ro&uri=true"),
        )
    else:
        read_only = app_factory(
            AUTO_SETUP=False,
            SQLALCHEMY_ENGINE_OPTIONS={
                "connect_args": {"options": "-c default_transaction_read_only=on"}
            },
        )
    reader = read_only.test_client()
    reader.set_cookie("session", _session(client))
    assert reader.get("/study/").status_code == 200
    refused = reader.post("/study/review", data=answer_current_card(reader))
    assert refused.status_code == 503
    assert "cannot be written" in refused.get_data(as_text=True)
    assert len(reviews_of(writable, username)) == 1


def test_a_worker_killed_mid_burst_loses_no_acknowledged_review(
    fresh_database_url: str, tmp_path: Path
) -> None:
    acknowledged: list[tuple[str, str]] = []
    server_errors: list[int] = []
    killed = threading.Event()
    with Gunicorn(fresh_database_url, tmp_path / "instance", workers=2) as server:
        people = [Browserless(server.url) for _ in range(4)]
        usernames = [person.sign_up() for person in people]

        def burst(person: Browserless, username: str) -> None:
            for _ in range(12):
                try:
                    presentation, rated = person.review_next_card()
                except (requests.ConnectionError, AssertionError):
                    continue  # the worker died under this request: not acknowledged
                if rated.status_code >= 500:
                    server_errors.append(rated.status_code)
                elif rated.status_code == 302 and "already" not in rated.headers.get(
                    "Location", ""
                ):
                    acknowledged.append((username, presentation))

        threads = [
            threading.Thread(target=burst, args=pair)
            for pair in zip(people, usernames, strict=True)
        ]
        for thread in threads:
            thread.start()
        while len(acknowledged) < 10 and any(t.is_alive() for t in threads):
            threading.Event().wait(0.05)
        os.kill(server.worker_pids()[0], signal.SIGKILL)
        killed.set()
        for thread in threads:
            thread.join(timeout=120)
    assert killed.is_set()
    assert server_errors == []
    engine = create_engine(fresh_database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT u.username, r.presentation FROM reviews r JOIN users u ON u.id = r.user_id"
            )
        ).all()
    engine.dispose()
    stored_keys = [tuple(row) for row in stored]
    assert len(stored_keys) == len(set(stored_keys))  # no review doubled
    assert set(acknowledged) <= set(stored_keys)  # none acknowledged lost
    assert len(acknowledged) >= 10


@pytest.fixture
def shared_redis() -> Iterator[dict[str, str]]:
    """Settings putting two instances' sign-in counters (and live games) in one Redis,
    under a prefix of this test's own, removed after it."""
    prefix = f"quizapp-faults-{uuid.uuid4().hex[:10]}"
    yield {
        "REDIS_URL": redis_url_or_skip(),
        "QUIZAPP_THROTTLE_PREFIX": prefix,
        "QUIZAPP_LIVE_PREFIX": f"{prefix}:live:",
    }
    forget_keys_with(prefix)


def test_two_instances_on_one_database_behave_as_one_site(
    fresh_database_url: str, tmp_path: Path, shared_redis: dict[str, str]
) -> None:
    """On one database and one Redis (the counters of failed sign-ins live in Redis: in
    memory, each instance would count its own)."""
    with (
        Gunicorn(fresh_database_url, tmp_path / "a", workers=1, env=shared_redis) as first,
        Gunicorn(fresh_database_url, tmp_path / "b", workers=1, env=shared_redis) as second,
    ):
        student = Browserless(first.url)
        username = student.sign_up()
        _, rated = student.review_next_card()
        assert rated.status_code == 302
        # The same session on the other instance sees that review at once: it can undo it.
        student.base = second.url
        undone = student.post("/study/undo", {}, token_from="/study/")
        assert undone.status_code == 302
        assert "undone" in student.http.get(second.url + "/study/", timeout=30).text

        # Signing out on one instance ends the session on the other.
        thief = Browserless(second.url)
        thief.http.cookies.update(student.http.cookies)
        assert thief.get("/study/").status_code == 200
        student.base = first.url
        assert student.post("/logout", {}, token_from="/").status_code == 302
        assert thief.get("/study/").status_code == 302

        # Failed sign-ins on one instance count on the other.
        guesser = Browserless(first.url)
        for _ in range(5):
            assert guesser.sign_in(username, "wrong password").status_code == 200
        guesser.base = second.url
        assert guesser.sign_in(username).status_code == 429
