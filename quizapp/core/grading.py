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

from rapidfuzz.distance import OSA

from quizapp.core.bank import Question
from quizapp.core.parsing import DateValue, parse_date, parse_quantity

#: The year every undated day in the texts belongs to: "24 October" means 1917.
CONTEXT_YEAR = 1917

#: Names of people in the texts. A typo is accepted only when the response is
#: nearer the right name than any of these, so "Kamenev" never passes for
#: "Kornilov", nor "Zinoviev" for "Kamenev".
KNOWN_NAMES = (
    "lenin", "trotsky", "kerensky", "kornilov", "zinoviev", "kamenev", "stalin",
    "nicholas", "krasnov", "ulyanov", "bronstein",
)

#: Given names and titles that may be added to or left off a surname.
_GIVEN_NAMES = frozenset({
    "vladimir", "ilyich", "ilich", "leon", "lev", "davidovich", "alexander", "aleksandr",
    "fyodorovich", "lavr", "georgiyevich", "grigory", "grigori", "yevseyevich", "joseph",
    "josef", "iosif", "vissarionovich", "general", "comrade", "v", "i", "l", "a", "g", "j",
    "prime", "minister", "mr",
})
_ARTICLES = frozenset({"a", "an", "the"})
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


def grade(question: Question, response: str) -> Verdict:
    """Check ``response`` against ``question``; never raises on any string.

    An order question's response is its items in the student's order, one per
    line (``order_response`` builds it).
    """
    expected = expected_text(question)
    if not response or not response.strip():
        return Verdict(False, expected, message="No answer given.")
    checker = _CHECKERS[question.kind]
    return checker(question, response, expected)


def expected_text(question: Question) -> str:
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


def _surname_form(text: str) -> str:
    """The text without given names or titles: "Leon Trotsky" -> "trotsky"."""
    words = normalise(text).split()
    kept = [word for word in words if word not in _GIVEN_NAMES]
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


def _check_text(question: Question, response: str, expected: str) -> Verdict:
    answers = [str(question.answer), *question.accepted]
    given = normalise(response)
    if any(given == normalise(answer) for answer in answers):
        return Verdict(True, expected)
    given_surname = _surname_form(response)
    if any(given_surname == _surname_form(answer) for answer in answers):
        return Verdict(True, expected)
    given_names = _name_set(response)
    if given_names and any(given_names == _name_set(answer) for answer in answers):
        return Verdict(True, expected)
    if _is_near_miss(given_surname, [_surname_form(answer) for answer in answers]):
        return Verdict(True, expected, near_miss=True,
                       message=f"Accepted as a typo: the spelling is “{expected}”.")
    return Verdict(False, expected)


def _is_near_miss(given: str, answers: Sequence[str]) -> bool:
    """Within the typo budget of an answer, and not nearer another known name."""
    for answer in answers:
        distance = OSA.distance(given, answer)
        if distance == 0 or distance > _typo_budget(answer):
            continue
        rivals = (name for name in KNOWN_NAMES if name != answer and name not in answer)
        if all(OSA.distance(given, rival) > distance for rival in rivals):
            return True
    return False


def _check_choice(question: Question, response: str, expected: str) -> Verdict:
    chosen = normalise(response)
    return Verdict(chosen == normalise(str(question.answer)), expected)


def _check_number(question: Question, response: str, expected: str) -> Verdict:
    wanted = parse_quantity(str(question.answer))
    given = parse_quantity(response)
    if given is None:
        return Verdict(False, expected, message="That is not a number I can read.")
    return Verdict(given == wanted, expected)


def _check_date(question: Question, response: str, expected: str) -> Verdict:
    wanted = parse_date(str(question.answer))
    given = parse_date(response)
    if given is None or wanted is None:
        return Verdict(False, expected, message="That is not a date or time I can read.")
    return Verdict(_same_date(wanted, given), expected)


def _same_date(wanted: DateValue, given: DateValue) -> bool:
    """Every part the answer gives must match; 1917 may be left unsaid after a day."""
    if wanted.has_time:
        return (wanted.hour, wanted.minute or 0) == (given.hour, given.minute or 0) and (
            not given.has_date
        )
    if given.has_time:
        return False
    year = given.year
    if year is None and wanted.year == CONTEXT_YEAR and wanted.month is not None:
        year = CONTEXT_YEAR
    return (wanted.year, wanted.month, wanted.day) == (year, given.month, given.day)


def _check_order(question: Question, response: str, expected: str) -> Verdict:
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
