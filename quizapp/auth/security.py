"""Sign-in safety: throttling repeated failures and keeping redirects on this site."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select

from quizapp.extensions import db
from quizapp.models import LoginFailure, utcnow

FAILURE_WINDOW = timedelta(minutes=15)
#: Failures for one username from one address: guessing one account is slowed down,
#: but nobody elsewhere can lock its owner out by failing on purpose.
MAX_FAILURES_PER_USERNAME_AND_ADDRESS = 5
#: Failures from one address, whatever the usernames: spraying many accounts is slowed.
MAX_FAILURES_PER_ADDRESS = 20


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


def too_many_failures(username: str, address: str) -> bool:
    """Whether this address has failed too often lately, for this username or for any."""
    since = utcnow() - FAILURE_WINDOW
    recent = (
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.failed_at >= since, LoginFailure.address == address)
    )
    by_address = db.session.scalar(recent) or 0
    by_pair = db.session.scalar(recent.where(LoginFailure.username == username)) or 0
    return by_pair >= MAX_FAILURES_PER_USERNAME_AND_ADDRESS or (
        by_address >= MAX_FAILURES_PER_ADDRESS
    )


def record_failure(username: str, address: str) -> None:
    db.session.add(LoginFailure(username=username, address=address))
    expired = utcnow() - FAILURE_WINDOW
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < expired))
    db.session.commit()


def clear_failures(username: str, address: str) -> None:
    """A right password forgives that username's failures from that address only, so a
    guesser elsewhere gets no fresh tries from the owner's sign-in."""
    db.session.execute(
        delete(LoginFailure).where(
            LoginFailure.username == username, LoginFailure.address == address
        )
    )
