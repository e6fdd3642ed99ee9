"""Throttling guesses (issue 22, findings 2 and 6): sign-ins, live-game PINs, class join
codes and checks of the current password.

Each test comes from addresses of its own, and the session's app forgets every count
after each test (conftest), so no test sees another's. Nothing here waits for a window
to pass: expiry is the ``limits`` library's own, and tested there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers.live import host_game, join_game, mixed_set
from helpers.teaching import create_class, join, join_code, make_teacher, post_form
from helpers.web import PASSWORD, csrf_token, login, logout, register, unique_name

from quizapp.models import User

WRONG = "wrong password"


def client_at(app: Flask, address: str) -> FlaskClient:
    """A client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def account(app: Flask, address: str = "192.0.2.200") -> str:
    """A student's username, signed up on a browser of its own, then signed out."""
    owner = client_at(app, address)
    username = register(owner)
    logout(owner)
    return username


# ---------------------------------------------------------------- sign-in


def test_a_guessed_username_is_paused_with_a_clear_page(app: Flask) -> None:
    username = account(app)
    guesser = client_at(app, "198.51.100.1")
    for _ in range(5):
        assert login(guesser, username, WRONG).status_code == 200
    refused = login(guesser, username)  # even the right password, from this browser
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many sign-in attempts. Wait 1 minute, then try again." in page
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert f'value="{username}"' in page  # the form is kept


def test_guesses_at_one_username_are_counted_across_addresses(app: Flask) -> None:
    username = account(app)
    for n in range(5):
        login(client_at(app, f"198.51.100.{10 + n}"), username, WRONG)
    assert login(client_at(app, "198.51.100.20"), username, WRONG).status_code == 429


def test_a_student_behind_an_address_that_50_failed_sign_ins_came_from_still_signs_in(
    app: Flask,
) -> None:
    school = "203.0.113.50"
    username = account(app, "192.0.2.50")
    for _ in range(50):
        login(client_at(app, school), unique_name("nobody"), WRONG)
    # A classmate's computer, which has never signed in to this account.
    response = login(client_at(app, school), username)
    assert response.status_code == 302


def test_50_failures_at_a_username_do_not_lock_its_owner_out_of_their_own_browser(
    app: Flask,
) -> None:
    school = "203.0.113.51"
    owner = client_at(app, school)
    username = register(owner)  # this browser now holds a device cookie for the account
    logout(owner)
    for n in range(50):
        login(client_at(app, school if n % 2 else f"198.51.100.{n}"), username, WRONG)
    assert login(client_at(app, school), username).status_code == 429  # any other browser
    response = login(owner, username)
    assert response.status_code == 302
    assert owner.get("/study/").status_code == 200


def test_a_forged_device_cookie_counts_as_none(app: Flask) -> None:
    username = account(app)
    guesser = client_at(app, "198.51.100.30")
    guesser.set_cookie("device", "forged.value.here")
    for _ in range(5):
        login(guesser, username, WRONG)
    assert login(guesser, username).status_code == 429


