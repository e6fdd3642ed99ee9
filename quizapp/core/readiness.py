"""Exam readiness and revision pacing.

Readiness is FSRS retrievability projected to the exam: the predicted chance of
recalling each card in scope on exam day, a card never studied counting 0,
averaged. Pacing spreads the cards not yet started over the days left so that
all are studied well before the exam, and in the last days revision serves the
cards least likely to be recalled on the day first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from quizapp.core.days import timezone_or_utc
from quizapp.core.scheduling import CardState, make_scheduler

#: All new cards should be started this many days before the exam.
FINISH_NEW_DAYS_BEFORE = 3
#: The final days in which revision serves the weakest cards first.
REVISION_WINDOW_DAYS = 3
#: However close the exam, no more new cards than this in one day.
MAX_NEW_PER_DAY = 60
#: Exams are taken to start at this local time.
EXAM_TIME = time(9, 0)


def recall_probability(state: CardState | None, at: datetime) -> float:
    """FSRS retrievability of a card at ``at``; 0 for a card never studied."""
    if state is None or state.is_new or state.stability is None:
        return 0.0
    return float(make_scheduler().get_card_retrievability(state.to_fsrs(at), at))


def exam_moment(exam_date: date, timezone: str | None) -> datetime:
    """When the exam starts, in UTC: 9 am on the day, in the student's zone."""
    zone = timezone_or_utc(timezone)
    return datetime.combine(exam_date, EXAM_TIME, tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class CardForecast:
    question_id: str
    recall: float


@dataclass(frozen=True)
class Readiness:
    """The predicted share of the scope recalled on exam day, with each card's chance."""

    score: float
    cards: tuple[CardForecast, ...]

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    def weakest(self, count: int = 10) -> tuple[CardForecast, ...]:
        return self.cards[:count]

    @property
    def not_started(self) -> int:
        return sum(1 for card in self.cards if card.recall == 0)

    @property
    def studied(self) -> int:
        return len(self.cards) - self.not_started

    def weakest_studied(self, count: int = 10) -> tuple[CardForecast, ...]:
        """The studied cards least likely to be recalled: the ones really being forgotten."""
        return tuple(card for card in self.cards if card.recall > 0)[:count]

    def unstudied(self, count: int = 10) -> tuple[CardForecast, ...]:
        """Cards never studied (0% on the day), in a stable order."""
        return tuple(card for card in self.cards if card.recall == 0)[:count]


def readiness(states: Mapping[str, CardState | None], exam_at: datetime) -> Readiness:
    """Readiness of the scope (question id -> state, None if never studied) at ``exam_at``."""
    forecasts = sorted(
        (CardForecast(qid, recall_probability(state, exam_at)) for qid, state in states.items()),
        key=lambda forecast: (forecast.recall, forecast.question_id),
    )
    score = sum(f.recall for f in forecasts) / len(forecasts) if forecasts else 0.0
    return Readiness(score, tuple(forecasts))


def days_left(today: date, exam_date: date) -> int:
    return (exam_date - today).days


def is_active(today: date, exam_date: date) -> bool:
    """A plan runs until the exam day itself; afterwards normal scheduling resumes."""
    return today <= exam_date


def in_revision_window(today: date, exam_date: date) -> bool:
    return 0 <= days_left(today, exam_date) <= REVISION_WINDOW_DAYS


def new_cards_today(remaining: int, today: date, exam_date: date, usual_limit: int) -> int:
    """How many new cards to introduce today to finish them all in good time.

    At least the student's usual daily limit; more when the exam needs it, up
    to ``MAX_NEW_PER_DAY``; every remaining one once the target day has passed.
    """
    if remaining <= 0:
        return 0
    if not is_active(today, exam_date):
        return usual_limit
    study_days = days_left(today, exam_date) - FINISH_NEW_DAYS_BEFORE
    needed = remaining if study_days <= 0 else math.ceil(remaining / study_days)
    return min(max(usual_limit, needed), MAX_NEW_PER_DAY, remaining)


def new_card_plan(
    remaining: int, today: date, exam_date: date, usual_limit: int
) -> list[tuple[date, int]]:
    """Day by day, how many new cards the pacing introduces until none remain."""
    plan: list[tuple[date, int]] = []
    day = today
    while remaining > 0 and day <= exam_date:
        count = new_cards_today(remaining, day, exam_date, usual_limit)
        plan.append((day, count))
        remaining -= count
        day += timedelta(days=1)
    return plan


def readiness_history(
    states_by_card: Mapping[str, list[tuple[datetime, CardState]]],
    scope: list[str],
    days: list[date],
    exam_at: datetime,
    timezone: str | None,
) -> list[tuple[date, float]]:
    """Readiness as it stood at the end of each day, from each card's state after each review.

    ``states_by_card`` maps a question id to its (review time, state after it)
    pairs in time order, so each card's log is replayed once, not once a day.
    """
    zone = timezone_or_utc(timezone)
    history: list[tuple[date, float]] = []
    for day in days:
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        states: dict[str, CardState | None] = {}
        for qid in scope:
            past = [state for moment, state in states_by_card.get(qid, []) if moment < end]
            states[qid] = past[-1] if past else None
        history.append((day, readiness(states, exam_at).score))
    return history
