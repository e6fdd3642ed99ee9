"""Security headers: a policy the pages satisfy, no framing, no caching of private pages."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from helpers.web import register

from quizapp.web.headers import CONTENT_SECURITY_POLICY


def test_every_page_carries_the_security_headers(client: FlaskClient) -> None:
    for url in ("/", "/bank/", "/login", "/no-such-page"):
        headers = client.get(url).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers


def test_pages_for_a_signed_in_user_are_never_cached(client: FlaskClient) -> None:
    assert client.get("/bank/").headers.get("Cache-Control") != "no-store"
    register(client)
    for url in ("/", "/study/", "/settings", "/bank/"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    assert client.get("/static/style.css").headers.get("Cache-Control") != "no-store"


def test_hsts_only_when_served_over_https(app_factory: Callable[..., Flask]) -> None:
    secure = app_factory(SESSION_COOKIE_SECURE=True).test_client()
    assert secure.get("/").headers["Strict-Transport-Security"].startswith("max-age=")
