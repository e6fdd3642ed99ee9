"""Study days: the calendar as the student lives it, in their own time zone.

A study day rolls over at local midnight, not at midnight UTC, so that a
late-night session counts on the day the student sat it, daily limits reset
when the student's day does, and a streak follows the student's calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def timezone_or_utc(name: str | None) -> ZoneInfo:
    """The named zone, or UTC when the name is missing or unknown, so a stale
    or mistyped setting never breaks a page."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def study_day(now: datetime, timezone: str | None) -> date:
    """The calendar day ``now`` falls on for the student."""
    return now.astimezone(timezone_or_utc(timezone)).date()


def day_start(now: datetime, timezone: str | None) -> datetime:
    """The UTC instant the student's current day began (local midnight)."""
    zone = timezone_or_utc(timezone)
    local_midnight = datetime.combine(study_day(now, timezone), time(0), tzinfo=zone)
    return local_midnight.astimezone(UTC)


def streak(review_days: Iterable[date], today: date) -> int:
    """Consecutive days with at least one review, ending today (or yesterday, if not yet)."""
    days = set(review_days)
    cursor = today if today in days else today - timedelta(days=1)
    count = 0
    while cursor in days:
        count += 1
        cursor -= timedelta(days=1)
    return count
