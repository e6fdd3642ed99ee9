"""A new student in Chromium: sign up, study ten cards by keyboard, undo, come back."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from helpers.flows import answer_by_keyboard, assert_accessible, keys_ready, sign_up
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
    username = sign_up(page)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.answer_mode = "flip"
        db.session.commit()
    page.goto("/study/")
    expect(page.get_by_role("button", name="Show answer")).to_be_focused()
    keys_ready(page)
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", name="Answer", exact=True)).to_be_visible()
    expect(page.locator(".rating")).to_have_count(4)
    expect(page.locator(".rating-interval").first).to_have_text("1m")
    keys_ready(page)
    page.keyboard.press("3")
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()
