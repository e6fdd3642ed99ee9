"""Quizzes and exam revision in Chromium, with axe checking the pages."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from helpers.clock import today
from helpers.flows import answer_by_keyboard, assert_accessible, keys_ready, sign_up
from playwright.sync_api import Page, expect

from quizapp.extensions import db
from quizapp.models import Question, QuizAttempt


def answer_quiz_question(page: Page, app: Flask) -> None:
    """Answer the quiz question on screen by keyboard: typed right, chosen, or ordered."""
    keys_ready(page)
    attempt_id, position = page.url.rstrip("/").split("/")[-2:]
    with app.app_context():
        attempt = db.session.get(QuizAttempt, int(attempt_id))
        question = db.session.get(Question, attempt.question_ids[int(position) - 1])
        kind, answer = question.kind, question.answer
    if page.locator("input[type=radio]").count():
        page.keyboard.press("1")
        page.keyboard.press("Enter")
    elif kind == "order":
        while page.evaluate("document.activeElement.tagName") == "SELECT":
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    else:
        page.keyboard.type(answer)
        page.keyboard.press("Enter")


def test_quick_mix_by_keyboard_then_results(page: Page, app: Flask) -> None:
    sign_up(page)
    page.get_by_role("link", name="Quiz", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Start a quick 10-question mix").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()
    assert_accessible(page)
    for number in range(1, 11):
        expect(page.get_by_text(f"Question {number} of 10").first).to_be_visible()
        answer_quiz_question(page, app)
        next_link = page.get_by_role("link", name="Next question").or_(
            page.get_by_role("link", name="See your results")
        )
        expect(next_link).to_be_focused()
        if number == 1:
            assert_accessible(page)
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Results: Quick 10-question mix")).to_be_visible()
    expect(page.locator(".result-item")).to_have_count(10)
    expect(page.get_by_role("table", name="Score by category")).to_be_visible()
    assert_accessible(page)


def test_exam_readiness_rises_after_studying(page: Page, app: Flask) -> None:
    sign_up(page)
    page.get_by_role("link", name="Exam", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Exam date", exact=True).fill("2099-01-01")
    page.get_by_role("button", name="Save exam plan").click()
    expect(page.get_by_text("Choose a date within the next two years.")).to_be_visible()

    page.get_by_label("Exam date", exact=True).fill((today() + timedelta(days=12)).isoformat())
    page.get_by_label("Slogans").check()
    page.get_by_role("button", name="Save exam plan").click()
    readiness = page.locator("[data-readiness]")
    expect(readiness).to_have_text("0%")
    assert_accessible(page)

    page.get_by_role("link", name="Study now").click()
    for _ in range(4):
        answer_by_keyboard(page, app)
        assert_accessible(page)
        page.keyboard.press("4")
        expect(page.locator("[data-study=front]")).to_be_visible()
        assert_accessible(page)
    page.get_by_role("link", name="Exam", exact=True).click()
    figure = int(readiness.inner_text().rstrip("%"))
    assert figure > 0
