"""The site's error pages: the layout, what happened in plain words, and a way on.

Inside /api the API keeps its one JSON error shape. Pages that answer an error with a
body of their own (the sign-in, PIN and class-code throttles show their form with the
429) never reach these handlers; only bare ``abort``s and Werkzeug's own errors do.

A server error (500) or a database that cannot answer (503) may mean the database is
gone: those pages read nothing from it. They render for a signed-out visitor, since
the signed-in user may be expired after a rollback or commit, and refreshing them
would ask the database again and fail inside the error page.
"""

from __future__ import annotations

from flask import Flask, Response, g, render_template
from flask_login import current_user
from sqlalchemy.exc import DBAPIError, InternalError, OperationalError
from werkzeug.exceptions import HTTPException

from quizapp.api import errors as api_errors
from quizapp.core.error_pages import CODES, page_for
from quizapp.core.throttling import wait_phrase
from quizapp.extensions import db, login_manager

#: The exception's own headers worth keeping on its page (a 429's wait, a 405's methods).
KEPT_HEADERS = ("Allow", "Retry-After")


def install(app: Flask) -> None:
    for code in CODES:
        app.register_error_handler(code, error_page)

    def database_unavailable(error: DBAPIError) -> tuple[str, int, dict[str, str]] | Response:
        """Busy past the timeout, locked, read-only or full: nothing half-done was kept
        (the transaction is rolled back), so the user may simply try again."""
        db.session.rollback()
        app.logger.warning("database unavailable: %s", error.orig)
        _forget_signed_in_user()
        if api_errors.is_api_request():
            return api_errors.unavailable()
        return render_template("unavailable.html"), 503, {"Retry-After": "5"}

    for failure in (OperationalError, InternalError):
        app.register_error_handler(failure, database_unavailable)


def error_page(error: HTTPException) -> tuple[str, int, dict[str, str]] | Response:
    if api_errors.is_api_request():
        return api_errors.from_http_exception(error)
    status = error.code or 500
    if status >= 500:
        _forget_signed_in_user()
    headers = {name: value for name, value in error.get_headers() if name in KEPT_HEADERS}
    return (
        render_template(
            "error.html",
            code=status,
            page=page_for(status),
            detail=_own_description(error),
            wait=_wait(headers.get("Retry-After")),
            signed_in=status < 500 and current_user.is_authenticated,
        ),
        status,
        headers,
    )


def _forget_signed_in_user() -> None:
    """Render the rest of this request for a signed-out visitor, so nothing loads an account."""
    g._login_user = login_manager.anonymous_user()


def _own_description(error: HTTPException) -> str | None:
    """The view's own words (``abort(404, "No question has that tag.")``), not Werkzeug's."""
    own = error.description
    return own if own and own != type(error).description else None


def _wait(retry_after: str | None) -> str | None:
    return wait_phrase(int(retry_after)) if retry_after and retry_after.isdigit() else None
