"""Hostile input is turned away at the door: a clear 4xx, never a 500, and nothing stored.

Runs on SQLite and (in CI) on PostgreSQL, where NUL bytes and ids past 2**31 used
to reach the database and fail there.
"""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.teaching import create_class, make_teacher
from helpers.web import PASSWORD, csrf_token, register, unique_name
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import User
from quizapp.web.guards import MAX_ID

HUGE_IDS = [str(MAX_ID + 1), "9223372036854775808", "99999999999999999999999"]


@pytest.mark.parametrize("number", HUGE_IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/quiz/{n}",
        "/quiz/{n}/1",
        "/assignments/{n}",
        "/teach/classes/{n}",
        "/teach/sets/{n}",
        "/teach/assignments/{n}",
        "/teach/attempts/{n}",
    ],
)
def test_ids_past_what_the_database_holds_are_not_found(app: Flask, path: str, number: str) -> None:
    student, teacher = app.test_client(), app.test_client()
    register(student)
    make_teacher(app, teacher)
    for client in (student, teacher):
        assert client.get(path.format(n=number)).status_code == 404


def test_the_largest_id_still_reaches_the_view(app: Flask) -> None:
    client = app.test_client()
    make_teacher(app, client)
    response = client.get(f"/teach/classes/{MAX_ID}")
    assert response.status_code == 404
    assert "Not Found" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-1", "10001", "999999999999999999999"])
def test_bank_pages_out_of_range_are_not_found(client: FlaskClient, page: str) -> None:
    assert client.get(f"/bank/?page={page}").status_code == 404


def test_bank_page_that_is_not_a_number_shows_the_first(client: FlaskClient) -> None:
    page = client.get("/bank/?page=abc").get_data(as_text=True)
    assert "Page 1 of" in page


@pytest.mark.parametrize(
    "url", ["/bank/?q=%00", "/bank/?q=a%00b", "/bank/%00x", "/bank/?tag=%1b", "/bank/?%00=1"]
)
def test_control_characters_in_urls_are_refused_with_a_reason(
    client: FlaskClient, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


def test_nul_in_a_login_is_refused_and_counts_no_failure(client: FlaskClient) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"csrf_token": token, "username": "ann\x00", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


def test_nul_in_a_sign_up_stores_nothing(app: Flask, client: FlaskClient) -> None:
    username = unique_name()
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post(
        "/register",
        data={
            "csrf_token": token,
            "username": username,
            "display_name": "Nad\x00ia",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "UTC",
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == username)) is None


def test_tabs_and_line_breaks_are_still_welcome(app: Flask, client: FlaskClient) -> None:
    response = client.get("/bank/?q=aurora%09%0d%0a")
    assert response.status_code == 200


def test_nul_in_a_teachers_form_changes_nothing(app: Flask) -> None:
    client = app.test_client()
    make_teacher(app, client)
    class_id = create_class(client, name="Safe name")
    page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    response = client.post(
        f"/teach/classes/{class_id}/members",
        data={"csrf_token": csrf_token(page), "username": "x\x00y"},
    )
    assert response.status_code == 400
    assert "Students (0)" in client.get(f"/teach/classes/{class_id}").get_data(as_text=True)


def test_a_body_past_the_limit_is_refused_before_it_is_read(app: Flask) -> None:
    client = app.test_client()
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/login", data=b"x" * (limit + 1), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "Too Large" in response.get_data(as_text=True)


def test_a_giant_roster_is_refused_whole_and_creates_nobody(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    class_id = create_class(teacher, name="Giant roster")
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    rows = b"".join(b"student%07d,Student %d\n" % (n, n) for n in range(60_000))
    response = teacher.post(
        f"/teach/classes/{class_id}/roster",
        data={
            "csrf_token": csrf_token(page),
            "roster": (io.BytesIO(b"username,display_name\n" + rows), "giant.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "student0000001")) is None


def test_the_guards_refuse_exactly_unicodes_control_characters_but_tab_and_line_breaks() -> None:
    """The guards' pattern spells out Unicode's category Cc, checked over every code point."""
    import unicodedata

    from quizapp.web.guards import ALLOWED_CONTROLS, has_control_character

    for code in range(0x110000):
        character = chr(code)
        wanted = unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS
        assert has_control_character(f"ok{character}ok") == wanted, hex(code)