def test_one_address_spraying_many_accounts_is_throttled(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory(THROTTLE_LIMITS={"sign-in:address": "3/15 minutes"})
    sprayer = client_at(app, "203.0.113.5")
    for _ in range(3):
        assert login(sprayer, unique_name("nobody"), WRONG).status_code == 200
    assert login(sprayer, unique_name("nobody"), WRONG).status_code == 429


def test_40_concurrent_wrong_passwords_get_exactly_the_limit_checked(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    username = account(app)
    checked = []
    check = User.check_password

    def counted_check(user: User, password: str) -> bool:
        checked.append(password)
        return check(user, password)

    monkeypatch.setattr(User, "check_password", counted_check)
    guessers = [client_at(app, "198.51.100.100") for _ in range(40)]
    tokens = [csrf_token(g.get("/login").get_data(as_text=True)) for g in guessers]
    start = threading.Barrier(40)

    def guess(pair: tuple[FlaskClient, str]) -> int:
        guesser, token = pair
        start.wait()
        form = {"csrf_token": token, "username": username, "password": WRONG}
        return guesser.post("/login", data=form).status_code

    with ThreadPoolExecutor(40) as pool:
        statuses = list(pool.map(guess, zip(guessers, tokens, strict=True)))
    assert sorted(statuses) == [200] * 5 + [429] * 35
    assert len(checked) == 5


def test_with_its_redis_down_sign_in_goes_on_uncounted(
    app_factory: Callable[..., Flask],
) -> None:
    """No 500 and nobody locked out: the try is let through, and a warning logged."""
    from helpers.server import free_port

    app = app_factory(THROTTLE_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0")
    username = account(app)
    guesser = client_at(app, "198.51.100.50")
    for _ in range(6):
        assert login(guesser, username, WRONG).status_code == 200
    assert login(guesser, username).status_code == 302


def sign_in_from(client: FlaskClient, username: str, password: str, forwarded_for: str) -> int:
    """Sign in with an X-Forwarded-For header, as a proxy (or a forger) would send."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        headers={"X-Forwarded-For": forwarded_for},
        data={"csrf_token": token, "username": username, "password": password},
    ).status_code


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(
    app_factory: Callable[..., Flask],
) -> None:
    limits = {"sign-in:address": "3/15 minutes"}
    direct = app_factory(THROTTLE_LIMITS=limits).test_client()
    for n in range(3):  # a client cannot dodge the address's limit by forging the header
        sign_in_from(direct, unique_name("nobody"), WRONG, f"198.51.100.{n}")
    assert sign_in_from(direct, unique_name("nobody"), WRONG, "198.51.100.99") == 429
    behind_proxy = app_factory(THROTTLE_LIMITS=limits, TRUSTED_PROXIES=1).test_client()
    for _ in range(3):
        sign_in_from(behind_proxy, unique_name("nobody"), WRONG, "198.51.100.1")
    assert sign_in_from(behind_proxy, unique_name("nobody"), WRONG, "198.51.100.1") == 429
    assert sign_in_from(behind_proxy, unique_name("nobody"), WRONG, "198.51.100.2") == 200


# ---------------------------------------------------------------- live-game PINs


@pytest.fixture
def lobby(app: Flask) -> str:
    teacher = client_at(app, "192.0.2.60")
    make_teacher(app, teacher)
    set_id, _ = mixed_set(teacher, app)
    return host_game(teacher, set_id)


def wrong_pin(pin: str, n: int) -> str:
    return str((int(pin) - 100_000 + 7919 * (n + 1)) % 900_000 + 100_000)


def test_wrong_pins_from_one_address_are_refused_after_20(app: Flask, lobby: str) -> None:
    network = "203.0.113.60"
    seated = client_at(app, network)
    assert join_game(seated, lobby, "Early").status_code == 302
    guesser = client_at(app, network)
    for n in range(20):
        assert join_game(guesser, wrong_pin(lobby, n), f"G{n}").status_code == 400
    refused = join_game(guesser, wrong_pin(lobby, 20), "G20")
    assert refused.status_code == 429
    assert "Too many wrong PINs" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert join_game(client_at(app, network), lobby, "Late").status_code == 429  # even right
    assert seated.get(f"/live/{lobby}/play").status_code == 200  # a seated player plays on
    assert join_game(client_at(app, "192.0.2.61"), lobby, "Elsewhere").status_code == 302


def test_a_seated_player_following_the_game_asks_nothing_of_the_counters(
    app: Flask, lobby: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A room of phones polls its game's events every second or two: those requests must
    not each cost a round trip to the counters' Redis (nor fail when it is busy)."""
    seated = client_at(app, "203.0.113.63")
    assert join_game(seated, lobby, "Polling").status_code == 302

    def no_counting(*_args: object) -> bool:
        raise AssertionError("a seated player's request was counted")

    counter = app.extensions["throttle"].counter
    monkeypatch.setattr(counter, "test", no_counting)
    monkeypatch.setattr(counter, "hit", no_counting)
    assert seated.get(f"/live/{lobby}/events").status_code == 200
    assert seated.get(f"/live/{lobby}/play").status_code == 200


def test_pages_of_unknown_pins_count_as_wrong_pins(app: Flask, lobby: str) -> None:
    prober = client_at(app, "203.0.113.61")
    for n in range(20):
        assert prober.get(f"/live/{wrong_pin(lobby, n)}/events").status_code == 200
    assert prober.get(f"/live/{wrong_pin(lobby, 20)}/play").status_code == 429
    assert prober.get(f"/live/{lobby}/play").status_code == 429
    # Elsewhere, a stranger to the game is sent to the join form, as for no game at all.
    assert client_at(app, "192.0.2.62").get(f"/live/{lobby}/play").status_code == 302


# ---------------------------------------------------------------- class join codes


def test_wrong_class_codes_are_refused_after_10_for_one_account(app: Flask) -> None:
    teacher = client_at(app, "192.0.2.70")
    make_teacher(app, teacher)
    code = join_code(teacher, create_class(teacher))
    guesser = client_at(app, "203.0.113.70")
    register(guesser)
    for _ in range(10):
        assert join(guesser, "ZZZZZZZ").status_code == 400
    refused = join(guesser, code)
    assert refused.status_code == 429
    assert "Too many wrong codes" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers
    classmate = client_at(app, "192.0.2.71")
    register(classmate)
    assert join(classmate, code).status_code == 302


def test_wrong_class_codes_are_refused_after_60_from_one_address(app: Flask) -> None:
    teacher = client_at(app, "192.0.2.72")
    make_teacher(app, teacher)
    code = join_code(teacher, create_class(teacher))
    network = "203.0.113.72"
    for _ in range(6):
        guesser = client_at(app, network)
        register(guesser)
        for _ in range(10):
            join(guesser, "ZZZZZZZ")
    newcomer = client_at(app, network)
    register(newcomer)
    assert join(newcomer, code).status_code == 429
    elsewhere = client_at(app, "192.0.2.73")
    register(elsewhere)
    assert join(elsewhere, code).status_code == 302


# ---------------------------------------------------------------- the current password


def change_password(client: FlaskClient, current: str) -> object:
    new = "a new long secret"
    return post_form(client, "/password", current=current, password=new, confirm=new)


def delete_account(client: FlaskClient, password: str) -> object:
    return post_form(client, "/settings/delete", password=password, understand="y")


def test_current_password_checks_are_refused_after_5(app: Flask) -> None:
    thief = app.test_client()  # a session left open on a shared computer
    register(thief)
    for _ in range(3):
        assert change_password(thief, WRONG).status_code == 400
    for _ in range(2):  # deleting the account checks the same password
        assert delete_account(thief, WRONG).status_code == 400
    refused = change_password(thief, PASSWORD)
    assert refused.status_code == 429
    assert "Too many password checks" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers
    assert delete_account(thief, PASSWORD).status_code == 429
    other = app.test_client()
    register(other)
    assert change_password(other, PASSWORD).status_code == 302


class LimitsClock:
    """Stands in for ``time`` in the ``limits`` memory storage and the throttle, so a
    window passes when the test says, not on the wall clock."""

    def __init__(self) -> None:
        self.now = 2_000_000_000.0

    def time(self) -> float:
        return self.now


def test_the_pauses_grow_a_minute_then_an_hour(
    app_factory: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    import limits.storage.memory

    from quizapp.web import throttle

    clock = LimitsClock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(throttle, "time", clock)
    app = app_factory()
    username = account(app)
    guesser = client_at(app, "198.51.100.40")
    waits = []
    for _ in range(4):  # four minutes of five guesses each: 20, the hour's limit
        for _ in range(5):
            assert login(guesser, username, WRONG).status_code == 200
        refused = login(guesser, username, WRONG)
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.now += 61
    assert all(wait <= 60 for wait in waits[:3])
    refused = login(guesser, username, WRONG)  # a minute later: the hour is still full
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3000
    assert "Wait 56 minutes" in refused.get_data(as_text=True)
    clock.now += 3600
    assert login(guesser, username).status_code == 302
