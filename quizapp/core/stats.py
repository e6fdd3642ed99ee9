"""Progress statistics over plain data: review days, due forecast, accuracy, mastery.

Everything here takes lists of datetimes and tuples, so the progress page's
figures can be checked by hand in unit tests without a database or Flask.

Accuracy is the share of reviews rated Good or Easy. Every review has a
rating, whatever the answer mode (typed, chosen, ordered or flipped), so one
measure covers them all; Hard counts as not yet secure, Again as missed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import Rating, State

from quizapp.core.days import timezone_or_utc

#: A question never started has no card and so no fsrs ``State``; it counts as this.
NEW = 0
#: Card states as stored (fsrs ``State`` values), with NEW first.
STATE_LABELS: dict[int, str] = {
    NEW: "New",
    State.Learning.value: "Learning",
    State.Review.value: "Review",
    State.Relearning.value: "Relearning",
}

#: Stability bands in days: (label, lower bound inclusive, upper bound exclusive).
STABILITY_BANDS: tuple[tuple[str, float, float], ...] = (
    ("Under 1 day", 0.0, 1.0),
    ("1 to 7 days", 1.0, 7.0),
    ("7 to 30 days", 7.0, 30.0),
    ("Over 30 days", 30.0, float("inf")),
)
NOT_STARTED = "Not started"
BAND_LABELS = (NOT_STARTED, *(label for label, _, _ in STABILITY_BANDS))

#: Heatmap shading steps above zero (level 0 is "no reviews").
HEAT_LEVELS = 4


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage as the page shows it; None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


# Reviews per day -----------------------------------------------------------


def reviews_per_day(moments: Iterable[datetime], timezone: str | None) -> Counter[date]:
    """Reviews counted by the student's local calendar day, so a late-night session
    falls on the day the student lived it."""
    zone = timezone_or_utc(timezone)
    return Counter(moment.astimezone(zone).date() for moment in moments)


@dataclass(frozen=True)
class HeatCell:
    day: date
    count: int
    level: int


def heat_level(count: int, busiest: int) -> int:
    """Shade 0 for no reviews, else 1..HEAT_LEVELS relative to the busiest day shown."""
    if count <= 0 or busiest <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, -(-count * HEAT_LEVELS // busiest)))


def calendar_weeks(
    counts: Mapping[date, int], today: date, weeks: int = 26
) -> list[list[HeatCell | None]]:
    """Weeks (Monday first) ending with today's week; days after today are None.

    Each inner list is one week's seven days, Monday to Sunday, so the chart
    draws weeks as columns and weekdays as rows.
    """
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    days = [first + timedelta(days=n) for n in range(weeks * 7)]
    busiest = max((counts.get(day, 0) for day in days if day <= today), default=0)
    cells = [
        HeatCell(day, counts.get(day, 0), heat_level(counts.get(day, 0), busiest))
        if day <= today
        else None
        for day in days
    ]
    return [cells[n : n + 7] for n in range(0, len(cells), 7)]


def week_rows(
    weeks: Iterable[Iterable[HeatCell | None]],
) -> list[tuple[date, list[int | None], int]]:
    """The heatmap as table rows: each week's Monday, its seven counts (None ahead), total.

    A week of ``calendar_weeks`` always starts on or before today, so its Monday exists.
    """
    rows = []
    for week in weeks:
        cells = list(week)
        monday = cells[0]
        if monday is None:
            raise ValueError("a calendar week starts on or before today")
        counts = [cell.count if cell else None for cell in cells]
        rows.append((monday.day, counts, sum(count or 0 for count in counts)))
    return rows


# Due forecast ---------------------------------------------------------------


def due_forecast(
    dues: Iterable[datetime], now: datetime, timezone: str | None, days: int = 30
) -> list[tuple[date, int]]:
    """Cards falling due on each of the next ``days`` local days, today first.

    Cards already overdue count on today, since that is when they wait to be
    done; cards due after the window are left out.
    """
    zone = timezone_or_utc(timezone)
    today = now.astimezone(zone).date()
    counts = Counter(max(due.astimezone(zone).date(), today) for due in dues)
    return [
        (today + timedelta(days=n), counts.get(today + timedelta(days=n), 0)) for n in range(days)
    ]


# Accuracy ---------------------------------------------------------------------


@dataclass(frozen=True)
class Accuracy:
    category: str
    reviews: int
    good_or_easy: int

    @property
    def percent(self) -> int | None:
        return percent(self.good_or_easy, self.reviews)


def is_success(rating: int) -> bool:
    """Good and Easy count as recalled securely (see the module docstring)."""
    return rating >= Rating.Good


def accuracy_by_category(
    reviews: Iterable[tuple[str, int]], order: Iterable[str] = ()
) -> list[Accuracy]:
    """Per category (``order`` first, then any others alphabetically), from (category, rating)."""
    totals: Counter[str] = Counter()
    successes: Counter[str] = Counter()
    for category, rating in reviews:
        totals[category] += 1
        successes[category] += is_success(rating)
    return [
        Accuracy(category, totals[category], successes[category])
        for category in _ordered(totals, order)
    ]


def overall_accuracy(rows: Iterable[Accuracy]) -> Accuracy:
    rows = list(rows)
    return Accuracy("all", sum(r.reviews for r in rows), sum(r.good_or_easy for r in rows))


# Mastery ----------------------------------------------------------------------


@dataclass(frozen=True)
class Mastery:
    """One category's questions counted by FSRS state and by stability band."""

    category: str
    by_state: dict[int, int]
    by_band: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


def stability_band(stability: float | None) -> str:
    """The band a card's stability (days until recall falls to 90%) falls in."""
    if stability is None:
        return NOT_STARTED
    for label, low, high in STABILITY_BANDS:
        if low <= stability < high:
            return label
    return STABILITY_BANDS[0][0]


def mastery_by_category(
    questions: Iterable[tuple[str, int | None, float | None]], order: Iterable[str] = ()
) -> list[Mastery]:
    """From (category, state or None, stability or None) for every question in play.

    A question never started (state None) counts as new and in no stability band.
    """
    states: dict[str, Counter[int]] = {}
    bands: dict[str, Counter[str]] = {}
    for category, state, stability in questions:
        if state is None:
            state, stability = NEW, None
        states.setdefault(category, Counter())[state] += 1
        bands.setdefault(category, Counter())[stability_band(stability)] += 1
    return [
        Mastery(
            category,
            {s: states[category][s] for s in STATE_LABELS},
            {b: bands[category][b] for b in BAND_LABELS},
        )
        for category in _ordered(states, order)
    ]


def _ordered(found: Iterable[str], order: Iterable[str]) -> list[str]:
    """Known categories in their usual order, then any unknown ones alphabetically."""
    found = set(found)
    known = [category for category in order if category in found]
    return known + sorted(found - set(known))
