"""Hostile input is turned away at the door: a clear 4xx, never a 500, and nothing stored.

Runs on SQLite and (in CI) on PostgreSQL, where NUL bytes and ids past 2**31 used
to reach the database and fail there.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.teaching import create_class, create_set, make_teacher, post_form, question_ids
from helpers.web import PASSWORD, csrf_token, register, unique_name
from sqlalchemy import select
from werkzeug.http import parse_options_header

from quizapp.extensions import db
from quizapp.models import QuizSet, User
from quizapp.web.guards import MAX_ID

HUGE_IDS = [str(MAX_ID + 1), "9223372036854775808", "99999999999999999999999"]


@pytest.mark.parametrize("number", HUGE_IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/quiz/{n}",
        "/quiz/{n}/1",
        "/assignments/{n}",
        "/teach/classes/{n}",
        "/teach/sets/{n}",
        "/teach/assignments/{n}",
        "/teach/attempts/{n}",
    ],
)
def test_ids_past_what_the_database_holds_are_not_found(app: Flask, path: str, number: str) -> None:
    student, teacher = app.test_client(), app.test_client()
    register(student)
    make_teacher(app, teacher)
    for client in (student, teacher):
        assert client.get(path.format(n=number)).status_code == 404


def test_the_largest_id_still_reaches_the_view(app: Flask) -> None:
    client = app.test_client()
    make_teacher(app, client)
    response = client.get(f"/teach/classes/{MAX_ID}")
    assert response.status_code == 404
    assert "find that page" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-1", "10001", "999999999999999999999"])
def test_bank_pages_out_of_range_are_not_found(client: FlaskClient, page: str) -> None:
    assert client.get(f"/bank/?page={page}").status_code == 404


def test_bank_page_that_is_not_a_number_shows_the_first(client: FlaskClient) -> None:
    page = client.get("/bank/?page=abc").get_data(as_text=True)
    assert "Page 1 of" in page


@pytest.mark.parametrize(
    "url", ["/bank/?q=%00", "/bank/?q=a%00b", "/bank/%00x", "/bank/?tag=%1b", "/bank/?%00=1"]
)
def test_control_characters_in_urls_are_refused_with_a_reason(
    client: FlaskClient, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


def test_nul_in_a_login_is_refused_and_counts_no_failure(client: FlaskClient) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"csrf_token": token, "username": "ann\x00", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


def test_nul_in_a_sign_up_stores_nothing(app: Flask, client: FlaskClient) -> None:
    username = unique_name()
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post(
        "/register",
        data={
            "csrf_token": token,
            "username": username,
            "display_name": "Nad\x00ia",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "timezone": "UTC",
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == username)) is None


def test_tabs_and_line_breaks_are_still_welcome(app: Flask, client: FlaskClient) -> None:
    response = client.get("/bank/?q=aurora%09%0d%0a")
    assert response.status_code == 200


def test_nul_in_a_teachers_form_changes_nothing(app: Flask) -> None:
    client = app.test_client()
    make_teacher(app, client)
    class_id = create_class(client, name="Safe name")
    page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    response = client.post(
        f"/teach/classes/{class_id}/members",
        data={"csrf_token": csrf_token(page), "username": "x\x00y"},
    )
    assert response.status_code == 400
    assert "Students (0)" in client.get(f"/teach/classes/{class_id}").get_data(as_text=True)


def test_a_body_past_the_limit_is_refused_before_it_is_read(app: Flask) -> None:
    client = app.test_client()
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/login", data=b"x" * (limit + 1), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "too large to send" in response.get_data(as_text=True)


def test_a_giant_roster_is_refused_whole_and_creates_nobody(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    class_id = create_class(teacher, name="Giant roster")
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    rows = b"".join(b"student%07d,Student %d\n" % (n, n) for n in range(60_000))
    response = teacher.post(
        f"/teach/classes/{class_id}/roster",
        data={
            "csrf_token": csrf_token(page),
            "roster": (io.BytesIO(b"username,display_name\n" + rows), "giant.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "student0000001")) is None


def test_the_guards_refuse_exactly_unicodes_control_characters_but_tab_and_line_breaks() -> None:
    """The guards' pattern spells out Unicode's category Cc, checked over every code point."""
    import unicodedata

    from quizapp.core.controls import ALLOWED_CONTROLS, has_control_character

    for code in range(0x110000):
        character = chr(code)
        wanted = unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROLS
        assert has_control_character(f"ok{character}ok") == wanted, hex(code)


# ---------------------------------------------------------------- file contents

#: C0 and C1 controls a file may carry where a form field may not (issue 22, finding 5).
FILE_CONTROLS = {"nul": "\x00", "escape": "\x1b", "delete": "\x7f", "nel": "\x85", "c1": "\x9f"}


def _upload_roster(teacher: FlaskClient, class_id: int, roster: str) -> Any:
    return post_form(
        teacher,
        f"/teach/classes/{class_id}",
        f"/teach/classes/{class_id}/roster",
        roster=(io.BytesIO(roster.encode()), "roster.csv"),
    )


@pytest.mark.parametrize("control", FILE_CONTROLS.values(), ids=FILE_CONTROLS.keys())
def test_a_control_character_in_a_roster_is_refused_with_its_row_and_creates_nobody(
    app: Flask, control: str
) -> None:
    """A NUL in a display name was a 500 on PostgreSQL and stored on SQLite; a C1
    control was stored on both."""
    teacher = app.test_client()
    make_teacher(app, teacher)
    class_id = create_class(teacher, name="Hostile roster")
    first, second = unique_name("roster"), unique_name("roster")
    response = _upload_roster(
        teacher, class_id, f"username,display_name\n{first},Anna\n{second},Bo{control}ris\n"
    )
    assert response.status_code == 400
    assert "Row 3: holds the control character" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalars(select(User).where(User.username.in_([first, second]))).all()


QUESTION_FILES = {
    "csv": "kind,prompt,answer\nshort,Who led?,Lenin\nshort,Who{c} chaired?,Trotsky\n",
    "tsv": "Who led?\tLenin\nWho{c} chaired?\tTrotsky\n",
    "gift": "::a:: Who led? {{=Lenin}}\n\n::b:: Who{c} chaired? {{=Trotsky}}\n",
}


@pytest.mark.parametrize("fmt", QUESTION_FILES)
@pytest.mark.parametrize("control", FILE_CONTROLS.values(), ids=FILE_CONTROLS.keys())
def test_a_control_character_in_a_question_file_is_refused_with_its_line(
    app: Flask, fmt: str, control: str
) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    set_id = create_set(teacher, question_ids(app, 1), "Hostile import")
    response = post_form(
        teacher,
        f"/teach/sets/{set_id}",
        f"/teach/sets/{set_id}/import",
        questions_file=(io.BytesIO(QUESTION_FILES[fmt].format(c=control).encode()), f"q.{fmt}"),
        file_format=fmt,
        default_category="events",
    )
    assert response.status_code == 400
    line = 2 if fmt == "tsv" else 3
    assert f"Line {line}: holds the control character" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(QuizSet, set_id).question_ids) == 1


def test_the_form_guard_and_the_file_readers_share_one_definition() -> None:
    """C1 controls are refused in a form field as in a file: one pattern for both."""
    from quizapp.core import controls, roster
    from quizapp.core.exports import importing
    from quizapp.web import guards

    assert guards.has_control_character is controls.has_control_character
    assert roster.has_control_character is controls.has_control_character
    assert importing.control_characters_by_line is controls.control_characters_by_line


@pytest.mark.parametrize("control", ["%C2%85", "%C2%9F", "%7F"])
def test_c1_controls_in_a_form_field_are_refused_as_in_a_file(
    client: FlaskClient, control: str
) -> None:
    assert client.get(f"/bank/?q=a{control}b").status_code == 400


# ---------------------------------------------------------------- header-bearing parameters

#: Tags that reached ``Content-Disposition`` raw: a line break (a 500), a character
#: outside Latin-1 (a 500 from gunicorn), and a quote that added a ``filename*`` of
#: the link's choosing (issue 22, finding 3).
HEADER_BREAKERS = {
    "line-break": "a\nb",
    "carriage-return": "a\r\nSet-Cookie: hostile=1",
    "euro": "€",
    "cyrillic": "ленин",
    "quote": "x\"; filename*=UTF-8''setup.bat; x=\"",
}
EXPORT_FORMATS = ("apkg", "gift", "moodle-xml", "csv", "tsv")


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("tag", HEADER_BREAKERS.values(), ids=HEADER_BREAKERS.keys())
def test_a_bank_export_of_an_unknown_tag_is_not_found(
    client: FlaskClient, fmt: str, tag: str
) -> None:
    response = client.get(f"/exports/bank/{fmt}", query_string={"tag": tag})
    assert response.status_code == 404
    assert "Content-Disposition" not in response.headers
    assert client.get(f"/exports/bank/{fmt}?tag=no-such-tag").status_code == 404


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_a_bank_export_of_a_known_tag_is_named_by_it_in_a_sound_header(
    client: FlaskClient, fmt: str
) -> None:
    from quizapp.exports.service import FORMATS

    response = client.get(f"/exports/bank/{fmt}?tag=central-committee&category=events")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # what gunicorn (PEP 3333) requires of every header
    kind, options = parse_options_header(header)
    assert (kind, options) == (
        "attachment",
        {"filename": f"october-revolution-events-central-committee.{FORMATS[fmt].extension}"},
    )


CYRILLIC = "%D0%BB%D0%B5%D0%BD%D0%B8%D0%BD"


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("a\nb.csv", {"filename": "a-b.csv"}),
        ("quiz-€.csv", {"filename": "quiz-.csv"}),
        (
            "x\"; filename*=UTF-8''setup.bat; x=\".csv",
            {"filename": "x-filename-UTF-8-setup.bat-x-.csv"},
        ),
        ("ленин.gift.txt", {"filename": "gift.txt", "filename*": f"UTF-8''{CYRILLIC}.gift.txt"}),
        ("../../etc/passwd", {"filename": "etc-passwd"}),
        ("", {"filename": "download"}),
    ],
)
def test_a_download_name_is_a_slug_encoded_as_send_file_encodes_it(
    app: Flask, name: str, params: dict[str, str]
) -> None:
    from quizapp.web.downloads import attachment, disposition

    assert disposition(name) == params
    with app.test_request_context():
        header = attachment(b"", name, "text/csv").headers["Content-Disposition"]
    header.encode("latin-1")
    assert "\n" not in header
    assert "\r" not in header
    read_back = unquote(params.get("filename*", params["filename"]).removeprefix("UTF-8''"))
    assert parse_options_header(header) == ("attachment", {"filename": read_back})


# ---------------------------------------------------------------- visitors and OPTIONS


def test_a_visitor_is_never_a_teacher(app: Flask) -> None:
    """Flask-Login lets OPTIONS through ``login_required`` signed out, so role checks
    meet visitors: an anonymous OPTIONS to any /teach/ page was a 500."""
    from quizapp.extensions import login_manager

    assert login_manager.anonymous_user().is_teacher is False
    client = app.test_client()
    for path in ("/teach/", "/teach/classes/1", "/teach/sets/new"):
        assert client.options(path).status_code == 403
