"""A class's upkeep in Chromium: exam, roster with one-time passwords, join code,
members, set copies, class readiness, and answers held back until the due date."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from helpers.clock import TestClock, today
from helpers.flows import assert_accessible, nav, new_page, shoot, sign_in, sign_up
from helpers.teaching import make_teacher
from helpers.web import PASSWORD, unique_name
from playwright.sync_api import Page, expect

from quizapp.extensions import db
from quizapp.models import Question

CLASS_NAME = "Year 10 Revolutions"


def test_a_teacher_keeps_a_class(
    page: Page, app: Flask, live_server: object, pinned_clock: TestClock
) -> None:
    """At 02:00 in London, an assignment made for "today" is open at once."""
    pinned_clock.set(next_london_time(pinned_clock(), time(2, 0)))
    browser = page.context.browser
    assert browser is not None
    other = browser.new_context(base_url=live_server.url)  # type: ignore[attr-defined]
    try:
        keep_a_class(page, new_page(other), app)
    finally:
        other.close()


def next_london_time(after: datetime, wall_clock: time) -> datetime:
    """The first instant after ``after`` when London's clocks show ``wall_clock``."""
    london = ZoneInfo("Europe/London")
    day = after.astimezone(london).date() + timedelta(days=1)
    return datetime.combine(day, wall_clock, london).astimezone(UTC)


def keep_a_class(teacher: Page, student: Page, app: Flask) -> None:
    sign_in(teacher, make_teacher(app))
    nav(teacher, "Teach").click()
    teacher.get_by_role("link", name="New class").click()
    teacher.get_by_label("Class name").fill(CLASS_NAME)
    teacher.get_by_role("button", name="Create class").click()

    # An exam for the whole class, set on the edit page.
    teacher.get_by_role("link", name="Edit class and exam").click()
    assert_accessible(teacher)
    exam_day = today() + timedelta(days=21)
    teacher.get_by_label("Exam date (optional)").fill(exam_day.isoformat())
    teacher.get_by_label("Slogans").check()
    teacher.get_by_role("button", name="Save class").click()
    expect(teacher.get_by_text("Class saved.")).to_be_visible()

    # A roster: a bad file is refused with its row numbers, a good one makes accounts.
    roster = teacher.get_by_label("Roster CSV")
    roster.set_input_files(
        {
            "name": "bad.csv",
            "mimeType": "text/csv",
            "buffer": b"username,display_name\nok-name,Ok\nok-name,Again\n",
        }
    )
    teacher.get_by_role("button", name="Create accounts").click()
    expect(teacher.get_by_text("Row 3")).to_be_visible()
    assert_accessible(teacher)
    newcomer = unique_name("roster")
    teacher.get_by_label("Roster CSV").set_input_files(
        {
            "name": "roster.csv",
            "mimeType": "text/csv",
            "buffer": f"username,display_name\n{newcomer},Vera Roster\n".encode(),
        }
    )
    teacher.get_by_role("button", name="Create accounts").click()
    expect(teacher.get_by_text("1 account created.")).to_be_visible()
    assert_accessible(teacher)
    one_time = teacher.locator("[data-created] code").inner_text()

    # The new student signs in with it and must choose a password first.
    student.goto("/login")
    student.get_by_label("Username").fill(newcomer)
    student.get_by_label("Password").fill(one_time)
    student.get_by_role("button", name="Sign in").click()
    expect(student.get_by_role("heading", name="Change password")).to_be_visible()
    assert_accessible(student)
    student.get_by_label("Current password").fill(one_time)
    student.get_by_label("New password", exact=True).fill(PASSWORD)
    student.get_by_label("Repeat new password").fill(PASSWORD)
    student.get_by_role("button", name="Change password").click()
    expect(student.get_by_role("heading", name="Hello, Vera Roster")).to_be_visible()
    nav(student, "Exam").click()
    expect(student.get_by_text(f"Set by your teacher for {CLASS_NAME}")).to_be_visible()

    # Class readiness: the new student has not started the exam's questions.
    teacher.get_by_role("link", name="Exam readiness").click()
    expect(teacher.locator("[data-not-started]")).to_have_text("1")
    expect(teacher.get_by_role("table").first).to_contain_text("Vera Roster")
    assert_accessible(teacher)
    teacher.get_by_role("link", name=CLASS_NAME).click()

    # A new join code replaces the old; joining can be switched off.
    old_code = teacher.locator("[data-join-code]").inner_text()
    teacher.get_by_role("button", name="New code").click()
    expect(teacher.locator("[data-join-code]")).not_to_have_text(old_code)
    teacher.get_by_role("button", name="Turn joining off").click()
    expect(teacher.get_by_text("Joining is off: the code does not work")).to_be_visible()
    expect(teacher.locator("[data-join-code]")).to_have_count(0)

    # An existing account added by username, then removed.
    student.get_by_role("button", name="Sign out").click()
    other = sign_up(student)
    teacher.get_by_label("Username").fill(other)
    teacher.get_by_role("button", name="Add student").click()
    expect(teacher.get_by_role("heading", name="Students (2)")).to_be_visible()
    teacher.get_by_role("button", name="Remove Nadia").click()
    expect(teacher.get_by_role("heading", name="Students (1)")).to_be_visible()

    held_back_until_due(teacher, student, newcomer, app)


