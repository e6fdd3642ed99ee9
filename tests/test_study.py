"""Studying through the client: answering, rating, double submits, undo, limits, privacy."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from fsrs import Rating, State
from helpers.clock import utcnow
from helpers.web import answer_current_card, csrf_token, hidden, register
from sqlalchemy import delete, func, select

from quizapp.core.days import streak, study_day
from quizapp.extensions import db
from quizapp.models import Card, Question, Review, StudyDay, User
from quizapp.study import service


def user_named(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def review_count(app: Flask, username: str) -> int:
    with app.app_context():
        user = user_named(username)
        return (
            db.session.scalar(
                select(func.count()).select_from(Review).where(Review.user_id == user.id)
            )
            or 0
        )


def test_a_card_can_be_answered_and_rated(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    form = answer_current_card(client)
    response = client.post("/study/review", data=form)
    assert response.status_code == 302
    assert review_count(app, username) == 1
    with app.app_context():
        card = db.session.scalar(
            select(Card).where(
                Card.question_id == form["question_id"], Card.user_id == user_named(username).id
            )
        )
        assert card.reps == 1
        assert card.last_review is not None


def test_typed_answer_is_graded_by_the_server(client: FlaskClient, app: Flask) -> None:
    register(client)
    with app.app_context():
        question = db.session.scalar(
            select(Question).where(Question.kind == "number", Question.owner_id.is_(None)).limit(1)
        )
        qid, answer = question.id, question.answer
    with client.session_transaction() as session:
        session["undo_question"] = qid
    front = client.get("/study/").get_data(as_text=True)
    assert hidden(front, "question_id") == qid
    data = {
        "csrf_token": csrf_token(front),
        "question_id": qid,
        "presentation": hidden(front, "presentation"),
        "shown_at": hidden(front, "shown_at"),
        "response": answer,
    }
    back = client.post("/study/answer", data=data).get_data(as_text=True)
    assert "Correct" in back
    assert "Evidence" in back
    wrong = client.post("/study/answer", data={**data, "response": "3"}).get_data(as_text=True)
    assert "Not quite" in wrong
    assert 'class="rating rating-again rating-proposed"' in wrong
    assert "We suggest <strong>Again</strong>" in wrong
    for key, label in enumerate(("Again", "Hard", "Good", "Easy"), start=1):
        assert f'<span class="rating-name"><kbd>{key}</kbd> {label}</span>' in wrong


def test_submitting_the_same_presentation_twice_records_one_review(
    client: FlaskClient, app: Flask
) -> None:
    username = register(client)
    form = answer_current_card(client)
    client.post("/study/review", data=form)
    second = client.post("/study/review", data=form, follow_redirects=True)
    assert "already recorded" in second.get_data(as_text=True)
    assert review_count(app, username) == 1


INLINE = {"X-Next-Card": "inline"}


def test_a_rating_sent_by_the_script_is_answered_with_the_next_card(
    client: FlaskClient, app: Flask
) -> None:
    """One round trip a card: the rating's answer is the next card itself, named by
    X-Study-Page so the address bar can show it; without the header, a redirect."""
    username = register(client)
    form = answer_current_card(client)
    reply = client.post("/study/review", data=form, headers=INLINE)
    assert reply.status_code == 200
    assert reply.headers["X-Study-Page"] == "/study/"
    page = reply.get_data(as_text=True)
    assert 'data-study="front"' in page
    assert hidden(page, "question_id") != form["question_id"]  # the next card, not this one
    assert review_count(app, username) == 1
    shown = client.get("/study/").get_data(as_text=True)  # a reload: the same card again
    assert hidden(shown, "question_id") == hidden(page, "question_id")
    assert review_count(app, username) == 1

    again = client.post("/study/review", data=form, headers=INLINE)
    assert "already recorded" in again.get_data(as_text=True)
    assert review_count(app, username) == 1
    plain = client.post("/study/review", data=answer_current_card(client))
    assert plain.status_code == 302
    assert "X-Study-Page" not in plain.headers


def test_a_bad_rating_sent_by_the_script_gets_the_card_back_with_the_message(
    client: FlaskClient, app: Flask
) -> None:
    username = register(client)
    form = answer_current_card(client)
    reply = client.post("/study/review", data={**form, "rating": "9"}, headers=INLINE)
    assert reply.status_code == 200
    assert reply.headers["X-Study-Page"] == "/study/"
    assert "Choose one of the four ratings." in reply.get_data(as_text=True)
    assert review_count(app, username) == 0


def test_the_last_rating_of_the_day_sent_by_the_script_gets_the_summary(
    client: FlaskClient, app: Flask
) -> None:
    username = register(client)
    with app.app_context():
        user_named(username).new_per_day = 1
        db.session.commit()
    easy = answer_current_card(client, rating=4)  # not due again today
    reply = client.post("/study/review", data=easy, headers=INLINE)
    assert reply.status_code == 200
    assert reply.headers["X-Study-Page"] == "/study/"
    assert "Done for now" in reply.get_data(as_text=True)


def test_two_students_progress_never_mixes(app: Flask) -> None:
    first, second = app.test_client(), app.test_client()
    alice, bob = register(first), register(second)
    for _ in range(3):
        first.post("/study/review", data=answer_current_card(first, rating=4))
    assert review_count(app, alice) == 3
    assert review_count(app, bob) == 0
    page = second.get("/").get_data(as_text=True)
    assert '<dd data-stat="done">0</dd>' in page
    with app.app_context():
        bob_cards = db.session.scalar(
            select(func.count()).select_from(Card).where(Card.user_id == user_named(bob).id)
        )
        assert bob_cards == 0
    bob_form = answer_current_card(second)
    bob_form["presentation"] = bob_form["question_id"] + ":1"
    second.post("/study/review", data=bob_form)
    assert review_count(app, alice) == 3


def test_undo_rolls_back_the_review_and_the_card(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    first = answer_current_card(client, rating=4)
    client.post("/study/review", data=first)
    second = answer_current_card(client, rating=1)
    client.post("/study/review", data=second)
    assert review_count(app, username) == 2
    token = csrf_token(client.get("/study/").get_data(as_text=True))
    page = client.post("/study/undo", data={"csrf_token": token}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Your last review was undone" in text
    assert hidden(text, "question_id") == second["question_id"]
    assert review_count(app, username) == 1
    with app.app_context():
        user = user_named(username)
        assert service.card_for(user, second["question_id"]) is None
        assert service.card_for(user, first["question_id"]) is not None


def test_rebuilding_a_card_from_its_log_gives_the_stored_state(app: Flask) -> None:
    with app.app_context():
        user = User(
            username=service.presentation_key("rebuild", 0).replace(":", "-"),
            display_name="R",
            password_hash="x",
        )
        db.session.add(user)
        db.session.commit()
        question = db.session.scalar(select(Question).where(Question.owner_id.is_(None)).limit(1))
        moment = utcnow()
        for rating in (Rating.Good, Rating.Again, Rating.Good, Rating.Hard, Rating.Easy):
            card = service.card_for(user, question.id)
            key = service.presentation_key(question.id, card.reps if card else 0)
            assert service.record_review(user, question, key, rating, None, 1000, moment)
            moment = service.card_for(user, question.id).due + timedelta(hours=1)
        card = service.card_for(user, question.id)
        assert service.rebuilt_state(card) == service.card_state(card)
        assert card.lapses == 1
        assert card.reps == 5


def test_the_days_new_card_limit_holds(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    with app.app_context():
        user_named(username).new_per_day = 3
        db.session.commit()
    for _ in range(3):
        client.post("/study/review", data=answer_current_card(client, rating=4))
    page = client.get("/study/").get_data(as_text=True)
    assert "Done for now" in page
    home = client.get("/").get_data(as_text=True)
    assert '<dd data-stat="new">0</dd>' in home


def test_leeches_are_flagged(app: Flask, client: FlaskClient) -> None:
    username = register(client)
    with app.app_context():
        user = user_named(username)
        question = db.session.scalar(
            select(Question).where(Question.owner_id.is_(None)).order_by(Question.id).limit(1)
        )
        moment = utcnow() - timedelta(days=30)
        for reps in range(8):
            key = service.presentation_key(question.id, reps)
            service.record_review(user, question, key, Rating.Again, None, 500, moment)
            moment += timedelta(minutes=15)
        assert [q.id for q in service.leeches(user)] == [question.id]
        prompt = question.prompt
    home = client.get("/").get_data(as_text=True)
    assert "Leeches" in home
    assert prompt.split("'")[0] in home


def studied_cards(app: Flask, username: str, overdue_hours: list[int]) -> list[str]:
    """Give the student review cards overdue by these many hours; their question ids."""
    with app.app_context():
        user = user_named(username)
        ids = list(
            db.session.scalars(
                select(Question.id)
                .where(Question.owner_id.is_(None))
                .order_by(Question.id)
                .limit(3)
            )
        )
        now = utcnow()
        for question_id, hours in zip(ids, overdue_hours, strict=False):
            card = Card.waiting(user.id, question_id, now)
            card.state, card.reps, card.stability, card.difficulty = State.Review, 3, 5.0, 5.0
            card.due = now - timedelta(hours=hours)
            db.session.add(card)
        db.session.commit()
        return ids[: len(overdue_hours)]


def test_the_most_overdue_card_comes_first_and_new_cards_wait(
    client: FlaskClient, app: Flask
) -> None:
    username = register(client)
    mild, worst, middle = studied_cards(app, username, [2, 50, 10])
    with app.app_context():
        user, now = user_named(username), utcnow()
        first = service.next_card(user, now, None)
        assert (first.question.id, first.is_new) == (worst, False)
        assert service.next_card(user, now, worst).question.id == middle
    for expected in (worst, middle, mild):
        assert hidden(client.get("/study/").get_data(as_text=True), "question_id") == expected
        assert client.post("/study/review", data=answer_current_card(client)).status_code == 302
    with app.app_context():  # the due cards are done: now a new card
        assert service.next_card(user_named(username), utcnow(), mild).is_new


def test_once_the_days_reviews_are_used_up_due_reviews_wait(
    client: FlaskClient, app: Flask
) -> None:
    username = register(client)
    studied_cards(app, username, [5, 6])
    with app.app_context():
        user = user_named(username)
        user.max_reviews_per_day, user.new_per_day = 1, 0
        db.session.commit()
    assert client.post("/study/review", data=answer_current_card(client)).status_code == 302
    page = client.get("/study/", follow_redirects=True).get_data(as_text=True)
    assert 'name="question_id"' not in page  # the other due review waits for tomorrow


def test_the_streak_follows_the_study_days_kept_with_each_review_and_undo(
    app: Flask, pinned_clock
) -> None:
    """Three days in a row make a streak of 3; undoing the day's only review takes the day
    back out, and the kept days always equal the days of the log."""
    client = app.test_client()
    username = register(client)
    start = pinned_clock()
    for day in range(3):
        pinned_clock.set(start + timedelta(days=day))
        assert client.post("/study/review", data=answer_current_card(client)).status_code == 302
    pinned_clock.set(start + timedelta(days=2, minutes=5))
    assert 'data-stat="streak">3 days<' in client.get("/").get_data(as_text=True)

    undo = client.get("/study/").get_data(as_text=True)
    assert client.post("/study/undo", data={"csrf_token": csrf_token(undo)}).status_code == 302
    assert 'data-stat="streak">2 days<' in client.get("/").get_data(as_text=True)
    with app.app_context():
        user = user_named(username)
        kept = dict(
            db.session.execute(
                select(StudyDay.day, StudyDay.reviews).where(StudyDay.user_id == user.id)
            ).all()
        )
        logged = Counter(
            study_day(moment, user.timezone)
            for moment in db.session.scalars(
                select(Review.reviewed_at).where(Review.user_id == user.id)
            )
        )
    assert kept == dict(logged)
    assert len(kept) == 2
    with app.app_context():
        stats = service.home_stats(user_named(username), pinned_clock())
    assert stats.streak_days == streak(logged, study_day(pinned_clock(), "UTC")) == 2


def test_the_session_shows_its_place_and_ends_with_a_summary(
    client: FlaskClient, app: Flask
) -> None:
    username = register(client)
    with app.app_context():
        user_named(username).new_per_day = 3
        db.session.commit()
    assert "Card 1 of 3 today" in client.get("/study/").get_data(as_text=True)
    client.post("/study/review", data=answer_current_card(client, rating=4))
    page = client.get("/study/").get_data(as_text=True)
    assert "Card 2 of 3 today" in page
    assert "1 done, 1 after this one" in page
    client.post("/study/review", data=answer_current_card(client, rating=1))
    client.post("/study/review", data=answer_current_card(client, rating=4))
    # The card rated Again is back a minute later, as a fourth card.
    assert "Card 4 of 4 today" in client.get("/study/").get_data(as_text=True)
    client.post("/study/review", data=answer_current_card(client, rating=4))
    summary = client.get("/study/").get_data(as_text=True)
    assert "Done for now" in summary
    assert 'data-summary-stat="reviewed">4<' in summary
    assert 'data-summary-stat="right">3 <span class="stat-note">(75%)' in summary
    assert 'data-summary-stat="again">1<' in summary
    assert 'data-summary-stat="leeches">0<' in summary
    home = client.get("/").get_data(as_text=True)
    assert "4 of 4 cards done today: all done" in home


def test_a_teachers_own_questions_count_as_new_only_once_in_the_deck(
    client: FlaskClient, app: Flask
) -> None:
    """The day's unstudied count is what the queue can serve: a teacher's imported
    question waits outside the deck until an assignment puts it there."""
    username = register(client)
    with app.app_context():
        user = user_named(username)
        teacher = User(username=f"{username}-teacher", display_name="T", role="teacher")
        teacher.set_password("correct horse battery")
        db.session.add(teacher)
        db.session.flush()
        model = db.session.scalars(select(Question).where(Question.owner_id.is_(None))).first()
        columns = {c.key: getattr(model, c.key) for c in Question.__mapper__.column_attrs}
        own = Question(**{**columns, "id": f"own-{username}", "owner_id": teacher.id})
        db.session.add(own)
        db.session.commit()
        try:
            before = service.today(user, utcnow()).unstudied
            queued = service.new_question_ids(user)
            assert own.id not in queued
            db.session.add(Card.waiting(user.id, own.id, utcnow()))  # an assignment queued it
            db.session.commit()
            assert service.today(user, utcnow()).unstudied == before + 1
            assert own.id in service.new_question_ids(user)
        finally:
            db.session.rollback()
            db.session.execute(delete(Card).where(Card.question_id == own.id))
            db.session.execute(delete(Question).where(Question.id == own.id))
            db.session.delete(teacher)
            db.session.commit()


def test_the_summary_names_the_leeches_met_today(client: FlaskClient, app: Flask) -> None:
    username = register(client)
    with app.app_context():
        user = user_named(username)
        question = db.session.scalar(select(Question).order_by(Question.id).limit(1))
        moment = utcnow() - timedelta(days=30)
        for reps in range(8):
            key = service.presentation_key(question.id, reps)
            service.record_review(user, question, key, Rating.Again, None, 500, moment)
            moment += timedelta(minutes=15)
        summary = service.day_summary(user, utcnow())
        assert summary.reviewed == 0
        assert summary.leeches == []
        service.record_review(
            user,
            question,
            service.presentation_key(question.id, 8),
            Rating.Good,
            None,
            500,
            utcnow(),
        )
        summary = service.day_summary(user, utcnow())
        assert (summary.reviewed, summary.right, summary.again) == (1, 1, 0)
        assert [q.id for q in summary.leeches] == [question.id]


def test_the_home_page_lists_the_ten_leeches_missed_most_and_counts_the_rest(
    app: Flask, client: FlaskClient
) -> None:
    username = register(client)
    with app.app_context():
        user = user_named(username)
        ids = db.session.scalars(
            select(Question.id).where(Question.owner_id.is_(None)).order_by(Question.id).limit(12)
        ).all()
        for n, question_id in enumerate(ids):  # the last one missed most often
            db.session.add(
                Card(
                    user_id=user.id,
                    question_id=question_id,
                    state=State.Relearning.value,
                    due=utcnow(),
                    reps=20,
                    lapses=8 + n,
                )
            )
        db.session.commit()
        shown = [q.id for q in service.home_stats(user, utcnow()).leeches]
    assert shown == list(reversed(ids))[: service.HOME_LEECHES]
    home = client.get("/").get_data(as_text=True)
    assert home.count('<li><a href="/bank/') >= service.HOME_LEECHES
    assert "The 10 missed most often, of 12 leeches." in home
