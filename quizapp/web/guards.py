"""Hostile input stopped at the door, in one place for every route.

Numbers in URLs are bounded so that no id reaches the database as a value it
cannot hold (PostgreSQL's ``integer`` stops at 2**31 - 1; SQLite's at 2**63 - 1),
and text with control characters (a NUL byte above all, which PostgreSQL refuses
in any text column; C0 and C1 alike, as ``quizapp.core.controls`` defines them) is
turned away with a clear message before any view runs. Uploaded files are read by
their own readers, which check their contents against the same definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import BaseConverter, IntegerConverter

from quizapp.core.controls import has_control_character

#: The largest id any table holds: PostgreSQL's ``integer``.
MAX_ID = 2**31 - 1
BAD_TEXT = (
    "The request contains a control character (such as a NUL byte) that no text "
    "here may hold. Remove it and try again."
)


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that matches only 0 to ``MAX_ID``: anything larger is a 404, not a 500."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class QuestionIdConverter(BaseConverter):
    """``<qid:...>``: what a bank question id can be (letters, digits, ``.``, ``_``, ``-``;
    at most 120 characters, as the column holds). Anything else is a 404."""

    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}"


def _texts() -> Iterable[str]:
    yield request.path
    for key, value in request.args.items(multi=True):
        yield from (key, value)
    if request.method in ("POST", "PUT", "PATCH"):
        for key, value in request.form.items(multi=True):
            yield from (key, value)


def refuse_control_characters() -> None:
    if any(has_control_character(text) for text in _texts()):
        abort(400, description=BAD_TEXT)


def install(app: Flask) -> None:
    """Bound every ``int`` in the URL map and screen every request's text."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["qid"] = QuestionIdConverter
    app.before_request(refuse_control_characters)
