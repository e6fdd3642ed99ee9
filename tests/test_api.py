"""The JSON API: tokens only, one error shape, the rate limit, idempotent reviews through
the study service, and the same permissions as the pages."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.api import bearer, make_token, review_headers
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
from helpers.web import csrf_token, register
from sqlalchemy import func, select

from quizapp.api import routing
from quizapp.config import DEFAULT_BANK_DIR
from quizapp.core.exports.anki import anki_note
from quizapp.core.scopes import Scope
from quizapp.extensions import db
from quizapp.models import ApiToken, Card, Review, User
from quizapp.persistence.bank_files import load_bank
from quizapp.study import service as study_service


def _student(app: Flask, scope: Scope = Scope.WRITE) -> tuple[FlaskClient, str, str]:
    """A signed-in student and a token of theirs, read-and-write unless ``scope`` says."""
    client = app.test_client()
    username = register(client)
    return client, username, make_token(app, username, scope=scope)


def _next(client: FlaskClient, token: str) -> dict:
    body = client.get("/api/v1/study/next", headers=bearer(token)).get_json()
    assert body["card"] is not None
    return body["card"]


def _review(card: dict, rating: int = 3, **extra: object) -> dict:
    return {
        "question_id": card["question"]["id"],
        "presentation": card["presentation"],
        "rating": rating,
        **extra,
    }


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


# ---------------------------------------------------------------- tokens


def test_a_token_is_stored_only_as_its_hash_and_shows_when_it_was_used(app: Flask) -> None:
    client, username, token = _student(app)
    assert token.startswith("qzp_")
    assert len(token) == 4 + 43
    with app.app_context():
        stored = db.session.scalar(select(ApiToken).join(User).where(User.username == username))
        assert stored.last_used_at is None
        assert token not in (stored.token_hash, stored.prefix, stored.name)
        assert token.startswith(stored.prefix)
        assert len(stored.prefix) == 10
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.get_json()["username"] == username
    with app.app_context():
        stored = db.session.scalar(select(ApiToken).join(User).where(User.username == username))
        assert stored.last_used_at is not None


def test_the_session_cookie_never_signs_an_api_call_in(app: Flask) -> None:
    client, _, _ = _student(app)
    assert client.get("/settings").status_code == 200  # signed in on the site
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer qzp_not-a-real-token", "Basic dXNlcjpwYXNz", "qzp_bare"],
)
def test_a_missing_or_wrong_token_is_a_401_in_the_error_shape(
    client: FlaskClient, authorization: str
) -> None:
    response = client.get("/api/v1/study/next", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert set(response.get_json()) == {"error"}
    assert set(response.get_json()["error"]) == {"code", "message"}


def test_a_revoked_token_stops_working_at_once(app: Flask) -> None:
    client, username, token = _student(app)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with app.app_context():
        token_id = db.session.scalar(
            select(ApiToken.id).join(User).where(User.username == username)
        )
    page = client.get("/settings").get_data(as_text=True)
    response = client.post(
        f"/settings/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_nobody_revokes_another_accounts_token(app: Flask) -> None:
    _, owner, token = _student(app)
    other, _, _ = _student(app)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id).join(User).where(User.username == owner))
    page = other.get("/settings").get_data(as_text=True)
    response = other.post(
        f"/settings/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 404
    assert other.get("/api/v1/me", headers=bearer(token)).get_json()["username"] == owner


def test_the_settings_page_shows_a_new_token_once(app: Flask) -> None:
    client, _, _ = _student(app)
    page = client.get("/settings").get_data(as_text=True)
    made = client.post(
        "/settings/tokens", data={"csrf_token": csrf_token(page), "name": "Flashcard widget"}
    ).get_data(as_text=True)
    assert "shown only this once" in made
    shown = made.split('id="new-token" class="token-value" type="text" readonly value="')[1]
    token = shown.split('"')[0]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    again = client.get("/settings").get_data(as_text=True)
    assert "Flashcard widget" in again
    assert token not in again
    assert token[:10] in again


def _made_token(made: str) -> str:
    shown = made.split('id="new-token" class="token-value" type="text" readonly value="')[1]
    return shown.split('"')[0]


def _token_row(page: str, name: str) -> str:
    """The cells of the token list's row for the token ``name``."""
    return page.split(f">{name}</td>")[1].split("</tr>")[0]


