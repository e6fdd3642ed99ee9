"""The source texts the bank cites, and finding a quote inside them.

Quotes are matched verbatim except for white space: a quote copied across a
line break in the source still matches. Nothing else (case, punctuation,
curly quotes) is forgiven, so the evidence a student sees is the text's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """One source text, identified by its file name without extension."""

    key: str
    text: str

    @property
    def title(self) -> str:
        """A readable title from the key: 'october-revolution-timeline' -> 'October revolution
        timeline'."""
        return self.key.replace("-", " ").capitalize()


@dataclass(frozen=True)
class Passage:
    """The paragraph around a quote, split so the quote can be highlighted."""

    before: str
    quote: str
    after: str


def _quote_pattern(quote: str) -> re.Pattern[str]:
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """The span of ``quote`` in ``text`` (white space runs matching any white space)."""
    if not quote.split():
        return None
    match = _quote_pattern(quote).search(text)
    return match.span() if match else None


def contains_quote(text: str, quote: str) -> bool:
    return find_quote(text, quote) is not None


def passage_around(text: str, quote: str) -> Passage | None:
    """The whole paragraph(s) holding ``quote``, for showing evidence in context."""
    span = find_quote(text, quote)
    if span is None:
        return None
    start, end = span
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.find("\n", end)
    if paragraph_end == -1:
        paragraph_end = len(text)
    return Passage(
        before=text[paragraph_start:start],
        quote=text[start:end],
        after=text[end:paragraph_end],
    )
