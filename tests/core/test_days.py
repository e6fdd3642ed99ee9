"""Study days in the student's time zone, and the streak counted over them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from quizapp.core.days import day_start, streak, study_day, timezone_or_utc

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_the_day_rolls_over_at_local_midnight() -> None:
    late_evening_in_new_york = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert study_day(late_evening_in_new_york, "America/New_York") == date(2026, 11, 23)
    assert study_day(late_evening_in_new_york, "UTC") == date(2026, 11, 24)
    start = day_start(late_evening_in_new_york, "America/New_York")
    assert start == datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    assert day_start(NOW, "Not/AZone") == datetime(2026, 11, 23, tzinfo=UTC)


def test_streak_counts_back_from_today_or_yesterday() -> None:
    today = date(2026, 11, 23)
    days = {today - timedelta(days=n) for n in (1, 2, 3, 5)}
    assert streak(days, today) == 3
    assert streak(days | {today}, today) == 4
    assert streak({today - timedelta(days=2)}, today) == 0


def test_an_unknown_or_missing_zone_is_utc() -> None:
    assert timezone_or_utc(None).key == "UTC"
    assert timezone_or_utc("Not/AZone").key == "UTC"
    assert timezone_or_utc("Europe/London").key == "Europe/London"
