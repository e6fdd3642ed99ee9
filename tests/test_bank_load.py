"""Loading the bank into the database: start-up, idempotent sync, edits and retirement."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from flask import Flask
from sqlalchemy import func, select

from quizapp.config import DEFAULT_BANK_DIR as REPO_BANK
from quizapp.core.bank import BankError
from quizapp.extensions import db
from quizapp.models import Question, QuestionTag
from quizapp.persistence.bank_files import load_bank

AppFactory = Callable[..., Flask]


def first_question_file(bank: Path) -> tuple[Path, dict]:
    path = bank / "events.yaml"
    return path, yaml.safe_load(path.read_text())


def test_start_up_migrates_and_loads_the_whole_bank(app: Flask) -> None:
    expected = len(load_bank(REPO_BANK).questions)
    with app.app_context():
        bank = select(func.count()).select_from(Question).where(Question.owner_id.is_(None))
        count = db.session.scalar(bank)
        assert count == expected
        assert db.session.scalar(select(func.count()).select_from(QuestionTag)) > expected


def test_load_twice_changes_nothing(app_factory: AppFactory) -> None:
    app = app_factory()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bank", "load"])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated, 0 retired, 0 restored" in result.output
    with app.app_context():
        before = {q.id: q.updated_at for q in db.session.scalars(select(Question))}
    runner.invoke(args=["bank", "load"])
    with app.app_context():
        after = {q.id: q.updated_at for q in db.session.scalars(select(Question))}
    assert before == after


def test_edit_keeps_the_id_and_removal_retires(app_factory: AppFactory, bank_copy: Path) -> None:
    app = app_factory(BANK_DIR=str(bank_copy))
    path, data = first_question_file(bank_copy)
    edited, removed = data["questions"][0], data["questions"].pop(1)
    edited["explanation"] = "A clearer explanation."
    edited["tags"] = ["edited-tag"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    result = app.test_cli_runner().invoke(args=["bank", "load"])
    assert "0 added, 1 updated, 1 retired, 0 restored" in result.output
    with app.app_context():
        row = db.session.get(Question, edited["id"])
        assert row.explanation == "A clearer explanation."
        assert row.tags == ["edited-tag"]
        gone = db.session.get(Question, removed["id"])
        assert gone is not None
        assert gone.is_retired

    data["questions"].insert(1, removed)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result = app.test_cli_runner().invoke(args=["bank", "load"])
    assert "1 restored" in result.output
    with app.app_context():
        assert not db.session.get(Question, removed["id"]).is_retired


def test_a_broken_bank_stops_the_start(app_factory: AppFactory, bank_copy: Path) -> None:
    path, data = first_question_file(bank_copy)
    data["questions"][0]["evidence"] = "words the text never says"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(BankError, match=rf"events.yaml: {data['questions'][0]['id']}: evidence"):
        app_factory(BANK_DIR=str(bank_copy))


def test_bank_check_passes_on_the_real_bank(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["bank", "check"])
    assert result.exit_code == 0, result.output
    assert "bank ok" in result.output


def test_bank_export_is_json_of_every_question(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["bank", "export"])
    exported = json.loads(result.output)
    assert len(exported) == len(load_bank(REPO_BANK).questions)
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
    } <= set(exported[0])


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda q: q.update(kind="essay"), "kind: 'essay' is not one of"),
        (lambda q: q.pop("prompt"), "prompt: is required"),
        (lambda q: q.update(evidence="not in the text"), "evidence: not found verbatim"),
    ],
    ids=["unknown-kind", "missing-field", "evidence-not-verbatim"],
)
def test_bank_check_command_reports_and_fails(
    bank_copy: Path, tmp_path: Path, breakage: Callable[[dict], object], expected: str
) -> None:
    """The real ``flask`` command, as an author runs it, on a broken bank."""
    path, data = first_question_file(bank_copy)
    breakage(data["questions"][0])
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    env = {
        **os.environ,
        "QUIZAPP_BANK_DIR": str(bank_copy),
        "SECRET_KEY": "x",
        "QUIZAPP_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "quizapp", "bank", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert f"events.yaml: {data['questions'][0]['id']}: {expected}" in result.stderr


def test_bank_check_names_bad_yaml_and_duplicates(bank_copy: Path, app_factory: AppFactory) -> None:
    (bank_copy / "slogans.yaml").write_text("questions:\n  - id: [broken\n")
    events = yaml.safe_load((bank_copy / "events.yaml").read_text())
    dates = yaml.safe_load((bank_copy / "dates.yaml").read_text())
    dates["questions"].append({**events["questions"][0], "category": "dates"})
    (bank_copy / "dates.yaml").write_text(yaml.safe_dump(dates, allow_unicode=True))
    app = app_factory(BANK_DIR=str(REPO_BANK))
    app.config["BANK_DIR"] = str(bank_copy)
    result = app.test_cli_runner().invoke(args=["bank", "check"])
    assert result.exit_code == 1
    assert "slogans.yaml: is not valid YAML at line " in result.output
    assert f"events.yaml: {events['questions'][0]['id']}: id: duplicate id" in result.output


def test_several_workers_starting_at_once_set_up_once(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """Like gunicorn's workers: four processes start on one empty database together."""
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database_url,
        "SECRET_KEY": "x",
        "QUIZAPP_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    script = (
        "from quizapp import create_app\n"
        "from quizapp.extensions import db\n"
        "from quizapp.models import Question\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    print(db.session.query(Question).count())\n"
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [worker.communicate(timeout=120) for worker in workers]
    expected = str(len(load_bank(REPO_BANK).questions))
    for worker, (out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
        assert out.strip() == expected
