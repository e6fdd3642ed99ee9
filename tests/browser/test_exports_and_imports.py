"""Questions out and in, in Chromium: a teacher downloads a quiz set as an Anki package
and as GIFT from the set page, imports a CSV of their own questions into it, and a
student downloads their missed questions from the results page and the bank's filter
from the bank browser."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from anki.collection import Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from flask import Flask
from helpers.chromium import SCREENSHOTS
from helpers.flows import assert_accessible, shoot, sign_in
from helpers.teaching import (
    answer_all,
    create_set,
    latest_attempt,
    make_teacher,
    post_form,
    question_ids,
)
from helpers.web import PASSWORD, login, register
from playwright.sync_api import Page, expect

from quizapp.core.exports.gift_reader import blocks, read_block
from quizapp.extensions import db
from quizapp.models import Question, QuizSet

OWN_CSV = (
    "kind,category,prompt,answer,choices\n"
    "choice,events,Which cruiser signalled the storming (my own)?,Aurora,Aurora | Oleg | Varyag\n"
    "short,key-figures,Who led the Military Revolutionary Committee (my own)?,Trotsky,\n"
)


def _download(page: Page, group: str, name: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("group", name=group).get_by_role("link", name=name).click()
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


def _shoot_part(page: Page, heading: str, name: str) -> None:
    """The section under ``heading`` alone (the set page runs long with the whole bank)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section = page.locator("section").filter(has=page.get_by_role("heading", name=heading))
    section.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_a_teacher_exports_a_set_and_imports_questions_of_their_own(
    page: Page, app: Flask, tmp_path: Path
) -> None:
    username = make_teacher(app)
    helper = app.test_client()
    login(helper, username)
    ids = question_ids(app, 3, "dates")
    set_id = create_set(helper, ids, "Dates to take home")
    sign_in(page, username)
    page.goto(f"/teach/sets/{set_id}")
    assert_accessible(page)

    # The set as an Anki package: the real Anki backend finds every question in it.
    package = _download(page, "Download the set", "Anki (.apkg)", tmp_path)
    assert package.name == f"quiz-set-{set_id}.apkg"
    with zipfile.ZipFile(package) as archive:
        assert "collection.anki2" in archive.namelist()
    collection = Collection(str(tmp_path / "student.anki2"))
    try:
        collection.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
        )
        found = {
            dict(collection.get_note(n).items())["QuestionId"] for n in collection.find_notes("")
        }
    finally:
        collection.close()
    assert found == set(ids)

    # The set as GIFT for Moodle: one question block per question, each readable.
    gift = _download(page, "Download the set", "Moodle GIFT", tmp_path)
    assert gift.name == f"quiz-set-{set_id}.gift.txt"
    questions = [
        read_block(line, block)
        for line, block in blocks(gift.read_text())
        if not block.startswith("$CATEGORY")
    ]
    assert len(questions) == 3
    assert all(question.error is None for question in questions)

    # A bad CSV is refused with its lines; a good one adds the teacher's own questions.
    upload = page.get_by_label("File of questions")
    upload.set_input_files(
        {
            "name": "bad.csv",
            "mimeType": "text/csv",
            "buffer": b"kind,prompt,answer\nriddle,Why?,x\n",
        }
    )
    page.get_by_role("button", name="Import into this set").click()
    expect(page.get_by_text("Line 2: kind: 'riddle' is not one of")).to_be_visible()
    assert_accessible(page)
    shoot(page, "set-import-refused")
    _shoot_part(page, "Import your own questions", "set-import-refused-part")
    page.get_by_label("File of questions").set_input_files(
        {"name": "mine.csv", "mimeType": "text/csv", "buffer": OWN_CSV.encode()}
    )
    page.get_by_label("Format").select_option("csv")
    page.get_by_role("button", name="Import into this set").click()
    expect(page.get_by_text("2 questions imported into the set as your own")).to_be_visible()
    chosen = page.locator("[data-chosen] li")
    expect(chosen).to_have_count(5)
    expect(chosen.filter(has_text="(my own)").locator(".badge-own")).to_have_count(2)
    assert_accessible(page)
    shoot(page, "set-with-own-questions")
    _shoot_part(page, "In this set (5)", "set-with-own-questions-part")
    with app.app_context():
        held = db.session.get(QuizSet, set_id).question_ids
        own = [db.session.get(Question, qid) for qid in held[3:]]
        assert [q.is_own for q in own] == [True, True]

    # Its own question's page says plainly that it quotes no source.
    page.goto(f"/bank/{own[0].id}")
    expect(page.get_by_text("not drawn from the source texts")).to_be_visible()
    shoot(page, "own-question-detail")


def test_a_student_downloads_their_missed_questions_and_a_bank_filter(
    page: Page, app: Flask, tmp_path: Path
) -> None:
    helper = app.test_client()
    username = register(helper)
    quiz = {"count": "4", "feedback": "end", "categories": "dates", "kinds": "date"}
    response = post_form(helper, "/quiz/", **quiz)
    assert response.status_code == 302
    attempt = latest_attempt(app, username)
    answer_all(helper, app, attempt.id, [True, False, True, False])
    with app.app_context():
        missed = {db.session.get(Question, attempt.question_ids[i]).prompt for i in (1, 3)}

    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/quiz/{attempt.id}/results")
    assert_accessible(page)
    shoot(page, "results-with-downloads")
    tsv = _download(page, "Download the missed questions", "Quizlet TSV", tmp_path)
    terms = {line.split("\t")[0] for line in tsv.read_text().splitlines()}
    assert terms == {" ".join(prompt.split()) for prompt in missed}

    # The bank browser's downloads follow its filter.
    page.goto("/bank/")
    page.get_by_label("Category").select_option("slogans")
    page.get_by_role("button", name="Search").click()
    count = int(page.locator(".result-count").inner_text().split()[0])
    group = f"Download these {count} questions"
    expect(page.get_by_role("group", name=group)).to_be_visible()
    assert_accessible(page)
    shoot(page, "bank-with-downloads")
    table = _download(page, group, "CSV", tmp_path)
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert len(rows) == count
    assert {row["category"] for row in rows} == {"slogans"}
