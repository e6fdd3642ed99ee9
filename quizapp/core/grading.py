"""Answer checking: generous where a teacher would be, strict where it matters.

``grade(question, response)`` reads a student's typed (or chosen) response
against a bank question. Case, punctuation, articles and spacing never matter;
dates, times, numbers and vote counts are compared by value, whatever their
form; a small typo in a name is accepted but flagged as a near miss, while a
different name is not accepted however close it looks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizapp.core.bank import BankQuestion
from quizapp.core.parsing import MONTHS, DateValue, Quantity, parse_date, parse_quantity

#: The year every undated day in the texts belongs to: "24 October" means 1917.
CONTEXT_YEAR = 1917

#: Names of people in the texts. A typo is accepted only when the response is
#: nearer the right name than any of these, so "Kamenev" never passes for
#: "Kornilov", nor "Zinoviev" for "Kamenev".
KNOWN_NAMES = (
    "lenin",
    "trotsky",
    "kerensky",
    "kornilov",
    "zinoviev",
    "kamenev",
    "stalin",
    "nicholas",
    "krasnov",
    "ulyanov",
    "bronstein",
)

#: Given names and titles that may be added to or left off a surname.
_GIVEN_NAMES = frozenset(
    {
        "vladimir",
        "ilyich",
        "ilich",
        "leon",
        "lev",
        "davidovich",
        "alexander",
        "aleksandr",
        "fyodorovich",
        "lavr",
        "georgiyevich",
        "grigory",
        "grigori",
        "yevseyevich",
        "joseph",
        "josef",
        "iosif",
        "vissarionovich",
        "general",
        "comrade",
        "prime",
        "minister",
        "mr",
        "tsar",
        "czar",
        "tzar",
        "emperor",
    }
)
#: Regnal numbers, which may be left off the end of a name: "Tsar Nicholas" is Nicholas II.
_REGNAL = frozenset({"ii", "2nd", "second"})
_ARTICLES = frozenset({"a", "an", "the"})
#: Words a number may be followed by whatever the prompt says: "15 million people".
_UNIT_WORDS = frozenset({"people", "dead", "deaths", "killed", "against"})
#: Punctuation around a number or date that says nothing about its value. A leading
#: "." or "-" is kept, since ".5" and "-5" are other numbers.
_LEADING_NOISE = " \t\r\n\"'\u201c\u201d\u2018\u2019\u00ab\u00bb([{"
_TRAILING_NOISE = _LEADING_NOISE + ")]}.,;:!?"
#: Longer responses (spacing aside) are not answers, and would make the parsers read
#: 5,000-digit numbers, which Python refuses to convert.
MAX_RESPONSE_LENGTH = 1000
ORDER_SEPARATOR = "\n"


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one response."""

    correct: bool
    expected: str
    near_miss: bool = False
    message: str = ""

    @property
    def label(self) -> str:
        if not self.correct:
            return "Not quite"
        return "Correct, but check the spelling" if self.near_miss else "Correct"


def grade(question: BankQuestion, response: str) -> Verdict:
    """Check ``response`` against ``question``; never raises on any string.

    An order question's response is its items in the student's order, one per
    line (``order_response`` builds it).
    """
    expected = expected_text(question)
    if not response or not response.strip():
        return Verdict(False, expected, message="No answer given.")
    if len(" ".join(response.split())) > MAX_RESPONSE_LENGTH:
        return Verdict(False, expected, message="That answer is too long to check.")
    checker = _CHECKERS[question.kind]
    return checker(question, response, expected)


def expected_text(question: BankQuestion) -> str:
    """The canonical answer to show after grading."""
    return question.answer_text


def order_response(items: Iterable[str]) -> str:
    """Join a student's ordering into the response ``grade`` expects."""
    return ORDER_SEPARATOR.join(items)


def normalise(text: str) -> str:
    """Fold case, accents, punctuation, articles and spacing away."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("&", " and ")
    words = re.sub(r"[^\w\s]|_", " ", plain).split()
    return " ".join(word for word in words if word not in _ARTICLES)


def _compact(text: str) -> str:
    """The normalised text without spaces, so "M.R.C." is "MRC"."""
    return normalise(text).replace(" ", "")


def _surname_form(text: str) -> str:
    """The text without given names, initials, titles or regnal number: "Tsar Nicholas II".

    Initials come before a surname and a regnal number after it, so "Nicholas I"
    keeps its "i" and is not taken for Nicholas II.
    """
    words = ["tsar" if word in ("czar", "tzar") else word for word in normalise(text).split()]
    if len(words) > 1 and words[-1] in _REGNAL:
        words = words[:-1]
    kept = [
        word
        for index, word in enumerate(words)
        if word not in _GIVEN_NAMES and not (len(word) == 1 and index < len(words) - 1)
    ]
    return " ".join(kept) if kept else " ".join(words)


def _name_set(text: str) -> frozenset[str] | None:
    """Several names in any order: "Kamenev and Zinoviev" is "Zinoviev, Kamenev"."""
    parts = [_surname_form(part) for part in re.split(r",|\band\b|&", text.casefold())]
    names = frozenset(part for part in parts if part)
    return names if len(names) > 1 else None


def _typo_budget(word: str) -> int:
    """How many edits a typo may make: none in short words, more in long ones."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2


