"""Configuration from the environment, with safe embedded defaults.

``DATABASE_URL`` picks the database (default: an SQLite file under
``instance/``); ``SECRET_KEY`` signs sessions (default: a random key generated
once into ``instance/secret_key``, so restarts keep users signed in).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shipped_dir(name: str) -> Path:
    """A folder shipped beside the package: in the source tree (a checkout or an editable
    install), else where a wheel puts its data files (``<prefix>/share/quizapp``)."""
    for root in (PROJECT_ROOT, Path(sys.prefix) / "share" / "quizapp"):
        if (root / name).is_dir():
            return root / name
    return PROJECT_ROOT / name


DEFAULT_BANK_DIR = shipped_dir("questions")
MIGRATIONS_DIR = shipped_dir("migrations")


def database_url(instance_path: str) -> str:
    """The SQLAlchemy URL: ``DATABASE_URL`` (normalised to psycopg 3) or the SQLite default."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{Path(instance_path) / 'quizapp.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str) -> str:
    """``SECRET_KEY`` from the environment, or one generated once and kept in instance/."""
    configured = os.environ.get("SECRET_KEY", "").strip()
    if configured:
        return configured
    key_file = Path(instance_path) / "secret_key"
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        key = secrets.token_hex(32)
        handle.write(key)
    return key


def _seconds(text: str | None, default: float) -> float:
    """A non-negative number of seconds from the environment, else ``default``."""
    try:
        value = float(text) if text else default
    except ValueError:
        return default
    return value if 0 <= value < float("inf") else default


def build_config(instance_path: str) -> dict[str, Any]:
    """The app's settings, read from the environment at start-up."""
    https = os.environ.get("QUIZAPP_HTTPS", "0") == "1"
    held = _whole(os.environ.get("QUIZAPP_LIVE_HELD_STREAMS", ""), 8)
    proxies = os.environ.get("QUIZAPP_TRUSTED_PROXIES", "0").strip()
    return {
        # How often (seconds) a worker checks whether another process synced the bank.
        "BANK_CACHE_SECONDS": _seconds(os.environ.get("QUIZAPP_BANK_CACHE_SECONDS"), 2.0),
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        # No pre-ping at every checkout: persistence.connections pings idle ones only.
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # Seconds a request waits for a lock another request holds (then: try again).
        "DATABASE_BUSY_TIMEOUT": 10.0,
        "BANK_DIR": os.environ.get("QUIZAPP_BANK_DIR", str(DEFAULT_BANK_DIR)),
        "AUTO_SETUP": os.environ.get("QUIZAPP_AUTO_SETUP", "1") != "0",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "QUESTIONS_PER_PAGE": 25,
        # Pages, styles, scripts, CSVs and charts are sent compressed (Brotli or gzip).
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],  # static files are streamed
        "COMPRESS_BR_LEVEL": 5,
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "text/csv",
            "image/svg+xml",
            "application/json",
            "application/manifest+json",
        ],
        # Flask-Compress leaves out bodies under 500 bytes; the icon and manifest are smaller.
        "COMPRESS_MIN_SIZE": 128,
        # How many reverse proxies stand in front of the app and set X-Forwarded-For
        # and -Proto; 0 (the default) trusts no such header.
        "TRUSTED_PROXIES": int(proxies) if proxies.isdigit() else 0,
        # No request may be larger than this (a roster of 500 rows is a few KB):
        # a bigger body is refused with 413 before it is read.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Requests one API token may make per window (counted in the database).
        "API_RATE_LIMIT": _whole(os.environ.get("QUIZAPP_API_RATE_LIMIT", ""), 120),
        "API_RATE_WINDOW_SECONDS": 60,
        # Live games: their state and events in Redis when set (several workers and
        # instances share them), else in this one process's memory.
        "REDIS_URL": os.environ.get("REDIS_URL", "").strip(),
        "LIVE_KEY_PREFIX": os.environ.get("QUIZAPP_LIVE_PREFIX", "quizapp:live:"),
        # Counters of sign-ins and other guesses (quizapp.core.throttling): a limits
        # storage URI; empty means REDIS_URL when set (every worker and instance counts
        # together), else this process's memory.
        "THROTTLE_STORAGE_URI": "",
        "THROTTLE_KEY_PREFIX": os.environ.get("QUIZAPP_THROTTLE_PREFIX", "quizapp-throttle"),
        # An event stream caught up with its game is held open for at most this long,
        # waiting for the next event (then the browser reconnects); a stream behind the
        # game is answered at once with the state.
        "LIVE_HOLD_SECONDS": _seconds(os.environ.get("QUIZAPP_LIVE_HOLD_SECONDS"), 20.0),
        # How many held streams one worker process keeps at once: each holds one of its
        # threads, so keep this well below gunicorn's --threads. Past it, and past the
        # caps per game and per seat, a stream is answered at once (a short poll) and the
        # browser comes back after LIVE_POLL_SECONDS.
        "LIVE_HELD_STREAMS_PER_WORKER": held,
        # One game may take three quarters of them, so another game still has room.
        "LIVE_HELD_STREAMS_PER_GAME": _whole(
            os.environ.get("QUIZAPP_LIVE_HELD_PER_GAME", ""), max(1, held * 3 // 4)
        ),
        # One seat (a phone, or the host) holds at most two: a page just reloaded may
        # leave its last stream waiting a moment before the server sees it is gone.
        "LIVE_HELD_STREAMS_PER_CLIENT": 2,
        "LIVE_POLL_SECONDS": _seconds(os.environ.get("QUIZAPP_LIVE_POLL_SECONDS"), 2.0),
    }


def _whole(text: str, default: int) -> int:
    text = text.strip()
    return int(text) if text.isdigit() and int(text) > 0 else default
