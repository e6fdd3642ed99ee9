"""A live game in Chromium: a teacher and three students in separate browser contexts,
against two gunicorn workers (threaded) sharing Redis.

The teacher opens a lobby for a five-question set and their class; the students,
signed in on phone-sized screens, join from the link with the PIN; the teacher's
screen drives every question, reveal and leaderboard, and every phone follows by
its event stream. One student's page is closed mid-game and opened again: it comes
back to its seat with its score. The final leaderboard matches what each phone
shows, the answers given match the gradebook, and axe finds nothing serious.

Needs Redis on 127.0.0.1:6379: skipped with the reason where it is down, except
under CI (``CI`` set), where that fails.
"""

from __future__ import annotations

import csv
import io
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.flows import assert_accessible, shoot
from helpers.server import SECRET, Gunicorn
from helpers.web import PASSWORD
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import LiveGame, Membership, Question, QuizSet, SchoolClass, User

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
KINDS = ("choice", "short", "order", "date", "number")
STUDENTS = ("Anya", "Boris", "Clara")
#: Who gets each of the five questions right.
RIGHT = {
    "Anya": [True, True, True, True, True],
    "Boris": [True, False, True, False, True],
    "Clara": [False, True, False, False, False],
}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"Redis is not answering at {REDIS_URL} ({error}); start it: redis-server"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}. CI must run the live tests on Redis")
        pytest.skip(reason)
    prefix = f"quizapp-browser-{uuid.uuid4().hex[:10]}:"
    yield prefix
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def _seed(database_url: str, instance: Path) -> dict[str, object]:
    """The teacher, their class of three and a set of one question of each kind."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET, "AUTO_SETUP": False},
        instance_path=str(instance),
    )
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        teacher = User(username=f"t-{tag}", display_name="Ms Ivanova", role="teacher")
        teacher.set_password(PASSWORD)
        db.session.add(teacher)
        db.session.flush()
        school_class = SchoolClass(
            teacher_id=teacher.id, name="Year 11 History", join_code=f"L{tag.upper()}"
        )
        db.session.add(school_class)
        db.session.flush()
        usernames = {}
        for name in STUDENTS:
            student = User(username=f"{name.lower()}-{tag}", display_name=name)
            student.set_password(PASSWORD)
            db.session.add(student)
            db.session.flush()
            db.session.add(Membership(class_id=school_class.id, user_id=student.id))
            usernames[name] = student.username
        questions = [
            db.session.scalars(
                select(Question).where(Question.kind == kind, Question.retired_at.is_(None))
            ).first()
            for kind in KINDS
        ]
        quiz_set = QuizSet(
            teacher_id=teacher.id,
            title="October live",
            question_ids=[q.id for q in questions],
            shuffle=False,
        )
        db.session.add(quiz_set)
        db.session.commit()
        answers = [(q.kind, q.answer, list(q.choices)) for q in questions]
        world = {"teacher": teacher.username, "students": usernames, "answers": answers}
    with app.app_context():
        db.engine.dispose()
    return world


def _context(browser: Browser, url: str, violations: list[str], phone: bool) -> BrowserContext:
    context = browser.new_context(base_url=url, viewport=PHONE if phone else None)
    context.set_default_timeout(15_000)
    context.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return context


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Hello"))).to_be_visible()


QuestionData = tuple[str, object, list[str]]


def _answer(page: Page, question: QuestionData, right: bool) -> None:
    """Answer the question on screen, right or wrong, by keyboard where it is typed."""
    kind, answer, choices = question
    expect(page.get_by_role("button", name="Answer")).to_be_visible()
    if kind == "choice":
        value = answer if right else next(c for c in choices if c != answer)
        page.locator(f'input[name="response"][value="{value}"]').check()
        page.get_by_role("button", name="Answer").click()
    elif kind == "order":
        # By keyboard in the drag-and-drop list: each event, last first, moved to the top.
        items = list(answer) if right else list(reversed(answer))
        expect(page.locator("[data-order][data-order-ready=yes]")).to_have_count(1)
        for item in reversed(items):
            entry = page.locator(".order-item").filter(has=page.get_by_text(item, exact=True))
            entry.focus()
            page.keyboard.press("Home")
        page.get_by_role("button", name="Answer").click()
    else:
        page.locator("#response").fill(str(answer) if right else "no idea")
        page.keyboard.press("Enter")
    expect(page.get_by_text("Answer in.")).to_be_visible()


def _score(page: Page) -> int:
    return int(page.locator("[data-score]").inner_text().split()[0])


def _open_lobby(teacher: Page, username: str) -> tuple[str, str]:
    """The teacher opens a lobby for the set and the class; returns the PIN and join link."""
    _sign_in(teacher, username)
    teacher.goto("/teach/")
    teacher.get_by_role("link", name="Host a live game").click()
    teacher.get_by_label("Questions", exact=True).select_option(label="October live (5 questions)")
    teacher.get_by_label("Class (results go to its gradebook)").select_option(
        label="Year 11 History"
    )
    teacher.get_by_label("Seconds per question").select_option("30")
    assert_accessible(teacher)
    shoot(teacher, "live-new")
    teacher.get_by_role("button", name="Open the lobby").click()
    expect(teacher.locator("img.live-qr")).to_be_visible()
    assert "Live games need Redis" not in teacher.content()
    return teacher.locator("[data-pin]").inner_text(), teacher.locator(
        "a[href*='/live/?pin=']"
    ).inner_text()


def _join(phone: Page, username: str, name: str, pin: str, link: str, check: bool) -> None:
    _sign_in(phone, username)
    phone.goto(link)
    expect(phone.get_by_label("Game PIN")).to_have_value(pin)
    expect(phone.get_by_label("Nickname")).to_have_value(name)
    if check:
        assert_accessible(phone)
        shoot(phone, "live-join-phone")
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_role("heading", name="You're in!")).to_be_visible()


def _play(teacher: Page, phones: dict[str, Page], index: int, question: QuestionData) -> None:
    """Every phone answers; the teacher reveals, shows the leaderboard and moves on."""
    for name in STUDENTS:
        if index == 0 and name == "Anya":
            expect(phones[name].get_by_role("button", name="Answer")).to_be_visible()
            assert_accessible(phones[name])
            shoot(phones[name], "live-phone-question")
        _answer(phones[name], question, RIGHT[name][index])
    expect(teacher.locator("[data-answered]")).to_have_text("3")
    if index == 0:
        shoot(teacher, "live-host-question")
    teacher.get_by_role("button", name="Show the answers").click()
    expect(teacher.get_by_role("table", name="Answers given")).to_be_visible()
    for name in STUDENTS:
        verdict = "Right!" if RIGHT[name][index] else "Not quite"
        expect(phones[name].locator(".live-verdict")).to_contain_text(verdict)
    if index == 0:
        assert_accessible(teacher)
        shoot(teacher, "live-host-reveal")
        assert_accessible(phones["Boris"])
        shoot(phones["Boris"], "live-phone-reveal")
    teacher.get_by_role("button", name="Leaderboard").click()
    expect(teacher.get_by_role("heading", name=re.compile("Leaderboard"))).to_be_visible()
    if index == 1:
        assert_accessible(teacher)
        shoot(teacher, "live-host-leaderboard")
    last = index == len(RIGHT["Anya"]) - 1
    teacher.get_by_role("button", name="Finish the game" if last else "Next question").click()


def _final_board(teacher: Page, phones: dict[str, Page]) -> list[tuple[str, int]]:
    """The final leaderboard, checked against every phone and the answers given."""
    expect(teacher.get_by_role("heading", name="Final leaderboard")).to_be_visible()
    board = [
        (row.locator("span").inner_text(), int(row.locator("strong").inner_text()))
        for row in teacher.locator("ol.live-board li").all()
    ]
    assert [name for name, _ in board] == list(STUDENTS)
    for name, score in board:
        phone = phones[name]
        expect(phone.get_by_role("heading", name="Game over")).to_be_visible()
        assert int(phone.locator("[data-final-score]").inner_text()) == score
        right = sum(RIGHT[name])
        assert f"({right} of 5 right)" in phone.content()
        assert 500 * right <= score <= 1000 * right + 1000
    assert_accessible(teacher)
    shoot(teacher, "live-host-final")
    assert_accessible(phones["Clara"])
    shoot(phones["Clara"], "live-phone-final")
    return board


def _check_gradebook(teacher: Page) -> None:
    """The gradebook has each student's attempt, scored by the answers they gave."""
    teacher.get_by_role("link", name="Gradebook of this game").click()
    assignment_id = re.search(r"/teach/assignments/(\d+)", teacher.url).group(1)
    export = teacher.request.get(f"/teach/assignments/{assignment_id}/gradebook.csv")
    rows = {row["display_name"]: row for row in csv.DictReader(io.StringIO(export.text()))}
    for name in STUDENTS:
        assert rows[name]["status"] == "submitted"
        assert rows[name]["score"] == str(sum(RIGHT[name]))
        assert rows[name]["out_of"] == "5"
    shoot(teacher, "live-gradebook")


