"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from quizapp.extensions import db


def schema_drift() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models(app_factory: Callable[..., Flask]) -> None:
    app = app_factory()  # migrates on start
    with app.app_context():
        assert schema_drift() == []


def test_the_newest_migration_downgrades_and_upgrades_again(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory(AUTO_SETUP=False)
    with app.app_context():
        upgrade()
        downgrade(revision="-1")
        upgrade()
        assert schema_drift() == []
