"""Teachers import their own questions into a quiz set; the questions work in the quiz
player and the gradebooks like bank questions, are marked as the teacher's own
wherever shown, and stay out of the bank, other teachers' pages, study and quizzes.
Downloads of a set, the bank and a student's missed questions come from the pages."""

from __future__ import annotations

import csv
import io
import re

from flask import Flask
from flask.testing import FlaskClient
from helpers.teaching import (
    answer_all,
    assign,
    create_class,
    create_set,
    join,
    join_code,
    latest_attempt,
    make_teacher,
    post_form,
    question_ids,
    start,
)
from helpers.web import register
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Question, QuizSet

CSV_FILE = (
    "kind,category,prompt,answer,accepted,tags\n"
    "short,key-figures,Who wrote the April Theses (teacher's own)?,Lenin,V. I. Lenin,lenin\n"
    "date,dates,When did the Bolsheviks take the Winter Palace (own)?,26 October 1917,,\n"
)


def _upload(
    client: FlaskClient, set_id: int, data: bytes, fmt: str = "csv", name: str = "mine.csv"
) -> object:
    return post_form(
        client,
        f"/teach/sets/{set_id}",
        f"/teach/sets/{set_id}/import",
        questions_file=(io.BytesIO(data), name),
        file_format=fmt,
        default_category="events",
    )


def _question_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question))


def _set_ids(app: Flask, set_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.get(QuizSet, set_id).question_ids)


