"""The API's route table, with its views imported on the first API request.

The views need pydantic and spectree, about 12 MB in every worker, though most
workers only ever serve pages. So the rules are declared here, where the app's URL
map (and ``url_for``) has them from the start, and ``views`` is imported only when a
request under /api arrives: Flask's "lazily loading views" pattern. On that first
request the real, spectree-validated functions replace the stand-ins in the app's
view table, where spectree also looks when it writes the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from quizapp.api import errors
from quizapp.api.errors import ApiError
from quizapp.core.scopes import Scope

#: Routes anyone may read: the OpenAPI document and its docs page.
OPEN_ENDPOINTS = frozenset({"api.openapi", "api.docs"})

#: Set in ``app.extensions`` once the app's view table holds the real views.
LOADED = "quizapp.api.views"


@dataclass(frozen=True, slots=True)
class Route:
    """One API route. ``scope`` is what a token must hold to call it: every route that
    changes something needs ``write`` (a test holds every non-GET route to that); the
    OpenAPI document states it as each operation's security requirement."""

    rule: str
    endpoint: str  # the name of its function in ``views``
    methods: tuple[str, ...] = ("GET",)
    scope: Scope = Scope.READ


ROUTES = (
    Route("/openapi.json", "openapi"),
    Route("/docs", "docs"),
    Route("/me", "me"),
    Route("/bank/questions", "bank_questions"),
    Route("/bank/questions/<qid:question_id>", "bank_question"),
    Route("/study/next", "study_next"),
    Route("/study/reviews", "study_review", ("POST",), Scope.WRITE),
    Route("/progress", "progress"),
    Route("/exam", "exam"),
    Route("/assignments", "assignments"),
    Route("/assignments/<int:assignment_id>", "assignment"),
    Route("/teach/quiz-sets", "quiz_sets"),
    Route("/teach/quiz-sets/<int:set_id>", "quiz_set"),
    Route("/teach/classes", "classes"),
    Route("/teach/classes/<int:class_id>/gradebook", "class_gradebook"),
    Route("/teach/assignments/<int:assignment_id>/gradebook", "assignment_gradebook"),
    Route("/teach/assignments/<int:assignment_id>/items", "item_analysis"),
)

#: The scope each route's endpoint (``api.<name>``) needs.
REQUIRED_SCOPES = {f"api.{route.endpoint}": route.scope for route in ROUTES}


def required_scope(endpoint: str | None) -> Scope:
    """The scope a request's endpoint needs; ``write`` for anything not in the table, so a
    route added without a scope is refused to read-only tokens rather than let through."""
    return REQUIRED_SCOPES.get(endpoint or "", Scope.WRITE)


def views() -> ModuleType:
    """The views module, imported now if it is not yet, with this app's view table
    pointing at its functions."""
    from quizapp.api import views as module

    app = current_app
    if not app.extensions.get(LOADED):
        install_views(app, module)
    return module


def install_views(app: Flask, module: ModuleType) -> None:
    for route in ROUTES:
        app.view_functions[f"api.{route.endpoint}"] = getattr(module, route.endpoint)
    app.extensions[LOADED] = True


def stand_in(endpoint: str) -> Callable[..., Any]:
    """A view that loads the real one and hands the request to it. The hook below
    loads the views before any API view runs, so this is a fallback only."""

    def view(**arguments: Any) -> Any:
        return getattr(views(), endpoint)(**arguments)

    view.__name__ = endpoint
    return view


def register(bp: Blueprint) -> None:
    for route in ROUTES:
        bp.add_url_rule(
            route.rule, route.endpoint, stand_in(route.endpoint), methods=list(route.methods)
        )
    bp.before_request(authenticate)
    bp.after_request(api_headers)
    bp.register_error_handler(ApiError, errors.from_api_error)
    bp.register_error_handler(HTTPException, errors.from_http_exception)


def authenticate() -> None:
    """A token, and only a token, signs a request in (see ``views.authenticate``)."""
    views().authenticate()


def api_headers(response: Response) -> Response:
    """The token's rate-limit budget, and no caching of anything read with a token."""
    usage = g.get("api_usage")
    if usage is not None:
        response.headers["RateLimit-Limit"] = str(usage.limit)
        response.headers["RateLimit-Remaining"] = str(usage.remaining)
    if request.endpoint not in OPEN_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response
