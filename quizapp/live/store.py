"""Where a live game's state lives while it is played, and how its events travel.

With ``REDIS_URL`` set, the state is in Redis and events go through Redis pub/sub, so
every gunicorn worker and every app instance sees the same game. Without it, a
single-process store in memory serves one ``flask run`` (the pages say so).

Every write that two requests could race on is a single atomic step: a player's
join takes the nickname with ``HSETNX``, an answer is kept with ``HSETNX`` (so a
second answer, from another worker even, is refused), and scores are worked out
from the answers rather than kept as totals.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any, Protocol

from quizapp.core.streams import HeldStreams, HoldLimits, sse

#: A game is forgotten this long after its last change (its results are in the database).
TTL_SECONDS = 6 * 3600
_EVENTS = "events"


#: Who a stream is for: the host hears everything; a player hears the changes of phase
#: and their own removal (not every answer and every join, which only the host shows).
Audience = str | None  # None: the host; else the player's token


def _wanted(audience: Audience, event: dict[str, Any]) -> bool:
    if audience is None:
        return True
    return event.get("kind") == "phase" or event.get("kicked") == audience


class Hub:
    """This process's listeners, by game: each open event stream has a queue here. An
    event is read once and handed only to the streams it is for."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[str, dict[queue.SimpleQueue[str], Audience]] = {}

    def register(self, pin: str, audience: Audience = None) -> queue.SimpleQueue[str]:
        inbox: queue.SimpleQueue[str] = queue.SimpleQueue()
        with self._lock:
            self._listeners.setdefault(pin, {})[inbox] = audience
        return inbox

    def unregister(self, pin: str, inbox: queue.SimpleQueue[str]) -> None:
        with self._lock:
            listeners = self._listeners.get(pin, {})
            listeners.pop(inbox, None)
            if not listeners:
                self._listeners.pop(pin, None)

    def dispatch(self, pin: str, message: str) -> None:
        with self._lock:
            inboxes = list(self._listeners.get(pin, {}).items())
        if not inboxes:
            return
        event = json.loads(message)
        for inbox, audience in inboxes:
            if _wanted(audience, event):
                inbox.put(message)

    def listening(self, pin: str) -> int:
        with self._lock:
            return len(self._listeners.get(pin, ()))


class LiveStore(Protocol):
    """What the live area needs of a store; ``MemoryStore`` and ``RedisStore`` agree."""

    shared: bool
    hub: Hub

    def create(self, pin: str, meta: dict[str, Any]) -> bool: ...
    def get(self, pin: str) -> dict[str, Any] | None: ...
    def put(self, pin: str, meta: dict[str, Any]) -> None: ...
    def join(self, pin: str, token: str, player: dict[str, Any], key: str) -> bool: ...
    def players(self, pin: str) -> dict[str, dict[str, Any]]: ...
    def player(self, pin: str, token: str) -> dict[str, Any] | None: ...
    def player_count(self, pin: str) -> int: ...
    def user_token(self, pin: str, user_id: int) -> str | None: ...
    def remove(self, pin: str, token: str, key: str) -> None: ...
    def token_of_user(self, pin: str, user_id: int, token: str) -> str: ...
    def answer(self, pin: str, index: int, token: str, answer: dict[str, Any]) -> bool: ...
    def answers(self, pin: str, index: int) -> dict[str, dict[str, Any]]: ...
    def answer_of(self, pin: str, index: int, token: str) -> dict[str, Any] | None: ...
    def answer_count(self, pin: str, index: int) -> int: ...
    def publish(self, pin: str, event: dict[str, Any]) -> None: ...
    def listen(self, pin: str, audience: Audience = None) -> queue.SimpleQueue[str]: ...


