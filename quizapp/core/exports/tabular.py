"""Spreadsheet exports: a CSV with one row per question, and a Quizlet-style TSV.

The CSV's columns are ``CSV_COLUMNS`` (documented in the README). Lists (tags,
accepted answers, choices, an order's events) are joined with `` | ``. Cells a
spreadsheet would read as a formula (starting ``=``, ``+``, ``-`` or ``@``) are
written with a leading ``'``, as the gradebook CSVs are, and the importer takes
that quote off again. The TSV is ``term<TAB>definition`` per line (prompt, then
answer), the format Quizlet and most flashcard apps import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from quizapp.core.bank import BankQuestion

CSV_COLUMNS = (
    "id",
    "kind",
    "category",
    "tags",
    "prompt",
    "answer",
    "accepted",
    "choices",
    "explanation",
    "note",
    "source",
    "evidence",
)

#: Joins the items of a list in one cell; no question text contains it.
LIST_SEPARATOR = " | "

#: Cells starting with these are formulas to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet will show as text: formula-like strings get a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet(value: str) -> str:
    """A cell as written by ``spreadsheet_safe``, its protective quote taken off."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_row(question: BankQuestion) -> list[str]:
    """One question's cells, in ``CSV_COLUMNS`` order (a teacher's own has no source)."""
    answer = question.answer
    evidence = question.all_evidence if question.grounded else ()
    source = LIST_SEPARATOR.join(item.source for item in evidence)
    quotes = LIST_SEPARATOR.join(item.quote for item in evidence)
    return [
        question.id,
        question.kind,
        question.category,
        LIST_SEPARATOR.join(question.tags),
        question.prompt,
        LIST_SEPARATOR.join(answer) if isinstance(answer, tuple) else answer,
        LIST_SEPARATOR.join(question.accepted),
        LIST_SEPARATOR.join(question.choices),
        question.explanation,
        question.note or "",
        source,
        quotes,
    ]


def to_csv(questions: Iterable[BankQuestion]) -> str:
    """The questions as CSV (header row, then one row per question; UTF-8 when encoded)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for question in questions:
        writer.writerow([spreadsheet_safe(cell) for cell in csv_row(question)])
    return out.getvalue()


def _tsv_cell(text: str) -> str:
    # A tab or a line break would split the card; a TSV cell has neither.
    return str(spreadsheet_safe(" ".join(text.split())))


def to_tsv(questions: Iterable[BankQuestion]) -> str:
    """Quizlet-style flashcards: ``prompt<TAB>answer`` per line, no header."""
    return "".join(
        f"{_tsv_cell(question.prompt)}\t{_tsv_cell(question.answer_text)}\n"
        for question in questions
    )
