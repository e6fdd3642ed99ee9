"""The colour theme a visitor chose: light, dark, or (no cookie) the system's.

The choice lives in a cookie, so the server renders the page in it from the
first byte (no flash of the wrong theme); ``static/app.js`` keeps a copy in
localStorage and switches without a reload. Without a cookie the stylesheet
follows ``prefers-color-scheme``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request

COOKIE = "theme"
THEMES = ("light", "dark")
#: A year: the choice is a preference, not a secret.
COOKIE_AGE = 365 * 24 * 3600


def chosen_theme() -> str | None:
    """The theme in the request's cookie, or None to follow the system."""
    value = request.cookies.get(COOKIE)
    return value if value in THEMES else None


def local_path(target: str | None) -> str:
    """``target`` if it is a path on this site (no scheme, host or '//' trick), else '/'."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return "/"
    return target


def install(app: Flask) -> None:
    @app.context_processor
    def theme_context() -> dict[str, str | None]:
        return {"theme": chosen_theme()}
