"""Moodle's GIFT format: one question per paragraph, a category line per category.

Multiple choice is ``{=right ~wrong}``, a short answer ``{=one =another}``
with every accepted form, a cloze the "missing word" form (the answer braces
stand in the gap), a number ``{#value:0}`` (the app wants it exactly), a date
or a vote count a short answer with its accepted spellings, and an order a
matching question (each event to its place, 1 the earliest). The general
feedback (``####``) carries the explanation, the evidence and its source, and
the note where the texts err. ``~ = # { } :`` and ``\\`` are escaped with a
backslash wherever they stand in text.

Moodle reads GIFT text as HTML: its default format, Moodle auto-format, lets markup
through, so a teacher's ``<script>`` would be taken as a tag. Every question is
therefore marked ``[html]`` and the texts Moodle shows (the question, the choices,
the matching items, the feedback) are written as HTML, with ``& < >`` as character
references, as the Moodle XML export writes them; they read in Moodle exactly as they
read here. The answers a student types (short answers, numbers) are compared, never
shown as HTML, so they are written as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from quizapp.core.bank import BankQuestion
from quizapp.core.exports.forms import (
    COLLECTION,
    category_label,
    feedback,
    numeric_answer,
    text_answers,
)

#: Characters GIFT gives a meaning to; in text they are written with a backslash.
SPECIAL = "\\~=#{}:"
GAP = re.compile(r"_{3,}")


#: The text format every question declares (Moodle's own name for it, in brackets).
FORMAT = "[html]"


def escape(text: str) -> str:
    """Text made safe for GIFT: specials escaped, white space (line breaks too) as one space."""
    flat = " ".join(text.split())
    return "".join("\\" + char if char in SPECIAL else char for char in flat)


def shown(text: str) -> str:
    """Text Moodle shows, as GIFT's HTML: ``& < >`` as character references (and a leading
    ``[``, which Moodle would read as a format of its own), then ``escape``."""
    markup = html.escape(" ".join(text.split()), quote=False)
    return escape("&#91;" + markup[1:] if markup.startswith("[") else markup)


def _edges(text: str) -> str:
    """Shown text that keeps a leading or trailing space (the gap's spacing)."""
    lead = " " if text[:1].isspace() else ""
    tail = " " if text[-1:].isspace() else ""
    return f"{lead}{shown(text)}{tail}" if text.strip() else lead or tail


def category_line(question: BankQuestion) -> str:
    # "/" separates levels in a category path, so it must not appear in a name.
    parent, name = COLLECTION.replace("/", "-"), category_label(question).replace("/", "-")
    return f"$CATEGORY: $course$/top/{escape(parent)}/{escape(name)}"


def question_text(question: BankQuestion, titles: Mapping[str, str] | None = None) -> str:
    """One question in GIFT (without its category line)."""
    title = f"::{escape(question.id)}::{FORMAT}"
    general = f"####{shown(feedback(question, titles))}"
    if question.kind == "cloze":
        # The answer braces stand in the gap, with the prompt's own spacing around them.
        before, _, after = GAP.sub("\0", " ".join(question.prompt.split()), count=1).partition("\0")
        gap = " ".join(f"={escape(answer)}" for answer in text_answers(question))
        return f"{title}{_edges(before)}{{{gap} {general}}}{_edges(after)}"
    return f"{title}{shown(question.prompt)} {{{_answers(question)} {general}}}"


def _answers(question: BankQuestion) -> str:
    if question.kind == "choice":
        return " ".join(
            ("=" if choice == question.answer else "~") + shown(choice)
            for choice in question.choices
        )
    if question.kind == "order" and isinstance(question.answer, tuple):
        return " ".join(
            f"={shown(item)} -> {place}" for place, item in enumerate(question.answer, 1)
        )
    number = numeric_answer(question)
    if number is not None:
        return f"#{number}:0"
    return " ".join(f"={escape(answer)}" for answer in text_answers(question))


def to_gift(questions: Iterable[BankQuestion], titles: Mapping[str, str] | None = None) -> str:
    """The questions as a GIFT file, grouped under a category line per category."""
    blocks = ["// Exported from quizapp. Order questions: match each event to its place in time."]
    current = None
    for question in sorted(questions, key=lambda q: q.category):
        if question.category != current:
            current = question.category
            blocks.append(category_line(question))
        blocks.append(question_text(question, titles))
    return "\n\n".join(blocks) + "\n"
