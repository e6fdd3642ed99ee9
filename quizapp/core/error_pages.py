"""What each error page says, in plain words: what happened and what to do next.

Werkzeug's own names ("Not Found", "Method Not Allowed") describe the protocol, not
the visitor's situation; these headings say what happened to them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorPage:
    heading: str
    explanation: str


PAGES: dict[int, ErrorPage] = {
    400: ErrorPage(
        "We couldn't understand that request",
        "Something in what your browser sent was not what this page expects. "
        "Go back, reload the page and try again.",
    ),
    403: ErrorPage(
        "You don't have access to this page",
        "It belongs to another account, or needs a teacher's account.",
    ),
    404: ErrorPage(
        "We couldn't find that page",
        "The address may be mistyped, or what it pointed to is gone.",
    ),
    405: ErrorPage(
        "That page can't be used that way",
        "The address is right, but not for this kind of request. "
        "Go back and use the page's own buttons.",
    ),
    413: ErrorPage(
        "That was too large to send",
        "Send a smaller file or less text at once.",
    ),
    429: ErrorPage(
        "Too many tries — wait a moment",
        "You sent more requests than we take in a short while.",
    ),
    500: ErrorPage(
        "Something went wrong on our side",
        "It was not something you did. We have noted the error; try again in a little while.",
    ),
}

#: Codes that get a page of their own; any other falls back on the 500 page's words.
CODES = tuple(PAGES)


def page_for(code: int) -> ErrorPage:
    """The words for ``code``; server errors without their own words read as a 500."""
    return PAGES.get(code) or PAGES[500 if code >= 500 else 400]