def _check_text(question: BankQuestion, response: str, expected: str) -> Verdict:
    answers = [str(question.answer), *question.accepted]
    if any(_same_text(response, answer) for answer in answers):
        return Verdict(True, expected)
    if _is_near_miss(_surname_form(response), [_surname_form(answer) for answer in answers]):
        return Verdict(
            True,
            expected,
            near_miss=True,
            message=f"Accepted as a typo: the spelling is “{expected}”.",
        )
    return Verdict(False, expected)


def _same_text(response: str, answer: str) -> bool:
    """The same words, spacing aside; the same surname; or the same names in any order."""
    if _compact(response) == _compact(answer):
        return True
    if _surname_form(response) == _surname_form(answer):
        return True
    names = _name_set(response)
    return names is not None and names == _name_set(answer)


def _is_near_miss(given: str, answers: Sequence[str]) -> bool:
    """Within the typo budget of an answer, and not as near another known name or month.

    The first letter must match: a slip of the finger rarely changes it, while a
    different word ("deflation" for "inflation", "troubles" for "roubles") often does.
    rapidfuzz is imported here, on the first near miss to weigh, not with the app.
    """
    from rapidfuzz.distance import OSA

    for answer in answers:
        distance = OSA.distance(given, answer)
        if distance == 0 or distance > _typo_budget(answer) or given[:1] != answer[:1]:
            continue
        rivals = (name for name in (*KNOWN_NAMES, *MONTHS) if name != answer and name not in answer)
        if all(OSA.distance(given, rival) > distance for rival in rivals):
            return True
    return False


def _check_choice(question: BankQuestion, response: str, expected: str) -> Verdict:
    chosen = normalise(response)
    return Verdict(chosen == normalise(str(question.answer)), expected)


def _bare(text: str) -> str:
    """The response without surrounding punctuation or leading articles: "The (1922)."."""
    bare = ""
    while bare != text:
        bare = text
        words = text.lstrip(_LEADING_NOISE).rstrip(_TRAILING_NOISE).split()
        if len(words) > 1 and words[0].casefold() in _ARTICLES:
            words = words[1:]
        text = " ".join(words)
    return text


def _read_quantity(question: BankQuestion, response: str) -> Quantity | None:
    """The number in a response, after any trailing words that only name what is counted.

    "100,000 rifles" and "15 million lives" count: the trailing words are ones the
    prompt uses (or "people", "against"), never number words or months ("12
    October" is a date, not a count), and what is left must still read as a number.
    A leading minus is refused: the parser drops it, and no count is negative.
    """
    bare = _bare(response)
    if bare.startswith(("-", "\u2212")):
        return None
    words = bare.split()
    units = (_UNIT_WORDS | set(re.findall(r"[a-z]+", question.prompt.casefold()))) - set(MONTHS)
    while words:
        value = parse_quantity(" ".join(words))
        if value is not None:
            return value
        last = words.pop().casefold().strip(",.;:")
        if last not in units or parse_quantity(last) is not None:
            return None
    return None


def _check_number(question: BankQuestion, response: str, expected: str) -> Verdict:
    wanted = parse_quantity(str(question.answer))
    given = _read_quantity(question, response)
    if given is None:
        return Verdict(False, expected, message="That is not a number I can read.")
    return Verdict(given == wanted, expected)


def _check_date(question: BankQuestion, response: str, expected: str) -> Verdict:
    wanted = parse_date(str(question.answer))
    given = _read_date(response, wanted is not None and wanted.has_time)
    if given is None or wanted is None:
        return Verdict(False, expected, message="That is not a date or time I can read.")
    return Verdict(_same_date(wanted, given), expected)


def _read_date(response: str, want_time: bool) -> DateValue | None:
    """The date or time in a response, read as the kind of answer the question wants.

    The parser reads "2100" as a year and "7.11" as 7:11, but asked for the time
    of the Aurora's signal a student writing "2100" means 21:00 (as "0900" means
    9 am), and asked for a date one writing "7.11" means 7 November.
    """
    bare = _bare(response)
    clock = re.fullmatch(r"(?:at\s+)?(\d{4})", bare, flags=re.IGNORECASE)
    if want_time and clock:
        return parse_date(f"{clock.group(1)}h")
    day_month = re.fullmatch(r"(?:on\s+)?(\d{1,2})\.(\d{1,2})", bare, flags=re.IGNORECASE)
    if not want_time and day_month:
        return parse_date("/".join(day_month.groups()))
    return parse_date(bare)


def _same_date(wanted: DateValue, given: DateValue) -> bool:
    """Every part the answer gives must match; a day or month with no year is in 1917.

    Extra detail the answer does not give is no error: "27 August 1917" answers
    "in which month", as "December 1922" answers "in which year".
    """
    if wanted.has_time:
        return (wanted.hour, wanted.minute or 0) == (given.hour, given.minute or 0) and (
            not given.has_date
        )
    if given.has_time:
        return False
    year = CONTEXT_YEAR if given.year is None else given.year
    parts = zip(
        (wanted.year, wanted.month, wanted.day), (year, given.month, given.day), strict=True
    )
    return all(want is None or want == got for want, got in parts)


def _check_order(question: BankQuestion, response: str, expected: str) -> Verdict:
    items = [normalise(item) for item in response.split(ORDER_SEPARATOR) if item.strip()]
    wanted = [normalise(item) for item in question.answer]
    return Verdict(items == wanted, expected)


_CHECKERS = {
    "short": _check_text,
    "cloze": _check_text,
    "choice": _check_choice,
    "number": _check_number,
    "date": _check_date,
    "order": _check_order,
}
