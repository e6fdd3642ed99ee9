"""Which schema revision the database is at, read without Alembic, and the upgrade.

Alembic and Flask-Migrate cost every worker about 11 MB once imported, and a
worker that finds the schema already at ``HEAD_REVISION`` has no use for them:
only a database that is behind (or empty) imports them, to upgrade.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from quizapp.config import MIGRATIONS_DIR
from quizapp.extensions import db

# The newest migration in migrations/versions (a test holds it to Alembic's own head,
# so a new migration cannot be forgotten here).
HEAD_REVISION = "0012"


def current_revisions(engine: Engine) -> set[str]:
    """The revisions in the database's ``alembic_version`` table; none when it has none."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return set()
        rows = connection.execute(text("SELECT version_num FROM alembic_version"))
        return {str(revision) for revision in rows.scalars()}


def is_current(engine: Engine) -> bool:
    """Whether the schema is exactly at the head this code was written for."""
    return current_revisions(engine) == {HEAD_REVISION}


def register_migrate(app: Flask) -> None:
    """Bind Flask-Migrate to ``app`` (once), for the upgrade and the ``flask db`` commands."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    Migrate(app, db, directory=str(MIGRATIONS_DIR))


def upgrade(app: Flask) -> None:
    """Run the migrations up to the head (importing Alembic), in an app context."""
    register_migrate(app)
    from flask_migrate import upgrade as alembic_upgrade

    alembic_upgrade(directory=str(MIGRATIONS_DIR))
