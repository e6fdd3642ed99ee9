"""Scheduling policy over fsrs: replay, intervals, proposals, the queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from quizapp.core.scheduling import (
    CardState,
    Limits,
    PastReview,
    QueueCard,
    format_interval,
    is_leech,
    next_intervals,
    pick_next,
    propose_grade,
    rebuild,
    review,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_a_new_card_good_goes_to_the_next_learning_step() -> None:
    state = review(None, Rating.Good, NOW)
    assert state.last_review == NOW
    assert state.due == NOW + timedelta(minutes=10)


def test_easy_graduates_a_new_card_for_days() -> None:
    state = review(None, Rating.Easy, NOW)
    assert state.due - NOW >= timedelta(days=1)


def test_replaying_the_log_gives_the_same_state() -> None:
    grades = [Rating.Good, Rating.Good, Rating.Again, Rating.Hard, Rating.Good, Rating.Easy]
    state: CardState | None = None
    log = []
    moment = NOW
    for grade in grades:
        state = review(state, grade, moment)
        log.append(PastReview(grade, moment, 0.9))
        moment = state.due + timedelta(hours=3)
    assert rebuild(reversed(log)) == state
    assert rebuild([]) is None


def test_intervals_grow_from_again_to_easy() -> None:
    state = review(review(None, Rating.Good, NOW), Rating.Good, NOW + timedelta(minutes=10))
    later = NOW + timedelta(days=3)
    intervals = next_intervals(state, later)
    assert intervals[Rating.Again] < intervals[Rating.Hard] <= intervals[Rating.Good]
    assert intervals[Rating.Good] < intervals[Rating.Easy]


def test_higher_retention_means_shorter_intervals() -> None:
    state = review(None, Rating.Easy, NOW)
    later = state.due
    relaxed = next_intervals(state, later, 0.8)[Rating.Good]
    strict = next_intervals(state, later, 0.97)[Rating.Good]
    assert strict < relaxed


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (timedelta(seconds=30), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=75), "2.5mo"),
        (timedelta(days=730), "2y"),
    ],
)
def test_interval_labels(interval: timedelta, text: str) -> None:
    assert format_interval(interval) == text


@pytest.mark.parametrize(
    ("correct", "near_miss", "seconds", "grade"),
    [
        (False, False, 3, Rating.Again),
        (True, True, 3, Rating.Hard),
        (True, False, 40, Rating.Hard),
        (True, False, 3, Rating.Easy),
        (True, False, 12, Rating.Good),
    ],
)
def test_proposed_grade(correct: bool, near_miss: bool, seconds: float, grade: Rating) -> None:
    assert propose_grade(correct, near_miss, seconds) == grade


def test_leech_at_eight_lapses() -> None:
    assert not is_leech(7)
    assert is_leech(8)


def _card(qid: str, minutes: int, learning: bool = False) -> QueueCard:
    return QueueCard(qid, NOW + timedelta(minutes=minutes), is_learning=learning)


def test_due_reviews_come_first_most_overdue_first() -> None:
    started = [_card("a", -5), _card("b", -60), _card("c", 60 * 24)]
    assert pick_next(started, ["new1"], Limits(5, 100), NOW) == ("b", False)


def test_new_cards_after_due_ones_within_the_limit() -> None:
    started = [_card("c", 60 * 24)]
    assert pick_next(started, ["new1"], Limits(1, 100), NOW) == ("new1", True)
    assert pick_next(started, ["new1"], Limits(0, 100), NOW) is None


def test_never_the_same_card_twice_when_others_wait() -> None:
    started = [_card("a", -5, learning=True), _card("b", -1)]
    assert pick_next(started, [], Limits(0, 100), NOW, last_question_id="a") == ("b", False)
    only = [_card("a", -5, learning=True)]
    assert pick_next(only, ["n"], Limits(1, 100), NOW, last_question_id="a") == ("n", True)
    assert pick_next(only, [], Limits(0, 100), NOW, last_question_id="a") == ("a", False)


def test_learning_cards_may_come_early_when_nothing_else_waits() -> None:
    started = [_card("a", 5, learning=True), _card("b", 60 * 24 * 3)]
    assert pick_next(started, [], Limits(0, 100), NOW) == ("a", False)


def test_review_limit_holds_back_reviews_but_not_learning() -> None:
    started = [_card("r", -5), _card("l", -1, learning=True)]
    assert pick_next(started, [], Limits(0, 0), NOW) == ("l", False)
