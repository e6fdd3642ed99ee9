"""Self-test quizzes: drawing questions, offering same-type choices, scoring by category."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from quizapp.core.bank import CATEGORIES, BankQuestion
from quizapp.core.grading import KNOWN_NAMES, normalise
from quizapp.core.parsing import parse_date, parse_quantity

QUICK_MIX_SIZE = 10


@dataclass(frozen=True)
class QuizSpec:
    """What a student asked for: empty filters mean "any"."""

    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    count: int = QUICK_MIX_SIZE

    def matches(self, question: BankQuestion) -> bool:
        return (
            (not self.categories or question.category in self.categories)
            and (not self.kinds or question.kind in self.kinds)
            and (not self.tags or bool(set(self.tags) & set(question.tags)))
        )


def draw(questions: Iterable[BankQuestion], spec: QuizSpec, rng: random.Random) -> list[str]:
    """Up to ``spec.count`` matching question ids, without repeats, kinds interleaved.

    Taking kinds in turn keeps a mixed quiz mixed: a bank with many
    multiple-choice questions does not crowd out dates and timelines.
    """
    by_kind: dict[str, list[str]] = defaultdict(list)
    for question in questions:
        if spec.matches(question):
            by_kind[question.kind].append(question.id)
    for ids in by_kind.values():
        rng.shuffle(ids)
    kinds = sorted(by_kind)
    rng.shuffle(kinds)
    drawn: list[str] = []
    while len(drawn) < spec.count and any(by_kind.values()):
        for kind in kinds:
            if by_kind[kind] and len(drawn) < spec.count:
                drawn.append(by_kind[kind].pop())
    return drawn


def answer_type(question: BankQuestion) -> str | None:
    """The type of thing the answer is, for choosing distractors of the same type."""
    if question.kind == "date":
        when = parse_date(str(question.answer))
        return "time" if when and when.has_time else "date"
    if question.kind == "number":
        quantity = parse_quantity(str(question.answer))
        return "vote" if isinstance(quantity, tuple) else "number"
    if question.kind in ("short", "cloze") and normalise(str(question.answer)) in KNOWN_NAMES:
        return "person"
    return None


def same_type_distractors(
    question: BankQuestion, pool: Sequence[BankQuestion], count: int, rng: random.Random
) -> list[str]:
    """Wrong options of the answer's own type: other dates for a date, people for a person."""
    kind = answer_type(question)
    if kind is None:
        return []
    right = _value_key(question, str(question.answer))
    candidates = sorted(
        {
            str(other.answer)
            for other in pool
            if other.id != question.id
            and answer_type(other) == kind
            and _value_key(question, str(other.answer)) != right
        }
    )
    unique: dict[object, str] = {}
    for text in candidates:
        unique.setdefault(_value_key(question, text), text)
    options = list(unique.values())
    rng.shuffle(options)
    return options[:count]


def _value_key(question: BankQuestion, text: str) -> object:
    """What makes two answers the same: their parsed value, or their folded words."""
    if question.kind == "date":
        return parse_date(text)
    if question.kind == "number":
        return parse_quantity(text)
    return normalise(text)


def choices_for(
    question: BankQuestion, pool: Sequence[BankQuestion], rng: random.Random, always_choice: bool
) -> list[str]:
    """The options to show, shuffled; empty when the question is to be typed or ordered.

    A multiple-choice question uses its own authored options. With
    ``always_choice``, a typed question whose answer has a type gets three
    same-type distractors (if the bank has them).
    """
    if question.kind == "choice":
        options = list(question.choices)
    elif always_choice:
        distractors = same_type_distractors(question, pool, 3, rng)
        if len(distractors) < 2:
            return []
        options = [str(question.answer), *distractors]
    else:
        return []
    rng.shuffle(options)
    return options


@dataclass
class CategoryScore:
    right: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


@dataclass
class QuizScore:
    right: int = 0
    total: int = 0
    by_category: dict[str, CategoryScore] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


def score(results: Iterable[tuple[str, bool]]) -> QuizScore:
    """Totals and per-category scores from (category, correct) pairs, in bank order."""
    total = QuizScore()
    per: dict[str, CategoryScore] = defaultdict(CategoryScore)
    for category, correct in results:
        per[category].total += 1
        per[category].right += int(correct)
        total.total += 1
        total.right += int(correct)
    total.by_category = {c: per[c] for c in CATEGORIES if c in per}
    return total
