"""The rules of an assignment: when it may be started, how long an attempt runs, its status.

Pure functions over times and counts, so the rules that stop a student from
bypassing a time or attempt limit are tested without a server.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: Answers arriving this long after the time limit still count: the page was
#: submitted in time but the request was slow.
GRACE = timedelta(seconds=30)
#: An assignment due within this span is "due soon" on the student's home page.
DUE_SOON = timedelta(hours=48)
#: Join codes avoid look-alike characters so they can be read off a board.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 7


def new_join_code(rng: random.Random | None = None) -> str:
    """A short, readable code students type to join a class."""
    pick = rng.choice if rng is not None else secrets.choice
    return "".join(pick(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text: str) -> str:
    """What the student typed, forgiving case, spaces and dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def local_to_utc(day: date, at: time, timezone: str) -> datetime:
    """A wall-clock moment in the class's time zone, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def utc_to_local(moment: datetime, timezone: str) -> tuple[date, time]:
    """An instant as the class's clocks show it: the day, and the time to the minute."""
    local = moment.astimezone(ZoneInfo(timezone))
    return local.date(), local.time().replace(second=0, microsecond=0)


@dataclass(frozen=True)
class Window:
    """When an assignment may be taken."""

    opens_at: datetime
    due_at: datetime
    accept_late: bool

    def is_open(self, now: datetime) -> bool:
        return now >= self.opens_at and (self.accept_late or now <= self.due_at)

    def is_late(self, now: datetime) -> bool:
        return now > self.due_at


def start_refusal(
    window: Window,
    now: datetime,
    attempts_used: int,
    attempts_allowed: int | None,
    in_progress: bool,
) -> str | None:
    """Why a new attempt may not start now, or None when it may."""
    if in_progress:
        return "You already have an attempt in progress; carry on with it."
    if now < window.opens_at:
        return "This assignment is not open yet."
    if not window.is_open(now):
        return "This assignment was due and no longer accepts submissions."
    if attempts_allowed is not None and attempts_used >= attempts_allowed:
        return "You have used every attempt this assignment allows."
    return None


def attempt_deadline(
    started_at: datetime, time_limit_minutes: int | None, window: Window
) -> datetime | None:
    """The last moment an attempt's answers count: the time limit, and the due
    date when late work is refused, whichever comes first."""
    limits = []
    if time_limit_minutes:
        limits.append(started_at + timedelta(minutes=time_limit_minutes))
    if not window.accept_late:
        limits.append(window.due_at)
    return min(limits) if limits else None


def past_deadline(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now > deadline + GRACE


def draw_for_attempt(
    question_ids: Sequence[str], per_attempt: int | None, shuffle: bool, rng: random.Random
) -> list[str]:
    """The questions one attempt gets: a random draw when the set asks for one,
    in shuffled order when it asks for that, else the set's own order."""
    chosen = list(question_ids)
    if per_attempt is not None and per_attempt < len(chosen):
        keep = set(rng.sample(range(len(chosen)), per_attempt))
        chosen = [qid for index, qid in enumerate(chosen) if index in keep]
    if shuffle:
        rng.shuffle(chosen)
    return chosen


@dataclass(frozen=True)
class AttemptSummary:
    """What the status rules need to know about one of a student's attempts."""

    finished: bool
    late: bool
    score: int | None
    total: int


def gradebook_status(attempts: Sequence[AttemptSummary]) -> str:
    """The teacher's view: not started, in progress, submitted or late."""
    finished = [attempt for attempt in attempts if attempt.finished]
    if finished:
        return "late" if all(attempt.late for attempt in finished) else "submitted"
    return "in progress" if attempts else "not started"


def best_attempt(attempts: Sequence[AttemptSummary]) -> AttemptSummary | None:
    """The finished attempt that counts: the highest share correct (earliest on ties)."""
    finished = [attempt for attempt in attempts if attempt.finished and attempt.total]
    if not finished:
        return None
    return max(finished, key=lambda attempt: (attempt.score or 0) / attempt.total)


def student_status(window: Window, attempts: Sequence[AttemptSummary], now: datetime) -> str:
    """The student's view on the home page."""
    if any(attempt.finished for attempt in attempts):
        return "done"
    if now < window.opens_at:
        return "not open yet"
    if now > window.due_at:
        return "overdue" if window.accept_late else "closed"
    if attempts:
        return "in progress"
    return "due soon" if window.due_at - now <= DUE_SOON else "to do"
