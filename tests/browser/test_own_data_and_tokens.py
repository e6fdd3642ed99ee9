"""One's own data and API tokens in Chromium: a student downloads their history and
deletes their account; a user makes a read-only token, sees it once, uses it, is
refused a write with it, makes a read-and-write one beside it and revokes both; the
API reference renders under the site's Content-Security-Policy."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from helpers.chromium import SCREENSHOTS
from helpers.flows import assert_accessible, sign_up
from helpers.web import PASSWORD
from playwright.sync_api import Page, expect


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _study_one_card_by_flipping(page: Page) -> None:
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_label("Flip the card and rate yourself").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved")
    page.get_by_role("link", name="Study", exact=True).click()
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="3 Good").click()


def _download(page: Page, link: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_a_student_downloads_their_history_and_deletes_their_account(page: Page) -> None:
    username = sign_up(page)
    _study_one_card_by_flipping(page)
    page.get_by_role("link", name="Settings", exact=True).click()

    history = list(csv.DictReader(io.StringIO(_download(page, "Review history (CSV)"))))
    assert len(history) == 1
    assert history[0]["rating_label"] == "Good"
    settings = dict(csv.reader(io.StringIO(_download(page, "Settings (CSV)"))))
    assert settings["answer_mode"] == "flip"
    everything = json.loads(_download(page, "Everything (JSON)"))
    assert everything["settings"]["username"] == username
    assert len(everything["reviews"]) == 1

    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("alert")).to_contain_text("This cannot be undone")
    assert_accessible(page)
    page.get_by_label("Your password").fill("not my password")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    _shot(page, "delete-account-refused")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("status")).to_contain_text("Your account and all of its data")
    sign_in = page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    expect(sign_in).to_be_visible()

    sign_in.click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Wrong username or password.")).to_be_visible()


def test_a_user_makes_a_token_sees_it_once_and_revokes_it(page: Page) -> None:
    username = sign_up(page)
    page.get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_text("You have no tokens.")).to_be_visible()
    expect(page.get_by_label("Read only (default)")).to_be_checked()
    page.get_by_label("Token name").fill("Revision widget")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("status")).to_contain_text("shown only this once")
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("qzp_")
    assert_accessible(page)
    _shot(page, "settings-new-token")

    me = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200
    assert me.json()["username"] == username

    page.get_by_role("link", name="Settings", exact=True).click()
    row = page.get_by_role("row", name="Revision widget")
    expect(row).to_contain_text(token[:10])
    expect(row).to_contain_text("Read only")
    expect(row).not_to_contain_text("Never")  # it was used a moment ago
    assert token not in page.content()
    refused = page.request.post(
        "/api/v1/study/reviews",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "browser-read-only"},
        data={"question_id": "any", "presentation": "any", "rating": 3},
    )
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"

    page.get_by_label("Token name").fill("Study robot")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("status")).to_contain_text("shown only this once")
    expect(page.get_by_role("row", name="Study robot")).to_contain_text("Read and write")
    expect(page.get_by_label("Read only (default)")).to_be_checked()  # the form starts over
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
        expect(page.get_by_role("row", name="Study robot")).to_contain_text("Read and write")
        assert_accessible(page)
        _shot(page, f"settings-tokens-{width}")
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("row", name="Study robot").get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_contain_text("Token revoked")
    row = page.get_by_role("row", name="Revision widget")

    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_contain_text("Token revoked")
    expect(page.get_by_text("You have no tokens.")).to_be_visible()
    gone = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert gone.status == 401
    assert gone.json()["error"]["code"] == "unauthorized"


def test_the_api_reference_renders_from_the_document(page: Page) -> None:
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="quizapp API")).to_be_visible()
    expect(page.get_by_role("heading", name="POST /api/v1/study/reviews")).to_be_visible()
    page.get_by_role("link", name="/api/v1/openapi.json").click()
    assert json.loads(page.locator("body").inner_text())["openapi"] == "3.1.0"
    page.goto("/api/v1/docs")
    assert_accessible(page)
    _shot(page, "api-docs")
