"""Counting guesses, for each app on its own: in Redis when ``REDIS_URL`` is set (so every
worker and instance counts together), else in this process's memory.

The counters are the ``limits`` library's moving windows (Flask-Limiter's own engine):
"5/minute" means at most five in any sixty seconds, and a hit is atomic in memory and in
Redis, so requests racing each other cannot all slip under a limit. Flask-Limiter's route
decorators are not used: the keys here (a username from the form, a device cookie) are
known only inside the view, and its module-wide Limiter would share one storage among
every app a process makes. The rules themselves are in ``quizapp.core.throttling``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from quizapp.core.throttling import RULES, Rule, wait_phrase


@dataclass(frozen=True)
class Refusal:
    """A try refused: how many seconds until the limit it hit lets one through again."""

    retry_after: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}

    @property
    def wait(self) -> str:
        return wait_phrase(self.retry_after)


class Throttle:
    """The counters of one app, and its rules' limits (``THROTTLE_LIMITS`` may override
    a rule's, by its name: benches and tests use it)."""

    def __init__(self, storage_uri: str, prefix: str, overrides: Mapping[str, str]) -> None:
        self.storage = storage_from_string(storage_uri, wrap_exceptions=True, **_pool(storage_uri))
        self.counter = MovingWindowRateLimiter(self.storage)
        self.prefix = prefix
        self.limits: dict[str, tuple[RateLimitItem, ...]] = {
            rule.name: tuple(parse_many(overrides.get(rule.name, rule.limits))) for rule in RULES
        }

    def spend(self, rule: Rule, key: str) -> Refusal | None:
        """Count one try now, before it is judged, and refuse it past any limit.

        A refused try is not counted, so waiting out the shortest limit is enough."""
        try:
            for item in self.limits[rule.name]:
                if not self.counter.hit(item, self.prefix, rule.name, key):
                    return self._refusal(item, rule, key)
        except StorageError as error:
            return self._unavailable(error)
        return None

    def refused(self, rule: Rule, key: str) -> Refusal | None:
        """Whether a try would be refused now, counting nothing: for rules that count
        only wrong tries (``spend`` them once a try proved wrong)."""
        try:
            for item in self.limits[rule.name]:
                if not self.counter.test(item, self.prefix, rule.name, key):
                    return self._refusal(item, rule, key)
        except StorageError as error:
            return self._unavailable(error)
        return None

    def forget(self, rule: Rule, key: str) -> None:
        for item in self.limits[rule.name]:
            self.counter.clear(item, self.prefix, rule.name, key)

    def reset(self) -> None:
        """Forget every count in this storage (tests start each from nothing; on a shared
        Redis it would forget every app's)."""
        self.storage.reset()

    def _refusal(self, item: RateLimitItem, rule: Rule, key: str) -> Refusal:
        reset_at, _ = self.counter.get_window_stats(item, self.prefix, rule.name, key)
        return Refusal(max(1, math.ceil(reset_at - time.time())))

    @staticmethod
    def _unavailable(error: StorageError) -> None:
        """Redis down: the try goes on uncounted rather than locking everyone out."""
        current_app.logger.warning("throttle storage unavailable: %s", error)


def _pool(storage_uri: str) -> dict[str, object]:
    """For Redis, a pool that makes a request wait its turn for a connection, as the live
    store's does: redis-py's default pool raises past 100 connections, and a worker
    with more threads than that would then count nothing."""
    if not storage_uri.startswith(("redis://", "rediss://")):
        return {}
    import redis

    pool = redis.BlockingConnectionPool.from_url(storage_uri, max_connections=64, timeout=10)
    return {"connection_pool": pool}


def install(app: Flask) -> None:
    storage = app.config["THROTTLE_STORAGE_URI"] or app.config["REDIS_URL"] or "memory://"
    app.extensions["throttle"] = Throttle(
        storage,
        app.config["THROTTLE_KEY_PREFIX"],
        app.config.get("THROTTLE_LIMITS") or {},
    )


def throttle() -> Throttle:
    throttle: Throttle = current_app.extensions["throttle"]
    return throttle


def client_address() -> str:
    """The client's address: the peer's, or behind ``TRUSTED_PROXIES`` the one they
    forwarded (werkzeug's ProxyFix has already put it here)."""
    return request.remote_addr or "unknown"
