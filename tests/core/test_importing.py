"""The question importer: every bad row or question reported with its line and reason,
bad encodings and oversize files refused, formula-like cells handled, nothing returned
unless the whole file is clean."""

from __future__ import annotations

import pytest

from quizapp.core.exports.gift_reader import read_block
from quizapp.core.exports.importing import (
    MAX_QUESTIONS,
    ImportInvalid,
    read_questions,
)
from quizapp.core.exports.tabular import to_csv

HEADER = "kind,category,prompt,answer,accepted,choices,tags,explanation\n"


def _errors(data: bytes, fmt: str = "csv") -> list[str]:
    with pytest.raises(ImportInvalid) as caught:
        read_questions(data, fmt, "events")
    return [str(error) for error in caught.value.errors]


def test_a_clean_csv_gives_every_question_as_the_teachers_own() -> None:
    data = (
        HEADER
        + "short,key-figures,Who led the Soviet?,Trotsky,Leon Trotsky,,trotsky,\n"
        + "choice,events,Which ship?,Aurora,,Aurora | Potemkin | Varyag,,It was the cruiser.\n"
        + "order,,Put in order,April Theses | July Days | Kornilov affair,,,,\n"
        + "date,dates,When did the Congress open?,25 October 1917,,,,\n"
    ).encode()
    found = read_questions(data, "csv", "events")
    assert [item.line for item in found] == [2, 3, 4, 5]
    short, choice, order, date = (item.question for item in found)
    assert not short.grounded
    assert short.source == short.evidence == ""
    assert (short.kind, short.answer, short.accepted, short.tags) == (
        "short",
        "Trotsky",
        ("Leon Trotsky",),
        ("trotsky",),
    )
    assert choice.choices == ("Aurora", "Potemkin", "Varyag")
    assert choice.explanation == "It was the cruiser."
    assert order.answer == ("April Theses", "July Days", "Kornilov affair")
    assert order.category == "events"  # the default for a row that names none
    assert date.kind == "date"


def test_every_bad_row_is_reported_with_its_line_and_reason() -> None:
    data = (
        HEADER
        + "short,events,Fine question,Fine answer,,,,\n"
        + "essay,events,What kind?,Any,,,,\n"
        + "choice,events,Which?,Aurora,,Potemkin | Varyag | Oleg,,\n"
        + "number,events,How many?,lots,,,,\n"
        + "cloze,events,No gap here,Soviets,,,,\n"
        + 'short,"events",,missing prompt,,,,\n'
        + "short,moon,Where?,There,,,Bad Tag,\n"
    ).encode()
    errors = _errors(data)
    assert errors[0].startswith("Line 3: kind: 'essay' is not one of")
    assert "Line 4: answer: 'Aurora' is not among the choices" in errors
    assert any(e.startswith("Line 5: answer: 'lots' is not a number") for e in errors)
    assert "Line 6: prompt: a cloze prompt needs exactly one gap '___', found 0" in errors
    assert "Line 7: prompt: is required" in errors
    assert any(e.startswith("Line 8: category: 'moon' is not one of") for e in errors)
    assert "Line 8: tag 'Bad Tag' must be lowercase letters, digits and hyphens" in errors
    assert not any(e.startswith("Line 2") for e in errors)


def test_a_quoted_cell_spanning_lines_is_reported_at_the_line_it_starts_on() -> None:
    data = (
        HEADER + 'short,events,"A prompt\nover two lines",x,,,,\nbogus,events,P,A,,,,\n'
    ).encode()
    assert _errors(data)[0].startswith("Line 4: kind: 'bogus'")


def test_a_missing_column_is_named() -> None:
    assert _errors(b"kind,prompt\nshort,Who?\n") == [
        "Line 1: missing column(s) 'answer'; the first row names the columns"
    ]


def test_an_empty_file_and_a_header_alone_are_refused() -> None:
    assert _errors(b"") == ["File: the file is empty; the first row names the columns"]
    assert _errors(HEADER.encode()) == ["File: no questions in the file"]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (HEADER.encode() + "short,events,Wer?,Jörg,,,,\n".encode("latin-1"), "0xf6 on line 2"),
        (HEADER.encode() + "short,events,Кто?,Ленин,,,,\n".encode("cp1251"), "0xca on line 2"),
        ((HEADER + "short,events,Who?,Lenin,,,,\n").encode("utf-16"), "0xff on line 1"),
    ],
    ids=["latin-1", "cp1251", "utf-16"],
)
def test_text_that_is_not_utf8_is_refused_with_where_and_what_to_do(
    data: bytes, where: str
) -> None:
    errors = _errors(data)
    assert len(errors) == 1
    assert errors[0].startswith("File: not UTF-8 text (byte ")
    assert where in errors[0]
    assert "save the file as UTF-8" in errors[0]


def test_a_utf8_bom_as_excel_writes_it_is_fine() -> None:
    data = b"\xef\xbb\xbf" + (HEADER + "short,events,Wer?,J\u00f6rg,,,,\n").encode()
    assert read_questions(data, "csv", "events")[0].question.answer == "Jörg"


def test_control_characters_in_the_file_are_refused_by_line() -> None:
    data = (HEADER + "short,events,Fine,Fine,,,,\nshort,events,Bad\x00,x,,,,\n").encode()
    assert _errors(data) == [
        "Line 3: holds the control character NUL (U+0000); only tabs and line breaks may"
    ]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "gift"])
