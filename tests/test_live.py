"""Live games through the web: hosting, joining, the server's clock, scores, the gradebook.

These run on the single-process store (no ``REDIS_URL``); ``test_live_redis.py`` plays
the same rules on Redis across two app instances.
"""

from __future__ import annotations

import json
import queue
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.clock import TestClock
from helpers.live import act, answer, answer_fields, host_game, join_game, mixed_set, opened_at
from helpers.teaching import create_class, join, join_code, make_teacher, post_form
from helpers.web import csrf_token, register
from sqlalchemy import select

from quizapp.core.streams import HeldStreams, HoldLimits
from quizapp.extensions import db
from quizapp.live.store import MemoryStore, held_stream
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


def _held(app: Flask, pin: str) -> int:
    """How many of the game's event streams this app holds open now."""
    holds = app.extensions.get("live_holds")
    return holds.held(pin) if holds is not None else 0


def _stream(client: FlaskClient, pin: str, seen: int | None = None) -> Iterator[bytes]:
    """An event stream, its body started (and so its first event sent) but not read to
    its end: a held stream waits there for the game's next event."""
    headers = {"Last-Event-ID": str(seen)} if seen is not None else {}
    response = client.get(f"/live/{pin}/events", headers=headers, buffered=False)
    assert response.mimetype == "text/event-stream"
    return iter(response.response)


def _event(chunk: bytes) -> tuple[int, dict]:
    """The ``id`` and the data of one event as sent."""
    text = chunk.decode()
    version = re.search(r"^id: (\d+)$", text, re.M)
    data = re.search(r"^data: (.*)$", text, re.M)
    return int(version.group(1)) if version else 0, json.loads(data.group(1))


