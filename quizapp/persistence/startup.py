"""Getting a database ready to serve: SQLite pragmas, a set-up lock across
processes, migrating the schema and loading the bank, safely under several workers."""

from __future__ import annotations

import fcntl
import logging
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from quizapp.extensions import db
from quizapp.persistence import bank_cache, schema
from quizapp.persistence.bank_files import load_bank
from quizapp.persistence.bank_sync import SyncReport, sync_bank

log = logging.getLogger(__name__)

_installed = False


def install_sqlite_pragmas() -> None:
    """Every SQLite connection gets WAL, synchronous NORMAL and enforced foreign keys.

    WAL lets readers and a writer work at once (several gunicorn workers); the
    busy timeout, which makes a second writer wait instead of failing at once,
    is set per app (``DATABASE_BUSY_TIMEOUT``, see ``engine_options``).
    """
    global _installed
    if _installed:
        return
    event.listen(Engine, "connect", _set_sqlite_pragmas)
    _installed = True


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    sqlite3 = sys.modules.get("sqlite3")  # unimported on PostgreSQL: a megabyte a worker
    if sqlite3 is None or not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a committed review
    # survives the app being killed (the SIGKILL test proves it); a power cut or an OS
    # crash may lose the last commits since a checkpoint, never the file's integrity.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_options(url: str, options: dict[str, Any], busy_timeout: float) -> dict[str, Any]:
    """How long a request waits for a lock another holds before it gives up (and the
    user gets a page asking to try again): SQLite's busy timeout, PostgreSQL's
    ``lock_timeout``. Without it a request could hold a worker for ever."""
    connect_args = dict(options.get("connect_args", {}))
    if url.startswith("sqlite"):
        connect_args.setdefault("timeout", busy_timeout)
    elif url.startswith("postgresql"):
        connect_args.setdefault("options", f"-c lock_timeout={int(busy_timeout * 1000)}")
    return {**options, "connect_args": connect_args}


@contextmanager
def setup_lock(engine: Engine, lock_dir: str, name: str = "quizapp-setup") -> Iterator[None]:
    """Hold a lock across processes while one of them migrates and loads the bank.

    On PostgreSQL it is an advisory lock, so workers on different machines
    agree; elsewhere a file lock in the instance folder serialises the workers
    of one machine. The others wait, then find nothing left to do.
    """
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(name.encode())
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
        return
    lock_path = Path(lock_dir) / f"{name}.lock"
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_database(app: Flask) -> SyncReport:
    """Migrate to the latest schema and sync the bank, one process at a time.

    The bank is checked before anything is written: a bank that fails its
    check raises ``BankError`` with every problem, and the app does not start
    on half a bank. A worker that finds the schema at the head skips Alembic.
    """
    bank = load_bank(app.config["BANK_DIR"])
    with setup_lock(db.engine, app.instance_path):
        _migrate_if_behind(app)
        report = sync_bank(db.session, bank)
        db.session.commit()
    bank_cache.invalidate(app)
    if report.changed:
        log.info("question bank synced: %s", report.summary())
    return report


def ensure_schema(app: Flask) -> None:
    """Migrate to the latest schema (under the set-up lock), for commands that need it."""
    with setup_lock(db.engine, app.instance_path):
        _migrate_if_behind(app)


def _migrate_if_behind(app: Flask) -> None:
    """Upgrade, importing Alembic, only when the schema is not at the head. Called under
    the set-up lock, so a worker that waited finds the schema another one migrated."""
    if not schema.is_current(db.engine):
        schema.upgrade(app)
