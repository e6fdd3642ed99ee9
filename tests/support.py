"""Helpers for client tests: the clock, CSRF tokens from pages, signing up a fresh student."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

PASSWORD = "correct horse battery"

# Where the tests' clock starts: a weekday afternoon in winter, far from any
# daylight-saving change, so no test depends on the hour or zone CI runs in.
CLOCK_START = datetime(2026, 1, 14, 13, 0, tzinfo=UTC)


class TestClock:
    """The app's clock in tests (the ``CLOCK`` setting).

    It starts at a fixed instant and runs on at the real pace from there, so
    things still happen in order; ``set`` moves it to another instant.
    """

    __test__ = False  # not a test class, despite the name

    def __init__(self, start: datetime = CLOCK_START) -> None:
        self.set(start)

    def set(self, instant: datetime) -> None:
        self._start, self._base = instant, time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._base)


TEST_CLOCK = TestClock()


def utcnow() -> datetime:
    """Now on the tests' clock: what the app reads as now, in or out of an app context."""
    return TEST_CLOCK()


def today(zone: str = "Europe/London") -> date:
    """Today on the tests' clock, in ``zone`` (never the machine's own zone)."""
    return TEST_CLOCK().astimezone(ZoneInfo(zone)).date()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def unique_name(prefix: str = "student") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def register(client: FlaskClient, username: str | None = None, timezone: str = "UTC") -> str:
    """Sign up (and so sign in) a new student; returns the username."""
    username = username or unique_name()
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post("/register", data={
        "csrf_token": token, "username": username, "display_name": username.title(),
        "password": PASSWORD, "confirm": PASSWORD, "timezone": timezone,
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    return username


def login(client: FlaskClient, username: str, password: str = PASSWORD, next_url: str = ""
          ) -> object:
    path = "/login" + (f"?next={next_url}" if next_url else "")
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "username": username,
                                   "password": password})


def logout(client: FlaskClient) -> None:
    token = csrf_token(client.get("/").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html) or re.search(
        rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)
