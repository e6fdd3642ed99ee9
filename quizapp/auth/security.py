"""Sign-in safety: throttling guesses, device cookies, and keeping redirects on this site.

Sign-in attempts are counted per username (from anywhere) and per address, before the
password is checked. A browser that has signed in to a username before holds a signed
*device cookie* naming it (OWASP's "device cookies" scheme); its attempts for that
username are counted on the device's own key instead, so a guesser who fills the
username's or the school address's counters cannot lock the owner out of their own
browser, and a student behind a shared address is not stopped by someone else's failures.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from quizapp.core.throttling import (
    PASSWORD_CHECK_PER_USER,
    SIGN_IN_PER_ADDRESS,
    SIGN_IN_PER_DEVICE,
    SIGN_IN_PER_USERNAME,
)
from quizapp.models import User
from quizapp.web.throttle import Refusal, client_address, throttle

DEVICE_COOKIE = "device"
DEVICE_COOKIE_DAYS = 180
#: Usernames one browser remembers (a family's computer, a lab machine), newest first.
DEVICE_ACCOUNTS = 8


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no protocol-relative '//' trick."""
    if not target:
        return False
    target = target.strip()
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
    )


def sign_in_refused(username: str) -> Refusal | None:
    """Count this attempt (before the password is checked) and say whether to refuse it."""
    counters = throttle()
    device = _device_key(username)
    if device is not None:
        return counters.spend(SIGN_IN_PER_DEVICE, device)
    return counters.spend(SIGN_IN_PER_USERNAME, username) or counters.spend(
        SIGN_IN_PER_ADDRESS, client_address()
    )


def password_check_refused(user: User) -> Refusal | None:
    """Count a check of the signed-in user's current password; refuse it past the limit."""
    return throttle().spend(PASSWORD_CHECK_PER_USER, str(user.id))


def forget_counts(user: User) -> None:
    """A deleted account leaves no counter naming it."""
    throttle().forget(SIGN_IN_PER_USERNAME, user.username)
    throttle().forget(PASSWORD_CHECK_PER_USER, str(user.id))


def remember_device(response: Response, username: str) -> Response:
    """After a right password: this browser's device cookie names ``username`` too."""
    entries = _device_entries()
    nonce = dict(entries).get(username) or secrets.token_urlsafe(16)
    kept = [(username, nonce)] + [entry for entry in entries if entry[0] != username]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(kept[:DEVICE_ACCOUNTS]),
        max_age=DEVICE_COOKIE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def _device_key(username: str) -> str | None:
    nonce = dict(_device_entries()).get(username)
    return f"{username}:{nonce}" if nonce else None


def _device_entries() -> list[tuple[str, str]]:
    """The (username, nonce) pairs of this browser's device cookie, if it is genuine."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        entries = _serializer().loads(raw, max_age=DEVICE_COOKIE_DAYS * 86400)
    except BadData:
        return []
    if not isinstance(entries, list):
        return []
    return [
        (entry[0], entry[1])
        for entry in entries
        if isinstance(entry, list) and len(entry) == 2 and all(isinstance(v, str) for v in entry)
    ]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="quizapp-device-cookie")
