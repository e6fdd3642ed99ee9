"""The pages a student and a teacher live in, at phone and desktop width, light and dark.

One seeded world serves the module: a student with a week of study, an exam plan
begun a week ago and a finished self-test; a teacher with a class of 30, two
assignments, and attempts right and wrong. Every page is checked with axe at 390 px
and 1280 px, and the screenshots (light and dark, both widths) go to the screenshot
folder to be looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from fsrs import Rating
from helpers.clock import today, utcnow
from helpers.flows import answer_by_keyboard, assert_accessible, shoot
from helpers.teaching import (
    answer_all,
    assign,
    create_class,
    create_set,
    latest_attempt,
    make_teacher,
    post_form,
    question_ids,
    start,
)
from helpers.web import PASSWORD, login, unique_name
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Card, ExamPlan, Question, SchoolClass, User
from quizapp.study import service as study
from quizapp.teach import service as teach

WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")
STUDENT_NAME = "Vera Figner"
CLASS_SIZE = 30


@dataclass
class World:
    student: str
    attempt_id: int
    teacher: str
    set_id: int
    assignment_id: int
    class_id: int


def _student_with_a_week_of_study(app: Flask) -> str:
    """A student whose exam plan began eight days ago, with reviews on four of those days."""
    username = unique_name("vera")
    now = utcnow()
    with app.app_context():
        user = User(
            username=username,
            display_name=STUDENT_NAME,
            role="student",
            timezone="Europe/London",
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.add(
            ExamPlan(
                user_id=user.id,
                exam_date=today() + timedelta(days=10),
                categories=["dates", "key-figures"],
                tags=[],
                created_at=now - timedelta(days=8),
            )
        )
        db.session.commit()
        fresh = list(
            db.session.scalars(
                select(Question.id)
                .where(Question.category.in_(["dates", "key-figures"]))
                .where(Question.retired_at.is_(None))
                .order_by(Question.id)
            )
        )
        ratings = (Rating.Good, Rating.Again, Rating.Easy, Rating.Hard, Rating.Good)
        for day, ago in enumerate((7, 5, 3, 2)):
            moment = now - timedelta(days=ago)
            for n, qid in enumerate(fresh[day * 6 : day * 6 + 6]):
                question = db.session.get_one(Question, qid)
                study.record_review(
                    user,
                    question,
                    study.presentation_key(qid, 0),
                    ratings[(n + day) % len(ratings)],
                    None,
                    6000,
                    moment + timedelta(minutes=n),
                )
    return username


def _finished_self_test(app: Flask, client: Any, username: str) -> int:
    """A four-question self-test of dates, two right and two wrong, feedback at the end."""
    assert login(client, username).status_code == 302
    response = post_form(client, "/quiz/", kinds=["date"], count="4", feedback="end")
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(re.search(r"/quiz/(\d+)/1", response.headers["Location"]).group(1))
    answer_all(client, app, attempt_id, [True, False, True, False])
    return attempt_id


def _class_of_thirty(app: Flask, also: str) -> tuple[str, int, int, int]:
    """A teacher, a class of 30 (and ``also``, who has taken nothing), two assignments;
    12 and 6 students have taken them."""
    client = app.test_client()
    teacher = make_teacher(app, client)
    class_id = create_class(client, "Year 11 History: October")
    ids = question_ids(app, 8)
    first_set = create_set(client, ids[:4], "Dates of October", attempts_allowed="1")
    second_set = create_set(client, ids[4:8], "The Winter Palace", attempts_allowed="1")
    first = assign(client, first_set, class_id)
    second = assign(client, second_set, class_id, due=today() + timedelta(days=9))
    now = utcnow()
    names = []
    with app.app_context():
        school_class = db.session.get_one(SchoolClass, class_id)
        model = User(username="model", display_name="model", role="student")
        model.set_password(PASSWORD)
        for n in range(CLASS_SIZE):
            username = unique_name(f"s{n:02d}")
            user = User(
                username=username,
                display_name=f"Student {chr(65 + n % 26)}{n // 26 or ''} Petrova",
                role="student",
                timezone="Europe/London",
                password_hash=model.password_hash,
            )
            db.session.add(user)
            db.session.commit()
            teach.add_member(school_class, user, now)
            names.append(username)
        other = db.session.scalar(select(User).where(User.username == also))
        teach.add_member(school_class, other, now)
    patterns = [
        [True, True, True, True],
        [True, False, True, True],
        [False, False, True, False],
        [True, True, False, True],
        [False, True, False, False],
        [True, False, False, True],
    ]
    for n, username in enumerate(names[:12]):
        student = app.test_client()
        assert login(student, username).status_code == 302
        for assignment_id, limit in ((first, 12), (second, 6)):
            if n < limit:
                assert start(student, assignment_id).status_code == 302
                attempt = latest_attempt(app, username).id
                answer_all(student, app, attempt, patterns[n % len(patterns)])
    return teacher, first_set, first, class_id


@pytest.fixture(scope="module")
def world(app: Flask) -> World:
    student = _student_with_a_week_of_study(app)
    attempt_id = _finished_self_test(app, app.test_client(), student)
    teacher, set_id, assignment_id, class_id = _class_of_thirty(app, also=student)
    return World(student, attempt_id, teacher, set_id, assignment_id, class_id)


def _context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    """A browser context that fails the test on any Content-Security-Policy report."""
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(10_000)
    violations: list[str] = []
    context.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    context.csp_violations = violations  # type: ignore[attr-defined]
    return context


@pytest.fixture
def contexts(browser: Browser, live_server: Any) -> Iterator[Any]:
    """Makes contexts (closed, and checked for CSP reports, at the end of the test)."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = _context(browser, live_server.url, **options)
        made.append(context)
        return context

    yield make
    violations = [v for context in made for v in context.csp_violations]  # type: ignore[attr-defined]
    for context in made:
        context.close()
    assert not violations, violations