def test_a_token_from_the_settings_page_is_read_only_unless_write_is_chosen(
    app: Flask,
) -> None:
    client, username, _ = _student(app)
    page = client.get("/settings").get_data(as_text=True)
    assert '<input checked id="scope-0" name="scope" type="radio" value="read">' in page
    made = {}
    for name, chosen in (("Reader", None), ("Writer", "write")):
        data = {"csrf_token": csrf_token(page), "name": name}
        if chosen:
            data["scope"] = chosen
        made[name] = _made_token(client.post("/settings/tokens", data=data).get_data(as_text=True))
    listed = client.get("/settings").get_data(as_text=True)
    assert "Read only" in _token_row(listed, "Reader")
    assert "Read and write" in _token_row(listed, "Writer")
    with app.app_context():
        scopes = dict(
            db.session.execute(
                select(ApiToken.name, ApiToken.scope).join(User).where(User.username == username)
            ).all()
        )
    assert scopes == {"test token": "write", "Reader": "read", "Writer": "write"}
    card = _next(client, made["Reader"])
    refused = client.post(
        "/api/v1/study/reviews", json=_review(card), headers=review_headers(made["Reader"])
    )
    assert refused.status_code == 403
    sent = client.post(
        "/api/v1/study/reviews", json=_review(card), headers=review_headers(made["Writer"])
    )
    assert sent.status_code == 201


def test_a_token_scope_other_than_read_or_write_is_refused(app: Flask) -> None:
    client, username, _ = _student(app)
    page = client.get("/settings").get_data(as_text=True)
    response = client.post(
        "/settings/tokens",
        data={"csrf_token": csrf_token(page), "name": "Admin", "scope": "admin"},
    )
    assert response.status_code == 400
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ApiToken)
                .join(User)
                .where(User.username == username, ApiToken.name == "Admin")
            )
            == 0
        )


def test_a_read_only_token_reads_everything_but_writes_nothing(app: Flask) -> None:
    client, username, token = _student(app, Scope.READ)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    card = _next(client, token)
    refused = client.post(
        "/api/v1/study/reviews", json=_review(card), headers=review_headers(token)
    )
    assert refused.status_code == 403
    assert refused.mimetype == "application/json"
    error = refused.get_json()["error"]
    assert error["code"] == "insufficient_scope"
    assert "'write' scope" in error["message"]
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    assert 'scope="write"' in refused.headers["WWW-Authenticate"]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Review).where(Review.user_id == _user(username).id)
            )
            == 0
        )
    # The refusal is checked before the body is read: an invalid one is still a 403.
    empty = client.post("/api/v1/study/reviews", json={}, headers=review_headers(token))
    assert empty.status_code == 403


def test_every_api_route_that_changes_something_needs_the_write_scope(app: Flask) -> None:
    """Each route names its scope in ``routing.ROUTES``; any method but GET, HEAD and
    OPTIONS is a write. The app's URL map is checked too, so a route added under /api
    some other way cannot slip past as a read."""
    safe = {"GET", "HEAD", "OPTIONS"}
    for route in routing.ROUTES:
        if set(route.methods) - safe:
            assert route.scope is Scope.WRITE, route
    api_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]
    assert api_rules
    for rule in api_rules:
        if set(rule.methods or ()) - safe:
            assert routing.required_scope(rule.endpoint) is Scope.WRITE, rule
    assert routing.required_scope("api.not-a-route") is Scope.WRITE


def test_the_reference_page_says_which_scope_each_operation_needs(app: Flask) -> None:
    page = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    review = page.split("POST /api/v1/study/reviews</code></h3>")[1].split("</article>")[0]
    assert "Token scope needed: <code>write</code>." in review
    me = page.split("GET /api/v1/me</code></h3>")[1].split("</article>")[0]
    assert "Token scope needed: <code>read</code> (any token)." in me


