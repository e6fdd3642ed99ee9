"""Teaching through the client: classes, join codes, rosters, sets, assignments, gradebooks."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import Flask
from helpers.clock import today, utcnow
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
from helpers.web import PASSWORD, csrf_token, login, logout, register
from sqlalchemy import func, select

from quizapp.core.assignments import local_to_utc
from quizapp.extensions import db
from quizapp.models import Assignment, Card, Membership, QuizAttempt, QuizSet, User


def test_students_join_with_the_code_until_it_is_rotated_or_closed(app: Flask) -> None:
    teacher, student, late_comer = app.test_client(), app.test_client(), app.test_client()
    make_teacher(app, teacher)
    class_id = create_class(teacher)
    code = join_code(teacher, class_id)
    register(student)
    assert join(student, code.lower()[:3] + "-" + code.lower()[3:]).status_code == 302
    assert "You joined Year 11 History" in student.get("/classes/").get_data(as_text=True)

    post_form(
        teacher, f"/teach/classes/{class_id}", f"/teach/classes/{class_id}/code", action="rotate"
    )
    assert join_code(teacher, class_id) != code
    register(late_comer)
    refused = join(late_comer, code)
    assert refused.status_code == 400
    assert "does not open any class" in refused.get_data(as_text=True)

    post_form(
        teacher, f"/teach/classes/{class_id}", f"/teach/classes/{class_id}/code", action="close"
    )
    assert join(late_comer, join_code_from_db(app, class_id)).status_code == 400
    page = teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert page.count("<td>student-") == 1


def join_code_from_db(app: Flask, class_id: int) -> str:
    from quizapp.models import SchoolClass

    with app.app_context():
        return db.session.get(SchoolClass, class_id).join_code


def test_a_teacher_adds_an_existing_student_by_username(app: Flask) -> None:
    teacher, student = app.test_client(), app.test_client()
    make_teacher(app, teacher)
    class_id = create_class(teacher)
    username = register(student)
    url = f"/teach/classes/{class_id}"
    post_form(teacher, url, f"{url}/members", username=username.upper())
    assert "added to Year 11 History" in teacher.get(url).get_data(as_text=True)
    post_form(teacher, url, f"{url}/members", username=username)
    assert "already in" in teacher.get(url).get_data(as_text=True)
    post_form(teacher, url, f"{url}/members", username="nobody-at-all")
    assert "No account is called" in teacher.get(url).get_data(as_text=True)


def test_a_roster_creates_accounts_with_one_time_passwords(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    class_id = create_class(teacher)
    url = f"/teach/classes/{class_id}"
    roster = b"display_name,username\nAnna Petrova,roster-anna\nBoris Ivanov,roster-boris\n"
    page = teacher.get(url).get_data(as_text=True)
    response = teacher.post(
        f"{url}/roster",
        data={"csrf_token": csrf_token(page), "roster": (io.BytesIO(roster), "roster.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 accounts created" in html
    password = html.split("<td>roster-anna</td><td>Anna Petrova</td><td><code>")[1].split("<")[0]

    anna = app.test_client()
    login(anna, "roster-anna", password)
    forced = anna.get("/study/")
    assert forced.status_code == 302
    assert forced.headers["Location"].endswith("/password")
    changed = post_form(anna, "/password", current=password, password=PASSWORD, confirm=PASSWORD)
    assert changed.status_code == 302
    assert anna.get("/study/").status_code == 200
    assert "Year 11 History" in anna.get("/classes/").get_data(as_text=True)


def test_a_bad_roster_names_its_rows_and_creates_nobody(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    class_id = create_class(teacher)
    url = f"/teach/classes/{class_id}"
    roster = b"username,display_name\nbad-one,Ok\nbad-one,Again\nbad-two,\n"
    with app.app_context():
        users_before = db.session.scalar(select(func.count()).select_from(User))
    page = teacher.get(url).get_data(as_text=True)
    response = teacher.post(
        f"{url}/roster",
        data={"csrf_token": csrf_token(page), "roster": (io.BytesIO(roster), "roster.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Row 3" in html
    assert "Row 4" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == users_before
        assert (
            db.session.scalar(
                select(func.count()).select_from(Membership).where(Membership.class_id == class_id)
            )
            == 0
        )


def test_build_a_set_by_picking_drawing_removing_and_copying(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    ids = question_ids(app, 3)
    set_id = create_set(teacher, ids[:2])
    url = f"/teach/sets/{set_id}"
    filtered = teacher.get(f"{url}?category=slogans").get_data(as_text=True)
    assert "17 questions match" in filtered
    post_form(teacher, url, f"{url}/draw", count="4", category="slogans")
    post_form(teacher, url, f"{url}/questions/remove", question_id=ids[0])
    with app.app_context():
        quiz_set = db.session.get(QuizSet, set_id)
        assert len(quiz_set.question_ids) == 5
        assert ids[0] not in quiz_set.question_ids
        assert quiz_set.question_ids[0] == ids[1]
    copied = post_form(teacher, url, f"{url}/copy")
    copy_id = int(copied.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        copy = db.session.get(QuizSet, copy_id)
        assert copy.title == "Copy of October dates"
        assert len(copy.question_ids) == 5


def take(app: Flask, client: object, assignment_id: int, right: list[bool]) -> QuizAttempt:
    response = start(client, assignment_id)  # type: ignore[arg-type]
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    answer_all(client, app, attempt_id, right)  # type: ignore[arg-type]
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        db.session.expunge(attempt)
        return attempt


def classroom(app: Flask, students: int = 2, **set_settings: object) -> tuple[object, int, list]:
    """A teacher with a class of ``students`` and a 3-question set: (teacher, set id, clients)."""
    teacher = app.test_client()
    make_teacher(app, teacher)
    class_id = create_class(teacher)
    code = join_code(teacher, class_id)
    clients = []
    for _ in range(students):
        client = app.test_client()
        register(client)
        join(client, code)
        clients.append(client)
    set_id = create_set(teacher, question_ids(app, 3), **set_settings)
    return teacher, set_id, [class_id, *clients]


def test_assign_take_and_read_the_gradebook_and_its_csv(app: Flask) -> None:
    teacher, set_id, (class_id, on_time, _not_started) = classroom(app, students=2)
    assignment_id = assign(teacher, set_id, class_id, add_to_deck="y")
    home = on_time.get("/").get_data(as_text=True)
    assert "October dates" in home
    assert "To do" in home
    take(app, on_time, assignment_id, [True, True, False])
    assert "Done" in on_time.get("/").get_data(as_text=True)

    book = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    assert "2/3 (67%)" in book
    assert "Not started" in book
    rows = list(
        csv.DictReader(
            io.StringIO(
                teacher.get(f"/teach/assignments/{assignment_id}/gradebook.csv").get_data(
                    as_text=True
                )
            )
        )
    )
    assert [row["status"] for row in rows].count("submitted") == 1
    done = next(row for row in rows if row["status"] == "submitted")
    assert (done["score"], done["out_of"], done["percent"], done["attempts"], done["late"]) == (
        "2",
        "3",
        "67",
        "1",
        "no",
    )
    with app.app_context():
        student_ids = db.session.scalars(
            select(Membership.user_id).where(Membership.class_id == class_id)
        ).all()
        cards = db.session.scalar(
            select(func.count()).select_from(Card).where(Card.user_id.in_(student_ids))
        )
        assert cards == 6  # the set's three questions in each student's deck
    class_csv = teacher.get(f"/teach/classes/{class_id}/gradebook.csv").get_data(as_text=True)
    header, *lines = list(csv.reader(io.StringIO(class_csv)))
    assert header[0:2] == ["username", "display_name"]
    assert header[-1] == "average_percent"
    assert sorted(line[-1] for line in lines) == ["", "67"]


def test_late_work_is_marked_or_refused(app: Flask) -> None:
    teacher, set_id, (class_id, student) = classroom(app, students=1)
    past = today() - timedelta(days=3)
    accepting = assign(teacher, set_id, class_id, opens=past - timedelta(days=2), due=past)
    attempt = take(app, student, accepting, [True, True, True])
    assert attempt.late
    assert attempt.is_finished
    book = teacher.get(f"/teach/assignments/{accepting}").get_data(as_text=True)
    assert "Late" in book

    refusing = assign(
        teacher, set_id, class_id, opens=past - timedelta(days=2), due=past, accept_late=None
    )
    refused = start(student, refusing)
    assert refused.status_code == 302
    page = student.get(f"/assignments/{refusing}").get_data(as_text=True)
    assert "no longer accepts submissions" in page


def test_the_attempt_limit_holds_under_replay(app: Flask) -> None:
    teacher, set_id, (class_id, student) = classroom(app, students=1, attempts_allowed="1")
    assignment_id = assign(teacher, set_id, class_id)
    first = start(student, assignment_id)
    again = start(student, assignment_id)  # a replayed start while one is in progress
    assert first.headers["Location"] != again.headers["Location"]
    attempt = latest_attempt(app, _username(app, student))
    answer_all(student, app, attempt.id, [True, False, True])
    start(student, assignment_id)
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(QuizAttempt)
            .where(QuizAttempt.assignment_id == assignment_id)
        )
    assert count == 1
    assert "used every attempt" in student.get(f"/assignments/{assignment_id}").get_data(
        as_text=True
    )


def _username(app: Flask, client: object) -> str:
    html = client.get("/settings").get_data(as_text=True)  # type: ignore[attr-defined]
    return html.split('<span class="visually-hidden">')[1].split("<")[0]


def test_a_time_limit_cannot_be_outrun(app: Flask) -> None:
    teacher, set_id, (class_id, student) = classroom(app, students=1, time_limit_minutes="5")
    assignment_id = assign(teacher, set_id, class_id)
    attempt_id = int(start(student, assignment_id).headers["Location"].rsplit("/", 1)[1])
    answer_all(student, app, attempt_id, [True])
    with app.app_context():  # the clock runs out
        attempt = db.session.get(QuizAttempt, attempt_id)
        attempt.deadline_at = utcnow() - timedelta(minutes=2)
        attempt.started_at = attempt.deadline_at - timedelta(minutes=5)
        db.session.commit()
    late_answer = student.get(f"/quiz/{attempt_id}/2")
    assert late_answer.status_code == 302
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.is_finished
        assert attempt.score == 1
        assert [a.response != "" for a in attempt.answers] == [True, False, False]
    token = csrf_token(student.get(f"/quiz/{attempt_id}/results").get_data(as_text=True))
    student.post(f"/quiz/{attempt_id}/2", data={"csrf_token": token, "response": "1917"})
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).score == 1  # a submitted attempt stays


def test_feedback_after_the_due_date_holds_back_the_answers(app: Flask) -> None:
    teacher, set_id, (class_id, student) = classroom(app, students=1, feedback="after_due")
    assignment_id = assign(teacher, set_id, class_id)
    attempt = take(app, student, assignment_id, [True, True, False])
    page = student.get(f"/quiz/{attempt.id}/results").get_data(as_text=True)
    assert "after the due date" in page
    assert "Right answer" not in page
    assert (
        student.post(f"/quiz/{attempt.id}/deck", data={"csrf_token": csrf_token(page)}).status_code
        == 403
    )


def test_editing_a_set_leaves_attempts_already_taken_alone(app: Flask) -> None:
    teacher, set_id, (class_id, student) = classroom(app, students=1)
    assignment_id = assign(teacher, set_id, class_id)
    attempt = take(app, student, assignment_id, [True, True, True])
    url = f"/teach/sets/{set_id}"
    for question_id in attempt.question_ids:
        post_form(teacher, url, f"{url}/questions/remove", question_id=question_id)
    post_form(teacher, url, f"{url}/draw", count="2", category="slogans")
    with app.app_context():
        kept = db.session.get(QuizAttempt, attempt.id)
        assert kept.question_ids == attempt.question_ids
        assert kept.score == 3
    assert "3/3" in teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)


def test_item_analysis_and_an_attempt_open_for_the_teacher(app: Flask) -> None:
    teacher, set_id, (class_id, *students) = classroom(app, students=4, shuffle=None)
    assignment_id = assign(teacher, set_id, class_id)
    patterns = [
        [True, True, True],
        [True, True, False],
        [True, False, False],
        [False, False, False],
    ]
    attempts = [take(app, s, assignment_id, p) for s, p in zip(students, patterns, strict=True)]
    page = teacher.get(f"/teach/assignments/{assignment_id}/items").get_data(as_text=True)
    assert "75%" in page
    assert "25%" in page
    assert "no idea" in page
    assert "Hard: fewer than 30%" in page
    detail = teacher.get(f"/teach/attempts/{attempts[1].id}").get_data(as_text=True)
    assert detail.count("result-right") == 2
    assert "no idea" in detail


def test_item_analysis_on_three_students_says_so_and_does_not_flag_the_key(app: Flask) -> None:
    # Issue 23: the only student right on the first question did worst on the rest, so r is
    # -1, yet with three answers that says nothing about the key.
    teacher, set_id, (class_id, *students) = classroom(app, students=3, shuffle=None)
    assignment_id = assign(teacher, set_id, class_id)
    patterns = [[False, True, True], [False, True, True], [True, False, False]]
    for student, pattern in zip(students, patterns, strict=True):
        take(app, student, assignment_id, pattern)
    page = teacher.get(f"/teach/assignments/{assignment_id}/items").get_data(as_text=True)
    assert "check the key" not in page
    assert "Low discrimination" not in page
    assert "-1.00" not in page
    assert "3 students answered; item statistics need at least 30 before they mean much." in page
    assert "33%" in page  # the counts and facility still show
    assert "67%" in page


def test_a_class_exam_applies_to_members_and_shows_class_readiness(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    exam = (today() + timedelta(days=20)).isoformat()
    class_id = create_class(teacher, exam_date=exam, exam_categories="slogans")
    student = app.test_client()
    register(student)
    join(student, join_code(teacher, class_id))
    exam_page = student.get("/exam/").get_data(as_text=True)
    assert "Set by your teacher for Year 11 History" in exam_page
    report = teacher.get(f"/teach/classes/{class_id}/readiness").get_data(as_text=True)
    assert "data-not-started>1<" in report
    assert "Slogans" in report
    assert "0%" in report


def test_a_bad_class_form_re_renders_with_the_message(app: Flask) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    response = post_form(teacher, "/teach/classes/new", name="", timezone="Europe/London")
    assert response.status_code == 400
    assert "Name the class." in response.get_data(as_text=True)
    set_id = create_set(teacher, question_ids(app, 1))
    bad = post_form(
        teacher,
        f"/teach/sets/{set_id}/assign",
        school_class="999999",
        opens_on="2026-01-02",
        opens_at="08:00",
        due_on="2026-01-01",
        due_at="08:00",
    )
    assert bad.status_code == 400


def test_students_cannot_reach_teacher_pages(app: Flask) -> None:
    student = app.test_client()
    register(student)
    assert student.get("/teach/").status_code == 403
    logout(student)
    assert student.get("/teach/").status_code == 302


def test_names_that_look_like_formulas_stay_text_in_the_csv(app: Flask) -> None:
    teacher, set_id, (class_id, _student) = classroom(app, students=1)
    assignment_id = assign(teacher, set_id, class_id)
    with app.app_context():
        member = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.class_id == class_id)
        )
        member.display_name = '=HYPERLINK("http://evil.example","x")'
        db.session.commit()
    exported = teacher.get(f"/teach/assignments/{assignment_id}/gradebook.csv")
    row = next(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert row["display_name"] == "'" + '=HYPERLINK("http://evil.example","x")'
    assert exported.headers["Content-Disposition"].startswith("attachment;")


def test_a_late_joiner_gets_the_deck_cards_of_earlier_assignments(app: Flask) -> None:
    teacher, set_id, (class_id, _first) = classroom(app, students=1)
    assign(teacher, set_id, class_id, add_to_deck="y")
    newcomer = app.test_client()
    username = register(newcomer)
    join(newcomer, join_code(teacher, class_id))
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        queued = db.session.scalars(select(Card).where(Card.user_id == user.id)).all()
        assert len(queued) == 3
        assert all(card.reps == 0 for card in queued)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_far_from_today_are_refused_everywhere(app: Flask, day: str) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    set_id = create_set(teacher, question_ids(app, 1))
    class_id = create_class(teacher)
    assigned = post_form(
        teacher,
        f"/teach/sets/{set_id}/assign",
        school_class=str(class_id),
        opens_on=day,
        opens_at="00:00",
        due_on=day,
        due_at="23:59",
    )
    assert assigned.status_code == 400
    page = assigned.get_data(as_text=True)
    assert (
        "Choose a date within the last year." in page
        or "Choose a date within the next two years." in page
    )
    edited = post_form(
        teacher,
        f"/teach/classes/{class_id}/edit",
        name="Year 11 History",
        timezone="Europe/London",
        exam_date=day,
    )
    assert edited.status_code == 400
    assert "The exam date has passed" in edited.get_data(
        as_text=True
    ) or "Choose a date within the next two years." in edited.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Assignment).where(Assignment.class_id == class_id)
            )
            == 0
        )


def test_a_moment_at_the_edge_of_the_calendar_still_renders(app: Flask) -> None:
    """Stored before dates were checked: pages west of UTC used to answer 500."""
    teacher, student = app.test_client(), app.test_client()
    make_teacher(app, teacher)
    register(student, timezone="America/New_York")
    class_id = create_class(teacher)
    assert join(student, join_code(teacher, class_id)).status_code == 302
    assignment_id = assign(teacher, create_set(teacher, question_ids(app, 1)), class_id)
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assignment.opens_at = datetime(1, 1, 1, tzinfo=UTC)
        assignment.due_at = datetime(1, 1, 2, tzinfo=UTC)
        db.session.commit()
    assert student.get(f"/assignments/{assignment_id}").status_code == 200
    assert teacher.get(f"/teach/classes/{class_id}").status_code == 200
    assert teacher.get(f"/teach/assignments/{assignment_id}/edit").status_code == 200


def test_a_teacher_moves_an_assignment_then_withdraws_it(app: Flask) -> None:
    teacher, student = app.test_client(), app.test_client()
    make_teacher(app, teacher)
    register(student)
    class_id = create_class(teacher)
    assert join(student, join_code(teacher, class_id)).status_code == 302
    assignment_id = assign(teacher, create_set(teacher, question_ids(app, 2)), class_id)
    attempt = start(student, assignment_id)
    assert attempt.status_code == 302
    edit_url = f"/teach/assignments/{assignment_id}/edit"
    form = teacher.get(edit_url).get_data(as_text=True)
    assert 'value="00:00"' in form  # the stored window, read back in the class's zone
    new_due = today() + timedelta(days=30)
    moved = post_form(
        teacher,
        edit_url,
        opens_on=today().isoformat(),
        opens_at="09:00",
        due_on=new_due.isoformat(),
        due_at="17:00",
    )
    assert moved.status_code == 302
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assert assignment.due_at == local_to_utc(new_due, time(17, 0), "Europe/London")
        assert not assignment.accept_late
    bad = post_form(
        teacher,
        edit_url,
        opens_on=today().isoformat(),
        opens_at="09:00",
        due_on=today().isoformat(),
        due_at="08:00",
    )
    assert "The due date must come after the opening." in bad.get_data(as_text=True)
    withdrawn = post_form(teacher, edit_url, f"/teach/assignments/{assignment_id}/delete")
    assert withdrawn.headers["Location"] == f"/teach/classes/{class_id}"
    with app.app_context():
        assert db.session.get(Assignment, assignment_id) is None
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(QuizAttempt)
                .where(QuizAttempt.assignment_id == assignment_id)
            )
            == 0
        )
    assert student.get(f"/assignments/{assignment_id}").status_code == 404
