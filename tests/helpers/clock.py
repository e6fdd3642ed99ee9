"""The tests' clock: the app reads it as now, so no test depends on the wall clock."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

# Where the tests' clock starts: a weekday afternoon in winter, far from any
# daylight-saving change, so no test depends on the hour or zone CI runs in.
CLOCK_START = datetime(2026, 1, 14, 13, 0, tzinfo=UTC)


class TestClock:
    """The app's clock in tests (the ``CLOCK`` setting).

    It starts at a fixed instant and runs on at the real pace from there, so
    things still happen in order; ``set`` moves it to another instant.
    """

    __test__ = False  # not a test class, despite the name

    def __init__(self, start: datetime = CLOCK_START) -> None:
        self.set(start)

    def set(self, instant: datetime) -> None:
        self._start, self._base, self._frozen = instant, time.monotonic(), False

    def freeze(self, instant: datetime) -> None:
        """Stand still at ``instant`` until the next ``set``: for a result that depends on
        the exact moment (a live answer's points), however slow the machine is."""
        self.set(instant)
        self._frozen = True

    def __call__(self) -> datetime:
        if self._frozen:
            return self._start
        return self._start + timedelta(seconds=time.monotonic() - self._base)


TEST_CLOCK = TestClock()


def utcnow() -> datetime:
    """Now on the tests' clock: what the app reads as now, in or out of an app context."""
    return TEST_CLOCK()


def today(zone: str = "Europe/London") -> date:
    """Today on the tests' clock, in ``zone`` (never the machine's own zone)."""
    return TEST_CLOCK().astimezone(ZoneInfo(zone)).date()
