"""Steps the browser tests share: signing up, waiting for keys, answering, checking with axe."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlalchemy import select

from helpers.chromium import SCREENSHOTS
from helpers.teaching import TEACHER_NAME
from helpers.web import PASSWORD, unique_name
from quizapp.extensions import db
from quizapp.models import Question, User

SERIOUS = ("serious", "critical")


def assert_accessible(page: Page) -> None:
    """No axe violation of serious or critical impact on the page as it stands."""
    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]
    assert not bad, bad


def sign_up(page: Page) -> str:
    username = unique_name()
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Your name").fill("Nadia")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Hello, Nadia")).to_be_visible()
    return username


def sign_up_to_flip_cards(page: Page, app: Flask) -> str:
    """A new student who answers by flipping cards, on their first card's front."""
    username = sign_up(page)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.answer_mode = "flip"
        db.session.commit()
    page.goto("/study/")
    return username


def keys_ready(page: Page) -> None:
    """Wait until the page's keyboard shortcuts are listening. (A locator, not
    ``wait_for_function``: its polling evaluates a string, which the site's CSP refuses
    whenever the first check finds the page not yet ready.)"""
    expect(page.locator("html[data-keys='ready']")).to_be_attached()


def answer_by_keyboard(page: Page, app: Flask) -> str:
    """Answer the card on screen with keys alone; typed cards get the right answer."""
    keys_ready(page)
    question_id = page.locator("input[name=question_id]").get_attribute("value")
    with app.app_context():
        question = db.session.get(Question, question_id)
        kind, answer = question.kind, question.answer
    if kind in ("short", "cloze", "number", "date"):
        page.keyboard.type(answer)
        page.keyboard.press("Enter")
        expect(page.locator(".verdict")).to_contain_text("Correct")
    elif kind == "choice":
        page.keyboard.press("2")
        page.keyboard.press("Enter")
    else:
        while page.evaluate("document.activeElement.tagName") == "SELECT":
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    keys_ready(page)
    return question_id


def nav(page: Page, name: str) -> Locator:
    """A link of the site's main navigation (breadcrumbs repeat some of the names)."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Hello, {TEACHER_NAME}")).to_be_visible()


def new_page(context: BrowserContext) -> Page:
    context.set_default_timeout(10_000)
    return context.new_page()


def shoot(page: Page, name: str) -> None:
    """Save the page as it stands, full length, as ``<name>.png`` in the screenshot folder."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
