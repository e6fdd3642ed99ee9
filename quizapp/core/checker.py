"""Checking the bank: raw question data in, sound questions and every problem out.

The checker works on data already parsed (the mappings a YAML file holds)
and on the source texts as ``Source`` objects; it never reads a file, so the
same rules apply wherever the data comes from. It never stops at the first
mistake: every problem it finds is recorded, each naming the file, the
question and the field, so that an author can fix a whole file in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from quizapp.core.bank import CATEGORIES, KINDS, Bank, BankQuestion, Evidence, Problem
from quizapp.core.parsing import parse_date, parse_quantity
from quizapp.core.sources import Source, contains_quote

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_GAP_PATTERN = re.compile(r"_{3,}")
_REQUIRED = ("id", "kind", "category", "prompt", "answer", "source", "evidence", "explanation")
_OPTIONAL = ("tags", "accepted", "choices", "more_evidence", "note")
_KNOWN_FIELDS = frozenset(_REQUIRED + _OPTIONAL)


def check_bank(
    files: Iterable[tuple[str, object]],
    sources: Mapping[str, Source],
    problems: list[Problem],
) -> Bank:
    """The sound questions of every file, each id kept once, with the sources they cite.

    ``files`` pairs each file's name with its parsed content. It is consumed in
    order, one file at a time, so a reader that cannot parse a file may record
    that problem in ``problems`` as it goes and every problem stays in file order.
    """
    questions: list[BankQuestion] = []
    seen: dict[str, str] = {}
    for name, data in files:
        for question in check_file(name, data, sources, problems):
            if question.id in seen:
                problems.append(
                    Problem(
                        name, f"duplicate id, first used in {seen[question.id]}", question.id, "id"
                    )
                )
                continue
            seen[question.id] = name
            questions.append(question)
    return Bank(tuple(questions), dict(sources))


def check_file(
    file: str, data: object, sources: Mapping[str, Source], problems: list[Problem]
) -> list[BankQuestion]:
    """The sound questions in one file's parsed content; its problems go to ``problems``."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        problems.append(Problem(file, "must be a mapping with a 'questions' list"))
        return []
    questions = []
    for index, raw in enumerate(data["questions"], start=1):
        question = parse_question(raw, file, sources, problems, position=index)
        if question is not None:
            questions.append(question)
    return questions


def parse_question(
    raw: object,
    file: str,
    sources: Mapping[str, Source],
    problems: list[Problem],
    position: int = 0,
    grounded: bool = True,
) -> BankQuestion | None:
    """Validate one raw question mapping; add its problems and return it if sound.

    A teacher's own question (``grounded=False``) cites no source: it needs no
    source, evidence or explanation, and any it has are not checked or kept.
    """
    if not isinstance(raw, dict):
        problems.append(Problem(file, f"question #{position} is not a mapping"))
        return None
    qid = raw.get("id")
    label = qid if isinstance(qid, str) and qid else f"question #{position}"
    checker = _QuestionChecker(raw, file, label, sources, grounded)
    question = checker.build()
    problems.extend(checker.problems)
    return question


class _QuestionChecker:
    """Checks one question's fields, collecting a problem per bad field."""

    def __init__(
        self,
        raw: dict[str, Any],
        file: str,
        label: str,
        sources: Mapping[str, Source],
        grounded: bool = True,
    ) -> None:
        self.grounded = grounded
        if not grounded:
            raw = {k: v for k, v in raw.items() if k not in ("source", "evidence", "more_evidence")}
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
        required = _REQUIRED if self.grounded else _REQUIRED[:5]
        for name in required:
            if self.raw.get(name) in (None, "", []):
                self.fail(name, "is required")
        if self.problems:
            return None
        qid = self.text("id")
        if qid is not None and not _ID_PATTERN.match(qid):
            self.fail("id", "must be lowercase letters, digits and single hyphens")
        kind = self.choice_of("kind", KINDS)
        category = self.choice_of("category", CATEGORIES)
        held = PurePosixPath(self.file).stem
        if category and held in CATEGORIES and held != category:
            self.fail("category", f"is '{category}' but the file holds '{held}'")
        prompt = self.text("prompt")
        explanation = self.text("explanation", required=self.grounded)
        note = self.text("note", required=False)
        tags = self.text_list("tags")
        accepted = self.text_list("accepted")
        choices = self.text_list("choices")
        source = self.text("source") if self.grounded else ""
        evidence = self.text("evidence") if self.grounded else ""
        more = self.more_evidence()
        if self.grounded and source is not None and evidence is not None:
            self.check_quote("evidence", source, evidence)
        answer = self.answer(kind, prompt, choices, accepted)
        # With no problem recorded every field is set; the test narrows their types too.
        if (
            self.problems
            or answer is None
            or not qid
            or not kind
            or not category
            or not prompt
            or (self.grounded and not (explanation and source and evidence))
        ):
            return None
        return BankQuestion(
            id=qid,
            kind=kind,
            category=category,
            prompt=prompt,
            answer=answer,
            source=source or "",
            evidence=evidence or "",
            explanation=explanation or "",
            tags=tuple(tags),
            accepted=tuple(accepted),
            choices=tuple(choices),
            more_evidence=more,
            note=note,
            file=self.file,
            grounded=self.grounded,
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
        checks: dict[str, Callable[[str, str, list[str]], None]] = {
            "short": self.check_short,
            "cloze": self.check_cloze,
            "choice": self.check_choice,
            "number": self.check_number,
            "date": self.check_date,
        }
        checks[kind](answer, prompt or "", choices)
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
            self.fail(
                "choices", f"a multiple-choice question needs 3 to 6 choices, not {len(choices)}"
            )
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
    """Text reduced to its words, so that near-identical choices count as the same."""
    return re.sub(r"\W+", " ", text.casefold()).strip()
