"""Reading the bank from disk: YAML and source files in, every problem named by file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers.bank import SOURCE, good_question

from quizapp.core.bank import BankError, Problem
from quizapp.persistence.bank_files import load_bank, read_bank, read_sources


def write_bank(root: Path, files: dict[str, Any]) -> Path:
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "text.txt").write_text(SOURCE)
    for name, content in files.items():
        body = content if isinstance(content, str) else yaml.safe_dump(content)
        (root / name).write_text(body)
    return root


def problems_for(
    tmp_path: Path, *questions: dict[str, Any], file: str = "key-figures.yaml"
) -> list[Problem]:
    root = write_bank(tmp_path, {file: {"questions": list(questions)}})
    return read_bank(root)[1]


def test_a_sound_bank_has_no_problems(tmp_path: Path) -> None:
    root = write_bank(tmp_path, {"key-figures.yaml": {"questions": [good_question()]}})
    bank = load_bank(root)
    assert [q.id for q in bank.questions] == ["fig-lenin-exile"]
    assert bank.questions[0].accepted == ("Vladimir Lenin",)
    assert bank.questions[0].file == "key-figures.yaml"
    assert list(bank.sources) == ["text"]
    assert bank.sources["text"].text == SOURCE


def test_bad_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    root = write_bank(tmp_path, {"events.yaml": "questions:\n  - id: x\n    prompt: [unclosed\n"})
    (problem,) = read_bank(root)[1]
    assert problem.file == "events.yaml"
    assert "not valid YAML at line" in problem.message


def test_a_file_that_is_not_utf8_cannot_be_read(tmp_path: Path) -> None:
    root = write_bank(tmp_path, {})
    (root / "events.yaml").write_bytes(b"questions: [\xff]\n")
    (problem,) = read_bank(root)[1]
    assert problem.file == "events.yaml"
    assert problem.message.startswith("cannot be read: ")


def test_problems_come_in_file_order(tmp_path: Path) -> None:
    root = write_bank(
        tmp_path,
        {
            "dates.yaml": {"questions": [good_question(id="a", category="dates", kind="essay")]},
            "events.yaml": "questions: [unclosed\n",
            "key-figures.yaml": {"questions": [good_question(explanation=None)]},
        },
    )
    assert [(p.file, p.field) for p in read_bank(root)[1]] == [
        ("dates.yaml", "kind"),
        ("events.yaml", None),
        ("key-figures.yaml", "explanation"),
    ]


def test_missing_field_names_file_question_and_field(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, good_question(explanation=None))
    assert str(problem) == "key-figures.yaml: fig-lenin-exile: explanation: is required"


def test_category_must_match_its_file(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, good_question(category="dates"))
    assert str(problem) == (
        "key-figures.yaml: fig-lenin-exile: category: is 'dates' but the file holds 'key-figures'"
    )


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    root = write_bank(
        tmp_path,
        {
            "key-figures.yaml": {"questions": [good_question()]},
            "events.yaml": {"questions": [good_question(category="events")]},
        },
    )
    (problem,) = read_bank(root)[1]
    assert str(problem) == (
        "key-figures.yaml: fig-lenin-exile: id: duplicate id, first used in events.yaml"
    )


def test_a_folder_without_bank_files_or_sources(tmp_path: Path) -> None:
    assert [str(p) for p in read_bank(tmp_path)[1]] == [
        "sources: no source texts (*.txt) found",
        f"{tmp_path}: no bank files (*.yaml) found",
    ]


def test_read_sources_keys_texts_by_file_name(tmp_path: Path) -> None:
    root = write_bank(tmp_path, {})
    (root / "sources" / "broken.txt").write_bytes(b"\xff\xfe\xfa")
    problems: list[Problem] = []
    sources = read_sources(root / "sources", problems)
    assert list(sources) == ["text"]
    assert [p.file for p in problems] == ["sources/broken.txt"]


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


def test_the_hash_is_stable_across_reads(tmp_path: Path) -> None:
    root = write_bank(tmp_path, {"key-figures.yaml": {"questions": [good_question()]}})
    question = load_bank(root).questions[0]
    assert question.content_hash == load_bank(root).questions[0].content_hash