def test_an_account_holds_at_most_ten_tokens(app: Flask) -> None:
    client, username, _ = _student(app)
    for _ in range(9):
        make_token(app, username)
    page = client.get("/settings").get_data(as_text=True)
    response = client.post(
        "/settings/tokens", data={"csrf_token": csrf_token(page), "name": "one too many"}
    )
    assert response.status_code == 400
    assert "already have 10 tokens" in response.get_data(as_text=True)


# ---------------------------------------------------------------- errors and limits


def test_errors_inside_the_api_have_one_shape(app: Flask) -> None:
    client, _, token = _student(app)
    cases = {
        "/api/v1/no-such-thing": 404,
        "/api/v1/bank/questions/no-such-question": 404,
        "/api/v1/bank/questions?page=0": 400,
        "/api/v1/bank/questions?q=a%00b": 400,
        "/api/v1/teach/classes": 403,
    }
    for url, status in cases.items():
        response = client.get(url, headers=bearer(token))
        assert response.status_code == status, url
        assert response.mimetype == "application/json", url
        error = response.get_json()["error"]
        assert set(error) == {"code", "message"} or "details" in error, url
        assert isinstance(error["code"], str), url
        assert isinstance(error["message"], str), url
    wrong_method = client.delete("/api/v1/me", headers=bearer(token))
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]
    too_big = client.post(
        "/api/v1/study/reviews",
        data=b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1),
        headers=review_headers(token),
        content_type="application/json",
    )
    assert too_big.status_code == 413
    assert too_big.get_json()["error"]["code"] == "payload_too_large"
    invalid = client.get("/api/v1/bank/questions?per_page=500", headers=bearer(token))
    assert invalid.get_json()["error"]["details"][0]["location"] == "per_page"


