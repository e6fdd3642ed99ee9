"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import Connection, inspect, text

from quizapp.config import MIGRATIONS_DIR
from quizapp.extensions import db
from quizapp.persistence import schema


def schema_drift() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(app_factory: Callable[..., Flask]) -> None:
    app = app_factory()  # migrates on start
    with app.app_context():
        assert schema_drift() == []


def test_the_head_revision_the_app_checks_for_is_alembics_own_head() -> None:
    """A worker skips Alembic when the database is at ``HEAD_REVISION``: a new migration
    must move it, or workers would serve on the old schema."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_heads() == [schema.HEAD_REVISION]


def test_the_revision_is_read_without_alembic(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(AUTO_SETUP=False)
    with app.app_context():
        assert schema.current_revisions(db.engine) == set()
        assert not schema.is_current(db.engine)
        schema.upgrade(app)
        assert schema.current_revisions(db.engine) == {schema.HEAD_REVISION}
        assert schema.is_current(db.engine)
        downgrade(revision="-1")
        assert not schema.is_current(db.engine)


def test_a_database_behind_the_head_is_migrated_on_start(
    app_factory: Callable[..., Flask],
) -> None:
    old = app_factory(AUTO_SETUP=False)
    schema.register_migrate(old)
    with old.app_context():
        upgrade(revision="0008_live_games")
    app = app_factory()
    with app.app_context():
        assert schema.current_revisions(db.engine) == {schema.HEAD_REVISION}
        assert schema_drift() == []


def test_the_newest_migration_downgrades_and_upgrades_again(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory(AUTO_SETUP=False)
    schema.register_migrate(app)  # flask_migrate's functions need it, as ``flask db`` has it
    with app.app_context():
        upgrade()
        downgrade(revision="-1")
        upgrade()
        assert schema_drift() == []


def test_study_days_are_filled_from_the_reviews_already_made(
    app_factory: Callable[..., Flask],
) -> None:
    """0010 counts each existing review on its day in the student's own zone: 23:30 UTC
    on 14 January is already 15 January in Tokyo."""
    app = app_factory(AUTO_SETUP=False)
    schema.register_migrate(app)
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            _old_reviews(connection)
        upgrade(revision="0010")
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT day, reviews, run FROM study_days ORDER BY day")
            ).all()
    assert [(str(day), count, run) for day, count, run in rows] == [
        ("2026-01-14", 1, 1),
        ("2026-01-15", 2, 2),
    ]


def _old_reviews(connection: Connection) -> None:
    connection.execute(
        text(
            "INSERT INTO questions (id, kind, category, prompt, answer, accepted, choices,"
            " source, evidence, more_evidence, explanation, search_text, content_hash, file,"
            " created_at, updated_at) VALUES ('q', 'short', 'dates', 'p', '\"a\"', '[]',"
            " '[]', 's', 'e', '[]', 'x', 'q', 'h', 'f', :at, :at)"
        ),
        {"at": datetime(2026, 1, 1, tzinfo=UTC)},
    )
    connection.execute(
        text(
            "INSERT INTO users (id, username, display_name, password_hash, role, timezone,"
            " desired_retention, new_per_day, max_reviews_per_day, study_categories,"
            " answer_mode, must_change_password, session_version, created_at)"
            " VALUES (1, 'tokyo', 'T', 'x', 'student', 'Asia/Tokyo', 0.9, 20, 200, '[]',"
            " 'type', false, 0, :at)"
        ),
        {"at": datetime(2026, 1, 1, tzinfo=UTC)},
    )
    connection.execute(
        text(
            "INSERT INTO cards (id, user_id, question_id, state, due, reps, lapses, created_at)"
            " VALUES (1, 1, 'q', 2, :at, 3, 0, :at)"
        ),
        {"at": datetime(2026, 1, 1, tzinfo=UTC)},
    )
    for n, moment in enumerate(
        (
            datetime(2026, 1, 14, 10, 0, tzinfo=UTC),  # 19:00 on the 14th in Tokyo
            datetime(2026, 1, 14, 23, 30, tzinfo=UTC),  # 08:30 on the 15th
            datetime(2026, 1, 15, 9, 0, tzinfo=UTC),  # 18:00 on the 15th
        )
    ):
        connection.execute(
            text(
                "INSERT INTO reviews (card_id, user_id, question_id, presentation, rating,"
                " was_new, near_miss, desired_retention, reviewed_at)"
                " VALUES (1, 1, 'q', :presentation, 3, false, false, 0.9, :at)"
            ),
            {"presentation": f"q:{n}", "at": moment},
        )


def test_tokens_made_before_scopes_keep_writing_and_new_ones_read_only(
    app_factory: Callable[..., Flask],
) -> None:
    """0011: every token that existed could write, so it keeps ``write``; a row added
    afterwards without a scope gets the server default, ``read``."""
    app = app_factory(AUTO_SETUP=False)
    schema.register_migrate(app)
    with app.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as connection:
            _old_user(connection)
            _add_token(connection, "old")
        upgrade(revision="0011")
        with db.engine.begin() as connection:
            _add_token(connection, "new")
            scopes = dict(connection.execute(text("SELECT name, scope FROM api_tokens")).all())
        assert scopes == {"old": "write", "new": "read"}
        downgrade(revision="0010")
        columns = {column["name"] for column in inspect(db.engine).get_columns("api_tokens")}
        assert "scope" not in columns


def _old_user(connection: Connection) -> None:
    connection.execute(
        text(
            "INSERT INTO users (id, username, display_name, password_hash, role, timezone,"
            " desired_retention, new_per_day, max_reviews_per_day, study_categories,"
            " answer_mode, must_change_password, session_version, created_at)"
            " VALUES (1, 'scripted', 'S', 'x', 'student', 'UTC', 0.9, 20, 200, '[]',"
            " 'type', false, 0, :at)"
        ),
        {"at": datetime(2026, 1, 1, tzinfo=UTC)},
    )


def _add_token(connection: Connection, name: str) -> None:
    """A token row as any revision writes it, naming no scope."""
    connection.execute(
        text(
            "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at)"
            " VALUES (1, :name, 'qzp_abcdef', :digest, :at)"
        ),
        {"name": name, "digest": f"hash-{name}", "at": datetime(2026, 1, 1, tzinfo=UTC)},
    )
