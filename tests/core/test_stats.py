"""Progress statistics, checked against figures worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from quizapp.core.stats import (
    NOT_STARTED,
    Accuracy,
    HeatCell,
    accuracy_by_category,
    calendar_weeks,
    due_forecast,
    heat_level,
    mastery_by_category,
    overall_accuracy,
    percent,
    reviews_per_day,
    stability_band,
    week_rows,
)

# Monday 23 November 2026, noon UTC.
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# Reviews per day ------------------------------------------------------------------


def test_reviews_are_counted_by_the_students_local_day() -> None:
    moments = [utc(20, 23, 30), utc(21, 0, 30), utc(21, 9), utc(21, 23, 59)]
    assert reviews_per_day(moments, "UTC") == {date(2026, 11, 20): 1, date(2026, 11, 21): 3}
    # Tokyo is UTC+9: 23:30 on the 20th is 08:30 on the 21st; 23:59 on the 21st is the 22nd.
    assert reviews_per_day(moments, "Asia/Tokyo") == {date(2026, 11, 21): 3, date(2026, 11, 22): 1}
    # New York is UTC-5 in November: 00:30 UTC on the 21st is still the evening of the 20th.
    assert reviews_per_day(moments, "America/New_York") == {
        date(2026, 11, 20): 2,
        date(2026, 11, 21): 2,
    }


def test_an_unknown_time_zone_counts_in_utc() -> None:
    assert reviews_per_day([utc(21, 23)], "Mars/Olympus") == {date(2026, 11, 21): 1}


def test_heat_levels_are_relative_to_the_busiest_day() -> None:
    # ceil(count * 4 / busiest), at least 1 for any review at all.
    assert [heat_level(count, 10) for count in (0, 1, 2, 3, 5, 7, 8, 10)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        4,
        4,
    ]
    assert heat_level(0, 0) == 0


def test_calendar_weeks_run_monday_to_sunday_and_end_with_this_week() -> None:
    wednesday = date(2026, 11, 25)
    weeks = calendar_weeks({wednesday: 4, date(2026, 11, 16): 2}, wednesday, weeks=2)
    assert len(weeks) == 2
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0] == HeatCell(date(2026, 11, 16), 2, 2)
    assert weeks[1][0] == HeatCell(date(2026, 11, 23), 0, 0)
    assert weeks[1][2] == HeatCell(wednesday, 4, 4)
    assert weeks[1][3:] == [None, None, None, None]  # Thursday to Sunday are still ahead


def test_calendar_weeks_ignore_reviews_outside_the_window_for_shading() -> None:
    weeks = calendar_weeks({date(2026, 1, 1): 100, TODAY: 3}, TODAY, weeks=26)
    assert len(weeks) == 26
    assert weeks[0][0].day == date(2026, 6, 1)  # 25 weeks (175 days) before this Monday
    assert weeks[-1][0] == HeatCell(TODAY, 3, 4)


def test_week_rows_give_each_mondays_counts_and_total() -> None:
    wednesday = date(2026, 11, 25)
    weeks = calendar_weeks(
        {wednesday: 4, date(2026, 11, 16): 2, date(2026, 11, 22): 1}, wednesday, weeks=2
    )
    assert week_rows(weeks) == [
        (date(2026, 11, 16), [2, 0, 0, 0, 0, 0, 1], 3),
        (date(2026, 11, 23), [0, 0, 4, None, None, None, None], 4),
    ]


# Due forecast --------------------------------------------------------------------


def test_forecast_counts_cards_per_local_day_with_overdue_on_today() -> None:
    dues = [
        utc(20, 8),
        utc(23, 11),
        utc(23, 18),
        utc(24, 23, 30),
        utc(25, 1),
        NOW + timedelta(days=29),
        NOW + timedelta(days=30),
    ]
    forecast = due_forecast(dues, NOW, "UTC", days=30)
    assert len(forecast) == 30
    assert forecast[0] == (TODAY, 3)  # overdue from the 20th, and two due today
    assert forecast[1] == (date(2026, 11, 24), 1)
    assert forecast[2] == (date(2026, 11, 25), 1)
    assert forecast[29] == (date(2026, 12, 22), 1)  # the 30th day; the 31st is left out
    assert sum(count for _, count in forecast) == 6


def test_forecast_uses_the_students_day() -> None:
    # Tokyo: 23:30 UTC on the 24th is already the 25th there.
    forecast = due_forecast([utc(24, 23, 30)], NOW, "Asia/Tokyo", days=3)
    assert forecast == [(TODAY, 0), (date(2026, 11, 24), 0), (date(2026, 11, 25), 1)]


def test_an_empty_forecast_is_all_zeros() -> None:
    assert due_forecast([], NOW, "UTC", days=2) == [(TODAY, 0), (date(2026, 11, 24), 0)]


# Accuracy ----------------------------------------------------------------------


def test_accuracy_is_the_share_rated_good_or_easy() -> None:
    reviews = [
        ("dates", 1),
        ("dates", 2),
        ("dates", 3),
        ("dates", 4),
        ("slogans", 3),
        ("slogans", 3),
        ("slogans", 1),
        ("zeta", 4),
    ]
    rows = accuracy_by_category(reviews, ("slogans", "dates", "events"))
    assert rows == [Accuracy("slogans", 3, 2), Accuracy("dates", 4, 2), Accuracy("zeta", 1, 1)]
    assert [row.percent for row in rows] == [67, 50, 100]
    total = overall_accuracy(rows)
    assert (total.reviews, total.good_or_easy, total.percent) == (8, 5, 62)  # 62.5 rounds to 62


def test_no_reviews_means_no_accuracy_rows() -> None:
    assert accuracy_by_category([]) == []
    assert overall_accuracy([]).percent is None
    assert percent(0, 0) is None


# Mastery -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stability", "band"),
    [
        (None, NOT_STARTED),
        (0.2, "Under 1 day"),
        (0.999, "Under 1 day"),
        (1.0, "1 to 7 days"),
        (6.9, "1 to 7 days"),
        (7.0, "7 to 30 days"),
        (29.99, "7 to 30 days"),
        (30.0, "Over 30 days"),
        (400.0, "Over 30 days"),
    ],
)
def test_stability_bands(stability: float | None, band: str) -> None:
    assert stability_band(stability) == band


def test_mastery_counts_states_and_bands_with_unstarted_as_new() -> None:
    questions = [
        ("dates", None, None),
        ("dates", None, None),
        ("dates", 1, 0.4),
        ("dates", 2, 12.0),
        ("events", 2, 45.0),
        ("events", 3, 2.5),
        ("events", 2, 3.0),
    ]
    dates, events = mastery_by_category(questions, ("dates", "events"))
    assert dates.category == "dates"
    assert dates.total == 4
    assert dates.by_state == {0: 2, 1: 1, 2: 1, 3: 0}
    assert dates.by_band == {
        NOT_STARTED: 2,
        "Under 1 day": 1,
        "1 to 7 days": 0,
        "7 to 30 days": 1,
        "Over 30 days": 0,
    }
    assert events.by_state == {0: 0, 1: 0, 2: 2, 3: 1}
    assert events.by_band == {
        NOT_STARTED: 0,
        "Under 1 day": 0,
        "1 to 7 days": 2,
        "7 to 30 days": 0,
        "Over 30 days": 1,
    }


def test_mastery_puts_known_categories_first() -> None:
    rows = mastery_by_category(
        [("b", None, None), ("x", None, None), ("a", None, None)], ("x", "missing")
    )
    assert [row.category for row in rows] == ["x", "a", "b"]
