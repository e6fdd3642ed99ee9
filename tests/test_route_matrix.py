"""The route-by-role matrix: every route, with the real ids it takes, asked by every role.

One world is built for the module: teacher A owns class A (student S joined it by code),
quiz set A assigned to class A, and S has finished that assignment and started a self-test;
teacher B owns class B (student T joined it), set B assigned to class B, and T has finished
that assignment and started a self-test of their own.

``MATRIX`` has a row per route and method (some routes have more than one, to ask with
another owner's ids), and each row says what each role must get: a redirect to sign in for
visitors, 403 for students on teacher pages, 404 for anyone asking for another's class, set,
assignment or attempt, and the page (or the redirect a valid POST earns) for the owner.
``test_every_route_has_a_row`` fails as soon as the app grows a route without a row.

POSTs carry a valid CSRF token from a page the client can see, and harmless data: they
create new things, repeat what is already so, or change only what the matrix never reads.
A row that would spoil the world for later rows (signing out) runs on a freshly signed-in
client of that role.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.api import bearer, make_token
from helpers.clock import today
from helpers.live import host_game, join_game
from helpers.teaching import (
    answer_all,
    assign,
    create_class,
    create_set,
    join,
    join_code,
    latest_attempt,
    make_teacher,
    post_form,
    question_ids,
    start,
)
from helpers.web import PASSWORD, csrf_token, login, register, unique_name
from sqlalchemy import func, select
from werkzeug.http import parse_options_header

from quizapp.core.scopes import Scope
from quizapp.extensions import db
from quizapp.models import ApiToken, User

ANONYMOUS = "anonymous"
STUDENT = "student"
OTHER_STUDENT = "other-student"
TEACHER = "teacher"
OTHER_TEACHER = "other-teacher"
ROLES = (ANONYMOUS, STUDENT, OTHER_STUDENT, TEACHER, OTHER_TEACHER)
STUDENTS = (STUDENT, OTHER_STUDENT)
TEACHERS = (TEACHER, OTHER_TEACHER)


# ---------------------------------------------------------------- the world


@dataclass
class World:
    app: Flask
    clients: dict[str, FlaskClient]
    usernames: dict[str, str]
    ids: dict[str, Any]
    tokens: dict[str, str] = field(default_factory=dict)

    def fill(self, template: str) -> str:
        return template.format(**self.ids)


def _quick_quiz(client: FlaskClient) -> int:
    response = post_form(client, "/quiz/", "/quiz/quick")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.fullmatch(r"/quiz/(\d+)/1", response.headers["Location"]).group(1))


def _finished_assignment_attempt(
    app: Flask, client: FlaskClient, username: str, assignment_id: int, questions: int
) -> int:
    assert start(client, assignment_id).status_code == 302
    attempt_id = latest_attempt(app, username).id
    answer_all(client, app, attempt_id, [True] * questions)
    assert latest_attempt(app, username).finished_at is not None
    return attempt_id


def _user_id(app: Flask, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[World]:
    clients = {role: app.test_client() for role in (*STUDENTS, *TEACHERS)}
    teacher, other_teacher = clients[TEACHER], clients[OTHER_TEACHER]
    student, other_student = clients[STUDENT], clients[OTHER_STUDENT]
    usernames = {
        TEACHER: make_teacher(app, teacher),
        OTHER_TEACHER: make_teacher(app, other_teacher),
        STUDENT: register(student),
        OTHER_STUDENT: register(other_student),
    }
    bystander = app.test_client()
    bystander_name = register(bystander)
    questions = question_ids(app, 6)

    # Teacher A: class A with S (and a bystander to remove), a spare class, set A assigned.
    class_a = create_class(teacher, "Matrix class A")
    class_a_spare = create_class(teacher, "Matrix class A spare")
    code_a = join_code(teacher, class_a)
    assert join(student, code_a).status_code == 302
    assert join(bystander, code_a).status_code == 302
    set_a = create_set(teacher, questions[:3], "Matrix set A", attempts_allowed="1")
    assignment_a = assign(teacher, set_a, class_a)
    assignment_doomed = assign(teacher, set_a, class_a_spare)  # withdrawn by the matrix
    attempt_s_assigned = _finished_assignment_attempt(
        app, student, usernames[STUDENT], assignment_a, 3
    )
    attempt_s_self = _quick_quiz(student)

    # Teacher B: class B with T, an open class anyone may join, set B assigned.
    class_b = create_class(other_teacher, "Matrix class B")
    class_open = create_class(other_teacher, "Matrix open house")
    assert join(other_student, join_code(other_teacher, class_b)).status_code == 302
    set_b = create_set(other_teacher, questions[:2], "Matrix set B", attempts_allowed="1")
    assignment_b = assign(other_teacher, set_b, class_b)
    attempt_t_assigned = _finished_assignment_attempt(
        app, other_student, usernames[OTHER_STUDENT], assignment_b, 2
    )
    attempt_t_self = _quick_quiz(other_student)

    # Teacher A hosts a live game for class A that everyone signed in has joined, and a
    # spare one the matrix starts.
    live_a = host_game(teacher, set_a, class_a)
    live_spare = host_game(teacher, set_a)
    for role, client in clients.items():
        assert join_game(client, live_a, f"Matrix {role}"[:20]).status_code == 302

    ids = {
        "class_a": class_a,
        "class_a_spare": class_a_spare,
        "class_b": class_b,
        "open_code": join_code(other_teacher, class_open),
        "set_a": set_a,
        "set_b": set_b,
        "assignment_a": assignment_a,
        "assignment_b": assignment_b,
        "assignment_doomed": assignment_doomed,
        "attempt_s_assigned": attempt_s_assigned,
        "attempt_s_self": attempt_s_self,
        "attempt_t_assigned": attempt_t_assigned,
        "attempt_t_self": attempt_t_self,
        "student": _user_id(app, usernames[STUDENT]),
        "other_student": _user_id(app, usernames[OTHER_STUDENT]),
        "bystander": _user_id(app, bystander_name),
        "student_name": usernames[STUDENT],
        "question": questions[0],
        "answer_question": questions[4],
        "review_question": questions[5],
        "api_review_question": question_ids(app, 1, category="events")[0],
        "live_a": live_a,
        "live_spare": live_spare,
    }
    # A read-and-write personal access token per role for the API's rows, and a spare of
    # the student's for the revoke row; the rate limit is lifted so the hostile rows are
    # not throttled.
    tokens = {
        role: make_token(app, usernames[role], f"matrix {role}", Scope.WRITE) for role in usernames
    }
    make_token(app, usernames[STUDENT], "matrix spare")
    ids["student_spare_token"] = _token_id(app, usernames[STUDENT], "matrix spare")
    saved_limit = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = 1_000_000
    yield World(app, clients, usernames, ids, tokens)
    app.config["API_RATE_LIMIT"] = saved_limit


def _token_id(app: Flask, username: str, name: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(ApiToken.id).join(User).where(User.username == username, ApiToken.name == name)
        )


# ---------------------------------------------------------------- expected answers


@dataclass(frozen=True)
class Expect:
    """The status to get and, for a redirect, a regex its Location must match in full
    (``{name}`` is filled from the world's ids). ``sign_in`` means the sign-in page, with
    ``next`` naming the page asked for."""

    status: int
    to: str | None = None
    sign_in: bool = False

    def __str__(self) -> str:
        if self.sign_in:
            return "302 to sign in"
        return f"{self.status}" + (f" to {self.to}" if self.to else "")


OK = Expect(200)
SIGN_IN = Expect(302, sign_in=True)
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
BAD_REQUEST = Expect(400)
UNAUTHORIZED = Expect(401)
CREATED = Expect(201)


def goes(to: str) -> Expect:
    return Expect(302, to)


HOME = goes("/")


Answers = Mapping[str, Expect]


def everyone(answer: Expect = OK) -> Answers:
    return dict.fromkeys(ROLES, answer)


def visitors_only(visitor: Expect) -> Answers:
    """Sign-in and sign-up pages: served to visitors, signed-in users are sent home."""
    return {ANONYMOUS: visitor, **dict.fromkeys((*STUDENTS, *TEACHERS), HOME)}


def signed_in(answer: Expect) -> Answers:
    """A page of one's own with no id in it: any signed-in user gets it."""
    return {ANONYMOUS: SIGN_IN, **dict.fromkeys((*STUDENTS, *TEACHERS), answer)}


def teachers(answer: Expect) -> Answers:
    """A teacher page with no id: every teacher gets it, students are refused."""
    return {
        ANONYMOUS: SIGN_IN,
        **dict.fromkeys(STUDENTS, FORBIDDEN),
        **dict.fromkeys(TEACHERS, answer),
    }


def teachers_own(answer: Expect, owner: str = TEACHER) -> Answers:
    """A teacher page about one teacher's class, set, assignment or attempt."""
    other = OTHER_TEACHER if owner == TEACHER else TEACHER
    return {**teachers(answer), other: NOT_FOUND}


def students_own(answer: Expect, owner: str = STUDENT) -> Answers:
    """A student page about one student's assignment or attempt: nobody else's."""
    return {**signed_in(NOT_FOUND), owner: answer}


# ---------------------------------------------------------------- the matrix


Data = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    rule: str
    method: str
    url: str
    answers: Answers
    data: Data | None = None
    note: str = ""
    fresh: bool = False
    api: bool = False


def get(rule: str, url: str, answers: Answers, note: str = "") -> Row:
    return Row(rule, "GET", url, answers, note=note)


def post(
    rule: str,
    url: str,
    answers: Answers,
    data: Data | None = None,
    note: str = "",
    fresh: bool = False,
) -> Row:
    return Row(rule, "POST", url, answers, data, note, fresh)


def api_get(rule: str, url: str, answers: Answers, note: str = "") -> Row:
    """An API call: each role sends its personal access token, visitors none."""
    return Row(rule, "GET", url, answers, note=note, api=True)


def api_post(rule: str, url: str, answers: Answers, data: Data, note: str = "") -> Row:
    return Row(rule, "POST", url, answers, data, note, api=True)


def api_signed_in(answer: Expect) -> Answers:
    """An API call of one's own: any token gets it; without one, 401 (never a redirect)."""
    return {ANONYMOUS: UNAUTHORIZED, **dict.fromkeys((*STUDENTS, *TEACHERS), answer)}


def api_teachers_own(answer: Expect, owner: str | None = TEACHER) -> Answers:
    """A teacher's API call: students are refused (403), another teacher's ids are 404."""
    answers = {
        ANONYMOUS: UNAUTHORIZED,
        **dict.fromkeys(STUDENTS, FORBIDDEN),
        **dict.fromkeys(TEACHERS, answer),
    }
    if owner is not None:
        answers[OTHER_TEACHER if owner == TEACHER else TEACHER] = NOT_FOUND
    return answers


def api_students_own(answer: Expect, owner: str = STUDENT) -> Answers:
    return {**api_signed_in(NOT_FOUND), owner: answer}


def _api_review_data(world: World) -> dict[str, Any]:
    question = world.ids["api_review_question"]
    return {"question_id": question, "presentation": f"{question}:0", "rating": 3}


def _register_data(world: World) -> dict[str, Any]:
    return {
        "username": unique_name("matrix"),
        "display_name": "Matrix Visitor",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "timezone": "UTC",
    }


def _roster_data(world: World) -> dict[str, Any]:
    roster = f"display_name,username\nMatrix Roster,{unique_name('roster')}\n".encode()
    return {"roster": (io.BytesIO(roster), "roster.csv")}


def _import_data(world: World) -> dict[str, Any]:
    questions = b"kind,prompt,answer\nshort,Matrix import: who?,Matrix\n"
    return {
        "questions_file": (io.BytesIO(questions), "questions.csv"),
        "file_format": "csv",
        "default_category": "events",
    }


def _set_a_settings(world: World) -> dict[str, Any]:
    """Set A's settings as created, so saving them changes nothing."""
    return {
        "title": "Matrix set A",
        "instructions": "Answer from memory.",
        "shuffle": "y",
        "attempts_allowed": "1",
        "feedback": "end",
        "per_attempt": "",
        "time_limit_minutes": "",
    }


def _assign_data(class_key: str) -> Data:
    def data(world: World) -> dict[str, Any]:
        day = today()
        return {
            "school_class": str(world.ids[class_key]),
            "opens_on": (day - timedelta(days=1)).isoformat(),
            "opens_at": "00:00",
            "due_on": (day + timedelta(days=7)).isoformat(),
            "due_at": "23:59",
            "accept_late": "y",
        }

    return data


def _window_data(world: World) -> dict[str, Any]:
    day = today()
    return {
        "opens_on": (day - timedelta(days=1)).isoformat(),
        "opens_at": "00:00",
        "due_on": (day + timedelta(days=7)).isoformat(),
        "due_at": "23:59",
        "accept_late": "y",
    }


def _study_answer_data(world: World) -> dict[str, Any]:
    question = world.ids["answer_question"]
    return {
        "question_id": question,
        "presentation": f"{question}:0",
        "shown_at": str(int(time.time() * 1000) - 5000),
        "response": "1917",
    }


def _study_review_data(world: World) -> dict[str, Any]:
    question = world.ids["review_question"]
    return {
        "question_id": question,
        "presentation": f"{question}:0",
        "response": "",
        "duration_ms": "4000",
        "rating": "3",
    }


def _settings_data(world: World) -> dict[str, Any]:
    return {
        "display_name": "Matrix Tester",
        "timezone": "UTC",
        "answer_mode": "type",
        "desired_retention": "0.90",
        "new_per_day": "20",
        "max_reviews_per_day": "200",
    }


def _fields(**fields: Any) -> Data:
    """Fixed form fields; string values may name world ids as ``{name}``."""

    def data(world: World) -> dict[str, Any]:
        return {
            key: world.fill(value) if isinstance(value, str) else value
            for key, value in fields.items()
        }

    return data


def _live_join_data(world: World) -> dict[str, Any]:
    return {"pin": world.ids["live_a"], "nickname": unique_name("m")}


CLASS_A = "/teach/classes/{class_a}"
LIVE_A = "/live/{live_a}"
LIVE_SPARE = "/live/{live_spare}"
#: A live game's players: visitors are sent to join it first.
LIVE_PLAYERS = {**signed_in(goes(LIVE_A + "/play")), ANONYMOUS: goes(r"/live/\?pin={live_a}")}
SET_A = "/teach/sets/{set_a}"
NEW_ATTEMPT = r"/quiz/\d+/1"

MATRIX: list[Row] = [
    # -------------------------------------------------- public pages and accounts
    get("/", "/", everyone()),
    get("/bank/", "/bank/", everyone()),
    get("/bank/<question_id>", "/bank/{question}", everyone()),
    get("/login", "/login", visitors_only(OK)),
    post(
        "/login",
        "/login",
        visitors_only(goes("/")),
        _fields(username="{student_name}", password=PASSWORD),
    ),
    # The theme switch: anyone may choose; the page named in ``next`` comes back.
    post("/theme", "/theme", everyone(goes("/bank/")), _fields(theme="dark", next="/bank/")),
    get("/register", "/register", visitors_only(OK)),
    post("/register", "/register", visitors_only(goes("/")), _register_data),
    post("/logout", "/logout", everyone(goes("/login")), fresh=True),
    get("/settings", "/settings", signed_in(OK)),
    post("/settings", "/settings", signed_in(goes("/settings")), _settings_data),
    get("/password", "/password", signed_in(OK)),
    # A token is made and shown once on the settings page; revoking is the owner's alone.
    post("/settings/tokens", "/settings/tokens", signed_in(OK), _fields(name="Matrix token")),
    post(
        "/settings/tokens/<int:token_id>/revoke",
        "/settings/tokens/{student_spare_token}/revoke",
        {**signed_in(NOT_FOUND), STUDENT: goes("/settings")},
    ),
    get("/settings/data.json", "/settings/data.json", signed_in(OK)),
    get("/settings/data/reviews.csv", "/settings/data/reviews.csv", signed_in(OK)),
    get("/settings/data/settings.csv", "/settings/data/settings.csv", signed_in(OK)),
    # Teachers who run classes see why they cannot delete their account.
    get("/settings/delete", "/settings/delete", signed_in(OK)),
    # A wrong password (and, for teachers, their classes): refused, nothing deleted.
    post(
        "/settings/delete",
        "/settings/delete",
        signed_in(BAD_REQUEST),
        _fields(password="not the password", understand="y"),
    ),
    # The new password is the current one: refused (400) without changing anything.
    post(
        "/password",
        "/password",
        signed_in(BAD_REQUEST),
        _fields(current=PASSWORD, password=PASSWORD, confirm=PASSWORD),
    ),
    # -------------------------------------------------- one's own study, exam and progress
    get("/study/", "/study/", signed_in(OK)),
    post("/study/answer", "/study/answer", signed_in(OK), _study_answer_data),
    post("/study/review", "/study/review", signed_in(goes("/study/")), _study_review_data),
    post("/study/undo", "/study/undo", signed_in(goes("/study/"))),
    get("/exam/", "/exam/", signed_in(OK)),
    post(
        "/exam/",
        "/exam/",
        signed_in(goes("/exam/")),
        lambda world: {"exam_date": (today() + timedelta(days=30)).isoformat()},
    ),
    post("/exam/clear", "/exam/clear", signed_in(goes("/exam/"))),
    get("/progress/", "/progress/", signed_in(OK)),
    # -------------------------------------------------- self-test quizzes and attempts
    get("/quiz/", "/quiz/", signed_in(OK)),
    post("/quiz/", "/quiz/", signed_in(goes(NEW_ATTEMPT)), _fields(count="1", feedback="each")),
    post("/quiz/quick", "/quiz/quick", signed_in(goes(NEW_ATTEMPT))),
    get(
        "/quiz/<int:attempt_id>",
        "/quiz/{attempt_s_self}",
        students_own(goes("/quiz/{attempt_s_self}/1")),
    ),
    get(
        "/quiz/<int:attempt_id>",
        "/quiz/{attempt_t_self}",
        students_own(goes("/quiz/{attempt_t_self}/1"), owner=OTHER_STUDENT),
        note="other student's self-test",
    ),
    get(
        "/quiz/<int:attempt_id>",
        "/quiz/{attempt_s_assigned}",
        students_own(goes("/quiz/{attempt_s_assigned}/results")),
        note="student's assignment attempt",
    ),
    get("/quiz/<int:attempt_id>/<int:position>", "/quiz/{attempt_s_self}/1", students_own(OK)),
    # The attempt is finished, so an answer is not recorded: the owner is sent back.
    post(
        "/quiz/<int:attempt_id>/<int:position>",
        "/quiz/{attempt_s_assigned}/1",
        students_own(goes("/quiz/{attempt_s_assigned}")),
        _fields(response="1917"),
    ),
    get("/quiz/<int:attempt_id>/results", "/quiz/{attempt_s_assigned}/results", students_own(OK)),
    get(
        "/quiz/<int:attempt_id>/results",
        "/quiz/{attempt_t_assigned}/results",
        students_own(OK, owner=OTHER_STUDENT),
        note="other student's assignment attempt",
    ),
    post(
        "/quiz/<int:attempt_id>/deck",
        "/quiz/{attempt_s_assigned}/deck",
        students_own(goes("/quiz/{attempt_s_assigned}/results")),
    ),
    # -------------------------------------------------- a student's classes and assignments
    get("/classes/", "/classes/", signed_in(OK)),
    # Joining an open class of teacher B's: students may, teachers are refused.
    post(
        "/classes/",
        "/classes/",
        {**signed_in(goes("/classes/")), **dict.fromkeys(TEACHERS, BAD_REQUEST)},
        _fields(code="{open_code}"),
    ),
    get("/assignments/<int:assignment_id>", "/assignments/{assignment_a}", students_own(OK)),
    get(
        "/assignments/<int:assignment_id>",
        "/assignments/{assignment_b}",
        students_own(OK, owner=OTHER_STUDENT),
        note="other class's assignment",
    ),
    # S has used the one attempt allowed: refused, and sent back to the assignment.
    post(
        "/assignments/<int:assignment_id>/start",
        "/assignments/{assignment_a}/start",
        students_own(goes("/assignments/{assignment_a}")),
    ),
    # -------------------------------------------------- live games
    get("/live/", "/live/", everyone()),
    post("/live/", "/live/", everyone(goes(LIVE_A + "/play")), _live_join_data),
    get(
        "/live/<pin>/play",
        LIVE_A + "/play",
        {**signed_in(OK), ANONYMOUS: goes(r"/live/\?pin={live_a}")},
    ),
    # The game is in its lobby: no question is open, so the player is sent back.
    post("/live/<pin>/answer", LIVE_A + "/answer", LIVE_PLAYERS, _fields(index="0", response="x")),
    post("/live/<pin>/deck", LIVE_A + "/deck", signed_in(goes(LIVE_A + "/play"))),
    get("/live/<pin>/events", LIVE_A + "/events", everyone()),
    get("/live/<pin>/qr.svg", LIVE_A + "/qr.svg", everyone()),
    get("/live/new", "/live/new", teachers(OK)),
    post(
        "/live/new",
        "/live/new",
        teachers(goes(r"/live/\d{{6}}/host")),
        _fields(quiz_set="0", school_class="0", seconds="20", count="3"),
    ),
    get("/live/<pin>/host", LIVE_A + "/host", teachers_own(OK)),
    # Starting the spare game (a second start changes nothing): back to the host's screen.
    post(
        "/live/<pin>/host",
        LIVE_SPARE + "/host",
        teachers_own(goes(LIVE_SPARE + "/host")),
        _fields(action="start"),
    ),
    post(
        "/live/<pin>/remove",
        LIVE_A + "/remove",
        teachers_own(goes(LIVE_A + "/host")),
        _fields(token="nobody-has-this-token"),
    ),
    # -------------------------------------------------- teaching: classes
    get("/teach/", "/teach/", teachers(OK)),
    get("/teach/classes/new", "/teach/classes/new", teachers(OK)),
    post(
        "/teach/classes/new",
        "/teach/classes/new",
        teachers(goes(r"/teach/classes/\d+")),
        _fields(name="Matrix extra class", timezone="Europe/London"),
    ),
    get("/teach/classes/<int:class_id>", CLASS_A, teachers_own(OK)),
    get(
        "/teach/classes/<int:class_id>",
        "/teach/classes/{class_b}",
        teachers_own(OK, owner=OTHER_TEACHER),
        note="other teacher's class",
    ),
    get("/teach/classes/<int:class_id>/edit", CLASS_A + "/edit", teachers_own(OK)),
    post(
        "/teach/classes/<int:class_id>/edit",
        CLASS_A + "/edit",
        teachers_own(goes(CLASS_A)),
        _fields(name="Matrix class A", timezone="Europe/London"),
    ),
    post(
        "/teach/classes/<int:class_id>/code",
        CLASS_A + "/code",
        teachers_own(goes(CLASS_A)),
        _fields(action="open"),
    ),
    post(
        "/teach/classes/<int:class_id>/members",
        CLASS_A + "/members",
        teachers_own(goes(CLASS_A)),
        _fields(username="{student_name}"),
    ),
    post(
        "/teach/classes/<int:class_id>/roster", CLASS_A + "/roster", teachers_own(OK), _roster_data
    ),
    post(
        "/teach/classes/<int:class_id>/members/<int:user_id>/remove",
        CLASS_A + "/members/{bystander}/remove",
        teachers_own(goes(CLASS_A)),
    ),
    post(
        "/teach/classes/<int:class_id>/members/<int:user_id>/remove",
        CLASS_A + "/members/{other_student}/remove",
        teachers_own(NOT_FOUND),
        note="student of another class",
    ),
    get("/teach/classes/<int:class_id>/gradebook", CLASS_A + "/gradebook", teachers_own(OK)),
    get(
        "/teach/classes/<int:class_id>/gradebook.csv", CLASS_A + "/gradebook.csv", teachers_own(OK)
    ),
    get("/teach/classes/<int:class_id>/readiness", CLASS_A + "/readiness", teachers_own(OK)),
    # -------------------------------------------------- teaching: quiz sets
    get("/teach/sets/new", "/teach/sets/new", teachers(OK)),
    post(
        "/teach/sets/new",
        "/teach/sets/new",
        teachers(goes(r"/teach/sets/\d+")),
        _fields(title="Matrix extra set", feedback="end"),
    ),
    get("/teach/sets/<int:set_id>", SET_A, teachers_own(OK)),
    get(
        "/teach/sets/<int:set_id>",
        "/teach/sets/{set_b}",
        teachers_own(OK, owner=OTHER_TEACHER),
        note="other teacher's set",
    ),
    post("/teach/sets/<int:set_id>", SET_A, teachers_own(goes(SET_A)), _set_a_settings),
    # A question the set already holds: nothing is added.
    post(
        "/teach/sets/<int:set_id>/questions",
        SET_A + "/questions",
        teachers_own(goes(SET_A)),
        _fields(question_id="{question}"),
    ),
    # A question the set does not hold: nothing is removed.
    post(
        "/teach/sets/<int:set_id>/questions/remove",
        SET_A + "/questions/remove",
        teachers_own(goes(SET_A)),
        _fields(question_id="no-such-question"),
    ),
    # A filter that matches nothing: nothing is drawn.
    post(
        "/teach/sets/<int:set_id>/draw",
        SET_A + "/draw",
        teachers_own(goes(SET_A + r"\?text=zzqxjw")),
        _fields(count="1", text="zzqxjw"),
    ),
    post("/teach/sets/<int:set_id>/copy", SET_A + "/copy", teachers_own(goes(r"/teach/sets/\d+"))),
    post(
        "/teach/sets/<int:set_id>/import",
        SET_A + "/import",
        teachers_own(goes(SET_A)),
        _import_data,
    ),
    get("/teach/sets/<int:set_id>/print", SET_A + "/print", teachers_own(OK)),
    get(
        "/teach/sets/<int:set_id>/print",
        "/teach/sets/{set_b}/print",
        teachers_own(OK, owner=OTHER_TEACHER),
        note="other teacher's set",
    ),
    get("/teach/sets/<int:set_id>/assign", SET_A + "/assign", teachers_own(OK)),
    post(
        "/teach/sets/<int:set_id>/assign",
        SET_A + "/assign",
        teachers_own(goes(r"/teach/assignments/\d+")),
        _assign_data("class_a_spare"),
    ),
    # Teacher B assigning their own set to teacher A's class: not one of B's classes.
    post(
        "/teach/sets/<int:set_id>/assign",
        "/teach/sets/{set_b}/assign",
        teachers_own(BAD_REQUEST, owner=OTHER_TEACHER),
        _assign_data("class_a"),
        note="other teacher's set to teacher's class",
    ),
    # -------------------------------------------------- exports (downloads)
    get("/exports/bank/<fmt>", "/exports/bank/gift?category=dates", everyone()),
    get("/exports/sets/<int:set_id>/<fmt>", "/exports/sets/{set_a}/apkg", teachers_own(OK)),
    get(
        "/exports/sets/<int:set_id>/<fmt>",
        "/exports/sets/{set_b}/csv",
        teachers_own(OK, owner=OTHER_TEACHER),
        note="other teacher's set",
    ),
    get(
        "/exports/attempts/<int:attempt_id>/missed/<fmt>",
        "/exports/attempts/{attempt_s_assigned}/missed/tsv",
        students_own(OK),
    ),
    get(
        "/exports/attempts/<int:attempt_id>/missed/<fmt>",
        "/exports/attempts/{attempt_t_assigned}/missed/moodle-xml",
        students_own(OK, owner=OTHER_STUDENT),
        note="other student's attempt",
    ),
    # S's self-test is not finished: nothing to download yet.
    get(
        "/exports/attempts/<int:attempt_id>/missed/<fmt>",
        "/exports/attempts/{attempt_s_self}/missed/csv",
        students_own(FORBIDDEN),
        note="unfinished attempt",
    ),
    # -------------------------------------------------- teaching: results
    get(
        "/teach/assignments/<int:assignment_id>",
        "/teach/assignments/{assignment_a}",
        teachers_own(OK),
    ),
    get(
        "/teach/assignments/<int:assignment_id>",
        "/teach/assignments/{assignment_b}",
        teachers_own(OK, owner=OTHER_TEACHER),
        note="other teacher's assignment",
    ),
    get(
        "/teach/assignments/<int:assignment_id>/gradebook.csv",
        "/teach/assignments/{assignment_a}/gradebook.csv",
        teachers_own(OK),
    ),
    get(
        "/teach/assignments/<int:assignment_id>/items",
        "/teach/assignments/{assignment_a}/items",
        teachers_own(OK),
    ),
    get(
        "/teach/assignments/<int:assignment_id>/edit",
        "/teach/assignments/{assignment_a}/edit",
        teachers_own(OK),
    ),
    post(
        "/teach/assignments/<int:assignment_id>/edit",
        "/teach/assignments/{assignment_a}/edit",
        teachers_own(goes("/teach/assignments/{assignment_a}")),
        _window_data,
    ),
    post(
        "/teach/assignments/<int:assignment_id>/edit",
        "/teach/assignments/{assignment_b}/edit",
        teachers_own(goes("/teach/assignments/{assignment_b}"), owner=OTHER_TEACHER),
        _window_data,
        note="other teacher's assignment",
    ),
    post(
        "/teach/assignments/<int:assignment_id>/delete",
        "/teach/assignments/{assignment_doomed}/delete",
        teachers_own(goes("/teach/classes/{class_a_spare}")),
        note="the owner withdraws it (the last cell to run)",
    ),
    get(
        "/teach/attempts/<int:attempt_id>", "/teach/attempts/{attempt_s_assigned}", teachers_own(OK)
    ),
    get(
        "/teach/attempts/<int:attempt_id>",
        "/teach/attempts/{attempt_t_assigned}",
        teachers_own(OK, owner=OTHER_TEACHER),
        note="other class's attempt",
    ),
    # A self-test is the student's own: no teacher sees it, not even their class's.
    get(
        "/teach/attempts/<int:attempt_id>",
        "/teach/attempts/{attempt_s_self}",
        teachers_own(NOT_FOUND),
        note="student's self-test",
    ),
    # -------------------------------------------------- the JSON API (tokens only)
    get("/api/v1/openapi.json", "/api/v1/openapi.json", everyone()),
    get("/api/v1/docs", "/api/v1/docs", everyone()),
    api_get("/api/v1/me", "/api/v1/me", api_signed_in(OK)),
    api_get("/api/v1/bank/questions", "/api/v1/bank/questions", api_signed_in(OK)),
    api_get(
        "/api/v1/bank/questions/<qid:question_id>",
        "/api/v1/bank/questions/{question}",
        api_signed_in(OK),
    ),
    api_get("/api/v1/study/next", "/api/v1/study/next", api_signed_in(OK)),
    api_post(
        "/api/v1/study/reviews", "/api/v1/study/reviews", api_signed_in(CREATED), _api_review_data
    ),
    api_get("/api/v1/progress", "/api/v1/progress", api_signed_in(OK)),
    api_get("/api/v1/exam", "/api/v1/exam", api_signed_in(OK)),
    api_get("/api/v1/assignments", "/api/v1/assignments", api_signed_in(OK)),
    api_get(
        "/api/v1/assignments/<int:assignment_id>",
        "/api/v1/assignments/{assignment_a}",
        api_students_own(OK),
    ),
    api_get(
        "/api/v1/assignments/<int:assignment_id>",
        "/api/v1/assignments/{assignment_b}",
        api_students_own(OK, owner=OTHER_STUDENT),
        note="other class's assignment",
    ),
    api_get("/api/v1/teach/quiz-sets", "/api/v1/teach/quiz-sets", api_teachers_own(OK, None)),
    api_get(
        "/api/v1/teach/quiz-sets/<int:set_id>",
        "/api/v1/teach/quiz-sets/{set_a}",
        api_teachers_own(OK),
    ),
    api_get(
        "/api/v1/teach/quiz-sets/<int:set_id>",
        "/api/v1/teach/quiz-sets/{set_b}",
        api_teachers_own(OK, owner=OTHER_TEACHER),
        note="other teacher's set",
    ),
    api_get("/api/v1/teach/classes", "/api/v1/teach/classes", api_teachers_own(OK, None)),
    api_get(
        "/api/v1/teach/classes/<int:class_id>/gradebook",
        "/api/v1/teach/classes/{class_a}/gradebook",
        api_teachers_own(OK),
    ),
    api_get(
        "/api/v1/teach/classes/<int:class_id>/gradebook",
        "/api/v1/teach/classes/{class_b}/gradebook",
        api_teachers_own(OK, owner=OTHER_TEACHER),
        note="other teacher's class",
    ),
    api_get(
        "/api/v1/teach/assignments/<int:assignment_id>/gradebook",
        "/api/v1/teach/assignments/{assignment_a}/gradebook",
        api_teachers_own(OK),
    ),
    api_get(
        "/api/v1/teach/assignments/<int:assignment_id>/items",
        "/api/v1/teach/assignments/{assignment_a}/items",
        api_teachers_own(OK),
    ),
]


def _cell_id(row: Row, role: str) -> str:
    return f"{row.method} {row.rule} as {role}" + (f" [{row.note}]" if row.note else "")


CELLS = [pytest.param(row, role, id=_cell_id(row, role)) for row in MATRIX for role in ROLES]


# ---------------------------------------------------------------- the tests


def _routed_methods(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_row(app: Flask) -> None:
    covered = {(row.rule, row.method) for row in MATRIX}
    routed = _routed_methods(app)
    assert sorted(routed - covered) == [], "routes without a row in MATRIX"
    assert sorted(covered - routed) == [], "rows in MATRIX for routes the app lacks"


def test_every_row_answers_for_every_role() -> None:
    for row in MATRIX:
        assert set(row.answers) == set(ROLES), _cell_id(row, "?")
    assert len({_cell_id(row, role) for row in MATRIX for role in ROLES}) == len(CELLS)


def _client(world: World, role: str, fresh: bool) -> FlaskClient:
    if role == ANONYMOUS:
        return world.app.test_client()
    if not fresh:
        return world.clients[role]
    client = world.app.test_client()
    assert login(client, world.usernames[role]).status_code == 302
    return client


def _sign_in_again(world: World, role: str) -> None:
    """Signing out ends every session of the account: the shared client signs in again."""
    if role == ANONYMOUS:
        return
    client = world.clients[role]
    if client.get("/settings").status_code == 302:
        assert login(client, world.usernames[role]).status_code == 302


def _api_headers(world: World, row: Row, role: str) -> dict[str, str]:
    headers = {} if role == ANONYMOUS else bearer(world.tokens[role])
    if row.method == "POST":
        headers["Idempotency-Key"] = f"matrix-{role}"
    return headers


def _request(world: World, client: FlaskClient, row: Row, role: str, url: str) -> Any:
    if row.api:
        headers = _api_headers(world, row, role)
        if row.method == "GET":
            return client.get(url, headers=headers)
        return client.post(url, json=row.data(world) if row.data else {}, headers=headers)
    if row.method == "GET":
        return client.get(url)
    page = client.get("/login" if role == ANONYMOUS else "/")
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        **(row.data(world) if row.data else {}),
    }
    return client.post(url, data=data)


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_route_answers_role(world: World, row: Row, role: str) -> None:
    url = world.fill(row.url)
    path = urlsplit(url).path
    rule, _ = world.app.url_map.bind("localhost").match(path, method=row.method, return_rule=True)
    assert rule.rule == row.rule, f"{url} is routed to {rule.rule}, not {row.rule}"

    response = _request(world, _client(world, role, row.fresh), row, role, url)
    if row.fresh:
        _sign_in_again(world, role)
    expected = row.answers[role]
    location = response.headers.get("Location", "")
    got = f"{response.status_code}" + (f" to {location}" if location else "")
    assert response.status_code == expected.status, (
        f"{row.method} {url} as {role}: expected {expected}, got {got}"
    )
    if expected.sign_in:
        target = urlsplit(location)
        assert target.path == "/login", f"{row.method} {url} as {role}: got {got}"
        assert parse_qs(target.query).get("next") == [url], (
            f"{row.method} {url} as {role}: sign-in should come back to {url}, got {got}"
        )
    elif expected.to is not None:
        assert re.fullmatch(world.fill(expected.to), location), (
            f"{row.method} {url} as {role}: expected {expected}, got {got}"
        )


# ---------------------------------------------------------------- hostile input on every route

#: What a careless or hostile user sends: each value goes into every field and parameter.
HOSTILE = {
    "nul": "ab\x00cd",
    "control": "\x1b[31m\x07",
    "long": "x" * 10_000,
    "huge": "9" * 40,
    "negative": "-2147483649",
    "bad-date": "0000-13-45",
    "bad-zone": "Mars/Olympus_Mons",
    "unicode": "🪖✊🏽🚩 Ленин «Вся власть Советам!» \u202e",
    # Header-bearing values (issue 22, finding 3): each reached Content-Disposition raw.
    "line-break": "a\r\nSet-Cookie: hostile=1",
    "latin-1": "€",
    "disposition": "x\"; filename*=UTF-8''setup.bat; x=\"",
}
#: Query parameters the pages read.
QUERY_KEYS = ("q", "page", "per_page", "category", "kind", "tag", "text", "next", "code")
#: The fields of the API's JSON bodies.
API_BODY_FIELDS = ("question_id", "presentation", "rating", "response", "duration_ms")
#: Answer fields the quiz and study players read besides their forms' own fields.
ANSWER_KEYS = ("response", "choice", "order_1", "order_2", "order_3", "order_4")


def _form_field_names() -> set[str]:
    """Every field name of every form in the app, found by walking its forms modules."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm
    from wtforms.fields.core import UnboundField

    import quizapp

    names: set[str] = set(ANSWER_KEYS)
    for module_info in pkgutil.walk_packages(quizapp.__path__, "quizapp."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, FlaskForm):
                for klass in value.__mro__:
                    names |= {
                        name
                        for name, field in vars(klass).items()
                        if isinstance(field, UnboundField)
                    }
    return names


FORM_FIELDS = sorted(_form_field_names())


def _fingerprint() -> dict[str, int]:
    """How many rows each table holds: what a refused request must leave as it was."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


def _hostile_request(world: World, client: FlaskClient, row: Row, role: str, value: str) -> Any:
    url = world.fill(row.url) + "?" + urlencode({key: value for key in QUERY_KEYS})
    if row.api:
        headers = _api_headers(world, row, role)
        if row.method == "GET":
            return client.get(url, headers=headers)
        return client.post(url, json=dict.fromkeys(API_BODY_FIELDS, value), headers=headers)
    if row.method == "GET":
        return client.get(url)
    page = client.get("/login" if role == ANONYMOUS else "/")
    data = {name: value for name in FORM_FIELDS}
    data["csrf_token"] = csrf_token(page.get_data(as_text=True))
    return client.post(url, data=data)


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("row", MATRIX, ids=[_cell_id(row, "every role") for row in MATRIX])
def test_hostile_input_on_every_route_costs_no_500(world: World, row: Row, value: str) -> None:
    for role in ROLES:
        expected = row.answers[role]
        refused = expected.sign_in or expected.status in (401, 403, 404)
        with world.app.app_context():
            before = _fingerprint() if refused else None
        response = _hostile_request(world, _client(world, role, row.fresh), row, role, value)
        if row.fresh:
            _sign_in_again(world, role)
        assert response.status_code < 500, f"{row.method} {row.url} as {role}"
        _assert_sound_headers(response, f"{row.method} {row.url} as {role}")
        if before is not None:
            with world.app.app_context():
                assert _fingerprint() == before, f"{row.method} {row.url} as {role} changed data"


#: The values above that would bend a header, for the test that sends them one
#: parameter at a time (all at once, a bad ``category`` is refused before ``tag`` is read).
HEADER_BENDERS = ("line-break", "latin-1", "disposition")


@pytest.mark.parametrize("value", [HOSTILE[key] for key in HEADER_BENDERS], ids=HEADER_BENDERS)
def test_a_header_bending_value_in_any_one_parameter_costs_no_500(world: World, value: str) -> None:
    """Issue 22, finding 3: a bank export's ``tag`` went into Content-Disposition raw. Each
    query parameter alone, on every GET, as the first role the page is served to."""
    for row in MATRIX:
        role = next((role for role in ROLES if row.answers[role].status == 200), None)
        if row.method != "GET" or role is None:
            continue
        client = _client(world, role, fresh=False)
        headers = _api_headers(world, row, role) if row.api else {}
        url = world.fill(row.url)
        for key in QUERY_KEYS:
            asked = f"{url}{'&' if '?' in url else '?'}{urlencode({key: value})}"
            response = client.get(asked, headers=headers)
            where = f"GET {asked} as {role}"
            assert response.status_code < 500, where
            _assert_sound_headers(response, where)


def _assert_sound_headers(response: Any, where: str) -> None:
    """What a WSGI server will send: Latin-1 (PEP 3333; gunicorn fails on anything else),
    one line per header, and a download named by the app, not by the request."""
    for name, value in response.headers.items():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            pytest.fail(f"{where}: {name} is not Latin-1: {value!r}")
        assert "\r" not in value, f"{where}: {name} holds a line break"
        assert "\n" not in value, f"{where}: {name} holds a line break"
    disposition = response.headers.get("Content-Disposition")
    if disposition is not None:
        kind, options = parse_options_header(disposition)
        assert kind in ("attachment", "inline"), where
        assert re.fullmatch(r"[\w.-]+", options["filename"]), f"{where}: {disposition}"
        assert not options["filename"].endswith(".bat"), f"{where}: {disposition}"


# ---------------------------------------------------------------- OPTIONS and HEAD on every route


def _sample_urls(world: World) -> dict[str, str]:
    """A real URL for every rule in the app: the matrix's first row for it (with the
    world's ids), or a stand-in for the rules the matrix leaves out."""
    urls = {"/static/<path:filename>": "/static/style.css"}
    for row in MATRIX:
        urls.setdefault(row.rule, world.fill(row.url))
    return urls


def test_every_rule_has_a_sample_url(world: World) -> None:
    urls = _sample_urls(world)
    assert sorted({rule.rule for rule in world.app.url_map.iter_rules()} - set(urls)) == []


@pytest.mark.parametrize("method", ["OPTIONS", "HEAD"])
@pytest.mark.parametrize("role", ROLES)
def test_options_and_head_on_every_route_cost_no_500(world: World, role: str, method: str) -> None:
    """Issue 22, finding 4: Flask-Login lets OPTIONS through ``login_required`` signed
    out, and the teacher guard then asked a visitor ``is_teacher`` (a 500 on every
    /teach/ page). HEAD runs the GET views; a rule without GET answers 405."""
    urls = _sample_urls(world)
    for rule in world.app.url_map.iter_rules():
        url = urls[rule.rule]
        response = _client(world, role, fresh=False).open(url, method=method)
        where = f"{method} {url} as {role}"
        assert response.status_code < 500, where
        _assert_sound_headers(response, where)
        if method == "OPTIONS" and response.status_code == 200:
            assert "OPTIONS" in response.headers["Allow"], where


# ---------------------------------------------------------------- hostile file contents

#: C0 and C1 controls inside an uploaded file, where the form guard does not look.
FILE_CONTROLS = {
    "nul": "\x00",
    "escape": "\x1b",
    "vertical-tab": "\x0b",
    "nel": "\x85",
    "c1": "\x9f",
}


def _is_file(value: Any) -> bool:
    return isinstance(value, tuple) and isinstance(value[0], io.BytesIO)


def _upload_rows(world: World) -> list[Row]:
    """The rows whose data carries a file: every route that reads an upload."""
    return [row for row in MATRIX if row.data and any(map(_is_file, row.data(world).values()))]


def _with_control(data: dict[str, Any], control: str) -> dict[str, Any]:
    """The row's own fields, each file with ``control`` opening its second line."""
    hostile = dict(data)
    for key, value in data.items():
        if _is_file(value):
            header, _, rest = value[0].getvalue().partition(b"\n")
            hostile[key] = (io.BytesIO(header + b"\n" + control.encode() + rest), value[1])
    return hostile


def _file_field_names() -> set[str]:
    """The name of every FileField of every form in the app."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm
    from wtforms import FileField
    from wtforms.fields.core import UnboundField

    import quizapp

    names: set[str] = set()
    for module_info in pkgutil.walk_packages(quizapp.__path__, "quizapp."):
        if module_info.name.endswith(".forms"):
            for value in vars(importlib.import_module(module_info.name)).values():
                if isinstance(value, type) and issubclass(value, FlaskForm):
                    names |= {
                        name
                        for name, field in vars(value).items()
                        if isinstance(field, UnboundField)
                        and issubclass(field.field_class, FileField)
                    }
    return names


def test_the_upload_rows_are_every_file_upload(world: World) -> None:
    """Every FileField in the app is sent a file by some row (a roster, a question file)."""
    sent = {key for row in _upload_rows(world) for key, v in row.data(world).items() if _is_file(v)}
    assert sent == _file_field_names() == {"roster", "questions_file"}


@pytest.mark.parametrize("control", FILE_CONTROLS.values(), ids=FILE_CONTROLS.keys())
def test_a_control_character_in_an_uploaded_file_is_refused_and_changes_nothing(
    world: World, control: str
) -> None:
    """Issue 22, finding 5: file contents pass the same guard as form fields. Whoever
    may upload gets 400 naming the control; everyone else what the matrix lists."""
    for row in _upload_rows(world):
        for role in ROLES:
            _post_file_with_control(world, row, role, control)


def _post_file_with_control(world: World, row: Row, role: str, control: str) -> None:
    assert row.data is not None
    listed = row.answers[role]
    allowed = not listed.sign_in and listed.status in (200, 302)
    client = _client(world, role, row.fresh)
    page = client.get("/login" if role == ANONYMOUS else "/")
    data = {"csrf_token": csrf_token(page.get_data(as_text=True))}
    data.update(_with_control(row.data(world), control))
    with world.app.app_context():
        before = _fingerprint()
    response = client.post(world.fill(row.url), data=data)
    where = f"POST {row.url} as {role} with {control!r} in the file"
    assert response.status_code == (400 if allowed else listed.status), where
    if allowed:
        assert "holds the control character" in response.get_data(as_text=True), where
    with world.app.app_context():
        assert _fingerprint() == before, f"{where} changed data"