class MemoryStore:
    """One process's games, in dictionaries under a lock (for a single ``flask run``)."""

    shared = False

    def __init__(self) -> None:
        self.hub = Hub()
        self._lock = threading.Lock()
        self._meta: dict[str, str] = {}
        self._players: dict[str, dict[str, str]] = {}
        self._nicks: dict[str, dict[str, str]] = {}
        self._users: dict[str, dict[int, str]] = {}
        self._answers: dict[tuple[str, int], dict[str, str]] = {}

    def create(self, pin: str, meta: dict[str, Any]) -> bool:
        with self._lock:
            if pin in self._meta:
                return False
            self._meta[pin] = json.dumps(meta)
            return True

    def get(self, pin: str) -> dict[str, Any] | None:
        with self._lock:
            raw = self._meta.get(pin)
        return json.loads(raw) if raw is not None else None

    def put(self, pin: str, meta: dict[str, Any]) -> None:
        with self._lock:
            self._meta[pin] = json.dumps(meta)

    def join(self, pin: str, token: str, player: dict[str, Any], key: str) -> bool:
        with self._lock:
            nicks = self._nicks.setdefault(pin, {})
            if key in nicks and nicks[key] != token:
                return False
            old = json.loads(self._players.get(pin, {}).get(token, "null") or "null")
            if old is not None and old.get("key") != key:
                nicks.pop(old["key"], None)
            nicks[key] = token
            self._players.setdefault(pin, {})[token] = json.dumps({**player, "key": key})
            return True

    def players(self, pin: str) -> dict[str, dict[str, Any]]:
        with self._lock:
            found = dict(self._players.get(pin, {}))
        return {token: json.loads(raw) for token, raw in found.items()}

    def player(self, pin: str, token: str) -> dict[str, Any] | None:
        with self._lock:
            raw = self._players.get(pin, {}).get(token)
        return json.loads(raw) if raw is not None else None

    def player_count(self, pin: str) -> int:
        with self._lock:
            return len(self._players.get(pin, {}))

    def user_token(self, pin: str, user_id: int) -> str | None:
        with self._lock:
            return self._users.get(pin, {}).get(user_id)

    def remove(self, pin: str, token: str, key: str) -> None:
        with self._lock:
            self._players.get(pin, {}).pop(token, None)
            if self._nicks.get(pin, {}).get(key) == token:
                self._nicks[pin].pop(key, None)

    def token_of_user(self, pin: str, user_id: int, token: str) -> str:
        with self._lock:
            return self._users.setdefault(pin, {}).setdefault(user_id, token)

    def answer(self, pin: str, index: int, token: str, answer: dict[str, Any]) -> bool:
        with self._lock:
            given = self._answers.setdefault((pin, index), {})
            if token in given:
                return False
            given[token] = json.dumps(answer)
            return True

    def answers(self, pin: str, index: int) -> dict[str, dict[str, Any]]:
        with self._lock:
            found = dict(self._answers.get((pin, index), {}))
        return {token: json.loads(raw) for token, raw in found.items()}

    def answer_count(self, pin: str, index: int) -> int:
        with self._lock:
            return len(self._answers.get((pin, index), {}))

    def answer_of(self, pin: str, index: int, token: str) -> dict[str, Any] | None:
        with self._lock:
            raw = self._answers.get((pin, index), {}).get(token)
        return json.loads(raw) if raw is not None else None

    def publish(self, pin: str, event: dict[str, Any]) -> None:
        self.hub.dispatch(pin, json.dumps(event))

    def listen(self, pin: str, audience: Audience = None) -> queue.SimpleQueue[str]:
        return self.hub.register(pin, audience)


