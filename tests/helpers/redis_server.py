"""The local Redis for tests that need one: its URL, or the test is skipped (failed under
CI, which must run them), and keys of a test's own prefix removed after it."""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_url_or_skip() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        reason = f"Redis is not answering at {REDIS_URL} ({error}); start it: redis-server"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}. CI must run the tests on Redis")
        pytest.skip(reason)
    return REDIS_URL


def forget_keys_with(fragment: str) -> None:
    """Delete every key whose name holds ``fragment`` (a test's own prefix)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"*{fragment}*"):
        client.delete(key)
    client.close()
