"""Reading a teacher's file of questions: CSV, Quizlet-style TSV or GIFT, all or nothing.

Every question is checked by the bank's own checker (``checker.parse_question``)
as a teacher's own question: it needs no source or evidence, but its kind,
category, answer, choices and gap follow the bank's rules. Every problem in the
file is reported at once, each with the line it starts on, and nothing is
returned until the whole file is clean, so the caller writes all or nothing.

The CSV has the export's columns (``tabular.CSV_COLUMNS``); ``kind``, ``prompt``
and ``answer`` are required, ``category`` defaults to the one chosen on the
upload, and ``id``, ``source`` and ``evidence`` are ignored (imported questions
get ids of their own and quote no source). The TSV is ``term<TAB>definition``
per line: short-answer questions. A formula-like cell must carry the leading
``'`` the exports give it, which is taken off; a bare ``=``, ``+``, ``-`` or ``@``
at the start of a cell is refused, since the file may have been through a
spreadsheet that would run it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

from quizapp.core.bank import CATEGORIES, CATEGORY_LABELS, BankQuestion, Problem
from quizapp.core.checker import parse_question
from quizapp.core.controls import control_characters_by_line
from quizapp.core.exports.gift_reader import blocks, read_block
from quizapp.core.exports.tabular import FORMULA_STARTS, LIST_SEPARATOR, from_spreadsheet
from quizapp.core.grading import grade

FORMATS = ("csv", "tsv", "gift")
FORMAT_LABELS = {
    "csv": "CSV (the export's columns)",
    "tsv": "TSV (term, tab, definition)",
    "gift": "GIFT (Moodle)",
}
#: One quiz set's worth; a larger file is almost certainly the wrong one.
MAX_QUESTIONS = 500
#: Long enough for any real prompt or explanation; the database columns are text.
MAX_TEXT = 2000
MAX_TAG = 60
REQUIRED_COLUMNS = ("kind", "prompt", "answer")
LIST_COLUMNS = ("tags", "accepted", "choices")
TEXT_COLUMNS = ("category", "explanation", "note")
_TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FORMULA = tuple(start for start in FORMULA_STARTS if start not in "\t\r")


@dataclass(frozen=True)
class ImportProblem:
    """One problem, tied to the line it starts on, or to the whole file (line None)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"File: {self.message}" if self.line is None else f"Line {self.line}: {self.message}"