def _sign_in(page: Page, username: str, heading: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Hello, {heading}")).to_be_visible()


def _fits_the_screen(page: Page) -> None:
    """No sideways scrolling of the page itself (wide tables scroll inside their box)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, (page.url, overflow)


def _is_dark(page: Page) -> bool:
    """Whether the page's background is dark (its luminance below half)."""
    rgb = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    red, green, blue = (int(v) for v in re.findall(r"\d+", rgb)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 128


#: Where axe runs: each width once, each scheme once (the screenshots take all four).
AXE_LOOKS = (("light", 390), ("dark", 1280))


def _look(page: Page, scheme: str, width: int) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.set_viewport_size({"width": width, "height": 860})


def _check(page: Page, name: str) -> None:
    """The page in each look (light and dark, phone and desktop width): in that scheme,
    within the screen, shot; and accessible, checked by axe at each width and scheme."""
    for scheme in SCHEMES:
        for width in WIDTHS:
            _look(page, scheme, width)
            assert _is_dark(page) == (scheme == "dark"), (page.url, scheme)
            _fits_the_screen(page)
            if (scheme, width) in AXE_LOOKS:
                assert_accessible(page)
            shoot(page, f"polish-{name}-{width}-{scheme}")
    _look(page, "light", 1280)


# ---------------------------------------------------------------- a student's pages


def test_student_pages_light_and_dark_at_both_widths(contexts: Any, world: World) -> None:
    page = contexts(viewport={"width": 390, "height": 860}).new_page()
    _sign_in(page, world.student, STUDENT_NAME)

    # Home is the day's plan: cards, the day's bar, the countdown, readiness and its trend.
    plan = page.get_by_role("region", name="Today's plan")
    expect(plan.locator("[data-stat=due]")).not_to_have_text("0")
    expect(plan.locator("[data-day-progress]")).to_contain_text("done today")
    expect(plan.locator("progress")).to_be_visible()
    exam = page.get_by_role("region", name="Exam")
    expect(exam.locator("[data-countdown]")).to_contain_text("10 days to go")
    expect(exam.locator("[data-trend]")).to_contain_text(re.compile(r"up \d+ points? since"))
    upcoming = page.get_by_role("region", name="Next assignment")
    expect(upcoming.locator("[data-next-assignment]")).to_contain_text("Dates of October")
    expect(upcoming.locator(".status-badge")).to_have_text("To do")
    expect(
        plan.get_by_role("link", name=re.compile(r"^Start studying: \d+ cards$"))
    ).to_be_focused()
    _check(page, "home")

    # Study: the question, then the answer with its evidence as a citation.
    page.get_by_role("link", name=re.compile("^Start studying")).click()
    expect(page.locator("[data-session-progress]")).to_contain_text(
        re.compile(r"Card 1 of \d+ today")
    )
    _check(page, "study-question")
    page.get_by_role("button", name="I don't know: show me").click()
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    expect(page.locator(".citation figcaption cite").first).to_be_visible()
    _check(page, "study-answer")

    page.goto(f"/quiz/{world.attempt_id}/results")
    expect(page.locator(".result-item")).to_have_count(4)
    _check(page, "quiz-results")

    page.goto("/progress/")
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    _check(page, "progress")

    # The exam page keeps the cards being forgotten apart from those never studied.
    page.goto("/exam/")
    weakest = page.locator("[data-weakest]")
    unstudied = page.locator("[data-unstudied]")
    expect(weakest.get_by_role("heading")).to_have_text(
        re.compile(r"Weakest studied cards \(24 studied\)")
    )
    expect(weakest.locator("li")).to_have_count(10)
    for recall in weakest.locator(".recall").all_inner_texts():
        assert int(recall.rstrip("%")) > 0
    expect(unstudied.get_by_role("heading")).to_have_text(re.compile(r"Not studied yet \(56\)"))
    expect(unstudied.locator("li")).to_have_count(10)
    expect(unstudied.locator(".recall")).to_have_count(0)
    _check(page, "exam")


# ---------------------------------------------------------------- a teacher's reports


def _column(page: Page, table: str, index: int) -> list[str]:
    """The cells of column ``index`` (from 0), top to bottom."""
    cells = page.locator(f"{table} tbody tr > :nth-child({index + 1})")
    return [text.strip() for text in cells.all_inner_texts()]


def _percents(cells: list[str]) -> list[int]:
    return [int(re.match(r"\d+/\d+ \((\d+)%\)", c).group(1)) for c in cells if "%" in c]


def test_teacher_reports_wide_sticky_sortable_and_printable(contexts: Any, world: World) -> None:
    gradebook = f"/teach/assignments/{world.assignment_id}"
    page = contexts(viewport={"width": 1280, "height": 800}).new_page()
    _sign_in(page, world.teacher, "Ms Ivanova")

    # The assignment's gradebook: the screen's width, all 31 students, the header stuck on
    # top as the table scrolls.
    page.goto(gradebook)
    expect(page.locator("[data-gradebook] tbody tr")).to_have_count(CLASS_SIZE + 1)
    main = page.locator("main").bounding_box()
    assert main is not None
    assert main["width"] > 1100, main  # no 800 px column
    region = page.get_by_role("region", name="Gradebook")
    region.evaluate("box => box.scrollTo(0, box.scrollHeight)")
    header = page.locator("[data-gradebook] thead th").first.bounding_box()
    box = region.bounding_box()
    assert header is not None
    assert box is not None
    assert box["height"] < 800, box
    assert abs(header["y"] - box["y"]) <= 2, (header, box)
    region.evaluate("box => box.scrollTo(0, 0)")

    # Sorting by score, with the buttons the script puts in the headers.
    expect(page.locator("[data-gradebook][data-sort-ready=yes]")).to_have_count(1)
    score = page.get_by_role("button", name=re.compile("^Score"))
    score.click()
    expect(page.locator("[data-gradebook] th[aria-sort=ascending]")).to_have_text("Score")
    ascending = _percents(_column(page, "[data-gradebook]", 2))
    assert len(ascending) == 12, ascending
    assert ascending == sorted(ascending), ascending
    score.click()
    descending = _percents(_column(page, "[data-gradebook]", 2))
    assert descending == sorted(ascending, reverse=True), descending
    _check(page, "gradebook")

    # The class gradebook at phone width: the names stay on the left as it scrolls sideways.
    page.goto(f"/teach/classes/{world.class_id}/gradebook")
    page.set_viewport_size({"width": 390, "height": 800})
    book = page.get_by_role("region", name="Class gradebook")
    expect(book.locator("tbody tr")).to_have_count(CLASS_SIZE + 1)
    book.evaluate("box => box.scrollTo(box.scrollWidth, box.scrollHeight)")
    assert book.evaluate("box => box.scrollLeft") > 0  # the table is wider than the phone
    name = book.locator("tbody tr").last.locator("th").bounding_box()
    edge = book.bounding_box()
    assert name is not None
    assert edge is not None
    assert abs(name["x"] - edge["x"]) <= 2, (name, edge)
    book.evaluate("box => box.scrollTo(0, 0)")
    _check(page, "class-gradebook")

    # Item analysis uses the width: the most common wrong answers are on screen at 1280.
    page.goto(f"{gradebook}/items")
    expect(page.locator("[data-items] tbody tr")).to_have_count(4)
    wrong = page.locator("[data-items] thead th").nth(5).bounding_box()
    assert wrong is not None
    assert wrong["x"] + wrong["width"] <= 1280, wrong
    page.get_by_role("button", name=re.compile("^Facility")).click()
    facility = [int(v.rstrip("%")) for v in _column(page, "[data-items]", 2)]
    assert facility == sorted(facility), facility
    _check(page, "items")

    # The set printed for a paper test: the questions, then the key on a page of its own.
    page.goto(f"/teach/sets/{world.set_id}")
    page.get_by_role("link", name="Printable test").click()
    expect(page.locator("[data-paper-question]")).to_have_count(4)
    expect(page.get_by_role("heading", name="Answer key: Dates of October")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("button", name="Print this test")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    assert page.locator(".paper-key").evaluate("e => getComputedStyle(e).breakBefore") == "page"
    shoot(page, "polish-print-set")
    page.emulate_media(media="screen")

    # Without JavaScript, the headers are links that sort on the server.
    page = contexts(java_script_enabled=False, viewport={"width": 1280, "height": 800}).new_page()
    _sign_in(page, world.teacher, "Ms Ivanova")
    page.goto(gradebook)
    page.get_by_role("link", name=re.compile("^Score")).click()
    expect(page).to_have_url(re.compile(r"\?sort=score$"))
    ascending = _percents(_column(page, "[data-gradebook]", 2))
    assert len(ascending) == 12, ascending
    assert ascending == sorted(ascending), ascending
    page.get_by_role("link", name=re.compile("^Score")).click()
    expect(page).to_have_url(re.compile(r"\?sort=-score$"))
    assert _percents(_column(page, "[data-gradebook]", 2)) == sorted(ascending, reverse=True)


# ---------------------------------------------------------------- a new student's first session


def test_sign_up_guesses_the_zone_then_the_exam_plan_paces_a_session_to_its_summary(
    contexts: Any, app: Flask
) -> None:
    context = contexts(
        timezone_id="Asia/Tokyo", color_scheme="dark", viewport={"width": 390, "height": 860}
    )
    page = context.new_page()

    # Sign-up guesses the browser's zone, and the guess can be changed.
    page.goto("/register")
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("Asia/Tokyo")
    expect(page.locator("[data-timezone-note]")).to_have_text(
        "Guessed from your browser: Asia/Tokyo. Change it if it is wrong."
    )
    assert_accessible(page)
    username = unique_name()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Your name").fill("Nadia")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    zone.select_option("Europe/London")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Hello, Nadia")).to_be_visible()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user.timezone == "Europe/London"

    # The browser prefers dark: the page is dark; the switch chooses light, and it sticks.
    assert _is_dark(page)
    page.get_by_role("button", name="Light theme").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert not _is_dark(page)
    assert page.evaluate("localStorage.getItem('theme')") == "light"
    assert {"name": "theme", "value": "light"}.items() <= next(
        c for c in context.cookies() if c["name"] == "theme"
    ).items()
    response = page.reload()
    assert response is not None
    assert '<html lang="en" data-theme="light">' in response.text()
    expect(page.get_by_role("button", name="Dark theme")).to_be_visible()

    # With no exam, the home page says what to do; the exam is set with the tag filter.
    exam = page.get_by_role("region", name="Exam")
    expect(exam).to_contain_text("No exam set yet")
    exam.get_by_role("link", name="Set your exam date").click()
    page.get_by_label("Exam date", exact=True).fill((today() + timedelta(days=30)).isoformat())
    tags = page.get_by_role("group", name="Only these tags (optional)")
    tags.get_by_label("Filter the tags").fill("lenin")
    expect(tags.get_by_role("checkbox", name="lenin")).to_be_visible()
    expect(tags.get_by_role("checkbox", name="trotsky")).to_be_hidden()
    tags.get_by_role("checkbox", name="lenin").check()
    page.get_by_role("button", name="Save exam plan").click()
    expect(page.get_by_role("status")).to_contain_text("Exam plan saved")

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.new_per_day = 3
        db.session.commit()
    page.goto("/")
    exam = page.get_by_role("region", name="Exam")
    expect(exam.locator("[data-countdown]")).to_contain_text("30 days to go")
    expect(exam.locator("[data-home-readiness]")).to_have_text("0%")
    expect(page.locator("[data-day-progress]")).to_have_text("0 of 3 cards done today")
    page.get_by_role("link", name="Start studying: 3 cards").click()

    # A session of three cards shows where it stands, then sums itself up. Two are rated
    # Easy; the third Again, so it comes back a minute later as a fourth card.
    for number, rating in ((1, "4"), (2, "4"), (3, "1"), (4, "4")):
        total = 3 if number < 4 else 4
        expect(page.locator("[data-session-progress] .progress-count")).to_contain_text(
            f"Card {number} of {total} today"
        )
        answer_by_keyboard(page, app)
        page.keyboard.press(rating)
        if number < 4:
            expect(page.locator("[data-study=front]")).to_be_visible()
    expect(page.get_by_role("heading", name="Done for now")).to_be_visible()
    summary = page.locator("[data-summary]")
    expect(summary.locator("[data-summary-stat=reviewed]")).to_have_text("4")
    expect(summary.locator("[data-summary-stat=right]")).to_have_text("3 (75%)")
    expect(summary.locator("[data-summary-stat=again]")).to_have_text("1")
    expect(summary.locator("[data-summary-stat=leeches]")).to_have_text("0")
    expect(page.locator("[data-next-due]")).to_contain_text("The next card comes due")
    # Back to the system's scheme (the switch chose light above), for the looks below.
    context.clear_cookies(name="theme")
    page.evaluate("localStorage.removeItem('theme')")
    page.reload()
    expect(page.locator("html")).not_to_have_attribute("data-theme", re.compile("."))
    _check(page, "session-summary")

    page.get_by_role("link", name="Back to your plan").click()
    expect(page.locator("[data-day-progress]")).to_contain_text("4 of 4 cards")
    expect(page.locator("[data-day-progress]")).to_contain_text("all done")


# ---------------------------------------------------------------- ordering


def _student_with_an_order_card(app: Flask) -> tuple[str, list[str]]:
    """A student whose next card is a timeline of four or more events; its right order."""
    username = unique_name("orderer")
    with app.app_context():
        question = db.session.scalars(
            select(Question).where(Question.kind == "order", Question.retired_at.is_(None))
        ).first()
        assert question is not None
        assert len(question.answer) >= 3
        user = User(username=username, display_name="Olga", role="student", timezone="UTC")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.add(Card.waiting(user.id, question.id, utcnow()))
        db.session.commit()
        return username, list(question.answer)


def _order(page: Page) -> list[str]:
    return page.locator(".order-item").all_inner_texts()


def test_ordering_by_pointer_touch_and_keyboard_and_without_javascript(
    contexts: Any, app: Flask
) -> None:
    username, right = _student_with_an_order_card(app)
    page = contexts(viewport={"width": 390, "height": 860}, has_touch=True).new_page()
    _sign_in(page, username, "Olga")
    page.goto("/study/")
    expect(page.locator("[data-order][data-order-ready=yes]")).to_have_count(1)
    expect(page.locator("[data-order-slot]").first).to_be_hidden()
    items = page.locator(".order-item")
    expect(items.first).to_be_focused()
    start_order = [t.lstrip("⠿").strip() for t in _order(page)]

    # The pointer drags the last event to the top.
    last, first = items.last.bounding_box(), items.first.bounding_box()
    assert last is not None
    assert first is not None
    page.mouse.move(last["x"] + 40, last["y"] + last["height"] / 2)
    page.mouse.down()
    page.mouse.move(first["x"] + 40, first["y"] + 4, steps=8)
    page.mouse.up()
    moved = [*start_order[-1:], *start_order[:-1]]
    assert [t.lstrip("⠿").strip() for t in _order(page)] == moved
    expect(page.locator("#position-1")).to_have_value(moved[0])
    expect(page.locator("[data-order-live]")).to_have_text(
        f"{moved[0]}: position 1 of {len(moved)}."
    )

    # A finger drags the (new) first event down below the second.
    cdp = page.context.new_cdp_session(page)
    top, second = items.first.bounding_box(), items.nth(1).bounding_box()
    assert top is not None
    assert second is not None
    x = top["x"] + 40
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": x, "y": top["y"] + 10}]},
    )
    for step in range(1, 7):
        y = top["y"] + 10 + step * (second["y"] + second["height"] - top["y"]) / 6
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    touched = [moved[1], moved[0], *moved[2:]]
    assert [t.lstrip("⠿").strip() for t in _order(page)] == touched

    # The keyboard moves the focused event, and the live region says where it went.
    items.first.focus()
    page.keyboard.press("ArrowDown")
    keyed = [touched[1], touched[0], *touched[2:]]
    assert [t.lstrip("⠿").strip() for t in _order(page)] == keyed
    expect(items.nth(1)).to_be_focused()
    expect(page.locator("[data-order-live]")).to_have_text(
        f"{keyed[1]}: position 2 of {len(keyed)}."
    )
    page.keyboard.press("End")
    keyed = [keyed[0], *keyed[2:], keyed[1]]
    assert [t.lstrip("⠿").strip() for t in _order(page)] == keyed
    for position, text in enumerate(keyed, start=1):
        expect(page.locator(f"#position-{position}")).to_have_value(text)
    _check(page, "study-order")
    page.keyboard.press("Enter")
    expect(page.locator(".your-answer .response")).to_have_text(" → ".join(keyed))

    # Without the script, one select per place: checked by axe with app.js held back ...
    page = contexts(viewport={"width": 390, "height": 860}).new_page()
    page.route(re.compile(r"/static/app\.js"), lambda route: route.abort())
    _sign_in(page, username, "Olga")
    page.goto("/study/")
    expect(page.get_by_label("1.", exact=True)).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 860})
        assert_accessible(page)
    shoot(page, "polish-study-order-fallback")

    # ... and answered in a browser with JavaScript off: the right order is marked correct.
    page = contexts(java_script_enabled=False, viewport={"width": 1280, "height": 860}).new_page()
    _sign_in(page, username, "Olga")
    page.goto("/study/")
    expect(page.locator(".order-item")).to_have_count(0)
    for position, text in enumerate(right, start=1):
        page.get_by_label(f"{position}.", exact=True).select_option(text)
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".verdict")).to_contain_text("Correct")

    # The theme switch is a plain form there.
    page.get_by_role("button", name="Dark theme").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")


# ---------------------------------------------------------------- an error page


def test_a_missing_page_is_friendly_light_and_dark_at_both_widths(contexts: Any) -> None:
    page = contexts(viewport={"width": 390, "height": 860}).new_page()
    response = page.goto("/no/such/page")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="We couldn't find that page")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    _check(page, "not-found")
    page.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_url(re.compile(r"/$"))