class RedisStore:
    """Games in Redis under ``prefix``; events on one pub/sub channel, which a thread
    in each process reads and hands to that process's open streams."""

    shared = True

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        # A request waits for a free connection rather than failing when every one is
        # busy (each worker has as many threads as open event streams, and more).
        pool = redis.BlockingConnectionPool.from_url(
            url, max_connections=64, timeout=10, decode_responses=True, health_check_interval=30
        )
        self.redis = redis.Redis(connection_pool=pool)
        self.prefix = prefix
        self.hub = Hub()
        self._reader: threading.Thread | None = None
        self._reader_lock = threading.Lock()
        self._subscribed = threading.Event()
        self._closing = threading.Event()

    def _key(self, pin: str, part: str) -> str:
        return f"{self.prefix}{pin}:{part}"

    def _touch(self, pipe: Any, *keys: str) -> None:
        for key in keys:
            pipe.expire(key, TTL_SECONDS)

    def create(self, pin: str, meta: dict[str, Any]) -> bool:
        return bool(
            self.redis.set(self._key(pin, "meta"), json.dumps(meta), nx=True, ex=TTL_SECONDS)
        )

    def get(self, pin: str) -> dict[str, Any] | None:
        raw = self.redis.get(self._key(pin, "meta"))
        return json.loads(raw) if raw is not None else None

    def put(self, pin: str, meta: dict[str, Any]) -> None:
        self.redis.set(self._key(pin, "meta"), json.dumps(meta), ex=TTL_SECONDS)

    def join(self, pin: str, token: str, player: dict[str, Any], key: str) -> bool:
        nicks, players = self._key(pin, "nicks"), self._key(pin, "players")
        if not self.redis.hsetnx(nicks, key, token) and self.redis.hget(nicks, key) != token:
            return False
        old = self.redis.hget(players, token)
        pipe = self.redis.pipeline()
        if old is not None and json.loads(old).get("key") != key:
            pipe.hdel(nicks, json.loads(old)["key"])
        pipe.hset(players, token, json.dumps({**player, "key": key}))
        self._touch(pipe, nicks, players)
        pipe.execute()
        return True

    def players(self, pin: str) -> dict[str, dict[str, Any]]:
        found = self.redis.hgetall(self._key(pin, "players"))
        return {token: json.loads(raw) for token, raw in found.items()}

    def player(self, pin: str, token: str) -> dict[str, Any] | None:
        raw = self.redis.hget(self._key(pin, "players"), token)
        return json.loads(raw) if raw is not None else None

    def player_count(self, pin: str) -> int:
        return int(self.redis.hlen(self._key(pin, "players")))

    def user_token(self, pin: str, user_id: int) -> str | None:
        found = self.redis.hget(self._key(pin, "users"), str(user_id))
        return str(found) if found is not None else None

    def remove(self, pin: str, token: str, key: str) -> None:
        pipe = self.redis.pipeline()
        pipe.hdel(self._key(pin, "players"), token)
        pipe.execute()
        nicks = self._key(pin, "nicks")
        if self.redis.hget(nicks, key) == token:
            self.redis.hdel(nicks, key)

    def token_of_user(self, pin: str, user_id: int, token: str) -> str:
        users = self._key(pin, "users")
        self.redis.hsetnx(users, str(user_id), token)
        self.redis.expire(users, TTL_SECONDS)
        return str(self.redis.hget(users, str(user_id)))

    def answer(self, pin: str, index: int, token: str, answer: dict[str, Any]) -> bool:
        key = self._key(pin, f"answers:{index}")
        kept = bool(self.redis.hsetnx(key, token, json.dumps(answer)))
        if kept:
            self.redis.expire(key, TTL_SECONDS)
        return kept

    def answers(self, pin: str, index: int) -> dict[str, dict[str, Any]]:
        found = self.redis.hgetall(self._key(pin, f"answers:{index}"))
        return {token: json.loads(raw) for token, raw in found.items()}

    def answer_count(self, pin: str, index: int) -> int:
        return int(self.redis.hlen(self._key(pin, f"answers:{index}")))

    def answer_of(self, pin: str, index: int, token: str) -> dict[str, Any] | None:
        raw = self.redis.hget(self._key(pin, f"answers:{index}"), token)
        return json.loads(raw) if raw is not None else None

    def publish(self, pin: str, event: dict[str, Any]) -> None:
        self.redis.publish(self.prefix + _EVENTS, f"{pin} {json.dumps(event)}")

    def listen(self, pin: str, audience: Audience = None) -> queue.SimpleQueue[str]:
        inbox = self.hub.register(pin, audience)
        self._ensure_reader()
        return inbox

    def _ensure_reader(self) -> None:
        with self._reader_lock:
            if self._reader is None or not self._reader.is_alive():
                self._subscribed.clear()
                self._reader = threading.Thread(
                    target=self._read_events, name="live-events", daemon=True
                )
                self._reader.start()
        self._subscribed.wait(timeout=5)

    def _read_events(self) -> None:
        """Hand every event published by any worker to this process's streams; on a lost
        connection, subscribe again after a pause (streams reload the state when they
        reconnect, so an event missed meanwhile costs nothing)."""
        while not self._closing.is_set():
            try:
                pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.prefix + _EVENTS)
                self._subscribed.set()
                while not self._closing.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is None or message.get("type") != "message":
                        continue
                    pin, _, event = str(message["data"]).partition(" ")
                    self.hub.dispatch(pin, event)
                pubsub.close()
            except Exception:  # a dropped connection: try again shortly
                time.sleep(0.5)

    def close(self) -> None:
        """Stop reading events and let go of the connections."""
        self._closing.set()
        if self._reader is not None:
            self._reader.join(timeout=3)
        self.redis.close()

    def forget_all(self) -> int:
        """Delete every key under the prefix (tests use a prefix of their own)."""
        keys = list(self.redis.scan_iter(match=self.prefix + "*", count=500))
        if keys:
            self.redis.delete(*keys)
        return len(keys)


#: How soon (ms) a browser asks again after a held stream ends: at once, near enough.
HELD_RETRY_MS = 500
#: What a stream of a game that is not there says, the same for an unknown PIN, a game
#: that has ended and a game the asker has no seat in (so PINs cannot be told apart).
GONE = sse({"v": 0, "gone": True}, event="hello", retry=5000)


def held_stream(
    store: LiveStore,
    holds: HeldStreams,
    limits: HoldLimits,
    pin: str,
    client: str,
    audience: Audience,
    hello: dict[str, Any],
    hold_seconds: float,
    poll_ms: int,
) -> Iterator[str]:
    """The stream of a browser caught up with its game: held open until the game's next
    event for ``audience`` (or ``hold_seconds``), which it delivers and ends; with no
    room to hold it, the state now and a ``retry`` of ``poll_ms``. The slot is taken as
    the body starts, so a body never started holds nothing, and given back however the
    stream ends."""
    version = hello["v"]
    if not holds.take(pin, client, limits):
        yield sse(hello, event="hello", version=version, retry=poll_ms)
        return
    inbox: queue.SimpleQueue[str] | None = None
    try:
        inbox = store.listen(pin, audience)
        now = store.get(pin)  # a change just before we listened is not lost
        if now is None or now["version"] != version:
            moved = {"v": now["version"], "phase": now["phase"]} if now else {"v": 0}
            yield sse(moved, event="hello", version=moved["v"], retry=HELD_RETRY_MS)
            return
        yield sse(hello, event="hello", version=version, retry=HELD_RETRY_MS)
        try:
            message = inbox.get(timeout=hold_seconds)
        except queue.Empty:
            return
        yield sse(message, version=int(json.loads(message).get("v", version)))
    finally:
        if inbox is not None:
            store.hub.unregister(pin, inbox)
        holds.release(pin, client)