def test_an_imported_csv_lands_in_the_set_as_the_teachers_own(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    set_id = create_set(teacher, question_ids(app, 1), "Imported set")
    response = _upload(teacher, set_id, CSV_FILE.encode())
    assert response.status_code == 302
    page = teacher.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    assert "2 questions imported into the set as your own" in page
    assert page.count('class="badge badge-own"') == 2
    ids = _set_ids(app, set_id)
    assert len(ids) == 3
    with app.app_context():
        own = [db.session.get(Question, qid) for qid in ids[1:]]
        assert all(q.is_own and q.source == "" and q.evidence == "" for q in own)
        assert [q.kind for q in own] == ["short", "date"]
        assert own[0].tags == ["lenin"]
    detail = teacher.get(f"/bank/{ids[1]}").get_data(as_text=True)
    assert "not drawn from the source texts" in detail


def test_imported_questions_stay_out_of_the_bank_and_other_peoples_pages(app: Flask) -> None:
    teacher, other, student = app.test_client(), app.test_client(), app.test_client()
    make_teacher(app, teacher)
    make_teacher(app, other)
    register(student)
    set_id = create_set(teacher, question_ids(app, 1), "Private set")
    bank_size = len(list(csv.reader(io.StringIO(teacher.get("/exports/bank/csv").text)))) - 1
    assert _upload(teacher, set_id, CSV_FILE.encode()).status_code == 302
    own_id = _set_ids(app, set_id)[1]
    for client in (teacher, other, student, app.test_client()):
        assert "teacher&#39;s own" not in client.get("/bank/?q=own").get_data(as_text=True)
        rows = list(csv.reader(io.StringIO(client.get("/exports/bank/csv").text)))
        assert len(rows) - 1 == bank_size
    for client in (other, student, app.test_client()):
        assert client.get(f"/bank/{own_id}").status_code == 404
    assert teacher.get(f"/bank/{own_id}").status_code == 200
    other_set = create_set(other, question_ids(app, 1), "Other set")
    post_form(
        other, f"/teach/sets/{other_set}", f"/teach/sets/{other_set}/questions", question_id=own_id
    )
    assert own_id not in _set_ids(app, other_set)
    other_page = other.get(f"/teach/sets/{other_set}?text=own").get_data(as_text=True)
    assert "Winter Palace (own)" not in other_page


def test_imported_questions_work_in_the_quiz_player_and_the_gradebook(app: Flask) -> None:
    teacher, student = app.test_client(), app.test_client()
    make_teacher(app, teacher)
    username = register(student)
    set_id = create_set(teacher, [], "Own questions only")
    assert _upload(teacher, set_id, CSV_FILE.encode()).status_code == 302
    class_id = create_class(teacher, "Import class")
    assert join(student, join_code(teacher, class_id)).status_code == 302
    assignment = assign(teacher, set_id, class_id, add_to_deck="y")
    assert start(student, assignment).status_code == 302
    attempt = latest_attempt(app, username)
    answer_all(student, app, attempt.id, [True, False])
    with app.app_context():
        right, wrong = (db.session.get(Question, qid).prompt for qid in attempt.question_ids)
    results = student.get(f"/quiz/{attempt.id}/results").get_data(as_text=True)
    assert "1 / 2" in results
    assert results.count("not drawn from the source texts") == 2
    gradebook = teacher.get(f"/teach/assignments/{assignment}").get_data(as_text=True)
    assert "50%" in gradebook
    items = teacher.get(f"/teach/assignments/{assignment}/items")
    assert items.status_code == 200
    assert "Winter Palace (own)" in items.get_data(as_text=True)
    # Put in the deck by the assignment, they are studied like bank cards.
    study = student.get("/study/").get_data(as_text=True)
    assert re.search(r"April Theses \(teacher&#39;s own\)|Winter Palace \(own\)", study)
    # The missed question downloads from the results page, marked as the teacher's own.
    missed = student.get(f"/exports/attempts/{attempt.id}/missed/tsv").text
    assert missed.startswith(wrong)
    assert right not in missed
    gift = student.get(f"/exports/attempts/{attempt.id}/missed/gift").text
    assert "A teacher's own question\\: not drawn from the source texts" in gift


def test_a_bad_file_imports_nothing_and_lists_every_problem(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    set_id = create_set(teacher, question_ids(app, 1), "Careful set")
    before = (_question_count(app), _set_ids(app, set_id))
    bad = CSV_FILE + "choice,events,Which ship?,Aurora,,\nsoup,events,What?,x,,\n"
    response = _upload(teacher, set_id, bad.encode())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Line 4: choices: a multiple-choice question needs 3 to 6 choices, not 0" in page
    assert "Line 5: kind: &#39;soup&#39; is not one of" in page
    assert (_question_count(app), _set_ids(app, set_id)) == before
    latin = _upload(teacher, set_id, CSV_FILE.replace("Lenin", "Lénine").encode("latin-1"))
    assert latin.status_code == 400
    assert "not UTF-8 text" in latin.get_data(as_text=True)
    formula = _upload(teacher, set_id, b'kind,prompt,answer\nshort,"=HYPERLINK(1)",x\n')
    assert "like a spreadsheet formula" in formula.get_data(as_text=True)
    gift = _upload(teacher, set_id, b"Is it true? {T}\n", fmt="gift", name="q.gift")
    assert "Line 1: true/false questions are not supported" in gift.get_data(as_text=True)
    assert (_question_count(app), _set_ids(app, set_id)) == before


def test_a_file_over_the_body_limit_is_refused_before_it_is_read(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    set_id = create_set(teacher, question_ids(app, 1), "Huge set")
    before = _question_count(app)
    huge = (CSV_FILE + "short,events,Padding?,x,,\n" * 45_000).encode()
    assert len(huge) > 1024 * 1024
    assert _upload(teacher, set_id, huge).status_code == 413
    assert _question_count(app) == before


def test_a_set_exported_as_csv_imports_back_into_another_set(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    source = create_set(teacher, question_ids(app, 4, "key-figures"), "Source set")
    exported = teacher.get(f"/exports/sets/{source}/csv")
    assert exported.headers["Content-Disposition"] == f"attachment; filename=quiz-set-{source}.csv"
    target = create_set(teacher, [], "Copy by file")
    assert _upload(teacher, target, exported.data).status_code == 302
    with app.app_context():
        originals = [db.session.get(Question, q) for q in _set_ids(app, source)]
        copies = [db.session.get(Question, q) for q in _set_ids(app, target)]
        assert [(q.prompt, q.answer, q.kind) for q in copies] == [
            (q.prompt, q.answer, q.kind) for q in originals
        ]
        assert all(q.is_own for q in copies)
    tsv = teacher.get(f"/exports/sets/{source}/tsv")
    tsv_target = create_set(teacher, [], "Copy by TSV")
    assert _upload(teacher, tsv_target, tsv.data, fmt="tsv", name="set.tsv").status_code == 302
    assert len(_set_ids(app, tsv_target)) == 4


def test_the_downloads_name_their_format(app: Flask, client: FlaskClient) -> None:
    expected = {
        "apkg": ("application/octet-stream", "apkg"),
        "gift": ("text/plain; charset=utf-8", "gift.txt"),
        "moodle-xml": ("application/xml; charset=utf-8", "xml"),
        "csv": ("text/csv; charset=utf-8", "csv"),
        "tsv": ("text/tab-separated-values; charset=utf-8", "tsv"),
    }
    for fmt, (mimetype, extension) in expected.items():
        response = client.get(f"/exports/bank/{fmt}?category=slogans&kind=short")
        assert response.status_code == 200
        assert response.content_type == mimetype
        assert response.headers["Content-Disposition"] == (
            f"attachment; filename=october-revolution-slogans-short.{extension}"
        )
    assert client.get("/exports/bank/pdf").status_code == 404
    assert client.get("/exports/bank/csv?category=moon").status_code == 400
    rows = list(csv.DictReader(io.StringIO(client.get("/exports/bank/csv?tag=lenin").text)))
    assert rows
    assert all("lenin" in row["tags"].split(" | ") for row in rows)


def test_loading_the_bank_again_leaves_teachers_questions_alone(app: Flask) -> None:
    from quizapp.persistence.bank_files import load_bank
    from quizapp.persistence.bank_sync import sync_bank

    teacher = app.test_client()
    make_teacher(app, teacher)
    set_id = create_set(teacher, [], "Kept through a bank load")
    assert _upload(teacher, set_id, CSV_FILE.encode()).status_code == 302
    own = _set_ids(app, set_id)
    with app.app_context():
        report = sync_bank(db.session, load_bank(app.config["BANK_DIR"]))
        db.session.commit()
        assert not set(own) & set(report.retired)
        assert all(db.session.get(Question, qid).retired_at is None for qid in own)
