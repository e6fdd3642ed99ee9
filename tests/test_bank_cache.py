"""The bank kept in process memory: read once, and read again after every ``bank load``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from flask import Flask
from helpers.web import register
from sqlalchemy import event

from quizapp.extensions import db
from quizapp.persistence import bank_cache

AppFactory = Callable[..., Flask]


def _edit_first_event(bank: Path, **changes: str) -> tuple[str, str]:
    """Change the first question of events.yaml and drop the second; their ids."""
    path = bank / "events.yaml"
    data = yaml.safe_load(path.read_text())
    edited, removed = data["questions"][0], data["questions"].pop(1)
    edited.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return edited["id"], removed["id"]


def _load(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["bank", "load"])
    assert result.exit_code == 0, result.output


def test_the_loading_process_sees_a_bank_load_at_once(
    app_factory: AppFactory, bank_copy: Path
) -> None:
    app = app_factory(BANK_DIR=str(bank_copy), BANK_CACHE_SECONDS=3600)
    with app.app_context():
        first = next(iter(bank_cache.questions()))
        assert bank_cache.question(first) is not None
    edited, removed = _edit_first_event(bank_copy, explanation="Rewritten for the cache test.")
    with app.app_context():
        assert bank_cache.active_question(removed) is not None  # still cached: not loaded yet
    _load(app)
    with app.app_context():
        assert bank_cache.question(edited).explanation == "Rewritten for the cache test."
        assert bank_cache.active_question(removed) is None  # retired by the load
        assert bank_cache.question(removed) is not None  # but kept, for old reviews


def test_another_process_sees_a_bank_load_on_its_next_check(
    app_factory: AppFactory, bank_copy: Path
) -> None:
    loader = app_factory(BANK_DIR=str(bank_copy))
    worker = app_factory(BANK_DIR=str(bank_copy), BANK_CACHE_SECONDS=0)
    with worker.app_context():
        before = len(bank_cache.questions())
    edited, removed = _edit_first_event(bank_copy, prompt="Which day did the cache test begin?")
    _load(loader)  # the worker's snapshot is not told: only the stamp can show the change
    with worker.app_context():
        assert bank_cache.question(edited).prompt == "Which day did the cache test begin?"
        assert bank_cache.active_question(removed) is None
        assert len(bank_cache.questions()) == before


def test_the_study_loop_reads_no_question_rows(app: Flask) -> None:
    """With the bank in memory, showing a card never selects from questions by id (the
    queue still joins the table to filter), and no statement is sent twice."""
    client = app.test_client()
    register(client)
    client.get("/study/")  # warms the snapshot
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        page = client.get("/study/")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert page.status_code == 200
    assert 'name="question_id"' in page.get_data(as_text=True)
    assert not [s for s in statements if s.startswith("SELECT questions.id, questions.kind")]
    # The plan and the day's counts are read once for the queue and the day's bar alike.
    assert len(statements) == len(set(statements)), statements


def test_a_question_added_by_another_process_is_found_at_once(
    app_factory: AppFactory, bank_copy: Path
) -> None:
    """A miss is checked against the database before it counts: a question another process
    has just added is served, whatever the check interval."""
    loader = app_factory(BANK_DIR=str(bank_copy))
    worker = app_factory(BANK_DIR=str(bank_copy), BANK_CACHE_SECONDS=3600)
    path = bank_copy / "events.yaml"
    data = yaml.safe_load(path.read_text())
    added = dict(data["questions"][0], id="events-added-for-the-cache-test")
    with worker.app_context():
        assert bank_cache.question(added["id"]) is None
    data["questions"].append(added)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    _load(loader)
    with worker.app_context():
        assert bank_cache.question(added["id"]).prompt == added["prompt"]
        assert bank_cache.question("no-such-question") is None
