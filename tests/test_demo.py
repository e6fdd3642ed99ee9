"""``flask demo``: a demo student whose simulated history is consistent and recreatable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from helpers.clock import utcnow
from helpers.web import csrf_token, hidden, login, unique_name
from sqlalchemy import func, select, text

from quizapp.core.days import study_day
from quizapp.exam import service as exam_service
from quizapp.extensions import db
from quizapp.models import Assignment, Card, ExamPlan, QuizAttempt, Review, SchoolClass, User
from quizapp.study import service


def demo_user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def test_demo_creates_a_student_with_weeks_of_consistent_history(app: Flask) -> None:
    username = unique_name("demo")
    result = app.test_cli_runner().invoke(args=["demo", "--username", username])
    assert result.exit_code == 0, result.output
    assert f"username: {username}" in result.output
    assert "password: demo-password" in result.output
    with app.app_context():
        user = demo_user(username)
        assert user.check_password("demo-password")
        moments = db.session.scalars(select(Review.reviewed_at).where(Review.user_id == user.id))
        days = {study_day(moment, user.timezone) for moment in moments}
        assert len(days) >= 15
        now = utcnow()
        assert max(days) < study_day(now, user.timezone)  # history ends yesterday
        assert min(days) >= study_day(now, user.timezone) - timedelta(days=28)
        cards = db.session.scalars(select(Card).where(Card.user_id == user.id)).all()
        assert len(cards) >= 50
        for card in cards:
            assert service.rebuilt_state(card) == service.card_state(card), card.question_id
            assert card.reps == len(card.reviews)
        plan = exam_service.plan_for(user)
        assert plan is not None
        assert plan.exam_date == study_day(now, user.timezone) + timedelta(days=14)
        history = exam_service.history(user, plan, now)
        assert len(history) >= 28
        assert history[0][1] < history[-1][1]


def test_demo_recreates_the_student_from_scratch(app: Flask) -> None:
    username = unique_name("demo")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "--username", username, "--days", "3"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        user = demo_user(username)
        today = study_day(utcnow(), user.timezone)
        first_day = db.session.scalar(
            select(func.min(Review.reviewed_at)).where(Review.user_id == user.id)
        )
        assert study_day(first_day, user.timezone) == today - timedelta(days=3)
    again = runner.invoke(
        args=["demo", "--username", username, "--days", "2", "--password", "another-password"]
    )
    assert again.exit_code == 0, again.output
    with app.app_context():
        user = demo_user(username)
        assert user.check_password("another-password")
        days = {
            study_day(moment, user.timezone)
            for moment in db.session.scalars(
                select(Review.reviewed_at).where(Review.user_id == user.id)
            )
        }
        assert days
        assert min(days) >= today - timedelta(days=2)
        plans = select(func.count()).select_from(ExamPlan).where(ExamPlan.user_id == user.id)
        assert db.session.scalar(plans) == 1
        for card in db.session.scalars(select(Card).where(Card.user_id == user.id)):
            assert service.rebuilt_state(card) == service.card_state(card)


def test_demo_refuses_a_short_password(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["demo", "--username", unique_name("demo"), "--password", "short"]
    )
    assert result.exit_code != 0
    assert "8 characters" in result.output


def test_demo_class_fills_the_teacher_pages(app: Flask) -> None:
    teacher = unique_name("demoteach")
    args = ["demo-class", "--teacher", teacher, "--students", "4", "--days", "2"]
    for _ in range(2):  # a rerun recreates it from scratch
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
    with app.app_context():
        owner = demo_user(teacher)
        assert owner.is_teacher
        school_class = db.session.scalar(
            select(SchoolClass).where(SchoolClass.teacher_id == owner.id)
        )
        assert school_class is not None
        assert len(school_class.memberships) == 4
        assignment_ids = db.session.scalars(
            select(Assignment.id).where(Assignment.class_id == school_class.id)
        ).all()
        attempts = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.assignment_id.in_(assignment_ids))
        ).all()
        assert sum(a.late for a in attempts) == 1
        assert all(len(a.answers) == a.total for a in attempts if a.is_finished)
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(SchoolClass)
                .where(SchoolClass.teacher_id == owner.id)
            )
            == 1
        )
    client = app.test_client()
    login(client, teacher, "demo-password")
    page = client.get(f"/teach/assignments/{min(assignment_ids)}").get_data(as_text=True)
    assert page.count("<td>Submitted</td>") == 2
    assert "<td>Late</td>" in page


def test_demo_class_allows_as_many_students_as_the_seeder_has_names() -> None:
    from quizapp.cli import DEMO_CLASS_MAX
    from quizapp.demo.classroom import NAMES

    assert len(NAMES) == DEMO_CLASS_MAX


def test_seed_writes_students_with_due_cards_and_histories_that_can_be_studied(
    app: Flask,
) -> None:
    prefix = unique_name("seed")
    result = app.test_cli_runner().invoke(
        args=["seed", "--prefix", prefix, "--students", "3", "--cards", "4", "--reviews", "30"]
    )
    assert result.exit_code == 0, result.output
    assert "3 students" in result.output
    assert "12 cards, 30 reviews" in result.output
    with app.app_context():
        users = db.session.scalars(select(User).where(User.username.like(f"{prefix}-%"))).all()
        assert sorted(u.username for u in users) == [f"{prefix}-{n:04}" for n in range(3)]
        now = utcnow()
        for user in users:
            cards = db.session.scalars(select(Card).where(Card.user_id == user.id)).all()
            assert len(cards) == 4
            assert all(card.due <= now for card in cards)  # every card waits to be reviewed
            for card in cards:
                times = [review.reviewed_at for review in card.reviews]
                assert card.reps == len(times) in (2, 3)  # 30 reviews over 12 cards
                assert times == sorted(times)
                assert times[-1] < now - timedelta(hours=12)
                assert [r.presentation for r in card.reviews] == [
                    f"{card.question_id}:{n}" for n in range(card.reps)
                ]
    client = app.test_client()
    login(client, f"{prefix}-0000", "load-password")
    page = client.get("/study/").get_data(as_text=True)
    question_id, presentation = hidden(page, "question_id"), hidden(page, "presentation")
    with app.app_context():
        user = demo_user(f"{prefix}-0000")
        card = service.card_for(user, question_id)
        assert presentation == f"{question_id}:{card.reps}"  # the seeded history continues
    rated = client.post(
        "/study/review",
        data={
            "csrf_token": csrf_token(page),
            "question_id": question_id,
            "presentation": presentation,
            "rating": "3",
            "response": "",
            "duration_ms": "1500",
        },
    )
    assert rated.status_code == 302
    with app.app_context():
        assert service.card_for(demo_user(f"{prefix}-0000"), question_id).reps == card.reps + 1


def test_seed_refuses_to_write_over_accounts_it_made(app: Flask) -> None:
    prefix = unique_name("seed")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed", "--prefix", prefix, "--students", "1"]).exit_code == 0
    again = runner.invoke(args=["seed", "--prefix", prefix, "--students", "1"])
    assert again.exit_code != 0
    assert "exist already" in again.output


def test_seed_leaves_the_planner_statistics_of_what_it_wrote(
    app_factory: Callable[..., Flask],
) -> None:
    """A fresh database: its tables have never been analyzed until the seed does it."""
    application = app_factory()
    result = application.test_cli_runner().invoke(
        args=["seed", "--prefix", "stats", "--students", "2", "--cards", "5", "--reviews", "40"]
    )
    assert result.exit_code == 0, result.output
    with application.app_context():
        if db.engine.dialect.name == "sqlite":
            analyzed = db.session.scalars(text("SELECT DISTINCT tbl FROM sqlite_stat1")).all()
        else:
            analyzed = db.session.scalars(
                text("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
            ).all()
    assert {"users", "cards", "reviews", "study_days"} <= set(analyzed)
