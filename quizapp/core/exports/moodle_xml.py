"""Moodle XML: the question bank format Moodle's own export and import speak.

Every category begins with a ``category`` pseudo-question; then each question
as the type Moodle calls it: ``multichoice`` (single answer, shuffled),
``shortanswer`` (every accepted form at 100%, case ignored; cloze and date
questions too, with the gap left in the text), ``numerical`` (tolerance 0, as
the app wants the number exactly) and ``matching`` for an order question (each
event to its place, 1 the earliest). The general feedback is the explanation,
the evidence with its source and the note where the texts err, as HTML.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from xml.etree import ElementTree as ET

from quizapp.core.bank import BankQuestion
from quizapp.core.exports.forms import (
    COLLECTION,
    category_label,
    evidence_lines,
    numeric_answer,
    text_answers,
)

#: Moodle's default penalty for a wrong try in adaptive mode (one third).
PENALTY = "0.3333333"


def _text(parent: ET.Element, tag: str, value: str, html_format: bool = True) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html_format else {})
    ET.SubElement(element, "text").text = value
    return element


def _value(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(' '.join(text.split()))}</p>"


def general_feedback(question: BankQuestion, titles: Mapping[str, str] | None = None) -> str:
    parts = [_paragraph(question.explanation)]
    label = "Evidence: " if question.grounded else ""
    parts += [_paragraph(f"{label}{line}") for line in evidence_lines(question, titles)]
    if question.note:
        parts.append(_paragraph(f"Note on the sources: {question.note}"))
    return "".join(parts)


def _category(root: ET.Element, question: BankQuestion) -> None:
    element = ET.SubElement(root, "question", {"type": "category"})
    path = f"$course$/top/{COLLECTION}/{category_label(question)}"
    _text(element, "category", path, html_format=False)
    _text(element, "info", "", html_format=True)


def moodle_type(question: BankQuestion) -> str:
    if question.kind == "choice":
        return "multichoice"
    if question.kind == "order":
        return "matching"
    if numeric_answer(question) is not None:
        return "numerical"
    return "shortanswer"


def _question(root: ET.Element, question: BankQuestion, titles: Mapping[str, str] | None) -> None:
    qtype = moodle_type(question)
    element = ET.SubElement(root, "question", {"type": qtype})
    _text(element, "name", question.id, html_format=False)
    _text(element, "questiontext", _paragraph(question.prompt))
    _text(element, "generalfeedback", general_feedback(question, titles))
    _value(element, "defaultgrade", "1.0000000")
    _value(element, "penalty", PENALTY)
    _value(element, "hidden", "0")
    _value(element, "idnumber", question.id)
    if qtype == "multichoice":
        _choices(element, question)
    elif qtype == "matching":
        _matching(element, question)
    elif qtype == "numerical":
        answer = _answer(element, str(numeric_answer(question)), "100")
        _value(answer, "tolerance", "0")
    else:
        _value(element, "usecase", "0")
        for text in text_answers(question):
            _answer(element, text, "100")
    if question.tags:
        tags = ET.SubElement(element, "tags")
        for tag in question.tags:
            _text(tags, "tag", tag, html_format=False)


def _answer(parent: ET.Element, text: str, fraction: str, html_format: bool = False) -> ET.Element:
    answer = ET.SubElement(parent, "answer", {"fraction": fraction, "format": "plain_text"})
    if html_format:
        answer.set("format", "html")
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", "")
    return answer


def _choices(element: ET.Element, question: BankQuestion) -> None:
    _value(element, "single", "true")
    _value(element, "shuffleanswers", "true")
    _value(element, "answernumbering", "abc")
    _value(element, "showstandardinstruction", "0")
    for label in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, label, "")
    for choice in question.choices:
        fraction = "100" if choice == question.answer else "0"
        _answer(element, _paragraph(choice), fraction, html_format=True)


def _matching(element: ET.Element, question: BankQuestion) -> None:
    _value(element, "shuffleanswers", "true")
    for label in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, label, "")
    for place, item in enumerate(question.answer, 1):
        sub = _text(element, "subquestion", _paragraph(item))
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = str(place)


def to_moodle_xml(
    questions: Iterable[BankQuestion], titles: Mapping[str, str] | None = None
) -> bytes:
    """The questions as a Moodle XML file (UTF-8), a category element per category."""
    root = ET.Element("quiz")
    current = None
    for question in sorted(questions, key=lambda q: q.category):
        if question.category != current:
            current = question.category
            _category(root, question)
        _question(root, question, titles)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"
