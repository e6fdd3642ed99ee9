"""What every export format derives from a question: answers as text, feedback.

A date question becomes a short answer with the ways of writing its date that
the app itself accepts; a number becomes a numerical answer (the app wants it
exactly, so the tolerance is 0) and a vote count a short answer in its usual
spellings.
"""

from __future__ import annotations

from collections.abc import Mapping

from quizapp.core.bank import CATEGORY_LABELS, BankQuestion
from quizapp.core.grading import CONTEXT_YEAR
from quizapp.core.parsing import MONTHS, DateValue, parse_date, parse_quantity

#: The name every export gives the collection: Anki's parent deck, Moodle's top category.
COLLECTION = "October Revolution 1917"

#: Shown where a teacher's own question stands in for the evidence a bank question quotes.
OWN_QUESTION = "A teacher's own question: not drawn from the source texts, no evidence quoted."


def category_label(question: BankQuestion) -> str:
    return CATEGORY_LABELS.get(question.category, question.category.replace("-", " ").title())


def numeric_answer(question: BankQuestion) -> int | None:
    """The answer as one number, for a numerical question; None for a vote count."""
    if question.kind != "number" or isinstance(question.answer, tuple):
        return None
    value = parse_quantity(question.answer)
    return value if isinstance(value, int) else None


def date_forms(answer: str) -> tuple[str, ...]:
    """The common ways to write a date answer, the bank's own form first."""
    value = parse_date(answer)
    forms = [answer]
    if value is not None:
        forms.extend(_forms_of(value))
    return tuple(dict.fromkeys(form for form in forms if form))


def _forms_of(value: DateValue) -> list[str]:
    if value.has_time:
        hour, minute = value.hour or 0, value.minute or 0
        hour12, suffix = hour % 12 or 12, "am" if hour < 12 else "pm"
        clock = [f"{hour12}:{minute:02d} {suffix}", f"{hour:02d}:{minute:02d}"]
        return [*clock, f"{hour}:{minute:02d}", *([f"{hour12} {suffix}"] if not minute else [])]
    if value.month is None:
        return [value.describe()]
    month = MONTHS[value.month - 1].capitalize()
    short = month[:3]
    # The app reads a date without a year as 1917, so both are accepted there.
    years: list[int | None] = [value.year] if value.year is not None else [None, CONTEXT_YEAR]
    if value.year == CONTEXT_YEAR:
        years.append(None)
    forms: list[str] = []
    for year in years:
        tail = f" {year}" if year is not None else ""
        if value.day is None:
            forms += [f"{month}{tail}", f"{short}{tail}"]
            continue
        day = value.day
        forms += [f"{day} {month}{tail}", f"{month} {day}{',' if year else ''}{tail}"]
        forms += [f"{day} {short}{tail}", f"{_ordinal(day)} {month}{tail}"]
        if year is not None:
            forms += [f"{day}/{value.month}/{year}", f"{day}.{value.month}.{year}"]
    return forms


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def vote_forms(answer: str) -> tuple[str, ...]:
    """A vote count as the bank writes it ("10 to 2") and its other spellings."""
    value = parse_quantity(answer)
    forms = [answer]
    if isinstance(value, tuple):
        yes, no = value
        forms += [f"{yes} to {no}", f"{yes}-{no}", f"{yes}\u2013{no}", f"{yes} votes to {no}"]
    return tuple(dict.fromkeys(forms))


def text_answers(question: BankQuestion) -> tuple[str, ...]:
    """Every answer a typed-answer format should accept, the main one first."""
    if question.kind == "date":
        return date_forms(str(question.answer))
    if question.kind == "number":
        return vote_forms(str(question.answer))
    return tuple(dict.fromkeys((str(question.answer), *question.accepted)))


def evidence_lines(
    question: BankQuestion, titles: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """Each evidence quote with the title of its source, or the teacher's-own marker."""
    if not question.grounded:
        return (OWN_QUESTION,)
    titles = titles or {}
    return tuple(
        f"“{item.quote}” ({titles.get(item.source, item.source)})" for item in question.all_evidence
    )


def feedback(question: BankQuestion, titles: Mapping[str, str] | None = None) -> str:
    """The explanation, the evidence and the note as one paragraph of plain text."""
    parts = [question.explanation.strip()]
    label = "Evidence: " if question.grounded else ""
    parts += [f"{label}{line}" for line in evidence_lines(question, titles)]
    if question.note:
        parts.append(f"Note on the sources: {question.note.strip()}")
    return " ".join(" ".join(part.split()) for part in parts if part)