@pytest.fixture
def holding(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streams held up to 5 s: a test that reads one to its end by mistake is slow, not stuck."""
    monkeypatch.setitem(app.config, "LIVE_HOLD_SECONDS", 5.0)


def test_a_stream_behind_the_game_is_answered_at_once_with_the_state(
    app: Flask, lobby: dict
) -> None:
    teacher, member, pin = lobby["teacher"], lobby["member"], lobby["pin"]
    join_game(member, pin, "Behind")
    # A first connection that says no version: the state now, with its version as id.
    body = teacher.get(f"/live/{pin}/events").get_data(as_text=True)
    assert body.startswith("retry: ")
    assert "\nid: 1\nevent: hello\ndata: " in body
    assert _event(body.encode())[1] == {"v": 1, "phase": "lobby", "players": 1}
    act(teacher, pin, "start")
    # The page was drawn at version 1 (its ?v=), the game is at 2: answered, not held.
    page = member.get(f"/live/{pin}/events?v=1")
    assert _event(page.get_data()) == (2, {"v": 2, "phase": "question"})
    stream = _stream(member, pin, seen=1)  # Last-Event-ID, sent on a reconnect
    assert _event(next(stream)) == (2, {"v": 2, "phase": "question"})
    assert list(stream) == []
    assert _held(app, pin) == 0


def test_a_stream_caught_up_is_held_for_the_next_event_then_ends(
    app: Flask, lobby: dict, holding: None
) -> None:
    teacher, member, pin = lobby["teacher"], lobby["member"], lobby["pin"]
    join_game(member, pin, "Waiting")
    stream = _stream(member, pin, seen=1)
    first = next(stream)
    assert first.startswith(b"retry: 500\n")  # come back soon after this one ends
    assert _event(first) == (1, {"v": 1, "phase": "lobby"})
    assert _held(app, pin) == 1
    act(teacher, pin, "start")
    version, event = _event(next(stream))
    assert (version, event["kind"], event["phase"]) == (2, "phase", "question")
    assert list(stream) == []  # one event, and the thread is free again
    assert _held(app, pin) == 0


def test_a_held_stream_lets_go_of_its_thread_after_the_hold(
    app: Flask, lobby: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "LIVE_HOLD_SECONDS", 0.05)
    member, pin = lobby["member"], lobby["pin"]
    join_game(member, pin, "Quiet")
    stream = _stream(member, pin, seen=1)
    assert _event(next(stream)) == (1, {"v": 1, "phase": "lobby"})
    assert _held(app, pin) == 1
    assert list(stream) == []  # nothing happened: the stream ends, the browser asks again
    assert _held(app, pin) == 0


def test_past_the_caps_per_seat_and_per_game_a_stream_is_answered_at_once(
    app: Flask, lobby: dict, holding: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "LIVE_HELD_STREAMS_PER_GAME", 3)
    pin = lobby["pin"]
    phones = [app.test_client() for _ in range(3)]
    for n, phone in enumerate(phones):
        join_game(phone, pin, f"Capped {n}")
    one_phone = [_stream(phones[0], pin, seen=1) for _ in range(3)]
    firsts = [next(stream) for stream in one_phone]
    assert _held(app, pin) == 2  # two per seat
    assert list(one_phone[2]) == []  # the third: the state, and come back later
    retry = int(re.match(rb"retry: (\d+)", firsts[2]).group(1))
    assert 1000 <= retry <= 2000
    other = _stream(phones[1], pin, seen=1)
    next(other)
    assert _held(app, pin) == 3  # the game's cap
    last = _stream(phones[2], pin, seen=1)
    assert _event(next(last)) == (1, {"v": 1, "phase": "lobby"})
    assert list(last) == []
    assert _held(app, pin) == 3
    for stream in [*one_phone, other]:
        stream.close()  # the browser went away: the server lets go
    assert _held(app, pin) == 0


def test_unknown_ended_and_other_games_look_alike_to_anyone_without_a_seat(
    app: Flask, lobby: dict
) -> None:
    """Issue 22: an unknown PIN answered "gone" where a real one did not, so the PINs in
    play could be found by trying them."""
    teacher, member, pin = lobby["teacher"], lobby["member"], lobby["pin"]
    join_game(member, pin, "Finisher")
    act(teacher, pin, "finish")
    running = host_game(teacher, mixed_set(teacher, app, "Another live mix")[0])
    unknown = next(p for p in map(str, range(999999, 100000, -1)) if p not in (pin, running))
    signed_in = app.test_client()
    register(signed_in)
    for stranger in (app.test_client(), signed_in):
        answers = {}
        for game in (unknown, pin, running):
            events = stranger.get(f"/live/{game}/events")
            play = stranger.get(f"/live/{game}/play")
            posted = post_form(stranger, "/live/", f"/live/{game}/answer", index="0")
            qr = stranger.get(f"/live/{game}/qr.svg")
            answers[game] = (
                events.status_code,
                events.get_data(),
                play.status_code,
                play.headers["Location"].replace(game, "PIN"),
                posted.status_code,
                posted.headers["Location"].replace(game, "PIN"),
                qr.status_code,
                qr.mimetype,
            )
        assert answers[unknown] == answers[pin] == answers[running]
        assert b'"gone": true' in answers[unknown][1]
    # The player with a seat still sees how the game ended.
    assert "Game over" in _play_page(member, pin)
    assert _event(member.get(f"/live/{pin}/events?v=2").get_data())[1] == {
        "v": 2,
        "phase": "finished",
    }


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


def test_a_stream_whose_store_fails_gives_its_slot_back() -> None:
    class Unreachable(MemoryStore):
        def listen(self, pin: str, audience: str | None = None) -> queue.SimpleQueue[str]:
            raise ConnectionError("Redis went away")

    holds, limits = HeldStreams(), HoldLimits(1, 1, 1)
    hello = {"v": 1, "phase": "lobby"}
    stream = held_stream(Unreachable(), holds, limits, "123456", "a", "a", hello, 5.0, 1000)
    with pytest.raises(ConnectionError):
        next(stream)
    assert holds.held() == 0


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
