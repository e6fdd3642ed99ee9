"""Shared fixtures: an app on a throwaway database for the whole test session.

The database is a temporary SQLite file, or, when ``DATABASE_URL`` is set (the
CI's PostgreSQL run), that database. Nothing here touches ``instance/``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.clock import TEST_CLOCK, TestClock
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from quizapp import create_app
from quizapp.config import DEFAULT_BANK_DIR
from quizapp.extensions import db

REPO_BANK = DEFAULT_BANK_DIR


@pytest.fixture(scope="session")
def clock() -> TestClock:
    """The clock every test app reads; a test that moves it must put it back (``pinned_clock``)."""
    return TEST_CLOCK


@pytest.fixture
def pinned_clock(clock: TestClock) -> Iterator[TestClock]:
    """The shared clock, restored to the session's timeline after the test."""
    saved = clock()
    yield clock
    clock.set(max(saved, clock()))


def _external_database_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "").strip()
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url else None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _external_database_url() or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'quizapp-test.sqlite3'}"
    )


def make_app(database_url: str, instance_path: Path, **overrides: Any) -> Flask:
    """An app on ``database_url`` with test settings, migrated and loaded unless told not."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BANK_DIR": str(REPO_BANK),
        "CLOCK": TEST_CLOCK,
        # On a shared Redis, each test app counts sign-ins and guesses on its own.
        "THROTTLE_KEY_PREFIX": f"quizapp-test-{uuid.uuid4().hex[:10]}",
    }
    config.update(overrides)
    return create_app(config, instance_path=str(instance_path))


@pytest.fixture(scope="session")
def app_maker(database_url: str) -> Callable[..., Flask]:
    """``make_app`` on the session's database, for a module that needs its own app."""

    def build(instance_path: Path, **overrides: Any) -> Flask:
        return make_app(database_url, instance_path, **overrides)

    return build


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    application = make_app(database_url, tmp_path_factory.mktemp("instance"))
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _throttle_forgets_between_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """The session's app starts each test with no sign-in or guess counted (the whole run
    signs in from one address, far past what one school's address may in 15 minutes)."""
    yield
    if "app" in request.fixturenames:
        request.getfixturevalue("app").extensions["throttle"].reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of its own, for tests that change the bank or the schema."""
    external = _external_database_url()
    if external is None:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    base = make_url(external)
    name = f"{base.database}_t{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the real bank, for tests that edit or break it."""
    target = tmp_path / "bank"
    shutil.copytree(REPO_BANK, target)
    return target


@pytest.fixture
def app_factory(fresh_database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build apps on one fresh database; each gets disposed at the end."""
    made: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        application = make_app(fresh_database_url, tmp_path / "instance", **overrides)
        made.append(application)
        return application

    yield build
    for application in made:
        with application.app_context():
            db.engine.dispose()
