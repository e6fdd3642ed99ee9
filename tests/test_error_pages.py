"""Error pages outside /api: the site's layout, what happened in plain words, a link
home, the right status and the error's own headers; a 500 reads nothing from the
database, which may be what failed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from flask_login import current_user
from helpers.web import register
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import TooManyRequests

from quizapp.extensions import db


class DatabaseGone(DBAPIError):
    """Not one of the 503 page's faults: the kind of failure that ends in a 500."""


@pytest.fixture(scope="module")
def app(
    app_maker: Callable[..., Flask], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The test app with routes that fail on purpose, and 500s answered as in production."""
    application = app_maker(tmp_path_factory.mktemp("instance"), PROPAGATE_EXCEPTIONS=False)

    @application.get("/failing/<int:code>")
    def failing(code: int) -> str:
        abort(code)

    @application.get("/failing/slow-down")
    def slow_down() -> str:
        raise TooManyRequests(retry_after=120)

    @application.get("/failing/after-saving")
    def fails_after_saving() -> str:
        """A view that saves, then breaks, just as the database goes away."""
        assert current_user.is_authenticated
        db.session.commit()  # the signed-in user is now expired: reading it asks the database
        event.listen(db.engine, "before_cursor_execute", _unreachable)
        raise RuntimeError("a bug after the commit")

    @application.get("/api/v1/failing/<int:code>")
    def failing_api(code: int) -> str:
        abort(code)

    yield application
    with application.app_context():
        db.engine.dispose()


def _unreachable(*_: Any) -> None:
    raise DatabaseGone("SELECT", {}, ConnectionRefusedError("the database is gone"))


def _assert_friendly(response: Any, status: int, heading: str) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert 'aria-label="Main"' in page
    assert 'class="site-footer' in page
    assert f"<h1>{heading}</h1>" in page
    assert '<a href="/">Go to the home page</a>' in page
    return page


@pytest.mark.parametrize(
    ("status", "heading"),
    [
        (400, "We couldn&#39;t understand that request"),
        (403, "You don&#39;t have access to this page"),
        (404, "We couldn&#39;t find that page"),
        (413, "That was too large to send"),
        (429, "Too many tries — wait a moment"),
        (500, "Something went wrong on our side"),
    ],
)
def test_each_error_says_what_happened_in_the_layout_with_a_way_home(
    client: FlaskClient, status: int, heading: str
) -> None:
    _assert_friendly(client.get(f"/failing/{status}"), status, heading)


def test_an_unknown_address_is_a_friendly_404(client: FlaskClient) -> None:
    _assert_friendly(client.get("/no/such/page"), 404, "We couldn&#39;t find that page")


def test_a_403_offers_a_signed_out_visitor_the_sign_in(client: FlaskClient) -> None:
    page = _assert_friendly(
        client.get("/failing/403"), 403, "You don&#39;t have access to this page"
    )
    assert 'href="/login?next=/failing/403"' in page


def test_a_403_offers_no_sign_in_to_the_signed_in(client: FlaskClient) -> None:
    register(client)
    page = _assert_friendly(
        client.get("/failing/403"), 403, "You don&#39;t have access to this page"
    )
    assert "/login?next" not in page


def test_a_429_keeps_its_retry_after_and_says_how_long(client: FlaskClient) -> None:
    response = client.get("/failing/slow-down")
    page = _assert_friendly(response, 429, "Too many tries — wait a moment")
    assert response.headers["Retry-After"] == "120"
    assert "Wait 2 minutes, then try again." in page


def test_a_405_keeps_its_allowed_methods(client: FlaskClient) -> None:
    response = client.delete("/")
    _assert_friendly(response, 405, "That page can&#39;t be used that way")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_500_renders_without_the_database(app: Flask, client: FlaskClient) -> None:
    register(client)
    try:
        response = client.get("/failing/after-saving")
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", _unreachable)
    page = _assert_friendly(response, 500, "Something went wrong on our side")
    assert "a bug after the commit" not in page


def test_the_api_keeps_its_json_errors(client: FlaskClient) -> None:
    response = client.get("/api/v1/failing/404")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
