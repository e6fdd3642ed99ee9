"""Live games through the web: hosting, joining, the server's clock, scores, the gradebook.

These run on the single-process store (no ``REDIS_URL``); ``test_live_redis.py`` plays
the same rules on Redis across two app instances.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.clock import TestClock
from helpers.live import act, answer, answer_fields, host_game, join_game, mixed_set, opened_at
from helpers.teaching import create_class, join, join_code, make_teacher, post_form
from helpers.web import csrf_token, register
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.live.store import MemoryStore
from quizapp.models import Card, LiveGame, QuizAttempt, User


def _user_id(app: Flask, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def _play_page(client: FlaskClient, pin: str) -> str:
    response = client.get(f"/live/{pin}/play")
    assert response.status_code == 200, response.headers.get("Location")
    return response.get_data(as_text=True)


def _score(page: str) -> int:
    return int(re.search(r"data-score>(\d+) points<", page).group(1))


@pytest.fixture
def lobby(app: Flask) -> dict[str, object]:
    """A teacher with a class (one student in it) and a five-question set in a lobby."""
    teacher = app.test_client()
    make_teacher(app, teacher)
    class_id = create_class(teacher, "Live class")
    member = app.test_client()
    member_name = register(member)
    assert join(member, join_code(teacher, class_id)).status_code == 302
    set_id, ids = mixed_set(teacher, app)
    pin = host_game(teacher, set_id, class_id)
    return {
        "teacher": teacher,
        "member": member,
        "member_name": member_name,
        "class_id": class_id,
        "ids": ids,
        "pin": pin,
    }


def test_the_lobby_shows_the_pin_a_join_link_and_a_qr_code(app: Flask, lobby: dict) -> None:
    teacher, pin = lobby["teacher"], lobby["pin"]
    page = teacher.get(f"/live/{pin}/host").get_data(as_text=True)
    assert f"data-pin>{pin}<" in page
    assert f"/live/?pin={pin}" in page
    assert f"/live/{pin}/qr.svg" in page
    qr = teacher.get(f"/live/{pin}/qr.svg")
    assert qr.mimetype == "image/svg+xml"
    assert qr.get_data(as_text=True).startswith("<svg")


def test_without_redis_the_store_is_in_memory_and_the_page_says_so(app: Flask, lobby: dict) -> None:
    assert app.config["REDIS_URL"] == ""
    assert isinstance(app.extensions["live_store"], MemoryStore)
    page = lobby["teacher"].get(f"/live/{lobby['pin']}/host").get_data(as_text=True)
    assert "Live games need Redis" in page


def test_a_whole_game_scores_speed_and_streaks_and_lands_in_the_gradebook(
    app: Flask, lobby: dict, pinned_clock: TestClock
) -> None:
    teacher, member, pin, ids = lobby["teacher"], lobby["member"], lobby["pin"], lobby["ids"]
    guest = app.test_client()
    assert join_game(member, pin, "Comrade Member").status_code == 302
    assert join_game(guest, pin, "Guest").status_code == 302
    assert "Comrade Member" in teacher.get(f"/live/{pin}/host").get_data(as_text=True)
    start = pinned_clock()
    assert act(teacher, pin, "start").status_code == 302
    # Member: right at once on every question but the third; guest: right after 10 s on
    # the first, then wrong.
    member_right = [True, True, False, True, True]
    for index, question_id in enumerate(ids):
        opened = opened_at(app, pin)
        fields = answer_fields(app, question_id, member_right[index])
        answer(member, pin, index, fields, pinned_clock, opened)
        fields = answer_fields(app, question_id, index == 0)
        answer(guest, pin, index, fields, pinned_clock, opened + timedelta(seconds=10))
        assert act(teacher, pin, "reveal").status_code == 302
        reveal = teacher.get(f"/live/{pin}/host").get_data(as_text=True)
        assert "Answers given" in reveal
        assert "Evidence" in reveal
        assert act(teacher, pin, "leaderboard").status_code == 302
        assert act(teacher, pin, "next").status_code == 302
    # 1000 + 1100, miss, 1000 + 1100 (streaks restart after the miss).
    assert _score(_play_page(member, pin)) == 4200
    assert _score(_play_page(guest, pin)) == 750
    final = teacher.get(f"/live/{pin}/host").get_data(as_text=True)
    assert "Final leaderboard" in final
    assert final.index("Comrade Member") < final.index("Guest")

    with app.app_context():
        record = db.session.scalar(select(LiveGame).where(LiveGame.pin == pin))
        assert record.started_at >= start
        assert [(r["nickname"], r["score"], r["correct"]) for r in record.results] == [
            ("Comrade Member", 4200, 4),
            ("Guest", 750, 1),
        ]
        attempt = db.session.scalar(
            select(QuizAttempt).where(QuizAttempt.assignment_id == record.assignment_id)
        )
        assert attempt.user_id == _user_id(app, lobby["member_name"])
        assert attempt.score == 4
        assert [a.correct for a in attempt.answers] == member_right
    gradebook = teacher.get(f"/teach/assignments/{record.assignment_id}/gradebook.csv")
    row = next(
        line
        for line in gradebook.get_data(as_text=True).splitlines()
        if lobby["member_name"] in line
    )
    assert ",submitted,4,5,80," in row
    items = teacher.get(f"/teach/assignments/{record.assignment_id}/items")
    assert items.status_code == 200

    # The member sends the one question missed to the study deck.
    page = _play_page(member, pin)
    assert "Add the questions I missed" in page
    sent = member.post(f"/live/{pin}/deck", data={"csrf_token": csrf_token(page)})
    assert sent.status_code == 302
    with app.app_context():
        cards = db.session.scalars(
            select(Card.question_id).where(Card.user_id == _user_id(app, lobby["member_name"]))
        ).all()
        assert ids[2] in cards


def test_a_late_answer_is_refused_by_the_servers_clock(
    app: Flask, lobby: dict, pinned_clock: TestClock
) -> None:
    teacher, member, pin, ids = lobby["teacher"], lobby["member"], lobby["pin"], lobby["ids"]
    join_game(member, pin, "Latecomer")
    act(teacher, pin, "start")
    late = opened_at(app, pin) + timedelta(seconds=22)
    response = answer(member, pin, 0, answer_fields(app, ids[0], True), pinned_clock, late)
    assert response.status_code == 302
    page = _play_page(member, pin)
    assert "Time is up" in page
    act(teacher, pin, "reveal")
    assert "No answer" in _play_page(member, pin)
    assert _score(_play_page(member, pin)) == 0


def test_a_second_answer_is_refused_and_the_first_stands(
    app: Flask, lobby: dict, pinned_clock: TestClock
) -> None:
    teacher, member, pin, ids = lobby["teacher"], lobby["member"], lobby["pin"], lobby["ids"]
    join_game(member, pin, "Twice")
    act(teacher, pin, "start")
    answer(member, pin, 0, answer_fields(app, ids[0], False))
    answer(member, pin, 0, answer_fields(app, ids[0], True))
    act(teacher, pin, "reveal")
    page = _play_page(member, pin)
    assert "Not quite" in page
    assert _score(page) == 0


def test_an_answer_to_a_question_already_closed_is_refused(app: Flask, lobby: dict) -> None:
    teacher, member, pin, ids = lobby["teacher"], lobby["member"], lobby["pin"], lobby["ids"]
    join_game(member, pin, "Slow")
    act(teacher, pin, "start")
    act(teacher, pin, "reveal")
    answer(member, pin, 0, answer_fields(app, ids[0], True))
    assert _score(_play_page(member, pin)) == 0


def test_nicknames_must_be_unique_and_of_a_fair_length(app: Flask, lobby: dict) -> None:
    pin = lobby["pin"]
    first, second = app.test_client(), app.test_client()
    assert join_game(first, pin, "Anya").status_code == 302
    taken = join_game(second, pin, " anya ")
    assert taken.status_code == 400
    assert "already has that nickname" in taken.get_data(as_text=True)
    short = join_game(second, pin, "A")
    assert short.status_code == 400
    assert "at least 2" in short.get_data(as_text=True)
    long = join_game(second, pin, "x" * 21)
    assert "at most 20" in long.get_data(as_text=True)
    assert join_game(second, pin, "Anya B").status_code == 302


def test_a_wrong_pin_is_refused_with_a_reason(app: Flask) -> None:
    client = app.test_client()
    response = join_game(client, "999999", "Nobody")
    if response.status_code == 302:  # the PIN happens to be in play in this session
        return
    assert response.status_code == 400
    assert "No game with that PIN" in response.get_data(as_text=True)
    assert "six digits" in join_game(client, "12ab56", "Nobody").get_data(as_text=True)


def test_the_teacher_removes_a_player_and_frees_the_nickname(app: Flask, lobby: dict) -> None:
    teacher, pin = lobby["teacher"], lobby["pin"]
    rude = app.test_client()
    join_game(rude, pin, "Rude Name")
    host = teacher.get(f"/live/{pin}/host").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', host).group(1)
    removed = post_form(teacher, f"/live/{pin}/host", f"/live/{pin}/remove", token=token)
    assert removed.status_code == 302
    page = teacher.get(f"/live/{pin}/host").get_data(as_text=True)
    assert "Rude Name was removed from the game." in page
    assert 'Remove <span class="visually-hidden">Rude Name<' not in page
    assert rude.get(f"/live/{pin}/play").headers["Location"] == f"/live/?pin={pin}"
    assert join_game(app.test_client(), pin, "Rude Name").status_code == 302


def test_a_phone_that_drops_off_rejoins_its_seat_with_its_score(
    app: Flask, lobby: dict, pinned_clock: TestClock
) -> None:
    teacher, pin, ids = lobby["teacher"], lobby["pin"], lobby["ids"]
    phone = app.test_client()
    join_game(phone, pin, "Dropper")
    act(teacher, pin, "start")
    answer(phone, pin, 0, answer_fields(app, ids[0], True))
    act(teacher, pin, "reveal")
    score = _score(_play_page(phone, pin))
    assert score > 0
    cookie = phone.get_cookie(f"live_{pin}", path="/live/")
    assert cookie is not None
    # The same phone, its page closed and opened again (a new connection, the same cookie).
    again = app.test_client()
    again.set_cookie(f"live_{pin}", cookie.value, path="/live/")
    assert _score(_play_page(again, pin)) == score
    # The game has started: a stranger cannot take a seat now.
    late = join_game(app.test_client(), pin, "Too Late")
    assert "already started" in late.get_data(as_text=True)


def test_a_signed_in_player_keeps_one_seat_across_devices(app: Flask, lobby: dict) -> None:
    member, pin = lobby["member"], lobby["pin"]
    join_game(member, pin, "Me Myself")
    other_device = app.test_client()
    from helpers.web import login

    login(other_device, lobby["member_name"])
    page = _play_page(other_device, pin)
    assert "Me Myself" in page
    host = lobby["teacher"].get(f"/live/{pin}/host").get_data(as_text=True)
    assert "Players (<span data-player-count>1<" in host


def test_a_teacher_who_reloads_keeps_control_and_nobody_else_has_it(
    app: Flask, lobby: dict
) -> None:
    teacher, pin = lobby["teacher"], lobby["pin"]
    assert teacher.get(f"/live/{pin}/host").status_code == 200
    assert teacher.get(f"/live/{pin}/host").status_code == 200
    other = app.test_client()
    make_teacher(app, other)
    assert other.get(f"/live/{pin}/host").status_code == 404
    assert lobby["member"].get(f"/live/{pin}/host").status_code == 403
    assert act(other, pin, "start").status_code == 404


def test_the_event_stream_says_the_games_version_and_ends_under_test(lobby: dict) -> None:
    teacher, pin = lobby["teacher"], lobby["pin"]
    response = teacher.get(f"/live/{pin}/events")
    assert response.mimetype == "text/event-stream"
    body = response.get_data(as_text=True)
    assert body.startswith("retry: 1000\nevent: hello\ndata: ")
    assert '"v": 1' in body
    assert '"phase": "lobby"' in body
    gone = teacher.get("/live/12345x/events").get_data(as_text=True)
    assert '"gone": true' in gone


def test_events_reach_a_listening_stream_in_this_process(app: Flask, lobby: dict) -> None:
    pin = lobby["pin"]
    with app.app_context():
        store = app.extensions["live_store"]
        inbox = store.listen(pin)
        try:
            act(lobby["teacher"], pin, "start")
            event = inbox.get(timeout=2)
        finally:
            store.hub.unregister(pin, inbox)
    assert '"kind": "phase"' in event
    assert '"phase": "question"' in event


def test_team_mode_deals_teams_and_scores_them(app: Flask, pinned_clock: TestClock) -> None:
    teacher = app.test_client()
    make_teacher(app, teacher)
    set_id, ids = mixed_set(teacher, app, "Team mix")
    pin = host_game(teacher, set_id, team_mode="y")
    players = [app.test_client() for _ in range(4)]
    for n, player in enumerate(players):
        join_game(player, pin, f"Player {n}")
    act(teacher, pin, "start")
    for player in players[:2]:
        answer(player, pin, 0, answer_fields(app, ids[0], True))
    act(teacher, pin, "reveal")
    act(teacher, pin, "leaderboard")
    board = teacher.get(f"/live/{pin}/host").get_data(as_text=True)
    assert "<h2>Teams</h2>" in board
    teams = re.findall(r"team (Aurora|Smolny)", "".join(_play_page(p, pin) for p in players))
    assert sorted(teams) == ["Aurora", "Aurora", "Smolny", "Smolny"]


def test_a_players_stream_hears_phases_and_its_own_removal_but_not_every_answer() -> None:
    store = MemoryStore()
    host, anya, boris = (
        store.listen("123456"),
        store.listen("123456", "a"),
        store.listen("123456", "b"),
    )
    for event in (
        {"kind": "answer", "v": 2, "count": 1},
        {"kind": "roster", "v": 2, "kicked": "a"},
        {"kind": "phase", "v": 3, "phase": "reveal"},
    ):
        store.publish("123456", event)
    heard = {
        name: [json.loads(inbox.get_nowait())["kind"] for _ in range(inbox.qsize())]
        for name, inbox in (("host", host), ("anya", anya), ("boris", boris))
    }
    assert heard == {
        "host": ["answer", "roster", "phase"],
        "anya": ["roster", "phase"],
        "boris": ["phase"],
    }


def test_without_javascript_waiting_pages_reload_themselves_and_the_form_does_not(
    app: Flask, lobby: dict
) -> None:
    teacher, member, pin = lobby["teacher"], lobby["member"], lobby["pin"]
    join_game(member, pin, "No Script")
    refresh = '<noscript><meta http-equiv="refresh" content="3"></noscript>'
    assert refresh in _play_page(member, pin)
    act(teacher, pin, "start")
    question = _play_page(member, pin)
    assert 'name="index" value="0"' in question
    assert "http-equiv" not in question  # a reload would lose what is being typed
