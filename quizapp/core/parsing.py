"""Parse the ways people write numbers, vote counts, dates and times.

The bank's answers and students' typed responses go through the same parsers,
so "26,000", "26000" and "twenty-six thousand" all mean one value. Every parser
returns ``None`` for text it cannot read instead of raising: a student's typing
is never an error, only a wrong answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SCALE_SUFFIXES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}

#: Longer "numbers" are not answers, and int() refuses over 4,300 digits anyway.
_MAX_NUMBER_TEXT = 80
_DIGITS = re.compile(r"^\d{1,3}(?:[,\s]\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^\d+\.\d+$")


def parse_number(text: str) -> int | None:
    """Read a whole number written in digits, words or a mix ("15 million").

    Returns None for anything else, including fractions that do not scale to a
    whole number.
    """
    cleaned = _strip_number_noise(text)
    if not cleaned or len(cleaned) > _MAX_NUMBER_TEXT or cleaned.startswith(("-", "\u2212")):
        return None
    value = _parse_digits(cleaned)
    if value is None:
        value = _parse_scaled(cleaned)
    if value is None:
        value = _parse_words(cleaned)
    return value


def _strip_number_noise(text: str) -> str:
    """Lower case, one space, no hedging words; "a hundred" reads as "one hundred"."""
    cleaned = text.strip().lower().replace("\u2009", " ").replace("\u00a0", " ")
    cleaned = re.sub(r"^(about|around|approximately|approx\.?|c\.|circa|some)\s+", "", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .")
    return re.sub(r"^an? (hundred|thousand|million|billion)\b", r"one \1", cleaned)


def _parse_digits(text: str) -> int | None:
    if _DIGITS.match(text):
        return int(re.sub(r"[,\s]", "", text))
    return None


def _parse_scaled(text: str) -> int | None:
    """Digits followed by a scale word or suffix: "15 million", "1.5m", "200k"."""
    match = re.match(r"^(\d+(?:[.,]\d+)?|\d{1,3}(?:,\d{3})+)\s*([a-z]+)$", text)
    if not match:
        return None
    number, scale_word = match.groups()
    scale = _SCALES.get(scale_word) or _SCALE_SUFFIXES.get(scale_word)
    if scale is None:
        return None
    if "," in number and not re.match(r"^\d{1,3}(?:,\d{3})+$", number):
        number = number.replace(",", ".")
    if _DECIMAL.match(number):
        value = float(number) * scale
        return int(value) if value.is_integer() else None
    return int(number.replace(",", "")) * scale


def _parse_words(text: str) -> int | None:
    """English number words: "twenty-six thousand", "one hundred and five".

    Words must follow the grammar of a number: "ten two" or "twenty twenty" is
    not twelve or forty, so a string of number words is refused, not summed.
    """
    words = [w for w in re.split(r"[\s-]+", text.replace(",", " ")) if w and w != "and"]
    if not words:
        return None
    total = 0
    current = 0
    last: str | None = None
    for word in words:
        kind, value = _word_value(word)
        if kind is None or not _may_follow(kind, last, current):
            return None
        if kind in ("unit", "tens", "digits"):
            current += value
        elif kind == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * value
            current = 0
        last = kind
    return total + current


def _word_value(word: str) -> tuple[str | None, int]:
    if word in _UNITS:
        return "unit", _UNITS[word]
    if word in _TENS:
        return "tens", _TENS[word]
    if word == "hundred":
        return "hundred", 100
    if word in _SCALES:
        return "scale", _SCALES[word]
    if word.isdecimal() and len(word) <= 3:
        return "digits", int(word)
    return None, 0


def _may_follow(kind: str, last: str | None, current: int) -> bool:
    """Whether a number word of ``kind`` may come after one of kind ``last``."""
    if kind in ("unit", "digits"):
        return last in (None, "hundred", "scale") or (
            last == "tens" and kind == "unit" and current % 10 == 0
        )
    if kind == "tens":
        return last in (None, "hundred", "scale")
    if kind == "hundred":
        return last is None or (last in ("unit", "digits") and current < 100)
    return last in (None, "unit", "tens", "hundred", "digits")


_VOTE_SEPARATORS = re.compile(
    r"\s*(?:\bto\b|\bvs?\.?(?=\s)|\bversus\b|\bagainst\b|[-\u2013\u2014:/])\s*"
)


def parse_vote(text: str) -> tuple[int, int] | None:
    """Read a vote count in any common shape: "10 to 2", "10-2", "10:2", "ten to two"."""
    cleaned = _strip_number_noise(text)
    cleaned = re.sub(r"\b(votes?|for|in favour|in favor|majority|by)\b", " ", cleaned)
    cleaned = re.sub(r"^an? ", "", cleaned)
    cleaned = re.sub(r"\s*\bagainst$", "", cleaned)
    cleaned = re.sub(r"[,;]", " ", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    parts = _VOTE_SEPARATORS.split(cleaned)
    if len(parts) != 2:
        parts = cleaned.split(" ")
        if len(parts) != 2 or not all(part.isdecimal() for part in parts):
            return None
    first, second = (parse_number(part) for part in parts)
    if first is None or second is None:
        return None
    return first, second


Quantity = int | tuple[int, int]


def parse_quantity(text: str) -> Quantity | None:
    """A number or, failing that, a vote count: the value of a `number` answer.

    Numbers are tried first so that "twenty-six" is 26, not a vote of 20 to 6.
    """
    number = parse_number(text)
    if number is not None:
        return number
    return parse_vote(text)


def format_quantity(value: Quantity) -> str:
    """Show a quantity the way the bank writes it: "26,000" or "10 to 2"."""
    if isinstance(value, tuple):
        return f"{value[0]:,} to {value[1]:,}"
    return f"{value:,}"


MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if len(word) < 3:
        return None
    for index, name in enumerate(MONTHS, start=1):
        if name.startswith(word) or (word == "sept" and name == "september"):
            return index
    return None


@dataclass(frozen=True)
class DateValue:
    """A date, part of a date, or a time of day, as far as the text gives it."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None

    @property
    def has_date(self) -> bool:
        return any(v is not None for v in (self.year, self.month, self.day))

    @property
    def has_time(self) -> bool:
        return self.hour is not None

    def describe(self) -> str:
        """The canonical display form: "24 October 1917", "9:00 pm"."""
        parts: list[str] = []
        if self.day is not None:
            parts.append(str(self.day))
        if self.month is not None:
            parts.append(MONTHS[self.month - 1].capitalize())
        if self.year is not None:
            parts.append(str(self.year))
        if self.hour is not None:
            suffix = "am" if self.hour < 12 else "pm"
            hour12 = self.hour % 12 or 12
            parts.append(f"{hour12}:{self.minute or 0:02d} {suffix}")
        return " ".join(parts)


