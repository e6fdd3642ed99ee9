"""Client-test steps: CSRF tokens from pages, signing up, in and out, posting forms."""

from __future__ import annotations

import re
import uuid

from flask.testing import FlaskClient

PASSWORD = "correct horse battery"


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def unique_name(prefix: str = "student") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def register(client: FlaskClient, username: str | None = None, timezone: str = "UTC") -> str:
    """Sign up (and so sign in) a new student; returns the username."""
    username = username or unique_name()
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post(
        "/register",
        data={
            "csrf_token": token,
            "username": username,
            "display_name": username.title(),
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": timezone,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return username


def login(
    client: FlaskClient, username: str, password: str = PASSWORD, next_url: str = ""
) -> object:
    path = "/login" + (f"?next={next_url}" if next_url else "")
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "username": username, "password": password})


def logout(client: FlaskClient) -> None:
    token = csrf_token(client.get("/").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html) or re.search(
        rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', html
    )
    assert match, f"no hidden field {name}"
    return match.group(1)


def answer_current_card(client: FlaskClient, rating: int = 3, flip: bool = True) -> dict:
    """Show the card, flip it, and return the rating form's fields (not yet sent)."""
    front = client.get("/study/").get_data(as_text=True)
    question_id = hidden(front, "question_id")
    data = {
        "csrf_token": csrf_token(front),
        "question_id": question_id,
        "presentation": hidden(front, "presentation"),
        "shown_at": hidden(front, "shown_at"),
    }
    if flip:
        data["flip"] = "1"
    back = client.post("/study/answer", data=data).get_data(as_text=True)
    return {
        "csrf_token": csrf_token(back),
        "question_id": question_id,
        "presentation": hidden(back, "presentation"),
        "response": "",
        "duration_ms": hidden(back, "duration_ms"),
        "rating": str(rating),
    }