def test_each_token_is_rate_limited_in_the_database(app: Flask, pinned_clock) -> None:
    client, username, token = _student(app)
    other = make_token(app, username)
    saved = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = 3
    try:
        for left in (2, 1, 0):
            response = client.get("/api/v1/me", headers=bearer(token))
            assert response.status_code == 200
            assert response.headers["RateLimit-Remaining"] == str(left)
        refused = client.get("/api/v1/me", headers=bearer(token))
        assert refused.status_code == 429
        assert refused.get_json()["error"]["code"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 61
        assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200
        pinned_clock.set(pinned_clock() + timedelta(seconds=61))
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = saved


def test_csrf_does_not_apply_to_token_calls(app: Flask) -> None:
    client, _, token = _student(app)
    card = _next(client, token)
    response = client.post(
        "/api/v1/study/reviews", json=_review(card), headers=review_headers(token)
    )
    assert response.status_code == 201


# ---------------------------------------------------------------- studying through the API


def test_a_retried_review_is_recorded_once(app: Flask) -> None:
    client, username, token = _student(app)
    card = _next(client, token)
    headers = review_headers(token, "retry-key-1")
    first = client.post("/api/v1/study/reviews", json=_review(card), headers=headers)
    again = client.post("/api/v1/study/reviews", json=_review(card), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["replayed"] is False
    assert again.get_json()["replayed"] is True
    assert first.get_json()["id"] == again.get_json()["id"]
    with app.app_context():
        user = _user(username)
        assert (
            db.session.scalar(
                select(func.count()).select_from(Review).where(Review.user_id == user.id)
            )
            == 1
        )
        stored = db.session.scalar(select(Card).where(Card.user_id == user.id))
        assert stored.reps == 1
        assert study_service.rebuilt_state(stored) == study_service.card_state(stored)


def test_a_key_used_for_another_review_and_a_stale_card_are_conflicts(app: Flask) -> None:
    client, _, token = _student(app)
    card = _next(client, token)
    headers = review_headers(token, "shared-key")
    assert (
        client.post("/api/v1/study/reviews", json=_review(card), headers=headers).status_code == 201
    )
    reused = client.post("/api/v1/study/reviews", json=_review(card, 1), headers=headers)
    assert reused.status_code == 409
    assert reused.get_json()["error"]["code"] == "idempotency_key_reused"
    stale = client.post("/api/v1/study/reviews", json=_review(card), headers=review_headers(token))
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "stale_presentation"


def test_a_typed_answer_is_graded_by_the_server_and_the_card_moves_on(app: Flask) -> None:
    client, username, token = _student(app)
    card = _next(client, token)
    answer = card["question"]["answer"]
    typed = answer if isinstance(answer, str) else " ".join(answer)
    response = client.post(
        "/api/v1/study/reviews",
        json=_review(card, 3, response=typed, duration_ms=4000),
        headers=review_headers(token),
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["card"]["reps"] == 1
    assert body["card"]["state"] in ("Learning", "Review")
    if card["question"]["kind"] != "order":
        assert body["correct"] is True
    assert _next(client, token)["question"]["id"] != card["question"]["id"]
    progress = client.get("/api/v1/progress", headers=bearer(token)).get_json()
    assert progress["total_reviews"] == 1
    assert sum(day["count"] for day in progress["reviews_per_day"]) == 1
    with app.app_context():
        assert (
            db.session.scalar(
                select(Review.duration_ms).join(User).where(User.username == username)
            )
            == 4000
        )


def test_the_bank_lists_filters_and_pages(client: FlaskClient, app: Flask) -> None:
    _, _, token = _student(app)
    whole = client.get("/api/v1/bank/questions?per_page=100", headers=bearer(token)).get_json()
    dates = client.get(
        "/api/v1/bank/questions?category=dates&per_page=5&page=2", headers=bearer(token)
    ).get_json()
    assert whole["total"] > dates["total"] > 5
    assert dates["page"] == 2
    assert len(dates["items"]) == 5
    assert {item["category"] for item in dates["items"]} == {"dates"}
    one = dates["items"][0]
    detail = client.get(f"/api/v1/bank/questions/{one['id']}", headers=bearer(token)).get_json()
    assert detail == one
    assert detail["evidence"]["quote"]


def test_choices_come_shuffled_per_question_in_the_anki_exports_order(
    client: FlaskClient, app: Flask
) -> None:
    _, _, token = _student(app)
    url = "/api/v1/bank/questions?kind=choice&per_page=100"
    body = client.get(url, headers=bearer(token)).get_json()
    again = client.get(url, headers=bearer(token)).get_json()
    assert body == again
    bank = {question.id: question for question in load_bank(DEFAULT_BANK_DIR).questions}
    items = body["items"]
    assert len(items) == body["total"] > 10
    for item in items:
        prompt = anki_note(bank[item["id"]]).fields[0]
        listed = [html.unescape(c) for c in re.findall(r"<li>(.*?)</li>", prompt)]
        assert item["choices"] == listed
    right_first = sum(item["choices"][0] == item["answer"] for item in items)
    assert right_first < len(items) / 2  # the bank itself lists the right answer first
    spec = client.get("/api/v1/openapi.json").get_json()
    described = spec["components"]["schemas"]
    assert any(
        "present them as given" in str(schema.get("properties", {}).get("choices", {}))
        for schema in described.values()
    )


# ---------------------------------------------------------------- teachers


@pytest.fixture(scope="module")
def classroom(app: Flask) -> dict:
    teacher, other_teacher, student = app.test_client(), app.test_client(), app.test_client()
    teacher_name = make_teacher(app, teacher)
    other_name = make_teacher(app, other_teacher)
    student_name = register(student)
    class_id = create_class(teacher, "API class")
    assert join(student, join_code(teacher, class_id)).status_code == 302
    questions = question_ids(app, 3)
    set_id = create_set(teacher, questions, "API set")
    assignment_id = assign(teacher, set_id, class_id)
    assert start(student, assignment_id).status_code == 302
    answer_all(student, app, latest_attempt(app, student_name).id, [True, True, False])
    return {
        "teacher": make_token(app, teacher_name),
        "other_teacher": make_token(app, other_name),
        "student": make_token(app, student_name),
        "student_name": student_name,
        "class": class_id,
        "set": set_id,
        "assignment": assignment_id,
    }


def test_a_teacher_reads_their_gradebooks_and_item_analysis(
    client: FlaskClient, classroom: dict
) -> None:
    token = bearer(classroom["teacher"])
    classes = client.get("/api/v1/teach/classes", headers=token).get_json()["items"]
    assert [c["name"] for c in classes] == ["API class"]
    assert classes[0]["assignment_ids"] == [classroom["assignment"]]
    book = client.get(
        f"/api/v1/teach/assignments/{classroom['assignment']}/gradebook", headers=token
    ).get_json()
    (row,) = book["rows"]
    assert row["student"]["username"] == classroom["student_name"]
    assert (row["score"], row["out_of"], row["percent"]) == (2, 3, 67)
    grid = client.get(f"/api/v1/teach/classes/{classroom['class']}/gradebook", headers=token)
    assert grid.get_json()["rows"][0]["percents"] == {str(classroom["assignment"]): 67}
    items = client.get(
        f"/api/v1/teach/assignments/{classroom['assignment']}/items", headers=token
    ).get_json()
    assert items["attempts"] == 1
    assert sorted(item["facility"] for item in items["items"]) == [0.0, 1.0, 1.0]
    sets = client.get("/api/v1/teach/quiz-sets", headers=token).get_json()["items"]
    assert [s["title"] for s in sets] == ["API set"]
    one = client.get(f"/api/v1/teach/quiz-sets/{classroom['set']}", headers=token).get_json()
    assert len(one["question_ids"]) == 3


def test_the_api_keeps_the_pages_permissions(client: FlaskClient, classroom: dict) -> None:
    student, other = bearer(classroom["student"]), bearer(classroom["other_teacher"])
    teacher_only = [
        "/api/v1/teach/classes",
        f"/api/v1/teach/classes/{classroom['class']}/gradebook",
        f"/api/v1/teach/assignments/{classroom['assignment']}/items",
        f"/api/v1/teach/quiz-sets/{classroom['set']}",
    ]
    for url in teacher_only:
        assert client.get(url, headers=student).status_code == 403, url
    for url in teacher_only[1:]:
        assert client.get(url, headers=other).status_code == 404, url
    mine = client.get(f"/api/v1/assignments/{classroom['assignment']}", headers=student)
    assert mine.get_json()["status"] == "done"
    assert mine.get_json()["attempts"][0]["score"] == 2
    assert (
        client.get(f"/api/v1/assignments/{classroom['assignment']}", headers=other).status_code
        == 404
    )


def test_the_card_just_answered_is_not_served_again_at_once(app: Flask) -> None:
    client, _, token = _student(app)
    card = _next(client, token)
    answered = card["question"]["id"]
    sent = client.post(
        "/api/v1/study/reviews", json=_review(card, 1), headers=review_headers(token)
    )
    assert sent.status_code == 201
    following = client.get(f"/api/v1/study/next?after={answered}", headers=bearer(token))
    assert following.get_json()["card"]["question"]["id"] != answered


def test_server_errors_and_a_busy_database_keep_the_error_shape(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from quizapp.api import service as api_service

    client, _, token = _student(app)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken(user: User) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(api_service, "me", broken)
    failed = client.get("/api/v1/me", headers=bearer(token))
    assert failed.status_code == 500
    assert failed.get_json()["error"]["code"] == "server_error"
    assert "a bug" not in failed.get_data(as_text=True)

    def busy(user: User) -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(api_service, "me", busy)
    unavailable = client.get("/api/v1/me", headers=bearer(token))
    assert unavailable.status_code == 503
    assert unavailable.get_json()["error"]["code"] == "unavailable"
    assert unavailable.headers["Retry-After"] == "5"


def test_the_documented_text_pattern_refuses_exactly_what_the_guards_refuse() -> None:
    """The document promises what the guards enforce, so no schema-valid request is refused
    for a control character (C1 ones such as U+0085 included)."""
    import re

    from quizapp.api.schemas import NO_CONTROLS
    from quizapp.web.guards import has_control_character

    for code in range(0x3000):
        character = chr(code)
        assert (re.fullmatch(NO_CONTROLS, character) is None) == has_control_character(character), (
            hex(code)
        )
