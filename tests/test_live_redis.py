"""Live games on Redis, across two app instances sharing it (as gunicorn's workers do).

Needs the local Redis on 127.0.0.1:6379 (``REDIS_URL`` overrides it). Where it is
down these tests are skipped with that reason, except under CI (``CI`` set), where
they fail instead. Each test keeps its keys under a prefix of its own and deletes
them after.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.live import act, answer, answer_fields, host_game, join_game, mixed_set
from helpers.teaching import make_teacher

from quizapp.live.store import RedisStore

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        reason = f"Redis is not answering at {REDIS_URL} ({error}); start it: redis-server"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}. CI must run the live tests on Redis")
        pytest.skip(reason)
    return REDIS_URL


@pytest.fixture
def two_apps(redis_url: str, app_factory: Callable[..., Flask]) -> Iterator[tuple[Flask, Flask]]:
    """Two instances of the app on one database and one Redis, under a fresh key prefix."""
    prefix = f"quizapp-test-{uuid.uuid4().hex[:10]}:"
    first = app_factory(REDIS_URL=redis_url, LIVE_KEY_PREFIX=prefix)
    second = app_factory(REDIS_URL=redis_url, LIVE_KEY_PREFIX=prefix, AUTO_SETUP=False)
    yield first, second
    with first.app_context():
        from quizapp.live import service

        store = service.store()
        assert isinstance(store, RedisStore)
        store.forget_all()
        assert list(store.redis.scan_iter(match=prefix + "*")) == []
    for instance in (first, second):
        found = instance.extensions.get("live_store")
        if isinstance(found, RedisStore):
            found.close()


def _score(client: FlaskClient, pin: str) -> str:
    page = client.get(f"/live/{pin}/play").get_data(as_text=True)
    return page.split("data-score>")[1].split(" points")[0]


def test_a_game_hosted_on_one_instance_is_played_on_the_other(
    two_apps: tuple[Flask, Flask],
) -> None:
    first, second = two_apps
    teacher = first.test_client()
    make_teacher(first, teacher)
    set_id, ids = mixed_set(teacher, first)
    pin = host_game(teacher, set_id)
    page = teacher.get(f"/live/{pin}/host").get_data(as_text=True)
    assert "Live games need Redis" not in page

    phone = second.test_client()
    assert join_game(phone, pin, "Across").status_code == 302
    assert "Across" in teacher.get(f"/live/{pin}/host").get_data(as_text=True)
    act(teacher, pin, "start")
    answer(phone, pin, 0, answer_fields(first, ids[0], True))
    # The same phone's cookie on the other instance: a second answer is refused there too.
    cookie = phone.get_cookie(f"live_{pin}", path="/live/")
    same_phone = first.test_client()
    same_phone.set_cookie(f"live_{pin}", cookie.value, path="/live/")
    answer(same_phone, pin, 0, answer_fields(first, ids[0], False))
    act(teacher, pin, "reveal")
    assert "Right!" in same_phone.get(f"/live/{pin}/play").get_data(as_text=True)
    assert int(_score(phone, pin)) > 900
    assert _score(phone, pin) == _score(same_phone, pin)


def test_one_nickname_is_taken_once_whichever_instance_is_asked(
    two_apps: tuple[Flask, Flask],
) -> None:
    first, second = two_apps
    teacher = first.test_client()
    make_teacher(first, teacher)
    set_id, _ = mixed_set(teacher, first)
    pin = host_game(teacher, set_id)
    assert join_game(first.test_client(), pin, "Anya").status_code == 302
    refused = join_game(second.test_client(), pin, "ANYA")
    assert refused.status_code == 400
    assert "already has that nickname" in refused.get_data(as_text=True)


def test_an_event_on_one_instance_reaches_a_stream_on_the_other(
    two_apps: tuple[Flask, Flask],
) -> None:
    first, second = two_apps
    teacher = first.test_client()
    make_teacher(first, teacher)
    set_id, _ = mixed_set(teacher, first)
    pin = host_game(teacher, set_id)
    join_game(second.test_client(), pin, "Listener")
    with second.app_context():
        from quizapp.live import service

        store = service.store()
        inbox = store.listen(pin)
    try:
        act(teacher, pin, "start")
        event = inbox.get(timeout=5)
    finally:
        store.hub.unregister(pin, inbox)
    assert '"phase": "question"' in event
