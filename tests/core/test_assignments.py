"""The assignment rules: windows, refusals, deadlines, draws and statuses."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from quizapp.core.assignments import (
    GRACE,
    AttemptSummary,
    Window,
    attempt_deadline,
    best_attempt,
    draw_for_attempt,
    gradebook_status,
    local_to_utc,
    new_join_code,
    normalise_join_code,
    past_deadline,
    start_refusal,
    student_status,
    utc_to_local,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
OPEN = Window(NOW - timedelta(days=1), NOW + timedelta(days=7), accept_late=True)


def summary(
    finished: bool = True, late: bool = False, score: int = 1, total: int = 3
) -> AttemptSummary:
    return AttemptSummary(finished, late, score, total)


def test_join_codes_are_readable_and_forgive_typing() -> None:
    code = new_join_code(random.Random(1))
    assert len(code) == 7
    assert not set(code) & set("01OIL")
    assert normalise_join_code(f" {code[:3].lower()}-{code[3:]} ") == code


def test_local_times_are_read_in_the_class_zone() -> None:
    assert local_to_utc(date(2026, 7, 1), time(9, 0), "Europe/London") == datetime(
        2026, 7, 1, 8, 0, tzinfo=UTC
    )
    assert local_to_utc(date(2026, 12, 1), time(9, 0), "Europe/London") == datetime(
        2026, 12, 1, 9, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("window", "used", "allowed", "in_progress", "expected"),
    [
        (OPEN, 0, 1, False, None),
        (OPEN, 1, 1, False, "used every attempt"),
        (OPEN, 5, None, False, None),
        (OPEN, 0, 1, True, "in progress"),
        (Window(NOW + timedelta(hours=1), NOW + timedelta(days=1), True), 0, 1, False, "not open"),
        (Window(NOW - timedelta(days=2), NOW - timedelta(days=1), False), 0, 1, False, "was due"),
        (Window(NOW - timedelta(days=2), NOW - timedelta(days=1), True), 0, 1, False, None),
    ],
)
def test_when_an_attempt_may_start(
    window: Window, used: int, allowed: int | None, in_progress: bool, expected: str | None
) -> None:
    refusal = start_refusal(window, NOW, used, allowed, in_progress)
    assert (refusal is None) if expected is None else (expected in (refusal or ""))


def test_the_deadline_is_the_earlier_of_time_limit_and_refused_lateness() -> None:
    strict = Window(NOW - timedelta(days=1), NOW + timedelta(minutes=10), accept_late=False)
    assert attempt_deadline(NOW, 30, strict) == NOW + timedelta(minutes=10)
    assert attempt_deadline(NOW, 5, strict) == NOW + timedelta(minutes=5)
    assert attempt_deadline(NOW, None, OPEN) is None
    assert attempt_deadline(NOW, 20, OPEN) == NOW + timedelta(minutes=20)


def test_answers_count_until_the_grace_after_the_deadline() -> None:
    assert not past_deadline(None, NOW)
    assert not past_deadline(NOW, NOW + GRACE)
    assert past_deadline(NOW, NOW + GRACE + timedelta(seconds=1))


def test_draws_keep_set_order_unless_shuffled() -> None:
    ids = [f"q{n}" for n in range(10)]
    assert draw_for_attempt(ids, None, False, random.Random(3)) == ids
    drawn = draw_for_attempt(ids, 4, False, random.Random(3))
    assert len(drawn) == 4
    assert drawn == sorted(drawn, key=ids.index)
    shuffled = draw_for_attempt(ids, None, True, random.Random(3))
    assert sorted(shuffled) == sorted(ids)
    assert shuffled != ids


def test_gradebook_status_and_best_attempt() -> None:
    assert gradebook_status([]) == "not started"
    assert gradebook_status([summary(finished=False)]) == "in progress"
    assert gradebook_status([summary(late=True)]) == "late"
    assert gradebook_status([summary(late=True), summary()]) == "submitted"
    first, better = summary(score=1), summary(score=3)
    assert best_attempt([first, better, summary(finished=False, score=3)]) is better
    assert best_attempt([summary(finished=False)]) is None


@pytest.mark.parametrize(
    ("window", "attempts", "expected"),
    [
        (OPEN, [], "to do"),
        (Window(NOW - timedelta(days=1), NOW + timedelta(hours=47), True), [], "due soon"),
        (OPEN, [summary(finished=False)], "in progress"),
        (OPEN, [summary()], "done"),
        (Window(NOW + timedelta(days=1), NOW + timedelta(days=2), True), [], "not open yet"),
        (Window(NOW - timedelta(days=3), NOW - timedelta(days=1), True), [], "overdue"),
        (Window(NOW - timedelta(days=3), NOW - timedelta(days=1), False), [], "closed"),
    ],
)
def test_student_status(window: Window, attempts: list[AttemptSummary], expected: str) -> None:
    assert student_status(window, attempts, NOW) == expected


def test_a_utc_instant_reads_back_as_the_class_wall_clock() -> None:
    moment = local_to_utc(date(2026, 7, 1), time(8, 30), "Europe/London")
    assert moment.hour == 7
    assert utc_to_local(moment, "Europe/London") == (date(2026, 7, 1), time(8, 30))
    assert utc_to_local(moment, "America/New_York") == (date(2026, 7, 1), time(3, 30))
