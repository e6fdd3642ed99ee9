"""The whole teaching story in Chromium: class, join code, set, assignment, gradebook, CSV.

A teacher (made in the database, as the CLI makes teachers) signs in, creates a
class and a quiz set, and assigns it; one student takes it on time and gets one
question wrong, another takes it after the due date; the teacher reads the
gradebook, one attempt, the item analysis and the CSV. Axe checks every page.
"""

from __future__ import annotations

import csv
import re
from datetime import timedelta

from flask import Flask
from helpers.clock import today, utcnow
from helpers.flows import assert_accessible, keys_ready, nav, new_page, shoot, sign_in, sign_up
from helpers.teaching import make_teacher
from playwright.sync_api import Page, expect

from quizapp.extensions import db
from quizapp.models import Assignment, Question, QuizAttempt

CLASS_NAME = "Year 11 History"
SET_TITLE = "October dates"
CSV_COLUMNS = [
    "username",
    "display_name",
    "status",
    "score",
    "out_of",
    "percent",
    "attempts",
    "time_taken_seconds",
    "submitted_at_utc",
    "late",
]


def join_class(page: Page, code: str) -> None:
    nav(page, "Classes").click()
    page.get_by_label("Class code").fill(code.lower())
    page.get_by_role("button", name="Join class").click()
    expect(page.get_by_text(f"You joined {CLASS_NAME}")).to_be_visible()
    expect(page.locator(".class-list")).to_contain_text(CLASS_NAME)


def take_assignment(page: Page, app: Flask, wrong: int | None) -> str | None:
    """From the assignment page: start, answer every question (the ``wrong``-th one
    deliberately wrong, counting from 1), finish. Returns the missed question's id."""
    page.get_by_role("button", name="Start").click()
    missed = None
    position = 1
    while True:
        expect(page.get_by_text(f"Question {position} of 4")).to_be_visible()
        keys_ready(page)
        attempt_id, at = page.url.rstrip("/").split("/")[-2:]
        assert int(at) == position
        with app.app_context():
            attempt = db.session.get(QuizAttempt, int(attempt_id))
            question = db.session.get(Question, attempt.question_ids[position - 1])
            question_id, answer = question.id, question.answer
        if position == wrong:
            missed, answer = question_id, "no idea"
        page.get_by_label("Your answer").fill(answer)
        last = position == 4
        page.get_by_role("button", name="Finish" if last else "Next").click()
        if last:
            break
        position += 1
    expect(page.get_by_role("heading", name=f"Results: {SET_TITLE}")).to_be_visible()
    expect(page.locator("[data-score]")).to_have_text("3 / 4" if wrong else "4 / 4")
    return missed


def test_a_class_is_taught_assigned_taken_and_graded(
    page: Page, app: Flask, live_server: object
) -> None:
    base_url = live_server.url  # type: ignore[attr-defined]
    browser = page.context.browser
    assert browser is not None
    contexts = [browser.new_context(base_url=base_url) for _ in range(2)]
    try:
        run_story(page, *(new_page(context) for context in contexts), app)
    finally:
        for context in contexts:
            context.close()


