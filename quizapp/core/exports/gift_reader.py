"""A strict reader for the part of GIFT that maps onto the app's kinds of question.

GIFT (Moodle's plain-text question format) is read block by block (blocks are
separated by blank lines; ``//`` lines are comments). A block is a
``$CATEGORY:`` line, or one question: an optional ``::title::``, the text, one
answer block in braces and, for a "missing word" question, more text after it.
Inside text, ``~ = # { } :`` must be escaped with a backslash; an unescaped one
is an error, as are answer blocks the app cannot take (true/false, essays,
weighted answers, numerical ranges or tolerances, matching that is not an order).

Kinds read: ``{=a ~b ~c}`` multiple choice, ``{=a =b}`` short answer (or a date
or a vote count when every form reads as the same one), text on both sides of the
braces a cloze, ``{#n}``/``{#n:0}`` a number, ``{=event -> 1 ...}`` an order.
The general feedback (``####``) becomes the explanation. Text Moodle shows (the
question, choices, matching items, feedback) is HTML in every format but ``[plain]``,
so its character references are decoded (``&lt;`` is ``<``), as the export writes it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

SPECIAL = "~=#{}:"
FORMAT_MARKER = re.compile(r"^\[(?:html|moodle|plain|markdown)\]")
#: The answer fields Moodle shows as text, by kind: the choices and an order's events.
_SHOWN_ANSWERS = {"choice": ("answer", "choices"), "order": ("answer",)}


class GiftSyntaxError(ValueError):
    """A block that is not GIFT the app can read; the message says why."""


@dataclass
class GiftBlock:
    """One question block: the line it starts on and the raw question mapping read."""

    line: int
    raw: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    category: str | None = None


def blocks(text: str) -> list[tuple[int, str]]:
    """Blank-line separated blocks, comments dropped, each with its first line's number."""
    found: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if current:
                found.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        found.append((start, "\n".join(current)))
    return found


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split_unescaped(text: str, separators: str) -> list[tuple[str, str]]:
    """``text`` cut before each unescaped separator: (separator or "", piece) pairs."""
    pieces: list[tuple[str, str]] = []
    lead, current, index = "", [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char in separators:
            pieces.append((lead, "".join(current)))
            lead, current = char, []
        else:
            current.append(char)
        index += 1
    pieces.append((lead, "".join(current)))
    return pieces


def _plain(text: str, what: str) -> str:
    """Escaped GIFT text as plain text; an unescaped special character is an error."""
    for lead, _ in _split_unescaped(text, SPECIAL)[1:]:
        raise GiftSyntaxError(f"unescaped '{lead}' in the {what}; write it as '\\{lead}'")
    if text.rstrip().endswith("\\") and not text.rstrip().endswith("\\\\"):
        raise GiftSyntaxError(f"a lone backslash ends the {what}")
    return " ".join(_unescape(text).split())


def read_block(line: int, block: str) -> GiftBlock:
    """One block read: a category, a question's raw mapping, or the error in it."""
    result = GiftBlock(line)
    stripped = block.strip()
    if stripped.startswith("$CATEGORY:"):
        path = stripped.removeprefix("$CATEGORY:").strip()
        result.category = path.rstrip("/").split("/")[-1].strip()
        return result
    try:
        result.raw = _question(stripped)
    except GiftSyntaxError as error:
        result.error = str(error)
    return result


def _braces(body: str) -> tuple[str, str, str]:
    """Text before the answer block, the block's content, and the text after it."""
    pieces = _split_unescaped(body, "{}")
    leads = [lead for lead, _ in pieces[1:]]
    if not leads:
        raise GiftSyntaxError("no answer block in braces { }")
    if leads != ["{", "}"]:
        raise GiftSyntaxError(
            "a question needs exactly one answer block { } with its braces paired"
        )
    return pieces[0][1], pieces[1][1], pieces[2][1]


def _question(block: str) -> dict[str, Any]:
    body = block
    if body.startswith("::"):
        title_end = re.search(r"(?<!\\)::", body[2:])
        if title_end is None:
            raise GiftSyntaxError("the title's closing '::' is missing")
        body = body[2 + title_end.end() :]
    marker = FORMAT_MARKER.match(body.lstrip())
    body = FORMAT_MARKER.sub("", body.lstrip())
    before, answers, after = _braces(body)
    _plain(before, "question text"), _plain(after, "text after the answers")  # checks only
    raw = _answers(answers.strip())
    if not before.strip():
        raise GiftSyntaxError("the question has no text")
    after = after.strip() and after
    gap = "___" if after else ""
    raw["prompt"] = " ".join(f"{_unescape(before)}{gap}{_unescape(after)}".split())
    if after and raw["kind"] == "short":
        raw["kind"] = "cloze"
    elif after and raw["kind"] != "choice":
        raise GiftSyntaxError("only short answers and multiple choice can stand in a gap")
    return raw if marker and marker.group() == "[plain]" else _shown_as_text(raw)


def _shown_as_text(raw: dict[str, Any]) -> dict[str, Any]:
    """The texts Moodle shows as HTML (every format but ``[plain]``: Moodle auto-format,
    the default, lets HTML through) with their character references decoded, as the
    export writes them (``gift.shown``). Short answers and numbers are typed, not shown,
    and are taken as written."""
    for key in ("prompt", "explanation", *_SHOWN_ANSWERS.get(raw["kind"], ())):
        value = raw[key]
        raw[key] = (
            [html.unescape(item) for item in value]
            if isinstance(value, list)
            else html.unescape(value)
        )
    return raw


def _answers(content: str) -> dict[str, Any]:
    general = ""
    match = re.search(r"(?<!\\)####", content)
    if match:
        general = _plain(content[match.end() :], "general feedback")
        content = content[: match.start()].strip()
    if not content:
        raise GiftSyntaxError("an empty answer block { } is an essay, which the app cannot take")
    if re.fullmatch(r"T|F|TRUE|FALSE", content.split("#")[0].strip(), flags=re.IGNORECASE):
        raise GiftSyntaxError("true/false questions are not supported; use multiple choice")
    raw = _numerical(content[1:].strip()) if content.startswith("#") else _listed(content)
    raw["explanation"] = general
    return raw


def _numerical(content: str) -> dict[str, Any]:
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?", content)
    if match is None:
        raise GiftSyntaxError(
            f"numerical answer {content!r} is not 'value' or 'value:0' (ranges and several "
            "answers are not supported)"
        )
    value, tolerance = match.groups()
    if tolerance is not None and float(tolerance) != 0:
        raise GiftSyntaxError(
            f"numerical tolerance {tolerance} is not supported: the app checks numbers exactly"
        )
    if "." in value or value.startswith("-"):
        raise GiftSyntaxError(f"numerical answer {value} is not a whole number of zero or more")
    return {"kind": "number", "answer": value}


def _listed(content: str) -> dict[str, Any]:
    items: list[tuple[str, str]] = []
    for lead, piece in _split_unescaped(content, "=~"):
        if not lead:
            if piece.strip():
                raise GiftSyntaxError("each answer must start with '=' (right) or '~' (wrong)")
            continue
        text = _split_unescaped(piece, "#")[0][1]  # per-answer feedback is dropped
        if re.match(r"\s*%-?\d", text):
            raise GiftSyntaxError("weighted answers (%50%) are not supported")
        items.append((lead, text.strip()))
    if all(lead == "=" and re.search(r"(?<!\\)->", text) for lead, text in items):
        return _matching(items)
    right = [_plain(text, "answer") for lead, text in items if lead == "="]
    wrong = [_plain(text, "answer") for lead, text in items if lead == "~"]
    if not right:
        raise GiftSyntaxError("no right answer (marked '=')")
    if wrong:
        if len(right) != 1:
            raise GiftSyntaxError("a multiple-choice question needs exactly one right answer")
        choices = [text for lead, text in items if lead in "=~"]
        return {
            "kind": "choice",
            "answer": right[0],
            "choices": [_plain(c, "answer") for c in choices],
        }
    return {"kind": "short", "answer": right[0], "accepted": right[1:]}


def _matching(items: list[tuple[str, str]]) -> dict[str, Any]:
    pairs = []
    for _, text in items:
        left, _, right = re.split(r"(?<!\\)(->)", text, maxsplit=1)
        pairs.append((_plain(left, "matching item"), _plain(right, "matching answer")))
    places = [right for _, right in pairs]
    expected = list(range(1, len(pairs) + 1))
    if not all(place.isdigit() for place in places) or sorted(map(int, places)) != expected:
        raise GiftSyntaxError(
            "a matching question is read as an order only when it matches each event to its "
            "place, 1 (the earliest) to the last"
        )
    ordered = sorted(pairs, key=lambda pair: int(pair[1]))
    return {"kind": "order", "answer": [left for left, _ in ordered]}
