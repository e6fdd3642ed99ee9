"""One error shape for everything inside /api: ``{"error": {"code", "message"}}``
(with ``details`` for a request that does not match the schema), whatever the status,
including the app's own 400s (control characters), 404s, 405s, 413s and 5xx."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

PREFIX = "/api/"

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
#: Headers of an HTTP error worth keeping on its JSON answer.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiError(Exception):
    """Raised by the API's views and hooks; answered in the one error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details, self.headers = details, dict(headers or {})


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, object] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    response = jsonify({"error": body})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_api_error(error: ApiError) -> Response:
    return error_response(error.status, error.code, error.message, error.details, error.headers)


def from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    kept = {name: value for name, value in error.get_headers() if name in KEPT_HEADERS}
    message = error.description or error.name
    if status >= 500:
        message = "Something went wrong on our side. Try again later."
    return error_response(status, CODES.get(status, "error"), message, headers=kept)


def unavailable() -> Response:
    return error_response(
        503,
        "unavailable",
        "The database is busy or unavailable. Try again in a few seconds.",
        headers={"Retry-After": "5"},
    )