@pytest.mark.parametrize(
    ("control", "named"),
    [("\x85", "NEL (U+0085)"), ("\x9f", "U+009F"), ("\x0b", "U+000B"), ("\x1c", "U+001C")],
)
def test_c1_controls_and_the_ones_splitlines_breaks_at_are_refused_on_their_line(
    fmt: str, control: str, named: str
) -> None:
    """``str.splitlines`` breaks lines at these very characters, so a check line by line
    through it never saw them (they were imported), and numbered the lines after wrong."""
    body = {
        "csv": HEADER + "short,events,Fine?,Fine,,,,\nshort,events,Who{c} led?,Lenin,,,,\n",
        "tsv": "Fine?\tFine\nWho{c} led?\tLenin\n",
        "gift": "::a:: Fine? {{=Fine}}\n\n::b:: Who{c} led? {{=Lenin}}\n",
    }[fmt].format(c=control)
    line = 2 if fmt == "tsv" else 3
    assert _errors(body.encode(), fmt) == [
        f"Line {line}: holds the control character {named}; only tabs and line breaks may"
    ]


def test_more_questions_than_the_cap_are_refused_whole() -> None:
    rows = "".join(f"short,events,Question {n}?,Answer {n},,,,\n" for n in range(MAX_QUESTIONS + 1))
    errors = _errors((HEADER + rows).encode())
    assert errors == [
        f"File: more than {MAX_QUESTIONS} questions, the limit for one file; split it up"
    ]
    exactly = "".join(f"short,events,Question {n}?,Answer {n},,,,\n" for n in range(MAX_QUESTIONS))
    assert len(read_questions((HEADER + exactly).encode(), "csv", "events")) == MAX_QUESTIONS


def test_an_overlong_text_is_refused() -> None:
    data = (HEADER + f"short,events,{'x' * 2001},y,,,,\n").encode()
    assert _errors(data) == ["Line 2: a text is 2001 characters; the limit is 2000"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_bare_formula_like_cell_is_refused(start: str) -> None:
    data = (HEADER + f'short,events,"{start}HYPERLINK(""http://x"")",y,,,,\n').encode()
    assert _errors(data) == [
        f"Line 2: prompt: starts with '{start}' like a spreadsheet formula; "
        "put a ' before it to keep it as text"
    ]


def test_a_quoted_formula_like_cell_is_kept_as_text_and_exports_quoted_again() -> None:
    data = (HEADER + "short,events,'=1+1 is what?,'-2,,,,\n").encode()
    question = read_questions(data, "csv", "events")[0].question
    assert (question.prompt, question.answer) == ("=1+1 is what?", "-2")
    row = to_csv([question]).splitlines()[1]
    assert "'=1+1 is what?" in row
    assert "'-2" in row


def test_tsv_lines_need_exactly_a_term_and_a_definition() -> None:
    errors = _errors(b"Aurora\tcruiser\nno tab here\na\tb\tc\n=SUM(A1)\tx\n", "tsv")
    assert errors == [
        "Line 2: needs a term and a definition separated by one tab, not 1 cells",
        "Line 3: needs a term and a definition separated by one tab, not 3 cells",
        "Line 4: term: starts with '=' like a spreadsheet formula; "
        "put a ' before it to keep it as text",
    ]


GIFT_OK = """// a comment
$CATEGORY: $course$/top/October Revolution 1917/Key figures

::q1::Who chaired the Petrograd Soviet? {=Trotsky =Leon Trotsky ####He was elected in September.}

::q2::Which ship? {=Aurora ~Potemkin ~Varyag}

All power to the {=Soviets =soviets}!

How many votes for the rising? {#10:0}

Put in order {=April Theses -> 1 =July Days -> 2 =Kornilov affair -> 3}
"""


def test_gift_questions_of_every_supported_kind_are_read() -> None:
    found = [item.question for item in read_questions(GIFT_OK.encode(), "gift", "events")]
    assert [q.kind for q in found] == ["short", "choice", "cloze", "number", "order"]
    assert [item.line for item in read_questions(GIFT_OK.encode(), "gift", "events")] == [
        4,
        6,
        8,
        10,
        12,
    ]
    assert {q.category for q in found} == {"key-figures"}
    assert found[0].accepted == ("Leon Trotsky",)
    assert found[0].explanation == "He was elected in September."
    assert found[2].prompt == "All power to the ___!"
    assert found[4].answer == ("April Theses", "July Days", "Kornilov affair")


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ("Is it true? {T}", "true/false questions are not supported"),
        ("Write about it. {}", "an essay"),
        ("A: colon {=x}", "unescaped ':' in the question text"),
        ("How many? {#10:2}", "numerical tolerance 2 is not supported"),
        ("How many? {#1..5}", "is not 'value' or 'value:0'"),
        ("Which? {=a ~%50%b ~c}", "weighted answers"),
        ("Which? {=a =b ~c}", "exactly one right answer"),
        ("Match {=a -> x =b -> y =c -> z}", "read as an order only"),
        ("No braces at all", "no answer block"),
        ("Two {=a} blocks {=b}", "exactly one answer block"),
        ("{=a}", "the question has no text"),
    ],
)
def test_gift_the_app_cannot_take_is_refused_with_the_reason(block: str, reason: str) -> None:
    read = read_block(1, block)
    assert read.error is not None
    assert reason in read.error


def test_bad_gift_questions_are_all_reported_by_line_and_none_returned() -> None:
    text = GIFT_OK + "\nIs it true? {T}\n\n::q9::Fine {=yes}\n\nA {=b} c {=d}\n"
    errors = _errors(text.encode(), "gift")
    assert errors == [
        "Line 14: true/false questions are not supported; use multiple choice",
        "Line 18: a question needs exactly one answer block { } with its braces paired",
    ]
