"""``flask backup`` and ``flask restore``: a round trip brings back every card and review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from quizapp.extensions import db
from quizapp.models import Card, Review, User


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every account, card and review, in a form that compares across databases."""
    with app.app_context():
        return {
            "users": sorted(
                db.session.execute(
                    select(User.id, User.username, User.password_hash, User.session_version)
                ).all()
            ),
            "cards": sorted(
                db.session.execute(
                    select(
                        Card.id,
                        Card.user_id,
                        Card.question_id,
                        Card.state,
                        Card.step,
                        Card.stability,
                        Card.difficulty,
                        Card.due,
                        Card.last_review,
                        Card.reps,
                        Card.lapses,
                    )
                ).all()
            ),
            "reviews": sorted(
                db.session.execute(
                    select(
                        Review.id,
                        Review.card_id,
                        Review.user_id,
                        Review.question_id,
                        Review.rating,
                        Review.reviewed_at,
                        Review.response,
                        Review.duration_ms,
                    )
                ).all()
            ),
        }


def test_a_backup_restores_every_card_and_review(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    app = app_factory()
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["demo", "--username", "backed-up", "--days", "3"])
    assert seeded.exit_code == 0, seeded.output
    before = snapshot(app)
    assert before["reviews"]
    target = tmp_path / "backups" / "quizapp.backup"

    made = runner.invoke(args=["backup", str(target)])
    assert made.exit_code == 0, made.output
    assert target.stat().st_size > 0

    with app.app_context():  # everything after the backup is lost...
        db.session.execute(delete(Review))
        db.session.execute(delete(Card))
        db.session.add(User(username="after-backup", display_name="Late", password_hash="x"))
        db.session.commit()
    assert snapshot(app) != before

    refused = runner.invoke(args=["restore", str(target)], input="n\n")
    assert refused.exit_code != 0
    restored = runner.invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert snapshot(app) == before  # ...and the backup brings back what it held


def test_restoring_a_missing_backup_says_so(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    result = (
        app_factory()
        .test_cli_runner()
        .invoke(args=["restore", str(tmp_path / "nothing-here"), "--yes"])
    )
    assert result.exit_code != 0
    assert "no backup at" in result.output
