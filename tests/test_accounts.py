"""Accounts: sign-up, sign-in, safe redirects, CSRF, cookies and roles (throttling: in
test_throttle.py)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.web import PASSWORD, csrf_token, login, logout, register, unique_name
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import User


def test_register_signs_in_and_shows_the_dashboard(client: FlaskClient) -> None:
    username = register(client)
    page = client.get("/").get_data(as_text=True)
    assert f"Hello, {username.title()}" in page
    assert "Start studying" in page


def test_usernames_are_unique_regardless_of_case(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    logout(client)
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post(
        "/register",
        data={
            "csrf_token": token,
            "username": username.upper(),
            "display_name": "Someone",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "UTC",
        },
    )
    assert response.status_code == 200
    assert "That username is taken" in response.get_data(as_text=True)


def test_a_bad_form_re_renders_with_messages_and_creates_nothing(
    client: FlaskClient, app: Flask
) -> None:
    username = unique_name()
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post(
        "/register",
        data={
            "csrf_token": token,
            "username": username,
            "display_name": "X",
            "password": "short",
            "confirm": "other",
            "timezone": "UTC",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Field must be between 8 and 200 characters long." in page
    assert "The passwords differ." in page
    assert f'value="{username}"' in page
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == username)) is None


def test_passwords_are_hashed(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert user.role == "student"


def test_sign_in_and_out(client: FlaskClient) -> None:
    username = register(client)
    logout(client)
    assert client.get("/study/").status_code == 302
    response = login(client, username)
    assert response.status_code == 302
    assert client.get("/study/").status_code == 200


def test_wrong_password_is_refused_with_a_message(client: FlaskClient) -> None:
    username = register(client)
    logout(client)
    response = login(client, username, "wrong password")
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert client.get("/study/").status_code == 302


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("https://elsewhere.example/", "/"),
        ("//elsewhere.example/x", "/"),
        ("/\\elsewhere.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/study/", "/study/"),
    ],
)
def test_next_only_redirects_inside_the_site(
    client: FlaskClient, next_url: str, expected: str
) -> None:
    username = register(client)
    logout(client)
    response = login(client, username, next_url=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_protected_pages_send_visitors_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/study/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_missing_or_forged_csrf_token_is_refused(client: FlaskClient, app: Flask) -> None:
    username = unique_name()
    form = {
        "username": username,
        "display_name": "X",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "timezone": "UTC",
    }
    client.get("/register")
    assert client.post("/register", data=form).status_code == 400
    assert client.post("/register", data={**form, "csrf_token": "forged"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == username)) is None


def test_logout_needs_a_post_with_a_token(client: FlaskClient) -> None:
    register(client)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/study/").status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(client: FlaskClient) -> None:
    client.get("/register")
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post(
        "/register",
        data={
            "csrf_token": token,
            "username": unique_name(),
            "display_name": "X",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "UTC",
        },
    )
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_settings_save_and_bad_values_re_render(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    token = csrf_token(client.get("/settings").get_data(as_text=True))
    good = {
        "csrf_token": token,
        "display_name": "Sasha",
        "timezone": "Europe/London",
        "answer_mode": "flip",
        "desired_retention": "0.85",
        "new_per_day": "5",
        "max_reviews_per_day": "100",
        "study_categories": ["dates", "slogans"],
    }
    assert client.post("/settings", data=good).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert (user.new_per_day, user.desired_retention, user.answer_mode) == (5, 0.85, "flip")
        assert user.study_categories == ["dates", "slogans"]
    response = client.post("/settings", data={**good, "desired_retention": "1.5"})
    assert response.status_code == 200
    assert "Choose between 0.70 and 0.99" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user.desired_retention == 0.85


def test_users_cli_creates_teachers_and_promotes(app: Flask) -> None:
    runner = app.test_cli_runner()
    teacher, student = unique_name("teacher"), unique_name()
    result = runner.invoke(
        args=["users", "create", teacher, "--teacher", "--password", "longenough"]
    )
    assert result.exit_code == 0, result.output
    runner.invoke(args=["users", "create", student, "--password", "longenough"])
    again = runner.invoke(args=["users", "create", student, "--password", "longenough"])
    assert again.exit_code != 0
    assert "is taken" in again.output
    runner.invoke(args=["users", "promote", student])
    with app.app_context():
        roles = dict(
            db.session.execute(
                select(User.username, User.role).where(User.username.in_([teacher, student]))
            ).all()
        )
    assert roles == {teacher: "teacher", student: "teacher"}


def copy_of_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another client holding a copy of ``client``'s session cookie, as a thief would."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def test_signing_out_ends_a_copied_session(app: Flask, client: FlaskClient) -> None:
    register(client)
    thief = copy_of_session(app, client)
    assert thief.get("/study/").status_code == 200
    logout(client)
    assert thief.get("/study/").status_code == 302


def test_a_new_password_ends_every_other_session(app: Flask, client: FlaskClient) -> None:
    register(client)
    thief = copy_of_session(app, client)
    page = client.get("/password").get_data(as_text=True)
    response = client.post(
        "/password",
        data={
            "csrf_token": csrf_token(page),
            "current": PASSWORD,
            "password": "a new long secret",
            "confirm": "a new long secret",
        },
    )
    assert response.status_code == 302
    assert client.get("/study/").status_code == 200
    assert thief.get("/study/").status_code == 302


@pytest.mark.parametrize("key", ["1", "x:0", "1:x", "99999999999999999999:0", ":"])
def test_a_session_key_of_the_wrong_shape_is_anonymous(app: Flask, key: str) -> None:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    assert client.get("/study/").status_code == 302
