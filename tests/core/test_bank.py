"""The bank validator: every problem names the file, the question and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from quizapp.core.bank import BankError, Problem, load_bank, read_bank

SOURCE = (
    "Lenin returned from exile in Switzerland.\n"
    "A meeting decided to stage a revolution by a 10 to 2 majority.\n"
    "At 9.00pm the guns fired. It grew from 26,000 members to 200,000 members.\n"
)


def good_question(**changes: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "id": "fig-lenin-exile",
        "kind": "short",
        "category": "key-figures",
        "tags": ["lenin"],
        "prompt": "Who returned from exile in Switzerland?",
        "answer": "Lenin",
        "accepted": ["Vladimir Lenin"],
        "source": "text",
        "evidence": "Lenin returned from exile in Switzerland.",
        "explanation": "Lenin came back in April 1917.",
    }
    question.update(changes)
    return {key: value for key, value in question.items() if value is not None}


def write_bank(root: Path, files: dict[str, Any]) -> Path:
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "text.txt").write_text(SOURCE)
    for name, content in files.items():
        body = content if isinstance(content, str) else yaml.safe_dump(content)
        (root / name).write_text(body)
    return root


def problems_for(tmp_path: Path, *questions: dict[str, Any], file: str = "key-figures.yaml"
                 ) -> list[Problem]:
    root = write_bank(tmp_path, {file: {"questions": list(questions)}})
    return read_bank(root)[1]


def test_a_sound_bank_has_no_problems(tmp_path: Path) -> None:
    root = write_bank(tmp_path, {"key-figures.yaml": {"questions": [good_question()]}})
    bank = load_bank(root)
    assert [q.id for q in bank.questions] == ["fig-lenin-exile"]
    assert bank.questions[0].accepted == ("Vladimir Lenin",)


def test_bad_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    root = write_bank(tmp_path, {"events.yaml": "questions:\n  - id: x\n    prompt: [unclosed\n"})
    (problem,) = read_bank(root)[1]
    assert problem.file == "events.yaml"
    assert "not valid YAML at line" in problem.message


def test_missing_field_names_file_question_and_field(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, good_question(explanation=None))
    assert str(problem) == "key-figures.yaml: fig-lenin-exile: explanation: is required"


def test_evidence_must_be_verbatim(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, good_question(evidence="Lenin came back from Switzerland"))
    assert (problem.file, problem.question_id, problem.field) == (
        "key-figures.yaml", "fig-lenin-exile", "evidence")
    assert "not found verbatim in source 'text'" in problem.message


def test_evidence_may_span_a_line_break(tmp_path: Path) -> None:
    evidence = "Switzerland. A meeting decided"
    assert problems_for(tmp_path, good_question(evidence=evidence)) == []


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    root = write_bank(tmp_path, {
        "key-figures.yaml": {"questions": [good_question()]},
        "events.yaml": {"questions": [good_question(category="events")]},
    })
    (problem,) = read_bank(root)[1]
    assert str(problem) == (
        "key-figures.yaml: fig-lenin-exile: id: duplicate id, first used in events.yaml"
    )


def test_unknown_kind(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, good_question(kind="essay"))
    assert problem.field == "kind"
    assert "'essay' is not one of" in problem.message


def test_unknown_field_and_unknown_source(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, good_question(answr="Lenin"))
    assert [(p.field, p.message) for p in problems] == [("answr", "unknown field")]
    (problem,) = problems_for(tmp_path / "b", good_question(source="nowhere"))
    assert problem.field == "evidence"
    assert "unknown source 'nowhere'" in problem.message


def test_category_must_match_its_file(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, good_question(category="dates"))
    assert problem.field == "category"


def test_choice_answer_must_be_among_distinct_choices(tmp_path: Path) -> None:
    base = good_question(kind="choice", accepted=None)
    problems = problems_for(tmp_path, {**base, "choices": ["Trotsky", "Kamenev", "Zinoviev"]})
    assert [(p.field, p.message) for p in problems] == [
        ("answer", "'Lenin' is not among the choices")]
    problems = problems_for(
        tmp_path / "b", {**base, "choices": ["Lenin", "Trotsky", "trotsky", "Kamenev"]})
    assert [p.field for p in problems] == ["choices"]


def test_order_items_must_be_distinct(tmp_path: Path) -> None:
    question = good_question(kind="order", accepted=None, answer=["A", "B", "A"])
    (problem,) = problems_for(tmp_path, question)
    assert (problem.field, problem.message) == ("answer", "the events to order must be distinct")


def test_order_needs_three_to_six(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, good_question(kind="order", accepted=None, answer=["A"]))
    assert "3 to 6" in problem.message


def test_answers_must_parse_for_their_kind(tmp_path: Path) -> None:
    number = good_question(id="n", kind="number", accepted=None, answer="lots")
    date = good_question(id="d", kind="date", accepted=None, answer="the day after")
    cloze = good_question(id="c", kind="cloze", prompt="No gap here")
    problems = problems_for(tmp_path, number, date, cloze)
    assert [(p.question_id, p.field) for p in problems] == [
        ("n", "answer"), ("d", "answer"), ("c", "prompt")]


def test_answers_that_parse(tmp_path: Path) -> None:
    questions = [
        good_question(id="n1", kind="number", accepted=None, answer="26,000"),
        good_question(id="n2", kind="number", accepted=None, answer="10 to 2"),
        good_question(id="d1", kind="date", accepted=None, answer="24 October 1917"),
        good_question(id="d2", kind="date", accepted=None, answer="9:00 pm"),
        good_question(id="c1", kind="cloze", prompt="Lenin returned from ___."),
    ]
    assert problems_for(tmp_path, *questions) == []


def test_more_evidence_is_checked_too(tmp_path: Path) -> None:
    question = good_question(more_evidence=[{"source": "text", "quote": "not there"}])
    (problem,) = problems_for(tmp_path, question)
    assert problem.field == "more_evidence[1]"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    problems = problems_for(
        tmp_path,
        good_question(id="a", evidence="nope"),
        good_question(id="b", kind="essay"),
        good_question(id="c", explanation=None),
    )
    assert [p.question_id for p in problems] == ["a", "b", "c"]
    with pytest.raises(BankError, match="3 problem"):
        load_bank(tmp_path)


def test_export_shape_and_stable_hash(tmp_path: Path) -> None:
    root = write_bank(tmp_path, {"key-figures.yaml": {"questions": [good_question()]}})
    question = load_bank(root).questions[0]
    exported = question.to_dict()
    assert {"id", "kind", "category", "tags", "prompt", "answer", "accepted", "choices",
            "source", "evidence", "explanation", "note"} <= set(exported)
    assert question.content_hash == load_bank(root).questions[0].content_hash
