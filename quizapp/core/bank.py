"""The question bank: its schema, loader and validator.

The bank is a folder of YAML files (one per category) and the source texts the
questions cite. ``read_bank`` never stops at the first mistake: it returns every
problem it finds, each naming the file, the question and the field, so that an
author can fix a whole file in one pass. ``load_bank`` is the strict form that
refuses a bank with any problem.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quizapp.core.parsing import parse_date, parse_quantity
from quizapp.core.sources import Source, contains_quote

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

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_GAP_PATTERN = re.compile(r"_{3,}")
_REQUIRED = ("id", "kind", "category", "prompt", "answer", "source", "evidence", "explanation")
_OPTIONAL = ("tags", "accepted", "choices", "more_evidence", "note")
_KNOWN_FIELDS = frozenset(_REQUIRED + _OPTIONAL)


@dataclass(frozen=True)
class Evidence:
    """A quote from one source text that supports an answer."""

    source: str
    quote: str


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
    questions: tuple[BankQuestion, ...]
    sources: dict[str, Source] = field(default_factory=dict)

    def by_id(self) -> dict[str, BankQuestion]:
        return {question.id: question for question in self.questions}


def load_bank(directory: str | Path) -> Bank:
    """Read and check the bank; raise ``BankError`` listing every problem."""
    bank, problems = read_bank(directory)
    if problems:
        raise BankError(problems)
    return bank


def read_bank(directory: str | Path) -> tuple[Bank, list[Problem]]:
    """Read every bank file and source, returning the sound questions and all problems."""
    root = Path(directory)
    problems: list[Problem] = []
    sources = read_sources(root / "sources", problems)
    questions: list[BankQuestion] = []
    seen: dict[str, str] = {}
    files = sorted(root.glob("*.yaml")) + sorted(root.glob("*.yml"))
    if not files:
        problems.append(Problem(str(root), "no bank files (*.yaml) found"))
    for path in files:
        for question in _read_file(path, sources, problems):
            if question.id in seen:
                problems.append(
                    Problem(path.name, f"duplicate id, first used in {seen[question.id]}",
                            question.id, "id")
                )
                continue
            seen[question.id] = path.name
            questions.append(question)
    return Bank(tuple(questions), sources), problems


def read_sources(directory: Path, problems: list[Problem] | None = None) -> dict[str, Source]:
    """The source texts in ``directory`` by key; unreadable ones become problems."""
    problems = [] if problems is None else problems
    sources: dict[str, Source] = {}
    for path in sorted(directory.glob("*.txt")):
        try:
            sources[path.stem] = Source(path.stem, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(f"sources/{path.name}", f"cannot be read: {error}"))
    if not sources:
        problems.append(Problem("sources", "no source texts (*.txt) found"))
    return sources


def _read_file(
    path: Path, sources: Mapping[str, Source], problems: list[Problem]
) -> list[BankQuestion]:
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        problems.append(Problem(name, f"is not valid YAML{where}: {problem}"))
        return []
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(name, f"cannot be read: {error}"))
        return []
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        problems.append(Problem(name, "must be a mapping with a 'questions' list"))
        return []
    questions = []
    for index, raw in enumerate(data["questions"], start=1):
        question = parse_question(raw, name, sources, problems, position=index)
        if question is not None:
            questions.append(question)
    return questions


def parse_question(
    raw: Any,
    file: str,
    sources: Mapping[str, Source],
    problems: list[Problem],
    position: int = 0,
) -> BankQuestion | None:
    """Validate one raw question mapping; add its problems and return it if sound."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, f"question #{position} is not a mapping"))
        return None
    qid = raw.get("id")
    label = qid if isinstance(qid, str) and qid else f"question #{position}"
    checker = _QuestionChecker(raw, file, label, sources)
    question = checker.build()
    problems.extend(checker.problems)
    return question


