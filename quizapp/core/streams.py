"""How a live game's event streams share a worker's threads.

Under gunicorn's threaded workers an open event stream holds a request thread, so a
room of phones (or anyone who opens streams by the dozen) could take every thread and
leave none for the other pages. So a stream is *held* open, waiting for the game's next
event, only while this process has room: a budget per worker, a share of it per game,
and at most a couple per client (one phone, one seat, the host). Any other stream is
answered at once with the game's state and closed; the browser asks again after the
``retry`` it was given, and the ``id`` of each event (the game's version), sent back
as ``Last-Event-ID``, tells whether it missed a change meanwhile.

Clients are never counted by IP address: a whole class shares one school NAT address.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HoldLimits:
    """How many streams may be held at once in this process, in one game, by one client."""

    per_worker: int
    per_game: int
    per_client: int


class HeldStreams:
    """The event streams this process holds open, counted per game and per client."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = 0
        self._games: Counter[str] = Counter()
        self._clients: Counter[tuple[str, str]] = Counter()

    def take(self, game: str, client: str, limits: HoldLimits) -> bool:
        """Count one more held stream if every limit has room; False (nothing counted)
        when one is full, and the stream is then to be answered at once."""
        with self._lock:
            if (
                self._total >= limits.per_worker
                or self._games[game] >= limits.per_game
                or self._clients[game, client] >= limits.per_client
            ):
                return False
            self._total += 1
            self._games[game] += 1
            self._clients[game, client] += 1
            return True

    def release(self, game: str, client: str) -> None:
        with self._lock:
            self._total -= 1
            self._games[game] -= 1
            self._clients[game, client] -= 1
            if self._games[game] <= 0:
                del self._games[game]
            if self._clients[game, client] <= 0:
                del self._clients[game, client]

    def held(self, game: str | None = None) -> int:
        with self._lock:
            return self._total if game is None else self._games[game]


def last_seen(header: str | None, query: str | None) -> int | None:
    """The game version the browser has: its ``Last-Event-ID`` (sent on a reconnect),
    else the ``?v=`` its page put in the URL, else None (it has none)."""
    for text in (header, query):
        text = (text or "").strip()
        if text.isdigit() and len(text) < 10:
            return int(text)
    return None


def sse(data: dict[str, Any] | str, *, event: str = "", version: int = 0, retry: int = 0) -> str:
    """One Server-Sent Event: ``retry`` (ms) and ``version`` (its ``id``) when given."""
    lines = [f"retry: {retry}"] if retry else []
    lines += [f"id: {version}"] if version else []
    lines += [f"event: {event}"] if event else []
    lines.append(f"data: {data if isinstance(data, str) else json.dumps(data)}")
    return "\n".join(lines) + "\n\n"
