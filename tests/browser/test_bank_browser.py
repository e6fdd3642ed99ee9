"""The bank browser in real Chromium: search, open a question, see its evidence."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_search_open_and_see_evidence(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Browse the question bank").click()
    expect(page.get_by_role("heading", name="Question bank")).to_be_visible()

    page.get_by_label("Search").fill("Aurora")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status").first).to_contain_text("match")
    results = page.locator(".question-link")
    expect(results.first).to_be_visible()

    results.first.click()
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    mark = page.locator(".passage mark").first
    expect(mark).to_be_visible()
    assert mark.inner_text().strip()

    answer = page.locator(".answer-text").first
    expect(answer).to_be_hidden()
    page.get_by_text("Show the answer").click()
    expect(answer).to_be_visible()


def test_filter_by_category_then_tag(page: Page) -> None:
    page.goto("/bank/")
    page.get_by_role("link", name=re.compile(r"^Vote counts")).first.click()
    expect(page).to_have_url(re.compile(r"category=vote-counts"))
    badges = page.locator(".question-item .badge-vote-counts")
    expect(badges.first).to_be_visible()
    assert badges.count() == page.locator(".question-item").count()

    page.goto("/bank/")
    page.get_by_label("Tag").select_option("trotsky")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"tag=trotsky"))
    tags = page.locator(".question-item")
    for index in range(tags.count()):
        expect(tags.nth(index).locator(".tag", has_text="trotsky")).to_have_count(1)


def test_phone_width_has_no_sideways_scroll(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/bank/")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