def run_story(teacher: Page, first: Page, second: Page, app: Flask) -> None:
    # The teacher signs in and creates a class.
    sign_in(teacher, make_teacher(app))
    nav(teacher, "Teach").click()
    expect(teacher.get_by_role("heading", name="Teach", exact=True)).to_be_visible()
    assert_accessible(teacher)
    teacher.get_by_role("link", name="New class").click()
    assert_accessible(teacher)
    teacher.get_by_label("Class name").fill(CLASS_NAME)
    teacher.get_by_label("Time zone").select_option("Europe/London")
    teacher.get_by_role("button", name="Create class").click()
    expect(teacher.get_by_role("heading", name=CLASS_NAME)).to_be_visible()
    code = teacher.locator("[data-join-code]").inner_text().strip()
    assert len(code) >= 4
    assert_accessible(teacher)
    class_url = teacher.url

    # Two students sign up and join with the code.
    first_name = sign_up(first)
    join_class(first, code)
    assert_accessible(first)
    shoot(first, "test_teaching_story-student-classes")
    second_name = sign_up(second)
    join_class(second, code)
    teacher.reload()
    expect(teacher.get_by_role("heading", name="Students (2)")).to_be_visible()
    shoot(teacher, "test_teaching_story-class")

    # The teacher builds a set: two ticked questions, two drawn at random.
    nav(teacher, "Teach").click()
    teacher.get_by_role("link", name="New quiz set").click()
    assert_accessible(teacher)
    teacher.get_by_label("Title").fill(SET_TITLE)
    teacher.get_by_label("Instructions for students").fill("Answer from memory.")
    teacher.get_by_label("Attempts allowed (empty means unlimited)").fill("1")
    teacher.get_by_label("At the end of the attempt").check()
    teacher.get_by_role("button", name="Create set").click()
    expect(teacher.get_by_role("heading", name=f"Set: {SET_TITLE}")).to_be_visible()
    expect(teacher.get_by_role("heading", name="In this set (0)")).to_be_visible()
    teacher.get_by_label("Category", exact=True).select_option(label="Dates")
    teacher.get_by_label("Kind", exact=True).select_option(label="Date")
    teacher.get_by_role("button", name="Filter").click()
    expect(teacher.get_by_text(re.compile(r"^\d+ questions match\.$"))).to_be_visible()
    assert_accessible(teacher)
    picks = teacher.get_by_role("group", name="Pick questions").get_by_role("checkbox")
    picked = [picks.nth(i).get_attribute("value") for i in range(2)]
    picks.nth(0).check()
    picks.nth(1).check()
    teacher.get_by_role("button", name="Add the ticked questions").click()
    expect(teacher.get_by_text("2 questions added.")).to_be_visible()
    expect(teacher.get_by_role("heading", name="In this set (2)")).to_be_visible()
    teacher.get_by_label("How many at random").fill("2")
    teacher.get_by_role("button", name="Draw at random from these").click()
    expect(teacher.get_by_text("2 questions drawn at random from the filter.")).to_be_visible()
    expect(teacher.get_by_role("heading", name="In this set (4)")).to_be_visible()
    expect(teacher.locator("[data-chosen] li")).to_have_count(4)
    assert_accessible(teacher)
    shoot(teacher, "test_teaching_story-set")

    # ... and assigns it, open since yesterday and due in a week.
    teacher.get_by_role("link", name="Assign to a class").click()
    assert_accessible(teacher)
    teacher.get_by_label("Class", exact=True).select_option(label=CLASS_NAME)
    teacher.get_by_label("Opens on").fill((today() - timedelta(days=1)).isoformat())
    teacher.get_by_label("Opening time").fill("00:00")
    teacher.get_by_label("Due on").fill((today() + timedelta(days=7)).isoformat())
    expect(teacher.get_by_label("Accept late submissions (marked late)")).to_be_checked()
    shoot(teacher, "test_teaching_story-assign")
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher.get_by_text(f"'{SET_TITLE}' assigned to {CLASS_NAME}.")).to_be_visible()
    gradebook_url = teacher.url
    assignment_id = int(gradebook_url.rstrip("/").rsplit("/", 1)[1])

    # The first student takes it on time from the home page.
    first.goto("/")
    assignments = first.get_by_role("region", name="Assignments")
    expect(assignments.locator(".status-badge")).to_have_text("To do")
    assignments.get_by_role("link", name=SET_TITLE, exact=True).click()
    expect(first.get_by_role("heading", name=SET_TITLE)).to_be_visible()
    expect(first.get_by_text("Answer from memory.")).to_be_visible()
    assert_accessible(first)
    missed = take_assignment(first, app, wrong=2)
    shoot(first, "test_teaching_story-student-results")
    first.goto("/")
    expect(first.get_by_role("region", name="Assignments").locator(".status-badge")).to_have_text(
        "Done"
    )

    # The due date passes; the second student takes it late from the Classes page.
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assignment.due_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
    nav(second, "Classes").click()
    listed = second.get_by_role("region", name="Assignments")
    expect(listed.locator(".status-badge")).to_have_text("Overdue")
    listed.get_by_role("link", name=SET_TITLE, exact=True).click()
    expect(
        second.get_by_text("The due date has passed: this attempt will be marked late.")
    ).to_be_visible()
    assert_accessible(second)
    shoot(second, "test_teaching_story-late-assignment")
    take_assignment(second, app, wrong=None)

    # The teacher reads the gradebook.
    teacher.goto(class_url)
    teacher.get_by_role("link", name=f"Gradebook for {SET_TITLE}").click()
    expect(teacher.get_by_role("heading", name=f"Gradebook: {SET_TITLE}")).to_be_visible()
    on_time = teacher.locator(f"tr[data-student='{first_name}']")
    late = teacher.locator(f"tr[data-student='{second_name}']")
    expect(on_time.locator("td").nth(0)).to_have_text("Submitted")
    expect(on_time.locator("td").nth(1)).to_have_text("3/4 (75%)")
    expect(late.locator("td").nth(0)).to_have_text("Late")
    expect(late.locator("td").nth(1)).to_have_text("4/4 (100%)")
    assert_accessible(teacher)
    shoot(teacher, "test_teaching_story-gradebook")

    # ... one attempt,
    on_time.get_by_role("link", name="#1").click()
    expect(teacher.get_by_role("heading", name="Nadia: attempt 1")).to_be_visible()
    expect(teacher.locator(".result-wrong")).to_have_count(1)
    expect(teacher.locator(".result-right")).to_have_count(3)
    expect(teacher.locator(".result-wrong")).to_contain_text("no idea")
    assert_accessible(teacher)
    shoot(teacher, "test_teaching_story-attempt")

    # ... the item analysis,
    teacher.get_by_role("link", name=SET_TITLE, exact=True).click()
    teacher.get_by_role("link", name="Item analysis").click()
    expect(teacher.get_by_role("heading", name=f"Item analysis: {SET_TITLE}")).to_be_visible()
    rows = teacher.locator("[data-items] tbody tr")
    expect(rows).to_have_count(4)
    for index in range(4):
        row = rows.nth(index)
        question_id = row.get_attribute("data-question")
        expect(row.locator("td").nth(0)).to_have_text("2")
        expect(row.locator("td").nth(1)).to_have_text("50%" if question_id == missed else "100%")
    expect(teacher.locator(f"tr[data-question='{missed}']")).to_contain_text('"no idea" \u00d71')
    assert set(picked) <= {rows.nth(i).get_attribute("data-question") for i in range(4)}
    assert_accessible(teacher)
    shoot(teacher, "test_teaching_story-items")

    # ... and the gradebook as CSV.
    teacher.get_by_role("link", name=SET_TITLE, exact=True).click()
    with teacher.expect_download() as info:
        teacher.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == f"assignment-{assignment_id}-gradebook.csv"
    with open(download.path(), newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == CSV_COLUMNS
        rows_by_name = {row["username"]: row for row in reader}
    assert set(rows_by_name) == {first_name, second_name}
    expected = {
        first_name: ("submitted", "3", "4", "75", "1", "no"),
        second_name: ("late", "4", "4", "100", "1", "yes"),
    }
    for username, values in expected.items():
        row = rows_by_name[username]
        assert (
            row["status"],
            row["score"],
            row["out_of"],
            row["percent"],
            row["attempts"],
            row["late"],
        ) == values, row
        assert row["display_name"] == "Nadia"
        assert int(row["time_taken_seconds"]) >= 0
        assert row["submitted_at_utc"].endswith("Z")

    # The class gradebook shows both.
    teacher.goto(class_url)
    teacher.get_by_role("link", name="Class gradebook").click()
    expect(teacher.get_by_role("heading", name=f"Gradebook: {CLASS_NAME}")).to_be_visible()
    book = teacher.get_by_role("table")
    expect(book).to_contain_text("75%")
    expect(book).to_contain_text("100% late")
    assert_accessible(teacher)
    shoot(teacher, "test_teaching_story-class-gradebook")

    # At phone width the teacher's pages keep to the screen: wide tables scroll inside.
    teacher.set_viewport_size({"width": 375, "height": 800})
    for url in (class_url, gradebook_url, f"/teach/assignments/{assignment_id}/items"):
        teacher.goto(url)
        overflow = teacher.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            shoot(teacher, "test_teaching_story-overflow")
            wide = teacher.evaluate("""[...document.querySelectorAll('body *')].filter(
                e => !e.closest('.table-scroll')
                     && e.getBoundingClientRect().right > document.documentElement.clientWidth)
                .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
            raise AssertionError((url, overflow, wide))
    shoot(teacher, "test_teaching_story-items-phone")
