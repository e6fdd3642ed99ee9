"""schemathesis against the API's own OpenAPI document, through the WSGI app.

Every operation is called with data generated from the document (valid and invalid),
with a teacher's token whose class has an assignment someone finished, and each answer
is checked: no 5xx, every status and body as documented, every operation refusing a
request without a valid token (``ignored_auth``), invalid data refused and valid data
accepted. The example count is kept modest so the run takes well under a minute.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from helpers.api import bearer, make_token
from helpers.teaching import (
    answer_all,
    assign,
    create_class,
    create_set,
    join,
    join_code,
    latest_attempt,
    make_teacher,
    question_ids,
    start,
)
from helpers.web import register
from hypothesis import HealthCheck, settings

from quizapp import create_app
from quizapp.api import routing
from quizapp.api.spec import api_spec
from quizapp.core.scopes import Scope


@pytest.fixture(scope="module")
def teacher_token(app: Flask) -> Iterator[str]:
    """A teacher with a class, a set and an assignment one student finished; the rate
    limit is lifted for the run (it is tested on its own)."""
    teacher, student = app.test_client(), app.test_client()
    name = make_teacher(app, teacher)
    student_name = register(student)
    class_id = create_class(teacher, "Schemathesis class")
    assert join(student, join_code(teacher, class_id)).status_code == 302
    questions = question_ids(app, 2)
    assignment_id = assign(teacher, create_set(teacher, questions, "Schemathesis set"), class_id)
    assert start(student, assignment_id).status_code == 302
    answer_all(student, app, latest_attempt(app, student_name).id, [True, False])
    saved = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = 1_000_000
    yield make_token(app, name, scope=Scope.WRITE)
    app.config["API_RATE_LIMIT"] = saved


@pytest.fixture(scope="module")
def read_only_token(app: Flask) -> str:
    """A student's token made with the default scope: it may read, never write."""
    return make_token(app, register(app.test_client()), "read only")


def _load_document() -> schemathesis.BaseSchema:
    """The document, read from an app on no database (it depends on the routes alone), so
    the tests can be generated when the module loads; the requests go to the tests' own
    app. (schemathesis's ``from_fixture`` does not run on pytest 9.2.)"""
    with tempfile.TemporaryDirectory(prefix="quizapp-api-document-") as instance:
        document_app = create_app(
            {"AUTO_SETUP": False, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "doc"},
            instance_path=instance,
        )
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", document_app)


schema = _load_document()
#: Methods that change nothing; every other method is a write.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Hypothesis settings for both schemathesis runs: few cases, the same ones every run.
FEW_REPEATABLE_EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@schema.parametrize()
@FEW_REPEATABLE_EXAMPLES
def test_the_api_keeps_to_its_document(
    case: schemathesis.Case, app: Flask, teacher_token: str
) -> None:
    # The WSGI transport reads bodies as sent, so ask for them uncompressed.
    case.call_and_validate(
        app=app, headers={**bearer(teacher_token), "Accept-Encoding": "identity"}
    )


@schema.exclude(method=sorted(SAFE_METHODS)).parametrize()
@FEW_REPEATABLE_EXAMPLES
def test_a_read_only_token_is_refused_every_write_operation(
    case: schemathesis.Case, app: Flask, read_only_token: str
) -> None:
    """Whatever the body and headers, a write with a read-only token is a 403 in the
    error shape, as the operation documents."""
    if case.method.upper() != case.operation.method.upper():
        return  # a method the route does not have: 405, as the main run checks
    # The token replaces any Authorization schemathesis generated for the case.
    case.headers = {**(case.headers or {}), **bearer(read_only_token)}
    response = case.call(app=app, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert "403" in case.operation.definition.raw["responses"]


def test_each_operation_names_the_scope_its_route_needs(app: Flask) -> None:
    """The document's security requirement of each operation is its route's scope in
    ``routing.ROUTES``; every operation that is not a read needs ``write``."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    needed = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in routing.OPEN_ENDPOINTS:
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
                needed[path, method.lower()] = routing.required_scope(rule.endpoint).value
    documented = {
        (path, method): operation["security"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert set(documented) == set(needed)
    for (path, method), security in documented.items():
        assert security == [{"bearerToken": [needed[path, method]]}], (method, path)
        if method.upper() not in SAFE_METHODS:
            assert needed[path, method] == "write", (method, path)
    assert "write" in needed.values()


def test_the_document_is_openapi_3_1_and_documents_every_api_route(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    with app.app_context():
        routed = {
            rule.rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/v1/") and rule.endpoint not in ("api.openapi", "api.docs")
        }
    documented = set(document["paths"])
    as_rules = {
        path.replace("{question_id}", "<qid:question_id>")
        .replace("{assignment_id}", "<int:assignment_id>")
        .replace("{set_id}", "<int:set_id>")
        .replace("{class_id}", "<int:class_id>")
        for path in documented
    }
    assert as_rules == routed
    assert document == api_spec.spec
    assert document["security"] == [{"bearerToken": []}]


def test_the_first_api_request_puts_the_validated_views_in_the_view_table() -> None:
    """The routes are declared up front and their views imported on first use; after
    the first API request every route runs its spectree-validated view."""
    from quizapp.api import routing, views

    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "AUTO_SETUP": False}
    )
    table = app.view_functions
    assert all(table[f"api.{r.endpoint}"] is not getattr(views, r.endpoint) for r in routing.ROUTES)
    assert app.test_client().get("/api/v1/docs").status_code == 200
    for route in routing.ROUTES:
        view = table[f"api.{route.endpoint}"]
        assert view is getattr(views, route.endpoint)
        documented = route.endpoint not in ("openapi", "docs")
        assert (api_spec.get_function_metadata(view) is not None) == documented
