"""Readiness forecasts against hand-computed FSRS retrievability, and exam pacing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Rating, State

from quizapp.core.readiness import (
    FINISH_NEW_DAYS_BEFORE,
    MAX_NEW_PER_DAY,
    exam_moment,
    in_revision_window,
    is_active,
    new_card_plan,
    new_cards_today,
    readiness,
    readiness_history,
    recall_probability,
)
from quizapp.core.scheduling import CardState, review

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
# FSRS-6 default decay w[20]; retrievability R(t) = (1 + FACTOR * t / S) ** -DECAY,
# with FACTOR chosen so that R(S) = 0.9.
DECAY = 0.1542
FACTOR = 0.9 ** (1 / -DECAY) - 1


def hand_recall(stability: float, days: int) -> float:
    return (1 + FACTOR * days / stability) ** -DECAY


def studied(stability: float, last_review: datetime = NOW) -> CardState:
    return CardState(
        state=State.Review.value,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=last_review + timedelta(days=stability),
        last_review=last_review,
    )


@pytest.mark.parametrize(("stability", "days"), [(10.0, 0), (10.0, 10), (3.0, 20), (40.0, 14)])
def test_recall_matches_the_hand_computed_curve(stability: float, days: int) -> None:
    exam = NOW + timedelta(days=days)
    assert recall_probability(studied(stability), exam) == pytest.approx(
        hand_recall(stability, days)
    )


def test_recall_at_stability_is_ninety_percent() -> None:
    assert recall_probability(studied(12.0), NOW + timedelta(days=12)) == pytest.approx(0.9)


def test_a_card_never_studied_counts_zero() -> None:
    assert recall_probability(None, NOW) == 0.0
    assert recall_probability(CardState(), NOW) == 0.0


def test_readiness_averages_the_scope_with_unstudied_as_zero() -> None:
    exam = NOW + timedelta(days=10)
    forecast = readiness({"a": studied(10.0), "b": studied(40.0), "c": None}, exam)
    expected = (hand_recall(10.0, 10) + hand_recall(40.0, 10) + 0) / 3
    assert forecast.score == pytest.approx(expected)
    assert forecast.percent == round(expected * 100)
    assert [card.question_id for card in forecast.weakest(2)] == ["c", "a"]
    assert forecast.not_started == 1
    assert readiness({}, exam).score == 0


def test_studying_raises_readiness() -> None:
    exam = NOW + timedelta(days=7)
    before = readiness({"a": None}, exam).score
    after = readiness({"a": review(None, Rating.Good, NOW)}, exam).score
    assert after > before


def test_pacing_hundred_cards_over_ten_days() -> None:
    today = date(2026, 11, 1)
    exam = today + timedelta(days=10)
    plan = new_card_plan(100, today, exam, usual_limit=5)
    assert sum(count for _, count in plan) == 100
    assert all(count <= MAX_NEW_PER_DAY for _, count in plan)
    assert plan[-1][0] <= exam - timedelta(days=FINISH_NEW_DAYS_BEFORE)
    assert plan[0] == (today, 15)  # ceil(100 / 7 study days)


def test_pacing_respects_the_usual_limit_when_it_is_enough() -> None:
    today = date(2026, 11, 1)
    assert new_cards_today(30, today, today + timedelta(days=60), usual_limit=20) == 20
    assert new_cards_today(5, today, today + timedelta(days=60), usual_limit=20) == 5


def test_pacing_is_capped_even_when_the_exam_is_close() -> None:
    today = date(2026, 11, 1)
    assert new_cards_today(500, today, today + timedelta(days=1), 20) == MAX_NEW_PER_DAY


def test_the_plan_ends_after_the_exam() -> None:
    exam = date(2026, 11, 10)
    assert is_active(exam, exam)
    assert not is_active(exam + timedelta(days=1), exam)
    assert in_revision_window(exam - timedelta(days=2), exam)
    assert not in_revision_window(exam - timedelta(days=5), exam)
    assert new_cards_today(10, exam + timedelta(days=1), exam, usual_limit=4) == 4


def test_exam_starts_at_nine_local_time() -> None:
    assert exam_moment(date(2026, 6, 1), "Europe/London") == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def test_history_uses_the_state_as_of_each_day() -> None:
    exam = NOW + timedelta(days=20)
    first = review(None, Rating.Good, NOW)
    days = [NOW.date() - timedelta(days=1), NOW.date()]
    history = readiness_history({"a": [(NOW, first)]}, ["a", "b"], days, exam, "UTC")
    assert history[0] == (days[0], 0.0)
    assert history[1][1] == pytest.approx(readiness({"a": first, "b": None}, exam).score)


def test_studied_and_unstudied_cards_are_told_apart() -> None:
    exam_at = NOW + timedelta(days=10)
    states: dict[str, CardState | None] = {
        "weak": studied(1.0),
        "strong": studied(60.0),
        "new-b": None,
        "new-a": None,
    }
    forecast = readiness(states, exam_at)
    assert forecast.studied == 2
    assert forecast.not_started == 2
    assert [c.question_id for c in forecast.weakest_studied()] == ["weak", "strong"]
    assert [c.question_id for c in forecast.weakest_studied(1)] == ["weak"]
    assert [c.question_id for c in forecast.unstudied()] == ["new-a", "new-b"]
    assert all(c.recall > 0 for c in forecast.weakest_studied())
