"""The bank in process memory: question rows read once per bank version, not per request.

The bank changes only when ``flask bank load`` (or a worker's start) syncs the files, so
the study loop reads questions from a per-app snapshot instead of the database. The
snapshot holds detached rows, fully loaded (tags included), to be read and never changed.

A sync in this process drops the snapshot at once (``invalidate``). Other processes (the
other workers, another instance) notice a sync by a cheap stamp of the questions table
(row count and latest update and retirement), checked at most every
``BANK_CACHE_SECONDS`` (2 s by default; 0 checks on every use).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from quizapp.extensions import db
from quizapp.models import Question

EXTENSION_KEY = "quizapp.bank_cache"
DEFAULT_CHECK_SECONDS = 2.0


@dataclass
class _Snapshot:
    stamp: tuple[Any, ...] | None = None
    questions: dict[str, Question] = field(default_factory=dict)
    checked_at: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)


def _snapshot(app: Flask) -> _Snapshot:
    return app.extensions.setdefault(EXTENSION_KEY, _Snapshot())  # type: ignore[no-any-return]


def _stamp() -> tuple[Any, ...]:
    """Changes whenever a sync adds, edits, retires or restores a question."""
    row = db.session.execute(
        select(
            func.count(),
            func.max(Question.updated_at),
            func.count(Question.retired_at),
            func.max(Question.retired_at),
        )
    ).one()
    return tuple(row)


def _load() -> dict[str, Question]:
    """Every row with its tags, read in a session of its own and closed: detached rows
    that nothing in a request's session can expire or change."""
    with Session(db.engine) as session:
        query = select(Question).options(selectinload(Question.tag_rows))
        return {row.id: row for row in session.scalars(query)}


def questions(fresh: bool = False) -> dict[str, Question]:
    """Every question, retired ones too, by id: the current app's snapshot, fresh enough
    (``fresh``: checked against the database now, whenever it was last checked)."""
    snapshot = _snapshot(current_app)
    check_every = float(current_app.config.get("BANK_CACHE_SECONDS", DEFAULT_CHECK_SECONDS))
    now = time.monotonic()
    if not fresh and snapshot.stamp is not None and now - snapshot.checked_at < check_every:
        return snapshot.questions
    with snapshot.lock:
        stamp = _stamp()
        if stamp != snapshot.stamp:
            snapshot.questions = _load()
            snapshot.stamp = stamp
        snapshot.checked_at = now
        return snapshot.questions


def question(question_id: str | None) -> Question | None:
    """One question by id (retired or not), or None. An id the snapshot lacks is looked
    for again in the database's current state: another process may have just added it."""
    found = questions().get(question_id or "")
    if found is None and question_id:
        found = questions(fresh=True).get(question_id)
    return found


def active_question(question_id: str | None) -> Question | None:
    """One question still in the bank, or None if unknown or retired."""
    found = question(question_id)
    return found if found is not None and found.retired_at is None else None


def invalidate(app: Flask | None = None) -> None:
    """Forget the snapshot, so the next use reads the bank again (after a sync)."""
    _snapshot(app or current_app).stamp = None
