"""API-test steps: a personal access token for an account, and its request headers."""

from __future__ import annotations

import uuid

from flask import Flask
from sqlalchemy import select

from quizapp.auth import service as auth_service
from quizapp.core.scopes import DEFAULT_SCOPE, Scope
from quizapp.extensions import db
from quizapp.models import User, utcnow


def make_token(
    app: Flask, username: str, name: str = "test token", scope: Scope = DEFAULT_SCOPE
) -> str:
    """A fresh token for ``username``, made as the Settings page makes one: read-only
    unless ``scope`` asks for more."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None, username
        made = auth_service.create_token(user, name, utcnow(), scope)
        assert not isinstance(made, str), made
        return made[1]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def review_headers(token: str, key: str | None = None) -> dict[str, str]:
    return {**bearer(token), "Idempotency-Key": key or uuid.uuid4().hex}