def held_back_until_due(teacher: Page, student: Page, newcomer: str, app: Flask) -> None:
    """A set whose answers wait for the due date; a copy of it, trimmed."""
    with app.app_context():
        question = db.session.scalars(
            db.select(Question)
            .where(Question.category == "dates", Question.kind == "date")
            .where(Question.owner_id.is_(None))
            .order_by(Question.id)
        ).first()
        prompt, answer = question.prompt, question.answer
    nav(teacher, "Teach").click()
    teacher.get_by_role("link", name="New quiz set").click()
    teacher.get_by_label("Title").fill("Held back")
    teacher.get_by_label("Only after the due date").check()
    teacher.get_by_role("button", name="Create set").click()
    teacher.get_by_label("Category", exact=True).select_option("dates")
    teacher.get_by_label("Kind").select_option("date")
    teacher.get_by_role("button", name="Filter").click()
    teacher.get_by_label(prompt).check()
    teacher.get_by_role("button", name="Add the ticked questions").click()
    teacher.get_by_role("link", name="Assign to a class").click()
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher.get_by_text(f"'Held back' assigned to {CLASS_NAME}.")).to_be_visible()

    # The student submits; the right answer stays hidden until the due date.
    student.get_by_role("button", name="Sign out").click()
    student.get_by_label("Username").fill(newcomer)
    student.get_by_label("Password").fill(PASSWORD)
    student.get_by_role("button", name="Sign in").click()
    student.get_by_role("link", name="Held back").click()
    student.get_by_role("button", name="Start").click()
    student.get_by_label("Your answer").fill(answer)
    student.get_by_role("button", name="Finish").click()
    expect(student.get_by_role("heading", name="Submitted: Held back")).to_be_visible()
    expect(student.locator("[data-score]")).to_have_count(0)  # no score yet
    expect(student.get_by_text(answer, exact=True)).to_have_count(0)
    assert_accessible(student)

    # Copies are independent: trimming the copy leaves the assigned set alone.
    nav(teacher, "Teach").click()
    teacher.get_by_role("link", name="Held back", exact=True).click()
    teacher.get_by_role("button", name="Copy this set").click()
    expect(teacher.get_by_role("heading", name="Set: Copy of Held back")).to_be_visible()
    teacher.get_by_role("button", name=f"Remove {prompt}").click()
    expect(teacher.get_by_role("heading", name="In this set (0)")).to_be_visible()
    expect(teacher.get_by_role("link", name="Assign to a class")).to_have_count(0)
    nav(teacher, "Teach").click()
    original = teacher.locator("li", has=teacher.get_by_role("link", name="Held back", exact=True))
    expect(original).to_contain_text("1 question")

    # The assignment is moved, then withdrawn with its attempt.
    teacher.get_by_role("link", name=CLASS_NAME).click()
    teacher.get_by_role("link", name="Gradebook for Held back").click()
    teacher.get_by_role("link", name="Edit or withdraw").click()
    assert_accessible(teacher)
    shoot(teacher, "test_class_admin-assignment-edit")
    expect(teacher.get_by_label("Opening time")).to_have_value("00:00")
    teacher.get_by_label("Due on").fill((today() + timedelta(days=9)).isoformat())
    teacher.get_by_label("Due time").fill("17:30")
    teacher.get_by_role("button", name="Save assignment").click()
    expect(teacher.get_by_text("Assignment saved.")).to_be_visible()
    expect(teacher.locator(".lede")).to_contain_text("17:30")
    teacher.get_by_role("link", name="Edit or withdraw").click()
    expect(teacher.get_by_text("(1 so far)")).to_be_visible()
    teacher.get_by_role("button", name="Withdraw this assignment").click()
    expect(teacher.get_by_text("'Held back' withdrawn, with its attempts.")).to_be_visible()
    expect(teacher.get_by_role("link", name="Gradebook for Held back")).to_have_count(0)
