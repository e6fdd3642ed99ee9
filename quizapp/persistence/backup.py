"""Backups of the whole database, and restoring one: SQLite's online backup API (safe
while the app serves), or ``pg_dump``/``pg_restore`` for PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine, make_url


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why."""


def backup(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the database to ``target`` while the app may be serving."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        _sqlite_copy(_sqlite_path(engine), target)
    elif engine.dialect.name == "postgresql":
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                _libpq_url(engine),
            ]
        )
    else:
        raise BackupError(f"no backup method for {engine.dialect.name}")


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's contents with a backup made by ``backup``.

    Every pooled connection is closed first; stop the app's workers before a
    restore, or they will go on with what they read before it.
    """
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    engine.dispose()
    if engine.dialect.name == "sqlite":
        _sqlite_copy(source, _sqlite_path(engine))
    elif engine.dialect.name == "postgresql":
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _libpq_url(engine),
                str(source),
            ]
        )
    else:
        raise BackupError(f"no restore method for {engine.dialect.name}")


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page by page through SQLite's backup API: readers and writers may go on meanwhile."""
    import sqlite3  # here: every worker imports the CLI, few back up SQLite

    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        origin.close()
        copy.close()


def _libpq_url(engine: Engine) -> str:
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
