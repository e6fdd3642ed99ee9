"""Study settings in Chromium: a bad value is explained, a good one is kept and obeyed."""

from __future__ import annotations

from helpers.flows import sign_up
from playwright.sync_api import Page, expect


def test_settings_reject_bad_values_then_limit_new_cards(page: Page) -> None:
    sign_up(page)
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_label("Desired retention").fill("1.5")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Choose between 0.70 and 0.99")).to_be_visible()
    expect(page.get_by_label("Desired retention")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Desired retention").fill("0.85")
    page.get_by_label("New cards per day").fill("1")
    page.get_by_label("Flip the card and rate yourself").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved")
    expect(page.get_by_label("New cards per day")).to_have_value("1")

    page.get_by_role("link", name="quizapp").click()
    expect(page.locator("[data-stat=new]")).to_have_text("1")
    page.get_by_role("link", name="Start studying").click()
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="4 Easy").click()
    expect(page.get_by_role("heading", name="Done for now")).to_be_visible()
    expect(page.get_by_text("1 new card today")).to_be_visible()
