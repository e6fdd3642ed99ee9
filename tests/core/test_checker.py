"""The bank checker on plain data: every problem names the file, the question and the field."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.bank import SOURCE, good_question

from quizapp.core.bank import BankError, Problem
from quizapp.core.checker import check_bank, check_file, parse_question
from quizapp.core.sources import Source

SOURCES = {"text": Source("text", SOURCE)}


def problems_for(*questions: dict[str, Any], file: str = "key-figures.yaml") -> list[Problem]:
    problems: list[Problem] = []
    check_bank([(file, {"questions": list(questions)})], SOURCES, problems)
    return problems


def test_a_sound_bank_has_no_problems() -> None:
    problems: list[Problem] = []
    bank = check_bank([("key-figures.yaml", {"questions": [good_question()]})], SOURCES, problems)
    assert problems == []
    assert [q.id for q in bank.questions] == ["fig-lenin-exile"]
    assert bank.questions[0].accepted == ("Vladimir Lenin",)
    assert bank.questions[0].file == "key-figures.yaml"
    assert bank.sources == SOURCES


def test_a_file_must_hold_a_questions_list() -> None:
    for data in (None, [good_question()], {"question": []}, {"questions": "none"}):
        problems: list[Problem] = []
        assert check_file("events.yaml", data, SOURCES, problems) == []
        assert [str(p) for p in problems] == [
            "events.yaml: must be a mapping with a 'questions' list"
        ]


def test_a_question_must_be_a_mapping() -> None:
    problems: list[Problem] = []
    assert parse_question(["not", "a", "mapping"], "events.yaml", SOURCES, problems, 2) is None
    assert [str(p) for p in problems] == ["events.yaml: question #2 is not a mapping"]


def test_missing_field_names_file_question_and_field() -> None:
    (problem,) = problems_for(good_question(explanation=None))
    assert str(problem) == "key-figures.yaml: fig-lenin-exile: explanation: is required"


def test_a_question_without_an_id_is_named_by_its_position() -> None:
    (problem,) = problems_for(good_question(), good_question(id=None))
    assert str(problem) == "key-figures.yaml: question #2: id: is required"


def test_evidence_must_be_verbatim() -> None:
    (problem,) = problems_for(good_question(evidence="Lenin came back from Switzerland"))
    assert (problem.file, problem.question_id, problem.field) == (
        "key-figures.yaml",
        "fig-lenin-exile",
        "evidence",
    )
    assert "not found verbatim in source 'text'" in problem.message


def test_evidence_may_span_a_line_break() -> None:
    evidence = "Switzerland. A meeting decided"
    assert problems_for(good_question(evidence=evidence)) == []


def test_duplicate_ids_across_files() -> None:
    problems: list[Problem] = []
    bank = check_bank(
        [
            ("events.yaml", {"questions": [good_question(category="events")]}),
            ("key-figures.yaml", {"questions": [good_question()]}),
        ],
        SOURCES,
        problems,
    )
    (problem,) = problems
    assert str(problem) == (
        "key-figures.yaml: fig-lenin-exile: id: duplicate id, first used in events.yaml"
    )
    assert [q.file for q in bank.questions] == ["events.yaml"]


def test_unknown_kind() -> None:
    (problem,) = problems_for(good_question(kind="essay"))
    assert problem.field == "kind"
    assert "'essay' is not one of" in problem.message


def test_unknown_field_and_unknown_source() -> None:
    problems = problems_for(good_question(answr="Lenin"))
    assert [(p.field, p.message) for p in problems] == [("answr", "unknown field")]
    (problem,) = problems_for(good_question(source="nowhere"))
    assert problem.field == "evidence"
    assert "unknown source 'nowhere'" in problem.message


def test_category_must_match_its_file() -> None:
    (problem,) = problems_for(good_question(category="dates"))
    assert problem.field == "category"
    assert problem.message == "is 'dates' but the file holds 'key-figures'"
    assert problems_for(good_question(category="dates"), file="extra.yaml") == []


def test_choice_answer_must_be_among_distinct_choices() -> None:
    base = good_question(kind="choice", accepted=None)
    problems = problems_for({**base, "choices": ["Trotsky", "Kamenev", "Zinoviev"]})
    assert [(p.field, p.message) for p in problems] == [
        ("answer", "'Lenin' is not among the choices")
    ]
    problems = problems_for({**base, "choices": ["Lenin", "Trotsky", "trotsky", "Kamenev"]})
    assert [p.field for p in problems] == ["choices"]


def test_order_items_must_be_distinct() -> None:
    question = good_question(kind="order", accepted=None, answer=["A", "B", "A"])
    (problem,) = problems_for(question)
    assert (problem.field, problem.message) == ("answer", "the events to order must be distinct")


def test_order_needs_three_to_six() -> None:
    (problem,) = problems_for(good_question(kind="order", accepted=None, answer=["A"]))
    assert "3 to 6" in problem.message


def test_answers_must_parse_for_their_kind() -> None:
    number = good_question(id="n", kind="number", accepted=None, answer="lots")
    date = good_question(id="d", kind="date", accepted=None, answer="the day after")
    cloze = good_question(id="c", kind="cloze", prompt="No gap here")
    problems = problems_for(number, date, cloze)
    assert [(p.question_id, p.field) for p in problems] == [
        ("n", "answer"),
        ("d", "answer"),
        ("c", "prompt"),
    ]


def test_answers_that_parse() -> None:
    questions = [
        good_question(id="n1", kind="number", accepted=None, answer="26,000"),
        good_question(id="n2", kind="number", accepted=None, answer="10 to 2"),
        good_question(id="d1", kind="date", accepted=None, answer="24 October 1917"),
        good_question(id="d2", kind="date", accepted=None, answer="9:00 pm"),
        good_question(id="c1", kind="cloze", prompt="Lenin returned from ___."),
    ]
    assert problems_for(*questions) == []


def test_more_evidence_is_checked_too() -> None:
    question = good_question(more_evidence=[{"source": "text", "quote": "not there"}])
    (problem,) = problems_for(question)
    assert problem.field == "more_evidence[1]"


def test_every_problem_is_reported_at_once() -> None:
    problems = problems_for(
        good_question(id="a", evidence="nope"),
        good_question(id="b", kind="essay"),
        good_question(id="c", explanation=None),
    )
    assert [p.question_id for p in problems] == ["a", "b", "c"]
    with pytest.raises(BankError, match="3 problem"):
        raise BankError(problems)


def test_export_shape_and_stable_hash() -> None:
    problems: list[Problem] = []
    question = parse_question(good_question(), "key-figures.yaml", SOURCES, problems)
    assert question is not None
    assert problems == []
    exported = question.to_dict()
    assert {
        "id",
        "kind",
        "category",
        "tags",
        "prompt",
        "answer",
        "accepted",
        "choices",
        "source",
        "evidence",
        "explanation",
        "note",
    } <= set(exported)
    again = parse_question(good_question(), "key-figures.yaml", SOURCES, problems)
    assert again is not None
    assert question.content_hash == again.content_hash
    edited = parse_question(
        good_question(explanation="Edited."), "key-figures.yaml", SOURCES, problems
    )
    assert edited is not None
    assert edited.content_hash != question.content_hash
