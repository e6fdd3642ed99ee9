"""Finding evidence quotes verbatim in a source text."""

from quizapp.core.sources import Source, contains_quote, find_quote, passage_around

TEXT = "First line.\nThe Soviet had control over\ncommunications and troops.\nLast line."


def test_quote_may_cross_a_line_break() -> None:
    assert contains_quote(TEXT, "control over communications")


def test_only_white_space_is_forgiven() -> None:
    assert not contains_quote(TEXT, "control over Communications")
    assert not contains_quote(TEXT, "control over communications,")
    assert not contains_quote(TEXT, "   ")


def test_passage_is_the_paragraph_around_the_quote() -> None:
    passage = passage_around(TEXT, "had control")
    assert passage is not None
    assert passage.before == "The Soviet "
    assert passage.quote == "had control"
    assert passage.after == " over"


def test_passage_spanning_lines_keeps_both() -> None:
    passage = passage_around(TEXT, "over communications")
    assert passage is not None
    assert passage.before + passage.quote + passage.after == (
        "The Soviet had control over\ncommunications and troops."
    )
    assert find_quote(TEXT, "missing") is None


def test_source_title_reads_well() -> None:
    assert Source("october-revolution-timeline", "").title == "October revolution timeline"
