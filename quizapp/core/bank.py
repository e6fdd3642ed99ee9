"""The question bank's vocabulary: kinds, categories, a question, a bank, a problem.

These are the plain types everything else speaks. Checking raw data against
them is ``checker``'s job, and reading the files they come from belongs to
the edge (``quizapp.persistence.bank_files``), so this module holds data only.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from quizapp.core.sources import Source

KINDS = ("short", "choice", "cloze", "number", "date", "order")
CATEGORIES = ("dates", "slogans", "vote-counts", "key-figures", "events")
KIND_LABELS = {
    "short": "Short answer",
    "choice": "Multiple choice",
    "cloze": "Fill the gap",
    "number": "Number",
    "date": "Date",
    "order": "Timeline order",
}
CATEGORY_LABELS = {
    "dates": "Dates",
    "slogans": "Slogans",
    "vote-counts": "Vote counts",
    "key-figures": "Key figures",
    "events": "Events",
}


@dataclass(frozen=True)
class Evidence:
    """A quote from one source text that supports an answer."""

    source: str
    quote: str


def choice_order(question_id: str, choices: Sequence[str]) -> tuple[str, ...]:
    """A question's choices in the order every copy of it shows: shuffled, seeded by its id.

    The bank writes the right answer first, so a list shown as stored gives it
    away; the Anki export and the API both show this order, which stays the
    same from one export or call to the next. (The quiz and study pages shuffle
    per attempt instead, so they do not use it.)
    """
    order = list(choices)
    random.Random(f"choices:{question_id}").shuffle(order)
    return tuple(order)


@dataclass(frozen=True)
class BankQuestion:
    """One validated question, exactly as the bank file gives it."""

    id: str
    kind: str
    category: str
    prompt: str
    answer: str | tuple[str, ...]
    source: str
    evidence: str
    explanation: str
    tags: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    more_evidence: tuple[Evidence, ...] = ()
    note: str | None = None
    file: str = ""
    #: False for a teacher's own question: it quotes no source text (never in the hash).
    grounded: bool = True

    @property
    def all_evidence(self) -> tuple[Evidence, ...]:
        return (Evidence(self.source, self.evidence), *self.more_evidence)

    @property
    def answer_text(self) -> str:
        """The answer as one line of text, for display and search."""
        if isinstance(self.answer, tuple):
            return " → ".join(self.answer)
        return self.answer

    def to_dict(self) -> dict[str, Any]:
        """The question as plain JSON-ready data (the export format)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "category": self.category,
            "tags": list(self.tags),
            "prompt": self.prompt,
            "answer": list(self.answer) if isinstance(self.answer, tuple) else self.answer,
            "accepted": list(self.accepted),
            "choices": list(self.choices),
            "source": self.source,
            "evidence": self.evidence,
            "more_evidence": [{"source": e.source, "quote": e.quote} for e in self.more_evidence],
            "explanation": self.explanation,
            "note": self.note,
        }

    @property
    def content_hash(self) -> str:
        """A digest of the content, so a sync can tell an edited question apart."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the bank, located as precisely as it can be."""

    file: str
    message: str
    question_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.question_id:
            where.append(self.question_id)
        if self.field:
            where.append(self.field)
        return f"{': '.join(where)}: {self.message}"


class BankError(Exception):
    """The bank has problems; the message lists every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"the question bank has {len(self.problems)} problem(s):\n{lines}")


@dataclass
class Bank:
    """The sound questions of the bank with the source texts they cite, by key."""

    questions: tuple[BankQuestion, ...]
    sources: dict[str, Source] = field(default_factory=dict)

    def by_id(self) -> dict[str, BankQuestion]:
        return {question.id: question for question in self.questions}
