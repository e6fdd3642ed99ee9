"""The progress page through the client: sign-in, empty states, hand-checked figures, privacy."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient
from fsrs import Rating, State
from helpers.clock import utcnow
from helpers.web import register
from sqlalchemy import func, select

from quizapp.core.days import study_day
from quizapp.extensions import db
from quizapp.models import ExamPlan, Question, User
from quizapp.progress import charts
from quizapp.study import service


class Tables(HTMLParser):
    """Every <table id=...> on a page as rows of cell texts (header cells included)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rows_by_label(table: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in table[1:]}


def user_named(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def answer(user: User, question: Question, rating: Rating, when: datetime) -> None:
    """One review through the study service, as the study page would save it."""
    card = service.card_for(user, question.id)
    key = service.presentation_key(question.id, card.reps if card else 0)
    assert service.record_review(user, question, key, rating, None, None, when) is not None


def questions_in(category: str, count: int) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.category == category, Question.retired_at.is_(None))
            .where(Question.owner_id.is_(None))
            .order_by(Question.id)
            .limit(count)
        )
    )


def test_progress_needs_a_sign_in(client: FlaskClient) -> None:
    response = client.get("/progress/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_new_student_sees_empty_states(client: FlaskClient, app: Flask) -> None:
    register(client)
    html = client.get("/progress/").get_data(as_text=True)
    for section in ("progress", "calendar", "forecast", "accuracy", "readiness"):
        assert f'data-empty="{section}"' in html
    assert "You have not reviewed any cards yet" in html
    assert 'aria-current="page">Progress</a>' in html
    # Mastery still reads well: every question in the bank, all new, none in a band.
    tables = Tables(html).tables
    with app.app_context():
        bank_size = db.session.scalar(
            select(func.count())
            .select_from(Question)
            .where(Question.retired_at.is_(None), Question.owner_id.is_(None))
        )
    states = rows_by_label(tables["table-states"])
    assert states["All categories"] == [str(bank_size), "0", "0", "0", str(bank_size)]
    bands = rows_by_label(tables["table-stability"])
    assert bands["All categories"] == [str(bank_size), "0", "0", "0", "0"]
    assert html.count('role="img"') == 2


def test_figures_after_some_reviews_match_the_hand_count(client: FlaskClient, app: Flask) -> None:
    username = register(client, timezone="Asia/Tokyo")
    now = utcnow()
    with app.app_context():
        user = user_named(username)
        dates = questions_in("dates", 3)
        slogans = questions_in("slogans", 2)
        # Two days ago (Tokyo 10:00): three dates rated Good, Again, Easy.
        two_days_ago = now - timedelta(days=2)
        for question, rating in zip(dates, (Rating.Good, Rating.Again, Rating.Easy), strict=True):
            answer(user, question, rating, two_days_ago)
            two_days_ago += timedelta(minutes=1)
        # Yesterday: the failed date again (Good) and two slogans (Hard, Good).
        yesterday = now - timedelta(days=1)
        answer(user, dates[1], Rating.Good, yesterday)
        answer(user, slogans[0], Rating.Hard, yesterday + timedelta(minutes=1))
        answer(user, slogans[1], Rating.Good, yesterday + timedelta(minutes=2))
        today = study_day(now, "Asia/Tokyo")
        cards = {q.id: service.card_for(user, q.id) for q in [*dates, *slogans]}
        dues = {qid: card.due for qid, card in cards.items()}
        tokyo = {qid: max(study_day(due, "Asia/Tokyo"), today) for qid, due in dues.items()}
        learning = sum(1 for card in cards.values() if card.state == State.Learning)
        date_count = len(questions_in("dates", 1000))
        slogan_count = len(questions_in("slogans", 1000))

    html = client.get("/progress/").get_data(as_text=True)
    tables = Tables(html).tables
    assert 'data-stat="reviews">6<' in html
    assert 'data-stat="days">2<' in html
    assert 'data-stat="accuracy">67%<' in html  # Good/Easy: 4 of 6
    assert 'data-stat="started">5<' in html

    accuracy = rows_by_label(tables["table-accuracy"])
    assert accuracy["Dates"] == ["4", "3", "75%"]  # Good, Again, Easy, Good
    assert accuracy["Slogans"] == ["2", "1", "50%"]  # Hard, Good
    assert accuracy["All categories"] == ["6", "4", "67%"]
    assert "Vote counts" not in accuracy

    calendar = tables["table-calendar"]
    assert len(calendar) == 27  # the header and 26 weeks
    by_day: dict[date, str] = {}
    for row in calendar[1:]:
        monday = datetime.strptime(row[0], "%d %b %Y").date()
        assert monday.weekday() == 0
        for offset, count in enumerate(row[1:8]):
            by_day[monday + timedelta(days=offset)] = count
    two_days = study_day(now - timedelta(days=2), "Asia/Tokyo")
    one_day = study_day(now - timedelta(days=1), "Asia/Tokyo")
    assert by_day[two_days] == "3"
    assert by_day[one_day] == "3"
    assert sum(int(count) for count in by_day.values() if count) == 6
    assert by_day[today] == "0"
    assert all(count == "" for day, count in by_day.items() if day > today)

    forecast = {
        datetime.strptime(label, "%a %d %b %Y").date(): int(count[0])
        for label, count in rows_by_label(tables["table-forecast"]).items()
    }
    assert len(forecast) == 30
    assert min(forecast) == today
    expected: dict[date, int] = {}
    for day in tokyo.values():
        if day < today + timedelta(days=30):
            expected[day] = expected.get(day, 0) + 1
    assert {day: n for day, n in forecast.items() if n} == expected

    states = rows_by_label(tables["table-states"])
    assert sum(int(n) for n in states["Dates"][1:4]) == 3
    assert states["Dates"][0] == str(date_count - 3)
    assert states["Slogans"][0] == str(slogan_count - 2)
    assert int(states["All categories"][1]) == learning


def test_the_readiness_chart_follows_the_exam_plan(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    now = utcnow()
    with app.app_context():
        user = user_named(username)
        question = questions_in("events", 1)[0]
        db.session.add(
            ExamPlan(
                user_id=user.id,
                exam_date=now.date() + timedelta(days=10),
                categories=["events"],
                tags=[],
                created_at=now - timedelta(days=3),
            )
        )
        db.session.commit()
        answer(user, question, Rating.Good, now - timedelta(days=1))
    html = client.get("/progress/").get_data(as_text=True)
    readiness = Tables(html).tables["table-readiness"]
    assert len(readiness) == 5  # header, and the plan's four days so far
    percents = [row[1] for row in readiness[1:]]
    assert percents[:2] == ["0%", "0%"]  # nothing studied before yesterday
    assert 'id="chart-readiness-title"' in html
    assert 'data-empty="readiness"' not in html


def test_another_students_reviews_never_appear(client: FlaskClient, app: Flask) -> None:
    other = register(app.test_client())
    with app.app_context():
        user = user_named(other)
        for question in questions_in("key-figures", 4):
            answer(user, question, Rating.Easy, utcnow() - timedelta(hours=2))
    register(client)
    html = client.get("/progress/").get_data(as_text=True)
    assert 'data-empty="calendar"' in html
    assert 'data-empty="accuracy"' in html
    assert "Key figures" in html  # the category is in mastery, with nothing started
    states = rows_by_label(Tables(html).tables["table-states"])
    assert states["Key figures"][1:4] == ["0", "0", "0"]


def test_labels_in_the_charts_are_escaped() -> None:
    svg = charts.percent_bars("x", "<b>title</b>", "a & b", [("<script>", 50)])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;b&gt;title&lt;/b&gt;" in svg
    assert "a &amp; b" in svg
    assert 'aria-labelledby="x-title x-desc"' in svg
