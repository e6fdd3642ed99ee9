"""The fields of the Anki notes an export makes, and the ids that keep them stable.

One note type (``Basic``-like, with every field the bank has) for all kinds but
cloze; cloze questions use an Anki cloze note type, the gap written as
``{{c1::answer}}``. Field values are HTML, as Anki stores them. A note's GUID is
derived from the question's id alone, and the note types' and decks' ids are
fixed numbers, so importing a newer export updates the notes already there.
The ``.apkg`` file is written at the edge (``quizapp.exports.apkg``).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from quizapp.core.bank import BankQuestion, choice_order
from quizapp.core.exports.forms import COLLECTION, category_label, evidence_lines

#: Fixed ids (Anki wants 13-digit-ish ints): never change them, or re-imports duplicate.
BASIC_MODEL_ID = 1_917_102_501
CLOZE_MODEL_ID = 1_917_102_502
PARENT_DECK_ID = 1_917_102_500

BASIC_FIELDS = ("Prompt", "Answer", "Explanation", "Evidence", "Source", "Note", "QuestionId")
CLOZE_FIELDS = ("Text", "Answer", "Explanation", "Evidence", "Source", "Note", "QuestionId")

GAP = re.compile(r"_{3,}")


@dataclass(frozen=True)
class AnkiNote:
    """One note to write: which note type, its fields in order, tags, deck and GUID."""

    cloze: bool
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str
    guid: str


def _html(text: str) -> str:
    return html.escape(" ".join(text.split()))


def note_guid(question_id: str) -> str:
    """A GUID that depends only on the question's id (stable across exports)."""
    digest = hashlib.sha256(f"quizapp:{question_id}".encode()).hexdigest()
    return f"quizapp-{digest[:20]}"


def deck_name(question: BankQuestion) -> str:
    return f"{COLLECTION}::{category_label(question)}"


def deck_id(name: str) -> int:
    """A deck's id, fixed by its name (so every export files notes in the same decks)."""
    return PARENT_DECK_ID + 1 + int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 10**6


def _answer_html(question: BankQuestion) -> str:
    if isinstance(question.answer, tuple):
        return "<ol>" + "".join(f"<li>{_html(item)}</li>" for item in question.answer) + "</ol>"
    also = [a for a in question.accepted if a != question.answer]
    extra = f"<br>(also: {', '.join(_html(a) for a in also)})" if also else ""
    return _html(question.answer) + extra


def _prompt_html(question: BankQuestion) -> str:
    prompt = _html(question.prompt)
    if question.kind == "choice":
        choices = choice_order(question.id, question.choices)
        prompt += "<ul>" + "".join(f"<li>{_html(c)}</li>" for c in choices) + "</ul>"
    if question.kind == "order":
        prompt += "<br><i>Put in order, earliest first:</i><ul>"
        prompt += "".join(f"<li>{_html(item)}</li>" for item in sorted(question.answer)) + "</ul>"
    return prompt


def _cloze_text(question: BankQuestion) -> str:
    """The sentence with its gap as ``{{c1::answer}}``.

    Whitespace is folded over the whole sentence before it is split at the gap,
    so the spaces on either side of the gap stay ("the {{c1::war}} and").
    """
    sentence = " ".join(question.prompt.split())
    before, _, after = GAP.sub("\0", sentence, count=1).partition("\0")
    gap = html.escape(" ".join(str(question.answer).split()))
    return f"{html.escape(before)}{{{{c1::{gap}}}}}{html.escape(after)}"


def anki_note(question: BankQuestion, titles: Mapping[str, str] | None = None) -> AnkiNote:
    cloze = question.kind == "cloze" and GAP.search(question.prompt) is not None
    titles = titles or {}
    if question.grounded:
        evidence = "<br>".join(_html(f"“{item.quote}”") for item in question.all_evidence)
        source = "<br>".join(
            _html(titles.get(item.source, item.source)) for item in question.all_evidence
        )
    else:
        evidence, source = _html(evidence_lines(question)[0]), ""
    first = _cloze_text(question) if cloze else _prompt_html(question)
    fields = (
        first,
        _answer_html(question),
        _html(question.explanation),
        evidence,
        source,
        _html(question.note or ""),
        _html(question.id),
    )
    tags = tuple(tag.replace(" ", "_") for tag in question.tags)
    return AnkiNote(cloze, fields, tags, deck_name(question), note_guid(question.id))
