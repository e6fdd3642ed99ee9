"""Scheduling policy over the ``fsrs`` package: what to review, when, and how it went.

FSRS itself (stability, difficulty, intervals) and its vocabulary (``Rating`` for
the four answer buttons, Again=1 to Easy=4 as stored, and ``State``) come from
py-fsrs; this module
decides the policy around it: fuzzing is off so a card's state can always be
rebuilt from its review log, a rating is proposed from the grader's verdict
and the time taken, and the next card is picked due-first without repeating
itself. Study days in the student's time zone are ``days``'s business.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from fsrs import Card, Rating, Scheduler, State

#: A card failed this many times is a leech: it needs a new approach, not more drilling.
LEECH_LAPSES = 8
#: Learning cards due within this window may be shown early when nothing else waits.
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class CardState:
    """A card's FSRS memory state, as stored per user and question."""

    state: int = State.Learning.value
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None

    @property
    def is_new(self) -> bool:
        return self.last_review is None

    def to_fsrs(self, now: datetime) -> Card:
        # A fixed card_id: without one, fsrs derives an id from the clock and sleeps 1 ms
        # per card to keep ids unique, which makes forecasts over a deck crawl.
        return Card(
            card_id=0,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due or now,
            last_review=self.last_review,
        )

    @classmethod
    def from_fsrs(cls, card: Card) -> CardState:
        return cls(
            state=int(card.state),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )


@dataclass(frozen=True)
class PastReview:
    """What replaying a review needs: the rating, its time, the retention then in force."""

    rating: Rating
    reviewed_at: datetime
    desired_retention: float


@cache
def make_scheduler(desired_retention: float = 0.9) -> Scheduler:
    """An FSRS scheduler without fuzzing, so replaying a log reproduces the state.

    One per retention, built once: a scheduler holds only its settings."""
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def review(
    state: CardState | None, rating: Rating, now: datetime, desired_retention: float = 0.9
) -> CardState:
    """The card's state after answering it with ``rating`` at ``now``."""
    return CardState.from_fsrs(_reviewed_card(state, rating, now, desired_retention))


def _reviewed_card(
    state: CardState | None, rating: Rating, now: datetime, desired_retention: float
) -> Card:
    """The fsrs card after the review, whose due time, unlike a stored state's, is never None."""
    current = (state or CardState()).to_fsrs(now)
    card, _log = make_scheduler(desired_retention).review_card(current, rating, now)
    return card


def rebuild(reviews: Iterable[PastReview]) -> CardState | None:
    """Replay a card's review log from the start; None for a card never reviewed."""
    state: CardState | None = None
    for past in sorted(reviews, key=lambda r: r.reviewed_at):
        state = review(state, past.rating, past.reviewed_at, past.desired_retention)
    return state


def next_intervals(
    state: CardState | None, now: datetime, desired_retention: float = 0.9
) -> dict[Rating, timedelta]:
    """How long until the card is due again after each button, for labelling them."""
    return {
        rating: _reviewed_card(state, rating, now, desired_retention).due - now for rating in Rating
    }


def format_interval(interval: timedelta) -> str:
    """A short human interval, like Anki's buttons: "1m", "10m", "3h", "4d", "2.5mo", "1.2y"."""
    seconds = max(interval.total_seconds(), 0)
    if seconds < 3600:
        return f"{max(round(seconds / 60), 1)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def propose_grade(correct: bool, near_miss: bool, seconds_taken: float) -> Rating:
    """The button a typed answer suggests; the student may still pick another.

    Wrong is Again; a near miss (typo) or a slow right answer is Hard; a quick
    right answer is Easy; otherwise Good.
    """
    if not correct:
        return Rating.Again
    if near_miss or seconds_taken > 25:
        return Rating.Hard
    if seconds_taken < 6:
        return Rating.Easy
    return Rating.Good


def is_leech(lapses: int) -> bool:
    return lapses >= LEECH_LAPSES


@dataclass(frozen=True)
class QueueCard:
    """A started card as the picker sees it."""

    question_id: str
    due: datetime
    is_learning: bool = False


@dataclass(frozen=True)
class Limits:
    """How much more the student may do today."""

    new_left: int
    reviews_left: int


def pick_next(
    started: Sequence[QueueCard],
    new_question_ids: Sequence[str],
    limits: Limits,
    now: datetime,
    last_question_id: str | None = None,
) -> tuple[str, bool] | None:
    """The next question to show and whether it is new, or None when done for now.

    Due cards come first, most overdue first; then new cards while the day's
    limit allows; then learning cards due within ``LEARN_AHEAD``. The card just
    answered is shown again only when nothing else waits.
    """
    due = sorted((c for c in started if c.due <= now), key=lambda c: c.due)
    if limits.reviews_left <= 0:
        due = [c for c in due if c.is_learning]
    ahead = sorted(
        (c for c in started if now < c.due <= now + LEARN_AHEAD and c.is_learning),
        key=lambda c: c.due,
    )
    new = list(new_question_ids) if limits.new_left > 0 else []
    for pool, is_new in ((due, False), (new, True), (ahead, False)):
        for item in pool:
            qid = item if isinstance(item, str) else item.question_id
            if qid != last_question_id:
                return qid, is_new
    if last_question_id is not None:
        for pool in (due, ahead):
            if any(card.question_id == last_question_id for card in pool):
                return last_question_id, False
    return None
