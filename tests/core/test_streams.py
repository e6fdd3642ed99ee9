"""How event streams share a worker's threads: the caps on held streams, the version a
browser says it has, and the events as written."""

from __future__ import annotations

from quizapp.core.streams import HeldStreams, HoldLimits, last_seen, sse

LIMITS = HoldLimits(per_worker=3, per_game=2, per_client=1)


def test_a_stream_is_held_only_while_the_worker_the_game_and_the_client_have_room() -> None:
    holds = HeldStreams()
    assert holds.take("111111", "anya", LIMITS)
    assert not holds.take("111111", "anya", LIMITS)  # one per client
    assert holds.take("111111", "boris", LIMITS)
    assert not holds.take("111111", "clara", LIMITS)  # two per game
    assert holds.take("222222", "anya", LIMITS)  # the same client in another game
    assert not holds.take("333333", "dmitri", LIMITS)  # three in the worker
    assert (holds.held(), holds.held("111111"), holds.held("333333")) == (3, 2, 0)


def test_a_stream_let_go_makes_room_again_and_leaves_no_count_behind() -> None:
    holds = HeldStreams()
    for client in ("anya", "boris"):
        assert holds.take("111111", client, LIMITS)
    holds.release("111111", "anya")
    assert holds.take("111111", "clara", LIMITS)
    for client in ("boris", "clara"):
        holds.release("111111", client)
    assert holds.held() == 0
    assert holds.take("111111", "anya", LIMITS)


def test_the_version_a_browser_has_is_its_last_event_id_else_its_pages() -> None:
    assert last_seen("7", "3") == 7
    assert last_seen(None, "3") == 3
    assert last_seen("", " 4 ") == 4
    assert last_seen(None, None) is None
    assert last_seen("-1", "x") is None
    assert last_seen("9" * 40, None) is None


def test_an_event_carries_its_retry_id_and_name_only_when_given() -> None:
    assert sse({"v": 2}, event="hello", version=2, retry=500) == (
        'retry: 500\nid: 2\nevent: hello\ndata: {"v": 2}\n\n'
    )
    assert sse('{"kind": "phase"}') == 'data: {"kind": "phase"}\n\n'