class _QuestionChecker:
    """Checks one question's fields, collecting a problem per bad field."""

    def __init__(
        self, raw: dict[str, Any], file: str, label: str, sources: Mapping[str, Source]
    ) -> None:
        self.raw = raw
        self.file = file
        self.label = label
        self.sources = sources
        self.problems: list[Problem] = []

    def fail(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.file, message, self.label, field_name))

    def build(self) -> BankQuestion | None:
        for unknown in sorted(set(self.raw) - _KNOWN_FIELDS):
            self.fail(unknown, "unknown field")
        for name in _REQUIRED:
            if self.raw.get(name) in (None, "", []):
                self.fail(name, "is required")
        if self.problems:
            return None
        qid = self.text("id")
        if qid is not None and not _ID_PATTERN.match(qid):
            self.fail("id", "must be lowercase letters, digits and single hyphens")
        kind = self.choice_of("kind", KINDS)
        category = self.choice_of("category", CATEGORIES)
        if category and Path(self.file).stem in CATEGORIES and Path(self.file).stem != category:
            self.fail("category", f"is '{category}' but the file holds '{Path(self.file).stem}'")
        prompt = self.text("prompt")
        explanation = self.text("explanation")
        note = self.text("note", required=False)
        tags = self.text_list("tags")
        accepted = self.text_list("accepted")
        choices = self.text_list("choices")
        source = self.text("source")
        evidence = self.text("evidence")
        more = self.more_evidence()
        if source is not None and evidence is not None:
            self.check_quote("evidence", source, evidence)
        answer = self.answer(kind, prompt, choices, accepted)
        if self.problems:
            return None
        assert qid and kind and category and prompt and explanation and source and evidence
        assert answer is not None
        return BankQuestion(
            id=qid, kind=kind, category=category, prompt=prompt, answer=answer,
            source=source, evidence=evidence, explanation=explanation, tags=tuple(tags),
            accepted=tuple(accepted), choices=tuple(choices), more_evidence=more,
            note=note, file=self.file,
        )

    def text(self, name: str, required: bool = True) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(name, "must be text")
            return None
        text = str(value).strip()
        if required and not text:
            self.fail(name, "is required")
        return text or None

    def text_list(self, name: str) -> list[str]:
        value = self.raw.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(
            isinstance(item, str | int) and not isinstance(item, bool) and str(item).strip()
            for item in value
        ):
            self.fail(name, "must be a list of non-empty texts")
            return []
        return [str(item).strip() for item in value]

    def choice_of(self, name: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(name)
        if value is not None and value not in allowed:
            self.fail(name, f"'{value}' is not one of: {', '.join(allowed)}")
            return None
        return value

    def check_quote(self, name: str, source: str, quote: str) -> None:
        text = self.sources.get(source)
        if text is None:
            known = ", ".join(sorted(self.sources)) or "none"
            self.fail(name, f"cites unknown source '{source}' (known: {known})")
        elif not contains_quote(text.text, quote):
            self.fail(name, f"not found verbatim in source '{source}': {quote!r}")

    def more_evidence(self) -> tuple[Evidence, ...]:
        value = self.raw.get("more_evidence")
        if value is None:
            return ()
        items: list[Evidence] = []
        if not isinstance(value, list):
            self.fail("more_evidence", "must be a list of {source, quote} mappings")
            return ()
        for number, item in enumerate(value, start=1):
            name = f"more_evidence[{number}]"
            if (
                not isinstance(item, dict)
                or set(item) != {"source", "quote"}
                or not all(isinstance(v, str) and v.strip() for v in item.values())
            ):
                self.fail(name, "must be a mapping with exactly 'source' and 'quote' texts")
                continue
            self.check_quote(name, item["source"].strip(), item["quote"].strip())
            items.append(Evidence(item["source"].strip(), item["quote"].strip()))
        return tuple(items)

    def answer(
        self, kind: str | None, prompt: str | None, choices: list[str], accepted: list[str]
    ) -> str | tuple[str, ...] | None:
        raw = self.raw.get("answer")
        if kind is None:
            return None
        if kind != "choice" and choices:
            self.fail("choices", "only multiple-choice questions have choices")
        if kind not in ("short", "cloze") and accepted:
            self.fail("accepted", "only short and cloze questions list accepted answers")
        if kind == "order":
            return self.order_answer(raw)
        answer = self.text("answer")
        if answer is None:
            return None
        check = getattr(self, f"check_{kind}")
        check(answer, prompt or "", choices)
        return answer

    def order_answer(self, raw: Any) -> tuple[str, ...] | None:
        if not isinstance(raw, list):
            self.fail("answer", "an order question's answer is a list of events, earliest first")
            return None
        items = self.text_list("answer")
        if not 3 <= len(items) <= 6:
            self.fail("answer", f"an order question needs 3 to 6 events, not {len(items)}")
        if len({_fold(item) for item in items}) != len(items):
            self.fail("answer", "the events to order must be distinct")
        return tuple(items)

    def check_short(self, answer: str, prompt: str, choices: list[str]) -> None:
        """Any text is a short answer."""

    def check_cloze(self, answer: str, prompt: str, choices: list[str]) -> None:
        gaps = len(_GAP_PATTERN.findall(prompt))
        if gaps != 1:
            self.fail("prompt", f"a cloze prompt needs exactly one gap '___', found {gaps}")

    def check_choice(self, answer: str, prompt: str, choices: list[str]) -> None:
        if not 3 <= len(choices) <= 6:
            self.fail("choices", f"a multiple-choice question needs 3 to 6 choices, not "
                      f"{len(choices)}")
        if len({_fold(choice) for choice in choices}) != len(choices):
            self.fail("choices", "the choices must be distinct")
        if choices and answer not in choices:
            self.fail("answer", f"'{answer}' is not among the choices")

    def check_number(self, answer: str, prompt: str, choices: list[str]) -> None:
        if parse_quantity(answer) is None:
            self.fail("answer", f"'{answer}' is not a number or a vote count such as '10 to 2'")

    def check_date(self, answer: str, prompt: str, choices: list[str]) -> None:
        if parse_date(answer) is None:
            self.fail("answer", f"'{answer}' is not a date or time such as '24 October 1917'")


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()
