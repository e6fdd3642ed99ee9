"""The progress page in Chromium: reached from the nav, charts and tables, keyboard, axe."""

from __future__ import annotations

import re

from flask import Flask
from helpers.flows import assert_accessible, keys_ready, sign_up_to_flip_cards
from helpers.web import unique_name
from playwright.sync_api import Page, expect


def open_progress_from_nav(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(page.get_by_role("link", name="Progress")).to_have_attribute("aria-current", "page")


def test_a_student_studies_then_sees_progress(page: Page, app: Flask) -> None:
    sign_up_to_flip_cards(page, app)
    for _ in range(3):
        keys_ready(page)
        page.keyboard.press("Space")
        expect(page.get_by_role("heading", name="Answer", exact=True)).to_be_visible()
        keys_ready(page)
        page.keyboard.press("3")
        expect(page.locator("[data-study=front]")).to_be_visible()

    open_progress_from_nav(page)
    expect(page.locator("[data-stat=reviews]")).to_have_text("3")
    charts = page.locator("svg[role=img]")
    expect(charts).to_have_count(5)  # calendar, forecast, accuracy, two of mastery
    expect(
        page.get_by_role("img", name="Accuracy by category (reviews rated Good or Easy)")
    ).to_be_visible()
    expect(page.get_by_text("No exam plan yet.")).to_be_visible()

    # The table alternative opens from the keyboard.
    summary = page.locator("summary", has_text="accuracy by category")
    summary.focus()
    page.keyboard.press("Enter")
    table = page.locator("#table-accuracy")
    expect(table).to_be_visible()
    expect(table.locator("tfoot td").first).to_have_text("3")
    assert_accessible(page)


def test_demo_progress_reads_well_at_phone_width(page: Page, app: Flask) -> None:
    username = unique_name("demo")
    result = app.test_cli_runner().invoke(args=["demo", "--username", username])
    assert result.exit_code == 0, result.output

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo-password")
    page.keyboard.press("Enter")
    open_progress_from_nav(page)

    expect(page.locator("svg[role=img]")).to_have_count(6)
    expect(page.get_by_role("img", name="Exam readiness over time")).to_be_visible()
    expect(page.locator("[data-stat=readiness]")).to_have_text(re.compile(r"^\d+%$"))
    for chart in page.locator("svg[role=img]").all():
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] <= 375
    for summary in page.locator("summary").all():
        summary.click()
    expect(page.locator("#table-calendar")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at phone width"
    assert_accessible(page)
