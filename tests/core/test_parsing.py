"""The shared parsers: numbers, vote counts, dates and times."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.parsing import (
    DateValue,
    format_quantity,
    parse_date,
    parse_number,
    parse_quantity,
    parse_vote,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("26,000", 26_000),
        ("26000", 26_000),
        ("26 000", 26_000),
        ("twenty-six thousand", 26_000),
        ("two hundred thousand", 200_000),
        ("100,000", 100_000),
        ("one hundred thousand", 100_000),
        ("15 million", 15_000_000),
        ("15m", 15_000_000),
        ("1.5 million", 1_500_000),
        ("about 15 million", 15_000_000),
        ("twelve", 12),
        ("200k", 200_000),
    ],
)
def test_numbers_in_every_common_form(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "many", "10-2", "10 2", "1.5", "twelve apples", "26,00"])
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text",
    ["10 to 2", "10-2", "10:2", "10\u20132", "ten to two", "10 votes to 2", "10 vs 2", "10 2"],
)
def test_vote_counts_in_any_shape(text: str) -> None:
    assert parse_vote(text) == (10, 2)


def test_quantity_reads_number_words_before_votes() -> None:
    assert parse_quantity("twenty-six") == 26
    assert parse_quantity("10 to 2") == (10, 2)
    assert format_quantity((10, 2)) == "10 to 2"
    assert format_quantity(26_000) == "26,000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24 October 1917", DateValue(1917, 10, 24)),
        ("24 October", DateValue(None, 10, 24)),
        ("Oct 24th", DateValue(None, 10, 24)),
        ("October 24, 1917", DateValue(1917, 10, 24)),
        ("the 2nd of September 1917", DateValue(1917, 9, 2)),
        ("24/10", DateValue(None, 10, 24)),
        ("24.10.1917", DateValue(1917, 10, 24)),
        ("10/24/1917", DateValue(1917, 10, 24)),
        ("1917-10-24", DateValue(1917, 10, 24)),
        ("September 1917", DateValue(1917, 9, None)),
        ("1922", DateValue(year=1922)),
        ("9pm", DateValue(hour=21, minute=0)),
        ("9.00 pm", DateValue(hour=21, minute=0)),
        ("9:00 p.m.", DateValue(hour=21, minute=0)),
        ("21:00", DateValue(hour=21, minute=0)),
        ("0900", DateValue(hour=9, minute=0)),
        ("12 am", DateValue(hour=0, minute=0)),
    ],
)
def test_dates_and_times(text: str, expected: DateValue) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "31 September", "13/13", "25:00", "13pm"])
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_date_describe_is_the_canonical_form() -> None:
    assert DateValue(1917, 10, 24).describe() == "24 October 1917"
    assert DateValue(hour=21, minute=0).describe() == "9:00 pm"


@given(st.text(max_size=40))
def test_parsers_never_raise(text: str) -> None:
    parse_quantity(text)
    parse_date(text)


@given(st.integers(min_value=0, max_value=10**9))
def test_formatted_numbers_read_back(value: int) -> None:
    assert parse_number(format_quantity(value)) == value


@pytest.mark.parametrize(
    "text", ["ten two", "five four", "twenty twenty", "9" * 5000, "-26000", "thousand million"]
)
def test_number_words_must_form_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_a_hundred_and_votes_with_words() -> None:
    assert parse_number("a hundred thousand") == 100_000
    assert parse_number("nineteen hundred") == 1900
    assert parse_vote("10 for, 2 against") == (10, 2)
    assert parse_vote("10 v 2") == (10, 2)