class ImportInvalid(ValueError):
    """The file cannot be imported; ``errors`` holds every problem found, in file order."""

    def __init__(self, errors: Sequence[ImportProblem]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class Imported:
    """One sound question from the file (its id is given when it is stored)."""

    line: int
    question: BankQuestion


def read_questions(data: bytes, fmt: str, default_category: str) -> list[Imported]:
    """The questions in an uploaded file, or ImportInvalid listing everything wrong with it."""
    if fmt not in FORMATS:
        raise ImportInvalid([ImportProblem(None, f"unknown format {fmt!r}")])
    if default_category not in CATEGORIES:
        raise ImportInvalid([ImportProblem(None, f"unknown category {default_category!r}")])
    text = _decode(data)
    _refuse_controls(text)
    raws = {"csv": _csv_raws, "tsv": _tsv_raws, "gift": _gift_raws}[fmt](text, default_category)
    errors: list[ImportProblem] = []
    found: list[Imported] = []
    for line, raw, problems in islice(raws, MAX_QUESTIONS + 1):
        if len(found) + len(errors) >= MAX_QUESTIONS:
            raise ImportInvalid([_too_many()])
        errors += [ImportProblem(line, message) for message in problems]
        if problems:
            continue
        question, messages = _checked(raw, narrow=fmt == "gift")
        errors += [ImportProblem(line, message) for message in messages]
        if question is not None and not messages:
            found.append(Imported(line, question))
    if errors:
        raise ImportInvalid(errors)
    if not found:
        raise ImportInvalid([ImportProblem(None, "no questions in the file")])
    return found


def _too_many() -> ImportProblem:
    return ImportProblem(
        None, f"more than {MAX_QUESTIONS} questions, the limit for one file; split it up"
    )


def _decode(data: bytes) -> str:
    """Strict UTF-8 (a leading BOM, as Excel writes it, removed); anything else refused."""
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        position = error.start + len(data) - len(body)
        line = data[:position].count(b"\n") + 1
        raise ImportInvalid(
            [
                ImportProblem(
                    None,
                    f"not UTF-8 text (byte 0x{data[position]:02x} on line {line}); "
                    "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
                )
            ]
        ) from error


def _refuse_controls(text: str) -> None:
    """Refuse a file with a control character on any line, as the form guard refuses one
    in any field (``quizapp.core.controls``; C1 controls such as ``\\x85`` too)."""
    errors = [
        ImportProblem(number, f"holds the control character {name}; only tabs and line breaks may")
        for number, name in control_characters_by_line(text)
    ]
    if errors:
        raise ImportInvalid(errors)


def _checked(raw: dict[str, Any], narrow: bool) -> tuple[BankQuestion | None, list[str]]:
    problems: list[Problem] = []
    question = parse_question({"id": "imported", **raw}, "upload", {}, problems, grounded=False)
    messages = [f"{p.field}: {p.message}" if p.field else p.message for p in problems]
    for text in (raw.get("prompt"), raw.get("explanation"), raw.get("note")):
        if isinstance(text, str) and len(text) > MAX_TEXT:
            messages.append(f"a text is {len(text)} characters; the limit is {MAX_TEXT}")
    for tag in raw.get("tags") or ():
        if len(tag) > MAX_TAG or not _TAG.match(tag):
            messages.append(f"tag {tag!r} must be lowercase letters, digits and hyphens")
    if question is None or messages:
        return None, messages
    return (_narrowed(question) if narrow else question), []


def _narrowed(question: BankQuestion) -> BankQuestion:
    """A GIFT short answer whose every form is one date (or one vote count) becomes that
    kind, so a Moodle export's date questions come back as dates. (A CSV names its kind.)"""
    if question.kind != "short":
        return question
    for kind in ("date", "number"):
        candidate = replace(question, kind=kind, accepted=())
        try:
            same = all(grade(candidate, form).correct for form in question.accepted)
            sound = grade(candidate, str(question.answer)).correct
        except (ValueError, TypeError):
            continue
        if sound and same:
            return candidate
    return question


# ---------------------------------------------------------------- CSV and TSV

Raw = tuple[int, dict[str, Any], list[str]]


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportInvalid([ImportProblem(start, f"not readable as CSV ({error})")]) from error


def _cell(value: str, column: str) -> tuple[str, list[str]]:
    """A cell's text with its protective quote taken off, or why it is refused."""
    value = value.strip()
    if value.startswith(_FORMULA):
        return "", [
            f"{column}: starts with {value[0]!r} like a spreadsheet formula; "
            "put a ' before it to keep it as text"
        ]
    return from_spreadsheet(value), []


def _csv_raws(text: str, default_category: str) -> Iterator[Raw]:
    records = _records(text, ",")
    header = next(records, None)
    if header is None:
        raise ImportInvalid(
            [ImportProblem(None, "the file is empty; the first row names the columns")]
        )
    names = [cell.strip().casefold() for cell in header[1]]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        listed = ", ".join(repr(name) for name in missing)
        raise ImportInvalid(
            [
                ImportProblem(
                    header[0], f"missing column(s) {listed}; the first row names the columns"
                )
            ]
        )
    wanted = (*REQUIRED_COLUMNS, *LIST_COLUMNS, *TEXT_COLUMNS)
    where = {name: names.index(name) for name in wanted if name in names}
    for line, cells in records:
        raw: dict[str, Any] = {}
        problems: list[str] = []
        for name, index in where.items():
            value, refused = _cell(cells[index] if index < len(cells) else "", name)
            problems += refused
            if name in LIST_COLUMNS or (name == "answer" and LIST_SEPARATOR.strip() in value):
                raw[name] = [item.strip() for item in value.split("|") if item.strip()]
            elif value:
                raw[name] = value
        raw.setdefault("category", default_category)
        yield line, _category(raw), problems


def _category(raw: dict[str, Any]) -> dict[str, Any]:
    """A category given by its label ("Key figures") is read as its key."""
    by_label = {label.casefold(): key for key, label in CATEGORY_LABELS.items()}
    value = raw.get("category")
    if isinstance(value, str) and value.casefold() in by_label:
        raw["category"] = by_label[value.casefold()]
    return raw


def _tsv_raws(text: str, default_category: str) -> Iterator[Raw]:
    for line, cells in _records(text, "\t"):
        if len(cells) != 2:
            yield (
                line,
                {},
                [f"needs a term and a definition separated by one tab, not {len(cells)} cells"],
            )
            continue
        (term, refused_term), (definition, refused_def) = (
            _cell(cells[0], "term"),
            _cell(cells[1], "definition"),
        )
        raw = {"kind": "short", "category": default_category, "prompt": term, "answer": definition}
        yield line, raw, refused_term + refused_def


# ---------------------------------------------------------------- GIFT


def _gift_raws(text: str, default_category: str) -> Iterator[Raw]:
    by_label = {label.casefold(): key for key, label in CATEGORY_LABELS.items()}
    category = default_category
    for line, block in blocks(text):
        read = read_block(line, block)
        if read.category is not None:
            name = read.category.casefold()
            category = by_label.get(name, name if name in CATEGORIES else default_category)
            continue
        if read.error:
            yield line, {}, [read.error]
            continue
        yield line, {**read.raw, "category": category}, []
