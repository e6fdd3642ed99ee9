"""Hostile input stopped at the door, in one place for every route.

Numbers in URLs are bounded so that no id reaches the database as a value it
cannot hold (PostgreSQL's ``integer`` stops at 2**31 - 1; SQLite's at 2**63 - 1),
and text with control characters (a NUL byte above all, which PostgreSQL refuses
in any text column) is turned away with a clear message before any view runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import BaseConverter, IntegerConverter

#: The largest id any table holds: PostgreSQL's ``integer``.
MAX_ID = 2**31 - 1
#: Control characters people legitimately type: tab and line breaks.
ALLOWED_CONTROLS = frozenset("\t\n\r")
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


#: Unicode's category Cc (the C0 and C1 controls and DEL; fixed by Unicode's stability
#: policy) less ``ALLOWED_CONTROLS``, as one pattern: every request's text goes through
#: it, and a regular expression reads a form in microseconds where a loop over its
#: characters took tens.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTER.search(text) is not None


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