_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_WORD = r"([a-z]{3,9}\.?)"
_YEAR = r"(\d{4})"
_TEXT_DATE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(rf"^(?:the )?{_ORDINAL} (?:of )?{_MONTH_WORD},? {_YEAR}$"), ("d", "m", "y")),
    (re.compile(rf"^{_MONTH_WORD} (?:the )?{_ORDINAL},? {_YEAR}$"), ("m", "d", "y")),
    (re.compile(rf"^(?:the )?{_ORDINAL} (?:of )?{_MONTH_WORD}$"), ("d", "m")),
    (re.compile(rf"^{_MONTH_WORD} (?:the )?{_ORDINAL}$"), ("m", "d")),
    (re.compile(rf"^{_MONTH_WORD},? {_YEAR}$"), ("m", "y")),
    (re.compile(rf"^(?:early |mid |late |mid-)?{_MONTH_WORD}$"), ("m",)),
)


def parse_date(text: str) -> DateValue | None:
    """Read a date or time in the forms people write, or return None.

    Day-first is assumed for numeric dates ("24/10"), as in British schools,
    unless only the month-first reading is a valid date ("10/24").
    """
    cleaned = re.sub(r"\s+", " ", text.strip().lower()).strip(" .")
    cleaned = re.sub(r"^(on|at|in) ", "", cleaned)
    if not cleaned:
        return None
    for parser in (_parse_year, _parse_time, _parse_numeric_date, _parse_text_date):
        value = parser(cleaned)
        if value is not None:
            return value
    return None


def _parse_year(text: str) -> DateValue | None:
    match = re.match(r"^(?:in )?([1-9]\d{3})$", text)
    return DateValue(year=int(match.group(1))) if match else None


def _parse_time(text: str) -> DateValue | None:
    text = text.replace("o'clock", "").replace("hours", "h").replace("hrs", "h").strip()
    text = re.sub(r"\b([ap])\.?\s?m\.?$", r"\1m", text)
    patterns = (
        r"^(\d{1,2})(?:[:.](\d{2}))?\s?(am|pm)$",
        r"^(\d{1,2})[:.h](\d{2})\s?h?$",
        r"^(0\d|1\d|2[0-3])(\d{2})\s?h?$",
        r"^(\d{1,2})\s?h$",
    )
    for pattern in patterns:
        match = re.match(pattern, text)
        if not match:
            continue
        groups = match.groups()
        hour = int(groups[0])
        minute = int(groups[1]) if len(groups) > 1 and groups[1] else 0
        meridiem = groups[2] if len(groups) > 2 else None
        if meridiem:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        if hour > 23 or minute > 59:
            return None
        return DateValue(hour=hour, minute=minute)
    return None


def _parse_numeric_date(text: str) -> DateValue | None:
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return _valid(day, month, year)
    match = re.match(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$", text)
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    written_year = _expand_year(match.group(3))
    return _valid(first, second, written_year) or _valid(second, first, written_year)


def _expand_year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text)
    return 1900 + year if len(text) == 2 else year


def _parse_text_date(text: str) -> DateValue | None:
    for pattern, fields in _TEXT_DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        found = dict(zip(fields, match.groups(), strict=True))
        month = _month_number(found["m"])
        if month is None:
            continue
        day = int(found["d"]) if "d" in found else None
        year = int(found["y"]) if "y" in found else None
        if day is None:
            return DateValue(year=year, month=month)
        return _valid(day, month, year)
    return None


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(day: int, month: int, year: int | None) -> DateValue | None:
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        return None
    return DateValue(year=year, month=month, day=day)
