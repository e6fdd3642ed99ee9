"""A new student in Chromium: sign up, study ten cards by keyboard, undo, come back."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from helpers.flows import (
    answer_by_keyboard,
    assert_accessible,
    keys_ready,
    sign_up,
    sign_up_to_flip_cards,
)
from helpers.web import PASSWORD
from playwright.sync_api import Page, expect
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Card, Review, User

RATING_CYCLE = ("1", "3", "4")  # Again, Good, Easy


def test_new_student_studies_ten_cards_by_keyboard(page: Page, app: Flask) -> None:
    username = sign_up(page)
    page.keyboard.press("Tab")  # the dashboard focuses "Start studying"
    page.get_by_role("link", name="Start studying").focus()
    page.keyboard.press("Enter")

    ratings: dict[str, str] = {}
    for number in range(10):
        if number == 0:
            keys_ready(page)
            assert_accessible(page)  # the card's front
        question_id = answer_by_keyboard(page, app)
        if number == 0:
            assert_accessible(page)  # its back, with verdict, evidence and ratings
        key = RATING_CYCLE[number % 3]
        page.keyboard.press(key)
        ratings[question_id] = key
        expect(page.locator("[data-study=front]")).to_be_visible()
    last_id = question_id

    keys_ready(page)
    page.keyboard.press("Escape")
    page.keyboard.press("u")
    expect(page.get_by_role("status").first).to_contain_text("Your last review was undone")
    expect(page.locator("input[name=question_id]")).to_have_value(last_id)
    del ratings[last_id]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        reviews = db.session.scalars(select(Review).where(Review.user_id == user.id)).all()
        assert {r.question_id: str(r.rating) for r in reviews} == ratings
        user_id = user.id

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    # A day passes: the cards rated Again or Good come due; those rated Easy do not.
    with app.app_context():
        day = timedelta(days=1)
        for card in db.session.scalars(select(Card).where(Card.user_id == user_id)):
            card.due, card.last_review = card.due - day, card.last_review - day
        for review in db.session.scalars(select(Review).where(Review.user_id == user_id)):
            review.reviewed_at -= day
        db.session.commit()
    expected_due = {qid for qid, key in ratings.items() if key in ("1", "3")}

    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("[data-stat=due]")).to_have_text(str(len(expected_due)))
    page.get_by_role("link", name="Start studying").click()
    shown = page.locator("input[name=question_id]").get_attribute("value")
    assert shown in expected_due


def test_flip_mode_space_shows_the_answer_and_keys_rate(page: Page, app: Flask) -> None:
    sign_up_to_flip_cards(page, app)
    expect(page.get_by_role("button", name="Show answer")).to_be_focused()
    keys_ready(page)
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", name="Answer", exact=True)).to_be_visible()
    expect(page.locator(".rating")).to_have_count(4)
    expect(page.locator(".rating-interval").first).to_have_text("1m")
    keys_ready(page)
    page.keyboard.press("3")
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()


def review_total(app: Flask, username: str) -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return len(db.session.scalars(select(Review).where(Review.user_id == user.id)).all())


def flip_mode_student(page: Page, app: Flask) -> str:
    username = sign_up_to_flip_cards(page, app)
    keys_ready(page)
    return username


def test_a_rating_brings_the_next_card_in_one_round_trip(page: Page, app: Flask) -> None:
    """The rating is sent by fetch and answered with the next card: no redirect, no page
    load; the address is the study page's, so a reload shows that card and records nothing."""
    username = flip_mode_student(page, app)
    first = page.locator("input[name=question_id]").get_attribute("value")
    page.get_by_role("button", name="Show answer").click()
    expect(page.get_by_role("heading", name="Answer", exact=True)).to_be_visible()
    page.evaluate("window.sameDocument = true")
    with page.expect_response("**/study/review") as answer:
        page.get_by_role("button", name=re.compile(r"^3 Good")).click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("x-next-card") == "inline"
    expect(page.locator("[data-study=front]")).to_be_visible()
    assert page.evaluate("window.sameDocument") is True  # the page was not loaded again
    assert page.url.endswith("/study/")
    shown = page.locator("input[name=question_id]").get_attribute("value")
    assert shown != first
    expect(page.get_by_role("button", name="Show answer")).to_be_focused()
    assert review_total(app, username) == 1

    page.keyboard.press("Space")  # the keys work on the card that came in
    expect(page.get_by_role("heading", name="Answer", exact=True)).to_be_visible()
    keys_ready(page)
    page.keyboard.press("4")
    expect(page.locator("[data-study=front]")).to_be_visible()
    assert review_total(app, username) == 2
    current = page.locator("input[name=question_id]").get_attribute("value")
    page.reload()
    expect(page.locator("input[name=question_id]")).to_have_value(current)
    assert review_total(app, username) == 2


def test_a_rating_falls_back_to_the_plain_form_when_the_fetch_fails(page: Page, app: Flask) -> None:
    username = flip_mode_student(page, app)
    page.route(
        "**/study/review",
        lambda route: (
            route.abort() if route.request.headers.get("x-next-card") else route.continue_()
        ),
    )
    page.get_by_role("button", name="Show answer").click()
    page.evaluate("window.sameDocument = true")
    page.get_by_role("button", name=re.compile(r"^3 Good")).click()
    expect(page.locator("[data-study=front]")).to_be_visible()
    assert page.evaluate("window.sameDocument") is None  # posted and redirected instead
    assert review_total(app, username) == 1