def test_a_live_game_across_two_workers_with_a_phone_that_drops_off(
    browser: Browser, fresh_database_url: str, tmp_path: Path, redis_prefix: str
) -> None:
    options = ("-k", "gthread", "--threads", "16", "--graceful-timeout", "2")
    env = {"REDIS_URL": REDIS_URL, "QUIZAPP_LIVE_PREFIX": redis_prefix}
    violations: list[str] = []
    with Gunicorn(fresh_database_url, tmp_path / "instance", 2, options, env) as server:
        world = _seed(fresh_database_url, tmp_path / "seed")
        contexts = [_context(browser, server.url, violations, phone=False)]
        teacher = contexts[0].new_page()
        pin, link = _open_lobby(teacher, world["teacher"])
        phones: dict[str, Page] = {}
        for name in STUDENTS:
            contexts.append(_context(browser, server.url, violations, phone=True))
            phones[name] = contexts[-1].new_page()
            _join(phones[name], world["students"][name], name, pin, link, name == "Anya")
        # The lobby on the projector fills in by itself as they join.
        expect(teacher.locator("[data-player-count]")).to_have_text("3")
        assert_accessible(teacher)
        shoot(teacher, "live-host-lobby")
        assert_accessible(phones["Anya"])
        shoot(phones["Anya"], "live-phone-lobby")

        teacher.get_by_role("button", name="Start the game").click()
        for index, question in enumerate(world["answers"]):
            if index == 2:
                # Clara's phone locks and her page is gone; she opens it again.
                before = _score(phones["Clara"])
                phones["Clara"].close()
                phones["Clara"] = contexts[3].new_page()
                phones["Clara"].goto(f"/live/{pin}/play")
                assert _score(phones["Clara"]) == before
            _play(teacher, phones, index, question)
        board = _final_board(teacher, phones)
        _check_gradebook(teacher)

        # Clara sends what she missed to her study deck.
        phones["Clara"].get_by_role(
            "button", name="Add the questions I missed to my study deck"
        ).click()
        expect(phones["Clara"].get_by_text("4 missed questions added")).to_be_visible()
        for context in contexts:
            context.close()

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": fresh_database_url, "SECRET_KEY": SECRET, "AUTO_SETUP": False},
        instance_path=str(tmp_path / "check"),
    )
    with app.app_context():
        record = db.session.scalar(select(LiveGame).where(LiveGame.pin == pin))
        assert [(r["nickname"], r["score"]) for r in record.results] == board
        db.engine.dispose()
    assert not violations, violations
